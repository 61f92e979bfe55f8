"""`status --check`: does this machine comply? The deviations from the team file (region or
gateway, workspace, the stores it allows, shells) and from a sound setup (a key, one key, this
terminal's key the same, our blocks as written, a working key with `--live`), each with a stable
id and the command that fixes it.

It judges what `status` already found (`scan` and its verdict, the saved configuration, the live
check); it reads nothing of its own, so `status` and `status --check` cannot disagree. One exit
code, 10, means "does not comply", whatever the deviations: a fleet tool reads the list for the rest.
"""

from __future__ import annotations

from collections.abc import Iterator

from wizard import regions, stores
from wizard.commands.live import Progress, key_report, key_verified, live_check
from wizard.commands.test import configured_key
from wizard.context import Context
from wizard.errors import ExitCode, SetupError
from wizard.options import Options
from wizard.report import Msg, Report
from wizard.scan import StatusReport
from wizard.scan.verdict import OPENED
from wizard.shells import SCENARIOS, SHELLS
from wizard.shells import detect as platform
from wizard.team import Compliance, Deviation, Team

# The kinds of source a person wrote by hand into a startup file, key and all.
_HAND_MADE = ("assignment",)
_BY_HAND_WARNINGS = ("status.warn.edited_block", "status.warn.damaged_block")


def check(ctx: Context, opts: Options, report: Report, progress: Progress | None = None) -> None:
    """Judge the `status` report (with `--live`, check the key too), set `report.compliance` and,
    when the machine does not comply, exit 10."""
    fix = _Fixes(ctx, opts, report.current_shell)
    st: StatusReport = report.status
    found: list[Deviation] = []
    if not st.verdict.configured:
        found.append(Deviation("no-key", Msg("team.dev.no_key"), fix("setup")))
    else:
        if opts.team is not None:
            found += _endpoint(opts.team, report, fix)
            found += _store(opts.team, report, fix)
            found += _shells(ctx, opts.team, st, fix)
        found += _keys(st, fix)
    found += [Deviation("edited-block", w) for w in st.warnings if w.id in _BY_HAND_WARNINGS]
    if opts.live and st.verdict.configured:
        found += _live(ctx, opts, report, progress, fix)
    report.compliance = Compliance(opts.team.path if opts.team else None, tuple(found))
    report.exit_code = ExitCode.NOT_COMPLIANT if found else ExitCode.OK


class _Fixes:
    """Commands that run this tool the way it was started, with the team file when --config named
    it (the variable is still set where it was set)."""

    def __init__(self, ctx: Context, opts: Options, shell: str | None) -> None:
        self.ctx, self.shell = ctx, shell
        team = opts.team
        self.extra = ("--config", team.path) if team is not None and team.from_flag else ()

    def __call__(self, *args: str) -> str:
        return platform.command(self.ctx, *args, *self.extra, shell=self.shell)


def _endpoint(team: Team, report: Report, fix: _Fixes) -> Iterator[Deviation]:
    """The saved region, gateway and workspace against the team's."""
    actual = report.base_url
    expected = team.base_url or team.region
    if actual is None and expected is not None:
        yield Deviation("region", Msg("team.dev.region_unrecorded", {"expected": expected}), fix("setup"))
        return
    if team.base_url is not None and (actual or "").rstrip("/") != team.base_url.rstrip("/"):
        params = {"actual": actual, "expected": team.base_url}
        yield Deviation("base-url", Msg("team.dev.base_url", params), fix("setup"))
    if team.region is not None and report.region != team.region:
        shown = report.region if report.region in regions.REGIONS else actual
        params = {"actual": shown, "expected": team.region}
        yield Deviation("region", Msg("team.dev.region", params), fix("setup"))
    if team.workspace is not None:
        owner = regions.workspace_of(actual or "")
        if owner is None:
            yield Deviation(
                "workspace", Msg("team.dev.no_workspace", {"expected": team.workspace}), fix("setup")
            )
        elif owner[0].lower() != team.workspace.lower():
            params = {"actual": owner[0], "expected": team.workspace}
            yield Deviation("workspace", Msg("team.dev.workspace", params), fix("setup"))


def _store(team: Team, report: Report, fix: _Fixes) -> Iterator[Deviation]:
    """The store the key was saved into, and keys written by hand in plain text, against the
    stores the team allows."""
    allowed = team.stores
    if not allowed:
        return
    shown = ", ".join(allowed)
    if report.store is None:
        msg = Msg("team.dev.store_unmanaged", {"allowed": shown})
        yield Deviation("store", msg, fix("setup", "--store", allowed[0]))
    elif report.store not in allowed:
        msg = Msg("team.dev.store", {"store": report.store, "allowed": shown})
        yield Deviation("store", msg, fix("setup", "--store", allowed[0]))
    if stores.INLINE in allowed:
        return  # a key in a startup file is what the team chose
    st: StatusReport = report.status
    for src in st.sources:
        if src.kind in _HAND_MADE and src.key is not None and src.path is not None:
            params = {"path": src.path, "line": src.line, "mask": src.key.mask, "allowed": shown}
            yield Deviation(
                "plaintext-key", Msg("team.dev.plaintext", params), fix("setup", "--disable-foreign")
            )


def _shells(ctx: Context, team: Team, st: StatusReport, fix: _Fixes) -> Iterator[Deviation]:
    """Each shell the team sets up, installed here, whose new terminals miss the main key."""
    reach = set(st.verdict.reach)
    words = [w for name in team.shells for w in ("--shell", name)]
    for name in team.shells:
        opened = [
            sc.name
            for sc in SCENARIOS
            if sc.shell == name and sc.name in OPENED and st.winners[sc.name].installed
        ]
        if opened and not all(n in reach for n in opened):
            params = {"shell": SHELLS[name].display, "shells": ", ".join(team.shells)}
            yield Deviation("shell", Msg("team.dev.shell", params), fix("setup", *words))


def _keys(st: StatusReport, fix: _Fixes) -> Iterator[Deviation]:
    """More than one key in the places new shells and programs read; this terminal's key not the
    one they get (the verdict's own message and fix)."""
    places = {
        c.key.fingerprint: c
        for c in st.conflicts
        if any((src := st.source(ref)) is not None and src.kind != "env" for ref in c.sources)
    }
    if len(places) > 1:
        masks = ", ".join(c.key.mask for c in places.values())
        hand_made = any(
            (src := st.source(ref)) is not None and src.kind in _HAND_MADE
            for c in places.values()
            for ref in c.sources
        )
        msg = Msg("team.dev.conflict", {"count": len(places), "masks": masks})
        yield Deviation("conflicting-keys", msg, fix("setup", "--disable-foreign") if hand_made else None)
    if st.verdict.this_terminal == "different":
        for w in st.warnings:
            if w.id.startswith("status.warn.terminal_old_key"):
                yield Deviation("terminal-key", w, w.params.get("command"))


def _live(
    ctx: Context, opts: Options, report: Report, progress: Progress | None, fix: _Fixes
) -> Iterator[Deviation]:
    """The live check of the key `test` would use. A key no program can read back (one only a
    startup file sets by hand) is a deviation too: `env`, `run` and `test` cannot use it."""
    try:
        key, source, path, store = configured_key(ctx)
    except SetupError as exc:
        yield Deviation("live-check", Msg(exc.msg_id, exc.params), fix("setup"))
        return
    key_report(report, key, source, path=path, store=store)
    result = live_check(ctx, key, None, opts.model, progress)
    report.check, report.key_verified = result, key_verified(result)
    if not result.ok:
        rejected = result.exit_code == ExitCode.KEY_REJECTED
        yield Deviation(
            "live-check",
            Msg(result.msg_id or "team.dev.live", result.params),
            fix("setup") if rejected else None,
        )
