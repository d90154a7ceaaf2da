from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse


def reject_nul_characters(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Answer 400 to a URL with a NUL character in it. No real link has one, and PostgreSQL
    refuses NUL in text, which would turn a probe like ``?q=%00`` into a server error."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any("\x00" in value for value in request.GET.values()):
            raise BadRequest("NUL character in the URL")
        return get_response(request)

    return middleware
