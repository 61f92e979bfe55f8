"""Proxies and trust as Chinese developers have them, through the real command: Clash's three variables
(an HTTP proxy for http and https, a SOCKS one in all_proxy), a SOCKS proxy alone, and a corporate root
installed in the operating system's store. Real proxies on loopback (tests/fakes/proxy.py) in front of
the fake DashScope over TLS; each test asserts what the proxy itself saw.
"""

from __future__ import annotations

import json
import os
import secrets
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import IN_CI, clean_env, needs_python, new_key, require, run_cli
from tests.fakes.dashscope import FakeDashScope, TlsMaterial, make_tls_material, running_fake
from tests.fakes.proxy import HttpProxy, Socks5Proxy
from wizard.check.net import make_client, proxy_mounts, ssl_context, used_mounts

SETUP = ("setup", "--yes", "--key-stdin", "--shell", "bash", "--json")


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TlsMaterial:
    return make_tls_material(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def tls_fake(tls: TlsMaterial) -> Iterator[FakeDashScope]:
    with running_fake({}, tls=(tls.cert_file, tls.key_file)) as fake:
        yield fake


@pytest.fixture
def http_proxy() -> Iterator[HttpProxy]:
    proxy = HttpProxy()
    yield proxy
    proxy.close()


@pytest.fixture
def socks_proxy() -> Iterator[Socks5Proxy]:
    proxy = Socks5Proxy()
    yield proxy
    proxy.close()


def setup_through(home: Path, fake: FakeDashScope, tls: TlsMaterial, **proxies: str) -> dict[str, object]:
    key = new_key()
    fake.add_key(key, "ap-southeast-1")
    env = {
        "DASHSCOPE_SETUP_REGION_URLS": fake.urls_env(),
        "DASHSCOPE_SETUP_TIMEOUT": "5",
        "SSL_CERT_FILE": tls.ca_file,
        **proxies,
    }
    result = run_cli(home, *SETUP, stdin=key, env=env)
    assert result.returncode == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_clash_variables_go_through_its_http_proxy_and_never_need_socks(
    home: Path, tls_fake: FakeDashScope, tls: TlsMaterial, http_proxy: HttpProxy, socks_proxy: Socks5Proxy
) -> None:
    """`export https_proxy=http://127.0.0.1:7890 http_proxy=http://127.0.0.1:7890 all_proxy=socks5://127.0.0.1:7891`."""
    data = setup_through(
        home, tls_fake, tls, https_proxy=http_proxy.url, http_proxy=http_proxy.url, all_proxy=socks_proxy.url
    )
    assert data["region"] == "ap-southeast-1"
    target = f"127.0.0.1:{tls_fake.port}"
    assert http_proxy.seen.requests and set(http_proxy.seen.requests) == {("CONNECT", target)}
    assert socks_proxy.seen.requests == []
    # every request the fake answered came through the tunnel: one CONNECT per connection at least
    assert len(tls_fake.recorded()) >= 2


@pytest.mark.parametrize("scheme", ["socks5", "socks5h"])
def test_a_socks_proxy_alone_carries_every_request(
    home: Path, tls_fake: FakeDashScope, tls: TlsMaterial, socks_proxy: Socks5Proxy, scheme: str
) -> None:
    url = socks_proxy.url.replace("socks5://", f"{scheme}://")
    data = setup_through(home, tls_fake, tls, ALL_PROXY=url)
    assert data["check"]["status"] == "ok"  # type: ignore[index]
    assert set(socks_proxy.seen.targets()) == {f"127.0.0.1:{tls_fake.port}"}


def test_https_proxy_with_socks_all_proxy_uses_the_http_one_for_https(
    home: Path, tls_fake: FakeDashScope, tls: TlsMaterial, http_proxy: HttpProxy, socks_proxy: Socks5Proxy
) -> None:
    """The pair named in bug reports: https_proxy (HTTP) and all_proxy (SOCKS), no http_proxy."""
    setup_through(home, tls_fake, tls, https_proxy=http_proxy.url, all_proxy=socks_proxy.url)
    assert http_proxy.seen.requests and socks_proxy.seen.requests == []


def test_an_all_proxy_no_request_would_take_is_not_judged() -> None:
    env = {
        "HTTPS_PROXY": "http://127.0.0.1:7890",
        "HTTP_PROXY": "http://127.0.0.1:7890",
        "ALL_PROXY": "ftp://x:1",
    }
    assert "all://" not in used_mounts(proxy_mounts(env))
    make_client(env).close()  # no "unsupported scheme" for a proxy nothing uses


def test_an_all_proxy_serving_http_urls_is_kept() -> None:
    env = {"HTTPS_PROXY": "http://127.0.0.1:7890", "ALL_PROXY": "socks5://127.0.0.1:7891"}
    assert used_mounts(proxy_mounts(env))["all://"] == "socks5://127.0.0.1:7891"


def test_the_system_bundle_is_trusted_besides_certifi() -> None:
    import certifi

    system = ssl.create_default_context(cafile=ssl.get_default_verify_paths().openssl_cafile)
    ours = {c["serialNumber"] for c in ssl_context({}, platform="linux").get_ca_certs()}
    assert {c["serialNumber"] for c in system.get_ca_certs()} <= ours
    assert {
        c["serialNumber"] for c in ssl.create_default_context(cafile=certifi.where()).get_ca_certs()
    } <= ours


def test_macos_and_windows_ask_the_os_through_truststore() -> None:
    needs_python((3, 10), "truststore")
    truststore = pytest.importorskip("truststore") if not IN_CI else __import__("truststore")
    for platform in ("darwin", "win32"):
        ctx = ssl_context({}, platform=platform)
        assert isinstance(ctx, truststore.SSLContext)
        assert (ctx.verify_mode, ctx.check_hostname) == (ssl.CERT_REQUIRED, True)


@pytest.mark.real
def test_a_corporate_root_in_the_os_store_is_trusted_without_ssl_cert_file(
    home: Path, tls_fake: FakeDashScope, tls: TlsMaterial, tmp_path: Path
) -> None:
    """The corporate root goes where `update-ca-certificates` puts it, the system bundle, in a private
    mount namespace (so the machine's own store is not touched); no SSL_CERT_FILE is set."""
    unshare = require("unshare")
    if os.geteuid() != 0:
        if IN_CI:
            pytest.fail("CI runs as root")
        pytest.skip("bind-mounting the system bundle needs root")
    system = Path(ssl.get_default_verify_paths().openssl_cafile).resolve()
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(system.read_bytes() + Path(tls.ca_file).read_bytes())
    key = new_key()
    tls_fake.add_key(key, "cn-beijing")
    env = clean_env(home, DASHSCOPE_SETUP_REGION_URLS=tls_fake.urls_env(), DASHSCOPE_SETUP_TIMEOUT="5")
    script = f'mount --bind "$0" "$1" && shift && exec "{sys.executable}" -m wizard "$@"'
    argv = [unshare, "-m", "sh", "-c", script, str(bundle), str(system)]
    proc = subprocess.run(
        [*argv, *SETUP], input=key, capture_output=True, text=True, env=env, cwd=str(home), timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["check"]["status"] == "ok"
    # and the same call without the root in the store is refused: the mount is what made it pass
    without = run_cli(home, *SETUP, stdin=key, env={"DASHSCOPE_SETUP_REGION_URLS": tls_fake.urls_env()})
    assert without.returncode == 7 and "check.tls_verify" in without.stdout, without.stdout


def test_fake_proxies_relay_for_real(http_proxy: HttpProxy, socks_proxy: Socks5Proxy) -> None:
    """The proxies themselves: a plain-http request through each reaches the fake, and is recorded."""
    key = "sk-" + secrets.token_hex(16)
    with running_fake({key: "cn-beijing"}) as fake:
        for proxy in (http_proxy, socks_proxy):
            client = make_client({"HTTP_PROXY": proxy.url})
            try:
                response = client.get(
                    fake.url("cn-beijing") + "/models", headers={"Authorization": f"Bearer {key}"}
                )
            finally:
                client.close()
            assert response.status_code == 200
            assert proxy.seen.targets() == [f"127.0.0.1:{fake.port}"]
