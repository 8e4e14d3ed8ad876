"""The benchmark's stock baseline: the site's final content as plain files.

With KB_BENCH_FREEZE=DIR, a build also writes under DIR every page's final
Markdown (after our directives, citations and notices, with its front
matter), every file our hooks generate (downloads, charts, timeline CSS),
and the navigation with the generated pages in it (`nav.yml`, for the
default language; mkdocs.yml's nav_translations name the sections of the
others). bench/bench.py builds DIR with MkDocs, Material and
mkdocs-static-i18n alone, no hooks: "our build against the stock build of
the same content" then compares like with like.
"""

from __future__ import annotations

from pathlib import Path

import yaml


def write_file(root: Path, src_uri: str, content: str | bytes) -> None:
    target = root / "content" / src_uri
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        target.write_text(content, encoding="utf-8")
    else:
        target.write_bytes(content)


def _plain(value):
    """Titles may be Markup (escaped text for templates): YAML writes plain strings only."""
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value) if isinstance(value, str) else value


def write_page(root: Path, src_uri: str, meta: dict, markdown: str) -> None:
    front = yaml.safe_dump(_plain(meta), allow_unicode=True, sort_keys=False) if meta else ""
    write_file(root, src_uri, (f"---\n{front}---\n\n" if front else "") + markdown)


def write_nav(root: Path, nav: list) -> None:
    """nav: mkdocs.yml's `nav` form (paths relative to a language folder)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "nav.yml").write_text(yaml.safe_dump({"nav": _plain(nav)}, allow_unicode=True, sort_keys=False), encoding="utf-8")
