"""Reading and writing users' files (wizard/files.py).

decode/encode give back any bytes unchanged, with or without a BOM; then the atomic write on real files
(symlinks, modes, owners, failures) and the writability check made before anything is written.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from wizard import files
from wizard.errors import ExitCode, SetupError
from wizard.files import decode, encode

BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def leftovers(directory: Path, *expected: str) -> set[str]:
    """Names in directory other than the expected ones (temp files left behind)."""
    return {p.name for p in directory.iterdir()} - set(expected)


# --- 1. properties: decode and encode ----------------------------------------------------------


@given(st.binary().filter(lambda b: not b.startswith(BOMS)))
@example(b"\xff\x00\xc3(\xed\xa0\x80\xf4\x90\x80\x80")
def test_decode_encode_round_trips_any_bytes_without_bom(data: bytes) -> None:
    d = decode(data)
    assert (d.bom, d.encoding) == (b"", "utf-8")
    assert encode(d, d.text) == data


@given(st.text())
def test_decode_encode_round_trips_utf8_bom_with_valid_text(text: str) -> None:
    data = codecs.BOM_UTF8 + text.encode("utf-8")
    d = decode(data)
    assert (d.bom, d.encoding, d.text) == (codecs.BOM_UTF8, "utf-8", text)
    assert encode(d, d.text) == data


@given(st.binary())
@example(b"\xff")  # a UTF-8 BOM file with one Latin-1 byte in it
@example(b"\xed\xa0\x80")  # an encoded surrogate
def test_decode_encode_round_trips_utf8_bom_with_invalid_bytes(payload: bytes) -> None:
    data = codecs.BOM_UTF8 + payload
    d = decode(data)
    assert encode(d, d.text) == data


@given(st.sampled_from([codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE]), st.binary())
@example(codecs.BOM_UTF16_LE, b"\x00\xd8A\x00\x00\xdc")  # lone surrogates
def test_decode_encode_round_trips_utf16_bom_with_even_length(bom: bytes, payload: bytes) -> None:
    data = bom + payload[: len(payload) // 2 * 2]
    d = decode(data)
    assert d.bom == bom
    assert encode(d, d.text) == data


@given(st.sampled_from([codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE]), st.binary(min_size=1))
@example(codecs.BOM_UTF16_LE, b"A")  # a Latin-1 file that happens to start with "ÿþ", or a truncated file
def test_decode_encode_round_trips_utf16_bom_with_odd_length(bom: bytes, payload: bytes) -> None:
    data = bom + (payload if len(payload) % 2 else payload[:-1])
    d = decode(data)
    assert encode(d, d.text) == data


# --- 2. real files: resolve, atomic_write, check_writable --------------------------------------


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_resolve_follows_an_absolute_symlink(home: Path) -> None:
    target = home / "dotfiles" / "bashrc"
    target.parent.mkdir()
    target.write_text("x\n")
    link = home / ".bashrc"
    link.symlink_to(target)
    assert files.resolve(link) == target


def test_resolve_follows_a_relative_chain(home: Path) -> None:
    (home / "dotfiles").mkdir()
    (home / "dotfiles" / "bashrc").write_text("x\n")
    (home / "mid").symlink_to("dotfiles/bashrc")
    (home / ".bashrc").symlink_to("mid")
    assert files.resolve(home / ".bashrc") == home / "dotfiles" / "bashrc"


def test_resolve_of_a_plain_file_is_itself(home: Path) -> None:
    (home / ".bashrc").write_text("x\n")
    assert files.resolve(home / ".bashrc") == home / ".bashrc"


def test_atomic_write_creates_a_new_file(home: Path) -> None:
    rc = home / ".bashrc"
    files.atomic_write(rc, b"hello\n")
    assert rc.read_bytes() == b"hello\n"
    assert mode_of(rc) == 0o644
    assert leftovers(home, ".bashrc") == set()


def test_atomic_write_replaces_content_and_leaves_no_temp_file(home: Path) -> None:
    rc = home / ".bashrc"
    rc.write_bytes(b"old\n")
    files.atomic_write(rc, b"new\n")
    assert rc.read_bytes() == b"new\n"
    assert leftovers(home, ".bashrc") == set()


def test_atomic_write_through_absolute_symlink_writes_the_target(home: Path) -> None:
    target = home / "dotfiles" / "bashrc"
    target.parent.mkdir()
    target.write_bytes(b"old\n")
    link = home / ".bashrc"
    link.symlink_to(target)
    files.atomic_write(link, b"new\n")
    assert link.is_symlink()
    assert os.readlink(link) == str(target)
    assert target.read_bytes() == b"new\n"
    assert leftovers(home, ".bashrc", "dotfiles") == set()
    assert leftovers(target.parent, "bashrc") == set()


def test_atomic_write_through_relative_symlink_writes_the_target(home: Path) -> None:
    (home / "dotfiles").mkdir()
    target = home / "dotfiles" / "zshrc"
    target.write_bytes(b"old\n")
    link = home / ".zshrc"
    link.symlink_to("dotfiles/zshrc")
    files.atomic_write(link, b"new\n")
    assert link.is_symlink()
    assert os.readlink(link) == "dotfiles/zshrc"
    assert target.read_bytes() == b"new\n"


def test_atomic_write_through_a_chain_of_two_links_writes_the_final_target(home: Path) -> None:
    (home / "repo").mkdir()
    target = home / "repo" / "profile"
    target.write_bytes(b"old\n")
    (home / "mid").symlink_to("repo/profile")
    link = home / ".profile"
    link.symlink_to(home / "mid")
    files.atomic_write(link, b"new\n")
    assert link.is_symlink()
    assert (home / "mid").is_symlink()
    assert os.readlink(home / "mid") == "repo/profile"
    assert target.read_bytes() == b"new\n"
    assert leftovers(home, ".profile", "mid", "repo") == set()


def test_atomic_write_through_a_dangling_symlink_creates_the_target(home: Path) -> None:
    (home / "dotfiles").mkdir()
    link = home / ".bashrc"
    link.symlink_to("dotfiles/bashrc")
    files.atomic_write(link, b"new\n")
    assert link.is_symlink()
    assert (home / "dotfiles" / "bashrc").read_bytes() == b"new\n"


def test_atomic_write_keeps_the_original_mode(home: Path) -> None:
    rc = home / ".bashrc"
    rc.write_bytes(b"old\n")
    rc.chmod(0o640)
    files.atomic_write(rc, b"new\n")
    assert mode_of(rc) == 0o640


def test_atomic_write_keeps_the_targets_mode_through_a_symlink(home: Path) -> None:
    target = home / "real"
    target.write_bytes(b"old\n")
    target.chmod(0o640)
    (home / ".bashrc").symlink_to("real")
    files.atomic_write(home / ".bashrc", b"new\n")
    assert mode_of(target) == 0o640


def test_atomic_write_keeps_the_original_owner(home: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("changing a file's owner needs root")
    rc = home / ".bashrc"
    rc.write_bytes(b"old\n")
    os.chown(rc, 1234, 2345)
    files.atomic_write(rc, b"new\n")
    st_ = rc.stat()
    assert (st_.st_uid, st_.st_gid) == (1234, 2345)


def test_atomic_write_new_secret_file_is_0600_even_with_umask_0(home: Path) -> None:
    old = os.umask(0)
    try:
        files.atomic_write(home / "key", b"sk-x\n", secret=True)
    finally:
        os.umask(old)
    assert mode_of(home / "key") == 0o600


def test_atomic_write_new_plain_file_is_0644_even_with_umask_0(home: Path) -> None:
    old = os.umask(0)
    try:
        files.atomic_write(home / ".bashrc", b"x\n")
    finally:
        os.umask(old)
    assert mode_of(home / ".bashrc") == 0o644


def test_atomic_write_secret_tightens_an_existing_file_to_0600(home: Path) -> None:
    rc = home / ".bashrc"
    rc.write_bytes(b"old\n")
    rc.chmod(0o644)
    files.atomic_write(rc, b"new\n", secret=True)
    assert mode_of(rc) == 0o600


def test_atomic_write_failure_leaves_original_and_no_temp_file(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rc = home / ".bashrc"
    rc.write_bytes(b"original\n")
    rc.chmod(0o640)
    real_fsync = os.fsync
    calls: list[int] = []

    def fsync_fails_once(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 1:
            raise OSError(5, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync_fails_once)
    with pytest.raises(OSError, match="Input/output error"):
        files.atomic_write(rc, b"new\n")
    assert rc.read_bytes() == b"original\n"
    assert mode_of(rc) == 0o640
    assert leftovers(home, ".bashrc") == set()


def test_atomic_write_interrupted_leaves_original_and_no_temp_file(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rc = home / ".bashrc"
    rc.write_bytes(b"original\n")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        files.atomic_write(rc, b"new\n")
    assert rc.read_bytes() == b"original\n"
    assert leftovers(home, ".bashrc") == set()


def test_atomic_write_failed_rename_leaves_original_and_no_temp_file(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rc = home / ".bashrc"
    rc.write_bytes(b"original\n")

    def replace_fails(self: Path, target: Path) -> Path:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(Path, "replace", replace_fails)
    with pytest.raises(OSError, match="cross-device"):
        files.atomic_write(rc, b"new\n")
    assert rc.read_bytes() == b"original\n"
    assert leftovers(home, ".bashrc") == set()


def test_atomic_write_failure_through_symlink_leaves_no_temp_file_by_the_target(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (home / "dotfiles").mkdir()
    target = home / "dotfiles" / "bashrc"
    target.write_bytes(b"original\n")
    (home / ".bashrc").symlink_to("dotfiles/bashrc")

    def fails(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fails)
    with pytest.raises(OSError, match="No space"):
        files.atomic_write(home / ".bashrc", b"new\n")
    assert target.read_bytes() == b"original\n"
    assert (home / ".bashrc").is_symlink()
    assert leftovers(home / "dotfiles", "bashrc") == set()
    assert leftovers(home, ".bashrc", "dotfiles") == set()


def test_atomic_write_into_a_missing_directory_raises_and_creates_nothing(home: Path) -> None:
    with pytest.raises(FileNotFoundError):
        files.atomic_write(home / "missing" / ".bashrc", b"x\n")
    assert leftovers(home) == set()


def test_check_writable_accepts_a_writable_file(home: Path) -> None:
    rc = home / ".bashrc"
    rc.write_text("x\n")
    files.check_writable(rc)


def test_check_writable_accepts_a_new_file_in_a_writable_directory(home: Path) -> None:
    files.check_writable(home / ".bashrc")
    files.check_writable(home / "a" / "b" / "key")  # missing directories are created later


def test_check_writable_refuses_a_read_only_file_even_as_root(home: Path) -> None:
    rc = home / ".bashrc"
    rc.write_text("x\n")
    rc.chmod(0o444)
    with pytest.raises(SetupError) as exc_info:
        files.check_writable(rc)
    assert (exc_info.value.code, exc_info.value.msg_id) == (ExitCode.STORE, "err.readonly")
    assert exc_info.value.params == {"path": str(rc)}


def test_check_writable_refuses_a_read_only_symlink_target(home: Path) -> None:
    target = home / "real"
    target.write_text("x\n")
    target.chmod(0o444)
    link = home / ".bashrc"
    link.symlink_to("real")
    with pytest.raises(SetupError) as exc_info:
        files.check_writable(link)
    assert (exc_info.value.code, exc_info.value.msg_id) == (ExitCode.STORE, "err.readonly")
    assert exc_info.value.params == {"path": str(link)}


def test_check_writable_refuses_a_new_file_in_a_0555_directory_even_as_root(home: Path) -> None:
    d = home / "ro"
    d.mkdir()
    d.chmod(0o555)
    with pytest.raises(SetupError) as exc_info:
        files.check_writable(d / ".bashrc")
    assert (exc_info.value.code, exc_info.value.msg_id) == (ExitCode.STORE, "err.dir_unwritable")
    assert exc_info.value.params == {"path": str(d)}


def test_check_writable_refuses_missing_directories_under_a_0555_directory(home: Path) -> None:
    d = home / "ro"
    d.mkdir()
    d.chmod(0o555)
    with pytest.raises(SetupError) as exc_info:
        files.check_writable(d / "fish" / "conf.d" / "dashscope.fish")
    assert (exc_info.value.code, exc_info.value.msg_id) == (ExitCode.STORE, "err.dir_unwritable")
    assert exc_info.value.params == {"path": str(d / "fish" / "conf.d")}


def test_check_writable_refuses_a_path_under_a_regular_file(home: Path) -> None:
    (home / ".config").write_text("not a directory\n")
    with pytest.raises(SetupError) as exc_info:
        files.check_writable(home / ".config" / "fish" / "config.fish")
    assert exc_info.value.msg_id == "err.not_a_dir"  # the precise reason, naming the file in the way


def test_check_writable_refuses_an_existing_file_in_a_0555_directory(home: Path) -> None:
    """atomic_write creates its temp file in the directory and renames it there, so a writable
    file in a read-only directory cannot be replaced (a non-root user gets EACCES mid-setup)."""
    d = home / "ro"
    d.mkdir()
    rc = d / ".bashrc"
    rc.write_text("x\n")
    d.chmod(0o555)
    with pytest.raises(SetupError) as exc_info:
        files.check_writable(rc)
    assert (exc_info.value.code, exc_info.value.msg_id) == (ExitCode.STORE, "err.dir_unwritable")


def test_check_writable_refuses_a_symlink_loop_instead_of_replacing_the_link(home: Path) -> None:
    rc = home / ".bashrc"
    rc.symlink_to(rc)
    with pytest.raises(SetupError) as exc_info:
        files.check_writable(rc)
    assert (exc_info.value.code, exc_info.value.msg_id) == (ExitCode.STORE, "err.symlink_loop")
    assert rc.is_symlink()


def test_check_writable_refuses_a_file_where_a_folder_is_needed(home: Path) -> None:
    (home / ".config").mkdir()
    (home / ".config" / "fish").write_text("not a folder\n")
    with pytest.raises(SetupError) as exc_info:
        files.check_writable(home / ".config" / "fish" / "conf.d" / "dashscope.fish")
    assert (exc_info.value.code, exc_info.value.msg_id) == (ExitCode.STORE, "err.not_a_dir")
    assert exc_info.value.params["path"] == str(home / ".config" / "fish")
