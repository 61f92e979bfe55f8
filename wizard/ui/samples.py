"""The closing "what now" sample code: the guide's test call, for the key's endpoint.

Pure text. Every sample reads the key from ``DASHSCOPE_API_KEY`` and never contains it, so a user can
paste it into a chat, a ticket or a repository without leaking anything. The ``base_url`` is the one the
check succeeded with, which is the whole point: the most common first-call failure is a key of one
region used against another region's URL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote

from wizard import shells
from wizard.check.call import SYSTEM_PROMPT, USER_PROMPT
from wizard.regions import DEFAULT_MODEL

# For shells that mangle non-ASCII on the way to a native program (cmd.exe, Windows PowerShell 5.1).
USER_PROMPT_ASCII = "Who are you?"


@dataclass(frozen=True)
class Samples:
    python: str
    node: str
    curl: str | None  # None: the user's shell cannot carry this URL safely (cmd and a % in it)


def _js(value: str) -> str:
    """A JavaScript/Python string literal (JSON string syntax is valid in both)."""
    return json.dumps(value, ensure_ascii=False)


def python_sample(base_url: str, model: str = DEFAULT_MODEL) -> str:
    """OpenAI Python SDK, as in the official guide, with the key from the environment."""
    return f"""import os

from openai import OpenAI

client = OpenAI(
    api_key=os.getenv("DASHSCOPE_API_KEY"),
    base_url={_js(base_url)},
)
completion = client.chat.completions.create(
    model={_js(model)},
    messages=[
        {{"role": "system", "content": {_js(SYSTEM_PROMPT)}}},
        {{"role": "user", "content": {_js(USER_PROMPT)}}},
    ],
)
print(completion.choices[0].message.content)
"""


def node_sample(base_url: str, model: str = DEFAULT_MODEL) -> str:
    """OpenAI Node SDK (``npm install openai``), an ES module: save as ``hello.mjs``."""
    return f"""import OpenAI from "openai";

const openai = new OpenAI({{
  apiKey: process.env.DASHSCOPE_API_KEY,
  baseURL: {_js(base_url)},
}});

async function main() {{
  const completion = await openai.chat.completions.create({{
    model: {_js(model)},
    messages: [
      {{ role: "system", content: {_js(SYSTEM_PROMPT)} }},
      {{ role: "user", content: {_js(USER_PROMPT)} }},
    ],
  }});
  console.log(completion.choices[0].message.content);
}}

main();
"""


def _body(model: str, user: str) -> str:
    return json.dumps(
        {
            "model": model,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": user},
            ],
        },
        ensure_ascii=False,
        separators=(",", ": "),
    )


# Everything a URL may hold raw (RFC 3986 reserved and unreserved characters, and % of an escape).
_URL_CHARS = ":/?#[]@!$&'()*+,;=%-._~"


def sample_url(url: str) -> str:
    """The URL with what a URL may not contain raw (spaces, quotes, backticks, braces, backslashes,
    control and non-ASCII characters) percent-escaped: the same address for the server, and no shell
    or Windows argument parser can split or end the argument on them."""
    return quote(url, safe=_URL_CHARS)


def curl_sample(base_url: str, model: str = DEFAULT_MODEL, *, shell: str = "posix") -> str | None:
    """curl with the key taken from the environment by the shell, never written out.

    ``shell``: a syntax family ("posix" for bash, zsh and sh; "fish", "cmd", "powershell"). Each
    expands the variable with its own syntax and quotes JSON differently; where a shell mangles
    non-ASCII arguments (cmd, Windows PowerShell) the body stays ASCII and ``curl.exe`` is called.
    Every value is quoted by the shell class, so nothing in a hostile URL runs when the sample is
    pasted; None when the shell cannot quote it (cmd).
    """
    syntax = shells.for_family(shell)
    url = f"{sample_url(base_url.rstrip('/'))}/chat/completions"
    body = _body(model, USER_PROMPT_ASCII if syntax.ascii_arguments else USER_PROMPT)
    return syntax.curl_sample(url, body)


def render_samples(base_url: str, model: str = DEFAULT_MODEL, *, shell: str = "posix") -> Samples:
    """All three samples for one endpoint (``Endpoint.compatible_url`` or ``CheckResult.base_url``)."""
    base = base_url.rstrip("/")
    return Samples(
        python=python_sample(base, model),
        node=node_sample(base, model),
        curl=curl_sample(base, model, shell=shell),
    )
