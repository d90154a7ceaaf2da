"""Members' own lists: ordered, with notes, public (shareable by URL) or private."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, F, Max
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from marquee.catalog.models import Movie
from marquee.members.forms import ListItemForm, MovieListForm
from marquee.members.models import ListItem, MovieList
from marquee.members.requests import MemberRequest

HOME = ("Home", "/")
ITEMS_SHOWN = 500  # a list longer than this is rare; past it the page says so


def _unique_slug(owner: User, name: str, exclude: int | None = None) -> str:
    base = slugify(name, allow_unicode=True)[:100] or "list"
    others = MovieList.objects.filter(owner=owner, slug__startswith=base)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    taken = set(others.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _own_list(request: HttpRequest, pk: int) -> MovieList:
    return get_object_or_404(MovieList, pk=pk, owner=request.user)


@login_required
def my_lists(request: MemberRequest) -> HttpResponse:
    lists = (
        MovieList.objects.filter(owner=request.user)
        .select_related("owner")
        .annotate(size=Count("items"))
        .order_by("-updated_at")
    )
    return render(
        request,
        "members/my_lists.html",
        {"lists": lists, "breadcrumbs": [HOME, ("Your lists", None)]},
    )


@login_required
def edit_list(request: MemberRequest, pk: int | None = None) -> HttpResponseBase:
    movie_list = _own_list(request, pk) if pk else None
    form = MovieListForm(request.POST or None, instance=movie_list)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.owner = request.user
        saved.slug = _unique_slug(request.user, saved.name, exclude=pk)
        saved.save()
        messages.success(request, "Your list is saved.")
        return redirect(saved)
    return render(
        request,
        "members/list_form.html",
        {
            "form": form,
            "movie_list": movie_list,
            "breadcrumbs": [
                HOME,
                ("Your lists", "/lists/"),
                ("Edit list" if pk else "New list", None),
            ],
        },
    )


@login_required
def delete_list(request: MemberRequest, pk: int) -> HttpResponseBase:
    movie_list = _own_list(request, pk)
    if request.method == "POST":
        movie_list.delete()
        messages.success(request, f"The list “{movie_list.name}” is deleted.")
        return redirect("members:my-lists")
    return render(
        request,
        "members/list_delete.html",
        {
            "movie_list": movie_list,
            "breadcrumbs": [HOME, ("Your lists", "/lists/"), ("Delete", None)],
        },
    )


def list_detail(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    movie_list = get_object_or_404(
        MovieList.objects.select_related("owner__profile"), owner__username=username, slug=slug
    )
    owner = movie_list.owner_id == request.user.pk
    if not (movie_list.is_public or owner):
        raise Http404("No list here.")  # a private list does not exist for anyone else
    items = list(movie_list.items.select_related("movie").order_by("position", "id")[:ITEMS_SHOWN])
    return render(
        request,
        "members/list_detail.html",
        {
            "movie_list": movie_list,
            "items": items,
            "owner": owner,
            "truncated": len(items) == ITEMS_SHOWN,
            "breadcrumbs": [
                HOME,
                (movie_list.owner.profile.name, movie_list.owner.profile.get_absolute_url())
                if movie_list.owner.profile.is_public
                else (movie_list.owner.profile.name, None),
                (movie_list.name, None),
            ],
        },
    )


@login_required
def add_to_list(request: MemberRequest, slug: str) -> HttpResponseBase:
    """From the movie page: pick one of your lists (or make one) and add the film."""
    movie = get_object_or_404(Movie.objects.only("pk", "slug", "title", "year"), slug=slug)
    lists = MovieList.objects.filter(owner=request.user).order_by("-updated_at")
    if request.method == "POST":
        raw = request.POST.get("list", "")
        movie_list = lists.filter(pk=int(raw)).first() if raw.isdigit() else None
        if movie_list is None:
            messages.error(request, "Choose one of your lists.")
            return redirect("members:add-to-list", movie.slug)
        with transaction.atomic():
            last = movie_list.items.aggregate(last=Max("position"))["last"] or 0
            _, created = ListItem.objects.get_or_create(
                movie_list=movie_list,
                movie=movie,
                defaults={"position": last + 1, "notes": request.POST.get("notes", "")[:2000]},
            )
            movie_list.save(update_fields=["updated_at"])
        messages.success(
            request,
            f"{movie.title} is now on “{movie_list.name}”."
            if created
            else f"{movie.title} was already on “{movie_list.name}”.",
        )
        return redirect(movie_list)
    return render(
        request,
        "members/add_to_list.html",
        {
            "movie": movie,
            "lists": lists,
            "breadcrumbs": [HOME, (movie.title, movie.get_absolute_url()), ("Add to a list", None)],
        },
    )


@require_POST
@login_required
def change_item(request: MemberRequest, pk: int, item: int) -> HttpResponseBase:
    """Move an item up or down, save its notes, or remove it."""
    movie_list = _own_list(request, pk)
    entry = get_object_or_404(ListItem, pk=item, movie_list=movie_list)
    action = request.POST.get("action")
    with transaction.atomic():
        if action in ("up", "down"):
            items = movie_list.items.order_by("position", "id")
            neighbour = (
                items.filter(position__lt=entry.position).last()
                if action == "up"
                else items.filter(position__gt=entry.position).first()
            )
            if neighbour is not None:
                entry.position, neighbour.position = neighbour.position, entry.position
                ListItem.objects.bulk_update([entry, neighbour], ["position"])
        elif action == "notes":
            form = ListItemForm(request.POST, instance=entry)
            if form.is_valid():
                form.save()
            else:
                messages.error(request, "Notes not saved: keep them under 2,000 characters.")
        elif action == "remove":
            entry.delete()
            movie_list.items.filter(position__gt=entry.position).update(position=F("position") - 1)
        else:
            messages.error(request, "Nothing changed: unknown action.")
        movie_list.save(update_fields=["updated_at"])
    return redirect(movie_list.get_absolute_url() + f"#item-{item}")
