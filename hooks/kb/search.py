"""Search: Pagefind's index of the built site, one per language.

Pagefind reads each page's `<html lang>` and writes one index per language
into `pagefind/` at the site's root, split in chunks that a query loads only
when its words need them, plus one excerpt file per page. Only the pages'
content is indexed: the article, marked `data-pagefind-body` by the theme's
override (`overrides/main.html`; navigation, header and footer are left out; a page without the mark, such as
404.html, is not indexed). The reader's side is
`content/assets/javascripts/kb-search.js` in Material's search dialog
(`overrides/partials/search.html`).
"""

from __future__ import annotations

import base64
import collections
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from . import urls

BODY = "data-pagefind-body"
# the article, marked by the theme's override (overrides/main.html, block container)
ARTICLE = f'<article class="md-content__inner md-typeset" {BODY}>'
# inside the article, left out of the index: permalink signs, "edit this
# page" buttons, the block that names the same sources on most pages (the
# bibliography page lists them), and "cite this page", which repeats the
# site's name and the page's title on every page: with it, every page matched
# « genre », « gender » or « justice », and each result showed its citation.
IGNORE = [".headerlink", ".md-content__button", ".kb-sources", ".kb-cite"]
# Pagefind's index chunk size (PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE; its default,
# 20,000, made chunks of about 40 KB compressed here, this one about 8 KB). A
# query loads the chunks holding the words it begins with: smaller chunks keep
# opening the search and getting five results under 150 KB. Pagefind reads it
# from the environment and calls the setting unstable: requirements.txt pins
# Pagefind, and tests/test_search.py checks the chunks' size after any upgrade.
CHUNK_SIZE = 4000


class SearchError(RuntimeError):
    pass


class Indexing:
    """The search index of one build: one Pagefind service per language, fed as the pages are
    built. When the pages of the next language begin, the finished language's bundle is asked
    for in a thread while the build goes on; the build only waits for the last language's."""

    def __init__(self) -> None:
        self._indexers: dict[str, Indexer] = {}
        self._bundles: dict[str, Future] = {}
        self._pool = ThreadPoolExecutor(max_workers=2)

    def add(self, lang: str, html: str, url: str) -> None:
        if lang in self._bundles:
            raise SearchError(f"{url}: a page in {lang} after the next language's pages began")
        if lang not in self._indexers:
            self._finish_all()  # the languages before this one are built
            self._indexers[lang] = Indexer()
        self._indexers[lang].add(html, url, lang)

    def _finish_all(self) -> None:
        for lang, indexer in self._indexers.items():
            if lang not in self._bundles:
                self._bundles[lang] = self._pool.submit(indexer.files)

    def write(self, site: Path, aliases: dict[str, list[dict]] | None = None) -> dict[str, int]:
        """Write every language's index into `site`'s pagefind/ folder; return the pages per language."""
        self._finish_all()
        try:
            bundles = [future.result() for future in self._bundles.values()]
        finally:
            self.close()
        return write(site, bundles, aliases)

    def close(self) -> None:
        for indexer in self._indexers.values():
            indexer.close()
        self._pool.shutdown(wait=False)


def write(site: Path, bundles: list[list[dict]], aliases: dict[str, list[dict]] | None = None) -> dict[str, int]:
    """Write Pagefind's bundles (one per language, as `Indexer.files` gives them) into `site`'s
    pagefind/ folder, with one entry file listing every language, and each language's words and
    aliases (`words`); return the pages per language."""
    # Material's own search is not used (mkdocs.yml has no `search` plugin):
    # drop the theme's worker and lunr languages, and an index left by an older build
    for unused in [*site.glob("search/search_index.json"), *site.glob("*/search/search_index.json")]:
        unused.unlink()
        if not any(unused.parent.iterdir()):
            unused.parent.rmdir()
    for unused in ("workers", "lunr"):
        shutil.rmtree(site / "assets" / "javascripts" / unused, ignore_errors=True)
    bundle = site / "pagefind"
    if bundle.exists():
        shutil.rmtree(bundle)
    entry: dict = {}
    texts: dict[str, list[str]] = {}
    for files in bundles:
        for file in files:
            content = base64.b64decode(file["content"])
            if file["path"] == ENTRY:
                entry = _merged(entry, json.loads(content))
                continue
            fragment = FRAGMENT.match(file["path"])
            if fragment:
                texts.setdefault(fragment[1], []).append(_fragment_text(content))
            target = bundle / file["path"]  # files shared by the languages (the engine) are the same
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    for lang, pages in texts.items():
        write_words(bundle, lang, pages, (aliases or {}).get(lang, []))
    return _write_entry(bundle, entry or {"languages": {}})


# --- The words of each language's index, for "did you mean…", and the aliases ------------------
#
# Pagefind matches the words of the index that begin with the typed word: a wrong letter early in
# a word (« stratgie », "pricniples") finds nothing. For each language, `kb-search.<lang>.json`
# names the file of the words of that language's indexed pages (what Pagefind indexed: the text of
# its fragments), and holds the other names of the site's words (data/search-aliases.yml).
# kb-search.js loads the words only when a query finds few pages, and offers the nearest words.

FRAGMENT = re.compile(r"^fragment/(.+)_[0-9a-f]+\.pf_fragment$")
WORD = re.compile(r"[^\W_]+")
SHORTEST_WORD = 4  # shorter words are not corrected: one wrong letter makes another word
# how often a word occurs, in bands (most often first): the file lists each band's words in
# alphabetical order (it compresses better than one list by frequency) and the nearest word of the
# most frequent band wins
BANDS = (20, 5, 2, 1)


def _fragment_text(content: bytes) -> str:
    """The text Pagefind indexed of one page (its fragment: gzip, a signature, then JSON)."""
    raw = gzip.decompress(content) if content[:2] == b"\x1f\x8b" else content
    raw = raw.removeprefix(b"pagefind_dcd")
    return json.loads(raw)["content"]


def words(texts: list[str]) -> str:
    """The words of `texts` (of at least SHORTEST_WORD letters or digits, with a letter), each in
    its most frequent spelling: one a line, by bands of frequency separated by an empty line."""
    counts: collections.Counter[str] = collections.Counter()
    for text in texts:
        counts.update(w for w in WORD.findall(text) if len(w) >= SHORTEST_WORD and not w.isdigit())
    spelling: dict[str, str] = {}
    total: collections.Counter[str] = collections.Counter()
    for word, n in counts.most_common():
        key = word.lower()
        spelling.setdefault(key, word)
        total[key] += n
    bands: list[list[str]] = [[] for _ in BANDS]
    for key, n in total.items():
        bands[next(i for i, least in enumerate(BANDS) if n >= least)].append(spelling[key])
    return "\n\n".join("\n".join(sorted(band, key=lambda w: (w.lower(), w))) for band in bands)


def write_words(bundle: Path, lang: str, texts: list[str], aliases: list[dict]) -> None:
    """Write a language's words (gzip, named by their hash) and `kb-search.<lang>.json`, which
    names that file and holds the language's aliases ([{site: [...], other: [...]}])."""
    packed = gzip.compress(words(texts).encode("utf-8"), compresslevel=9, mtime=0)
    name = f"kb-words.{lang}_{hashlib.sha256(packed).hexdigest()[:10]}.bin"
    for old in bundle.glob(f"kb-words.{lang}_*.bin"):
        old.unlink()
    (bundle / name).write_bytes(packed)
    about = {"words": name, "aliases": aliases}
    (bundle / f"kb-search.{lang}.json").write_text(
        json.dumps(about, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


def aliases(data, langs: list[str] | tuple[str, ...]) -> dict[str, list[dict]]:
    """The other names of the site's words (data/search-aliases.yml), per language: for each
    group, the site's own names (`site`: its glossary entry's abbreviation and term, then those the
    group lists) and what readers may type instead (`other`), in that language."""
    if ALIASES not in data:
        return {}
    glossary = data.by_id("glossary") if "glossary" in data else {}
    out: dict[str, list[dict]] = {}
    for lang in langs:
        groups = []
        for group in data.records(ALIASES):
            entry = glossary.get(group.get("glossary"), {})
            site = [_plain(entry[field][lang]) for field in ("abbr", "term") if lang in entry.get(field, {})]
            site = list(dict.fromkeys(site + group.get("site", {}).get(lang, [])))
            if site:
                groups.append({"site": site, "other": group["other"].get(lang, [])})
        out[lang] = groups
    return out


def _plain(markdown: str) -> str:
    """A glossary term as readers type it: no Markdown marks, no words in brackets."""
    return " ".join(re.sub(r"\([^)]*\)|[*_^`]", "", markdown).split())


ALIASES = "search-aliases"  # data/search-aliases.yml


def _merged(entry: dict, added: dict) -> dict:
    if entry and added.get("version") != entry.get("version"):
        raise SearchError(f"two Pagefind versions in one build: {entry.get('version')} and {added.get('version')}")
    if not entry:
        return added
    entry["languages"].update(added["languages"])
    return entry


def index(site: Path) -> dict[str, int]:
    """Index an already built site (every page of it), as the build does while it builds."""
    pages = []
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if BODY in html:
            lang = LANG.search(html)
            pages.append((lang[1] if lang else "", html, urls.from_root(page.relative_to(site).as_posix())))
    indexing = Indexing()
    for lang, html, url in sorted(pages, key=lambda p: p[0]):  # one language after the other
        indexing.add(lang, html, url)
    return indexing.write(site)


ENTRY = "pagefind-entry.json"


class Indexer:
    """Pagefind's indexing service, fed each page as it is built.

    Pagefind's command reads the written site again at the end of the build;
    its service (`pagefind --service`, the protocol of Pagefind's own Python
    API) indexes pages sent to it while MkDocs goes on building, on the other
    core, and returns the same bundle, which this module writes. Only the article is sent (the part
    Pagefind indexes), in a document with the page's `<html lang>`: a
    fraction of each page to parse. Pagefind's Python client is not used: it
    reads one answer per tenth of a second, ten pages a second.
    """

    def __init__(self) -> None:
        from pagefind.service import get_executable  # the binary that pagefind[bin] installs

        binary = get_executable()
        if binary is None:
            raise SearchError("Pagefind's binary is missing: install requirements.txt (pagefind[bin])")
        env = {**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(CHUNK_SIZE)}
        self._errors = tempfile.TemporaryFile()
        self._proc = subprocess.Popen(
            [str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors, env=env
        )
        self._answers: dict[int, dict] = {}
        self._arrived = threading.Condition()
        self._sent = 0
        threading.Thread(target=self._read, daemon=True).start()
        self._index = self._ask({"type": "NewIndex", "config": {"exclude_selectors": IGNORE}})["index_id"]

    def _read(self) -> None:
        """Every answer of the service, as it comes (its output must never fill up)."""
        buffer = b""
        for chunk in iter(lambda: self._proc.stdout.read1(1 << 16), b""):
            *answers, buffer = (buffer + chunk).split(b",")
            for raw in answers:
                answer = json.loads(base64.b64decode(raw))
                with self._arrived:
                    self._answers[answer.get("message_id") or 0] = answer["payload"]
                    self._arrived.notify_all()
        with self._arrived:
            self._answers[-1] = {"type": "Error", "message": "Pagefind's service stopped"}
            self._arrived.notify_all()

    def _send(self, payload: dict) -> int:
        self._sent += 1
        message = {"message_id": self._sent, "payload": payload}
        try:
            self._proc.stdin.write(base64.b64encode(json.dumps(message).encode("utf-8")) + b",")
            self._proc.stdin.flush()
        except OSError:
            raise SearchError(f"Pagefind's service stopped:\n{self._stderr()}") from None
        return self._sent

    def _ask(self, payload: dict) -> dict:
        """Send, and wait for this answer and every earlier one; an error among them stops the build."""
        message_id = self._send(payload)
        with self._arrived:
            self._arrived.wait_for(lambda: -1 in self._answers or len(self._answers) >= message_id)
        failed = [a for a in self._answers.values() if a.get("type") == "Error"]
        if failed:
            self.close()
            raise SearchError(f"Pagefind could not index the site: {failed[0].get('message')}\n{self._stderr()}")
        return self._answers[message_id]

    def add(self, html: str, url: str, lang: str) -> None:
        """Send a built page (`url`: its address from the site's root, as Pagefind gives it;
        `lang`: its `<html lang>`, which chooses Pagefind's index and stemmer)."""
        start = html.find(ARTICLE)
        if start < 0:
            return  # not a page of the index (no article: a redirect, a problem page)
        end = html.find("</article>", start)
        document = f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"></head>'
        self._send({"type": "AddFile", "index_id": self._index, "url": url, "file_contents": (
            document + f"<body>{html[start : end + len('</article>')]}</body></html>"
        ), "file_path": None})

    def files(self) -> list[dict]:
        """The bundle of every page sent ({path, content in base64}), then the service is closed.

        The files come back in the answer and are written by `write`: the service writes its
        own files through a pool that its exit (when its input closes) can cut short."""
        try:
            return self._ask({"type": "GetFiles", "index_id": self._index})["files"]
        finally:
            self.close()

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.stdin.close()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()

    def _stderr(self) -> str:
        self._errors.seek(0)
        return self._errors.read().decode("utf-8", "replace")[-2000:]


LANG = re.compile(r'<html[^>]*\blang="([^"]+)"')


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
    shutil.copytree(other, bundle, dirs_exist_ok=True, ignore=shutil.ignore_patterns(ENTRY))
    _write_entry(bundle, _merged(entry, added))
