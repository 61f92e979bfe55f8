"""pytest fixtures for the fake DashScope. Load them from tests/conftest.py with
``pytest_plugins = ["tests.fakes.fixtures"]`` (or import the names).

- ``fake_dashscope``: a running FakeDashScope (all four regions, no keys yet), stopped after the test.
- ``fake_key``: a key registered for cn-beijing on ``fake_dashscope``.
- ``hermetic_env``: a minimal environment dict with no proxy or TLS variables, plus
  DASHSCOPE_SETUP_REGION_URLS pointing every region at the fake.
- ``fake_client``: ``wizard.check.net.make_client(hermetic_env)`` with short timeouts, closed afterwards.
- ``tls_material``: a private CA and a server certificate for 127.0.0.1 (session-scoped).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fakes.dashscope import FakeDashScope, TlsMaterial, make_tls_material

FAKE_KEY = "sk-" + "0123456789abcdef" * 2  # shaped like a real key; valid only on the fake

PROXY_AND_TLS_VARS = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
)


@pytest.fixture
def fake_dashscope() -> Iterator[FakeDashScope]:
    fake = FakeDashScope()
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def fake(fake_dashscope: FakeDashScope) -> FakeDashScope:
    """The short name the end-to-end tests use."""
    return fake_dashscope


@pytest.fixture
def fake_key(fake_dashscope: FakeDashScope) -> str:
    fake_dashscope.add_key(FAKE_KEY, "cn-beijing")
    return FAKE_KEY


@pytest.fixture
def hermetic_env(fake_dashscope: FakeDashScope, tmp_path: Path) -> dict[str, str]:
    return {
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "DASHSCOPE_SETUP_REGION_URLS": fake_dashscope.urls_env(),
    }


@pytest.fixture
def fake_client(hermetic_env: dict[str, str]) -> Iterator[httpx.Client]:
    from wizard.check.net import make_client

    client = make_client(hermetic_env, connect_timeout=2.0, read_timeout=2.0)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture(scope="session")
def tls_material(tmp_path_factory: pytest.TempPathFactory) -> TlsMaterial:
    return make_tls_material(tmp_path_factory.mktemp("tls"))
