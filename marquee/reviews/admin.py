from django.contrib import admin

from marquee.reviews.models import Rating, Review


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["movie", "author", "contains_spoilers", "is_published", "created_at"]
    list_filter = ["is_published", "contains_spoilers"]
    autocomplete_fields = ["movie"]
    raw_id_fields = ["author"]
    search_fields = ["movie__title", "author__username"]


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["movie", "member", "score", "updated_at"]
    list_filter = ["score"]
    autocomplete_fields = ["movie"]
    raw_id_fields = ["member"]
    search_fields = ["movie__title", "member__username"]
