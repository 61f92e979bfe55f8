"""The HTTP client for the live check, configured from the INJECTED environment.

httpx's own ``trust_env`` reads ``os.environ`` (and ``~/.netrc``), which would make the check depend on
the process rather than on the Context the tests and the CLI hand in. So ``trust_env`` is off and the
proxies and trust store are built here, explicitly, from the mapping passed in.

TLS verification is never switched off. Trusted: certifi's bundle, the operating system's store (where
IT installs a corporate root for an intercepting proxy) and ``SSL_CERT_FILE``/``SSL_CERT_DIR``; each only
ADDS trust.

Proxies as desktop tools export them: Clash sets ``https_proxy``/``http_proxy`` to its HTTP port and
``all_proxy`` to its SOCKS port. A request takes the most specific mount, so ``all_proxy`` serves only a
scheme that has no proxy of its own; a transport is built only for a proxy some scheme will use.
"""

from __future__ import annotations

import contextlib
import os
import ssl
import sys
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import certifi
import httpx

from wizard import __version__
from wizard.errors import ExitCode, SetupError

DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 30.0
USER_AGENT = f"dashscope-setup/{__version__}"
PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")


def _get(env: Mapping[str, str], name: str) -> str:
    """Lower case wins over upper case, as in curl and urllib (``http_proxy`` is the historic form)."""
    return (env.get(name.lower()) or env.get(name.upper()) or "").strip()


def mask_proxy(url: str) -> str:
    """A proxy URL fit for a message: a password in it is replaced, the rest kept for recognition."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable proxy URL>"
    if parts.password is None and parts.username is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = parts.username or ""
    netloc = f"{user}:***@{host}" if parts.password is not None else f"{user}@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def proxy_mounts(env: Mapping[str, str]) -> dict[str, str | None]:
    """URL pattern -> proxy URL (None = go direct), from the proxy variables of ``env``.

    The same patterns httpx derives from the process environment, but from the injected mapping, so a
    test (or a Context) decides, not whatever the developer's shell exported.
    """
    mounts: dict[str, str | None] = {}
    for scheme, var in (("http", "HTTP_PROXY"), ("https", "HTTPS_PROXY"), ("all", "ALL_PROXY")):
        value = _get(env, var)
        if value:
            mounts[f"{scheme}://"] = value if "://" in value else f"http://{value}"
    if not mounts:
        return mounts
    for entry in _get(env, "NO_PROXY").split(","):
        host = entry.strip()
        if not host:
            continue
        if host == "*":
            return {}
        if "://" in host:
            mounts[host] = None
        elif host.replace(".", "").isdigit() or host.lower() == "localhost":
            mounts[f"all://{host}"] = None
        elif ":" in host and host.count(":") > 1:  # a bare IPv6 address
            mounts[f"all://[{host.strip('[]')}]"] = None
        else:
            # curl semantics: "example.com" and ".example.com" both cover the subdomains.
            mounts[f"all://*{host.lstrip('*')}"] = None
    return mounts


# Where Linux distributions keep the system bundle, when OpenSSL's compiled-in one is missing.
_SYSTEM_BUNDLES = (
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/cert.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/ca-bundle.pem",
)


def os_trust(platform: str = sys.platform) -> ssl.SSLContext:
    """A verifying context that trusts the operating system's store.

    macOS and Windows keep theirs outside OpenSSL (Keychain, the certificate store): truststore asks
    them (Python >= 3.10; on 3.9 the stdlib reads Windows' store). Elsewhere the store is a bundle file,
    read here from OpenSSL's compiled-in location rather than through ``set_default_verify_paths``,
    which would also obey the process's SSL_CERT_FILE instead of the injected one.
    """
    if platform == "darwin" or platform.startswith("win"):
        try:
            import truststore
        except ImportError:
            return ssl.create_default_context()
        ctx: ssl.SSLContext = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        return ctx
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    paths = ssl.get_default_verify_paths()
    bundles = (paths.openssl_cafile, *_SYSTEM_BUNDLES)
    bundle = next((b for b in bundles if b and Path(b).is_file()), None)
    with contextlib.suppress(OSError, ssl.SSLError):
        if bundle:
            ctx.load_verify_locations(cafile=bundle)
        if paths.openssl_capath and Path(paths.openssl_capath).is_dir():
            ctx.load_verify_locations(capath=paths.openssl_capath)
    return ctx


def used_mounts(mounts: Mapping[str, str | None]) -> dict[str, str | None]:
    """``mounts`` without an ``all://`` proxy that both http:// and https:// override: no request would
    ever take it, so it is neither built nor judged (a SOCKS or odd ``all_proxy`` beside Clash's
    ``https_proxy`` and ``http_proxy`` must not stop the check)."""
    if "http://" in mounts and "https://" in mounts:
        return {p: proxy for p, proxy in mounts.items() if p != "all://"}
    return dict(mounts)


def ssl_context(env: Mapping[str, str], platform: str = sys.platform) -> ssl.SSLContext:
    """The OS store, certifi's roots and the user's own (``SSL_CERT_FILE``, ``SSL_CERT_DIR``), always
    verifying.

    A configured file that cannot be loaded is an error, not ignored: silently falling back would turn
    the user's fix for a corporate proxy into a mysterious verification failure.
    """
    ctx = os_trust(platform)
    ctx.load_verify_locations(cafile=certifi.where())
    cafile = env.get("SSL_CERT_FILE", "").strip()
    if cafile:
        try:
            ctx.load_verify_locations(cafile=cafile)
        except (OSError, ssl.SSLError) as exc:
            raise SetupError(
                ExitCode.NETWORK,
                "check.ca_file_unreadable",
                var="SSL_CERT_FILE",
                path=cafile,
                detail=_short(exc),
            ) from None
    capath = env.get("SSL_CERT_DIR", "").strip()
    if capath:
        for directory in (d for d in capath.split(os.pathsep) if d):
            if not Path(directory).is_dir():
                raise SetupError(
                    ExitCode.NETWORK,
                    "check.ca_file_unreadable",
                    var="SSL_CERT_DIR",
                    path=directory,
                    detail="not a directory",
                )
            ctx.load_verify_locations(capath=directory)
    # Never weakened: these are the defaults of create_default_context, asserted so a later edit
    # cannot quietly turn them off.
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.check_hostname = True
    return ctx


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text[:200]


class _ProxyTransport(httpx.BaseTransport):
    """Wraps a proxied transport so that failing to reach the PROXY is reported as a proxy error.

    Without it, a dead local proxy looks exactly like DashScope refusing the connection, and users
    chase the wrong problem. TLS failures pass through untouched: through a tunnel they concern the
    target (typically a corporate interception certificate), not the proxy.
    """

    def __init__(self, proxy: str, verify: ssl.SSLContext) -> None:
        self._shown = mask_proxy(proxy)
        self._inner = httpx.HTTPTransport(proxy=proxy, verify=verify)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return self._inner.handle_request(request)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            if _has_tls_cause(exc):
                raise
            raise httpx.ProxyError(f"cannot reach the proxy {self._shown}: {exc}", request=request) from exc

    def close(self) -> None:
        self._inner.close()


def _has_tls_cause(exc: BaseException) -> bool:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, ssl.SSLError):
            return True
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return False


def _proxy_transport(proxy: str, verify: ssl.SSLContext) -> httpx.BaseTransport:
    try:
        scheme = urlsplit(proxy).scheme.lower()
        urlsplit(proxy).port  # noqa: B018 - raises ValueError on a non-numeric port
    except ValueError:
        raise SetupError(ExitCode.NETWORK, "check.proxy_invalid", proxy=mask_proxy(proxy)) from None
    if scheme not in PROXY_SCHEMES:
        raise SetupError(
            ExitCode.NETWORK, "check.proxy_unsupported", proxy=mask_proxy(proxy), scheme=scheme or "?"
        )
    try:
        return _ProxyTransport(proxy, verify)
    except ImportError:  # an installation without its socksio dependency
        raise SetupError(ExitCode.NETWORK, "check.proxy_socks_missing", proxy=mask_proxy(proxy)) from None
    except (ValueError, httpx.InvalidURL):
        raise SetupError(ExitCode.NETWORK, "check.proxy_invalid", proxy=mask_proxy(proxy)) from None


def make_client(
    env: Mapping[str, str],
    *,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    read_timeout: float = DEFAULT_READ_TIMEOUT,
) -> httpx.Client:
    """One client for the whole check (probes run concurrently on it; its pool is thread-safe).

    Raises SetupError (exit 7, ids ``check.ca_file_unreadable``, ``check.proxy_unsupported``,
    ``check.proxy_invalid``, ``check.proxy_socks_missing``) when the environment's TLS or proxy settings
    cannot be used as given.
    """
    verify = ssl_context(env)
    transports: dict[str, httpx.BaseTransport] = {}
    mounts: dict[str, httpx.BaseTransport | None] = {}
    for pattern, proxy in used_mounts(proxy_mounts(env)).items():
        if proxy is not None and proxy not in transports:
            transports[proxy] = _proxy_transport(proxy, verify)
        mounts[pattern] = None if proxy is None else transports[proxy]
    return httpx.Client(
        verify=verify,
        trust_env=False,
        mounts=mounts,
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
        timeout=httpx.Timeout(
            connect=connect_timeout, read=read_timeout, write=read_timeout, pool=connect_timeout
        ),
    )


def request_headers(key: str, *, stream: bool = False) -> dict[str, str]:
    """The one place the raw key goes: the ``Authorization`` header of a request."""
    # identity: a compressed body could expand far beyond the size the check reads (limits.py).
    headers = {"Authorization": f"Bearer {key}", "User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if stream:
        headers["Accept"] = "text/event-stream"
    return headers
