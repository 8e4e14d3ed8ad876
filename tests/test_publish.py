"""Atomic publication (kb/publish.py): `make build` builds a new folder, verifies it with the output gate
and swaps it in; a refused, failed or killed build leaves the previous site/ whole."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_URL, ROOT, SITE_URL, copy_project
from kb import publish

# one process builds this file's site and runs its tests in order (make test runs several)
pytestmark = pytest.mark.xdist_group("publish")


def _digest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def _make_build(project: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`make build`: python -m kb.parallel ../site in hooks/."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": SITE_URL, "REPO_URL": REPO_URL, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "kb.parallel", "../site", *args],
        cwd=project / "hooks",
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A copy of the project, built once: its site/ and what every file of it holds."""
    project = copy_project(tmp_path_factory.mktemp("publish") / "project")  # with the run's caches
    result = _make_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project, _digest(project / "site")


def _leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site-"))


@pytest.mark.parametrize("how", [(), ("--processes", "1")], ids=["one process per language", "one process"])
def test_a_file_the_gate_refuses_leaves_the_previous_site_whole(built, how):
    """An SVG image that runs code when opened: no input check reads an image's content, the gate
    does (at the image's own line); the previous site stays, the payload never reaches it, and nothing
    is left beside it."""
    project, before = built
    svg = project / "content" / "assets" / "images" / "evil.svg"  # an image type: the gate reads it
    svg.parent.mkdir(parents=True, exist_ok=True)
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"\n onload="alert(1)"/>\n', encoding="utf-8")
    try:
        result = _make_build(project, *how)
    finally:
        svg.unlink()
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert (
        "  - content/assets/images/evil.svg:2: published as assets/images/evil.svg: "
        "the attribute onload=… would run code when the image is opened" in out
    ), out
    assert "Traceback" not in out
    assert _digest(project / "site") == before
    assert not (project / "site" / "assets" / "images" / "evil.svg").exists()
    assert _leftovers(project) == []


@pytest.mark.parametrize("how", [(), ("--processes", "1")], ids=["one process per language", "one process"])
def test_a_page_refused_at_its_input_leaves_the_previous_site_whole(built, how):
    """The comment trick (one comment for Python's HTMLParser, a redirect for browsers) is refused at
    the page's line before anything is built (the gate would refuse it too: tests/test_gate.py); the
    previous site stays, the payload never reaches it, and nothing is left beside it."""
    project, before = built
    page = project / "content" / "fr" / "about.md"
    text = page.read_text(encoding="utf-8")
    payload = '<!--><meta http-equiv="refresh" content="0;url=https://evil.example/">-->'
    page.write_text(text + "\n" + payload + "\n", encoding="utf-8")
    try:
        result = _make_build(project, *how)
    finally:
        page.write_text(text, encoding="utf-8")
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    line = text.count("\n") + 2
    assert f"  - content/fr/about.md:{line}: <!--> and <!---> end where they start in browsers" in out, out
    assert "Traceback" not in out
    assert _digest(project / "site") == before
    assert not any(b"evil.example" in p.read_bytes() for p in (project / "site").rglob("*") if p.is_file())
    assert _leftovers(project) == []


@pytest.mark.parametrize("step", ["merged", "swap"])
def test_a_build_killed_before_the_swap_leaves_the_previous_site_whole(built, step):
    """Killed once the new site is merged, or just as it is swapped in: site/ is the previous one, file for
    file; what the killed build left beside it is removed by the next build."""
    project, _ = built
    before = _digest(project / "site")
    page = project / "content" / "en" / "about.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\nA new paragraph.\n", encoding="utf-8")
    try:
        result = _make_build(project, env={"KB_TEST_KILL_AT": step})
    finally:
        page.write_text(text, encoding="utf-8")
    assert result.returncode == -signal.SIGKILL, result.stdout + result.stderr
    assert _digest(project / "site") == before
    assert len(_leftovers(project)) == 1  # the killed build's staging folder
    again = _make_build(project)  # the next build
    assert again.returncode == 0, again.stdout + again.stderr
    assert _leftovers(project) == []


def _tree(folder: Path, content: str) -> Path:
    (folder / "en").mkdir(parents=True)
    for rel in ("index.html", "en/index.html", "sitemap.xml"):
        (folder / rel).write_text(f"{content} {rel}", encoding="utf-8")
    return folder


def test_the_swap_puts_the_new_site_in_place_in_one_step(tmp_path):
    site = _tree(tmp_path / "site", "old")
    staging = publish.staging(site)
    new = _tree(staging / "site", "new")
    publish.swap(new, site)
    assert (site / "en" / "index.html").read_text() == "new en/index.html"
    assert (staging / "site" / "index.html").read_text() == "old index.html"  # the caller removes it


SWAP_WITHOUT_EXCHANGE = """
import sys
from pathlib import Path
from kb import publish
publish._exchange = lambda a, b: False  # a system without renameat2
publish.swap(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_where_there_is_no_one_step_swap_a_kill_between_the_renames_is_repaired(tmp_path):
    """Without renameat2 the old site is moved aside, then the new one in: killed between the two,
    there is no site/ for a moment, and the next build puts the previous one back."""
    site = _tree(tmp_path / "site", "old")
    before = _digest(site)
    staging = publish.staging(site)
    new = _tree(staging / "site", "new")
    result = subprocess.run(
        [sys.executable, "-c", SWAP_WITHOUT_EXCHANGE, str(new), str(site)],
        cwd=ROOT / "hooks",
        env={**os.environ, "KB_TEST_KILL_AT": "swap-aside"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert not site.exists()
    staging.rename(tmp_path / ".site-999999999-gone")  # as if made by a process that has ended
    publish.clean(site)
    assert _digest(site) == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_leftovers_of_a_build_still_running_are_kept(tmp_path):
    site = _tree(tmp_path / "site", "old")
    running = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        theirs = tmp_path / f".site-{running.pid}-abc"
        theirs.mkdir()
        dead = tmp_path / ".site-oldstyle"  # left by an earlier version: no process named
        dead.mkdir()
        publish.clean(site)
        assert theirs.is_dir() and not dead.exists()
    finally:
        running.communicate(b"")


def test_leftovers_are_ignored_by_git():
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", ".site-1234-abcd/site/index.html", "site/index.html"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == [".site-1234-abcd/site/index.html", "site/index.html"]


def test_an_interrupted_virtual_environment_repairs_itself_on_the_next_make_command(tmp_path):
    """`python -m venv` stopped before it installed pip leaves a .venv with a python and no pip: the next
    `make` command makes it anew instead of failing on "No module named pip"."""
    shutil.copy2(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "requirements.txt").write_text("", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / ".venv")], check=True)
    (tmp_path / ".venv" / ".installed").touch()  # even if an earlier install had finished
    result = subprocess.run(
        ["make", f"PYTHON={sys.executable}", ".venv/.installed"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    check = subprocess.run([str(tmp_path / ".venv/bin/python"), "-m", "pip", "--version"], capture_output=True)
    assert check.returncode == 0


SAFE_MARKDOWN = """
## Every construct { #every-construct }

A footnote[^1], an abbreviation (HTML), ^super^, *emphasis*, **strong**, `code`, a
[link](https://example.org/ "Title"){: hreflang=es lang=es }, <mailto:someone@example.org>, :material-check:.

*[HTML]: HyperText Markup Language

[^1]: The note.

!!! note "A note"
    Inside a note.

??? tip "Folded"
    Inside.

=== "One"
    First tab.

=== "Two"
    Second tab.

Term
:   Definition.

| Left | Right |
|:-----|------:|
| a    | 1     |

```python
print("hello")
```

<div markdown>
**In HTML**, with Markdown.
</div>

![A picture](../assets/images/pic.png){ width="20" loading=lazy }

> A quote.

1. one
2. two
"""


def test_what_safe_markdown_writes_passes_the_gate(built):
    """Every construct of the site's Markdown extensions, and an image: the allow-lists are not too narrow.
    (Last in this file: it changes the module's site.)"""
    project, _before = built
    page = project / "content" / "en" / "about.md"
    text = page.read_text(encoding="utf-8")
    image = project / "content" / "assets" / "images" / "pic.png"
    image.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(project / "site" / "assets" / "images" / "favicon.png", image)  # the theme's, a real PNG
    page.write_text(text + SAFE_MARKDOWN, encoding="utf-8")
    try:
        result = _make_build(project)
    finally:
        page.write_text(text, encoding="utf-8")
        image.unlink()
    assert result.returncode == 0, result.stdout + result.stderr
    html = (project / "site" / "en" / "about" / "index.html").read_text(encoding="utf-8")
    made_by_markdown = ['class="footnote"', "<abbr", "<sup>", "admonition", "<details", "tabbed-set", "<dl>",
                        'style="text-align: right;"', '<span class="nb">print</span>', 'loading="lazy"', "twemoji"]
    for made in made_by_markdown:
        assert made in html, made
