from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "marquee.search"

    def ready(self) -> None:
        from marquee.search import signals  # noqa: F401  (connects the handlers)
