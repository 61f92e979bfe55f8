"""The raw key never reaches stdout/stderr, a file other than the chosen store, or any argv;
the key file is 0600 from its first instant, even under umask 000."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import make_ctx, new_key, run_cli, setup_cli
from wizard.cli import run as cli
from wizard.stores import KeyFileStore


def files_containing(root: Path, needle: str) -> list[Path]:
    found = []
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            p = Path(dirpath) / name
            if not p.is_symlink() and needle.encode() in p.read_bytes():
                found.append(p)
    return found


COMMANDS = [
    ("setup", "--yes", "--offline", "--key-stdin", "--shell", "bash", "--shell", "fish"),
    ("setup", "--yes", "--offline", "--key-stdin", "--shell", "bash", "--json"),
    ("setup", "--yes", "--offline", "--key-stdin", "--shell", "zsh", "--dry-run"),
    ("setup", "--yes", "--offline", "--key-stdin", "--shell", "bash", "--dry-run", "--json", "--lang", "zh"),
    ("setup", "--yes", "--offline", "--key-stdin", "--scope", "session"),
    ("setup", "--yes", "--offline", "--key-stdin", "--store", "inline", "--shell", "bash", "--dry-run"),
    ("setup", "--yes", "--offline", "--key-stdin", "--store", "inline", "--shell", "fish", "--shell", "zsh"),
    ("setup", "--yes", "--offline", "--key-stdin", "--store", "keyring"),
    ("setup", "--yes", "--offline", "--key-stdin", "--region", "us-east-1", "--shell", "sh"),
    ("setup", "--key-stdin"),
    ("snippet", "--shell", "bash", "--shell", "fish", "--shell", "powershell", "--shell", "cmd"),
    ("remove", "--yes", "--json"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_raw_key_never_printed(home: Path, args: tuple[str, ...]) -> None:
    key = new_key()
    # Padding, quotes and an assignment prefix make the tool talk about the key: still masked.
    result = run_cli(home, *args, stdin=f"  'DASHSCOPE_API_KEY={key}'  \n")
    assert key not in result.stdout
    assert key not in result.stderr
    assert key[3:] not in result.stdout + result.stderr


def test_mask_and_length_are_shown_instead(home: Path) -> None:
    key = new_key()
    result = setup_cli(home, key, "--shell", "bash")
    assert f"sk-…{key[-4:]}" in result.stdout
    assert f"sk-…{key[-4:]} (35 characters)" in setup_cli(home, key, "-v").stdout


@pytest.mark.parametrize(
    "bad", ["sk-abc def0123456789abcdef0123", "sk-abc\u00e9def0123456789abcdef", "xx-" + "a" * 32]
)
def test_rejected_key_is_not_echoed_in_the_error(home: Path, bad: str) -> None:
    result = setup_cli(home, bad)
    assert result.returncode == 2
    assert bad not in result.stderr + result.stdout
    assert bad[5:] not in result.stderr + result.stdout


def test_key_only_in_the_key_file(home: Path) -> None:
    key = new_key()
    shells = ("bash", "zsh", "fish", "sh", "powershell")
    result = setup_cli(home, key, *(arg for s in shells for arg in ("--shell", s)))
    assert result.returncode == 0, result.stderr
    assert files_containing(home, key) == [home / ".dashscope" / "api_key"]


def test_inline_store_keeps_the_key_only_in_the_blocks(home: Path) -> None:
    key = new_key()
    result = setup_cli(home, key, "--store", "inline", "--shell", "bash")
    assert result.returncode == 0, result.stderr
    assert sorted(files_containing(home, key)) == sorted([home / ".bashrc", home / ".profile"])
    assert key not in result.stdout + result.stderr
    # A startup file we created to hold a secret is private.
    assert ((home / ".bashrc").stat().st_mode & 0o777) == 0o600


def test_key_file_is_0600_from_creation_even_under_umask_000(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Record every file creation and mode change while the key file is written."""
    key = new_key()
    key_dir = home / ".dashscope"
    created: list[tuple[str, int]] = []
    chmods: list[int] = []
    real_open, real_fchmod = os.open, os.fchmod

    def spy_open(path, flags, mode=0o777, *a, **kw):  # type: ignore[no-untyped-def]
        if flags & os.O_CREAT and str(path).startswith(str(key_dir)):
            created.append((str(path), mode))
        return real_open(path, flags, mode, *a, **kw)

    def spy_fchmod(fd, mode):  # type: ignore[no-untyped-def]
        chmods.append(mode)
        return real_fchmod(fd, mode)

    monkeypatch.setattr(os, "open", spy_open)
    monkeypatch.setattr(os, "fchmod", spy_fchmod)
    old = os.umask(0)
    try:
        KeyFileStore(key_dir / "api_key").save(key)
    finally:
        os.umask(old)
    assert created, "the key file was not created through os.open"
    assert all(mode & 0o077 == 0 for _p, mode in created)
    assert all(mode & 0o077 == 0 for mode in chmods)
    assert ((key_dir / "api_key").stat().st_mode & 0o777) == 0o600
    assert ((key_dir).stat().st_mode & 0o777) == 0o700
    assert (key_dir / "api_key").read_text() == key + "\n"


def test_key_file_cli_run_under_umask_000(home: Path) -> None:
    key = new_key()
    result = run_cli(
        home, "setup", "--yes", "--offline", "--key-stdin", "--shell", "bash", stdin=key, umask=0
    )
    assert result.returncode == 0, result.stderr
    assert ((home / ".dashscope" / "api_key").stat().st_mode & 0o777) == 0o600


def test_existing_world_readable_key_file_is_replaced_private(home: Path) -> None:
    kf = home / ".dashscope" / "api_key"
    kf.parent.mkdir()
    kf.write_text("sk-old0000000000000000000000000000\n")
    kf.chmod(0o644)
    assert setup_cli(home, new_key(), "--shell", "bash").returncode == 0
    assert (kf.stat().st_mode & 0o777) == 0o600


def test_no_subprocess_gets_the_key_in_argv(home: Path) -> None:
    key = new_key()
    seen: list[list[str]] = []
    ctx = make_ctx(home, stdin=key + "\n")
    real_run = ctx.run

    def recording_run(argv, env):  # type: ignore[no-untyped-def]
        seen.append(list(argv))
        return real_run(argv, env)

    ctx.run = recording_run
    # A hand-made export to disable: the edited file is syntax-checked by the real shell.
    (home / ".bashrc").write_text(f"export DASHSCOPE_API_KEY={new_key()}\n")
    argv = [
        "setup",
        "--yes",
        "--offline",
        "--key-stdin",
        "--shell",
        "zsh",
        "--shell",
        "bash",
        "--disable-foreign",
    ]
    code = cli.run(argv, ctx)
    assert code == 0
    assert seen, "the shell should have been asked to check the edited file"
    assert all(key not in arg for argv in seen for arg in argv)
