"""The fake DashScope is faithful enough that clients nobody here wrote accept it: the openai SDK
(streamed and plain, errors), the official dashscope SDK (native API, from a subprocess configured
only through environment variables, as a user's program would be), and it never records the key.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT
from tests.fakes.dashscope import DEFAULT_REPLY, FakeDashScope, running_fake
from wizard.check import run_check
from wizard.regions import region_urls

pytest_plugins = ["tests.fakes.fixtures"]

KEY = "sk-" + "feedfacecafebeef" * 2


@pytest.fixture
def fake() -> Iterator[FakeDashScope]:
    with running_fake({KEY: "ap-southeast-1"}) as running:
        yield running


def openai_client(base_url: str):  # type: ignore[no-untyped-def]
    openai = pytest.importorskip("openai")
    return openai.OpenAI(
        api_key=KEY, base_url=base_url, http_client=httpx.Client(trust_env=False), max_retries=0
    )


def test_openai_sdk_streams_the_reply(fake: FakeDashScope) -> None:
    client = openai_client(fake.url("ap-southeast-1"))
    stream = client.chat.completions.create(
        model="qwen-plus",
        messages=[{"role": "user", "content": "你是谁？"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == DEFAULT_REPLY


def test_openai_sdk_sees_usage_in_the_last_chunk(fake: FakeDashScope) -> None:
    client = openai_client(fake.url("ap-southeast-1"))
    chunks = list(
        client.chat.completions.create(
            model="qwen-plus",
            messages=[{"role": "user", "content": "hi"}],
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == len(DEFAULT_REPLY)


def test_openai_sdk_plain_completion(fake: FakeDashScope) -> None:
    client = openai_client(fake.url("ap-southeast-1"))
    completion = client.chat.completions.create(
        model="qwen-plus", messages=[{"role": "user", "content": "hi"}]
    )
    assert completion.choices[0].message.content == DEFAULT_REPLY


def test_openai_sdk_gets_401_invalid_api_key_in_another_region(fake: FakeDashScope) -> None:
    openai = pytest.importorskip("openai")
    client = openai_client(fake.url("cn-beijing"))
    with pytest.raises(openai.AuthenticationError) as info:
        client.models.list()
    assert info.value.code == "invalid_api_key"


def test_openai_sdk_lists_qwen_plus(fake: FakeDashScope) -> None:
    client = openai_client(fake.url("ap-southeast-1"))
    assert "qwen-plus" in {m.id for m in client.models.list()}


def test_model_names_are_case_sensitive(fake: FakeDashScope) -> None:
    openai = pytest.importorskip("openai")
    client = openai_client(fake.url("ap-southeast-1"))
    with pytest.raises(openai.NotFoundError) as info:
        client.chat.completions.create(model="Qwen-Plus", messages=[{"role": "user", "content": "hi"}])
    assert info.value.code == "model_not_found"


DASHSCOPE_PROGRAM = """
from dashscope import Generation
r = Generation.call(model="qwen-plus", messages=[{"role": "user", "content": "你是谁？"}], result_format="message")
print(int(r.status_code), r.code or "-", r.output.choices[0].message.content if r.output else "-")
"""


def run_dashscope_program(native_url: str, tmp_path: Path) -> str:
    pytest.importorskip("dashscope")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DASHSCOPE_API_KEY": KEY,
        "DASHSCOPE_HTTP_BASE_URL": native_url,
    }
    proc = subprocess.run(
        [sys.executable, "-c", DASHSCOPE_PROGRAM],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return proc.stdout.strip() or proc.stderr[-2000:]


def test_dashscope_sdk_calls_the_native_api_of_the_keys_region(fake: FakeDashScope, tmp_path: Path) -> None:
    assert run_dashscope_program(fake.native_url("ap-southeast-1"), tmp_path) == f"200 - {DEFAULT_REPLY}"


def test_dashscope_sdk_gets_invalid_api_key_in_another_region(fake: FakeDashScope, tmp_path: Path) -> None:
    assert run_dashscope_program(fake.native_url("cn-beijing"), tmp_path) == "401 InvalidApiKey -"


def test_native_error_is_the_flat_form(fake: FakeDashScope) -> None:
    resp = httpx.get(f"{fake.native_url('cn-beijing')}/models", headers={"Authorization": f"Bearer {KEY}"})
    assert set(resp.json()) == {"code", "message", "request_id"}


def test_fake_never_records_the_key(fake: FakeDashScope) -> None:
    httpx.get(f"{fake.url('ap-southeast-1')}/models", headers={"Authorization": f"Bearer {KEY}"})
    assert KEY not in repr(fake.recorded())


def test_fault_fires_only_as_often_as_configured(fake: FakeDashScope) -> None:
    fake.add_fault("error", code="limit_requests", endpoint="models")
    url = f"{fake.url('ap-southeast-1')}/models"
    codes = [httpx.get(url, headers={"Authorization": f"Bearer {KEY}"}).status_code for _ in range(2)]
    assert codes == [429, 200]


def test_fixture_key_is_shaped_like_a_real_key(fake_key: str) -> None:
    assert fake_key.startswith("sk-") and len(fake_key) == 35


def test_fixtures_wire_region_urls_env_to_the_fake(
    fake_key: str, hermetic_env: dict[str, str], fake_client: httpx.Client
) -> None:
    """The lead's path: env -> regions.region_urls -> run_check, all through the shared fixtures."""
    result = run_check(key=fake_key, client=fake_client, urls=region_urls(hermetic_env))
    assert (result.status, result.region) == ("ok", "cn-beijing")


def test_command_line_fake_serves_a_key_from_a_file(tmp_path: Path) -> None:
    keys = tmp_path / "keys.txt"
    keys.write_text(f"# key region\n{KEY} us-east-1\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.dashscope", "--port", "0", "--keys-file", str(keys)],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        urls = dict(part.split("=", 1) for part in line.split("=", 1)[1].split(","))
        status = httpx.get(
            f"{urls['us-east-1']}/models", headers={"Authorization": f"Bearer {KEY}"}
        ).status_code
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert status == 200
