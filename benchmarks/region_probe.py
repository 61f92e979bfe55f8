"""Region detection costs about one probe, not four: measured against the fake with 300 ms per answer.

Run from the repository root:  python -m benchmarks.region_probe [--latency 0.3] [--rounds 5]
Prints the figures (median of the rounds); asserts nothing. Target: detection / one probe < 1.5.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fakes.dashscope import REGION_IDS, running_fake
from wizard.check import detect_region
from wizard.check.net import make_client

KEY = "sk-" + "0badc0de0badc0de" * 2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--latency", type=float, default=0.3, help="seconds the fake waits before each answer"
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--owner", default="cn-hongkong", choices=REGION_IDS, help="region that owns the key")
    args = parser.parse_args()

    with running_fake({KEY: args.owner}, latency=args.latency) as fake:
        urls = fake.urls(REGION_IDS)
        client = make_client({})
        try:
            single: list[float] = []
            detect: list[float] = []
            for _ in range(args.rounds):
                start = time.perf_counter()
                client.get(f"{urls[args.owner]}/models", headers={"Authorization": f"Bearer {KEY}"})
                single.append(time.perf_counter() - start)
                start = time.perf_counter()
                region, _, failure = detect_region(KEY, urls, client)
                detect.append(time.perf_counter() - start)
                if region != args.owner or failure is not None:
                    print(f"unexpected detection result: {region!r}", file=sys.stderr)
                    return 1
        finally:
            client.close()

    one, all_regions = statistics.median(single), statistics.median(detect)
    print(f"regions probed:          {len(REGION_IDS)} (each answer delayed {args.latency * 1000:.0f} ms)")
    print(f"one probe (median):      {one * 1000:.1f} ms")
    print(f"detection (median):      {all_regions * 1000:.1f} ms")
    print(f"sequential would be:     ~{one * len(REGION_IDS) * 1000:.0f} ms")
    print(f"ratio detection/probe:   {all_regions / one:.2f}  (target < 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
