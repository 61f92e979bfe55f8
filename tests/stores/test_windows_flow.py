"""The Windows paths of setup/remove/status, run on Linux with the fake winreg (real semantics:
tests/stores/test_winenv.py) injected through the Context. Nothing Windows-only is imported."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.conftest import make_ctx, new_key
from tests.stores.test_winenv import Broadcasts, FakeWinReg
from wizard.cli import run as cli


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
