"""Report -> human text (zh/en) or one JSON object. The only place that formats output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wizard import regions
from wizard.errors import ExitCode
from wizard.messages import catalogue, t
from wizard.report import Msg, Report
from wizard.stores import Change

SCHEMA_VERSION = 1
OK, FAIL, WARN = "✓", "✗", "!"
PROG = "dashscope-setup"  # when the caller does not say how the tool was started
FACT = "•"  # a plain statement: nothing was verified about it


def short_path(path: str, home: Path | None) -> str:
    """A path under HOME as ~/…, as every report shows it."""
    return _short(path, home)


def _short(path: str, home: Path | None) -> str:
    if home is not None:
        try:
            return "~/" + Path(path).relative_to(home).as_posix()
        except ValueError:
            pass
    return path


def _msg(lang: str, m: Msg, prog: str = PROG) -> str:
    """A message with `{prog}` (the command that starts this tool, as it was started) filled in."""
    return t(lang, m.id, **{"prog": prog, **m.params})


def region_label(lang: str, region: str | None) -> str:
    if region in regions.REGIONS:
        return regions.REGIONS[region].name(lang)
    return t(lang, "region.custom")


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


def human(report: Report, lang: str, home: Path | None = None, prog: str = PROG) -> str:
    """`prog`: the command that starts this tool again, filled into every message that says
    what to run."""
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
        return "\n".join(out) + "\n"
    if report.snippet is not None:
        return report.snippet + "\n"
    if report.status is not None:
        out.append(status_text(lang, report, home, prog))
    if report.key_mask:
        out.append(_key_line(lang, report, home))
        out.extend(f"  {_msg(lang, n, prog)}" for n in report.key_notes)
    if report.region and report.command != "snippet" and report.status is None:  # status says it itself
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
    if report.changes and report.outcome is None:
        out.append(t(lang, "label.dry_run") if report.dry_run else t(lang, "label.changes") + ":")
        width = max(len(t(lang, f"action.{c.action}")) for c in report.changes)
        for c in report.changes:
            out.append("  " + change_line(lang, c, home, width))
            if report.dry_run and c.diff:
                out.extend("    " + line for line in c.diff.rstrip("\n").splitlines())
    for w in report.warnings:
        out.append(f"{WARN} {t(lang, 'label.warning')}: {_msg(lang, w, prog)}")
    if report.outcome is not None:
        out.append(_msg(lang, report.outcome, prog))
    elif report.command == "setup" and not report.dry_run:
        out.append(t(lang, "label.done"))
    elif report.command == "remove" and not report.dry_run:
        out.append(t(lang, "label.removed_done"))
    if report.session_lines and not report.dry_run:
        if report.scope == "persistent":
            out.append(t(lang, "next.this_terminal"))
        elif report.command == "remove":
            out.append(t(lang, "next.unset_open"))
        out.extend(f"    {line}" for line in report.session_lines)
    if not report.dry_run:
        out.extend(_msg(lang, m, prog) for m in report.next_steps)
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
        "session": {"shell": report.current_shell, "lines": report.session_lines},
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


def _scenario(lang: str, name: str, os_name: str | None) -> str:
    """A kind of new shell, in the words of the OS the user is on (Terminal.app only on macOS)."""
    own = f"status.scenario.{os_name}.{name}"
    text = t(lang, own)
    return text if text != own else t(lang, f"status.scenario.{name}")


def _join(lang: str, items: list[str]) -> str:
    return t(lang, "label.list_sep").join(items)


def status_msg(lang: str, report: Report, m: Msg, home: Path | None = None, prog: str = PROG) -> str:
    """A status message with its parameters in words: scenario names become what a person calls
    them, a source ref becomes its place, paths under HOME are shortened."""
    st = report.status
    params = dict(m.params)
    if isinstance(params.get("scenarios"), list):
        params["scenarios"] = _join(lang, [_scenario(lang, n, report.os_name) for n in params["scenarios"]])
    src = st.source(params["source"]) if isinstance(params.get("source"), str) else None
    if src is not None:
        params["source"] = _source_label(lang, src, home)
    for name in ("path", "env_path"):
        if isinstance(params.get(name), str):
            params[name] = _short(params[name], home)
    return _msg(lang, Msg(m.id, params), prog)


_HIDDEN = ("status.none", "status.warn.winners_differ")  # said by the summary and the lines it leads to


def status_text(lang: str, report: Report, home: Path | None, prog: str = PROG) -> str:
    """The status screen: the key new terminals get and where it lives, the region, who gets it,
    then each problem with its fix, the conflicts (fingerprints only where masks look alike), history."""
    from wizard.scan.verdict import OPENED
    from wizard.shells import SCENARIOS, SHELLS

    st = report.status
    verdict = st.verdict
    main = st.main
    out: list[str] = []
    if main is None or main.key is None:
        if verdict.this_terminal == "none":
            out.append(f"{FAIL} " + _msg(lang, Msg("status.none"), prog))
    else:
        where = _source_label(lang, main, home)
        key_id = "status.key_ours" if verdict.ours else "status.key"
        out.append(f"{OK} " + t(lang, key_id, mask=main.key.mask, where=where))
        if report.base_url:
            region = region_label(lang, report.region)
            out.append("  " + t(lang, "status.region", region=region, base_url=report.base_url))
        elif st.env:
            out.extend("  " + t(lang, "status.base_url", name=k, value=v) for k, v in st.env.items())
        else:
            out.append("  " + _msg(lang, Msg("status.region_unknown"), prog))
        reach = set(verdict.reach)
        names: list[str] = []
        for shell in SHELLS.values():
            kinds = [sc.name for sc in SCENARIOS if sc.shell == shell.name and st.winners[sc.name].installed]
            got = [n for n in kinds if n in reach]
            if got and all(n in reach for n in kinds if n in OPENED):
                names.append(shell.display)
            else:
                names.extend(_scenario(lang, n, report.os_name) for n in got)
        if "windows" in reach:
            names.append(_scenario(lang, "windows", report.os_name))
        if not names:
            none_id = (
                "status.reach_sdk" if "sdk" in reach and main.kind == "key-file" else "status.reach_none"
            )
            out.append("  " + _msg(lang, Msg(none_id), prog))
        else:
            # Set but not exported somewhere: true, yet programs there will not see it (said below).
            mark = OK if all(st.winners[n].exported for n in verdict.reach) else WARN
            reach_id = "status.reach_here" if verdict.this_terminal == "same" else "status.reach"
            out.append(f"{mark} " + t(lang, reach_id, names=_join(lang, names)))
        unsure = [n for n in verdict.reach if not st.winners[n].certain]
        if unsure:
            out.append(
                "  " + status_msg(lang, report, Msg("status.uncertain", {"scenarios": unsure}), home, prog)
            )
    for w in st.warnings:
        if w.id not in _HIDDEN:
            mark = " " if ".note." in w.id else WARN
            out.append(f"{mark} {status_msg(lang, report, w, home, prog)}")
    plain = [w for src in st.sources for w in src.warnings if w.id == "status.warn.plaintext"]
    if len(plain) > 1:  # the inline store puts the key in every startup file: one line says it
        places = [
            t(lang, "status.kind.assignment", path=_short(w.params["path"], home), line=w.params["line"])
            for w in plain
        ]
        out.append(f"{WARN} " + t(lang, "status.warn.plaintext_many", places=_join(lang, places)))
    for src in st.sources:
        out.extend(
            f"{WARN} {status_msg(lang, report, w, home, prog)}"
            for w in src.warnings
            if len(plain) < 2 or w not in plain
        )
    if st.conflicts:
        out.extend(_conflicts(lang, report, home))
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
            out.append("    " + _msg(lang, Msg("history.hint_scrub"), prog))
    else:
        out.append(f"{OK} " + t(lang, "history.none"))
    return "\n".join(out)


def _conflicts(lang: str, report: Report, home: Path | None) -> list[str]:
    """Each distinct key and where it is. This terminal's own key is left out (the line about this
    terminal says what to do), and so is a block that only loads a key file already listed. A
    fingerprint is shown, and explained, only when two different keys share a mask."""
    st = report.status
    groups: list[tuple[Any, list[Any]]] = []
    for c in st.conflicts:
        places = [src for ref in c.sources if (src := st.source(ref)) is not None and src.kind != "env"]
        files = {src.path for src in places if src.kind == "key-file"}
        places = [src for src in places if not (src.kind == "block" and src.key_file in files)]
        if places:
            groups.append((c.key, places))
    masks = [key.mask for key, _ in groups]
    main = st.main.key.fingerprint if st.main is not None and st.main.key is not None else None
    told = {main} | {
        src.key.fingerprint
        for w in st.warnings
        if w.id == "status.warn.other_key" and (src := st.source(w.params["source"])) and src.key
    }
    if len(groups) < 2 or (
        len(set(masks)) == len(masks) and all(key.fingerprint in told for key, _ in groups)
    ):
        return []  # the lines above already name every key and where it comes from
    out = [f"{WARN} " + t(lang, "status.conflict", count=len(groups))]
    for key, places in groups:
        where = "; ".join(_source_label(lang, src, home) for src in places)
        if masks.count(key.mask) > 1:
            text = t(lang, "status.conflict_item", mask=key.mask, fingerprint=key.fingerprint, sources=where)
        else:
            text = t(lang, "status.conflict_item_plain", mask=key.mask, sources=where)
        out.append("    " + text)
    if len(set(masks)) < len(masks):
        out.append("    " + t(lang, "status.fingerprint_note"))
    return out
