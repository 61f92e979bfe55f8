"""`scan()`: every source, the winner per kind of new shell, the conflicts and the overall
warnings, from the filesystem and `ctx` only. Which files each kind of shell reads comes from its
class in `wizard.shells`, the same one setup writes with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from wizard import invocation, stores
from wizard.context import Context
from wizard.report import Msg
from wizard.scan import fish, posix, powershell, verdict
from wizard.scan.analyze import Analyzer, analyze
from wizard.scan.analyze_fish import FishAnalyzer
from wizard.scan.analyze_posix import PosixAnalyzer
from wizard.scan.model import (
    BASE_URL_VARS,
    KEYRING_REF,
    Conflict,
    KeyInfo,
    KeyringReader,
    RegistryReader,
    Source,
    StatusReport,
    Verdict,
    Winner,
)
from wizard.scan.sources import dotenv_source, fish_universal, key_file_sources
from wizard.scan.state import Scan, Val
from wizard.shells import KEY_VAR, SCENARIOS, SHELLS, Scenario, Shell
from wizard.stores import StoreRecord, default_key_file

ENV_REF = "env:" + KEY_VAR
Simulate = Callable[[Scan, Scenario, Shell, list[Path], bool], Winner]
# Per syntax family: how its files are read, and how a new shell of that family runs them.
_FAMILIES: dict[str, tuple[type[Analyzer], Simulate]] = {
    PosixAnalyzer.family: (PosixAnalyzer, posix.simulate),
    FishAnalyzer.family: (FishAnalyzer, fish.simulate),
    powershell.PowerShellAnalyzer.family: (powershell.PowerShellAnalyzer, powershell.simulate),
}


def _simulate(scan: Scan, sc: Scenario) -> Winner:
    shell = SHELLS[sc.shell]
    files = shell.startup_files(scan.ctx, sc)
    return _FAMILIES[shell.family][1](scan, sc, shell, files, shell.installed(scan.ctx))


def _startup_files(ctx: Context) -> list[tuple[Path, str]]:
    """Every user startup file a shell may read, each once, with its syntax family."""
    seen: set[Path] = set()
    out: list[tuple[Path, str]] = []
    for shell in SHELLS.values():
        for p in shell.startup_candidates(ctx):
            if p not in seen:
                seen.add(p)
                out.append((p, shell.family))
    return out


def scan(
    ctx: Context,
    *,
    keyring_reader: KeyringReader | None = None,
    registry_reader: RegistryReader | None = None,
    recorded: StoreRecord | None = None,
    current_shell: str | None = None,
    env_loads: str | None = None,
) -> StatusReport:
    """Every place a key is defined, masked; the winner per kind of new shell; the conflicts.
    `recorded`: the store setup saved into (from the manifest; the SDK's key file when None).
    `current_shell` and `env_loads` (the fingerprint of the key `dashscope-setup env` loads) only
    choose the fix offered for this terminal."""
    keyring_value: str | None = None
    pre_warnings: list[Msg] = []
    if keyring_reader is not None:
        try:
            keyring_value = keyring_reader()
        except Exception as exc:  # a third-party keyring backend must not break `status`
            pre_warnings.append(Msg("status.warn.keyring_error", {"error": type(exc).__name__}))
    s = Scan(ctx, keyring_value, keyring_reader is not None, recorded or StoreRecord(stores.FILE))
    s.warnings.extend(pre_warnings)

    env_key = ctx.env.get(KEY_VAR)
    env_ref = None
    if env_key:
        env_ref = s.add(Source(ENV_REF, "env", key=KeyInfo.of(env_key), exported=True), Val(env_key))
    s.inherited = env_ref
    if keyring_value:
        s.add(Source(KEYRING_REF, "keyring", key=KeyInfo.of(keyring_value)), Val(keyring_value))
    key_file_sources(s)
    s.universal = fish_universal(s)
    registry_ref = _registry_sources(s, registry_reader) if registry_reader is not None else None
    if registry_reader is not None and ctx.os_name == "windows":
        s.inherited = registry_ref

    winners: dict[str, Winner] = {}
    for sc in SCENARIOS:
        winners[sc.name] = _simulate(s, sc)
    if registry_reader is not None:
        src = s.sources.get(registry_ref or "")
        winners["windows"] = Winner(
            "windows",
            source=src.ref if src else None,
            key=src.key if src else None,
            dynamic=False,
            exported=src is not None,
            certain=True,
            files=(),
            installed=ctx.os_name == "windows",
        )
    winners["sdk"] = _sdk_winner(s)
    for path, family in _startup_files(s.ctx):
        analyze(s, path, _FAMILIES[family][0])
    dotenv_source(s)

    sources = tuple(
        replace(
            src, read_by=tuple(n for n in (sc.name for sc in SCENARIOS) if n in s.executed.get(ref, set()))
        )
        for ref, src in s.sources.items()
    )
    found, problems = verdict.assess(
        verdict.Inputs(
            {src.ref: src for src in sources},
            winners,
            s.inherited,
            env_ref,
            s.recorded,
            current_shell,
            env_loads,
            invocation.words(s.ctx),
        )
    )
    return StatusReport(
        sources=sources,
        winners=winners,
        conflicts=_conflicts(sources),
        warnings=tuple(problems) + tuple(s.warnings) + _overall_warnings(sources, winners, found),
        env={k: ctx.env[k] for k in BASE_URL_VARS if ctx.env.get(k)},
        key_file=str(default_key_file(ctx)),
        verdict=found,
    )


def inline_key(ctx: Context) -> str | None:
    """The key an inline setup wrote into our blocks, read back as status reads them: the literal
    value assigned in our blocks of every startup file. None when no block holds one, or when
    they hold different keys (a block edited by hand, another setup's leftover): then no one key
    is the configured one."""
    s = Scan(ctx, None, False, StoreRecord(stores.INLINE))
    for path, family in _startup_files(ctx):
        analyze(s, path, _FAMILIES[family][0])
    found = {
        s.values[ref].value
        for ref, src in s.sources.items()
        if src.kind == "block" and src.store == stores.INLINE and not s.values[ref].dynamic
    }
    found.discard(None)
    return found.pop() if len(found) == 1 else None


def _registry_sources(s: Scan, reader: RegistryReader) -> str | None:
    """The Windows user and machine environment; returns the ref of the value a new process gets
    (the user's over the machine's). Explorer starts every new window from these, so on Windows
    they, not this process's environment, are what a new terminal starts with."""
    found: dict[str, str] = {}
    for scope in ("user", "machine"):
        try:
            value = reader(scope)
        except Exception as exc:  # the registry is read best-effort, like the keyring
            s.warnings.append(
                Msg("status.warn.registry_error", {"scope": scope, "error": type(exc).__name__})
            )
            continue
        if value:
            src = Source(f"registry:{scope}", "registry", key=KeyInfo.of(value), scope=scope)
            found[scope] = s.add(src, Val(value))
    return found.get("user") or found.get("machine")


def _sdk_winner(s: Scan) -> Winner:
    """A program started now from this environment, in the official SDK's order: the environment
    variable first, then the key file."""
    for ref in [ENV_REF, f"key-file:{default_key_file(s.ctx)}"]:
        src = s.sources.get(ref)
        if src is not None and src.key is not None:
            return Winner("sdk", ref, src.key, False, True, True, (), True)
    return Winner("sdk", None, None, False, False, True, (), True)


def _conflicts(sources: tuple[Source, ...]) -> tuple[Conflict, ...]:
    groups: dict[str, list[Source]] = {}
    for src in sources:
        if src.key is not None and src.kind not in ("literal", "disabled") and src.scope != "shadowed":
            groups.setdefault(src.key.fingerprint, []).append(src)
    if len(groups) < 2:
        return ()
    return tuple(Conflict(g[0].key, tuple(x.ref for x in g)) for g in groups.values() if g[0].key)


def _overall_warnings(
    sources: tuple[Source, ...], winners: dict[str, Winner], found: Verdict
) -> tuple[Msg, ...]:
    out: list[Msg] = []
    prints = {w.key.fingerprint for n, w in winners.items() if w.key and w.installed and n != "sdk"}
    if len(prints) > 1:
        out.append(Msg("status.warn.winners_differ", {"count": len(prints)}))
    env = next((s for s in sources if s.ref == ENV_REF), None)
    if found.this_terminal == "only" and env is not None and env.key is not None:
        out.append(Msg("status.warn.env_only", {"mask": env.key.mask}))
    unexported: dict[str, list[str]] = {}
    for w in winners.values():
        if w.source and w.installed and not w.exported:
            unexported.setdefault(w.source, []).append(w.scenario)
    for ref, names in unexported.items():
        out.append(Msg("status.warn.not_exported", {"scenarios": names, "source": ref}))
    for src in sources:
        if src.kind in ("assignment", "block", "unset") and not src.read_by and src.path:
            out.append(Msg("status.warn.not_read", {"path": src.path, "line": src.line}))
    if not any(
        s.key is not None or s.dynamic for s in sources if s.kind not in ("unset", "literal", "disabled")
    ):
        out.append(Msg("status.none", {}))
    return tuple(out)
