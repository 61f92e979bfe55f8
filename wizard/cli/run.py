"""argv -> Options -> command -> Report -> output. The one place that prints and the one place
that maps errors to exit codes. Heavy modules (questionary, httpx, keyring) are imported only by
the commands that need them, so --help, snippet and env start fast.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from wizard import __version__
from wizard.messages import detect_lang
from wizard.regions import DEFAULT_MODEL

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Mapping, Sequence

    from wizard.context import Context
    from wizard.options import Options
    from wizard.report import Report

COMMANDS = ("setup", "test", "status", "snippet", "env", "run", "remove")

HELP: dict[str, tuple[str, str]] = {
    "prog": (
        "Set up DASHSCOPE_API_KEY (Alibaba Cloud Model Studio / 百炼) in every shell, safely.",
        "为百炼（DashScope）配置 DASHSCOPE_API_KEY：适用于所有 shell，安全可靠。",
    ),
    "setup": ("configure the key (default command)", "配置密钥（默认命令）"),
    "test": (
        "check the configured key with a live call, and say where it came from",
        "用在线调用检查当前配置的密钥，并说明密钥来自哪里",
    ),
    "status": (
        "show where a key is configured, which one a new shell gets, and keys left in shell history",
        "显示密钥配置在哪里、新开的 shell 会得到哪一个，以及残留在 shell 历史中的密钥",
    ),
    "live": ("also check the configured key with a live call", "同时用在线调用检查当前配置的密钥"),
    "scrub_history": (
        "remove the shell-history entries that hold a key (a backup is kept)",
        "删除 shell 历史中包含密钥的条目（会保留备份）",
    ),
    "disable_foreign": (
        "comment out other DASHSCOPE_API_KEY lines in startup files (reversible, backed up)",
        "注释掉启动文件中其他设置 DASHSCOPE_API_KEY 的行（可恢复，会先备份）",
    ),
    "snippet": (
        "print the lines for a shell and scope; write nothing",
        "打印某个 shell 的配置代码，不写入任何文件",
    ),
    "remove": ("undo exactly what dashscope-setup wrote", "撤销 dashscope-setup 写入的全部内容"),
    "env": (
        'print the session lines from the stored key, for eval "$(dashscope-setup env)"',
        '根据已保存的密钥输出会话赋值语句，用于 eval "$(dashscope-setup env)"',
    ),
    "run": (
        "run a command with the stored key in its environment only: run -- CMD ...",
        "运行一个命令，仅在其环境中注入已保存的密钥：run -- CMD ...",
    ),
    "key_stdin": ("read the key from standard input (one line)", "从标准输入读取密钥（一行）"),
    "key_file": ("read the key from a file", "从文件读取密钥"),
    "use_env": (
        "use the DASHSCOPE_API_KEY already set in this environment",
        "使用当前环境中已设置的 DASHSCOPE_API_KEY",
    ),
    "region": ("the key's region (default: auto)", "密钥所属地域（默认：auto 自动）"),
    "base_url": (
        "a custom OpenAI-compatible base URL (disables region detection)",
        "自定义 OpenAI 兼容接入地址（不再自动检测地域）",
    ),
    "shell": ("shell to configure; repeatable (default: auto)", "要配置的 shell，可重复指定（默认：auto）"),
    "scope": ("this terminal only, or permanent (default)", "仅当前终端，或永久生效（默认）"),
    "store": (
        "where the key lives (default: file; on Windows userenv, the user environment)",
        "密钥的存储位置（默认：file；Windows 上默认 userenv，即用户环境变量）",
    ),
    "model": (
        f"model for the test call (default: {DEFAULT_MODEL})",
        f"测试调用使用的模型（默认：{DEFAULT_MODEL}）",
    ),
    "no_test": ("skip the live test call", "跳过在线测试调用"),
    "save_anyway": ("save even if the live check fails", "即使在线检查失败也保存"),
    "dry_run": ("show the changes as diffs, write nothing", "以 diff 形式显示修改，不写入"),
    "json": ("print one JSON object on stdout", "在标准输出打印一个 JSON 对象"),
    "lang": ("language of messages", "提示信息的语言"),
    "yes": ("never ask; use flags and defaults", "不提问，使用参数和默认值"),
    "debug": ("show tracebacks of internal errors", "显示内部错误的调用栈"),
}


def _h(lang: str, key: str) -> str:
    en, zh = HELP[key]
    return zh if lang == "zh" else en


def build_parser(lang: str) -> argparse.ArgumentParser:
    import argparse
    from pathlib import Path

    from wizard.regions import REGION_IDS
    from wizard.shells import SHELL_NAMES

    parser = argparse.ArgumentParser(prog="dashscope-setup", description=_h(lang, "prog"))
    parser.add_argument("--version", action="version", version=f"dashscope-setup {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="{" + ",".join(COMMANDS) + "}")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help=_h(lang, "json"))
        p.add_argument("--lang", choices=("zh", "en"), help=_h(lang, "lang"))
        p.add_argument("--debug", action="store_true", help=_h(lang, "debug"))

    def endpoint(p: argparse.ArgumentParser) -> None:
        p.add_argument("--region", choices=("auto", *REGION_IDS), default="auto", help=_h(lang, "region"))
        p.add_argument("--base-url", metavar="URL", help=_h(lang, "base_url"))

    setup = sub.add_parser("setup", help=_h(lang, "setup"), description=_h(lang, "setup"))
    keysrc = setup.add_mutually_exclusive_group()
    keysrc.add_argument("--key-stdin", action="store_true", help=_h(lang, "key_stdin"))
    keysrc.add_argument("--key-file", type=Path, metavar="PATH", help=_h(lang, "key_file"))
    keysrc.add_argument("--use-env", action="store_true", help=_h(lang, "use_env"))
    endpoint(setup)
    setup.add_argument("--shell", action="append", choices=("auto", *SHELL_NAMES), help=_h(lang, "shell"))
    setup.add_argument(
        "--scope", choices=("session", "persistent"), default="persistent", help=_h(lang, "scope")
    )
    setup.add_argument("--store", choices=("file", "keyring", "inline", "userenv"), help=_h(lang, "store"))
    setup.add_argument("--model", default=DEFAULT_MODEL, help=_h(lang, "model"))
    setup.add_argument("--no-test", action="store_true", help=_h(lang, "no_test"))
    setup.add_argument("--save-anyway", action="store_true", help=_h(lang, "save_anyway"))
    setup.add_argument("--dry-run", action="store_true", help=_h(lang, "dry_run"))
    setup.add_argument("--scrub-history", action="store_true", help=_h(lang, "scrub_history"))
    setup.add_argument("--disable-foreign", action="store_true", help=_h(lang, "disable_foreign"))
    setup.add_argument("-y", "--yes", action="store_true", help=_h(lang, "yes"))
    common(setup)

    testp = sub.add_parser("test", help=_h(lang, "test"), description=_h(lang, "test"))
    endpoint(testp)
    testp.add_argument("--model", default=DEFAULT_MODEL, help=_h(lang, "model"))
    common(testp)

    statp = sub.add_parser("status", help=_h(lang, "status"), description=_h(lang, "status"))
    statp.add_argument("--live", action="store_true", help=_h(lang, "live"))
    statp.add_argument("--scrub-history", action="store_true", help=_h(lang, "scrub_history"))
    statp.add_argument("--model", default=DEFAULT_MODEL, help=_h(lang, "model"))
    common(statp)

    snip = sub.add_parser("snippet", help=_h(lang, "snippet"), description=_h(lang, "snippet"))
    snip.add_argument("--shell", action="append", choices=("auto", *SHELL_NAMES), help=_h(lang, "shell"))
    snip.add_argument(
        "--scope", choices=("session", "persistent"), default="persistent", help=_h(lang, "scope")
    )
    snip.add_argument(
        "--store", choices=("file", "keyring", "inline"), default="file", help=_h(lang, "store")
    )
    endpoint(snip)
    common(snip)

    envp = sub.add_parser("env", help=_h(lang, "env"), description=_h(lang, "env"))
    envp.add_argument("--shell", action="append", choices=SHELL_NAMES, help=_h(lang, "shell"))
    common(envp)

    runp = sub.add_parser("run", help=_h(lang, "run"), description=_h(lang, "run"))
    runp.add_argument("argv", nargs=argparse.REMAINDER, metavar="-- CMD ...")
    common(runp)

    rm = sub.add_parser("remove", help=_h(lang, "remove"), description=_h(lang, "remove"))
    rm.add_argument("--dry-run", action="store_true", help=_h(lang, "dry_run"))
    rm.add_argument("-y", "--yes", action="store_true", help=_h(lang, "yes"))
    common(rm)
    return parser


def _with_default_command(argv: list[str]) -> list[str]:
    """`dashscope-setup [setup] [options]`: setup is implied unless a command or top-level help is asked."""
    if not argv:
        return ["setup"]
    if argv[0] in COMMANDS or argv[0] in ("-h", "--help", "--version"):
        return argv
    return ["setup", *argv]


def parse(argv: Sequence[str], lang: str) -> Options:
    from wizard.options import Options

    ns = build_parser(lang).parse_args(_with_default_command(list(argv)))
    get = ns.__dict__.get
    return Options(
        command=ns.command,
        key_stdin=bool(get("key_stdin")),
        key_file=get("key_file"),
        use_env=bool(get("use_env")),
        region=get("region") or "auto",
        base_url=get("base_url"),
        shells=tuple(get("shell") or ()),
        scope=get("scope") or "persistent",
        store=get("store"),
        model=get("model") or DEFAULT_MODEL,
        no_test=bool(get("no_test")),
        save_anyway=bool(get("save_anyway")),
        dry_run=bool(get("dry_run")),
        json=bool(get("json")),
        lang=get("lang"),
        yes=bool(get("yes")),
        debug=bool(get("debug")),
        argv=tuple(get("argv") or ()),
        live=bool(get("live")),
        scrub_history=bool(get("scrub_history")),
        disable_foreign=bool(get("disable_foreign")),
    )


def _pre_lang(argv: Sequence[str], env: Mapping[str, str]) -> str:
    flag = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            flag = argv[i + 1]
        elif arg.startswith("--lang="):
            flag = arg.split("=", 1)[1]
    return detect_lang(flag, env)


def _command(name: str) -> Callable[[Context, Options], Report]:
    if name in ("env", "run"):
        from wizard.commands import env as keyenv

        return keyenv.env if name == "env" else keyenv.run
    from wizard.commands import setup as app

    return {"setup": app.setup, "snippet": app.snippet, "remove": app.remove}[name]


def run(argv: Sequence[str], ctx: Context) -> int:
    lang = _pre_lang(argv, ctx.env)
    if list(argv) in (["--help"], ["-h"]):
        # The overview is static text: `dashscope-setup --help` answers in about the time
        # Python itself takes to start (argparse alone would add half of that again).
        from wizard.cli.helptext import overview

        ctx.stdout.write(overview(lang))
        return 0
    try:
        opts = parse(argv, lang)
    except SystemExit as exc:  # argparse: --help, --version (0) or a usage error (2)
        return int(exc.code) if isinstance(exc.code, int) else 2
    return execute(ctx, opts)


def execute(ctx: Context, opts: Options) -> int:
    from wizard.errors import ExitCode, SetupError
    from wizard.report import Msg, Report
    from wizard.ui.progress import Progress

    stream, tty = (ctx.stderr, ctx.stderr_is_tty()) if opts.json else (ctx.stdout, ctx.stdout_is_tty())
    # The wizard may switch language; progress.lang is the one the user is reading now.
    progress = Progress(stream, detect_lang(opts.lang, ctx.env), tty=tty, plain=ctx.plain())
    try:
        if opts.command == "setup" and not opts.yes:
            from wizard.ui import interactive

            report = interactive.run(ctx, opts, progress, progress.lang)
        elif opts.command in ("setup", "test"):
            from wizard.commands import setup as app

            report = (app.setup if opts.command == "setup" else app.test)(ctx, opts, progress)
        elif opts.command == "status":
            from wizard.commands import status as statuscmd

            report = statuscmd.status(ctx, opts, progress)
        else:
            report = _command(opts.command)(ctx, opts)
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


def emit(ctx: Context, opts: Options, report: Report, lang: str) -> None:
    import json

    from wizard.ui import render

    if report.command == "run" and report.error is None:
        return  # the child's own output is all there is
    text = render.human(report, lang, ctx.home)
    if opts.json:
        ctx.stderr.write(text)
        ctx.stdout.write(json.dumps(render.to_json(report, lang), ensure_ascii=False) + "\n")
    elif report.error is not None:
        ctx.stderr.write(text)
    else:
        ctx.stdout.write(text)
    ctx.stdout.flush()


def main(argv: Sequence[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    from wizard.context import Context

    return run(args, Context.from_process())
