from argparse import ArgumentParser, Namespace
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from marquee.catalog.models import Movie
from marquee.ingest.run import run_import

DEMO_DIR = Path(__file__).resolve().parents[3] / "demo"
# The demo's editors' picks for the home page (an editorial choice, so not in the data files).
FEATURED = [
    "miracle-in-cell-no-7-2013",
    "parasite-2019",
    "the-shawshank-redemption-1994",
    "shoplifters-2018",
]


def demo_files() -> list[Path]:
    return sorted(DEMO_DIR.glob("*.jsonl"))


class Command(BaseCommand):
    help = "Load the demo catalog (real films, in Marquee's own format) and rebuild related movies."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the catalog has movies"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # A new database works too: `marquee demo` then `marquee serve` is a whole demo site.
        call_command("migrate", verbosity=0, interactive=False)
        if options["if_empty"] and Movie.objects.exists():
            self.stdout.write("The catalog has movies already; demo not loaded.")
            return
        report = run_import("marquee", Namespace(files=demo_files()))
        Movie.objects.filter(slug__in=FEATURED).update(is_featured=True)
        movies, people = report.tally("movies"), report.tally("people")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo catalog loaded: {movies.created + movies.updated} movies, "
                f"{people.created + people.updated} people."
            )
        )
