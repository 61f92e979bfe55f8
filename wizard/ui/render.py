"""Report -> human text (zh/en) or one JSON object. The only place that formats output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wizard import regions
from wizard.errors import ExitCode
from wizard.messages import t
from wizard.report import Msg, Report
from wizard.stores import Change

SCHEMA_VERSION = 1
OK, FAIL, WARN = "✓", "✗", "!"
FACT = "•"  # a plain statement: nothing was verified about it


def _short(path: str, home: Path | None) -> str:
    if home is not None:
        try:
            return "~/" + Path(path).relative_to(home).as_posix()
        except ValueError:
            pass
    return path


def _msg(lang: str, m: Msg) -> str:
    return t(lang, m.id, **m.params)


def region_label(lang: str, region: str | None) -> str:
    if region in regions.REGIONS:
        return regions.REGIONS[region].name(lang)
    return t(lang, "region.custom")


def change_line(lang: str, c: Change, home: Path | None, width: int = 0) -> str:
    suffix = f" [{c.shell}]" if c.shell else ""
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


def human(report: Report, lang: str, home: Path | None = None) -> str:
    out: list[str] = []
    if report.error is not None:
        if report.key_mask:
            out.append(_key_line(lang, report, home))
        check = report.check
        request_id = getattr(check, "request_id", None)
        text = _msg(lang, report.error)
        if request_id:
            text += "\n  " + t(lang, "check.request_id", request_id=request_id)
        out.append(f"{FAIL} {text}")
        if report.changes:  # stopped after writing: say exactly what was written
            out.append(t(lang, "label.changes") + ":")
            out.extend("  " + change_line(lang, c, home) for c in report.changes)
        out.extend(f"{WARN} {t(lang, 'label.warning')}: {_msg(lang, w)}" for w in report.warnings)
        return "\n".join(out) + "\n"
    if report.snippet is not None:
        return report.snippet + "\n"
    if report.status is not None:
        out.append(status_text(lang, report, home))
    if report.key_mask:
        out.append(_key_line(lang, report, home))
        out.extend(f"  {_msg(lang, n)}" for n in report.key_notes)
    if report.region and report.command != "snippet":
        out.append(_region_line(lang, report))
    check = report.check
    if check is not None and getattr(check, "ok", False):
        out.append(f"{OK} {t(lang, 'label.check')}: {t(lang, 'check.ok', **check.params)}")
    elif check is not None and getattr(check, "msg_id", None):
        out.append(f"{FAIL} {t(lang, 'label.check')}: {t(lang, check.msg_id, **check.params)}")
    if report.command == "setup" and report.scope == "persistent":
        # The file store shows its path; the others have a label of their own. A dry run wrote nothing.
        where = _short(report.key_file, home) if report.key_file else t(lang, f"label.store_{report.store}")
        mark, store, shells = (
            (FACT, "label.would_store", "label.would_shells")
            if report.dry_run
            else (OK, "label.store", "label.shells")
        )
        out.append(f"{mark} {t(lang, store)}: {where}")
        if report.shells:
            out.append(f"{mark} {t(lang, shells)}: {', '.join(report.shells)}")
    if report.changes:
        out.append(t(lang, "label.dry_run") if report.dry_run else t(lang, "label.changes") + ":")
        width = max(len(t(lang, f"action.{c.action}")) for c in report.changes)
        for c in report.changes:
            out.append("  " + change_line(lang, c, home, width))
            if report.dry_run and c.diff:
                out.extend("    " + line for line in c.diff.rstrip("\n").splitlines())
    for w in report.warnings:
        out.append(f"{WARN} {t(lang, 'label.warning')}: {_msg(lang, w)}")
    if report.command == "setup" and not report.dry_run:
        out.append(t(lang, "label.done"))
    elif report.command == "remove" and not report.dry_run:
        out.append(t(lang, "label.removed_done"))
    if report.session_lines and not report.dry_run:
        if report.scope == "persistent":
            out.append(t(lang, "next.this_terminal"))
        out.extend(f"    {line}" for line in report.session_lines)
    if not report.dry_run:
        out.extend(_msg(lang, m) for m in report.next_steps)
    if report.samples_for and not report.dry_run:
        out.append(samples_text(lang, *report.samples_for, shell=report.current_shell))
    return "\n".join(out) + "\n"


def samples_text(lang: str, base_url: str, model: str, shell: str | None = None) -> str:
    from wizard.shells import SHELLS
    from wizard.ui import samples

    family = SHELLS[shell].family if shell in SHELLS else "posix"
    s = samples.render_samples(base_url, model, shell=family)
    parts = [
        "",
        t(lang, "label.samples"),
        "",
        "# Python — pip install openai",
        s.python.rstrip("\n"),
        "",
        "// Node.js — npm install openai  (hello.mjs)",
        s.node.rstrip("\n"),
        "",
        "# curl",
        s.curl.rstrip("\n") if s.curl is not None else t(lang, "label.curl_sample_unsafe"),
    ]
    return "\n".join(parts)


def to_json(report: Report, lang: str) -> dict[str, Any]:
    check = report.check.to_json() if report.check is not None and hasattr(report.check, "to_json") else None
    return {
        "schema_version": SCHEMA_VERSION,
        "command": report.command,
        "exit_code": report.exit_code,
        "ok": report.exit_code == 0,
        "error": (
            {"id": report.error.id, "message": _msg(lang, report.error)} if report.error is not None else None
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
        "session": {"shell": report.current_shell, "lines": report.session_lines},
        "warnings": [{"id": w.id, "message": _msg(lang, w)} for w in report.warnings],
        "next_steps": [_msg(lang, m) for m in report.next_steps],
        "snippet": report.snippet,
        "check": check,
        **({"status": report.status.to_json()} if report.status is not None else {}),
        "history": report.history,
        "foreign": report.foreign,
    }


def _source_label(lang: str, src: Any, home: Path | None) -> str:
    params = {
        "path": _short(src.path or "", home),
        "line": src.line,
        "key_file": _short(src.key_file or "", home),
        "scope": src.scope or "",
    }
    label = t(lang, f"status.kind.{src.kind}", **params)
    if src.store:
        label += " — " + t(lang, f"status.store.{src.store}", **params)
    return label


def status_text(lang: str, report: Report, home: Path | None) -> str:
    """The status screen: sources, what each kind of new shell gets, conflicts, history."""
    st = report.status
    out = [t(lang, "status.title")]
    if not st.sources:
        out.append("  " + t(lang, "status.none"))
    for src in st.sources:
        key = f"{src.key.mask} ({src.key.length}, {src.key.fingerprint})  " if src.key else ""
        out.append(f"  • {key}{_source_label(lang, src, home)}")
        out.extend(f"      {WARN} {_msg(lang, w)}" for w in src.warnings)
    out.append(t(lang, "status.winners"))
    for name, win in st.winners.items():
        if not win.installed:
            continue
        scenario = t(lang, f"status.scenario.{name}")
        src = st.source(win.source) if win.source else None
        if src is None:
            out.append("  " + t(lang, "status.winner_none", scenario=scenario))
            continue
        label = _source_label(lang, src, home)
        if win.dynamic and win.key is None:
            out.append("  " + t(lang, "status.winner_dynamic", scenario=scenario, source=label))
        else:
            mask = win.key.mask if win.key else "?"
            out.append("  " + t(lang, "status.winner", scenario=scenario, mask=mask, source=label))
    if st.conflicts:
        out.append(f"{WARN} " + t(lang, "status.conflict", count=len(st.conflicts)))
        for c in st.conflicts:
            refs = ", ".join(_short(r, home) for r in c.sources)
            out.append(
                "    "
                + t(
                    lang, "status.conflict_item", mask=c.key.mask, fingerprint=c.key.fingerprint, sources=refs
                )
            )
        out.append("    " + t(lang, "status.fingerprint_note"))
    out.extend(f"{WARN} {_msg(lang, w)}" for w in st.warnings)
    if report.history:
        out.append(f"{WARN} " + t(lang, "history.found", count=len(report.history)))
        for f in report.history:
            out.append(
                "    "
                + t(
                    lang,
                    "history.item",
                    path=_short(f["path"], home),
                    lines=", ".join(str(n) for n in f["lines"]),
                    masks=", ".join(f["masks"]),
                )
            )
        if not any(c.what == "history" for c in report.changes):
            out.append("    " + t(lang, "history.hint_scrub"))
    else:
        out.append(f"{OK} " + t(lang, "history.none"))
    return "\n".join(out)
