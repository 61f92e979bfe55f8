"""The key file is created as a file of its own: never through a planted link, never over a file
that holds something else, and owned by the user whose HOME it is."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import new_key, run_cli, setup_cli, snapshot


def setup(
    home: Path, key: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Setup for bash, the key on stdin as one line."""
    return setup_cli(home, key + "\n", "--shell", "bash", *args, env=env)


def test_a_link_at_the_key_path_is_refused_and_its_target_untouched(home: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("")
    (home / ".dashscope").mkdir()
    (home / ".dashscope" / "api_key").symlink_to(target)
    before = snapshot(home)
    key = new_key()
    done = setup(home, key)
    assert done.returncode == 8
    assert "symbolic link" in done.stderr
    assert target.read_text() == ""
    assert snapshot(home) == before
    assert key not in done.stdout + done.stderr


def test_a_file_that_is_not_a_key_is_never_overwritten(home: Path) -> None:
    (home / "notes.md").write_text("# my notes\n")
    before = snapshot(home)
    done = setup(home, new_key(), env={"DASHSCOPE_API_KEY_FILE_PATH": str(home / "notes.md")})
    assert done.returncode == 8
    assert (home / "notes.md").read_text() == "# my notes\n"
    assert snapshot(home) == before


def test_an_old_key_in_the_key_file_is_replaced(home: Path) -> None:
    (home / ".dashscope").mkdir()
    (home / ".dashscope" / "api_key").write_text(new_key() + "\n")
    key = new_key()
    assert setup(home, key).returncode == 0
    assert (home / ".dashscope" / "api_key").read_text() == key + "\n"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to plant a file")
def test_as_root_the_key_file_belongs_to_the_home_owner_not_to_a_planted_file(home: Path) -> None:
    (home / ".dashscope").mkdir()
    planted = home / ".dashscope" / "api_key"
    planted.write_text(new_key() + "\n")
    os.chown(planted, 4242, 4242)  # someone else's file at the key path
    assert setup(home, new_key()).returncode == 0
    st = planted.stat()
    assert (st.st_uid, st.st_gid) == (home.stat().st_uid, home.stat().st_gid)
    assert st.st_mode & 0o777 == 0o600


def test_inline_into_a_file_others_can_read_is_said(home: Path) -> None:
    rc = home / ".bashrc"
    rc.write_text("# mine\n")
    rc.chmod(0o644)
    done = setup(home, new_key(), "--store", "inline", "--lang", "en")
    assert done.returncode == 0
    assert "can be read by other users" in done.stdout
    private = run_cli(home, "remove", "--yes")
    assert private.returncode == 0
    rc.chmod(0o600)
    assert (
        "can be read by other users" not in setup(home, new_key(), "--store", "inline", "--lang", "en").stdout
    )
