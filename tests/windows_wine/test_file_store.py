"""The key file on Windows, for a user whose profile folder is C:\\users\\张三: the file itself, its
ACL call (icacls, with paths only on its command line, recorded by wine's process trace), the
PowerShell profile block and the CMD line, each kept ASCII so no code page can garble them, and
`remove`. Also the keyring with CMD alone: refused with what works instead (without importing
keyring, which crashes wine)."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import new_key
from tests.shells.test_quoting import _ps_parser, _ps_tree_problems
from tests.windows_wine.conftest import OUR_VALUES, USER, WinLane
from wizard.messages import t

LANGS = ["en", "zh"]
KEY_FILE_WORD = "$env:USERPROFILE\\.dashscope\\api_key"


def _created_processes(trace: str) -> list[str]:
    """The command lines wine's `+process` channel recorded, unescaped (it writes a backslash as
    two, a quote as \\", and other characters as \\ and 4 hex digits)."""

    def unescape(m: re.Match[str]) -> str:
        code = m.group(1)
        return chr(int(code, 16)) if len(code) == 4 else code

    found = re.findall(r'CreateProcessInternalW app .* cmdline L"(.*)"', trace)
    return [re.sub(r"\\([0-9a-f]{4}|.)", unescape, line) for line in found]


@pytest.mark.parametrize("lang", LANGS)
def test_file_store_for_a_chinese_user_name(win: WinLane, lang: str) -> None:
    key = new_key()
    before = win.reg_query()
    args = ("--store", "file", "--shell", "powershell", "--offline", "--region", "cn-beijing")
    r = win.cli(
        "setup", "--yes", "--key-stdin", *args, stdin=key + "\r\n", lang=lang, utf8=True, trace="process"
    )
    assert r.code == 0, r.out
    key_file = win.profile / ".dashscope" / "api_key"
    assert key_file.read_bytes() == (key + "\n").encode()

    # The ACL: one icacls call naming the key file; no process was given the key.
    started = _created_processes(r.stderr)
    icacls = [c for c in started if "icacls.exe" in c.lower()]
    assert len(icacls) == 1, started
    assert f"C:\\users\\{USER}\\.dashscope\\api_key /inheritance:r" in icacls[0]
    assert not [c for c in started if key in c]
    assert key not in r.stdout

    # Windows PowerShell's profile, in the Documents folder Windows reports: ASCII, and it parses.
    profile = win.profile / "Documents" / "WindowsPowerShell" / "profile.ps1"
    body = profile.read_bytes()
    assert body.isascii()
    assert body.decode().count(f'"{KEY_FILE_WORD}"') == 2
    assert _ps_tree_problems(_ps_parser().parse(body).root_node) == []

    # The store's own lines for this CMD window (JSON `session.lines`; the end screen shows one line
    # through `env` instead) work in a new cmd.exe (from a batch file, where the code page would have
    # mangled the Chinese path itself).
    again = win.cli(
        "setup", "--yes", "--key-stdin", *args, "--json", stdin=key + "\r\n", lang=lang, utf8=True
    )
    lines = json.loads(again.stdout)["session"]["lines"]
    assert 'set /p DASHSCOPE_API_KEY=<"%USERPROFILE%\\.dashscope\\api_key"' in lines
    assert [
        x for x in win.batch([*lines, "set DASHSCOPE_API_KEY"]) if x.startswith("DASHSCOPE_API_KEY=")
    ] == [f"DASHSCOPE_API_KEY={key}"]

    r = win.cli("status", lang=lang, utf8=True)
    assert r.code == 0, r.out
    assert key[-4:] in r.out and "PowerShell" in r.out  # the key, and who gets it: PowerShell
    r = win.cli("status", "--json", lang=lang, utf8=True)
    sources = json.loads(r.stdout)["status"]["sources"]
    # found through the profile in the Documents folder Windows reports
    assert any("WindowsPowerShell" in (s.get("path") or "") and s["kind"] == "block" for s in sources), (
        sources
    )

    r = win.cli("remove", "--yes", lang=lang, utf8=True)
    assert r.code == 0, r.out
    assert not key_file.exists()
    assert not profile.exists()
    assert not (win.profile / "AppData" / "Local" / "dashscope-setup").exists()
    assert win.reg_query() == before


@pytest.mark.parametrize("lang", LANGS)
def test_keyring_with_cmd_alone_is_refused_with_what_works_instead(win: WinLane, lang: str) -> None:
    key = new_key()
    before = win.reg_query()
    args = ("--store", "keyring", "--shell", "cmd", "--offline", "--region", "cn-beijing")
    r = win.cli("setup", "--yes", "--key-stdin", *args, stdin=key + "\r\n", lang=lang, utf8=True)
    assert r.code == 2, r.out
    assert t(lang, "err.cmd_no_startup", store="keyring") in r.stderr
    assert t(lang, "err.no_targets") not in r.out
    assert win.reg_query() == before
    assert not (win.profile / "AppData" / "Local" / "dashscope-setup").exists()
    assert not [name for name in OUR_VALUES if name.lower() in win.reg_query()]


def test_file_store_on_a_chinese_windows_with_python_in_utf8_mode(win: WinLane) -> None:
    """whoami answers in code page 936 (GBK for the user name) while Python in UTF-8 mode (PYTHONUTF8=1,
    the default from Python 3.15) decodes UTF-8: that must not end setup after the key file is written."""
    key = new_key()
    args = ("--store", "file", "--shell", "powershell", "--offline", "--region", "cn-beijing")
    env = {"PYTHONUTF8": "1"}
    r = win.cli(
        "setup", "--yes", "--key-stdin", *args, stdin=key + "\r\n", lang="zh", env=env, trace="process"
    )
    assert (r.code, "Traceback" in r.out) == (0, False), r.out
    assert [c for c in _created_processes(r.stderr) if "icacls.exe" in c.lower()]
    r = win.cli("remove", "--yes", lang="zh", env=env)
    assert r.code == 0, r.out
    assert not (win.profile / ".dashscope" / "api_key").exists()
