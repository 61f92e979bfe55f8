"""After setup for a region, the real dashscope SDK imported in a NEW shell resolves all three of its base
URLs (native HTTP, OpenAI-compatible, websocket) to that region's host: a missing websocket variable
once sent every international key's real-time speech to Beijing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import new_key, require, run_cli, setup_cli
from tests.e2e.test_setup_shells import shell_sees
from wizard.regions import REGION_IDS, SHARED_REGION_IDS

PROBE = (
    "import dashscope; "
    "print(dashscope.base_http_api_url); "
    "print(getattr(dashscope, 'base_compatible_api_url', '-')); "
    "print(dashscope.base_websocket_api_url)"
)

# What the official pages give per region (Base URL overview; WebSocket API pages).
EXPECTED = {
    "cn-beijing": "dashscope.aliyuncs.com",
    "ap-southeast-1": "dashscope-intl.aliyuncs.com",
    "us-east-1": "dashscope-us.aliyuncs.com",
    "cn-hongkong": "cn-hongkong.dashscope.aliyuncs.com",
}


def sdk_urls(home: Path) -> list[str]:
    out = shell_sees(home, ["bash", "-ic", f'{sys.executable} -c "{PROBE}"'])
    return out.split()


@pytest.mark.parametrize("region", SHARED_REGION_IDS)
def test_sdk_in_a_new_bash_uses_the_regions_three_urls(home: Path, region: str) -> None:
    require("bash")
    assert set(EXPECTED) == set(SHARED_REGION_IDS)
    result = setup_cli(home, new_key(), "--shell", "bash", "--region", region)
    assert result.returncode == 0, result.stderr
    host = EXPECTED[region]
    assert sdk_urls(home) == [
        f"https://{host}/api/v1",
        f"https://{host}/compatible-mode/v1",
        f"wss://{host}/api-ws/v1/inference",
    ]


@pytest.mark.parametrize("region", REGION_IDS)
def test_with_a_workspace_the_sdk_uses_that_workspace_host_in_every_region(home: Path, region: str) -> None:
    require("bash")
    result = setup_cli(home, new_key(), "--shell", "bash", "--region", region, "--workspace", "ws1")
    assert result.returncode == 0, result.stderr
    host = f"ws1.{region}.maas.aliyuncs.com"
    assert sdk_urls(home) == [
        f"https://{host}/api/v1",
        f"https://{host}/compatible-mode/v1",
        f"wss://{host}/api-ws/v1/inference",
    ]


def test_remove_takes_the_websocket_variable_away_again(home: Path) -> None:
    require("bash")
    key = new_key()
    assert setup_cli(home, key, "--shell", "bash", "--region", "ap-southeast-1").returncode == 0
    removed = run_cli(home, "remove", "--yes")
    assert removed.returncode == 0, removed.stderr
    assert "DASHSCOPE_WEBSOCKET_BASE_URL" in removed.stdout  # the session line that unsets it
    assert shell_sees(home, ["bash", "-ic", 'printf "%s" "${DASHSCOPE_WEBSOCKET_BASE_URL-unset}"']) == "unset"
