"""Rating, writing, voting on and reporting reviews. Every change is a POST with a CSRF token;
with htmx the answer is the changed fragment, without it a redirect back to the page."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from marquee.catalog.models import Movie
from marquee.members.models import ReviewReport
from marquee.members.moderation import is_moderator
from marquee.members.requests import MemberRequest
from marquee.members.state import member_state
from marquee.reviews.forms import RatingForm, ReportForm, ReviewForm
from marquee.reviews.models import Review, delete_review, rate, save_review, vote_helpful

REVIEWS_PER_PAGE = 20
SORTS = {"newest": "Newest", "helpful": "Most helpful"}


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def safe_next(request: HttpRequest, default: str) -> str:
    """The ``next`` field when it points into this site, else ``default``."""
    target = request.POST.get("next", "")
    ok = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if target and ok else default


def _movie(slug: str) -> Movie:
    return get_object_or_404(Movie.objects.only("pk", "title", "slug", "year", "poster"), slug=slug)


def _member_actions(request: HttpRequest, movie: Movie) -> HttpResponse:
    return render(
        request,
        "reviews/_member_actions.html",
        {"movie": movie, "member": member_state(request, movie)},
    )


@require_POST
@login_required
def rate_movie(request: MemberRequest, slug: str) -> HttpResponseBase:
    movie = _movie(slug)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a rating from half a star to five stars.")
        return redirect(movie.get_absolute_url() + "#your-rating")
    score = form.cleaned_data["score"]
    rate(request.user, movie, score)
    if is_htmx(request):
        return _member_actions(request, movie)
    messages.success(request, "Your rating is saved." if score else "Your rating is removed.")
    return redirect(movie.get_absolute_url() + "#your-rating")


def _posting_too_fast(member: User) -> bool:
    hour_ago = timezone.now() - timedelta(hours=1)
    recent = Review.objects.filter(author=member, created_at__gte=hour_ago).count()
    return recent >= settings.REVIEWS_PER_HOUR


@login_required
def edit_review(request: MemberRequest, slug: str) -> HttpResponseBase:
    """Write a review of the film, or edit one's own: a member has at most one per film."""
    movie = _movie(slug)
    review = Review.objects.filter(movie=movie, author=request.user).first()
    state = member_state(request, movie)
    initial = {"rating": state.score if state else None}
    if request.method == "POST":
        form = ReviewForm(request.POST, instance=review, initial=initial)
        if review is None and _posting_too_fast(request.user):
            form.add_error(
                None,
                f"You have posted {settings.REVIEWS_PER_HOUR} reviews in the last hour; "
                "please wait a while before posting another.",
            )
        if form.is_valid():
            saved = form.save(commit=False)
            saved.movie = movie
            saved.author = request.user
            with transaction.atomic():
                save_review(saved)
                # A form without the field leaves the rating alone; an emptied field removes it.
                if "rating" in request.POST and "rating" in form.changed_data:
                    rate(request.user, movie, form.cleaned_data["rating"])
            messages.success(request, "Your review is published." if not review else "Saved.")
            return redirect(reverse("reviews:detail", args=[movie.slug, saved.pk]))
    else:
        form = ReviewForm(instance=review, initial=initial)
    return render(
        request,
        "reviews/review_form.html",
        {
            "movie": movie,
            "form": form,
            "review": review,
            "breadcrumbs": [
                ("Home", "/"),
                (movie.title, movie.get_absolute_url()),
                ("Edit your review" if review else "Write a review", None),
            ],
        },
    )


def _own_review(request: HttpRequest, slug: str) -> Review:
    return get_object_or_404(
        Review.objects.select_related("movie"), movie__slug=slug, author=request.user
    )


@login_required
def confirm_delete_review(request: MemberRequest, slug: str) -> HttpResponseBase:
    review = _own_review(request, slug)
    if request.method == "POST":
        delete_review(review)
        messages.success(request, "Your review is deleted. Your rating stays.")
        return redirect(review.movie.get_absolute_url() + "#reviews")
    return render(
        request,
        "reviews/review_delete.html",
        {
            "review": review,
            "breadcrumbs": [
                ("Home", "/"),
                (review.movie.title, review.movie.get_absolute_url()),
                ("Delete your review", None),
            ],
        },
    )


def _visible_review(request: HttpRequest, slug: str, pk: int) -> Review:
    """A published review; hidden ones only to their author and moderators."""
    review = get_object_or_404(
        Review.objects.for_display().select_related("movie"), pk=pk, movie__slug=slug
    )
    if not review.is_published and not (
        review.author_id == request.user.pk or is_moderator(request.user)
    ):
        raise Http404("No review here.")
    return review


def review_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    review = _visible_review(request, slug, pk)
    movie = review.movie
    return render(
        request,
        "reviews/review_detail.html",
        {
            "review": review,
            "movie": movie,
            "breadcrumbs": [
                ("Home", "/"),
                (movie.title, movie.get_absolute_url()),
                ("Reviews", reverse("reviews:list", args=[movie.slug])),
                (review.title or "Review", None),
            ],
        },
    )


def movie_reviews(request: HttpRequest, slug: str) -> HttpResponse:
    movie = _movie(slug)
    sort = request.GET.get("sort", "newest")
    if sort not in SORTS:
        sort = "newest"  # an unknown sort is corrected, not refused
    reviews = Review.objects.published().for_movie(movie).with_text().for_display()
    reviews = reviews.most_helpful_first() if sort == "helpful" else reviews.latest_first()
    page = Paginator(reviews, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    for review in page.object_list:
        review.movie = movie  # links need the slug; spare a query per review
    return render(
        request,
        "reviews/movie_reviews.html",
        {
            "movie": movie,
            "page": page,
            "num_pages": page.paginator.num_pages,
            "reviews": page.object_list,
            "sort": sort,
            "sorts": SORTS,
            "breadcrumbs": [
                ("Home", "/"),
                (movie.title, movie.get_absolute_url()),
                ("Reviews", None),
            ],
        },
    )


@require_POST
@login_required
def mark_helpful(request: MemberRequest, slug: str, pk: int) -> HttpResponseBase:
    review = _visible_review(request, slug, pk)
    if review.author_id == request.user.pk:
        messages.error(request, "You cannot vote for your own review.")
    elif vote_helpful(request.user, review):
        review.helpful_count += 1
        if not is_htmx(request):
            messages.success(request, "Thanks: your vote is counted.")
    if is_htmx(request):
        return render(
            request,
            "reviews/_helpful.html",
            {"review": review, "movie": review.movie, "voted": True},
        )
    return redirect(safe_next(request, review.movie.get_absolute_url() + "#reviews"))


@login_required
def report_review(request: MemberRequest, slug: str, pk: int) -> HttpResponseBase:
    review = _visible_review(request, slug, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                ReviewReport.objects.create(
                    review=review,
                    reporter=request.user,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
        except IntegrityError:
            messages.info(request, "You had already reported this review; moderators will look.")
        else:
            messages.success(request, "Thank you: moderators will look at this review.")
        return redirect(review.movie.get_absolute_url() + "#reviews")
    return render(
        request,
        "reviews/review_report.html",
        {
            "review": review,
            "form": form,
            "breadcrumbs": [
                ("Home", "/"),
                (review.movie.title, review.movie.get_absolute_url()),
                ("Report a review", None),
            ],
        },
    )
