"""A member's data out and in.

Out: a ZIP of CSV files with Letterboxd's column names (ratings, diary, watchlist, reviews and
one file per list), and one JSON document with everything. In: a Letterboxd export (the ZIP, or
one of its CSV files). Rows are matched to films by title and year; a row that matches several
films becomes an ``ImportQuestion`` for the member to settle, never a guess. The import is all or
nothing: a bad row stops it with ``FILE:LINE`` and a reason, and nothing is written.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from marquee.catalog.models import Movie, derive_sort_title
from marquee.members.models import DiaryEntry, ImportQuestion, MovieList, WatchlistEntry
from marquee.members.requests import MemberRequest
from marquee.reviews.models import Rating, Review, rate, save_review

HOME = ("Home", "/")
UPLOAD_MAX_BYTES = 20 * 1024 * 1024  # a Letterboxd export of 10,000 films is about 2 MB
UNPACKED_MAX_BYTES = 100 * 1024 * 1024  # refuses ZIP bombs
CANDIDATES_MAX = 10

RATINGS_COLUMNS = ["Date", "Name", "Year", "Letterboxd URI", "Rating"]
WATCHLIST_COLUMNS = ["Date", "Name", "Year", "Letterboxd URI"]
DIARY_COLUMNS = [
    "Date",
    "Name",
    "Year",
    "Letterboxd URI",
    "Rating",
    "Rewatch",
    "Tags",
    "Watched Date",
]
REVIEWS_COLUMNS = [
    "Date",
    "Name",
    "Year",
    "Letterboxd URI",
    "Rating",
    "Rewatch",
    "Review",
    "Tags",
    "Watched Date",
]
LIST_COLUMNS = ["Position", "Name", "Year", "URL", "Description"]


def _stars(score: int | None) -> str:
    return "" if score is None else f"{score / 2:g}"


def _csv(
    columns: list[str], rows: Iterable[list[Any]], preamble: Iterable[list[Any]] = ()
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in preamble:
        writer.writerow(line)
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode()


def _url(request: HttpRequest, movie: Movie) -> str:
    return request.build_absolute_uri(movie.get_absolute_url())


def letterboxd_zip(request: HttpRequest, member: User) -> bytes:
    ratings = Rating.objects.by(member).select_related("movie").order_by("created_at", "id")
    reviews = Review.objects.by(member).select_related("movie").order_by("created_at", "id")
    scores = dict(Rating.objects.by(member).values_list("movie_id", "score"))
    diary = DiaryEntry.objects.filter(member=member).select_related("movie", "review")
    watchlist = WatchlistEntry.objects.filter(member=member).select_related("movie")
    files = {
        "ratings.csv": _csv(
            RATINGS_COLUMNS,
            (
                [
                    r.created_at.date(),
                    r.movie.title,
                    r.movie.year or "",
                    _url(request, r.movie),
                    _stars(r.score),
                ]
                for r in ratings
            ),
        ),
        "reviews.csv": _csv(
            REVIEWS_COLUMNS,
            (
                [
                    r.created_at.date(),
                    r.movie.title,
                    r.movie.year or "",
                    _url(request, r.movie),
                    _stars(scores.get(r.movie_id)),
                    "",
                    r.body,
                    "",
                    "",
                ]
                for r in reviews
            ),
        ),
        "diary.csv": _csv(
            DIARY_COLUMNS,
            (
                [
                    e.created_at.date(),
                    e.movie.title,
                    e.movie.year or "",
                    _url(request, e.movie),
                    _stars(e.rating),
                    "Yes" if e.rewatch else "",
                    "",
                    e.watched_on,
                ]
                for e in diary.order_by("watched_on", "id")
            ),
        ),
        "watchlist.csv": _csv(
            WATCHLIST_COLUMNS,
            (
                [w.added_at.date(), w.movie.title, w.movie.year or "", _url(request, w.movie)]
                for w in watchlist.order_by("added_at", "id")
            ),
        ),
    }
    for movie_list in MovieList.objects.filter(owner=member).order_by("id"):
        items = movie_list.items.select_related("movie").order_by("position", "id")
        files[f"lists/{movie_list.slug}.csv"] = _csv(
            LIST_COLUMNS,
            (
                [n, i.movie.title, i.movie.year or "", _url(request, i.movie), i.notes]
                for n, i in enumerate(items, start=1)
            ),
            preamble=[
                ["Letterboxd list export v7"],
                ["Date", "Name", "Tags", "URL", "Description"],
                [
                    movie_list.created_at.date(),
                    movie_list.name,
                    "",
                    request.build_absolute_uri(movie_list.get_absolute_url()),
                    movie_list.notes,
                ],
                [],
            ],
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _film(request: HttpRequest, movie: Movie) -> dict[str, Any]:
    return {"title": movie.title, "year": movie.year, "url": _url(request, movie)}


def everything(request: HttpRequest, member: User) -> dict[str, Any]:
    profile = member.profile
    return {
        "format": "marquee-member-export",
        "version": 1,
        "exported_at": timezone.now().isoformat(),
        "member": {
            "username": member.get_username(),
            "display_name": profile.display_name,
            "language": profile.language,
            "public_profile": profile.is_public,
            "bio": profile.bio,
            "joined": member.date_joined.isoformat(),
        },
        "ratings": [
            {
                "film": _film(request, r.movie),
                "rating": r.score,
                "stars": r.score / 2,
                "rated_at": r.updated_at.isoformat(),
            }
            for r in Rating.objects.by(member).select_related("movie").order_by("id")
        ],
        "reviews": [
            {
                "film": _film(request, r.movie),
                "title": r.title,
                "body": r.body,
                "contains_spoilers": r.contains_spoilers,
                "published": r.is_published,
                "helpful_votes": r.helpful_count,
                "written_at": r.created_at.isoformat(),
                "updated_at": r.updated_at.isoformat(),
            }
            for r in Review.objects.by(member).select_related("movie").order_by("id")
        ],
        "watchlist": [
            {"film": _film(request, w.movie), "added_at": w.added_at.isoformat()}
            for w in WatchlistEntry.objects.filter(member=member)
            .select_related("movie")
            .order_by("id")
        ],
        "diary": [
            {
                "film": _film(request, e.movie),
                "watched_on": e.watched_on.isoformat(),
                "rewatch": e.rewatch,
                "rating": e.rating,
            }
            for e in DiaryEntry.objects.filter(member=member)
            .select_related("movie")
            .order_by("watched_on", "id")
        ],
        "lists": [
            {
                "name": m.name,
                "notes": m.notes,
                "public": m.is_public,
                "ranked": m.is_ranked,
                "items": [
                    {"position": i.position, "film": _film(request, i.movie), "notes": i.notes}
                    for i in m.items.select_related("movie").order_by("position", "id")
                ],
            }
            for m in MovieList.objects.filter(owner=member).order_by("id")
        ],
    }


@login_required
def export_page(request: MemberRequest) -> HttpResponse:
    return render(request, "members/export.html", {"breadcrumbs": [HOME, ("Your data", None)]})


@login_required
def export_csv(request: MemberRequest) -> HttpResponse:
    response = HttpResponse(letterboxd_zip(request, request.user), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="marquee-export.zip"'
    return response


@login_required
def export_json(request: MemberRequest) -> HttpResponse:
    data = json.dumps(everything(request, request.user), ensure_ascii=False, indent=1)
    response = HttpResponse(data, content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="marquee-export.json"'
    return response


# Importing -----------------------------------------------------------------------------------


class ImportError_(ValueError):
    """A bad file or row; the message names FILE:LINE."""


@dataclass
class Row:
    kind: str  # one of ImportQuestion.Kind
    name: str
    year: int | None
    fields: dict[str, str]
    where: str


@dataclass
class Outcome:
    applied: int = 0
    questions: int = 0
    not_found: list[str] = field(default_factory=list)


KINDS_BY_FILE = {
    "ratings.csv": ImportQuestion.Kind.RATING,
    "diary.csv": ImportQuestion.Kind.DIARY,
    "watchlist.csv": ImportQuestion.Kind.WATCHLIST,
    "reviews.csv": ImportQuestion.Kind.REVIEW,
}


def _kind_from_header(header: list[str]) -> str | None:
    columns = set(header)
    if "Review" in columns:
        return ImportQuestion.Kind.REVIEW
    if "Watched Date" in columns:
        return ImportQuestion.Kind.DIARY
    if "Rating" in columns:
        return ImportQuestion.Kind.RATING
    if {"Name", "Year"} <= columns:
        return ImportQuestion.Kind.WATCHLIST
    return None


def _score(raw: str, where: str) -> int | None:
    if not raw.strip():
        return None
    try:
        stars = float(raw)
    except ValueError:
        raise ImportError_(f"{where}: rating {raw!r} is not a number") from None
    if not 0.5 <= stars <= 5 or (stars * 2) % 1:
        raise ImportError_(f"{where}: rating {raw!r} is not 0.5 to 5 stars in half steps")
    return int(stars * 2)


def _date(raw: str, where: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ImportError_(f"{where}: date {raw!r} is not YYYY-MM-DD") from None


def read_csv(name: str, text: str, kind: str | None = None) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        return
    header = [column.strip().lstrip("\ufeff") for column in header]
    kind = kind or _kind_from_header(header)
    if kind is None or "Name" not in header:
        raise ImportError_(f"{name}:1: not a Letterboxd ratings, diary, watchlist or reviews file")
    for line, values in enumerate(reader, start=2):
        if not any(values):
            continue
        fields = dict(zip(header, values, strict=False))
        where = f"{name}:{line}"
        year_text = fields.get("Year", "").strip()
        if year_text and not year_text.isdigit():
            raise ImportError_(f"{where}: year {year_text!r} is not a year")
        if not fields.get("Name", "").strip():
            raise ImportError_(f"{where}: the film's name is empty")
        row = Row(
            kind, fields["Name"].strip(), int(year_text) if year_text else None, fields, where
        )
        _check(row)
        yield row


def _check(row: Row) -> None:
    """Refuse a row that could not be applied, before anything is written."""
    if row.kind in (
        ImportQuestion.Kind.RATING,
        ImportQuestion.Kind.DIARY,
        ImportQuestion.Kind.REVIEW,
    ):
        score = _score(row.fields.get("Rating", ""), row.where)
        if row.kind == ImportQuestion.Kind.RATING and score is None:
            raise ImportError_(f"{row.where}: the rating is empty")
    if row.kind == ImportQuestion.Kind.DIARY:
        _date(row.fields.get("Watched Date") or row.fields.get("Date", ""), row.where)


def read_upload(name: str, data: bytes) -> list[Row]:
    if zipfile.is_zipfile(io.BytesIO(data)):
        rows: list[Row] = []
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > UNPACKED_MAX_BYTES:
                raise ImportError_(f"{name}: the archive unpacks to more than 100 MB")
            for info in archive.infolist():
                kind = KINDS_BY_FILE.get(info.filename)
                if kind:
                    rows += read_csv(info.filename, _text(info.filename, archive.read(info)), kind)
        return rows
    return list(read_csv(name, _text(name, data)))


def _text(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportError_(f"{name}: not UTF-8 text (byte {error.start})") from None


def candidates(name: str, year: int | None) -> list[Movie]:
    """Films with this title (and year, when given), by the title index."""
    films = Movie.objects.filter(sort_title=derive_sort_title(name))
    if year:
        films = films.filter(year=year)
    return list(
        films.only("pk", "title", "year", "slug").order_by("-popularity", "id")[:CANDIDATES_MAX]
    )


def apply_row(member: User, row: Row, movie: Movie) -> None:
    fields = row.fields
    if row.kind == ImportQuestion.Kind.WATCHLIST:
        WatchlistEntry.objects.get_or_create(member=member, movie=movie)
        return
    score = _score(fields.get("Rating", ""), row.where)
    if score is not None and row.kind != ImportQuestion.Kind.DIARY:
        rate(member, movie, score)
    if row.kind == ImportQuestion.Kind.DIARY:
        watched = _date(fields.get("Watched Date") or fields.get("Date", ""), row.where)
        DiaryEntry.objects.get_or_create(
            member=member,
            movie=movie,
            watched_on=watched,
            defaults={"rewatch": fields.get("Rewatch", "") == "Yes", "rating": score},
        )
    elif row.kind == ImportQuestion.Kind.REVIEW and fields.get("Review", "").strip():
        review = Review.objects.filter(movie=movie, author=member).first() or Review(
            movie=movie, author=member
        )
        review.body = fields["Review"].strip()
        save_review(review)


def import_rows(member: User, rows: list[Row]) -> Outcome:
    outcome = Outcome()
    with transaction.atomic():
        for row in rows:
            found = candidates(row.name, row.year)
            if len(found) == 1:
                apply_row(member, row, found[0])
                outcome.applied += 1
            elif found:
                question = ImportQuestion.objects.create(
                    member=member, kind=row.kind, name=row.name, year=row.year, row=row.fields
                )
                question.candidates.set(found)
                outcome.questions += 1
            else:
                outcome.not_found.append(f"{row.name} ({row.year or 'no year'})")
    return outcome


@login_required
def import_page(request: MemberRequest) -> HttpResponseBase:
    error = ""
    outcome = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "Choose a file: your Letterboxd export ZIP, or one CSV from it."
        elif upload.size and upload.size > UPLOAD_MAX_BYTES:
            error = "That file is larger than 20 MB; a Letterboxd export is much smaller."
        else:
            try:
                rows = read_upload(upload.name or "upload", upload.read())
                outcome = import_rows(request.user, rows)
            except ImportError_ as problem:
                error = f"Nothing was imported. {problem}"
    questions = (
        ImportQuestion.objects.filter(member=request.user)
        .prefetch_related("candidates")
        .order_by("id")[:50]
    )
    return render(
        request,
        "members/import.html",
        {
            "error": error,
            "outcome": outcome,
            "questions": questions,
            "breadcrumbs": [HOME, ("Your data", "/accounts/export/"), ("Import", None)],
        },
        status=400 if error else 200,
    )


@require_POST
@login_required
def settle_question(request: MemberRequest, pk: int) -> HttpResponseBase:
    """The member picks the film a queued row meant, or skips the row."""
    question = get_object_or_404(ImportQuestion, pk=pk, member=request.user)
    choice = request.POST.get("movie", "")
    with transaction.atomic():
        if choice.isdigit():
            movie = question.candidates.filter(pk=int(choice)).first()
            if movie is None:
                messages.error(request, "Choose one of the films listed.")
                return redirect("members:import")
            row = Row(question.kind, question.name, question.year, question.row, f"question {pk}")
            apply_row(request.user, row, movie)
            messages.success(request, f"Imported {question.name} as {movie}.")
        else:
            messages.info(request, f"Skipped {question.name}.")
        question.delete()
    return redirect("members:import")
