"""The wizard's first paragraph says what this run will do: the check that will really run and the
place the key will really go. It once promised "~/.dashscope/api_key, mode 0600" and "a real call
to qwen-plus" whatever the machine, the store, the model or --offline said."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.conftest import make_ctx
from wizard import stores
from wizard.messages import t
from wizard.options import Options
from wizard.ui.welcome import welcome

PROG = "dashscope-setup"


def shown(lang: str, home: Path, opts: Options, *, platform: str = "linux", scope: str = "persistent") -> str:
    ctx = make_ctx(home, platform=platform)

    def say(msg_id: str, **params: object) -> str:
        return t(lang, msg_id, prog=PROG, **params)

    store = opts.store or stores.default_kind(ctx)
    msg_id, params = welcome(say, ctx, opts, store, scope)
    return say(msg_id, **params)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_part_says_what_this_run_will_do(home: Path, lang: str) -> None:
    base = Options()
    plain = shown(lang, home, base)
    assert "~/.dashscope/api_key" in plain and "qwen-plus" in plain
    assert "{" not in plain  # every parameter filled

    assert "qwen-max" in shown(lang, home, dataclasses.replace(base, model="qwen-max"))
    assert "--no-test" in shown(lang, home, dataclasses.replace(base, no_test=True))
    offline = shown(lang, home, dataclasses.replace(base, offline=True, no_test=True))
    assert "--offline" in offline and "qwen-plus" not in offline

    windows = shown(lang, home, base, platform="win32")
    assert "Windows" in windows and "api_key" not in windows
    keyring = shown(lang, home, dataclasses.replace(base, store="keyring"))
    assert t(lang, "wiz.welcome_keep_keyring") in keyring and "api_key" not in keyring

    session = shown(lang, home, base, scope="session")
    assert session.startswith(t(lang, "wiz.welcome_session", check="").split("：")[0].split(":")[0])
    assert "api_key" not in session and "remove" not in session


def test_a_key_file_named_by_the_sdks_variable_is_the_one_named(home: Path) -> None:
    ctx_env = {"DASHSCOPE_API_KEY_FILE_PATH": str(home / "keys" / "ds")}
    ctx = make_ctx(home, env=ctx_env)

    def say(msg_id: str, **params: object) -> str:
        return t("en", msg_id, prog=PROG, **params)

    msg_id, params = welcome(say, ctx, Options(), "file", "persistent")
    assert "~/keys/ds" in say(msg_id, **params)
