"""The lines we print and write, run by the REAL cmd.exe, Windows PowerShell 5.1 and PowerShell 7
on a Windows runner — including the curly-quote rule tree-sitter cannot check — and the profile
path each PowerShell names, through the same ctx.run the CLI uses."""

from __future__ import annotations

import base64
import codecs
import subprocess
from pathlib import Path

import pytest

from tests.conftest import require
from wizard import block, files
from wizard.context import Context
from wizard.shells import KEY_VAR, SHELLS, winps

PS = SHELLS["powershell"]
CMD = SHELLS["cmd"]
REALISTIC = "sk-" + "0123456789abcdef" * 2
PS_VALUES = {
    "realistic": REALISTIC,
    "apostrophe": "sk-it's",
    "curly_quotes": "sk-\u2018a\u2019b\u201ac\u201bd",
    "subexpression": "sk-$(Get-Date)",
    "backtick": "sk-`n`t",
    "double_quotes": 'sk-"x"',
    "percent": "sk-%PATH%",
    "chinese": "sk-中文密钥",
    "emoji": "sk-🔑",
    "separators": "sk-a;b|c&d",
    "trailing_backslash": "sk-a\\",
}
CMD_SAFE = {
    "realistic": REALISTIC,
    "spaces": " a b  ",
    "operators": "a&b|c<d>e(f)g&&h||i",
    "separators": "a;b,c=d==",
    "posix_specials": "'$(id)`id`$HOME\\",
    "globs": "*?~#{}[]@",
}
CMD_PERCENT = {
    "lone": "%",
    "trailing": "100%",
    "reference": "%PATH%",
    "double": "%%",
    "self": "a%DASHSCOPE_API_KEY%b",
}
EDITIONS = ("pwsh", "powershell")
# Windows folder names cannot hold " * ? < > | :, but can hold everything else PowerShell cares about.
HOSTILE_DIR = "dir with spaces & 'quote' $x (y) [z] 中文"


def _ps(edition: str, script: Path) -> str:
    exe = require(edition)
    out = subprocess.run(
        [exe, "-NoLogo", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-File", str(script)],
        capture_output=True,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr.decode("utf-8", errors="replace")
    return out.stdout.decode("utf-8", errors="replace").lstrip("\ufeff").strip()  # base64: ASCII


_PRINT = f"[Console]::Out.Write([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($env:{KEY_VAR})))"


def _ps_sees(edition: str, tmp_path: Path, lines: list[str]) -> str:
    """Run the lines in a fresh PowerShell; what $env:DASHSCOPE_API_KEY holds afterwards."""
    script = tmp_path / "t.ps1"
    # UTF-8 with BOM: Windows PowerShell 5.1 reads a BOM-less script in the ANSI code page.
    script.write_bytes(codecs.BOM_UTF8 + "\r\n".join([*lines, _PRINT]).encode("utf-8"))
    return base64.b64decode(_ps(edition, script)).decode("utf-8")


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("value", list(PS_VALUES.values()), ids=list(PS_VALUES))
def test_powershell_session_line_roundtrips(edition: str, value: str, tmp_path: Path) -> None:
    assert _ps_sees(edition, tmp_path, [PS.assign(KEY_VAR, value)]) == value


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("ending", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_powershell_load_line_reads_the_key_file(edition: str, ending: str, tmp_path: Path) -> None:
    d = tmp_path / HOSTILE_DIR
    d.mkdir()
    key_file = d / "api_key"
    key_file.write_bytes((REALISTIC + ending).encode("ascii"))
    assert _ps_sees(edition, tmp_path, [PS.load_line(key_file)]) == REALISTIC


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16-le-bom"])
def test_powershell_profile_block_loads_the_key(edition: str, encoding: str, tmp_path: Path) -> None:
    """A profile as Windows PowerShell 5.1 writes it (UTF-16LE, CRLF) or as an editor does."""
    d = tmp_path / HOSTILE_DIR
    d.mkdir()
    key_file = d / "api_key"
    key_file.write_bytes((REALISTIC + "\n").encode("ascii"))
    # The profile itself in a plain folder: Windows PowerShell resolves a dot-sourced script path
    # with wildcards, and PowerShell loads a real profile by itself, without that lookup.
    profile = tmp_path / "profile" / "profile.ps1"
    profile.parent.mkdir()
    original = "# 我的配置\r\nSet-Alias ll Get-ChildItem\r\n"
    bom, enc = (codecs.BOM_UTF8, "utf-8") if encoding == "utf-8-sig" else (codecs.BOM_UTF16_LE, "utf-16-le")
    profile.write_bytes(bom + original.encode(enc))
    dec = files.decode(profile.read_bytes())
    body = PS.file_block(key_file, {})
    profile.write_bytes(files.encode(dec, block.upsert_block(dec.text, body)))
    assert profile.read_bytes().startswith(bom)
    assert _ps_sees(edition, tmp_path, [f". {PS.quote(str(profile))}"]) == REALISTIC


def test_profile_paths_are_what_each_powershell_uses() -> None:
    ctx = Context.from_process()
    found = {winps.edition_of(exe): winps.probe(ctx, exe) for exe in winps.installed(ctx)}
    assert set(found) == {"pwsh", "powershell"}, found
    for edition, info in found.items():
        exe = require(edition)
        docs = subprocess.run(
            [
                exe,
                "-NoLogo",
                "-NoProfile",
                "-NonInteractive",
                "-Command",
                "[Environment]::GetFolderPath('MyDocuments')",
            ],
            capture_output=True,
            text=True,
            timeout=180,
        ).stdout.strip()
        assert info.profile == Path(docs) / winps.EDITIONS[edition] / "profile.ps1"
        assert info.policy in winps.POLICIES
        assert info.user_policy in winps.POLICIES
    assert winps.profile_paths(ctx) == [found["pwsh"].profile, found["powershell"].profile]


@pytest.mark.parametrize("edition", EDITIONS)
def test_probe_output_survives_a_chinese_onedrive_path(edition: str) -> None:
    """The real console pipeline: PowerShell prints base64, ctx.run decodes it in the ANSI code
    page, and the Chinese path still comes back exactly."""
    path = "C:\\Users\\张三\\OneDrive - 个人\\文档\\WindowsPowerShell\\profile.ps1"
    script = winps.PROBE_SCRIPT.replace("$PROFILE.CurrentUserAllHosts", f"'{path}'")
    ctx = Context.from_process()
    code, out = ctx.run([require(edition), *winps.PS_ARGS, script], ctx.env)
    assert code == 0
    assert winps.parse_probe(edition, out, windows=True).profile == Path(path)


# --- cmd.exe --------------------------------------------------------------------------------------


def _cmd_sees(tmp_path: Path, lines: list[str]) -> list[str]:
    batch = tmp_path / "t.cmd"
    batch.write_bytes(("@echo off\r\n" + "\r\n".join([*lines, f"set {KEY_VAR}"]) + "\r\n").encode("ascii"))
    out = subprocess.run(
        ["cmd.exe", "/d", "/c", batch.name], capture_output=True, cwd=str(tmp_path), timeout=120
    )
    prefix = KEY_VAR + "="
    text = out.stdout.decode("ascii", errors="replace")
    return [line[len(prefix) :] for line in text.split("\r\n") if line.startswith(prefix)]


@pytest.mark.parametrize("value", list(CMD_SAFE.values()), ids=list(CMD_SAFE))
def test_cmd_session_line_roundtrips(value: str, tmp_path: Path) -> None:
    assert _cmd_sees(tmp_path, [CMD.assign(KEY_VAR, value)]) == [value]


@pytest.mark.parametrize("value", list(CMD_PERCENT.values()), ids=list(CMD_PERCENT))
def test_cmd_batch_line_keeps_percent(value: str, tmp_path: Path) -> None:
    assert _cmd_sees(tmp_path, [CMD.assign_batch(KEY_VAR, value)]) == [value]


@pytest.mark.parametrize("ending", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_cmd_load_line_reads_the_key_file(ending: str, tmp_path: Path) -> None:
    d = tmp_path / "dir with spaces (x) & y;z=1"
    d.mkdir()
    key_file = d / "api_key"
    key_file.write_bytes((REALISTIC + ending).encode("ascii"))
    assert _cmd_sees(tmp_path, [CMD.load_line(key_file)]) == [REALISTIC]
