"""Reading fish's universal variables file (fish_variables), where `set -U` values live.

The file is not fish syntax: it is a line-per-variable store with its own escaping, written by fish itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


def fish_universal(text: str) -> Iterator[tuple[int, str, str, bool]]:
    """(line, name, value, exported) for each SETUVAR line of fish_variables.

    fish writes every byte that is not alphanumeric as \\xHH (UTF-8 bytes), and list items
    separated by \\x1e; an exported list reaches children joined with spaces.
    """
    for number, line in enumerate(text.split("\n"), start=1):
        m = re.match(r"SETUVAR\s+((?:--\w+\s+)*)([A-Za-z0-9_]+):(.*)$", line.rstrip("\r"))
        if m is None:
            continue
        raw = m.group(3)
        data = bytearray()
        i = 0
        while i < len(raw):
            if (
                raw[i] == "\\"
                and raw[i + 1 : i + 2] == "x"
                and re.match(r"[0-9A-Fa-f]{2}", raw[i + 2 : i + 4])
            ):
                data.append(int(raw[i + 2 : i + 4], 16))
                i += 4
            elif raw[i] == "\\" and i + 1 < len(raw):
                data.extend(raw[i + 1].encode("utf-8", "surrogateescape"))
                i += 2
            else:
                data.extend(raw[i].encode("utf-8", "surrogateescape"))
                i += 1
        value = data.decode("utf-8", "replace").replace("\x1e", " ")
        yield number, m.group(2), value, "--export" in m.group(1)
