"""Sign-in throttling: after too many failed attempts for one account, or from one address, in a
window of LOGIN_LOCKOUT_MINUTES, further attempts are refused until the window ends.

Counts live in Django's cache (the database cache in settings.py, shared by every process).
Windows are fixed: the key names the window, so a count expires on its own and an attacker
cannot keep one open forever. A refused attempt is not checked against the password at all, so
a locked account gives away nothing about whether a guess was right.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Lockout:
    scope: str  # "account" or "address"
    minutes_left: int

    @property
    def message(self) -> str:
        minutes = f"{self.minutes_left} minute{'s' if self.minutes_left != 1 else ''}"
        if self.scope == "account":
            return (
                f"Too many failed sign-ins for this account. Try again in {minutes}, "
                "or reset your password."
            )
        return f"Too many failed sign-ins from your network. Try again in {minutes}."


def client_address(request: HttpRequest) -> str:
    raw = request.META.get(settings.CLIENT_IP_HEADER) or request.META.get("REMOTE_ADDR", "")
    # X-Forwarded-For may carry a chain; the proxy appends the address it saw last.
    return raw.split(",")[-1].strip()


def _window() -> tuple[int, int]:
    """The current window's number and the seconds left in it."""
    length = settings.LOGIN_LOCKOUT_MINUTES * 60
    now = int(time.time())
    return now // length, length - now % length


def _keys(username: str, address: str) -> dict[str, str]:
    window, _ = _window()
    # Hashed: cache keys have a length and character limit, usernames and addresses do not.
    account = hashlib.sha256(username.casefold().encode()).hexdigest()[:32]
    ip = hashlib.sha256(address.encode()).hexdigest()[:32]
    return {"account": f"login:a:{window}:{account}", "address": f"login:i:{window}:{ip}"}


def _limits() -> dict[str, int]:
    return {
        "account": settings.LOGIN_FAILURES_PER_ACCOUNT,
        "address": settings.LOGIN_FAILURES_PER_IP,
    }


def lockout(username: str, address: str) -> Lockout | None:
    """The lockout in force for this account or address, or None when sign-in may go on."""
    keys = _keys(username, address)
    counts = cache.get_many(list(keys.values()))
    _, seconds_left = _window()
    for scope, limit in _limits().items():
        if counts.get(keys[scope], 0) >= limit:
            return Lockout(scope, max(1, -(-seconds_left // 60)))
    return None


def record_failure(username: str, address: str) -> None:
    _, seconds_left = _window()
    for key in _keys(username, address).values():
        # add() then incr(): the database cache has no atomic increment, so two failures at the
        # same instant may count once; the limit still holds within one attempt.
        cache.add(key, 0, timeout=seconds_left + 1)
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, 1, timeout=seconds_left + 1)


def clear_account(username: str, address: str) -> None:
    """Forget the account's failures after a successful sign-in (the address keeps its own)."""
    cache.delete(_keys(username, address)["account"])
