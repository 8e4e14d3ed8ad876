"""Typography check: the house rules of docs/translators.md, line by line.

The rules are those of a language (RULES), applied to the text in that
language: pages in content/<language>/, a data field's text in that
language, and the titles of documents written in it. French text follows
French typography: curly apostrophes, a no-break space before `: ; ? !` and
inside « », ordinals in the house form `25^e^`, a narrow no-break space
before `%`, "Nations unies". English text uses curly quotation marks and
apostrophes. A language of the site without rules here (one added in
mkdocs.yml) is not checked: English or French rules would be wrong for it.

Only the text a reader sees is checked: code, URLs, link targets, HTML tags
and their attributes, attribute lists (`{ #id }`, `{: lang=es }`),
directive comments, footnote and abbreviation markers, front matter keys
and the quotes around Markdown syntax are left alone. Passages marked as
another language (`<span lang="en">…</span>` in French text,
`*Trabajo Digno*{: lang=es }`) are left alone too.

Every problem is reported as `file:line: what to fix` (data:
`file:line: field: what to fix`). `fix_line` applies the fixes that are safe
to make without a human (`python -m kb.typography --fix`); a straight
double quote in French text is only reported, since only a person can tell
where the quotation starts and ends.
"""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from pathlib import Path

import yaml

from . import languages
from .problems import Problem, field_path
from .yamlfile import load_yaml

NBSP = "\u00a0"  # no-break space, before : and inside « »
NNBSP = "\u202f"  # narrow no-break space, before ; ? ! and %
NO_BREAK = NBSP + NNBSP
HOLE = "\x00"  # stands for a masked character: never part of the text checked

# Inline syntax that is not text, masked before checking (order does not matter: spans are merged).
_MASKS = [
    r"`[^`]*`",  # inline code
    r"<!---?>|<!--(?:(?!<!--).)*?-->",  # directive and other comments (an <!-- inside one is refused: kb.directives)
    r"<(?!/?sup>)[a-zA-Z/][^<>]*>",  # HTML tags with their attributes, autolinks <https://…> (not <sup>: see ordinals)
    r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)",  # link and image targets: ](target "title")
    r"!\[",  # image start
    r"\{\s*[:#.][^{}]*\}",  # attribute lists and heading ids
    r"https?://[^\s)>\]]+|mailto:[^\s)>\]]+",  # bare URLs
    r"\[\^[^\]]+\]:?",  # footnote references and definitions
    r"^\s*\*\[[^\]]+\]:",  # abbreviation definitions
    r"^\s*\[[^\]]+\]:\s*\S+",  # link reference definitions
    r"(?<![\w:]):[a-z0-9_+-]+:(?![\w:])",  # icons and emoji shortcodes, :material-chart-bar:
    r"&#?\w+;",  # HTML entities
    r"^\s*:(?=\s)",  # definition list marker
    r"\^",  # superscript marks of 25^e^
]
_MASK_RE = re.compile("|".join(f"(?:{m})" for m in _MASKS), re.MULTILINE)
# admonitions, collapsible blocks and content tabs: `!!! note "Title"`, `??? tip "Title"`, `=== "Title"`
_ADMONITION = re.compile(r'^(\s*(?:(?:!!!|\?\?\?\+?)\s+[\w-]+(?:\s+[\w-]+)*|===!?\+?))(?:\s+(")([^"]*)("))?')
_TABLE_RULE = re.compile(r"^[\s:|-]+$")  # one class, not three that overlap: no backtracking on long lines


@cache
def _foreign(lang: str) -> re.Pattern:
    """Passages marked as in a language other than `lang`, left out of its checks."""
    code = re.escape(lang)
    return re.compile(
        rf"<(\w+)\s+lang=\"(?!{code}\")[a-zA-Z-]{{2,}}\"[^>]*>.*?</\1>"
        rf"|\*[^*\n]+\*\{{:\s*lang=(?!{code}\b)[a-zA-Z-]{{2,}}\s*\}}",
    )


_ORDINAL = re.compile(
    r"(?<![\w^])(\d+|[IVXLC]{2,})(?:<sup>(er|re|e|ème)</sup>|(ᵉʳ|ʳᵉ|ᵉ)|(ème|eme|er|re|e)(?![\w^]))",
)
_ORDINAL_FORM = {"er": "er", "ᵉʳ": "er", "re": "re", "ʳᵉ": "re"}
_SIGN = re.compile(r"(.)([;:?!])")
_DIGIT_TIME = re.compile(r"\d[:]\d")


def mask(line: str, lang: str) -> str:
    """The line with everything that is not text replaced by HOLE characters (same length)."""
    chars = list(line)

    def hide(start: int, end: int) -> None:
        chars[start:end] = HOLE * (end - start)

    if _TABLE_RULE.match(line):
        return HOLE * len(line)
    m = _ADMONITION.match(line)
    if m:
        hide(0, m.end(1))
        if m.group(2):
            hide(m.start(2), m.end(2))
            hide(m.start(4), m.end(4))
    for m in _MASK_RE.finditer(line):
        hide(m.start(), m.end())
    for m in _foreign(lang).finditer(line):
        hide(m.start(), m.end())
    return "".join(chars)


def _word_at(line: str, i: int) -> str:
    """The word around position i, for messages (at most 40 characters each side: a line without
    spaces would make every message read the whole line)."""
    start = i
    while start > max(0, i - 40) and not line[start - 1].isspace():
        start -= 1
    end = i + 1
    while end < min(len(line), i + 41) and not line[end].isspace():
        end += 1
    return line[start:end].strip("*_()[],.")


def _french(text: str, line: str) -> list[str]:
    out = []
    for i, ch in enumerate(text):
        if ch == "'":
            out.append(f"straight apostrophe in French text ({_word_at(line, i)}): write ’")
        elif ch == '"':
            out.append("straight double quote in French text: quote with « » and a no-break space inside")
    for m in _SIGN.finditer(text):
        before, sign = m.group(1), m.group(2)
        if before in NO_BREAK or before == HOLE or before == sign:
            continue
        if sign == ":" and _DIGIT_TIME.match(text, m.start(1)):
            continue
        if before in "!?;:" and before != sign:  # ?! and the like: the space goes before the first sign only
            continue
        if before == " ":
            out.append(f"ordinary space before “{sign}”: use a no-break space ({'U+00A0' if sign == ':' else 'U+202F'})")
        elif sign == ":" and m.start(1) == 0:
            continue
        else:
            out.append(f"no space before “{sign}” ({_word_at(line, m.start(2))}): add a no-break space")
    for m in re.finditer("«(.?)", text):
        if m.group(1) not in NO_BREAK:
            out.append("« must be followed by a no-break space (U+00A0)")
    for m in re.finditer("(.?)»", text):
        if m.group(1) not in NO_BREAK:
            out.append("» must follow a no-break space (U+00A0)")
    for _m in re.finditer(r"\d([ \u00a0]?)%", text):
        out.append("“%” must follow a narrow no-break space (U+202F)")
    for m in _ORDINAL.finditer(text):
        if HOLE in m.group(0):
            continue
        out.append(f"ordinal “{line[m.start():m.end()]}” is not in the house form: write {_house_ordinal(m)}")
    for _m in re.finditer(r"Nations Unies", text):
        out.append("“Nations Unies”: write “Nations unies”")
    return out


def _house_ordinal(m: re.Match) -> str:
    suffix = m.group(2) or m.group(3) or m.group(4)
    return f"{m.group(1)}^{_ORDINAL_FORM.get(suffix, 'e')}^"


def _english(text: str, line: str) -> list[str]:
    out = []
    for i, ch in enumerate(text):
        if ch == '"':
            out.append("straight double quote in English text: write “ or ”")
        elif ch == "'":
            out.append(f"straight apostrophe in English text ({_word_at(line, i)}): write ’ (or ‘ ’ around a quotation inside a quotation)")
    return out


# language -> its rules: (masked text, line) -> what to fix
RULES = {"fr": _french, "en": _english}


def check_line(line: str, lang: str) -> list[str]:
    """What to fix in one line of text in `lang`, in plain words (nothing for a language without rules)."""
    rules = RULES.get(lang)
    if len(line) > MAX_LINE:
        return []  # refused, with its line, by the page's or the data's own checks (kb.pagefile, kb.safety)
    return rules(mask(line, lang), line) if rules else []


MAX_LINE = 20_000  # characters: a page's paragraph, a data text (longer ones are refused where they are read)


# --- Fixes -------------------------------------------------------------------


def _apply(line: str, lang: str, pattern: str, repl) -> str:
    """Replace matches of `pattern` that touch no masked character."""
    text = mask(line, lang)
    out, last = [], 0
    for m in re.finditer(pattern, text):
        if HOLE in m.group(0):
            continue
        out.append(line[last : m.start()])
        out.append(repl(m, line[m.start() : m.end()]))
        last = m.end()
    out.append(line[last:])
    return "".join(out)


def _fix_quotes(line: str) -> str:
    """Straight quotes and apostrophes of English text made curly: opening after a space or a bracket."""
    text = mask(line, "en")
    out = list(line)
    for i, ch in enumerate(text):
        if ch not in "'\"":
            continue
        prev = line[i - 1] if i else ""
        if ch == "'" and prev.isalnum():
            out[i] = "’"
            continue
        opening = prev == "" or prev.isspace() or prev in "([{—–/"
        out[i] = ("‘" if opening else "’") if ch == "'" else ("“" if opening else "”")
    return "".join(out)


def _fix_french(line: str) -> str:
    lang = "fr"
    line = _apply(line, lang, "'", lambda m, s: "’")
    line = _apply(line, lang, r" ([;?!])", lambda m, s: NNBSP + m.group(1))
    line = _apply(line, lang, r" :", lambda m, s: NBSP + ":")
    line = _apply(line, lang, r"«(?![\u00a0\u202f])[ ]?", lambda m, s: "«" + NBSP)
    line = _apply(line, lang, r"(?<![\u00a0\u202f])[ ]?»", lambda m, s: NBSP + "»")
    line = _apply(line, lang, r"(\d)[ \u00a0]?%", lambda m, s: m.group(1) + NNBSP + "%")
    line = _apply(line, lang, _ORDINAL.pattern, lambda m, s: _house_ordinal(m))
    return _apply(line, lang, r"Nations Unies", lambda m, s: "Nations unies")


# language -> the fixes of its rules that are safe to make without a human
FIXES = {"fr": _fix_french, "en": _fix_quotes}


def fix_line(line: str, lang: str) -> str:
    """The line with the safe fixes applied (never inside code, URLs, tags or attributes)."""
    fix = FIXES.get(lang)
    return fix(line) if fix else line


# --- Files -------------------------------------------------------------------


def page_lines(text: str):
    """(line number, text to check) for a Markdown page: front matter `description:` only, no code blocks."""
    lines = text.removeprefix("\ufeff").split("\n")  # a byte-order mark, as the build reads it (kb.pagefile)
    i = 0
    if lines and lines[0].strip() == "---":
        for j in range(1, len(lines)):
            if lines[j].strip() in ("---", "..."):  # MkDocs' front matter ends with either
                for k in range(1, j):
                    m = re.match(r'description:\s*(?:"(.*)"|(.*))$', lines[k])
                    if m:
                        yield k + 1, (m.group(1) if m.group(1) is not None else m.group(2))
                i = j + 1
                break
    fence = None
    comment = False
    for n in range(i, len(lines)):
        line = lines[n]
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence):
                fence = None
            continue
        m = re.match(r"(`{3,}|~{3,})", stripped)
        if m:
            fence = m.group(1)
            continue
        if comment:
            if "-->" in line:
                comment = False
            continue
        if "<!--" in line and "-->" not in line[line.index("<!--") :]:
            comment = True
            continue
        yield n + 1, line


def check_page(path: Path, display: str, lang: str) -> list[Problem]:
    problems = []
    for n, line in page_lines(path.read_text(encoding="utf-8")):
        problems += [Problem(display, n, "", message) for message in check_line(line, lang)]
    return problems


def _texts(value, path, langs: languages.Languages):
    """(path, lang, text) of every text in data: each language's text of a translated field
    (keyed by the site's languages, the source's among them), titles in their `lang`."""
    if isinstance(value, dict):
        if isinstance(value.get(langs.source), str) and set(value) <= set(langs.all):
            for lang in langs.all:
                if isinstance(value.get(lang), str):
                    yield (*path, lang), lang, value[lang]
            return
        for key, sub in value.items():
            if key == "title" and isinstance(sub, str) and isinstance(value.get("lang"), str):
                yield (*path, key), value["lang"], sub
            else:
                yield from _texts(sub, (*path, key), langs)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, (*path, i), langs)


def check_data(path: Path, display: str, langs: languages.Languages | None = None) -> list[Problem]:
    doc, problems = load_yaml(path, display)
    if doc is None:
        return problems
    out = []
    for field, lang, text in _texts(doc.data, (), langs or languages.project()):
        for message in check_line(text, lang):
            out.append(Problem(display, doc.line_of(field), field_path(field, doc.data), message))
    return out


def check_tree(root: Path, skip: frozenset[str] = frozenset()) -> list[Problem]:
    """Every page of every language folder and every data file under `root`, except the paths in `skip`."""
    langs = languages.read(root / "mkdocs.yml")
    problems = []
    for lang in langs.all:
        for page in sorted((root / "content" / lang).rglob("*.md")):
            display = page.relative_to(root).as_posix()
            if display not in skip:
                problems += check_page(page, display, lang)
    for data in sorted((root / "data").glob("*.yml")):
        display = data.relative_to(root).as_posix()
        if display not in skip:
            problems += check_data(data, display, langs)
    if "mkdocs.yml" not in skip and (root / "mkdocs.yml").is_file():
        problems += check_config(root / "mkdocs.yml", langs)
    return problems


def check_config(path: Path, langs: languages.Languages) -> list[Problem]:
    """The texts of mkdocs.yml that readers see: the navigation's titles (in the source language)
    and their translations (`nav_translations`), each language's site name and description."""
    from .links import nav_entries, read_config

    text = path.read_text(encoding="utf-8")
    config = read_config(text)
    lines = text.split("\n")
    texts: list[tuple[str, str, str]] = []  # (field, language, text)
    for titles, _path in nav_entries(config.get("nav")):
        if titles:
            texts.append(("nav", langs.source, titles[-1]))
    for plugin in config.get("plugins") or []:
        i18n = plugin.get("i18n") if isinstance(plugin, dict) else None
        for lang in (i18n or {}).get("languages") or []:
            code = lang.get("locale")
            for title in (lang.get("nav_translations") or {}).values():
                texts.append(("nav_translations", code, str(title)))
            for key in ("site_name", "site_description"):
                if isinstance(lang.get(key), str):
                    texts.append((key, code, lang[key]))

    nav_start = next((n for n, line in enumerate(lines) if line.startswith("nav:")), 0)

    def line_of(value: str, start: int = 0) -> int | None:
        return next((n for n, line in enumerate(lines[start:], start + 1) if value in line), None)

    out = []
    for field, lang, value in dict.fromkeys(texts):
        for message in check_line(value, lang):
            where = line_of(value.split("\n")[0][:40], nav_start if field == "nav" else 0)
            out.append(Problem("mkdocs.yml", where, field, message))
    return out


def _fix_page(path: Path, lang: str) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    for n, _ in list(page_lines(text)):
        line = lines[n - 1]
        m = re.match(r'(description:\s*")(.*)("\s*)$', line) if n < 20 and line.startswith("description:") else None
        if m:
            lines[n - 1] = m.group(1) + fix_line(m.group(2), lang) + m.group(3)
        elif line.startswith("description:"):
            lines[n - 1] = "description: " + fix_line(line[len("description: ") :], lang)
        else:
            lines[n - 1] = fix_line(line, lang)
    path.write_text("\n".join(lines), encoding="utf-8")


def _fix_quoted(quoted: str, lang: str) -> str:
    """The inside of a YAML double-quoted text, fixed: read with its escapes (`\\"`, `\\u00a0`),
    fixed as text, written back with JSON's escapes, which YAML reads the same way."""
    text = yaml.safe_load(f'"{quoted}"') if "\\" in quoted else quoted
    fixed = fix_line(text, lang)
    return quoted if fixed == text else json.dumps(fixed, ensure_ascii=False)[1:-1]


def _fix_data(path: Path, langs: languages.Languages) -> None:
    codes = "|".join(re.escape(lang) for lang in langs.all)
    value = re.compile(rf'(\b({codes}):\s*")((?:[^"\\]|\\.)*)(")')
    lines = path.read_text(encoding="utf-8").split("\n")
    for n, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            continue
        lines[n] = value.sub(lambda m: m.group(1) + _fix_quoted(m.group(3), m.group(2)) + m.group(4), line)
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv=None) -> int:
    """`python -m kb.typography [--fix]`, run from hooks/: list (or fix, then list) what breaks the rules."""
    argv = sys.argv[1:] if argv is None else argv
    root = languages.PROJECT
    if "--fix" in argv:
        langs = languages.read(root / "mkdocs.yml")
        for lang in langs.all:
            for page in sorted((root / "content" / lang).rglob("*.md")):
                _fix_page(page, lang)
        for data in sorted((root / "data").glob("*.yml")):
            _fix_data(data, langs)
    problems = check_tree(root)
    for p in problems:
        print(p)
    print(f"{len(problems)} typography problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
