"""Moderators (members of the Django group named by MODERATORS_GROUP) work a queue of reported
reviews: hide one, restore it, or dismiss the reports. Every step is recorded."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from marquee.members.models import ModerationAction, ReviewReport
from marquee.members.requests import MemberRequest
from marquee.reviews.models import Review, save_review

QUEUE_SIZE = 50


def is_moderator(member: Any) -> bool:
    if not member.is_authenticated:
        return False
    # Cached on the user object: a page may ask more than once.
    if not hasattr(member, "_is_moderator"):
        member._is_moderator = member.groups.filter(name=settings.MODERATORS_GROUP).exists()
    return bool(member._is_moderator)


def moderators_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """404 rather than 403 for everyone else: the queue's existence is nobody else's business."""

    @login_required
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_moderator(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return guarded


@moderators_only
def queue(request: MemberRequest) -> HttpResponse:
    open_reports = Q(reports__resolved_at__isnull=True)
    reviews = list(
        Review.objects.filter(
            pk__in=ReviewReport.objects.filter(resolved_at__isnull=True).values("review_id")
        )
        .select_related("movie", "author__profile")
        .annotate(open_reports=Count("reports", filter=open_reports))
        .annotate(last_report=Max("reports__created_at", filter=open_reports))
        .order_by("-open_reports", "-last_report")[:QUEUE_SIZE]
    )
    reasons: dict[int, list[ReviewReport]] = {review.pk: [] for review in reviews}
    for report in ReviewReport.objects.filter(
        review__in=reviews, resolved_at__isnull=True
    ).select_related("reporter"):
        reasons[report.review_id].append(report)
    for review in reviews:
        review.open_report_list = reasons[review.pk]  # type: ignore[attr-defined]
    hidden = list(
        Review.objects.filter(is_published=False)
        .select_related("movie", "author__profile")
        .order_by("-updated_at")[:QUEUE_SIZE]
    )
    return render(
        request,
        "members/moderation_queue.html",
        {
            "reviews": reviews,
            "hidden": hidden,
            "breadcrumbs": [("Home", "/"), ("Moderation", None)],
        },
    )


@require_POST
@moderators_only
def act(request: MemberRequest, pk: int, kind: str) -> HttpResponseBase:
    if kind not in ModerationAction.Kind.values:
        raise Http404("No such action.")
    review = get_object_or_404(Review, pk=pk)
    with transaction.atomic():
        if kind in (ModerationAction.Kind.HIDE, ModerationAction.Kind.RESTORE):
            review.is_published = kind == ModerationAction.Kind.RESTORE
            save_review(review)
        review.reports.filter(resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=request.user
        )
        ModerationAction.objects.create(review=review, moderator=request.user, kind=kind)
    messages.success(request, f"{ModerationAction.Kind(kind).label}.")
    return redirect("members:moderation")
