"""From sources and winners to what a person needs: the key new terminals get, whether this
terminal has it, and each problem with the fix for it.

The main key is the one dashscope-setup saved when some kind of new shell gets it, else the one
most kinds of new shell get. A shell that gets no key is a problem only for the kinds a person
opens (a terminal, a login); a script's shell (`zsh -c`) inherits whatever the terminal it starts
in has, so it is reported only when a file hands it a different key.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from wizard.report import Msg
from wizard.scan.model import KEYRING_REF, Source, Verdict, Winner
from wizard.shells import SCENARIOS, SHELLS
from wizard.stores import StoreRecord

# Where a key lives, most telling first: the label of the main key names the first of these.
_HOMES = ("key-file", "keyring", "registry", "block", "assignment", "fish-universal", "dotenv")
_STORED = ("key-file", "keyring", "registry")
OPENED = frozenset(sc.name for sc in SCENARIOS if sc.interactive or sc.login) | {"windows"}
WINDOWS, SDK = "windows", "sdk"


@dataclass(frozen=True)
class Inputs:
    sources: dict[str, Source]
    winners: dict[str, Winner]
    inherited: str | None  # the source a new terminal starts with (Scan.inherited)
    env_ref: str | None  # this process's own key, when it has one
    recorded: StoreRecord
    current_shell: str | None  # for the command that loads the key into this terminal
    env_loads: str | None  # fingerprint of the key `dashscope-setup env` would load
    tool: tuple[str, ...] = ("dashscope-setup",)  # the words that start this tool (invocation.words)


def _ours(src: Source, recorded: StoreRecord) -> bool:
    """Written by dashscope-setup: our block, the key file or registry value it recorded, the
    keyring (read only when setup recorded it)."""
    if src.kind == "block" or src.ref == KEYRING_REF:
        return True
    if src.kind == "key-file":
        return recorded.key_file is not None and src.path == recorded.key_file
    return src.kind == "registry" and src.scope == "user" and bool(recorded.registry_values)


def _fp(w: Winner) -> str | None:
    return w.key.fingerprint if w.key else None


def assess(i: Inputs) -> tuple[Verdict, list[Msg]]:
    installed = {n: w for n, w in i.winners.items() if w.installed and w.source != i.env_ref}
    counts = Counter(fp for w in installed.values() if (fp := _fp(w)))
    ours = {s.key.fingerprint for s in i.sources.values() if s.key and _ours(s, i.recorded)}
    ranked = [fp for fp, _ in counts.most_common()]
    # No shell sets it, yet a program can read it: the SDK's key file, the keyring `env` reads.
    stored = [
        s.key.fingerprint for s in i.sources.values() if s.key and s.kind in _STORED and s.scope != "shadowed"
    ]
    ranked += [fp for fp in stored if fp not in ranked]
    main_fp = next((fp for fp in ranked if fp in ours), ranked[0] if ranked else None)
    main = _home(i.sources, main_fp, i.env_ref)
    env = i.sources.get(i.env_ref) if i.env_ref else None
    env_fp = env.key.fingerprint if env and env.key else None
    if main is None and any(w.source for w in installed.values()):
        this = "unknown"  # new shells compute a key at start-up: it cannot be compared
    elif main is None:
        this = "only" if env is not None else "none"
    elif env is None:
        this = "missing"
    else:
        this = "same" if env_fp == main_fp else "different"
    reach = tuple(n for n, w in i.winners.items() if w.installed and main_fp and _fp(w) == main_fp)
    configured = main is not None or any(w.source for w in installed.values())
    verdict = Verdict(main.ref if main else None, bool(main and main_fp in ours), this, reach, configured)
    return verdict, _terminal(i, verdict, main, env) + _gaps(i, main_fp)


def _home(sources: dict[str, Source], fp: str | None, env_ref: str | None) -> Source | None:
    if fp is None:
        return None
    same = [s for s in sources.values() if s.key and s.key.fingerprint == fp and s.ref != env_ref]
    same = [s for s in same if s.scope != "shadowed" and s.kind in _HOMES]
    return min(same, key=lambda s: _HOMES.index(s.kind), default=None)


def _terminal(i: Inputs, verdict: Verdict, main: Source | None, env: Source | None) -> list[Msg]:
    """This terminal against the main key, with the way to bring it up to date."""
    if verdict.this_terminal not in ("missing", "different") or main is None or main.key is None:
        return []
    command = None
    if i.env_loads == main.key.fingerprint and i.current_shell in SHELLS:
        command = SHELLS[i.current_shell].eval_env_line(i.tool)
    params = {"mask": main.key.mask}
    if env is not None and env.key is not None:
        params["old_mask"] = env.key.mask
    different = verdict.this_terminal == "different"
    name = "status.warn.terminal_old_key" if different else "status.note.terminal_missing"
    if command is None:
        return [Msg(name + "_reopen", params)]
    return [Msg(name, {**params, "command": command})]


def _gaps(i: Inputs, main_fp: str | None) -> list[Msg]:
    """Kinds of new shell that do not get the main key, grouped by what they get instead. With no
    main key, only those that compute one at start-up (the rest get nothing: `status.none` says so)."""
    groups: dict[tuple[str, str | None], list[str]] = {}
    for name, w in i.winners.items():
        if not w.installed or name == SDK or (main_fp is not None and _fp(w) == main_fp):
            continue
        if w.source is None or w.source == i.inherited == i.env_ref:
            if name in OPENED and w.source is None and main_fp is not None:
                groups.setdefault(("status.warn.not_set", None), []).append(name)
            continue  # a script's shell inherits the key of the terminal it starts in
        if w.key is None:
            groups.setdefault(("status.note.computed", w.source), []).append(name)
        else:
            groups.setdefault(("status.warn.other_key", w.source), []).append(name)
    out: list[Msg] = []
    for (msg_id, ref), names in groups.items():
        params: dict[str, object] = {"scenarios": names}
        if ref is not None:
            src = i.sources[ref]
            params["source"] = ref
            if src.key is not None:
                params["mask"] = src.key.mask
        out.append(Msg(msg_id, params))
    return out
