"""`remove` on a terminal: list what will go (the key's own store last), then ask. The key may be
the only copy the user has, so one answer removes everything but the key.

Without a terminal there is no one to ask: exit 2 unless --yes, as setup does. A dry run changes
nothing and needs no answer.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from wizard.commands.decisions import not_interactive
from wizard.commands.remove import planned, remove
from wizard.errors import ExitCode
from wizard.report import Msg, Report
from wizard.shells import detect
from wizard.ui import render, render_base

if TYPE_CHECKING:
    from wizard.context import Context
    from wizard.options import Options
    from wizard.ui.progress import Progress


def run(ctx: Context, opts: Options, progress: Progress, lang: str) -> Report:
    if opts.dry_run:
        return remove(ctx, opts)
    if not ctx.can_prompt():
        raise not_interactive(ctx, "remove", "--yes")
    plan, key_changes = planned(ctx, opts)
    if plan.outcome is not None:
        return remove(ctx, opts)  # nothing to remove: nothing to ask
    from wizard.ui.ask import Option, columns, for_terminal
    from wizard.ui.wrap import wrap

    ask = for_terminal(ctx, lang, {"prog": detect.command(ctx)})
    others = [c for c in plan.changes if c.action != "unchanged" and c not in key_changes]
    lines = [ask.say("wiz.remove_summary")]
    for change in others + key_changes:
        # Not a dry run: these changes WILL be made once the user says so.
        will = dataclasses.replace(change, action=change.action.replace("would-", "will-"))
        lines.append("  " + render.change_line(lang, will, ctx.home))
    lines += [f"  {render_base.WARN} {ask.say(w.id, **w.params)}" for w in plan.warnings]
    stream = ctx.stderr if opts.json else ctx.stdout  # with --json, stdout holds the JSON alone
    stream.write(wrap("\n".join(lines), columns(stream), (ask.params["prog"],)) + "\n")
    stream.flush()
    options = [Option("all", ask.say("wiz.remove_all"))]
    if key_changes:
        where = render_base.short_path(key_changes[0].path, ctx.home)
        options.append(Option("keep", ask.say("wiz.remove_keep_key", path=where)))
    options.append(Option("quit", ask.say("wiz.remove_quit")))
    answer = ask.select("wiz.remove_confirm", options, default="all")
    if answer == "quit":
        return Report("remove", exit_code=ExitCode.INTERRUPTED, error=Msg("err.interrupted"))
    return remove(ctx, opts, keep_key=answer == "keep")
