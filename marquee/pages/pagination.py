"""Pagination that stays cheap on a catalog of millions.

Django's Paginator counts every match, which reads a whole index range on each page view. Here
the count stops at COUNT_LIMIT: past it a list says "more than 10,000" and offers next and
previous only, up to the page just past that limit. Rows are found as ids first (an
index-only read), then loaded by primary key.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet

COUNT_LIMIT = 10_000


class CappedPage:
    """One page, with the names Django's ``Page`` offers templates, plus ``problem``: a note
    for the visitor when the requested page did not exist and another one is shown."""

    def __init__(
        self,
        ids: QuerySet[Any],
        number: int,
        per_page: int,
        load: Callable[[list[Any]], dict[Any, Any]],
        *,
        count: bool = True,
        count_ids: QuerySet[Any] | None = None,
    ) -> None:
        """``count=False`` skips the count for lists whose matches are found by checking rows
        one by one: counting a rare combination would read every candidate row, while a page
        reads only until it is full. Such a page says no total (``count`` is None).

        ``count_ids`` is the query to count instead of ``ids`` unordered, for a list that
        knows which index counts its matches without reading table rows."""
        self.count: int | None = None
        if count:
            to_count = ids.order_by() if count_ids is None else count_ids  # order no matter
            counted = to_count[: COUNT_LIMIT + 1].count()
            self.is_capped = counted > COUNT_LIMIT
            self.count = min(counted, COUNT_LIMIT)
        else:
            self.is_capped = True
        last_page = max(1, math.ceil((self.count or 0) / per_page))
        self.num_pages: int | None = None if self.is_capped else last_page
        self.problem = ""
        if not self.is_capped and number > last_page:
            self.problem = f"There are only {last_page} pages; showing the last."
            number = last_page
        # Past the counted range a page costs an index walk as long as its offset (page 40,000
        # of a million-film list reads 960,000 entries): paging stops just after it.
        deepest = math.ceil(COUNT_LIMIT / per_page) + 1
        if self.is_capped and number > deepest:
            self.problem = (
                f"Lists stop at page {deepest:,}; a filter or another sort order reaches the rest."
            )
            number = deepest
        self.number = number
        start = (number - 1) * per_page
        page_ids = list(ids[start : start + per_page + 1])
        self._has_next = len(page_ids) > per_page and not (self.is_capped and number == deepest)
        page_ids = page_ids[:per_page]
        rows = load(page_ids)
        self.object_list: Sequence[Any] = [rows[pk] for pk in page_ids if pk in rows]
        if not self.object_list and number > 1:
            self.problem = f"Page {number} is past the end of this list."

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(raw: str) -> int | None:
    """A positive page number from a query parameter, or None when it is not one."""
    return int(raw) if raw.isdigit() and 0 < int(raw) < 10**9 else None
