"""`snippet`: the lines for a shell and scope, printed for the user to place; reads no key, writes nothing."""

from __future__ import annotations

from wizard import block, regions, stores
from wizard import messages as i18n
from wizard.context import Context
from wizard.options import Options
from wizard.report import Report
from wizard.shells import SHELLS
from wizard.shells import detect as platform

PLACEHOLDER = "sk-your-api-key"


def snippet(ctx: Context, opts: Options) -> Report:
    """Print the lines for a shell and scope; read no key, write nothing."""
    store_kind = opts.store or stores.FILE
    report = Report("snippet", scope=opts.scope, store=store_kind)
    detected = platform.detect(ctx)
    names = [n for n in opts.shells if n != "auto"] or [detected.shell.name]
    endpoint = regions.requested(ctx.env, opts.region, opts.base_url)[0] or regions.endpoint_for(
        regions.DEFAULT_REGION, ctx.env
    )
    report.region, report.base_url = endpoint.region, endpoint.compatible_url
    extra = endpoint.sdk_env()
    store = stores.create(ctx, store_kind)
    out: list[str] = []
    for name in names:
        shell = SHELLS[name]
        if len(names) > 1:
            out.append(f"# {shell.display}")
        if opts.scope == "session":
            out.extend(store.session_lines(shell, [], extra, placeholder=PLACEHOLDER))
        elif not shell.has_startup_file:
            # CMD has no startup file: the guide's setx line, offered as text with its caveats.
            from wizard.stores.userenv import manual_lines

            lines = manual_lines(PLACEHOLDER)
            lang = i18n.detect_lang(opts.lang, ctx.env, ctx.ui_language())
            out.extend(f"rem {i18n.t(lang, m.id, **m.params)}" for m in lines.notes)
            out.extend(line for line in (lines.setx, lines.cmd_session) if line)
        else:
            body = store.block_body(shell, extra, PLACEHOLDER)
            for target in shell.targets(ctx):
                out.append(f"# -> {target.path}")
            out.append(block.make_block(body, "\n").rstrip("\n"))
    report.shells = names
    report.snippet = "\n".join(out)
    return report
