"""Downloading movie objects from TMDB's API v3 into a JSON Lines file that
``marquee import tmdb`` reads.

Polite and resumable: at most ``MAX_PER_SECOND`` requests in any second, a 429's Retry-After
honoured, server errors and dropped connections retried with growing pauses, and every movie
written (and flushed) as soon as it arrives, so that a run stopped at any point continues where
it stopped: ids already in the output file, or known to be gone from TMDB (listed beside it in
``FILE.missing``), are not asked for again.

The network is reached through one ``httpx.Client``; tests give it an ``httpx.MockTransport``.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

import httpx

API = "https://api.themoviedb.org/3"
APPEND = "credits,keywords,release_dates,alternative_titles,external_ids"
MAX_PER_SECOND = 40  # TMDB's documented ceiling
RETRIES = 6  # tries for one request after an error, pausing 1, 2, 4, 8, 16 s between them
MAX_RETRY_AFTER = 300.0  # a longer Retry-After is a sign to stop, not to wait
TIMEOUT = 30.0


class FetchError(Exception):
    """The download cannot go on (key refused, TMDB unreachable); what arrived is kept."""


class RateLimiter:
    """At most ``limit`` calls in any window of ``period`` seconds."""

    def __init__(
        self,
        limit: int = MAX_PER_SECOND,
        period: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.limit, self.period = limit, period
        self.clock, self.sleep = clock, sleep
        self.calls: deque[float] = deque()

    def wait(self) -> None:
        now = self.clock()
        while self.calls and now - self.calls[0] >= self.period:
            self.calls.popleft()
        if len(self.calls) >= self.limit:
            self.sleep(self.period - (now - self.calls[0]))
            now = self.clock()
            self.calls.popleft()
        self.calls.append(now)


@dataclass
class Tally:
    fetched: int = 0
    skipped: int = 0
    missing: int = 0
    retries: int = 0
    waited: float = 0.0
    ids: list[int] = field(default_factory=list)


class Client:
    def __init__(
        self,
        api_key: str,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        # A v4 read access token (a JWT) goes in a header; a v3 key in the query.
        bearer = api_key.startswith("eyJ")
        self.http = httpx.Client(
            base_url=API,
            transport=transport,
            timeout=TIMEOUT,
            headers={"Accept": "application/json"}
            | ({"Authorization": f"Bearer {api_key}"} if bearer else {}),
            params={} if bearer else {"api_key": api_key},
        )
        self.limiter = RateLimiter(clock=clock, sleep=sleep)
        self.sleep = sleep
        self.tally = Tally()

    def get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """The JSON object at ``path``; None when TMDB has no such object (404)."""
        pause = 1.0
        for attempt in range(1, RETRIES + 1):
            self.limiter.wait()
            try:
                response = self.http.get(path, params=params)
            except httpx.TransportError as error:
                problem = f"{type(error).__name__}: {error}"
            else:
                if response.status_code == 200:
                    data = response.json()
                    if not isinstance(data, dict):
                        raise FetchError(f"{path}: TMDB answered with something not an object")
                    return data
                if response.status_code == 404:
                    return None
                if response.status_code == 401:
                    raise FetchError("TMDB refused the API key (401): check --api-key")
                if response.status_code == 429:
                    wait = retry_after(response)
                    self.tally.waited += wait
                    self.sleep(wait)
                    continue  # being told to wait is not a failure of the request
                if response.status_code < 500:
                    raise FetchError(f"{path}: TMDB answered {response.status_code}")
                problem = f"TMDB answered {response.status_code}"
            if attempt == RETRIES:
                raise FetchError(f"{path}: {problem}, {RETRIES} tries")
            self.tally.retries += 1
            self.sleep(pause)
            pause *= 2
        raise FetchError(f"{path}: TMDB kept asking to wait")

    def movie(self, tmdb_id: int) -> dict[str, Any] | None:
        return self.get(f"/movie/{tmdb_id}", {"append_to_response": APPEND})

    def changed_ids(self, since: date, until: date) -> Iterator[int]:
        """Ids of movies changed between two days (TMDB keeps 14 days of changes)."""
        page, pages = 1, 1
        while page <= pages:
            data = self.get(
                "/movie/changes",
                {"start_date": since.isoformat(), "end_date": until.isoformat(), "page": page},
            )
            if data is None:
                return
            pages = min(int(data.get("total_pages") or 1), 500)
            for item in data.get("results") or []:
                adult = isinstance(item, dict) and item.get("adult")
                if isinstance(item, dict) and isinstance(item.get("id"), int) and not adult:
                    yield item["id"]
            page += 1


def retry_after(response: httpx.Response) -> float:
    text = response.headers.get("Retry-After", "")
    try:
        seconds = float(text)
    except ValueError:
        seconds = 10.0  # an HTTP date or nothing: wait a little and try again
    if seconds > MAX_RETRY_AFTER:
        raise FetchError(f"TMDB asks to wait {seconds:.0f} s: stopping; run again later")
    return max(seconds, 0.0)


def read_ids(path: Path) -> Iterator[int]:
    """One id per line: a number, or a JSON object with "id" (TMDB's daily id exports)."""
    with path.open(encoding="utf-8") as handle:
        for text in handle:
            text = text.strip()
            if not text:
                continue
            if text.isdigit():
                yield int(text)
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError:
                continue
            if isinstance(data, dict) and isinstance(data.get("id"), int):
                yield data["id"]


def done_ids(output: Path) -> set[int]:
    """Ids already fetched. A last line cut short by a stop is removed, to be fetched again."""
    done: set[int] = set()
    if output.exists():
        keep = 0
        with output.open("rb") as handle:
            for raw in handle:
                try:
                    done.add(int(json.loads(raw)["id"]))
                except (ValueError, KeyError, TypeError):
                    break
                if not raw.endswith(b"\n"):
                    break
                keep += len(raw)
        if keep != output.stat().st_size:
            with output.open("r+b") as handle:
                handle.truncate(keep)
    missing = missing_file(output)
    if missing.exists():
        done |= {int(t) for t in missing.read_text().split() if t.isdigit()}
    return done


def missing_file(output: Path) -> Path:
    return output.with_name(output.name + ".missing")


def fetch(
    client: Client,
    ids: Iterable[int],
    output: Path,
    *,
    log: IO[str] | None = None,
) -> Tally:
    """Append each movie not fetched yet to ``output``, one JSON object per line."""
    done = done_ids(output)
    tally = client.tally
    with output.open("a", encoding="utf-8") as out, missing_file(output).open("a") as missing:
        for tmdb_id in ids:
            if tmdb_id in done:
                tally.skipped += 1
                continue
            done.add(tmdb_id)
            data = client.movie(tmdb_id)
            if data is None:
                missing.write(f"{tmdb_id}\n")
                missing.flush()
                tally.missing += 1
                continue
            out.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
            out.flush()
            tally.fetched += 1
            if log is not None and tally.fetched % 1000 == 0:
                log.write(f"{tally.fetched:,} movies fetched\n")
    return tally


def default_since(today: date | None = None) -> date:
    return (today or date.today()) - timedelta(days=1)
