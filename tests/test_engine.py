"""The site does not depend on MkDocs itself: ProperDocs, its maintained fork, builds the same site.

MkDocs 1.6.1 is unmaintained. `hooks/kb/engine.py` is the one place where the
engine is chosen (`make build ENGINE=properdocs`); this test builds the
project with ProperDocs and compares every file with the MkDocs build.
"""

from __future__ import annotations

import re
import sys

from conftest import ROOT, build

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def test_properdocs_builds_the_same_site_byte_for_byte(site, tmp_path):
    out = tmp_path / "properdocs"
    result = build(ROOT, out, [sys.executable, "-m", "properdocs"])
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
