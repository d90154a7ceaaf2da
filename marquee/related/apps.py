from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "marquee.related"
    label = "related"
    verbose_name = "Related movies"
