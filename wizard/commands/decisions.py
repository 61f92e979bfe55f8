"""Every choice setup needs, behind one interface, so there is one setup flow.

`commands/setup.py` asks a Decisions object at each step; `FlagDecisions` (here) answers from the
command line, for `--yes` and onboarding scripts; `ui/wizard.py` answers by asking the user. A
retry ("enter the key again", "choose another region") is a return value the flow acts on.
"""

from __future__ import annotations

import getpass
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from wizard import keys, regions, stores
from wizard.commands.plan import resolve_shells
from wizard.context import Context
from wizard.errors import ExitCode, SetupError
from wizard.options import Options
from wizard.report import Msg
from wizard.shells import KEY_VAR

MAX_KEY_FILE = 4096  # a key is a few dozen bytes; anything far larger is not a key file

if TYPE_CHECKING:
    from wizard.check import CheckResult
    from wizard.commands.plan import SetupPlan
    from wizard.shells.detect import Detected

# After a failed check: another key, another region, the same again, save anyway, stop (exit with
# the diagnosis) or quit (as if interrupted).
NextStep = Literal["key", "region", "retry", "save", "stop", "quit"]
# Where the check failed: finding the region (GET /models) or the test call itself.
Stage = Literal["detect", "call"]
# At the summary: go ahead, ask again what to change (then plan again; "region": probe and check
# again first), or stop.
Verdict = Literal["go", "change", "region", "quit"]


def not_interactive(ctx: Context, *args: str) -> SetupError:
    """Exit 2 where a question would be asked with no terminal to ask on: a script must not hang.
    The message shows the command with --yes as this tool was started (`args`: the command and its
    flags; by default setup with a key file, a key source every shell can give)."""
    from wizard.shells import detect

    example = detect.command(ctx, *(args or ("setup", "--yes", "--key-file", "keyfile")))
    return SetupError(ExitCode.USAGE, "err.not_interactive", example=example)


class Decisions(Protocol):
    # True when a person answers at a prompt (the wizard): messages then name the menu, not flags.
    asks: bool

    def start(self, detected: Detected, warnings: list[Msg]) -> None:
        """Setup begins: what was detected about this machine, and what to warn about first."""

    def shells(self, detected: Detected) -> list[str]: ...

    def key(self, *, reuse: bool) -> tuple[keys.Key, str]:
        """The key and where it came from (stdin, key-file, env, prompt, stored)."""

    def region(self, key: keys.Key) -> tuple[regions.Endpoint | None, str]:
        """(endpoint, how it was chosen); None means: find out by asking every region."""

    def region_found(self, endpoint: regions.Endpoint) -> None: ...

    def store(self) -> str: ...

    def scope(self) -> str: ...

    def disable_foreign(self, foreign: list[Any]) -> bool:
        """Comment out hand-made DASHSCOPE_API_KEY exports found in startup files?"""

    def confirm(self, plan: SetupPlan | None) -> Verdict:
        """Go ahead with this plan (None: this terminal only)? "quit": stop, nothing written."""

    def checking(self, done: bool) -> None:
        """The live test call starts (done=False) or has ended (done=True)."""

    def after_failure(self, result: CheckResult | None, *, stage: Stage) -> NextStep: ...

    def scrub_history(self, findings: list[Any]) -> bool:
        """Remove the shell-history entries that hold a key?"""

    def delete_old_key_file(self, path: Path) -> bool:
        """The key now lives elsewhere, but the old key file still holds a key on disk: delete it?"""

    def add_to_gitignore(self, dotenv: Path) -> bool:
        """The .env asked for is in a git work tree that does not ignore it: add it to .gitignore?"""


def read_key(ctx: Context, opts: Options) -> tuple[str, str]:
    """(raw key, where it came from). Never from argv: there is no such option. With no key
    option, the key an earlier setup stored (to rewrite the blocks or change the region)."""
    sources = [
        s for s, on in (("stdin", opts.key_stdin), ("key-file", opts.key_file), ("env", opts.use_env)) if on
    ]
    if len(sources) > 1:
        raise SetupError(ExitCode.USAGE, "err.key_sources")
    if not sources:
        from wizard.commands.env import stored_key

        try:
            return stored_key(ctx)[0], "stored"
        except SetupError as exc:
            if exc.msg_id not in ("err.no_stored_key", "err.inline_unreadable"):
                raise  # a stored key that cannot be read now (a locked keyring): say why
            raise SetupError(ExitCode.USAGE, "err.no_key_source") from None
    source = sources[0]
    if source == "stdin":
        if ctx.stdin_is_tty():
            return getpass.getpass("DASHSCOPE_API_KEY: ", stream=ctx.stderr), source
        return ctx.stdin.readline().rstrip("\r\n"), source
    if source == "key-file":
        if opts.key_file is None:
            raise SetupError(ExitCode.USAGE, "err.no_key_source")
        text = read_key_file(opts.key_file)
        return (text[:-1] if text.endswith("\n") else text).rstrip("\r"), source
    value = ctx.env.get(KEY_VAR)
    if not value:
        raise SetupError(ExitCode.USAGE, "err.use_env_missing")
    return value, source


def read_key_file(path: Path) -> str:
    """A key file's text: a regular file of at most MAX_KEY_FILE bytes, a leading BOM (Notepad)
    dropped. Opened without blocking, so a FIFO or a device is refused instead of waited on."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise SetupError(ExitCode.USAGE, "err.key_file_not_regular", path=str(path))
            data = os.read(fd, MAX_KEY_FILE + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        raise SetupError(
            ExitCode.USAGE,
            "err.key_file_unreadable",
            path=str(path),
            reason=exc.strerror or type(exc).__name__,
        ) from None
    if len(data) > MAX_KEY_FILE:
        raise SetupError(ExitCode.USAGE, "err.key_file_too_big", path=str(path), max=str(MAX_KEY_FILE))
    return data.decode("utf-8", errors="replace").removeprefix("\ufeff")


class FlagDecisions:
    """The answers of `setup --yes`: the flags and their defaults. Never asks, never prints."""

    asks = False

    def __init__(self, ctx: Context, opts: Options) -> None:
        self.ctx = ctx
        self.opts = opts

    def start(self, detected: Detected, warnings: list[Msg]) -> None:
        return None

    def shells(self, detected: Detected) -> list[str]:
        return resolve_shells(self.opts.shells, detected, self.ctx)

    def key(self, *, reuse: bool) -> tuple[keys.Key, str]:
        if not reuse:  # the flags name one key; there is no other to try
            raise not_interactive(self.ctx)
        raw, source = read_key(self.ctx, self.opts)
        key = keys.validate(raw, persistent=self.opts.scope == "persistent")
        del raw
        return key, source

    def region(self, key: keys.Key) -> tuple[regions.Endpoint | None, str]:
        return regions.requested(self.ctx.env, self.opts.region, self.opts.base_url, self.opts.workspace)

    def region_found(self, endpoint: regions.Endpoint) -> None:
        return None

    def store(self) -> str:
        return self.opts.store or stores.default_kind(self.ctx, self.opts.allowed_stores)

    def scope(self) -> str:
        return self.opts.scope

    def disable_foreign(self, foreign: list[Any]) -> bool:
        return self.opts.disable_foreign

    def confirm(self, plan: SetupPlan | None) -> Verdict:
        return "go"

    def checking(self, done: bool) -> None:
        return None

    def after_failure(self, result: CheckResult | None, *, stage: Stage) -> NextStep:
        return "save" if self.opts.save_anyway else "stop"

    def scrub_history(self, findings: list[Any]) -> bool:
        return self.opts.scrub_history

    def delete_old_key_file(self, path: Path) -> bool:
        return False  # never on a flag's say-so: the file is named in a warning instead

    def add_to_gitignore(self, dotenv: Path) -> bool:
        return self.opts.gitignore
