"""argv -> Options -> command -> Report -> output. The one place that prints and the one place
that maps errors to exit codes. Heavy modules (questionary, httpx, keyring) are imported only by
the commands that need them (see cli/commands.py), so --help, snippet and env start fast.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from wizard.cli import parser
from wizard.messages import detect_lang

if TYPE_CHECKING:
    from collections.abc import Sequence

    from wizard.cli.commands import Command
    from wizard.context import Context
    from wizard.options import Options
    from wizard.report import Report
    from wizard.ui.progress import Progress


def run(argv: Sequence[str], ctx: Context) -> int:
    try:
        opts = parser.parse(argv, detect_lang(parser.lang_flag(argv), ctx.env, ctx.ui_language()))
    except SystemExit as exc:  # argparse: --help, --version (0) or a usage error (2)
        return int(exc.code) if isinstance(exc.code, int) else 2
    return execute(ctx, opts)


def execute(ctx: Context, opts: Options) -> int:
    from wizard.cli.commands import COMMANDS
    from wizard.errors import ExitCode, SetupError
    from wizard.report import Msg, Report
    from wizard.ui.progress import Progress

    stream, tty = (ctx.stderr, ctx.stderr_is_tty()) if opts.json else (ctx.stdout, ctx.stdout_is_tty())
    # The wizard may switch language; progress.lang is the one the user is reading now.
    progress = Progress(
        stream, detect_lang(opts.lang, ctx.env, ctx.ui_language()), tty=tty, plain=ctx.plain()
    )
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


def _call(command: Command, ctx: Context, opts: Options, progress: Progress) -> Report:
    if command.interactive and not opts.yes:
        return command.load(ask=True)(ctx, opts, progress, progress.lang)
    function = command.load()
    return function(ctx, opts, progress) if command.progress else function(ctx, opts)


def emit(ctx: Context, opts: Options, report: Report, lang: str) -> None:
    import dataclasses
    import json

    from wizard.ui import render

    if report.command == "run" and report.error is None:
        return  # the child's own output is all there is
    if opts.json:
        # The snippet goes only into the JSON on stdout: for `env` it is the key itself, and stdout
        # is what the not-a-terminal guard checked.
        ctx.stderr.write(render.human(dataclasses.replace(report, snippet=None), lang, ctx.home))
        ctx.stdout.write(json.dumps(render.to_json(report, lang), ensure_ascii=False) + "\n")
        ctx.stdout.flush()
        return
    text = render.human(report, lang, ctx.home)
    if report.error is not None:
        ctx.stderr.write(text)
    else:
        ctx.stdout.write(text)
    ctx.stdout.flush()


def main(argv: Sequence[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    from wizard.context import Context

    return run(args, Context.from_process())
