"""Where to watch: offers the operator enters for legal providers. Marquee never links to,
scrapes or embeds unlicensed streams; every offer here is typed in by an editor."""

from __future__ import annotations

from django.core.validators import URLValidator
from django.db import models

from marquee.catalog import codes
from marquee.catalog.models import Movie

# Only web links: no javascript:, data: or other schemes reach an href.
web_url = URLValidator(schemes=["http", "https"])


class Provider(models.Model):
    name = models.CharField(max_length=100, unique=True)
    homepage = models.URLField(blank=True, validators=[web_url])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OfferKind(models.TextChoices):
    FREE = "free", "Free"
    ADS = "ads", "Free with ads"
    SUBSCRIPTION = "subscription", "Subscription"
    RENT = "rent", "Rent"
    BUY = "buy", "Buy"


class Offer(models.Model):
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="offers")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="offers")
    region = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 country code.")
    kind = models.CharField(max_length=12, choices=OfferKind)
    url = models.URLField("link", max_length=500, validators=[web_url])
    price = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)

    class Meta:
        ordering = ["region", "kind", "provider__name"]
        indexes = [models.Index(fields=["movie", "region"], name="offer_by_movie")]

    def __str__(self) -> str:
        return f"{self.provider} {self.kind} {self.region}"

    @property
    def region_name(self) -> str:
        return codes.country_name(self.region)
