"""What every shell class answers: how to quote a value, the lines it needs (assign, load the key
file, source a file, prompt), the block between our markers for each store, and where setup writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from wizard.context import Context
from wizard.shells import snippets

KEY_VAR = "DASHSCOPE_API_KEY"


@dataclass(frozen=True)
class Target:
    """A startup file a shell really reads. `owned` files (fish conf.d) belong to us wholesale."""

    path: Path
    shell: str
    owned: bool = False


class Shell:
    name: ClassVar[str]
    display: ClassVar[str]
    family: ClassVar[str]
    binaries: ClassVar[tuple[str, ...]]
    has_startup_file: ClassVar[bool] = True

    def quote(self, value: str) -> str:
        raise NotImplementedError

    def assign(self, name: str, value: str) -> str:
        return snippets.render(self.family, "assign", name=name, value=self.quote(value))

    def assign_all(self, values: Mapping[str, str]) -> str:
        return "\n".join(self.assign(k, v) for k, v in values.items())

    def load_line(self, key_file: Path) -> str:
        """The session line that loads the key from the key file (prints no secret)."""
        return snippets.render(self.family, "load_file", key_file=self.quote(str(key_file)))

    def source_line(self, path: Path) -> str | None:
        """Load a startup file into this session (the inline store has no key file to read)."""
        return snippets.render(self.family, "source", path=self.quote(str(path)))

    def eval_env_line(self) -> str:
        """Load the stored key through `dashscope-setup env` (a keyring holds it, not a file)."""
        return snippets.render(self.family, "eval_env", shell=self.name)

    def prompt_line(self) -> str:
        """Read the key silently into this session only; the key never passes through our output."""
        return snippets.render(self.family, "prompt")

    def block_body(
        self, *, store: str, extra: Mapping[str, str], key_file: Path | None = None, key: str | None = None
    ) -> str:
        """The lines between our markers for a store ("file", "keyring" or "inline")."""
        extra_lines = self.assign_all(extra)
        if store == "file":
            if key_file is None:
                raise ValueError("the file store needs a key file")
            return snippets.render(
                self.family, "block_file", key_file=self.quote(str(key_file)), extra=extra_lines
            )
        if store == "keyring":
            # One block for every OS: the shell picks secret-tool, security or `dashscope-setup env`
            # at start, so the block stays right if libsecret-tools is installed later.
            return snippets.render(self.family, "block_keyring", shell=self.name, extra=extra_lines)
        if store == "inline":
            if key is None:
                raise ValueError("the inline store needs the key")
            return snippets.render(
                self.family, "block_inline", assign_key=self.assign(KEY_VAR, key), extra=extra_lines
            )
        raise ValueError(store)

    def targets(self, ctx: Context) -> list[Target]:
        raise NotImplementedError

    def installed(self, ctx: Context) -> bool:
        return any(ctx.which(b) for b in self.binaries)
