"""`snippet`: the lines for a shell and scope, printed for the user to place; reads no key, writes nothing."""

from __future__ import annotations

from wizard import block, regions, stores
from wizard import messages as i18n
from wizard.context import Context
from wizard.edits import manifest
from wizard.options import Options
from wizard.report import Report
from wizard.shells import KEY_VAR, SHELLS
from wizard.shells import detect as platform

PLACEHOLDER = "sk-your-api-key"


def snippet(ctx: Context, opts: Options) -> Report:
    """Print the lines for a shell and scope; read no key, write nothing. Without --region,
    --base-url or --store, the saved configuration decides, as it does for `env` and `run`; with
    nothing saved, the team file's settings (what `setup` would write), then the defaults."""
    config = manifest.configuration(ctx)
    team = opts.team
    store = _store(ctx, opts, config)
    report = Report("snippet", scope=opts.scope, store=store.kind)
    detected = platform.detect(ctx)
    team_shells = list(team.shells) if team is not None else []
    names = [n for n in opts.shells if n != "auto"] or team_shells or [detected.shell.name]
    endpoint = (
        regions.requested(ctx.env, opts.region, opts.base_url, opts.workspace)[0]
        or config.endpoint
        or (team and regions.requested(ctx.env, team.region or "auto", team.base_url, team.workspace)[0])
        or regions.endpoint_for(regions.DEFAULT_REGION, ctx.env)
    )
    report.region, report.base_url = endpoint.region, endpoint.compatible_url
    extra = endpoint.sdk_env()
    out: list[str] = []
    for name in names:
        shell = SHELLS[name]
        if len(names) > 1:
            out.append(f"# {shell.display}")
        if opts.scope == "session":
            out.extend(store.session_lines(shell, [], extra, placeholder=PLACEHOLDER))
        elif not shell.has_startup_file:
            out.extend(_manual_lines(ctx, opts, extra))
        else:
            body = store.block_body(shell, extra, PLACEHOLDER)
            for target in shell.targets(ctx):
                out.append(f"# -> {target.path}")
            out.append(block.make_block(body, "\n").rstrip("\n"))
    report.shells = names
    report.snippet = "\n".join(out)
    return report


def _store(ctx: Context, opts: Options, config: manifest.Configuration) -> stores.Store:
    """--store, else the store the last setup saved into when a shell block can load from it (the
    Windows user environment needs no block), else the team's first allowed store that a block
    loads from, else the key file."""
    if opts.store:
        return stores.create(ctx, opts.store)
    if not config.recorded and opts.team is not None:
        allowed = [s for s in opts.team.stores if s in (stores.FILE, stores.KEYRING, stores.INLINE)]
        if allowed:
            return stores.create(ctx, allowed[0])
    saved = stores.create(ctx, config.store.kind, record=config.store)
    return saved if saved.writes_blocks else stores.create(ctx, stores.FILE)


def _manual_lines(ctx: Context, opts: Options, extra: dict[str, str]) -> list[str]:
    """CMD has no startup file: the guide's setx lines (the key, then the base-URL variables),
    offered as text with their caveats."""
    from wizard.stores.userenv import manual_lines

    lang = i18n.detect_lang(opts.lang, ctx.env, ctx.ui_language())
    notes: list[str] = []
    setx: list[str] = []
    session: list[str] = []
    for name, value in {KEY_VAR: PLACEHOLDER, **extra}.items():
        lines = manual_lines(value, name)
        for m in lines.notes:
            note = f"rem {i18n.t(lang, m.id, **m.params)}"
            if note not in notes:
                notes.append(note)
        setx += [lines.setx] if lines.setx else []
        session += [lines.cmd_session] if lines.cmd_session else []
    return notes + setx + session
