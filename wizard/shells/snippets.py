"""Loads shell_snippets/ templates and fills them with values already quoted by the shell class."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")


def templates_dir() -> Path:
    """Installed wheels carry the templates inside the package; a source checkout has them at the top."""
    here = Path(__file__).resolve().parents[1]  # the wizard package
    for candidate in (here / "shell_snippets", here.parent / "shell_snippets"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("shell_snippets")


@cache
def load(family: str, template: str) -> str:
    return (templates_dir() / family / f"{template}.tmpl").read_text(encoding="utf-8")


def render(family: str, template: str, **values: str) -> str:
    """Fill a template. Values are inserted as they are; template lines left empty by an empty
    value are dropped, and the result has no trailing newline."""

    def sub(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise KeyError(f"template {family}/{template} needs {key!r}")
        return values[key]

    # Empty template lines (an empty {{extra}}) are dropped; the values themselves are kept whole,
    # whatever line breaks or blank lines they contain.
    lines = (_PLACEHOLDER.sub(sub, line) for line in load(family, template).split("\n"))
    return "\n".join(line for line in lines if line.strip())
