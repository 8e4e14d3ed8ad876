"""Atomic publication: a build writes a new folder beside the site and swaps it in with renames.

`make build` builds into `.site-<pid>-<random>/site` beside `site/`, verifies it
(`gate.py`), then exchanges the two folders in one step (Linux's
`renameat2(RENAME_EXCHANGE)`); where the system has no such call, two renames
(the old site moved aside first), and the next build puts the old site back if
it was stopped between them. So a build stopped at any point leaves the
previous `site/` whole. What a stopped build leaves beside the site
(`.site-*`, ignored by Git) is removed by the next build, unless the process
that made it is still running.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import signal
import sys
import tempfile
from pathlib import Path

ASIDE = "previous"  # in a staging folder: the old site, between the two renames of the fallback


def staging(site: Path) -> Path:
    """A new, empty staging folder beside `site`, named after this process."""
    return Path(tempfile.mkdtemp(prefix=f".{site.name}-{os.getpid()}-", dir=site.parent))


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean(site: Path) -> None:
    """Remove what stopped builds left beside `site`; put back a site a stopped build had moved aside."""
    for leftover in sorted(site.parent.glob(f".{site.name}-*")):
        match = re.match(rf"\.{re.escape(site.name)}-(\d+)-", leftover.name)
        pid = int(match[1]) if match else None
        if pid is not None and pid != os.getpid() and _running(pid):
            continue  # another build, under way
        aside = leftover / ASIDE
        if not site.exists() and aside.is_dir() and not aside.is_symlink():
            os.rename(aside, site)
        shutil.rmtree(leftover, ignore_errors=True)


def checkpoint(step: str) -> None:
    """Tests stop the build here, as a kill would (KB_TEST_KILL_AT=<step>)."""
    if os.environ.get("KB_TEST_KILL_AT") == step:
        sys.stdout.flush()
        sys.stderr.flush()
        os.kill(os.getpid(), signal.SIGKILL)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step, where the system can (Linux); False where it cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    return False  # e.g. a file system without it: the fallback below


def swap(new: Path, site: Path) -> None:
    """Put the folder `new` (in a staging folder beside `site`) in place of `site`. The old site ends up
    in the staging folder, which the caller removes."""
    checkpoint("swap")
    if not site.exists():
        os.rename(new, site)
    elif not _exchange(new, site):
        aside = new.parent / ASIDE
        os.rename(site, aside)
        checkpoint("swap-aside")
        os.rename(new, site)
