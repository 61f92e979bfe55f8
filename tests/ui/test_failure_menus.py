"""The wizard's menu after a failed check, for every diagnosis the check can make (each produced by
the real check against the fake DashScope): only choices that can help, the likeliest first."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.check.test_check import NAMES, outcome
from tests.conftest import make_ctx
from wizard.errors import ExitCode
from wizard.ui.failure_menu import failure_menu
from wizard.ui.prompter import MenuPrompter


def menu(home: Path, name: str, stage: str, proven: bool, session: bool = False) -> tuple[list[str], str]:
    result = dataclasses.replace(outcome(name).result, detected=proven)
    options, default = failure_menu(MenuPrompter("en"), result, stage, proven, session)  # type: ignore[arg-type]
    return [o.value for o in options], default


@pytest.mark.parametrize("name", NAMES)
def test_every_diagnosis_gets_a_menu_of_choices_that_can_help(home: Path, name: str) -> None:
    code = outcome(name).result.exit_code
    for stage, proven in (("detect", False), ("call", False), ("call", True)):
        values, default = menu(home, name, stage, proven)
        assert default in values and values[-1] == "quit" and len(set(values)) == len(values)
        if stage == "detect":
            assert "save" not in values  # no region found yet: nothing to save it for
        if proven:
            assert "region" not in values  # the probe found the region
        if code in (ExitCode.ACCOUNT, ExitCode.MODEL):
            assert not {"key", "region", "retry"} & set(values), (name, values)
            assert default == ("save" if stage == "call" else "quit")
        elif code in (ExitCode.KEY_REJECTED, ExitCode.USAGE):
            assert not {"save", "retry"} & set(values), (name, values)
            assert default in ("key", "region")
        elif code == ExitCode.NETWORK:
            assert default == "retry"
            assert ("key" in values) == (outcome(name).result.msg_id == "check.detect_inconclusive")


@pytest.mark.parametrize("name", ["arrearage", "access_denied", "free_tier_only", "model_access_denied"])
def test_account_problems_default_to_saving_or_quitting(home: Path, name: str) -> None:
    assert menu(home, name, "call", True) == (["save", "quit"], "save")
    # For this terminal only the same choice prints the lines for it instead (nothing is saved).
    assert menu(home, name, "call", True, session=True) == (["save", "quit"], "save")


def test_a_key_of_another_region_offers_the_region_first(home: Path) -> None:
    from wizard import keys, regions
    from wizard.commands.live import belongs_elsewhere

    key = keys.validate("sk-" + "a" * 32)
    env = make_ctx(home).env
    given, owner = regions.endpoint_for("cn-beijing", env), regions.endpoint_for("ap-southeast-1", env)
    result = belongs_elsewhere("check.key_belongs_chosen", key, given, owner, regions.DEFAULT_MODEL)
    options, default = failure_menu(MenuPrompter("en"), result, "detect", False)
    assert ([o.value for o in options], default) == (["region", "key", "quit"], "region")
