"""Notes on the end screen: each keeps a line of its own, and however many there are, the screen stays
within END_LINES and still ends on what to do, with one line saying how many notes did not fit."""

from __future__ import annotations

from pathlib import Path

from wizard.messages import t
from wizard.report import Change, Msg, Report
from wizard.ui.end_screen import END_LINES, end_screen


def report(warnings: int) -> Report:
    done = Report("setup", key_mask="sk-…abcd", region="ap-southeast-1", store="file", scope="persistent")
    done.key_file, done.shells = "/home/li/.dashscope/api_key", ["bash"]
    done.key_verified = done.region_verified = True
    done.warnings = [Msg("warn.no_startup_file", {"shell": f"shell{i}"}) for i in range(warnings)]
    done.changes = [Change("/home/li/.bash_history", "modified", "history", "bash")]
    done.use_now = 'eval "$(dashscope-setup env --shell bash)"'
    done.next_steps = [Msg("next.new_terminal"), Msg("next.remove")]
    return done


def test_few_notes_are_all_shown_above_the_tail() -> None:
    lines = end_screen("en", report(2), Path("/home/li"), "dashscope-setup")
    assert sum(t("en", "warn.no_startup_file", shell="shell0") in line for line in lines) == 1
    assert any("~/.bash_history" in line for line in lines)  # history scrubbed on request: said
    assert lines[-1] == t("en", "next.remove", prog="dashscope-setup")
    assert lines[-2] == '    eval "$(dashscope-setup env --shell bash)"'


def test_too_many_notes_end_in_a_count_and_the_screen_keeps_its_tail() -> None:
    lines = end_screen("zh", report(20), Path("/home/li"), "dashscope-setup")
    assert len(lines) == END_LINES
    pointer = [line for line in lines if "dashscope-setup status" in line]
    shown = sum(line.startswith("! ") for line in lines) - 1  # the pointer is marked like a note
    assert pointer == ["! " + t("zh", "end.more_notes", count=21 - shown, prog="dashscope-setup")]
    assert lines[-1] == t("zh", "next.remove", prog="dashscope-setup")
    assert lines[-3] == t("zh", "next.this_terminal")


def test_verbose_shows_every_note() -> None:
    lines = end_screen("en", report(20), Path("/home/li"), "dashscope-setup", verbose=True)
    assert sum("shell" in line and line.startswith("! ") for line in lines) == 20
