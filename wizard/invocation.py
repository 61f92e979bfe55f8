"""How this process was started, so that every command the tool prints starts it again the same way.

`dashscope-setup remove` is no help to someone who ran `pipx run dashscope-setup`, `python -m wizard`
or `./scripts/run`: that name is not on their PATH. The words that start this same tool are, in
order of preference:

- `dashscope-setup`, when that name on PATH is this tool (the same script, or the console script of
  the same interpreter when started with `-m`);
- `pipx run dashscope-setup`, or `pipx run --spec SPEC dashscope-setup`, when pipx started it from
  one of its cached run environments (a folder named by a hash under pipx's cache, holding
  `pipx_metadata.json`; pipx sets no variable that says so) and `pipx` is on PATH;
- the interpreter's path, `-m wizard`, when started with `-m`;
- the script's absolute path.

The world comes from the Context (argv[0], the interpreter, PATH, the working folder). Quoting belongs
to each shell: `command()` takes the shell object, so this module stays below the shells layer.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from wizard.context import Context

NAME = "dashscope-setup"
PACKAGE = "wizard"
# Characters no shell we print for treats specially, inside a word.
_PLAIN = re.compile(r"[A-Za-z0-9_./:+-]+")
_PIPX_RUN_VENV = re.compile(r"[0-9a-f]{15}")  # pipx names a run environment by a hash of its spec


class Quoting(Protocol):
    """What `command` needs of a shell (every class in wizard/shells has it)."""

    def command_line(self, words: Sequence[str]) -> str: ...


def words(ctx: Context) -> tuple[str, ...]:
    """The words that start this tool again, unquoted. Worked out once per run."""
    found = ctx.cache.get("invocation")
    if found is None:
        found = ctx.cache["invocation"] = _detect(ctx)
    return tuple(found)


def command(ctx: Context, *args: str, shell: Quoting) -> str:
    """The command line that runs this tool with `args`, quoted for `shell`:
    `command(ctx, "setup", "--region", "us-east-1", shell=SHELLS["fish"])`."""
    return shell.command_line([*words(ctx), *args])


def plain(parts: Sequence[str]) -> bool:
    """Every word reads the same in every shell, unquoted: the line needs no shell to be chosen."""
    return all(_PLAIN.fullmatch(w) for w in parts)


def _detect(ctx: Context) -> tuple[str, ...]:
    if not ctx.argv0:
        return (NAME,)  # not started from a command line (a test builds its own Context)
    script = Path(ctx.argv0)
    if not script.is_absolute():
        script = ctx.cwd / script
    script = Path(os.path.normpath(script))
    module = script.name == "__main__.py" and script.parent.name == PACKAGE
    on_path = ctx.which(NAME)
    if on_path and (_same_interpreter(on_path, ctx.executable) if module else _same_file(on_path, script)):
        return (NAME,)
    pipx = _pipx_run(ctx)
    if pipx:
        return pipx
    if module and ctx.executable:
        return (ctx.executable, "-m", PACKAGE)
    return (str(script),)


def _same_file(found: str, script: Path) -> bool:
    """PATH's `dashscope-setup` is the script that runs. On Windows argv[0] is the launcher's path
    without `.exe`, so names are also compared with the extension taken off."""
    try:
        if Path(found).samefile(script):
            return True
    except OSError:
        pass
    real = Path(os.path.realpath(found))
    return os.path.normcase(real.with_suffix("")) == os.path.normcase(os.path.realpath(script))


def _same_interpreter(found: str, executable: str) -> bool:
    """PATH's `dashscope-setup` is the console script of the interpreter running `-m wizard`: its
    `#!` line names that interpreter, or it sits beside it (a Windows venv's Scripts folder)."""
    if not executable:
        return False
    if Path(found).parent == Path(executable).parent:
        return True
    try:
        with open(found, "rb") as f:
            first = f.readline(4096)
    except OSError:
        return False
    if not first.startswith(b"#!"):
        return False
    interpreter = first[2:].strip().decode("utf-8", "replace")
    return os.path.normpath(interpreter) == os.path.normpath(executable)


def _pipx_run(ctx: Context) -> tuple[str, ...] | None:
    """`pipx run` left no trace but where its environment lives: a cache folder named by a hash,
    with pipx's metadata (the spec it was started with) inside. None when pipx is not on PATH, or
    the spec holds a password (it would be printed)."""
    if not ctx.executable:
        return None
    venv = Path(ctx.executable).parent.parent
    if not (_PIPX_RUN_VENV.fullmatch(venv.name) or (venv.parent / "CACHEDIR.TAG").is_file()):
        return None
    try:
        meta = json.loads((venv / "pipx_metadata.json").read_text(encoding="utf-8"))
        spec = meta["main_package"]["package_or_url"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(spec, str) or not spec or not ctx.which("pipx"):
        return None
    if urlsplit(spec).password is not None or "@" in urlsplit(spec).netloc:
        return None
    if spec.lower().replace("_", "-") == NAME:
        return ("pipx", "run", NAME)
    return ("pipx", "run", "--spec", spec, NAME)
