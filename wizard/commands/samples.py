"""`samples`: the guide's test call as Python, Node.js and curl code, for the saved endpoint.

Setup's end screen names this command instead of printing some 40 lines of code that would push
"done" and "how to use it now" off the screen. The text functions are pure; the command reads the
endpoint the last setup saved (region, workspace host or base URL), as `snippet`, `env` and `run`
do, so the samples cannot disagree with the configuration: the most common first-call failure is a
key of one region used against another region's URL. Every sample reads the key from
``DASHSCOPE_API_KEY`` and never contains it, so a user can paste it into a chat, a ticket or a
repository without leaking anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from wizard import messages as i18n
from wizard import regions, shells
from wizard.regions import DEFAULT_MODEL
from wizard.report import Report
from wizard.shells import SHELLS

if TYPE_CHECKING:
    from wizard.context import Context
    from wizard.options import Options

LANGUAGES = ("python", "node", "curl")  # `samples [LANGUAGE]`, in the order all of them print

# For shells that mangle non-ASCII on the way to a native program (cmd.exe, Windows PowerShell 5.1).
USER_PROMPT_ASCII = "Who are you?"


@dataclass(frozen=True)
class Samples:
    python: str
    node: str
    curl: str | None  # None: the user's shell cannot carry this URL safely (cmd and a % in it)


def _prompts() -> tuple[str, str]:
    """(system, user): what the live check sends, so what the user runs matches what was checked.
    Imported when a sample is made: the check package brings httpx, and the parser imports
    this module for `LANGUAGES`."""
    from wizard.check.call import SYSTEM_PROMPT, USER_PROMPT

    return SYSTEM_PROMPT, USER_PROMPT


def _js(value: str) -> str:
    """A JavaScript/Python string literal (JSON string syntax is valid in both)."""
    return json.dumps(value, ensure_ascii=False)


def python_sample(base_url: str, model: str = DEFAULT_MODEL) -> str:
    """OpenAI Python SDK, as in the official guide, with the key from the environment."""
    system, user = _prompts()
    return f"""import os

from openai import OpenAI

client = OpenAI(
    api_key=os.getenv("DASHSCOPE_API_KEY"),
    base_url={_js(base_url)},
)
completion = client.chat.completions.create(
    model={_js(model)},
    messages=[
        {{"role": "system", "content": {_js(system)}}},
        {{"role": "user", "content": {_js(user)}}},
    ],
)
print(completion.choices[0].message.content)
"""


def node_sample(base_url: str, model: str = DEFAULT_MODEL) -> str:
    """OpenAI Node SDK (``npm install openai``), an ES module: save as ``hello.mjs``."""
    system, user = _prompts()
    return f"""import OpenAI from "openai";

const openai = new OpenAI({{
  apiKey: process.env.DASHSCOPE_API_KEY,
  baseURL: {_js(base_url)},
}});

async function main() {{
  const completion = await openai.chat.completions.create({{
    model: {_js(model)},
    messages: [
      {{ role: "system", content: {_js(system)} }},
      {{ role: "user", content: {_js(user)} }},
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
                {"role": "system", "content": _prompts()[0]},
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
    body = _body(model, USER_PROMPT_ASCII if syntax.ascii_arguments else _prompts()[1])
    return syntax.curl_sample(url, body)


def render_samples(base_url: str, model: str = DEFAULT_MODEL, *, shell: str = "posix") -> Samples:
    """All three samples for one endpoint (``Endpoint.compatible_url`` or ``CheckResult.base_url``)."""
    base = base_url.rstrip("/")
    return Samples(
        python=python_sample(base, model),
        node=node_sample(base, model),
        curl=curl_sample(base, model, shell=shell),
    )


def samples(ctx: Context, opts: Options) -> Report:
    """Print the samples for the saved endpoint (or --region/--base-url/--workspace), the curl
    line in the syntax of the current shell (or --shell). One language prints its code alone, so
    `samples python > hello.py` gives a file that runs; without one, all three under a comment
    heading each."""
    from wizard.edits import manifest
    from wizard.shells import detect as platform

    config = manifest.configuration(ctx)
    endpoint = (
        regions.requested(ctx.env, opts.region, opts.base_url, opts.workspace)[0]
        or config.endpoint
        or regions.endpoint_for(regions.DEFAULT_REGION, ctx.env)
    )
    name = next((n for n in opts.shells if n in SHELLS), None) or platform.detect(ctx).shell.name
    lang = i18n.detect_lang(opts.lang, ctx.env, ctx.ui_language())
    report = Report("samples", region=endpoint.region, base_url=endpoint.compatible_url, current_shell=name)
    report.samples_for = (endpoint.compatible_url, opts.model)
    code = render_samples(endpoint.compatible_url, opts.model, shell=SHELLS[name].family)
    texts = {
        "python": code.python,
        "node": code.node,
        "curl": code.curl if code.curl is not None else i18n.t(lang, "label.curl_sample_unsafe") + "\n",
    }
    chosen = [opts.sample] if opts.sample else list(LANGUAGES)
    if len(chosen) == 1:
        report.snippet = texts[chosen[0]].rstrip("\n")
        return report
    parts = [f"{i18n.t(lang, f'samples.heading.{n}')}\n{texts[n]}" for n in chosen]
    report.snippet = "\n".join(parts).rstrip("\n")
    return report
