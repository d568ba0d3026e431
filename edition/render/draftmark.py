"""The draft mark of a web page (``edition.build.draft`` puts it on), found and taken off.

In: a page's HTML. Out: the page without the marks a draft build put on it (the ``noindex``
meta element and the banner, each between ``<!-- edition:draft -->`` comments). For a page
made by our templates this is the page as its renderer wrote it, byte for byte, which is what
lets a draft build keep a text's pages (``edition.render.sitetext.Records``) rather than make
them again each time; for any other page the worst case is a page made again.
"""

from __future__ import annotations

import re

HTML_MARK = re.compile(r"<!-- edition:draft -->.*?<!-- /edition:draft -->\n?", re.DOTALL)


def unmarked(page: str) -> str:
    """The page without its draft marks."""
    return HTML_MARK.sub("", page)
