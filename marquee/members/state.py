"""What the movie page needs to know about the member looking at it, in one query."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpRequest

from marquee.catalog.models import Movie
from marquee.members.models import WatchlistEntry
from marquee.reviews.models import Rating, Review


@dataclass
class MemberState:
    score: int | None = None
    review_id: int | None = None
    on_watchlist: bool = False


def member_state(request: HttpRequest, movie: Movie) -> MemberState | None:
    """The member's rating, review and watchlist state for ``movie``; None for visitors."""
    member = request.user
    if not member.is_authenticated:
        return None
    row = (
        Movie.objects.filter(pk=movie.pk)
        .annotate(
            my_score=Subquery(
                Rating.objects.filter(member=member, movie=OuterRef("pk")).values("score")[:1]
            ),
            my_review=Subquery(
                Review.objects.filter(author=member, movie=OuterRef("pk")).values("pk")[:1]
            ),
            on_watchlist=Exists(WatchlistEntry.objects.filter(member=member, movie=OuterRef("pk"))),
        )
        .values("my_score", "my_review", "on_watchlist")
        .first()
    )
    if row is None:
        return MemberState()
    return MemberState(row["my_score"], row["my_review"], row["on_watchlist"])
