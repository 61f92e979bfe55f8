"""The end of a setup: a short screen that ends on what to do next.

Everything a setup did is in the Report; this module picks the few lines a person acts on, and keeps
them within `END_LINES` so that "Done" and the command for this terminal stay on screen under the
last answer. The rest (the key's source, the base URL, each file written) is `-v` and `--json`.
"""

from __future__ import annotations

from pathlib import Path

from wizard.messages import t
from wizard.report import Report
from wizard.ui.render import change_line, check_line, store_where
from wizard.ui.render_base import FACT, OK, WARN, region_label
from wizard.ui.render_base import join as _join
from wizard.ui.render_base import message as _msg

END_LINES = 15  # the most a setup's end screen may take, so that it fits under the last answer
# Next steps that say how terminals get the key: they close the screen, beside the command for this
# terminal. Every other next step names a fix, and is a note.
_TERMINAL_STEPS = (
    "next.new_terminal",
    "next.win_new_terminals",
    "next.session_only",
    "next.session_only_lines",
)
_UNDO = "next.remove"
# What setup changed beyond the key and its blocks, on request: history scrubbed, hand-made exports
# commented out, and the consumers asked for (a project .env, its .gitignore, Qwen Code's settings).
_NOTABLE = ("history", "foreign-export", "dotenv", "gitignore", "qwen-settings")


def end_screen(
    lang: str, report: Report, home: Path | None, prog: str, *, verbose: bool = False
) -> list[str]:
    """The end of a setup, at most END_LINES lines, ending on what to do: "Done" with the key,
    region, store and shells; where to find sample code (`samples`); how new terminals get the key
    and the one command that gives it to this one now; how to undo it all.

    Above that, one line each for what a careful user must not miss: the live check's verdict (the
    proof, or why a key was saved unproven), every warning (this setup is not quite what was asked:
    a shell skipped, a key file others can read, a region assumed), every next step that names a fix
    (a hand-made export that still shadows the key, a key left in shell history), each note on the
    pasted key (it looks cut off), and what setup changed outside its own files on request (history
    scrubbed, hand-made exports commented out, a .env or Qwen Code's settings written). These are
    rare and each asks for action, so they are shown rather than counted; only when more come than
    fit does the last of them say how many more there are and where to look. The key's source, the
    base URL, the store's own lines for this terminal and each file written are in `-v` and
    `--json`."""
    notes: list[str] = []
    checked = check_line(lang, report)
    if not verbose:
        notes.extend(f"{FACT} {_msg(lang, n, prog)}" for n in report.key_notes)
    notes.extend(f"{WARN} {t(lang, 'label.warning')}: {_msg(lang, w, prog)}" for w in report.warnings)
    steps = [m for m in report.next_steps if m.id not in (*_TERMINAL_STEPS, _UNDO)]
    notes.extend(f"{WARN} {_msg(lang, m, prog)}" for m in steps)
    notes.extend(
        f"{OK} {change_line(lang, c, home)}"
        for c in report.changes
        if c.what in _NOTABLE and c.action != "unchanged"
    )
    tail = [_done_line(lang, report, home)]
    if report.scope == "persistent":
        tail.append(t(lang, "end.samples", prog=prog))
    else:
        tail.extend(f"    {line}" for line in report.session_lines)
    tail.extend(_msg(lang, m, prog) for m in report.next_steps if m.id in _TERMINAL_STEPS)
    if report.use_now:
        tail += [t(lang, "next.this_terminal"), f"    {report.use_now}"]
    tail.extend(_msg(lang, m, prog) for m in report.next_steps if m.id == _UNDO)
    head = [checked] if checked and not verbose else []  # -v said it among the details
    room = END_LINES - len(head) - len(tail)
    if len(notes) > room and not verbose:
        shown = max(room - 1, 0)
        more = t(lang, "end.more_notes", count=len(notes) - shown, prog=prog)
        notes = [*notes[:shown], f"{WARN} {more}"]
    return [*head, *notes, *tail]


def _done_line(lang: str, report: Report, home: Path | None) -> str:
    """The "Done." line, with what is set up: the key's mask, its region (marked when it was not
    checked), the store and the shells. A session-only setup saved nothing: "Done." alone."""
    done = t(lang, "label.done")
    if report.scope != "persistent" or not report.key_mask:
        return done
    key = report.key_mask
    if not report.key_verified and report.check is None:
        key = t(lang, "end.unchecked", what=key)
    region = region_label(lang, report.region)
    if report.region_source == "assumed":
        region = t(lang, "end.assumed", what=region)
    elif not report.region_verified:
        region = t(lang, "end.unchecked", what=region)
    mark = OK if report.key_verified and report.region_verified else FACT
    params = {"done": done, "mask": key, "region": region, "where": store_where(lang, report, home)}
    if report.shells:
        return f"{mark} " + t(lang, "end.done", shells=_join(lang, report.shells), **params)
    return f"{mark} " + t(lang, "end.done_no_shells", **params)
