"""Shared fixtures: the real site, built once per test run.

The suite runs in two processes (pytest-xdist, `-n 2` in pyproject.toml). The
main process picks the site's port and serves the site there (pytest_configure);
the first worker to need the site builds it into a folder both share
(`built_site`), under a lock that every build of the project's own folder takes,
since builds write its `.cache/`. A copy of the project (`copy_project`) starts
from that build's cache, as a second build on an editor's machine does; the
caches are keyed by everything a result depends on, so an edit in the copy is
rebuilt and reported as without them.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
# pytest puts hooks/ on the path (pyproject.toml); the benchmark imports this module too
sys.path.insert(0, str(ROOT / "hooks"))
from kb import engine  # noqa: E402

MKDOCS = engine.command()
LANGS = ("fr", "en")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The site is built for the address the browser tests serve it from, as it is
# in production: canonical and hreflang addresses point at the site itself.
# The main process chooses the port; the worker processes inherit it.
SITE_PORT = int(os.environ.get("KB_TEST_SITE_PORT") or _free_port())
SITE_URL = f"http://127.0.0.1:{SITE_PORT}/"
# A repository address, so that the tests see the "edit this page" links
REPO_URL = "https://github.com/example/knowledge-base"


def _shared() -> Path:
    """The folder the processes of one test run share (the site, its cache, the lock)."""
    if "KB_TEST_SHARED" not in os.environ:  # not run by pytest (the benchmark)
        os.environ["KB_TEST_SHARED"] = tempfile.mkdtemp(prefix="kb-tests-")
    return Path(os.environ["KB_TEST_SHARED"])


@contextlib.contextmanager
def root_lock():
    """Held by every build of the project's own folder: they write its .cache/ (one at a time)."""
    with open(_shared() / "root.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _build(project: Path, out: Path, command: list[str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": SITE_URL, "REPO_URL": REPO_URL}
    return subprocess.run(
        [*command, "build", "--strict", "--clean", "-f", str(project / "mkdocs.yml"), "-d", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
    )


def build(project: Path, out: Path, command: list[str] = MKDOCS) -> subprocess.CompletedProcess:
    """Run a strict build of `project` into `out` (a separate process, as an editor would)."""
    if project.resolve() != ROOT:
        return _build(project, out, command)
    with root_lock():
        return _build(project, out, command)


@functools.cache
def built_site() -> tuple[Path, int, str]:
    """The project's site, built once per test run whichever process asks first: (folder, exit code, log)."""
    shared = _shared()
    out, log = shared / "site", shared / "site.log"
    with root_lock():
        if not log.exists():
            result = _build(ROOT, out, MKDOCS)
            if result.returncode == 0 and (ROOT / ".cache").is_dir():
                # and make check's (each page's HTML check), as on an editor's machine that ran both
                subprocess.run([sys.executable, "-m", "kb.check"], cwd=ROOT / "hooks", capture_output=True)
                # what copies of the project start from (never written again)
                shutil.copytree(ROOT / ".cache", shared / "cache", ignore=shutil.ignore_patterns("*.tmp"))
            log.write_text(f"{result.returncode}\n{result.stdout}\n{result.stderr}", encoding="utf-8")
    code, _, output = log.read_text(encoding="utf-8").partition("\n")
    return out, int(code), output


def copy_project(target: Path, cache: bool | None = None) -> Path:
    """A copy of the project's inputs, for tests that change them. With `cache` (the default in a
    test run, not for the benchmark), the caches of the run's build of the project (its site is
    then built first); without, none: the copy's first build is a first build."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "content", "data", "hooks", "overrides", "templates", "translations", "sources"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, target / name)
    if cache is None:
        cache = TEST_RUN
    if cache:
        built_site()
        if (_shared() / "cache").is_dir():
            shutil.copytree(_shared() / "cache", target / ".cache")
    return target


@pytest.fixture(scope="session")
def site() -> Path:
    out, code, output = built_site()
    assert code == 0, f"the site does not build:\n{output}"
    return out


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def lang_root(site: Path, lang: str) -> Path:
    """Where a language's pages are in the built site (French at the root)."""
    return site if lang == "fr" else site / lang


def pages(site: Path, lang: str) -> set[str]:
    """Relative paths of the HTML pages of one language (404 included)."""
    root = lang_root(site, lang)
    found = set()
    for path in root.rglob("*.html"):
        rel = path.relative_to(root).as_posix()
        if lang == "fr" and any(rel.startswith(f"{other}/") for other in LANGS if other != "fr"):
            continue
        if rel.startswith("assets/") or rel.endswith("/print.html"):
            continue  # a section's printable document is its pages again (test_print.py)
        found.add(rel)
    return found


# Browser tests (test_browser.py, test_search.py): the built site served on localhost, Chromium.

CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium-headless-shell")  # the Makefile's CHROMIUM
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def url_of(base: str, lang: str, path: str) -> str:
    return base + ("" if lang == "fr" else "en/") + path


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def handle(self):
        try:
            super().handle()
        except ConnectionError:
            pass  # the browser left before the answer (a page closed mid-load): nothing to report


TEST_RUN = False  # run by pytest (not imported by the benchmark)


def pytest_configure(config):
    """In the main process only: the folder and port the workers share, and the server of the site."""
    global TEST_RUN
    TEST_RUN = True
    if "PYTEST_XDIST_WORKER" in os.environ:
        return
    os.environ["KB_TEST_SHARED"] = tempfile.mkdtemp(prefix="kb-tests-")
    os.environ["KB_TEST_SITE_PORT"] = str(SITE_PORT)
    (_shared() / "site").mkdir()
    # served where it was built for (see SITE_URL), from the folder the first worker builds it into
    server = ThreadingHTTPServer(("127.0.0.1", SITE_PORT), functools.partial(QuietHandler, directory=str(_shared() / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    config.kb_server = server


def pytest_unconfigure(config):
    server = getattr(config, "kb_server", None)
    if server is not None:
        server.shutdown()
        server.server_close()
        shutil.rmtree(os.environ.pop("KB_TEST_SHARED"), ignore_errors=True)


@pytest.fixture(scope="session")
def base_url(site):
    return SITE_URL


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), (
        f"Chromium is needed for the browser tests and is not at {CHROMIUM}: "
        "install Debian's package `chromium-headless-shell` (make test does it as root) or set KB_CHROMIUM"
    )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def fresh_page(browser):
    """A tab of its own in a browser context of its own (empty cache and storage), for the tests
    that count requests or change the tab itself (listeners, routes, emulation, other tabs)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(scope="session")
def _tabs(browser):
    made: dict = {}
    yield made
    for context, _ in made.values():
        context.close()


@pytest.fixture
def tab(_tabs, browser):
    """`tab(**context_options)`: a tab of this test process kept from test to test for these options,
    since a new tab costs a new renderer process. For tests that only read the site's pages: after
    the test it is back on a blank page, its storage and cookies cleared, any other tab closed."""
    used = []

    def open_tab(**options):
        key = repr(sorted(options.items()))
        context, page = _tabs.get(key, (None, None))
        if page is None or page.is_closed():
            context = browser.new_context(**options)
            page = context.new_page()
            _tabs[key] = (context, page)
        used.append((context, page))
        return page

    yield open_tab
    for context, page in used:
        for other in context.pages:
            if other is not page:
                other.close()
        if page.is_closed():
            continue
        if page.url.startswith(SITE_URL):
            page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        page.goto("about:blank")
        context.clear_cookies()


@pytest.fixture
def page(tab):
    """The desktop tab of this test process (see `tab`)."""
    return tab(viewport={"width": 1280, "height": 900})
