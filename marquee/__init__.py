"""Marquee: a self-hostable movie database."""

__version__ = "0.1.0"
