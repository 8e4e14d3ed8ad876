"""Whole build with editors' mistakes: the build stops, says what to fix, shows no traceback."""

from __future__ import annotations

from conftest import build, copy_project


def test_unknown_directive_and_bad_data_fail_the_build_with_plain_messages(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "content" / "en" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n<!-- kb:nonsense -->\n", encoding="utf-8")
    line = page.read_text(encoding="utf-8").count("\n")
    result = build(project, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f'content/en/about.md:{line}: unknown directive "kb:nonsense"' in output
    assert "Traceback" not in output


def test_invalid_data_stops_the_build_before_any_page(tmp_path):
    project = copy_project(tmp_path / "project")
    data = project / "data" / "coalitions.yml"
    data.write_text(data.read_text(encoding="utf-8").replace("kind: compact", "kind: pact"), encoding="utf-8")
    result = build(project, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "data/coalitions.yml:" in output and "coalitions[women-peace-security-humanitarian-action].kind:" in output
    assert "Traceback" not in output
    assert not (tmp_path / "out" / "index.html").exists()


def test_page_without_sources_fails(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "content" / "fr" / "about.md"
    text = page.read_text(encoding="utf-8")
    sources = next(line for line in text.splitlines(keepends=True) if line.startswith("sources: ["))
    page.write_text(text.replace(sources, ""), encoding="utf-8")
    result = build(project, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "content/fr/about.md:1: sources: every page names its source documents" in output


def test_a_missing_label_names_the_label_and_the_file(tmp_path):
    project = copy_project(tmp_path / "project")
    labels = project / "data" / "labels.yml"
    text = labels.read_text(encoding="utf-8")
    labels.write_text("".join(line for line in text.splitlines(True) if "and_the_compact:" not in line))
    result = build(project, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert 'templates/directives/coalitions.md prints the label "and_the_compact"' in output
    assert "which data/labels.yml does not have" in output
    assert "Traceback" not in output and "KeyError" not in output
