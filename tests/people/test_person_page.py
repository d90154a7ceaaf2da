import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from marquee.people.merge import merge_people
from marquee.people.models import Credit, Person
from tests.factories import cast, crew, make_movie, make_person

pytestmark = pytest.mark.django_db


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_it_groups_the_filmography_by_role_newest_first(client: Client) -> None:
    person = make_person(name="Clint Eastwood", slug="clint-eastwood", birth_date="1930-05-31")
    cast(make_movie(title="Escape from Alcatraz", year=1979), person, "Frank Morris")
    cast(make_movie(title="Gran Torino", year=2008), person, "Walt Kowalski")
    crew(make_movie(title="Changeling", year=2008), person)
    html = client.get("/people/clint-eastwood/").content.decode()
    acting = html.index(">Acting <")
    assert html.index("Gran Torino", acting) < html.index("Escape from Alcatraz", acting)
    assert ">Director <" in html
    assert "as Walt Kowalski" in html
    assert "31 May 1930" in html
    data = [json.loads(b) for b in re.findall(r'ld\+json">(.*?)</script>', html, re.S)]
    assert any(doc["@type"] == "Person" and doc["birthDate"] == "1930-05-31" for doc in data)


def test_it_runs_fixed_queries_whatever_the_number_of_credits(client: Client) -> None:
    person = make_person(name="Busy Actor", slug="busy-actor")
    cast(make_movie(), person)
    few = queries(client, "/people/busy-actor/")
    for _ in range(50):
        cast(make_movie(), person, order=3)
        crew(make_movie(), person, job="Producer", department="Production")
    assert queries(client, "/people/busy-actor/") == few


def test_the_people_list_runs_fixed_queries(client: Client) -> None:
    make_person()
    few = queries(client, "/people/")
    for _ in range(80):
        make_person()
    assert queries(client, "/people/") == few
    assert queries(client, "/people/?page=2") == few
    assert client.get("/people/?page=abc").status_code == 200


def test_merging_moves_credits_and_redirects(client: Client) -> None:
    keep = make_person(name="Ryu Seung-ryong", slug="ryu-seung-ryong")
    duplicate = make_person(
        name="Seung-ryong Ryu", slug="seung-ryong-ryu", imdb_id="nm1234567", birth_date="1970-11-29"
    )
    cast(make_movie(title="Extreme Job"), duplicate)
    cast(make_movie(title="Masquerade"), keep)
    assert merge_people(keep, [keep, duplicate]) == 1
    keep.refresh_from_db()
    assert not Person.objects.filter(slug="seung-ryong-ryu").exists()
    assert Credit.objects.filter(person=keep).count() == 2
    assert keep.imdb_id == "nm1234567"
    assert str(keep.birth_date) == "1970-11-29"
    response = client.get("/people/seung-ryong-ryu/")
    assert response.status_code == 301
    assert response["Location"] == "/people/ryu-seung-ryong/"


def test_merging_from_the_admin(admin_client: Client) -> None:
    keep = make_person(name="Oh Dal-su", slug="oh-dal-su")
    other = make_person(name="Dal-su Oh", slug="dal-su-oh")
    cast(make_movie(), other)
    changelist = "/admin/people/person/"
    ids = [str(keep.pk), str(other.pk)]
    confirm = admin_client.post(changelist, {"action": "merge", "_selected_action": ids})
    assert confirm.status_code == 200
    assert b"Credits of every selected person move" in confirm.content
    done = admin_client.post(
        changelist, {"action": "merge", "_selected_action": ids, "keep": str(keep.pk)}
    )
    assert done.status_code == 302
    assert list(Person.objects.values_list("slug", flat=True)) == ["oh-dal-su"]
    assert Credit.objects.get().person == keep


def test_a_prolific_person_shows_the_newest_credits_and_links_to_the_rest(client: Client) -> None:
    person = make_person(name="Busy Voice", slug="busy-voice")
    for year in range(1950, 2010):
        cast(make_movie(title=f"Cartoon {year}", year=year), person, "Narrator")
    crew(make_movie(title="Own Film", year=1999), person)
    html = client.get("/people/busy-voice/").content.decode()
    assert html.count("as Narrator") == 50
    assert "Cartoon 2009" in html and "Cartoon 1960" in html and "Cartoon 1959" not in html
    assert 'href="/people/busy-voice/acting/">All 60 acting credits' in html
    assert "Own Film" in html
    assert "All 1 director" not in html
    everything = client.get("/people/busy-voice/acting/").content.decode()
    assert everything.count("as Narrator") == 60
    assert everything.index("Cartoon 2009") < everything.index("Cartoon 1950")
    assert client.get("/people/busy-voice/director/").status_code == 200
    assert client.get("/people/busy-voice/producer/").status_code == 404
