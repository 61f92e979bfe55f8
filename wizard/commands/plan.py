"""The setup plan: every file and store setup would touch, computed before anything is written,
and the preflight that proves each of them writable. Setup writes only what a plan holds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from wizard import block, files, keys, regions, stores
from wizard.context import Context
from wizard.edits import consumers, manifest
from wizard.edits.consumers import ConsumerFile
from wizard.edits.startup import FilePlan, plan_file, syntax_ok
from wizard.errors import ExitCode, SetupError
from wizard.report import Msg
from wizard.shells import KEY_VAR, SHELL_NAMES, SHELLS
from wizard.shells import detect as platform
from wizard.stores import Change, Store, StoreRecord


def used_shells(ctx: Context, detected: platform.Detected) -> list[str]:
    """The shells this user uses: the current one, the login one ($SHELL), those the last setup
    configured, and the installed interactive ones (sh only on request) with a startup file of the
    user's own, one that holds more than our block: what setup wrote for one shell, a ~/.profile,
    must not make the next run count bash as used, or a second run would not be a no-op. A zsh
    that was never started gets no new ~/.zshrc (which would also skip zsh's own first-run setup);
    the current shell when no shell has a startup file."""
    login = platform.shell_from_name(ctx.env.get("SHELL", ""))
    recorded = manifest.configuration(ctx).shells
    used = [
        name
        for name, shell in SHELLS.items()
        if shell.has_startup_file
        and (
            name in (detected.shell.name, login, *recorded)
            or (
                shell.auto  # sh and CMD only on request
                and name in detected.installed
                and any(_users_own(p) for p in shell.startup_candidates(ctx))
            )
        )
    ]
    return used or [detected.shell.name]


def _users_own(path: Path) -> bool:
    """A startup file with something in it besides our block."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    try:
        return bool(block.remove_block(text).strip())
    except SetupError:  # a damaged block: whatever it holds, the user has been editing this file
        return True


def resolve_shells(requested: tuple[str, ...], detected: platform.Detected, ctx: Context) -> list[str]:
    """The shells named, `auto` (or none) standing for the shells this user uses: the wizard's
    preselection and `setup --yes` agree."""
    names: list[str] = []
    for name in requested or ("auto",):
        names.extend(used_shells(ctx, detected) if name == "auto" else [name])
    return [n for n in SHELL_NAMES if n in names]


@dataclass(frozen=True)
class ConsumerRequest:
    """The consumers beyond the SDK asked for on this run. `openai_env` None: as the last setup
    left it. `gitignore`: asked when a requested .env is in a work tree that does not ignore it."""

    openai_env: bool | None = None
    dotenv: Path | None = None
    gitignore: Callable[[Path], bool] | None = None
    qwen_code: bool = False
    model: str = regions.DEFAULT_MODEL


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
    # Beside the key: the variables written with it, and those that take its value (--openai-env).
    extra: dict[str, str] = field(default_factory=dict)
    copies: tuple[str, ...] = ()
    consumer_files: list[ConsumerFile] = field(default_factory=list)

    def planned_changes(self) -> list[Change]:
        store_change = self.store.plan(self.key.value)
        return (
            [c for c in [store_change] if c]
            + [p.change(done=False) for p in self.files]
            + [c.change(done=False) for c in self.consumer_files]
        )


def make_plan(
    ctx: Context,
    *,
    key: keys.Key,
    endpoint: regions.Endpoint,
    shell_names: list[str],
    store_kind: str,
    request: ConsumerRequest | None = None,
) -> SetupPlan:
    request = request or ConsumerRequest()
    state = manifest.load(ctx)
    openai = state.openai_env if request.openai_env is None else request.openai_env
    copies = (regions.OPENAI_KEY_VAR,) if openai else ()
    extra = {**endpoint.sdk_env(), **(endpoint.openai_env() if openai else {})}
    earlier = StoreRecord(store_kind, registry_values=tuple(state.registry_values))
    store = stores.create(ctx, store_kind, extra, record=earlier, key_copies=copies)
    warnings: list[Msg] = [Msg("consumer.warn.openai_env")] if openai else []
    file_plans: list[FilePlan] = []
    consumer_files = plan_consumers(ctx, key, endpoint, request, state, openai)
    for cf in consumer_files:
        warnings.extend(cf.notes)
    if not store.writes_blocks:
        return SetupPlan(
            key, endpoint, store, store.key_file, shell_names, [], warnings, extra, copies, consumer_files
        )
    seen: set[Path] = set()
    for name in shell_names:
        shell = SHELLS[name]
        warnings.extend(shell.plan_warnings(ctx))
        if not shell.has_startup_file:
            warnings.append(Msg("warn.no_startup_file", {"shell": shell.display}))
            continue
        body = store.block_body(shell, extra, key.value)
        if copies:
            body += "\n" + "\n".join(shell.copy_key_line(name) for name in copies)
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
    return SetupPlan(
        key, endpoint, store, store.key_file, shell_names, file_plans, warnings, extra, copies, consumer_files
    )


def plan_consumers(
    ctx: Context,
    key: keys.Key,
    endpoint: regions.Endpoint,
    request: ConsumerRequest,
    state: manifest.Manifest,
    openai: bool,
) -> list[ConsumerFile]:
    """The .env files and Qwen Code settings to write: those asked for now and those an earlier
    setup wrote (kept pointing at this key and region)."""
    out: list[ConsumerFile] = []
    # A recorded .env whose folder has gone (a deleted checkout) is left to `remove`, not refused.
    dotenvs = [
        Path(c.path) for c in state.consumers if c.kind == consumers.DOTENV and Path(c.path).parent.is_dir()
    ]
    if request.dotenv is not None:
        asked = consumers.dotenv_path(ctx, request.dotenv)
        if asked not in dotenvs:
            dotenvs.append(asked)
    values = {KEY_VAR: key.value, "DASHSCOPE_COMPATIBLE_BASE_URL": endpoint.compatible_url}
    values.update(endpoint.sdk_env())
    if openai:
        values.update({regions.OPENAI_KEY_VAR: key.value, **endpoint.openai_env()})
    for path in dotenvs:
        git = consumers.git_state(ctx, path)
        if git == "tracked":
            raise SetupError(ExitCode.USAGE, "consumer.err.dotenv_tracked", path=str(path))
        if git == "not-ignored":
            if request.gitignore is None or not request.gitignore(path):
                raise SetupError(ExitCode.USAGE, "consumer.err.dotenv_not_ignored", path=str(path))
            out.append(consumers.plan_gitignore(path))
        out.append(consumers.plan_dotenv(path, values, key.value))
    if request.qwen_code or any(c.kind == consumers.QWEN for c in state.consumers):
        out.append(
            consumers.plan_qwen(
                ctx,
                url=endpoint.compatible_url,
                model=request.model,
                region=endpoint.region,
                key_var=KEY_VAR,
            )
        )
    return out


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
    for cf in plan.consumer_files:
        if cf.changed:
            files.check_writable(cf.path)
    files.check_writable(manifest.path(ctx))
