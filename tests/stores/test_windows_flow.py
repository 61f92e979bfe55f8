"""The Windows paths of setup/remove/status, run on Linux with the fake winreg (real semantics:
tests/stores/test_winenv.py) injected through the Context. Nothing Windows-only is imported."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.conftest import make_ctx, new_key
from tests.stores.test_winenv import Broadcasts, FakeWinReg
from wizard.cli import run as cli
from wizard.messages import t


def windows_ctx(home: Path, stdin: str = "", shell: str = "powershell"):  # type: ignore[no-untyped-def]
    ctx = make_ctx(home, stdin=stdin, shell=shell, platform="win32", env={"APPDATA": str(home / "AppData")})
    ctx.windows.registry = FakeWinReg()
    ctx.windows.broadcast = Broadcasts()
    return ctx


def reg_value(ctx, name: str):  # type: ignore[no-untyped-def]
    reg = ctx.windows.registry
    with reg.OpenKey(reg.HKEY_CURRENT_USER, "Environment", 0, reg.KEY_READ) as h:
        try:
            return reg.QueryValueEx(h, name)
        except FileNotFoundError:
            return None


def test_setup_on_windows_writes_the_user_environment_and_remove_deletes_it(home: Path) -> None:
    key = new_key()
    ctx = windows_ctx(home, stdin=key)
    code = cli.run(
        ["setup", "--yes", "--offline", "--key-stdin", "--region", "ap-southeast-1", "--json"], ctx
    )
    assert code == 0, ctx.stderr.getvalue()
    reg = ctx.windows.registry
    assert reg_value(ctx, "DASHSCOPE_API_KEY") == (key, reg.REG_SZ)
    assert reg_value(ctx, "DASHSCOPE_HTTP_BASE_URL") == (
        "https://dashscope-intl.aliyuncs.com/api/v1",
        reg.REG_SZ,
    )
    assert ctx.windows.broadcast.count == 1
    out = ctx.stdout.getvalue()
    assert key not in out + ctx.stderr.getvalue()
    data = json.loads(out)
    assert data["store"]["kind"] == "userenv"
    assert "Windows Terminal" in " ".join(data["next_steps"])
    assert not (home / ".bashrc").exists()

    ctx2 = windows_ctx(home)
    ctx2.windows = ctx.windows
    assert cli.run(["remove", "--yes"], ctx2) == 0
    assert reg_value(ctx, "DASHSCOPE_API_KEY") is None
    assert reg_value(ctx, "DASHSCOPE_HTTP_BASE_URL") is None
    assert ctx.windows.broadcast.count == 2
    # The outcome is the one that happened: the values went, so not "nothing to remove".
    out = ctx2.stdout.getvalue()
    assert "removed  HKCU\\Environment\\DASHSCOPE_API_KEY" in out
    assert t("en", "label.removed_done") in out
    assert "nothing to remove" not in out.lower()
    # PowerShell windows already open keep the values until they drop them.
    assert "Remove-Item Env:DASHSCOPE_API_KEY -ErrorAction Ignore" in out
    assert "Remove-Item Env:DASHSCOPE_HTTP_BASE_URL -ErrorAction Ignore" in out


def test_second_identical_run_does_not_broadcast_again(home: Path) -> None:
    key = new_key()
    ctx = windows_ctx(home, stdin=key)
    assert cli.run(["setup", "--yes", "--offline", "--key-stdin", "--region", "cn-beijing"], ctx) == 0
    again = windows_ctx(home, stdin=key)
    again.windows = ctx.windows
    assert cli.run(["setup", "--yes", "--offline", "--key-stdin", "--region", "cn-beijing"], again) == 0
    assert ctx.windows.broadcast.count == 1


def test_nothing_windows_only_is_imported_on_linux() -> None:
    assert "winreg" not in sys.modules


def test_powershell_users_are_warned_about_psreadline_history(home: Path) -> None:
    ctx = windows_ctx(home, stdin=new_key(), shell="powershell")
    assert cli.run(["setup", "--yes", "--offline", "--key-stdin", "--json"], ctx) == 0
    ids = [w["id"] for w in json.loads(ctx.stdout.getvalue())["warnings"]]
    assert "warn.ps_history" in ids


def test_cmd_snippet_offers_setx_as_text_with_its_caveats(home: Path) -> None:
    ctx = windows_ctx(home, shell="cmd")
    assert cli.run(["snippet", "--shell", "cmd", "--lang", "en"], ctx) == 0
    out = ctx.stdout.getvalue()
    assert 'setx DASHSCOPE_API_KEY "sk-your-api-key"' in out
    assert "1024" in out


def windows_status(ctx, home: Path, **env: str) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    """`status --json` in a new process on the same (fake) Windows, with `env` as its environment."""
    again = windows_ctx(home)
    again.windows = ctx.windows
    again.env.update(env)
    code = cli.run(["status", "--json"], again)
    return code, json.loads(again.stdout.getvalue())


def test_status_right_after_a_userenv_setup_knows_new_windows_get_the_key(home: Path) -> None:
    """A new window starts from HKCU\\Environment (Explorer reads it after the broadcast), not from
    the terminal status runs in: with the key saved there, "only in this terminal" is false."""
    key = new_key()
    ctx = windows_ctx(home, stdin=key)
    assert cli.run(["setup", "--yes", "--offline", "--key-stdin", "--region", "us-east-1"], ctx) == 0
    for env, here in (({"DASHSCOPE_API_KEY": key}, "same"), ({}, "missing")):
        code, data = windows_status(ctx, home, **env)
        assert code == 0
        ids = [w["id"] for w in data["warnings"]]
        assert "status.warn.env_only" not in ids
        st = data["status"]
        assert st["this_terminal"] == here
        assert st["main"]["ref"] == "registry:user" and st["main"]["ours"] is True
        assert st["winners"]["powershell"]["source"] == "registry:user"
        assert st["winners"]["windows"]["source"] == "registry:user"
        assert data["region"] == "us-east-1"


def test_status_on_windows_with_the_key_only_in_this_window_says_so(home: Path) -> None:
    ctx = windows_ctx(home)
    code, data = windows_status(ctx, home, DASHSCOPE_API_KEY=new_key())
    assert code == 9
    assert "status.warn.env_only" in [w["id"] for w in data["warnings"]]
    assert data["status"]["winners"]["powershell"]["source"] is None  # a new window has no key


def test_status_on_windows_with_an_old_key_in_this_window_offers_the_powershell_fix(home: Path) -> None:
    key = new_key()
    ctx = windows_ctx(home, stdin=key)
    assert cli.run(["setup", "--yes", "--offline", "--key-stdin", "--region", "cn-beijing"], ctx) == 0
    code, data = windows_status(ctx, home, DASHSCOPE_API_KEY=new_key())
    assert code == 0
    (warning,) = [w for w in data["warnings"] if w["id"] == "status.warn.terminal_old_key"]
    assert warning["message"].endswith(
        "dashscope-setup env --shell powershell | Out-String | Invoke-Expression"
    )
