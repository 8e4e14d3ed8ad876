"""Shared fixtures: the real site, built once per test session."""

from __future__ import annotations

import functools
import os
import shutil
import socket
import subprocess
import sys
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
SITE_PORT = _free_port()
SITE_URL = f"http://127.0.0.1:{SITE_PORT}/"
# A repository address, so that the tests see the "edit this page" links
REPO_URL = "https://github.com/example/knowledge-base"


def build(project: Path, out: Path, command: list[str] = MKDOCS) -> subprocess.CompletedProcess:
    """Run a strict build of `project` into `out` (a separate process, as an editor would)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": SITE_URL, "REPO_URL": REPO_URL}
    return subprocess.run(
        [*command, "build", "--strict", "--clean", "-f", str(project / "mkdocs.yml"), "-d", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
    )


def copy_project(target: Path) -> Path:
    """A copy of the project's inputs, for tests that change them."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "content", "data", "hooks", "overrides", "templates", "translations", "sources"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, target / name)
    return target


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = build(ROOT, out)
    assert result.returncode == 0, f"the site does not build:\n{result.stdout}\n{result.stderr}"
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

CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
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


@pytest.fixture(scope="session")
def base_url(site):
    # served where it was built for (see conftest.SITE_URL)
    server = ThreadingHTTPServer(("127.0.0.1", SITE_PORT), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), (
        f"Chromium is needed for the browser tests and is not at {CHROMIUM}: "
        "install Debian's package `chromium` (make test does it as root) or set KB_CHROMIUM"
    )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()
