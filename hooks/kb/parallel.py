"""Build each language in its own process, at the same time, then merge.

mkdocs-static-i18n builds the languages one after the other in one process,
so a bilingual build uses one core. `python -m kb.parallel SITE_DIR` builds
each language in its own process (KB_ONLY_LANG tells the hooks which one),
each into its own folder beside SITE_DIR, and merges them: the default
language's output becomes the site, and each other language's folder,
charts, sitemap entries and search index are moved in (each process indexes
its own language with Pagefind while it builds). The result is the same site
as the sequential build (tested).

The processes are forked from this one after it has loaded the configuration
once (imports, theme, Markdown extensions, hooks): they share that start-up
instead of paying it each, so one process per language is the faster way at
every size (measured: docs/performance.md). Where Python cannot fork
(Windows), each language is a new `mkdocs build`, which pays the start-up
again: below PARALLEL_FROM pages the plugin's own sequential build is faster
there. `python -m kb.parallel SITE_DIR [--processes N]` forces one way
(1: the sequential build in this process).
"""

from __future__ import annotations

import contextlib
import gzip
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

import yaml
from kb import causes, engine, gate, publish, search, tree, urls
from kb.languages import PROJECT
from kb.problems import KbError, Problem, emit_annotations, items, listing

ROOT = PROJECT
# without fork: pages (every language) from which one process per language is faster than one
PARALLEL_FROM = 200
# where the language processes can be forked from this one, they share its imports and
# configuration, and one process per language is faster at every size (docs/performance.md)
FORK = hasattr(os, "fork")


def languages(config: Path) -> tuple[str, list[str]]:
    """(default language, other languages) from mkdocs.yml's i18n plugin."""
    text = re.sub(r"!(ENV|!python/name:)[^\n]*", "null", config.read_text(encoding="utf-8"))
    plugins = yaml.safe_load(text)["plugins"]
    i18n = next(p["i18n"] for p in plugins if isinstance(p, dict) and "i18n" in p)
    langs = [lang for lang in i18n["languages"] if lang.get("build", True)]
    default = next(lang["locale"] for lang in langs if lang.get("default"))
    return default, [lang["locale"] for lang in langs if lang["locale"] != default]


def _urls(sitemap: str) -> str:
    """The entries of one language's sitemap. A regular expression, not the sitemap's template
    (overrides/sitemap.xml): each process renders its own language's only, and this joins them as
    mkdocs-static-i18n's single process would have written them."""
    match = re.search(r"<urlset[^>]*>(.*)</urlset>", sitemap, re.DOTALL)
    return match.group(1) if match else ""


def merge(outputs: dict[str, Path], default: str, site: Path) -> None:
    """The default language's output becomes the site (a new folder); each other language's folder
    is moved in, with its charts, sitemap entries and search index. The outputs are used up."""
    shutil.move(outputs[default], site)
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for lang, out in outputs.items():
        if lang == default:
            continue
        folder = urls.language_folder(lang, default)  # where the i18n plugin built that language
        if (site / folder).exists():
            shutil.rmtree(site / folder)
        shutil.move(out / folder, site / folder)
        for chart in (out / "assets" / "charts").glob(f"*.{lang}.svg"):
            shutil.copy2(chart, site / "assets" / "charts" / chart.name)
        extra = _urls((out / "sitemap.xml").read_text(encoding="utf-8")).lstrip("\n")  # as the plugin joins them
        sitemap = sitemap.replace("</urlset>", extra + "</urlset>")
        search.merge(out, site)  # each process indexed its own language
    (site / "sitemap.xml").write_text(sitemap, encoding="utf-8")
    # compressed as MkDocs compresses it, with the time the default language's build gave it
    gz = site / "sitemap.xml.gz"
    mtime = int.from_bytes(gz.read_bytes()[4:8], "little") if gz.exists() else 0
    with gz.open("wb") as f, gzip.GzipFile(fileobj=f, filename=str(gz), mode="wb", mtime=mtime) as out:
        out.write(sitemap.encode("utf-8"))


def report(failed: dict[str, str]) -> str:
    """One list of every language's problems (those of the data appear once), causes first, each
    cause's consequences in every language counted under it (kb.causes)."""
    problems: dict[str, list[str]] = {}  # a problem's first line -> its consequence lines
    unexplained: dict[str, list[str]] = {}  # what a build printed -> the languages that printed it
    for lang, output in failed.items():
        found = items(re.split(r"problems? to fix:", output, maxsplit=1)[-1]) if "to fix:" in output else []
        for problem in found:
            head, *under = problem.split("\n")
            problems.setdefault(head, []).extend(under)
        if not found:
            unexplained.setdefault(output, []).append(lang)

    def key(problem: str):
        where = problem.split(" ", 1)[0].rstrip(":").split(":")
        line = int(where[1]) if len(where) > 1 and where[1].isdigit() else 0
        return causes.order_key(Problem(where[0], line, "", problem))

    lines = [head + "".join("\n" + c for c in _merged(under)) for head, under in sorted(problems.items(), key=lambda x: key(x[0]))]
    said = [f"--- the build failed ({', '.join(langs)}) ---\n{output}" for output, langs in unexplained.items()]
    return "\n".join([*said, *(listing(lines) if lines else [])])


CONSEQUENCES = re.compile(r"^↳ (\d+) more problems? comes? from this one and will go away once it is fixed \((.*)\)$")


def _merged(under: list[str]) -> list[str]:
    """The consequence lines of one cause as each language printed them, as one line counting them all."""
    count, places, other = 0, [], []
    for line in under:
        match = CONSEQUENCES.match(line)
        if match:
            count += int(match[1])
            places += [p for p in match[2].split(", ") if p != "…" and p not in places]
        elif line not in other:
            other.append(line)
    return [*other, causes.counted(count, places)] if count else other


def annotations(outputs) -> list[str]:
    """The GitHub annotations every language's build printed, once each, causes first."""
    found: dict[str, None] = {}
    for output in outputs:
        for line in output.splitlines():
            if line.startswith("::error ") or line.startswith("::warning "):
                found.setdefault(line)

    def key(line: str):
        file = re.search(r"file=([^,:]*)", line)
        number = re.search(r",line=(\d+)", line)
        return causes.order_key(Problem(file[1] if file else "", int(number[1]) if number else 0, "", line))

    return sorted(found, key=key)


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
    cli = engine.module("__main__").cli
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


def _preload(config: Path) -> None:
    """Load the configuration once, before forking: the engine, the theme, the plugins, the
    Markdown extensions (with Material's icon index) and the hooks are then imported and
    cached once for every language's process. Quietly: a mistake in the configuration is
    reported by each language's build, which loads it again."""
    load_config = engine.module("config").load_config
    here = Path.cwd()
    os.chdir(config.parent)
    logging.disable(logging.CRITICAL)
    try:
        with contextlib.suppress(Exception):
            load_config(str(config))
    finally:
        logging.disable(logging.NOTSET)
        os.chdir(here)


def _forked(outputs: dict[str, Path], config: Path, strict: bool) -> dict[str, tuple[int, str]]:
    """Each language built by a child of this process, at the same time: they share what
    this process has imported and cached (no second Python start-up). Language -> (exit
    code, what its build printed)."""
    _preload(config)
    children = {}
    for lang, out in outputs.items():
        log = tempfile.TemporaryFile()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: one language, its output into the log, then exit at once
            code = 1
            try:
                os.dup2(log.fileno(), 1)
                os.dup2(log.fileno(), 2)
                os.environ["KB_ONLY_LANG"] = lang
                os.environ.pop("GITHUB_STEP_SUMMARY", None)  # the parent writes it once, all languages merged
                code = _build_here(out, config, strict)
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        children[lang] = (pid, log)
    results = {}
    for lang, (pid, log) in children.items():
        code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        log.seek(0)
        results[lang] = (code, log.read().decode("utf-8", errors="replace"))
        log.close()
    return results


def _spawned(outputs: dict[str, Path], config: Path, strict: bool) -> dict[str, tuple[int, str]]:
    """Where a process cannot fork (Windows): one `mkdocs build` per language."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("GITHUB_STEP_SUMMARY", None)  # the parent writes it once, all languages merged
    # not -q: it hides the warnings that --strict counts
    cmd = [*engine.command(), "build", "--clean", "-f", str(config), *(["--strict"] if strict else [])]
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
    texts = {lang: proc.communicate()[0] for lang, proc in procs.items()}
    return {lang: (procs[lang].returncode, text) for lang, text in texts.items()}


def build(site: Path, config: Path = ROOT / "mkdocs.yml", strict: bool = True, processes: int | None = None) -> int:
    """Build the site into a new folder beside `site`, verify every file of it (kb/gate.py), then swap it
    in (kb/publish.py): a failed, refused or stopped build leaves the previous `site` as it was."""
    # relative to where the command was given (`make build` gives ../site from hooks/), not
    # to the project's folder, where MkDocs runs
    site, config = site.resolve(), config.resolve()
    found = tree.problems(config.parent)  # before any file of the project is read
    if found:
        emit_annotations(found)
        print(KbError(found).report(), file=sys.stderr)
        return 1
    try:
        default, others = languages(config)
    except (OSError, yaml.YAMLError, KeyError, TypeError, StopIteration):
        processes = 1  # MkDocs reads mkdocs.yml again and says what is wrong with it
    if processes is None:
        processes = 1 + len(others) if FORK or page_count(config.parent) >= PARALLEL_FROM else 1
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        publish.clean(site)  # what a stopped build left beside the site
        # beside the site, so that the merge and the swap move folders instead of copying them
        staging = publish.staging(site)
    except OSError as exc:
        print(f"ERROR   -  cannot write the site beside {site}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    try:
        new = staging / "site"
        if processes == 1:
            code = _build_here(new, config, strict)  # the hooks verify the whole site (kb/gate.py)
            if code != 0:
                return code
        else:
            outputs = {lang: staging / lang for lang in [default, *others]}
            results = (_forked if FORK else _spawned)(outputs, config, strict)
            failed = {lang: text for lang, (code, text) in results.items() if code != 0}
            if failed:
                said = report(failed)
                print(said, file=sys.stderr)
                # in GitHub Actions: the annotations each language's build wrote, once, causes first, and
                # every problem in the job summary
                print("\n".join(annotations(failed.values())), flush=True)
                if "to fix:" in said:
                    listed = items(said.split("to fix:", 1)[1])
                    causes.write_summary(
                        f"### {len(listed)} problem(s) to fix (causes first)\n\n"
                        + "\n".join("- " + x.replace("\n", "\n  - ") for x in listed)
                        + "\n"
                    )
                return 1
            for _code, text in results.values():
                sys.stderr.write(text)
            try:
                merge(outputs, default, new)
            except search.SearchError as exc:
                print(exc, file=sys.stderr)
                return 1
            publish.checkpoint("merged")
            found = gate.verify(_gate_site(new, config))
            if found:
                emit_annotations(found)
                print(gate.report(found), file=sys.stderr)
                return 1
        try:
            publish.swap(new, site)
        except OSError as exc:
            print(f"ERROR   -  cannot put the new site in place of {site}: {exc.strerror or exc}", file=sys.stderr)
            return 1
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    # the folders MkDocs named were temporary: say where the site is
    print(f"INFO    -  The site ({', '.join([default, *others])}) is in {site}", file=sys.stderr)
    return 0


def _gate_site(folder: Path, config: Path) -> gate.Site:
    """What the gate needs of the configuration (the site's address, the theme's folders)."""
    load_config = engine.module("config").load_config
    here = Path.cwd()
    os.chdir(config.parent)
    logging.disable(logging.WARNING)
    try:
        return gate.site_of(folder, config.parent, load_config(str(config)))
    finally:
        logging.disable(logging.NOTSET)
        os.chdir(here)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default=str(ROOT / "site"))
    parser.add_argument("--processes", type=int, help="1: one process; otherwise one per language (default: by size)")
    args = parser.parse_args()
    sys.exit(build(Path(args.site), processes=args.processes))
