r"""UserEnvStore against a fake ``winreg`` with the real module's semantics, the ACL helper's argv,
the manual setx/CMD lines, and — through wine's real registry and cmd.exe — why REG_SZ.

The fake follows the CPython ``winreg`` docs and behaviour: predefined HKEY_* ints; OpenKey fails
with FileNotFoundError (winerror 2) for a missing key, CreateKeyEx creates it; access masks are
enforced (PermissionError, winerror 5); QueryValueEx returns (value, type) and never expands
REG_EXPAND_SZ; SetValueEx(key, name, 0, type, value) refuses a non-str or NUL-containing string
for REG_SZ with ValueError; DeleteValue raises FileNotFoundError for a missing value; value
names are case-insensitive and keep the case they were created with; handles are context
managers and die on Close/CloseKey.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pytest

from tests.conftest import ROOT, clean_env, make_ctx, require
from wizard.errors import ExitCode, SetupError
from wizard.messages.windows import MESSAGES
from wizard.stores import userenv as winenv
from wizard.stores.userenv import (
    BASE_URL_VARS,
    MACHINE_KEY,
    SETX_LIMIT,
    UserEnvStore,
    cmd_session_line,
    icacls_argv,
    manual_lines,
    registry_reader,
    restrict_to_current_user,
    setx_line,
    userenv_session_line,
    wsl_message,
)

KEY = "sk-" + "0123456789abcdef" * 2
OTHER_KEY = "sk-" + "fedcba9876543210" * 2
SG_EXTRA = {
    "DASHSCOPE_HTTP_BASE_URL": "https://dashscope-intl.aliyuncs.com/api/v1",
    "DASHSCOPE_COMPATIBLE_BASE_URL": "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
}


# --- a fake winreg -----------------------------------------------------------------------------


def _winerror(cls: type[OSError], errno: int, text: str, winerror: int) -> OSError:
    exc = cls(errno, text)
    exc.winerror = winerror  # type: ignore[attr-defined]  # set by CPython on Windows only
    return exc


@dataclass
class _Key:
    values: dict[str, tuple[str, Any, int]] = field(default_factory=dict)  # lower name -> (name, v, type)
    deny_write: bool = False


class FakeHKEY:
    def __init__(self, reg: FakeWinReg, path: tuple[int, str], access: int) -> None:
        self.reg, self.path, self.access, self.closed = reg, path, access, False

    def Close(self) -> None:
        self.closed = True

    def __enter__(self) -> FakeHKEY:
        return self

    def __exit__(self, *exc: object) -> None:
        self.Close()


class FakeWinReg:
    HKEY_CURRENT_USER = 0x80000001
    HKEY_LOCAL_MACHINE = 0x80000002
    KEY_QUERY_VALUE = 0x0001
    KEY_SET_VALUE = 0x0002
    KEY_CREATE_SUB_KEY = 0x0004
    KEY_READ = 0x20019
    KEY_WRITE = 0x20006
    KEY_ALL_ACCESS = 0xF003F
    REG_NONE = 0
    REG_SZ = 1
    REG_EXPAND_SZ = 2
    REG_BINARY = 3
    REG_DWORD = 4
    error = OSError

    def __init__(self) -> None:
        self.keys: dict[tuple[int, str], _Key] = {
            (self.HKEY_CURRENT_USER, "environment"): _Key(),
            (self.HKEY_LOCAL_MACHINE, MACHINE_KEY.lower()): _Key(deny_write=True),
        }
        self.calls: list[tuple[Any, ...]] = []
        self.opened: list[FakeHKEY] = []

    # helpers for tests
    def env(self, root: int | None = None) -> _Key:
        return self.keys[(root or self.HKEY_CURRENT_USER, "environment")]

    def put(self, name: str, value: Any, kind: int, *, machine: bool = False) -> None:
        key = self.keys[(self.HKEY_LOCAL_MACHINE, MACHINE_KEY.lower())] if machine else self.env()
        key.values[name.lower()] = (name, value, kind)

    def get(self, name: str) -> tuple[Any, int] | None:
        found = self.env().values.get(name.lower())
        return (found[1], found[2]) if found else None

    # the winreg API
    def _resolve(self, key: Any, sub_key: str) -> tuple[int, str]:
        if isinstance(key, FakeHKEY):
            self._alive(key)
            root, base = key.path
            return root, (base + "\\" + sub_key.lower()) if sub_key else base
        if key not in (self.HKEY_CURRENT_USER, self.HKEY_LOCAL_MACHINE):
            raise _winerror(OSError, 6, "The handle is invalid", 6)
        return key, sub_key.lower()

    def _alive(self, h: FakeHKEY) -> None:
        if h.closed:
            raise _winerror(OSError, 9, "The handle is invalid", 6)

    def _open(self, path: tuple[int, str], access: int) -> FakeHKEY:
        if access & self.KEY_SET_VALUE and self.keys[path].deny_write:
            raise _winerror(PermissionError, 13, "Access is denied", 5)
        h = FakeHKEY(self, path, access)
        self.opened.append(h)
        return h

    def OpenKey(self, key: Any, sub_key: str, reserved: int = 0, access: int = 0x20019) -> FakeHKEY:
        self.calls.append(("OpenKey", key, sub_key, access))
        path = self._resolve(key, sub_key)
        if path not in self.keys:
            raise _winerror(FileNotFoundError, 2, "The system cannot find the file specified", 2)
        return self._open(path, access)

    OpenKeyEx = OpenKey

    def CreateKeyEx(self, key: Any, sub_key: str, reserved: int = 0, access: int = 0x20006) -> FakeHKEY:
        self.calls.append(("CreateKeyEx", key, sub_key, access))
        path = self._resolve(key, sub_key)
        self.keys.setdefault(path, _Key())
        return self._open(path, access)

    def QueryValueEx(self, key: FakeHKEY, name: str) -> tuple[Any, int]:
        self.calls.append(("QueryValueEx", name))
        self._alive(key)
        if not key.access & self.KEY_QUERY_VALUE:
            raise _winerror(PermissionError, 13, "Access is denied", 5)
        found = self.keys[key.path].values.get(name.lower())
        if found is None:
            raise _winerror(FileNotFoundError, 2, "The system cannot find the file specified", 2)
        return found[1], found[2]  # REG_EXPAND_SZ comes back unexpanded, as winreg does

    def SetValueEx(self, key: FakeHKEY, value_name: str, reserved: int, type: int, value: Any) -> None:
        self.calls.append(("SetValueEx", value_name, type))
        self._alive(key)
        if not key.access & self.KEY_SET_VALUE:
            raise _winerror(PermissionError, 13, "Access is denied", 5)
        if type in (self.REG_SZ, self.REG_EXPAND_SZ):
            if not isinstance(value, str):
                raise ValueError("Could not convert the data to the specified type.")
            if "\x00" in value:
                raise ValueError("embedded null character")
        values = self.keys[key.path].values
        old = values.get(value_name.lower())
        values[value_name.lower()] = (old[0] if old else value_name, value, type)

    def DeleteValue(self, key: FakeHKEY, value: str) -> None:
        self.calls.append(("DeleteValue", value))
        self._alive(key)
        if not key.access & self.KEY_SET_VALUE:
            raise _winerror(PermissionError, 13, "Access is denied", 5)
        if self.keys[key.path].values.pop(value.lower(), None) is None:
            raise _winerror(FileNotFoundError, 2, "The system cannot find the file specified", 2)

    def CloseKey(self, hkey: FakeHKEY) -> None:
        hkey.Close()


class Broadcasts:
    def __init__(self, result: bool = True) -> None:
        self.count = 0
        self.result = result

    def __call__(self) -> bool:
        self.count += 1
        return self.result


@pytest.fixture
def reg() -> FakeWinReg:
    return FakeWinReg()


@pytest.fixture
def bc() -> Broadcasts:
    return Broadcasts()


def store(reg: FakeWinReg, bc: Broadcasts, **kw: Any) -> UserEnvStore:
    return UserEnvStore(registry=reg, broadcast=bc, **kw)


def test_fake_winreg_behaves_like_winreg_for_missing_values(reg: FakeWinReg) -> None:
    with reg.OpenKey(reg.HKEY_CURRENT_USER, "Environment", 0, reg.KEY_READ | reg.KEY_SET_VALUE) as h:
        with pytest.raises(FileNotFoundError) as exc:
            reg.DeleteValue(h, "NOPE")
        assert exc.value.winerror == 2  # type: ignore[attr-defined]
        with pytest.raises(FileNotFoundError):
            reg.QueryValueEx(h, "NOPE")
    with pytest.raises(OSError):
        reg.QueryValueEx(h, "NOPE")  # closed handle


# --- set, read, delete ------------------------------------------------------------------------


def test_save_writes_reg_sz_and_read_returns_it(reg: FakeWinReg, bc: Broadcasts) -> None:
    s = store(reg, bc)
    change, dirs = s.save(KEY)
    assert (change.path, change.action, change.what, dirs) == (
        r"HKCU\Environment\DASHSCOPE_API_KEY",
        "created",
        "registry",
        [],
    )
    assert reg.get("DASHSCOPE_API_KEY") == (KEY, reg.REG_SZ)
    assert s.read() == KEY


def test_delete_removes_the_value_and_read_returns_none(reg: FakeWinReg, bc: Broadcasts) -> None:
    s = store(reg, bc)
    s.save(KEY)
    assert s.delete() is True
    assert reg.get("DASHSCOPE_API_KEY") is None
    assert s.read() is None


def test_deleting_a_missing_value_is_harmless_and_sends_nothing(reg: FakeWinReg, bc: Broadcasts) -> None:
    s = store(reg, bc)
    assert s.delete() is False
    assert s.delete() is False
    assert bc.count == 0
    assert s.plan_delete() == []


def test_missing_environment_key_reads_none_and_save_creates_it(reg: FakeWinReg, bc: Broadcasts) -> None:
    del reg.keys[(reg.HKEY_CURRENT_USER, "environment")]
    s = store(reg, bc)
    assert s.read() is None
    assert s.delete() is False
    assert s.plan(KEY).action == "would-create"
    assert (reg.HKEY_CURRENT_USER, "environment") not in reg.keys  # planning created nothing
    s.save(KEY)
    assert reg.get("DASHSCOPE_API_KEY") == (KEY, reg.REG_SZ)


def test_existing_expand_sz_value_is_replaced_by_reg_sz(reg: FakeWinReg, bc: Broadcasts) -> None:
    reg.put("DASHSCOPE_API_KEY", KEY, reg.REG_EXPAND_SZ)
    s = store(reg, bc)
    assert s.plan(KEY).action == "would-modify"
    assert s.save(KEY)[0].action == "modified"
    assert reg.get("DASHSCOPE_API_KEY") == (KEY, reg.REG_SZ)
    assert bc.count == 1


def test_existing_non_string_value_is_replaced_by_reg_sz(reg: FakeWinReg, bc: Broadcasts) -> None:
    reg.put("DASHSCOPE_API_KEY", 42, reg.REG_DWORD)
    s = store(reg, bc)
    assert s.read() == "42"
    s.save(KEY)
    assert reg.get("DASHSCOPE_API_KEY") == (KEY, reg.REG_SZ)


def test_reading_expand_sz_returns_the_raw_unexpanded_text(reg: FakeWinReg, bc: Broadcasts) -> None:
    reg.put("DASHSCOPE_API_KEY", "%USERPROFILE%\\key", reg.REG_EXPAND_SZ)
    assert store(reg, bc).read() == "%USERPROFILE%\\key"


def test_value_name_is_case_insensitive_like_the_registry(reg: FakeWinReg, bc: Broadcasts) -> None:
    reg.put("Dashscope_Api_Key", OTHER_KEY, reg.REG_SZ)
    s = store(reg, bc)
    assert s.read() == OTHER_KEY
    s.save(KEY)
    assert reg.env().values["dashscope_api_key"] == ("Dashscope_Api_Key", KEY, reg.REG_SZ)


def test_empty_value_reads_as_no_key(reg: FakeWinReg, bc: Broadcasts) -> None:
    reg.put("DASHSCOPE_API_KEY", "", reg.REG_SZ)
    assert store(reg, bc).read() is None


@pytest.mark.parametrize("value", ["sk-a%PATH%b", "%DASHSCOPE_API_KEY%", "100%", "%%"])
def test_percent_is_stored_literally_as_reg_sz(reg: FakeWinReg, bc: Broadcasts, value: str) -> None:
    store(reg, bc).save(value)
    assert reg.get("DASHSCOPE_API_KEY") == (value, reg.REG_SZ)
    assert ("SetValueEx", "DASHSCOPE_API_KEY", reg.REG_EXPAND_SZ) not in reg.calls


def test_value_longer_than_setx_limit_is_stored_whole(reg: FakeWinReg, bc: Broadcasts) -> None:
    long_value = "sk-" + "a" * (SETX_LIMIT * 3)
    store(reg, bc).save(long_value)
    assert reg.get("DASHSCOPE_API_KEY") == (long_value, reg.REG_SZ)


def test_every_handle_opened_is_closed(reg: FakeWinReg, bc: Broadcasts) -> None:
    s = store(reg, bc, extra=SG_EXTRA)
    s.plan(KEY)
    s.save(KEY)
    s.read_scope("machine")
    s.delete()
    assert reg.opened
    assert all(h.closed for h in reg.opened)


# --- the broadcast -----------------------------------------------------------------------------


def test_one_broadcast_per_save_that_changes_something(reg: FakeWinReg, bc: Broadcasts) -> None:
    s = store(reg, bc, extra=SG_EXTRA)
    s.save(KEY)
    assert bc.count == 1  # three values written, one broadcast
    s.save(KEY)
    assert bc.count == 1  # nothing changed: no broadcast
    assert s.save(KEY)[0].action == "unchanged"
    s.save(OTHER_KEY)
    assert bc.count == 2
    s.delete()
    assert bc.count == 3
    s.delete()
    assert bc.count == 3


def test_failed_broadcast_is_reported_not_raised(reg: FakeWinReg) -> None:
    s = UserEnvStore(registry=reg, broadcast=Broadcasts(result=False))
    s.save(KEY)
    assert s.broadcast_ok is False
    assert [m.id for m in s.broadcast_warnings()] == ["warn.broadcast_failed"]
    assert reg.get("DASHSCOPE_API_KEY") == (KEY, reg.REG_SZ)


def test_broadcast_still_sent_when_a_later_write_fails(reg: FakeWinReg, bc: Broadcasts) -> None:
    original = reg.SetValueEx

    def fail_second(key: FakeHKEY, name: str, reserved: int, type: int, value: Any) -> None:
        if name == "DASHSCOPE_COMPATIBLE_BASE_URL":
            raise _winerror(OSError, 28, "There is not enough space on the disk", 112)
        original(key, name, reserved, type, value)

    reg.SetValueEx = fail_second  # type: ignore[method-assign]
    with pytest.raises(SetupError) as exc:
        store(reg, bc, extra=SG_EXTRA).save(KEY)
    assert exc.value.msg_id == "err.registry_failed"
    assert bc.count == 1  # the key did change, so Explorer is told


def test_default_broadcaster_does_nothing_off_windows() -> None:
    result = winenv.broadcast_environment_change()
    if sys.platform == "win32":
        assert isinstance(result, bool)
    else:
        assert result is False


# --- base URLs of other regions ----------------------------------------------------------------


def test_extra_base_urls_are_written_beside_the_key(reg: FakeWinReg, bc: Broadcasts) -> None:
    s = store(reg, bc, extra=SG_EXTRA)
    assert [c.action for c in s.plan_values(KEY)] == ["would-create"] * 3
    s.save(KEY)
    for name, url in SG_EXTRA.items():
        assert reg.get(name) == (url, reg.REG_SZ)
    assert [c.path.rsplit("\\", 1)[1] for c in s.last_changes] == ["DASHSCOPE_API_KEY", *SG_EXTRA]


def test_changed_base_url_alone_makes_the_store_modified(reg: FakeWinReg, bc: Broadcasts) -> None:
    store(reg, bc, extra=SG_EXTRA).save(KEY)
    other = dict(SG_EXTRA, DASHSCOPE_HTTP_BASE_URL="https://dashscope-us.aliyuncs.com/api/v1")
    assert store(reg, bc, extra=other).plan(KEY).action == "would-modify"


def test_stale_base_urls_we_wrote_are_deleted_for_a_beijing_key(reg: FakeWinReg, bc: Broadcasts) -> None:
    store(reg, bc, extra=SG_EXTRA).save(KEY)
    s = store(reg, bc, stale=BASE_URL_VARS)
    assert [c.action for c in s.plan_values(KEY)] == ["unchanged", "would-remove", "would-remove"]
    assert s.plan(KEY).action == "would-modify"
    s.save(KEY)
    assert all(reg.get(n) is None for n in BASE_URL_VARS)
    assert reg.get("DASHSCOPE_API_KEY") == (KEY, reg.REG_SZ)
    assert bc.count == 2


def test_base_urls_we_did_not_write_are_never_deleted(reg: FakeWinReg, bc: Broadcasts) -> None:
    reg.put("DASHSCOPE_HTTP_BASE_URL", "https://gateway.example/api/v1", reg.REG_SZ)
    s = store(reg, bc)  # nothing recorded as ours
    s.save(KEY)
    s.delete()
    assert reg.get("DASHSCOPE_HTTP_BASE_URL") == ("https://gateway.example/api/v1", reg.REG_SZ)


def test_delete_removes_key_and_our_base_urls(reg: FakeWinReg, bc: Broadcasts) -> None:
    store(reg, bc, extra=SG_EXTRA).save(KEY)
    s = store(reg, bc, stale=BASE_URL_VARS)
    assert len(s.plan_delete()) == 3
    assert s.delete() is True
    assert reg.env().values == {}
    assert bc.count == 2


# --- machine scope ------------------------------------------------------------------------------


def test_machine_scope_is_read_and_never_opened_for_writing(reg: FakeWinReg, bc: Broadcasts) -> None:
    reg.put("DASHSCOPE_API_KEY", OTHER_KEY, reg.REG_SZ, machine=True)
    s = store(reg, bc)
    assert s.read_scope("machine") == OTHER_KEY
    assert s.read_scope("user") is None
    s.save(KEY)
    s.delete()
    machine_opens = [
        c for c in reg.calls if c[0] in ("OpenKey", "CreateKeyEx") and c[1] == reg.HKEY_LOCAL_MACHINE
    ]
    assert machine_opens
    assert all(not c[3] & reg.KEY_SET_VALUE for c in machine_opens)
    assert reg.keys[(reg.HKEY_LOCAL_MACHINE, MACHINE_KEY.lower())].values["dashscope_api_key"][1] == OTHER_KEY


def test_registry_reader_for_status_reads_both_scopes(reg: FakeWinReg) -> None:
    reg.put("DASHSCOPE_API_KEY", KEY, reg.REG_SZ)
    reg.put("DASHSCOPE_API_KEY", OTHER_KEY, reg.REG_EXPAND_SZ, machine=True)
    read = registry_reader(reg)
    assert (read("user"), read("machine")) == (KEY, OTHER_KEY)


def test_registry_reader_never_raises(reg: FakeWinReg) -> None:
    def denied(*a: Any, **k: Any) -> Any:
        raise _winerror(PermissionError, 13, "Access is denied", 5)

    reg.OpenKey = denied  # type: ignore[method-assign]
    assert registry_reader(reg)("machine") is None


def test_unknown_scope_is_a_bug() -> None:
    with pytest.raises(ValueError):
        UserEnvStore(registry=FakeWinReg()).read_var("X", "system")


# --- errors: exit 8, bilingual, never the key ----------------------------------------------------


def test_access_denied_on_write_is_a_store_error(reg: FakeWinReg, bc: Broadcasts) -> None:
    reg.env().deny_write = True
    s = store(reg, bc)
    with pytest.raises(SetupError) as exc:
        s.preflight()
    assert (exc.value.code, exc.value.msg_id) == (ExitCode.STORE, "err.registry_denied")
    assert exc.value.params == {"location": r"HKCU\Environment", "reason": "Access is denied"}
    with pytest.raises(SetupError):
        s.save(KEY)
    with pytest.raises(SetupError):
        s.delete()
    assert bc.count == 0
    assert s.read() is None  # reading still works


def test_key_is_never_in_exception_text_even_if_the_os_puts_it_there(reg: FakeWinReg, bc: Broadcasts) -> None:
    def leaky(key: FakeHKEY, name: str, reserved: int, type: int, value: Any) -> None:
        raise _winerror(OSError, 22, f"cannot store {value!r}", 87)

    reg.SetValueEx = leaky  # type: ignore[method-assign]
    with pytest.raises(SetupError) as exc:
        store(reg, bc).save(KEY)
    err = exc.value
    text = " ".join([str(err), repr(err), repr(err.params), str(err.__cause__), str(err.__context__)])
    assert KEY not in text
    assert err.__cause__ is None
    assert err.__suppress_context__
    assert err.msg_id == "err.registry_failed"
    assert "sk-…cdef" in err.params["reason"]


def test_embedded_nul_is_a_store_error_not_a_crash(reg: FakeWinReg, bc: Broadcasts) -> None:
    with pytest.raises(SetupError) as exc:
        store(reg, bc).save("sk-a\x00b")
    assert exc.value.code == ExitCode.STORE


def test_store_starts_no_process(reg: FakeWinReg, bc: Broadcasts, monkeypatch: pytest.MonkeyPatch) -> None:
    """The key cannot be on any command line: there is none."""

    def no(*a: Any, **k: Any) -> Any:
        raise AssertionError("a process was started")

    monkeypatch.setattr(subprocess, "Popen", no)
    s = store(reg, bc, extra=SG_EXTRA)
    s.preflight()
    s.plan(KEY)
    s.save(KEY)
    s.read()
    s.delete()


def test_real_winreg_is_used_only_on_windows() -> None:
    if sys.platform == "win32":
        import winreg

        assert winenv.load_winreg() is winreg
    else:
        with pytest.raises(SetupError) as exc:
            UserEnvStore().read()
        assert (exc.value.code, exc.value.msg_id) == (ExitCode.USAGE, "err.userenv_windows_only")


def test_importing_the_windows_modules_imports_nothing_windows_only() -> None:
    """In a fresh interpreter, with winreg made unimportable: our modules import, and neither
    winreg nor ctypes is even attempted at import time (on every platform)."""
    code = textwrap.dedent(
        """
        import sys
        attempted = []

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("winreg", "_winreg", "ctypes"):
                    attempted.append(name)
                    raise ImportError("blocked: " + name)
                return None

        before = set(sys.modules)
        sys.meta_path.insert(0, Block())
        import wizard.stores.userenv, wizard.shells.winps, wizard.messages.windows  # noqa: E401
        new = set(sys.modules) - before
        print(sorted(attempted), sorted(m for m in new if m.split(".")[0] in ("winreg", "ctypes")))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=str(ROOT),
        env=clean_env(ROOT),
        timeout=60,
        check=True,
    ).stdout
    assert out.strip() == "[] []"


# --- the key file's ACL --------------------------------------------------------------------------

WIN_ENV = {"SystemRoot": r"C:\Windows", "USERNAME": "张三", "USERDOMAIN": "DESKTOP-1"}
SID = "S-1-5-21-1004336348-1177238915-682003330-1001"


class Runs:
    def __init__(self, *answers: tuple[int, str]) -> None:
        self.answers = list(answers)
        self.argvs: list[list[str]] = []

    def __call__(self, argv: list[str], env: Any) -> tuple[int, str]:
        self.argvs.append(list(argv))
        return self.answers.pop(0) if self.answers else (0, "")


def test_acl_uses_the_sid_from_whoami() -> None:
    path = Path(r"C:\Users\张三\.dashscope\api_key")
    run = Runs((0, f'"desktop-1\\张三","{SID}"\r\n'), (0, "processed file: ...\r\n"))
    assert restrict_to_current_user(path, run, platform="win32", env=WIN_ENV) is True
    assert run.argvs == [
        [r"C:\Windows\System32\whoami.exe", "/user", "/fo", "csv", "/nh"],
        [r"C:\Windows\System32\icacls.exe", str(path), "/inheritance:r", "/grant:r", f"*{SID}:F"],
    ]


def test_acl_falls_back_to_domain_and_user_name() -> None:
    run = Runs((1, ""), (0, ""))
    restrict_to_current_user(Path("k"), run, platform="win32", env=WIN_ENV)
    assert run.argvs[1][-1] == "DESKTOP-1\\张三:F"


def test_acl_argv_holds_the_path_never_the_key() -> None:
    path = Path("C:/Users/a b/.dashscope/api_key")
    argv = icacls_argv(path, "*" + SID, WIN_ENV)
    assert argv[1] == str(path)
    assert not any(KEY in a for a in argv)


def test_acl_failure_is_a_store_error() -> None:
    run = Runs((0, f'"x\\y","{SID}"'), (5, "Access is denied.\r\nSuccessfully processed 0 files"))
    with pytest.raises(SetupError) as exc:
        restrict_to_current_user(Path("k"), run, platform="win32", env=WIN_ENV)
    assert (exc.value.code, exc.value.msg_id) == (ExitCode.STORE, "err.acl_failed")


def test_acl_with_no_known_user_is_a_store_error() -> None:
    with pytest.raises(SetupError):
        restrict_to_current_user(Path("k"), Runs((1, "")), platform="win32", env={})


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_acl_does_nothing_off_windows(platform: str) -> None:
    run = Runs()
    assert restrict_to_current_user(Path("k"), run, platform=platform, env={}) is False
    assert run.argvs == []


# --- setx and the CMD line, as text --------------------------------------------------------------


def test_setx_line_is_the_guides_line() -> None:
    assert setx_line("sk-your-api-key") == 'setx DASHSCOPE_API_KEY "sk-your-api-key"'


@pytest.mark.parametrize(
    "value", ["sk-a%PATH%", "sk-a!b", "sk-a^b", 'sk-a"b', "sk-中文", "sk-a\\", "/k", "-x"]
)
def test_setx_line_is_refused_for_values_cmd_cannot_carry(value: str) -> None:
    assert setx_line(value) is None


def test_cmd_session_line_only_for_safe_values() -> None:
    assert cmd_session_line(KEY) == f'set "DASHSCOPE_API_KEY={KEY}"'
    assert cmd_session_line("sk-100%") is None


def test_manual_lines_carry_their_caveats() -> None:
    lines = manual_lines(KEY)
    assert lines.setx == f'setx DASHSCOPE_API_KEY "{KEY}"'
    assert lines.cmd_session == f'set "DASHSCOPE_API_KEY={KEY}"'
    assert [m.id for m in lines.notes] == ["winenv.setx_caveats"]


def test_manual_lines_offer_no_setx_for_a_value_setx_would_truncate() -> None:
    lines = manual_lines("sk-" + "a" * SETX_LIMIT)
    assert lines.setx is None
    assert "winenv.setx_truncates" in [m.id for m in lines.notes]


def test_manual_lines_for_an_unsafe_value() -> None:
    lines = manual_lines("sk-a!b")
    assert (lines.setx, lines.cmd_session) == (None, None)
    assert [m.id for m in lines.notes] == [
        "winenv.setx_caveats",
        "winenv.setx_unsafe",
        "winenv.cmd_session_unsafe",
    ]


# --- WSL ---------------------------------------------------------------------------------------------


def test_wsl_message_on_windows_names_the_windows_side(home: Path) -> None:
    ctx = make_ctx(home, platform="win32")
    ctx.which = {"wsl": "C:\\WINDOWS\\system32\\wsl.exe"}.get  # type: ignore[method-assign]
    msg = wsl_message(ctx)
    assert msg is not None and msg.id == "warn.wsl_windows_side"


def test_no_wsl_message_on_windows_without_wsl(home: Path) -> None:
    ctx = make_ctx(home, platform="win32")
    ctx.which = {}.get  # type: ignore[method-assign]
    assert wsl_message(ctx) is None


def test_wsl_message_inside_wsl_names_the_linux_side(home: Path) -> None:
    ctx = make_ctx(home, env={"WSL_DISTRO_NAME": "Ubuntu-22.04"})
    msg = wsl_message(ctx)
    assert msg is not None and (msg.id, msg.params) == ("warn.wsl_linux_side", {"distro": "Ubuntu-22.04"})


def test_no_wsl_message_on_plain_linux(home: Path) -> None:
    assert wsl_message(make_ctx(home)) is None


# --- messages ---------------------------------------------------------------------------------------

_USED_PARAMS = {
    "err.cmd_no_startup": {"store": "keyring"},
    "err.registry_denied": {"location": "HKCU\\Environment", "reason": "Access is denied"},
    "err.registry_failed": {"location": "HKCU\\Environment", "reason": "x"},
    "err.acl_failed": {"path": "C:\\k", "reason": "x"},
    "note.userenv_long_value": {"length": 2000, "limit": 1024},
    "warn.wsl_linux_side": {"distro": "Ubuntu"},
    "winenv.setx_caveats": {"limit": 1024},
    "winenv.setx_truncates": {"length": 2000, "limit": 1024},
    "warn.ps_execution_policy": {"shell": "Windows PowerShell 5.1", "policy": "Restricted", "exe": "x"},
    "warn.ps_history": {"path": "C:\\h.txt"},
    "warn.ps_history_has_key": {"path": "C:\\h.txt"},
    "err.ps_profile_unknown": {"prog": "dashscope-setup"},
}


@pytest.mark.parametrize("msg_id", sorted(MESSAGES))
def test_every_message_has_english_and_chinese_that_render(msg_id: str) -> None:
    import re

    en, zh = MESSAGES[msg_id]
    assert en.strip() and zh.strip()
    assert re.search(r"[\u4e00-\u9fff]", zh) or msg_id.startswith("what."), "the Chinese text is Chinese"
    params = _USED_PARAMS.get(msg_id, {})
    for text in (en, zh):
        rendered = text.format(**params)
        assert "{" not in rendered
    assert set(re.findall(r"\{(\w+)\}", en)) == set(re.findall(r"\{(\w+)\}", zh))


def test_every_message_id_the_windows_modules_use_is_in_the_catalogue() -> None:
    import re

    used: set[str] = set()
    for module in ("stores/userenv.py", "shells/winps.py"):
        text = (ROOT / "wizard" / module).read_text(encoding="utf-8")
        used |= set(re.findall(r'"((?:err|warn|next|note|winenv|what)\.[a-z_.]+)"', text))
    assert used
    assert used - set(MESSAGES) == set()
    assert "what.registry" in MESSAGES  # render.py shows Change.what through "what.<what>"


def test_new_terminal_message_names_windows_terminal_and_vs_code() -> None:
    en, zh = MESSAGES[winenv.new_terminal_message().id]
    for text in (en, zh):
        assert "Windows Terminal" in text and "VS Code" in text


# --- for real: wine's registry and cmd.exe --------------------------------------------------------


@dataclass(frozen=True)
class Wine:
    exe: str
    env: dict[str, str]
    workdir: Path

    def run(self, *args: str) -> tuple[int, str]:
        """stdout to a file, not a pipe: wine's services would hold a pipe open for seconds."""
        out = self.workdir / "stdout"
        with out.open("wb") as fh:
            code = subprocess.run(
                [self.exe, *args],
                stdin=subprocess.DEVNULL,
                stdout=fh,
                stderr=subprocess.DEVNULL,
                env=self.env,
                cwd=str(self.workdir),
                timeout=120,
                check=False,
            ).returncode
        return code, out.read_bytes().decode("utf-8", errors="replace")

    def cmd_sees(self, *names: str) -> dict[str, str]:
        """A NEW cmd.exe, as a new terminal would start: what `set` shows for these names."""
        batch = self.workdir / "t.cmd"
        batch.write_bytes(("@echo off\r\n" + "".join(f"set {n}\r\n" for n in names)).encode("ascii"))
        _, out = self.run("cmd", "/c", batch.name)
        seen: dict[str, str] = {}
        for line in out.split("\r\n"):
            name, sep, value = line.partition("=")
            if sep and name in names:
                seen[name] = value
        return seen


@pytest.fixture(scope="module")
def wine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wine]:
    exe = require("wine")
    server = require("wineserver")
    base = tmp_path_factory.mktemp("winenv-wine")
    (base / "home").mkdir()
    prefix = base / "prefix"
    prefix.mkdir()
    env = clean_env(base / "home", WINEPREFIX=str(prefix), WINEDEBUG="-all")
    quiet: dict[str, Any] = {
        "stdin": subprocess.DEVNULL,
        "stdout": subprocess.DEVNULL,
        "stderr": subprocess.DEVNULL,
    }
    subprocess.run([server, "-p"], env=env, timeout=60, check=True, **quiet)
    try:
        built = subprocess.run(
            [exe, "cmd", "/c", "exit"], env=env, cwd=str(base), timeout=300, check=False, **quiet
        )
        assert built.returncode == 0, "wine could not build its prefix"
        yield Wine(exe, env, base)
    finally:
        subprocess.run([server, "-k"], env=env, timeout=60, check=False, **quiet)


class WineHKEY:
    def __init__(self, path: str) -> None:
        self.path = path

    def Close(self) -> None:
        pass


class WineRegistry:
    """The winreg calls UserEnvStore makes, carried out by wine's reg.exe on wine's real registry.
    Test values only go on these command lines; the store itself never starts a process."""

    HKEY_CURRENT_USER = 0x80000001
    HKEY_LOCAL_MACHINE = 0x80000002
    KEY_QUERY_VALUE = 1
    KEY_SET_VALUE = 2
    REG_SZ = 1
    REG_EXPAND_SZ = 2
    _TYPES: ClassVar[dict[str, int]] = {"REG_SZ": 1, "REG_EXPAND_SZ": 2}
    _ROOTS: ClassVar[dict[int, str]] = {0x80000001: "HKCU", 0x80000002: "HKLM"}

    def __init__(self, wine: Wine) -> None:
        self.wine = wine

    def _query(self, *args: str) -> tuple[int, str]:
        """reg.exe's answer; "not found" is an answer, any other failure of a loaded machine's wine
        (seen once in 3,000 runs: a query failing for a value that was there) is asked again."""
        for _attempt in range(3):
            code, out = self.wine.run("reg", "query", *args)
            if code == 0 or "Unable to find" in out:
                return code, out
        raise AssertionError(f"wine reg query {args!r} failed: {out!r}")

    def OpenKey(self, key: int, sub_key: str, reserved: int = 0, access: int = 1) -> WineHKEY:
        path = f"{self._ROOTS[key]}\\{sub_key}"
        code, _ = self._query(path)
        if code != 0:
            raise _winerror(FileNotFoundError, 2, "The system cannot find the file specified", 2)
        return WineHKEY(path)

    def CreateKeyEx(self, key: int, sub_key: str, reserved: int = 0, access: int = 2) -> WineHKEY:
        path = f"{self._ROOTS[key]}\\{sub_key}"
        assert self.wine.run("reg", "add", path, "/f")[0] == 0
        return WineHKEY(path)

    def QueryValueEx(self, key: WineHKEY, name: str) -> tuple[str, int]:
        code, out = self._query(key.path, "/v", name)
        if code != 0:
            raise _winerror(FileNotFoundError, 2, "The system cannot find the file specified", 2)
        for line in out.split("\r\n"):
            parts = line.strip().split("    ", 2)
            if len(parts) >= 2 and parts[0].lower() == name.lower():
                return (parts[2] if len(parts) == 3 else ""), self._TYPES.get(parts[1], 0)
        raise AssertionError(out)

    def SetValueEx(self, key: WineHKEY, name: str, reserved: int, type: int, value: str) -> None:
        kind = {1: "REG_SZ", 2: "REG_EXPAND_SZ"}[type]
        assert self.wine.run("reg", "add", key.path, "/v", name, "/t", kind, "/d", value, "/f")[0] == 0

    def DeleteValue(self, key: WineHKEY, name: str) -> None:
        if self.wine.run("reg", "delete", key.path, "/v", name, "/f")[0] != 0:
            raise _winerror(FileNotFoundError, 2, "The system cannot find the file specified", 2)


@pytest.mark.real
def test_wine_new_cmd_expands_reg_expand_sz_but_not_reg_sz(wine: Wine) -> None:
    """Why REG_SZ: a new process gets REG_EXPAND_SZ values with %VAR% expanded."""
    for name, kind in (("DSX_SZ", "REG_SZ"), ("DSX_EXPAND", "REG_EXPAND_SZ")):
        assert (
            wine.run("reg", "add", r"HKCU\Environment", "/v", name, "/t", kind, "/d", "a%WINDIR%b", "/f")[0]
            == 0
        )
    try:
        seen = wine.cmd_sees("DSX_SZ", "DSX_EXPAND")
        assert seen["DSX_SZ"] == "a%WINDIR%b"
        assert seen["DSX_EXPAND"] != "a%WINDIR%b" and "%" not in seen["DSX_EXPAND"]
    finally:
        for name in ("DSX_SZ", "DSX_EXPAND"):
            wine.run("reg", "delete", r"HKCU\Environment", "/v", name, "/f")


@pytest.mark.real
def test_wine_store_roundtrip_reaches_a_new_cmd(wine: Wine) -> None:
    value = "sk-" + "0123456789abcdef" + "%PATH%"
    name = "DASHSCOPE_SETUP_TEST_KEY"
    bc = Broadcasts()
    wine.run("reg", "add", r"HKCU\Environment", "/v", name, "/t", "REG_EXPAND_SZ", "/d", value, "/f")
    s = UserEnvStore(registry=WineRegistry(wine), broadcast=bc, key_var=name)
    try:
        assert s.plan(value).action == "would-modify"  # same text, but REG_EXPAND_SZ
        assert s.save(value)[0].action == "modified"
        _, out = wine.run("reg", "query", r"HKCU\Environment", "/v", name)
        assert f"{name}    REG_SZ    {value}" in out
        assert wine.cmd_sees(name) == {name: value}
        assert s.plan(value).action == "unchanged"
        assert s.delete() is True
        assert wine.cmd_sees(name) == {}
        assert s.delete() is False
        assert bc.count == 2
    finally:
        wine.run("reg", "delete", r"HKCU\Environment", "/v", name, "/f")


@pytest.mark.real
def test_wine_cmd_session_line_loads_the_user_environment_into_this_window(wine: Wine) -> None:
    """The CMD line for an already-open window: `set NAME=` first, so only our line can set it."""
    name = "DASHSCOPE_SETUP_TEST_LOAD"
    value = "sk-ab cd%PATH%&x"
    wine.run("reg", "add", r"HKCU\Environment", "/v", name, "/t", "REG_SZ", "/d", value, "/f")
    try:
        line = userenv_session_line("cmd", name)
        assert line is not None
        batch = wine.workdir / "load.cmd"
        lines = ["@echo off", f'set "{name}="', line.replace("%", "%%"), f"set {name}"]
        batch.write_bytes("\r\n".join([*lines, ""]).encode("ascii"))
        _, out = wine.run("cmd", "/c", batch.name)
        assert f"{name}={value}" in out.split("\r\n")
    finally:
        wine.run("reg", "delete", r"HKCU\Environment", "/v", name, "/f")


def test_userenv_session_lines_print_no_secret_and_exist_only_for_windows_shells() -> None:
    for shell in ("powershell", "cmd"):
        line = userenv_session_line(shell)
        assert line is not None and "DASHSCOPE_API_KEY" in line and "sk-" not in line
    assert userenv_session_line("bash") is None


def test_windows_message_ids_collide_with_no_other_catalogue() -> None:
    import importlib

    others: set[str] = set()
    for path in (ROOT / "wizard" / "messages").glob("*.py"):
        if path.stem not in ("windows", "__init__"):
            others |= set(importlib.import_module(f"wizard.messages.{path.stem}").MESSAGES)
    assert set(MESSAGES) & others == set()
