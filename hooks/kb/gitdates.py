"""When each file last changed, from one `git log` for the whole content folder.

One Git command per build instead of one per page and language (which the
mkdocs-git-revision-date-localized plugin ran: a third of the build's time).
The date is the author date of the most recent commit that changed the file,
in UTC, as that plugin gave it. A page generated from data has the date its
data file or its page template last changed, whichever is later
(`generated_date`). A file Git does not know (new, not yet committed) has no
date here; the caller uses the build date. A shallow clone knows only its last commit: every page then gets
that commit's date (CI checks out the whole history).
"""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime
from pathlib import Path


def last_changes(root: Path, folder: str | tuple[str, ...] = "content") -> dict[str, str]:
    """{path relative to `root`: ISO date of its last change}, for the files under `folder` (one
    folder or several); empty outside a Git repository."""
    folders = (folder,) if isinstance(folder, str) else tuple(folder)
    try:
        log = subprocess.run(
            ["git", "-c", "core.quotePath=false", "log", "--relative", "--name-only", "--format=%x00%at", "--", *folders],
            cwd=root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates: dict[str, str] = {}
    for entry in log.split("\0")[1:]:  # newest first
        stamp, _, names = entry.partition("\n")
        day = datetime.fromtimestamp(int(stamp), UTC).date().isoformat()
        for name in names.split("\n"):
            if name and name not in dates:
                dates[name] = day
    return dates


def build_date() -> str:
    return date.today().isoformat()


def generated_date(dates: dict[str, str], page: str, kinds) -> str | None:
    """The date of a page generated from data (`page`: content/<lang>/<path>): the last change of its
    kind's data file or of its page template; None for a page that is not generated from data."""
    path = page.split("/", 2)[-1] if page.startswith("content/") else page
    for kind in kinds:
        if kind.pages and path.startswith(kind.pages.folder + "/"):
            known = [dates.get(f"data/{kind.name}.yml"), dates.get(f"templates/pages/{kind.pages.template}")]
            return max((d for d in known if d), default=None)
    return None
