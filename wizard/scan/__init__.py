"""`status`: every place a DASHSCOPE_API_KEY can come from, and which one a new shell ends up with.

`scan(ctx)` reads the filesystem and `ctx` only: it prints nothing and never imports keyring
(the caller injects a reader). Keys appear in the report only as a mask, a length and a
fingerprint: the first 8 hex digits of SHA-256 over the key. That is enough to tell two keys
apart; for a real key (128 random bits or more) it cannot be turned back into the key. For a
short, guessable value it could be, which is why nothing else about a value is reported. A
user can compare by hand: `printf %s "$DASHSCOPE_API_KEY" | sha256sum | cut -c1-8`.

The winner per shell is predicted by following the startup files the way the shell does: the
read order of the files, `.`/`source` of other files, early `return` guards, `if`/`case` on what
the shell knows at start-up, and the order of lines. A condition it cannot decide is assumed true
for an assignment and false for a `return`, and the winner is then marked uncertain. System
files (/etc/profile, /etc/zsh/…) are not read.

Which files a kind of shell reads, in which order, comes from its class in `wizard.shells`: the
same code that decides where setup writes.

On Windows a new window starts from the user (else machine) environment in the registry, not from
the environment of the terminal `status` runs in; elsewhere a new shell starts from this one's.

The parts: `model` (what the report holds), `state` (what one run shares), `analyze*` (which
lines touch the key, per syntax family), `posix`/`fish`/`powershell` (the start-up simulators),
`sources` (key file, .env, fish universal variables), `verdict` (the key new terminals get, this
terminal against it, each problem with its fix), `engine` (`scan`).
"""

from __future__ import annotations

from wizard.scan.analyze import DISABLED_MARK
from wizard.scan.engine import scan
from wizard.scan.model import (
    BASE_URL_VARS,
    Conflict,
    KeyInfo,
    KeyringReader,
    RegistryReader,
    Source,
    StatusReport,
    Verdict,
    Winner,
    fingerprint,
)
from wizard.shells import SCENARIOS, Scenario

__all__ = [
    "BASE_URL_VARS",
    "DISABLED_MARK",
    "SCENARIOS",
    "Conflict",
    "KeyInfo",
    "KeyringReader",
    "RegistryReader",
    "Scenario",
    "Source",
    "StatusReport",
    "Verdict",
    "Winner",
    "fingerprint",
    "scan",
]
