"""`make check`: every problem at once, without building; GitHub annotations in the terminal's words."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys

from conftest import ROOT, build, copy_project
from kb.problems import Problem, annotation, emit_annotations


def test_annotation_format():
    problem = Problem("data/coalitions.yml", 8, "coalitions[0].name.en", 'write "100%"\nthen save')
    assert annotation(problem) == '::error file=data/coalitions.yml,line=8::coalitions[0].name.en: write "100%25"%0Athen save'
    assert annotation(Problem("content/fr/a,b:c.md", None, "", "no line"), "warning") == (
        "::warning file=content/fr/a%2Cb%3Ac.md::no line"
    )


def test_annotations_only_in_github_actions():
    problems = [Problem("data/x.yml", 3, "items[0]", "fix it"), Problem("content/en/a.md", 1, "", "and this")]
    quiet = io.StringIO()
    emit_annotations(problems, stream=quiet, environ={"GITHUB_ACTIONS": "false"})
    assert quiet.getvalue() == ""
    out = io.StringIO()
    emit_annotations(problems, stream=out, environ={"GITHUB_ACTIONS": "true"})
    assert out.getvalue() == "::error file=data/x.yml,line=3::items[0]: fix it\n::error file=content/en/a.md,line=1::and this\n"


def check(project, *options, github=False):
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    if github:
        env["GITHUB_ACTIONS"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "kb.check", *options], cwd=project / "hooks", capture_output=True, text=True, env=env
    )


def test_make_check_passes_on_the_repository():
    result = subprocess.run(["make", "-s", "check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ": 0 problem(s), 0 note(s)" in result.stdout


def test_a_page_checked_from_the_cache_reports_its_problems_again(tmp_path):
    """`make check` remembers each page's HTML check (.cache/checked/, pipeline.convert_and_check): a run
    that takes a page's result from it reports the same problems as a run that converts every page."""
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / ".cache" / "checked", ignore_errors=True)
    page = project / "content" / "en" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n<iframe src="https://example.org/"></iframe>\n', encoding="utf-8")
    first = check(project)
    assert first.returncode == 1 and "<iframe> element is not allowed" in first.stdout, first.stdout + first.stderr
    assert list((project / ".cache" / "checked").rglob("*.json"))

    def reported(result):  # without the timings
        return [line for line in result.stdout.splitlines() if not line.startswith("checked files")]

    assert reported(check(project)) == reported(first)
    assert reported(check(project, "--no-cache")) == reported(first)
    # the page mended: no problem is left from what was remembered
    page.write_text(page.read_text(encoding="utf-8").replace('<iframe src="https://example.org/"></iframe>', ""), encoding="utf-8")
    assert check(project).returncode == 0


def test_every_problem_at_once_with_annotations(tmp_path):
    project = copy_project(tmp_path / "project")
    data = project / "data" / "coalitions.yml"
    data.write_text(data.read_text(encoding="utf-8").replace("kind: compact", "kind: pact"), encoding="utf-8")
    about = project / "content" / "en" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n<!-- kb:nonsense -->\n", encoding="utf-8")
    directive_line = about.read_text(encoding="utf-8").count("\n")
    page = project / "content" / "fr" / "about.md"
    page.write_text(page.read_text(encoding="utf-8").replace("sources: [", "sourcez: ["), encoding="utf-8")
    result = check(project, github=True)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "3 problems to fix:" in lines
    expected = [
        f'content/en/about.md:{directive_line}: unknown directive "kb:nonsense"',
        "content/fr/about.md:3: sourcez: unknown field `sourcez` (check its spelling); a page may set only:",
        "data/coalitions.yml:35: coalitions[women-peace-security-humanitarian-action].kind:",
    ]
    listed = [line for line in lines if line.startswith("  - ")]
    assert [any(line.startswith("  - " + e) for line in listed) for e in expected] == [True, True, True]
    annotations = [line for line in lines if line.startswith("::")]
    # causes first (GitHub shows ten annotations a step): the data, then the pages
    assert annotations[0].startswith("::error file=data/coalitions.yml,line=35::coalitions[women-peace-security-humanitarian-action].kind: ")
    assert annotations[1].startswith(f"::error file=content/en/about.md,line={directive_line}::unknown directive")
    assert annotations[2].startswith("::error file=content/fr/about.md,line=3::sourcez: unknown field")
    assert len(annotations) == 3
    assert "Traceback" not in result.stderr
    assert not check(project).stdout.count("::error"), "annotations outside GitHub Actions"


def test_notes_alone_do_not_fail_the_check(tmp_path):
    project = copy_project(tmp_path / "project")
    data = project / "data" / "coalitions.yml"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace('fr: "Violence sexiste"', 'fr: "Violence sexiste et sexuelle"'), encoding="utf-8")
    (project / "translations" / "en" / "pages" / "about.md").unlink()  # the original of an up-to-date page
    result = check(project, github=True)
    assert result.returncode == 0, result.stdout
    assert "2 notes (do not fail the check):" in result.stdout
    assert (
        "content/en/about.md:4: this translation is up to date, but the French text it translates is not kept"
        in result.stdout
    )
    assert (
        "::warning file=data/coalitions.yml,line=8::coalitions[gender-based-violence].name: the French changed since this "
        "translation was written" in result.stdout
    )


def test_an_outdated_translation_is_a_note_naming_its_sections_and_the_check_passes(tmp_path):
    project = copy_project(tmp_path / "project")
    fr = project / "content" / "fr" / "menengage" / "core-principles.md"
    fr.write_text(
        fr.read_text(encoding="utf-8").replace("2. Nous adoptons", "2. Nous revendiquons"), encoding="utf-8"
    )
    result = check(project)
    assert result.returncode == 0, result.stdout
    assert "1 note (does not fail the check):" in result.stdout
    assert "content/en/menengage/core-principles.md:" in result.stdout
    assert "in the section “The ten principles” (edited)" in result.stdout
    assert "#top" not in result.stdout and "set `translation_of: done` in its front matter" in result.stdout


def test_the_check_and_the_build_report_a_page_problem_alike(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "project")
    about = project / "content" / "en" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n<!-- kb:nonsense -->\n", encoding="utf-8")
    about.write_text(about.read_text(encoding="utf-8") + "\nSee [nowhere](nowhere.md).\n", encoding="utf-8")
    link_line = about.read_text(encoding="utf-8").count("\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    built = build(project, tmp_path / "out")
    checked = check(project)
    assert built.returncode != 0 and checked.returncode == 1
    output = built.stdout + built.stderr
    problems = [line.strip() for line in output.splitlines() if line.strip().startswith("- ")]
    assert problems, output
    # the same lines, links included: make check checks them as MkDocs does, in the same words
    links = [p for p in problems if ": link: " in p]
    assert links and [p for p in problems if p not in checked.stdout] == []
    # the build's annotations: our problem, and MkDocs' own warning about the link, at its line, in plain words
    assert "::error file=content/en/about.md,line=" in output and "::unknown directive" in output
    assert (
        f"::error file=content/en/about.md,line={link_line}::link: the link to nowhere.md leads nowhere: "
        "there is no page content/en/nowhere.md" in output
    )
    assert "Doc file" not in output


def test_a_further_check_joins_the_others(monkeypatch):
    from kb import check as kb_check

    found = Problem("content/fr/index.md", 3, "", "a space is missing before “:”")
    monkeypatch.setattr(kb_check, "MORE_CHECKS", [("typography", lambda root, data: [found])])
    result = kb_check.run_checks(ROOT)
    assert result.problems == [found]
    assert list(result.timings) == ["files", "data", "pages", "links", "translations", "figures", "typography"]
