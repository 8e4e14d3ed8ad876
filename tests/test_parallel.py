"""The parallel build (one process per language, `make build`) makes the same site as the sequential one."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO_URL, ROOT, SITE_URL, copy_project, root_lock
from kb import parallel


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "spawned"])
def test_parallel_build_equals_the_sequential_build(site, tmp_path, monkeypatch, fork):
    """One process per language, forked from this one (Linux, macOS) or started anew
    (where Python cannot fork), makes the same site as the sequential build."""
    monkeypatch.setenv("SITE_URL", SITE_URL)
    monkeypatch.setenv("REPO_URL", REPO_URL)
    monkeypatch.setattr(parallel, "FORK", fork)
    out = tmp_path / "parallel"
    with root_lock():
        assert parallel.build(out, ROOT / "mkdocs.yml", processes=2) == 0  # one process per language
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parallel"]  # the language folders are moved in
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert files == {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    # byte for byte, every file: pages, search index, sitemap (and its compressed copy), open data
    different = [rel for rel in sorted(files) if (site / rel).read_bytes() != (out / rel).read_bytes()]
    assert not different, different[:20]


@pytest.mark.parametrize("how", [[], ["--processes", "1"]], ids=["as-make-build", "one-process"])
def test_make_build_writes_the_site_folder_it_is_given(tmp_path, how):
    """`make build` runs `python -m kb.parallel ../site` in hooks/: the site lands in the
    project's site/ folder (with one process, MkDocs runs in the project's folder), and
    nothing else is left beside it."""
    project = copy_project(tmp_path / "project")
    before = sorted(p.name for p in project.iterdir())
    result = subprocess.run(
        [sys.executable, "-m", "kb.parallel", "../site", *how],
        cwd=project / "hooks",
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "site" / "index.html").is_file() and (project / "site" / "en" / "index.html").is_file()
    assert not (tmp_path / "site").exists(), "the site was written beside the project"
    assert sorted(p.name for p in project.iterdir()) == sorted({*before, ".cache", "site"})


def test_a_problem_of_several_lines_is_reported_whole_and_once():
    """MkDocs' list of pages missing from the nav is one problem over several lines: each
    language's build prints it, and `make build` lists it once, its lines under it."""
    from kb.problems import KbError, Problem

    nav = Problem("mkdocs.yml", None, "", 'not included in the "nav" configuration:\n  - fr/orphan.md')
    link = Problem("content/en/about.md", 3, "link", "a link to 'nowhere.md'")
    fr = "WARNING -  not included:\n  - fr/orphan.md\nERROR   -  " + KbError([nav]).report() + "\nAborted!"
    en = KbError([link, nav]).report()
    assert parallel.report({"fr": fr, "en": en}).splitlines() == [
        "2 problems to fix:",
        "  - content/en/about.md:3: link: a link to 'nowhere.md'",
        '  - mkdocs.yml: not included in the "nav" configuration:',
        "      - fr/orphan.md",
    ]
