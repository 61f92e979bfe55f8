"""Report -> human text (zh/en) or one JSON object. The only place that formats output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wizard.errors import ExitCode
from wizard.messages import catalogue, t
from wizard.report import Report
from wizard.stores import Change
from wizard.ui.render_base import FACT, FAIL, OK, PROG, WARN, region_label
from wizard.ui.render_base import message as _msg
from wizard.ui.render_base import short as _short
from wizard.ui.render_status import (
    _consumer_json,
    compliance_json,
    compliance_text,
    status_msg,
    status_text,
)
from wizard.ui.wrap import wrap

SCHEMA_VERSION = 1


def change_line(lang: str, c: Change, home: Path | None, width: int = 0) -> str:
    suffix = f" [{c.shell}]" if c.shell else ""
    sentence = f"change.{c.action}.{c.what}"
    if sentence in catalogue():  # says whether the whole file went or only our block
        return t(lang, sentence, path=_short(c.path, home)) + suffix
    action = t(lang, f"action.{c.action}").ljust(width)
    return f"{action}  {_short(c.path, home)} ({t(lang, f'what.{c.what}')}){suffix}"


def _key_line(lang: str, report: Report, home: Path | None) -> str:
    """✓ only when the service took the key as genuine, ✗ when it rejected it."""
    value = t(lang, "label.key_value", mask=report.key_mask, length=report.key_length)
    source = ""
    if report.key_source:
        path = _short(report.key_from_path or "", home)
        where = path or t(lang, f"label.store_{report.key_from_store}")
        source = t(lang, f"source.{report.key_source}", path=path, where=where)
    rejected = getattr(report.check, "exit_code", None) == ExitCode.KEY_REJECTED
    mark = OK if report.key_verified else FAIL if rejected else FACT
    text = f"{mark} {t(lang, 'label.key')}: {value} {source}".rstrip()
    if mark == FACT and report.check is None:
        text += f" ({t(lang, 'label.not_checked')})"
    return text


def _region_line(lang: str, report: Report) -> str:
    """✓ only when the key was seen to work there; an assumed region is a warning."""
    text = f"{t(lang, 'label.region')}: {region_label(lang, report.region)} — {report.base_url}"
    if report.region_verified:
        return f"{OK} {text}"
    if report.region_source == "assumed":
        return f"{WARN} {text} ({t(lang, 'label.assumed')})"
    return f"{FACT} {text} ({t(lang, 'label.not_checked')})"


def human(
    report: Report,
    lang: str,
    home: Path | None = None,
    prog: str = PROG,
    wrap_at: int = 0,
    *,
    verbose: bool = False,
) -> str:
    """`prog`: the command that starts this tool again, filled into every message that says
    what to run. `wrap_at`: the terminal's columns to wrap the sentences to (ui/wrap.py); code and
    commands are never wrapped. `verbose`: a setup's every detail above its short end screen."""
    out: list[str] = []
    if report.error is not None and report.usage is not None:
        # argparse's frame, translated like the rest: "usage: …" then "prog: error: …"
        usage, prog = report.usage
        return usage + t(lang, "usage.ap.error") % {"prog": prog, "message": _msg(lang, report.error)}
    if report.error is not None:
        if report.key_mask:
            out.append(_key_line(lang, report, home))
        check = report.check
        request_id = getattr(check, "request_id", None)
        text = _msg(lang, report.error, prog)
        if request_id:
            text += "\n  " + t(lang, "check.request_id", request_id=request_id)
        out.append(f"{FAIL} {text}")
        if report.changes:  # stopped after writing: say exactly what was written
            out.append(t(lang, "label.changes") + ":")
            out.extend("  " + change_line(lang, c, home) for c in report.changes)
        out.extend(f"{WARN} {t(lang, 'label.warning')}: {_msg(lang, w, prog)}" for w in report.warnings)
        return wrap("\n".join(out), wrap_at, (prog,)) + "\n"
    if report.snippet is not None:
        return report.snippet + "\n"
    if report.compliance is not None:
        return compliance_text(lang, report, report.compliance, home, prog) + "\n"
    if report.command == "setup" and not report.dry_run:
        from wizard.ui.end_screen import end_screen

        details = _details(lang, report, home, prog) if verbose else []
        lines = [*details, *end_screen(lang, report, home, prog, verbose=verbose)]
        return wrap("\n".join(lines), wrap_at, (prog,)) + "\n"
    if report.status is not None:
        out.append(status_text(lang, report, home, prog))
    out.extend(_details(lang, report, home, prog))
    for w in report.warnings:
        out.append(f"{WARN} {t(lang, 'label.warning')}: {_msg(lang, w, prog)}")
    if report.outcome is not None:
        out.append(_msg(lang, report.outcome, prog))
    elif report.command == "remove" and not report.dry_run:
        out.append(t(lang, "label.removed_done"))
    if report.session_lines and not report.dry_run:
        if report.command == "remove":
            out.append(t(lang, "next.unset_open"))
        out.extend(f"    {line}" for line in report.session_lines)
    if not report.dry_run:
        out.extend(_msg(lang, m, prog) for m in report.next_steps)
    return wrap("\n".join(out), wrap_at, (prog,)) + "\n"


def _details(lang: str, report: Report, home: Path | None, prog: str) -> list[str]:
    """The key and where it came from, the region and its base URL, the live check, the store, the
    shells and each file changed: a dry run's whole answer, and what `-v` adds to a setup."""
    out: list[str] = []
    if report.key_mask:
        out.append(_key_line(lang, report, home))
        out.extend(f"  {_msg(lang, n, prog)}" for n in report.key_notes)
    if report.region and report.status is None and report.command not in ("snippet", "samples"):
        out.append(_region_line(lang, report))  # status says it itself; the samples' code shows it
    checked = check_line(lang, report)
    if checked:
        out.append(checked)
    if report.command == "setup" and report.scope == "persistent":
        # The file store shows its path; the others have a label of their own. A dry run wrote nothing.
        mark, store, shells = (
            (FACT, "label.would_store", "label.would_shells")
            if report.dry_run
            else (OK, "label.store", "label.shells")
        )
        out.append(f"{mark} {t(lang, store)}: {store_where(lang, report, home)}")
        if report.shells:
            out.append(f"{mark} {t(lang, shells)}: {', '.join(report.shells)}")
    if report.changes and report.outcome is None:
        out.append(t(lang, "label.dry_run") if report.dry_run else t(lang, "label.changes") + ":")
        width = max(len(t(lang, f"action.{c.action}")) for c in report.changes)
        for c in report.changes:
            out.append("  " + change_line(lang, c, home, width))
            if report.dry_run and c.diff:
                out.extend("    " + line for line in c.diff.rstrip("\n").splitlines())
    return out


def check_line(lang: str, report: Report) -> str | None:
    check = report.check
    if check is not None and getattr(check, "ok", False):
        return f"{OK} {t(lang, 'label.check')}: {t(lang, 'check.ok', **check.params)}"
    if check is not None and getattr(check, "msg_id", None):
        return f"{FAIL} {t(lang, 'label.check')}: {t(lang, check.msg_id, **check.params)}"
    return None


def store_where(lang: str, report: Report, home: Path | None) -> str:
    return _short(report.key_file, home) if report.key_file else t(lang, f"label.store_{report.store}")


def to_json(report: Report, lang: str, prog: str = PROG) -> dict[str, Any]:
    """The one JSON object. Additive only: a field once published keeps its name and shape, so
    SCHEMA_VERSION changes only if one ever has to go. Every warning and next step has a stable `id`
    beside its sentence (`next_steps` itself stays a list of sentences; `next_step_items` pairs them)."""
    check = report.check.to_json() if report.check is not None and hasattr(report.check, "to_json") else None
    warnings = [{"id": w.id, "message": _msg(lang, w, prog)} for w in report.warnings]
    status = None
    if report.status is not None:
        status = report.status.to_json(lambda m: status_msg(lang, report, m, prog=prog))
        warnings += [{"id": w["id"], "message": w["message"]} for w in status["warnings"]]
    return {
        "schema_version": SCHEMA_VERSION,
        "command": report.command or None,  # None: a usage error before any command was known
        "exit_code": report.exit_code,
        "ok": report.exit_code == 0,
        "error": (
            {"id": report.error.id, "message": _msg(lang, report.error, prog)}
            if report.error is not None
            else None
        ),
        "dry_run": report.dry_run,
        "key": (
            {
                "mask": report.key_mask,
                "length": report.key_length,
                "kind": report.key_kind,
                "source": report.key_source,
                "source_path": report.key_from_path,
                "source_store": report.key_from_store,
                "verified": report.key_verified,
                "notes": [{"id": n.id, "message": _msg(lang, n)} for n in report.key_notes],
            }
            if report.key_mask
            else None
        ),
        "region": report.region,
        "region_source": report.region_source,
        "region_verified": report.region_verified,
        "base_url": report.base_url,
        "store": {"kind": report.store, "path": report.key_file} if report.store else None,
        "scope": report.scope,
        "os": {"name": report.os_name, "wsl": report.wsl} if report.os_name else None,
        "current_shell": report.current_shell,
        "shells": report.shells,
        "changes": [c.to_json() for c in report.changes],
        "changed": report.changed,
        "session": {"shell": report.current_shell, "lines": report.session_lines, "use_now": report.use_now},
        "warnings": warnings,
        "next_steps": [_msg(lang, m, prog) for m in report.next_steps],
        "next_step_items": [{"id": m.id, "message": _msg(lang, m, prog)} for m in report.next_steps],
        "outcome": (
            {"id": report.outcome.id, "message": _msg(lang, report.outcome, prog)}
            if report.outcome is not None
            else None
        ),
        "snippet": report.snippet,
        "check": check,
        **({"status": status} if status is not None else {}),
        **(
            {"consumers": [_consumer_json(lang, report, v, prog) for v in report.consumers]}
            if report.consumers
            else {}
        ),
        **(
            {"compliance": compliance_json(lang, report, report.compliance, prog)}
            if report.compliance is not None
            else {}
        ),
        "history": report.history,
        "foreign": report.foreign,
        "samples": _samples_json(report),
    }


def _samples_json(report: Report) -> dict[str, Any] | None:
    """The code `samples` prints, for the endpoint the report ends on (the curl line in the syntax
    of the current shell; null where that shell cannot carry the URL safely)."""
    if report.samples_for is None:
        return None
    from wizard.commands.samples import render_samples
    from wizard.shells import SHELLS

    base_url, model = report.samples_for
    family = SHELLS[report.current_shell].family if report.current_shell in SHELLS else "posix"
    code = render_samples(base_url, model, shell=family)
    return {"base_url": base_url, "model": model, "python": code.python, "node": code.node, "curl": code.curl}
