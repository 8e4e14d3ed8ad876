"""What changed in a French original since its translation: by section for pages, by field for data.

Each case of `fixtures/translations/` is a pair: the French page as it was
translated (`before.md`, the same for every case) and as it is now
(`<case>/after.md`); `en.md` is its translation; `<case>/report.txt` is the
exact report `make translations` prints.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT
from kb import render, templates, translations
from kb.data import load_data
from kb.directives import Context
from kb.translations import mark_data_done, mark_done, page_statuses, report_lines
from kb.languages import project

LANGS = project()  # the languages of the project (French, then English)

FIXTURES = Path(__file__).parent / "fixtures" / "translations"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())

# the sentence the out-of-date notice of the English page adds, for each case
NOTICE = {
    "heading-renamed": 'Sections concerned: <a href="#first">First</a> (edited).',
    "paragraph-edited": 'Sections concerned: <a href="#first">First</a> (edited).',
    "section-added": (
        'Sections concerned: <a href="../page/#third" hreflang="fr" lang="fr">Troisième</a> (added).'
    ),
    "section-removed": 'Sections concerned: <a href="#first">First</a> (removed).',
}


def translated_then_changed(tmp_path: Path, case: str) -> Path:
    """A project whose English page was marked done on `before.md`, whose French page is now `after.md`."""
    content = tmp_path / "content"
    (content / "fr").mkdir(parents=True)
    (content / "en").mkdir()
    shutil.copy(FIXTURES / "before.md", content / "fr" / "page.md")
    shutil.copy(FIXTURES / "en.md", content / "en" / "page.md")
    mark_done(content / "en" / "page.md", content, "fr")
    shutil.copy(FIXTURES / case / "after.md", content / "fr" / "page.md")
    return content


def test_the_cases_are_all_there():
    assert CASES == ["heading-renamed", "paragraph-edited", "section-added", "section-removed"]


@pytest.mark.parametrize("case", CASES)
def test_report_shows_the_changed_sections(tmp_path, case):
    content = translated_then_changed(tmp_path, case)
    report = "\n".join(report_lines(page_statuses(content, LANGS), content, "fr")) + "\n"
    assert report == (FIXTURES / case / "report.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def data():
    return load_data(ROOT / "data", ROOT)


@pytest.mark.parametrize("case", CASES)
def test_notice_names_the_sections(tmp_path, case, data):
    content = translated_then_changed(tmp_path, case)
    changes = translations.page_changes(content, "page.md", "en", "fr")
    ctx = Context(data, "en", "content/en/page.md", 0, "fr", ("fr", "en"), templates.environment(), render.registry(data))
    body = (content / "en" / "page.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    out = render.translation_notice(ctx, body, "outdated", "../page/", "fr", changes)
    assert f"<br>\n    {NOTICE[case]}\n" in out


def test_marking_done_keeps_the_original_and_clears_the_changes(tmp_path):
    content = translated_then_changed(tmp_path, "paragraph-edited")
    copy = tmp_path / "translations" / "en" / "pages" / "page.md"
    assert copy.read_text(encoding="utf-8") == translations.body_of((FIXTURES / "before.md").read_text()) + "\n"
    mark_done(content / "en" / "page.md", content, "fr")
    [status] = page_statuses(content, LANGS)
    assert (status.state, status.changes) == ("translated", None)
    assert "Un paragraphe modifié." in copy.read_text(encoding="utf-8")


def test_an_original_copy_that_does_not_match_the_hash_is_not_used(tmp_path):
    content = translated_then_changed(tmp_path, "paragraph-edited")
    copy = tmp_path / "translations" / "en" / "pages" / "page.md"
    copy.write_text("# Autre chose\n", encoding="utf-8")
    [status] = page_statuses(content, LANGS)
    assert (status.state, status.changes) == ("outdated", None)
    assert report_lines([status], content, "fr")[1] == (
        "    no copy of the French text this translation was made from, in translations/ or in Git history: "
        "compare the whole page"
    )


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def test_without_a_copy_the_original_is_found_in_git_history(tmp_path):
    content = translated_then_changed(tmp_path, "paragraph-edited")
    (tmp_path / "translations" / "en" / "pages" / "page.md").unlink()  # recorded before copies were kept
    shutil.copy(FIXTURES / "before.md", content / "fr" / "page.md")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "content")
    git(tmp_path, "commit", "-q", "-m", "translated")
    shutil.copy(FIXTURES / "paragraph-edited" / "after.md", content / "fr" / "page.md")
    git(tmp_path, "commit", "-q", "-am", "French edited")
    report = "\n".join(report_lines(page_statuses(content, LANGS), content, "fr")) + "\n"
    assert report == (FIXTURES / "paragraph-edited" / "report.txt").read_text(encoding="utf-8")


DATA = """\
terms:
  - id: accountability
    term: {fr: "Redevabilité", en: "Accountability"}
    definition:
      fr: "Rendre des comptes à celles et ceux que l'on sert."
      en: "Answering to those one serves."
  - id: ally
    term: {fr: "Allié", en: "Ally"}
"""


def test_data_fields_whose_french_changed_since_their_english(tmp_path):
    (tmp_path / "data").mkdir()
    path = tmp_path / "data" / "glossary.yml"
    path.write_text(DATA, encoding="utf-8")
    assert mark_data_done(path, tmp_path, LANGS) == 3
    record = (tmp_path / "translations" / "en" / "data" / "glossary.yml").read_text(encoding="utf-8")
    assert "terms[accountability].definition: Rendre des comptes à celles et ceux que l'on sert.\n" in record
    # the French definition is edited; the records are reordered (ids, not positions, name them)
    changed = DATA.replace("que l'on sert", "que l'on soutient")
    first, second = changed.split("  - id: ally\n")
    path.write_text(first.replace("terms:\n", "terms:\n  - id: ally\n" + second), encoding="utf-8")
    statuses = translations.data_statuses(load_data_from(tmp_path), tmp_path, LANGS)
    assert report_lines(statuses, tmp_path / "content", "fr") == [
        "outdated   en  data/glossary.yml:8: terms[accountability].definition",
        "    ~ Rendre des comptes à celles et ceux que l'on [-sert-]{+soutient+}.",
        "pages: 0 translated, 0 outdated, 0 missing; data texts: 0 translated, 1 outdated, 0 missing",
    ]
    mark_data_done(path, tmp_path, LANGS)
    assert translations.data_statuses(load_data_from(tmp_path), tmp_path, LANGS) == []


def test_a_data_text_written_in_both_languages_is_translated_and_its_next_french_change_is_not(tmp_path):
    """No French recorded: the text was written in both languages at once (a new record, a new kind);
    `record_new_texts` (run on main after the merge) keeps its French, so the next change shows."""
    (tmp_path / "data" / "schemas").mkdir(parents=True)
    (tmp_path / "data" / "schemas" / "glossary.schema.json").write_text("{}", encoding="utf-8")
    path = tmp_path / "data" / "glossary.yml"
    path.write_text(DATA, encoding="utf-8")
    statuses = translations.data_statuses(load_data_from(tmp_path), tmp_path, LANGS, translated=True)
    assert {s.state for s in statuses} == {"translated"} and len(statuses) == 3
    assert translations.record_new_texts(tmp_path, LANGS) == ["data/glossary.yml: 3 new English text(s) recorded with their French"]
    assert translations.record_new_texts(tmp_path, LANGS) == []  # nothing new: the records stay as they are
    path.write_text(DATA.replace("l'on sert", "l'on soutient"), encoding="utf-8")
    statuses = translations.data_statuses(load_data_from(tmp_path), tmp_path, LANGS)
    assert [(s.field, s.state) for s in statuses] == [("terms[accountability].definition", "outdated")]
    assert translations.record_new_texts(tmp_path, LANGS) == []  # an outdated text keeps the French it translates
    assert translations.data_statuses(load_data_from(tmp_path), tmp_path, LANGS) == statuses


def load_data_from(root: Path):
    """The data files of `root` as read (the translation status needs no schema)."""
    from kb.data import Data
    from kb.yamlfile import load_yaml

    return Data({p.stem: load_yaml(p, f"data/{p.name}")[0] for p in sorted((root / "data").glob("*.yml"))})

