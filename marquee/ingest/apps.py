from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "marquee.ingest"
    label = "ingest"
    verbose_name = "Imports"
