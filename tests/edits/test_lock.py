"""One setup or remove at a time per HOME: flock on the HOME directory."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import clean_env, make_ctx, new_key, run_cli, snapshot
from wizard.commands.decisions import FlagDecisions
from wizard.commands.setup import setup
from wizard.edits import lock
from wizard.errors import ExitCode, SetupError
from wizard.options import Options


def test_a_second_run_waits_then_says_another_is_busy(home: Path) -> None:
    ctx = make_ctx(home)
    with lock.transaction(ctx), pytest.raises(SetupError) as exc_info, lock.transaction(ctx, wait=0.2):
        pass
    assert (exc_info.value.code, exc_info.value.msg_id) == (ExitCode.STORE, "err.busy")


def test_the_lock_is_released_after_the_block_and_leaves_nothing_behind(home: Path) -> None:
    ctx = make_ctx(home)
    before = snapshot(home)
    with lock.transaction(ctx):
        pass
    with lock.transaction(ctx, wait=0):
        pass
    assert snapshot(home) == before


def test_a_run_waits_for_the_other_to_finish(home: Path) -> None:
    ctx = make_ctx(home)
    order: list[str] = []
    held = threading.Event()

    def other() -> None:
        with lock.transaction(make_ctx(home)):
            held.set()
            threading.Event().wait(0.3)
            order.append("other done")

    t = threading.Thread(target=other)
    t.start()
    held.wait(5)
    with lock.transaction(ctx, wait=5):
        order.append("this one")
    t.join()
    assert order == ["other done", "this one"]


def test_setup_writes_nothing_while_another_run_holds_the_home(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lock, "WAIT_S", 0.2)
    ctx = make_ctx(home, stdin=new_key() + "\n")
    opts = Options(yes=True, key_stdin=True, offline=True, shells=("bash",))
    before = snapshot(home)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDONLY); "
            "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(30)",
            str(home),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(SetupError) as exc_info:
            setup(ctx, opts, None, FlagDecisions(ctx, opts))
        assert exc_info.value.msg_id == "err.busy"
        assert snapshot(home) == before
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize("round_", range(3))
def test_two_setups_at_once_then_remove_give_home_back(home: Path, round_: int) -> None:
    """The observation: two concurrent setups lost a manifest update (remove then left an inline
    key) or left a backup holding the other run's key."""
    (home / ".bashrc").write_text("# mine\n")
    before = snapshot(home)
    keys = [new_key(), new_key()]
    args = ["setup", "--yes", "--offline", "--key-stdin", "--store", "inline", "--shell", "bash"]
    env = clean_env(home)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "wizard", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            cwd=str(home),
            text=True,
        )
        for _ in keys
    ]
    for proc, key in zip(procs, keys):
        assert proc.stdin is not None
        proc.stdin.write(key + "\n")
        proc.stdin.close()
    for proc in procs:
        assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else ""
    text = (home / ".bashrc").read_text()
    assert text.count("# >>> dashscope-setup >>>") == 1
    assert sum(k in text for k in keys) == 1  # the last run's key, once
    removed = run_cli(home, "remove", "--yes")
    assert removed.returncode == 0, removed.stderr
    after = snapshot(home)
    assert after == before
    for _rel, (_mode, content) in after.items():
        assert not any(k.encode() in content for k in keys if isinstance(content, bytes))


def test_concurrent_setups_keep_every_record_for_remove(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Deterministic version of the race: every manifest read is slow, so without the lock both runs
    read the same old record and the second save drops the first run's files."""
    from wizard.edits import manifest

    real_load = manifest.load

    def slow_load(ctx):  # type: ignore[no-untyped-def]
        state = real_load(ctx)
        threading.Event().wait(0.2)
        return state

    monkeypatch.setattr(manifest, "load", slow_load)
    before = snapshot(home)
    errors: list[BaseException] = []

    def run(shell: str) -> None:
        ctx = make_ctx(home, stdin=new_key() + "\n")
        opts = Options(yes=True, key_stdin=True, offline=True, store="inline", shells=(shell,))
        try:
            setup(ctx, opts, None, FlagDecisions(ctx, opts))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for s in ("bash", "zsh")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    recorded = {f.shell for f in real_load(make_ctx(home)).files}
    assert recorded == {"bash", "zsh"}
    monkeypatch.setattr(manifest, "load", real_load)
    assert run_cli(home, "remove", "--yes").returncode == 0
    assert snapshot(home) == before
