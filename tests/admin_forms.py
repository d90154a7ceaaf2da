"""Posting an admin change form as an editor's browser would: every field as the page shows it,
with the editor's changes on top."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from django.http import HttpResponse
from django.test import Client


class FormValues(HTMLParser):
    """The values a browser would submit from the page's forms (text, hidden, checked boxes,
    selected options, text areas); file inputs and buttons are left out."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("file", "submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if kind == "checkbox" else ""
            self.values.setdefault(name, []).append(a.get("value", default))
        elif tag == "select" and name:
            self.select = name
            self.values.setdefault(name, [])
        elif tag == "option" and self.select is not None and "selected" in a:
            self.values[self.select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self.values[name] = [""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            text = self.values[self.textarea]
            # A browser drops the newline that opens a text area's content.
            text[0] += data if text[0] else data.removeprefix("\n")


def post_change_form(client: Client, url: str, **changes: Any) -> HttpResponse:
    """GET the change form at ``url``, then POST it back with ``changes``."""
    page = FormValues()
    page.feed(client.get(url).content.decode())
    data: dict[str, Any] = dict(page.values)
    data.update({name: [str(value)] for name, value in changes.items()})
    data["_save"] = ["Save"]
    return client.post(url, data)  # type: ignore[return-value]


def form_values(client: Client, url: str) -> dict[str, list[str]]:
    page = FormValues()
    page.feed(client.get(url).content.decode())
    return page.values


def inline_row(values: dict[str, list[str]], field: str, value: object) -> str:
    """The prefix of the inline row whose ``field`` shows ``value``, as "credits-2-"."""
    for name, shown in values.items():
        if name.endswith(f"-{field}") and "__prefix__" not in name and shown == [str(value)]:
            return name.removesuffix(field)
    raise LookupError(f"no inline row with {field} = {value}")
