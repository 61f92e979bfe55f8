"""The check's cost is bounded: a huge body is cut at a cap, a dripping or silent server at a deadline.

Caps and deadlines are injected small (``Limits``), so no test waits long or reads much; each asserts
which limit the diagnosis names, that memory stayed far below the body's size, and the elapsed time.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.fakes.dashscope import FakeDashScope, running_fake
from wizard.check import CheckResult, run_check
from wizard.check.limits import KIB, MIB, Budget, Deadline, LimitHit, Limits, lines_capped, read_capped
from wizard.check.net import make_client
from wizard.messages.check import render

KEY = "sk-" + "abad1deacafe0123" * 2
SMALL = Limits(models_bytes=64 * KIB, stream_bytes=64 * KIB, error_bytes=16 * KIB)


@pytest.fixture
def fake() -> Iterator[FakeDashScope]:
    with running_fake({KEY: "cn-beijing"}) as running:
        yield running


def check(fake: FakeDashScope, limits: Limits, *, region: str | None = "cn-beijing") -> CheckResult:
    with make_client({}, connect_timeout=2.0, read_timeout=5.0) as client:
        return run_check(
            key=KEY, client=client, urls=fake.urls(), region=region, limits=limits, sleep=lambda s: None
        )


def peak_while(fn: Callable[[], CheckResult]) -> tuple[CheckResult, int, float]:
    tracemalloc.start()
    start = time.monotonic()
    try:
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak, time.monotonic() - start


def both_languages(result: CheckResult) -> str:
    assert result.msg_id is not None
    return "\n".join(render(result.msg_id, result.params, lang) for lang in ("en", "zh"))


def test_a_huge_stream_is_cut_at_the_cap(fake: FakeDashScope) -> None:
    fault = fake.add_fault("huge", size=64 * MIB)
    result, peak, _ = peak_while(lambda: check(fake, SMALL))
    assert fault.hits == 1
    assert result.msg_id == "check.response_too_large"
    assert result.exit_code == 7
    assert peak < 8 * MIB, peak  # the body was 64 MiB
    text = both_languages(result)
    assert "64 KiB" in text and "/chat/completions" in text


def test_a_huge_plain_answer_is_cut_at_the_cap(fake: FakeDashScope) -> None:
    fake.add_fault("huge", size=64 * MIB, endpoint="models", times=None)
    result, peak, _ = peak_while(lambda: check(fake, SMALL, region=None))
    assert result.msg_id == "check.response_too_large"
    assert result.exit_code == 7
    assert peak < 8 * MIB, peak
    assert "/models" in both_languages(result)


def test_a_huge_error_body_is_cut_at_the_smaller_cap(fake: FakeDashScope) -> None:
    fake.add_fault("huge", size=64 * MIB, status=500)
    result, peak, _ = peak_while(lambda: check(fake, SMALL))
    assert result.msg_id == "check.response_too_large"
    assert result.http_status == 500
    assert "16 KiB" in both_languages(result)
    assert peak < 8 * MIB, peak


def test_a_dripping_stream_stops_at_the_request_deadline(fake: FakeDashScope) -> None:
    fake.add_fault("drip", delay=0.02, size=100_000)
    result, _, elapsed = peak_while(lambda: check(fake, Limits(request_seconds=0.4, check_seconds=30)))
    assert result.msg_id == "check.request_too_slow"
    assert result.exit_code == 7
    assert elapsed < 5
    assert "0.4" in both_languages(result)


def test_a_dripping_region_probe_stops_at_the_check_deadline(fake: FakeDashScope) -> None:
    fake.add_fault("drip", delay=0.02, size=100_000, endpoint="models", times=None)
    result, _, elapsed = peak_while(
        lambda: check(fake, Limits(request_seconds=30, check_seconds=0.4), region=None)
    )
    assert result.msg_id == "check.check_too_slow"
    assert result.exit_code == 7
    assert elapsed < 5
    assert "--no-test" in both_languages(result)


def test_a_silent_server_does_not_outlast_the_deadline(fake: FakeDashScope) -> None:
    # The read timeout (5 s) is longer than the request's deadline: the deadline wins.
    fake.add_fault("slow", delay=1.5)
    result, _, elapsed = peak_while(lambda: check(fake, Limits(request_seconds=0.3)))
    assert result.msg_id == "check.request_too_slow"
    assert elapsed < 1.4


def test_headers_dripping_one_byte_at_a_time_stop_at_the_request_deadline(fake: FakeDashScope) -> None:
    """Each header byte arrives well within the read timeout, so only a deadline over the whole
    request ends it (the call runs on a worker the caller stops waiting for)."""
    fake.add_fault("drip_headers", delay=0.05, size=2_000)
    result, _, elapsed = peak_while(lambda: check(fake, Limits(request_seconds=0.5, check_seconds=30)))
    assert result.msg_id == "check.request_too_slow"
    assert result.exit_code == 7
    assert elapsed < 2
    assert "0.5" in both_languages(result)


def test_dripping_headers_on_every_region_probe_stop_at_the_check_deadline(fake: FakeDashScope) -> None:
    fake.add_fault("drip_headers", delay=0.05, size=2_000, endpoint="models", times=None)
    result, _, elapsed = peak_while(
        lambda: check(fake, Limits(request_seconds=30, check_seconds=0.5), region=None)
    )
    assert result.msg_id == "check.check_too_slow"
    assert elapsed < 2


@pytest.mark.parametrize("endpoint", ["chat", "models"])
def test_a_compression_bomb_is_cut_at_the_cap_without_unpacking_it(
    fake: FakeDashScope, endpoint: str
) -> None:
    """64 MiB of spaces gzip to ~64 KiB: one chunk off the wire would unpack to tens of MiB at once,
    so the body is unpacked here a cap's worth at a time."""
    fault = fake.add_fault("bomb", size=64 * MIB, endpoint=endpoint, times=None)
    result, peak, _ = peak_while(
        lambda: check(fake, SMALL, region=None if endpoint == "models" else "cn-beijing")
    )
    assert fault.hits >= 1
    assert result.msg_id == "check.response_too_large"
    assert peak < 4 * MIB, peak


def test_a_small_gzip_body_is_read_whole(fake: FakeDashScope) -> None:
    import gzip

    body = b'{"ok": true}'
    resp = httpx.Response(
        200, headers={"content-encoding": "gzip"}, stream=httpx.ByteStream(gzip.compress(body))
    )
    assert read_capped(resp, 1024, _deadline()) == body


def test_the_whole_check_time_covers_the_retry(fake: FakeDashScope) -> None:
    fake.add_fault("server_error", retry_after="1")
    result = check(fake, Limits(check_seconds=0.5))
    assert result.msg_id == "check.server_error"
    assert len(fake.recorded("chat")) == 1  # no retry: its wait would not fit in the time left


def test_a_normal_check_fits_the_default_limits(fake: FakeDashScope) -> None:
    assert check(fake, Limits()).ok


# --- the readers on their own ------------------------------------------------------------------------


def _response(body: bytes, **headers: str) -> httpx.Response:
    return httpx.Response(200, headers=headers, stream=httpx.ByteStream(body))


def _deadline(seconds: float = 60.0) -> Deadline:
    return Budget(Limits(request_seconds=seconds), time.monotonic).request()


def test_lines_are_split_on_lf_and_crlf() -> None:
    resp = _response(b"data: a\r\n\r\ndata: b\nlast")
    assert list(lines_capped(resp, 1000, _deadline())) == ["data: a", "", "data: b", "last"]


def test_a_declared_length_over_the_cap_is_refused_before_reading() -> None:
    resp = _response(b"{}", **{"Content-Length": str(10 * MIB)})
    with pytest.raises(LimitHit) as info:
        read_capped(resp, MIB, _deadline())
    assert info.value.params["limit"] == "1 MiB"


def test_a_body_at_the_cap_is_read_whole() -> None:
    assert read_capped(_response(b"x" * 100), 100, _deadline()) == b"x" * 100
