"""The setup plan: every file and store setup would touch, computed before anything is written,
and the preflight that proves each of them writable. Setup writes only what a plan holds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wizard import keys, rcfile, regions
from wizard.context import Context
from wizard.edits import manifest
from wizard.edits.startup import FilePlan, plan_file
from wizard.errors import ExitCode, SetupError
from wizard.report import Msg
from wizard.shells import SHELL_NAMES, SHELLS, Shell
from wizard.shells import detect as platform
from wizard.stores import Change, InlineStore, KeyFileStore, Store, default_key_file

AUTO_SHELLS = ("bash", "zsh", "fish", "powershell")


def resolve_shells(requested: tuple[str, ...], detected: platform.Detected) -> list[str]:
    """`auto` = the shell in use plus every other installed interactive shell (as rustup does)."""
    names: list[str] = []
    for name in requested or ("auto",):
        if name == "auto":
            names.append(detected.shell.name)
            names.extend(n for n in detected.installed if n in AUTO_SHELLS)
        else:
            names.append(name)
    return [n for n in SHELL_NAMES if n in names]


def default_store(ctx: Context) -> str:
    """The Windows user environment on Windows (what the guide's setx does, without its leaks);
    the SDK's own key file elsewhere."""
    return "userenv" if ctx.os_name == "windows" else "file"


def store_for(ctx: Context, kind: str, extra: dict[str, str] | None = None) -> Store:
    if kind == "userenv":
        from wizard.stores.userenv import UserEnvStore

        return UserEnvStore(
            extra,
            stale=manifest.load(ctx).registry_values,
            registry=ctx.extra.get("winreg"),
            broadcast=ctx.extra.get("broadcast"),
        )
    if kind == "file":
        return KeyFileStore(default_key_file(ctx))
    if kind == "inline":
        return InlineStore()
    if kind == "keyring":
        from wizard.stores.keyring import KeyringStore

        return KeyringStore(ctx)
    raise SetupError(ExitCode.USAGE, "err.store_pending", store=kind)


def session_lines(
    shell: Shell, store: Store, key_file: Path | None, sources: list[Path], extra: dict[str, str]
) -> list[str]:
    lines: list[str] = []
    if store.kind == "file" and key_file is not None:
        lines.append(shell.load_line(key_file))
    elif store.kind == "keyring":
        return [shell.eval_env_line()]
    elif sources:
        src = shell.source_line(sources[0])
        if src:
            return [src]
    lines.extend(shell.assign(k, v) for k, v in extra.items())
    return lines


@dataclass
class SetupPlan:
    """Everything setup would write, computed before anything is written."""

    key: keys.Key
    endpoint: regions.Endpoint
    store: Store
    key_file: Path | None
    shells: list[str]
    files: list[FilePlan]
    warnings: list[Msg]

    def planned_changes(self) -> list[Change]:
        store_change = self.store.plan(self.key.value)
        return [c for c in [store_change] if c] + [p.change(done=False) for p in self.files]


def _in_git_worktree(path: Path) -> bool:
    return any((p / ".git").exists() for p in path.parents)


def make_plan(
    ctx: Context, *, key: keys.Key, endpoint: regions.Endpoint, shell_names: list[str], store_kind: str
) -> SetupPlan:
    extra = endpoint.sdk_env()
    store = store_for(ctx, store_kind, extra)
    key_file = store.path if isinstance(store, KeyFileStore) else None
    warnings: list[Msg] = []
    files: list[FilePlan] = []
    if store.kind == "userenv":
        # Every new process on Windows (cmd, PowerShell, Git Bash, IDEs) inherits the user
        # environment: no startup file needs a block.
        return SetupPlan(key, endpoint, store, None, shell_names, [], warnings)
    if ctx.os_name == "windows" and "powershell" in shell_names:
        from wizard.shells import winps

        warnings.extend(winps.policy_warnings(ctx))
    seen: set[Path] = set()
    for name in shell_names:
        shell = SHELLS[name]
        if not shell.has_startup_file:
            warnings.append(Msg("warn.no_startup_file", {"shell": shell.display}))
            continue
        body = shell.block_body(store=store.kind, extra=extra, key_file=key_file, key=key.value)
        for target in shell.targets(ctx):
            real = rcfile.resolve(target.path)
            if real in seen:
                continue
            seen.add(real)
            files.append(plan_file(target, body, secret=key.value))
    if not files:
        raise SetupError(ExitCode.USAGE, "err.no_targets")
    if store.kind == "inline":
        for f in files:
            if f.target.path.is_symlink() and _in_git_worktree(f.real):
                warnings.append(Msg("warn.inline_git", {"path": str(f.target.path)}))
    return SetupPlan(key, endpoint, store, key_file, shell_names, files, warnings)


def preflight(ctx: Context, plan: SetupPlan) -> None:
    """Everything is checked before anything is written: a read-only target means no key file either."""
    plan.store.preflight()
    for f in plan.files:
        if f.changed:
            rcfile.check_writable(f.target.path)
    rcfile.check_writable(manifest.path(ctx))
