"""Every address of the site: between pages, languages, generated pages and assets.

The site's address scheme, that of mkdocs-static-i18n with `use_directory_urls`, is written here
and nowhere else:

- the source language's pages are at the site's root (`about.md` → `about/`), each other language's
  under `<lang>/` (`en/about/`); a folder's `index.md` is the folder's address (`guide/`);
- a page is written to `<its address>index.html`; the 404 page of the source language to `404.html`,
  another language's to `<lang>/404.html`;
- the site may be served under a path (`https://owner.github.io/name/`): its public address
  (SITE_URL) gives it.

Three kinds of address, named in the functions' arguments:

- `url`: an address relative to the site's root, as MkDocs' `File.url` (`en/about/`; the home
  page: `""` or `"./"`);
- `dest`: the file a page or an asset is written to, relative to the site folder
  (`en/about/index.html`, MkDocs' `File.dest_uri`);
- `rel`: a page's path in its language's folder of content/ (`about.md`).

Where MkDocs has the function (`get_relative_url`, `normalize_url`), it is used, not copied. No
other MkDocs import: these are plain functions of strings (tests/test_urls.py).
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urljoin, urlsplit

from mkdocs.utils import get_relative_url

INDEX = "index.html"
NOT_FOUND = "404.html"


# --- Languages ------------------------------------------------------------------------------------


def language_folder(lang: str, source: str) -> str:
    """Where a language's pages are, relative to the site's root: "" for the source, "en/" for English."""
    return "" if lang == source else f"{lang}/"


def home(lang: str, source: str) -> str:
    """The address of a language's home page (relative to the site's root)."""
    return language_folder(lang, source)


def split_language(dest: str, langs) -> tuple[str, str]:
    """(language, the rest) of a published path: `en/about/index.html` → ("en", "about/index.html");
    a path outside every other language's folder is the source language's (`langs[0]`)."""
    first, slash, rest = dest.partition("/")
    if slash and first in tuple(langs)[1:]:
        return first, rest
    return tuple(langs)[0], dest


def published(dest: str, lang: str, source: str) -> str:
    """Where a file of `lang`'s folder of content/ (`fr/about/index.html`, as MkDocs would write it)
    is published: the source language's at the root."""
    return dest.removeprefix(f"{lang}/") if lang == source else dest


# --- Pages ----------------------------------------------------------------------------------------


def page_url(rel: str, lang: str, source: str) -> str:
    """A page's address relative to the site's root, from its path in its language folder:
    `about.md` → `about/` (source) or `en/about/`; `guide/index.md` → `guide/`; `index.md` → `""`."""
    path = rel.removesuffix(".md")
    path = "" if path == "index" else path.removesuffix("/index")
    return language_folder(lang, source) + (f"{path}/" if path else "")


def url_of(dest: str) -> str:
    """The address of the file written at `dest`: `en/about/index.html` → `en/about/`, `index.html`
    → `""`, `404.html` → `404.html`."""
    if dest == INDEX or dest.endswith("/" + INDEX):
        return dest.removesuffix(INDEX)
    return dest


def from_root(dest: str) -> str:
    """The address of the file written at `dest` as a path from the site's root, as Pagefind gives
    it: `en/about/index.html` → `/en/about/`."""
    return "/" + url_of(dest)


def page_sources(dest: str) -> list[str]:
    """The paths in a language's folder of content/ of the pages that are written at `dest` (relative
    to that language's folder of the site): `about/index.html` → `about.md`, `about/index.md`."""
    if not dest.endswith(".html"):
        return []
    stem = dest.removesuffix(INDEX).rstrip("/") if url_of(dest) != dest else dest.removesuffix(".html")
    return [f"{stem}.md", f"{stem}/index.md"] if stem else ["index.md"]


def dest_of(url: str) -> str:
    """The file served at `url` (relative to the site's root): `en/about/` → `en/about/index.html`."""
    url = "" if url in ("", ".", "./") else url
    return url + INDEX if url == "" or url.endswith("/") else url


def not_found_page(lang: str, source: str) -> str:
    """Where a language's 404 page is written (the source language's at the root)."""
    return language_folder(lang, source) + NOT_FOUND


def next_to(url: str, name: str) -> str:
    """The address of the file `name` in the folder of the page at `url` (its card, its section's
    print page): `menengage/` → `menengage/print.html`."""
    url = "" if url in (".", "./") else url
    folder = url if url.endswith("/") or not url else posixpath.dirname(url) + "/"
    return (folder if folder != "/" else "") + name


def to_root(url: str) -> str:
    """The relative way from the page at `url` to the site's root: `en/about/` → `../../`."""
    url = "" if url in (".", "./") else url
    return "../" * url.count("/")


def relative(url: str, from_url: str) -> str:
    """The address of `url` written in the page at `from_url` (both relative to the site's root)."""
    return get_relative_url(url, from_url)


def rebase(link: str, page_url: str, target_url: str) -> str:
    """A relative address written in the page at `page_url`, as written in the file at `target_url`
    (both relative to the site's root); addresses that are not relative are left as they are."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(("/", "#")) or not parts.path:
        return link
    page_dir = _folder(page_url)
    absolute = posixpath.normpath(posixpath.join(page_dir, parts.path))
    rel = posixpath.relpath(absolute, _folder(target_url))
    if parts.path.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def _folder(url: str) -> str:
    """The site path of the folder that holds the page or file at `url` (`about/` → `/about`)."""
    url = "" if url in (".", "./") else url
    return "/" + (url.rstrip("/") if url.endswith("/") or not url else posixpath.dirname(url))


# --- Links between the sources (Markdown links, which MkDocs rewrites to addresses) ----------------


def to_content(page: str) -> str:
    """The relative way from a page's source (`content/fr/guide/x.md`, as the problems name it) to
    the content folder: `../../`."""
    return "../" * (len(page.removeprefix("content/").split("/")) - 1)


def source_link(page: str, lang: str, rel: str) -> str:
    """A Markdown link from the page `page` (`content/fr/…`) to the page `rel` of `lang`'s folder
    (MkDocs turns it into the page's address): `../fr/coalitions/c1.md`."""
    return f"{to_content(page)}{lang}/{rel}"


# --- The public address (SITE_URL) ---------------------------------------------------------------


def site_path(site_url: str | None) -> str:
    """The path the site is served under: "/", or "/<repository>/" on a project's GitHub Pages."""
    path = urlsplit(site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


_NOWHERE = "https://site.invalid"  # a host no address of the site names


def in_site(link: str, dest: str, site_url: str | None) -> str | None:
    """The file of the site that `link`, written in the file published at `dest`, leads to (relative
    to the site's root, unquoted); None when it leads elsewhere (another host, above the site's
    path) or asks with a query (then it is not simply that file)."""
    prefix = site_path(site_url)
    target = urlsplit(urljoin(urljoin(_NOWHERE + prefix, dest), link))
    path = unquote(target.path)
    if f"{target.scheme}://{target.netloc}" != _NOWHERE or target.query or not path.startswith(prefix):
        return None
    return path[len(prefix) :]


def public(site_url: str | None, url: str) -> str | None:
    """The public address of `url` (relative to the site's root, or a path from the host's root);
    None without a public address (SITE_URL unset): never a local one."""
    if not site_url:
        return None
    base = site_url if site_url.endswith("/") else site_url + "/"
    return urljoin(base, "" if url in (".", "./") else url)


def under_site(site_url: str | None, url: str) -> str:
    """A path from the host's root for `url` (relative to the site's root): `/name/en/`."""
    return site_path(site_url) + ("" if url in (".", "./") else url)


def base_url(dest: str, site_url: str | None) -> str:
    """The theme's `base_url` for the file published at `dest`, as MkDocs gives it: the way up to
    the site's root ("../.." from `en/about/index.html`), or for a 404 page (the source language's
    `404.html` or another's `<lang>/404.html`, served at any depth) the site's path."""
    if dest == NOT_FOUND or (dest.endswith("/" + NOT_FOUND) and dest.count("/") == 1):
        return site_path(site_url)
    return get_relative_url(".", dest)


def alternates(site_url: str | None, links, source: str) -> list[dict]:
    """The page's translations for search engines (`<link rel="alternate" hreflang>`), from the
    language switcher's links [(lang, link)] (addresses relative to the site's root, or paths from
    the host's root): absolute addresses, since search engines ignore relative ones, then an
    x-default, the source language's. None without a public address."""
    if not site_url:
        return []
    out = [{"lang": lang, "href": urljoin(public(site_url, ""), link)} for lang, link in links]
    out += [{"lang": "x-default", "href": alt["href"]} for alt in out if alt["lang"] == source][:1]
    return out


# --- For the theme's templates -------------------------------------------------------------------


def theme_globals(site_url: str | None, lang: str, source: str) -> dict:
    """The functions the theme's templates (overrides/) call for the addresses they write, for the
    language being built."""
    return {
        "kb_home": lambda: home(lang, source),  # the language's home, relative to the site's root
        "kb_from_host": lambda url: under_site(site_url, url),  # a path from the host's root
        "kb_public": lambda url: public(site_url, url),  # the public address, None without SITE_URL
    }
