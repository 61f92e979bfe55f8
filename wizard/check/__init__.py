"""The live check: find the key's region, make the guide's test call, diagnose failures.

Why it is shaped like this:
- It gets an ``httpx.Client`` from the caller (built by ``wizard.check.net.make_client`` from the injected
  environment), so proxies, trust store and timeouts are decided in one place and tests can pass a
  client of their own. It never prints, exits or reads ``os.environ``; it returns a ``CheckResult``
  whose ``msg_id``/``params`` the renderer turns into zh/en text (``wizard.messages.check``).
- Every failure has its own message id and exit code (``result.EXIT_CODES``).
- The raw key goes into exactly one place: the ``Authorization`` header (``net.request_headers``).
  Everything that can reach a user (params, exception details, server messages) is passed through
  ``diagnose.redact`` first.

The modules, in the order a check runs: ``detect`` (precheck of the key, parallel region probes),
``call`` (the streamed chat, and ``run_check`` tying it all together), ``diagnose`` (error bodies and
exceptions → diagnosis), ``result`` (what the check concludes), ``net`` (the HTTP client), ``limits``
(the bytes and time one check may use).
"""

from __future__ import annotations

from wizard.check.call import MAX_TOKENS, TEST_MESSAGES, OnDelta, run_check
from wizard.check.detect import CODING_PLAN_URLS, OnStage, detect_region, precheck_key
from wizard.check.limits import DEFAULT_LIMITS, Limits
from wizard.check.result import DEFAULT_MODEL, EXIT_CODES, CheckResult, ProbeResult, skipped

__all__ = [
    "CODING_PLAN_URLS",
    "DEFAULT_LIMITS",
    "DEFAULT_MODEL",
    "EXIT_CODES",
    "MAX_TOKENS",
    "TEST_MESSAGES",
    "CheckResult",
    "Limits",
    "OnDelta",
    "OnStage",
    "ProbeResult",
    "detect_region",
    "precheck_key",
    "run_check",
    "skipped",
]
