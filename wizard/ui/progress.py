"""Live progress while waiting on the network: stage lines, the reply as it streams in.

Belongs with render.py (it only formats and writes); the live check calls it through callbacks.
"""

from __future__ import annotations

import threading
from typing import Any, TextIO

from wizard.messages import t
from wizard.regions import REGIONS

_FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class Progress:
    """Stage lines (with a spinner on a terminal) and the streamed reply."""

    def __init__(self, stream: TextIO, lang: str, *, tty: bool = False, plain: bool = False) -> None:
        self.stream = stream
        self.lang = lang
        self.tty = tty and not plain
        self._streaming = False
        self._spin: threading.Thread | None = None
        self._stop = threading.Event()
        self._line = ""

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()

    def _start_spinner(self, line: str) -> None:
        self._stop_spinner()
        self._line = line
        if not self.tty:
            self._write(f"… {line}\n")
            return
        self._stop.clear()

        def spin() -> None:
            i = 0
            while not self._stop.wait(0.08):
                self._write(f"\r{_FRAMES[i % len(_FRAMES)]} {self._line}")
                i += 1

        self._write(f"{_FRAMES[0]} {line}")
        self._spin = threading.Thread(target=spin, daemon=True)
        self._spin.start()

    def _stop_spinner(self) -> None:
        if self._spin is not None:
            self._stop.set()
            self._spin.join()
            self._spin = None
            self._write("\r\x1b[2K")

    def stage(self, name: str, info: dict[str, Any]) -> None:
        if name == "probing":
            self._start_spinner(t(self.lang, "check.stage.probing"))
        elif name == "calling":
            region = info.get("region")
            r = REGIONS.get(region or "")
            self._start_spinner(
                t(
                    self.lang,
                    "check.stage.calling",
                    model=info.get("model", ""),
                    region_en=r.name_en if r else info.get("base_url", ""),
                    region_zh=r.name_zh if r else info.get("base_url", ""),
                )
            )
        elif name == "retrying":
            # 429 asks to slow down; a 5xx is the server failing, which no waiting was asked for.
            msg_id = (
                "check.stage.retrying" if info.get("http_status") == 429 else "check.stage.retrying_server"
            )
            self._start_spinner(
                t(self.lang, msg_id, wait_s=info.get("wait_s", ""), status=info.get("http_status", ""))
            )
        elif name == "done":
            self.finish()

    def delta(self, text: str) -> None:
        if not self._streaming:
            self._stop_spinner()
            self._streaming = True
            self._write("  ")
        self._write(text.replace("\n", "\n  "))

    def finish(self) -> None:
        self._stop_spinner()
        if self._streaming:
            self._write("\n")
            self._streaming = False
