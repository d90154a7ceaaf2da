"""A member's data out (Letterboxd-style CSV in a ZIP, and JSON) and a Letterboxd export in."""

import csv
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from marquee.members.models import DiaryEntry, ImportQuestion, ListItem, MovieList, WatchlistEntry
from marquee.reviews.models import Rating, Review
from tests.factories import make_member, make_movie

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client: Client) -> Client:
    client.force_login(make_member("porter"))
    return client


def filled_account(client: Client) -> None:
    host = make_movie(title="The Host", slug="the-host-2006", year=2006)
    make_movie(title="Mother", slug="mother-2009", year=2009)
    client.post("/movies/the-host-2006/review/", {"body": "Monster, family.", "rating": "9"})
    client.post("/movies/mother-2009/rate/", {"score": "7"})
    client.post("/movies/mother-2009/watchlist/", {"action": "add"})
    client.post("/movies/the-host-2006/log/", {"watched_on": "2024-02-03", "rewatch": "on"})
    client.post("/lists/new/", {"name": "Bong", "notes": "Ranked.", "is_public": "on"})
    client.post("/movies/the-host-2006/add-to-list/", {"list": MovieList.objects.get().pk})
    assert host.pk


def read_zip(data: bytes) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: list(csv.reader(io.StringIO(archive.read(name).decode())))
            for name in archive.namelist()
        }


def test_the_csv_export_has_letterboxd_columns(member_client: Client) -> None:
    filled_account(member_client)
    response = member_client.get("/accounts/export/letterboxd.zip")
    assert response["Content-Disposition"] == 'attachment; filename="marquee-export.zip"'
    files = read_zip(response.content)
    assert sorted(files) == [
        "diary.csv", "lists/bong.csv", "ratings.csv", "reviews.csv", "watchlist.csv"
    ]  # fmt: skip
    ratings = files["ratings.csv"]
    assert ratings[0] == ["Date", "Name", "Year", "Letterboxd URI", "Rating"]
    assert sorted((row[1], row[2], row[4]) for row in ratings[1:]) == [
        ("Mother", "2009", "3.5"),
        ("The Host", "2006", "4.5"),
    ]
    assert ratings[1][3].startswith("http://testserver/movies/")
    reviews = files["reviews.csv"]
    assert reviews[0][6] == "Review"
    assert reviews[1][1] == "The Host" and reviews[1][6] == "Monster, family."
    diary = files["diary.csv"]
    assert diary[0][-1] == "Watched Date"
    assert (diary[1][1], diary[1][5], diary[1][7]) == ("The Host", "Yes", "2024-02-03")
    assert files["watchlist.csv"][1][1:3] == ["Mother", "2009"]
    assert files["lists/bong.csv"][0] == ["Letterboxd list export v7"]
    assert files["lists/bong.csv"][5][:3] == ["1", "The Host", "2006"]


def test_the_json_export_holds_everything(member_client: Client) -> None:
    filled_account(member_client)
    data = json.loads(member_client.get("/accounts/export/marquee.json").content)
    assert data["format"] == "marquee-member-export"
    assert data["member"]["username"] == "porter"
    assert {r["film"]["title"]: r["rating"] for r in data["ratings"]} == {
        "The Host": 9,
        "Mother": 7,
    }
    assert data["reviews"][0]["body"] == "Monster, family."
    assert data["watchlist"][0]["film"]["title"] == "Mother"
    assert data["diary"][0]["watched_on"] == "2024-02-03" and data["diary"][0]["rewatch"]
    assert data["lists"][0]["items"][0]["film"]["title"] == "The Host"


def test_an_export_holds_only_the_members_own_data(member_client: Client) -> None:
    movie = make_movie(title="Secret", slug="secret")
    Rating.objects.create(movie=movie, member=make_member("someone-else"), score=3)
    data = json.loads(member_client.get("/accounts/export/marquee.json").content)
    assert data["ratings"] == []


LETTERBOXD_RATINGS = """Date,Name,Year,Letterboxd URI,Rating
2024-01-01,The Host,2006,https://boxd.it/1,4.5
2024-01-02,Memories of Murder,2003,https://boxd.it/2,5
2024-01-03,Unknown Film,1999,https://boxd.it/3,2
"""


def upload(name: str, data: bytes) -> dict[str, SimpleUploadedFile]:
    return {"file": SimpleUploadedFile(name, data)}


def test_a_letterboxd_zip_is_imported_with_ambiguous_rows_queued(member_client: Client) -> None:
    host = make_movie(title="The Host", slug="the-host-2006", year=2006)
    make_movie(title="Memories of Murder", slug="mom-a", year=2003)
    make_movie(title="Memories of Murder", slug="mom-b", year=2003)  # two films, one title
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ratings.csv", LETTERBOXD_RATINGS)
        archive.writestr(
            "watchlist.csv", "Date,Name,Year,Letterboxd URI\n2024-01-01,The Host,2006,x\n"
        )
        archive.writestr(
            "diary.csv",
            "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
            "2024-01-05,The Host,2006,x,4,Yes,,2023-12-31\n",
        )
        archive.writestr(
            "reviews.csv",
            "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date\n"
            "2024-01-05,The Host,2006,x,4.5,,A river monster.,,2023-12-31\n",
        )
    response = member_client.post("/accounts/import/", upload("letterboxd.zip", buffer.getvalue()))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Imported 4 rows." in html
    assert "Unknown Film (1999)" in html
    assert Rating.objects.get(movie=host).score == 9
    assert WatchlistEntry.objects.filter(movie=host).exists()
    entry = DiaryEntry.objects.get()
    assert (str(entry.watched_on), entry.rewatch, entry.rating) == ("2023-12-31", True, 8)
    assert Review.objects.get().body == "A river monster."
    question = ImportQuestion.objects.get()
    assert question.name == "Memories of Murder"
    assert question.candidates.count() == 2
    assert "Which film did you mean?" in html

    chosen = question.candidates.get(slug="mom-b")
    member_client.post(f"/accounts/import/{question.pk}/", {"movie": chosen.pk})
    assert Rating.objects.get(movie=chosen).score == 10
    assert not ImportQuestion.objects.exists()


def test_a_bad_row_stops_the_import_and_names_the_line(member_client: Client) -> None:
    make_movie(title="The Host", slug="the-host-2006", year=2006)
    bad = LETTERBOXD_RATINGS.replace(",5\n", ",7\n")
    response = member_client.post("/accounts/import/", upload("ratings.csv", bad.encode()))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported. ratings.csv:3: rating &#x27;7&#x27; is not 0.5 to 5 stars" in html
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("notes.csv", b"Title,Stars\nx,1\n", "notes.csv:1: not a Letterboxd"),
        ("ratings.csv", b"\xff\xfe\x00", "ratings.csv: not UTF-8 text"),
        ("diary.csv", b"Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
         b"2024-01-01,X,2001,u,,,,yesterday\n", "diary.csv:2: date &#x27;yesterday&#x27;"),
        ("ratings.csv", b"Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,X,MMI,u,3\n",
         "ratings.csv:2: year &#x27;MMI&#x27; is not a year"),
    ],
)  # fmt: skip
def test_files_that_are_not_letterboxd_exports_are_refused(
    member_client: Client, name: str, data: bytes, reason: str
) -> None:
    response = member_client.post("/accounts/import/", upload(name, data))
    assert response.status_code == 400
    assert reason in response.content.decode()


def test_a_question_belongs_to_its_member(member_client: Client) -> None:
    other = make_member("other")
    question = ImportQuestion.objects.create(member=other, kind="rating", name="X", row={})
    assert member_client.post(f"/accounts/import/{question.pk}/", {}).status_code == 404
    assert ImportQuestion.objects.exists()
    assert not ListItem.objects.exists()
