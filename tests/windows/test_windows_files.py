"""What this tool's file writes do on Windows (found while adding Windows support)."""

from __future__ import annotations

from pathlib import Path

from wizard import files


def test_atomic_write_creates_and_replaces_a_file_on_windows(tmp_path: Path) -> None:
    target = tmp_path / "profile.ps1"
    files.atomic_write(target, b"one\r\n")
    files.atomic_write(target, b"two\r\n")
    assert target.read_bytes() == b"two\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["profile.ps1"]
