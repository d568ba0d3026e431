"""The witnesses in sources/ are byte-identical copies, listed with their sha256; the TEI the tools wrote carries its record."""

import csv
import hashlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "sources" / "MANIFEST.tsv"
SHARED = ROOT.parent / "shared" / "witnesses"


def manifest_rows():
    with MANIFEST.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_manifest_lists_every_source():
    listed = {row["file"] for row in manifest_rows()}
    present = {p.name for p in (ROOT / "sources").glob("*.txt")}
    assert listed == present
    assert len(listed) == 5


@pytest.mark.parametrize("row", manifest_rows(), ids=lambda r: r["file"])
def test_source_matches_its_checksum(row):
    data = (ROOT / "sources" / row["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == row["sha256"], f"sources/{row['file']} was changed"
    assert row["what it is"].strip()


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/witnesses is not beside the checkout")
@pytest.mark.parametrize("row", manifest_rows(), ids=lambda r: r["file"])
def test_source_is_a_copy_of_the_shared_witness(row):
    assert (ROOT / "sources" / row["file"]).read_bytes() == (SHARED / row["file"]).read_bytes()


def test_the_tool_written_tei_travels_with_its_record():
    """Every file in tei/ is as ``ingest``/``collate`` wrote it, and the record that says so
    (``tei/.edition-written.json``) is in the checkout: without it a fresh clone would take each
    file for an editor's, and the first overrule from ``edition review`` would be refused (E160)."""
    import json

    tei = ROOT / "tei"
    record = json.loads((tei / ".edition-written.json").read_text(encoding="utf-8"))
    files = sorted(p.name for p in tei.glob("*.xml"))
    assert sorted(record) == files
    for name in files:
        assert record[name] == hashlib.sha256((tei / name).read_bytes()).hexdigest(), name
