"""Before the test call: refuse keys that cannot pass, and find the region that owns the key.

Keys are bound to one region, and every other region answers 401 to them, so the probes ask all regions
at once and the first 200 wins; a region blocked by a firewall must neither delay the answer nor keep
the process alive, hence daemon threads and an early return.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import httpx

from wizard.check.diagnose import diagnose_exc, diagnose_http, json_or_none, media_type
from wizard.check.limits import DEFAULT_LIMITS, Budget, LimitHit, Limits, read_capped
from wizard.check.net import request_headers
from wizard.check.result import DEFAULT_MODEL, CheckResult, Failure, ProbeResult, Where, failed
from wizard.keys import mask
from wizard.messages import t
from wizard.regions import REGIONS

# The plans' OpenAI-compatible endpoints, from their quick-start pages (docs/dashscope.md, "Plan keys").
CODING_PLAN_URLS = (
    "https://coding.dashscope.aliyuncs.com/v1",
    "https://coding-intl.dashscope.aliyuncs.com/v1",
)
TOKEN_PLAN_URLS = (
    "https://token-plan.cn-beijing.maas.aliyuncs.com/compatible-mode/v1",
    "https://token-plan.ap-southeast-1.maas.aliyuncs.com/compatible-mode/v1",
)
PLAN_HOSTS = frozenset(urlsplit(u).hostname for u in (*CODING_PLAN_URLS, *TOKEN_PLAN_URLS))

OnStage = Callable[[str, "dict[str, Any]"], None]


def precheck_key(value: str, *, base_url: str | None = None) -> CheckResult | None:
    """Refuse, without a request, keys that cannot possibly pass: sending them only yields a vaguer error.

    - empty, or containing whitespace/control/non-ASCII (httpx would raise "Illegal header value",
      which SDKs report as a connection error);
    - ``st-`` temporary tokens (expire within 30 minutes; useless for a persistent setup);
    - ``sk-sp-`` plan keys (Coding Plan, Token Plan) unless ``base_url`` is a plan endpoint: the
      pay-as-you-go hosts answer 401 to them, and a Coding Plan key is for interactive coding tools only,
      so the tool does not pick a plan host for it on its own.
    """
    where = Where(region=None, base_url=base_url, model=DEFAULT_MODEL, key_mask=mask(value))
    if not value:
        return failed(Failure("check.key_missing", {}), where)
    for i, ch in enumerate(value):
        if not 0x21 <= ord(ch) <= 0x7E:
            return failed(Failure("check.key_malformed", {"pos": i + 1}), where)
    if value.startswith("st-"):
        return failed(Failure("check.key_temporary", {}), where)
    if value.startswith("sk-sp-"):
        host = (urlsplit(base_url).hostname or "") if base_url else ""
        if host not in PLAN_HOSTS:
            params = {
                "coding_cn": CODING_PLAN_URLS[0],
                "coding_intl": CODING_PLAN_URLS[1],
                "token_cn": TOKEN_PLAN_URLS[0],
                "token_intl": TOKEN_PLAN_URLS[1],
            }
            return failed(Failure("check.key_coding_plan", params), where)
    return None


def _probe(
    region: str, url: str, key: str, client: httpx.Client, clock: Callable[[], float], budget: Budget
) -> ProbeResult:
    where = Where(region=region, base_url=url, model=DEFAULT_MODEL, key_mask=mask(key))
    start = clock()
    deadline = budget.request()
    answered: int | None = None
    try:
        with client.stream(
            "GET", f"{url}/models", headers=request_headers(key), timeout=deadline.timeout(client)
        ) as resp:
            answered = status = resp.status_code
            cap = budget.limits.models_bytes if status == 200 else budget.limits.error_bytes
            content = read_capped(resp, cap, deadline)
            content_type = media_type(resp)
    except (LimitHit, httpx.HTTPError) as exc:
        if isinstance(exc, LimitHit) or deadline.expired():
            hit = exc if isinstance(exc, LimitHit) else deadline.hit()
            fail = Failure(hit.msg_id, {**hit.params, "path": "/models"})
        else:
            fail = diagnose_exc(exc, key, client)
        elapsed = (clock() - start) * 1000
        return ProbeResult(region, answered, "network", elapsed, msg_id=fail.msg_id, params=fail.params)
    elapsed = (clock() - start) * 1000
    body = json_or_none(content)
    if status == 200:
        if isinstance(body, dict) and isinstance(body.get("data"), list):
            return ProbeResult(region, 200, "ok", elapsed)
        params = {"status": 200, "content_type": content_type}
        return ProbeResult(region, 200, "malformed", elapsed, msg_id="check.malformed_body", params=params)
    fail = diagnose_http(status, body, where, key, "/models", content_type)
    if status == 401:
        outcome = "rejected"
    elif status in (400, 403, 429) and fail.error_code:
        outcome = "account"
    elif status >= 500:
        outcome = "server_error"
    elif body is None:
        outcome = "malformed"
        fail = replace(fail, msg_id="check.malformed_body")
    else:
        outcome = "unexpected"
    return ProbeResult(
        region,
        status,
        outcome,
        elapsed,
        error_code=fail.error_code,
        request_id=fail.request_id,
        msg_id=fail.msg_id,
        params=fail.params,
    )


def detect_region(
    key: str,
    urls: Mapping[str, str],
    client: httpx.Client,
    *,
    model: str = DEFAULT_MODEL,
    on_stage: OnStage | None = None,
    clock: Callable[[], float] = time.monotonic,
    limits: Limits = DEFAULT_LIMITS,
    budget: Budget | None = None,
) -> tuple[str | None, tuple[ProbeResult, ...], CheckResult | None]:
    """Ask every region at once; the one answering 200 owns the key (keys are region-bound).

    Returns (region, probes, None) on success, (None, probes, failure) otherwise. The probes run on
    daemon threads sharing ``client``, and detection returns as soon as a region answers 200, so its
    time is about one probe, and a region blocked by a firewall neither delays the answer nor keeps
    the process alive at exit. Without a 200, a region that recognised the key but refused for an
    account reason (400/403/429 with a code) is taken as the owner, so the chat call can diagnose it.
    Detection stops waiting when the whole check's time (``limits.check_seconds``) is up.
    """
    budget = budget or Budget(limits, clock)
    whole = budget.whole()
    regions = list(urls)
    stage = on_stage or no_stage
    stage("probing", {"regions": regions})
    results: queue.Queue[tuple[str, ProbeResult | BaseException]] = queue.Queue()

    def work(region: str) -> None:
        try:
            results.put((region, _probe(region, urls[region], key, client, clock, budget)))
        except BaseException as exc:  # re-raised in the caller's thread; never lose a bug
            results.put((region, exc))

    for region in regions:
        threading.Thread(target=work, args=(region,), name=f"probe-{region}", daemon=True).start()

    done: dict[str, ProbeResult] = {}
    owner: str | None = None
    timed_out = False
    while len(done) < len(regions):
        try:
            region, got = results.get(timeout=whole.remaining())
        except queue.Empty:
            timed_out = True
            break
        if isinstance(got, BaseException):
            raise got
        done[region] = got
        stage("probe", {"region": region, **got.to_json()})
        if got.outcome == "ok":
            owner = region
            break
    probes = tuple(done.get(r) or ProbeResult(r, None, "pending", None) for r in regions)
    if owner is None:
        owner = next((p.region for p in probes if p.outcome == "account"), None)
    if owner is not None:
        stage("detected", {"region": owner})
        return owner, probes, None
    if timed_out:
        hit = whole.hit()
        where = Where(region=None, base_url=None, model=model, key_mask=mask(key))
        return None, probes, failed(Failure(hit.msg_id, dict(hit.params)), where, probes=probes)
    return None, probes, _detection_failure(probes, urls, key, model)


def _detection_failure(
    probes: tuple[ProbeResult, ...], urls: Mapping[str, str], key: str, model: str
) -> CheckResult:
    where = Where(region=None, base_url=None, model=model, key_mask=mask(key))
    if not probes:
        return failed(Failure("check.network_error", {"detail": "no region to probe"}), where)
    rejected = [p for p in probes if p.outcome == "rejected"]
    unreachable = [p for p in probes if p.outcome != "rejected"]
    if not unreachable:
        fail = Failure(
            "check.rejected_everywhere",
            {"regions_en": _names(rejected, "en"), "regions_zh": _names(rejected, "zh")},
            http_status=401,
            error_code=rejected[0].error_code,
            request_id=rejected[0].request_id,
        )
        return failed(fail, where, probes=probes)
    first = unreachable[0]
    if not rejected:
        # No region said anything about the key: a network problem, not a bad key. Reported with the
        # first region's own diagnosis (host, detail), but no region is claimed for the key.
        at = replace(where, region=first.region, base_url=urls.get(first.region))
        fail = Failure(
            first.msg_id or "check.network_error",
            dict(first.params),
            http_status=first.http_status,
            error_code=first.error_code,
            request_id=first.request_id,
        )
        return replace(failed(fail, at, probes=probes), region=None, base_url=None)
    fail = Failure(
        "check.detect_inconclusive",
        {
            "rejected_en": _names(rejected, "en"),
            "rejected_zh": _names(rejected, "zh"),
            "unreachable_en": _names(unreachable, "en"),
            "unreachable_zh": _names(unreachable, "zh"),
            "detail": first.params.get("detail") or f"HTTP {first.http_status}",
        },
    )
    return failed(fail, where, probes=probes)


def _names(probes: list[ProbeResult], lang: str) -> str:
    names = [REGIONS[p.region].name(lang) if p.region in REGIONS else p.region for p in probes]
    sep: str = t(lang, "label.list_sep")
    return sep.join(names)


def no_stage(name: str, info: dict[str, Any]) -> None:
    del name, info
