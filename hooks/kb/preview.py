"""What the preview (`make serve`, hooks/kb_serve.py) asks of the build in progress.

After an edit the preview rebuilds in two passes. The first builds only the
pages that a browser has open, in their language, into the folder being
served (every other page keeps its last build, and the navigation keeps the
other pages' titles from it): the browser reloads with the change. The
second builds the whole site, both languages and the search index, into a
new folder that then replaces the served one; an edit arriving meanwhile
stops it (`Superseded`) and the two passes start again. The hooks read this
state (`config.kb_preview`, set by the preview for each build: kb_site.Build
reads it); outside the preview it says "the whole site" and never stops a build.
The preview's own branches of the build (its problems shown on the page, the
gate's refusals served as lists of problems) are here too.
"""

from __future__ import annotations

import html
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .search import ARTICLE as _ARTICLE


class Superseded(Exception):
    """A newer edit arrived: the build in progress would show an old state, so it stops."""

    def __str__(self) -> str:
        return "superseded by a newer edit"


@dataclass
class Pass:
    lang: str | None = None  # build this language alone
    urls: frozenset[str] | None = None  # None: every page; else only the pages at these addresses
    cancel: threading.Event = field(default_factory=threading.Event)
    # The title and metadata of every page at the last whole build, by address (the preview's, shared
    # by its passes): the first pass shows them in the navigation for the pages it does not build.
    last_pages: dict[str, tuple[str | None, dict]] = field(default_factory=dict)

    def only(self, url: str) -> bool:
        """Is the page at `url` built in this pass?"""
        return self.urls is None or url in self.urls

    def check(self) -> None:
        """Stop this build if a newer edit has arrived."""
        if self.cancel.is_set():
            raise Superseded()


ARTICLE = _ARTICLE  # the theme's article, as overrides/main.html marks it for the index


def show_problems(output: str, problems, display: str, data_broken: bool, heading: str) -> str:
    """The page's problems (those of the file `display`) at the top of the page, under `heading` (in the
    page's language), so that an editor sees them where they look; with broken data, the data's too,
    on every page (what the page shows from it may be missing)."""
    from .causes import order_key

    shown = sorted({p for p in problems if p.file == display}, key=lambda p: (p.line or 0, p.message))
    if data_broken:
        shown = sorted({p for p in problems if p.file.startswith("data/")}, key=order_key) + shown
    if not shown or ARTICLE not in output:
        return output
    items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in shown)
    box = (
        f'<div class="admonition failure kb-preview-problems" role="alert"><p class="admonition-title">'
        f"{html.escape(str(heading))}</p><ul>{items}</ul></div>"
    )
    return output.replace(ARTICLE, ARTICLE + box, 1)


def show_refused(site: Path, found, refused: set[str]) -> None:
    """The output gate's problems in the preview: said as warnings; each refused file served as the list
    of the problems (a page), or not at all."""
    import logging

    from .safety import problem_page

    for problem in found:
        logging.getLogger("mkdocs.hooks.kb").warning("output gate: %s", problem)
    for rel in refused:
        path = site / rel
        if rel.endswith(".html") and not path.is_symlink():
            path.write_text(problem_page(rel, [str(p) for p in found]), encoding="utf-8")
        elif not path.is_dir() or path.is_symlink():
            path.unlink()
