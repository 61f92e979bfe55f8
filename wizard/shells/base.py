"""What every shell class answers: how to quote a value, the lines it needs (assign, load the key
file, source a file, prompt), the block between our markers for each store, where setup writes,
which files the shell reads when it starts, where it keeps its history and how an entry there
ends, and how to check a file's syntax.

Setup and `status` ask the same class, so what `status` predicts is read from the very files setup
writes to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from wizard.context import Context
from wizard.report import Msg
from wizard.shells import snippets

if TYPE_CHECKING:
    from wizard.shellparse import Tok

KEY_VAR = "DASHSCOPE_API_KEY"
# Tokens that join one command to another on a line: after them, more than the assignment runs.
COMMAND_JOINERS = frozenset({";", "&&", "||", "|", "&", "(", ")", ";;"})


@dataclass(frozen=True)
class Scenario:
    """A kind of new shell a user opens (a terminal, a login, `bash -lc` from a script); `status`
    predicts the key each one ends up with."""

    name: str
    shell: str
    interactive: bool
    login: bool


@dataclass(frozen=True)
class Target:
    """A startup file a shell really reads. `owned` files (fish conf.d) belong to us wholesale."""

    path: Path
    shell: str
    owned: bool = False


class Shell:
    name: ClassVar[str]
    display: ClassVar[str]
    family: ClassVar[str]  # the syntax: posix | fish | powershell | cmd
    binaries: ClassVar[tuple[str, ...]]
    # Every process name that means this shell (`-bash`, `pwsh.exe` are stripped to these first).
    process_names: ClassVar[tuple[str, ...]]
    has_startup_file: ClassVar[bool] = True
    # Chosen by `--shell auto` (and ticked in the wizard) when installed: the interactive shells a
    # developer opens; sh and CMD only on request.
    auto: ClassVar[bool] = False
    scenarios: ClassVar[tuple[Scenario, ...]] = ()
    # The line ending our block must have for this shell; None: the file's own (PowerShell reads both).
    line_ending: ClassVar[str | None] = None
    # argv (without the file) that checks a file's syntax without running it; () = no such check.
    syntax_check: ClassVar[tuple[str, ...]] = ()
    # cmd.exe and Windows PowerShell 5.1 mangle non-ASCII on the way to a native program.
    ascii_arguments: ClassVar[bool] = False
    # A word made only of these characters means itself, unquoted.
    plain_word: ClassVar[re.Pattern[str]] = re.compile(r"[A-Za-z0-9_./:+-]+")
    # How to get a line just typed (a key on the command line) out of this shell's history.
    forget_line: ClassVar[str] = "usage.forget.other"

    def quote(self, value: str) -> str:
        raise NotImplementedError

    def comment_lines(self, text: str) -> frozenset[int] | None:
        """Lines (1-based) that this shell reads as a comment from their start: a marker of ours
        anywhere else (in a here-document, a string spanning lines) is someone's text, not our
        block. None: every line counts (a syntax we do not lex)."""
        return None

    def command_line(self, words: Sequence[str]) -> str:
        """A command to type at this shell's prompt: each word kept bare when nothing in it is
        special here, else quoted (the command name too: a path with a space still runs)."""
        return " ".join(w if self.plain_word.fullmatch(w) else self.quote(w) for w in words)

    def userenv_line(self, name: str) -> str | None:
        """The line that loads a Windows user-environment value into a window already open (new
        windows get it by themselves); None for a shell that does not read that environment. It
        prints no secret: the value goes from the registry straight into the variable."""
        return None

    def plan_warnings(self, ctx: Context) -> list[Msg]:
        """What stops this shell from running the block setup plans for it (said before writing)."""
        return []

    def session_warnings(self, ctx: Context) -> list[Msg]:
        """What to know when this is the shell the user runs setup from."""
        return []

    def assign(self, name: str, value: str) -> str:
        return snippets.render(self.family, "assign", name=name, value=self.quote(value))

    def copy_key_line(self, name: str) -> str:
        """`name` takes DASHSCOPE_API_KEY's value when it has one (`--openai-env`): the key stays
        where the store keeps it and is never written a second time."""
        return snippets.render(self.family, "copy_key", name=name)

    def assign_all(self, values: Mapping[str, str]) -> str:
        return "\n".join(self.assign(k, v) for k, v in values.items())

    def path_word(self, path: Path, profile: str | None = None) -> str:
        """`path` as one word of this shell. `profile`: the Windows user profile folder
        (%USERPROFILE%), which shells with a code-page problem (CMD, PowerShell) use to keep the
        word ASCII when the profile's name is not."""
        return self.quote(str(path))

    def load_line(self, key_file: Path, profile: str | None = None) -> str:
        """The session line that loads the key from the key file (prints no secret)."""
        return snippets.render(self.family, "load_file", key_file=self.path_word(key_file, profile))

    def source_line(self, path: Path) -> str | None:
        """Load a startup file into this session (the inline store has no key file to read)."""
        return snippets.render(self.family, "source", path=self.quote(str(path)))

    def eval_env_line(self, tool: Sequence[str]) -> str:
        """Load the stored key through `env` (a keyring holds it, not a file); `tool`: the words that
        start this tool (wizard/invocation.py)."""
        return snippets.render(
            self.family, "eval_env", command=self.command_line([*tool, "env", "--shell", self.name])
        )

    def unset_lines(self, names: Sequence[str]) -> list[str]:
        """Take variables out of a terminal that is already open (after `remove`)."""
        return [snippets.render(self.family, "unset", name=name) for name in names]

    def prompt_line(self) -> str:
        """Read the key silently into this session only; the key never passes through our output."""
        return snippets.render(self.family, "prompt")

    # The block between our markers, one per way a store can hand the key to a shell; the store
    # picks which (stores/), the shell knows its own syntax.

    def file_block(self, key_file: Path, extra: Mapping[str, str], profile: str | None = None) -> str:
        """Read the key file with the shell's own builtins (no process started at shell start)."""
        return snippets.render(
            self.family,
            "block_file",
            key_file=self.path_word(key_file, profile),
            extra=self.assign_all(extra),
        )

    def keyring_block(self, extra: Mapping[str, str]) -> str:
        """One block for every OS: the shell picks secret-tool, security or `dashscope-setup env` at
        start, so the block stays right if libsecret-tools is installed later."""
        return snippets.render(self.family, "block_keyring", shell=self.name, extra=self.assign_all(extra))

    def inline_block(self, key: str, extra: Mapping[str, str]) -> str:
        """The key itself, assigned in the block, as the official guide does."""
        return snippets.render(
            self.family, "block_inline", assign_key=self.assign(KEY_VAR, key), extra=self.assign_all(extra)
        )

    def curl_sample(self, url: str, body: str) -> str | None:
        """A curl call that takes the key from the environment, in this shell's syntax. Every value is
        quoted so that nothing in it runs when pasted; None when this shell cannot quote it safely."""
        return snippets.render(self.family, "curl", url=self.quote(url), body=self.quote(body)) + "\n"

    def targets(self, ctx: Context) -> list[Target]:
        """Where setup writes: the startup files this shell really reads."""
        raise NotImplementedError

    def startup_files(self, ctx: Context, scenario: Scenario) -> list[Path]:
        """The user's startup files this shell reads when started as `scenario`, in order."""
        return []

    def startup_candidates(self, ctx: Context) -> list[Path]:
        """Every user startup file this shell may read, for `status` to look through."""
        return []

    def parses(self, path: Path) -> bool:
        """Whether this shell is the one to check `path` with (a file of its syntax family)."""
        return True

    def is_compound(self, line: str) -> bool:
        """Whether a line does more than one thing (disabling it would disable all of it)."""
        raise NotImplementedError

    def history_files(self, ctx: Context) -> list[Path]:
        """Where this shell may have saved typed lines (the files need not exist)."""
        return []

    def history_entries(self, lines: Sequence[str]) -> list[tuple[int, int]]:
        """(start, end) line-index ranges of the history entries, covering every line once, in order:
        one line each unless the shell's format joins lines into one entry."""
        return [(i, i + 1) for i in range(len(lines))]

    def installed(self, ctx: Context) -> bool:
        return any(ctx.which(b) for b in self.binaries)


def joins_commands(tokens: Sequence[Tok], keywords: frozenset[str]) -> bool:
    """The tokens of one line hold an operator or a keyword: the line is more than one command."""
    return any(t.kind == "op" and t.text in COMMAND_JOINERS for t in tokens) or any(
        t.kind == "word" and t.text in keywords for t in tokens
    )


def joined_entries(lines: Sequence[str], mark: str) -> list[tuple[int, int]]:
    """History entries whose lines end in a continuation `mark` (not itself doubled) go on to the
    next line: zsh's backslash, PowerShell's backtick."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        j = i + 1
        while j < len(lines) and _continued(lines[j - 1], mark):
            j += 1
        out.append((i, j))
        i = j
    return out


def _continued(line: str, mark: str) -> bool:
    body = line.rstrip("\n").rstrip("\r")
    return body.endswith(mark) and not body.endswith(mark * 2)


def profile_relative(path: Path, profile: str | None) -> str | None:
    """The part of a Windows `path` below the user profile folder (compared as Windows does,
    ignoring case), or None when it is not below it."""
    if not profile:
        return None
    from pathlib import PureWindowsPath

    try:
        rel = PureWindowsPath(str(path)).relative_to(PureWindowsPath(profile))
    except ValueError:
        return None
    return str(rel) if rel.parts else None


def data_home(ctx: Context) -> Path:
    """$XDG_DATA_HOME, where fish and PowerShell on Linux/macOS keep their history."""
    xdg = ctx.env.get("XDG_DATA_HOME", "")
    return Path(xdg) if xdg and Path(xdg).is_absolute() else ctx.home / ".local" / "share"


def files_in(directory: Path, suffix: str) -> list[Path]:
    """The files in `directory` whose names end in `suffix`, sorted; none if it cannot be read."""
    try:
        return sorted(p for p in directory.iterdir() if p.name.endswith(suffix) and p.is_file())
    except OSError:
        return []
