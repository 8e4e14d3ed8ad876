"""A hostile contributor's inputs: each is refused with `file:line: what is wrong: what to do`, the same by
`make check` and by the build, never with a traceback, and nothing is written outside the site's folder.

One copy of the project holds every case (a build takes a while); the unit tests below it name each class.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, build, copy_project

sys.path.insert(0, str(ROOT / "hooks"))

from kb.data import load_data  # noqa: E402
from kb.directives import Context, expand  # noqa: E402
from kb.pagefile import read_page  # noqa: E402
from kb.problems import KbError, items  # noqa: E402
from kb.yamlfile import load_yaml  # noqa: E402

LONG_ID = "a" * 300


def _edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` by `new`; return the 1-based line where it was."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def _front(path: Path, extra: str) -> int:
    """Add `extra` lines at the top of the page's front matter; return the line of the first."""
    return _edit(path, "---\n", "---\n" + extra)


def spoil(project: Path) -> tuple[list[str], list[str]]:
    """Every hostile case; return (the start of each problem that must be reported, files that must have none)."""
    data, fr, en = project / "data", project / "content" / "fr", project / "content" / "en"
    expected = []
    # --- data: ids that would write outside site/, a 300-character id, a page over a written page
    regions = data / "regional-highlights-2017.yml"
    line = _edit(regions, "id: africa", "id: ../../../../outside")
    expected.append(f'data/regional-highlights-2017.yml:{line}: networks[1].id: "../../../../outside" does not have')
    line = _edit(regions, "id: europe", f"id: {LONG_ID}")
    expected.append(f"data/regional-highlights-2017.yml:{line}: networks[2].id: the address")
    line = _edit(regions, "id: latin-america", "id: latin-america")
    written = fr / "menengage" / "annual-summary-2017" / "regions" / "latin-america.md"
    written.parent.mkdir(parents=True, exist_ok=True)
    written.write_text("---\nsources: [menengage-2018]\n---\n\n# Amérique latine\n", encoding="utf-8")
    expected.append(
        "content/fr/menengage/annual-summary-2017/regions/latin-america.md: this page has the address of the page "
        f"made from data/regional-highlights-2017.yml:{line}"
    )
    # --- data: a NUL byte, a tab, a list nested 1,000 deep, 100,000 [ in a text
    line = _edit(data / "glossary.yml", "terms:", "terms:\n  # \x00")
    expected.append(f"data/glossary.yml:{line + 1}: the character U+0000 is not allowed in YAML")
    line = _edit(data / "calendar-2017.yml", "\n  - ", "\n\t- ")
    expected.append(f"data/calendar-2017.yml:{line + 1}: this line has a tab: YAML is indented with spaces only")
    timeline = data / "timeline.yml"
    lines = timeline.read_text(encoding="utf-8").count("\n")
    timeline.write_text(timeline.read_text(encoding="utf-8") + "  - " + "[" * 1000 + "]" * 1000 + "\n")
    expected.append(f"data/timeline.yml:{lines + 1}: the data is nested more than 20 levels deep")
    line = _edit(data / "coalitions.yml", '{fr: "Violence sexiste', '{fr: "' + "[" * 100_000 + "Violence sexiste")
    expected.append(f"data/coalitions.yml:{line}: coalitions[gender-based-violence].name.fr: this text has 100,016 characters; at most")
    line = _edit(data / "coalitions.yml", 'en: "Economic', 'en: "' + "[" * 1_000 + "Economic")
    expected.append(f"data/coalitions.yml:{line}: coalitions[economic-justice-and-rights].name.en: this text has 1000 [ ; at most 50")
    # --- front matter: HTML the theme prints, a list for a title, fields pointing outside, duplicates, aliases
    line = _front(fr / "about.md", 'subtitle: "<script>alert(1)</script>"\n')
    expected.append(f"content/fr/about.md:{line + 1}: subtitle: the subtitle is plain text")
    line = _front(en / "about.md", "title:\n  - <b>About</b>\n")
    expected.append(f"content/en/about.md:{line + 2}: title: should be text in quotes, but is a list")
    line = _front(fr / "glossary.md", "icon: ../../../../etc/passwd\ntemplate: ../../../../etc/passwd\n")
    expected.append(f"content/fr/glossary.md:{line + 1}: icon: unknown field `icon`")
    expected.append(f"content/fr/glossary.md:{line + 2}: template: unknown field `template`")
    line = _front(fr / "index.md", "description: une autre\n")
    expected.append(f"content/fr/index.md:{line + 2}: description: this field is written twice (first on line 2)")
    line = _front(fr / "timeline.md", "a: &a [x, x, x, x, x, x, x, x, x]\nb: [*a, *a, *a, *a, *a, *a, *a, *a]\n")
    expected.append(f"content/fr/timeline.md:{line + 1}: front matter: anchors and aliases (&name, *name)")
    # --- no problem: a front matter closed with `...`
    fine = fr / "open-data.md"
    fine.write_text(fine.read_text(encoding="utf-8").replace("\n---\n", "\n...\n", 1), encoding="utf-8")
    # --- a byte-order mark with CRLF line ends: read as MkDocs reads them, and each named, once (kb.fileformat)
    windows = en / "open-data.md"
    windows.write_bytes(b"\xef\xbb\xbf" + windows.read_bytes().replace(b"\n", b"\r\n"))
    expected.append("content/en/open-data.md:1: this file has Windows line endings (CRLF)")
    expected.append("content/en/open-data.md:1: this file starts with an invisible byte-order mark (BOM)")
    # --- page bodies: a script (make check runs the HTML check too), comments browsers read otherwise,
    # directives inside code and inside a comment, 100,000 [, a list nested 1,000 deep
    page = fr / "social-movements" / "domestic-workers.md"
    lines = page.read_text(encoding="utf-8").count("\n")
    page.write_text(
        page.read_text(encoding="utf-8")
        + '\n<script>alert(5)</script>\n\n<!--><meta http-equiv="refresh" content="0;url=https://example.org/">-->\n'
        + "\n```md\n<!-- kb:nonsense -->\n```\n\n<!--\n<!-- kb:coalitions -->\n-->\n\n<!---> x\n",
        encoding="utf-8",
    )
    expected += [
        f"content/fr/social-movements/domestic-workers.md:{lines + 2}: a <script> element is not allowed",
        f"content/fr/social-movements/domestic-workers.md:{lines + 4}: <!--> and <!---> end where they start",
        f"content/fr/social-movements/domestic-workers.md:{lines + 11}: a comment inside a comment",
        f"content/fr/social-movements/domestic-workers.md:{lines + 14}: <!--> and <!---> end where they start",
    ]
    page = fr / "menengage" / "roadmap-2021-2024.md"
    lines = page.read_text(encoding="utf-8").count("\n")
    page.write_text(page.read_text(encoding="utf-8") + "\n" + "[" * 100_000 + "\n", encoding="utf-8")
    expected.append(f"content/fr/menengage/roadmap-2021-2024.md:{lines + 2}: this paragraph is longer than 20,000")
    expected.append(f"content/fr/menengage/roadmap-2021-2024.md:{lines + 2}: this paragraph has more than 200 [")
    page = fr / "menengage" / "theory-of-change.md"
    lines = page.read_text(encoding="utf-8").count("\n")
    page.write_text(
        page.read_text(encoding="utf-8") + "\n" + "".join("  " * i + "- a\n" for i in range(300)), encoding="utf-8"
    )
    expected.append(f"content/fr/menengage/theory-of-change.md:{lines + 53}: this line is indented 102 columns")
    return expected, ["content/fr/open-data.md", "kb:nonsense"]


def check(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kb.check"], cwd=project / "hooks", capture_output=True, text=True
    )


def _reported(output: str) -> list[str]:
    return items(output.split("to fix:", 1)[1]) if "to fix:" in output else []


def test_every_hostile_input_is_refused_alike_by_the_check_and_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    expected, clean = spoil(project)
    out = tmp_path / "out" / "site"
    checked = check(project)
    built = build(project, out)
    for result in (checked, built):
        output = result.stdout + result.stderr
        assert result.returncode != 0
        assert "Traceback" not in output and "Error:" not in output.replace("PluginError", ""), output[-3000:]
        report = _reported(output)
        for start in expected:
            assert any(line.startswith(start) for line in report), f"{start!r} not reported in:\n" + "\n".join(report)
        for name in clean:
            assert not any(name in line for line in report), [line for line in report if name in line]
    # nothing written outside the site's folder, and no failed site to publish
    assert not (tmp_path / "outside").exists() and not list(tmp_path.glob("**/outside*"))
    assert not out.exists() or not any(out.iterdir())


# --- unit: each class, with its message ----------------------------------------------------------


def _page(tmp_path, text: str | bytes, name="page.md") -> list[str]:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return [str(p) for p in read_page(path, f"content/fr/{name}")[1]]


def test_front_matter_fields_have_types_and_the_printed_ones_no_html(tmp_path):
    assert _page(tmp_path, '---\nsources: [gef-2021]\nstatus: "<img src=x>"\nsubtitle: "<b>x</b>"\n---\n# T\n') == [
        "content/fr/page.md:3: status: unknown field `status` (check its spelling); a page may set only: "
        "description, hide, sources, subtitle, title, translation_of",
        "content/fr/page.md:4: subtitle: the subtitle is plain text, shown in menus, tabs and search results: no HTML",
    ]
    assert sorted(_page(tmp_path, '---\nsources: [gef-2021]\nsubtitle: "<b>x</b>"\ndescription: [a]\n---\n# T\n')) == [
        "content/fr/page.md:3: subtitle: the subtitle is plain text, shown in menus, tabs and search results: no HTML",
        "content/fr/page.md:4: description: should be text in quotes, but is a list",
    ]


def test_a_front_matter_with_problems_never_reaches_the_theme(tmp_path):
    path = tmp_path / "page.md"
    path.write_text('---\nsources: [gef-2021]\nsubtitle: "<script>x</script>"\n---\n# T\n', encoding="utf-8")
    source, problems = read_page(path, "content/fr/page.md")
    assert source == "---\n\n\n---\n# T\n" and problems


def test_byte_order_mark_crlf_and_dots_read_as_mkdocs_reads_them(tmp_path):
    assert _page(tmp_path, b"\xef\xbb\xbf---\r\nsources: [gef-2021]\r\n---\r\n# T\r\n") == []
    assert _page(tmp_path, "---\nsources: [gef-2021]\n...\n# T\n") == []
    from kb.translations import split_front_matter

    assert split_front_matter("\ufeff---\r\nsources: [a]\r\n...\r\n# T\r\n") == ({"sources": ["a"]}, "# T\n")


def test_yaml_mistakes_are_named_as_such(tmp_path):
    path = tmp_path / "x.yml"
    cases = {
        "a: 1\nb:\n\tc: 2\n": "data/x.yml:3: this line has a tab: YAML is indented with spaces only; replace the tab",
        'a: "x\x00"\n': "data/x.yml:1: the character U+0000 is not allowed in YAML: delete it",
        "a: 1\na: 2\n": "data/x.yml:2: a: this field is written twice (first on line 1); keep one",
        "a: " + "[" * 1000 + "]" * 1000 + "\n": "data/x.yml:1: the data is nested more than 20 levels deep here",
    }
    for text, message in cases.items():
        path.write_text(text, encoding="utf-8")
        problems = [str(p) for p in load_yaml(path, "data/x.yml")[1]]
        assert len(problems) == 1 and problems[0].startswith(message), problems


def test_an_unreadable_file_is_named_not_raised(tmp_path):
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    assert _page(tmp_path, b"", name="empty.md") == []
    problems = [str(p) for p in read_page(loop, "content/fr/loop.md")[1]]
    assert problems == [
        "content/fr/loop.md: this file cannot be read (Too many levels of symbolic links): replace it with a plain file"
    ]


def _data_dir(tmp_path, records: str, schema_extra: str = "") -> Path:
    folder = tmp_path / "data"
    (folder / "schemas").mkdir(parents=True)
    (folder / "things.yml").write_text(f"things:\n{records}", encoding="utf-8")
    (folder / "schemas" / "things.schema.json").write_text(
        '{"type": "object", "properties": {"things": {"type": "array", "items": {"type": "object", "properties": '
        '{"id": {"type": "string", "pattern": "^[a-z]+$"}}}' + schema_extra + "}}}",
        encoding="utf-8",
    )
    return folder


def test_ids_are_unique_by_default_and_records_with_problems_are_left_out(tmp_path):
    folder = _data_dir(tmp_path, "  - id: one\n  - id: two\n  - id: one\n  - id: Bad\n")
    with pytest.raises(KbError) as failed:
        load_data(folder, tmp_path)
    assert [str(p) for p in failed.value.problems] == [
        'data/things.yml:4: things[3].id: the id "one" is already used by record 1 (counted from 1, line 2); ids must be unique',
        'data/things.yml:5: things[4].id: "Bad" does not have the expected form (^[a-z]+$)',
    ]
    assert [r["id"] for r in failed.value.data.records("things")] == ["one", "two"]


def test_an_address_outside_the_site_or_too_long_is_refused_where_it_is_written(tmp_path):
    from kb.pages import address_problem

    site = tmp_path / "site"
    assert address_problem(site, "fr/regions/africa.md") is None
    assert "outside the site's folder" in address_problem(site, "fr/../../outside.md")
    assert "has a part of 300 bytes" in address_problem(site, f"fr/{LONG_ID}/index.html")


# --- directives and comments -----------------------------------------------------------------------


def _expand(markdown: str):
    calls = []
    ctx = Context(None, "fr", "content/fr/p.md", directives={"x": lambda c, a: calls.append(a) or "EXPANDED"})
    out, problems = expand(markdown, ctx)
    return out, [str(p) for p in problems], calls


def test_directives_are_expanded_only_where_written_as_directives():
    out, problems, calls = _expand(
        "```\n<!-- kb:x code -->\n```\n\n~~~~\n<!-- kb:x tilde -->\n~~~~\n\n    <!-- kb:x indented -->\n\n"
        "`<!-- kb:x inline -->`\n\n<!-- kb:x real -->\n"
    )
    assert calls == [["real"]] and problems == []
    assert out.count("EXPANDED") == 1 and "<!-- kb:x code -->" in out


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("<!--><script>x</script>-->\n", "content/fr/p.md:1: <!--> and <!---> end where they start in browsers"),
        ("a\n\n<!---> b\n", "content/fr/p.md:3: <!--> and <!---> end where they start in browsers"),
        ("<!-- a --!> <script>x</script> -->\n", "content/fr/p.md:1: --!> ends a comment in browsers: end it with -->"),
        ("<!--\n<!-- kb:x -->\n-->\n", "content/fr/p.md:2: a comment inside a comment: browsers end both at the"),
        ("a\n<!-- never closed\n\nb\n", "content/fr/p.md:2: this comment is never closed, so browsers hide the rest"),
    ],
)
def test_comments_are_read_as_browsers_read_them(markdown, message):
    out, problems, calls = _expand(markdown)
    assert calls == [] and len(problems) == 1 and problems[0].startswith(message), problems


# --- bounded work: 10 times the input, about 10 times the work ----------------------------------


def _operations(fn) -> int:
    """Python lines run and C functions called by `fn()`: a measure of its work that does not depend on
    the machine or its load."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        count += 1
        return tracer

    def profiler(frame, event, arg):
        nonlocal count
        if event == "c_call":
            count += 1

    sys.settrace(tracer)
    sys.setprofile(profiler)
    try:
        fn()
    finally:
        sys.settrace(None)
        sys.setprofile(None)
    return count


def _page_work(tmp_path, body: str):
    """The work of a page from its file to its HTML, as `make check` and the build do it."""
    from kb import safety
    from kb.pipeline import site_markdown

    md = site_markdown(ROOT)
    path = tmp_path / "work.md"
    path.write_text("---\nsources: [gef-2021]\n---\n" + body, encoding="utf-8")

    def work():
        source, _ = read_page(path, "content/fr/work.md")
        out, _ = expand(source, Context(None, "fr", "content/fr/work.md"))
        md.reset()
        safety.check_html(md.convert(out))

    return work


GROWING = {
    "brackets": lambda n: "[" * n,
    "images": lambda n: "![" * n,
    "links": lambda n: "[a](" * n,
    "emphasis": lambda n: "*" * n + "a" + "_" * n,
    "headings": lambda n: "# Titre\n\n" * n,
    "brackets in paragraphs": lambda n: ("[" * 100 + "\n\n") * (n // 100),
    "nested lists": lambda n: ("".join("  " * i + "- a\n" for i in range(40)) + "\n") * (n // 40),
    "deep nesting": lambda n: "".join("  " * i + "- a\n" for i in range(n // 10)),
    "list markers": lambda n: "- " * n + "a\n",
    "quotes": lambda n: ">" * n + " a\n",
    "comments": lambda n: "<!--" * n,
    "backticks": lambda n: "".join("`" * i + " " for i in range(1, n // 20)),
    "tags": lambda n: "# " + "<b>" * n + "\n",
}


@pytest.mark.parametrize("kind", list(GROWING))
def test_ten_times_the_page_costs_about_ten_times_the_work(kind, tmp_path):
    _page_work(tmp_path, GROWING[kind](1_000))()  # what is done once (imports, Markdown's first use) is not counted
    small = _operations(_page_work(tmp_path, GROWING[kind](1_000)))
    large = _operations(_page_work(tmp_path, GROWING[kind](10_000)))
    assert large < 25 * small, f"{kind}: {small} → {large} operations ({large / small:.0f}×)"


@pytest.mark.parametrize("text", ["[", "*[a](b)", "<a", "<!--", "{:", "'", "a :"])
def test_ten_times_the_data_text_costs_about_ten_times_the_work(text):
    from kb.safety import check_data_text
    from kb.typography import check_line

    def work(n):
        return lambda: (check_data_text(text * n), check_line(text * n, "fr"))

    work(200)()  # what is done once is not counted
    small, large = _operations(work(200)), _operations(work(2_000))
    assert large < 25 * small, f"{small} → {large} operations"
    # beyond the bounds, refused at once
    small, large = _operations(work(100_000)), _operations(work(1_000_000))
    assert large < 25 * small, f"{small} → {large} operations"


def test_ten_times_the_front_matter_or_data_costs_about_ten_times_the_work(tmp_path):
    def bomb(n: int) -> str:
        return "a: &a [" + ", ".join(["x"] * n) + "]\n" + "b: [" + ", ".join(["*a"] * n) + "]\n"

    for text in (bomb, lambda n: "a: " + "[" * n + "]" * n + "\n", lambda n: "".join(f"k{i}: v\n" for i in range(n))):
        path = tmp_path / "fm.md"

        def read(n, path=path, text=text):
            path.write_text("---\n" + text(n) + "---\n# T\n", encoding="utf-8")
            return lambda: read_page(path, "content/fr/fm.md")

        read(1_000)()  # what is done once is not counted
        small, large = _operations(read(1_000)), _operations(read(10_000))
        assert large < 25 * small, f"{small} → {large} operations"


# --- the rest of "no traceback": the site's folder, the disk, the configuration ----------------------


def test_a_site_folder_that_is_a_file_is_a_plain_problem(tmp_path):
    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    out.write_text("not a folder", encoding="utf-8")
    result = build(project, out)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert "is a file, not a folder" in output


def test_an_unknown_locale_names_the_configuration(tmp_path):
    project = copy_project(tmp_path / "project")
    line = _edit(project / "mkdocs.yml", "- locale: en\n", "- locale: xx\n")
    for result in (check(project), build(project, tmp_path / "site")):
        output = result.stdout + result.stderr
        assert result.returncode != 0 and "Traceback" not in output, output[-2000:]
        assert f'mkdocs.yml:{line}: languages: "xx" is not a language code Babel knows' in output


@pytest.mark.parametrize(
    ("error", "message"),
    [
        ("ENOSPC", "the disk is full: free some space, then build again"),
        ("EROFS", "the site's folder is read-only: make it writable, or build into another folder (-d)"),
    ],
)
def test_a_full_disk_or_a_read_only_site_is_a_plain_problem(tmp_path, error, message):
    """Simulated: MkDocs' file writing fails as the system would (no test can fill the disk or, as root,
    be refused a folder)."""
    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    code = (
        "import errno, os, sys\n"
        "import mkdocs.utils\n"
        "def fail(*args, **kwargs):\n"
        f"    raise OSError(errno.{error}, os.strerror(errno.{error}))\n"
        "mkdocs.utils.write_file = fail\n"
        "from mkdocs.__main__ import cli\n"
        f"sys.argv = ['mkdocs', 'build', '--strict', '-d', {str(out)!r}]\n"
        "cli()\n"
    )
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, env=env)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output, output[-3000:]
    assert f"cannot be written ({os.strerror(getattr(__import__('errno'), error))}): {message}" in output
