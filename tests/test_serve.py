"""The preview (`make serve`, hooks/kb_serve.py) shows every edit: an open page reloads by
itself with the change (page and data edits, both languages), every other page follows,
and a data mistake made while serving is reported until it is fixed."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.request

from conftest import _free_port, copy_project

PAGE = "generation-equality/collective-commitments/collectives/global-alliance-for-care/"
NAME = "Alliance mondiale pour les soins"


class Serve:
    def __init__(self, project, port: int | None = None):
        self.port = port or _free_port()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        self.proc = subprocess.Popen(
            # what `make serve` runs
            [sys.executable, "hooks/kb_serve.py", "--dev-addr", f"127.0.0.1:{self.port}", "-f", "mkdocs.yml"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)

    def get(self, path: str) -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=10) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    def wait_for(self, check, what: str, timeout: float = 300, poll=lambda: time.sleep(0.25)):
        """Poll until `check()` holds; the deadline only stops a hung test, it is no measure."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check():
                return
            assert self.proc.poll() is None, "mkdocs serve stopped:\n" + "".join(self.lines)
            poll()
        raise AssertionError(f"never saw {what}:\n" + "".join(self.lines[-40:]))

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def test_serve_shows_data_edits_and_reports_a_mistake_until_it_is_fixed(tmp_path):
    project = copy_project(tmp_path / "project")
    data = project / "data" / "collectives.yml"
    original = data.read_text(encoding="utf-8")
    serve = Serve(project)
    try:
        serve.wait_for(lambda: NAME in serve.get(PAGE), "the first build")
        # an edit of a data file shows after the rebuild, on the page and in the download
        data.write_text(original.replace(NAME, NAME + " modifiée"), encoding="utf-8")
        serve.wait_for(lambda: NAME + " modifiée" in serve.get(PAGE), "the edited name")
        assert NAME + " modifiée" in serve.get("assets/data/collectives.csv")
        # an edit of a template (here a chart's specification) shows too
        spec = project / "templates" / "charts" / "collectives-membership.vl.json"
        text = spec.read_text(encoding="utf-8")
        old = '"title": {{ plain_label("date")|tojson }}, "axis": {"format"'
        assert old in text
        spec.write_text(text.replace(old, '"title": "Axe du temps", "axis": {"format"'), encoding="utf-8")
        serve.wait_for(lambda: "Axe du temps" in serve.get("assets/charts/collectives-membership.fr.svg"), "the chart")
        # a mistake is reported in the terminal…
        seen = len(serve.lines)
        data.write_text(original.replace("acronym: GAC", "acronym: [GAC]"), encoding="utf-8")
        serve.wait_for(lambda: any("data/collectives.yml:" in line for line in serve.lines[seen:]), "the problem")
        # …and its fix clears it: the next build succeeds and shows the data
        seen = len(serve.lines)
        data.write_text(original, encoding="utf-8")
        serve.wait_for(lambda: NAME + " modifiée" not in serve.get(PAGE) and NAME in serve.get(PAGE), "the fixed data")
        assert not any("problem" in line for line in serve.lines[seen:])
    finally:
        serve.stop()


def test_an_open_page_reloads_itself_with_each_edit_in_both_languages(tmp_path, browser):
    """In a real browser, as an editor works: the open page shows a page edit and a data edit
    without touching the browser (the live reload runs under the pages' security policy), in
    French and in English; a page that was not open shows the edit too once the whole build
    is done."""
    project = copy_project(tmp_path / "project")
    serve = Serve(project)
    context = browser.new_context()
    polls: dict = {}  # live-reload requests still waiting for their answer -> their tab
    context.on("request", lambda r: "/livereload/" in r.url and polls.__setitem__(r, r.frame.page))
    context.on("requestfinished", lambda r: polls.pop(r, None))
    context.on("requestfailed", lambda r: polls.pop(r, None))
    try:
        serve.wait_for(lambda: NAME in serve.get(PAGE), "the first build")
        tabs = {}
        for lang, path in (("fr", "about/"), ("en", "en/about/")):
            tabs[lang] = context.new_page()
            tabs[lang].goto(f"http://127.0.0.1:{serve.port}/{path}")
        serve.wait_for(lambda: sum("Browser connected" in line for line in serve.lines) >= 2, "both browsers")
        # one live-reload request per tab, however often a tab is hidden and shown again: a browser
        # opens six connections to a host at most, and polls left running would leave none for pages
        for tab in tabs.values():
            tab.evaluate("for (let i = 0; i < 8; i++) document.dispatchEvent(new Event('visibilitychange', { bubbles: true }))")
        serve.wait_for(
            lambda: sorted(id(p) for p in polls.values()) == sorted(id(t) for t in tabs.values()),
            "one live-reload request per tab",
            timeout=20,
            poll=lambda: context.pages[0].wait_for_timeout(200),
        )
        for lang, tab in tabs.items():
            source = project / "content" / lang / "about.md"
            source.write_text(source.read_text(encoding="utf-8") + f"\n\nkb-edit-{lang}\n", encoding="utf-8")
            tab.wait_for_function(
                f"() => document.body && document.body.innerText.includes('kb-edit-{lang}')", timeout=300_000
            )
        # a data edit reaches the open page that shows the data
        tabs["fr"].goto(f"http://127.0.0.1:{serve.port}/{PAGE}")
        serve.wait_for(lambda: any(f"Browser connected: /{PAGE}" in line for line in serve.lines), "the data page")
        data = project / "data" / "collectives.yml"
        data.write_text(data.read_text(encoding="utf-8").replace(NAME, NAME + " en direct"), encoding="utf-8")
        tabs["fr"].wait_for_function(
            f"() => document.body && document.body.innerText.includes({NAME + ' en direct'!r})", timeout=300_000
        )
        # a page nobody had open follows with the whole build: the list of collectives
        serve.wait_for(
            lambda: NAME + " en direct" in serve.get("generation-equality/collective-commitments/collectives/"),
            "the list",
        )
    except BaseException:
        print("".join(serve.lines[-60:]))  # what the preview was doing, shown with the failure
        raise
    finally:
        context.close()
        serve.stop()


def test_the_preview_shows_a_pages_problems_on_the_page_in_its_language(tmp_path):
    project = copy_project(tmp_path / "project")
    about = project / "content" / "fr" / "about.md"
    original = about.read_text(encoding="utf-8")
    serve = Serve(project, int(os.environ.get("KB_TEST_PORT", "0")) or None)
    try:
        serve.wait_for(lambda: "propos" in serve.get("about/"), "the first build")
        serve.get("favicon.ico")  # browsers ask for it: a 404 the preview's log keeps to itself
        about.write_text(original + "\nVoir [la suite](nulle-part.md).\n", encoding="utf-8")
        serve.wait_for(lambda: "À corriger sur cette page" in serve.get("about/"), "the problems on the French page")
        page = serve.get("about/")
        assert "the link to nulle-part.md leads nowhere" in page
        assert "To fix on this page" not in page
        serve.wait_for(lambda: any("nulle-part.md" in line for line in serve.lines), "the problem in the terminal")
        assert not any("favicon" in line for line in serve.lines), "".join(serve.lines[-20:])
        # a data file that cannot be read: the home page, which loses its list, says why
        data = project / "data" / "coalitions.yml"
        lines = data.read_text(encoding="utf-8").split("\n")
        lines[7] = " " + lines[7]
        data.write_text("\n".join(lines), encoding="utf-8")
        serve.wait_for(lambda: "data/coalitions.yml:8: this is not valid YAML" in serve.get(""), "the data's problem")
        assert "To fix on this page" in serve.get("en/")
    finally:
        serve.stop()


def test_the_preview_never_serves_what_the_gate_refuses(tmp_path):
    """An image that runs code when opened (content/ may hold images; no input check reads them, the gate
    does) is not served by the preview, and the gate's finding is printed: whoever previews a pull
    request is not exposed to it. (A page's own problems are shown on the page instead: the test above.)"""
    project = copy_project(tmp_path / "project")
    svg = project / "content" / "assets" / "images" / "x.svg"
    svg.parent.mkdir(parents=True, exist_ok=True)
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', encoding="utf-8")
    serve = Serve(project)
    try:
        serve.wait_for(lambda: any("output gate" in line and "x.svg" in line for line in serve.lines), "the image")
        serve.wait_for(lambda: serve.get("assets/images/x.svg") == "", "the image removed")
    finally:
        serve.stop()
