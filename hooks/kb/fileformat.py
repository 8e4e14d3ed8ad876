"""How a file is saved, named in plain words: a byte-order mark, Windows line endings.

Neither shows in an editor, and each makes other problems that do not name it (a page whose
front matter is no longer read, "no closing line", a missing `sources:`). `make check` and
the build report it once, first, with what to do; the problems it makes in the same file are
counted under it (kb.causes).
"""

from __future__ import annotations

from pathlib import Path

from .problems import Problem

BOM = "this file starts with an invisible byte-order mark (BOM): save it as UTF-8 without BOM"
CRLF = "this file has Windows line endings (CRLF): save it with Unix line endings (LF)"
CAUSES = (BOM, CRLF)  # a problem of the whole file: the others in it come from it


def problems(path: Path, display: str) -> list[Problem]:
    """What is wrong with how `path` is saved (nothing, usually)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return []
    found = []
    if raw.startswith(b"\xef\xbb\xbf"):
        found.append(Problem(display, 1, "", BOM + " (your editor's “UTF-8”, not “UTF-8 with BOM”)"))
    if b"\r\n" in raw:
        line = raw[: raw.index(b"\r\n")].count(b"\n") + 1
        found.append(Problem(display, line, "", CRLF + " (your editor's line-ending setting: “LF”)"))
    return found


def check_tree(root: Path) -> list[Problem]:
    """Every page and data file of the project."""
    paths = sorted((root / "content").rglob("*.md")) + sorted((root / "data").rglob("*.yml"))
    return [p for path in paths for p in problems(path, path.relative_to(root).as_posix())]
