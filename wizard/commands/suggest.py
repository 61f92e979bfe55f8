"""The commands this tool tells the user to run, built in one place so that each one works as
printed: `command` spells the program and quotes the arguments; `fix_region` is the setup that
points an existing configuration at the key's region. Never a key among the arguments: the stored
key is reused by `setup --yes` itself.
"""

from __future__ import annotations

import shlex

from wizard import stores
from wizard.commands.plan import resolve_shells
from wizard.context import Context
from wizard.edits.manifest import Configuration
from wizard.shells import detect as platform

PROGRAM = "dashscope-setup"


def command(*args: str) -> str:
    """`dashscope-setup ARGS…` as a POSIX shell reads it."""
    return " ".join([PROGRAM, *(shlex.quote(a) for a in args)])


def fix_region(ctx: Context, config: Configuration, region: str) -> str:
    """The setup that rewrites the saved configuration for `region` with the stored key, keeping
    its store and shells."""
    args = ["setup", "--yes", "--region", region]
    if config.recorded and config.store.kind != stores.default_kind(ctx):
        args += ["--store", config.store.kind]
    if config.shells and set(config.shells) != set(resolve_shells((), platform.detect(ctx), ctx)):
        for shell in config.shells:
            args += ["--shell", shell]
    return command(*args)
