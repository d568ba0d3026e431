"""The review page's HTML, from ``templates/review.html`` (an editor's ``templates/`` is not used:
the page is the tool's, not the edition's).

In: the decisions to show (each with its ``edited`` context), the CSRF token, the query and the
text ids. Out: the page as a string (Jinja2, autoescaped; each decision from
``templates/review_entry.html``, kept for as long as it is the same).
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from urllib.parse import urlencode

from edition.ledger import KINDS
from edition.resources import templates_dir


@lru_cache(maxsize=2)
def _template(name: str = "review.html"):
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(templates_dir())), autoescape=select_autoescape(["html"]))
    return env.get_template(name)


# Each decision's <li>, by the decision as shown (``review_entry.html``): after an overrule the
# page is asked for again and only the decisions that changed are made again (a book's page
# lists thousands; made whole it took half a second).
_ITEMS: dict[str, object] = {}
_ITEMS_MAX = 50_000


def _items(entries: list[dict]) -> list:
    from markupsafe import Markup

    template = _template("review_entry.html")
    made = []
    for entry in entries:
        key = _ENCODE(entry)
        item = _ITEMS.get(key)
        if item is None:
            if len(_ITEMS) >= _ITEMS_MAX:
                _ITEMS.clear()
            item = _ITEMS[key] = Markup(template.render(d=entry, choice_label=choice_label))
        made.append(item)
    return made


_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str).encode


# What each value of an overrule does, as the page's menu says it (a value not listed is shown as is).
CHOICE_LABELS = {
    "paragraph": {"break": "break: a new paragraph begins here", "continue": "continue: the paragraph runs on"},
    "heading": {"0": "0: not a heading (a paragraph)", "1": "1: a heading of a division of the part",
                "2": "2: a heading inside the last of level 1", "3": "3: a heading inside the last of level 2"},
    "unit": {"split": "split: into the pieces [merge] joined", "merge": "merge: with the next unit"},
}


def choice_label(kind: str, value: str) -> str:
    """The menu's label for one value of an overrule."""
    if kind == "page-break":
        return f"line {value}"
    return CHOICE_LABELS.get(kind, {}).get(value, value)


def render_page(entries: list[dict], token: str, query: dict, texts: list[str]) -> str:
    """The page for these decisions."""
    counts = Counter(d["kind"] for d in entries)

    def link(**change) -> str:
        params = {**{k: v for k, v in query.items() if k in ("kind", "text", "uncertain")}, **change}
        params = {k: v for k, v in params.items() if v}
        return "/review" + ("?" + urlencode(params) if params else "")

    kinds = [(k, counts[k]) for k in KINDS if counts[k] or query.get("kind") == k]
    return _template().render(entries=entries, items=_items(entries), token=token, query=query, texts=texts,
                              kinds=kinds, link=link,
                              unreviewed=sum(1 for d in entries if d["review"] == "unreviewed"))
