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
    from typing import Any

    from wizard.cli.usage import Parser
    from wizard.options import Options
    from wizard.team import Team

HELP_FLAGS = ("-h", "--help")
VERSION_FLAGS = ("-V", "--version")
# Global options: accepted before the command (`--lang zh status`) and after it (`status --lang zh`).
GLOBAL_FLAGS = ("--json", "-q", "--quiet", "-v", "--verbose", "--debug")  # no value
GLOBAL_VALUED = ("--lang", "--config")  # one value
HELP_COMMAND = "help"
# What people type for a command this tool calls otherwise (`login` is `setup`).
SYNONYMS = {
    "login": "setup",
    "auth": "setup",
    "init": "setup",
    "config": "setup",
    "configure": "setup",
    "install": "setup",
    "set": "setup",
    "logout": "remove",
    "uninstall": "remove",
    "delete": "remove",
    "unset": "remove",
    "reset": "remove",
    "check": "test",
    "verify": "test",
    "ping": "test",
    "doctor": "status",
    "show": "status",
    "info": "status",
    "whoami": "status",
    "list": "status",
    "exec": "run",
    "export": "env",
    "print": "snippet",
    "sample": "samples",
    "example": "samples",
    "examples": "samples",
    "code": "samples",
    "completions": "completion",
}


def _before_run_args(argv: Sequence[str]) -> list[str]:
    """argv up to `--`: what follows belongs to the command `run` starts."""
    args = list(argv)
    return args[: args.index("--")] if "--" in args else args


def lang_flag(argv: Sequence[str]) -> str | None:
    """The `--lang` value, read before parsing so that parse errors and help are in that language.
    Arguments after `--` belong to the command `run` starts."""
    return _valued_flag(argv, "--lang")


def config_flag(argv: Sequence[str]) -> str | None:
    """The `--config` value: the team file is read before parsing, since it gives the defaults."""
    return _valued_flag(argv, "--config")


def _valued_flag(argv: Sequence[str], name: str) -> str | None:
    flag = None
    args = _before_run_args(argv)
    for i, arg in enumerate(args):
        if arg == name and i + 1 < len(args):
            flag = args[i + 1]
        elif arg.startswith(name + "="):
            flag = arg.split("=", 1)[1]
    return flag


def json_flag(argv: Sequence[str]) -> bool:
    """`--json` anywhere before `--`: a usage error is then one JSON object too."""
    return "--json" in _before_run_args(argv)


def first_word(argv: Sequence[str]) -> int | None:
    """Index of the first argument that is not a global option (or its value) nor a help flag."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in GLOBAL_VALUED:
            i += 2
        elif arg in (*GLOBAL_FLAGS, *HELP_FLAGS) or arg.startswith(tuple(f"{f}=" for f in GLOBAL_VALUED)):
            i += 1
        else:
            return i
    return None


def wants_overview(argv: Sequence[str]) -> bool:
    """`--help`, `-h` or `help` with nothing but global options around it: the overview."""
    i = first_word(argv)
    if i is None:
        return any(a in HELP_FLAGS for a in argv)
    return argv[i] == HELP_COMMAND and first_word(argv[i + 1 :]) is None


def overview(lang: str) -> str:
    width = max(len(name) for name in (*COMMANDS, "help [COMMAND]")) + 2
    commands = [f"  {c.name:<{width}}{t(lang, c.summary_id)}" for c in COMMANDS.values()]
    commands.append(f"  {'help [COMMAND]':<{width}}{t(lang, 'help.summary.help')}")
    parts = (
        t(lang, "help.overview.usage"),
        t(lang, "help.overview.about"),
        t(lang, "help.overview.commands") + "\n" + "\n".join(commands),
        t(lang, "help.overview.globals"),
        t(lang, "help.overview.examples"),
        t(lang, "help.overview.footer"),
    )
    return "\n\n".join(parts) + "\n"


def build(lang: str) -> Parser:
    """The parser, its texts in `lang`. Call inside `usage.translated(lang)` so that argparse's
    own words (usage:, options:) are in `lang` too."""
    import argparse
    from pathlib import Path

    from wizard.cli.usage import Parser
    from wizard.regions import ALIASES, DEFAULT_MODEL, REGION_IDS, region_id
    from wizard.shells import SHELL_NAMES

    def h(option: str) -> str:
        return t(lang, f"help.opt.{option}", model=DEFAULT_MODEL, aliases=", ".join(ALIASES))

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
        regions = ("auto", *REGION_IDS)
        p.add_argument("--region", type=region_id, choices=regions, help=h("region"))
        p.add_argument("--base-url", metavar="URL", help=h("base_url"))
        p.add_argument("--workspace", metavar="ID", help=h("workspace"))

    def shell(choices: tuple[str, ...]) -> Callable[[argparse.ArgumentParser], object]:
        return lambda p: p.add_argument("--shell", action="append", choices=choices, help=h("shell"))

    def scope(p: argparse.ArgumentParser) -> None:
        p.add_argument("--scope", choices=("session", "persistent"), default="persistent", help=h("scope"))

    def store(choices: tuple[str, ...], help_id: str) -> Callable[[argparse.ArgumentParser], object]:
        return lambda p: p.add_argument("--store", choices=choices, help=h(help_id))

    def model(p: argparse.ArgumentParser) -> None:
        p.add_argument("--model", help=h("model"))

    def flag(*names: str) -> Callable[[argparse.ArgumentParser], object]:
        dest = names[-1].lstrip("-").replace("-", "_")
        return lambda p: p.add_argument(*names, action="store_true", help=h(dest))

    def consumers(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--openai-env", action=argparse.BooleanOptionalAction, default=None, help=h("openai_env")
        )
        p.add_argument("--dotenv", type=Path, metavar="PATH", help=h("dotenv"))
        p.add_argument("--gitignore", action="store_true", help=h("gitignore"))
        p.add_argument("--qwen-code", action="store_true", help=h("qwen_code"))

    def argv(p: argparse.ArgumentParser) -> None:
        p.add_argument("argv", nargs=argparse.REMAINDER, metavar="-- CMD ...")

    def sample_language(p: argparse.ArgumentParser) -> None:
        from wizard.commands.samples import LANGUAGES

        p.add_argument("sample", nargs="?", choices=LANGUAGES, metavar="LANGUAGE", help=h("sample"))
        p.add_argument("--shell", action="append", choices=SHELL_NAMES, help=h("sample_shell"))

    def completion_shell(p: argparse.ArgumentParser) -> None:
        from wizard.shells.completion import SCRIPTS

        p.add_argument(
            "completion_shell", nargs="?", choices=tuple(SCRIPTS), metavar="SHELL", help=h("completion_shell")
        )

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
        "consumers": consumers,
        "check": flag("--check"),
        "yes": flag("-y", "--yes"),
        "argv": argv,
        "completion-shell": completion_shell,
        "sample-language": sample_language,
    }

    def global_options(p: argparse.ArgumentParser, default: Any) -> None:
        """Before the command they set the value; after it (SUPPRESS) they only override it, so a
        sub-parser's default never undoes `--json status`."""
        p.add_argument("--json", action="store_true", default=default or False, help=h("json"))
        p.add_argument("-q", "--quiet", action="store_true", default=default or False, help=h("quiet"))
        p.add_argument("-v", "--verbose", action="store_true", default=default or False, help=h("verbose"))
        p.add_argument("--lang", choices=("zh", "en"), default=default, help=h("lang"))
        p.add_argument("--config", metavar="PATH", default=default, help=h("config"))
        p.add_argument("--debug", action="store_true", default=default or False, help=h("debug"))

    parser = Parser(prog=PROG, description=t(lang, "help.prog"), add_help=False)
    parser.add_argument(*HELP_FLAGS, action=Overview, nargs=0, help=h("help"))
    parser.add_argument(*VERSION_FLAGS, action="version", version=f"{PROG} {__version__}", help=h("version"))
    global_options(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="{" + ",".join(COMMANDS) + "}", parser_class=Parser)
    for command in COMMANDS.values():
        text = t(lang, command.help_id)
        p = sub.add_parser(
            command.name, help=text, description=text, epilog=t(lang, command.exit_id), add_help=False
        )
        p.command = command.name
        p.add_argument(*HELP_FLAGS, action="help", help=h("help"))
        for name in command.options:
            groups[name](p)
        global_options(p, argparse.SUPPRESS)
    return parser


PROG = "dashscope-setup"


def suggest(word: str) -> str | None:
    """The command meant by an unknown word: a synonym, else the closest spelling."""
    import difflib

    close = difflib.get_close_matches(word.lower(), [*COMMANDS, HELP_COMMAND, *SYNONYMS], n=1, cutoff=0.6)
    return SYNONYMS.get(close[0], close[0]) if close else None


def _normalised(parser: Parser, argv: list[str], lang: str) -> list[str]:
    """argv with the command made explicit: setup is implied when none is named; `help X` is
    `X --help`; `help` alone is the overview; an unknown word is refused with a suggestion."""
    i = first_word(argv)
    if i is None:
        if argv and argv[-1] in GLOBAL_VALUED:  # `--lang` without its value: argparse says so
            return [*argv[:-1], DEFAULT, argv[-1]]
        return [*argv, DEFAULT]
    word = argv[i]
    if word in COMMANDS or word in VERSION_FLAGS:
        return argv
    if word.startswith("-"):
        return [*argv[:i], DEFAULT, *argv[i:]]
    if word == HELP_COMMAND:
        rest = argv[i + 1 :]
        j = first_word(rest)
        if j is None or rest[j] == HELP_COMMAND:
            sys.stdout.write(overview(lang))
            raise SystemExit(0)
        if rest[j] in COMMANDS:
            return [*argv[:i], *rest[:j], rest[j], "--help"]
        word = rest[j]
    from wizard.keys import redact

    meant = suggest(word)
    shown = redact(word)
    if meant is None:
        return parser.refuse("err.unknown_command_plain", name=shown, commands=", ".join(COMMANDS))
    return parser.refuse("err.unknown_command", name=shown, suggestion=meant)


def parse(argv: Sequence[str], lang: str, team: Team | None = None) -> Options:
    """Options from argv, the team file's settings where no flag says otherwise. Raises SystemExit
    on --help and --version (after printing them) and cli.usage.UsageError on a usage error
    (nothing printed: cli/run.py renders it)."""
    from wizard.cli.usage import tr, translated
    from wizard.options import Options

    with translated(lang):
        parser = build(lang)
        args = _normalised(parser, list(argv), lang)
        ns, extra = parser.parse_known_args(args)
        if extra:  # argparse would blame the top level; the sub-command's usage is the useful one
            chosen = _subparser(parser, ns.command)
            chosen.error(tr("unrecognized arguments: %s") % " ".join(extra))
    get = ns.__dict__.get
    defaults = Options()
    region, base_url, workspace, shells = get("region"), get("base_url"), get("workspace"), get("shell")
    # The team's endpoint and shells are what setup writes; a flag for any part of the endpoint
    # replaces the team's endpoint as a whole (a workspace belongs to one region).
    if team is not None and ns.command == DEFAULT:
        if region is None and base_url is None and workspace is None:
            region, base_url, workspace = team.region, team.base_url, team.workspace
        shells = shells or list(team.shells)
    completion: tuple[str, ...] = (str(get("completion_shell")),) if get("completion_shell") else ()
    return Options(
        command=ns.command,
        key_stdin=bool(get("key_stdin")),
        key_file=get("key_file"),
        use_env=bool(get("use_env")),
        region=region or defaults.region,
        base_url=base_url,
        workspace=workspace,
        shells=tuple(shells or ()) or completion,
        scope=get("scope") or defaults.scope,
        store=get("store"),
        model=get("model") or (team.model if team else None) or defaults.model,
        no_test=bool(get("no_test")) or bool(get("offline")),
        offline=bool(get("offline")),
        save_anyway=bool(get("save_anyway")),
        dry_run=bool(get("dry_run")),
        json=bool(get("json")),
        quiet=bool(get("quiet")),
        verbose=bool(get("verbose")),
        lang=get("lang") or (team.lang if team else None),
        yes=bool(get("yes")),
        debug=bool(get("debug")),
        argv=tuple(get("argv") or ()),
        live=bool(get("live")),
        scrub_history=bool(get("scrub_history")),
        disable_foreign=bool(get("disable_foreign")),
        openai_env=get("openai_env"),
        dotenv=get("dotenv"),
        gitignore=bool(get("gitignore")),
        qwen_code=bool(get("qwen_code")),
        check=bool(get("check")),
        team=team,
        sample=get("sample"),
    )


def _subparser(parser: Parser, name: str) -> Parser:
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found: Parser = action.choices[name]
            return found
    return parser


# --- a key typed on the command line -------------------------------------------------------------

_KEY_OPTIONS = ("--key", "--api-key", "--apikey", "--token")


def key_in_argv(argv: Sequence[str]) -> str | None:
    """The mask of a key given as an argument (`--key sk-…`, `--key=sk-…`, a pasted `sk-…` or a
    long key-shaped word where the command goes), or None. Arguments after `--` are the command
    `run` starts, not ours."""
    import re

    from wizard.keys import mask, normalise

    args = _before_run_args(argv)
    shaped = re.compile(r"s[kt]-[A-Za-z0-9._-]{8,}")
    for i, arg in enumerate(args):
        name, eq, value = arg.partition("=")
        if name in _KEY_OPTIONS and (eq or i + 1 < len(args)):
            value = value if eq else args[i + 1]
            return mask(normalise(value)[0]) if value else "…"
        candidate = normalise(value if eq and name.startswith("--") else arg)[0]
        if shaped.fullmatch(candidate):
            return mask(candidate)
    word = first_word(args)
    if word is not None and re.fullmatch(r"[A-Za-z0-9_-]{24,}", args[word]):
        return mask(args[word])
    return None
