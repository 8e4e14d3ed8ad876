"""Editors who never open a terminal: a French edit passes review, translators record their work
through the pull request, and one mistake is reported once, before what it causes."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import copy_project
from kb import causes
from kb.problems import Problem
from kb.translations import DONE, KEY, diff_rows, file_info, record_pending, source_hash, word_diff, word_level
from kb.languages import read as read_languages


def check(project, **env):
    environ = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "kb.check"],
        cwd=project / "hooks",
        capture_output=True,
        text=True,
        env=environ,
    )


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def problem_lines(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith("  - ")]


# --- 1. A French edit passes review; the translator records the translation in the page --------


def test_a_french_typo_fix_passes_the_check_and_lists_the_english_it_made_outdated(tmp_path):
    project = copy_project(tmp_path / "project")
    edit(project / "content/fr/social-movements/risks.md", "présente des défis", "comporte des défis")
    summary = tmp_path / "summary.md"
    result = check(project, GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary))
    assert result.returncode == 0, result.stdout
    assert ": 0 problem(s), 1 note(s)" in result.stdout
    assert "content/en/social-movements/risks.md:6: the French changed since this translation was made" in (
        result.stdout
    )
    assert "#top" not in result.stdout and "the title and introduction (edited)" in result.stdout
    assert "::warning file=content/en/social-movements/risks.md,line=6::" in result.stdout
    assert "::error" not in result.stdout
    written = summary.read_text(encoding="utf-8")
    assert "### No problem to fix" in written
    assert "### Translations this change made outdated" in written
    assert "- content/en/social-movements/risks.md:6 (French: content/fr/social-movements/risks.md)" in written


def test_outdated_by_change_lists_only_what_the_pull_request_touched(tmp_path):
    from kb.check import OUTDATED, outdated_by_change

    notes = [
        Problem("content/en/a.md", 6, "", f"{OUTDATED} was made, in …"),
        Problem("content/en/b.md", 4, "", f"{OUTDATED} was made, in …"),
        Problem("data/glossary.yml", 9, "terms[ally].definition", f"{OUTDATED} was written: …"),
        Problem("content/en/c.md", 4, "", "this translation is up to date, but …"),
    ]
    changed = {"content/fr/b.md", "data/glossary.yml"}
    assert outdated_by_change(tmp_path, notes, changed, "fr") == [
        "content/en/b.md:4 (French: content/fr/b.md)",
        "data/glossary.yml:9: terms[ally].definition (French: data/glossary.yml)",
    ]


def test_the_translator_records_a_page_in_its_front_matter_and_the_merge_records_the_hash(tmp_path):
    """The web-editor path: the translator sets `translation_of: done`; the check passes with no
    note; after the merge, `record` (the translations workflow's only step that writes) puts the
    French original's hash and keeps its copy, so that the next French change is shown again."""
    project = copy_project(tmp_path / "project")
    fr = project / "content/fr/social-movements/risks.md"
    en = project / "content/en/social-movements/risks.md"
    edit(fr, "présente des défis", "comporte des défis")
    before = file_info(en)[1]
    edit(en, f"{KEY}: {before}", f"{KEY}: {DONE}")
    result = check(project)
    assert result.returncode == 0 and ": 0 problem(s), 0 note(s)" in result.stdout, result.stdout

    assert record_pending(project, read_languages(project / "mkdocs.yml")) == [f"content/en/social-movements/risks.md: {KEY} {source_hash(fr.read_text())}"]
    assert file_info(en)[1] == source_hash(fr.read_text(encoding="utf-8"))
    copy = project / "translations/en/pages/social-movements/risks.md"
    assert "comporte des défis" in copy.read_text(encoding="utf-8")
    assert record_pending(project, read_languages(project / "mkdocs.yml")) == []  # nothing left to record
    assert ": 0 problem(s), 0 note(s)" in check(project).stdout
    # the next French change is outdated again, section by section
    edit(fr, "comporte des défis", "présente des défis")
    assert "the title and introduction (edited)" in check(project).stdout


def test_the_translator_records_a_data_file_by_listing_it(tmp_path):
    project = copy_project(tmp_path / "project")
    edit(project / "data/coalitions.yml", 'fr: "Violence sexiste"', 'fr: "Violence sexiste et sexuelle"')
    assert (
        "coalitions[gender-based-violence].name: the French changed since this translation was written"
        in check(project).stdout
    )
    done = project / "translations" / "done.yml"
    done.write_text("- data/coalitions.yml\n", encoding="utf-8")
    assert ": 0 problem(s), 0 note(s)" in check(project).stdout
    assert record_pending(project, read_languages(project / "mkdocs.yml")) == ["data/coalitions.yml: 7 English texts recorded as up to date"]
    assert "[]" in done.read_text(encoding="utf-8")
    record = (project / "translations/en/data/coalitions.yml").read_text(encoding="utf-8")
    assert "Violence sexiste et sexuelle" in record
    assert ": 0 problem(s), 0 note(s)" in check(project).stdout


def test_record_leaves_out_a_listed_file_it_does_not_track(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "translations" / "done.yml").write_text("- .yamllint.yml\n", encoding="utf-8")
    [said] = record_pending(project, read_languages(project / "mkdocs.yml"))
    assert said.startswith(".yamllint.yml: left out: not a data file whose translations are tracked")
    assert not (project / "translations" / "en" / "data" / ".yamllint.yml").exists()


def test_translations_done_refuses_a_file_it_does_not_track(tmp_path):
    project = copy_project(tmp_path / "project")
    before = sorted(p.relative_to(project).as_posix() for p in (project / "translations").rglob("*"))
    result = subprocess.run(
        [sys.executable, "-m", "kb.translations", "done", "../mkdocs.yml"],
        cwd=project / "hooks",
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "mkdocs.yml: not a data file whose translations are tracked" in result.stderr
    assert sorted(p.relative_to(project).as_posix() for p in (project / "translations").rglob("*")) == before


def test_a_page_never_recorded_is_not_called_changed(tmp_path):
    project = copy_project(tmp_path / "project")
    en = project / "content/en/about.md"
    text = en.read_text(encoding="utf-8")
    en.write_text("\n".join(x for x in text.split("\n") if not x.startswith(f"{KEY}:")), encoding="utf-8")
    out = check(project).stdout
    assert "content/en/about.md:1: this translation was never recorded as up to date" in out
    assert "changed since" not in out


# --- 2. Causes first, consequences counted under them ------------------------------------------


def test_bad_indentation_in_a_data_file_is_one_problem_with_its_consequences_counted(tmp_path):
    project = copy_project(tmp_path / "project")
    data = project / "data/coalitions.yml"
    lines = data.read_text(encoding="utf-8").split("\n")
    assert lines[7].startswith("    name:")
    lines[7] = " " + lines[7]  # one space too many
    data.write_text("\n".join(lines), encoding="utf-8")
    result = check(project, GITHUB_ACTIONS="true")
    assert result.returncode == 1
    assert "1 problem to fix:" in result.stdout
    [listed] = problem_lines(result.stdout)
    assert listed.startswith("  - data/coalitions.yml:8: this is not valid YAML")
    assert "↳ 6 more problems come from this one and will go away once it is fixed" in result.stdout
    assert "unknown directive" not in result.stdout
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert len(errors) == 1 and errors[0].startswith("::error file=data/coalitions.yml,line=8::")


def test_a_misspelt_field_is_reported_without_the_wrong_fix(tmp_path):
    project = copy_project(tmp_path / "project")
    edit(project / "data/coalitions.yml", "    kind: action-coalition", "    knd: action-coalition")
    result = check(project)
    listed = problem_lines(result.stdout)
    assert [x.split(":", 3)[:2] for x in listed] == [["  - data/coalitions.yml", "6"], ["  - data/coalitions.yml", "7"]]
    assert "unknown field `knd` (check its spelling)" in result.stdout
    assert "x-description" not in result.stdout  # the wrong fix, for a column that is only a typo
    # the record with the misspelt field is left out of every use of the data (kb.data), so it causes no
    # other problem: the two above are the whole list
    assert "2 problems to fix:" in result.stdout


def test_a_missing_template_is_one_problem_before_the_pages_that_need_it(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "templates/directives/coalitions.md").unlink()
    edit(project / "content/fr/about.md", "sources: [", "sourcez: [")  # an unrelated problem, listed after
    result = check(project)
    listed = problem_lines(result.stdout)
    # named at the line of data/kinds.yml that asks for it (kb.kinds), the pages that need it under it
    assert listed[0].startswith(
        "  - data/kinds.yml:27: kinds[coalitions].directives[coalitions].template: there is no template "
        "templates/directives/coalitions.md: check its spelling"
    )
    assert listed[1].startswith("  - content/fr/about.md:3: sourcez: unknown field")
    assert "↳ 6 more problems come from this one" in result.stdout


def test_group_puts_causes_first_and_links_under_them():
    cause = Problem("data/coalitions.yml", 8, "", "this is not valid YAML")
    page = Problem("content/fr/index.md", 78, "", 'unknown directive "kb:coalitions"; known directives: …')
    link = Problem("content/en/about.md", 3, "link", "the section #coalitions does not exist in index.md")
    typo = Problem("content/en/about.md", 1, "", 'unknown directive "kb:nonsense"; known directives: …')
    entries = causes.group([page, link, typo, cause])
    assert [e.problem for e in entries] == [cause, typo]
    assert set(entries[0].consequences) == {page, link}
    assert str(entries[0]).endswith("(content/en/about.md:3, content/fr/index.md:78)")
    assert [p.file for p in causes.annotated(entries)] == ["data/coalitions.yml", "content/en/about.md"]


def test_the_job_summary_lists_every_problem_without_a_cap():
    many = [Problem(f"content/fr/p{i}.md", 1, "", f"problem {i}") for i in range(25)]
    text = causes.summary_markdown(causes.group(many))
    assert text.startswith("### 25 problems to fix (causes first)")
    assert all(f"problem {i}" in text for i in range(25))


def test_the_build_merges_each_languages_consequences_under_one_cause():
    from kb.parallel import annotations, report

    cause = "data/coalitions.yml:8: this is not valid YAML"
    fr = f"ERROR - 1 problem to fix:\n  - {cause}\n    {causes.counted(3, ['content/fr/index.md:78'])}\n"
    en = f"ERROR - 1 problem to fix:\n  - {cause}\n    {causes.counted(2, ['content/en/index.md:74'])}\n"
    fr += "::error file=data/coalitions.yml,line=8::this is not valid YAML\n"
    en += (
        "::error file=content/en/x.md,line=2::other\n::error file=data/coalitions.yml,line=8::this is not valid YAML\n"
    )
    said = report({"fr": fr, "en": en})
    assert said.splitlines() == [
        "1 problem to fix:",
        f"  - {cause}",
        "    ↳ 5 more problems come from this one and will go away once it is fixed "
        "(content/fr/index.md:78, content/en/index.md:74, …)",
    ]
    assert annotations([fr, en]) == [
        "::error file=data/coalitions.yml,line=8::this is not valid YAML",
        "::error file=content/en/x.md,line=2::other",
    ]


# --- 8. Word-level differences -------------------------------------------------------------------


def test_a_one_word_change_in_a_long_line_is_marked_inside_it():
    old = "Comme pour tout le travail de CARE, s’engager présente des défis et des risques."
    new = "Comme pour tout le travail de CARE, s’engager comporte des défis et des risques."
    assert word_diff(old, new) == [
        ("=", "Comme pour tout le travail de CARE, s’engager "),
        ("-", "présente"),
        ("+", "comporte"),
        ("=", " des défis et des risques."),
    ]
    assert word_level(["  ## Risques", f"- {old}", f"+ {new}"]) == [
        "  ## Risques",
        "~ Comme pour tout le travail de CARE, s’engager [-présente-]{+comporte+} des défis et des risques.",
    ]
    # a line added or removed alone stays a whole line
    assert diff_rows(["- gone", "  kept", "+ new"]) == [("-", "gone"), (" ", "kept"), ("+", "new")]


# --- 5. Stable ids: inserting, moving or sorting records changes no translation's status -------------


def test_inserting_a_timeline_event_in_date_order_changes_no_later_events_status(tmp_path):
    project = copy_project(tmp_path / "project")
    new = (
        "  - id: 2011-new-event\n"
        '    date: "2011"\n'
        "    title:\n"
        '      fr: "Un nouvel événement."\n'
        '      en: "A new event."\n'
        "    source: care-2020\n"
        "    page: social-movements/domestic-workers.md\n"
        "    themes: [social-movements]\n"
    )
    edit(
        project / "data/timeline.yml",
        "  # source: 002 Étude en profondeur\n",
        "  # source: 002 Étude en profondeur\n" + new,
    )
    result = check(project)
    assert result.returncode == 0, result.stdout
    # the new event, written in both languages, is translated; no later event is called outdated
    assert ": 0 problem(s), 0 note(s)" in result.stdout, problem_lines(result.stdout)
    assert record_pending(project, read_languages(project / "mkdocs.yml")) == ["data/timeline.yml: 1 new English text(s) recorded with their French"]
    edit(project / "data/timeline.yml", 'fr: "Un nouvel événement."', 'fr: "Un événement nouveau."')
    notes = problem_lines(check(project).stdout)
    assert "events[2011-new-event].title: the French changed since" in notes[0], notes
    assert all("events[2011-new-event].title" in note for note in notes), notes  # the note and its listing


def test_moving_and_sorting_records_changes_no_translations_status(tmp_path):
    import yaml

    project = copy_project(tmp_path / "project")
    for name, key in [
        ("timeline", "events"),
        ("calendar-2017", "events"),
        ("kinds", "kinds"),
        ("coalitions", "coalitions"),
    ]:
        path = project / "data" / f"{name}.yml"
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc[key].reverse()
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = check(project)
    assert ": 0 problem(s), 0 note(s)" in result.stdout, result.stdout[:2000]


def test_every_event_of_the_timeline_has_an_id():
    import yaml
    from conftest import ROOT

    events = yaml.safe_load((ROOT / "data/timeline.yml").read_text(encoding="utf-8"))["events"]
    ids = [e.get("id") for e in events]
    assert all(ids) and len(set(ids)) == len(ids)


# --- 7. Plain words ------------------------------------------------------------------------------


def test_records_are_named_by_id_or_counted_from_1():
    from kb.problems import field_path

    data = {"coalitions": [{"id": "gbv", "name": "x"}, {"kind": "compact"}], "caveats": ["a", "b"]}
    assert field_path(("coalitions", 0, "name", "en"), data) == "coalitions[gbv].name.en"
    assert field_path(("coalitions", 1, "kind"), data) == "coalitions[2].kind"
    assert field_path(("caveats", 0)) == "caveats[1]"


def test_a_date_without_quotes_is_named_without_pythons_notation(tmp_path):
    project = copy_project(tmp_path / "project")
    edit(project / "data/timeline.yml", '    date: "2011"', "    date: 2011-03-01")
    out = check(project).stdout
    assert "but is the date 2011-03-01 without quotes" in out
    assert "datetime" not in out


# --- 6. One source for every figure ----------------------------------------------------------------


def _pages_with_figures(project, lang):
    from types import SimpleNamespace

    from kb.data import load_data
    from kb.figures import expand_figures

    data = load_data(project / "data", project, project / "content")
    out = {}
    for rel in [
        "generation-equality/collective-commitments/progress.md",
        "generation-equality/collective-commitments/findings.md",
    ]:
        page = f"content/{lang}/{rel}"
        ctx = SimpleNamespace(data=data, lang=lang, page=page, line_offset=0)
        out[rel], problems = expand_figures((project / page).read_text(encoding="utf-8"), ctx)
        assert problems == []
    return out


def test_a_figure_changed_in_the_data_changes_every_page_that_cites_it(tmp_path):
    project = copy_project(tmp_path / "project")
    edit(project / "data/survey-2023.yml", "    value: 87\n", "    value: 88\n")
    fr = _pages_with_figures(project, "fr")
    en = _pages_with_figures(project, "en")
    for text in fr.values():
        assert "88\u202f% d" in text and "87\u202f%" not in text  # French: narrow no-break space
    for text in en.values():
        assert "88% of" in text and "87%" not in text
    assert "79\u202f% des engagements" in fr["generation-equality/collective-commitments/progress.md"]


def test_a_figure_that_does_not_exist_is_a_problem_at_its_line():
    from types import SimpleNamespace

    from kb.figures import expand_figures

    class Data(dict):
        pass

    data = Data({"survey-2023": {"figures": [{"id": "on-track", "value": 87, "unit": "percent"}]}})
    ctx = SimpleNamespace(data=data, lang="en", page="content/en/x.md", line_offset=3)
    text, problems = expand_figures(
        "A\nSo <!-- kb:figure survey-2023 on-trak --> and <!-- kb:figure surveys x --> and "
        "<!-- kb:figure survey-2023 on-track -->.",
        ctx,
    )
    assert text.endswith("and 87%.")
    assert [str(p) for p in problems] == [
        'content/en/x.md:5: kb:figure: data/survey-2023.yml has no figure with the id "on-trak"; its figures: on-track',
        "content/en/x.md:5: kb:figure: there is no data file data/surveys.yml",
    ]


def test_navigation_titles_go_through_the_typography_check(tmp_path):
    from kb import languages
    from kb.typography import check_config

    config = tmp_path / "mkdocs.yml"
    text = (copy_project(tmp_path / "project") / "mkdocs.yml").read_text(encoding="utf-8")
    config.write_text(text.replace("Coalitions d’action:\n", "Coalitions d'action:\n"), encoding="utf-8")
    [problem] = check_config(config, languages.read(config))
    assert problem.file == "mkdocs.yml" and problem.field == "nav"
    assert "straight apostrophe in French text (d'action)" in problem.message
    assert text.split("\n")[problem.line - 1].strip() == "- Coalitions d’action:"


# --- 3. make check catches what the build does: links, anchors, the navigation --------------------


def test_make_check_finds_broken_links_anchors_and_navigation_with_what_to_do(tmp_path):
    project = copy_project(tmp_path / "project")
    about = project / "content/fr/about.md"
    before = about.read_text(encoding="utf-8")
    line = before.count("\n") + 2  # the line the links are written on
    about.write_text(
        before
        + "\nVoir [x](glossary.md#nope), [y](nulle-part.md), [z](#principes) et [w](/fr/about.md).\n"
        + "\n```\n[dans du code](ignoré.md)\n```\n",
        encoding="utf-8",
    )
    edit(project / "mkdocs.yml", "    - social-movements/risks.md\n", "    - social-movements/risk.md\n")
    result = check(project)
    assert result.returncode == 1
    listed = "\n".join(problem_lines(result.stdout))
    nav_line = (project / "mkdocs.yml").read_text(encoding="utf-8").split("\n").index("    - social-movements/risk.md") + 1
    assert f"content/fr/about.md:{line}: link: the section #nope does not exist in content/fr/glossary.md" in listed
    assert "the link to nulle-part.md leads nowhere: there is no page content/fr/nulle-part.md" in listed
    assert "the section #principes does not exist in this page" in listed
    assert "the address /fr/about.md starts with /: write it relative to this page" in listed
    assert "ignoré.md" not in listed
    assert f"mkdocs.yml:{nav_line}: nav: the navigation lists social-movements/risk.md, which is not a page" in listed
    assert "nav: the page social-movements/risks.md is not in the navigation: add it under nav:" in listed


def test_mkdocs_messages_are_rewritten_in_the_checks_words():
    from kb.links import plain

    assert plain(
        "Doc file 'fr/about.md' contains a link 'glossary.md#nope', but the doc 'fr/glossary.md' does not "
        "contain an anchor '#nope'."
    ) == (
        "the section #nope does not exist in content/fr/glossary.md: link to one of its sections, "
        "or give the heading that id with { #nope }"
    )
    assert plain(
        'The following pages exist in the docs directory, but are not included in the "nav" configuration:\n'
        "  - fr/social-movements/risks.md\n  - en/social-movements/risks.md"
    ) == ("pages not in the navigation: add them under nav: where readers should find them: social-movements/risks.md")
    assert plain("something else") == "something else"


def test_a_byte_order_mark_and_windows_line_endings_are_named_before_what_they_cause(tmp_path):
    project = copy_project(tmp_path / "project")
    about = project / "content/fr/about.md"
    about.write_bytes(b"\xef\xbb\xbf" + about.read_bytes())
    glossary = project / "content/fr/glossary.md"
    glossary.write_bytes(glossary.read_bytes().replace(b"\n", b"\r\n"))
    listed = problem_lines(check(project).stdout.split("to fix:", 1)[1])
    assert listed == [
        "  - content/fr/about.md:1: this file starts with an invisible byte-order mark (BOM): save it as UTF-8 "
        "without BOM (your editor's “UTF-8”, not “UTF-8 with BOM”)",
        "  - content/fr/glossary.md:1: this file has Windows line endings (CRLF): save it with Unix line endings "
        "(LF) (your editor's line-ending setting: “LF”)",
    ]


def test_a_page_not_published_says_so_in_its_language():
    from kb.safety import problem_page

    words = {"title": "Non publiée", "heading": "Cette page n’est pas publiée", "text": "corrigez-les."}
    page = problem_page("fr/about.md", ["content/fr/about.md:3: a <script> element"], "fr", words)
    assert '<html lang="fr">' in page and "<h1>Cette page n’est pas publiée</h1>" in page
    assert "&lt;script&gt;" in page
    assert '<html lang="en">' in problem_page("en/about.md", [])  # the labels cannot be read: English


def test_a_data_percentage_written_out_in_a_page_is_flagged(tmp_path):
    project = copy_project(tmp_path / "project")
    edit(
        project / "content/en/generation-equality/collective-commitments/progress.md",
        "finding: <!-- kb:figure survey-2023 commitments-on-track --> of",
        "finding: 87% of",
    )
    result = check(project)
    assert result.returncode == 0
    assert (
        "content/en/generation-equality/collective-commitments/progress.md:14: 87% is a figure of the data: if it is "
        "this one, cite it (<!-- kb:figure survey-2023 commitments-on-track -->) so that the page follows the data"
    ) in result.stdout
