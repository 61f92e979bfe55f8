"""The region table (each region has its own hosts and console, and a key works in one region only)
and the base URLs derived from it.

Pure data plus pure functions: the environment is passed in, never read here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from wizard.errors import ExitCode, SetupError
from wizard.files import refuse_control

COMPAT_SUFFIX = "/compatible-mode/v1"
NATIVE_SUFFIX = "/api/v1"
WEBSOCKET_SUFFIX = "/api-ws/v1/inference"
DEFAULT_REGION = "cn-beijing"
# The model the live check calls and the samples use: served in every region.
DEFAULT_MODEL = "qwen-plus"
OVERRIDE_VAR = "DASHSCOPE_SETUP_REGION_URLS"
# What every OpenAI SDK reads when the code names neither a key nor a base URL (`--openai-env`).
OPENAI_KEY_VAR = "OPENAI_API_KEY"
OPENAI_URL_VAR = "OPENAI_BASE_URL"
ALLOW_HTTP_VAR = "DASHSCOPE_SETUP_ALLOW_HTTP"


@dataclass(frozen=True)
class Region:
    """A region's endpoints and console pages. Its name, in both languages, is catalogue entry
    `region.<id>` (messages/label.py)."""

    id: str
    compatible_url: str  # "" for a region reachable only through a workspace host
    console_url: str
    doc_url: str
    workspace_only: bool = False
    # Where an overdue account (Arrearage) is settled: the account's Expenses and Costs console,
    # on the China site for Beijing and on the international site for every other region.
    billing_url: str = "https://billing-cost.console.alibabacloud.com/"

    @property
    def native_url(self) -> str:
        return native_from_compatible(self.compatible_url)

    @property
    def websocket_url(self) -> str | None:
        return websocket_from_compatible(self.compatible_url)

    def name(self, lang: str) -> str:
        from wizard.messages import t

        return t(lang, f"region.{self.id}")

    @property
    def name_en(self) -> str:
        return self.name("en")

    @property
    def name_zh(self) -> str:
        return self.name("zh")


_INTL_DOC = "https://www.alibabacloud.com/help/en/model-studio/get-api-key"
_INTL_CONSOLE = "https://modelstudio.console.alibabacloud.com/?tab=playground#/api-key"

REGIONS: dict[str, Region] = {
    r.id: r
    for r in (
        Region(
            "cn-beijing",
            "https://dashscope.aliyuncs.com/compatible-mode/v1",
            "https://bailian.console.aliyun.com/?tab=model#/api-key",
            "https://help.aliyun.com/zh/model-studio/get-api-key",
            billing_url="https://billing-cost.console.aliyun.com/",
        ),
        Region(
            "ap-southeast-1",
            "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
            "https://modelstudio.console.alibabacloud.com/?tab=playground#/api-key",
            _INTL_DOC,
        ),
        Region(
            "us-east-1",
            "https://dashscope-us.aliyuncs.com/compatible-mode/v1",
            "https://modelstudio.console.alibabacloud.com/us-east-1?tab=dashboard#/api-key",
            _INTL_DOC,
        ),
        Region(
            "cn-hongkong",
            "https://cn-hongkong.dashscope.aliyuncs.com/compatible-mode/v1",
            "https://modelstudio.console.alibabacloud.com/cn-hongkong/settings/api-key",
            _INTL_DOC,
        ),
        # Frankfurt and Tokyo have no shared DashScope host: only `{workspace}.{region}.maas.aliyuncs.com`.
        Region("eu-central-1", "", _INTL_CONSOLE, _INTL_DOC, workspace_only=True),
        Region("ap-northeast-1", "", _INTL_CONSOLE, _INTL_DOC, workspace_only=True),
    )
}

REGION_IDS: tuple[str, ...] = tuple(REGIONS)
# The regions with a shared host: probed when no workspace is given, and offered by the wizard.
SHARED_REGION_IDS: tuple[str, ...] = tuple(r.id for r in REGIONS.values() if not r.workspace_only)
WORKSPACE_SUFFIX = ".maas.aliyuncs.com"
# The check the dashscope SDK applies before it puts a workspace id into a host name.
_WORKSPACE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
# Hosts of this shape that are not a workspace (trial domain, Token Plan).
_NOT_WORKSPACES = frozenset({"trial", "token-plan"})
CUSTOM = "custom"
# What people call the regions (`--region hk`), beside the ids the console and the SDKs use.
ALIASES: dict[str, str] = {
    "beijing": "cn-beijing",
    "singapore": "ap-southeast-1",
    "sg": "ap-southeast-1",
    "virginia": "us-east-1",
    "us": "us-east-1",
    "hongkong": "cn-hongkong",
    "hong-kong": "cn-hongkong",
    "hk": "cn-hongkong",
    "frankfurt": "eu-central-1",
    "germany": "eu-central-1",
    "tokyo": "ap-northeast-1",
    "japan": "ap-northeast-1",
}


def valid_workspace(workspace: str) -> str:
    """A workspace id becomes a DNS label of the host: the SDK's own rule, refused otherwise (exit 2)."""
    if _WORKSPACE_ID.fullmatch(workspace) is None:
        raise SetupError(ExitCode.USAGE, "err.workspace_invalid", workspace=workspace[:80])
    return workspace


def workspace_url(region: str, workspace: str) -> str:
    """The workspace-dedicated OpenAI-compatible base URL: only that workspace's keys work there."""
    return f"https://{valid_workspace(workspace)}.{region}{WORKSPACE_SUFFIX}{COMPAT_SUFFIX}"


def workspace_of(url: str) -> tuple[str, str] | None:
    """(workspace id, region) when ``url`` is on a workspace-dedicated host, else None. The id keeps
    the case it was written in."""
    try:
        netloc = urlsplit(url).netloc
    except ValueError:
        return None
    host = netloc.rpartition("@")[2].partition(":")[0].rstrip(".")
    if not host.lower().endswith(WORKSPACE_SUFFIX):
        return None
    workspace, sep, region = host[: -len(WORKSPACE_SUFFIX)].partition(".")
    if not sep or "." in region or workspace.lower() in _NOT_WORKSPACES:
        return None
    return (workspace, region.lower()) if _WORKSPACE_ID.fullmatch(workspace) else None


def region_id(name: str) -> str:
    """A region id from an id or an alias, in any case; anything else comes back as it was."""
    key = name.strip().lower()
    return ALIASES.get(key, key if key in REGIONS else name)


def native_from_compatible(url: str) -> str:
    """The native API base (`/api/v1`) that the official SDK needs for the same host."""
    base = url.rstrip("/")
    if base.endswith(COMPAT_SUFFIX):
        return base[: -len(COMPAT_SUFFIX)] + NATIVE_SUFFIX
    return base


def websocket_from_compatible(url: str) -> str | None:
    """The SDK's websocket base (real-time speech: Paraformer, CosyVoice...) on the same host:
    `wss://<host>/api-ws/v1/inference` (`ws://` for a plain-http test server). None when the URL
    is not a `/compatible-mode/v1` base, whose websocket path nothing tells us."""
    base = url.rstrip("/")
    if not base.endswith(COMPAT_SUFFIX):
        return None
    root = base[: -len(COMPAT_SUFFIX)]
    scheme, sep, rest = root.partition("://")
    ws_scheme = {"https": "wss", "http": "ws"}.get(scheme.lower())
    if not sep or ws_scheme is None:
        return None
    return f"{ws_scheme}://{rest}{WEBSOCKET_SUFFIX}"


def region_urls(env: Mapping[str, str], workspace: str | None = None) -> dict[str, str]:
    """Region id -> OpenAI-compatible base URL, with DASHSCOPE_SETUP_REGION_URLS applied. Without a
    workspace: the shared hosts (an override for a workspace-only region is then left out); with one:
    every region's workspace host."""
    if workspace:
        urls = {rid: workspace_url(rid, workspace) for rid in REGIONS}
    else:
        urls = {rid: REGIONS[rid].compatible_url for rid in SHARED_REGION_IDS}
    raw = refuse_control(env.get(OVERRIDE_VAR, "").strip(), OVERRIDE_VAR)  # its URLs reach startup files
    if not raw:
        return urls
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        rid, sep, url = part.partition("=")
        rid, url = rid.strip(), url.strip()
        refuse_userinfo(url, OVERRIDE_VAR)  # before the message below, which quotes the entry
        if not sep or rid not in REGIONS or not url.startswith(("http://", "https://")):
            raise SetupError(ExitCode.USAGE, "err.region_override", entry=part, var=OVERRIDE_VAR)
        refuse_malformed(url, OVERRIDE_VAR)
        refuse_plain_http(url, env, OVERRIDE_VAR)
        if workspace or not REGIONS[rid].workspace_only:
            urls[rid] = url.rstrip("/")
    return urls


_HOST_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?"
_HOST_NAME = re.compile(rf"{_HOST_LABEL}(?:\.{_HOST_LABEL})*\.?")


def refuse_malformed(url: str, source: str) -> None:
    """A URL the request could not even be built from (no host, a space, a port out of range)
    is refused here, before it is checked or saved in a startup file."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        host, port = "", None
    bracketed = parts.netloc.rpartition("@")[2].startswith("[") if host else False
    if bracketed:
        import ipaddress  # only for a bracketed address: not on every start

        try:
            ipaddress.IPv6Address(host.partition("%")[0])
        except ValueError:
            host = ""
    ok = bool(host) and (bracketed or _HOST_NAME.fullmatch(host) is not None) and port != 0
    if not ok or any(ch.isspace() for ch in url):
        raise SetupError(ExitCode.USAGE, "err.url_malformed", source=source)


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    import ipaddress  # only for a plain http URL: not on every start

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def refuse_userinfo(url: str, source: str) -> None:
    """`https://user:password@host`: the URL is printed and saved for the SDK, and httpx would send
    the credentials as Basic auth in place of the key's Bearer header. The message names the host
    only, never what came before the `@`."""
    try:
        netloc = urlsplit(url).netloc
    except ValueError:
        netloc = url.partition("://")[2].partition("/")[0]
    if "@" not in netloc:
        return
    host = netloc.rpartition("@")[2]
    raise SetupError(ExitCode.USAGE, "err.url_userinfo", host=host or "?", source=source)


def refuse_plain_http(url: str, env: Mapping[str, str], source: str) -> None:
    """Plain http carries the key in clear and the URL is saved for the SDK, so it is refused
    unless it stays on this machine or the user allows it (a mirror, a test server)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return  # not ours to judge here: the request itself reports an unusable URL
    if parts.scheme.lower() != "http" or _is_loopback(host):
        return
    if env.get(ALLOW_HTTP_VAR, "").strip().lower() in ("1", "true", "yes"):
        return
    raise SetupError(ExitCode.USAGE, "err.plain_http", host=host or "?", source=source, var=ALLOW_HTTP_VAR)


@dataclass(frozen=True)
class Endpoint:
    """Where the key is used: a known region, or a custom base URL (region == "custom")."""

    region: str
    compatible_url: str

    @property
    def native_url(self) -> str:
        return native_from_compatible(self.compatible_url)

    @property
    def websocket_url(self) -> str | None:
        return websocket_from_compatible(self.compatible_url)

    @property
    def is_default(self) -> bool:
        """True when the official SDK reaches this endpoint without any base-URL variable."""
        return self.compatible_url.rstrip("/") == REGIONS[DEFAULT_REGION].compatible_url

    def openai_env(self) -> dict[str, str]:
        """The base-URL variable of the OpenAI SDKs (their key variable holds the key itself)."""
        return {OPENAI_URL_VAR: self.compatible_url}

    def sdk_env(self) -> dict[str, str]:
        """Variables that point the official dashscope SDK (which defaults to Beijing) at this endpoint."""
        if self.is_default:
            return {}
        out = {
            "DASHSCOPE_HTTP_BASE_URL": self.native_url,
            "DASHSCOPE_COMPATIBLE_BASE_URL": self.compatible_url,
        }
        ws = self.websocket_url
        if ws:
            out["DASHSCOPE_WEBSOCKET_BASE_URL"] = ws
        owner = workspace_of(self.compatible_url)
        if owner:
            # What dashscope 2.x itself reads for a workspace host; the URLs above win over it.
            out["DASHSCOPE_API_REGION"], out["DASHSCOPE_WORKSPACE_ID"] = owner[1], owner[0]
        return out


def endpoint_for(
    region: str, env: Mapping[str, str], base_url: str | None = None, workspace: str | None = None
) -> Endpoint:
    if base_url:
        url = refuse_control(base_url.strip(), "--base-url").rstrip("/")
        refuse_userinfo(url, "--base-url")
        if not url.startswith(("http://", "https://")):
            raise SetupError(ExitCode.USAGE, "err.base_url")
        refuse_malformed(url, "--base-url")
        refuse_plain_http(url, env, "--base-url")
        for rid, known in region_urls(env).items():
            if known == url:
                return Endpoint(rid, url)
        return Endpoint(CUSTOM, url)
    urls = region_urls(env, workspace)
    if region not in urls:
        raise SetupError(ExitCode.USAGE, "err.region_needs_workspace", region=region)
    return Endpoint(region, urls[region])


def requested(
    env: Mapping[str, str], region: str, base_url: str | None, workspace: str | None = None
) -> tuple[Endpoint | None, str]:
    """(endpoint, how it was chosen) from --base-url / --region / --workspace. None means: find it out."""
    if workspace:
        valid_workspace(workspace)
    if base_url:
        return endpoint_for(DEFAULT_REGION, env, base_url), "base-url"
    if region != "auto":
        return endpoint_for(region, env, workspace=workspace), "flag"
    return None, "detected"
