"""Translation status of pages and data fields, and what changed since each translation.

French is the source language. A page is:

- **translated** when `content/en/<path>` exists and its front matter
  `translation_of:` equals the hash of the French original's text;
- **outdated** when the hash differs (the French page changed since the
  translation was made) or is absent;
- **missing** when `content/en/<path>` does not exist (the English site then
  shows the French page with a notice).

The hash is computed from the file's content, not from Git history, so it
survives shallow clones and rebases. `python -m kb.translations done FILE`
(``make translations-done PAGE=FILE``) records the current hash in a
translation after it has been brought up to date, and keeps a copy of the
French text it translates in `translations/<lang>/pages/<path>` (the page's
body, normalised as for the hash). When the French page changes, the copy
shows what changed, section by section: sections are matched by their heading
id (`{ #id }`), which both languages share.

A data field is missing its translation when a bilingual field has `fr` but
no `en`; the site then shows the French text marked `lang="fr"`. Its English
text is outdated when its French text differs from the one recorded beside
it in `translations/<lang>/data/<name>.yml` when the translation was marked
done (``make translations-done DATA=data/<name>.yml``). A text with no French recorded is
translated: it was written in both languages at once (a new record, a new kind
of data) or its English was added to a French-only text; `record` (run on main
after each merge) then keeps its French, so that a later change of the French
makes the English outdated. Records are named by their `id`, so that
reordering a list changes nothing.

The readers' descriptions of the open data (`x-description` in
`data/schemas/*.schema.json`) are data texts too, recorded in
`translations/<lang>/data/schemas/<name>.schema.yml`. `counts` gives the
numbers of the report's last line and of the translation-status page: pages
and data texts, each translated, outdated or missing.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .languages import PROJECT, Languages, project
from .yamlfile import Loader

# The languages are not read here: every function that needs them takes `langs` (kb.languages.Languages,
# read once by its caller from the project's mkdocs.yml; `main` reads them for the command line).
KEY = "translation_of"
FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.DOTALL)
STORE = "translations"  # at the project root: the French texts each translation translates
# `translation_of: done` in a translation's front matter: the translator says it is up to date (set in
# GitHub's web editor); the page counts as translated, and `record` (run on main after the merge, by
# .github/workflows/translations.yml) replaces the word with the French original's hash.
DONE = "done"
# translations/done.yml: the data files whose English texts a translator says are up to date (a list of
# paths, e.g. `- data/glossary.yml`), recorded and emptied by `record` in the same way.
DONE_LIST = "done.yml"


@dataclass(frozen=True)
class SectionChange:
    """One French section that changed since the translation, matched by heading id."""

    key: str  # the heading id ("" for the top of the page: title and introduction)
    change: str  # edited | added | removed
    title: str  # the French heading (as it was, for a removed section)
    fr_line: int | None  # line of the French heading (None: no longer in French)
    en_title: str  # the heading of the English section with the same id ("": none)
    en_line: int | None  # its line (None: not in English)
    diff: tuple[str, ...]  # "- " removed, "+ " added, "  " unchanged lines; "  …" between parts


@dataclass(frozen=True)
class Status:
    kind: str  # "page" or "data"
    path: str  # page path relative to the language folder, or "data/x.yml"
    lang: str  # the language whose version is concerned
    state: str  # translated | outdated | missing
    field: str = ""  # for data: the field path
    line: int | None = None
    # outdated page: the French sections that changed; None when the French text
    # that was translated is not known (no copy recorded)
    changes: tuple[SectionChange, ...] | None = None
    # outdated data field: the French text when its translation was recorded (None: never recorded), and now
    before: str | None = None
    now: str = ""


def split_front_matter(text: str) -> tuple[dict, str]:
    # read as the build reads it (kb.pagefile: `...` closes it too; anchors and aliases refused),
    # its problems reported with their lines by kb.pagefile
    from .pagefile import front_matter, normalise

    text = normalise(text)  # a byte-order mark and CRLF line ends, as the build reads them
    meta, end, _ = front_matter(text, "", check=False)
    return meta or {}, text[end:]


def body_of(text: str) -> str:
    """A page's body as the hash sees it: front matter excluded, line endings and trailing spaces normalised."""
    _, body = split_front_matter(text.replace("\r\n", "\n"))
    return "\n".join(line.rstrip() for line in body.strip().splitlines())


def digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]


@lru_cache(maxsize=4096)
def _file_info(path: Path, mtime_ns: int, size: int) -> tuple[str, str]:
    """(hash of the body, recorded translation_of) of one file; cached while the file is unchanged."""
    text = path.read_text(encoding="utf-8", errors="replace")  # not UTF-8: reported by kb.pagefile
    meta, _ = split_front_matter(text)
    return source_hash(text), str(meta.get(KEY, ""))


def file_info(path: Path) -> tuple[str, str]:
    stat = path.stat()
    return _file_info(path, stat.st_mtime_ns, stat.st_size)


def source_hash(text: str) -> str:
    """Hash of a French page's body (front matter excluded, line endings and trailing spaces normalised)."""
    return digest(body_of(text))


def page_statuses(content: Path, langs: Languages) -> list[Status]:
    out = []
    source_root = content / langs.source
    for src in sorted(source_root.rglob("*.md")):
        rel = src.relative_to(source_root).as_posix()
        for lang in langs.targets:
            state = page_state(content, rel, lang, langs.source)
            changes = page_changes(content, rel, lang, langs.source) if state == "outdated" else None
            out.append(Status("page", rel, lang, state, changes=changes))
    for lang in langs.targets:
        for target in sorted((content / lang).rglob("*.md")):
            rel = target.relative_to(content / lang).as_posix()
            if not (source_root / rel).exists():
                out.append(Status("page", rel, langs.source, "missing"))
    return out


def page_state(content: Path, rel: str, lang: str, source: str) -> str:
    """The state of one page in one language: translated, outdated, missing (or source); `source`:
    the source language."""
    if lang == source:
        return "source"
    src, target = content / source / rel, content / lang / rel
    if not target.exists():
        return "missing"
    if not src.exists():
        return "translated"
    recorded = file_info(target)[1]
    return "translated" if recorded in (file_info(src)[0], DONE) else "outdated"


# --- What changed in a page, section by section ---------------------------------

HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*$")
ATTRIBUTES = re.compile(r"[ \t]*\{:?([^{}]*)\}[ \t]*$")
HEADING_ID = re.compile(r"#([A-Za-z0-9_-]+)")
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")


@dataclass(frozen=True)
class Section:
    key: str  # heading id; "" for the top of the page; the heading's text when it has no id
    title: str  # the heading's text without its attribute list (the page title for the top)
    line: int  # line of the heading in the file (of the body's first line for the top)
    lines: tuple[str, ...]  # the section's lines, heading included, blank lines left out


def sections(body: str, first_line: int = 1) -> list[Section]:
    """Split a page body into the part before its first `##` heading and one section per heading."""
    found: list[Section] = []
    key, title, line, lines = "", "", first_line, []
    fence = ""
    for number, text in enumerate(body.split("\n"), start=first_line):
        if fence:
            if text.strip().startswith(fence):
                fence = ""
        elif match := FENCE.match(text):
            fence = match.group(1)
        elif match := HEADING.match(text):
            heading = match.group(2).rstrip("#").rstrip()
            attrs = ATTRIBUTES.search(heading)
            ident = HEADING_ID.search(attrs.group(1)) if attrs else None
            heading = heading[: attrs.start()] if attrs else heading
            if len(match.group(1)) == 1 and not found and not lines:
                title = heading  # the page title opens the top of the page
            elif len(match.group(1)) > 1:
                found.append(Section(key, title, line, tuple(lines)))
                key, title, line, lines = (ident.group(1) if ident else heading), heading, number, []
        if text.strip():
            lines.append(text)
    found.append(Section(key, title, line, tuple(lines)))
    return [s for s in found if s.lines or s.key]


def file_sections(text: str) -> list[Section]:
    """The sections of a whole file (front matter included), with their lines in the file."""
    text = text.replace("\r\n", "\n")
    match = FRONT_MATTER.match(text)
    start = text[: match.end()].count("\n") if match else 0
    return sections(text[match.end() :] if match else text, start + 1)


def line_diff(old: list[str] | tuple[str, ...], new: list[str] | tuple[str, ...], context: int = 1) -> list[str]:
    """A readable diff: "- " removed lines, "+ " added lines, `context` unchanged lines around, "  …" between."""
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if out:
            out.append("  …")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [f"  {line}" for line in old[i1:i2]]
            else:
                out += [f"- {line}" for line in old[i1:i2]]
                out += [f"+ {line}" for line in new[j1:j2]]
    return out


WORD = re.compile(r"\s+|[\w’'-]+|[^\w\s]", re.UNICODE)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The words of `new` against `old`, as (kind, text) pieces in order: "=" unchanged, "-" removed,
    "+" added; spaces stay with the unchanged text. What `word_level` prints and the status page shows."""
    a, b = WORD.findall(old), WORD.findall(new)
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    # changes separated by spaces only read as one: "[-À quoi servent les-]{+Le rôle des+}"
    merged: list[list] = []
    for tag, i1, i2, j1, j2 in opcodes:
        spaces = len(merged) > 1 and merged[-1][0] == "equal" and not "".join(a[merged[-1][1] : merged[-1][2]]).strip()
        if tag != "equal" and spaces:
            merged.pop()
            merged[-1][2], merged[-1][4] = i2, j2
        else:
            merged.append([tag, i1, i2, j1, j2])
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in merged:
        if tag == "equal":
            out.append(("=", "".join(a[i1:i2])))
        else:
            if i1 < i2:
                out.append(("-", "".join(a[i1:i2])))
            if j1 < j2:
                out.append(("+", "".join(b[j1:j2])))
    return out


def diff_rows(diff: list[str] | tuple[str, ...]) -> list[tuple[str, object]]:
    """A line diff as rows: ("-", line), ("+", line), (" ", line), and ("~", word_diff pieces) where
    removed lines are replaced by as many added ones: a one-word change in a long paragraph is one
    row with the changed words marked inside it."""
    out: list[tuple[str, object]] = []
    i = 0
    while i < len(diff):
        j = i
        while j < len(diff) and diff[j].startswith("- "):
            j += 1
        k = j
        while k < len(diff) and diff[k].startswith("+ "):
            k += 1
        removed, added = diff[i:j], diff[k - (k - j) : k]
        if removed and len(removed) == len(added):
            out += [("~", word_diff(r[2:], a[2:])) for r, a in zip(removed, added, strict=True)]
        elif removed or added:
            out += [(line[0], line[2:]) for line in (*removed, *added)]
        else:
            out.append((" ", diff[i][2:]))
            k = i + 1
        i = k
    return out


def word_level(diff: list[str] | tuple[str, ...]) -> list[str]:
    """`diff_rows` as text: `~ ` lines with `[-removed-]{+added+}` words, the others as they were."""
    out = []
    for kind, row in diff_rows(diff):
        if kind == "~":
            out.append("~ " + "".join(t if k == "=" else f"[-{t}-]" if k == "-" else f"{{+{t}+}}" for k, t in row))
        else:
            out.append(f"{kind} {row}")
    return out


def compare(before: str, now_text: str, target_text: str) -> list[SectionChange]:
    """The sections of a French page that changed from body `before` to file `now_text`,
    in the page's order (a removed section where it was), with the English sections of `target_text`."""
    old = sections(before)
    new = file_sections(now_text)
    english = {s.key: s for s in file_sections(target_text)}
    old_by_key = {s.key: s for s in old}
    new_keys = {s.key for s in new}
    # a removed section is shown after the last section before it that is still there
    removed_after: dict[str | None, list[Section]] = {}
    anchor = None
    for s in old:
        if s.key in new_keys:
            anchor = s.key
        else:
            removed_after.setdefault(anchor, []).append(s)

    def change(kind: str, fr: Section, diff: list[str], fr_line: int | None) -> SectionChange:
        en = english.get(fr.key)
        return SectionChange(
            fr.key, kind, fr.title, fr_line, en.title if en else "", en.line if en else None, tuple(diff)
        )

    def removed(after) -> list[SectionChange]:
        return [change("removed", s, [f"- {line}" for line in s.lines], None) for s in removed_after.get(after, [])]

    out = removed(None)
    for s in new:
        was = old_by_key.get(s.key)
        if was is None:
            out.append(change("added", s, [f"+ {line}" for line in s.lines], s.line))
        elif was.lines != s.lines:
            out.append(change("edited", s, line_diff(was.lines, s.lines), s.line))
        out += removed(s.key)
    return out


def original_path(content: Path, rel: str, lang: str) -> Path:
    """Where the French text that `content/<lang>/<rel>` translates is kept."""
    return content.parent / STORE / lang / "pages" / rel


def translated_original(content: Path, rel: str, lang: str, source: str, history: bool = False) -> str | None:
    """The body of the French page as it was when its translation was marked done, if known: the copy
    kept in `translations/`, or else (with `history`) the French file's version in Git with that hash
    (`content/<source>/<rel>`)."""
    copy = original_path(content, rel, lang)
    target = content / lang / rel
    if not target.exists():
        return None
    recorded = file_info(target)[1]
    if copy.exists():
        body = copy.read_text(encoding="utf-8").replace("\r\n", "\n").strip("\n")
        if digest(body) == recorded:
            return body
    return original_from_git(content / source / rel, recorded) if history and recorded else None


@lru_cache(maxsize=256)
def original_from_git(path: Path, recorded: str, depth: int = 100) -> str | None:
    """The body of the version of `path` whose hash is `recorded`, among its last `depth` commits
    (for translations recorded before copies were kept; a shallow clone may not have it)."""
    import subprocess

    def git(*args) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *args], cwd=path.parent, capture_output=True, text=True, timeout=30)

    try:
        commits = git("log", f"-{depth}", "--format=%H", "--", path.name)
        for commit in commits.stdout.split() if commits.returncode == 0 else []:
            shown = git("show", f"{commit}:./{path.name}")
            if shown.returncode == 0 and digest(body_of(shown.stdout)) == recorded:
                return body_of(shown.stdout)
    except (OSError, subprocess.SubprocessError):
        return None
    return None


def page_changes(content: Path, rel: str, lang: str, source: str) -> tuple[SectionChange, ...] | None:
    """The French sections that changed since the translation; None if the translated text is not known."""
    before = translated_original(content, rel, lang, source, history=True)
    if before is None:
        return None
    now = (content / source / rel).read_text(encoding="utf-8")
    return tuple(compare(before, now, (content / lang / rel).read_text(encoding="utf-8")))


# --- Data fields ------------------------------------------------------------------


def _is_text(value, langs: Languages) -> bool:
    """A text in the site's languages: {source: "…", target: "…"}."""
    return isinstance(value, dict) and langs.source in value and set(value) <= set(langs.all)


def _walk_text_fields(value, path, found, langs: Languages):
    if isinstance(value, dict):
        if _is_text(value, langs) and isinstance(value[langs.source], str):
            found.append((path, value))
            return
        for key, sub in value.items():
            _walk_text_fields(sub, (*path, key), found, langs)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _walk_text_fields(item, (*path, i), found, langs)


def record_key(data, path, langs: Languages) -> str:
    """The name of a field in the translation records: records by their id, e.g.
    ('coalitions', 0, 'name') -> 'coalitions[gender-based-violence].name', so that inserting, moving
    or sorting records changes no translation's status (see `record_name` for records without id)."""
    out, node = "", data
    for part in path:
        if isinstance(part, int):
            out += f"[{record_name(node, part, langs)}]"
        else:
            out += f".{part}" if out else str(part)
        node = node[part]
    return out


def _scalars(record: dict) -> str:
    """The record's values that are not texts to translate (a date, a country, a number), joined."""
    return " ".join(str(v) for v in record.values() if isinstance(v, str | int | float) and not isinstance(v, bool))


def record_name(items: list, index: int, langs: Languages) -> str:
    """A record's stable name: its `id`, else its `name` (data/kinds.yml), else its values that are
    not texts (`2 US` for a month and a country), numbered among the records with the same ones
    (`2 #2`); a list of plain texts is named by position."""
    record = items[index]
    if not isinstance(record, dict) or _is_text(record, langs):
        return str(index)  # a plain text, or a text in the site's languages
    for key in ("id", "name"):
        if isinstance(record.get(key), str | int) and not isinstance(record.get(key), bool):
            return str(record[key])
    base = _scalars(record)
    if not base:
        return str(index)
    before = sum(1 for x in items[:index] if isinstance(x, dict) and _scalars(x) == base)
    return f"{base} #{before + 1}" if before else base


def data_record_path(root: Path, file: str, lang: str) -> Path:
    """Where the French texts that the `lang` texts of data file `file` translate are kept:
    `data/x.yml` -> `translations/<lang>/data/x.yml`, `data/schemas/x.schema.json` ->
    `translations/<lang>/data/schemas/x.schema.yml`."""
    rel = Path(file).relative_to("data") if Path(file).parts[:1] == ("data",) else Path(Path(file).name)
    return root / STORE / lang / "data" / rel.with_suffix(".yml")


def read_data_record(root: Path, file: str, lang: str) -> dict[str, str]:
    path = data_record_path(root, file, lang)
    if not path.exists():
        return {}
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Loader) or {}


DESCRIPTION = "x-description"  # the readers' description of a data file or a CSV column in its schema


def text_fields(doc, langs: Languages) -> list:
    """(path, {lang: text}) of every text of a data file in the site's languages; of a schema
    (`data/schemas/*.schema.json`), its readers' descriptions (`x-description`), shown on the
    open-data page and in the data package."""
    fields: list = []
    _walk_text_fields(doc.data, (), fields, langs)
    if doc.file.endswith(".json"):
        fields = [(path, value) for path, value in fields if path and path[-1] == DESCRIPTION]
    return fields


def schema_docs(root: Path) -> list:
    """The JSON Schemas of the data files, read with the line of every value (JSON is YAML)."""
    from .yamlfile import load_yaml

    docs = []
    for path in sorted((root / "data" / "schemas").glob("*.schema.json")):
        doc, _ = load_yaml(path, path.relative_to(root).as_posix())
        if doc is not None:  # a schema JSON cannot read fails the data's loading
            docs.append(doc)
    return docs


def data_statuses(data, root: Path, langs: Languages, translated: bool = False) -> list[Status]:
    """Every text of the data shown to readers whose translation is missing or outdated (and, with
    `translated`, those translated): bilingual fields of the data files and the descriptions of the
    schemas (`x-description`)."""
    from .problems import field_path

    out = []
    said_done = set(done_list(root))
    for doc in [*data.files.values(), *schema_docs(root)]:
        fields = text_fields(doc, langs)
        records = {lang: read_data_record(root, doc.file, lang) for lang in langs.targets} if fields else {}
        for path, value in fields:
            for lang in langs.targets:
                where = (doc.file, lang)
                if not value.get(lang):
                    out.append(Status("data", *where, "missing", field_path(path, doc.data), doc.line_of(path)))
                    continue
                before = records[lang].get(record_key(doc.data, path, langs))
                line = doc.line_of((*path, lang))
                # a text with no French recorded was written in both languages at once (a new record, a new
                # kind) or translated since its French was written: translated, and `record` keeps its French
                now = value[langs.source]
                if before is not None and before != now and doc.file not in said_done:
                    out.append(
                        Status("data", *where, "outdated", field_path(path, doc.data), line, before=before, now=now)
                    )
                elif translated:
                    out.append(Status("data", *where, "translated", field_path(path, doc.data), line))
    return out


def done_list(root: Path) -> list[str]:
    """The data files listed in translations/done.yml (their English texts said to be up to date)."""
    path = root / STORE / DONE_LIST
    if not path.is_file():
        return []
    try:
        listed = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return []
    return [str(x).strip() for x in listed if isinstance(x, str)] if isinstance(listed, list) else []


DONE_LIST_HEAD = """\
# The data files whose English texts are up to date with their French texts, as a translator
# says in a pull request (GitHub's web editor: add a line `- data/<name>.yml`). After the merge,
# .github/workflows/translations.yml records them (make translations-record) and empties this list.
# See docs/translators.md.
"""


def pending(root: Path, langs: Languages) -> tuple[list[Path], list[Path]]:
    """(translations whose front matter says `translation_of: done`, data files in translations/done.yml)."""
    content = root / "content"
    pages = [
        path
        for lang in langs.targets
        for path in sorted((content / lang).rglob("*.md"))
        if file_info(path)[1] == DONE and (content / langs.source / path.relative_to(content / lang)).is_file()
    ]
    return pages, [root / f for f in done_list(root)]


def record_pending(root: Path, langs: Languages) -> list[str]:
    """Record what translators said is up to date (`translation_of: done`, translations/done.yml):
    the French original's hash in each page, the French texts of each data file; empty the list.
    Returns one line per record made. Runs no code of the pages or the data: it reads them as text."""
    pages, files = pending(root, langs)
    out = []
    for path in pages:
        out.append(f"{_shown(path, root)}: {KEY} {mark_done(path, root / 'content', langs.source)}")
    for path in files:
        wrong = _not_tracked_data(path, root)
        if wrong:
            out.append(f"{_shown(path, root)}: left out: {wrong}")
            continue
        out.append(f"{_shown(path, root)}: {mark_data_done(path, root, langs)} English texts recorded as up to date")
    if files:
        (root / STORE / DONE_LIST).write_text(DONE_LIST_HEAD + "[]\n", encoding="utf-8")
    out += record_new_texts(root, langs)
    return out


def record_new_texts(root: Path, langs: Languages) -> list[str]:
    """Keep the French of every text written in both languages whose French no record keeps yet (a new
    record, a new kind, an English text added): from now on a change of its French makes its
    translation outdated. The texts already recorded keep their record. One line per record changed."""
    from .yamlfile import load_yaml

    out = []
    schemas = root / "data" / "schemas"
    paths = [p for p in sorted((root / "data").glob("*.yml")) if (schemas / f"{p.stem}.schema.json").is_file()]
    for path in [*paths, *sorted(schemas.glob("*.schema.json"))]:
        file = path.relative_to(root).as_posix()
        doc, problems = load_yaml(path, file)
        if problems or doc is None:
            continue  # a file that cannot be read records nothing (its problems fail the check)
        fields = text_fields(doc, langs)
        for lang in langs.targets:
            kept = read_data_record(root, file, lang)
            record = {record_key(doc.data, p, langs): v[langs.source] for p, v in fields if v.get(lang)}
            added = len(record.keys() - kept.keys())
            if added:
                _write_data_record(root, file, lang, {key: kept.get(key, french) for key, french in record.items()}, langs)
                out.append(f"{file}: {added} new {langs.names.get(lang, lang)} text(s) recorded with their French")
    return out


def _not_tracked_data(path: Path, root: Path) -> str | None:
    """Why `path` is not a data file whose English texts can be recorded, or None."""
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = str(path)
    schema_of = root / "data" / "schemas" / f"{path.stem}.schema.json"
    data_file = re.fullmatch(r"data/[\w.-]+\.yml", rel) and schema_of.is_file()
    schema = re.fullmatch(r"data/schemas/[\w.-]+\.schema\.json", rel)
    if (data_file or schema) and path.is_file():
        return None
    return (
        "not a data file whose translations are tracked: give one of data/*.yml (with its schema in "
        "data/schemas/) or data/schemas/*.schema.json; a page is given with PAGE=content/en/…"
    )


STATES = ("translated", "outdated", "missing")


def counts(statuses: list[Status]) -> dict[str, dict[str, int]]:
    """How many pages and data texts are translated, outdated, missing: {"page": {...}, "data": {...}}.
    The status page and `make translations` print these same numbers."""
    return {
        kind: {state: sum(1 for s in statuses if s.kind == kind and s.state == state) for state in STATES}
        for kind in ("page", "data")
    }


def describe(status: Status, content: Path, source: str) -> list[str]:
    """What changed, for the report: one line per changed section or field, then its diff, indented
    (`content`: the pages' folder; `source`: the source language)."""
    pad = "    "
    if status.kind == "data":
        if status.state != "outdated":
            return []
        if status.before is None:
            return [
                f"{pad}no record of the French text this English translates: "
                f"check it, then run make translations-done DATA={status.path}"
            ]
        return [pad + line for line in word_level(line_diff(status.before.split("\n"), status.now.split("\n")))]
    if status.state != "outdated":
        return []
    target = content / status.lang / status.path
    if status.changes is None and target.is_file() and not file_info(target)[1]:
        return [
            f"{pad}never recorded as up to date: check it against the French, then set `{KEY}: {DONE}` in its "
            f"front matter (or run make translations-done PAGE=content/{status.lang}/{status.path})"
        ]
    if status.changes is None:
        return [
            f"{pad}no copy of the French text this translation was made from, in translations/ or in "
            "Git history: compare the whole page"
        ]
    out = []
    en, fr = f"content/{status.lang}/{status.path}", f"content/{source}/{status.path}"
    for c in status.changes:
        name = f"#{c.key} “{c.title}”" if c.key else "top of the page"
        fr_where = f"{fr}:{c.fr_line}" if c.fr_line else "no longer in French"
        en_where = f"{en}:{c.en_line}" if c.en_line else "not in English yet"
        out.append(f"{pad}{name} ({c.change}): {fr_where} · {en_where}")
        out += [f"{pad}    {line}" for line in word_level(c.diff)]
    if not status.changes:
        out.append(f"{pad}only blank lines changed: run make translations-done PAGE={en}")
    return out


def mark_done(path: Path, content: Path, source: str) -> str:
    """Record in a translation the hash of its French original (in `content/<source>/`), keep a copy of
    that original; return the hash."""
    path = path.resolve()
    lang = path.relative_to(content.resolve()).parts[0]
    rel = path.relative_to((content / lang).resolve()).as_posix()
    body = body_of((content / source / rel).read_text(encoding="utf-8"))
    hashed = digest(body)
    # a hash of digits only (287770587221) would be read back as a number: write it in quotes then
    written = hashed if yaml.safe_load(hashed) == hashed else f'"{hashed}"'
    text = path.read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    if match:
        lines = [line for line in match.group(1).splitlines() if not line.startswith(f"{KEY}:")]
        lines.append(f"{KEY}: {written}")
        text = "---\n" + "\n".join(lines) + "\n---\n" + text[match.end() :]
    else:
        text = f"---\n{KEY}: {written}\n---\n\n" + text
    path.write_text(text, encoding="utf-8")
    copy = original_path(content, rel, lang)
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text(body + "\n", encoding="utf-8")
    return hashed


DATA_RECORD_HEAD = """\
# The French texts that the {lang_name} texts of {file} translate, as they
# were when those translations were last marked up to date. Written by
# `make translations-done DATA={file}`: do not edit by hand.
"""


def mark_data_done(path: Path, root: Path, langs: Languages, lang: str | None = None) -> int:
    """Record that every `lang` text (by default, the first translation's) of a data file is up to date
    with its French text; return how many."""
    from .problems import KbError
    from .yamlfile import load_yaml

    path = path.resolve()
    file = path.relative_to(root.resolve()).as_posix()
    doc, problems = load_yaml(path, file)
    if problems or doc is None:
        raise KbError(problems)
    lang = lang or langs.targets[0]
    fields = text_fields(doc, langs)
    record = {record_key(doc.data, p, langs): v[langs.source] for p, v in fields if v.get(lang)}
    _write_data_record(root, file, lang, record, langs)
    return len(record)


def _write_data_record(root: Path, file: str, lang: str, record: dict[str, str], langs: Languages) -> None:
    target = data_record_path(root, file, lang)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = DATA_RECORD_HEAD.format(lang_name=langs.names.get(lang, lang), file=file)
    text += yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=4096) if record else ""
    target.write_text(text, encoding="utf-8")


def report_lines(statuses: list[Status], content: Path, source: str, show_all: bool = False) -> list[str]:
    """The status report: one line per page or data field that needs work, what changed, then a summary
    (`content`: the pages' folder; `source`: the source language)."""
    out = []
    for s in statuses if show_all else [s for s in statuses if s.state != "translated"]:
        where = f"content/{s.lang}/{s.path}" if s.kind == "page" else f"{s.path}:{s.line}: {s.field}"
        out.append(f"{s.state:<10} {s.lang}  {where}")
        out += describe(s, content, source)
    found = counts(statuses)
    pages, data = found["page"], found["data"]
    out.append(
        f"pages: {pages['translated']} translated, {pages['outdated']} outdated, {pages['missing']} missing; "
        f"data texts: {data['translated']} translated, {data['outdated']} outdated, {data['missing']} missing"
    )
    return out


def _shown(path: Path, root: Path) -> str:
    """A path as the editor typed it from the project's folder (the Makefile runs this in hooks/)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _not_a_translation(path: Path, content: Path, langs: Languages) -> str | None:
    """Why `path` is not a translated page whose original can be recorded, or None."""
    try:
        lang, *rest = path.resolve().relative_to(content.resolve()).parts
    except ValueError:
        return f"not a page of content/: give a translated page, e.g. content/{langs.targets[0]}/about.md"
    if lang == langs.source:
        return (
            f"this page is in the source language ({langs.source}): give its translation, "
            f"content/{langs.targets[0]}/{'/'.join(rest)}"
        )
    if lang not in langs.targets:
        return f"{lang} is not a language of the site ({', '.join(langs.all)})"
    if not (content / langs.source / Path(*rest)).is_file():
        return f"there is no original to record: content/{langs.source}/{'/'.join(rest)} does not exist"
    return None


def main(argv=None) -> int:
    """The command line (`make translations`, `translations-done`, `translations-record`): the project
    of these modules, its languages read once from its mkdocs.yml and passed on."""
    root = PROJECT
    langs = project()
    parser = argparse.ArgumentParser(prog="translations", description="Translation status of pages and data.")
    sub = parser.add_subparsers(dest="command", required=True)
    report = sub.add_parser("report", help="print the status of every page and data field, and what changed")
    report.add_argument("--strict", action="store_true", help="exit 1 if anything is missing or outdated")
    report.add_argument("--all", action="store_true", help="also list what is translated")
    done = sub.add_parser("done", help="record that translations (pages or data files) are up to date")
    done.add_argument("files", nargs="+", type=Path)
    sub.add_parser(
        "record", help="record what translators said is up to date (translation_of: done, translations/done.yml)"
    )
    args = parser.parse_args(argv)
    if args.command == "record":
        lines = record_pending(root, langs)
        print("\n".join(lines) if lines else "nothing to record")
        return 0
    content = root / "content"
    if args.command == "done":
        from .problems import KbError

        for f in args.files:
            if not f.is_file():
                print(f"{_shown(f, root)}: no such file", file=sys.stderr)
                return 2
            if f.suffix in (".yml", ".yaml", ".json"):  # a data file, or a schema's descriptions
                wrong = _not_tracked_data(f, root)
                if wrong:
                    print(f"{_shown(f, root)}: {wrong}", file=sys.stderr)
                    return 2
                try:
                    count = mark_data_done(f, root, langs)
                except KbError as exc:
                    print(exc.report(), file=sys.stderr)
                    return 1
                print(f"{_shown(f, root)}: {count} English texts recorded as up to date")
            else:
                wrong = _not_a_translation(f, content, langs)
                if wrong:
                    print(f"{_shown(f, root)}: {wrong}", file=sys.stderr)
                    return 2
                print(f"{_shown(f, root)}: {KEY} {mark_done(f, content, langs.source)}")
        return 0
    from .data import load_data
    from .problems import KbError

    try:
        data = load_data(root / "data", root)
    except KbError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    statuses = page_statuses(content, langs) + data_statuses(data, root, langs, translated=True)
    print("\n".join(report_lines(statuses, content, langs.source, args.all)))
    pending = [s for s in statuses if s.state != "translated"]
    return 1 if args.strict and pending else 0


if __name__ == "__main__":
    sys.exit(main())
