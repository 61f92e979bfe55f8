"""The wizard's first paragraph: what this run will do, as this run will do it. It names the check
that will really run (a call to the chosen model, a check without one under --no-test, none under
--offline) and where the key will really go (the default store of this machine, which is the
Windows user environment on Windows, or this terminal only), so that it never promises a key file
on a machine that will not get one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wizard import stores
from wizard.context import Context
from wizard.options import Options
from wizard.ui.render_base import short

Say = Callable[..., str]


def check_clause(say: Say, opts: Options) -> str:
    if opts.offline:
        return say("wiz.welcome_check_none")
    if opts.no_test:
        return say("wiz.welcome_check_probe")
    return say("wiz.welcome_check_call", model=opts.model)


def keep_clause(say: Say, ctx: Context, store: str) -> str:
    if store == stores.FILE:
        path = short(str(stores.default_key_file(ctx)), ctx.home)
        return say("wiz.welcome_keep_file", path=path)
    return say(f"wiz.welcome_keep_{store}")


def welcome(say: Say, ctx: Context, opts: Options, store: str, scope: str) -> tuple[str, dict[str, Any]]:
    """(message id, parameters) of the welcome for a run without a team file."""
    check = check_clause(say, opts)
    if scope == "session":
        return "wiz.welcome_session", {"check": check}
    return "wiz.welcome", {"check": check, "keep": keep_clause(say, ctx, store)}
