"""Fakes of external services (DashScope) that real clients talk to over loopback."""
