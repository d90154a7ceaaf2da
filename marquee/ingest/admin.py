from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from marquee.ingest.models import ExternalRating, MovieSource, PendingMatch


@admin.register(PendingMatch)
class PendingMatchAdmin(admin.ModelAdmin):
    """The review queue: records an import could not match to one film by itself."""

    list_display = ["title", "year", "source", "external_key", "status", "created_at"]
    list_filter = ["status", "source"]
    search_fields = ["title", "external_key"]
    autocomplete_fields = ["chosen"]
    filter_horizontal = ["candidates"]
    readonly_fields = ["source", "external_key", "title", "year", "detail", "created_at"]
    actions = ["reject"]

    def save_model(
        self, request: HttpRequest, obj: PendingMatch, form: object, change: bool
    ) -> None:
        if obj.chosen_id and obj.status == PendingMatch.Status.OPEN:
            obj.status = PendingMatch.Status.MATCHED
        super().save_model(request, obj, form, change)

    @admin.action(description="Mark as matching no film")
    def reject(self, request: HttpRequest, queryset: QuerySet[PendingMatch]) -> None:
        queryset.update(status=PendingMatch.Status.REJECTED, chosen=None)


@admin.register(ExternalRating)
class ExternalRatingAdmin(admin.ModelAdmin):
    list_display = ["movie", "source", "average", "votes", "updated_at"]
    list_filter = ["source"]
    autocomplete_fields = ["movie"]


@admin.register(MovieSource)
class MovieSourceAdmin(admin.ModelAdmin):
    list_display = ["movie", "source", "licence", "url"]
    list_filter = ["source"]
    autocomplete_fields = ["movie"]
