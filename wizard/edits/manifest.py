"""What this tool wrote, so `remove` can undo exactly that and nothing else.

Kept at <config>/dashscope-setup/state.json. It never holds a secret: paths, kinds, flags.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from wizard import files, regions, stores
from wizard.context import Context
from wizard.stores import StoreRecord

SCHEMA = 1


@dataclass
class FileRecord:
    path: str
    shell: str
    created: bool  # the file did not exist before we wrote it
    owned: bool = False  # a file we own wholesale (fish conf.d)
    backup: str | None = None


@dataclass
class ConsumerRecord:
    """A file written for a consumer beyond the SDK (a project .env, its .gitignore, Qwen Code's
    settings). `written`: sha256 of the bytes we left there, so `remove` knows whether anyone
    changed the file since; `defaults`: settings we filled in because they were absent."""

    path: str
    kind: str  # dotenv | gitignore | qwen-settings
    created: bool
    backup: str | None = None
    written: str | None = None
    defaults: list[str] = field(default_factory=list)


@dataclass
class Manifest:
    store: str | None = None
    key_file: str | None = None
    key_file_created: bool = False
    region: str | None = None
    base_url: str | None = None
    files: list[FileRecord] = field(default_factory=list)
    created_dirs: list[str] = field(default_factory=list)
    migrated: list[str] = field(default_factory=list)  # files whose foreign key lines we disabled
    registry_values: list[str] = field(default_factory=list)  # HKCU\Environment names we wrote
    tool_version: str = ""
    openai_env: bool = False  # the blocks (or the user environment) also set OPENAI_*
    consumers: list[ConsumerRecord] = field(default_factory=list)

    def store_record(self) -> StoreRecord:
        """The store setup saved into last (the SDK's key file when nothing is recorded)."""
        return StoreRecord(
            self.store or stores.default_kind_for_reading(),
            key_file=self.key_file,
            key_file_created=self.key_file_created,
            registry_values=tuple(self.registry_values),
        )

    def endpoint(self) -> regions.Endpoint | None:
        """The region and base URL setup saved: what `env`, `run`, `test`, `snippet` and `status`
        use unless told otherwise. None when no setup recorded one."""
        if not self.base_url:
            return None
        return regions.Endpoint(self.region or regions.CUSTOM, self.base_url)

    def consumer(self, path: str) -> ConsumerRecord | None:
        return next((c for c in self.consumers if c.path == path), None)

    def file(self, path: str) -> FileRecord | None:
        return next((f for f in self.files if f.path == path), None)

    def add_dirs(self, dirs: list[str]) -> None:
        for d in dirs:
            if d not in self.created_dirs:
                self.created_dirs.append(d)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["schema_version"] = SCHEMA
        return data


@dataclass(frozen=True)
class Configuration:
    """What the last setup saved, as every command reads it: `env`, `run`, `test`, `snippet` and
    a `setup` that reuses the stored key all start from here, so they cannot disagree."""

    store: StoreRecord
    endpoint: regions.Endpoint | None  # None: nothing saved, the SDK's default (Beijing) applies
    shells: tuple[str, ...]  # shells whose startup files hold our block, in the order written
    recorded: bool  # a setup is on record at all
    openai_env: bool = False  # OPENAI_API_KEY / OPENAI_BASE_URL are set beside the key


def configuration(ctx: Context) -> Configuration:
    """The saved configuration (the SDK's own key file when nothing is recorded)."""
    record = load_record(ctx)
    state = record or Manifest()
    shells = tuple(dict.fromkeys(f.shell for f in state.files))
    return Configuration(state.store_record(), state.endpoint(), shells, record is not None, state.openai_env)


def path(ctx: Context) -> Path:
    return ctx.state_dir() / "state.json"


def backups_dir(ctx: Context) -> Path:
    return ctx.state_dir() / "backups"


def load(ctx: Context) -> Manifest:
    """The record of earlier setups; an empty one when there is none or it cannot be read."""
    return load_record(ctx) or Manifest()


def load_record(ctx: Context) -> Manifest | None:
    """The record, or None when it is missing or unreadable (then `remove` looks for our markers)."""
    try:
        data = json.loads(path(ctx).read_text(encoding="utf-8"))
        return _from_json(data)
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def _from_json(data: Any) -> Manifest:
    files = [FileRecord(**f) for f in data.get("files", [])]
    return Manifest(
        store=data.get("store"),
        key_file=data.get("key_file"),
        key_file_created=bool(data.get("key_file_created")),
        region=data.get("region"),
        base_url=data.get("base_url"),
        files=files,
        created_dirs=list(data.get("created_dirs", [])),
        migrated=list(data.get("migrated", [])),
        registry_values=list(data.get("registry_values", [])),
        tool_version=data.get("tool_version", ""),
        openai_env=bool(data.get("openai_env")),
        consumers=[ConsumerRecord(**c) for c in data.get("consumers", [])],
    )


def save(ctx: Context, manifest: Manifest) -> None:
    data = (json.dumps(manifest.to_json(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    target = path(ctx)
    if target.exists() and target.read_bytes() == data:
        return  # a second identical run changes no byte, not even the manifest's mtime
    files.atomic_write(target, data)


def backup_once(ctx: Context, path: Path, data: bytes) -> tuple[str, bool]:
    """Copy the original to <state>/backups once (0600 in a 0700 directory): (path, created now)."""
    real = files.resolve(path)
    name = real.name.lstrip(".") + "-" + hashlib.sha256(str(real).encode()).hexdigest()[:8] + ".bak"
    dest = backups_dir(ctx) / name
    if dest.exists():
        return str(dest), False
    files.make_dirs(dest.parent, mode=0o700)
    files.atomic_write(dest, data, secret=True)
    return str(dest), True
