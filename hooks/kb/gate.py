"""The output gate: every file of a built site is verified before it is published.

The checks on inputs (data, pages, front matter, files) give early messages at
the editor's line; this gate is the guarantee. It reads what readers would get,
as a browser reads it, and lets through only what the theme, our templates and
safe Markdown produce (allow-lists, not deny-lists):

- **files**: no symbolic link, nothing but folders and regular files; each type
  by extension, where the site puts it (`_file_problems`). Scripts are the
  installed theme's (the same bytes as its file; not `overrides/`), the site's
  own (`tree.SITE_SCRIPTS`) or Pagefind's (`PAGEFIND_SCRIPTS`); an HTML file must be a page the build
  made, not one copied from `content/`.
- **HTML**, parsed with lexbor (selectolax), an HTML5 parser that reads a page
  as browsers do (`<!-->` ends a comment there): every element and attribute
  in `ELEMENTS` / `GLOBAL_ATTRIBUTES`, every URL relative or `http(s):`,
  `mailto:`, `tel:` (a `data:` URL only for the citation downloads), no `on…`
  attribute, no `<base>`, `<meta http-equiv>` only for the policy, which must
  be the page's fixed one (`safety.policy_tags`), first in `<head>`; a
  `<script>` only with the `src` of a script above, or inline with a hash of
  the theme's templates for that page (`safety.script_hashes`), or the
  theme's JSON configuration.
- **SVG**, parsed as XML as browsers open it: no DTD or entity, SVG drawing
  elements and attributes only, links to `#fragment`s only.
- **CSS**: no `@import`, `url()` only to the site's files or `data:`.

A problem names the published file and, where it can be found, the source file
and line.
"""

from __future__ import annotations

import json
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

from . import safety, tree, urls
from .problems import Problem

# --- Allow-lists ----------------------------------------------------------------

# Elements of the theme, our templates and safe Markdown (attr_list, tables, admonitions, footnotes,
# abbreviations, tabs), with the attributes each may have besides GLOBAL_ATTRIBUTES.
ELEMENTS: dict[str, frozenset[str]] = {
    name: frozenset(attrs.split())
    for name, attrs in {
        "html": "", "head": "", "title": "", "body": "",
        "meta": "charset name property content http-equiv", "link": "rel href hreflang type sizes media",
        "script": "src defer type",
        "header": "", "footer": "", "main": "", "nav": "", "article": "", "aside": "", "section": "",
        "div": "", "span": "", "p": "", "br": "", "hr": "", "wbr": "",
        "h1": "", "h2": "", "h3": "", "h4": "", "h5": "", "h6": "",
        "a": "href hreflang rel download type", "abbr": "", "cite": "", "q": "cite", "blockquote": "cite",
        "code": "", "pre": "", "kbd": "", "samp": "", "var": "", "em": "", "strong": "", "b": "", "i": "",
        "u": "", "s": "", "small": "", "sub": "", "sup": "", "mark": "", "del": "cite datetime",
        "ins": "cite datetime", "dfn": "", "bdi": "", "bdo": "", "time": "datetime", "address": "",
        "ul": "", "ol": "start reversed type", "li": "value", "dl": "", "dt": "", "dd": "",
        "table": "", "caption": "", "colgroup": "span", "col": "span", "thead": "", "tbody": "", "tfoot": "",
        "tr": "", "th": "colspan rowspan scope abbr style", "td": "colspan rowspan style",
        "figure": "", "figcaption": "", "picture": "", "source": "srcset media width height type",
        "img": "src alt width height loading decoding srcset sizes",
        "details": "open", "summary": "",
        "form": "action name", "fieldset": "", "legend": "", "label": "for",
        "input": "type name value checked placeholder autocomplete autocapitalize autocorrect spellcheck "
                 "required disabled",
        "button": "type",
        # Material's icons, inline
        "svg": "viewbox xmlns width height fill focusable", "path": "d fill fill-rule clip-rule",
        "g": "fill", "circle": "cx cy r fill", "rect": "x y width height rx ry fill",
    }.items()
}  # fmt: skip
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "lang", "dir", "title", "hidden", "tabindex", "role", "translate"})
GLOBAL_PREFIXES = ("aria-", "data-")
NAMED = re.compile(r"^[a-z][a-z0-9-]*$")  # the rest of an aria-/data- attribute's name
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "action", "cite", "formaction", "poster", "data", "xlink:href"})
INPUT_TYPES = frozenset({"checkbox", "radio", "text", "search"})
BUTTON_TYPES = frozenset({"button", "reset", "submit"})
LINK_RELS = frozenset({"stylesheet", "alternate", "icon", "canonical", "next", "prev", "license"})
LOADED_RELS = frozenset({"stylesheet", "icon"})  # what a browser loads by itself, of LINK_RELS
META_NAMES = frozenset({"viewport", "description", "generator", "referrer", "twitter:card", "theme-color"})
ALIGN = re.compile(r"^text-align:\s*(left|right|center);?$")
# the citation's downloads (hooks/kb/cite.py): data: URLs of these types, on <a download>
DATA_DOWNLOADS = frozenset({"application/x-bibtex", "application/vnd.citationstyles.csl+json"})
CONFIG_SCRIPT = {"id": "__config", "type": "application/json"}  # the theme's settings, not code

IMAGE_MAGIC = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".avif": (b"\x00\x00\x00",),
    ".ico": (b"\x00\x00\x01\x00",),
}
DATA_TYPES = frozenset({".json", ".csv"})
PAGEFIND = "pagefind/"
PAGEFIND_INDEX = frozenset({".pagefind", ".pf_fragment", ".pf_index", ".pf_meta"})  # at any depth under pagefind/
PAGEFIND_TOP = frozenset({".css", ".json"})  # at its top only
# each language's words for "did you mean" (hooks/kb/search.py, write_words): gzip, named by their hash
SEARCH_WORDS = re.compile(r"pagefind/kb-words\.[a-z]{2,3}(?:[-_][A-Za-z0-9]+)?_[0-9a-f]{10}\.bin")
GZIP_MAGIC = b"\x1f\x8b"
PAGEFIND_SCRIPTS = frozenset(
    f"{PAGEFIND}{name}.js"
    for name in ("pagefind", "pagefind-worker", "pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui",
                 "pagefind-highlight")
)  # fmt: skip
PUBLISHED_NAME = re.compile(r"[\w./-]+")
ONLY_AT = {".xml": {"sitemap.xml"}, ".gz": {"sitemap.xml.gz"}}

SVG_ELEMENTS = frozenset(
    "svg g path rect circle ellipse line polyline polygon text tspan title desc defs clippath lineargradient "
    "radialgradient stop mask pattern style".split()
)
SVG_ATTRIBUTES = frozenset(
    "id class version xmlns width height viewbox x y x1 x2 y1 y2 cx cy r rx ry d points transform fill "
    "fill-opacity fill-rule stroke stroke-width stroke-opacity stroke-dasharray stroke-dashoffset stroke-linecap "
    "stroke-linejoin stroke-miterlimit opacity font-family font-size font-weight font-style text-anchor "
    "dominant-baseline alignment-baseline clip-path clippathunits mask offset stop-color stop-opacity "
    "gradientunits gradienttransform patternunits preserveaspectratio role aria-label aria-hidden aria-labelledby "
    "aria-describedby aria-roledescription display visibility style pointer-events shape-rendering "
    "text-rendering letter-spacing dx dy lang".split()
)
INLINE_SVG = frozenset({"svg", "path", "g", "circle", "rect"})  # of ELEMENTS
SVG_REFERENCE = "an SVG drawing may only refer to its own parts (url(#…)), not to another file"
CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
CSS_FORBIDDEN = re.compile(r"@import|expression\s*\(|-moz-binding|(?<![\w-])behavior\s*:|javascript:", re.IGNORECASE)


@dataclass
class Site:
    """What the gate needs to know of the build: the site's folder, where its files come from."""

    folder: Path  # the folder to verify (a staging folder, or site/)
    root: Path  # the project
    site_url: str | None
    theme_dirs: tuple[str, ...]  # the theme's template folders (overrides/ first, then Material's)
    langs: tuple[str, ...]  # the source language first


# --- The gate ----------------------------------------------------------------------


def verify(site: Site, refused: set[str] | None = None) -> list[Problem]:
    """Every problem of the built site in `site.folder`; empty when it may be published. The published
    files that have problems are added to `refused` (the preview serves none of them as they are)."""
    problems: list[Problem] = []
    scripts = _allowed_scripts(site)
    for rel, info in tree.entries(site.folder, [p.name for p in sorted(site.folder.iterdir())]):
        before = len(problems)
        if isinstance(info, OSError):
            problems.append(_problem(site, rel, None, f"cannot be read ({info.strerror})"))
        elif stat.S_ISLNK(info.st_mode):
            problems.append(_problem(site, rel, None, "is a symbolic link: nothing is published through a link"))
        elif not PUBLISHED_NAME.fullmatch(rel):
            problems.append(Problem("site/" + repr(rel)[1:-1], None, "",
                                    "a published name may hold only letters, digits, -, _, . and /: no space, "
                                    "quote, new line or other sign"))  # fmt: skip
        elif stat.S_ISDIR(info.st_mode):
            continue
        elif not stat.S_ISREG(info.st_mode):
            problems.append(_problem(site, rel, None, "is not a regular file"))
        else:
            problems += _file_problems(site, rel, scripts)
        if refused is not None and len(problems) > before:
            refused.add(rel)
    _TEXTS.pop(site.root, None)
    return _grouped(site, problems)


def _allowed_scripts(site: Site) -> set[str]:
    """The site's scripts that may run: the theme's (its own bytes), the site's own, Pagefind's."""
    allowed = set()
    for path in site.folder.rglob("*.js"):
        rel = path.relative_to(site.folder).as_posix()
        if path.is_symlink():
            continue
        if rel in tree.SITE_SCRIPTS or rel in PAGEFIND_SCRIPTS:
            allowed.add(rel)
        elif _from_theme(site, rel, path):
            allowed.add(rel)
    return allowed


def _from_theme(site: Site, rel: str, path: Path) -> bool:
    """Whether `path` is a file of the installed theme, as the theme has it (not of overrides/)."""
    for folder in safety.installed(site.theme_dirs):
        original = folder / rel
        if original.is_file() and not original.is_symlink():
            return original.read_bytes() == path.read_bytes()
    return False


def _file_problems(site: Site, rel: str, scripts: set[str]) -> list[Problem]:
    path = site.folder / rel
    suffix = Path(rel).suffix.lower()
    name = rel.rsplit("/", 1)[-1]
    if any(part.startswith(".") for part in rel.split("/")):
        return [_problem(site, rel, None, "a hidden file (its name starts with a dot) is not published")]
    if suffix == ".html":
        return _html_problems(site, rel, path, scripts)
    if rel.startswith(PAGEFIND) and (suffix in PAGEFIND_INDEX or (suffix in PAGEFIND_TOP and rel.count("/") == 1)):
        # the search's index and its stylesheets, written by Pagefind
        return _css_problems(site, rel, path) if suffix == ".css" else []
    if SEARCH_WORDS.fullmatch(rel):
        with path.open("rb") as f:
            if f.read(2) == GZIP_MAGIC:
                return []
        return [_problem(site, rel, None, "the search's words must be gzip-compressed text written by the build")]
    if suffix == ".js":
        if rel in scripts:
            return []
        return [_problem(site, rel, None, "is not a script of the theme or of the site (hooks/kb/tree.py, "
                                           "SITE_SCRIPTS): no other script is published")]  # fmt: skip
    if suffix == ".map":
        if _from_theme(site, rel, path):
            return []
        return [_problem(site, rel, None, "a source map is published only with the theme's own scripts")]
    if suffix == ".css":
        return [] if _from_theme(site, rel, path) else _css_problems(site, rel, path)
    if suffix == ".svg":
        return _svg_problems(site, rel, path)
    if suffix in IMAGE_MAGIC:
        head = path.read_bytes()[:16]
        if not any(head.startswith(magic) for magic in IMAGE_MAGIC[suffix]):
            return [_problem(site, rel, None, f"is not a {suffix[1:].upper()} image, whatever its name says")]
        return []
    if suffix == ".csv":
        return _csv_problems(site, rel, path)
    if suffix in DATA_TYPES:
        return []
    if suffix in ONLY_AT and rel in ONLY_AT[suffix]:
        return _sitemap_problems(site, rel, path)
    return [_problem(site, rel, None, f"files of this type ({suffix or name}) are not published: {ALLOWED_TYPES}")]


ALLOWED_TYPES = (
    "pages made by the build (.html), images (" + ", ".join(sorted(IMAGE_MAGIC)) + ", .svg), stylesheets, "
    "the theme's and the site's scripts, the open data (.csv, .json), the search index and the sitemap"
)


# --- Where a published file comes from -------------------------------------------


def _sources(site: Site, rel: str) -> list[str]:
    """The files of the project that the published `rel` may have been made from (project-relative)."""
    published_in, rest = urls.split_language(rel, site.langs)
    found = []
    for lang in dict.fromkeys([published_in, site.langs[0]]):
        candidates = [f"content/{lang}/{rest}", f"content/{rest}"]
        candidates += [f"content/{lang}/{source}" for source in urls.page_sources(rest)]
        found += [c for c in candidates if (site.root / c).is_file() and not (site.root / c).is_symlink()]
    if rest == "404.html":
        found.append("overrides/404.html")
    return list(dict.fromkeys(found))


def _problem(site: Site, rel: str, needles, message: str) -> Problem:
    """A problem of the published `rel`, at its source file and line when they can be found."""
    sources = [s for s in _sources(site, rel) if (site.root / s).is_file()]
    for source in sources:
        text = (site.root / source).read_text(encoding="utf-8", errors="replace")
        for needle in needles or ():
            line = safety.locate(text, needle) if needle else None
            if line is not None:
                return Problem(source, line, "", f"published as {rel}: {message}")
    if sources and needles is None:  # the file as a whole: copied from the project as it is
        return Problem(sources[0], None, "", f"published as {rel}: {message}")
    for source, text in _texts(site.root):  # shown on other pages too (a title in the navigation…)
        for needle in needles or ():
            line = safety.locate(text, needle) if needle and len(needle) >= 8 else None
            if line is not None:
                return Problem(source, line, "", f"published as {rel}: {message}")
    if needles:
        message += NOWHERE
    return Problem(f"site/{rel}", None, "", message)


NOWHERE = " (found in no page, data file, template or mkdocs.yml: made by the theme or the hooks)"
_TEXTS: dict[Path, list[tuple[str, str]]] = {}


def _texts(root: Path) -> list[tuple[str, str]]:
    """The pages and data of the project (read once per gate): where a published text may come from."""
    if root not in _TEXTS:
        paths = [
            *sorted((root / "content").rglob("*.md")),
            *sorted((root / "data").glob("*.yml")),
            *sorted((root / "templates").rglob("*")),
            *sorted((root / "overrides").rglob("*.html")),
            root / "mkdocs.yml",
        ]
        _TEXTS[root] = [
            (p.relative_to(root).as_posix(), p.read_text(encoding="utf-8", errors="replace"))
            for p in paths
            if p.is_file() and not p.is_symlink()
        ]
    return _TEXTS[root]


PUBLISHED = re.compile(r"^published as (\S+): ")


def _grouped(site: Site, problems: list[Problem]) -> list[Problem]:
    """One problem of a source's line shown on several published files, naming its own published file (else
    the first) and how many more."""
    groups: dict[tuple, list[str]] = {}
    for p in problems:
        match = PUBLISHED.match(p.message)
        if match:
            key = (p.file, p.line, p.field, p.message[match.end() :])
            groups.setdefault(key, []).append(match[1])
        elif p.message.endswith(NOWHERE):  # the same text in several published files, its source unknown
            key = ("site/", p.line, p.field, p.message)
            groups.setdefault(key, []).append(p.file[len("site/") :])
        else:
            groups[(p.file, p.line, p.field, p.message)] = [""]
    out = []
    for (file, line, field, message), published in groups.items():
        others = len(published) - 1
        more = f" and {others} other file{'s' if others > 1 else ''}" if others else ""
        if file == "site/":
            file, message = f"site/{published[0]}", f"{message}{' (' + more.strip() + ')' if more else ''}"
        elif published[0]:
            published.sort(key=lambda rel: file not in _sources(site, rel))
            message = f"published as {published[0]}{more}: {message}"
        out.append(Problem(file, line, field, message))
    return out


# --- HTML ----------------------------------------------------------------------------


def page_problems(site: Site, rel: str, text: str) -> list[Problem]:
    """The problems of one page about to be written at `rel` (the preview checks each page it serves, as
    it writes it: its first pass writes the open pages straight into the served folder)."""
    problems = _html_problems(site, rel, None, _allowed_scripts(site), text)
    _TEXTS.pop(site.root, None)
    return _grouped(site, problems)


def _html_problems(site: Site, rel: str, path: Path | None, scripts: set[str], text: str = "") -> list[Problem]:
    from selectolax.lexbor import LexborHTMLParser

    copied = [s for s in _sources(site, rel) if s.endswith(".html") and s.startswith("content/")]
    if copied:
        return [_problem(site, rel, None, "an HTML file of content/ is published as it is, without the site's "
                                          "theme or checks: write the page in Markdown")]  # fmt: skip
    try:
        text = path.read_bytes().decode("utf-8") if path is not None else text
    except UnicodeDecodeError:
        return [_problem(site, rel, None, "is not UTF-8")]
    document = LexborHTMLParser(text)
    found: list[tuple[list[str] | None, str]] = []  # (what to look for in the source, what is wrong)
    base_url = urls.base_url(rel, site.site_url)
    ordered = safety.script_hashes(site.theme_dirs, base_url)
    hashes = set(ordered)
    here = rel  # where the page's relative addresses start from
    head = document.head
    first = [child for child in head.iter(include_text=False)][:2] if head is not None else []
    expected = safety.policy(ordered)
    if (
        len(first) < 2
        or first[0].tag != "meta"
        or "charset" not in first[0].attributes
        or first[1].attributes.get("http-equiv") != "Content-Security-Policy"
        or first[1].attributes.get("content") != expected
    ):
        found.append((None, "the page does not begin with the site's fixed Content-Security-Policy "
                          "(right after <meta charset>): it was not made by the build"))  # fmt: skip
    configs = 0
    ids: set[str] = set()
    for node in document.root.traverse(include_text=False):
        tag = node.tag
        if tag.startswith(("-", "_", "#")) or tag == "!doctype":
            continue  # text, comments, the doctype
        attrs = {name.lower(): (value or "") for name, value in node.attributes.items()}
        allowed = ELEMENTS.get(tag)
        if allowed is None:
            found.append((_where(node), f"a <{tag}> element is not allowed in a page: it is not one the theme, "
                                        "the site's templates or safe Markdown write"))  # fmt: skip
            continue
        if "id" in attrs:
            if attrs["id"] in ids:
                ident = attrs["id"]
                found.append(([f'id="{ident}"', f"#{ident}", *_where(node)],
                              f'the id "{ident}" is used twice in the page: the second element could take the '
                              "place of the first for the theme's scripts (its settings are read from "
                              '#__config); give it another id'))  # fmt: skip
            ids.add(attrs["id"])
        for name, value in attrs.items():
            if name in GLOBAL_ATTRIBUTES or (name in allowed and name not in URL_ATTRIBUTES):
                continue  # the common case, quickly
            ctx = lambda: [f"{name}=", value[:40], *_where(node)]  # noqa: E731 (only when a problem is found)
            if name.startswith("on"):
                found.append((ctx(), f"the attribute {name}=… on <{tag}> would run code in readers' browsers"))
            elif not _attribute_allowed(tag, name, allowed):
                found.append((ctx(), f"the attribute {name}= is not allowed on <{tag}>"))
            elif name in URL_ATTRIBUTES:
                for url in _urls(name, value):
                    why = _url_problem(tag, attrs, url) or _load_problem(tag, name, attrs, url, site)
                    if why:
                        found.append(([url[:40], *ctx()], why))
        why = _element_problem(tag, attrs, node, here, site, scripts, hashes)
        if tag == "script" and attrs == CONFIG_SCRIPT:
            configs += 1
            why = why or ("the theme's configuration appears more than once" if configs > 1 else None)
        if why:
            found.append(([(node.text(deep=True) or "").strip()[:40], *_where(node)], why))
    return _problems(site, rel, found)


def _where(node) -> list[str]:
    """What to look for in the source to find an element: its start, then its tag."""
    return [(node.html or "")[:40], f"<{node.tag}"]


def _attribute_allowed(tag: str, name: str, allowed: frozenset[str]) -> bool:
    if name in GLOBAL_ATTRIBUTES or name in allowed:
        return True
    return any(name.startswith(p) and NAMED.match(name[len(p) :]) for p in GLOBAL_PREFIXES)


def _urls(name: str, value: str) -> list[str]:
    if name == "srcset":
        return [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
    return [value]


def _url_problem(tag: str, attrs: dict[str, str], url: str) -> str | None:
    cleaned = safety._IGNORED.sub("", url).lower()
    if cleaned.startswith("data:"):
        kind = cleaned[5:].split(";", 1)[0].split(",", 1)[0]
        if tag == "a" and "download" in attrs and kind in DATA_DOWNLOADS:
            return None
        return f'a data: URL ("{url[:30]}…") is allowed only for the citation downloads'
    return safety.unsafe_url(url)


def _load_problem(tag: str, name: str, attrs: dict[str, str], url: str, site: Site) -> str | None:
    """Why a URL that the browser loads by itself (an image, an icon) is not allowed: another host's. The
    policy blocks it too (img-src 'self'); a link a reader follows may go anywhere."""
    loads = (tag in ("img", "source") and name in ("src", "srcset")) or (
        tag == "link" and name == "href" and set(attrs.get("rel", "").lower().split()) & LOADED_RELS
    )
    if not loads:
        return None
    target = urlsplit(safety._IGNORED.sub("", url))
    own = urlsplit(site.site_url or "")
    if (target.scheme or target.netloc) and (target.scheme, target.netloc) != (own.scheme, own.netloc):
        return (f'"{url[:60]}" would be loaded from another host by every reader\'s browser (a tracking pixel): '
                "images and icons must be files of the site")  # fmt: skip
    return None


def _element_problem(tag, attrs, node, here, site, scripts, hashes) -> str | None:
    """What is wrong with an allowed element's use, if anything."""
    if tag == "meta":
        if "http-equiv" in attrs:
            if attrs["http-equiv"].lower() != "content-security-policy":
                equiv = attrs["http-equiv"]
                return f'<meta http-equiv="{equiv}"> is not allowed (it could redirect or change the page)'
            if node.parent is None or node.parent.tag != "head":
                return "a Content-Security-Policy outside <head>"
        elif "name" in attrs and attrs["name"] not in META_NAMES:
            return f'<meta name="{attrs["name"]}"> is not one the theme writes'
        elif "property" in attrs and not attrs["property"].startswith("og:"):
            return f'<meta property="{attrs["property"]}"> is not an Open Graph property'
        if attrs.get("name") == "referrer" and attrs.get("content") != "no-referrer":
            return "the referrer policy must be no-referrer"
        if attrs.get("property") in ("og:url", "og:image"):
            return safety.unsafe_url(attrs.get("content", ""))
    elif tag == "link":
        rels = set(attrs.get("rel", "").lower().split())
        if not rels or not rels <= LINK_RELS:
            return f'<link rel="{attrs.get("rel", "")}"> is not allowed (only {", ".join(sorted(LINK_RELS))})'
        if "stylesheet" in rels and urlsplit(attrs.get("href", "")).scheme:
            return "a stylesheet must be a file of the site"
    elif tag == "script":
        return _script_problem(attrs, node, here, site, scripts, hashes)
    elif tag == "input" and attrs.get("type", "text").lower() not in INPUT_TYPES:
        return f'<input type="{attrs.get("type")}"> is not allowed'
    elif tag == "button" and attrs.get("type", "submit").lower() not in BUTTON_TYPES:
        return f'<button type="{attrs.get("type")}"> is not allowed'
    elif tag == "form" and urlsplit(attrs.get("action", "")).scheme:
        return "a form may only send to the site itself"
    elif tag in INLINE_SVG and any(_outside_references(v) for v in attrs.values()):
        return SVG_REFERENCE
    elif tag in ("td", "th") and "style" in attrs and not ALIGN.match(attrs["style"].strip()):
        return f'style="{attrs["style"][:40]}" on <{tag}>: only a column\'s alignment (text-align) is allowed'
    return None


def _script_problem(attrs, node, here, site, scripts, hashes) -> str | None:
    code = node.text(deep=True) or ""
    if attrs == CONFIG_SCRIPT:
        try:
            json.loads(code)
        except ValueError:
            return "the theme's configuration (<script type=application/json>) is not JSON"
        return None
    if "src" in attrs:
        if set(attrs) - {"src", "defer"}:
            return "a <script src> may only have src and defer"
        rel = urls.in_site(attrs["src"], here, site.site_url)  # a script outside the site is none of ours
        if rel not in scripts:
            return f'<script src="{attrs["src"]}"> is not a script of the theme or of the site'
        return None
    if attrs:
        return "an inline <script> may have no attribute"
    if safety._sha256(code) not in hashes:
        return ("an inline <script> that is not one of the theme's templates: pages may not carry scripts "
                "(the site's policy would block it anyway)")  # fmt: skip
    return None


def _problems(site: Site, rel: str, found) -> list[Problem]:
    """One problem per (needles, message) found, once each."""
    unique = dict.fromkeys((None if n is None else tuple(n), m) for n, m in found)
    return [_problem(site, rel, needles, message) for needles, message in unique]


# --- SVG and CSS -------------------------------------------------------------------------


def _xml(site: Site, rel: str, data: bytes, what: str):
    """The root element of an XML file without DTD, entity or processing instruction; else its problems."""
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        return [_problem(site, rel, ["<!DOCTYPE", "<!ENTITY"], f"{what} may not declare a DTD or entities")]
    if re.search(rb"<\?(?!xml\s)", data):
        return [_problem(site, rel, ["<?"], f"{what} may not hold processing instructions")]
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        return [_problem(site, rel, None, f"is not well-formed XML ({what}: {exc})")]


def _svg_problems(site: Site, rel: str, path: Path) -> list[Problem]:
    root = _xml(site, rel, path.read_bytes(), "an SVG image")
    if isinstance(root, list):
        return root
    found = []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if tag not in SVG_ELEMENTS:
            found.append(([f"<{tag}"], f"a <{tag}> element is not allowed in an SVG image"))
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                found.append(([f"{local}="], f"the attribute {local}=… would run code when the image is opened"))
            elif local == "href":
                if not value.strip().startswith("#"):
                    found.append(([value[:40]], "an SVG image may only link to its own parts (#…)"))
            elif local not in SVG_ATTRIBUTES and not (name.startswith("{") and "XML/1998" in name):
                found.append(([f"{local}="], f"the attribute {local}= is not allowed in an SVG image"))
            elif local != "style" and _outside_references(value):
                found.append(([value[:40], f"{local}="], SVG_REFERENCE))
        if tag == "style" or "style" in element.attrib:
            css = (element.text or "") if tag == "style" else element.attrib["style"]
            found += [([why[0]], why[1]) for why in _css_text_problems(css)]
    return _problems(site, rel, found)


CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.DOTALL)
CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(\r\n|[\n\r\f])|(.))", re.DOTALL)
# image-set() takes bare strings as addresses, as url() does
CSS_IMAGE_SET = re.compile(r"image-set\(((?:[^()]|\([^()]*\))*)\)", re.IGNORECASE)
CSS_STRING = re.compile(r"(['\"])(.*?)\1", re.DOTALL)


def _css_unescaped(css: str) -> str:
    """`css` as a browser's tokenizer reads it: without comments, escapes (`\\75 rl(` is `url(`) decoded."""

    def char(match: re.Match) -> str:
        if match[1]:
            code = int(match[1], 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return "" if match[2] else match[3]

    return CSS_ESCAPE.sub(char, CSS_COMMENT.sub(" ", css))


def _css_text_problems(css: str) -> list[tuple[str, str]]:
    found = []
    read = _css_unescaped(css)
    forbidden = CSS_FORBIDDEN.search(read)
    if forbidden:
        found.append((forbidden[0], f"{forbidden[0]} is not allowed in a stylesheet"))
    urls = [match[2].strip() for match in CSS_URL.finditer(read)]
    urls += [s[2].strip() for m in CSS_IMAGE_SET.finditer(read) for s in CSS_STRING.finditer(m[1])]
    for url in urls:
        if url.lower().startswith("data:") or url.startswith("#"):
            continue
        if urlsplit(url).scheme or safety.unsafe_url(url):
            found.append((url[:40], f"url({url[:40]}) loads from another site: only the site's files"))
    return found


def _outside_references(value: str) -> bool:
    """Whether an SVG attribute's value (fill, mask, clip-path…) refers to another file: url(…) not #…."""
    if "url" not in value.lower() and "\\" not in value:
        return False
    return any(not m[2].strip().startswith("#") for m in CSS_URL.finditer(_css_unescaped(value)))


def _css_problems(site: Site, rel: str, path: Path) -> list[Problem]:
    css = path.read_bytes().decode("utf-8", errors="replace")
    return [_problem(site, rel, [needle], message) for needle, message in _css_text_problems(css)]


# --- The sitemap -------------------------------------------------------------------------

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML_NS = "{http://www.w3.org/1999/xhtml}"
# MkDocs' sitemap and the languages' alternates the i18n plugin adds (<xhtml:link>): nothing else
SITEMAP = {f"{SITEMAP_NS}{name}": frozenset() for name in ("urlset", "url", "loc", "lastmod", "changefreq", "priority")}
SITEMAP[f"{XHTML_NS}link"] = frozenset({"rel", "hreflang", "href"})


def _sitemap_problems(site: Site, rel: str, path: Path) -> list[Problem]:
    """The sitemap is XML that a browser opening it reads with its XHTML elements: those of a sitemap only."""
    import gzip
    import io

    data = path.read_bytes()
    if rel.endswith(".gz"):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
                data = f.read(50_000_000)
        except (OSError, EOFError):
            return [_problem(site, rel, None, "the compressed sitemap is not gzip")]
    root = _xml(site, rel, data, "the sitemap")
    if isinstance(root, list):
        return root
    found = []
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag not in SITEMAP:
            local = tag.rsplit("}", 1)[-1]
            found.append(([f"<{local}"], f"a <{local}> element is not allowed in the sitemap"))
            continue
        for name, value in element.attrib.items():
            if name not in SITEMAP[tag]:
                found.append(([f"{name}="], f"the attribute {name}= is not allowed in the sitemap"))
            elif name == "href" and (safety.unsafe_url(value) or not urlsplit(value).scheme):
                found.append(([value[:40]], safety.unsafe_url(value) or "the sitemap's addresses are absolute"))
    return _problems(site, rel, found)


# --- The open data ---------------------------------------------------------------------

def _csv_problems(site: Site, rel: str, path: Path) -> list[Problem]:
    import csv
    import io

    try:
        rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"))))
    except (UnicodeDecodeError, csv.Error) as exc:
        return [_problem(site, rel, None, f"is not a UTF-8 CSV table ({exc})")]
    found = []
    for cell in (cell for row in rows for cell in row):
        if safety.formula(cell):
            found.append(([cell.strip()[:40]], f'"{cell.strip()[:30]}" {safety.FORMULA_MESSAGE}'))
    return _problems(site, rel, found)


# --- Where the gate is called from ----------------------------------------------------


def site_of(folder: Path, root: Path, config) -> Site:
    """The gate's view of a build from MkDocs' configuration (and the i18n plugin's languages)."""
    from .languages import read

    langs = read(root / "mkdocs.yml").all
    return Site(Path(folder), root, config.site_url, tuple(map(str, config.theme.dirs)), tuple(langs))


def report(problems: list[Problem]) -> str:
    from .problems import listing

    lines = listing(sorted(set(problems)), "1 problem in the built site (nothing was published):",
                    "{} problems in the built site (nothing was published):")  # fmt: skip
    return "\n".join(lines)

