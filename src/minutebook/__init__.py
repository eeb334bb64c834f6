"""Minutebook: a council's meeting records as a static website."""

__version__ = "0.1.0"
