import sys
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from marquee.ingest.tmdb import fetch


class Command(BaseCommand):
    help = (
        "Download data from a source's API into files `marquee import` reads. Example: "
        "marquee fetch tmdb --api-key KEY --ids ids.txt --output movies.jsonl"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sources = parser.add_subparsers(dest="source", required=True, metavar="SOURCE")
        tmdb = sources.add_parser(
            "tmdb",
            help="movie objects from TMDB's API v3, with credits, keywords, release dates, "
            "alternative titles and external ids",
        )
        tmdb.add_argument("--api-key", required=True, help="a TMDB API key or read access token")
        which = tmdb.add_mutually_exclusive_group(required=True)
        which.add_argument("--ids", type=Path, help="a file of TMDB movie ids, one a line")
        which.add_argument(
            "--changes", action="store_true", help="the movies TMDB changed since --since"
        )
        tmdb.add_argument(
            "--since",
            type=date.fromisoformat,
            help="with --changes: the first day, YYYY-MM-DD (default: yesterday)",
        )
        tmdb.add_argument(
            "--output",
            type=Path,
            required=True,
            help="the JSON Lines file to append to; a stopped run continues where it stopped",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        client = fetch.Client(options["api_key"])
        output: Path = options["output"]
        try:
            if options["changes"]:
                since = options["since"] or fetch.default_since()
                ids = client.changed_ids(since, date.today())
            else:
                if not options["ids"].is_file():
                    raise CommandError(f"{options['ids']}: no such file")
                ids = fetch.read_ids(options["ids"])
            tally = fetch.fetch(client, ids, output, log=sys.stderr)
        except fetch.FetchError as error:
            raise CommandError(f"{error}\nWhat was fetched is kept; run again to go on.") from None
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Fetched {tally.fetched:,} movies into {output} ({tally.skipped:,} there "
                f"already, {tally.missing:,} gone from TMDB, {tally.retries:,} retries, "
                f"{tally.waited:.0f} s waited at TMDB's request)."
            )
        )
