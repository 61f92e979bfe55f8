"""One planned edit of a startup file: our block put in or taken out, with the bytes before and
after, so a plan can be shown as a diff, checked, and written later without reading the file again."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from wizard import block, files, keys, shells
from wizard.context import Context
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


def plan_file(
    target: Target, body: str | None, secret: str | None = None, newline: str | None = None
) -> FilePlan:
    """body=None removes our block. A `secret` in the block is masked in the diff shown to users;
    `newline`: the line ending the block must have (the shell's), else the file's own."""
    real = files.resolve(target.path)
    existed = real.exists()
    try:
        before = real.read_bytes() if existed else b""
    except OSError as exc:
        raise SetupError(
            ExitCode.STORE, "err.unreadable", path=str(target.path), reason=exc.strerror
        ) from None
    dec = files.decode(before)
    comments = shells.get(target.shell).comment_lines(dec.text)
    try:
        text = (
            block.upsert_block(dec.text, body, newline, comments)
            if body is not None
            else block.remove_block(dec.text, comments)
        )
    except SetupError as exc:  # a damaged or split block: the user must know which file to fix
        raise SetupError(exc.code, exc.msg_id, **exc.params, path=str(target.path)) from None
    after = files.encode(dec, text)
    diff = block.unified_diff(target.path, dec.text, text) if after != before else ""
    if secret:
        diff = diff.replace(secret, keys.mask(secret))
    diff = _KEYLIKE.sub(lambda m: keys.mask(m.group(0)), diff)  # an older inline key, a foreign one
    return FilePlan(target, real, existed, before, after, diff)


def syntax_ok(ctx: Context, path: Path, family: str, before: str, after: str) -> bool | None:
    """Ask the real shell(s) that read `path` whether `after` parses. None: no shell to ask, or the
    file did not parse before either (then the check proves nothing about our change). The text
    goes through a 0600 file in a private temp directory, never through argv (it may hold a key)."""
    env = {k: v for k, v in ctx.env.items() if k not in ("BASH_ENV", "ENV")}
    result: bool | None = None
    for argv in shells.syntax_checks(path, family):
        exe = ctx.which(argv[0])
        if exe is None:
            continue
        outcome: list[bool] = []
        with tempfile.TemporaryDirectory(prefix="dashscope-setup-") as tmp:
            probe = Path(tmp) / "check"
            for text in (before, after):
                probe.write_text(text, encoding="utf-8", errors="surrogateescape")
                code, _ = ctx.run([exe, *argv[1:], str(probe)], env)
                outcome.append(code == 0)
        if not outcome[0]:
            continue
        if not outcome[1]:
            return False
        result = True
    return result
