"""The one place where the build engine is chosen.

MkDocs 1.6.1 is the default. ProperDocs (the maintained fork of MkDocs 1.x,
PyPI `properdocs`) builds the same site from the same `mkdocs.yml`:
`make build ENGINE=properdocs` (the Makefile passes `KB_ENGINE`). The hooks
import `mkdocs.*`, which ProperDocs redirects to itself.
"""

from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType

ENGINES = ("mkdocs", "properdocs")


def name() -> str:
    engine = os.environ.get("KB_ENGINE") or "mkdocs"
    if engine not in ENGINES:
        raise SystemExit(f"KB_ENGINE={engine!r} is not a known engine; use one of: {', '.join(ENGINES)}")
    return engine


def command() -> list[str]:
    """The command that runs the engine with this Python: `python -m mkdocs`."""
    return [sys.executable, "-m", name()]


def module(part: str) -> ModuleType:
    """The engine's module `part` ("config", "commands.build"…), imported in this process. The
    engine's command-line module comes first: ProperDocs' redirects the plugins' `mkdocs.*`
    imports to itself, without which the i18n plugin is no ProperDocs plugin."""
    engine = name()
    importlib.import_module(f"{engine}.__main__")
    return importlib.import_module(f"{engine}.{part}")
