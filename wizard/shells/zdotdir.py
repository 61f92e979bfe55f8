"""Where zsh looks for .zshrc and .zprofile: ZDOTDIR, which users often set (without exporting it) in
~/.zshenv (oh-my-zsh #10479). Read from the file, not by running zsh: running it would run the
user's .zshenv, and a slow one made every `status` and `snippet` wait for it.

Only plain assignments are followed (`ZDOTDIR=…`, `export ZDOTDIR=…`, `typeset`), with `~`, `$HOME`,
other variables from the environment and `${VAR:-default}`; a value computed by a command is unknown
and ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from wizard.shellparse import ParseError, Part, flat_posix, posix_parts, split_assignment

_DECLARE = frozenset({"export", "typeset", "declare", "readonly", "local"})
MAX_ZSHENV = 1 << 20


def zdotdir_from_zshenv(zshenv: Path, env: Mapping[str, str], home: Path) -> Path | None:
    """ZDOTDIR as ~/.zshenv leaves it (None: it does not set it, or not to a known absolute path)."""
    try:
        with zshenv.open("rb") as fh:
            text = fh.read(MAX_ZSHENV).decode("utf-8", errors="replace")
        commands = flat_posix(text)
    except (OSError, ParseError, RecursionError):
        return None
    scope = {**env, "HOME": str(home)}
    found: Path | None = None
    for cmd in commands:
        words = [w.text for w in cmd.words]
        while words and split_assignment(words[0]) is not None:
            _take(words.pop(0), scope)
        if words and words[0] in _DECLARE:
            for word in words[1:]:
                _take(word, scope)
        value = scope.get("ZDOTDIR")
        if value is not None and Path(value).is_absolute():
            found = Path(value)
    return found


def _take(word: str, scope: dict[str, str]) -> None:
    split = split_assignment(word)
    if split is None or split[0] != "ZDOTDIR" or split[2]:
        return
    value = _expand(posix_parts(split[1]), scope, top=True)
    if value is not None:
        scope["ZDOTDIR"] = value


def _expand(parts: list[Part], scope: Mapping[str, str], *, top: bool = False) -> str | None:
    out: list[str] = []
    for i, p in enumerate(parts):
        if p.kind == "lit":
            text = p.text
            if top and i == 0 and not p.quoted and (text == "~" or text.startswith("~/")):
                text = scope["HOME"] + text[1:]
            out.append(text)
        elif p.kind == "var" and p.text and not p.modifier:
            out.append(scope.get(p.text, ""))
        elif p.kind == "var" and p.text and p.modifier.startswith((":-", "-")):
            current = scope.get(p.text)
            empty = current is None or (current == "" and p.modifier.startswith(":"))
            if not empty and current is not None:
                out.append(current)
                continue
            default = _expand(posix_parts(p.modifier.split("-", 1)[1]), scope, top=True)
            if default is None:
                return None
            out.append(default)
        else:
            return None
    return "".join(out)
