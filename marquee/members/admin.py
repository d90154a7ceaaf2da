from django.contrib import admin

from marquee.members.models import ModerationAction, MovieList, Profile, ReviewReport


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["member", "display_name", "language", "is_public"]
    list_filter = ["is_public", "language"]
    search_fields = ["member__username", "display_name"]
    raw_id_fields = ["member"]


@admin.register(MovieList)
class MovieListAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "is_public", "updated_at"]
    list_filter = ["is_public"]
    search_fields = ["name", "owner__username"]
    raw_id_fields = ["owner"]


@admin.register(ReviewReport)
class ReviewReportAdmin(admin.ModelAdmin):
    list_display = ["review", "reporter", "reason", "created_at", "resolved_at"]
    list_filter = ["reason", "resolved_at"]
    raw_id_fields = ["review", "reporter", "resolved_by"]


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    list_display = ["review", "moderator", "kind", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["review", "moderator"]
