"""The OS keyring as a store: service ``dashscope``, username ``DASHSCOPE_API_KEY``.

Why this module is more careful than a plain ``keyring.set_password``:

* **Hangs.** Python keyring can block for minutes when D-Bus is half there (secretstorage #33,
  QwenPaw #4263). Every keyring call therefore runs in a daemon thread and we stop waiting after
  a timeout (3 s by default). A hung D-Bus call cannot be cancelled from Python: the thread is
  abandoned. It is a daemon thread, so the process still exits normally when the command ends.
* **No silent fallback.** gh's most-cited complaint is a plaintext fallback users learn about
  after the fact (#8954, #13920). Here the keyring is probed *before* it is offered or used; when
  it is unusable, ``probe`` says why, how to fix it, and that ``--store file`` is the alternative,
  and ``preflight`` stops the setup (exit 8) before anything is written.
* **The injected environment.** keyring, secretstorage and jeepney read ``os.environ`` themselves
  (DBUS_SESSION_BUS_ADDRESS, HOME, XDG dirs, PYTHON_KEYRING_BACKEND). So that they see
  ``ctx.env``, the few variables they read are applied to the process environment for the
  duration of each call (see ``_process_env``). In the CLI ``ctx.env`` is a copy of
  ``os.environ``, so this changes nothing there. keyring picks its backend once per process;
  a test that needs a different real keyring environment runs the CLI in a subprocess.
* **Duplicates.** gnome-keyring can hold several items with the same ``service``/``username``
  (e.g. one made by ``secret-tool store``, which lacks keyring's ``application`` attribute, so
  keyring's ``replace`` does not match it), and lookups return the *older* one. ``save`` reads
  the value back and, if an older entry shadows it, removes every entry and writes it again.

``keyring`` is imported lazily inside the calls: ``--help``, ``snippet`` and ``env`` for the
other stores must not pay for it.

At about 430 lines this module is longer than our usual 400: the bounded calls, the environment
shim and the classification of failures exist only to make these few keyring calls safe, and
read best next to them.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol, TypeVar

from wizard import invocation
from wizard.context import Context
from wizard.errors import ExitCode, SetupError
from wizard.report import Msg
from wizard.shells.detect import detect_os
from wizard.stores import KEYRING, Change, StoreRecord

if TYPE_CHECKING:
    from wizard.shells import Shell

SERVICE = "dashscope"
USERNAME = "DASHSCOPE_API_KEY"
DEFAULT_TIMEOUT = 3.0
# How the entry is named in reports and the manifest (a Change needs a "path").
LOCATION = f"keyring: service={SERVICE} username={USERNAME}"

# The variables keyring, secretstorage and jeepney read from os.environ (see _process_env).
_KEYRING_ENV = (
    "DBUS_SESSION_BUS_ADDRESS",
    "HOME",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "LOCALAPPDATA",
    "ProgramData",
    "PYTHON_KEYRING_BACKEND",
)
_KEYRING_PROPERTY_PREFIX = "KEYRING_PROPERTY_"
# Entries removed at most by one delete: more would mean a keyring that never forgets.
_MAX_ENTRIES = 20
_SSH_VARS = ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY")

# reason -> (full message: why + fix + the file-store alternative, the fix alone, a few words)
REASONS: dict[str, tuple[str, str, str]] = {
    "no_dbus": ("err.keyring_no_dbus", "keyring.fix.no_dbus", "keyring.short.no_dbus"),
    "ssh": ("err.keyring_ssh", "keyring.fix.ssh", "keyring.short.ssh"),
    "wsl": ("err.keyring_wsl", "keyring.fix.wsl", "keyring.short.wsl"),
    "no_backend": ("err.keyring_no_backend", "keyring.fix.no_backend", "keyring.short.no_backend"),
    "locked": ("err.keyring_locked", "keyring.fix.locked", "keyring.short.locked"),
    "no_collection": (
        "err.keyring_no_collection",
        "keyring.fix.no_collection",
        "keyring.short.no_collection",
    ),
    "timeout": ("err.keyring_timeout", "keyring.fix.timeout", "keyring.short.timeout"),
    "failed": ("err.keyring_failed", "keyring.fix.failed", "keyring.short.failed"),
    "shadowed": ("err.keyring_shadowed", "keyring.fix.shadowed", "keyring.short.shadowed"),
}

T = TypeVar("T")


class Backend(Protocol):
    """What we use of a keyring backend; keyring's own backends and the test fakes both fit."""

    def get_password(self, service: str, username: str) -> str | None: ...
    def set_password(self, service: str, username: str, password: str) -> None: ...
    def delete_password(self, service: str, username: str) -> None: ...


BackendFactory = Callable[[], Backend]


@dataclass(frozen=True)
class KeyringStatus:
    """Whether the keyring can be used here, and if not, why (catalogue ids, never free text).

    ``reason_id`` is the whole explanation (why, the fix, ``--store file``) for errors and
    ``status``; ``short_id`` is a few words for a disabled menu entry; ``fix_id`` the fix alone.
    ``stored`` tells whether our entry exists (None when that could not be asked).
    """

    available: bool
    backend: str | None = None
    reason: str = ""  # a key of REASONS; "" (and "" ids) when available
    reason_id: str = ""
    fix_id: str = ""
    short_id: str = ""
    params: dict[str, str] = field(default_factory=dict)
    stored: bool | None = None

    def error(self) -> SetupError:
        if self.available or not self.reason_id:
            raise ValueError("the keyring is available")
        return SetupError(ExitCode.STORE, self.reason_id, **self.params)


class KeyringProblem(Exception):
    """A keyring failure classified into one of REASONS (internal; surfaced as SetupError)."""

    def __init__(self, reason: str, backend: str | None = None, **params: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.backend = backend
        self.params = params

    def status(self) -> KeyringStatus:
        reason_id, fix_id, short_id = REASONS[self.reason]
        return KeyringStatus(False, self.backend, self.reason, reason_id, fix_id, short_id, dict(self.params))

    def error(self) -> SetupError:
        return self.status().error()


# --- bounded calls -----------------------------------------------------------------------------


def call_with_timeout(fn: Callable[[], T], timeout: float) -> T:
    """Run fn in a daemon thread and wait at most `timeout` seconds for it.

    Raises KeyringProblem("timeout") when it does not finish in time. The thread cannot be
    stopped (a blocked D-Bus read has no cancellation), so it is abandoned; being a daemon, it
    does not keep the process alive. Not a ThreadPoolExecutor on purpose: its workers are
    joined at interpreter exit, which would turn a hang into a hang at exit.
    """
    done = threading.Event()
    outcome: list[T] = []
    failure: list[Exception] = []

    def work() -> None:
        try:
            outcome.append(fn())
        except Exception as exc:  # handed to the waiting thread, re-raised there
            failure.append(exc)
        finally:
            done.set()

    worker = threading.Thread(target=work, name="dashscope-setup-keyring", daemon=True)
    worker.start()
    if not done.wait(timeout):
        raise KeyringProblem("timeout", seconds=f"{timeout:g}")
    if failure:
        raise failure[0]
    return outcome[0]


_ENV_LOCK = threading.Lock()


@contextmanager
def _process_env(env: Mapping[str, str]) -> Iterator[None]:
    """Apply the keyring-relevant variables of the injected env to os.environ, then restore them.

    keyring and jeepney read os.environ directly, so this is the one place in wizard/ outside
    context.py that touches it. Only these variables are changed, and only while the caller
    waits for the keyring; a thread abandoned after a timeout sees the restored values.
    """
    names = set(_KEYRING_ENV)
    names.update(k for k in env if k.startswith(_KEYRING_PROPERTY_PREFIX))
    names.update(k for k in os.environ if k.startswith(_KEYRING_PROPERTY_PREFIX))
    with _ENV_LOCK:
        saved = {name: os.environ.get(name) for name in names}
        try:
            for name in names:
                _set_var(name, env.get(name))
            yield
        finally:
            for name, value in saved.items():
                _set_var(name, value)


def _set_var(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


# --- classification ----------------------------------------------------------------------------


def environment_problem(ctx: Context) -> str | None:
    """Why the keyring cannot work here, judged from the environment alone (no keyring call).

    On Linux the keyring is the Secret Service, reached only over the D-Bus session bus, and the
    shell block (secret-tool) needs the same bus; jeepney does not look anywhere else. macOS and
    Windows keyrings need no such bus.
    """
    if ctx.os_name != "linux":
        return None
    if ctx.env.get("DBUS_SESSION_BUS_ADDRESS", "").strip():
        return None
    if detect_os(ctx.platform, ctx.env, ctx.proc_version).wsl:
        return "wsl"
    if any(ctx.env.get(v) for v in _SSH_VARS):
        return "ssh"
    return "no_dbus"


def backend_name(backend: object) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _unusable(backend: object) -> bool:
    """keyring's placeholders: `fail` raises on every call, `null` silently stores nothing (the
    worst kind of fallback), and a chainer with nothing to chain behaves like `fail`."""
    module = type(backend).__module__
    if module in ("keyring.backends.fail", "keyring.backends.null"):
        return True
    if module == "keyring.backends.chainer":
        return not getattr(backend, "backends", ())
    return False


def classify(exc: Exception, secret: str | None = None) -> KeyringProblem:
    """Map what a backend raised to one of REASONS. By class name, so that secretstorage (absent
    on macOS and Windows) need not be imported; the secret is scrubbed from any detail shown."""
    if isinstance(exc, KeyringProblem):
        return exc
    names = {c.__name__ for c in type(exc).__mro__}
    text = str(exc)
    if names & {"NoKeyringError", "SecretServiceNotAvailableException"}:
        return KeyringProblem("no_backend")
    if names & {"KeyringLocked", "LockedException"}:
        return KeyringProblem("locked")
    if "PromptDismissedException" in names or ("InitError" in names and "dismissed" in text.lower()):
        return KeyringProblem("no_collection")
    detail = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    if secret:
        detail = detail.replace(secret, "***")
    return KeyringProblem("failed", detail=detail[:300])


def _default_backend() -> Backend:
    import keyring

    backend: Backend = keyring.get_keyring()
    return backend


# --- the store ---------------------------------------------------------------------------------


class KeyringStore:
    """The key in the OS keyring; no plaintext copy on disk.

    Shells load it at start with a native tool (secret-tool, security) through the block in
    shell_snippets/*/block_keyring.tmpl, so no Python starts with each terminal.
    """

    kind: ClassVar[str] = KEYRING
    writes_blocks: ClassVar[bool] = True
    secret_in_blocks: ClassVar[bool] = False
    next_step: ClassVar[str] = "next.new_terminal"
    key_file: None = None

    def __init__(
        self,
        ctx: Context,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        backend_factory: BackendFactory | None = None,
    ) -> None:
        self.ctx = ctx
        self.timeout = timeout
        self.backend_factory = backend_factory or _default_backend
        self.backend: str | None = None

    def _run(self, op: Callable[[Backend], T], secret: str | None = None) -> T:
        """Check the environment, then run `op` on the backend within the timeout; every failure
        becomes a KeyringProblem. Building the backend is inside the bound too: keyring's
        detection itself talks to D-Bus."""
        problem = environment_problem(self.ctx)
        if problem:
            raise KeyringProblem(problem)
        if self.backend_factory is _default_backend:
            # Imported by the caller, not the worker, so an abandoned worker never holds the
            # import lock of a module the next call needs.
            try:
                import keyring  # noqa: F401
            except ImportError as exc:
                raise classify(exc) from None
        names: list[str] = []

        def call() -> T:
            backend = self.backend_factory()
            names.append(backend_name(backend))
            if _unusable(backend):
                raise KeyringProblem("no_backend", backend_name(backend))
            return op(backend)

        try:
            with _process_env(self.ctx.env):
                return call_with_timeout(call, self.timeout)
        except Exception as exc:
            mapped = classify(exc, secret)
            mapped.backend = mapped.backend or (names[0] if names else None)
            raise mapped from None
        finally:
            self.backend = names[0] if names else self.backend

    def status(self) -> KeyringStatus:
        """Probe with a real read of our entry, bounded by the timeout. A locked keyring may show
        the desktop's own unlock dialog (the backend asks for it); we wait for it no longer than
        for anything else."""
        try:
            value = self._run(lambda b: b.get_password(SERVICE, USERNAME))
        except KeyringProblem as problem:
            return problem.status()
        return KeyringStatus(True, self.backend, stored=value is not None)

    def preflight(self) -> None:
        """Refuse before anything is written when the keyring is unusable (exit 8, the reason)."""
        status = self.status()
        if not status.available:
            raise status.error()

    def read(self) -> str | None:
        try:
            return self._run(lambda b: b.get_password(SERVICE, USERNAME))
        except KeyringProblem as problem:
            raise problem.error() from None

    def plan(self, key: str) -> Change:
        current = self.read()
        if current is None:
            action = "would-create"
        elif current == key:
            action = "unchanged"
        else:
            action = "would-modify"
        return Change(LOCATION, action, "keyring")

    def save(self, key: str) -> tuple[Change, list[str]]:
        """Write the key, then read it back: an older entry with the same attributes would
        otherwise shadow it (in keyring and in secret-tool alike)."""

        def op(backend: Backend) -> str:
            before = backend.get_password(SERVICE, USERNAME)
            if before == key:
                return "unchanged"
            backend.set_password(SERVICE, USERNAME, key)
            if backend.get_password(SERVICE, USERNAME) != key:
                _delete_all(backend)
                backend.set_password(SERVICE, USERNAME, key)
                if backend.get_password(SERVICE, USERNAME) != key:
                    raise KeyringProblem("shadowed")
            return "created" if before is None else "modified"

        try:
            action = self._run(op, secret=key)
        except KeyringProblem as problem:
            raise problem.error() from None
        return Change(LOCATION, action, "keyring"), []

    def delete(self) -> bool:
        """Remove every entry for service/username (keyring deletes one per call); True if any."""
        try:
            return self._run(lambda b: _delete_all(b) > 0)
        except KeyringProblem as problem:
            raise problem.error() from None

    def block_body(self, shell: Shell, extra: Mapping[str, str], key: str) -> str:
        return shell.keyring_block(extra)

    def session_lines(
        self, shell: Shell, sources: Sequence[Path], extra: Mapping[str, str], *, placeholder: str = ""
    ) -> list[str]:
        return [shell.eval_env_line(invocation.words(self.ctx))]

    def warnings(self, paths: Sequence[Path]) -> list[Msg]:
        return [Msg(w) for w in loader_warnings(self.ctx)]

    def after_save(self) -> list[Msg]:
        return []

    def record(self, change: Change | None) -> StoreRecord:
        return StoreRecord(self.kind)

    def remove(self, *, done: bool) -> tuple[list[Change], list[Msg]]:
        if done:
            return ([Change(LOCATION, "removed", "keyring")] if self.delete() else []), []
        return ([Change(LOCATION, "would-remove", "keyring")] if self.read() is not None else []), []


def _delete_all(backend: Backend) -> int:
    removed = 0
    while removed < _MAX_ENTRIES and backend.get_password(SERVICE, USERNAME) is not None:
        backend.delete_password(SERVICE, USERNAME)
        removed += 1
    return removed


def loader_warnings(ctx: Context) -> list[str]:
    """Catalogue ids of what new shells will lack when they load the key: the block itself is
    silent at every shell start, so setup is the one moment to say it."""
    if ctx.os_name == "macos":
        return ["warn.keyring_macos_prompt"]
    if ctx.os_name == "linux" and ctx.which("secret-tool"):
        return []
    if ctx.which("dashscope-setup"):
        return ["warn.keyring_no_native_tool"] if ctx.os_name == "linux" else []
    return ["warn.keyring_no_loader"]


def probe(
    ctx: Context, *, timeout: float = DEFAULT_TIMEOUT, backend_factory: BackendFactory | None = None
) -> KeyringStatus:
    """Can the keyring be used here? Asked before it is offered (wizard) or used (setup)."""
    return KeyringStore(ctx, timeout=timeout, backend_factory=backend_factory).status()
