"""'Last updated' dates: one `git log` for the whole content folder (hooks/kb/gitdates.py)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import ROOT, lang_root, soup
from kb import gitdates


def _commit(repo: Path, when: str, message: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", message], cwd=repo, check=True, env=env)


def test_each_file_gets_the_date_of_its_last_commit(tmp_path):
    repo = tmp_path / "project"
    (repo / "content" / "fr").mkdir(parents=True)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    (repo / "content" / "fr" / "a.md").write_text("a", encoding="utf-8")
    (repo / "content" / "fr" / "égalité.md").write_text("é", encoding="utf-8")
    (repo / "README.md").write_text("not content", encoding="utf-8")
    _commit(repo, "2024-03-01T10:00:00+00:00", "first")
    (repo / "content" / "fr" / "a.md").write_text("a, changed", encoding="utf-8")
    _commit(repo, "2025-06-30T23:30:00-02:00", "second")  # 1 July in UTC
    dates = gitdates.last_changes(repo)
    assert dates == {"content/fr/a.md": "2025-07-01", "content/fr/égalité.md": "2024-03-01"}


def test_outside_a_repository_there_are_no_dates(tmp_path):
    assert gitdates.last_changes(tmp_path) == {}


def test_a_page_shows_the_date_of_its_last_commit(site):
    stamp = subprocess.run(
        ["git", "log", "-1", "--date=format-local:%Y-%m-%d", "--format=%ad", "--", "content/fr/about.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TZ": "UTC"},
    ).stdout.strip()
    time = soup(lang_root(site, "fr") / "about" / "index.html").select_one(".kb-updated time")
    assert time is not None, "the about page has no 'last updated' date"
    assert time["datetime"] == (stamp or gitdates.build_date())


def test_several_folders_in_one_log(tmp_path):
    repo = tmp_path / "project"
    for folder in ("content", "data", "templates"):
        (repo / folder).mkdir(parents=True)
        (repo / folder / "x.txt").write_text(folder, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    _commit(repo, "2024-03-01T10:00:00+00:00", "first")
    assert set(gitdates.last_changes(repo, ("content", "data"))) == {"content/x.txt", "data/x.txt"}


def test_a_generated_page_has_the_date_its_data_or_template_last_changed():
    from kb.kinds import Kind, PagesDecl

    pages = PagesDecl("regions", "network.md", "menengage/regions", "menengage/regions.md", ("menengage-2018",), "name", "summary")
    kinds = [Kind("other", {}, True), Kind("regions", {}, True, (), pages)]
    dates = {"data/regions.yml": "2025-01-02", "templates/pages/network.md": "2025-03-04", "data/other.yml": "2026-01-01"}
    assert gitdates.generated_date(dates, "content/fr/menengage/regions/africa.md", kinds) == "2025-03-04"
    assert gitdates.generated_date({"data/regions.yml": "2025-01-02"}, "content/en/menengage/regions/africa.md", kinds) == "2025-01-02"
    assert gitdates.generated_date(dates, "content/fr/menengage/regions.md", kinds) is None  # a page of content/


def test_a_generated_page_shows_the_date_of_its_data(site):
    dates = gitdates.last_changes(ROOT, ("data", "templates"))
    expected = max(d for d in (dates.get("data/regional-highlights-2017.yml"), dates.get("templates/pages/network.md")) if d)
    time = soup(lang_root(site, "fr") / "menengage/annual-summary-2017/regions/africa/index.html").select_one(".kb-updated time")
    assert time is not None and time["datetime"] == expected
