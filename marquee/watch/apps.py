from django.apps import AppConfig


class WatchConfig(AppConfig):
    name = "marquee.watch"
    label = "watch"
    verbose_name = "Watch"
