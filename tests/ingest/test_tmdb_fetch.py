import io
import json
from argparse import Namespace
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.core.management import CommandError, call_command

from marquee.catalog.models import Movie
from marquee.ingest.report import Report
from marquee.ingest.tmdb import importer
from marquee.ingest.tmdb.fetch import (
    APPEND,
    MAX_PER_SECOND,
    Client,
    FetchError,
    RateLimiter,
    fetch,
    read_ids,
)
from tests.ingest.test_tmdb import API_OBJECT


class FakeClock:
    """Time that passes only when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def movie(tmdb_id: int) -> dict[str, Any]:
    return {**API_OBJECT, "id": tmdb_id, "title": f"Film {tmdb_id}", "imdb_id": None,
            "external_ids": {}}  # fmt: skip


class Recorded:
    """Recorded TMDB answers by path; a list of answers is played in order."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.get(request.url.path, httpx.Response(404, json={"status_code": 34}))
        if isinstance(answer, list):
            answer = answer.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer if isinstance(answer, httpx.Response) else httpx.Response(200, json=answer)


def client(answers: dict[str, Any], clock: FakeClock, key: str = "k3y") -> tuple[Client, Recorded]:
    recorded = Recorded(answers)
    return (
        Client(key, transport=httpx.MockTransport(recorded), clock=clock, sleep=clock.sleep),
        recorded,
    )


def test_the_rate_limiter_allows_40_requests_in_any_second() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(130):
        limiter.wait()
        times.append(clock.now)
        clock.now += 0.001  # each request takes a millisecond
    for i in range(len(times) - MAX_PER_SECOND):
        assert times[i + MAX_PER_SECOND] - times[i] >= 1.0
    # ... and no slower than that: 130 requests in a little over 3 seconds.
    assert 3.0 <= times[-1] - times[0] < 3.2


@pytest.mark.django_db
def test_it_fetches_movies_with_everything_appended(tmp_path: Path) -> None:
    clock = FakeClock()
    tmdb, recorded = client({"/3/movie/1": movie(1), "/3/movie/2": movie(2)}, clock)
    out = tmp_path / "movies.jsonl"
    tally = fetch(tmdb, [1, 2, 3], out)
    assert (tally.fetched, tally.missing) == (2, 1)
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == [1, 2]
    assert recorded.requests[0].url.params["append_to_response"] == APPEND
    assert recorded.requests[0].url.params["api_key"] == "k3y"
    assert (tmp_path / "movies.jsonl.missing").read_text() == "3\n"
    # The file is what `marquee import tmdb` reads.
    report = Report()
    importer.run(Namespace(files=[out]), report)
    assert sorted(Movie.objects.values_list("title", flat=True)) == ["Film 1", "Film 2"]


def test_a_read_access_token_is_sent_as_a_bearer_header(tmp_path: Path) -> None:
    clock = FakeClock()
    tmdb, recorded = client({"/3/movie/1": movie(1)}, clock, key="eyJhbGciOi.token")
    fetch(tmdb, [1], tmp_path / "out.jsonl")
    assert recorded.requests[0].headers["Authorization"] == "Bearer eyJhbGciOi.token"
    assert "api_key" not in recorded.requests[0].url.params


def test_it_waits_as_long_as_a_429_says_then_goes_on(tmp_path: Path) -> None:
    clock = FakeClock()
    slow_down = httpx.Response(429, headers={"Retry-After": "7"}, json={"status_code": 25})
    tmdb, recorded = client({"/3/movie/1": [slow_down, movie(1)]}, clock)
    tally = fetch(tmdb, [1], tmp_path / "out.jsonl")
    assert tally.fetched == 1
    assert clock.slept == [7.0]
    assert len(recorded.requests) == 2


def test_server_errors_are_retried_with_growing_pauses(tmp_path: Path) -> None:
    clock = FakeClock()
    answers = [
        httpx.Response(502),
        httpx.ConnectError("connection reset"),
        httpx.Response(503),
        movie(1),
    ]
    tmdb, _ = client({"/3/movie/1": answers}, clock)
    assert fetch(tmdb, [1], tmp_path / "out.jsonl").fetched == 1
    assert clock.slept == [1.0, 2.0, 4.0]


def test_it_gives_up_keeping_what_it_fetched_and_resumes_later(tmp_path: Path) -> None:
    clock = FakeClock()
    out = tmp_path / "out.jsonl"
    tmdb, _ = client({"/3/movie/1": movie(1), "/3/movie/2": [httpx.Response(500)] * 6}, clock)
    with pytest.raises(FetchError, match="/movie/2: TMDB answered 500, 6 tries"):
        fetch(tmdb, [1, 2, 3], out)
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == [1]

    # A run killed while writing leaves half a line: it is dropped and fetched again.
    with out.open("a") as handle:
        handle.write('{"id": 2, "title": "Fi')
    tmdb, recorded = client({"/3/movie/2": movie(2), "/3/movie/3": movie(3)}, clock)
    tally = fetch(tmdb, [1, 2, 3], out)
    assert (tally.skipped, tally.fetched) == (1, 2)
    assert [r.url.path for r in recorded.requests] == ["/3/movie/2", "/3/movie/3"]
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == [1, 2, 3]


def test_a_refused_key_stops_at_once(tmp_path: Path) -> None:
    clock = FakeClock()
    tmdb, recorded = client({"/3/movie/1": httpx.Response(401)}, clock)
    with pytest.raises(FetchError, match="refused the API key"):
        fetch(tmdb, [1, 2], tmp_path / "out.jsonl")
    assert len(recorded.requests) == 1


def test_changes_are_read_page_by_page_without_adult_titles() -> None:
    clock = FakeClock()
    pages = [
        {"results": [{"id": 5, "adult": False}, {"id": 6, "adult": True}], "total_pages": 2},
        {"results": [{"id": 7, "adult": None}], "total_pages": 2},
    ]
    tmdb, recorded = client({"/3/movie/changes": pages}, clock)
    assert list(tmdb.changed_ids(date(2026, 11, 1), date(2026, 11, 2))) == [5, 7]
    assert [r.url.params["page"] for r in recorded.requests] == ["1", "2"]
    assert recorded.requests[0].url.params["start_date"] == "2026-11-01"


def test_id_files_may_be_plain_numbers_or_tmdb_id_exports(tmp_path: Path) -> None:
    path = tmp_path / "ids.txt"
    path.write_text('12\n\n{"adult":false,"id":34,"original_title":"X"}\nnot an id\n56\n')
    assert list(read_ids(path)) == [12, 34, 56]


def test_the_fetch_command_downloads_resumes_and_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    recorded = Recorded({"/3/movie/1": movie(1), "/3/movie/2": movie(2)})

    def recorded_client(api_key: str) -> Client:
        return Client(
            api_key, transport=httpx.MockTransport(recorded), clock=clock, sleep=clock.sleep
        )

    monkeypatch.setattr("marquee.ingest.tmdb.fetch.Client", recorded_client)
    ids, out = tmp_path / "ids.txt", tmp_path / "movies.jsonl"
    ids.write_text("1\n2\n3\n")
    stdout = io.StringIO()
    args = ["fetch", "tmdb", "--api-key", "k", "--ids", str(ids), "--output", str(out)]
    call_command(*args, stdout=stdout)
    assert "Fetched 2 movies" in stdout.getvalue() and "1 gone from TMDB" in stdout.getvalue()
    call_command(*args, stdout=stdout)
    assert "Fetched 0 movies" in stdout.getvalue() and "3 there already" in stdout.getvalue()
    assert len(recorded.requests) == 3

    with pytest.raises(CommandError, match="no such file"):
        call_command(*args[:5], str(tmp_path / "absent.txt"), "--output", str(out))
