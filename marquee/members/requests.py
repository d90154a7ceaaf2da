from django.contrib.auth.models import User
from django.http import HttpRequest


class MemberRequest(HttpRequest):
    """The request a ``login_required`` view receives: its user is a signed-in member."""

    user: User
