"""Files written for consumers beyond the SDK, only on request: a project `.env` (the key and base
URL, for dotenv users), the `.gitignore` line that keeps that `.env` out of git, and an entry in
Qwen Code's user settings.

Each is planned like a startup file (bytes before and after, a diff), journalled in the manifest
before it is written, and undone by `remove`:

- `.env` and `.gitignore`: our lines sit in the same marked block as in startup files (`#` is a
  comment in both), so removing the block gives the file back byte for byte.
- Qwen Code's `settings.json` is JSON, where no marker can live. The original is backed up (0600:
  users keep keys in its `env` field) and the sha256 of what we wrote is recorded: `remove` puts the
  original back when the file is still as we left it, and otherwise takes out only our entry (found
  by its description) and the defaults we filled in, keeping what Qwen Code or the user changed.
  The entry names the key's variable (`envKey`), never the key.

A `.env` holds the key itself, so one inside a git work tree is written only when git ignores it
(asked of the real `git check-ignore`); a tracked `.env` is refused even then.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard import block, files
from wizard.context import Context
from wizard.errors import ExitCode, SetupError
from wizard.report import Change, Msg

DOTENV, GITIGNORE, QWEN = "dotenv", "gitignore", "qwen-settings"
# The description of our entry in Qwen Code's settings: how `remove` and `status` find it.
QWEN_MARK = "Added by dashscope-setup"
QWEN_AUTH = "openai"
_DOTENV_NOTE = "# The key and base URL for .env readers (python-dotenv, dotenv, Qwen Code)."


@dataclass
class ConsumerFile:
    """One planned write: the bytes before and after, as for a startup file."""

    kind: str
    path: Path
    existed: bool
    before: bytes
    after: bytes
    diff: str
    secret: bool = False  # holds the key: 0600 from creation
    defaults: list[str] = field(default_factory=list)  # qwen: "dotted.name=value" we filled in
    notes: list[Msg] = field(default_factory=list)
    ignores: Path | None = None  # a .gitignore: the .env it is written for

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def change(self, *, done: bool) -> Change:
        if not self.changed:
            action = "unchanged"
        elif done:
            action = "modified" if self.existed else "created"
        else:
            action = "would-modify" if self.existed else "would-create"
        return Change(str(self.path), action, self.kind, None, self.diff or None)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read(path: Path) -> tuple[bool, bytes]:
    real = files.resolve(path)
    try:
        return True, real.read_bytes()
    except FileNotFoundError:
        return False, b""
    except OSError as exc:
        raise SetupError(ExitCode.STORE, "err.unreadable", path=str(path), reason=exc.strerror) from None


def _block_plan(kind: str, path: Path, body: str | None, *, secret: str | None = None) -> ConsumerFile:
    """Our marked block put in (body) or taken out (None); every other byte kept."""
    existed, before = _read(path)
    dec = files.decode(before)
    try:
        text = block.upsert_block(dec.text, body) if body is not None else block.remove_block(dec.text)
    except SetupError as exc:
        raise SetupError(exc.code, exc.msg_id, **exc.params, path=str(path)) from None
    after = files.encode(dec, text)
    diff = block.unified_diff(path, dec.text, text) if after != before else ""
    if secret:
        from wizard import keys

        diff = diff.replace(secret, keys.mask(secret))
    return ConsumerFile(kind, path, existed, before, after, diff, secret=bool(secret))


# --- a project .env ---------------------------------------------------------------------------


def dotenv_path(ctx: Context, given: Path) -> Path:
    """The .env file named by `--dotenv`: a directory means its `.env`. Its folder must exist."""
    files.refuse_control(str(given), "--dotenv")
    path = given if given.is_absolute() else ctx.cwd / given
    if path.is_dir():
        path = path / ".env"
    if not path.parent.is_dir():
        raise SetupError(ExitCode.USAGE, "consumer.err.dotenv_dir", path=str(path.parent))
    return path


def _dotenv_value(name: str, value: str) -> str:
    """`NAME='value'`: single quotes keep a value literal for python-dotenv and Node's dotenv."""
    if "'" in value or "\n" in value or "\r" in value:
        raise SetupError(ExitCode.USAGE, "consumer.err.dotenv_value", name=name)
    return f"{name}='{value}'"


def plan_dotenv(path: Path, values: Mapping[str, str], key: str) -> ConsumerFile:
    body = "\n".join([_DOTENV_NOTE, *(_dotenv_value(k, v) for k, v in values.items())])
    plan = _block_plan(DOTENV, path, body, secret=key)
    real = files.resolve(path)
    if plan.existed and real.stat().st_mode & 0o077:
        plan.notes.append(Msg("consumer.warn.dotenv_readable", {"path": str(path)}))
    return plan


def git_state(ctx: Context, path: Path) -> str:
    """What git makes of `path`: "none" (no work tree), "ignored", "tracked" or "not-ignored".
    Without a git program, a `.git` above the file counts as a work tree that does not ignore it."""
    folder = files.resolve(path.parent)
    git = ctx.which("git")
    if git is None:
        inside = any((p / ".git").exists() for p in (folder, *folder.parents))
        return "not-ignored" if inside else "none"
    code, out = ctx.run([git, "-C", str(folder), "rev-parse", "--is-inside-work-tree"], ctx.env)
    if code != 0 or out.strip() != "true":
        return "none"
    name = path.name
    code, _ = ctx.run([git, "-C", str(folder), "ls-files", "--error-unmatch", "--", name], ctx.env)
    if code == 0:
        return "tracked"
    code, _ = ctx.run([git, "-C", str(folder), "check-ignore", "-q", "--", name], ctx.env)
    return "ignored" if code == 0 else "not-ignored"


def plan_gitignore(path: Path) -> ConsumerFile:
    """A block in the .gitignore beside the .env naming it (anchored: that file, not every .env)."""
    name = re.sub(r"([*?\[\\])", r"\\\1", path.name)  # the name itself, not a pattern
    body = "\n".join(["# A .env written by dashscope-setup holds an API key.", "/" + name])
    plan = _block_plan(GITIGNORE, path.parent / ".gitignore", body)
    plan.ignores = path
    return plan


# --- Qwen Code --------------------------------------------------------------------------------


def qwen_settings_path(ctx: Context) -> Path:
    return ctx.home / ".qwen" / "settings.json"


def _load_json(path: Path, data: bytes) -> dict[str, Any]:
    """The settings as a dict; JSON with comments (which Qwen Code accepts) or any other shape is
    refused rather than rewritten without them."""
    try:
        loaded = json.loads(data.decode("utf-8-sig")) if data.strip() else {}
    except (UnicodeDecodeError, ValueError):
        raise SetupError(ExitCode.STORE, "consumer.err.qwen_unreadable", path=str(path)) from None
    if not isinstance(loaded, dict):
        raise SetupError(ExitCode.STORE, "consumer.err.qwen_shape", path=str(path))
    return loaded


def _dump_json(data: dict[str, Any], like: bytes) -> bytes:
    """JSON indented as the original was (2 spaces when new), ending as it did."""
    indent = 2
    for line in like.decode("utf-8", "replace").splitlines()[1:]:
        stripped = line.lstrip(" ")
        if stripped and stripped != line:
            indent = len(line) - len(stripped)
            break
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    return (text + ("\n" if not like or like.endswith(b"\n") else "")).encode("utf-8")


def ours(entry: object, key_var: str) -> bool:
    return (
        isinstance(entry, dict) and entry.get("description") == QWEN_MARK and entry.get("envKey") == key_var
    )


def _dict_at(data: dict[str, Any], name: str) -> dict[str, Any] | None:
    """data[name], made a dict when absent; None when it is something else (left alone)."""
    value = data.setdefault(name, {})
    return value if isinstance(value, dict) else None


def plan_qwen(ctx: Context, *, url: str, model: str, region: str, key_var: str) -> ConsumerFile:
    """Our entry first in `modelProviders.openai` (Qwen Code takes the first of entries with one id);
    `security.auth.selectedType` and `model.name` only where they are absent, else a note on how to
    pick the entry. Other providers' entries and every other setting stay as they are."""
    path = qwen_settings_path(ctx)
    existed, before = _read(path)
    data = _load_json(path, before)
    plan = ConsumerFile(QWEN, path, existed, before, before, "")
    providers = _dict_at(data, "modelProviders")
    openai = providers.setdefault(QWEN_AUTH, []) if providers is not None else None
    if not isinstance(openai, list):
        raise SetupError(ExitCode.STORE, "consumer.err.qwen_shape", path=str(path))
    entry = {"id": model, "name": f"{model} ({region})", "baseUrl": url, "envKey": key_var}
    openai[:] = [e for e in openai if not ours(e, key_var)]
    theirs = any(
        isinstance(e, dict) and {**e, "description": None} == {**entry, "description": None} for e in openai
    )
    if not theirs:
        openai.insert(0, {**entry, "description": QWEN_MARK})
    security = _dict_at(data, "security")
    auth = _dict_at(security, "auth") if security is not None else None
    chosen = _dict_at(data, "model")
    picked = True
    for holder, name, value, dotted in (
        (auth, "selectedType", QWEN_AUTH, "security.auth.selectedType"),
        (chosen, "name", model, "model.name"),
    ):
        if holder is None:
            picked = False
        elif name not in holder:
            holder[name] = value
            plan.defaults.append(f"{dotted}={value}")
        elif holder[name] != value:
            picked = False
    if not picked:
        plan.notes.append(Msg("consumer.next.qwen_pick", {"model": model, "path": str(path)}))
    plan.after = _dump_json(data, before) if data or not existed else before
    if plan.after != before:
        old, new = files.decode(before).text, files.decode(plan.after).text
        plan.diff = block.unified_diff(path, old, new)
    return plan


def _drop_default(data: dict[str, Any], setting: str) -> None:
    """Take out a setting we filled in, if it still has our value; then parents it left empty."""
    dotted, _, value = setting.partition("=")
    names = dotted.split(".")
    chain: list[dict[str, Any]] = [data]
    for name in names[:-1]:
        nxt = chain[-1].get(name)
        if not isinstance(nxt, dict):
            return
        chain.append(nxt)
    if chain[-1].get(names[-1]) != value:
        return
    del chain[-1][names[-1]]
    for parent, name in zip(reversed(chain[:-1]), reversed(names[:-1])):
        if parent.get(name) == {}:
            del parent[name]


def _qwen_without_ours(path: Path, data: bytes, defaults: list[str], key_var: str) -> bytes | None:
    try:
        loaded = _load_json(path, data)
    except SetupError:
        return None
    providers = loaded.get("modelProviders")
    if isinstance(providers, dict) and isinstance(providers.get(QWEN_AUTH), list):
        providers[QWEN_AUTH] = [e for e in providers[QWEN_AUTH] if not ours(e, key_var)]
        if not providers[QWEN_AUTH]:
            del providers[QWEN_AUTH]
        if not providers:
            del loaded["modelProviders"]
    for setting in defaults:
        _drop_default(loaded, setting)
    return _dump_json(loaded, data)


# --- undoing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Undo:
    """What `remove` does to one consumer file: the bytes to write (None: delete it)."""

    change: Change
    after: bytes | None
    notes: tuple[Msg, ...] = ()


def plan_undo(
    *,
    kind: str,
    path: Path,
    created: bool,
    backup: Path | None,
    written: str | None,
    defaults: list[str],
    key_var: str,
) -> Undo | None:
    """None when there is nothing to do (the file is gone, or holds nothing of ours)."""
    existed, data = _read(path)
    if not existed:
        return None
    if kind in (DOTENV, GITIGNORE):
        plan = _block_plan(kind, path, None)
        if not plan.changed:
            return None
        if created and not plan.after.strip():
            return Undo(Change(str(path), "deleted", kind, None, plan.diff or None), None)
        return Undo(Change(str(path), "removed", kind, None, plan.diff or None), plan.after)
    if written == sha(data):
        if created:
            return Undo(Change(str(path), "deleted", kind), None)
        if backup is not None and backup.is_file():
            return Undo(Change(str(path), "restored", kind), backup.read_bytes())
    after = _qwen_without_ours(path, data, defaults, key_var)
    if after is None:
        return Undo(
            Change(str(path), "unchanged", kind), data, (Msg("consumer.warn.qwen_kept", {"path": str(path)}),)
        )
    left = _load_json(path, after)
    if backup is not None and backup.is_file():
        # Killed between our write and its record: without our entry the file says what it said
        # before, so give back its exact bytes rather than our re-serialised JSON.
        original = backup.read_bytes()
        if left == _load_json(path, original):
            return None if original == data else Undo(Change(str(path), "restored", kind), original)
    if created and left == {}:  # ours from the start, and nothing else was ever put in
        return Undo(Change(str(path), "deleted", kind), None)
    if after == data or left == _load_json(path, data):
        return None
    return Undo(Change(str(path), "removed", kind), after)
