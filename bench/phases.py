"""Where a build's time goes, per phase: one language's build of a project (the real one,
or a scaled copy from bench/scale.py), profiled with cProfile.

    .venv/bin/python bench/phases.py                 # this project, French, page cache as it is
    .venv/bin/python bench/phases.py --cold          # with an empty page cache
    .venv/bin/python bench/phases.py --lang en PROJECT_DIR

Phases are the cumulative CPU times of the functions that do them (MkDocs' build steps and
our hooks); cProfile slows Python code down, so the shares matter more than the seconds.
Pagefind indexes in its own process while the pages are built: the time the build waits
for it at the end is under "search index (waiting for Pagefind)" when profiled. A
benchmark tool: it prints, it never fails on a figure.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# phase -> (file suffix, function name) whose cumulative time is the phase
PHASES = {
    "configuration (mkdocs.yml, plugins)": [("config/base.py", "load_config"), ("plugins.py", "on_config")],
    "data (load, validate or read the cache)": [("kb/data.py", "load_data_cached")],
    "files (content, theme, generated pages, charts, open data)": [
        ("commands/build.py", "get_files"),
        ("structure/files.py", "add_files_from_theme"),
        ("plugins.py", "on_files"),
    ],
    "navigation": [("structure/nav.py", "get_navigation"), ("plugins.py", "on_nav")],
    "pages: read, directives, Markdown → HTML, checks": [("commands/build.py", "_populate_page")],
    "  of which our directives (on_page_markdown)": [("plugins.py", "on_page_markdown")],
    "  of which Markdown → HTML (render)": [("kb_patches.py", "render_cached")],
    "pages: theme templates and writing": [("commands/build.py", "_build_page")],
    "  of which the navigation in each page": [("material/templates/base.html", "block_site_nav")],
    "static files (copy)": [("structure/files.py", "copy_static_files")],
    "theme pages (404, sitemap)": [("commands/build.py", "_build_theme_template")],
    "search index (waiting for Pagefind)": [("kb/search.py", "write")],
}


def profile(project: Path, lang: str, cold: bool) -> tuple[float, dict[str, float]]:
    if cold:
        shutil.rmtree(project / ".cache" / "pages", ignore_errors=True)
    os.environ.update({"NO_MKDOCS_2_WARNING": "1", "KB_ONLY_LANG": lang})
    out = Path(tempfile.mkdtemp())
    sys.argv = ["mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(out / "site")]
    os.chdir(project)
    from mkdocs.__main__ import cli

    # CPU time, not wall time: on a shared machine the wall clock also counts other programs
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    try:
        cli(standalone_mode=False)
    finally:
        profiler.disable()
    stats = pstats.Stats(profiler)
    total = max(v[3] for v in stats.stats.values())
    phases = {}
    for phase, functions in PHASES.items():
        seconds = 0.0
        for (filename, _line, name), (_cc, _nc, _tt, cumulative, _callers) in stats.stats.items():
            if any(filename.endswith(suffix) and name == fn for suffix, fn in functions):
                seconds += cumulative
        phases[phase] = seconds
    shutil.rmtree(out, ignore_errors=True)
    return total, phases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", default=str(ROOT))
    parser.add_argument("--lang", default="fr")
    parser.add_argument("--cold", action="store_true", help="empty the page cache first")
    args = parser.parse_args()
    total, phases = profile(Path(args.project).resolve(), args.lang, args.cold)
    print(f"| phase ({args.lang}, {'empty' if args.cold else 'warm'} page cache) | seconds (profiled) | share |")
    print("|---|---|---|")
    for phase, seconds in phases.items():
        print(f"| {phase} | {seconds:.2f} | {seconds / total * 100:.0f} % |")
    print(f"| whole build | {total:.2f} | 100 % |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
