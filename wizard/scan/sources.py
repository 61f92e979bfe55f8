"""The places a key can come from besides startup-file lines: the SDK's key file, a `.env` in the
current directory, fish's universal variables.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

from wizard import shellparse
from wizard.context import Context
from wizard.report import Msg
from wizard.scan.model import KeyInfo, Source
from wizard.scan.state import Scan, Val
from wizard.shells import KEY_VAR, Fish
from wizard.stores import KEY_FILE_VAR, default_key_file


def key_file_sources(scan: Scan) -> None:
    """The SDK's key file (DASHSCOPE_API_KEY_FILE_PATH or ~/.dashscope/api_key) and its mode."""
    ctx = scan.ctx
    path = default_key_file(ctx)
    via_env = bool(ctx.env.get(KEY_FILE_VAR, "").strip())
    default = ctx.home / ".dashscope" / "api_key"
    if via_env and not path.exists():
        scan.warnings.append(Msg("status.warn.key_file_path_missing", {"path": str(path)}))
    for p in [path, default] if via_env and default != path else [path]:
        shadowed = p != path
        warnings: list[Msg] = []
        if shadowed:
            warnings.append(Msg("status.warn.key_file_shadowed", {"path": str(p), "env_path": str(path)}))
        value = _inspect_key_file(ctx, p, warnings)
        if value is None and not warnings:
            continue
        if value is None and shadowed and len(warnings) == 1:
            continue
        scan.add(
            Source(
                f"key-file:{p}",
                "key-file",
                str(p),
                key=KeyInfo.of(value) if value else None,
                scope="shadowed" if shadowed else None,
                warnings=tuple(warnings),
            ),
            Val(value) if value else None,
        )


def _inspect_key_file(ctx: Context, p: Path, warnings: list[Msg]) -> str | None:
    """The key as the SDK reads it (whole file, stripped); problems go to `warnings`."""
    try:
        st = p.stat()
        if stat.S_ISDIR(st.st_mode):
            warnings.append(Msg("status.warn.key_file_dir", {"path": str(p)}))
            return None
        with p.open("rb") as fh:
            data = fh.read(64 * 1024)
    except FileNotFoundError:
        return None
    except OSError as exc:
        warnings.append(
            Msg("status.warn.key_file_unreadable", {"path": str(p), "reason": exc.strerror or ""})
        )
        return None
    if ctx.os_name != "windows" and st.st_mode & 0o077:
        warnings.append(
            Msg("status.warn.key_file_mode", {"path": str(p), "mode": f"{st.st_mode & 0o777:04o}"})
        )
    text = data.decode("utf-8", "replace")
    value = text.strip()
    if not value:
        warnings.append(Msg("status.warn.key_file_empty", {"path": str(p)}))
        return None
    if any(ch.isspace() for ch in value):
        warnings.append(Msg("status.warn.key_file_lines", {"path": str(p)}))
    elif text.split("\n", 1)[0] != value:
        warnings.append(Msg("status.warn.key_file_whitespace", {"path": str(p)}))
    return value


_DOTENV = re.compile(r"^\s*(?:export\s+)?DASHSCOPE_API_KEY\s*=\s*(?P<v>.*?)\s*$")


def dotenv_source(scan: Scan) -> None:
    path = scan.ctx.cwd / ".env"
    text = scan.read(path)
    if text is None:
        return
    for number, line in enumerate(text.split("\n"), start=1):
        m = _DOTENV.match(line.rstrip("\r"))
        if m is None:
            continue
        raw = m.group("v")
        dynamic = False
        if raw[:1] in ("'", '"') and raw.find(raw[0], 1) > 0:
            value = raw[1 : raw.find(raw[0], 1)]
            dynamic = raw[0] == '"' and "${" in value
        else:
            value = re.split(r"\s+#", raw, maxsplit=1)[0].strip()
            dynamic = "${" in value
        warn = (Msg("status.warn.dotenv", {"path": str(path), "line": number}),)
        val = Val(None if dynamic else value, dynamic=dynamic)
        scan.add(
            Source(
                f"dotenv:{path}:{number}",
                "dotenv",
                str(path),
                number,
                key=KeyInfo.of(value) if value and not dynamic else None,
                dynamic=dynamic,
                warnings=warn,
            ),
            val,
        )


def fish_universal(scan: Scan) -> tuple[str, bool] | None:
    path = Fish().universal_variables(scan.ctx)
    text = scan.read(path)
    if text is None:
        return None
    found: tuple[str, bool] | None = None
    for number, name, value, exported in shellparse.fish_universal(text):
        if name != KEY_VAR:
            continue
        warn = (Msg("status.warn.fish_universal", {"path": str(path)}),)
        ref = scan.add(
            Source(
                f"fish-universal:{path}:{number}",
                "fish-universal",
                str(path),
                number,
                Fish.family,
                key=KeyInfo.of(value) if value else None,
                exported=exported,
                scope="universal",
                warnings=warn,
            ),
            Val(value),
        )
        found = (ref, exported)
    return found
