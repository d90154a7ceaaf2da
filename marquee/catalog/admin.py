from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import BaseModelFormSet
from django.http import HttpRequest

from marquee.catalog.models import (
    AlternateTitle,
    BoxOffice,
    Certification,
    Country,
    Genre,
    Keyword,
    Language,
    Milestone,
    Movie,
    MovieAlias,
    MovieCountry,
    MovieEdit,
    MovieGenre,
    MovieRelation,
    ReleaseDate,
)
from marquee.ingest.loader import hand_to_editor
from marquee.people.models import Credit, CreditKind
from marquee.watch.models import Offer

# The lists imports fill, by the model of the inline that edits them. Credits are two lists,
# cast and crew, told apart by kind; relations and old slugs are the editors' alone.
IMPORTED_LISTS: dict[type[Any], str] = {
    MovieGenre: "genres",
    MovieCountry: "countries",
    AlternateTitle: "alternate_titles",
    ReleaseDate: "release_dates",
    Certification: "certifications",
    BoxOffice: "box_office",
    Milestone: "milestones",
    Offer: "offers",
}
IMPORTED_MANY = ("keywords", "spoken_languages")  # edited in the film's own form


def edited_lists(formset: BaseModelFormSet[Any, Any]) -> set[str]:
    """The imported lists a saved inline formset changed."""
    if formset.model is Credit:
        kinds = {credit.kind for credit in formset.new_objects + formset.deleted_objects}
        for credit, fields in formset.changed_objects:
            kinds.add(credit.kind)
            if "kind" in fields:  # moved from cast to crew or back: both lists changed
                kinds |= set(CreditKind.values)
        return {"cast" if kind == CreditKind.CAST else "crew" for kind in kinds}
    name = IMPORTED_LISTS.get(formset.model) if formset.model else None
    changed = formset.new_objects or formset.changed_objects or formset.deleted_objects
    return {name} if name and changed else set()


class CreditInline(admin.TabularInline):
    model = Credit
    extra = 1
    autocomplete_fields = ["person"]
    fields = ["person", "kind", "character", "department", "job", "order"]
    ordering = ["kind", "order", "id"]


class AlternateTitleInline(admin.TabularInline):
    model = AlternateTitle
    extra = 0


class OfferInline(admin.TabularInline):
    model = Offer
    extra = 0
    autocomplete_fields = ["provider"]


class GenreInline(admin.TabularInline):
    model = MovieGenre
    extra = 0


class CountryInline(admin.TabularInline):
    model = MovieCountry
    extra = 0


class ReleaseDateInline(admin.TabularInline):
    model = ReleaseDate
    extra = 0


class CertificationInline(admin.TabularInline):
    model = Certification
    extra = 0


class BoxOfficeInline(admin.TabularInline):
    model = BoxOffice
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class RelationInline(admin.TabularInline):
    model = MovieRelation
    fk_name = "movie"
    extra = 0
    autocomplete_fields = ["other"]


class AliasInline(admin.TabularInline):
    model = MovieAlias
    extra = 0


@admin.register(Movie)
class MovieAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "original_title", "is_featured", "rating_count"]
    list_filter = ["is_featured", "genres"]
    search_fields = ["title", "original_title", "=imdb_id", "=slug"]
    prepopulated_fields = {"slug": ["title", "year"]}
    filter_horizontal = ["keywords", "spoken_languages"]
    autocomplete_fields = ["original_language"]
    show_full_result_count = False
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "original_title",
                    "sort_title",
                    "slug",
                    "year",
                    "runtime",
                    "poster",
                    "is_featured",
                    "popularity",
                ]
            },
        ),
        (
            "Classification",
            {"fields": ["keywords", "original_language", "spoken_languages"]},
        ),
        ("Text", {"fields": ["tagline", "synopsis", "plot", "background", "reception"]}),
        ("Money", {"fields": ["budget", "budget_currency"]}),
        ("External ids", {"fields": ["imdb_id", "tmdb_id", "wikidata_id", "movielens_id"]}),
    ]
    inlines = [
        CreditInline,
        GenreInline,
        CountryInline,
        AlternateTitleInline,
        OfferInline,
        ReleaseDateInline,
        CertificationInline,
        BoxOfficeInline,
        MilestoneInline,
        RelationInline,
        AliasInline,
    ]

    def save_model(self, request: HttpRequest, obj: Movie, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            # What the editor changed is theirs: the sources that filled it stop updating it.
            hand_to_editor(obj, form.changed_data)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # A list the editor changed is theirs too, even emptied: imports leave it alone.
        lists = {name for name in IMPORTED_MANY if name in form.changed_data}
        for formset in formsets:
            lists |= edited_lists(formset)
        if lists:
            hand_to_editor(form.instance, lists)
            MovieEdit.record(form.instance, lists)


@admin.register(Genre, Keyword)
class NamedAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Country, Language)
class CodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(MovieEdit)
class MovieEditAdmin(admin.ModelAdmin):
    """Which lists of a film imports leave alone; deleting a row hands them back."""

    list_display = ["movie", "lists"]
    search_fields = ["movie__title"]
    autocomplete_fields = ["movie"]
