"""`completion [bash|zsh|fish]`: the tab-completion script, generated from the parser itself.

Read from the same parser that parses (cli/parser.build), so a new option or choice is completed
without anyone remembering to; the scripts themselves are the shells' syntax (shells/completion.py).
Descriptions are the help texts in the user's language. A library (shtab) would add a dependency
and still leave fish to write by hand; what this command line needs fits in these two modules.
"""

from __future__ import annotations

import argparse

from wizard.cli import parser as cli_parser
from wizard.cli.commands import COMMANDS, DEFAULT
from wizard.context import Context
from wizard.errors import ExitCode, SetupError
from wizard.messages import t
from wizard.options import Options
from wizard.report import Report
from wizard.shells import completion as scripts
from wizard.shells.detect import detect


def _opt(action: argparse.Action) -> scripts.Opt | None:
    if not action.option_strings or action.help == argparse.SUPPRESS:
        return None
    flags = tuple(action.option_strings)
    help_text = (action.help or "").splitlines()[0] if action.help else ""
    if action.nargs == 0:
        return scripts.Opt(flags, help_text)
    if action.choices:
        return scripts.Opt(
            flags, help_text, "choice", tuple(action.choices), isinstance(action, argparse._AppendAction)
        )
    kind = "path" if action.metavar == "PATH" else "text"
    return scripts.Opt(flags, help_text, kind)


def spec(lang: str) -> scripts.Spec:
    from wizard.cli.usage import translated

    with translated(lang):
        top = cli_parser.build(lang)
    sub = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    global_dests = {a.dest for a in top._actions if a.option_strings and a.dest not in ("help", "version")}
    globals_ = tuple(o for a in top._actions if a.dest in global_dests and (o := _opt(a)))
    top_only = tuple(o for a in top._actions if a.dest in ("help", "version") and (o := _opt(a)))
    commands = []
    for name, p in sub.choices.items():
        options: list[scripts.Opt] = []
        words: tuple[str, ...] = ()
        command_line = False
        for action in p._actions:
            if action.dest in global_dests:
                continue
            if not action.option_strings:
                if action.choices:
                    words = tuple(action.choices)
                command_line = command_line or action.nargs == argparse.REMAINDER
                continue
            opt = _opt(action)
            if opt is not None:
                options.append(opt)
        commands.append(
            scripts.Cmd(name, t(lang, COMMANDS[name].summary_id), tuple(options), words, command_line)
        )
    return scripts.Spec(
        cli_parser.PROG,
        tuple(commands),
        globals_,
        top_only,
        DEFAULT,
        (cli_parser.HELP_COMMAND, t(lang, "help.summary.help")),
    )


def completion(ctx: Context, opts: Options) -> Report:
    """The script for the named shell, or for the shell this runs in."""
    from wizard.cli.console import fit_lang
    from wizard.messages import detect_lang

    name = opts.shells[0] if opts.shells else detect(ctx).shell.name
    if name not in scripts.SCRIPTS:
        raise SetupError(
            ExitCode.USAGE, "err.completion_shell", shell=name, shells=", ".join(scripts.SCRIPTS)
        )
    lang = fit_lang(detect_lang(opts.lang, ctx.env, ctx.ui_language()), ctx.stdout)  # what the stream shows
    report = Report("completion")
    report.snippet = scripts.SCRIPTS[name](spec(lang)).rstrip("\n")
    return report
