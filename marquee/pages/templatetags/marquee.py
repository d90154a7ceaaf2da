"""Template helpers shared by every app's pages."""

import hashlib
import json
import re
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import HttpRequest
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

CURRENCY_SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "KRW": "₩",
    "INR": "₹",
    "TRY": "₺",
    "PHP": "₱",
    "CNY": "CN¥",
    "IDR": "Rp ",
    "BRL": "R$",
    "CAD": "CA$",
    "AUD": "A$",
}


LARGE_NUMBERS = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))


@register.filter
def amount(value: int | None) -> str:
    """12810000 → "12.8 million"; 10000000 → "10 million"; 950000 → "950,000"."""
    if value is None:
        return ""
    for size, word in LARGE_NUMBERS:
        if abs(value) >= size:
            figure = f"{value / size:.1f}".removesuffix(".0")
            return f"{figure} {word}"
    return str(intcomma(value))


@register.simple_tag
def money(value: int | Decimal | None, currency: str) -> str:
    """An amount with its currency as a reader writes it: "$28.3 million", "₩91.4 billion"."""
    if value is None:
        return ""
    figure = amount(int(value)) if isinstance(value, int) else f"{value:,.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    return f"{symbol}{figure}" if symbol else f"{figure} {currency.upper()}".strip()


@register.filter
def paragraphs(text: str) -> SafeString:
    """Plain text with blank lines between paragraphs → escaped <p> elements."""
    blocks = [block.strip() for block in text.split("\n\n") if block.strip()]
    return format_html_join("\n", "<p>{}</p>", ((block,) for block in blocks))


@register.filter
def runtime(minutes: int | None) -> str:
    """127 → "2 h 7 min"."""
    if not minutes:
        return ""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


@register.filter
def iso_duration(minutes: int | None) -> str:
    return f"PT{minutes}M" if minutes else ""


@register.filter
def ld_json(data: Any) -> SafeString:
    """JSON for a <script type="application/ld+json"> element, safe against </script>."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    return mark_safe(text)  # every markup character is escaped above


def _hue(text: str) -> int:
    # A stable colour per title: Python's hash() changes between runs, a digest does not.
    return int(hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:4], 16) % 360


def _initials(text: str) -> str:
    """First letters of the first two words: "#Alive" → "A", "12 Angry Men" → "1A"."""
    words = re.findall(r"[^\W_]+", text)
    return "".join(word[0] for word in words[:2]).upper() or "?"


def _svg_parts(width: int, height: int) -> tuple[str, str, str]:
    # Quoted once: a page draws dozens of placeholders and only the hue and initials vary.
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><rect width="100%" height="100%" fill="hsl('
    )
    middle = (
        ',45%,28%)"/><text x="50%" y="50%" dy=".35em" text-anchor="middle" '
        'font-family="system-ui,sans-serif" font-size="64" fill="#fff">'
    )
    return "data:image/svg+xml," + quote(head), quote(middle), quote("</text></svg>")


SVG_PARTS = {"movie": _svg_parts(200, 300), "person": _svg_parts(200, 200)}


@register.simple_tag
def placeholder(text: str, seed: str = "", kind: str = "movie") -> str:
    """A data: URL of an SVG drawn from a title or name, so an image is never broken.

    The colour comes from ``seed`` (a slug) when given, so a remake sharing its title with the
    original still looks different."""
    head, middle, tail = SVG_PARTS[kind]
    return f"{head}{_hue(seed or text)}{middle}{quote(escape(_initials(text)))}{tail}"


@register.simple_tag(takes_context=True)
def absolute(context: dict[str, Any], path: str) -> str:
    """An absolute URL for sharing tags: SITE_URL when set, else the request's own host."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    request: HttpRequest | None = context.get("request")
    return request.build_absolute_uri(path) if request else path


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters changed (None removes one)."""
    request: HttpRequest = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def breadcrumb_list(crumbs: list[tuple[str, str | None]], request: HttpRequest) -> dict[str, Any]:
    """schema.org BreadcrumbList for the trail shown on the page (the last item is the page)."""
    items = []
    for position, (name, url) in enumerate(crumbs, start=1):
        item: dict[str, Any] = {"@type": "ListItem", "position": position, "name": name}
        path = url or request.path
        item["item"] = (
            (settings.SITE_URL + path) if settings.SITE_URL else request.build_absolute_uri(path)
        )
        items.append(item)
    return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}


def _image(
    css_class: str, src: str, alt: str, width: int, height: int, *, lazy: bool
) -> SafeString:
    # Drawn placeholders are inline data: URLs, so lazy loading would only delay them.
    return format_html(
        '<img class="{}" src="{}" alt="{}" width="{}" height="{}"{}>',
        css_class, src, alt, width, height, mark_safe(' loading="lazy"') if lazy else "",
    )  # fmt: skip


@register.simple_tag
def poster(movie: Any, width: int = 200, height: int = 300, decorative: bool = False) -> SafeString:
    """The movie's poster, or a drawn placeholder; ``decorative`` when a caption names it."""
    if movie.poster:
        alt = "" if decorative else f"Poster of {movie.title}"
        return _image("poster", movie.poster.url, alt, width, height, lazy=True)
    alt = "" if decorative else f"No poster yet for {movie.title}"
    src = placeholder(movie.title, movie.slug, "movie")
    return _image("poster", src, alt, width, height, lazy=False)


@register.simple_tag
def photo(person: Any, size: int = 96, decorative: bool = False) -> SafeString:
    """The person's photo, or a drawn placeholder (always decorative: the name is beside it)."""
    if person.photo:
        alt = "" if decorative else f"Photo of {person.name}"
        return _image("photo", person.photo.url, alt, size, size, lazy=True)
    src = placeholder(person.name, person.slug, "person")
    return _image("photo", src, "", size, size, lazy=False)


@register.filter
def out_of_five(average: float | None) -> str:
    """Members rate in half stars, stored 1–10; averages are shown on the same five-star scale
    members chose from: 7.8 → "3.9"."""
    return f"{(average or 0) / 2:.1f}"


@register.filter
def half_stars(point: int) -> str:
    """A point of the stored 1–10 scale as the stars a member picked: 9 → "4½", 2 → "1"."""
    whole, half = divmod(point, 2)
    return f"{whole or ''}{'½' if half else ''}"


@register.simple_tag
def movie_card(movie: Any, note: str = "", reason: str = "") -> SafeString:
    """A poster card for lists and rows: poster, title, year, rating, an optional note (genres,
    countries) and reason ("Remake"). Python rather than an included template: a list page
    draws dozens of them."""
    meta = [str(movie.year)] if movie.year else []
    if movie.rating_count:
        meta.append(f"★ {out_of_five(movie.rating_average)}")
    if note:
        meta.append(note)
    return format_html(
        '<li class="card"><a href="{}">{}<span class="card-title">{}</span></a>'
        '<span class="card-meta">{}</span>{}</li>',
        movie.get_absolute_url(),
        poster(movie, 160, 240, decorative=True),
        movie.title,
        " · ".join(meta),
        format_html('<span class="card-reason">{}</span>', reason) if reason else "",
    )
