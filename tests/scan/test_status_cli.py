"""status, history hygiene and --disable-foreign through the real command."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

from tests.conftest import new_key, run_cli, snapshot
from wizard import keys

SETUP = ("setup", "--yes", "--offline", "--key-stdin")


def plant_guide_export(home: Path, key: str) -> None:
    """What following the official guide by hand leaves behind."""
    shutil.copy("/etc/skel/.bashrc", home / ".bashrc")
    with (home / ".bashrc").open("a") as fh:
        fh.write(f"export DASHSCOPE_API_KEY='{key}'\n")


def test_status_lists_sources_flags_conflicts_and_never_prints_a_key(home: Path) -> None:
    old, new = new_key(), new_key()
    plant_guide_export(home, old)
    (home / ".bash_history").write_text(f"ls\nexport DASHSCOPE_API_KEY={old}\n")
    (home / ".env").write_text(f"DASHSCOPE_API_KEY={new}\n")
    assert run_cli(home, *SETUP, "--shell", "bash", stdin=new).returncode == 0
    result = run_cli(home, "status", "--json")
    assert result.returncode == 0, result.stderr
    for k in (old, new):
        assert k not in result.stdout + result.stderr
    data = json.loads(result.stdout)
    kinds = {s["kind"] for s in data["status"]["sources"]}
    assert {"assignment", "block", "key-file", "dotenv"} <= kinds
    assert len(data["status"]["conflicts"]) == 2
    assert data["history"][0]["masks"] == [f"sk-…{old[-4:]}"]
    human = run_cli(home, "status", "--lang", "zh")
    assert "新开的终端会得到它：bash" in human.stdout
    # Both keys and where each one is; the masks differ, so no fingerprint is needed.
    assert f"{keys.mask(old)} 位于：~/.bashrc 第" in human.stdout
    assert f"{keys.mask(new)} 位于：密钥文件 ~/.dashscope/api_key" in human.stdout
    assert "指纹" not in human.stdout
    assert old not in human.stdout


def test_status_scrub_history_removes_exactly_the_key_lines(home: Path) -> None:
    key = new_key()
    hist = home / ".bash_history"
    hist.write_text(f"ls -l\nexport DASHSCOPE_API_KEY={key}\ngit status\n")
    result = run_cli(home, "status", "--scrub-history")
    assert result.returncode == 9, result.stderr  # scrubbed; and, as status, no key is configured
    assert hist.read_text() == "ls -l\ngit status\n"
    assert key not in result.stdout


def test_setup_points_at_keys_left_in_history(home: Path) -> None:
    key = new_key()
    (home / ".bash_history").write_text(f"echo {key}\n")
    result = run_cli(home, *SETUP, "--shell", "bash", stdin=key)
    assert result.returncode == 0
    assert "status --scrub-history" in result.stdout
    assert key not in result.stdout


def test_setup_offers_to_disable_foreign_exports(home: Path) -> None:
    old = new_key()
    plant_guide_export(home, old)
    result = run_cli(home, *SETUP, "--shell", "bash", stdin=new_key())
    assert result.returncode == 0
    assert "--disable-foreign" in result.stdout
    assert f"export DASHSCOPE_API_KEY='{old}'\n" in (home / ".bashrc").read_text()


def test_disable_foreign_then_remove_gives_the_file_back(home: Path) -> None:
    old = new_key()
    plant_guide_export(home, old)
    original = (home / ".bashrc").read_bytes()
    result = run_cli(home, *SETUP, "--shell", "bash", "--disable-foreign", stdin=new_key())
    assert result.returncode == 0, result.stderr
    text = (home / ".bashrc").read_text()
    assert f"# disabled by dashscope-setup: export DASHSCOPE_API_KEY='{keys.mask(old)}'" in text
    assert old not in result.stdout + result.stderr
    # The original line is kept only where remove needs it: one 0600 file of ours.
    holding = [p for p in home.rglob("*") if p.is_file() and old.encode() in p.read_bytes()]
    assert [p.name for p in holding] == ["disabled-lines.json"]
    assert stat.S_IMODE(holding[0].stat().st_mode) == 0o600
    removed = run_cli(home, "remove", "--yes")
    assert removed.returncode == 0, removed.stderr
    assert (home / ".bashrc").read_bytes() == original
    assert not holding[0].exists()


def test_disable_foreign_dry_run_shows_a_masked_diff_and_writes_nothing(home: Path) -> None:
    old = new_key()
    plant_guide_export(home, old)
    before = snapshot(home)
    result = run_cli(home, *SETUP, "--shell", "bash", "--disable-foreign", "--dry-run", stdin=new_key())
    assert result.returncode == 0, result.stderr
    assert snapshot(home) == before
    assert "# disabled by dashscope-setup" in result.stdout
    assert old not in result.stdout
