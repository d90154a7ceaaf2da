from django.contrib import admin

from marquee.watch.models import Offer, Provider


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    list_display = ["name", "homepage"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["movie", "provider", "region", "kind", "price", "currency"]
    list_filter = ["kind", "provider", "region"]
    autocomplete_fields = ["movie", "provider"]
    search_fields = ["movie__title"]
