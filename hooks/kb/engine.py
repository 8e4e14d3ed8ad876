"""The one place where the build engine is chosen.

MkDocs 1.6.1 is the default. ProperDocs (the maintained fork of MkDocs 1.x,
PyPI `properdocs`) builds the same site from the same `mkdocs.yml`:
`make build ENGINE=properdocs` (the Makefile passes `KB_ENGINE`). The hooks
import `mkdocs.*`, which ProperDocs redirects to itself.
"""

from __future__ import annotations

import os
import sys

ENGINES = ("mkdocs", "properdocs")


def name() -> str:
    engine = os.environ.get("KB_ENGINE") or "mkdocs"
    if engine not in ENGINES:
        raise SystemExit(f"KB_ENGINE={engine!r} is not a known engine; use one of: {', '.join(ENGINES)}")
    return engine


def command() -> list[str]:
    """The command that runs the engine with this Python: `python -m mkdocs`."""
    return [sys.executable, "-m", name()]
