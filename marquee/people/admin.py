from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from marquee.people.merge import merge_people
from marquee.people.models import Person, PersonAlias, PersonEdit


class PersonAliasInline(admin.TabularInline):
    model = PersonAlias
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "original_name", "birth_date", "imdb_id"]
    search_fields = ["name", "original_name", "imdb_id", "=slug"]
    prepopulated_fields = {"slug": ["name"]}
    show_full_result_count = False  # COUNT(*) over millions of people is slow
    inlines = [PersonAliasInline]
    actions = ["merge"]

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            # What the editor changed is theirs: an IMDb dump no longer renames this person.
            PersonEdit.record(obj, set(form.changed_data))

    @admin.action(description="Merge selected people into one")
    def merge(self, request: HttpRequest, queryset: QuerySet[Person]) -> HttpResponse | None:
        people = list(queryset.order_by("id"))
        if len(people) < 2:
            self.message_user(request, "Select at least two people to merge.", messages.WARNING)
            return None
        keep_id = request.POST.get("keep")
        if keep_id is None:
            context: dict[str, Any] = {
                **self.admin_site.each_context(request),
                "title": "Merge people",
                "people": people,
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/people/merge.html", context)
        keep = next((person for person in people if str(person.pk) == keep_id), None)
        if keep is None:
            self.message_user(request, "Choose one of the selected people to keep.", messages.ERROR)
            return None
        merged = merge_people(keep, people)
        self.message_user(request, f"Merged {merged} into {keep.name}.", messages.SUCCESS)
        return None


@admin.register(PersonEdit)
class PersonEditAdmin(admin.ModelAdmin):
    """Which fields of a person imports leave alone; deleting a row hands them back."""

    list_display = ["person", "fields"]
    search_fields = ["person__name"]
    autocomplete_fields = ["person"]
