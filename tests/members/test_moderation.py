import pytest
from django.contrib.auth.models import Group
from django.test import Client

from marquee.members.models import ModerationAction, ReviewReport
from marquee.reviews.models import Review
from tests.factories import make_member, make_movie, review

pytestmark = pytest.mark.django_db


def moderator_client() -> Client:
    moderator = make_member("mod")
    moderator.groups.add(Group.objects.get(name="moderators"))
    client = Client()
    client.force_login(moderator)
    return client


def test_a_report_reaches_the_queue_and_a_moderator_hides_the_review() -> None:
    movie = make_movie(slug="the-handmaiden-2016")
    bad = review(movie, 2, "Visit my shop.")
    reporter = Client()
    reporter.force_login(make_member("reader"))
    url = f"/movies/the-handmaiden-2016/reviews/{bad.pk}/report/"
    response = reporter.post(url, {"reason": "spam", "note": "An advert."}, follow=True)
    assert "moderators will look" in response.content.decode()
    reporter.post(url, {"reason": "spam"})  # a second report by the same member is not counted
    assert ReviewReport.objects.count() == 1

    moderator = moderator_client()
    queue = moderator.get("/moderation/").content.decode()
    assert "Visit my shop." in queue and "An advert." in queue
    moderator.post(f"/moderation/reviews/{bad.pk}/hide/")
    bad.refresh_from_db()
    movie.refresh_from_db()
    assert not bad.is_published
    assert movie.review_count == 0
    assert ReviewReport.objects.get().resolved_at is not None
    assert "Visit my shop." not in Client().get(movie.get_absolute_url()).content.decode()
    assert "No open reports." in moderator.get("/moderation/").content.decode()

    moderator.post(f"/moderation/reviews/{bad.pk}/restore/")
    assert Review.objects.get(pk=bad.pk).is_published
    kinds = list(ModerationAction.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["hide", "restore"]


def test_dismissing_reports_leaves_the_review_up() -> None:
    movie = make_movie(slug="the-handmaiden-2016")
    fine = review(movie, 9, "A fine review.")
    ReviewReport.objects.create(review=fine, reporter=make_member(), reason="other")
    moderator_client().post(f"/moderation/reviews/{fine.pk}/dismiss/")
    assert Review.objects.get(pk=fine.pk).is_published
    assert ReviewReport.objects.get().resolved_at is not None


def test_an_unknown_action_is_a_404() -> None:
    movie = make_movie(slug="the-handmaiden-2016")
    fine = review(movie, 9, "A fine review.")
    assert moderator_client().post(f"/moderation/reviews/{fine.pk}/delete/").status_code == 404


def test_the_queue_lists_only_reviews_with_open_reports() -> None:
    movie = make_movie(slug="the-handmaiden-2016")
    review(movie, 9, "Never reported.")
    reported = review(movie, 3, "Reported twice.")
    for _ in range(2):
        ReviewReport.objects.create(review=reported, reporter=make_member(), reason="abuse")
    queue = moderator_client().get("/moderation/").content.decode()
    assert "Never reported." not in queue
    assert "Reported twice." in queue and "2 reports" in queue
