"""The real IMDb sample in ../shared/data (every title of one person and every name on them)."""

from __future__ import annotations

from argparse import Namespace

import pytest

from marquee.catalog.models import AlternateTitle, Movie, MovieGenre
from marquee.ingest.imdb.reader import DEFAULT_TYPES
from marquee.ingest.models import ExternalRating, MovieSource
from marquee.ingest.run import run_import
from marquee.people.models import Credit, Person
from tests.conftest import SHARED_DATA

SAMPLE = SHARED_DATA / "imdb-sample"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (SAMPLE / "title.basics.tsv").exists(),
        reason=f"the real IMDb sample is not at {SAMPLE} (see its README in ../shared/data)",
    ),
]


def test_the_real_sample_imports_cleanly_and_twice_the_same() -> None:
    options = Namespace(directory=SAMPLE, types=frozenset(DEFAULT_TYPES), include_adult=False)
    report = run_import("imdb", options, related=False)

    # 75 titles, of which 9 are movies (no TV films); the rest are episodes, shorts, series.
    assert Movie.objects.count() == 9
    assert MovieSource.objects.filter(source="imdb").count() == 9
    assert ExternalRating.objects.filter(source="imdb").count() == 4
    assert MovieGenre.objects.count() == 19
    assert Person.objects.count() == 53
    assert Credit.objects.count() == 83
    assert AlternateTitle.objects.count() == 16
    assert report.problem_count == 0
    # title.crew names four writers and directors that name.basics lacks (one of them twice).
    assert dict(report.dangling) == {"credits of names absent from name.basics": 5}
    t = report.tallies["movies"]
    assert (t.read, t.created, dict(t.skipped)) == (75, 9, {"other title type": 66})
    assert Movie.objects.filter(slug="wyrmwood-road-of-the-dead-2014", imdb_id="tt2535470").exists()
    # Every film has its principal credits; every person is credited.
    assert not Movie.objects.filter(credits=None).exists()
    assert not Person.objects.filter(credits=None).exists()

    again = run_import("imdb", options, related=False)
    assert not again.changed_anything()
    assert again.tallies["credits"].unchanged == 83
