"""The site's addresses (hooks/kb/urls.py): the i18n plugin's scheme, written in one module."""

import ast
import re
from pathlib import Path

import pytest
from kb import urls

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("rel", "lang", "expected"),
    [
        ("index.md", "fr", ""),
        ("index.md", "en", "en/"),
        ("about.md", "fr", "about/"),
        ("about.md", "en", "en/about/"),
        ("guide/index.md", "fr", "guide/"),
        ("guide/index.md", "es", "es/guide/"),
        ("guide/step.md", "en", "en/guide/step/"),
        ("reindex.md", "fr", "reindex/"),  # a name that ends in "index" is not an index page
        ("guide/reindex.md", "en", "en/guide/reindex/"),
    ],
)
def test_page_url_follows_the_i18n_scheme(rel, lang, expected):
    assert urls.page_url(rel, lang, "fr") == expected


def test_languages_folders_and_homes():
    assert urls.language_folder("fr", "fr") == "" and urls.language_folder("en", "fr") == "en/"
    assert urls.home("fr", "fr") == "" and urls.home("en", "fr") == "en/"
    assert urls.not_found_page("fr", "fr") == "404.html" and urls.not_found_page("en", "fr") == "en/404.html"
    assert urls.published("fr/about/index.html", "fr", "fr") == "about/index.html"
    assert urls.published("en/about/index.html", "en", "fr") == "en/about/index.html"
    assert urls.split_language("en/about/index.html", ("fr", "en")) == ("en", "about/index.html")
    assert urls.split_language("about/index.html", ("fr", "en")) == ("fr", "about/index.html")
    assert urls.split_language("en/", ("fr", "en")) == ("en", "")  # the English home page's address
    assert urls.split_language("en", ("fr", "en")) == ("fr", "en")  # a file named en, not the folder
    assert urls.split_language("fr/x.html", ("fr", "en")) == ("fr", "fr/x.html")  # no /fr/ folder


@pytest.mark.parametrize(
    ("dest", "url"),
    [
        ("index.html", ""),
        ("en/index.html", "en/"),
        ("en/about/index.html", "en/about/"),
        ("404.html", "404.html"),
        ("about/print.html", "about/print.html"),
        ("assets/x.css", "assets/x.css"),
    ],
)
def test_url_of_and_dest_of_are_each_others_inverse(dest, url):
    assert urls.url_of(dest) == url
    assert urls.dest_of(url) == dest


@pytest.mark.parametrize(
    ("dest", "sources"),
    [("index.html", ["index.md"]), ("about/index.html", ["about.md", "about/index.md"]),
     ("404.html", ["404.md", "404/index.md"]), ("guide/print.html", ["guide/print.md", "guide/print/index.md"]),
     ("assets/x.css", [])],
)  # fmt: skip
def test_page_sources_of_a_published_file(dest, sources):
    assert urls.page_sources(dest) == sources


@pytest.mark.parametrize(
    ("link", "dest", "site_url", "expected"),
    [
        ("../assets/x.js", "about/index.html", None, "assets/x.js"),
        ("assets/x%20y.js", "index.html", None, "assets/x y.js"),
        ("/name/assets/x.js", "en/index.html", "https://owner.github.io/name/", "assets/x.js"),
        ("/assets/x.js", "en/index.html", "https://owner.github.io/name/", None),  # above the site's path
        ("../../../x.js", "en/index.html", "https://owner.github.io/name/", None),
        ("https://example.org/x.js", "index.html", None, None),
        ("//example.org/x.js", "index.html", None, None),
        ("assets/x.js?v=1", "index.html", None, None),
    ],
)
def test_in_site(link, dest, site_url, expected):
    assert urls.in_site(link, dest, site_url) == expected


def test_dest_of_the_home_written_as_mkdocs_writes_it():
    assert urls.dest_of("./") == urls.dest_of(".") == "index.html"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", ""),
        ("./", ""),
        ("about/", "../"),
        ("en/about/", "../../"),
        ("en/guide/step/", "../../../"),
        ("404.html", ""),
    ],
)
def test_to_root(url, expected):
    assert urls.to_root(url) == expected


def test_next_to_a_page():
    assert urls.next_to("menengage/", "print.html") == "menengage/print.html"
    assert urls.next_to("./", "card.png") == urls.next_to("", "card.png") == "card.png"
    assert urls.next_to("en/about.html", "card.png") == "en/card.png"  # without directory addresses


def test_relative_is_mkdocs_own():
    assert urls.relative("about/", "en/about/") == "../../about/"
    assert urls.relative("menengage/print.html", "menengage/code/") == "../print.html"


@pytest.mark.parametrize(
    ("link", "page", "target", "expected"),
    [
        ("../other/", "guide/a/", "guide/print.html", "other/"),
        ("../../other/", "guide/a/", "guide/print.html", "../other/"),
        ("img.png", "guide/a/", "guide/print.html", "a/img.png"),
        ("../../assets/x.svg", "guide/a/", "guide/print.html", "../assets/x.svg"),
        ("b/#part", "guide/", "guide/print.html", "b/#part"),
        ("https://example.org/x", "guide/a/", "guide/print.html", "https://example.org/x"),
        ("/abs/", "guide/a/", "guide/print.html", "/abs/"),
        ("#top", "guide/a/", "guide/print.html", "#top"),
        ("c/?q=1#h", "guide/a/", "guide/print.html", "a/c/?q=1#h"),
    ],
)
def test_rebase(link, page, target, expected):
    assert urls.rebase(link, page, target) == expected


def test_links_between_sources():
    assert urls.to_content("content/fr/index.md") == "../"
    assert urls.to_content("content/fr/guide/x.md") == "../../"
    assert urls.source_link("content/en/guide/x.md", "en", "coalitions/c1.md") == "../../en/coalitions/c1.md"


@pytest.mark.parametrize(
    ("site_url", "path"),
    [
        (None, "/"),
        ("", "/"),
        ("https://example.org/", "/"),
        ("https://example.org", "/"),
        ("https://owner.github.io/name/", "/name/"),
        ("https://owner.github.io/name", "/name/"),
    ],
)
def test_site_path(site_url, path):
    assert urls.site_path(site_url) == path


def test_public_addresses_only_with_a_public_address():
    assert urls.public(None, "about/") is None and urls.public("", "about/") is None
    assert urls.public("https://example.org/", "en/about/") == "https://example.org/en/about/"
    assert urls.public("https://example.org/", "./") == "https://example.org/"
    assert urls.public("https://owner.github.io/name/", "./") == "https://owner.github.io/name/"
    assert urls.public("https://owner.github.io/name", "en/") == "https://owner.github.io/name/en/"
    # a leading "." of a page's own address is not stripped (str.lstrip("./") took every dot and slash)
    assert urls.public("https://example.org/", ".well-known/x") == "https://example.org/.well-known/x"
    assert urls.under_site("https://owner.github.io/name/", "en/") == "/name/en/"
    assert urls.under_site(None, "./") == "/"


@pytest.mark.parametrize(
    ("dest", "site_url", "expected"),
    [
        ("index.html", None, "."),
        ("about/index.html", None, ".."),
        ("en/about/index.html", None, "../.."),
        ("about/print.html", None, ".."),
        ("sitemap.xml", None, "."),
        ("404.html", None, "/"),
        ("en/404.html", "https://owner.github.io/name/", "/name/"),
        ("404.html", "https://example.org/", "/"),
        ("guide/404.html", None, "/"),  # MkDocs' rule: a 404.html one folder down is a language's
        ("a/b/404.html", None, "../.."),
    ],
)
def test_base_url_as_mkdocs_gives_it(dest, site_url, expected):
    assert urls.base_url(dest, site_url) == expected


def test_alternates_absolute_with_an_x_default():
    links = [("fr", "menengage/"), ("en", "en/menengage/"), ("es", "/name/es/")]
    found = urls.alternates("https://owner.github.io/name/", links, "fr")
    assert found == [
        {"lang": "fr", "href": "https://owner.github.io/name/menengage/"},
        {"lang": "en", "href": "https://owner.github.io/name/en/menengage/"},
        {"lang": "es", "href": "https://owner.github.io/name/es/"},
        {"lang": "x-default", "href": "https://owner.github.io/name/menengage/"},
    ]
    assert urls.alternates(None, links, "fr") == []
    assert urls.alternates("https://example.org/", [("en", "en/")], "fr") == [
        {"lang": "en", "href": "https://example.org/en/"}
    ]


# --- No address built by hand elsewhere -------------------------------------------------------------

# What building an address by hand looks like: joining, stripping "./", "index.html", a language
# folder written from a variable.
HAND_MADE = re.compile(
    r'lstrip\("\./"\)|\burljoin\(|removesuffix\("index\.html"\)|f"\{lang\}/"|"/" \+ lang|\.relpath\(|'
    r"_to_root|def page_url|def _site_path|def site_path|def base_url_of|def url_of"
)


def test_no_address_is_built_outside_urls_py():
    found = []
    for path in sorted((ROOT / "hooks").rglob("*.py")):
        if path.name == "urls.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if HAND_MADE.search(line.split("#")[0]):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_urls_py_imports_nothing_of_mkdocs_but_its_utils():
    tree = ast.parse((ROOT / "hooks" / "kb" / "urls.py").read_text(encoding="utf-8"))
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert {m for m in modules if m and m.startswith("mkdocs")} == {"mkdocs.utils"}


# --- The theme's blocks that overrides/main.html copies ---------------------------------------------


def _block(text: str, name: str) -> list[str]:
    """The lines of block `name` (stripped, Jinja comments left out), up to its own endblock."""
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.DOTALL)
    start = re.search(r"\{%-? block " + re.escape(name) + r" -?%\}", text)
    assert start, f"no block {name}"
    depth, lines = 1, []
    for line in (line.strip() for line in text[start.end() :].splitlines()):
        depth += line.startswith(("{% block", "{%- block")) and "endblock" not in line
        depth -= line.startswith(("{% endblock", "{%- endblock"))
        if depth == 0:
            return lines
        if line:
            lines.append(line)
    raise AssertionError(f"block {name} never ends")


def _without(lines: list[str], first: str) -> list[str]:
    """`lines` without the {% if %} … {% endif %} that starts with the line `first`."""
    start = lines.index(first)
    end = next(i for i in range(start, len(lines)) if lines[i] == "{% endif %}")
    return lines[:start] + lines[end + 1 :]


def test_the_copied_blocks_are_materials_but_for_the_change_they_make():
    """overrides/main.html copies two of Material's blocks to change one thing in each; a Material
    upgrade that changes them must be copied again (this fails until it is)."""
    import material

    theme = (Path(material.__file__).parent / "templates" / "base.html").read_text(encoding="utf-8")
    ours = (ROOT / "overrides" / "main.html").read_text(encoding="utf-8")
    # site_meta: the policy first; hreflang links from page.meta.kb_alternates (absolute, x-default)
    meta = [line for line in _block(ours, "site_meta") if line != "{{ kb_policy(base_url) }}"]
    assert _block(ours, "site_meta")[1] == "{{ kb_policy(base_url) }}"
    assert _without(meta, "{% if page.meta and page.meta.kb_alternates %}") == _without(
        _block(theme, "site_meta"), "{% if config.extra.alternate is iterable %}"
    )
    # container: the article marked for Pagefind; the content block is ours
    article = '<article class="md-content__inner md-typeset">'
    marked = '<article class="md-content__inner md-typeset"{% if page and page.file %} data-pagefind-body{% endif %}>'
    assert [article if line == marked else line for line in _block(ours, "container") if "block content" not in line][
        :5
    ] == [line for line in _block(theme, "container") if "block content" not in line][:5]
    assert _block(theme, "container")[-2:] == _block(ours, "container")[-2:] == ["</article>", "</div>"]
