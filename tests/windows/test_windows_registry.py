r"""UserEnvStore against the REAL registry of a Windows runner (HKCU\Environment), the real
WM_SETTINGCHANGE broadcast, setx for comparison, and the key file's ACL through icacls.

Only names of our own (DASHSCOPE_SETUP_TEST_<random>) are written, and removed afterwards: on a
developer's machine these tests never touch a real DASHSCOPE_API_KEY.
"""

from __future__ import annotations

import contextlib
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import require
from wizard.context import Context
from wizard.stores import userenv as winenv
from wizard.stores.userenv import UserEnvStore, restrict_to_current_user, setx_line, userenv_session_line

if sys.platform == "win32":  # collected only there (tests/windows/conftest.py)
    import winreg

VALUE = "sk-" + "0123456789abcdef" * 2


def _cleanup(*names: str) -> None:
    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, "Environment", 0, winreg.KEY_SET_VALUE) as key:
        for name in names:
            with contextlib.suppress(FileNotFoundError):
                winreg.DeleteValue(key, name)


def _raw(name: str) -> tuple[object, int] | None:
    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, "Environment") as key:
        try:
            return winreg.QueryValueEx(key, name)
        except FileNotFoundError:
            return None


@pytest.fixture
def names() -> Iterator[tuple[str, str]]:
    """A key name and an extra name of our own, removed whatever happens."""
    base = "DASHSCOPE_SETUP_TEST_" + secrets.token_hex(4).upper()
    pair = (base, base + "_URL")
    _cleanup(*pair)
    yield pair
    _cleanup(*pair)


def _reg_query(name: str) -> str:
    out = subprocess.run(
        ["reg", "query", r"HKCU\Environment", "/v", name], capture_output=True, text=True, timeout=60
    )
    return out.stdout


def _user_env_from_powershell(name: str) -> str:
    """An independent reader: .NET's view of the user environment (the registry)."""
    exe = require("powershell")
    script = f"[Console]::Out.Write([Environment]::GetEnvironmentVariable('{name}', 'User'))"
    out = subprocess.run(
        [exe, "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", script],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return out.stdout


def test_real_registry_roundtrip_with_real_broadcast(names: tuple[str, str]) -> None:
    key_name, url_name = names
    value = VALUE + "%PATH%"  # must stay literal: REG_SZ, never REG_EXPAND_SZ
    store = UserEnvStore({url_name: "https://dashscope-intl.aliyuncs.com/api/v1"}, key_var=key_name)
    assert store.plan(value).action == "would-create"
    started = time.monotonic()
    change, dirs = store.save(value)
    elapsed = time.monotonic() - started
    assert (change.action, dirs) == ("created", [])
    assert store.broadcasts == 1
    assert isinstance(store.broadcast_ok, bool)
    assert elapsed < winenv.BROADCAST_BOUND_S + 5
    assert _raw(key_name) == (value, winreg.REG_SZ)
    assert _raw(url_name) == ("https://dashscope-intl.aliyuncs.com/api/v1", winreg.REG_SZ)
    assert f"{key_name}    REG_SZ    {value}" in _reg_query(key_name)
    assert _user_env_from_powershell(key_name) == value
    assert store.read() == value

    assert store.save(value)[0].action == "unchanged"
    assert store.broadcasts == 1

    assert store.delete() is True
    assert _raw(key_name) is None and _raw(url_name) is None
    assert store.broadcasts == 2
    assert store.delete() is False
    assert store.broadcasts == 2


def test_real_expand_sz_value_is_replaced_by_reg_sz(names: tuple[str, str]) -> None:
    key_name, _ = names
    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, "Environment", 0, winreg.KEY_SET_VALUE) as key:
        winreg.SetValueEx(key, key_name, 0, winreg.REG_EXPAND_SZ, "%USERPROFILE%\\x")
    store = UserEnvStore(key_var=key_name)
    assert store.read() == "%USERPROFILE%\\x"  # the raw text, unexpanded
    assert store.plan("%USERPROFILE%\\x").action == "would-modify"
    store.save("%USERPROFILE%\\x")
    assert _raw(key_name) == ("%USERPROFILE%\\x", winreg.REG_SZ)


def test_real_machine_scope_is_read_raw() -> None:
    store = UserEnvStore()
    windir = store.read_var("windir", "machine")
    assert windir is not None and windir.lower() == "%systemroot%"  # a REG_EXPAND_SZ, unexpanded
    assert winenv.registry_reader()("machine") in (None, store.read_scope("machine"))


def test_real_value_longer_than_setx_limit_is_kept_whole(names: tuple[str, str]) -> None:
    key_name, _ = names
    long_value = "sk-" + "a" * 3000
    UserEnvStore(key_var=key_name).save(long_value)
    assert _raw(key_name) == (long_value, winreg.REG_SZ)


def _run_batch(tmp_path: Path, lines: list[str]) -> str:
    batch = tmp_path / "t.cmd"
    batch.write_bytes(("@echo off\r\n" + "\r\n".join(lines) + "\r\n").encode("ascii"))
    out = subprocess.run(
        ["cmd.exe", "/d", "/c", batch.name], capture_output=True, cwd=str(tmp_path), timeout=120
    )
    return out.stdout.decode("ascii", errors="replace")


@pytest.mark.parametrize("value", [VALUE, "sk-a b c", "sk-a&b|c<d>e(f)g", "sk-a;b,c=d==", "sk-*?~#{}[]@"])
def test_setx_line_as_offered_stores_the_value(names: tuple[str, str], tmp_path: Path, value: str) -> None:
    """The text we offer is right: the line run in cmd stores exactly the value (a test value
    on setx's command line, which is why we never run setx with a real key)."""
    key_name, _ = names
    line = setx_line(value, key_name)
    assert line is not None
    _run_batch(tmp_path, [line])
    raw = _raw(key_name)
    assert raw is not None and raw[0] == value


def test_setx_truncates_at_1024_as_we_tell_users(names: tuple[str, str], tmp_path: Path) -> None:
    key_name, _ = names
    value = "sk-" + "b" * 1100
    _run_batch(tmp_path, [f'setx {key_name} "{value}"'])
    raw = _raw(key_name)
    assert raw is not None and len(str(raw[0])) == winenv.SETX_LIMIT


def test_key_file_acl_is_current_user_only(tmp_path: Path) -> None:
    ctx = Context.from_process()
    f = tmp_path / "api_key"
    f.write_text(VALUE + "\n", encoding="ascii")
    assert restrict_to_current_user(f, ctx.run, platform=sys.platform, env=ctx.env) is True
    out = subprocess.run(["icacls", str(f)], capture_output=True, text=True, timeout=60).stdout
    aces = [line.strip() for line in out.replace(str(f), "").splitlines() if line.strip()][:-1]
    assert len(aces) == 1, out
    assert "(I)" not in out, out  # nothing inherited from the folder any more
    assert aces[0].endswith(":(F)"), out
    me = subprocess.run(["whoami"], capture_output=True, text=True, timeout=60).stdout.strip().lower()
    assert aces[0].lower().startswith(me), (me, out)
    assert f.read_text(encoding="ascii") == VALUE + "\n"


@pytest.mark.parametrize("edition", ["pwsh", "powershell"])
def test_open_powershell_window_loads_the_saved_value(
    names: tuple[str, str], tmp_path: Path, edition: str
) -> None:
    """Our process never had the variable, so only the printed line can bring it in."""
    key_name, _ = names
    value = VALUE + "%PATH%"
    UserEnvStore(key_var=key_name).save(value)
    line = userenv_session_line("powershell", key_name)
    assert line is not None
    script = tmp_path / "load.ps1"
    script.write_text(f"{line}\r\n[Console]::Out.Write($env:{key_name})\r\n", encoding="ascii")
    out = subprocess.run(
        [
            require(edition),
            "-NoLogo",
            "-NoProfile",
            "-NonInteractive",
            "-ExecutionPolicy",
            "Bypass",
            "-File",
            str(script),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert out.stdout.strip() == value


def test_open_cmd_window_loads_the_saved_value(names: tuple[str, str], tmp_path: Path) -> None:
    key_name, _ = names
    value = "sk-ab cd%PATH%&x"
    UserEnvStore(key_var=key_name).save(value)
    line = userenv_session_line("cmd", key_name)
    assert line is not None
    out = _run_batch(tmp_path, [f'set "{key_name}="', line.replace("%", "%%"), f"set {key_name}"])
    assert f"{key_name}={value}" in out.split("\r\n")
