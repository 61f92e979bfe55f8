"""One setup or remove at a time on Windows too: a named mutex, held through `lock.transaction` by
Windows CPython under wine. A second process is refused while it is held, given it once released,
and given it at once when its holder died holding it (an abandoned mutex is no stale lock)."""

from __future__ import annotations

import textwrap

from tests.windows_wine.conftest import WinLane, windows_path

SCRIPT = textwrap.dedent(
    """
    import os, subprocess, sys
    from pathlib import Path
    from types import SimpleNamespace
    from wizard.edits import lock
    from wizard.errors import SetupError

    ctx = SimpleNamespace(home=Path.home())

    def child(mode):
        return subprocess.run(
            [sys.executable, __file__, mode], capture_output=True, text=True, check=True
        ).stdout.strip()

    mode = sys.argv[1] if len(sys.argv) > 1 else "main"
    if mode == "try":
        try:
            with lock.transaction(ctx, wait=0.3):
                print("acquired")
        except SetupError as exc:
            print("refused", exc.msg_id)
    elif mode == "die":
        with lock.transaction(ctx, wait=0):
            print("holding", flush=True)
            os._exit(0)  # ends without releasing: the mutex is abandoned
    else:
        with lock.transaction(ctx, wait=0):
            print("while held:", child("try"))
        print("once released:", child("try"))
        print("a holder that died:", child("die"))
        print("after it died:", child("try"))
        upper = Path(str(Path.home()).upper())
        print("one name for any case:", lock.mutex_name(upper) == lock.mutex_name(Path.home()))
    """
)


def test_a_named_mutex_serialises_runs_and_a_dead_holder_leaves_no_stale_lock(win: WinLane) -> None:
    script = win.base / "lock_check.py"
    script.write_text(SCRIPT, encoding="ascii")
    r = win.python_run(windows_path(script), utf8=True)
    assert r.code == 0, r.out
    assert r.stdout.splitlines() == [
        "while held: refused err.busy",
        "once released: acquired",
        "a holder that died: holding",
        "after it died: acquired",
        "one name for any case: True",
    ], r.out
