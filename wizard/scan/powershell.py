"""PowerShell profiles, read line by line: `$env:DASHSCOPE_API_KEY = …`, `Set-Item env:…`,
`[Environment]::SetEnvironmentVariable(…)`, `Remove-Item env:…`, and `dashscope-setup env |
Invoke-Expression`; the profile is then run in order to see what a new PowerShell has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from wizard import stores
from wizard.scan.analyze import KEYRING_CMD, Analyzer, analyze, in_block
from wizard.scan.model import Winner
from wizard.scan.state import Eff, Scan, State, Val, winner
from wizard.shells import PowerShell, Scenario, Shell

_PS_ASSIGN = re.compile(
    r"(?:^|[{;])\s*(?:\$env:|\$\{env:)DASHSCOPE_API_KEY\}?\s*=\s*(?P<v>[^;}]+?)\s*(?:[;}]|$)", re.IGNORECASE
)
_PS_VAR = re.compile(r"^\s*\$(?P<n>[A-Za-z_]\w*)\s*=\s*(?P<v>.+?)\s*;?\s*$")
_PS_EVAL = re.compile(r"dashscope-setup\s+env\b.*\bInvoke-Expression\b", re.IGNORECASE)
_PS_SETITEM = re.compile(
    r"^\s*Set-Item\s+(?:-Path\s+)?['\"]?env:[\\/]?DASHSCOPE_API_KEY['\"]?\s+(?:-Value\s+)?(?P<v>.+?)\s*;?\s*$",
    re.IGNORECASE,
)
_PS_SETENV = re.compile(
    r"\[(?:System\.)?Environment\]::SetEnvironmentVariable\(\s*(['\"])DASHSCOPE_API_KEY\1\s*,\s*(?P<v>.+?)"
    r"(?:\s*,\s*(?P<t>[^)]*))?\)\s*;?\s*$",
    re.IGNORECASE,
)
_PS_REMOVE = re.compile(r"^\s*Remove-Item\s+(?:-Path\s+)?['\"]?env:[\\/]?DASHSCOPE_API_KEY\b", re.IGNORECASE)
_PS_GETCONTENT = re.compile(
    r"^\(?\s*Get-Content\s+(?:-LiteralPath\s+|-Path\s+)?(?P<p>'[^']*'|\"[^\"]*\"|\S+)[^)]*\)?(?:\.Trim\(\))?$",
    re.IGNORECASE,
)


_PS_Q = "'\u2018\u2019\u201a\u201b"  # PowerShell treats the curly single quotes like '


def _ps_value(az: Analyzer, expr: str) -> Val | None:
    """The value of a PowerShell expression; None for $null / '' (which removes the variable)."""
    expr = expr.strip()
    if expr.lower() == "$null" or expr in ("''", '""'):
        return None
    if len(expr) >= 2 and expr[0] in _PS_Q and expr[-1] in _PS_Q:
        return Val(re.sub(f"([{_PS_Q}])[{_PS_Q}]", r"\1", expr[1:-1]))
    if len(expr) >= 2 and expr[0] == expr[-1] == '"' and not re.search(r"[$`]", expr):
        return Val(expr[1:-1])
    ref = re.fullmatch(r'"?\$(\w+)"?(?:\.Trim\(\))?', expr)
    if ref and not ref.group(1).lower().startswith("env"):
        known = az.vals.get(ref.group(1))
        return replace(known, dynamic=True) if known is not None else Val(dynamic=True)
    m = _PS_GETCONTENT.match(expr)
    if m:
        raw = m.group("p").strip("'\"")
        home = str(az.scan.ctx.home)
        raw = raw.replace("$HOME", home).replace("$env:USERPROFILE", home)
        path = az.scan.expand_home(raw.replace("\\", "/") if az.scan.ctx.os_name != "windows" else raw)
        v = az.scan.key_file_value(path, first_line_raw=True)
        return replace(v, value=v.value.strip()) if v.value is not None else v
    if KEYRING_CMD.search(expr):
        return Val(az.scan.keyring_value if az.scan.keyring_tried else None, dynamic=True, via=stores.KEYRING)
    return Val(dynamic=True)


@dataclass
class _PsStmt:
    eff: Eff
    line: int
    certain: bool
    in_function: bool


def _powershell(az: Analyzer) -> list[_PsStmt]:
    out: list[_PsStmt] = []
    depth = 0
    fn_depth: int | None = None
    in_comment = False
    for number, raw in enumerate(az.text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if in_comment:
            if "#>" in line:
                in_comment = False
                line = line.split("#>", 1)[1]
            else:
                continue
        if "<#" in line:
            before, _, after = line.partition("<#")
            if "#>" not in after:
                in_comment = True
            line = before
        code = line.split("#", 1)[0] if "'" not in line and '"' not in line else line
        if re.match(r"^\s*function\s", code, re.IGNORECASE) and fn_depth is None:
            fn_depth = depth
        eff: Eff | None = None
        at = depth
        var = _PS_VAR.match(code)
        if var and not var.group("n").lower().startswith("env"):
            az.vals[var.group("n")] = _ps_value(az, var.group("v")) or Val()
        if _PS_EVAL.search(code):
            ref = az.source(number, "assignment", az.stored_value(), exported=True, scope=None)
            eff = Eff("set", ref, export=True)
        elif _PS_REMOVE.match(code):
            ref = az.source(number, "unset", Val(), exported=None, scope=None)
            eff = Eff("unset", ref)
        else:
            m = _PS_ASSIGN.search(code) or _PS_SETITEM.match(code)
            at = depth + (code[: m.start("v")].count("{") - code[: m.start("v")].count("}") if m else 0)
            target = "process"
            if m is None and (m := _PS_SETENV.search(code)):
                target = (m.group("t") or "process").strip().strip("'\"").rsplit(":", 1)[-1].lower()
            if m is not None:
                val = _ps_value(az, m.group("v"))
                if val is None:
                    ref = az.source(number, "unset", Val(), exported=None, scope=None)
                    eff = Eff("unset", ref)
                else:
                    scope = None if target == "process" else target
                    ref = az.source(number, "assignment", val, exported=True, scope=scope)
                    eff = Eff(
                        "set",
                        ref,
                        export=True,
                        scope="persistent" if scope else "auto",
                        requires_file=bool(val.via and val.via.startswith("file:")),
                    )
        if eff is not None:
            inside = in_block(az.blocks, number) is not None
            certain = at == 0 or (inside and eff.requires_file)  # Test-Path guards our file block
            out.append(_PsStmt(eff, number, certain=certain, in_function=fn_depth is not None))
        depth += code.count("{") - code.count("}")
        if fn_depth is not None and depth <= fn_depth and "}" in code:
            fn_depth = None
    return out


class PowerShellAnalyzer(Analyzer):
    family = PowerShell.family

    def build(self) -> Any:
        return _powershell(self)


def simulate(scan: Scan, sc: Scenario, shell: Shell, files: list[Path], installed: bool) -> Winner:
    state = scan.start_state()
    read: list[str] = []
    for p in files:
        stmts = analyze(scan, p, PowerShellAnalyzer)
        if stmts is None:
            continue
        read.append(str(p))
        for st in stmts:
            if st.in_function:
                continue
            e = st.eff
            if e.ref is not None:
                scan.executed.setdefault(e.ref, set()).add(sc.name)
            v = scan.values.get(e.ref or "")
            if e.op == "unset":
                state = None
            elif e.scope != "persistent" and not (e.requires_file and v is not None and v.missing_file):
                state = State(e.ref, True, st.certain)
    return winner(scan, sc, state, read, installed)
