"""The team file: a small TOML file holding what a team standardises (region or gateway,
workspace, model, the stores it allows, shells, language) and never a secret.

It is given by `--config PATH` or `DASHSCOPE_SETUP_CONFIG` and is meant to be shared (a
repository, a provisioning system), so anything that looks like an API key is refused, and so is
every unknown setting, wrong type or bad value: a typo must not silently fall back to a default
on a hundred machines. Each refusal names the file and the line. Flags override what it says
(cli/parser.py applies it); `status --check` compares the machine against it.

The shell names and store kinds it accepts are passed in by the caller: this base module does not
know them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wizard import regions
from wizard.errors import ExitCode, SetupError
from wizard.keys import redact
from wizard.report import Msg

CONFIG_VAR = "DASHSCOPE_SETUP_CONFIG"
MAX_BYTES = 64 * 1024  # a team file is a few lines; a larger one is not a team file
LANGS = ("zh", "en")
TEXT_SETTINGS = ("region", "base_url", "workspace", "model", "lang")
LIST_SETTINGS = ("stores", "shells")
SETTINGS = (*TEXT_SETTINGS, *LIST_SETTINGS)
# A key anywhere in the file (a value, a comment): the sk-/st- shape the tool itself recognises.
_KEY_SHAPED = re.compile(r"(?<![A-Za-z0-9])s[kt]-[A-Za-z0-9._-]{12,}")
# A setting named like a place for a secret: refused whatever its value.
_SECRET_NAME = re.compile(r"(?i)(dashscope_)?(api[_-]?)?(key|token|secret|password)s?")
_MODEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}")
_AT = re.compile(r"\(at line (\d+), column (\d+)\)\s*$")


@dataclass(frozen=True)
class Team:
    """The team's settings; None or empty where the file says nothing."""

    path: str  # absolute, as messages and printed commands name it
    from_flag: bool  # given by --config (commands printed for the user repeat it)
    region: str | None = None
    base_url: str | None = None
    workspace: str | None = None
    model: str | None = None
    stores: tuple[str, ...] = ()  # the stores the team allows, preferred first; empty: any
    shells: tuple[str, ...] = ()
    lang: str | None = None


def locate(flag: str | None, env: Mapping[str, str], cwd: Path) -> tuple[Path, bool] | None:
    """(the team file, whether --config named it): the flag wins over the variable."""
    raw = flag if flag is not None else env.get(CONFIG_VAR, "").strip()
    if not raw:
        return None
    path = Path(raw).expanduser()
    return (path if path.is_absolute() else cwd / path), flag is not None


def load(
    path: Path,
    *,
    from_flag: bool,
    env: Mapping[str, str],
    shell_names: Collection[str],
    store_kinds: Collection[str],
) -> Team:
    """The team file at `path`, checked; SetupError (exit 2) naming the file and line otherwise."""
    shown = str(path)
    text = _read(path)
    for number, line in enumerate(text.splitlines(), start=1):
        if _KEY_SHAPED.search(line):
            raise SetupError(ExitCode.USAGE, "team.err.secret", path=shown, line=number)
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.9 and 3.10: the same parser, as a package
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(shown, exc) from None
    return _check(data, text, shown, from_flag, env, shell_names, store_kinds)


def _read(path: Path) -> str:
    shown = str(path)
    try:
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise SetupError(ExitCode.USAGE, "team.err.missing", path=shown, var=CONFIG_VAR) from None
    except OSError as exc:
        raise SetupError(
            ExitCode.USAGE, "team.err.unreadable", path=shown, error=exc.strerror or type(exc).__name__
        ) from None
    if len(data) > MAX_BYTES:
        raise SetupError(ExitCode.USAGE, "team.err.too_big", path=shown, max=str(MAX_BYTES))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SetupError(ExitCode.USAGE, "team.err.encoding", path=shown, line=line) from None


def _syntax_error(shown: str, exc: Exception) -> SetupError:
    """tomllib and tomli say where in their message: "Invalid value (at line 3, column 9)"."""
    message = str(exc)
    found = _AT.search(message)
    line, column = (int(found.group(1)), int(found.group(2))) if found else (getattr(exc, "lineno", 1), 1)
    detail = message[: found.start()].strip() if found else message
    return SetupError(ExitCode.USAGE, "team.err.syntax", path=shown, line=line, column=column, detail=detail)


def line_of(text: str, name: str) -> int:
    """The line that sets `name` at the top level (`name =`, `"name" =`, `name.x =`, `[name]`)."""
    quoted = re.escape(name)
    pattern = re.compile(rf"""^[ \t]*\[?[ \t]*(?:{quoted}|"{quoted}"|'{quoted}')[ \t]*[=.\]]""", re.MULTILINE)
    found = pattern.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def _check(
    data: dict[str, Any],
    text: str,
    shown: str,
    from_flag: bool,
    env: Mapping[str, str],
    shell_names: Collection[str],
    store_kinds: Collection[str],
) -> Team:
    def fail(msg_id: str, name: str, **params: Any) -> SetupError:
        return SetupError(
            ExitCode.USAGE, msg_id, path=shown, line=line_of(text, name), setting=name, **params
        )

    for name, value in data.items():
        if _SECRET_NAME.fullmatch(name):
            raise fail("team.err.secret_setting", name)
        if name not in SETTINGS:
            raise fail("team.err.unknown", name, known=", ".join(SETTINGS))
        if name in TEXT_SETTINGS and not isinstance(value, str):
            raise fail("team.err.not_text", name)
        if name in LIST_SETTINGS and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise fail("team.err.not_list", name)
        if name in LIST_SETTINGS and not value:
            raise fail("team.err.empty", name)
        if name in TEXT_SETTINGS and not value.strip():
            raise fail("team.err.empty", name)

    def choose(name: str, choices: Collection[str], value: str) -> str:
        if value not in choices:
            raise fail("team.err.choice", name, value=redact(value[:80]), choices=", ".join(choices))
        return value

    region = data.get("region")
    if region is not None:
        region = choose("region", regions.REGION_IDS, regions.region_id(region))
    workspace = data.get("workspace")
    if workspace is not None:
        try:
            regions.valid_workspace(workspace)
        except SetupError:
            raise fail("team.err.workspace", "workspace", value=redact(workspace[:80])) from None
    base_url = data.get("base_url")
    if base_url is not None:
        if region is not None or workspace is not None:
            raise fail("team.err.base_url_and_region", "base_url")
        try:
            base_url = regions.endpoint_for(regions.DEFAULT_REGION, env, base_url).compatible_url
        except SetupError:
            raise fail("team.err.base_url", "base_url", var=regions.ALLOW_HTTP_VAR) from None
    if region is not None and workspace is None and regions.REGIONS[region].workspace_only:
        raise fail("team.err.needs_workspace", "region", region=region)
    if workspace is not None and region is None:
        raise fail("team.err.workspace_without_region", "workspace")
    model = data.get("model")
    if model is not None and _MODEL.fullmatch(model) is None:
        raise fail("team.err.model", "model", value=redact(model[:80]))
    lang = data.get("lang")
    if lang is not None:
        lang = choose("lang", LANGS, lang)
    return Team(
        path=shown,
        from_flag=from_flag,
        region=region,
        base_url=base_url,
        workspace=workspace,
        model=model,
        stores=tuple(choose("stores", tuple(store_kinds), s) for s in data.get("stores", ())),
        shells=tuple(choose("shells", tuple(shell_names), s) for s in data.get("shells", ())),
        lang=lang,
    )


@dataclass(frozen=True)
class Deviation:
    """One way this machine differs from what the team file (or a sound setup) asks for. `id` is
    stable across versions and languages; `fix` is a whole command line as the user types it, None
    when the fix is by hand (the message says how)."""

    id: str
    message: Msg
    fix: str | None = None

    def to_json(self, text: str) -> dict[str, Any]:
        return {"id": self.id, "message": text, "fix": self.fix, "params": dict(self.message.params)}


@dataclass(frozen=True)
class Compliance:
    """What `status --check` found: the team file it compared against (None: none given)."""

    team_file: str | None
    deviations: tuple[Deviation, ...]

    @property
    def compliant(self) -> bool:
        return not self.deviations
