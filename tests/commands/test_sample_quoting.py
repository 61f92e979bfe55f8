"""A printed sample is pasted into a shell: no part of the URL may run there.

A hostile base URL (a mirror's, a region override's) with ``$(…)``, backticks or quotes is fed to the
curl sample, the sample is run by the real shell with a fake ``curl`` first on PATH that only records
its arguments, and nothing may have been executed or expanded: curl gets the URL verbatim.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import require
from wizard.commands.samples import curl_sample, render_samples, sample_url
from wizard.shells import for_family

KEY = "sk-" + "0badc0de5eed1234" * 2
HOSTILE = [
    "https://h.example/$(touch pwned_dollar)/v1",
    "https://h.example/`touch pwned_backtick`/v1",
    "https://h.example/'$(touch pwned_quote)'/v1",
    'https://h.example/";touch pwned_dq;"/v1',
    "https://h.example/x;touch pwned_semi&&touch pwned_and|touch pwned_pipe/v1",
    "https://h.example/$HOME/(touch pwned_paren)/{a,b}/*/v1",
    "https://h.example/\\'\\$(touch pwned_backslash)/v1",
]
SHELLS = [("bash", "posix"), ("zsh", "posix"), ("dash", "posix"), ("fish", "fish")]


def fake_curl(tmp_path: Path) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    curl = bin_dir / "curl"
    curl.write_text('#!/bin/sh\nprintf "%s\\0" "$@" > "$ARGV_OUT"\n', encoding="utf-8")
    curl.chmod(curl.stat().st_mode | stat.S_IXUSR)
    return bin_dir


@pytest.mark.parametrize(("shell", "family"), SHELLS)
@pytest.mark.parametrize("url", HOSTILE)
def test_a_pasted_curl_sample_runs_nothing_from_the_url(
    tmp_path: Path, shell: str, family: str, url: str
) -> None:
    require(shell)
    bin_dir = fake_curl(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    out = tmp_path / "argv"
    sample = curl_sample(url, shell=family)
    assert sample is not None
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(tmp_path),
        "ARGV_OUT": str(out),
        "DASHSCOPE_API_KEY": KEY,
    }
    proc = subprocess.run(
        [shell, "-c", sample], cwd=work, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert not list(work.iterdir()), "the URL ran a command"
    assert not list(tmp_path.glob("pwned*"))
    argv = out.read_text(encoding="utf-8").split("\0")[:-1]
    assert argv[1] == f"{sample_url(url)}/chat/completions"
    assert f"Authorization: Bearer {KEY}" in argv  # the key variable itself is still expanded


@pytest.mark.parametrize("url", HOSTILE)
def test_the_url_reaches_curl_as_the_same_address(url: str) -> None:
    # Only characters a URL may not contain raw are escaped; the rest is kept for recognition.
    encoded = sample_url(url)
    assert encoded.startswith("https://h.example/")
    assert not set(encoded) & set(' "`\\<>^{|}')


@pytest.mark.parametrize("family", ["posix", "fish", "powershell"])
@pytest.mark.parametrize("url", HOSTILE)
def test_every_family_single_quotes_the_url(family: str, url: str) -> None:
    sample = curl_sample(url, shell=family)
    assert sample is not None
    assert for_family(family).quote(f"{sample_url(url)}/chat/completions") in sample


@pytest.mark.parametrize("url", [*HOSTILE, "https://h.example/a%20b/v1", "https://h.example/a!b/v1"])
def test_cmd_gets_no_curl_sample_for_a_url_it_would_expand(url: str) -> None:
    assert curl_sample(url, shell="cmd") is None
    assert render_samples(url, shell="cmd").curl is None


def test_cmd_keeps_its_sample_for_an_ordinary_url() -> None:
    sample = curl_sample("https://dashscope.aliyuncs.com/compatible-mode/v1", shell="cmd")
    assert sample is not None
    assert '"https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions"' in sample


def test_cmd_gets_no_curl_sample_for_a_model_it_would_run() -> None:
    assert curl_sample("https://dashscope.aliyuncs.com/compatible-mode/v1", "m&calc", shell="cmd") is None
