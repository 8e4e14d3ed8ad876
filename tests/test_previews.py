"""Pull requests' previews (publish.yml, kb.previews) and the translators' recording workflow:
what runs with write access runs main's code, and reads a pull request's output as data."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import ROOT
from kb import previews

WORKFLOWS = ROOT / ".github" / "workflows"
PAGE = (
    '<!doctype html><html><head><meta charset="utf-8"><script>var theme = 1;</script></head>'
    '<body><a href="data:application/x-bibtex;charset=utf-8,@misc">BibTeX</a>'
    '<script src="../assets/app.js"></script></body></html>'
)


@pytest.fixture
def published(tmp_path):
    """A published site (the root of gh-pages) with one script file and one inline script."""
    root = tmp_path / "pages"
    (root / "assets").mkdir(parents=True)
    (root / "assets" / "app.js").write_text("console.log(1)", encoding="utf-8")
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    return root


def preview(tmp_path, page=PAGE, script="console.log(1)"):
    site = tmp_path / "artifact" / "site"
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "app.js").write_text(script, encoding="utf-8")
    (site / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "artifact" / "preview-info").mkdir()
    return site


def test_a_preview_like_the_site_may_be_published_beside_it(tmp_path, published):
    site = preview(tmp_path)
    assert previews.check(site, published) == []
    where = previews.place(site, published, 12)
    assert where == published / "previews" / "pr-12"
    assert (where / "index.html").read_text(encoding="utf-8") == PAGE
    # the site published again keeps the previews
    previews.place_site(site, published)
    assert (published / "previews" / "pr-12" / "index.html").is_file()
    assert (published / ".nojekyll").is_file()


@pytest.mark.parametrize(
    ("page", "script", "said"),
    [
        (PAGE, "fetch('//evil')", "assets/app.js: a script the published site does not have"),
        (
            PAGE.replace("var theme = 1;", "steal()"),
            "console.log(1)",
            "an inline script the published site does not have",
        ),
        (PAGE.replace("<body>", '<body onload="x()">'), "console.log(1)", "index.html: an attribute onload="),
        (PAGE.replace("data:application/x-bibtex", "data:text/html"), "console.log(1)", "index.html: an address"),
        (PAGE.replace("<body>", '<body><iframe src="x.html"></iframe>'), "console.log(1)", "a <iframe> element"),
        (PAGE.replace("../assets/app.js", "https://evil.example/x.js"), "console.log(1)", "a script from another site"),
        # read as browsers read it: `<!-->` ends the comment, the script after it runs
        (PAGE.replace("<body>", "<body><!--><script>steal()</script>-->"), "console.log(1)",
         "an inline script the published site does not have"),
        (PAGE.replace("<body>", '<body><!--><meta http-equiv="refresh" content="0;url=https://evil.example/">-->'),
         "console.log(1)", "a <meta http-equiv=refresh>"),
    ],
)
def test_a_preview_may_not_carry_what_the_site_does_not(tmp_path, published, page, script, said):
    site = preview(tmp_path, page, script)
    problems = previews.check(site, published)
    assert any(said in p for p in problems), problems


def test_a_symbolic_link_or_a_strange_file_is_refused(tmp_path, published):
    site = preview(tmp_path)
    (site / "secret").symlink_to("/etc/hostname")
    (site / "run.sh").write_text("echo", encoding="utf-8")
    assert previews.check(site, published) == [
        "run.sh: not a kind of file the site has (.sh)",
        "secret: a symbolic link",
    ]


def test_no_published_site_no_preview(tmp_path):
    site = preview(tmp_path)
    (tmp_path / "empty").mkdir()
    assert previews.check(site, tmp_path / "empty")[0].startswith("the published site has no script")


@pytest.mark.parametrize("text", ["12\n", "7"])
def test_the_pull_requests_number_is_read_as_a_number(tmp_path, text):
    preview(tmp_path)
    (tmp_path / "artifact" / "preview-info" / "number").write_text(text, encoding="ascii")
    assert previews.number(tmp_path / "artifact") == int(text)


@pytest.mark.parametrize("text", ["12; rm -rf /", "../1", "", "0", "$(id)"])
def test_anything_else_is_no_pull_requests_number(tmp_path, text):
    preview(tmp_path)
    (tmp_path / "artifact" / "preview-info" / "number").write_text(text, encoding="ascii")
    with pytest.raises(ValueError):
        previews.number(tmp_path / "artifact")


# --- The workflows -------------------------------------------------------------------------------


def workflow(name: str) -> dict:
    doc = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    doc["on"] = doc.pop(True, doc.get("on"))  # YAML 1.1 reads `on:` as true
    return doc


def writes(doc: dict) -> bool:
    perms = [doc.get("permissions") or {}, *((job.get("permissions") or {}) for job in doc["jobs"].values())]
    return any(v == "write" for p in perms if isinstance(p, dict) for v in p.values())


@pytest.mark.parametrize("name", ["translations.yml", "preview.yml", "publish.yml"])
def test_no_workflow_with_write_access_runs_a_pull_requests_code(name):
    doc = workflow(name)
    triggers = set(doc["on"]) if isinstance(doc["on"], dict) else {doc["on"]}
    assert "pull_request_target" not in triggers
    if writes(doc):
        assert "pull_request" not in triggers, "a pull request's code would run with write access"
        for job in doc["jobs"].values():
            for step in job["steps"]:
                if str(step.get("uses", "")).startswith("actions/checkout@"):
                    assert "ref" not in (step.get("with") or {}), "checks out something else than main"
    for job in doc["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_the_preview_is_built_for_its_address_and_kept_out_of_search_engines():
    build = workflow("preview.yml")["jobs"]["build"]
    step = next(s for s in build["steps"] if s.get("run", "").find("make build") >= 0)
    assert step["env"]["KB_NOINDEX"] == "1"
    assert "previews/pr-${NUMBER}/" in step["run"]
    assert "secrets." not in (WORKFLOWS / "preview.yml").read_text(encoding="utf-8")


def test_the_recording_workflow_runs_the_tested_command_on_main_only():
    doc = workflow("translations.yml")
    assert set(doc["on"]) == {"push", "workflow_dispatch"} and doc["on"]["push"]["branches"] == ["main"]
    runs = " ".join(s.get("run", "") for s in doc["jobs"]["record"]["steps"])
    assert "make translations-record" in runs  # kb.translations.record_pending: tests/test_editors.py
    assert "translations-record:" in (ROOT / "Makefile").read_text(encoding="utf-8")
