"""History hygiene: the entries holding a key are found (masked) and removed; every other byte stays."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import make_ctx, new_key
from wizard import keys
from wizard.edits import history, manifest


def put(path: Path, data: bytes, mode: int = 0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(mode)
    return path


def no_raw(obj: object, key: str) -> None:
    assert key not in repr(obj) and key not in str(obj)


# --- finding --------------------------------------------------------------------------------------------


def test_bash_history_assignment_and_exact_key(home: Path) -> None:
    k1, k2 = new_key(), new_key()
    put(
        home / ".bash_history",
        f"ls\nexport DASHSCOPE_API_KEY={k1}\necho hi\ncurl -H 'Authorization: Bearer {k2}'\n".encode(),
    )
    ctx = make_ctx(home)
    found = history.find(ctx)
    assert [(f.lines, f.masks, f.exact) for f in found] == [((2,), (keys.mask(k1),), False)]
    found = history.find(ctx, k2)
    assert [f.lines for f in found] == [(2,), (4,)]
    assert found[1].exact
    for f in found:
        no_raw(f, k1)
        no_raw(f, k2)
        json.dumps(f.to_json())
        assert k1 not in json.dumps(f.to_json())


@pytest.mark.parametrize(
    "line",
    [
        "export DASHSCOPE_API_KEY={k}",
        "DASHSCOPE_API_KEY='{k}' python app.py",
        'set -gx DASHSCOPE_API_KEY "{k}"',
        "set -Ux DASHSCOPE_API_KEY {k}",
        "$env:DASHSCOPE_API_KEY = '{k}'",
        "$env:DASHSCOPE_API_KEY='{k}'",
        "[Environment]::SetEnvironmentVariable('DASHSCOPE_API_KEY', '{k}', 'User')",
        "Set-Item Env:DASHSCOPE_API_KEY -Value '{k}'",
        'setx DASHSCOPE_API_KEY "{k}"',
    ],
)
def test_assignment_forms_are_found(home: Path, line: str) -> None:
    k = new_key()
    put(home / ".bash_history", ("pwd\n" + line.format(k=k) + "\n").encode())
    (f,) = history.find(make_ctx(home))
    assert f.lines == (2,) and f.masks == (keys.mask(k),)


def test_dynamic_assignment_is_not_a_finding(home: Path) -> None:
    put(home / ".bash_history", b"export DASHSCOPE_API_KEY=$(cat ~/.dashscope/api_key)\n")
    assert history.find(make_ctx(home)) == []


def test_histfile_from_env_and_xdg_data_home(home: Path) -> None:
    k = new_key()
    put(home / "hist" / "mine", f"export DASHSCOPE_API_KEY={k}\n".encode())
    put(
        home / "data" / "fish" / "fish_history", f"- cmd: set -gx DASHSCOPE_API_KEY {k}\n  when: 1\n".encode()
    )
    ctx = make_ctx(home, env={"HISTFILE": str(home / "hist" / "mine"), "XDG_DATA_HOME": str(home / "data")})
    assert {(f.path, f.shell) for f in history.find(ctx)} == {
        (home / "hist" / "mine", "bash"),
        (home / "data" / "fish" / "fish_history", "fish"),
    }


def test_powershell_history_on_linux_and_windows(home: Path) -> None:
    k = new_key()
    line = f"$env:DASHSCOPE_API_KEY = '{k}'\r\n".encode()
    put(home / ".local" / "share" / "powershell" / "PSReadLine" / "ConsoleHost_history.txt", line)
    appdata = home / "AppData" / "Roaming"
    put(appdata / "Microsoft" / "Windows" / "PowerShell" / "PSReadLine" / "ConsoleHost_history.txt", line)
    linux = history.find(make_ctx(home))
    windows = history.find(make_ctx(home, platform="win32", env={"APPDATA": str(appdata)}))
    assert [f.shell for f in linux] == ["powershell"] and "AppData" not in str(linux[0].path)
    assert [f.shell for f in windows] == ["powershell"] and "AppData" in str(windows[0].path)


# --- scrubbing ---------------------------------------------------------------------------------------------


def scrub_all(home: Path, key: str | None = None, **env: str) -> tuple[list[history.Finding], list[str]]:
    ctx = make_ctx(home, env=env or None)
    found = history.find(ctx, key)
    changes = history.scrub(ctx, found)
    return found, [f"{c.what}:{c.action}" for c in changes]


def test_bash_scrub_removes_only_those_lines_crlf_and_bad_bytes_kept(home: Path) -> None:
    k = new_key()
    before = b"ls -l\r\nexport DASHSCOPE_API_KEY=" + k.encode() + b"\r\necho \xff\xfe caf\xc3\xa9\r\ntail"
    path = put(home / ".bash_history", before, 0o640)
    _found, changes = scrub_all(home)
    assert changes == ["history:modified", "backup:created"]
    assert path.read_bytes() == b"ls -l\r\necho \xff\xfe caf\xc3\xa9\r\ntail"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    (backup,) = manifest.backups_dir(make_ctx(home)).iterdir()
    masked = before.replace(k.encode(), keys.mask(k).encode())
    assert backup.read_bytes() == masked and stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup.parent.stat().st_mode) == 0o700
    assert history.find(make_ctx(home)) == []


def test_backup_is_made_once(home: Path) -> None:
    path = put(home / ".bash_history", f"export DASHSCOPE_API_KEY={new_key()}\n".encode())
    scrub_all(home)
    first = next(manifest.backups_dir(make_ctx(home)).iterdir()).read_bytes()
    path.write_bytes(f"export DASHSCOPE_API_KEY={new_key()}\n".encode())
    _, changes = scrub_all(home)
    assert changes == ["history:modified"]
    assert next(manifest.backups_dir(make_ctx(home)).iterdir()).read_bytes() == first


def test_bash_timestamp_goes_with_its_entry(home: Path) -> None:
    k = new_key()
    path = put(
        home / ".bash_history",
        f"#1700000000\nls\n#1700000001\nexport DASHSCOPE_API_KEY={k}\n#1700000002\npwd\n".encode(),
    )
    found, _ = scrub_all(home)
    assert found[0].lines == (3, 4)
    assert path.read_bytes() == b"#1700000000\nls\n#1700000002\npwd\n"


def test_zsh_extended_multiline_entry_and_metafied_bytes(home: Path) -> None:
    k = new_key()
    meta = b": 1700000000:0;echo \x83\xa3\x83\xb0\n"  # zsh metafies bytes 0x83.. as 0x83, byte^0x20
    entry = b": 1700000001:0;export A=1 \\\nexport DASHSCOPE_API_KEY=" + k.encode() + b"\n"
    tail = b": 1700000002:3;ls\n"
    path = put(home / ".zsh_history", meta + entry + tail)
    found, _ = scrub_all(home)
    assert [f.lines for f in found] == [(2, 3)]
    assert path.read_bytes() == meta + tail


def test_zsh_history_in_zdotdir(home: Path) -> None:
    k = new_key()
    zd = home / ".config" / "zsh"
    path = put(zd / ".zsh_history", f": 1:0;export DASHSCOPE_API_KEY={k}\n: 2:0;ls\n".encode())
    found, _ = scrub_all(home, ZDOTDIR=str(zd))
    assert len(found) == 1 and path.read_bytes() == b": 2:0;ls\n"


def test_fish_entry_removed_whole(home: Path) -> None:
    k = new_key()
    keep1 = b"- cmd: ls\n  when: 1700000000\n"
    drop = f"- cmd: set -gx DASHSCOPE_API_KEY '{k}'\n  when: 1700000001\n  paths:\n    - /tmp\n".encode()
    keep2 = b"- cmd: echo \\\\n done\n  when: 1700000002\n"
    path = put(home / ".local" / "share" / "fish" / "fish_history", keep1 + drop + keep2)
    found, _ = scrub_all(home)
    assert found[0].lines == (3, 4, 5, 6)
    assert path.read_bytes() == keep1 + keep2


def test_powershell_backtick_continuation_removed_whole(home: Path) -> None:
    k = new_key()
    path = put(
        home / ".local" / "share" / "powershell" / "PSReadLine" / "ConsoleHost_history.txt",
        f"Get-Date\r\n$env:DASHSCOPE_API_KEY = `\r\n'{k}'\r\ndir\r\n".encode(),
    )
    found, _ = scrub_all(home, key=k)
    assert found[0].lines == (2, 3)
    assert path.read_bytes() == b"Get-Date\r\ndir\r\n"


def test_utf16_history_keeps_its_encoding(home: Path) -> None:
    k = new_key()
    text = f"dir\r\n$env:DASHSCOPE_API_KEY='{k}'\r\n中文\r\n"
    path = put(
        home / ".local" / "share" / "powershell" / "PSReadLine" / "ConsoleHost_history.txt",
        b"\xff\xfe" + text.encode("utf-16-le"),
    )
    scrub_all(home)
    assert path.read_bytes() == b"\xff\xfe" + "dir\r\n中文\r\n".encode("utf-16-le")


def test_lines_appended_after_find_survive(home: Path) -> None:
    k = new_key()
    path = put(home / ".bash_history", f"a\nexport DASHSCOPE_API_KEY={k}\nb\n".encode())
    ctx = make_ctx(home)
    found = history.find(ctx)
    path.write_bytes(b"a\nexport DASHSCOPE_API_KEY=" + k.encode() + b"\nb\nnew command\n")
    history.scrub(ctx, found)
    assert path.read_bytes() == b"a\nb\nnew command\n"


def test_dry_run_writes_nothing_and_diff_is_masked(home: Path) -> None:
    k = new_key()
    before = f"export DASHSCOPE_API_KEY={k}\n".encode()
    path = put(home / ".bash_history", before)
    ctx = make_ctx(home)
    (change,) = history.scrub(ctx, history.find(ctx), dry_run=True)
    assert change.action == "would-modify" and change.diff
    assert k not in change.diff and keys.mask(k) in change.diff
    assert path.read_bytes() == before
    assert not manifest.backups_dir(ctx).exists()


def test_symlinked_history_is_written_through(home: Path) -> None:
    real = put(home / "dotfiles" / "bash_history", f"x\nexport DASHSCOPE_API_KEY={new_key()}\n".encode())
    (home / ".bash_history").symlink_to(real)
    scrub_all(home)
    assert (home / ".bash_history").is_symlink()
    assert real.read_bytes() == b"x\n"


def test_redact_masks_every_key_form() -> None:
    k = new_key()
    text = f"export DASHSCOPE_API_KEY={k}\nDASHSCOPE_API_KEY=abcdefghijklmnop\nBearer {k}\n$(cat x)"
    out = history.redact(text, k)
    assert k not in out and "abcdefghijklmnop" not in out and "$(cat x)" in out


# --- property: nothing but the found entries changes ----------------------------------------------------

_LINE = st.text(alphabet=st.characters(blacklist_characters="\n", blacklist_categories=("Cs",)), max_size=30)


@given(
    lines=st.lists(st.tuples(_LINE, st.booleans()), max_size=25),
    crlf=st.booleans(),
    final_newline=st.booleans(),
    junk=st.binary(max_size=6),
)
def test_scrub_removes_exactly_the_key_lines(
    lines: list[tuple[str, bool]], crlf: bool, final_newline: bool, junk: bytes
) -> None:
    import tempfile

    k = "sk-" + "a1" * 16
    nl = b"\r\n" if crlf else b"\n"
    raw: list[tuple[bytes, bool]] = []
    for text, is_key in lines:
        body = text.replace("\r", "").replace("\\", "").replace("DASHSCOPE", "").replace("sk-", "")
        data = (f"export DASHSCOPE_API_KEY={k}" if is_key else body).encode() + junk.replace(b"\n", b"")
        raw.append((data, is_key))
    blob = nl.join(d for d, _ in raw) + (nl if final_newline and raw else b"")
    if blob.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        path = put(home / ".bash_history", blob)
        ctx = make_ctx(home)
        ctx.run = lambda argv, env: (1, "")
        history.scrub(ctx, history.find(ctx, k))
        kept = [d for d, is_key in raw if not is_key]
        expected_lines = [d + nl for d in kept]
        if raw and not final_newline and not raw[-1][1] and expected_lines:
            expected_lines[-1] = expected_lines[-1][: -len(nl)]
        assert path.read_bytes() == b"".join(expected_lines)


# --- our own backups ---------------------------------------------------------------------------------


def test_the_backup_of_a_scrubbed_history_holds_no_key(home: Path) -> None:
    k = new_key()
    put(home / ".bash_history", f"ls\necho {k}\nexport DASHSCOPE_API_KEY={k}\npwd\n".encode())
    ctx = make_ctx(home)
    history.scrub(ctx, history.find(ctx, k), key=k)
    (backup,) = manifest.backups_dir(ctx).iterdir()
    text = backup.read_text()
    assert k not in text
    assert text.startswith(f"ls\necho {keys.mask(k)}\nexport DASHSCOPE_API_KEY=") and text.endswith("\npwd\n")


def test_a_key_in_our_backups_folder_is_found_and_masked_in_place(home: Path) -> None:
    k = new_key()
    ctx = make_ctx(home)
    old = put(
        manifest.backups_dir(ctx) / "bash_history-0badc0de.bak",
        f"ls\nexport DASHSCOPE_API_KEY={k}\n".encode(),
    )
    (found,) = history.find(ctx)
    assert found.path == old and found.backup and found.to_json()["backup"] is True
    changes = history.scrub(ctx, [found])
    assert [(c.what, c.action) for c in changes] == [("history", "modified")]  # no backup of a backup
    assert old.read_text() == f"ls\nexport DASHSCOPE_API_KEY={keys.mask(k)}\n"
    assert history.find(ctx, k) == []
