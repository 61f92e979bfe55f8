"""Report -> human text (zh/en) or one JSON object. The only place that formats output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wizard import regions
from wizard.i18n import t
from wizard.report import Msg, Report

SCHEMA_VERSION = 1
OK, FAIL, WARN = "✓", "✗", "!"


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


def human(report: Report, lang: str, home: Path | None = None) -> str:
    out: list[str] = []
    if report.error is not None:
        out.append(f"{FAIL} {t(lang, 'label.error')}: {_msg(lang, report.error)}")
        return "\n".join(out) + "\n"
    if report.snippet is not None:
        return report.snippet + "\n"
    if report.key_mask:
        value = t(lang, "label.key_value", mask=report.key_mask, length=report.key_length)
        source = t(lang, f"source.{report.key_source}") if report.key_source else ""
        out.append(f"{OK} {t(lang, 'label.key')}: {value} {source}".rstrip())
        out.extend(f"  {t(lang, n)}" for n in report.key_notes)
    if report.region:
        out.append(f"{OK} {t(lang, 'label.region')}: {region_label(lang, report.region)} — {report.base_url}")
    if report.command == "setup" and report.scope == "persistent":
        where = _short(report.key_file, home) if report.key_file else t(lang, "label.store_inline")
        out.append(f"{OK} {t(lang, 'label.store')}: {where}")
        if report.shells:
            out.append(f"{OK} {t(lang, 'label.shells')}: {', '.join(report.shells)}")
    if report.changes:
        out.append(t(lang, "label.dry_run") if report.dry_run else t(lang, "label.changes") + ":")
        width = max(len(t(lang, f"action.{c.action}")) for c in report.changes)
        for c in report.changes:
            suffix = f" [{c.shell}]" if c.shell else ""
            out.append(
                f"  {t(lang, f'action.{c.action}').ljust(width)}  {_short(c.path, home)}"
                f" ({t(lang, f'what.{c.what}')}){suffix}"
            )
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
    if report.samples and not report.dry_run:
        out.append(report.samples)
    return "\n".join(out) + "\n"


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
                "notes": [{"id": n, "message": t(lang, n)} for n in report.key_notes],
            }
            if report.key_mask
            else None
        ),
        "region": report.region,
        "region_source": report.region_source,
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
    }
