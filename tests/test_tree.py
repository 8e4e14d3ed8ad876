"""Inputs stay inside the project (kb/tree.py): no symbolic link, no special file, in any folder the
build reads; `content/` holds pages and the file types the site publishes, nothing else. Refused with
the path, before any file is read, by the build, `make build` and `make check` alike."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_project
from kb import tree

LINK = "is a symbolic link (to {}): the build reads only the project's own files"


def _project(tmp_path: Path) -> Path:
    """The folders of a project, with one file each, for the checks that look at names only."""
    for name in ("content/fr", "content/en", "content/assets/images", "data", "templates", "overrides"):
        (tmp_path / name).mkdir(parents=True, exist_ok=True)
    (tmp_path / "content" / "fr" / "index.md").write_text("# Accueil\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    return tmp_path


def _said(root: Path) -> list[str]:
    return [str(p) for p in tree.problems(root)]


def test_the_projects_own_inputs_pass():
    assert tree.problems(ROOT) == []


@pytest.mark.parametrize(
    "link, target",
    [
        ("content/assets/env.txt", "/proc/self/environ"),
        ("content/fr/passwd.md", "/etc/passwd"),
        ("content/assets/images", "/etc"),  # a folder
        ("data/labels.yml", "../../outside.yml"),
        ("templates/directives", "/tmp"),
        ("overrides/main.html", "/etc/hostname"),
        ("content/en/same.md", "../fr/index.md"),  # even inside the project
        ("mkdocs.yml", "/etc/hostname"),
    ],
)
def test_a_symlink_in_any_input_folder_is_refused_with_its_path(tmp_path, link, target):
    root = _project(tmp_path)
    path = root / link
    if path.is_dir():
        path.rmdir()
    elif path.exists():
        path.unlink()
    path.symlink_to(target)
    assert f"{link}: " + LINK.format(target) + "; put the file itself here, or remove the link" in _said(root)


def test_a_symlink_loop_is_refused_at_once(tmp_path):
    root = _project(tmp_path)
    (root / "content" / "fr" / "loop").mkdir()
    (root / "content" / "fr" / "loop" / "again").symlink_to("..")
    assert any(m.startswith("content/fr/loop/again: is a symbolic link (to ..)") for m in _said(root))


def test_a_named_pipe_is_refused(tmp_path):
    root = _project(tmp_path)
    os.mkfifo(root / "data" / "glossary.yml")
    assert "data/glossary.yml: is not a regular file (a pipe, socket or device): remove it" in _said(root)


def test_the_target_of_a_link_is_never_read(tmp_path):
    """A link to a named pipe outside the project: reading it would wait forever; the check does not."""
    root = _project(tmp_path / "project")
    os.mkfifo(tmp_path / "pipe")
    (root / "content" / "assets" / "secret.txt").symlink_to(tmp_path / "pipe")
    (root / "content" / "fr" / "page.md").symlink_to(tmp_path / "pipe")
    code = "import sys, pathlib; from kb import tree; print(*tree.problems(pathlib.Path(sys.argv[1])), sep='\\n')"
    result = subprocess.run(
        [sys.executable, "-c", code, str(root)], cwd=ROOT / "hooks", capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "content/assets/secret.txt: is a symbolic link" in result.stdout
    assert "content/fr/page.md: is a symbolic link" in result.stdout


@pytest.mark.parametrize(
    "path, said",
    [
        ("content/fr/rapport.html", "an HTML file is published as it is, without the site's theme or checks: "
                                    "write the page in Markdown (rapport.md)"),  # fmt: skip
        ("content/en/report.htm", "an HTML file is published as it is"),
        ("content/assets/page.xhtml", "an HTML file is published as it is"),
        ("content/assets/javascripts/x.js", "a script would run in readers' browsers: the site's scripts are "
                                            "listed in hooks/kb/tree.py (SITE_SCRIPTS)"),  # fmt: skip
        ("content/assets/x.js", "a script would run in readers' browsers"),
        ("content/fr/x.mjs", "a script would run in readers' browsers"),
        ("content/assets/x.exe", "a .exe file is not published from content/: pages are Markdown (.md); images"),
        ("content/assets/x.wasm", "a .wasm file is not published from content/"),
        ("content/assets/x.pdf", "a .pdf file is not published from content/"),
        ("content/assets/Makefile", "a file without an extension is not published from content/"),
        ("content/fr/style.css", "a .css file is not published from content/"),
        # names: a page named like a file the build writes took its place (a traceback); a new line,
        # a space or a quote in a name reaches addresses, the sitemap and messages
        ("content/fr/index.html.md", "a page's name may not hold a dot"),
        ("content/fr/sitemap.xml.md", "a page's name may not hold a dot"),
        ("content/assets/images/a\nb.png", "a file's name may hold only letters, digits, - and _"),
        ('content/en/a" onmouseover="x.md', "a file's name may hold only letters, digits, - and _"),
    ],
)
def test_content_files_other_than_pages_are_allowed_by_type(tmp_path, path, said):
    root = _project(tmp_path)
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text("x", encoding="utf-8")
    assert any(m.startswith(f"{path!r}"[1:-1] + f": {said}") or m.startswith(f"{path}: {said}")
               for m in _said(root)), _said(root)  # fmt: skip


@pytest.mark.parametrize(
    "path",
    [
        "content/fr/about.md",
        "content/assets/images/care.png",
        "content/assets/images/care.JPG",
        "content/fr/schema.svg",  # the gate checks an SVG's content
        "content/assets/stylesheets/kb.css",
        "content/assets/javascripts/kb-reader.js",
        "content/.gitkeep",  # never published
    ],
)
def test_pages_images_and_the_sites_own_files_pass(tmp_path, path):
    root = _project(tmp_path)
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text("x", encoding="utf-8")
    assert _said(root) == []


def _run(args, cwd, env=None):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KB_TEST_SECRET": "ghp_notarealtokenbutsecret", **(env or {})}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=600)


@pytest.mark.parametrize("how", ["make build", "one process", "mkdocs build", "make check"])
def test_every_command_refuses_a_link_out_before_reading_anything(tmp_path, how):
    """A link to the build's environment (a token in it) in content/assets/: every command stops at once,
    naming the link, and no file of the environment reaches any output."""
    project = copy_project(tmp_path / "project")
    (project / "content" / "assets" / "env.txt").symlink_to("/proc/self/environ")
    (project / "content" / "fr" / "passwd.md").symlink_to("/etc/passwd")
    (project / "content" / "fr" / "rapport.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    site = tmp_path / "site"
    commands = {
        "make build": ([sys.executable, "-m", "kb.parallel", str(site)], project / "hooks"),
        "one process": ([sys.executable, "-m", "kb.parallel", str(site), "--processes", "1"], project / "hooks"),
        "mkdocs build": ([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], project),
        "make check": ([sys.executable, "-m", "kb.check"], project / "hooks"),
    }
    result = _run(*commands[how])
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "content/assets/env.txt: is a symbolic link (to /proc/self/environ)" in out
    assert "content/fr/passwd.md: is a symbolic link (to /etc/passwd)" in out
    assert "content/fr/rapport.html: an HTML file is published as it is" in out
    assert "Traceback" not in out and "root:" not in out and "ghp_" not in out
    published = [p for p in site.rglob("*") if p.is_file()] if site.exists() else []
    assert not any(b"ghp_" in p.read_bytes() for p in published)
    assert not any(p.name in ("env.txt", "rapport.html") for p in published)
