"""`status`, per consumer: which key (masked) and which endpoint the dashscope SDK, the OpenAI SDK
(through `OPENAI_*`) and Qwen Code will use, each by its own rules, for a program started from a new
terminal in the current directory.

- dashscope SDK: `DASHSCOPE_API_KEY` (else its key file, which the scan already counts), and
  `DASHSCOPE_HTTP_BASE_URL`, else its default (Beijing).
- OpenAI SDK: `OPENAI_API_KEY` and `OPENAI_BASE_URL`, else `https://api.openai.com/v1`.
- Qwen Code: the model its settings select (user settings, overridden by the project's
  `.qwen/settings.json`) and that model's `modelProviders.openai` entry (`envKey`, `baseUrl`). The
  variable's value comes from the environment, else the FIRST `.env` found (`.qwen/.env`, then `.env`,
  in each folder from here up to `/`; then `~/.qwen/.env`, `~/.env`), else the settings' `env`.

"New terminal" values are what a recorded setup gives (its blocks or the Windows user environment),
else this terminal's own. Read-only: nothing is written here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard import keys, regions
from wizard.context import Context
from wizard.edits import consumers, manifest
from wizard.report import Msg
from wizard.shells import KEY_VAR

SDK_DEFAULT = regions.native_from_compatible(regions.REGIONS[regions.DEFAULT_REGION].compatible_url)
OPENAI_DEFAULT = "https://api.openai.com/v1"


@dataclass(frozen=True)
class Origin:
    """Where a value comes from. kind: shell (a scan source: `ref`) | setup | copy | terminal |
    dotenv | settings (its `env`) | entry (a model's provider entry: `var` is the model) | default
    | none."""

    kind: str
    ref: str | None = None
    path: str | None = None
    var: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "ref": self.ref, "path": self.path, "var": self.var}


@dataclass(frozen=True)
class ConsumerView:
    consumer: str  # dashscope-sdk | openai-sdk | qwen-code
    key_var: str | None
    key_mask: str | None
    key_origin: Origin
    base_url: str | None
    url_origin: Origin
    notes: tuple[Msg, ...] = field(default=())
    # Set up beyond what the dashscope SDK alone needs: the status screen shows the consumers only
    # then (the common case stays short); JSON always has them.
    in_play: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "consumer": self.consumer,
            "key": {"var": self.key_var, "mask": self.key_mask, "from": self.key_origin.to_json()},
            "base_url": {"value": self.base_url, "from": self.url_origin.to_json()},
            "in_play": self.in_play,
        }


_NONE = Origin("none")


class _NewTerminal:
    """The variables a program started from a new terminal gets, masked where they are keys."""

    def __init__(self, ctx: Context, state: manifest.Manifest, status: Any) -> None:
        self.ctx, self.state = ctx, state
        main = status.main if status is not None else None
        self.key = (main.key.mask, Origin("shell", ref=main.ref)) if main is not None and main.key else None
        # Only the dashscope SDK reads its key file by itself; every other consumer needs the
        # variable, which a new terminal has only when some shell (or Windows) hands it over.
        reach = status.verdict.reach if status is not None else ()
        self.in_env = self.key is not None and any(r != "sdk" for r in reach)
        endpoint = state.endpoint()
        self.recorded: dict[str, str] = {}
        if endpoint is not None:
            self.recorded = endpoint.sdk_env()
            if state.openai_env:
                self.recorded.update(endpoint.openai_env())

    def get(self, var: str, *, secret: bool = False, sdk: bool = False) -> tuple[str | None, Origin]:
        if var == KEY_VAR and self.key is not None and (sdk or self.in_env):
            return self.key
        if var == regions.OPENAI_KEY_VAR and self.state.openai_env and self.key is not None and self.in_env:
            return self.key[0], Origin("copy", var=KEY_VAR)
        if var in self.recorded:
            return self.recorded[var], Origin("setup")
        value = self.ctx.env.get(var)
        if value:
            return (keys.mask(value) if secret else value), Origin("terminal", var=var)
        return None, _NONE


def views(ctx: Context, state: manifest.Manifest, status: Any) -> list[ConsumerView]:
    shell = _NewTerminal(ctx, state, status)
    key, key_from = shell.get(KEY_VAR, secret=True, sdk=True)
    url, url_from = shell.get("DASHSCOPE_HTTP_BASE_URL")
    sdk = ConsumerView(
        "dashscope-sdk", KEY_VAR, key, key_from, url or SDK_DEFAULT, url_from if url else Origin("default")
    )
    okey, okey_from = shell.get(regions.OPENAI_KEY_VAR, secret=True)
    ourl, ourl_from = shell.get(regions.OPENAI_URL_VAR)
    openai = ConsumerView(
        "openai-sdk",
        regions.OPENAI_KEY_VAR,
        okey,
        okey_from,
        ourl or OPENAI_DEFAULT,
        ourl_from if ourl else Origin("default"),
        in_play=okey is not None or ourl is not None,
    )
    return [sdk, openai, qwen_view(ctx, shell)]


# --- Qwen Code --------------------------------------------------------------------------------


def _settings(path: Path, notes: list[Msg]) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, ValueError):
        notes.append(Msg("consumer.note.qwen_unreadable", {"path": str(path)}))
        return {}
    return data if isinstance(data, dict) else {}


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def first_dotenv(ctx: Context) -> Path | None:
    """The one .env Qwen Code loads: the first found walking up from here, then the home ones."""
    here = ctx.cwd
    for folder in (here, *here.parents):
        for candidate in (folder / ".qwen" / ".env", folder / ".env"):
            if candidate.is_file():
                return candidate
    for candidate in (ctx.home / ".qwen" / ".env", ctx.home / ".env"):
        if candidate.is_file():
            return candidate
    return None


def dotenv_values(path: Path) -> dict[str, str]:
    """NAME=value lines (`export ` allowed, one level of quotes taken off, `#` lines skipped)."""
    out: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return out
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        else:
            value = value.split(" #", 1)[0].strip()
        out[name.strip()] = value
    return out


def qwen_view(ctx: Context, shell: _NewTerminal) -> ConsumerView:
    notes: list[Msg] = []
    user_path = consumers.qwen_settings_path(ctx)
    project_path = ctx.cwd / ".qwen" / "settings.json"
    user = _settings(user_path, notes)
    project = _settings(project_path, notes) if project_path != user_path else {}
    merged = _merge(user, project)
    in_play = user_path.exists() or project_path.exists()
    where = str(project_path if project else user_path)
    auth = (merged.get("security") or {}).get("auth", {}) if isinstance(merged.get("security"), dict) else {}
    selected = auth.get("selectedType") if isinstance(auth, dict) else None
    if selected != consumers.QWEN_AUTH:
        note = "consumer.note.qwen_other_auth" if selected else "consumer.note.qwen_no_auth"
        notes.append(Msg(note, {"auth": str(selected), "path": where}))
        return ConsumerView("qwen-code", None, None, _NONE, None, _NONE, tuple(notes), in_play)
    model_cfg = merged.get("model")
    model = model_cfg.get("name") if isinstance(model_cfg, dict) else None
    providers = merged.get("modelProviders")
    entries = providers.get(consumers.QWEN_AUTH, []) if isinstance(providers, dict) else []
    entry = next((e for e in entries if isinstance(e, dict) and e.get("id") == model), None)
    env_field = merged.get("env") if isinstance(merged.get("env"), dict) else {}
    dotenv = first_dotenv(ctx)
    from_dotenv = dotenv_values(dotenv) if dotenv else {}

    def resolve(var: str, secret: bool) -> tuple[str | None, Origin]:
        value, origin = shell.get(var, secret=secret)
        if value is not None:
            return value, origin
        if from_dotenv.get(var):
            found = from_dotenv[var]
            return (keys.mask(found) if secret else found), Origin("dotenv", path=str(dotenv), var=var)
        if isinstance(env_field, dict) and isinstance(env_field.get(var), str) and env_field[var]:
            found = env_field[var]
            return (keys.mask(found) if secret else found), Origin("settings", path=where, var=var)
        return None, _NONE

    key_var = str(entry.get("envKey") or regions.OPENAI_KEY_VAR) if entry else regions.OPENAI_KEY_VAR
    key, key_from = resolve(key_var, True)
    if entry and entry.get("baseUrl"):
        url: str | None = str(entry["baseUrl"])
        url_from = Origin("entry", path=where, var=str(model))
    else:
        url, url_from = resolve(regions.OPENAI_URL_VAR, False)
        if entry is None and model:
            notes.append(Msg("consumer.note.qwen_no_entry", {"model": str(model), "path": where}))
    return ConsumerView("qwen-code", key_var, key, key_from, url, url_from, tuple(notes), in_play)
