"""The keyring store against a real Secret Service: gnome-keyring in a private D-Bus session.

Each test starts its own `dbus-run-session -- sh -c '...'` (so `./scripts/test` needs no wrapper),
with HOME in a temporary directory: the developer's own keyring is never touched. The key lives
only in a file the scripts read; it is never on the command line of any process started here
(`_run` checks), and our code's output is checked not to contain it.

The hang is real too: `HalfThereBus` is a D-Bus socket that completes the handshake and then never
answers — the situation of secretstorage #33, where plain Python keyring blocks forever.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI, ROOT, clean_env, new_key, require, snapshot
from wizard.block import make_block
from wizard.shells import SHELLS

pytestmark = pytest.mark.real

UNLOCKED = 'eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null\n'
# An existing login keyring, daemon started without the password: the collection stays locked.
LOCKED = 'eval "$(gnome-keyring-daemon --start --components=secrets)" >/dev/null\n'
LOOKUP = 'secret-tool lookup service dashscope username DASHSCOPE_API_KEY >"$OUT/lookup"; echo $? >"$OUT/lookup.rc"\n'
SHELL_STARTS = """
"$DS_BASH" -ic 'printf %s "$DASHSCOPE_API_KEY"' >"$OUT/bash" 2>"$OUT/bash.err"
"$DS_ZSH" -ic 'printf %s "$DASHSCOPE_API_KEY"' >"$OUT/zsh" 2>"$OUT/zsh.err"
"$DS_FISH" -c 'printf %s "$DASHSCOPE_API_KEY"' >"$OUT/fish" 2>"$OUT/fish.err"
"$DS_DASH" -lc 'printf %s "$DASHSCOPE_API_KEY"' >"$OUT/dash" 2>"$OUT/dash.err"
"""
SHELLS_UNDER_TEST = ("bash", "zsh", "fish", "dash")

# Runs our code inside the session; prints one JSON line of facts (never the key).
DRIVER = """
import json, os, sys, time
from pathlib import Path
from wizard.context import Context
from wizard.errors import SetupError
from wizard.stores.keyring import KeyringStore

store = KeyringStore(Context.from_process())
key = lambda: Path(os.environ["KEY_FILE"]).read_text(encoding="ascii").strip()
out = {"op": sys.argv[1]}
start = time.monotonic()
try:
    if sys.argv[1] == "save":
        out["action"] = store.save(key())[0].action
    elif sys.argv[1] == "probe":
        s = store.status()
        out.update(available=s.available, reason=s.reason, reason_id=s.reason_id, backend=s.backend, stored=s.stored)
    elif sys.argv[1] == "delete":
        out["deleted"] = store.delete()
    elif sys.argv[1] == "matches":
        out["matches"] = store.read() == key()
except SetupError as exc:
    out.update(error=exc.msg_id, code=int(exc.code))
out["elapsed"] = time.monotonic() - start
print(json.dumps(out))
"""

# A backend that hangs inside a real process, selected the way users select backends.
HANGING_BACKEND = """
import time
from keyring.backend import KeyringBackend

class Keyring(KeyringBackend):
    priority = 1

    def get_password(self, service, username):
        time.sleep(60)

    def set_password(self, service, username, password):
        time.sleep(60)

    def delete_password(self, service, username):
        time.sleep(60)
"""


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Any]:
    """Binaries, a HOME with our block in every startup file, the key in a 0600 file."""
    tools = {
        name: require(name)
        for name in ("dbus-run-session", "gnome-keyring-daemon", "secret-tool", "bash", "zsh", "fish", "dash")
    }
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    out = tmp_path / "out"
    out.mkdir()
    key = new_key()
    key_file = tmp_path / "key"
    key_file.write_text(key + "\n", encoding="ascii")
    key_file.chmod(0o600)
    runtime = tmp_path / "run"  # gnome-keyring's control socket: outside HOME, which tests snapshot
    runtime.mkdir(mode=0o700)
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    return {
        "tools": tools,
        "home": home,
        "out": out,
        "key": key,
        "key_file": key_file,
        "driver": driver,
        "runtime": runtime,
    }


def install_blocks(home: Path) -> None:
    """Our keyring block in each shell's startup file, below Debian's real .bashrc."""
    skel = Path("/etc/skel/.bashrc")
    bashrc = skel.read_text(encoding="utf-8") if skel.exists() else ""
    block = {name: make_block(SHELLS[name].keyring_block({}), "\n") for name in ("bash", "zsh", "sh", "fish")}
    (home / ".bashrc").write_text(bashrc + "\n" + block["bash"], encoding="utf-8")
    (home / ".zshrc").write_text(block["zsh"], encoding="utf-8")
    (home / ".profile").write_text(block["sh"], encoding="utf-8")
    conf_d = home / ".config" / "fish" / "conf.d"
    conf_d.mkdir(parents=True, exist_ok=True)
    (conf_d / "dashscope.fish").write_text(block["fish"], encoding="utf-8")


def env_for(w: dict[str, Any], **extra: str) -> dict[str, str]:
    t = w["tools"]
    env = clean_env(
        w["home"],
        PY=sys.executable,
        PYTHONPATH=str(ROOT),
        DRIVER=str(w["driver"]),
        KEY_FILE=str(w["key_file"]),
        OUT=str(w["out"]),
        XDG_RUNTIME_DIR=str(w["runtime"]),
        DS_BASH=t["bash"],
        DS_ZSH=t["zsh"],
        DS_FISH=t["fish"],
        DS_DASH=t["dash"],
    )
    # Nothing from the session running the tests: its bus, its keyring, SSH or WSL markers.
    inherited = ("DBUS_SESSION_BUS_ADDRESS", "GNOME_KEYRING_CONTROL", "PYTHON_KEYRING_BACKEND", "DISPLAY")
    inherited += (
        "WAYLAND_DISPLAY",
        "SSH_CONNECTION",
        "SSH_CLIENT",
        "SSH_TTY",
        "WSL_DISTRO_NAME",
        "WSL_INTEROP",
    )
    for name in inherited:
        env.pop(name, None)
    env.update(extra)
    return env


def _run(
    argv: list[str], key: str, env: dict[str, str], timeout: float = 90
) -> subprocess.CompletedProcess[str]:
    assert all(key not in arg for arg in argv), "the key must never be on a command line"
    return subprocess.run(
        argv,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        cwd=str(ROOT),
    )


def in_session(w: dict[str, Any], script: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """`script` in a private D-Bus session, as the testing recipe does it."""
    result = _run([w["tools"]["dbus-run-session"], "--", "sh", "-c", script], w["key"], env_for(w, **extra))
    assert w["key"] not in result.stdout + result.stderr, "the key was printed"
    return result


def facts(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    found = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert found, result.stdout + result.stderr
    return found


def read(w: dict[str, Any], name: str) -> str:
    return (w["out"] / name).read_text(encoding="utf-8")


def shell_noise(w: dict[str, Any], name: str) -> list[str]:
    """stderr of a shell start, minus bash's job-control notes when there is no terminal."""
    benign = ("cannot set terminal process group", "no job control in this shell")
    return [line for line in read(w, f"{name}.err").splitlines() if not any(b in line for b in benign)]


# --- the happy path ----------------------------------------------------------------------------


def test_saved_key_is_found_by_secret_tool_and_loaded_by_new_shells(world: dict[str, Any]) -> None:
    install_blocks(world["home"])
    result = in_session(
        world, UNLOCKED + '"$PY" "$DRIVER" save\n"$PY" "$DRIVER" probe\n' + LOOKUP + SHELL_STARTS
    )
    saved, probed = facts(result)
    assert saved["action"] == "created"
    assert probed == {
        **probed,
        "available": True,
        "stored": True,
        "backend": "keyring.backends.SecretService.Keyring",
    }
    # keyring writes the attributes `service` and `username`: secret-tool finds the item by them.
    assert read(world, "lookup.rc").strip() == "0"
    assert read(world, "lookup") == world["key"]
    for name in SHELLS_UNDER_TEST:
        assert read(world, name) == world["key"], f"{name} did not load the key"
        assert shell_noise(world, name) == [], f"{name} printed something at start"


def test_no_plaintext_copy_on_disk(world: dict[str, Any]) -> None:
    in_session(world, UNLOCKED + '"$PY" "$DRIVER" save\n')
    needle = world["key"].encode()
    leaked = [p for p in world["home"].rglob("*") if p.is_file() and needle in p.read_bytes()]
    assert leaked == []


def test_save_replaces_an_older_secret_tool_entry_that_would_shadow_it(world: dict[str, Any]) -> None:
    """gnome-keyring keeps an entry made by `secret-tool store` beside keyring's own (the attribute
    sets differ) and lookups return the older one; save must leave only the new key."""
    script = (
        UNLOCKED
        + "printf sk-old-entry-from-secret-tool | secret-tool store --label=old service dashscope username DASHSCOPE_API_KEY\n"
        + '"$PY" "$DRIVER" save\n"$PY" "$DRIVER" matches\n'
        + LOOKUP
    )
    saved, matches = facts(in_session(world, script))
    assert saved["action"] == "modified"
    assert matches["matches"] is True
    assert read(world, "lookup") == world["key"]


def test_delete_removes_every_entry(world: dict[str, Any]) -> None:
    script = (
        UNLOCKED
        + '"$PY" "$DRIVER" save\n'
        + "printf sk-second-entry | secret-tool store --label=dup service dashscope username DASHSCOPE_API_KEY\n"
        + '"$PY" "$DRIVER" delete\n"$PY" "$DRIVER" delete\n'
        + LOOKUP
        + 'secret-tool search --all service dashscope >"$OUT/search" 2>&1\n'
    )
    _saved, first, second = facts(in_session(world, script))
    assert first["deleted"] is True
    assert second["deleted"] is False
    assert read(world, "lookup.rc").strip() == "1"
    assert read(world, "lookup") == ""
    assert read(world, "search") == ""


# --- failure modes: each a clear reason, within the timeout --------------------------------------


def test_locked_collection_gives_locked_message_and_quiet_shells(world: dict[str, Any]) -> None:
    install_blocks(world["home"])
    in_session(world, UNLOCKED + '"$PY" "$DRIVER" save\n')  # creates the login keyring with a password
    result = in_session(
        world, LOCKED + '"$PY" "$DRIVER" probe\n"$PY" "$DRIVER" save\n' + LOOKUP + SHELL_STARTS
    )
    probed, saved = facts(result)
    assert (probed["available"], probed["reason_id"]) == (False, "err.keyring_locked")
    assert (saved["error"], saved["code"]) == ("err.keyring_locked", 8)
    assert probed["elapsed"] < 3.5
    assert read(world, "lookup.rc").strip() == "1"
    for name in SHELLS_UNDER_TEST:
        assert read(world, name) == "", f"{name} set a value from a locked keyring"
        assert shell_noise(world, name) == [], f"{name} printed something at start"


def test_fresh_home_without_unlock_gives_no_collection_message(world: dict[str, Any]) -> None:
    """No login keyring yet and nobody to answer the "new keyring password" prompt."""
    probed, saved = facts(in_session(world, LOCKED + '"$PY" "$DRIVER" probe\n"$PY" "$DRIVER" save\n'))
    assert probed["reason_id"] == "err.keyring_no_collection"
    assert saved["error"] == "err.keyring_no_collection"
    assert probed["elapsed"] < 3.5


def test_no_dbus_gives_no_dbus_message_at_once(world: dict[str, Any]) -> None:
    install_blocks(world["home"])
    script = '"$PY" "$DRIVER" probe\n"$PY" "$DRIVER" save\n' + SHELL_STARTS
    result = _run(["sh", "-c", script], world["key"], env_for(world))
    probed, saved = facts(result)
    assert probed["reason_id"] == "err.keyring_no_dbus"
    assert saved["error"] == "err.keyring_no_dbus"
    assert probed["elapsed"] < 0.5
    for name in SHELLS_UNDER_TEST:
        assert read(world, name) == ""
        assert shell_noise(world, name) == [], f"{name} printed something at start"


class HalfThereBus:
    """A D-Bus session bus that authenticates clients and answers Hello, then goes silent:
    every later call (NameHasOwner, OpenSession, SearchItems…) waits forever."""

    def __init__(self, path: Path) -> None:
        from jeepney import new_method_return
        from jeepney.low_level import HeaderFields, MessageType, Parser

        self._reply = new_method_return
        self._fields, self._types, self._parser = HeaderFields, MessageType, Parser
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.bind(str(path))
        self.sock.listen(16)
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def address(self) -> str:
        return f"unix:path={self.path}"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        buf = b""
        try:
            while True:
                data = conn.recv(4096)
                if not data:
                    return
                buf += data
                while b"\r\n" in buf:
                    line, buf = buf.split(b"\r\n", 1)
                    line = line.lstrip(b"\0")
                    if line == b"AUTH":  # GDBus (secret-tool) asks for the mechanisms first
                        conn.sendall(b"REJECTED EXTERNAL\r\n")
                    elif line == b"AUTH EXTERNAL":  # …then sends its identity as DATA
                        conn.sendall(b"DATA\r\n")
                    elif line.startswith((b"AUTH", b"DATA")):
                        conn.sendall(b"OK 0123456789abcdef0123456789abcdef\r\n")
                    elif line.startswith(b"NEGOTIATE_UNIX_FD"):
                        conn.sendall(b"ERROR\r\n")
                    elif line.startswith(b"BEGIN"):
                        self._messages(conn, buf)
                        return
        except OSError:
            return

    def _messages(self, conn: socket.socket, pending: bytes) -> None:
        parser = self._parser()
        parser.add_data(pending)
        serial = 1
        while True:
            for msg in iter(parser.get_next_message, None):
                is_call = msg.header.message_type == self._types.method_call
                if is_call and msg.header.fields.get(self._fields.member) == "Hello":
                    conn.sendall(self._reply(msg, "s", (":1.42",)).serialise(serial=serial))
                    serial += 1
            data = conn.recv(4096)
            if not data:
                return
            parser.add_data(data)

    def close(self) -> None:
        self.sock.close()
        for conn in self.conns:
            conn.close()


@pytest.fixture
def half_there_bus(tmp_path: Path) -> Iterator[HalfThereBus]:
    try:
        import jeepney  # noqa: F401  -- secretstorage's D-Bus library, present wherever keyring is
    except ImportError:
        if IN_CI:
            pytest.fail("jeepney is required in CI")
        pytest.skip("jeepney not installed")
    bus = HalfThereBus(tmp_path / "bus")
    yield bus
    bus.close()


def test_half_there_dbus_times_out_in_python_and_in_the_shell_block(
    world: dict[str, Any], half_there_bus: HalfThereBus
) -> None:
    """Plain keyring blocks forever here; we give up after 3 s, and so does the shell block."""
    install_blocks(world["home"])
    env = env_for(world, DBUS_SESSION_BUS_ADDRESS=half_there_bus.address)
    script = '"$PY" "$DRIVER" probe\n"$PY" "$DRIVER" save\n"$DS_BASH" -ic \'printf %s "$DASHSCOPE_API_KEY"\' >"$OUT/bash" 2>"$OUT/bash.err"\n'
    start = time.monotonic()
    result = _run(["sh", "-c", script], world["key"], env, timeout=60)
    total = time.monotonic() - start
    probed, saved = facts(result)
    assert probed["reason_id"] == "err.keyring_timeout"
    assert saved["error"] == "err.keyring_timeout"
    assert 2.9 < probed["elapsed"] < 5
    assert saved["elapsed"] < 5
    assert read(world, "bash") == ""
    assert shell_noise(world, "bash") == []
    assert total < 25  # two probes and one shell start, each bounded by about 3 s


def test_hanging_backend_selected_by_the_user_times_out(world: dict[str, Any], tmp_path: Path) -> None:
    """A fake backend that sleeps, chosen with PYTHON_KEYRING_BACKEND as a user would."""
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "hangkr.py").write_text(HANGING_BACKEND, encoding="utf-8")
    script = UNLOCKED + '"$PY" "$DRIVER" probe\n"$PY" "$DRIVER" save\n'
    result = in_session(
        world, script, PYTHONPATH=f"{ROOT}:{plugins}", PYTHON_KEYRING_BACKEND="hangkr.Keyring"
    )
    probed, saved = facts(result)
    assert (probed["reason_id"], probed["backend"]) == ("err.keyring_timeout", "hangkr.Keyring")
    assert saved["error"] == "err.keyring_timeout"
    assert probed["elapsed"] < 5
    assert saved["elapsed"] < 5


# --- the command line (needs the integration in app.py and i18n.py) -------------------------------

SETUP = '"$PY" -m wizard setup --yes --offline --key-stdin --store keyring --lang en --shell bash --shell zsh --shell fish <"$KEY_FILE"'


def _outside_keyring_db(tree: dict[str, Any]) -> dict[str, Any]:
    """The Secret Service keeps its database under ~/.local/share/keyrings: that is the store itself.
    The fish started by this test makes ~/.local/share/fish for its own history: not ours either."""
    return {
        k: v
        for k, v in tree.items()
        if k not in (".local", ".local/share")
        and not k.startswith((".local/share/keyrings", ".local/share/fish"))
    }


def test_cli_setup_with_keyring_then_new_shells_env_and_remove(world: dict[str, Any]) -> None:
    before = _outside_keyring_db(snapshot(world["home"]))
    script = (
        UNLOCKED
        + SETUP
        + ' >"$OUT/setup.out" 2>"$OUT/setup.err"; echo $? >"$OUT/setup.rc"\n'
        + LOOKUP
        + SHELL_STARTS
        + 'eval "$("$PY" -m wizard env --shell bash)"; printf %s "$DASHSCOPE_API_KEY" >"$OUT/env"\n'
        + '"$PY" -m wizard remove --yes >"$OUT/remove.out" 2>&1; echo $? >"$OUT/remove.rc"\n'
        + 'secret-tool lookup service dashscope username DASHSCOPE_API_KEY >"$OUT/after"; echo $? >"$OUT/after.rc"\n'
    )
    in_session(world, script)
    assert read(world, "setup.rc").strip() == "0", read(world, "setup.err")
    for name in ("setup.out", "setup.err", "remove.out"):
        assert world["key"] not in read(world, name)
    assert read(world, "lookup") == world["key"]
    for name in ("bash", "zsh", "fish"):
        assert read(world, name) == world["key"], f"{name} did not load the key"
    assert read(world, "env") == world["key"]
    assert read(world, "remove.rc").strip() == "0", read(world, "remove.out")
    assert (read(world, "after"), read(world, "after.rc").strip()) == ("", "1")
    needle = world["key"].encode()
    assert [p for p in world["home"].rglob("*") if p.is_file() and needle in p.read_bytes()] == []
    assert _outside_keyring_db(snapshot(world["home"])) == before, "remove left something behind"


def _cli_refused(world: dict[str, Any], result: subprocess.CompletedProcess[str], before: Any) -> str:
    assert read(world, "setup.rc").strip() == "8", read(world, "setup.err")
    assert snapshot(world["home"]) == before, "something was written"
    err = read(world, "setup.err")
    assert world["key"] not in err + read(world, "setup.out")
    assert "--store file" in err
    return err


CLI_SETUP = SETUP + ' >"$OUT/setup.out" 2>"$OUT/setup.err"; echo $? >"$OUT/setup.rc"\n'


def test_cli_setup_with_keyring_without_dbus_exits_8_and_writes_nothing(world: dict[str, Any]) -> None:
    before = snapshot(world["home"])
    result = _run(["sh", "-c", CLI_SETUP], world["key"], env_for(world))
    err = _cli_refused(world, result, before)
    assert "D-Bus" in err


def test_cli_setup_with_locked_keyring_exits_8_and_writes_nothing(world: dict[str, Any]) -> None:
    in_session(world, UNLOCKED + '"$PY" "$DRIVER" save\n"$PY" "$DRIVER" delete\n')
    before = snapshot(world["home"])
    result = in_session(world, LOCKED + CLI_SETUP)
    err = _cli_refused(world, result, before)
    assert "locked" in err


def test_cli_setup_with_half_there_dbus_exits_8_within_the_timeout(
    world: dict[str, Any], half_there_bus: HalfThereBus
) -> None:
    before = snapshot(world["home"])
    start = time.monotonic()
    result = _run(
        ["sh", "-c", CLI_SETUP], world["key"], env_for(world, DBUS_SESSION_BUS_ADDRESS=half_there_bus.address)
    )
    elapsed = time.monotonic() - start
    err = _cli_refused(world, result, before)
    assert "did not answer within 3 s" in err
    assert elapsed < 10
