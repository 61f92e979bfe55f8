"""The consumer files are journalled like the startup files: whatever stops a setup with --openai-env,
--dotenv and --qwen-code (kill -9 at a random moment, or a stop between writing Qwen Code's settings
and recording what was written), `remove` gives HOME back byte for byte; a recorded .env whose folder
has gone since does not stop the next setup."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import IN_CI, clean_env, new_key, run_cli, snapshot
from tests.e2e.test_crash import without_backups

RUNS = int(os.environ.get("DASHSCOPE_SETUP_CRASH_RUNS") or (40 if IN_CI else 12)) // 4 or 1
FLAGS = ("--openai-env", "--qwen-code", "--dotenv", "project")
BASE = ("setup", "--yes", "--offline", "--key-stdin", "--lang", "en", "--shell", "bash", "--region", "sg")


def _start(home: Path, key: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "wizard", *BASE, *FLAGS],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(home),
        cwd=str(home),
    )
    assert proc.stdin is not None
    proc.stdin.write((key + "\n").encode())
    proc.stdin.close()
    proc.stdin = None
    return proc


def _home(root: Path) -> Path:
    root.mkdir()
    (root / "project").mkdir()
    (root / "project" / ".env").write_text("DEBUG=1\n")
    (root / ".qwen").mkdir()
    (root / ".qwen" / "settings.json").write_text('{\n  "ui": {"theme": "GitHub"}\n}\n')
    return root


def test_killed_anywhere_then_remove_gives_home_back(tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("DASHSCOPE_SETUP_CRASH_SEED", "0")) or None)
    probe = _home(tmp_path / "probe")
    started = time.monotonic()
    assert _start(probe, new_key()).wait(timeout=60) == 0
    span = time.monotonic() - started
    for i in range(RUNS):
        home = _home(tmp_path / f"h{i}")
        before = snapshot(home)
        key = new_key()
        proc = _start(home, key)
        time.sleep(rng.uniform(span * 0.5, span * 1.1))  # the writes come at the end
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        removed = run_cli(home, "remove", "--yes")
        assert removed.returncode == 0, f"run {i}: {removed.stderr}"
        after = without_backups(snapshot(home))
        assert after == before, f"run {i} (rc={proc.returncode})"


def test_stopped_before_what_was_written_was_recorded(home: Path) -> None:
    (home / "project").mkdir()
    before = snapshot(home)
    assert run_cli(home, *BASE, *FLAGS, stdin=new_key()).returncode == 0
    state_path = home / ".config" / "dashscope-setup" / "state.json"
    state = json.loads(state_path.read_text())
    for record in state["consumers"]:
        record["written"] = None  # as a kill -9 right after the write would leave it
    state_path.write_text(json.dumps(state))
    removed = run_cli(home, "remove", "--yes")
    assert removed.returncode == 0, removed.stderr
    assert snapshot(home) == before


def test_a_recorded_dotenv_whose_folder_has_gone_does_not_stop_the_next_setup(home: Path) -> None:
    (home / "project").mkdir()
    assert run_cli(home, *BASE, *FLAGS, stdin=new_key()).returncode == 0
    shutil.rmtree(home / "project")
    again = run_cli(home, "setup", "--yes", "--offline", "--shell", "bash", "--region", "sg")
    assert again.returncode == 0, again.stderr
    removed = run_cli(home, "remove", "--yes")
    assert removed.returncode == 0, removed.stderr
    assert list(home.iterdir()) == []  # everything the two setups wrote is gone
