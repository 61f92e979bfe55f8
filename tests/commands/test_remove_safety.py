"""remove follows its record, and only within what setup may have written: a damaged or
hand-edited record never makes it delete a file of the user's; with no usable record it still
takes our blocks out."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import make_ctx, new_key, run_cli, setup_cli, snapshot
from wizard.commands.remove import remove
from wizard.options import Options


def setup_inline(home: Path) -> str:
    key = new_key()
    done = setup_cli(home, key + "\n", "--shell", "bash")
    assert done.returncode == 0, done.stderr
    return key


def state_path(home: Path) -> Path:
    return home / ".config" / "dashscope-setup" / "state.json"


def edit_state(home: Path, **changes: object) -> None:
    data = json.loads(state_path(home).read_text())
    data.update(changes)
    state_path(home).write_text(json.dumps(data))


def test_a_record_naming_another_file_as_created_does_not_delete_it(home: Path, tmp_path: Path) -> None:
    setup_inline(home)
    victim = tmp_path / "notes.txt"
    victim.write_text("")  # empty: the one case an unchecked rule would delete
    data = json.loads(state_path(home).read_text())
    data["files"].append(
        {"path": str(victim), "shell": "bash", "created": True, "owned": False, "backup": None}
    )
    state_path(home).write_text(json.dumps(data))
    assert remove(make_ctx(home), Options(command="remove", yes=True)).exit_code == 0
    assert victim.exists()


def test_a_record_naming_another_file_as_the_key_file_keeps_it(home: Path, tmp_path: Path) -> None:
    setup_inline(home)
    victim = tmp_path / "thesis.tex"
    victim.write_text("\\documentclass{article}\n")
    edit_state(home, key_file=str(victim), key_file_created=True)
    report = remove(make_ctx(home), Options(command="remove", yes=True))
    assert victim.read_text() == "\\documentclass{article}\n"
    assert "warn.key_file_changed" in [w.id for w in report.warnings]


def test_a_backup_outside_our_folder_is_never_deleted(home: Path, tmp_path: Path) -> None:
    (home / ".bashrc").write_text("# mine\n")
    setup_inline(home)
    look_alike = tmp_path / "copy-of-bashrc"
    look_alike.write_text("# mine\n")  # what remove restores: an unchecked rule would delete it
    data = json.loads(state_path(home).read_text())
    for f in data["files"]:
        f["backup"] = str(look_alike)
    state_path(home).write_text(json.dumps(data))
    remove(make_ctx(home), Options(command="remove", yes=True))
    assert look_alike.exists()


def test_a_truncated_record_still_takes_our_blocks_out(home: Path) -> None:
    (home / ".bashrc").write_text("# mine\n")
    before = snapshot(home)
    setup_inline(home)
    text = state_path(home).read_text()
    state_path(home).write_text(text[: len(text) // 2])
    report = remove(make_ctx(home), Options(command="remove", yes=True))
    assert report.exit_code == 0
    assert (home / ".bashrc").read_text() == "# mine\n"
    assert "# >>> dashscope-setup >>>" not in (home / ".profile").read_text()
    # The key file is not on record, so it is named and kept, never deleted on a guess.
    assert (home / ".dashscope" / "api_key").exists()
    assert "warn.key_file_unrecorded" in [w.id for w in report.warnings]
    assert set(before) <= set(snapshot(home))


def test_stale_temp_files_next_to_what_setup_touched_are_cleaned(home: Path) -> None:
    key = setup_inline(home)
    leftover = home / ".dashscope" / ".api_key.ab12cd34.tmp"  # as a kill -9 mid-write leaves it
    leftover.write_text(key + "\n")
    report = remove(make_ctx(home), Options(command="remove", yes=True))
    assert not leftover.exists()
    assert any(c.what == "temp" and c.path == str(leftover) for c in report.changes)


def test_without_a_record_disabled_lines_still_come_back_exactly(home: Path) -> None:
    old = new_key()
    original = f"alias ll='ls -l'\nexport DASHSCOPE_API_KEY='{old}'\n"
    (home / ".bashrc").write_text(original)
    done = setup_cli(home, new_key() + "\n", "--shell", "bash", "--disable-foreign")
    assert done.returncode == 0, done.stderr
    assert old not in (home / ".bashrc").read_text()
    state_path(home).unlink()  # the record is lost
    assert remove(make_ctx(home), Options(command="remove", yes=True)).exit_code == 0
    assert (home / ".bashrc").read_text() == original


def test_a_damaged_block_stops_remove_before_any_file_is_touched(home: Path) -> None:
    old = new_key()
    (home / ".bashrc").write_text(f"alias ll='ls -l'\nexport DASHSCOPE_API_KEY='{old}'\n")
    done = setup_cli(home, new_key() + "\n", "--shell", "bash", "--disable-foreign")
    assert done.returncode == 0, done.stderr
    rc = home / ".bashrc"
    rc.write_text(rc.read_text() + "# >>> dashscope-setup >>>\necho stray\n")  # a start marker with no end
    before = snapshot(home)
    removed = run_cli(home, "remove", "--yes")
    assert removed.returncode == 8
    assert snapshot(home) == before  # the disabled line was not restored first
