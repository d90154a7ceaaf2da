from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "marquee.pages"
    label = "pages"
    verbose_name = "Pages"
