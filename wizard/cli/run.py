"""argv -> Options -> command -> Report -> output. The one place that prints and the one place
that maps errors to exit codes. Heavy modules (questionary, httpx, keyring) are imported only by
the commands that need them (see cli/commands.py), so --help, snippet and env start fast.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from wizard.cli import console, parser
from wizard.messages import detect_lang

if TYPE_CHECKING:
    from collections.abc import Sequence

    from wizard.cli.commands import Command
    from wizard.context import Context
    from wizard.options import Options
    from wizard.report import Report
    from wizard.team import Team
    from wizard.ui.progress import Progress


def run(argv: Sequence[str], ctx: Context) -> int:
    from wizard.cli.usage import UsageError
    from wizard.errors import ExitCode, SetupError
    from wizard.options import Options
    from wizard.report import Msg, Report

    lang = _lang(ctx, parser.lang_flag(argv))
    try:
        refuse_key_in_argv(ctx, argv, lang)
        team = load_team(ctx, argv)
        if team is not None and team.lang and parser.lang_flag(argv) is None:
            lang = _lang(ctx, team.lang)
        opts = parser.parse(argv, lang, team)
    except SystemExit as exc:  # argparse: --help, --version (0)
        return int(exc.code) if isinstance(exc.code, int) else ExitCode.USAGE
    except UsageError as exc:
        report = Report(exc.command or "", ExitCode.USAGE, Msg(exc.msg_id, exc.params), usage=exc.usage)
        emit(ctx, Options(json=parser.json_flag(argv)), report, lang)
        return report.exit_code
    except SetupError as exc:  # the team file: refused before any command runs
        report = Report("", int(exc.code), Msg(exc.msg_id, exc.params))
        emit(ctx, Options(json=parser.json_flag(argv)), report, lang)
        return report.exit_code
    return execute(ctx, opts)


def load_team(ctx: Context, argv: Sequence[str]) -> Team | None:
    """The team file named by --config or DASHSCOPE_SETUP_CONFIG, checked (exit 2 when it is bad)."""
    from wizard import stores, team
    from wizard.shells import SHELL_NAMES

    found = team.locate(parser.config_flag(argv), ctx.env, ctx.cwd)
    if found is None:
        return None
    path, from_flag = found
    kinds = (stores.FILE, stores.KEYRING, stores.INLINE, stores.USERENV)
    return team.load(path, from_flag=from_flag, env=ctx.env, shell_names=SHELL_NAMES, store_kinds=kinds)


def refuse_key_in_argv(ctx: Context, argv: Sequence[str], lang: str) -> None:
    """A key on the command line is refused before anything else looks at it, never echoed, and
    the refusal says how to get it out of the history of the shell it was typed in."""
    from wizard.cli.usage import UsageError
    from wizard.messages import t
    from wizard.shells import get
    from wizard.shells.detect import command, detect

    mask = parser.key_in_argv(argv)
    if mask is None:
        return
    shell = detect(ctx).shell.name
    forget = t(lang, get(shell).forget_line, prog=command(ctx, shell=shell))
    raise UsageError("err.key_in_argv", {"mask": mask, "forget": forget}, command=None)


def execute(ctx: Context, opts: Options) -> int:
    from wizard.cli.commands import COMMANDS
    from wizard.errors import ExitCode, SetupError
    from wizard.report import Msg, Report
    from wizard.ui.progress import Progress

    stream, tty = (ctx.stderr, ctx.stderr_is_tty()) if opts.json else (ctx.stdout, ctx.stdout_is_tty())
    if opts.quiet:  # no stage lines, no streamed reply: errors only
        import io

        stream, tty = io.StringIO(), False
    # The wizard may switch language; progress.lang is the one the user is reading now.
    progress = Progress(stream, _lang(ctx, opts.lang), tty=tty, plain=ctx.plain())
    try:
        ctx.refuse_relative_paths()
        report = _call(COMMANDS[opts.command], ctx, opts, progress)
    except SetupError as exc:
        report = Report(opts.command, exit_code=int(exc.code), error=Msg(exc.msg_id, exc.params))
    except KeyboardInterrupt:
        report = Report(opts.command, exit_code=ExitCode.INTERRUPTED, error=Msg("err.interrupted"))
    except Exception as exc:
        if opts.debug:
            import traceback

            traceback.print_exc(file=ctx.stderr)
        report = Report(
            opts.command, exit_code=ExitCode.INTERNAL, error=Msg("err.internal", {"kind": type(exc).__name__})
        )
    finally:
        progress.finish()
    emit(ctx, opts, report, progress.lang)
    return report.exit_code


def _lang(ctx: Context, flag: str | None) -> str:
    """The language asked for, if both streams can carry it (cli/console.py)."""
    return console.fit_lang(detect_lang(flag, ctx.env, ctx.ui_language()), ctx.stdout, ctx.stderr)


def _call(command: Command, ctx: Context, opts: Options, progress: Progress) -> Report:
    if command.interactive and not opts.yes:
        return command.load(ask=True)(ctx, opts, progress, progress.lang)
    function = command.load()
    return function(ctx, opts, progress) if command.progress else function(ctx, opts)


def emit(ctx: Context, opts: Options, report: Report, lang: str) -> None:
    import dataclasses
    import json

    from wizard.shells import detect
    from wizard.ui import render
    from wizard.ui.ask import columns

    if report.command == "run" and report.error is None:
        return  # the child's own output is all there is
    # Commands in messages start this tool the way it was started this time (pipx run, python -m…).
    prog = detect.command(ctx, shell=report.current_shell)
    # --quiet keeps errors and data (the JSON object, the lines `env` and `snippet` print) only.
    quiet = opts.quiet and report.error is None
    if opts.json:
        # The snippet goes only into the JSON on stdout: for `env` it is the key itself, and stdout
        # is what the not-a-terminal guard checked.
        if not quiet:
            human = render.human(
                dataclasses.replace(report, snippet=None),
                lang,
                ctx.home,
                prog,
                columns(ctx.stderr),
                verbose=opts.verbose,
            )
            ctx.stderr.write(human)
        data = render.to_json(report, lang, prog)
        ctx.stdout.write(json.dumps(data, ensure_ascii=console.json_ascii(ctx.stdout)) + "\n")
        ctx.stdout.flush()
        return
    if quiet and report.snippet is None:
        return
    stream = ctx.stderr if report.error is not None else ctx.stdout
    text = render.human(report, lang, ctx.home, prog, columns(stream), verbose=opts.verbose)
    if report.error is not None:
        ctx.stderr.write(text)
    else:
        ctx.stdout.write(text)
    ctx.stdout.flush()


def main(argv: Sequence[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    from wizard.context import Context

    return run(args, Context.from_process())
