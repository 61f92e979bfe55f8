"""What `status` shows (the summary, each shell's verdict, the consumers) and what `status --check`
shows (the deviations from the team file), as text and JSON. Apart from render.py because the status
screens alone are as long as everything else it formats."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wizard.messages import t
from wizard.report import Msg, Report
from wizard.team import Compliance
from wizard.ui.render_base import FAIL, OK, PROG, WARN, region_label
from wizard.ui.render_base import join as _join
from wizard.ui.render_base import message as _msg
from wizard.ui.render_base import short as _short


def _origin(lang: str, report: Report, o: Any, home: Path | None) -> str:
    src = report.status.source(o.ref) if o.ref and report.status is not None else None
    if src is not None:
        return _source_label(lang, src, home)
    return t(lang, f"consumer.from.{o.kind}", path=_short(o.path or "", home), var=o.var or "")


def consumers_text(lang: str, report: Report, home: Path | None, prog: str = PROG) -> list[str]:
    """What each consumer will use: key (masked) and endpoint, and where each comes from."""
    cwd = "~" if home is not None and Path(report.cwd or "") == home else _short(report.cwd or "", home)
    out = ["", t(lang, "consumer.title", cwd=cwd)]
    for v in report.consumers:
        name = t(lang, f"consumer.name.{v.consumer}")
        if v.key_var is None:  # it does not use a key from here at all: its notes say why
            out.append("  " + t(lang, "consumer.line_notes", name=name))
            out.extend(f"    {_msg(lang, n, prog)}" for n in v.notes)
            continue
        if v.key_mask:
            origin = _origin(lang, report, v.key_origin, home)
            key = t(lang, "consumer.key", mask=v.key_mask, var=v.key_var, origin=origin)
        else:
            key = t(lang, "consumer.no_key", var=v.key_var or "-")
        if v.base_url:
            url = t(lang, "consumer.url", url=v.base_url, origin=_origin(lang, report, v.url_origin, home))
            out.append("  " + t(lang, "consumer.line", name=name, key=key, url=url))
        else:
            out.append("  " + t(lang, "consumer.line_no_url", name=name, key=key))
        out.extend(f"    {_msg(lang, n, prog)}" for n in v.notes)
    return out


def _consumer_json(lang: str, report: Report, v: Any, prog: str) -> dict[str, Any]:
    data: dict[str, Any] = v.to_json()
    data["key"]["from"]["label"] = _origin(lang, report, v.key_origin, None)
    data["base_url"]["from"]["label"] = _origin(lang, report, v.url_origin, None)
    data["notes"] = [{"id": n.id, "message": _msg(lang, n, prog)} for n in v.notes]
    return data


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
    if any(v.in_play for v in report.consumers):
        out.extend(consumers_text(lang, report, home, prog))
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


def compliance_json(lang: str, report: Report, found: Compliance, prog: str = PROG) -> dict[str, Any]:
    return {
        "team_file": found.team_file,
        "compliant": found.compliant,
        "deviations": [d.to_json(status_msg(lang, report, d.message, prog=prog)) for d in found.deviations],
    }


def compliance_text(lang: str, report: Report, found: Compliance, home: Path | None, prog: str = PROG) -> str:
    """`status --check`: one line when the machine complies; else each deviation and its fix."""
    path = _short(found.team_file, home) if found.team_file else None
    if found.compliant:
        return f"{OK} " + (t(lang, "team.check.ok", path=path) if path else t(lang, "team.check.ok_plain"))
    count = len(found.deviations)
    head = (
        t(lang, "team.check.failed", path=path, count=count)
        if path
        else t(lang, "team.check.failed_plain", count=count)
    )
    out = [f"{FAIL} {head}"]
    for d in found.deviations:
        out.append(f"  {FAIL} {status_msg(lang, report, d.message, home, prog)}")
        fix = t(lang, "team.check.fix", command=d.fix) if d.fix else t(lang, "team.check.fix_by_hand")
        out.append(f"    {fix}")
    return "\n".join(out)
