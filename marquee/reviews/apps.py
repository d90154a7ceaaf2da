from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "marquee.reviews"
    label = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        from marquee.reviews import signals  # noqa: F401  (connects the receivers)
