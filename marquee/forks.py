"""Forked helper processes that never touch the database they inherited.

Python work and SQLite's (or the PostgreSQL driver's) work are both single-threaded: on a machine
with more than one core, a fork can do one while this process does the other. A fork starts
with a copy of this process's open database connection; it must never use it, nor leave it
open: a PostgreSQL server would keep a killed import's session, and its locks, for as long as
the copy of the socket lives. On Linux the fork also dies with its parent, so a process killed at
any moment leaves none behind.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

from django.db import connections

PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies


def detach(parent: int) -> None:
    """In a new fork: die with ``parent``, and close the inherited database sockets."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)
    for alias in connections:
        wrapper = connections[alias]
        if wrapper.connection is not None and wrapper.vendor == "postgresql":
            os.close(wrapper.connection.fileno())


def can_fork() -> bool:
    """Whether a fork can run beside this process: a POSIX system with a second core."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1
