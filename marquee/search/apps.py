from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "marquee.search"

    def ready(self) -> None:
        from marquee.search import checks, signals  # noqa: F401  (registers and connects)
