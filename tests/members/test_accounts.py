import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.test import Client

from marquee import settings as site_settings
from tests.factories import make_member

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "username": "ji-woo",
    "email": "jiwoo@example.org",
    "display_name": "Ji-woo",
    "password1": "correct horse battery",
    "password2": "correct horse battery",
}


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    cache.clear()


def test_the_site_hashes_passwords_with_argon2() -> None:
    # tests/conftest.py swaps in a fast hasher for the tests; the site's own setting is Argon2.
    assert site_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_a_new_password_is_stored_as_argon2(settings) -> None:
    settings.PASSWORD_HASHERS = site_settings.PASSWORD_HASHERS
    member = make_member()
    assert member.password.startswith("argon2$")


def test_sign_up_makes_the_account_and_profile_and_signs_in(client: Client) -> None:
    response = client.post("/accounts/signup/", SIGN_UP)
    assert response.status_code == 302
    member = User.objects.get(username="ji-woo")
    assert member.profile.display_name == "Ji-woo"
    assert member.profile.is_public is False
    page = client.get("/").content.decode()
    assert "Welcome, Ji-woo" in page
    assert "Sign out" in page


def test_sign_up_explains_what_is_wrong(client: Client) -> None:
    make_member("taken")
    response = client.post(
        "/accounts/signup/", {**SIGN_UP, "username": "taken", "password2": "something else"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "A user with that username already exists." in html
    assert "The two password fields didn’t match." in html
    assert User.objects.filter(username="taken").count() == 1


def test_a_member_signs_in_and_out(client: Client) -> None:
    make_member("minji")
    response = client.post(
        "/accounts/login/", {"username": "minji", "password": "a-long-passphrase"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert client.get("/accounts/logout/").status_code == 405  # GET never signs out
    assert "_auth_user_id" in client.session
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_says_so_without_telling_which_part(client: Client) -> None:
    make_member("minji")
    html = client.post("/accounts/login/", {"username": "minji", "password": "nope"}).content
    assert "That username and password do not match an account." in html.decode()


def test_an_account_is_locked_after_five_failures_even_for_the_right_password(
    client: Client,
) -> None:
    make_member("minji")
    for n in range(5):
        client.post("/accounts/login/", {"username": "minji", "password": f"guess {n}"})
    response = client.post(
        "/accounts/login/", {"username": "minji", "password": "a-long-passphrase"}
    )
    html = response.content.decode()
    assert "Too many failed sign-ins for this account" in html
    assert "or reset your password" in html
    assert "_auth_user_id" not in client.session
    # Another address is locked out of this account too: the limit is per account.
    other = Client(REMOTE_ADDR="10.9.9.9")
    response = other.post("/accounts/login/", {"username": "MINJI", "password": "x"})
    assert "Too many failed sign-ins for this account" in response.content.decode()


def test_other_accounts_still_sign_in_while_one_is_locked(client: Client) -> None:
    make_member("minji")
    make_member("dae")
    for n in range(5):
        client.post("/accounts/login/", {"username": "minji", "password": f"guess {n}"})
    response = client.post("/accounts/login/", {"username": "dae", "password": "a-long-passphrase"})
    assert response.status_code == 302


def test_an_address_is_locked_after_many_failures_across_accounts(client: Client, settings) -> None:
    settings.LOGIN_FAILURES_PER_IP = 8
    make_member("dae")
    for n in range(8):
        client.post("/accounts/login/", {"username": f"someone{n}", "password": "x"})
    response = client.post("/accounts/login/", {"username": "dae", "password": "a-long-passphrase"})
    assert "Too many failed sign-ins from your network" in response.content.decode()
    # The same account from another address is fine.
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert (
        other.post(
            "/accounts/login/", {"username": "dae", "password": "a-long-passphrase"}
        ).status_code
        == 302
    )


def test_a_success_clears_the_account_count(client: Client) -> None:
    make_member("minji")
    for n in range(4):
        client.post("/accounts/login/", {"username": "minji", "password": f"guess {n}"})
    client.post("/accounts/login/", {"username": "minji", "password": "a-long-passphrase"})
    client.post("/accounts/logout/")
    for n in range(4):
        client.post("/accounts/login/", {"username": "minji", "password": f"again {n}"})
    response = client.post(
        "/accounts/login/", {"username": "minji", "password": "a-long-passphrase"}
    )
    assert response.status_code == 302


def test_password_reset_sends_a_working_link(client: Client) -> None:
    member = make_member("minji")
    member.email = "minji@example.org"
    member.save()
    client.post("/accounts/password/reset/", {"email": "minji@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", str(mail.outbox[0].body))
    assert link
    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new phrase", "new_password2": "a brand new phrase"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("a brand new phrase")


def test_a_password_reset_lifts_the_account_lockout(client: Client) -> None:
    member = make_member("minji")
    member.email = "minji@example.org"
    member.save()
    for n in range(5):
        client.post("/accounts/login/", {"username": "minji", "password": f"guess {n}"})
    client.post("/accounts/password/reset/", {"email": "minji@example.org"})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", str(mail.outbox[0].body))
    assert link
    form_page = client.get(link.group(1), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new phrase", "new_password2": "a brand new phrase"},
    )
    response = client.post(
        "/accounts/login/", {"username": "minji", "password": "a brand new phrase"}
    )
    assert response.status_code == 302


def test_password_reset_for_an_unknown_address_looks_the_same(client: Client) -> None:
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_settings_change_the_profile(client: Client) -> None:
    member = make_member("minji")
    client.force_login(member)
    response = client.post(
        "/accounts/settings/",
        {"display_name": "Min-ji", "language": "ko", "is_public": "on", "bio": "Films."},
    )
    assert response.status_code == 302
    member.profile.refresh_from_db()
    assert (member.profile.display_name, member.profile.language) == ("Min-ji", "ko")
    assert member.profile.is_public


def test_a_profile_page_is_public_only_when_chosen(client: Client) -> None:
    member = make_member("minji")
    assert client.get("/members/minji/").status_code == 404
    member.profile.is_public = True
    member.profile.save()
    assert client.get("/members/minji/").status_code == 200
    assert client.get("/members/nobody/").status_code == 404
