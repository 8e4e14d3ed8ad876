"""The GitHub Actions workflows pass zizmor, the Actions security linter, with no finding.

Every file of .github/workflows/ is checked (a workflow added later too), offline:
each action pinned to a full commit, no credentials left in the checkout, no
template injection, no excessive permissions…
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
ZIZMOR = Path(sys.executable).with_name("zizmor")


def test_there_are_workflows_to_check():
    assert WORKFLOWS, "no workflow found in .github/workflows/"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_zizmor_finds_nothing(workflow):
    result = subprocess.run(
        [str(ZIZMOR), "--offline", "--no-progress", "--format", "json", str(workflow)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    findings = json.loads(result.stdout or "[]")
    said = [f"{f['ident']}: {f['desc']}" for f in findings]
    assert said == [] and result.returncode == 0, "\n".join(said) or result.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version_named(workflow):
    """zizmor asks for the commit; the comment says which version it is, for whoever upgrades it."""
    uses = re.findall(r"^\s*(?:-\s*)?uses:\s*(\S+)(.*)$", workflow.read_text(encoding="utf-8"), re.M)
    for action, comment in uses:
        if action.startswith("./"):
            continue  # an action of this repository
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r"\s*#\s*v\d+(\.\d+)*", comment), f"{action}: no '# vX.Y.Z' comment"
