"""Plain http carries the key in clear: refused except to this machine or when explicitly allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import setup_cli
from wizard.errors import ExitCode, SetupError
from wizard.messages import t
from wizard.regions import ALLOW_HTTP_VAR, OVERRIDE_VAR, endpoint_for, region_urls, requested

REMOTE = "http://mirror.example.com/compatible-mode/v1"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8001/compatible-mode/v1",
        "http://127.5.6.7/compatible-mode/v1",
        "http://localhost:8001/compatible-mode/v1",
        "http://LOCALHOST/v1",
        "http://[::1]:8001/compatible-mode/v1",
        "https://mirror.example.com/compatible-mode/v1",
    ],
)
def test_https_and_loopback_http_are_accepted(url: str) -> None:
    assert endpoint_for("cn-beijing", {}, url).compatible_url == url.rstrip("/")
    assert region_urls({OVERRIDE_VAR: f"cn-beijing={url}"})["cn-beijing"] == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    [
        REMOTE,
        "http://10.0.0.5:8080/v1",
        "http://[2001:db8::1]/v1",
        "http://localhost.example.com/v1",
        "http://128.0.0.1/v1",
    ],
)
def test_plain_http_to_another_host_is_refused_for_base_url(url: str) -> None:
    with pytest.raises(SetupError) as info:
        requested({}, "auto", url)
    assert info.value.code == ExitCode.USAGE
    assert info.value.msg_id == "err.plain_http"
    assert info.value.params["source"] == "--base-url"


def test_plain_http_to_another_host_is_refused_in_the_region_override() -> None:
    with pytest.raises(SetupError) as info:
        region_urls({OVERRIDE_VAR: f"cn-beijing=https://ok.example.com/v1,us-east-1={REMOTE}"})
    assert info.value.msg_id == "err.plain_http"
    assert info.value.params["source"] == OVERRIDE_VAR
    assert info.value.params["host"] == "mirror.example.com"


@pytest.mark.parametrize("value", ["1", "true", "YES"])
def test_the_allowance_variable_lets_plain_http_through(value: str) -> None:
    env = {ALLOW_HTTP_VAR: value, OVERRIDE_VAR: f"us-east-1={REMOTE}"}
    assert endpoint_for("cn-beijing", env, REMOTE).compatible_url == REMOTE
    assert region_urls(env)["us-east-1"] == REMOTE


@pytest.mark.parametrize("value", ["", "0", "no", "off"])
def test_anything_else_is_no_allowance(value: str) -> None:
    with pytest.raises(SetupError):
        endpoint_for("cn-beijing", {ALLOW_HTTP_VAR: value}, REMOTE)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_message_names_the_host_and_how_to_allow_it(lang: str) -> None:
    with pytest.raises(SetupError) as info:
        endpoint_for("cn-beijing", {}, REMOTE)
    text = t(lang, info.value.msg_id, **info.value.params)
    assert "mirror.example.com" in text
    assert f"{ALLOW_HTTP_VAR}=1" in text
    assert "https://" in text


SECRET = "hunter2-s3cret"


@pytest.mark.parametrize(
    "url",
    [
        f"https://user:{SECRET}@mirror.example.com/compatible-mode/v1",
        f"https://{SECRET}@mirror.example.com/v1",
        f"http://user:{SECRET}@127.0.0.1:8080/v1",
    ],
)
def test_userinfo_in_base_url_is_refused_without_echoing_it(url: str) -> None:
    with pytest.raises(SetupError) as info:
        requested({}, "auto", url)
    assert info.value.code == ExitCode.USAGE
    assert info.value.msg_id == "err.url_userinfo"
    assert SECRET not in str(info.value.params)


@pytest.mark.parametrize(
    "entry", [f"cn-beijing=https://u:{SECRET}@h.example.com/v1", f"nope=https://u:{SECRET}@h/v1"]
)
def test_userinfo_in_the_region_override_is_refused_without_echoing_it(entry: str) -> None:
    with pytest.raises(SetupError) as info:
        region_urls({OVERRIDE_VAR: entry})
    assert info.value.msg_id == "err.url_userinfo"
    assert SECRET not in str(info.value.params)


def test_userinfo_is_refused_by_the_cli_in_both_languages(home: Path) -> None:
    for lang in ("en", "zh"):
        url = f"https://user:{SECRET}@mirror.example.com/v1"
        result = setup_cli(home, "sk-" + "a" * 32, "--base-url", url, "--lang", lang)
        assert result.returncode == 2
        assert SECRET not in result.stdout + result.stderr
        assert "mirror.example.com" in result.stderr
    assert not (home / ".bashrc").exists() or SECRET not in (home / ".bashrc").read_text()


def test_billing_console_is_on_the_same_site_as_the_key_console() -> None:
    """An account lives on one site: China (aliyun.com) or international (alibabacloud.com), and
    its bills are settled on that site's Expenses and Costs console."""
    from urllib.parse import urlsplit

    from wizard import regions

    for region in regions.REGIONS.values():
        console = urlsplit(region.console_url).hostname or ""
        billing = urlsplit(region.billing_url).hostname or ""
        site = console.split(".", 2)[-1]
        assert billing.startswith("billing-cost.console."), region.id
        assert billing.endswith(site), (region.id, console, billing)
