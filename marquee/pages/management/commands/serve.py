from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from waitress import serve

from marquee.wsgi import application


class Command(BaseCommand):
    help = "Serve Marquee with waitress, a production WSGI server (static files included)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        self.stdout.write(f"Marquee is serving on http://{host}:{port}/ (Ctrl+C stops it)")
        serve(application, host=host, port=port, threads=options["threads"], ident="marquee")
