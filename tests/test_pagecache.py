"""The page cache (hooks/kb/pagecache.py) changes nothing but the time: a build from the
cache writes the same site, and a broken link is reported by every build, even when the
page that holds it did not change."""

from __future__ import annotations

import filecmp
import re

from conftest import build, copy_project
from kb import pagecache


def _differences(a, b) -> list[str]:
    found = []

    def walk(cmp, prefix=""):
        found.extend(prefix + name for name in cmp.left_only + cmp.right_only + cmp.diff_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(a, b))
    return found


def test_a_build_from_the_cache_is_the_same_site_and_still_reports_broken_links(tmp_path):
    project = copy_project(tmp_path / "project", cache=False)  # the first build fills the cache
    first = build(project, tmp_path / "first")
    assert first.returncode == 0, first.stdout + first.stderr
    assert list((project / ".cache" / "pages").rglob("*.json")), "the first build filled the page cache"
    second = build(project, tmp_path / "second")
    assert second.returncode == 0, second.stdout + second.stderr
    assert _differences(tmp_path / "first", tmp_path / "second") == []

    # index.md does not change; the page it links to goes away: its link is reported
    (project / "content" / "fr" / "glossary.md").unlink()
    (project / "content" / "en" / "glossary.md").unlink()
    config = project / "mkdocs.yml"
    config.write_text(re.sub(r"\n *- Glossaire: glossary\.md", "", config.read_text(encoding="utf-8")), encoding="utf-8")
    # and a page with a script, which the safety check refuses
    about = project / "content" / "fr" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n", encoding="utf-8")
    # both are reported by the build that sees them first, and again by the next one, from the cache
    for run in ("third", "fourth"):
        result = build(project, tmp_path / run)
        assert result.returncode != 0
        link = r"content/fr/index\.md:\d+: .*the link to \S*glossary\.md leads nowhere"
        assert re.search(link, result.stderr), (run, result.stderr[-3000:])
        assert re.search(r"content/fr/about\.md:\d+: a <script> element", result.stderr), (run, result.stderr[-3000:])


def test_the_key_changes_with_every_input():
    settings = pagecache.settings_key(["toc"], {"toc": {"permalink": True}}, {"use_directory_urls": True})
    files = pagecache.files_key([("fr/a.md", "a/", "a/index.html")])
    key = pagecache.page_key(settings, files, "# A", "fr/a.md", "a/")
    assert key != pagecache.page_key(settings, files, "# B", "fr/a.md", "a/")  # the Markdown
    assert key != pagecache.page_key(settings, files, "# A", "fr/b.md", "a/")  # the page
    assert key != pagecache.page_key(settings, files, "# A", "fr/a.md", "b/")  # its address
    other_files = pagecache.files_key([("fr/a.md", "a/", "a/index.html"), ("fr/b.md", "b/", "b/index.html")])
    assert key != pagecache.page_key(settings, other_files, "# A", "fr/a.md", "a/")  # the files
    other_settings = pagecache.settings_key(["toc"], {"toc": {"permalink": False}}, {"use_directory_urls": True})
    assert key != pagecache.page_key(other_settings, files, "# A", "fr/a.md", "a/")  # the configuration
    # functions in the configuration (emoji index…) by name, not by their address in memory
    assert pagecache.settings_key(["x"], {"x": {"f": len}}, {}) == pagecache.settings_key(["x"], {"x": {"f": len}}, {})
