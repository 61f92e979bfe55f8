"""Network failures, produced for real on loopback where possible: DNS, refused ports, TLS with a private
CA, proxies that are dead or answer 502/407. httpx.MockTransport only for what loopback cannot produce
deterministically (a connect timeout) and for exception texts carrying the key.
"""

from __future__ import annotations

import shutil
import socket
import socketserver
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakes.dashscope import TlsMaterial, make_tls_material, running_fake
from wizard.check import CheckResult, run_check
from wizard.check.net import make_client
from wizard.messages.check import render

KEY = "sk-" + "9e8d7c6b5a493827" * 2
REMOTE = "https://dashscope.example.invalid/compatible-mode/v1"


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = int(s.getsockname()[1])
    s.close()
    return port


def check(env: dict[str, str], base_url: str, **kwargs: Any) -> CheckResult:
    client = make_client(env, connect_timeout=2.0, read_timeout=2.0)
    try:
        return run_check(key=KEY, client=client, urls={}, base_url=base_url, sleep=lambda s: None, **kwargs)
    finally:
        client.close()


def rendered(result: CheckResult) -> str:
    assert result.msg_id is not None
    return "\n".join(
        render(result.msg_id, result.params, lang, request_id=result.request_id) for lang in ("en", "zh")
    )


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TlsMaterial:
    return make_tls_material(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def tls_fake(tls: TlsMaterial) -> Iterator[str]:
    with running_fake({KEY: "cn-beijing"}, tls=(tls.cert_file, tls.key_file)) as fake:
        yield fake.url("cn-beijing")


class TinyProxy:
    """Answers every request with one fixed status line and records the request lines it saw."""

    def __init__(self, status_line: str, extra: str = "") -> None:
        self.lines: list[str] = []
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                first = self.rfile.readline().decode("latin-1").strip()
                outer.lines.append(first)
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                self.wfile.write(
                    f"HTTP/1.1 {status_line}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n".encode()
                )

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def proxy_502() -> Iterator[TinyProxy]:
    proxy = TinyProxy("502 Bad Gateway")
    yield proxy
    proxy.close()


@pytest.fixture
def proxy_407() -> Iterator[TinyProxy]:
    proxy = TinyProxy("407 Proxy Authentication Required", 'Proxy-Authenticate: Basic realm="corp"\r\n')
    yield proxy
    proxy.close()


# --- DNS and refused ------------------------------------------------------------------------------------


def test_dns_failure_is_diagnosed_as_dns() -> None:
    result = check({}, "http://nonexistent.invalid/compatible-mode/v1")
    assert (result.msg_id, result.exit_code) == ("check.dns_failed", 7)


def test_dns_failure_names_the_host() -> None:
    assert "nonexistent.invalid" in rendered(check({}, "http://nonexistent.invalid/compatible-mode/v1"))


def test_refused_connection_is_diagnosed_as_refused() -> None:
    result = check({}, f"http://127.0.0.1:{closed_port()}/compatible-mode/v1")
    assert (result.msg_id, result.exit_code) == ("check.connection_refused", 7)


def test_refused_message_contains_no_key() -> None:
    assert KEY not in rendered(check({}, f"http://127.0.0.1:{closed_port()}/compatible-mode/v1"))


# --- TLS --------------------------------------------------------------------------------------------------


def test_untrusted_certificate_is_a_tls_verification_failure(tls_fake: str) -> None:
    result = check({}, tls_fake)
    assert (result.msg_id, result.exit_code) == ("check.tls_verify", 7)


def test_tls_hint_points_at_ssl_cert_file_never_at_disabling(tls_fake: str) -> None:
    text = rendered(check({}, tls_fake))
    assert "SSL_CERT_FILE" in text and "Do not switch certificate verification off" in text


def test_ssl_cert_file_in_injected_env_makes_tls_succeed(tls_fake: str, tls: TlsMaterial) -> None:
    assert check({"SSL_CERT_FILE": tls.ca_file}, tls_fake).status == "ok"


def test_ssl_cert_file_in_process_env_only_is_ignored(
    tls_fake: str, tls: TlsMaterial, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", tls.ca_file)
    assert check({}, tls_fake).msg_id == "check.tls_verify"


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl CLI for a hashed cert dir")
def test_ssl_cert_dir_in_injected_env_makes_tls_succeed(
    tls_fake: str, tls: TlsMaterial, tmp_path: Path
) -> None:
    shutil.copy(tls.ca_file, tmp_path / "corp.pem")
    subprocess.run(["openssl", "rehash", str(tmp_path)], check=True, capture_output=True)
    assert check({"SSL_CERT_DIR": str(tmp_path)}, tls_fake).status == "ok"


def test_https_to_a_plain_http_port_is_a_tls_error() -> None:
    with running_fake({KEY: "cn-beijing"}) as fake:
        url = fake.url("cn-beijing").replace("http://", "https://")
        result = check({}, url)
    assert (result.msg_id, result.exit_code) == ("check.tls_error", 7)


# --- proxies ----------------------------------------------------------------------------------------------


def test_dead_proxy_is_a_proxy_error_not_a_refused_service() -> None:
    result = check({"HTTPS_PROXY": f"http://127.0.0.1:{closed_port()}"}, REMOTE)
    assert (result.msg_id, result.exit_code) == ("check.proxy_failed", 7)


def test_proxy_password_is_masked_in_the_message() -> None:
    text = rendered(check({"HTTPS_PROXY": f"http://alice:s3cret-pw@127.0.0.1:{closed_port()}"}, REMOTE))
    assert "s3cret-pw" not in text and "alice:***@" in text


def test_proxy_answering_502_to_connect_is_a_proxy_error(proxy_502: TinyProxy) -> None:
    result = check({"HTTPS_PROXY": proxy_502.url}, REMOTE)
    assert (result.msg_id, "502" in result.params["detail"]) == ("check.proxy_failed", True)


def test_https_request_tunnels_through_the_injected_proxy(proxy_502: TinyProxy) -> None:
    check({"HTTPS_PROXY": proxy_502.url}, REMOTE)
    assert proxy_502.lines == ["CONNECT dashscope.example.invalid:443 HTTP/1.1"]


def test_lower_case_https_proxy_is_honoured(proxy_502: TinyProxy) -> None:
    assert check({"https_proxy": proxy_502.url}, REMOTE).msg_id == "check.proxy_failed"


def test_proxy_demanding_auth_is_told_apart(proxy_407: TinyProxy) -> None:
    result = check({"HTTPS_PROXY": proxy_407.url}, REMOTE)
    assert (result.msg_id, result.exit_code) == ("check.proxy_auth", 7)


def test_http_proxy_is_used_for_http_urls(proxy_502: TinyProxy) -> None:
    with running_fake({KEY: "cn-beijing"}) as fake:
        check({"HTTP_PROXY": proxy_502.url}, fake.url("cn-beijing"))
        reached_fake = bool(fake.recorded())
    assert proxy_502.lines and not reached_fake


def test_no_proxy_bypasses_the_proxy() -> None:
    env = {"HTTP_PROXY": f"http://127.0.0.1:{closed_port()}", "NO_PROXY": "127.0.0.1"}
    with running_fake({KEY: "cn-beijing"}) as fake:
        assert check(env, fake.url("cn-beijing")).status == "ok"


def test_proxy_in_process_env_only_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    dead = f"http://127.0.0.1:{closed_port()}"
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(var, dead)
    with running_fake({KEY: "cn-beijing"}) as fake:
        assert check({}, fake.url("cn-beijing")).status == "ok"


# --- timeouts and exception texts (MockTransport: not reproducible on loopback) ----------------------------


def mock_client(exc: Exception) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return httpx.Client(transport=httpx.MockTransport(handler), timeout=httpx.Timeout(4.0, connect=1.5))


def test_connect_timeout_is_told_apart_and_states_the_limit() -> None:
    result = run_check(
        key=KEY, client=mock_client(httpx.ConnectTimeout("timed out")), urls={}, base_url=REMOTE
    )
    assert (result.msg_id, result.params["seconds"]) == ("check.connect_timeout", "1.5")


def test_read_timeout_from_a_slow_fake_states_the_limit() -> None:
    with running_fake({KEY: "cn-beijing"}) as fake:
        fake.add_fault("slow", delay=1.5)
        client = make_client({}, read_timeout=0.3)
        result = run_check(key=KEY, client=client, urls={}, base_url=fake.url("cn-beijing"))
        client.close()
    assert (result.msg_id, result.params["seconds"]) == ("check.read_timeout", "0.3")


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError(f"boom with Authorization: Bearer {KEY}"),
        httpx.LocalProtocolError(f"Illegal header value b'Bearer {KEY}'"),
        httpx.ReadError(f"reset while sending {KEY}"),
    ],
)
def test_key_in_exception_text_is_redacted(exc: Exception) -> None:
    result = run_check(key=KEY, client=mock_client(exc), urls={}, base_url=REMOTE)
    assert KEY not in rendered(result) and KEY not in repr(result)


def test_all_regions_dns_failure_is_a_network_error_not_a_rejected_key() -> None:
    urls = {r: f"http://{r}.nonexistent.invalid/compatible-mode/v1" for r in ("cn-beijing", "ap-southeast-1")}
    client = make_client({}, connect_timeout=2.0)
    result = run_check(key=KEY, client=client, urls=urls)
    client.close()
    assert (result.msg_id, result.exit_code) == ("check.dns_failed", 7)
