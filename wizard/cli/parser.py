"""argv -> Options, and the `--help` overview, both built from the command table.

The overview is answered before argparse is imported (argparse alone would add half of Python's
start-up time to `dashscope-setup --help`), so this module imports nothing heavy at the top.
"""

from __future__ import annotations

import sys

from wizard import __version__
from wizard.cli.commands import COMMANDS, DEFAULT
from wizard.messages import t

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence
    from typing import NoReturn

    from wizard.options import Options

HELP_FLAGS = ("-h", "--help")


def lang_flag(argv: Sequence[str]) -> str | None:
    """The `--lang` value, read before parsing so that parse errors and help are in that language.
    Arguments after `--` belong to the command `run` starts."""
    flag = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            flag = argv[i + 1]
        elif arg.startswith("--lang="):
            flag = arg.split("=", 1)[1]
    return flag


def wants_overview(argv: Sequence[str]) -> bool:
    """`--help` (or `-h`) before any command, with at most a `--lang` beside it."""
    if not argv or argv[0] not in HELP_FLAGS:
        return False
    rest = list(argv[1:])
    if rest[:1] == ["--lang"]:
        rest = rest[2:]
    elif rest[:1] and rest[0].startswith("--lang="):
        rest = rest[1:]
    return not rest


def overview(lang: str) -> str:
    width = max(len(name) for name in COMMANDS) + 4
    commands = "\n".join(f"  {c.name:<{width}}{t(lang, c.summary_id)}" for c in COMMANDS.values())
    parts = (
        t(lang, "help.overview.usage"),
        t(lang, "help.overview.about"),
        t(lang, "help.overview.commands") + "\n" + commands,
        t(lang, "help.overview.examples"),
        t(lang, "help.overview.footer"),
    )
    return "\n\n".join(parts) + "\n"


def build(lang: str) -> argparse.ArgumentParser:
    import argparse
    from pathlib import Path

    from wizard.regions import DEFAULT_MODEL, REGION_IDS
    from wizard.shells import SHELL_NAMES

    def h(option: str) -> str:
        return t(lang, f"help.opt.{option}", model=DEFAULT_MODEL)

    class Parser(argparse.ArgumentParser):
        """argparse quotes the offending argument in its errors; a key pasted in the wrong place
        (`dashscope-setup sk-…`) must not come back on the screen. Subparsers use this class too."""

        def error(self, message: str) -> NoReturn:
            from wizard.keys import redact

            super().error(redact(message))

    class Overview(argparse.Action):
        """The top-level `--help` is the overview, however it is reached."""

        def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
            sys.stdout.write(overview(lang))  # where argparse writes its own help and --version
            parser.exit()

    def key_source(p: argparse.ArgumentParser) -> None:
        group = p.add_mutually_exclusive_group()
        group.add_argument("--key-stdin", action="store_true", help=h("key_stdin"))
        group.add_argument("--key-file", type=Path, metavar="PATH", help=h("key_file"))
        group.add_argument("--use-env", action="store_true", help=h("use_env"))

    def endpoint(p: argparse.ArgumentParser) -> None:
        p.add_argument("--region", choices=("auto", *REGION_IDS), default="auto", help=h("region"))
        p.add_argument("--base-url", metavar="URL", help=h("base_url"))

    def shell(choices: tuple[str, ...]) -> Callable[[argparse.ArgumentParser], object]:
        return lambda p: p.add_argument("--shell", action="append", choices=choices, help=h("shell"))

    def scope(p: argparse.ArgumentParser) -> None:
        p.add_argument("--scope", choices=("session", "persistent"), default="persistent", help=h("scope"))

    def store(choices: tuple[str, ...], help_id: str) -> Callable[[argparse.ArgumentParser], object]:
        return lambda p: p.add_argument("--store", choices=choices, help=h(help_id))

    def model(p: argparse.ArgumentParser) -> None:
        p.add_argument("--model", default=DEFAULT_MODEL, help=h("model"))

    def flag(*names: str) -> Callable[[argparse.ArgumentParser], object]:
        dest = names[-1].lstrip("-").replace("-", "_")
        return lambda p: p.add_argument(*names, action="store_true", help=h(dest))

    def argv(p: argparse.ArgumentParser) -> None:
        p.add_argument("argv", nargs=argparse.REMAINDER, metavar="-- CMD ...")

    groups: dict[str, Callable[[argparse.ArgumentParser], object]] = {
        "key-source": key_source,
        "endpoint": endpoint,
        "shell": shell(("auto", *SHELL_NAMES)),
        "env-shell": shell(SHELL_NAMES),
        "scope": scope,
        "store": store(("file", "keyring", "inline", "userenv"), "store"),
        "snippet-store": store(("file", "keyring", "inline"), "snippet_store"),
        "model": model,
        "no-test": flag("--no-test"),
        "offline": flag("--offline"),
        "save-anyway": flag("--save-anyway"),
        "dry-run": flag("--dry-run"),
        "scrub-history": flag("--scrub-history"),
        "disable-foreign": flag("--disable-foreign"),
        "live": flag("--live"),
        "yes": flag("-y", "--yes"),
        "argv": argv,
    }

    parser = Parser(prog="dashscope-setup", description=t(lang, "help.prog"), add_help=False)
    parser.add_argument(*HELP_FLAGS, action=Overview, nargs=0)
    parser.add_argument("--version", action="version", version=f"dashscope-setup {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="{" + ",".join(COMMANDS) + "}")
    for command in COMMANDS.values():
        text = t(lang, command.help_id)
        p = sub.add_parser(command.name, help=text, description=text)
        for name in command.options:
            groups[name](p)
        p.add_argument("--json", action="store_true", help=h("json"))
        p.add_argument("--lang", choices=("zh", "en"), help=h("lang"))
        p.add_argument("--debug", action="store_true", help=h("debug"))
    return parser


def _with_default_command(argv: list[str]) -> list[str]:
    """`dashscope-setup [setup] [options]`: setup is implied unless a command or top-level help is asked."""
    if not argv:
        return [DEFAULT]
    if argv[0] in COMMANDS or argv[0] in (*HELP_FLAGS, "--version"):
        return argv
    return [DEFAULT, *argv]


def parse(argv: Sequence[str], lang: str) -> Options:
    """Options from argv; argparse exits (SystemExit) on --help, --version and usage errors."""
    from wizard.options import Options

    ns = build(lang).parse_args(_with_default_command(list(argv)))
    get = ns.__dict__.get
    defaults = Options()
    return Options(
        command=ns.command,
        key_stdin=bool(get("key_stdin")),
        key_file=get("key_file"),
        use_env=bool(get("use_env")),
        region=get("region") or defaults.region,
        base_url=get("base_url"),
        shells=tuple(get("shell") or ()),
        scope=get("scope") or defaults.scope,
        store=get("store"),
        model=get("model") or defaults.model,
        no_test=bool(get("no_test")) or bool(get("offline")),
        offline=bool(get("offline")),
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
