"""Every quotation the site attributes to a source is checked against that source's text (`make check`).

The five source documents are kept as text in `sources/<id>.txt`, one per
`kind: source` entry of `data/bibliography.yml` (the file's name is the
entry's id). They are never published: `content/` is the site, `sources/`
only feeds this check.

What is a quotation (the rule editors read in docs/editors.md):

- in French text (pages of `content/fr/`, the French of data texts):
  words in « » — at least `MIN_WORDS` words, so that a term or a title
  quoted in a few words (« redevabilité », « en bonne voie ») is not
  checked, and every « » inside a quote block (`!!! quote "…"`), whatever
  its length;
- in English text (pages of `content/en/`, the English of data texts): an
  English quotation of a French source is a translation, so it cannot be
  found in the source; a quote block, and a quotation in “ ” or " " of at
  least `MIN_WORDS_EN` words (a sentence, not a term or a title), must say
  it is "translated from the French" (in the same paragraph or block), or
  quote words that are in the source (an English phrase the French source
  itself uses).

Whose source: a page's `sources:` in its front matter; a data record's own
`source`, `sources` or `cited_by` (a source's own bibliography entry: that
source); otherwise the sources of the pages that
show the data file (the pages holding one of its directives, and the
`sources` its kind's generated pages cite). A quotation is found when it
appears in one of those documents (of `kind: source`) once both are
normalised: line breaks and runs of spaces (no-break spaces too) are one
space, a hyphen at the end of a line joins the word again, every hyphen,
apostrophe and quotation mark is compared loosely, letters in either case,
Markdown (links, emphasis, `{: lang=en }`, `^e^`) removed. An ellipsis (…,
[…], (…)) and an editorial insertion in square brackets ([les ONG]) split a
quotation into parts, each of which must be found. A mismatch names the
file, the line and the closest passage of the source (RapidFuzz's best
partial alignment).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .languages import Languages
from .languages import read as read_languages
from .problems import Problem, field_path

MIN_WORDS = 3  # French « » quotations this long or longer are checked
MIN_WORDS_EN = 8  # English quotations this long or longer must be marked as translated
TRANSLATED = re.compile(r"translated from the french", re.IGNORECASE)
SOURCES_DIR = "sources"

_HYPHENS = "-\u2010\u2011\u2012\u2013\u00ad"
_QUOTES = "«»“”„\"‹›"
_APOSTROPHES = "’‘ʼ´`'"
_NO_SPACE_BEFORE = ".,;:!?)%…]"


# ---------------------------------------------------------------- normalising


def normalise(text: str) -> tuple[str, list[int]]:
    """(normalised text, for each of its characters the index of the original character)."""
    out: list[str] = []
    pos: list[int] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in _HYPHENS:
            j = i + 1
            while j < n and text[j].isspace():
                j += 1
            if "\n" in text[i + 1 : j] or (j > i + 1 and out and out[-1].isalpha() and j < n and text[j].islower()):
                i = j  # a word cut at the end of a line (exem- plaires, sexo-trans-\nformatrices)
                continue
            if out and out[-1] == " " and j > i + 1:  # a dash between spaces: one space
                i = j
                continue
            i += 1
            continue
        if c in _QUOTES or c in _APOSTROPHES:
            # apostrophes and quotation marks are left out: extraction and typing change them
            if c in _APOSTROPHES and out and out[-1] != " ":
                out.append("'")
                pos.append(i)
            i += 1
            continue
        if c.isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            if out and out[-1].isdigit() and j < n and text[j].isdigit():  # 1 250: one number
                i = j
                continue
            if out and out[-1] not in " ('":
                out.append(" ")
                pos.append(i)
            i += 1
            continue
        if c in _NO_SPACE_BEFORE and out and out[-1] == " ":
            out.pop()
            pos.pop()
        if c == "…" or (c == "." and text[i : i + 3] == "..."):
            i += 1 if c == "…" else 3
            out.append("…")
            pos.append(i - 1)
            continue
        out.append(c.lower())
        pos.append(i)
        i += 1
    while out and out[-1] == " ":
        out.pop()
        pos.pop()
    return "".join(out), pos


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_ATTRS = re.compile(r"\{:[^}]*\}")
_HTML = re.compile(r"<[^>]+>")
_SUP = re.compile(r"\^([^^\s]+)\^")
_EMPHASIS = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)|`")
_BREAKS = re.compile(r"\[[^\]]*\]|\(\s*…\s*\)|…|\.\.\.")  # editorial insertions, ellipses


def plain(markdown: str) -> str:
    """The words of inline Markdown: links' text, no emphasis, attribute lists, tags or ^…^."""
    text = _LINK.sub(r"\1", markdown)
    text = _ATTRS.sub("", text)
    text = _HTML.sub("", text)
    text = _SUP.sub(r"\1", text)
    return _EMPHASIS.sub("", text)


def parts(quotation: str) -> list[str]:
    """A quotation's parts to be found, split at ellipses and editorial insertions in brackets."""
    out = []
    for piece in _BREAKS.split(plain(quotation)):
        norm = normalise(piece)[0].strip(" .,;:")
        if sum(ch.isalnum() for ch in norm) >= 2:
            out.append(norm)
    return out


def words(text: str) -> int:
    return len(re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+", plain(text)))


# ---------------------------------------------------------------- the sources


@dataclass(frozen=True)
class Source:
    id: str
    text: str
    norm: str
    pos: tuple[int, ...]

    @classmethod
    def of(cls, id: str, text: str) -> Source:
        norm, pos = normalise(text)
        return cls(id, text, norm, tuple(pos))

    def find(self, part: str) -> bool:
        return part in self.norm

    def closest(self, part: str) -> tuple[float, str]:
        """(score 0–100, the source's passage that best matches `part`, as printed in the source)."""
        from rapidfuzz import fuzz

        found = fuzz.partial_ratio_alignment(part, self.norm)
        if found is None:
            return 0.0, ""
        start = self.pos[found.dest_start] if found.dest_start < len(self.pos) else len(self.text)
        end = self.pos[found.dest_end - 1] + 1 if found.dest_end > 0 else start
        while start > 0 and not self.text[start - 1].isspace():  # whole words
            start -= 1
        while end < len(self.text) and not self.text[end].isspace():
            end += 1
        passage = " ".join(self.text[start:end].split())
        return found.score, passage


@lru_cache(maxsize=8)
def _source(path: Path, mtime: float) -> Source:
    return Source.of(path.stem, path.read_text(encoding="utf-8"))


def load_sources(root: Path) -> dict[str, Source]:
    folder = root / SOURCES_DIR
    if not folder.is_dir():
        return {}
    return {p.stem: _source(p, p.stat().st_mtime) for p in sorted(folder.glob("*.txt"))}


# ---------------------------------------------------------------- quotations in a text


@dataclass(frozen=True)
class Quotation:
    text: str
    line: int  # 1-based line within the text given
    block: bool  # inside a quote block
    marked: bool  # its paragraph or block says "translated from the French"


_FRENCH = re.compile(r"«\s*(.+?)\s*»", re.DOTALL)
_ENGLISH = re.compile(r"“(.+?)”|(?<![\w=])\"([^\"\n]+?)\"(?![\w])", re.DOTALL)
_QUOTE_BLOCK = re.compile(r"^(\s*)(?:!!!|\?\?\?\+?) quote\b.*$")
_ADMONITION = re.compile(r"^(\s*)(?:!!!|\?\?\?\+?) [\w-]+.*$")


def _blanked(markdown: str) -> str:
    """The text with what is not prose blanked (same length, same lines): code, tags, attribute
    lists, admonition headers, directive comments."""

    def blank(m: re.Match) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    text = re.sub(r"```.*?```|`[^`\n]*`", blank, markdown, flags=re.DOTALL)
    text = re.sub(r"<!--.*?-->|<[^>\n]+>|\{:[^}\n]*\}", blank, text, flags=re.DOTALL)
    text = re.sub(r"^\s*(?:!!!|\?\?\?\+?) \w.*$", blank, text, flags=re.MULTILINE)
    return text


def _blocks(markdown: str) -> list[tuple[int, int, bool]]:
    """(start, end, is a quote block) offsets of each paragraph or admonition (`!!! type`) of the text."""
    spans = []
    lines = markdown.split("\n")
    offset = 0
    starts = []
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    i = 0
    while i < len(lines):
        m = _ADMONITION.match(lines[i])
        if m:
            indent = len(m.group(1))
            j = i + 1
            while j < len(lines) and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > indent):
                j += 1
            spans.append((starts[i], starts[j] if j < len(lines) else offset, bool(_QUOTE_BLOCK.match(lines[i]))))
            i = j
            continue
        if lines[i].strip():
            j = i + 1
            while j < len(lines) and lines[j].strip() and not _ADMONITION.match(lines[j]):
                j += 1
            spans.append((starts[i], starts[j] if j < len(lines) else offset, False))
            i = j
            continue
        i += 1
    return spans


# `source` below: the site's source language (mkdocs.yml), the language of the source documents' texts: its
# quotations are looked for in them; a quotation in another language is a translation.


def quotations(markdown: str, lang: str, source: str) -> list[Quotation]:
    """The quotations of a text in `lang` (the sources' language, `source`, French: « »; any other: “ ” and " ")."""
    text = _blanked(markdown)
    blocks = _blocks(markdown)
    found = []
    pattern = _FRENCH if lang == source else _ENGLISH
    for m in pattern.finditer(text):
        start = m.start()
        group = next(i for i in range(1, (m.lastindex or 1) + 1) if m.group(i) is not None)
        quoted = markdown[m.start(group) : m.end(group)]
        block = next(((b, e, q) for b, e, q in blocks if b <= start < e), (start, m.end(), False))
        found.append(
            Quotation(
                text=quoted,
                line=markdown.count("\n", 0, start) + 1,
                block=block[2],
                marked=bool(TRANSLATED.search(markdown[block[0] : block[1]])),
            )
        )
    for start, end, is_quote in blocks:
        if is_quote and not any(start <= _offset(markdown, q.line) < end for q in found):
            body = markdown[start:end].split("\n")[1:]
            lines = [ln.strip() for ln in body if ln.strip() and not re.fullmatch(r"\*[^*].*\*", ln.strip())]
            if lines:
                found.append(
                    Quotation(
                        text=" ".join(lines),
                        line=markdown.count("\n", 0, start) + 2,
                        block=True,
                        marked=bool(TRANSLATED.search(markdown[start:end])),
                    )
                )
    return sorted(found, key=lambda q: q.line)


def _offset(markdown: str, line: int) -> int:
    """The offset of a 1-based line's start."""
    offset = 0
    for _ in range(line - 1):
        offset = markdown.index("\n", offset) + 1
    return offset


def checked(q: Quotation, lang: str, source: str) -> bool:
    """Whether the rule asks for this quotation to be found in its source."""
    if lang == source:
        return q.block or words(q.text) >= MIN_WORDS
    sentence = q.text.rstrip()[-1:] in ".?!…,;:"
    return (q.block or (words(q.text) >= MIN_WORDS_EN and sentence)) and not q.marked


def site_words(root: Path) -> dict[str, list[str]]:
    """Per language, the site's own words (`data/labels.yml`), normalised: a page that names a link or a
    notice of the site in « » (« Signaler une erreur sur cette page », « à mettre à jour ») quotes the
    site, not a source."""
    from .yamlfile import load_yaml

    doc, _ = load_yaml(root / "data" / "labels.yml", "data/labels.yml")
    found: dict[str, list[str]] = {}
    for text in ((doc.data.get("labels") or {}) if doc is not None else {}).values():
        for lang, words_ in (text.items() if isinstance(text, dict) else ()):
            if isinstance(words_, str):
                found.setdefault(lang, []).append(normalise(plain(words_))[0])
    return found


def _the_sites_own(q: Quotation, own: list[str]) -> bool:
    """The quotation is one of the site's labels, or its beginning (a label less its last words in brackets)."""
    said = normalise(plain(q.text))[0]
    return bool(said) and any(label.startswith(said) for label in own)


def check_text(markdown: str, lang: str, sources: list[Source], file: str, first_line: int = 1, field: str = "",
               line_of=None, own: list[str] = (), *, source: str) -> list[Problem]:
    """The problems of one text: each checked quotation not found in any of `sources` (quotations of the
    site's own words, `own`, are not checked); `source`: the site's source language."""
    if not sources:
        return []
    problems = []
    for q in quotations(markdown, lang, source):
        if not checked(q, lang, source) or _the_sites_own(q, own):
            continue
        missing = [p for p in parts(q.text) if not any(s.find(p) for s in sources)]
        if not missing:
            continue
        line = line_of(q.line) if line_of else first_line + q.line - 1
        problems.append(Problem(file, line, field, _message(q, lang == source, missing[0], sources)))
    return problems


def _message(q: Quotation, in_source: bool, part: str, sources: list[Source]) -> str:
    score, passage, where = max(((*s.closest(part), s.id) for s in sources), key=lambda x: x[0])
    shown = " ".join(plain(q.text).split())
    shown = shown if len(shown) <= 160 else shown[:157] + "…"
    if len(passage) > 240:
        passage = passage[:237] + "…"
    names = ", ".join(s.id for s in sources)
    if in_source:
        fix = "quote the source exactly (an insertion of yours in [square brackets], a cut as […]), or remove the « » and reword"
    else:
        fix = (
            "an English quotation of a French source is a translation: add \"(translated from the French)\" to its "
            "paragraph or block, or remove the quotation marks"
        )
    closest = f"; closest passage in {where}: «{passage}»" if passage else ""
    return f"quotation «{shown}» is not in its source ({names}){closest}: {fix}"


# ---------------------------------------------------------------- the site: pages and data


def _front_sources(meta: dict) -> list[str]:
    value = meta.get("sources") or []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _page_sources(root: Path) -> dict[str, list[str]]:
    """For each data file, the sources of the pages that show it (directives, generated pages)."""
    from .translations import split_front_matter
    from .yamlfile import load_yaml

    kinds_doc, _ = load_yaml(root / "data" / "kinds.yml", "data/kinds.yml")
    directive_kind: dict[str, str] = {}
    by_kind: dict[str, list[str]] = {}
    for kind in (kinds_doc.data or {}).get("kinds", []) if kinds_doc else []:
        for d in kind.get("directives") or []:
            directive_kind[d["name"]] = kind["name"]
        by_kind.setdefault(kind["name"], []).extend((kind.get("pages") or {}).get("sources") or [])
    for path in sorted((root / "content").rglob("*.md")):
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        for name in re.findall(r"<!--\s*kb:([\w-]+)", body):
            if name in directive_kind:
                ids = by_kind.setdefault(directive_kind[name], [])
                ids += [s for s in _front_sources(meta) if s not in ids]
    return by_kind


def _record_sources(record, fields: tuple[str, ...]) -> list[str] | None:
    """The sources a record quotes: its fields that refer to the bibliography (`x-ref` in its schema)."""
    if not isinstance(record, dict):
        return None
    if record.get("kind") == "source" and record.get("id"):  # a source's own bibliography entry quotes it
        return [record["id"]]
    for key in fields:
        value = record.get(key)
        if value:
            return [value] if isinstance(value, str) else list(value)
    return None


def _walk(value, path: tuple, out: list, langs: Languages):
    """(path, language, text) of every text of a data record; a bare string counts as the source language's."""
    if isinstance(value, dict):
        for key, sub in value.items():
            if isinstance(sub, str) and key in langs.all:
                out.append((path + (key,), key, sub))
            else:
                _walk(sub, path + (key,), out, langs)
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            _walk(sub, path + (i,), out, langs)
    elif isinstance(value, str):
        out.append((path, langs.source, value))


SKIPPED_DATA = {"labels", "kinds"}  # the site's own words and wiring: no source


def check_data(root: Path, sources: dict[str, Source], langs: Languages) -> list[Problem]:
    from .data import records_key, reference_fields
    from .yamlfile import load_yaml

    problems: list[Problem] = []
    shown_by = _page_sources(root)
    for path in sorted((root / "data").glob("*.yml")):
        if path.stem in SKIPPED_DATA:
            continue
        display = path.relative_to(root).as_posix()
        doc, _ = load_yaml(path, display)
        if doc is None or not isinstance(doc.data, dict):
            continue  # its own problems are reported by the data check
        try:
            key = records_key(doc.data)
        except Exception:
            continue
        refers = reference_fields(root, path.stem, "bibliography")
        for index, record in enumerate(doc.data.get(key) or []):
            ids = _record_sources(record, refers) or shown_by.get(path.stem, [])
            docs = [sources[i] for i in ids if i in sources]
            texts: list = []
            _walk(record, (key, index), texts, langs)
            for field, lang, text in texts:
                if field[-1] in ("id", "source", "sources", "cited_by", "url", "date"):
                    continue
                line = doc.line_of(field) or 1
                problems += check_text(text, lang, docs, display, field=field_path(field), line_of=lambda n, line=line: line + n - 1,
                                   source=langs.source)
    return problems


def check_pages(root: Path, sources: dict[str, Source], source: str) -> list[Problem]:
    from .translations import split_front_matter

    problems: list[Problem] = []
    content = root / "content"
    own = site_words(root)
    for lang_dir in sorted(p for p in content.iterdir() if p.is_dir() and p.name != "assets"):
        for path in sorted(lang_dir.rglob("*.md")):
            text = path.read_text(encoding="utf-8")
            meta, body = split_front_matter(text)
            docs = [sources[i] for i in _front_sources(meta) if i in sources]
            offset = text[: len(text) - len(body)].count("\n")
            display = path.relative_to(root).as_posix()
            problems += check_text(body, lang_dir.name, docs, display, first_line=offset + 1,
                                   own=own.get(lang_dir.name, []), source=source)
    return problems


def source_problems(root: Path) -> list[Problem]:
    """Each `kind: source` entry of the bibliography has its text in sources/<id>.txt, and no text is a stranger."""
    from .yamlfile import load_yaml

    doc, _ = load_yaml(root / "data" / "bibliography.yml", "data/bibliography.yml")
    if doc is None:
        return []
    problems = []
    entries = doc.data.get("documents") or []
    ids = {e.get("id") for e in entries if isinstance(e, dict) and e.get("kind") == "source"}
    for index, entry in enumerate(entries):
        if isinstance(entry, dict) and entry.get("kind") == "source" and not (root / SOURCES_DIR / f"{entry['id']}.txt").is_file():
            problems.append(doc.problem(("documents", index, "id"), f"this source's text is missing: add it as {SOURCES_DIR}/{entry['id']}.txt (the quotations from it are checked against it)"))
    for path in sorted((root / SOURCES_DIR).glob("*.txt")):
        if path.stem not in ids:
            problems.append(Problem(f"{SOURCES_DIR}/{path.name}", None, "", f"no entry of data/bibliography.yml with id {path.stem} and kind: source: rename the file after its entry's id"))
    return problems


def check_tree(root: Path) -> list[Problem]:
    """Every problem of the quotations of pages and data, and of the sources' files; the languages of the
    project at `root`, read once from its mkdocs.yml."""
    langs = read_languages(root / "mkdocs.yml")
    sources = load_sources(root)
    return source_problems(root) + check_pages(root, sources, langs.source) + check_data(root, sources, langs)


if __name__ == "__main__":  # a listing for editors: python -m kb.quotes (from hooks/)
    import sys

    from .problems import listing

    from .languages import PROJECT

    found = check_tree(PROJECT)
    print("\n".join(listing(sorted(set(found), key=lambda p: (p.file, p.line or 0)))))
    sys.exit(1 if found else 0)
