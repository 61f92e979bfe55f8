"""wizard.check.net: proxies and trust come from the injected env, verification is never off."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from tests.fakes.dashscope import make_tls_material
from wizard.check.net import make_client, mask_proxy, proxy_mounts, ssl_context
from wizard.errors import ExitCode, SetupError


def test_no_proxy_variables_means_no_mounts() -> None:
    assert proxy_mounts({"PATH": "/bin"}) == {}


def test_https_proxy_mounts_https_scheme() -> None:
    assert proxy_mounts({"HTTPS_PROXY": "http://p:3128"}) == {"https://": "http://p:3128"}


def test_lower_case_wins_over_upper_case() -> None:
    env = {"https_proxy": "http://lower:1", "HTTPS_PROXY": "http://upper:2"}
    assert proxy_mounts(env)["https://"] == "http://lower:1"


def test_proxy_without_scheme_gets_http() -> None:
    assert proxy_mounts({"HTTP_PROXY": "p:3128"}) == {"http://": "http://p:3128"}


def test_all_proxy_mounts_every_scheme() -> None:
    assert proxy_mounts({"ALL_PROXY": "http://p:1"}) == {"all://": "http://p:1"}


def test_no_proxy_star_disables_all_proxies() -> None:
    assert proxy_mounts({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "*"}) == {}


@pytest.mark.parametrize(
    ("entry", "pattern"),
    [
        ("127.0.0.1", "all://127.0.0.1"),
        ("localhost", "all://localhost"),
        ("aliyuncs.com", "all://*aliyuncs.com"),
        (".aliyuncs.com", "all://*.aliyuncs.com"),
        ("::1", "all://[::1]"),
    ],
)
def test_no_proxy_entries_go_direct(entry: str, pattern: str) -> None:
    mounts = proxy_mounts({"HTTPS_PROXY": "http://p:1", "no_proxy": f" {entry} ,"})
    assert mounts[pattern] is None


def test_no_proxy_alone_mounts_nothing() -> None:
    assert proxy_mounts({"NO_PROXY": "localhost"}) == {}


def test_mask_proxy_hides_the_password() -> None:
    assert mask_proxy("http://bob:hunter2@proxy:8080") == "http://bob:***@proxy:8080"


def test_mask_proxy_keeps_a_url_without_credentials() -> None:
    assert mask_proxy("http://proxy:8080") == "http://proxy:8080"


def test_ssl_context_always_verifies() -> None:
    ctx = ssl_context({})
    assert (ctx.verify_mode, ctx.check_hostname) == (ssl.CERT_REQUIRED, True)


def test_ssl_context_adds_ssl_cert_file_to_certifi(tmp_path: Path) -> None:
    tls = make_tls_material(tmp_path)
    before = len(ssl_context({}).get_ca_certs())
    assert len(ssl_context({"SSL_CERT_FILE": tls.ca_file}).get_ca_certs()) == before + 1


def test_missing_ssl_cert_file_is_an_error_not_ignored(tmp_path: Path) -> None:
    with pytest.raises(SetupError) as info:
        ssl_context({"SSL_CERT_FILE": str(tmp_path / "nope.pem")})
    assert (info.value.code, info.value.msg_id) == (ExitCode.NETWORK, "check.ca_file_unreadable")


def test_ssl_cert_file_that_is_not_pem_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate\n")
    with pytest.raises(SetupError) as info:
        ssl_context({"SSL_CERT_FILE": str(bad)})
    assert info.value.msg_id == "check.ca_file_unreadable"


def test_ssl_cert_dir_that_is_not_a_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SetupError) as info:
        ssl_context({"SSL_CERT_DIR": str(tmp_path / "nope")})
    assert info.value.params["var"] == "SSL_CERT_DIR"


def test_unsupported_proxy_scheme_is_refused() -> None:
    with pytest.raises(SetupError) as info:
        make_client({"HTTPS_PROXY": "ftp://proxy:21"})
    assert (info.value.msg_id, info.value.params["scheme"]) == ("check.proxy_unsupported", "ftp")


def test_socks_proxies_are_supported() -> None:
    for scheme in ("socks5", "socks5h"):
        make_client({"ALL_PROXY": f"{scheme}://127.0.0.1:1080"}).close()


def test_proxy_with_bad_port_is_invalid() -> None:
    with pytest.raises(SetupError) as info:
        make_client({"HTTPS_PROXY": "http://proxy:notaport"})
    assert info.value.msg_id == "check.proxy_invalid"


def test_proxy_error_params_never_show_the_password() -> None:
    with pytest.raises(SetupError) as info:
        make_client({"HTTPS_PROXY": "ftp://bob:hunter2@proxy:21"})
    assert "hunter2" not in repr(info.value.params)


def test_client_does_not_trust_process_environment() -> None:
    client = make_client({})
    try:
        assert client.trust_env is False
    finally:
        client.close()


def test_client_timeouts_are_the_ones_asked_for() -> None:
    client = make_client({}, connect_timeout=1.25, read_timeout=7.5)
    try:
        assert (client.timeout.connect, client.timeout.read) == (1.25, 7.5)
    finally:
        client.close()


def test_client_sends_a_user_agent_naming_the_tool() -> None:
    client = make_client({})
    try:
        assert client.headers["User-Agent"].startswith("dashscope-setup/")
    finally:
        client.close()
