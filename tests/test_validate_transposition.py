"""E306 "identical readings" is for an entry that records no difference, not for readings whose
difference is one of order or place (issue 14): ``cause="transposition"``, a sequence
(``@varSeq``), a dependency (``@require``), a unit another unit points to. Readings that are
the same and declare nothing else are still E306."""

from __future__ import annotations

import pytest
from test_validate_rules import WITS, codes, schema, tei  # noqa: F401  (the module's fixture)

SAME = '<lem wit="#A">alpha beta</lem><rdg wit="#B #C">alpha beta</rdg>'


@pytest.mark.parametrize("app", [
    f'<app type="transposition">{SAME}</app>',
    '<app><lem wit="#A">alpha beta</lem><rdg wit="#B #C" cause="transposition">alpha beta</rdg></app>',
    '<app><lem wit="#A" varSeq="1">alpha beta</lem><rdg wit="#B #C" varSeq="2">alpha beta</rdg></app>',
    '<app><lem wit="#A" xml:id="l1" require="#r2">alpha beta</lem><rdg wit="#B #C">alpha beta</rdg></app>',
    (f'<app xml:id="u1">{SAME}</app> <app><lem wit="#A"><ref target="#u1">here</ref></lem>'
     '<rdg wit="#B #C">there</rdg></app>'),
], ids=["type", "cause", "varSeq", "require", "pointed-to"])
def test_a_difference_of_order_is_not_identical(tmp_path, schema, app):  # noqa: F811
    assert "E306" not in codes(tmp_path, schema, tei(f"<p>{app}</p>", src=WITS))


def test_same_readings_that_declare_nothing_are_still_identical(tmp_path, schema):  # noqa: F811
    assert "E306" in codes(tmp_path, schema, tei(f"<p><app>{SAME}</app></p>", src=WITS))
