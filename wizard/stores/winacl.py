"""The key file's access list on Windows: chmod does nothing on NTFS, so the file gets an ACL that
lets only the current user read it (icacls, with paths only on its command line, never the key)."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

from wizard.context import Runner
from wizard.errors import ExitCode, SetupError


def _system32(env: Mapping[str, str], exe: str) -> str:
    root = env.get("SystemRoot") or env.get("SYSTEMROOT") or r"C:\Windows"
    return f"{root}\\System32\\{exe}"


def current_user_principal(run: Runner, env: Mapping[str, str]) -> str | None:
    """The current user for icacls: ``*SID`` from ``whoami /user`` (immune to renamed or
    localized names), else ``DOMAIN\\user`` from the environment."""
    code, out = run([_system32(env, "whoami.exe"), "/user", "/fo", "csv", "/nh"], env)
    if code == 0:
        for row in csv.reader(out.strip().splitlines()):
            if row and row[-1].strip().startswith("S-1-"):
                return "*" + row[-1].strip()
    user = env.get("USERNAME", "").strip()
    if not user:
        return None
    domain = env.get("USERDOMAIN", "").strip()
    return f"{domain}\\{user}" if domain else user


def icacls_argv(path: Path, principal: str, env: Mapping[str, str]) -> list[str]:
    """Remove inherited entries and grant only `principal` full control. Paths only, no secret."""
    return [_system32(env, "icacls.exe"), str(path), "/inheritance:r", "/grant:r", f"{principal}:F"]


def restrict_to_current_user(path: Path, run: Runner, *, platform: str, env: Mapping[str, str]) -> bool:
    """Make the key file readable by the current user only. chmod does nothing on NTFS, so on
    Windows this is an ACL (icacls); elsewhere the 0600 mode already does it and this is a no-op
    (False). Raises SetupError(STORE) when the ACL could not be set: the key must not be left
    readable by others without the user knowing."""
    if not platform.startswith("win"):
        return False
    principal = current_user_principal(run, env)
    if principal is None:
        raise SetupError(ExitCode.STORE, "err.acl_failed", path=str(path), reason="unknown user")
    code, out = run(icacls_argv(path, principal, env), env)
    if code != 0:
        reason = out.strip().splitlines()[-1] if out.strip() else f"icacls exit {code}"
        raise SetupError(ExitCode.STORE, "err.acl_failed", path=str(path), reason=reason)
    return True
