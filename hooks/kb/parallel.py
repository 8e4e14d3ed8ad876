"""Build each language in its own process, at the same time, then merge.

mkdocs-static-i18n builds the languages one after the other in one process,
so a bilingual build uses one core. `python -m kb.parallel SITE_DIR` starts
one `mkdocs build --strict` per language (KB_ONLY_LANG tells the hooks which
one), each into its own folder, and merges them: the default language's
output, plus each other language's folder, charts, sitemap entries and search index (each
process indexes its own language with Pagefind when its build ends, while the
other may still be building). The result is the same site as the sequential
build (tested).

Each process pays the start-up (Python, imports, configuration) again, so
a small site builds faster in one process, both languages one after the
other: below PARALLEL_FROM pages (both languages) `make build` runs the
plugin's own sequential build (measured: docs/performance.md).
`python -m kb.parallel SITE_DIR [--processes N]` forces one way.
"""

from __future__ import annotations

import gzip
import importlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from kb import engine, search

ROOT = Path(__file__).resolve().parents[2]
# pages (every language) from which one process per language is faster than one process
PARALLEL_FROM = 200


def languages(config: Path) -> tuple[str, list[str]]:
    """(default language, other languages) from mkdocs.yml's i18n plugin."""
    text = re.sub(r"!(ENV|!python/name:)[^\n]*", "null", config.read_text(encoding="utf-8"))
    plugins = yaml.safe_load(text)["plugins"]
    i18n = next(p["i18n"] for p in plugins if isinstance(p, dict) and "i18n" in p)
    langs = [lang for lang in i18n["languages"] if lang.get("build", True)]
    default = next(lang["locale"] for lang in langs if lang.get("default"))
    return default, [lang["locale"] for lang in langs if lang["locale"] != default]


def _urls(sitemap: str) -> str:
    match = re.search(r"<urlset[^>]*>(.*)</urlset>", sitemap, re.DOTALL)
    return match.group(1) if match else ""


def merge(outputs: dict[str, Path], default: str, site: Path) -> None:
    if site.exists():
        shutil.rmtree(site)
    shutil.copytree(outputs[default], site)
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for lang, out in outputs.items():
        if lang == default:
            continue
        if (site / lang).exists():
            shutil.rmtree(site / lang)
        shutil.copytree(out / lang, site / lang)
        for chart in (out / "assets" / "charts").glob(f"*.{lang}.svg"):
            shutil.copy2(chart, site / "assets" / "charts" / chart.name)
        extra = _urls((out / "sitemap.xml").read_text(encoding="utf-8"))
        sitemap = sitemap.replace("</urlset>", extra + "</urlset>")
        search.merge(out, site)  # each process indexed its own language
    (site / "sitemap.xml").write_text(sitemap, encoding="utf-8")
    (site / "sitemap.xml.gz").write_bytes(gzip.compress(sitemap.encode("utf-8"), mtime=0))


PROBLEM = re.compile(r"^  - (.+)$", re.MULTILINE)


def report(failed: dict[str, str]) -> str:
    """One list of every language's problems (those of the data appear once), sorted by file and line."""
    problems: set[str] = set()
    unexplained = []
    for lang, output in failed.items():
        found = PROBLEM.findall(output.split("problems to fix:", 1)[-1]) if "to fix:" in output else []
        problems.update(found)
        if not found:
            unexplained.append(f"--- the {lang} build failed ---\n{output}")

    def key(problem: str):
        where = problem.split(" ", 1)[0].rstrip(":").split(":")
        return (where[0], int(where[1]) if len(where) > 1 and where[1].isdigit() else 0, problem)

    lines = sorted(problems, key=key)
    head = "1 problem to fix:" if len(lines) == 1 else f"{len(lines)} problems to fix:"
    return "\n".join([*unexplained, *([head] if lines else []), *(f"  - {line}" for line in lines)])


def page_count(project: Path) -> int:
    """About how many pages a build makes: the Markdown pages of every language folder and,
    in every language, one per record of each kind that has its own pages (data/kinds.yml)."""
    default, others = languages(project / "mkdocs.yml")
    count = sum(1 for lang in (default, *others) for _ in (project / "content" / lang).rglob("*.md"))
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    kinds = yaml.load((project / "data" / "kinds.yml").read_text(encoding="utf-8"), Loader=loader) or {}
    for kind in kinds.get("kinds", []):
        path = project / "data" / f"{kind.get('name')}.yml"
        if kind.get("pages") and path.exists():
            content = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
            lists = [v for v in content.values() if isinstance(v, list)]
            count += len(lists[0]) * (1 + len(others)) if lists else 0
    return count


def _build_here(site: Path, config: Path, strict: bool) -> int:
    """The plugin's own build, both languages one after the other, in this process (no second
    Python start-up); it indexes the site for search itself."""
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    cli = importlib.import_module(f"{engine.name()}.__main__").cli
    args = ["build", "--clean", "-f", str(config), "-d", str(site), *(["--strict"] if strict else [])]
    here = Path.cwd()
    os.chdir(config.parent)
    try:
        cli.main(args, prog_name=engine.name(), standalone_mode=False)
    except SystemExit as exc:  # MkDocs' Abort: the problems are printed
        return exc.code if isinstance(exc.code, int) and exc.code else 1
    except Exception as exc:
        if not hasattr(exc, "show"):
            raise  # not an editor's mistake: the traceback says where
        exc.show()  # a command-line error, printed as MkDocs prints it
        return 1
    finally:
        os.chdir(here)
    return 0


def build(site: Path, config: Path = ROOT / "mkdocs.yml", strict: bool = True, processes: int | None = None) -> int:
    # relative to where the command was given (`make build` gives ../site from hooks/), not
    # to the project's folder, where MkDocs runs
    site, config = site.resolve(), config.resolve()
    default, others = languages(config)
    if processes is None:
        processes = 1 if page_count(config.parent) < PARALLEL_FROM else 1 + len(others)
    if processes == 1:
        code = _build_here(site, config, strict)
        if code != 0:
            shutil.rmtree(site, ignore_errors=True)  # nothing of a failed build is published
        return code
    with tempfile.TemporaryDirectory() as tmp:
        outputs = {lang: Path(tmp) / lang for lang in [default, *others]}
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        # not -q: it hides the warnings that --strict counts
        cmd = [*engine.command(), "build", "--clean", "-f", str(config)]
        if strict:
            cmd.append("--strict")
        procs = {
            lang: subprocess.Popen(
                [*cmd, "-d", str(out)],
                cwd=config.parent,
                env={**env, "KB_ONLY_LANG": lang},
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for lang, out in outputs.items()
        }
        outputs_text = {lang: proc.communicate()[0] for lang, proc in procs.items()}
        failed = {lang: text for lang, text in outputs_text.items() if procs[lang].returncode != 0}
        if failed:
            print(report(failed), file=sys.stderr)
            return 1
        try:
            merge(outputs, default, site)
        except search.SearchError as exc:
            print(exc, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default=str(ROOT / "site"))
    parser.add_argument("--processes", type=int, help="1: one process; otherwise one per language (default: by size)")
    args = parser.parse_args()
    sys.exit(build(Path(args.site), processes=args.processes))
