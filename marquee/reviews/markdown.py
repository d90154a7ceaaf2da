"""Members' Markdown turned into HTML that is safe to put on a page.

Two layers: markdown-it renders with raw HTML switched off (a ``<script>`` in the source comes
out as text), then nh3 (the Ammonia sanitizer) keeps only the tags and attributes below. Links
keep only http(s) and mailto addresses and get ``rel="nofollow ugc"``; with ``links=False`` the
``a`` element is dropped and its text stays.
"""

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

TEXT_TAGS = {
    "p", "br", "em", "strong", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "hr", "h3", "h4", "h5", "h6",
}  # fmt: skip
URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "commonmark" with html off; linkify stays off so bare text never becomes a link.
    parser = MarkdownIt("commonmark", {"html": False})
    # Members' headings sit inside a review: demote them below the page's own h2/h3.
    parser.disable(["heading", "lheading", "image"])
    return parser


def render_markdown(source: str, *, links: bool = True) -> SafeString:
    html = _parser().render(source)
    tags = TEXT_TAGS | {"a"} if links else TEXT_TAGS
    clean = nh3.clean(
        html,
        tags=tags,
        attributes={"a": {"href"}} if links else {},
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener" if links else None,
        strip_comments=True,
    )
    return mark_safe(clean)  # sanitized by nh3 just above
