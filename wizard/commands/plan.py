"""The setup plan: every file and store setup would touch, computed before anything is written,
and the preflight that proves each of them writable. Setup writes only what a plan holds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wizard import files, keys, regions, stores
from wizard.context import Context
from wizard.edits import manifest
from wizard.edits.startup import FilePlan, plan_file, syntax_ok
from wizard.errors import ExitCode, SetupError
from wizard.report import Msg
from wizard.shells import SHELL_NAMES, SHELLS
from wizard.shells import detect as platform
from wizard.stores import Change, Store, StoreRecord


def resolve_shells(requested: tuple[str, ...], detected: platform.Detected) -> list[str]:
    """`auto` = the shell in use plus every other installed interactive shell (as rustup does)."""
    names: list[str] = []
    for name in requested or ("auto",):
        if name == "auto":
            names.append(detected.shell.name)
            names.extend(n for n in detected.installed if SHELLS[n].auto)
        else:
            names.append(name)
    return [n for n in SHELL_NAMES if n in names]


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


def make_plan(
    ctx: Context, *, key: keys.Key, endpoint: regions.Endpoint, shell_names: list[str], store_kind: str
) -> SetupPlan:
    extra = endpoint.sdk_env()
    earlier = StoreRecord(store_kind, registry_values=tuple(manifest.load(ctx).registry_values))
    store = stores.create(ctx, store_kind, extra, record=earlier)
    warnings: list[Msg] = []
    file_plans: list[FilePlan] = []
    if not store.writes_blocks:
        return SetupPlan(key, endpoint, store, store.key_file, shell_names, [], warnings)
    seen: set[Path] = set()
    for name in shell_names:
        shell = SHELLS[name]
        warnings.extend(shell.plan_warnings(ctx))
        if not shell.has_startup_file:
            warnings.append(Msg("warn.no_startup_file", {"shell": shell.display}))
            continue
        body = store.block_body(shell, extra, key.value)
        for target in shell.targets(ctx):
            real = files.resolve(target.path)
            if real in seen:
                continue
            seen.add(real)
            file_plans.append(plan_file(target, body, secret=key.value, newline=shell.line_ending))
    if not file_plans:
        # On Windows that means CMD alone: say what would read the key there instead.
        windows = ctx.os_name == "windows"
        raise SetupError(
            ExitCode.USAGE, "err.cmd_no_startup" if windows else "err.no_targets", store=store_kind
        )
    warnings.extend(store.warnings([f.target.path for f in file_plans]))
    return SetupPlan(key, endpoint, store, store.key_file, shell_names, file_plans, warnings)


def preflight(ctx: Context, plan: SetupPlan, *, check_syntax: bool = False) -> None:
    """Everything is checked before anything is written: a read-only target means no key file
    either. With `check_syntax` (the last preflight, right before writing: it starts each shell
    twice per file), a file the shell would no longer parse with our block in it is not written."""
    plan.store.preflight()
    for f in plan.files:
        if f.changed:
            files.check_writable(f.target.path)
            if not check_syntax:
                continue
            family = SHELLS[f.target.shell].family
            before, after = files.decode(f.before).text, files.decode(f.after).text
            if syntax_ok(ctx, f.target.path, family, before, after) is False:
                raise SetupError(ExitCode.STORE, "err.block_syntax", path=str(f.target.path))
    files.check_writable(manifest.path(ctx))
