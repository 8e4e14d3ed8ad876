"""The preview (`mkdocs serve`) shows every edit after the next rebuild, and reports a
data mistake made while serving until it is fixed."""

from __future__ import annotations

import os
import subprocess
import threading
import time
import urllib.request

from conftest import MKDOCS, _free_port, copy_project

PAGE = "generation-equality/collective-commitments/collectives/global-alliance-for-care/"
NAME = "Alliance mondiale pour les soins"


class Serve:
    def __init__(self, project):
        self.port = _free_port()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        self.proc = subprocess.Popen(
            [*MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{self.port}", "-f", str(project / "mkdocs.yml")],
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

    def wait_for(self, check, what: str):
        """Poll until `check()` holds; the deadline only stops a hung test, it is no measure."""
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if check():
                return
            assert self.proc.poll() is None, "mkdocs serve stopped:\n" + "".join(self.lines)
            time.sleep(1)
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
