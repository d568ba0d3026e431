"""The collation's cache (``edition.collate.cache``): an overrule that changes no input of the
alignment reads the witnesses' alignment from the cache, and the TEI is the same bytes as a full
collation without any cache writes."""

from __future__ import annotations

import shutil

import pytest
from review_project import COLLATED, TEI, copy_project, orthographic_app, run, tei

from edition import review
from edition.collate import cache as collate_cache
from edition.collate import run as collate_run
from edition.project import load_project


@pytest.fixture()
def root(tmp_path):
    return copy_project(tmp_path)


def cached(root) -> list[str]:
    return sorted(p.name for p in (root / collate_cache.FOLDER).glob(f"{COLLATED}-*.pickle"))


def test_a_type_overrule_is_collated_from_the_cache_and_gives_the_full_collations_bytes(root, monkeypatch):
    assert len(cached(root)) == 1              # the collate of copy_project kept its alignment
    app_id = orthographic_app(root)
    ident = next(d["id"] for d in review.listing(load_project(root), "variant-type", text_id=COLLATED)
                 if d["target"] == app_id)

    def no_alignment(*args, **kwargs):
        raise AssertionError("the witnesses were read and aligned again")

    with monkeypatch.context() as patched:       # the overrule must not align: it finds the alignment kept
        patched.setattr(collate_run, "collate_witnesses", no_alignment)
        review.overrule(load_project(root), ident, "substantive", echo=lambda _: None)
    fast = (root / "tei" / f"{COLLATED}.xml").read_bytes()
    app = next(a for a in tei(root, COLLATED).iter(f"{TEI}app") if a.get("{http://www.w3.org/XML/1998/namespace}id") == app_id)
    assert (app.get("type"), app.get("resp")) == ("substantive", "#ed")
    assert len(cached(root)) == 1

    # the full collation, from nothing kept: the same bytes
    shutil.rmtree(root / collate_cache.FOLDER)
    assert run(root, "collate", "--check").exit_code == 0
    assert run(root, "collate", COLLATED).exit_code == 0
    assert (root / "tei" / f"{COLLATED}.xml").read_bytes() == fast


def test_the_key_changes_with_every_input_of_the_alignment(root):
    project = load_project(root)
    text = project.text(COLLATED)
    crules = collate_run.load_collation_rules(project.rules_dir)
    trules = collate_run.load_text_rules(text.rules)
    texts = [(w.siglum, w.source, w.source.read_text(encoding="utf-8")) for w in text.witnesses]
    key = collate_cache.key(texts, crules, trules, None)
    assert collate_cache.key(texts, crules, trules, None) == key
    edited = [(texts[0][0], texts[0][1], texts[0][2].replace("the", "teh", 1)), *texts[1:]]
    assert collate_cache.key(edited, crules, trules, None) != key
    assert collate_cache.key(texts, crules, trules, {(3, 0): "merge"}) != key
    crules.data = {**crules.data, "tokens": {"word": r"\w+"}}
    assert collate_cache.key(texts, crules, trules, None) != key
    # a unit's type, an accept or an emendation is not an input of the alignment: the same key
    trules.data = {**trules.data, "overrule": [{"id": "variant-type-0", "value": "case"}]}
    crules.data = collate_run.load_collation_rules(project.rules_dir).data
    assert collate_cache.key(texts, crules, trules, None) == key


def test_an_unreadable_entry_is_made_again(root):
    for path in (root / collate_cache.FOLDER).glob(f"{COLLATED}-*.pickle"):
        path.write_bytes(b"not a pickle")
    before = (root / "tei" / f"{COLLATED}.xml").read_bytes()
    assert run(root, "collate", COLLATED).exit_code == 0
    assert (root / "tei" / f"{COLLATED}.xml").read_bytes() == before
    assert run(root, "collate", "--check").exit_code == 0
