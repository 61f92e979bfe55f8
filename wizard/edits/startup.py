"""One planned edit of a startup file: our block put in or taken out, with the bytes before and
after, so a plan can be shown as a diff, checked, and written later without reading the file again."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from wizard import block, files, keys
from wizard.errors import ExitCode, SetupError
from wizard.shells import Target
from wizard.stores import Change

_KEYLIKE = re.compile(r"\b(?:sk|st)-[A-Za-z0-9._-]{12,}")


@dataclass
class FilePlan:
    target: Target
    real: Path
    existed: bool
    before: bytes
    after: bytes
    diff: str

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def change(self, *, done: bool) -> Change:
        what = "owned-file" if self.target.owned else "block"
        if not self.changed:
            action = "unchanged"
        elif done:
            action = "modified" if self.existed else "created"
        else:
            action = "would-modify" if self.existed else "would-create"
        return Change(str(self.target.path), action, what, self.target.shell, self.diff or None)


def plan_file(target: Target, body: str | None, secret: str | None = None) -> FilePlan:
    """body=None removes our block. A `secret` in the block is masked in the diff shown to users."""
    real = files.resolve(target.path)
    existed = real.exists()
    try:
        before = real.read_bytes() if existed else b""
    except OSError as exc:
        raise SetupError(
            ExitCode.STORE, "err.unreadable", path=str(target.path), reason=exc.strerror
        ) from None
    dec = files.decode(before)
    try:
        text = block.upsert_block(dec.text, body) if body is not None else block.remove_block(dec.text)
    except SetupError as exc:  # a damaged or split block: the user must know which file to fix
        raise SetupError(exc.code, exc.msg_id, **exc.params, path=str(target.path)) from None
    after = files.encode(dec, text)
    diff = block.unified_diff(target.path, dec.text, text) if after != before else ""
    if secret:
        diff = diff.replace(secret, keys.mask(secret))
    diff = _KEYLIKE.sub(lambda m: keys.mask(m.group(0)), diff)  # an older inline key, a foreign one
    return FilePlan(target, real, existed, before, after, diff)
