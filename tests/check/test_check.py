"""The live check against the fake DashScope, over real httpx on loopback.

Every failure scenario runs once (cached) and is then asserted from several angles, each in its own
test: exit code, message id, request_id, rendering in both languages, and that the key leaks nowhere.
"""

from __future__ import annotations

import functools
import json
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.fakes.dashscope import DEFAULT_REPLY, REGION_IDS, FakeDashScope, RecordedRequest, running_fake
from wizard.check import (
    EXIT_CODES,
    MAX_TOKENS,
    TEST_MESSAGES,
    CheckResult,
    precheck_key,
    run_check,
    skipped,
)
from wizard.check.net import make_client
from wizard.messages.check import render

KEY = "sk-" + "5f3a9c1e7b2d4f6a" * 2
CODING_KEY = "sk-sp-" + "0f1e2d3c4b5a6978" * 2
TEMP_KEY = "st-" + "abcdef0123456789" * 2
SPACED_KEY = "sk-5f3a9c1e7b2d 4f6a5f3a9c1e7b2d4f6a"
ENV: dict[str, str] = {"PATH": "/usr/bin:/bin"}  # hermetic: no proxy, no SSL_CERT_FILE
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = int(s.getsockname()[1])
    s.close()
    return port


@dataclass(frozen=True)
class Scenario:
    msg_id: str
    exit_code: int
    request_id: bool
    key: str = KEY
    key_region: str | None = "cn-beijing"
    account_error: str | None = None
    setup: Callable[[FakeDashScope], None] = lambda fake: None
    kwargs: Callable[[FakeDashScope], dict[str, Any]] = lambda fake: {}
    urls: Callable[[FakeDashScope], dict[str, str]] | None = None
    regions: tuple[str, ...] = REGION_IDS
    read_timeout: float = 5.0


def fault(kind: str, **options: Any) -> Callable[[FakeDashScope], None]:
    return lambda fake: fake.add_fault(kind, **options) and None


def region_only(region: str) -> Callable[[FakeDashScope], dict[str, Any]]:
    return lambda fake: {"region": region}


def hk_without_qwen_plus(fake: FakeDashScope) -> None:
    fake.models["cn-hongkong"] = ["qwen-max"]


def one_region_unreachable(fake: FakeDashScope) -> dict[str, str]:
    urls = fake.urls(REGION_IDS)
    urls["us-east-1"] = f"http://127.0.0.1:{closed_port()}/us-east-1/compatible-mode/v1"
    return urls


def all_regions_unreachable(fake: FakeDashScope) -> dict[str, str]:
    port = closed_port()
    return {r: f"http://127.0.0.1:{port}/{r}/compatible-mode/v1" for r in REGION_IDS}


SCENARIOS: dict[str, Scenario] = {
    # key rejected (3)
    "rejected_everywhere": Scenario("check.rejected_everywhere", 3, True, key_region=None),
    "rejected_in_named_region": Scenario(
        "check.rejected_in_region", 3, True, key_region="ap-southeast-1", kwargs=region_only("cn-beijing")
    ),
    "rejected_by_custom_endpoint": Scenario(
        "check.rejected_custom",
        3,
        True,
        regions=(*REGION_IDS, "ws-demo"),
        kwargs=lambda fake: {"base_url": fake.url("ws-demo")},
    ),
    # account state (4): the key is fine
    "arrearage": Scenario("check.arrearage", 4, True, account_error="Arrearage"),
    "access_denied": Scenario("check.access_denied", 4, True, account_error="AccessDenied"),
    "unpurchased": Scenario("check.unpurchased", 4, True, account_error="AccessDenied.Unpurchased"),
    "model_access_denied": Scenario("check.model_access_denied", 4, True, account_error="Model.AccessDenied"),
    "free_tier_only": Scenario("check.free_tier_only", 4, True, account_error="AllocationQuota.FreeTierOnly"),
    "unknown_403": Scenario(
        "check.forbidden", 4, True, setup=fault("error", code="Some.NewDenial", status=403, times=None)
    ),
    # model (5)
    "model_typo": Scenario("check.model_not_found", 5, True, kwargs=lambda f: {"model": "qwen-pluss"}),
    "model_wrong_case": Scenario(
        "check.model_not_found_case", 5, True, kwargs=lambda f: {"model": "Qwen-Plus"}
    ),
    "model_not_in_region": Scenario(
        "check.model_not_found", 5, True, key_region="cn-hongkong", setup=hk_without_qwen_plus
    ),
    "model_not_compatible": Scenario(
        "check.model_not_supported", 5, True, kwargs=lambda f: {"model": "wanx2.1-t2i-turbo"}
    ),
    "chosen_model_rejects_request": Scenario(
        "check.model_bad_request",
        5,
        True,
        setup=fault("error", code="invalid_parameter_error", times=None),
        kwargs=lambda f: {"model": "qwen-max"},
    ),
    # rate limits after the one retry (6)
    "limit_requests": Scenario(
        "check.rate_limited", 6, False, setup=fault("error", code="limit_requests", times=None)
    ),
    "limit_burst_rate": Scenario(
        "check.rate_limited", 6, True, setup=fault("error", code="limit_burst_rate", times=None)
    ),
    "token_limit": Scenario(
        "check.token_limit", 6, True, setup=fault("error", code="insufficient_quota", times=None)
    ),
    # service refusals and server errors (7, or 1 for our own bug)
    "data_inspection": Scenario(
        "check.content_blocked", 7, False, setup=fault("error", code="data_inspection_failed", times=None)
    ),
    "data_inspection_mid_stream": Scenario("check.content_blocked", 7, True, setup=fault("mid_stream_error")),
    "invalid_parameter_default_model": Scenario(
        "check.bad_request", 1, True, setup=fault("error", code="invalid_parameter_error", times=None)
    ),
    "server_error_500": Scenario("check.server_error", 7, True, setup=fault("server_error", times=None)),
    "server_error_503": Scenario(
        "check.server_error", 7, True, setup=fault("server_error", status=503, times=None)
    ),
    "gateway_html_502": Scenario(
        "check.server_error", 7, False, setup=fault("non_json", status=502, times=None)
    ),
    "portal_html_200": Scenario("check.malformed_body", 7, False, setup=fault("non_json")),
    "stream_truncated": Scenario("check.stream_truncated", 7, True, setup=fault("truncate")),
    "stream_dropped": Scenario("check.stream_truncated", 7, True, setup=fault("drop")),
    "connection_reset": Scenario("check.connection_lost", 7, False, setup=fault("reset")),
    "read_timeout": Scenario(
        "check.read_timeout", 7, False, setup=fault("slow", delay=2.0), read_timeout=0.5
    ),
    "wrong_base_path": Scenario(
        "check.endpoint_not_found", 7, False, kwargs=lambda fake: {"base_url": f"{fake.origin}/cn-beijing/v1"}
    ),
    # detection without a verdict on the key (7)
    "detect_all_malformed": Scenario(
        "check.malformed_body", 7, False, setup=fault("non_json", endpoint="models", times=None)
    ),
    "detect_one_region_unreachable": Scenario(
        "check.detect_inconclusive", 7, False, key_region=None, urls=one_region_unreachable
    ),
    "detect_all_unreachable": Scenario(
        "check.connection_refused", 7, False, key_region=None, urls=all_regions_unreachable
    ),
    # refused before any request
    "unknown_region": Scenario("check.unknown_region", 2, False, kwargs=region_only("eu-west-9")),
    "coding_plan_key": Scenario("check.key_coding_plan", 3, False, key=CODING_KEY, key_region=None),
    "temporary_token": Scenario("check.key_temporary", 2, False, key=TEMP_KEY, key_region=None),
    "key_with_space": Scenario("check.key_malformed", 2, False, key=SPACED_KEY, key_region=None),
    "empty_key": Scenario("check.key_missing", 2, False, key="", key_region=None),
}


@dataclass(frozen=True)
class Outcome:
    result: CheckResult
    requests: tuple[RecordedRequest, ...]
    sleeps: tuple[float, ...]
    deltas: tuple[str, ...]
    stages: tuple[tuple[str, dict[str, Any]], ...] = field(default=())


def run_against_fake(
    fake: FakeDashScope,
    key: str,
    *,
    urls: dict[str, str] | None = None,
    read_timeout: float = 5.0,
    **kwargs: Any,
) -> Outcome:
    sleeps: list[float] = []
    deltas: list[str] = []
    stages: list[tuple[str, dict[str, Any]]] = []
    client = make_client(ENV, connect_timeout=2.0, read_timeout=read_timeout)
    try:
        result = run_check(
            key=key,
            client=client,
            urls=urls if urls is not None else fake.urls(REGION_IDS),
            sleep=sleeps.append,
            on_delta=deltas.append,
            on_stage=lambda name, info: stages.append((name, info)),
            **kwargs,
        )
    finally:
        client.close()
    return Outcome(result, tuple(fake.recorded()), tuple(sleeps), tuple(deltas), tuple(stages))


@functools.cache
def outcome(name: str) -> Outcome:
    sc = SCENARIOS[name]
    with running_fake(regions=sc.regions) as fake:
        if sc.key_region:
            fake.add_key(sc.key, sc.key_region, account_error=sc.account_error)
        sc.setup(fake)
        urls = sc.urls(fake) if sc.urls else None
        return run_against_fake(fake, sc.key, urls=urls, read_timeout=sc.read_timeout, **sc.kwargs(fake))


NAMES = sorted(SCENARIOS)


# --- every failure: exit code, cause, request_id, both languages, no key ---------------------------


@pytest.mark.parametrize("name", NAMES)
def test_failure_has_documented_exit_code(name: str) -> None:
    assert outcome(name).result.exit_code == SCENARIOS[name].exit_code


@pytest.mark.parametrize("name", NAMES)
def test_failure_names_its_cause(name: str) -> None:
    assert outcome(name).result.msg_id == SCENARIOS[name].msg_id


@pytest.mark.parametrize("name", NAMES)
def test_failure_status_is_failed(name: str) -> None:
    assert outcome(name).result.status == "failed"


@pytest.mark.parametrize("name", NAMES)
def test_failure_exit_code_matches_catalogue_table(name: str) -> None:
    result = outcome(name).result
    assert result.msg_id is not None
    assert int(EXIT_CODES[result.msg_id]) == result.exit_code


@pytest.mark.parametrize("name", NAMES)
def test_failure_carries_request_id_when_the_service_gave_one(name: str) -> None:
    rid = outcome(name).result.request_id
    if SCENARIOS[name].request_id:
        assert rid is not None and UUID.match(rid)
    else:
        assert rid is None


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", NAMES)
def test_failure_message_renders_without_the_key(name: str, lang: str) -> None:
    result = outcome(name).result
    assert result.msg_id is not None
    text = render(result.msg_id, result.params, lang, request_id=result.request_id)
    assert text and "{" not in text
    assert not SCENARIOS[name].key or SCENARIOS[name].key not in text


@pytest.mark.parametrize("name", NAMES)
def test_failure_result_never_contains_the_key(name: str) -> None:
    key = SCENARIOS[name].key
    result = outcome(name).result
    assert not key or key not in repr(result)
    assert not key or key not in json.dumps(result.to_json(), ensure_ascii=False)


@pytest.mark.parametrize("name", NAMES)
def test_failure_reply_is_empty(name: str) -> None:
    assert outcome(name).result.reply == ""


@pytest.mark.parametrize(
    "name",
    ["arrearage", "access_denied", "unpurchased", "model_access_denied", "free_tier_only", "limit_requests"],
)
def test_account_and_limit_messages_say_the_key_is_fine(name: str) -> None:
    result = outcome(name).result
    assert result.msg_id is not None
    assert "The key is fine" in render(result.msg_id, result.params, "en")
    assert "密钥没有问题" in render(result.msg_id, result.params, "zh")


def test_account_state_messages_link_the_region_console() -> None:
    result = outcome("access_denied").result
    assert "https://bailian.console.aliyun.com/" in render("check.access_denied", result.params, "en")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_arrearage_links_the_billing_console_of_the_keys_site(lang: str) -> None:
    """Overdue is settled in Expenses and Costs, not on the API-key page: the China site for Beijing."""
    text = render("check.arrearage", outcome("arrearage").result.params, lang)
    assert "https://billing-cost.console.aliyun.com/" in text
    assert "api-key" not in text


def test_wrong_case_model_suggests_lower_case() -> None:
    assert outcome("model_wrong_case").result.params["suggestion"] == "qwen-plus"


def test_rejected_everywhere_mentions_every_region() -> None:
    text = render("check.rejected_everywhere", outcome("rejected_everywhere").result.params, "en")
    assert all(
        name in text for name in ("China (Beijing)", "Singapore", "US (Virginia)", "China (Hong Kong)")
    )


def test_rejected_everywhere_points_at_base_url_for_workspace_and_coding_plan() -> None:
    text = render("check.rejected_everywhere", outcome("rejected_everywhere").result.params, "en")
    assert "--base-url" in text and "Coding Plan" in text


def test_mid_stream_error_is_flagged_as_mid_stream() -> None:
    assert outcome("data_inspection_mid_stream").result.params.get("mid_stream") is True


def test_mid_stream_error_discards_partial_reply_after_showing_it() -> None:
    out = outcome("data_inspection_mid_stream")
    assert out.deltas and out.result.reply == ""


# --- requests made (or not) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["coding_plan_key", "temporary_token", "key_with_space", "empty_key", "unknown_region"]
)
def test_refused_before_any_request(name: str) -> None:
    assert outcome(name).requests == ()


def chat_requests(out: Outcome) -> list[RecordedRequest]:
    return [r for r in out.requests if r.endpoint == "chat"]


@pytest.mark.parametrize("name", ["limit_requests", "token_limit", "server_error_500", "gateway_html_502"])
def test_persistent_429_or_5xx_is_retried_exactly_once(name: str) -> None:
    assert len(chat_requests(outcome(name))) == 2


@pytest.mark.parametrize("name", ["limit_requests", "server_error_500"])
def test_retry_waits_through_the_injected_sleep(name: str) -> None:
    assert len(outcome(name).sleeps) == 1


@pytest.mark.parametrize("name", ["model_typo", "arrearage", "rejected_in_named_region", "portal_html_200"])
def test_other_failures_are_not_retried(name: str) -> None:
    assert len(chat_requests(outcome(name))) == 1


def test_429_once_with_retry_after_succeeds_after_waiting_that_long() -> None:
    with running_fake({KEY: "cn-beijing"}) as fake:
        fake.add_fault("error", code="limit_requests", retry_after="2")
        out = run_against_fake(fake, KEY, region="cn-beijing")
    assert (out.result.status, out.sleeps) == ("ok", (2.0,))


def test_retry_after_is_capped_at_three_seconds() -> None:
    with running_fake({KEY: "cn-beijing"}) as fake:
        fake.add_fault("error", code="limit_requests", retry_after="30")
        out = run_against_fake(fake, KEY, region="cn-beijing")
    assert out.sleeps == (3.0,)


def test_429_without_retry_after_waits_one_second() -> None:
    with running_fake({KEY: "cn-beijing"}) as fake:
        fake.add_fault("error", code="limit_burst_rate")
        out = run_against_fake(fake, KEY, region="cn-beijing")
    assert out.sleeps == (1.0,)


def test_5xx_once_is_retried_and_succeeds() -> None:
    with running_fake({KEY: "cn-beijing"}) as fake:
        fake.add_fault("server_error", status=503)
        out = run_against_fake(fake, KEY, region="cn-beijing")
    assert out.result.status == "ok" and len(chat_requests(out)) == 2


def test_retry_is_announced_as_a_stage() -> None:
    with running_fake({KEY: "cn-beijing"}) as fake:
        fake.add_fault("error", code="limit_requests", retry_after="1")
        out = run_against_fake(fake, KEY, region="cn-beijing")
    assert ("retrying", {"reason": "rate_limited", "wait_s": 1.0, "http_status": 429}) in out.stages


# --- success ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def singapore() -> Outcome:
    with running_fake({KEY: "ap-southeast-1"}) as fake:
        return run_against_fake(fake, KEY)


def test_detection_finds_the_singapore_key(singapore: Outcome) -> None:
    assert (singapore.result.region, singapore.result.detected) == ("ap-southeast-1", True)


def test_success_uses_the_detected_region_base_url(singapore: Outcome) -> None:
    assert singapore.result.base_url is not None
    assert singapore.result.base_url.endswith("/ap-southeast-1/compatible-mode/v1")


def test_success_status_and_exit_code(singapore: Outcome) -> None:
    assert (singapore.result.status, singapore.result.exit_code, singapore.result.msg_id) == ("ok", 0, None)


def test_success_reply_is_the_streamed_text(singapore: Outcome) -> None:
    assert singapore.result.reply == "".join(singapore.deltas) == DEFAULT_REPLY


def test_reply_arrives_in_several_deltas(singapore: Outcome) -> None:
    assert len(singapore.deltas) > 1


def test_success_collects_usage(singapore: Outcome) -> None:
    usage = singapore.result.usage
    assert usage is not None
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"] > 0


def test_success_measures_ttft_within_total_latency(singapore: Outcome) -> None:
    ttft, total = singapore.result.ttft_ms, singapore.result.latency_ms
    assert ttft is not None and total is not None and 0 <= ttft <= total


def test_success_request_id_comes_from_the_stream(singapore: Outcome) -> None:
    assert singapore.result.request_id is not None and UUID.match(singapore.result.request_id)


def test_success_records_one_probe_per_region(singapore: Outcome) -> None:
    assert {p.region for p in singapore.result.probes} == set(REGION_IDS)


def test_success_probe_of_owner_is_ok(singapore: Outcome) -> None:
    outcomes = {p.region: p.outcome for p in singapore.result.probes}
    assert outcomes["ap-southeast-1"] == "ok"


def test_chat_request_is_the_guides_streamed_call(singapore: Outcome) -> None:
    (chat,) = chat_requests(singapore)
    assert chat.body == {
        "model": "qwen-plus",
        "messages": [dict(m) for m in TEST_MESSAGES],
        "stream": True,
        "stream_options": {"include_usage": True},
        "max_tokens": MAX_TOKENS,
    }


def test_chat_request_asks_for_event_stream(singapore: Outcome) -> None:
    (chat,) = chat_requests(singapore)
    assert chat.headers.get("Accept") == "text/event-stream"


def test_stages_run_in_order(singapore: Outcome) -> None:
    names = [name for name, _ in singapore.stages if name != "probe"]
    assert names == ["probing", "detected", "calling", "done"]


def test_success_params_render_the_ok_message(singapore: Outcome) -> None:
    text = render("check.ok", singapore.result.params, "zh")
    assert "新加坡" in text and "qwen-plus" in text


def test_success_result_never_contains_the_key(singapore: Outcome) -> None:
    assert KEY not in repr(singapore.result)


def test_to_json_has_exactly_the_documented_fields(singapore: Outcome) -> None:
    assert set(singapore.result.to_json()) == {
        "status",
        "http_status",
        "error_code",
        "request_id",
        "region",
        "base_url",
        "latency_ms",
        "ttft_ms",
        "model",
        "usage",
        "detected",
        "exit_code",
        "msg_id",
    }


def test_to_json_is_serialisable(singapore: Outcome) -> None:
    assert json.loads(json.dumps(singapore.result.to_json()))["region"] == "ap-southeast-1"


def test_plain_completion_from_a_gateway_is_accepted() -> None:
    with running_fake({KEY: "cn-beijing"}) as fake:
        fake.add_fault("no_stream")
        out = run_against_fake(fake, KEY, region="cn-beijing")
    assert (out.result.status, out.result.reply) == ("ok", DEFAULT_REPLY)


def test_max_tokens_reaches_the_service() -> None:
    with running_fake({KEY: "cn-beijing"}) as fake:
        out = run_against_fake(fake, KEY, region="cn-beijing", max_tokens=5)
    assert out.result.reply == DEFAULT_REPLY[:5]


# --- skipping detection -----------------------------------------------------------------------------


def test_explicit_region_skips_detection() -> None:
    with running_fake({KEY: "us-east-1"}) as fake:
        out = run_against_fake(fake, KEY, region="us-east-1")
    assert [r.endpoint for r in out.requests] == ["chat"]


def test_explicit_region_is_not_marked_detected() -> None:
    with running_fake({KEY: "us-east-1"}) as fake:
        out = run_against_fake(fake, KEY, region="us-east-1")
    assert (out.result.region, out.result.detected) == ("us-east-1", False)


def test_base_url_of_a_known_region_reports_that_region() -> None:
    with running_fake({KEY: "cn-hongkong"}) as fake:
        out = run_against_fake(fake, KEY, base_url=fake.url("cn-hongkong") + "/")
    assert (out.result.status, out.result.region) == ("ok", "cn-hongkong")


def test_workspace_base_url_reports_custom_region() -> None:
    with running_fake({KEY: "ws-demo"}, regions=(*REGION_IDS, "ws-demo")) as fake:
        out = run_against_fake(fake, KEY, base_url=fake.url("ws-demo"))
    assert (out.result.status, out.result.region, [r.endpoint for r in out.requests]) == (
        "ok",
        "custom",
        ["chat"],
    )


# --- detection ----------------------------------------------------------------------------------------


def wait_until_finished(fake: FakeDashScope, endpoint: str, count: int) -> list[RecordedRequest]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        done = [r for r in fake.recorded(endpoint) if r.finished is not None]
        if len(done) >= count:
            return done
        time.sleep(0.02)
    raise AssertionError(f"{endpoint}: fewer than {count} requests finished")


def test_detection_probes_overlap_in_time() -> None:
    """All four probes were in flight together: concurrency, proven by the fake's timestamps."""
    with running_fake({KEY: "us-east-1"}, latency=0.3) as fake:
        run_against_fake(fake, KEY)
        probes = wait_until_finished(fake, "models", 4)
    assert max(r.started for r in probes) < min(r.finished or 0 for r in probes)


def test_detection_does_not_wait_for_a_slow_region_once_one_answered() -> None:
    with running_fake({KEY: "cn-beijing"}) as fake:
        fake.add_fault("slow", endpoint="models", region="cn-hongkong", delay=3.0)
        out = run_against_fake(fake, KEY)
    outcomes = {p.region: p.outcome for p in out.result.probes}
    assert (out.result.status, outcomes["cn-hongkong"]) == ("ok", "pending")


def test_region_recognising_the_key_with_an_account_error_owns_it() -> None:
    with running_fake() as fake:
        fake.add_key(KEY, "us-east-1", account_error="AccessDenied")
        fake.add_fault("error", code="AccessDenied", endpoint="models", region="us-east-1", times=None)
        out = run_against_fake(fake, KEY)
    assert (out.result.msg_id, out.result.region, out.result.detected) == (
        "check.access_denied",
        "us-east-1",
        True,
    )


def test_all_regions_unreachable_is_not_called_a_rejected_key() -> None:
    result = outcome("detect_all_unreachable").result
    assert result.exit_code != 3 and all(p.outcome == "network" for p in result.probes)


def test_inconclusive_detection_names_the_unreachable_region() -> None:
    result = outcome("detect_one_region_unreachable").result
    assert result.params["unreachable_en"] == "US (Virginia)"


def test_detection_over_an_empty_region_table_fails_cleanly() -> None:
    client = make_client(ENV)
    try:
        result = run_check(key=KEY, client=client, urls={})
    finally:
        client.close()
    assert (result.msg_id, result.exit_code) == ("check.network_error", 7)


def test_rejected_everywhere_probes_are_all_rejected() -> None:
    assert {p.outcome for p in outcome("rejected_everywhere").result.probes} == {"rejected"}


# --- precheck ---------------------------------------------------------------------------------------


def test_precheck_passes_an_ordinary_key() -> None:
    assert precheck_key(KEY) is None


def test_precheck_allows_coding_plan_key_on_coding_plan_endpoint() -> None:
    assert precheck_key(CODING_KEY, base_url="https://coding-intl.dashscope.aliyuncs.com/v1") is None


def test_precheck_refuses_coding_plan_key_on_pay_as_you_go_endpoint() -> None:
    result = precheck_key(CODING_KEY, base_url="https://dashscope-intl.aliyuncs.com/compatible-mode/v1")
    assert result is not None and result.msg_id == "check.key_coding_plan"


def test_precheck_reports_position_of_the_space() -> None:
    result = precheck_key(SPACED_KEY)
    assert result is not None and result.params["pos"] == SPACED_KEY.index(" ") + 1


def test_coding_plan_message_names_both_coding_endpoints() -> None:
    result = outcome("coding_plan_key").result
    text = render("check.key_coding_plan", result.params, "en")
    assert "coding.dashscope.aliyuncs.com" in text and "coding-intl.dashscope.aliyuncs.com" in text


def test_skipped_result_claims_nothing() -> None:
    result = skipped("qwen-max")
    assert (result.status, result.exit_code, result.region, result.model) == ("skipped", 0, None, "qwen-max")


@pytest.mark.parametrize(
    "url",
    [
        "https://coding.dashscope.aliyuncs.com/v1",
        "https://token-plan.cn-beijing.maas.aliyuncs.com/compatible-mode/v1",
        "https://token-plan.ap-southeast-1.maas.aliyuncs.com/compatible-mode/v1",
    ],
)
def test_precheck_allows_a_plan_key_on_each_documented_plan_endpoint(url: str) -> None:
    assert precheck_key(CODING_KEY, base_url=url) is None


@pytest.mark.parametrize(
    ("lang", "doc"),
    [
        ("en", "https://www.alibabacloud.com/help/en/model-studio/other-tools-coding-plan"),
        ("zh", "https://help.aliyun.com/zh/model-studio/coding-plan-quickstart"),
    ],
)
def test_plan_key_refusal_names_every_plan_endpoint_and_the_documentation(lang: str, doc: str) -> None:
    result = outcome("coding_plan_key").result
    text = render("check.key_coding_plan", result.params, lang)
    for host in ("coding", "coding-intl"):
        assert f"https://{host}.dashscope.aliyuncs.com/v1" in text
    for region in ("cn-beijing", "ap-southeast-1"):
        assert f"https://token-plan.{region}.maas.aliyuncs.com/compatible-mode/v1" in text
    assert doc in text
