"""Each page's Markdown → HTML conversion, remembered by everything it depends on.

Converting Markdown is the largest part of building a page. The result
depends only on what is converted (the page's final Markdown, after our
directives), where the page is (its address: relative links), which files
exist (links are resolved and checked against them), the Markdown
configuration and the versions of the libraries that convert it. The key
is a hash of all of these; the entry holds what MkDocs' conversion leaves on
the page: the HTML, the table of contents, the title found in it, the
anchors it has and the anchors it links to. A conversion that logged a
warning (a broken link…) is never kept, so every build reports it again.

Entries are files under `.cache/pages/`, written atomically (the two
language processes of `make build` share the folder). Deleting the folder
is always safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from functools import cache
from importlib import metadata
from pathlib import Path

FORMAT = 2  # what an entry holds (or how its title is made): change it when that changes
LIBRARIES = ("Markdown", "pymdown-extensions", "mkdocs", "properdocs", "mkdocs-material")


@cache
def _versions() -> str:
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} -")
    return f"entry format {FORMAT}\n{sys.version}\n" + "\n".join(found)


def _name(value) -> str:
    """A stable text for a configuration value (functions by their qualified name, not address)."""
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', repr(value))}"
    return repr(value)


def settings_key(extensions: list, extension_configs: dict, other: dict) -> str:
    """What in the configuration changes a conversion: the extensions, their settings, the rest."""
    text = json.dumps(
        {"extensions": [_name(e) for e in extensions], "configs": extension_configs, "other": other},
        sort_keys=True,
        default=_name,
    )
    return hashlib.sha256((_versions() + text).encode()).hexdigest()


def files_key(files: list[tuple[str, str, str]]) -> str:
    """Which files exist and where: (source path, address, output path) of each."""
    return hashlib.sha256("\n".join("\t".join(f) for f in sorted(files)).encode()).hexdigest()


def page_key(settings: str, files: str, markdown: str, src_uri: str, url: str) -> str:
    digest = hashlib.sha256()
    for part in (settings, files, src_uri, url, markdown):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


class PageCache:
    def __init__(self, folder: Path):
        self.folder = folder
        self.hits = self.misses = 0

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def put(self, key: str, entry: dict) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(entry, out, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower


def toc_tokens(toc) -> list[dict]:
    """A table of contents (MkDocs' AnchorLinks) as the tokens it is made from."""
    return [
        {"level": item.level, "id": item.id, "name": item.title, "children": toc_tokens(item.children)}
        for item in toc
    ]
