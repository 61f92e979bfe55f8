"""Catalogue entries for the live check (wizard/check.py): msg_id -> (English, 中文)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {}
