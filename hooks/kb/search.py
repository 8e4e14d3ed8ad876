"""Search: Pagefind's index of the built site, one per language.

Pagefind reads each page's `<html lang>` and writes one index per language
into `pagefind/` at the site's root, split in chunks that a query loads only
when its words need them, plus one excerpt file per page. Only the pages'
content is indexed: the article, marked `data-pagefind-body` by the adapter
(navigation, header and footer are left out; a page without the mark, such as
404.html, is not indexed). The reader's side is
`content/assets/javascripts/kb-search.js` in Material's search dialog
(`overrides/partials/search.html`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

BODY = "data-pagefind-body"
ARTICLE = '<article class="md-content__inner md-typeset">'
# inside the article, left out of the index: permalink signs, "edit this
# page" buttons, and the citation block that names the same sources on most
# pages (its words would match every page; the bibliography page lists them)
IGNORE = [".headerlink", ".md-content__button", ".kb-sources"]
# Pagefind's index chunk size (PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE; its default,
# 20,000, made chunks of about 40 KB compressed here, this one about 8 KB). A
# query loads the chunks holding the words it begins with: smaller chunks keep
# opening the search and getting five results under 150 KB. Pagefind reads it
# from the environment and calls the setting unstable: requirements.txt pins
# Pagefind, and tests/test_search.py checks the chunks' size after any upgrade.
CHUNK_SIZE = 4000


class SearchError(RuntimeError):
    pass


def mark_body(output: str) -> str:
    """Mark a page's article as the part Pagefind indexes."""
    return output.replace(ARTICLE, ARTICLE[:-1] + f" {BODY}>", 1)


def index(site: Path) -> dict[str, int]:
    """Index the built site with Pagefind; return the number of pages per language."""
    bundle = site / "pagefind"
    if bundle.exists():
        shutil.rmtree(bundle)
    # Material's own search is not used (mkdocs.yml has no `search` plugin):
    # drop its worker and lunr languages, and an index left by an older build
    for unused in [*site.glob("search/search_index.json"), *site.glob("*/search/search_index.json")]:
        unused.unlink()
        if not any(unused.parent.iterdir()):
            unused.parent.rmdir()
    for unused in ("workers", "lunr"):
        shutil.rmtree(site / "assets" / "javascripts" / unused, ignore_errors=True)
    cmd = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site),
        "--exclude-selectors",
        ", ".join(IGNORE),
        "--quiet",
    ]
    env = {**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(CHUNK_SIZE)}
    result = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise SearchError(f"Pagefind could not index {site}:\n{result.stdout}{result.stderr}")
    return _write_entry(bundle, json.loads((bundle / ENTRY).read_text(encoding="utf-8")))


ENTRY = "pagefind-entry.json"


def _write_entry(bundle: Path, entry: dict) -> dict[str, int]:
    # Pagefind lists the languages in no fixed order: sort them, so that the same
    # site gives the same file (the parallel build is compared with the sequential one)
    entry["languages"] = dict(sorted(entry["languages"].items()))
    (bundle / ENTRY).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return {lang: info["page_count"] for lang, info in entry["languages"].items()}


def merge(source: Path, site: Path) -> None:
    """Add the index of another language's build (its site folder `source`) to `site`'s.

    Each language's files in Pagefind's bundle are named by language and content
    (`pagefind.fr_<hash>.pf_meta`, `index/fr_….pf_index`…); the entry file lists the
    languages. `make build` indexes each language in its own process, then merges."""
    bundle, other = site / "pagefind", source / "pagefind"
    entry = json.loads((bundle / ENTRY).read_text(encoding="utf-8"))
    added = json.loads((other / ENTRY).read_text(encoding="utf-8"))
    if added.get("version") != entry.get("version"):
        raise SearchError(f"two Pagefind versions in one build: {entry.get('version')} and {added.get('version')}")
    shutil.copytree(other, bundle, dirs_exist_ok=True, ignore=shutil.ignore_patterns(ENTRY))
    entry["languages"].update(added["languages"])
    _write_entry(bundle, entry)
