"""--openai-env on Windows: the user environment holds OPENAI_API_KEY and OPENAI_BASE_URL beside the
key (the registry cannot refer to another value, so the key is written under both names in that same
store); a NEW cmd.exe sees them, `env --shell cmd` prints them, and `remove` gives the registry back."""

from __future__ import annotations

from tests.conftest import new_key
from tests.fakes.dashscope import FakeDashScope
from tests.windows_wine.conftest import OPENAI_VALUES, WinLane

SINGAPORE = "ap-southeast-1"


def test_a_new_cmd_sees_the_openai_pair_and_remove_takes_it_back(
    win: WinLane, fake_dashscope: FakeDashScope
) -> None:
    key = new_key()
    fake_dashscope.add_key(key, SINGAPORE)
    before = win.reg_query()
    r = win.cli("setup", "--yes", "--key-stdin", "--openai-env", stdin=key + "\r\n", utf8=True)
    assert r.code == 0, r.out
    assert key not in r.out
    assert "OPENAI_API_KEY" in r.out  # the warning that every OpenAI client is redirected
    after = win.reg_query()
    assert after["openai_api_key"] == ("REG_SZ", key)
    assert after["openai_base_url"] == ("REG_SZ", fake_dashscope.url(SINGAPORE))
    seen = dict(line.partition("=")[::2] for line in win.batch(["set OPENAI"]) if "=" in line)
    assert {k.upper(): v for k, v in seen.items() if k.upper() in OPENAI_VALUES} == {
        "OPENAI_API_KEY": key,
        "OPENAI_BASE_URL": fake_dashscope.url(SINGAPORE),
    }
    printed = win.cli("env", "--shell", "cmd", utf8=True)
    assert f'set "OPENAI_BASE_URL={fake_dashscope.url(SINGAPORE)}"' in printed.stdout
    removed = win.cli("remove", "--yes", utf8=True)
    assert removed.code == 0, removed.out
    assert win.reg_query() == before
