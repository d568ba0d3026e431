"""A copy of our project for the review tests, and what the tests read in it independently.

The copy holds edition.toml, sources/, rules/ and tei/; ``ingest`` and ``collate`` are run once
so that the ledger and the tool's record of its TEI files exist. The tests find the decisions
they overrule in the TEI itself (lxml), never from the ledger's own values alone.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from lxml import etree
from paths import ROOT

from edition.cli import main

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
SINGLE = "posadas-1968-intellectuals"
COLLATED = "woods-2005-bolivia"


def run(root: Path, *args: str):
    return CliRunner().invoke(main, ["-C", str(root), *args])


def copy_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(ROOT / "edition.toml", root)
    for folder in ("sources", "rules", "tei", "templates"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, root / folder)
    for command in ("ingest", "collate"):
        result = run(root, command)
        assert result.exit_code == 0, result.output
    return root


# Caches, not the editor's files: the review's journal, the collation's and the validator's caches
# (``edition validate`` runs in the checks) may change where undo must restore every other file.
CACHES = (".cache/review", ".cache/collate/", ".cache/validate/")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the project but the caches (``CACHES``)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith(CACHES)}


def ledger(root: Path, **filters) -> list[dict]:
    """The decisions ``edition review --json`` lists (``filters``: its options, e.g. kind=...)."""
    result = run(root, "review", "--json", *[f"--{k}={v}" for k, v in filters.items()])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def one(entries: list[dict], **match) -> dict:
    """The one entry whose fields equal ``match`` (fails if none or several)."""
    found = [e for e in entries if all(e[k] == v for k, v in match.items())]
    assert len(found) == 1, (match, found)
    return found[0]


def tei(root: Path, text_id: str):
    return etree.parse(str(root / "tei" / f"{text_id}.xml")).getroot()


def joined_hyphen_line(root: Path) -> int:
    """A witness line whose line-end hyphen the TEI joined (a ``<lb break="no">`` after no '-')."""
    for lb in tei(root, SINGLE).iter(f"{TEI}lb"):
        if lb.get("break") == "no" and lb.get("cert") is None:
            before = lb.getprevious()
            text = (before.tail if before is not None else lb.getparent().text) or ""
            if text and text[-1].isalpha() and int(lb.get("n")) > 500:
                return int(lb.get("n")) - 1
    raise AssertionError("no joined hyphen in the TEI")


def uncertain_note_ref(root: Path):
    """The reference the TEI links with cert="low": (its witness line, the note it links)."""
    ref = next(r for r in tei(root, SINGLE).iter(f"{TEI}ref") if r.get("type") == "noteref" and r.get("cert") == "low")
    lb = [e for e in ref.itersiblings(preceding=True) if e.tag == f"{TEI}lb"][0]
    return int(lb.get("n")), ref.get("target")


def orthographic_app(root: Path):
    """The first app the TEI types orthographic: its xml:id."""
    return next(a.get(XML_ID) for a in tei(root, COLLATED).iter(f"{TEI}app") if a.get("type") == "orthographic")
