"""The benchmark scripts run and print every figure they promise.

They assert no speed (speed goals live in the figures, not in timed tests that flake), but a script
that no longer runs measures nothing: one whose key-prompt pattern had drifted from the prompt's text
timed out, and nothing noticed until it was run by hand. One round each, with a real PTY, real
shells and the fake service, as the scripts themselves use them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require

ROOT = Path(__file__).resolve().parent.parent
NUMBER = r"\s+[0-9]+\.[0-9] ms"


def _run(argv: list[str], home: Path) -> str:
    env = {
        "HOME": str(home),
        "PATH": os.environ.get("PATH", ""),
        "LANG": "C.UTF-8",
        "NODE_PATH": os.environ.get("NODE_PATH", ""),
    }
    proc = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


@pytest.mark.real
def test_startup_prints_every_figure(tmp_path: Path) -> None:
    for shell in ("bash", "zsh", "fish", "dash", "dbus-run-session", "gnome-keyring-daemon"):
        require(shell)
    out = _run([sys.executable, "benchmarks/startup.py", "--runs", "1"], tmp_path)
    expected = [
        rf"python -c pass{NUMBER}",
        rf"dashscope-setup --help{NUMBER}",
        rf"setup --yes --no-test \(bash, 2nd run: no change\){NUMBER}",
        rf"first prompt on screen \(target <= 1\.3x questionary\){NUMBER}",
        rf"Esc to exit: prompt closed \(target <= 300 ms\){NUMBER}",
        rf"Ctrl-C to exit: process ended{NUMBER}",
        r"first run against the fake DashScope: [1-3] answers \(target <= 3\), "
        r"end screen ([1-9]|1[0-5]) lines \(target <= 15\)",
        r"second run \(Keep it, the default\): [12] answers \(target <= 2\)",
    ]
    for shell in ("bash -ic exit", "zsh -ic exit", "fish -c exit", "dash -lc exit"):
        for store in ("none", "file", "inline", "keyring"):
            expected.append(rf"{re.escape(shell)}  \[{store}\]{NUMBER}")
    for pattern in expected:
        assert re.search(pattern, out), f"{pattern!r} not in:\n{out}"
    assert "not installed" not in out and "needs dbus-run-session" not in out, out


def test_region_probe_prints_its_figures(tmp_path: Path) -> None:
    out = _run(
        [sys.executable, "-m", "benchmarks.region_probe", "--rounds", "1", "--latency", "0.05"], tmp_path
    )
    for pattern in (
        r"regions probed:\s+[0-9]+ \(each answer delayed 50 ms\)",
        rf"one probe \(median\):{NUMBER}",
        rf"detection \(median\):{NUMBER}",
        r"ratio detection/probe:\s+[0-9]+\.[0-9]{2}  \(target < 1\.5\)",
    ):
        assert re.search(pattern, out), f"{pattern!r} not in:\n{out}"
