"""What the project's input folders may hold: files of the project, of the types the site publishes.

Checked when a build or `make check` starts, before any file is read:

- no symbolic link, and nothing but folders and regular files, anywhere in the
  folders the build reads (a link to `/proc/self/environ` would publish the
  build's environment; a named pipe would hang it; a link loop would make it
  walk for a minute);
- `content/` holds pages (Markdown) and the files the site publishes as they are,
  by type: images anywhere, stylesheets under `assets/stylesheets/`, and the
  site's own scripts (`SITE_SCRIPTS`) only. An HTML or JavaScript file would
  reach readers without any of the site's checks. Names are letters, digits,
  `-`, `_` and the type's dot (a page's name no other dot: `index.html.md`
  would take the place of a file the build writes).

The output gate (`gate.py`) checks the published site again: this is for early,
precise messages.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from .problems import Problem

# the folders (and files) the build reads
INPUTS = ("content", "data", "templates", "overrides", "translations", "mkdocs.yml")

# the site's own scripts (content/assets/javascripts/): a new one is added here, reviewed
SITE_SCRIPTS = frozenset(
    {
        "assets/javascripts/kb-alternates.js",
        "assets/javascripts/kb-reader.js",
        "assets/javascripts/kb-search.js",
        "assets/javascripts/kb-timeline.js",
    }
)
IMAGES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico"})
STYLESHEETS = "assets/stylesheets/"
NAME = re.compile(r"[\w.-]+")  # a file or folder of content/ (\w: letters of any alphabet, digits, _)
CONTENT_TYPES = (
    "pages are Markdown (.md); images (" + ", ".join(sorted(IMAGES)) + ") may go anywhere, stylesheets (.css) "
    f"under content/{STYLESHEETS}"
)


def entries(root: Path, names=INPUTS):
    """Every entry under the input folders, without following any link: (path relative to `root`, lstat)."""
    for name in names:
        top = root / name
        try:
            info = top.lstat()
        except FileNotFoundError:
            continue
        yield name, info
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(top, name)


def _walk(folder: Path, rel: str):
    try:
        with os.scandir(folder) as listing:
            found = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        yield rel + "/", exc
        return
    for entry in found:
        path = f"{rel}/{entry.name}"
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError as exc:
            yield path, exc
            continue
        yield path, info
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(Path(entry.path), path)


def special_files(root: Path, names=INPUTS) -> list[Problem]:
    """Symbolic links and anything else that is not a folder or a regular file, in the input folders."""
    problems = []
    for rel, info in entries(root, names):
        if isinstance(info, OSError):
            problems.append(Problem(rel, None, "", f"cannot be read ({info.strerror}): give the build read access"))
        elif stat.S_ISLNK(info.st_mode):
            try:
                target = os.readlink(root / rel)
            except OSError:
                target = "?"
            problems.append(
                Problem(rel, None, "", f"is a symbolic link (to {target}): the build reads only the project's own "
                                       "files; put the file itself here, or remove the link")  # fmt: skip
            )
        elif not (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
            problems.append(Problem(rel, None, "", "is not a regular file (a pipe, socket or device): remove it"))
    return problems


def content_problems(root: Path) -> list[Problem]:
    """Files of `content/` that are neither pages nor of a type the site publishes as it is."""
    problems = []
    for rel, info in entries(root, ("content",)):
        if isinstance(info, OSError) or not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
            continue  # special_files says it
        inside = rel.split("/", 1)[1] if "/" in rel else rel
        name = rel.rsplit("/", 1)[-1]
        suffix = Path(name).suffix.lower()
        if name.startswith(".") or any(part.startswith(".") for part in rel.split("/")):
            continue  # never published (MkDocs leaves out dot files)
        if not NAME.fullmatch(name):
            problems.append(Problem(repr(rel)[1:-1], None, "", "a file's name may hold only letters, digits, - and _ "
                                    "(and the dot before its type): no space, quote, new line or other sign, which "
                                    "would reach the page's address, the sitemap and the site's links"))  # fmt: skip
            continue
        if stat.S_ISDIR(info.st_mode):
            continue
        if suffix == ".md" and "." in name[: -len(suffix)]:
            problems.append(Problem(rel, None, "", f"a page's name may not hold a dot: {name} would be published "
                                                   f"at {name[:-3]}/, like a file the build writes"))  # fmt: skip
            continue
        if suffix == ".md" or suffix in IMAGES:
            continue
        if suffix == ".css" and inside.startswith(STYLESHEETS):
            continue
        if suffix == ".js" and inside in SITE_SCRIPTS:
            continue
        if suffix in (".html", ".htm", ".xhtml"):
            why = (f"an HTML file is published as it is, without the site's theme or checks: write the page in "
                   f"Markdown ({Path(name).stem}.md)")  # fmt: skip
        elif suffix in (".js", ".mjs"):
            why = ("a script would run in readers' browsers: the site's scripts are listed in hooks/kb/tree.py "
                   "(SITE_SCRIPTS) and reviewed by a maintainer")  # fmt: skip
        else:
            kind = f"a {suffix} file" if suffix else "a file without an extension"
            why = f"{kind} is not published from content/: {CONTENT_TYPES}"
        problems.append(Problem(rel, None, "", why))
    return problems


def problems(root: Path) -> list[Problem]:
    """Every problem of the input folders' files (names and kinds only: no file is read)."""
    return special_files(root) + content_problems(root)
