"""Crash injection: `setup --yes` stopped at a random moment, by Ctrl-C (SIGINT) or by kill -9,
then `remove`: HOME must come back byte for byte (our backups folder aside), and a run that says
"Nothing was changed" must have changed nothing.

Runs: DASHSCOPE_SETUP_CRASH_RUNS, else 200 in CI and 40 elsewhere. The counts are printed.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import IN_CI, clean_env, new_key, require, run_cli, snapshot

RUNS = int(os.environ.get("DASHSCOPE_SETUP_CRASH_RUNS") or (200 if IN_CI else 40))
BACKUPS = ".config/dashscope-setup/backups"
NOTHING_CHANGED = "Nothing was changed"


def without_backups(snap: dict[str, tuple[str, bytes | str]]) -> dict[str, tuple[str, bytes | str]]:
    """Our backups folder may stay (it holds the user's originals); so may the folders above it."""
    if not any(k.startswith(BACKUPS) for k in snap):
        return snap
    keep = {k: v for k, v in snap.items() if not k.startswith(BACKUPS)}
    for parent in (".config/dashscope-setup", ".config"):
        keep.pop(parent, None)
    return keep


def start_setup(home: Path, key: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "wizard", "setup", "--yes", "--offline", "--key-stdin", "--lang", "en",
         "--shell", "bash", "--shell", "zsh", "--shell", "fish"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(home),
        cwd=str(home),
    )  # fmt: skip
    assert proc.stdin is not None
    proc.stdin.write((key + "\n").encode())
    proc.stdin.close()
    proc.stdin = None  # written and closed: communicate() must not flush it again
    return proc


@pytest.mark.real
def test_setup_stopped_anywhere_then_remove_gives_home_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    require("zsh")
    require("fish")
    rng = random.Random(int(os.environ.get("DASHSCOPE_SETUP_CRASH_SEED", "0")) or None)
    # How long a whole setup takes here: the random stops fall inside it.
    probe_home = tmp_path / "probe"
    probe_home.mkdir()
    started = time.monotonic()
    assert start_setup(probe_home, new_key()).wait(timeout=60) == 0
    span = time.monotonic() - started

    outcomes: Counter[str] = Counter()
    for i in range(RUNS):
        home = tmp_path / f"h{i}"
        home.mkdir()
        (home / ".bashrc").write_text("# mine\nalias ll='ls -l'\n")
        (home / ".zshrc").write_text("setopt autocd\n")
        before = snapshot(home)
        key = new_key()
        how = rng.choice((signal.SIGINT, signal.SIGKILL))
        proc = start_setup(home, key)
        time.sleep(rng.uniform(0, span * 1.1))
        if proc.poll() is None:
            proc.send_signal(how)
        out, err = proc.communicate(timeout=60)
        label = f"{signal.Signals(how).name} rc={proc.returncode}"
        outcomes[label] += 1
        context = f"run {i}: {label}\n{err.decode(errors='replace')}"
        # A Ctrl-C while CPython itself starts (site, runpy: before any of our code) can still print
        # its own traceback; none may show a frame of ours. Seen once in 200 (CI, 3.13): the signal
        # came while runpy compiled wizard/__main__.py, whose frame shows as "line 1" though none of
        # its code had run (no handler can exist before that module loads).
        ours = [
            m.group(0)
            for m in re.finditer(rb'File "[^"]*/wizard/([^"]*)", line (\d+)', err)
            if (m.group(1), m.group(2)) != (b"__main__.py", b"1")
        ]
        assert not ours, context
        if NOTHING_CHANGED in (out + err).decode(errors="replace"):
            assert snapshot(home) == before, "said nothing was changed, but something was: " + context
        removed = run_cli(home, "remove", "--yes")
        assert removed.returncode == 0, context + removed.stderr
        after = without_backups(snapshot(home))
        assert after == before, context
        assert not any(
            key.encode() in content for _mode, content in after.values() if isinstance(content, bytes)
        ), context
    with capsys.disabled():  # the counts belong in the CI log, pass or fail
        print(
            f"\ncrash injection: {RUNS} runs of a {span * 1000:.0f} ms setup, all restored: {dict(outcomes)}"
        )
