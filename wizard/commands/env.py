"""`env` and `run`: hand the stored key to this shell (for eval) or to one child process.

Both must start fast: no questionary, no httpx; the keyring module only when the key lives there.
"""

from __future__ import annotations

import subprocess

from wizard import invocation, keys, regions, stores
from wizard.context import Context
from wizard.edits import manifest
from wizard.errors import ExitCode, SetupError
from wizard.options import Options
from wizard.report import Report
from wizard.shells import KEY_VAR, SHELLS
from wizard.shells import detect as platform


def stored_key(ctx: Context) -> tuple[str, dict[str, str]]:
    """(key, base-URL variables) from the saved configuration: the store recorded at setup, else
    the default key file. An inline key is read back from our blocks in the startup files (the
    store itself has nowhere else to read it from)."""
    config = manifest.configuration(ctx)
    if config.store.kind == stores.INLINE:
        from wizard.scan.engine import inline_key

        value = inline_key(ctx)
        if value is None and config.recorded:
            raise SetupError(ExitCode.NOT_CONFIGURED, "err.inline_unreadable")
    else:
        value = stores.create(ctx, config.store.kind, record=config.store).read()
    if not value:
        raise SetupError(ExitCode.NOT_CONFIGURED, "err.no_stored_key")
    key = keys.validate(value, persistent=False)
    return key.value, config.endpoint.sdk_env() if config.endpoint else {}


def stored_env(ctx: Context) -> dict[str, str]:
    """Every variable the saved configuration gives a process: the key, the base URLs, and with
    --openai-env the OpenAI SDK's pair."""
    value, extra = stored_key(ctx)
    config = manifest.configuration(ctx)
    out = {KEY_VAR: value, **extra}
    if config.openai_env:
        url = (
            config.endpoint.compatible_url
            if config.endpoint
            else regions.REGIONS[regions.DEFAULT_REGION].compatible_url
        )
        out.update({regions.OPENAI_KEY_VAR: value, regions.OPENAI_URL_VAR: url})
    return out


def stored_origin(ctx: Context) -> tuple[str | None, str]:
    """(key file or None, store kind): where `stored_key` reads the key from."""
    config = manifest.configuration(ctx)
    store = stores.create(ctx, config.store.kind, record=config.store)
    return (str(store.key_file) if store.key_file else None), store.kind


def env(ctx: Context, opts: Options) -> Report:
    """Print the session lines for `eval "$(dashscope-setup env)"`. To a terminal it prints the
    eval line instead (for this shell, starting the tool as it was started): the key itself would
    stay in the scrollback."""
    names = [n for n in opts.shells if n != "auto"]
    name = names[0] if names else platform.detect(ctx).shell.name
    shell = SHELLS[name]
    if ctx.stdout_is_tty():
        raise SetupError(ExitCode.USAGE, "err.env_tty", line=shell.eval_env_line(invocation.words(ctx)))
    lines = [shell.assign(k, v) for k, v in stored_env(ctx).items()]
    report = Report("env")
    report.snippet = "\n".join(lines)
    return report


def run(ctx: Context, opts: Options) -> Report:
    """Start CMD with the key in its environment only; never on its command line."""
    argv = list(opts.argv)
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        raise SetupError(ExitCode.USAGE, "err.run_no_command")
    given = stored_env(ctx)
    value = given[KEY_VAR]
    child_env = {**ctx.env, **given}
    # The shells' convention, which scripts test for: 127 no such command, 126 found but not runnable.
    command = argv[0].replace(value, keys.mask(value))  # the name as typed, never the stored key
    if not argv[0]:
        raise SetupError(ExitCode.NOT_FOUND, "err.run_not_found", command=command)
    try:
        proc = subprocess.run(argv, env=child_env, cwd=ctx.cwd, check=False)
    except FileNotFoundError:
        raise SetupError(ExitCode.NOT_FOUND, "err.run_not_found", command=command) from None
    except PermissionError:
        raise SetupError(ExitCode.CANNOT_EXECUTE, "err.run_not_executable", command=command) from None
    except OSError as exc:  # ENOEXEC: an executable file that is no program and has no #! line
        raise SetupError(
            ExitCode.CANNOT_EXECUTE, "err.run_not_a_program", command=command, reason=exc.strerror or ""
        ) from None
    report = Report("run")
    report.exit_code = proc.returncode if proc.returncode >= 0 else 128 - proc.returncode
    return report
