"""The menu after a failed check: only the choices that can help with the diagnosis, the likeliest
first (the wizard's `after_failure` shows the diagnosis, then asks this)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wizard.check.result import EXIT_CODES
from wizard.errors import ExitCode
from wizard.ui.ask import Option, Prompter

if TYPE_CHECKING:
    from wizard.check import CheckResult
    from wizard.commands.decisions import NextStep, Stage


def failure_menu(
    ask: Prompter,
    result: CheckResult | None,
    stage: Stage,
    proven: bool,
    session: bool = False,
) -> tuple[list[Option], NextStep]:
    """Only the choices that can help with this diagnosis, the likeliest first. When the
    account is the problem (overdue, not activated, model not granted) the key and the region
    are fine: "save now, test later" is the default and neither a new key nor another region
    is offered. Another region is not offered either once the probe has proven it. `session`: for
    this terminal only, where "save" prints the lines for it instead."""
    msg_id = result.msg_id if result is not None else None
    code = EXIT_CODES.get(msg_id or "") if result is not None else ExitCode.NETWORK
    say = ask.say
    save_label = say("wiz.fail_use_session" if session else "wiz.fail_save")
    save = [Option("save", save_label)] if stage == "call" else []
    retry = [Option("retry", say("wiz.fail_retry"))]
    key = [Option("key", say("wiz.fail_key"))]
    quit_ = [Option("quit", say("wiz.fail_quit"))]
    region = [] if proven else [Option("region", say("wiz.fail_region"))]
    if code in (ExitCode.ACCOUNT, ExitCode.MODEL, ExitCode.INTERNAL):
        return save + quit_, "save" if save else "quit"
    if code == ExitCode.RATE_LIMITED:  # waiting may be enough
        return save + retry + quit_, "save" if save else "retry"
    if msg_id == "check.key_belongs_chosen" and region:  # a genuine key, of the region the message names
        return region + key + quit_, "region"
    if code in (ExitCode.KEY_REJECTED, ExitCode.USAGE):
        # Rejected wherever it was sent: a key of a workspace host or custom endpoint works only there.
        nowhere = ("check.rejected_custom", "check.rejected_everywhere", "check.rejected_nowhere")
        return key + (region if msg_id in nowhere else []) + quit_, "key"
    # The network, or a server that failed: the same again, another region (a blocked host),
    # or save and test later. A new key cannot help, unless some regions rejected this one.
    keys_too = key if msg_id == "check.detect_inconclusive" else []
    return retry + region + keys_too + save + quit_, "retry"
