"""The benchmark's stock baseline: the site's final content as plain files.

With KB_BENCH_FREEZE=DIR, a build also writes under DIR every page's final
Markdown (after our directives, citations and notices, with its front
matter), every file our hooks generate (downloads, charts, timeline CSS),
and the navigation with the generated pages in it (`nav.yml`, for the
default language; mkdocs.yml's nav_translations name the sections of the
others). bench/bench.py builds DIR with MkDocs, Material and
mkdocs-static-i18n alone, no hooks: "our build against the stock build of
the same content" then compares like with like.

This file is a MkDocs hook of its own, run after the site's (lower priorities):
the benchmark adds it to the configuration of the build it freezes
(bench.py, `freeze_config`); the site's hooks know nothing of it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hooks"))

import kb_i18n as i18n  # noqa: E402


def _target() -> Path:
    return Path(os.environ["KB_BENCH_FREEZE"])


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


@event_priority(-160)  # after the site's hook has added its generated files
def on_files(files, config):
    for file in files:
        if file.abs_src_path is None and not file.is_documentation_page():
            write_file(_target(), file.src_uri, file.content_bytes)
    return files


@event_priority(-160)  # after the site's hook has placed its generated pages
def on_nav(nav, config, files):
    def item(node):
        if node.is_section:
            return {node.title: [item(child) for child in node.children]}
        rel = node.file.src_uri.split("/", 1)[1]  # relative to the language folder
        return {node.title: rel} if node.title and node.file.abs_src_path is not None else rel

    if i18n.is_source_build(config):
        write_nav(_target(), [item(node) for node in nav.items if not node.is_link])
    return nav


@event_priority(-100)  # after the site's hook has expanded the page
def on_page_markdown(markdown, page, config, files):
    meta = {k: v for k, v in page.meta.items() if not k.startswith("kb_")}
    meta.setdefault("title", page.title)
    write_page(_target(), page.file.src_uri, meta, markdown)
    return markdown


def freeze_config(project: Path) -> Path:
    """The project's configuration with this hook added after the site's (mkdocs.freeze.yml, beside mkdocs.yml)."""
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    site_hook = "\n  - hooks/kb_mkdocs.py\n"
    if site_hook not in text:
        raise SystemExit("mkdocs.yml: the hooks list no longer holds hooks/kb_mkdocs.py: update bench/freeze.py")
    config = project / "mkdocs.freeze.yml"
    config.write_text(text.replace(site_hook, f"{site_hook}  - {Path(__file__).resolve()}\n", 1), encoding="utf-8")
    return config
