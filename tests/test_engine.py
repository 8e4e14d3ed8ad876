"""The site does not depend on MkDocs itself: ProperDocs, its maintained fork, builds the same site.

MkDocs 1.6.1 is unmaintained. `hooks/kb/engine.py` is the one place where the
engine is chosen (`make build ENGINE=properdocs`); this test builds the
project with ProperDocs, alone and as `make build` runs it, and compares
every file with the MkDocs build.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from conftest import REPO_URL, ROOT, SITE_URL, build, root_lock

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


@pytest.mark.parametrize("how", ["properdocs build", "make build ENGINE=properdocs"])
def test_properdocs_builds_the_same_site_byte_for_byte(site, tmp_path, how):
    out = tmp_path / "properdocs"
    if how == "properdocs build":
        result = build(ROOT, out, [sys.executable, "-m", "properdocs"])
    else:  # the Makefile's command: one process per language, forked (hooks/kb/parallel.py)
        env = {**os.environ, "KB_ENGINE": "properdocs", "SITE_URL": SITE_URL, "REPO_URL": REPO_URL}
        with root_lock():
            result = subprocess.run(
                [sys.executable, "-m", "kb.parallel", str(out)], cwd=ROOT / "hooks", capture_output=True, text=True, env=env
            )
    assert result.returncode == 0, result.stdout + result.stderr
    ours = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert ours == theirs
    different = [
        str(rel) for rel in ours if GENERATOR.sub(b"", (site / rel).read_bytes()) != GENERATOR.sub(b"", (out / rel).read_bytes())
    ]
    assert different == []
    # and the generator meta is the only difference: it names the engine
    assert b"ProperDocs" in (out / "index.html").read_bytes()


def test_the_preview_loads_the_configuration_with_properdocs(tmp_path):
    """`make serve ENGINE=properdocs`: the preview's process loads mkdocs.yml with ProperDocs
    (the i18n plugin must be taken for a ProperDocs plugin)."""
    code = (
        "import sys; sys.path.insert(0, 'hooks'); import kb_serve; "
        "config = kb_serve.load_config(config_file='mkdocs.yml', site_dir=sys.argv[1]); "
        "print(type(config).__module__)"
    )
    env = {**os.environ, "KB_ENGINE": "properdocs", "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().startswith("properdocs."), result.stdout
