"""A second run of the wizard: when a setup is on record and its key can be read, one screen says
what is set up ("Already set up: sk-…abcd, Singapore, key file, bash + zsh") and offers Keep it
(check it now) / Replace the key / Change region, store or shells / Remove.

Keep is the `test` command on the stored configuration: one answer, then the live check, and not
a byte written. Replace and Change run the one setup flow (commands/setup.py) with the recorded
store and shells as defaults: Replace asks for the new key, Change reuses the stored one and opens
the summary's Change… at once. Remove is the interactive `remove` (ui/removal.py).
"""

from __future__ import annotations

import contextlib
import dataclasses
from typing import TYPE_CHECKING

from wizard.edits import manifest
from wizard.errors import SetupError
from wizard.shells import KEY_VAR, SHELLS
from wizard.ui.ask import Option, Prompter

if TYPE_CHECKING:
    from wizard.context import Context
    from wizard.keys import Key
    from wizard.options import Options
    from wizard.report import Report
    from wizard.ui.progress import Progress

CHOICES = ("keep", "replace", "change", "remove")


@dataclasses.dataclass(frozen=True)
class Setup:
    """What is set up: the stored key and the recorded configuration."""

    key: Key
    config: manifest.Configuration


def existing(ctx: Context, opts: Options) -> Setup | None:
    """The recorded setup, when there is one and its key can be read; None also when the command
    line names a key (then the user is setting one up, not looking at the old one) or a change
    (`--store inline`, a region, shells, a consumer, a team file's settings: a printed fix such as
    `status --check`'s must do what it says, not offer to keep what is there)."""
    if opts.key_stdin or opts.key_file is not None or opts.use_env or asks_for_change(opts):
        return None
    config = manifest.configuration(ctx)
    if not config.recorded:
        return None
    from wizard import keys
    from wizard.commands.env import stored_key

    with contextlib.suppress(SetupError):
        return Setup(keys.validate(stored_key(ctx)[0]), config)
    return None


def asks_for_change(opts: Options) -> bool:
    return (
        opts.store is not None
        or opts.region != "auto"
        or opts.base_url is not None
        or opts.workspace is not None
        or opts.shells not in ((), ("auto",))
        or opts.scope != "persistent"
        or opts.openai_env is not None
        or opts.dotenv is not None
        or opts.qwen_code
        or opts.team is not None
    )


def describe(ask: Prompter, found: Setup) -> str:
    from wizard.ui import render_base

    config = found.config
    region = render_base.region_label(ask.lang, config.endpoint.region if config.endpoint else "cn-beijing")
    shells = " + ".join(SHELLS[s].display for s in config.shells if s in SHELLS)
    return ask.say(
        "wiz.again",
        key=found.key.mask,
        region=region,
        store=ask.say(f"wiz.again_store_{config.store.kind}"),
        shells=shells or ask.say("wiz.again_no_shells"),
    )


def choose(ctx: Context, ask: Prompter, found: Setup) -> str:
    ctx.stdout.write("\n" + describe(ask, found) + "\n")
    ctx.stdout.flush()
    options = [Option(c, ask.say(f"wiz.again_{c}")) for c in CHOICES]
    answer: str = ask.select("wiz.again_what", options, default="keep")
    return answer


def keep(ctx: Context, opts: Options, progress: Progress) -> Report:
    """The live check of what is stored, as `test` does it, but of the stored key even when this
    terminal's DASHSCOPE_API_KEY holds another: that is the setup the screen described."""
    from wizard.commands.test import test

    env = {k: v for k, v in ctx.env.items() if k != KEY_VAR}
    return test(dataclasses.replace(ctx, env=env), opts, progress)
