"""Benchmark of the knowledge base: build time, share of our hooks, rebuild
time while serving, what a first visit downloads, search index sizes, peak
memory. Writes bench/out/report.md and bench/out/report.json.

A benchmark, not a test: it never fails on a timing. Budgets are marked
"pass" or "short" in the report.

    make bench            # RUNS=3 by default
    make bench RUNS=5
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import copy_project  # noqa: E402  (the same copy of the project the tests build)

PY = sys.executable
CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
PAGE_TYPES = {
    "home": "",
    "content": "menengage/code-of-conduct/",
    "generated": "menengage/annual-summary-2017/regions/south-asia/",
    "404": "404.html",
}
BUDGETS = {
    "hooks_share_max": 0.10,
    "parallel_ratio_max": 0.6,
    "content_first_visit_gzip_max": 90_000,  # bytes
    "search_max": 150_000,  # bytes: opening the search and five results, today's content
    "search_max_100x": 200_000,  # the same at 100 times the content (make bench-scale)
    "preview_page_max": 1.0,  # seconds from saving a page to the open page showing it (today's size)
    "preview_data_max": 1.5,  # the same for a data file
    "preview_page_max_10x": 2.0,  # a page at 10 times the content (make bench-scale)
}
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter(); r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)\n"
    "sys.stderr.write(r.stdout[-2000:] + r.stderr[-2000:])\n"
)


def timed_build(
    project: Path, out: Path, strict: bool = True, env_extra: dict | None = None, parallel: bool = False
) -> tuple[float, int]:
    """Wall time (s) and peak memory (KiB, largest process) of one build in fresh processes.

    parallel=False: mkdocs-static-i18n's own sequential build; True: `make build` (one process per language, kb.parallel).
    """
    config = project / "mkdocs.yml"
    if (env_extra or {}).get("KB_BENCH_FREEZE"):  # the stock baseline's content: bench/freeze.py's hook
        from freeze import freeze_config

        config = freeze_config(project)
    cmd = [PY, "-m", "mkdocs", "build", "--clean", "-q", "-f", str(config), "-d", str(out)]
    if strict:
        cmd.insert(4, "--strict")
    cwd = project
    if parallel:
        cmd, cwd = [PY, "-m", "kb.parallel", str(out)], project / "hooks"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env_extra or {})}
    r = subprocess.run([PY, "-c", MEASURE, *cmd], capture_output=True, text=True, cwd=cwd, env=env)
    seconds, maxrss, code = r.stdout.split()
    if code != "0":
        raise SystemExit(f"build failed:\n{r.stderr}")
    return float(seconds), int(maxrss)


def git_snapshot(project: Path) -> None:
    """Make the copy a Git repository with one commit, so that "last updated" asks Git as in production."""
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "snapshot"], cwd=project, check=True)


def stock_project(project: Path, frozen: Path, target: Path) -> Path:
    """The same content for MkDocs, Material and mkdocs-static-i18n alone: every page's final
    Markdown, every generated file and the full navigation (written by a build with
    bench/freeze.py, a hook only the benchmark adds), and mkdocs.yml without our hooks and our theme
    overrides, with Material's search plugin (a stock site's search; ours is Pagefind's,
    indexed in our build's time)."""
    shutil.copytree(project, target, ignore=shutil.ignore_patterns(".git", ".cache", "__pycache__"))
    shutil.copytree(frozen / "content", target / "content", dirs_exist_ok=True)
    config = (target / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"^hooks:\n(  - .*\n)+", "", config, flags=re.MULTILINE)
    # a stock site searches with Material's search plugin (ours indexes with Pagefind)
    config = config.replace("\nplugins:\n", "\nplugins:\n  - search\n", 1)
    # and has Material's own templates: ours call what our hooks define (the labels' words)
    config = re.sub(r"^  custom_dir: overrides\n", "", config, flags=re.MULTILINE)
    config = config[: config.index("\nnav:\n") + 1] + (frozen / "nav.yml").read_text(encoding="utf-8")
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    git_snapshot(target)
    return target


def html_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# What an editor saves under the preview: a page (content/fr/about.md, open at /about/), a data
# file (a collective's name, open on its page), each the way `preview_times` measures it.
EDITS = {
    "page": ("content/fr/about.md", "about/", None),
    "data": (
        "data/collectives.yml",
        "generation-equality/collective-commitments/collectives/global-alliance-for-care/",
        "Alliance mondiale pour les soins",
    ),
}


def preview_times(project: Path, runs: int, edit: str = "page", stock: bool = False) -> dict:
    """Seconds from saving a file to the page open in Chromium showing the change, reloaded by
    the preview itself: `make serve`'s (hooks/kb_serve.py) or, with `stock`, `mkdocs serve`.
    Between two saves it waits until the preview is idle (the whole site rebuilt), as an
    editor who reads the page before the next save; that time is reported too."""
    from playwright.sync_api import sync_playwright

    path, url, needle = EDITS[edit]
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if stock:
        # not strict: the stock copy has no hook to drop the edit address MkDocs warns about
        cmd = [PY, "-m", "mkdocs", "serve", "--livereload", "--no-strict", "-a", f"127.0.0.1:{port}"]
    else:
        cmd = [PY, "hooks/kb_serve.py", "--dev-addr", f"127.0.0.1:{port}"]
    server = subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True).start()
    source = project / path
    original = source.read_text(encoding="utf-8")
    shown, whole = [], []
    try:
        deadline = time.time() + 600
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/{url}", timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/{url}")
            page.wait_for_load_state("load")
            time.sleep(2)
            for i in range(runs):
                marker = f"kbbench{i}x{time.time_ns()}"
                done = len(lines)
                start = time.perf_counter()
                if needle is None:
                    source.write_text(original + f"\n\n{marker}\n", encoding="utf-8")
                else:
                    source.write_text(original.replace(needle, f"{needle} {marker}", 1), encoding="utf-8")
                page.wait_for_function(
                    f"() => document.body && document.body.innerText.includes('{marker}')", timeout=300_000, polling=10
                )
                shown.append(time.perf_counter() - start)
                idle = "Reloading browsers" if stock else "Whole site rebuilt"
                while not any(idle in line for line in lines[done:]) and time.perf_counter() - start < 300:
                    time.sleep(0.05)
                whole.append(time.perf_counter() - start)
                time.sleep(1)
            browser.close()
    finally:
        source.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)
    return {"shown": [round(s, 2) for s in shown], "idle": [round(s, 2) for s in whole]}


COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".csv", ".txt")


class GzipHandler(SimpleHTTPRequestHandler):
    """Serves files as static hosts do (GitHub Pages, Netlify...): text compressed with gzip
    for a browser that accepts it. Lighthouse's throttling counts the bytes transferred."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # redirects to the address with a slash
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not accepts or not path.name.endswith(COMPRESSIBLE) or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(site: Path, port: int):
    """Serve the built site on localhost:port, compressed as a static host would; yield its base address."""
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


def _record_bodies(page) -> list:
    """Every response `page` receives, as (url, resource type, body), in a list that fills as it loads."""
    bodies: list = []

    def keep(response):
        try:
            bodies.append((response.url, response.request.resource_type, response.body()))
        except Exception:  # redirects and aborted requests have no body
            pass

    page.on("response", keep)
    return bodies


def first_visit(site: Path, port: int) -> dict:
    """What a first visit downloads, per page type and language, measured in Chromium;
    and, on the content page, what opening the search downloads afterwards."""
    from playwright.sync_api import sync_playwright

    results: dict = {}
    with serve(site, port) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for lang in ("fr", "en"):
            for kind, path in PAGE_TYPES.items():
                context = browser.new_context()
                page = context.new_page()
                bodies = _record_bodies(page)
                page.goto(base + ("" if lang == "fr" else "en/") + path)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(500)
                results[f"{kind}/{lang}"] = _totals(bodies)
                if kind == "content":
                    loaded = len(bodies)
                    page.locator("input.md-search__input").click()
                    page.locator("input.md-search__input").fill("genre" if lang == "fr" else "gender")
                    page.wait_for_selector(".md-search-result__item", timeout=15000)
                    page.wait_for_load_state("networkidle")
                    results[f"opening the search/{lang}"] = _totals(bodies[loaded:])
                context.close()
        browser.close()
    return results


# Readers' queries for the search measurement (bench and scale)
# (the last of each language is mistyped: its nearest words are offered and searched, which
# downloads the words of the language's pages)
SEARCH_QUERIES = {
    "fr": ["redevabilité", "travailleuses domestiques", "stratgie"],
    "en": ["accountability", "domestic workers", "pricniples"],
}
# Lighthouse's mobile emulation slows the CPU 4 times; the same here, through the DevTools protocol
CPU_SLOWDOWN = 4
TYPING_DELAY_MS = 150  # between two keys


def _search_page(browser, base: str, lang: str):
    """A fresh reader on the content page, loaded, the CPU then slowed; the page records the
    time of the first key (or text input) and of the first and the fifth result shown."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + ("" if lang == "fr" else "en/") + PAGE_TYPES["content"])
    page.wait_for_load_state("networkidle")
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    page.evaluate(
        """() => { const list = document.querySelector('.md-search-result__list');
            const box = document.querySelector('.md-search__input');
            box.addEventListener('input', () => { window.kbFirstInput ??= performance.now();
                window.kbLastInput = performance.now(); });
            new MutationObserver(() => { if (!window.kbFirstInput) return;
                const n = list.querySelectorAll('.md-search-result__item').length;
                if (n) window.kbFirst ??= performance.now();
                if (n >= 5 && list.getAttribute('aria-busy') === 'false') window.kbFive = performance.now();
            }).observe(list, {childList: true, subtree: true, attributes: true}); }"""
    )
    return context, page


def _five_results(page) -> dict:
    page.wait_for_function("() => window.kbFive && window.kbFive > window.kbLastInput", timeout=60000)
    return page.evaluate(
        """() => ({first_results_ms: Math.round(window.kbFirst - window.kbFirstInput),
                  last_key_to_five_ms: Math.round(window.kbFive - window.kbLastInput)})"""
    )


def search_cost(site: Path, port: int) -> dict:
    """Per language and query, with the CPU slowed as in Lighthouse's mobile emulation (the
    network is localhost's): what a reader downloads from opening the search on a content page
    to five results, typing key by key; the time from the last key to the five results; and,
    for a reader who pastes the query as soon as the search opens (engine and index not yet
    loaded), the time from that input to the first results."""
    from playwright.sync_api import sync_playwright

    out: dict = {}
    with serve(site, port) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for lang, queries in SEARCH_QUERIES.items():
            for query in queries:
                context, page = _search_page(browser, base, lang)
                bodies = _record_bodies(page)
                page.locator("input.md-search__input").click()
                page.keyboard.type(query, delay=TYPING_DELAY_MS)
                typed = _five_results(page)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(1000)
                context.close()
                context, page = _search_page(browser, base, lang)
                page.locator("input.md-search__input").click()
                page.keyboard.insert_text(query)
                pasted = _five_results(page)
                context.close()
                out[f"{lang}/{query}"] = {
                    **_totals(bodies),
                    "last_key_to_five_ms": typed["last_key_to_five_ms"],
                    "cold_input_to_first_ms": pasted["first_results_ms"],
                }
        browser.close()
    return out


def _totals(bodies: list) -> dict:
    totals: dict = {}
    for url, rtype, body in bodies:
        t = totals.setdefault(_kind(url, rtype), {"raw": 0, "gzip": 0, "files": 0})
        t["raw"] += len(body)
        # Pagefind's files are stored compressed and served as they are
        t["gzip"] += min(len(body), len(gzip.compress(body, 6)))
        t["files"] += 1
    totals["total"] = {k: sum(v[k] for v in list(totals.values())) for k in ("raw", "gzip", "files")}
    return totals


def _kind(url: str, rtype: str) -> str:
    if "/pagefind/" in url and not url.endswith(".js"):
        return "search index"  # index chunks, excerpts, the engine's WebAssembly
    if url.endswith(".js") or rtype == "script":
        return "js"
    if url.endswith(".css") or rtype == "stylesheet":
        return "css"
    if rtype == "font" or url.endswith((".woff", ".woff2", ".ttf")):
        return "fonts"
    if rtype == "document":
        return "html"
    return "other"


LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_PAGES = {"home": "", "content": "menengage/code-of-conduct/", "generated": PAGE_TYPES["generated"]}


def lighthouse(site: Path, port: int, runs: int) -> dict:
    """Lighthouse scores (mobile emulation) of home, a content page and a generated page, both
    languages: the median of `runs` runs of each (Lighthouse's advice: scores vary between runs)."""
    if not LIGHTHOUSE.exists():
        return {}
    flags = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking "
    flags += "--disable-component-update --disable-sync"
    scores: dict = {}
    with serve(site, port) as base, tempfile.TemporaryDirectory() as tmp:
        for lang in ("fr", "en"):
            for kind, path in LIGHTHOUSE_PAGES.items():
                samples: dict[str, list[int]] = {}
                for run in range(runs):
                    out = Path(tmp) / f"{kind}-{lang}-{run}.json"
                    subprocess.run(
                        [
                            str(LIGHTHOUSE),
                            base + ("" if lang == "fr" else "en/") + path,
                            f"--chrome-path={CHROMIUM}",
                            f"--chrome-flags={flags}",
                            "--form-factor=mobile",
                            "--output=json",
                            f"--output-path={out}",
                            "--quiet",
                            "--only-categories=performance,accessibility,best-practices,seo",
                        ],
                        capture_output=True,
                        text=True,
                        timeout=300,
                        check=False,
                    )
                    if out.exists():
                        for k, v in json.loads(out.read_text(encoding="utf-8"))["categories"].items():
                            samples.setdefault(k, []).append(round(v["score"] * 100))
                if samples:
                    scores[f"{kind}/{lang}"] = {
                        **{k: round(statistics.median(v)) for k, v in samples.items()},
                        "performance_samples": samples.get("performance", []),
                    }
    return scores


def search_indexes(site: Path) -> dict:
    """Pagefind's files per language (all stored compressed): index chunks, excerpts (one per
    page), and the seconds Pagefind takes to index the built site again."""
    sys.path.insert(0, str(ROOT / "hooks"))
    from kb import search

    bundle = site / "pagefind"
    out: dict = {}
    for lang in ("fr", "en"):
        chunks = [p.stat().st_size for p in bundle.glob(f"index/{lang}_*.pf_index")]
        fragments = [p.stat().st_size for p in bundle.glob(f"fragment/{lang}_*.pf_fragment")]
        out[lang] = {
            "chunks": len(chunks),
            "chunks_total": sum(chunks),
            "largest_chunk": max(chunks),
            "pages": len(fragments),
            "fragments_total": sum(fragments),
        }
    start = time.perf_counter()
    search.index(site)
    out["index_seconds"] = round(time.perf_counter() - start, 2)
    return out


def search_lines(cost: dict, index: dict) -> list[str]:
    """The report's search section (also used by bench/scale.py)."""
    return [
        f"## Search (Pagefind; the CPU slowed {CPU_SLOWDOWN}x as in Lighthouse's mobile emulation, "
        f"keys {TYPING_DELAY_MS} ms apart)",
        "",
        "From opening the search on a content page to five results, the query typed key by key: "
        "what is downloaded (compressed as served) and the time from the last key to the five results; "
        "and for a reader who pastes the query as the search opens (nothing loaded yet), "
        "the time to the first results.",
        "",
        "| language / query | engine JS | index, excerpts, WebAssembly | other | total | last key to five results | "
        "pasted, to first results |",
        "|---|---|---|---|---|---|---|",
        *[
            f"| {key} | {kib(v.get('js', {}).get('gzip', 0))} | {kib(v.get('search index', {}).get('gzip', 0))} | "
            f"{kib(v.get('other', {}).get('gzip', 0))} | {kib(v['total']['gzip'])} ({v['total']['gzip']:,} bytes) | "
            f"{v['last_key_to_five_ms']} ms | {v['cold_input_to_first_ms']} ms |"
            for key, v in cost.items()
        ],
        "",
        "| language | pages | index chunks | largest chunk | index total | excerpts total |",
        "|---|---|---|---|---|---|",
        *[
            f"| {lang} | {v['pages']} | {v['chunks']} | {kib(v['largest_chunk'])} | {kib(v['chunks_total'])} | "
            f"{kib(v['fragments_total'])} |"
            for lang, v in index.items()
            if lang != "index_seconds"
        ],
        "",
        f"Pagefind indexes the built site (both languages) in {index['index_seconds']} s (part of every build).",
    ]


def kib(n: float) -> str:
    return f"{n / 1024:,.1f} KiB"


def mark(ok: bool) -> str:
    return "pass" if ok else "short"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=int(os.environ.get("RUNS", 3)))
    parser.add_argument("--no-lighthouse", action="store_true", help="leave Lighthouse out (it takes most of the time)")
    args = parser.parse_args()
    out_dir = ROOT / "bench" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    report: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "runs": args.runs,
    }
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        project = copy_project(tmp / "project")
        site = tmp / "site"
        # measured side by side, alternating, so that both see the same machine load
        # built for the address it is served from, as in production (hreflang, canonical)
        port = free_port()
        site_url = {"SITE_URL": f"http://127.0.0.1:{port}/"}
        git_snapshot(project)
        # warm-up, not measured: fills the chart cache and writes the final content for the stock build
        timed_build(project, site, env_extra={**site_url, "KB_BENCH_FREEZE": str(tmp / "frozen")})
        stock = stock_project(project, tmp / "frozen", tmp / "stock")
        ours, baseline, parallel = [], [], []
        for _ in range(args.runs):
            parallel.append(timed_build(project, tmp / "parallel", env_extra=site_url, parallel=True))
            ours.append(timed_build(project, site, env_extra=site_url))
            baseline.append(timed_build(stock, tmp / "baseline", strict=False, env_extra=site_url))
        report["build"] = {
            "seconds": statistics.median(s for s, _ in ours),
            "samples": [round(s, 3) for s, _ in ours],
            "peak_memory_mib": round(max(m for _, m in ours) / 1024, 1),
            "html_pages": html_pages(site),
        }
        report["stock_build"] = {
            "seconds": statistics.median(s for s, _ in baseline),
            "samples": [round(s, 3) for s, _ in baseline],
            "html_pages": html_pages(tmp / "baseline"),
        }
        report["parallel_build"] = {
            "seconds": statistics.median(s for s, _ in parallel),
            "samples": [round(s, 3) for s, _ in parallel],
        }
        # ratios within each round (the three builds ran one after the other), then their median:
        # the machine's load drifts between rounds more than within one
        rounds = list(zip(ours, baseline, parallel, strict=True))
        report["parallel_ratios"] = [round(p[0] / b[0], 3) for _, b, p in rounds]
        report["hooks_shares"] = [round(1 - b[0] / o[0], 3) for o, b, _ in rounds]
        report["parallel_ratio"] = round(statistics.median(report["parallel_ratios"]), 3)
        report["hooks_share"] = round(statistics.median(report["hooks_shares"]), 3)
        # the preview: ours after a page edit and a data edit, and stock `mkdocs serve` on the same content
        report["preview"] = {
            "page": preview_times(project, max(args.runs, 5), "page"),
            "data": preview_times(project, max(args.runs, 5), "data"),
            "stock page": preview_times(stock, max(args.runs, 5), "page", stock=True),
        }
        report["search_index"] = search_indexes(site)
        report["search"] = search_cost(site, port)
        report["first_visit"] = first_visit(site, port)
        report["lighthouse"] = {} if args.no_lighthouse else lighthouse(site, port, args.runs)
    content_gzip = max(report["first_visit"][f"content/{lang}"]["total"]["gzip"] for lang in ("fr", "en"))
    search_max = max(v["total"]["gzip"] for v in report["search"].values())
    report["budgets"] = {
        "hooks under 10 % of build time": mark(report["hooks_share"] < BUDGETS["hooks_share_max"]),
        "`make build` at most 0.6x the stock sequential build": mark(
            report["parallel_ratio"] <= BUDGETS["parallel_ratio_max"]
        ),
        "content page first visit under 90 KB (90,000 bytes) gzip, everything it downloads": mark(
            content_gzip < BUDGETS["content_first_visit_gzip_max"]
        ),
        "opening the search and five results under 150 KB (150,000 bytes), every query": mark(
            search_max <= BUDGETS["search_max"]
        ),
        "page edit shown in the open page within 1.0 s (median)": mark(
            statistics.median(report["preview"]["page"]["shown"]) <= BUDGETS["preview_page_max"]
        ),
        "data edit shown in the open page within 1.5 s (median)": mark(
            statistics.median(report["preview"]["data"]["shown"]) <= BUDGETS["preview_data_max"]
        ),
    }
    if report["lighthouse"]:
        lh = report["lighthouse"].values()
        report["budgets"]["Lighthouse accessibility, best practices and SEO 100 on every page"] = mark(
            all(v.get(k) == 100 for v in lh for k in ("accessibility", "best-practices", "seo"))
        )
        report["budgets"]["Lighthouse performance at least 95 on every page (median)"] = mark(
            all((v.get("performance") or 0) >= 95 for v in lh)
        )
    (out_dir / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    lines = [
        "# Benchmark report",
        "",
        f"Machine: {report['machine']['cpus']} CPUs, Python {report['machine']['python']}. "
        f"Medians of {args.runs} runs.",
        "",
        "## Build",
        "",
        "| what | seconds | samples |",
        "|---|---|---|",
        f"| strict build of the real site (both languages) | {report['build']['seconds']:.2f} | {report['build']['samples']} |",
        f"| `make build` (one process per language, forked after one start-up) | {report['parallel_build']['seconds']:.2f} | "
        f"{report['parallel_build']['samples']} |",
        f"| the same content, stock MkDocs + Material + mkdocs-static-i18n, no hooks | "
        f"{report['stock_build']['seconds']:.2f} | {report['stock_build']['samples']} |",
        "",
        f"HTML pages built: {report['build']['html_pages']} (ours), {report['stock_build']['html_pages']} (stock). "
        f"One process per language / stock sequential build: {report['parallel_ratio']:.2f} "
        f"(rounds: {report['parallel_ratios']}). "
        f"Share of our hooks (1 - stock / ours, both sequential): {report['hooks_share'] * 100:.1f} % "
        f"(rounds: {report['hooks_shares']}). "
        "(Both ratios are medians of the ratios within each round.) "
        f"Peak memory of the build: {report['build']['peak_memory_mib']} MiB.",
        "",
        "## Preview: from saving a file to the open page showing the change",
        "",
        "Measured in Chromium: the page open in the browser, reloaded by the preview itself. "
        "`make serve` builds the open page first, then the whole site; the last column is the time "
        "until the whole site is rebuilt (the preview idle again).",
        "",
        "| edit | median (s) | samples | until the whole site is rebuilt (s) |",
        "|---|---|---|---|",
        *[
            f"| {name} | {statistics.median(v['shown']):.2f} | {v['shown']} | {v['idle']} |"
            for name, v in report["preview"].items()
        ],
        "",
        "## First visit (measured in Chromium, gzip computed at level 6)",
        "",
        "| page / language | HTML | CSS | JS | fonts | search index | other | total (gzip) | total (raw) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key, t in report["first_visit"].items():

        def g(name, t=t):
            return kib(t[name]["gzip"]) if name in t else "0"

        lines.append(
            f"| {key} | {g('html')} | {g('css')} | {g('js')} | {g('fonts')} | {g('search index')} | {g('other')} | "
            f"{kib(t['total']['gzip'])} | {kib(t['total']['raw'])} |"
        )
    lines += [
        "",
        "The search engine and the index are downloaded when the reader opens the search "
        '(the "opening the search" rows: a one-word query typed at once), not with the page.',
        "",
        *search_lines(report["search"], report["search_index"]),
        "",
        f"## Lighthouse (mobile emulation, served with gzip as static hosts do; medians of {args.runs} runs)",
        "",
        "| page / language | performance (runs) | accessibility | best practices | SEO |",
        "|---|---|---|---|---|",
        *[
            f"| {key} | {v.get('performance')} {v.get('performance_samples')} | {v.get('accessibility')} | "
            f"{v.get('best-practices')} | {v.get('seo')} |"
            for key, v in report["lighthouse"].items()
        ],
        "",
        "## Budgets",
        "",
        *[f"- {name}: **{state}**" for name, state in report["budgets"].items()],
        "",
    ]
    (out_dir / "report.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
