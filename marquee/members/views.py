"""Accounts, profiles and the watchlist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from marquee.catalog.models import Movie
from marquee.members.forms import ProfileForm, SignUpForm
from marquee.members.models import MovieList, Profile, WatchlistEntry
from marquee.members.moderation import is_moderator
from marquee.members.requests import MemberRequest
from marquee.members.state import member_state
from marquee.reviews.forms import stars
from marquee.reviews.models import Rating, Review
from marquee.reviews.views import is_htmx

WATCHLIST_PAGE = 60
PROFILE_ROWS = 12
HOME = ("Home", "/")


def sign_up(request: HttpRequest) -> HttpResponseBase:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.profile.name}. Your account is ready.")
        return redirect("home")
    return render(
        request,
        "members/sign_up.html",
        {"form": form, "breadcrumbs": [HOME, ("Create an account", None)]},
    )


@login_required
def account_settings(request: MemberRequest) -> HttpResponseBase:
    profile, _ = Profile.objects.get_or_create(member=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("members:settings")
    return render(
        request,
        "members/settings.html",
        {
            "form": form,
            "profile": profile,
            "is_moderator": is_moderator(request.user),
            "breadcrumbs": [HOME, ("Your account", None)],
        },
    )


def profile(request: HttpRequest, username: str) -> HttpResponse:
    """A member's public page. Private profiles are a 404 to everyone but their owner."""
    member = get_object_or_404(User.objects.select_related("profile"), username=username)
    owner = request.user.pk == member.pk
    if not (owner or member.profile.is_public):
        raise Http404("No public profile here.")
    reviews = Review.objects.by(member).for_display().select_related("movie").latest_first()
    if not owner:
        reviews = reviews.published()
    page = Paginator(reviews, PROFILE_ROWS).get_page(request.GET.get("page"))
    ratings = list(Rating.objects.by(member).select_related("movie").latest_first()[:PROFILE_ROWS])
    for rating in ratings:
        rating.note = f"rated {stars(rating.score)}"  # type: ignore[attr-defined]
    lists = MovieList.objects.filter(owner=member)
    if not owner:
        lists = lists.public()
    return render(
        request,
        "members/profile.html",
        {
            "member": member,
            "owner": owner,
            "page": page,
            "num_pages": page.paginator.num_pages,
            "ratings": ratings,
            "lists": list(lists.order_by("-updated_at")[:PROFILE_ROWS]),
            "breadcrumbs": [HOME, (member.profile.name, None)],
        },
    )


@login_required
def watchlist(request: MemberRequest) -> HttpResponse:
    entries = (
        WatchlistEntry.objects.filter(member=request.user)
        .select_related("movie")
        .order_by("-added_at", "-id")
    )
    page = Paginator(entries, WATCHLIST_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "members/watchlist.html",
        {
            "page": page,
            "num_pages": page.paginator.num_pages,
            "breadcrumbs": [HOME, ("Your watchlist", None)],
        },
    )


@require_POST
@login_required
def toggle_watchlist(request: MemberRequest, slug: str) -> HttpResponseBase:
    """``action=add`` or ``action=remove``: explicit, so a repeated POST does not flip back."""
    movie = get_object_or_404(Movie.objects.only("pk", "slug", "title"), slug=slug)
    action = request.POST.get("action")
    if action == "add":
        WatchlistEntry.objects.get_or_create(member=request.user, movie=movie)
        text = f"{movie.title} is on your watchlist."
    elif action == "remove":
        WatchlistEntry.objects.filter(member=request.user, movie=movie).delete()
        text = f"{movie.title} is off your watchlist."
    else:
        messages.error(request, "Nothing changed: the form asked neither to add nor to remove.")
        return redirect(movie.get_absolute_url())
    if is_htmx(request):
        return render(
            request,
            "reviews/_member_actions.html",
            {"movie": movie, "member": member_state(request, movie)},
        )
    messages.success(request, text)
    if request.POST.get("back") == "watchlist":
        return redirect("members:watchlist")
    return redirect(movie)
