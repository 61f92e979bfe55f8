"""The test call: the guide's streamed chat completion, retried once when the server is busy (429/5xx).

Streaming shows the reply as it arrives and measures the time to the first token; a gateway that ignores
``stream`` still passes with a well-formed plain completion. ``run_check`` ties the whole check together
(precheck, region, call) and never raises for an expected failure: the result carries the diagnosis.
"""

from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

import httpx

from wizard.check.detect import OnStage, detect_region, no_stage, precheck_key
from wizard.check.diagnose import diagnose_exc, diagnose_http, json_or_none, media_type, redact
from wizard.check.limits import DEFAULT_LIMITS, Budget, LimitHit, Limits, lines_capped, read_capped
from wizard.check.net import request_headers
from wizard.check.result import (
    DEFAULT_MODEL,
    CheckResult,
    Failure,
    ProbeResult,
    Where,
    base_params,
    failed,
)
from wizard.check.sanitize import SafeStream, clean_id, clean_reply
from wizard.errors import ExitCode
from wizard.keys import mask
from wizard.regions import CUSTOM

MAX_TOKENS = 64
RETRY_AFTER_CAP = 3.0
DEFAULT_RETRY_WAIT = 1.0
# The official guide's test call, word for word: a request to the model, not text for the user
# (the samples send the same, so what the user runs matches what was checked).
SYSTEM_PROMPT = "You are a helpful assistant."
USER_PROMPT = "你是谁？"
TEST_MESSAGES: tuple[dict[str, str], ...] = (
    {"role": "system", "content": SYSTEM_PROMPT},
    {"role": "user", "content": USER_PROMPT},
)
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

OnDelta = Callable[[str], None]


@dataclass
class _Attempt:
    failure: Failure | None = None
    retry_wait: float | None = None  # set when the failure may be retried once
    reply: str = ""
    usage: dict[str, int] | None = None
    ttft_ms: float | None = None
    latency_ms: float | None = None
    request_id: str | None = None


def _retry_after(resp: httpx.Response, default: float) -> float:
    raw = resp.headers.get("retry-after", "").strip()
    try:
        wait = float(raw)
    except ValueError:
        wait = default  # absent, or an HTTP date: not worth a wall clock here
    return max(0.0, min(wait, RETRY_AFTER_CAP))


def _request_id_from_chunk(chunk: dict[str, Any]) -> str | None:
    """Compatible-mode ids are ``chatcmpl-<request_id>``; a plain ``request_id`` field wins."""
    rid = chunk.get("request_id")
    if isinstance(rid, str) and rid:
        return clean_id(rid, "")  # a key can only arrive here as an sk- token, which is masked
    cid = chunk.get("id")
    if isinstance(cid, str) and cid.startswith("chatcmpl-") and _UUID.fullmatch(cid[9:]):
        return cid[9:]
    return None


def _usage(raw: Any) -> dict[str, int] | None:
    if not isinstance(raw, dict):
        return None
    out = {
        k: int(raw[k])
        for k in ("prompt_tokens", "completion_tokens", "total_tokens")
        if isinstance(raw.get(k), int)
    }
    return out or None


def _chat_bounded(attempt: Callable[[OnDelta], _Attempt], on_delta: OnDelta, budget: Budget) -> _Attempt:
    """`_chat_once` on a daemon thread, waited for until the request's deadline at most.

    httpx's timeouts apply to each read, so a server sending its headers one byte a second keeps
    a request open for ever; once the body starts, the readers in limits.py watch the deadline, but
    nothing reads the headers except httpx. Giving up on the thread bounds both phases; it is a
    daemon (it cannot keep the process alive), and whatever it would still print is dropped.
    """
    deadline = budget.request()
    results: queue.Queue[_Attempt | BaseException] = queue.Queue()
    gate = threading.Lock()
    abandoned = False

    def deliver(text: str) -> None:
        with gate:
            if not abandoned:
                on_delta(text)

    def work() -> None:
        try:
            results.put(attempt(deliver))
        except BaseException as exc:  # re-raised in the caller's thread; never lose a bug
            results.put(exc)

    threading.Thread(target=work, name="chat", daemon=True).start()
    try:
        got = results.get(timeout=deadline.remaining())
    except queue.Empty:
        with gate:
            abandoned = True
        hit = deadline.hit()
        return _Attempt(failure=Failure(hit.msg_id, {**hit.params, "path": "/chat/completions"}))
    if isinstance(got, BaseException):
        raise got
    return got


def _chat_once(
    client: httpx.Client,
    base_url: str,
    key: str,
    model: str,
    max_tokens: int,
    where: Where,
    on_delta: OnDelta,
    clock: Callable[[], float],
    budget: Budget,
) -> _Attempt:
    payload = {
        "model": model,
        "messages": [dict(m) for m in TEST_MESSAGES],
        "stream": True,
        "stream_options": {"include_usage": True},
        "max_tokens": max_tokens,
    }
    att = _Attempt()
    start = clock()
    started = False
    status: int | None = None
    deadline = budget.request()
    limits = budget.limits
    try:
        with client.stream(
            "POST",
            f"{base_url}/chat/completions",
            json=payload,
            headers=request_headers(key, stream=True),
            timeout=deadline.timeout(client),
        ) as resp:
            started = True
            status = resp.status_code
            if status != 200:
                content = read_capped(resp, limits.error_bytes, deadline)
                att.failure = diagnose_http(
                    resp.status_code,
                    json_or_none(content),
                    where,
                    key,
                    "/chat/completions",
                    media_type(resp),
                )
                if resp.status_code == 429:
                    att.retry_wait = _retry_after(resp, DEFAULT_RETRY_WAIT)
                elif resp.status_code >= 500:
                    att.retry_wait = _retry_after(resp, DEFAULT_RETRY_WAIT / 2)
                return att
            if "json" in media_type(resp):
                content = read_capped(resp, limits.stream_bytes, deadline)
                _read_plain(content, resp, att, key, where, on_delta, clock, start)
            else:
                lines = lines_capped(resp, limits.stream_bytes, deadline)
                _read_sse(lines, resp, att, key, where, on_delta, clock, start)
    except (LimitHit, httpx.HTTPError) as exc:
        if isinstance(exc, LimitHit) or deadline.expired():
            hit = exc if isinstance(exc, LimitHit) else deadline.hit()
            att.failure = Failure(
                hit.msg_id,
                {**hit.params, "path": "/chat/completions"},
                http_status=status,
                request_id=att.request_id,
            )
        elif started and isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
            att.failure = Failure(
                "check.stream_truncated",
                {"detail": redact(str(exc), key)},
                http_status=200,
                request_id=att.request_id,
            )
        else:
            fail = diagnose_exc(exc, key, client)
            att.failure = replace(fail, http_status=200 if started else None, request_id=att.request_id)
        att.reply = ""
        return att
    att.latency_ms = (clock() - start) * 1000
    return att


def _malformed(status: int, content_type: str, request_id: str | None) -> Failure:
    return Failure(
        "check.malformed_body",
        {"status": status, "content_type": content_type},
        http_status=status,
        request_id=request_id,
    )


def _read_plain(
    content: bytes,
    resp: httpx.Response,
    att: _Attempt,
    key: str,
    where: Where,
    on_delta: OnDelta,
    clock: Callable[[], float],
    start: float,
) -> None:
    """A gateway may ignore ``stream``: a well-formed non-streamed completion is still a success."""
    body = json_or_none(content)
    if isinstance(body, dict) and "error" in body:
        att.failure = diagnose_http(200, body, where, key, "/chat/completions")
        return
    try:
        text = body["choices"][0]["message"]["content"] or ""
    except (KeyError, IndexError, TypeError):
        att.failure = _malformed(200, media_type(resp), None)
        return
    att.ttft_ms = (clock() - start) * 1000
    att.request_id = _request_id_from_chunk(body)
    att.usage = _usage(body.get("usage"))
    att.reply = clean_reply(str(text), key)
    if text:
        on_delta(str(text))


_SSE_FIELDS = ("data:", "event:", "id:", "retry:", ":")


def _read_sse(
    lines: Iterator[str],
    resp: httpx.Response,
    att: _Attempt,
    key: str,
    where: Where,
    on_delta: OnDelta,
    clock: Callable[[], float],
    start: float,
) -> None:
    """Consume ``data:`` lines until ``[DONE]``; an ``error`` object at any point is a diagnosis."""
    parts: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        if not line.startswith(_SSE_FIELDS):
            att.failure = _malformed(200, media_type(resp), att.request_id)
            return
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            att.reply = clean_reply("".join(parts), key)
            return
        chunk = json_or_none(data.encode())
        if not isinstance(chunk, dict):
            att.failure = _malformed(200, media_type(resp), att.request_id)
            return
        att.request_id = att.request_id or _request_id_from_chunk(chunk)
        if "error" in chunk or ("code" in chunk and "choices" not in chunk):
            fail = diagnose_http(200, chunk, where, key, "/chat/completions")
            att.failure = replace(fail, request_id=fail.request_id or att.request_id)
            att.failure.params["mid_stream"] = True
            return
        usage = _usage(chunk.get("usage"))
        if usage:
            att.usage = usage
        for choice in chunk.get("choices") or ():
            delta = choice.get("delta") if isinstance(choice, dict) else None
            if not isinstance(delta, dict):
                continue
            text = delta.get("content")
            if (text or delta.get("reasoning_content")) and att.ttft_ms is None:
                att.ttft_ms = (clock() - start) * 1000
            if isinstance(text, str) and text:
                parts.append(text)
                on_delta(text)
    att.failure = Failure(
        "check.stream_truncated",
        {"detail": "the stream ended without data: [DONE]"},
        http_status=200,
        request_id=att.request_id,
    )


def _ignore_delta(text: str) -> None:
    del text


def run_check(
    *,
    key: str,
    client: httpx.Client,
    urls: Mapping[str, str],
    region: str | None = None,
    base_url: str | None = None,
    model: str = DEFAULT_MODEL,
    on_delta: OnDelta | None = None,
    on_stage: OnStage | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    max_tokens: int = MAX_TOKENS,
    limits: Limits = DEFAULT_LIMITS,
) -> CheckResult:
    """The whole live check. Never raises for an expected failure: the result carries the diagnosis.

    Stages reported through ``on_stage`` (for a spinner): "probing" {regions}, "probe" {region,
    http_status, outcome, latency_ms, ...} per region as it answers, "detected" {region}, "calling"
    {region, base_url, model}, "retrying" {reason, wait_s, http_status}, "done" {status, exit_code}.
    """
    stage = on_stage or no_stage
    budget = Budget(limits, clock)
    pre = precheck_key(key, base_url=base_url)
    if pre is not None:
        return replace(pre, model=model, params={**pre.params, "model": model})
    probes: tuple[ProbeResult, ...] = ()
    detected = False
    explicit = False
    if base_url:
        url = base_url.strip().rstrip("/")
        chosen = next((rid for rid, known in urls.items() if known.rstrip("/") == url), CUSTOM)
        explicit = True
    elif region:
        if region not in urls:
            where = Where(region=None, base_url=None, model=model, key_mask=mask(key))
            fail = Failure("check.unknown_region", {"region": region, "known": ", ".join(urls)})
            return failed(fail, where)
        chosen, url, explicit = region, urls[region].rstrip("/"), True
    else:
        found, probes, failure = detect_region(
            key, urls, client, model=model, on_stage=stage, clock=clock, budget=budget
        )
        if found is None:
            result = (
                failure
                if failure is not None
                else failed(
                    Failure("check.network_error", {"detail": "—"}),
                    Where(region=None, base_url=None, model=model, key_mask=mask(key)),
                )
            )
            stage("done", {"status": result.status, "exit_code": result.exit_code})
            return result
        chosen, url, detected = found, urls[found].rstrip("/"), True
    where = Where(
        region=chosen,
        base_url=url,
        model=model,
        key_mask=mask(key),
        detected=detected,
        explicit_region=explicit,
    )
    stage("calling", {"region": chosen, "base_url": url, "model": model})
    deliver = SafeStream(key, on_delta or _ignore_delta)

    def chat(to: OnDelta) -> _Attempt:
        return _chat_once(client, url, key, model, max_tokens, where, to, clock, budget)

    att = _chat_bounded(chat, deliver, budget)
    deliver.flush()
    if att.failure is not None and att.retry_wait is not None and att.retry_wait < budget.whole().remaining():
        reason = "rate_limited" if att.failure.http_status == 429 else "server_error"
        stage(
            "retrying", {"reason": reason, "wait_s": att.retry_wait, "http_status": att.failure.http_status}
        )
        sleep(att.retry_wait)
        att = _chat_bounded(chat, deliver, budget)
    deliver.flush()
    if att.failure is not None:
        result = failed(att.failure, where, probes=probes, ttft_ms=att.ttft_ms)
    else:
        result = _succeeded(att, where, probes)
    stage("done", {"status": result.status, "exit_code": result.exit_code})
    return result


def _succeeded(att: _Attempt, where: Where, probes: tuple[ProbeResult, ...]) -> CheckResult:
    params = base_params(where)
    params.update(
        latency_s=f"{(att.latency_ms or 0) / 1000:.2f}",
        ttft_s="—" if att.ttft_ms is None else f"{att.ttft_ms / 1000:.2f}",
        total_tokens="—" if not att.usage else att.usage.get("total_tokens", "—"),
    )
    return CheckResult(
        status="ok",
        exit_code=int(ExitCode.OK),
        msg_id=None,
        params=params,
        http_status=200,
        error_code=None,
        request_id=att.request_id,
        region=where.region,
        base_url=where.base_url,
        model=where.model,
        latency_ms=att.latency_ms,
        ttft_ms=att.ttft_ms,
        reply=att.reply,
        usage=att.usage,
        detected=where.detected,
        probes=probes,
    )
