"""The diary: one entry per viewing, with the date, a rewatch flag, and optionally the rating
and review given that day (which also become the member's rating and review of the film)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from marquee.catalog.models import Movie
from marquee.members.forms import DiaryForm
from marquee.members.models import DiaryEntry
from marquee.members.requests import MemberRequest
from marquee.reviews.models import Review, rate, save_review

HOME = ("Home", "/")
DIARY_PAGE = 50


@login_required
def diary(request: MemberRequest) -> HttpResponse:
    entries = (
        DiaryEntry.objects.filter(member=request.user)
        .select_related("movie")
        .order_by("-watched_on", "-id")
    )
    page = Paginator(entries, DIARY_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "members/diary.html",
        {
            "page": page,
            "num_pages": page.paginator.num_pages,
            "breadcrumbs": [HOME, ("Your diary", None)],
        },
    )


@login_required
def log_viewing(request: MemberRequest, slug: str) -> HttpResponseBase:
    movie = get_object_or_404(Movie.objects.only("pk", "slug", "title", "year"), slug=slug)
    form = DiaryForm(request.POST or None, initial={"watched_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            entry = form.save(commit=False)
            entry.member = request.user
            entry.movie = movie
            if form.cleaned_data["rating"]:
                rate(request.user, movie, form.cleaned_data["rating"])
            text = form.cleaned_data["review"].strip()
            if text:
                review = Review.objects.filter(movie=movie, author=request.user).first() or Review(
                    movie=movie, author=request.user
                )
                review.body = text
                review.contains_spoilers = form.cleaned_data["contains_spoilers"]
                entry.review = save_review(review)
            entry.save()
        messages.success(request, f"Logged {movie.title} in your diary.")
        return redirect("members:diary")
    return render(
        request,
        "members/diary_form.html",
        {
            "movie": movie,
            "form": form,
            "breadcrumbs": [HOME, (movie.title, movie.get_absolute_url()), ("Log a viewing", None)],
        },
    )


@require_POST
@login_required
def delete_entry(request: MemberRequest, pk: int) -> HttpResponseBase:
    entry = get_object_or_404(DiaryEntry, pk=pk, member=request.user)
    entry.delete()
    messages.success(request, "The diary entry is deleted (your rating and review stay).")
    return redirect("members:diary")
