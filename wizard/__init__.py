"""dashscope-setup: make DASHSCOPE_API_KEY work in every shell, safely."""

__version__ = "0.1.0"
