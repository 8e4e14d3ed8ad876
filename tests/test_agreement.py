"""`make check` and `make build` report the same problems: one pipeline (hooks/kb/pipeline.py), two stops.

Every hostile and mistaken case of the test suite (tests/hostile.py's, test_inputs', test_tree's,
test_check's, test_build_errors', and a broken template) is put into copies of the project, the cases
that do not interfere with each other in one copy; each copy is checked (the check's own function,
kb.check.run_checks) and built (conftest.build), and both lists of problems must be equal, as
(file, line, field, message), except for the categories below, which only one of them can find.
"""

from __future__ import annotations

import json

import hostile
import pytest
import test_inputs
from conftest import REPO_URL, SITE_URL, build, copy_project
from kb import check
from kb.problems import Problem

# What only the build says: while the data is broken, that links are checked once it is fixed (a line of
# its list; `make check` leaves it out, so that one mistake is one problem there: tests/test_editors.py).
BUILD_ONLY = {"data/: links and anchors between pages will be checked once the data files' problems are fixed"}
# What only `make check` runs (kb.check.MORE_CHECKS): the build does not check the typography of every
# file, every published CSV column's description, or every quotation against its source's text.
CHECK_ONLY = ("typography", "descriptions", "quotations")


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def safety_cases(project):
    """tests/hostile.py: every mistake of an editor at once (data and pages), as test_safety builds them."""
    hostile.spoil_data(project)
    hostile.spoil_pages(project)


def input_cases(project):
    """tests/test_inputs.py: a hostile contributor's inputs (addresses, sizes, nesting, front matter)."""
    test_inputs.spoil(project)


def page_cases(project):
    """test_check's and test_build_errors' page mistakes, with valid data (so links are checked too),
    and a template with a syntax error."""
    en, fr = project / "content" / "en", project / "content" / "fr"
    about = en / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n<!-- kb:nonsense -->\n\nSee [nowhere](nowhere.md).\n")
    _edit(fr / "about.md", "sources: [", "sourcez: [")
    glossary = fr / "glossary.md"
    text = glossary.read_text(encoding="utf-8")
    sources = next(line for line in text.splitlines(keepends=True) if line.startswith("sources: ["))
    glossary.write_text(text.replace(sources, ""), encoding="utf-8")
    _edit(fr / "index.md", "](", "](#no-such-anchor)[x](")
    # tests/test_safety.py's navigation mistakes: an entry for no page, a page in no entry
    _edit(project / "mkdocs.yml", "  - Glossaire: glossary.md\n", "  - Glossaire: glossary.md\n  - Perdu: lost.md\n")
    (fr / "orphan.md").write_text("---\nsources: [gef-2021]\n---\n\n# Orpheline\n", encoding="utf-8")
    template = project / "templates" / "directives" / "coalitions.md"
    template.write_text(template.read_text(encoding="utf-8") + "\n{% if %}\n", encoding="utf-8")


def link_cases(project):
    """tests/test_editors.py: a missing section in another page, a page that does not exist, a missing
    section of the page itself, an address from the site's root, a link in code; a nav entry misspelt."""
    about = project / "content" / "fr" / "about.md"
    about.write_text(
        about.read_text(encoding="utf-8")
        + "\nVoir [x](glossary.md#nope), [y](nulle-part.md), [z](#principes) et [w](/fr/about.md).\n"
        + "\n```\n[dans du code](ignoré.md)\n```\n",
        encoding="utf-8",
    )
    _edit(project / "mkdocs.yml", "    - social-movements/risks.md\n", "    - social-movements/risk.md\n")


def data_cases(project):
    """test_check's and test_build_errors' data mistake: a value not allowed (it hides a label's absence)."""
    _edit(project / "data" / "coalitions.yml", "kind: compact", "kind: pact")


def label_cases(project):
    """test_build_errors': a label that a directive's template prints, missing from data/labels.yml."""
    labels = project / "data" / "labels.yml"
    text = labels.read_text(encoding="utf-8")
    labels.write_text("".join(line for line in text.splitlines(True) if "and_the_compact:" not in line))


def tree_cases(project):
    """tests/test_tree.py: a link out of the project, a file content/ may not publish: both stop at once."""
    (project / "content" / "assets" / "env.txt").symlink_to("/proc/self/environ")
    (project / "content" / "fr" / "passwd.md").symlink_to("/etc/passwd")
    (project / "content" / "fr" / "rapport.html").write_text("<script>alert(1)</script>", encoding="utf-8")


CASES = [safety_cases, input_cases, page_cases, link_cases, data_cases, label_cases, tree_cases]


def _as_set(problems) -> set[str]:
    return {str(p) for p in problems}


@pytest.mark.parametrize("spoil", CASES, ids=[c.__name__ for c in CASES])
def test_the_check_and_the_build_report_the_same_problems(tmp_path, monkeypatch, spoil):
    project = copy_project(tmp_path / "project")
    spoil(project)
    monkeypatch.setattr(check, "MORE_CHECKS", [(n, fn) for n, fn in check.MORE_CHECKS if n not in CHECK_ONLY])
    # the environment conftest.build gives the build (the repository's address is printed in pages)
    monkeypatch.setenv("REPO_URL", REPO_URL)
    monkeypatch.setenv("SITE_URL", SITE_URL)
    checked = _as_set(check.run_checks(project, cache=False).problems)
    recorded = tmp_path / "problems.jsonl"
    monkeypatch.setenv("KB_PROBLEMS_FILE", str(recorded))
    result = build(project, tmp_path / "out")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    built = _as_set(Problem(**json.loads(line)) for line in recorded.read_text(encoding="utf-8").splitlines())
    built -= BUILD_ONLY
    assert checked, "the case reports nothing"
    assert sorted(built - checked) == [] and sorted(checked - built) == [], (
        f"{len(checked & built)} alike; only the build:\n" + "\n".join(sorted(built - checked))
        + "\nonly the check:\n" + "\n".join(sorted(checked - built))
    )
