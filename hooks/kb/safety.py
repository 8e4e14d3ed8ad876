"""Nothing an editor writes may run in a reader's browser.

Three layers, each complete on its own:

1. **Data text** (`check_data_text`): every string of every data file is
   rendered as the inline Markdown it becomes on a page and may only produce
   emphasis, strong, superscript, code, a `lang` attribute and links to
   `http(s):`, `mailto:` or pages of the site. Raw HTML is refused outright.
2. **Page content** (`check_html`): the HTML of every page's body, whatever
   wrote it (a Markdown page, a directive, a generated page), is read with an
   HTML parser: no script, frame, object, form, meta or base element, no
   `on…=` attribute, no URL with another scheme than `http(s):`, `mailto:`,
   `tel:` or a relative address.
3. **The browser** (`policy_tags`, printed first in `<head>` by `overrides/main.html`;
   `add_policy` for the page listing a page's problems): every page carries a Content-Security-Policy
   that allows only the site's own files and the inline scripts written in the
   theme's templates, by hash (a fixed set, never read from a page), and a
   `no-referrer` policy.

The output gate (`gate.py`) checks every published file again, with a browser's
HTML parser: it is the guarantee; these checks give early, precise messages.
"""

from __future__ import annotations

import base64
import hashlib
import re
import sys
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from .languages import PROJECT  # the repository's own folders (overrides/): where the code is, not configuration


@cache
def code() -> str:
    """A hash of this module's source: part of the key of every cached HTML check (the build's page
    cache, `make check`'s), so that a change of the check checks every page again."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


# --- URLs ---------------------------------------------------------------------

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# What browsers ignore inside a URL before reading its scheme (tabs, new lines, controls, spaces).
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")


def unsafe_url(url: str, schemes=SAFE_SCHEMES) -> str | None:
    """Why `url` may not be a link target (None when it is safe): a relative address or an allowed scheme."""
    cleaned = _IGNORED.sub("", url)
    if cleaned.replace("\\", "/").startswith("//"):  # browsers read \ as / (/\host is //host)
        return f'"{url}" leaves the site without saying how: write the full address, starting with https://'
    scheme = urlsplit(cleaned).scheme.lower() if ":" in cleaned.split("/", 1)[0] else ""
    if scheme and scheme not in schemes:
        allowed = ", ".join(f"{s}:" for s in sorted(schemes))
        return f'links may only use {allowed} or point to a page of the site, not "{scheme}:"'
    return None


# --- HTML ---------------------------------------------------------------------

# Elements that run code, load other documents, send data or change the page's base.
FORBIDDEN_TAGS = frozenset(
    {
        "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link",
        "form", "template", "portal", "noscript", "foreignobject", "animate", "animatemotion",
        "animatetransform", "set", "handler", "listener", "style",
    }
)  # fmt: skip
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "poster", "data", "cite", "background", "ping", "xlink:href", "srcset"}
)
# Attributes that make a document load or run something without a URL attribute.
FORBIDDEN_ATTRIBUTES = frozenset({"srcdoc", "http-equiv"})


class _Reader(HTMLParser):
    def __init__(self, visit):
        super().__init__(convert_charrefs=True)
        self.visit = visit

    def handle_starttag(self, tag, attrs):
        self.visit(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self.visit(tag, attrs)


def check_html(html: str) -> list[tuple[str, str]]:
    """Problems of a page's content: (the text to look for in the source, what is wrong)."""
    found: list[tuple[str, str]] = []

    def visit(tag: str, attrs):
        if tag in FORBIDDEN_TAGS:
            found.append((f"<{tag}", f"a <{tag}> element is not allowed in pages: it could run code or load "
                                     "another site in readers' browsers; remove it"))  # fmt: skip
        for name, value in attrs:
            if name.startswith("on"):
                found.append((name, f"the attribute {name}=… would run code in readers' browsers; remove it"))
            elif name in FORBIDDEN_ATTRIBUTES:
                found.append((name, f"the attribute {name}=… is not allowed in pages; remove it"))
            elif name in URL_ATTRIBUTES and value:
                urls = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
                for url in urls:
                    why = unsafe_url(url)
                    if why:
                        found.append((url.strip()[:40] or name, why))

    _Reader(visit).feed(html)
    return found


def locate(source: str, needle: str) -> int | None:
    """The 1-based line of `source` where `needle` first appears (case-insensitive), if it does."""
    at = source.lower().find(needle.lower())
    return source.count("\n", 0, at) + 1 if at >= 0 else None


# --- Data text: a safe inline Markdown subset ---------------------------------

INLINE_TAGS = frozenset({"p", "em", "strong", "sup", "code", "a"})
LANG_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# A raw HTML tag, comment or declaration (an autolink <https://…> is Markdown, not HTML).
RAW_HTML = re.compile(r"<(?!(?:https?|mailto):)[/!?]?[A-Za-z!]")
SUBSET = (
    "*emphasis*, **strong**, ^superscript^ (e.g. 6^e^), [a link](https://…), "
    "and *a title in another language*{: lang=es }"
)


@cache
def _markdown():
    import markdown

    return markdown.Markdown(extensions=["attr_list", "pymdownx.caret"])


# Markdown looks ahead from every `[` for its `]`: far more than any data text has (one).
MAX_BRACKETS = 50
MAX_TEXT = 20_000  # characters, like a page's paragraph (kb.pagefile)

# What makes a spreadsheet read a cell of the open data's CSV as a formula (=HYPERLINK(…) sends the
# sheet's cells away when clicked; =cmd|… asks to run a program): =, +, - or @ first, after blanks (and,
# in data text, Markdown's emphasis and link brackets, which the CSV's plain text drops)
FORMULA = re.compile(r"^[\s*_\[]*[=+\-@\uff1d\uff0b\uff0d\uff20]")
FORMULA_MESSAGE = ("would be a formula in the spreadsheets that open the open data's CSV (=, +, - or @ "
                   "first): begin the text otherwise")  # fmt: skip


def formula(text: str) -> bool:
    """Whether `text`, a cell of a CSV table, is read as a formula by spreadsheets (a number is not)."""
    if not FORMULA.match(text):
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False


def check_data_text(text: str) -> list[str]:
    """What is wrong with `text` as data text (empty when it is in the safe inline Markdown subset)."""
    if len(text) > MAX_TEXT:
        return [f"this text has {len(text):,} characters; at most {MAX_TEXT:,}: shorten it"]
    if formula(text):
        return [f'"{text.strip()[:30]}" {FORMULA_MESSAGE}']
    if not any(c in text for c in "<[{&"):
        return []  # without these, Markdown can make no link, attribute or tag
    if text.count("[") > MAX_BRACKETS:
        return [f"this text has {text.count('[')} [ ; at most {MAX_BRACKETS}: a link is written [text](https://…)"]
    problems: list[str] = []
    raw = RAW_HTML.search(text)
    if raw:
        end = text.find(">", raw.start())
        snippet = (
            text[raw.start() : end + 1] if 0 <= end < raw.start() + 60 else text[raw.start() : raw.start() + 40] + "…"
        )
        return [f"raw HTML ({snippet}) is not allowed in data text; write Markdown instead: {SUBSET}"]
    md = _markdown()
    md.reset()
    html = md.convert(text)

    def visit(tag: str, attrs):
        if tag not in INLINE_TAGS:
            problems.append(f"only inline Markdown is allowed in data text ({SUBSET}); this makes a <{tag}>")
            return
        for name, value in attrs:
            if tag == "a" and name == "href":
                why = unsafe_url(value or "")
                if why:
                    problems.append(why)
            elif name == "lang":
                if not LANG_TAG.match(value or ""):
                    problems.append(f'"{value}" is not a language code (write e.g. {{: lang=es }})')
            else:
                problems.append(f"attribute lists in data text may only set a language, {{: lang=es }}; not {name}")

    _Reader(visit).feed(html)
    return list(dict.fromkeys(problems))


# --- Content-Security-Policy --------------------------------------------------
#
# The policy is a constant of the site, never read from a built page: the inline scripts it
# allows are those of the installed theme's templates (Material's package, outside the
# repository: no file a pull request can change adds to them), in its folder of inline scripts,
# partials/javascripts/, read from the files. Our own scripts are files (content/assets/
# javascripts/, kb/tree.py's SITE_SCRIPTS). One theme script names the page's base address
# (`base_url`, "../.." from a page two folders down); its hash is computed for that address,
# which the page's place in the site gives. A script printing any other Jinja is not allowed.

SCRIPT_TEMPLATES = "partials/javascripts"  # where the theme keeps its inline scripts (Material's, and ours)
_TEMPLATE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)  # inline, no attribute: run
_BASE_URL = re.compile(r"\{\{\s*(?:config\.extra\.scope\s*\|\s*d\(\s*base_url\s*\)|base_url)\s*\}\}")
_BASE = "\x00base_url\x00"
# The theme's pages print their policy themselves (overrides/main.html, kb_policy); add_policy is
# for a page the theme does not render (problem_page).
HEAD = re.compile(r"<meta charset=[^>]*>", re.IGNORECASE)


def installed(theme_dirs) -> list[Path]:
    """The theme's folders that were installed with it, not those of the repository (overrides/), which a
    pull request could change."""
    found = []
    for folder in map(Path, theme_dirs):
        where = folder.resolve()
        if not where.is_relative_to(PROJECT) or where.is_relative_to(Path(sys.prefix).resolve()):
            found.append(folder)
    return found


@cache
def template_scripts(theme_dirs: tuple[str, ...]) -> tuple[str, ...]:
    """The inline scripts of the installed theme's templates, `_BASE` where the page's base address is
    printed; scripts that print anything else are left out (they are not allowed)."""
    found: list[str] = []
    for folder in installed(theme_dirs):
        for path in sorted((folder / SCRIPT_TEMPLATES).glob("*.html")):
            for code in _TEMPLATE_SCRIPT.findall(path.read_text(encoding="utf-8", errors="replace")):
                code = _BASE_URL.sub(_BASE, code)
                if "{{" not in code and "{%" not in code and "{#" not in code:
                    found.append(code)
    return tuple(dict.fromkeys(found))


def _sha256(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


def script_hashes(theme_dirs, base_url: str) -> list[str]:
    """CSP sources of the inline scripts the theme's templates write into a page whose base address is `base_url`."""
    return [_sha256(code.replace(_BASE, base_url)) for code in template_scripts(tuple(map(str, theme_dirs)))]


def policy(hashes: list[str]) -> str:
    """The page's policy: the site's own files, and the theme's inline scripts by hash."""
    scripts = " ".join(["'self'", *hashes, "'wasm-unsafe-eval'"])
    return (
        f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'"
    )


def policy_tags(theme_dirs, base_url: str) -> str:
    """The Content-Security-Policy and referrer policy of a page whose base address is `base_url`."""
    return (
        f'<meta http-equiv="Content-Security-Policy" content="{policy(script_hashes(theme_dirs, base_url))}">'
        '<meta name="referrer" content="no-referrer">'
    )


def add_policy(html: str, theme_dirs, base_url: str) -> str:
    """`html` with its Content-Security-Policy and referrer policy right after `<meta charset>`."""
    match = HEAD.search(html)
    if match is None:
        return html
    return html[: match.end()] + policy_tags(theme_dirs, base_url) + html[match.end() :]


# --- A page that is not published as written ----------------------------------

_PROBLEM_PAGE = """<!doctype html>
<html lang="{{ lang or 'en' }}"><head><meta charset="utf-8"><title>{{ words.title }}: {{ page }}</title></head>
<body><h1>{{ words.heading }}</h1>
<p>{{ page }}: {{ words.text }}</p>
<ul>{% for problem in problems %}<li><code>{{ problem }}</code></li>{% endfor %}</ul>
</body></html>
"""
_NOT_PUBLISHED = {  # when the labels cannot be read
    "title": "Not published",
    "heading": "This page is not published",
    "text": "this page has problems that could harm readers or that the site cannot read. Fix them; the build "
    "stops until then.",
}


def problem_page(page: str, problems: list[str], lang: str = "", words: dict | None = None) -> str:
    """What the preview shows instead of a page that must not be published: in the page's language
    `lang` with `words` (its title, heading and text: labels `not_published_*` of data/labels.yml),
    else in English. The problems themselves are in English, as the terminal prints them."""
    from jinja2 import Environment

    if not words:
        lang, words = "", _NOT_PUBLISHED
    return Environment(autoescape=True).from_string(_PROBLEM_PAGE).render(
        page=page, problems=problems, lang=lang, words=words
    )
