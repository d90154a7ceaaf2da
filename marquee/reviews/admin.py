from django.contrib import admin

from marquee.reviews.models import Review


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["movie", "author", "rating", "is_published", "created_at"]
    list_filter = ["is_published", "rating"]
    autocomplete_fields = ["movie"]
    raw_id_fields = ["author"]
    search_fields = ["movie__title", "author__username"]
