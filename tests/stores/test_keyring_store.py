"""The keyring store with fake backends: no D-Bus, no daemon. The real Secret Service is in
tests/e2e/test_keyring_e2e.py."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import pytest

from tests.conftest import IN_CI, ROOT, make_ctx, needs_python, new_key, require
from wizard import block
from wizard.context import Context
from wizard.errors import ExitCode, SetupError
from wizard.messages.keyring import MESSAGES
from wizard.shells import SHELLS
from wizard.stores import keyring as keyring_store
from wizard.stores.keyring import (
    LOCATION,
    REASONS,
    SERVICE,
    USERNAME,
    KeyringStore,
    call_with_timeout,
    loader_warnings,
    probe,
)

DBUS = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus"}


class MemoryBackend:
    """A keyring that behaves like gnome-keyring under Python keyring: several entries may share
    service/username, a lookup returns the oldest, and `set` replaces only an entry keyring made
    itself (one from `secret-tool store` lacks keyring's `application` attribute)."""

    def __init__(self, *values: str, foreign: bool = False) -> None:
        self.entries: list[tuple[str, bool]] = [(v, not foreign) for v in values]

    @property
    def values(self) -> list[str]:
        return [v for v, _ in self.entries]

    def get_password(self, service: str, username: str) -> str | None:
        assert (service, username) == (SERVICE, USERNAME)
        return self.entries[0][0] if self.entries else None

    def set_password(self, service: str, username: str, password: str) -> None:
        assert (service, username) == (SERVICE, USERNAME)
        mine = next((i for i, (_, ours) in enumerate(self.entries) if ours), None)
        if mine is None:
            self.entries.append((password, True))
        else:
            self.entries[mine] = (password, True)

    def delete_password(self, service: str, username: str) -> None:
        if not self.entries:
            raise keyring.errors.PasswordDeleteError("No such password!")
        del self.entries[0]


class SleepingBackend:
    """secretstorage #33: a D-Bus call that never returns (30 s is 'never' for a test)."""

    def get_password(self, service: str, username: str) -> str | None:
        time.sleep(30)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        time.sleep(30)

    def delete_password(self, service: str, username: str) -> None:
        time.sleep(30)


class RaisingBackend:
    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    def get_password(self, service: str, username: str) -> str | None:
        raise self.exc

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.exc

    def delete_password(self, service: str, username: str) -> None:
        raise self.exc


_SESSION_VARS = (
    "DBUS_SESSION_BUS_ADDRESS",
    "SSH_CONNECTION",
    "SSH_CLIENT",
    "SSH_TTY",
    "WSL_DISTRO_NAME",
    "WSL_INTEROP",
    "PYTHON_KEYRING_BACKEND",
)


def session_ctx(home: Path, *, env: dict[str, str] | None = None, platform: str = "linux") -> Context:
    """A Context that inherits no D-Bus, SSH or WSL markers from the session running the tests."""
    ctx = make_ctx(home, platform=platform)
    for name in _SESSION_VARS:
        ctx.env.pop(name, None)
    ctx.env.update(env or {})
    return ctx


def store_with(ctx: Context, backend: Any, timeout: float = 3.0) -> KeyringStore:
    return KeyringStore(ctx, timeout=timeout, backend_factory=lambda: backend)


@pytest.fixture
def dctx(home: Path) -> Context:
    """A Linux desktop session: a session bus is there."""
    return session_ctx(home, env=DBUS)


def render(msg_id: str, lang: int, params: dict[str, str]) -> str:
    return MESSAGES[msg_id][lang].format(**params)


# --- timeouts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("op", ["read", "save", "delete", "probe"])
def test_hanging_backend_gives_timeout_error_within_the_timeout(dctx: Context, op: str) -> None:
    store = store_with(dctx, SleepingBackend(), timeout=0.5)
    key = new_key()
    start = time.monotonic()
    if op == "probe":
        status = store.status()
        assert not status.available
        assert status.reason_id == "err.keyring_timeout"
        assert status.params == {"seconds": "0.5"}
    else:
        with pytest.raises(SetupError) as info:
            if op == "read":
                store.read()
            elif op == "save":
                store.save(key)
            else:
                store.delete()
        assert info.value.code == ExitCode.STORE
        assert info.value.msg_id == "err.keyring_timeout"
        assert key not in repr(info.value.params)
    assert time.monotonic() - start < 5


def test_hang_while_detecting_the_backend_is_bounded_too(dctx: Context) -> None:
    def detect() -> SleepingBackend:
        time.sleep(30)  # keyring's backend detection talks to D-Bus as well
        return SleepingBackend()

    start = time.monotonic()
    status = probe(dctx, timeout=0.5, backend_factory=detect)
    assert status.reason == "timeout"
    assert time.monotonic() - start < 5


def test_abandoned_worker_is_a_daemon_thread(dctx: Context) -> None:
    store_with(dctx, SleepingBackend(), timeout=0.2).status()
    workers = [t for t in threading.enumerate() if t.name == "dashscope-setup-keyring"]
    assert workers
    assert all(t.daemon for t in workers)


def test_call_with_timeout_passes_value_and_exceptions_through() -> None:
    assert call_with_timeout(lambda: 42, 1.0) == 42
    with pytest.raises(ZeroDivisionError):
        call_with_timeout(lambda: 1 // 0, 1.0)


def test_hanging_cli_process_still_exits_at_once(home: Path) -> None:
    """An abandoned daemon thread must not keep the process alive after the timeout."""
    code = (
        "import time\n"
        "from tests.conftest import make_ctx\n"
        "from wizard.stores.keyring import probe\n"
        "from pathlib import Path\n"
        "class Hang:\n"
        "    def get_password(self, s, u):\n"
        "        time.sleep(60)\n"
        f"ctx = make_ctx(Path({str(home)!r}), env={DBUS!r})\n"
        "print(probe(ctx, timeout=0.3, backend_factory=Hang).reason)\n"
    )
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, cwd=str(ROOT)
    )
    assert result.stdout.strip() == "timeout", result.stderr
    assert time.monotonic() - start < 15


# --- reasons -----------------------------------------------------------------------------------


def test_locked_backend_gives_locked_message(dctx: Context) -> None:
    exc = keyring.errors.KeyringLocked("Failed to unlock the collection!")
    status = store_with(dctx, RaisingBackend(exc)).status()
    assert (status.available, status.reason_id) == (False, "err.keyring_locked")
    with pytest.raises(SetupError) as info:
        store_with(dctx, RaisingBackend(exc)).preflight()
    assert (info.value.code, info.value.msg_id) == (ExitCode.STORE, "err.keyring_locked")


def test_fail_backend_gives_no_keyring_message(dctx: Context) -> None:
    status = store_with(dctx, keyring.backends.fail.Keyring()).status()
    assert status.reason_id == "err.keyring_no_backend"
    assert status.backend == "keyring.backends.fail.Keyring"


def test_null_backend_is_refused_not_used_silently(dctx: Context) -> None:
    """The null backend 'stores' nothing without an error: the worst silent fallback."""
    backend = keyring.backends.null.Keyring()
    assert store_with(dctx, backend).status().reason_id == "err.keyring_no_backend"
    with pytest.raises(SetupError) as info:
        store_with(dctx, backend).save(new_key())
    assert info.value.msg_id == "err.keyring_no_backend"


def test_chainer_with_nothing_to_chain_is_refused(dctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyring.backends.chainer.ChainerBackend, "backends", [])
    backend = keyring.backends.chainer.ChainerBackend()
    assert store_with(dctx, backend).status().reason_id == "err.keyring_no_backend"


def test_no_keyring_error_gives_no_keyring_message(dctx: Context) -> None:
    exc = keyring.errors.NoKeyringError("No recommended backend was available.")
    assert store_with(dctx, RaisingBackend(exc)).status().reason_id == "err.keyring_no_backend"


def test_prompt_dismissed_on_fresh_home_gives_no_collection_message(dctx: Context) -> None:
    exc = keyring.errors.InitError("Failed to create the collection: Prompt dismissed..")
    assert store_with(dctx, RaisingBackend(exc)).status().reason_id == "err.keyring_no_collection"


def test_secretstorage_prompt_dismissed_on_save_gives_no_collection_message(dctx: Context) -> None:
    class PromptDismissedException(Exception):  # secretstorage's name; matched by name
        pass

    class DismissOnSet(MemoryBackend):
        def set_password(self, service: str, username: str, password: str) -> None:
            raise PromptDismissedException("Prompt dismissed.")

    with pytest.raises(SetupError) as info:
        store_with(dctx, DismissOnSet()).save(new_key())
    assert info.value.msg_id == "err.keyring_no_collection"


def test_other_backend_error_is_shown_with_the_key_scrubbed(dctx: Context) -> None:
    key = new_key()

    class Leaky(MemoryBackend):
        def set_password(self, service: str, username: str, password: str) -> None:
            raise RuntimeError(f"cannot store {password}")

    with pytest.raises(SetupError) as info:
        store_with(dctx, Leaky()).save(key)
    assert info.value.msg_id == "err.keyring_failed"
    assert info.value.params["detail"] == "RuntimeError: cannot store ***"
    assert key not in repr(info.value.params)


def test_missing_dbus_gives_no_dbus_message_without_asking_the_keyring(home: Path) -> None:
    asked: list[int] = []

    def factory() -> MemoryBackend:
        asked.append(1)
        return MemoryBackend()

    status = probe(session_ctx(home), backend_factory=factory)
    assert (status.available, status.reason_id) == (False, "err.keyring_no_dbus")
    assert status.fix_id == "keyring.fix.no_dbus"
    assert status.short_id == "keyring.short.no_dbus"
    assert asked == []


def test_empty_dbus_address_counts_as_missing(home: Path) -> None:
    ctx = session_ctx(home, env={"DBUS_SESSION_BUS_ADDRESS": " "})
    assert probe(ctx, backend_factory=MemoryBackend).reason == "no_dbus"


def test_ssh_without_session_bus_gives_ssh_message(home: Path) -> None:
    ctx = session_ctx(home, env={"SSH_CONNECTION": "10.0.0.2 50000 10.0.0.1 22"})
    assert probe(ctx, backend_factory=MemoryBackend).reason_id == "err.keyring_ssh"


@pytest.mark.parametrize(
    ("env", "proc_version"),
    [
        ({"WSL_DISTRO_NAME": "Ubuntu"}, None),
        ({}, "Linux version 5.15.167.4-microsoft-standard-WSL2 (root@…)"),
    ],
    ids=["WSL_DISTRO_NAME", "proc-version"],
)
def test_wsl_without_session_bus_gives_wsl_message(
    home: Path, env: dict[str, str], proc_version: str | None
) -> None:
    ctx = session_ctx(home, env={**env, "SSH_TTY": "/dev/pts/0"})  # WSL wins over SSH: the fix differs
    ctx.proc_version = proc_version
    assert probe(ctx, backend_factory=MemoryBackend).reason_id == "err.keyring_wsl"


def test_wsl_with_a_session_bus_is_probed_for_real(home: Path) -> None:
    ctx = session_ctx(home, env={**DBUS, "WSL_DISTRO_NAME": "Ubuntu"})
    assert probe(ctx, backend_factory=MemoryBackend).available


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_macos_and_windows_need_no_dbus(home: Path, platform: str) -> None:
    status = probe(session_ctx(home, platform=platform), backend_factory=MemoryBackend)
    assert status.available
    assert status.backend == f"{__name__}.MemoryBackend"


def test_keyring_sees_the_injected_env_and_the_process_env_is_restored(home: Path) -> None:
    seen: dict[str, str | None] = {}

    def factory() -> MemoryBackend:
        seen["bus"] = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
        seen["home"] = os.environ.get("HOME")
        return MemoryBackend()

    before = (os.environ.get("DBUS_SESSION_BUS_ADDRESS"), os.environ.get("HOME"))
    ctx = session_ctx(home, env={"DBUS_SESSION_BUS_ADDRESS": "unix:path=/tmp/injected"})
    ctx.env["HOME"] = "/injected/home"
    assert probe(ctx, backend_factory=factory).available
    assert seen == {"bus": "unix:path=/tmp/injected", "home": "/injected/home"}
    assert (os.environ.get("DBUS_SESSION_BUS_ADDRESS"), os.environ.get("HOME")) == before


# --- store behaviour ---------------------------------------------------------------------------


def test_save_creates_then_is_unchanged_then_modifies(dctx: Context) -> None:
    backend = MemoryBackend()
    store = store_with(dctx, backend)
    first, second = new_key(), new_key()
    assert store.plan(first).action == "would-create"
    assert store.save(first) == (keyring_store.Change(LOCATION, "created", "keyring"), [])
    assert store.read() == first
    assert store.plan(first).action == "unchanged"
    assert store.save(first)[0].action == "unchanged"
    assert store.plan(second).action == "would-modify"
    assert store.save(second)[0].action == "modified"
    assert backend.values == [second]


def test_save_removes_an_older_entry_that_would_shadow_the_new_key(dctx: Context) -> None:
    """gnome-keyring: an entry from `secret-tool store` is not replaced by keyring and wins lookups."""
    old, new = new_key(), new_key()
    backend = MemoryBackend(old, foreign=True)
    change, _ = store_with(dctx, backend).save(new)
    assert change.action == "modified"
    assert backend.values == [new]


def test_save_that_cannot_be_read_back_is_an_error(dctx: Context) -> None:
    class Stuck(MemoryBackend):
        def get_password(self, service: str, username: str) -> str | None:
            return "sk-stuck"

        def delete_password(self, service: str, username: str) -> None:
            return None

    with pytest.raises(SetupError) as info:
        store_with(dctx, Stuck()).save(new_key())
    assert (info.value.code, info.value.msg_id) == (ExitCode.STORE, "err.keyring_shadowed")


def test_read_of_missing_entry_is_none(dctx: Context) -> None:
    assert store_with(dctx, MemoryBackend()).read() is None
    assert store_with(dctx, MemoryBackend()).status().stored is False


def test_delete_removes_every_entry(dctx: Context) -> None:
    backend = MemoryBackend(new_key(), new_key(), new_key())
    assert store_with(dctx, backend).delete() is True
    assert backend.entries == []
    assert store_with(dctx, backend).delete() is False


def test_preflight_passes_on_a_working_keyring(dctx: Context) -> None:
    store_with(dctx, MemoryBackend()).preflight()


def test_import_does_not_import_keyring() -> None:
    code = "import sys, wizard.stores.keyring, wizard.messages.keyring; print('keyring' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT))
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.parametrize(
    ("os_platform", "tools", "expected"),
    [
        ("linux", {"secret-tool", "dashscope-setup"}, []),
        ("linux", {"dashscope-setup"}, ["warn.keyring_no_native_tool"]),
        ("linux", set(), ["warn.keyring_no_loader"]),
        ("darwin", {"security"}, ["warn.keyring_macos_prompt"]),
        ("win32", {"dashscope-setup"}, []),
        ("win32", set(), ["warn.keyring_no_loader"]),
    ],
)
def test_loader_warnings(home: Path, os_platform: str, tools: set[str], expected: list[str]) -> None:
    bindir = home / "bin"
    bindir.mkdir()
    for tool in tools:
        exe = bindir / tool
        exe.write_text("#!/bin/sh\n")
        exe.chmod(0o755)
    ctx = session_ctx(home, platform=os_platform, env={"PATH": str(bindir)})
    assert loader_warnings(ctx) == expected


# --- messages ----------------------------------------------------------------------------------

_CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_reason_has_all_its_messages_in_both_languages() -> None:
    for ids in REASONS.values():
        for msg_id in ids:
            en, zh = MESSAGES[msg_id]
            assert en and _CJK.search(zh), msg_id
            assert not _CJK.search(en), msg_id


@pytest.mark.parametrize("reason", sorted(REASONS))
def test_every_full_message_offers_the_file_store(reason: str) -> None:
    reason_id = REASONS[reason][0]
    params = {"seconds": "3", "detail": "RuntimeError: boom"}
    for lang in (0, 1):
        text = render(reason_id, lang, params)
        assert "--store file" in text
        assert "{" not in text


def test_messages_use_only_known_params() -> None:
    known = {"seconds", "detail", "backend"}
    for msg_id, pair in MESSAGES.items():
        for text in pair:
            assert set(re.findall(r"\{(\w+)\}", text)) <= known, msg_id


def test_no_status_or_error_carries_the_key(dctx: Context, home: Path) -> None:
    key = new_key()
    backends: list[object] = [
        RaisingBackend(RuntimeError(f"boom {key}")),
        RaisingBackend(keyring.errors.KeyringLocked(key)),
        keyring.backends.fail.Keyring(),
        SleepingBackend(),
    ]
    texts: list[str] = []
    for backend in backends:
        try:
            store_with(dctx, backend, timeout=0.3).save(key)
        except SetupError as exc:
            texts.extend(render(exc.msg_id, lang, exc.params) for lang in (0, 1))
            texts.append(repr(exc) + repr(exc.params))
    status = probe(session_ctx(home), backend_factory=MemoryBackend)
    texts.append(repr(status))
    assert len(texts) > 4
    assert all(key not in text for text in texts)


# --- the shell block ---------------------------------------------------------------------------

LOOKUP = "secret-tool lookup service dashscope username DASHSCOPE_API_KEY"
SECURITY = "security find-generic-password -s dashscope -a DASHSCOPE_API_KEY -w"


@pytest.mark.parametrize("name", ["bash", "zsh", "sh", "fish", "powershell"])
def test_block_uses_native_tools_then_dashscope_setup_env(name: str) -> None:
    body = SHELLS[name].keyring_block({"DASHSCOPE_HTTP_BASE_URL": "https://x/api/v1"})
    assert LOOKUP in body
    assert SECURITY in body
    assert f"dashscope-setup env --shell {name}" in body
    assert "timeout 3 " + LOOKUP in body
    assert "DASHSCOPE_HTTP_BASE_URL" in body
    code = [line for line in body.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in code if "python" in line.lower()]


@pytest.mark.parametrize(("name", "binary"), [("bash", "bash"), ("zsh", "zsh"), ("sh", "dash")])
def test_posix_block_syntax(tmp_path: Path, name: str, binary: str) -> None:
    exe = require(binary)
    path = tmp_path / "rc"
    path.write_text(block.make_block(SHELLS[name].keyring_block({}), "\n"))
    result = subprocess.run([exe, "-n", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_fish_block_syntax(tmp_path: Path) -> None:
    exe = require("fish")
    path = tmp_path / "dashscope.fish"
    path.write_text(block.make_block(SHELLS["fish"].keyring_block({}), "\n"))
    result = subprocess.run([exe, "--no-execute", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_powershell_block_parses() -> None:
    try:
        import tree_sitter_powershell as tsp
        from tree_sitter import Language, Parser
    except ImportError:
        needs_python((3, 10), "tree-sitter-powershell")
        if IN_CI:
            pytest.fail("tree-sitter and tree-sitter-powershell are required in CI")
        pytest.skip("tree-sitter-powershell not installed")
    body = SHELLS["powershell"].keyring_block({"DASHSCOPE_HTTP_BASE_URL": "https://x"})
    tree = Parser(Language(tsp.language())).parse(body.encode())
    bad: list[str] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            bad.append(str(node))
        stack.extend(node.children)
    assert not bad


@pytest.mark.parametrize("binary", ["bash", "zsh", "dash"])
def test_posix_block_is_silent_and_leaves_key_unset_when_no_tool_exists(tmp_path: Path, binary: str) -> None:
    """No D-Bus, no secret-tool, no security, no dashscope-setup: a quiet shell start."""
    exe = require(binary)
    rc = tmp_path / "rc"
    rc.write_text(block.make_block(SHELLS["bash"].keyring_block({}), "\n"))
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    env = {"HOME": str(tmp_path), "PATH": str(empty), "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"}
    result = subprocess.run(
        [exe, "-c", '. "$1"; printf "[%s]" "${DASHSCOPE_API_KEY-unset}"', "sh", str(rc)],
        capture_output=True,
        text=True,
        env=env,
        timeout=20,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "[unset]", "")


def test_posix_block_falls_back_to_dashscope_setup_env(tmp_path: Path) -> None:
    """Without secret-tool the block evals `dashscope-setup env` (a stand-in script here)."""
    require("bash")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    fake = bindir / "dashscope-setup"
    fake.write_text(
        '#!/bin/sh\n[ "$*" = "env --shell bash" ] || exit 2\nprintf "%s\\n" "export DASHSCOPE_API_KEY=\'sk-from-env\'"\n'
    )
    fake.chmod(0o755)
    rc = tmp_path / "rc"
    rc.write_text(block.make_block(SHELLS["bash"].keyring_block({}), "\n"))
    env = {"HOME": str(tmp_path), "PATH": str(bindir), "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"}
    result = subprocess.run(
        [shutil.which("bash") or "bash", "-c", '. "$1"; printf %s "$DASHSCOPE_API_KEY"', "sh", str(rc)],
        capture_output=True,
        text=True,
        env=env,
        timeout=20,
    )
    assert (result.stdout, result.stderr) == ("sk-from-env", "")
