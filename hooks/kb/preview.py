"""What the preview (`make serve`, hooks/kb_serve.py) asks of the build in progress.

After an edit the preview rebuilds in two passes. The first builds only the
pages that a browser has open, in their language, into the folder being
served (every other page keeps its last build, and the navigation keeps the
other pages' titles from it): the browser reloads with the change. The
second builds the whole site, both languages and the search index, into a
new folder that then replaces the served one; an edit arriving meanwhile
stops it (`Superseded`) and the two passes start again. The hooks read this
state; outside the preview it says "the whole site" and never stops a build.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


class Superseded(Exception):
    """A newer edit arrived: the build in progress would show an old state, so it stops."""

    def __str__(self) -> str:
        return "superseded by a newer edit"


@dataclass
class Pass:
    lang: str | None = None  # build this language alone
    urls: frozenset[str] | None = None  # None: every page; else only the pages at these addresses
    cancel: threading.Event = field(default_factory=threading.Event)


current = Pass()  # the whole site, as `mkdocs build`
# The title and metadata of every page at the last whole build, by address:
# the first pass shows them in the navigation for the pages it does not build.
last_pages: dict[str, tuple[str | None, dict]] = {}


def only(url: str) -> bool:
    """Is the page at `url` built in this pass?"""
    return current.urls is None or url in current.urls


def check() -> None:
    """Stop this build if a newer edit has arrived."""
    if current.cancel.is_set():
        raise Superseded()
