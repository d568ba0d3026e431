"""The static DTS 1.0 API in build/html/dts/: response shapes, and a client that walks it.

The JSON Schemas below are the shapes we document in docs/dts.md, written from the DTS 1.0
specification's tables (required properties and their types). A test client, given only the
entry point's URL, follows the URI templates it is handed, over HTTP from a local static
server, down to one paragraph's TEI, and compares it with the TEI file.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from cite_fixture import build_outputs, make_project
from lxml import etree

from edition.tei.xmlio import XML_ID

jsonschema = pytest.importorskip("jsonschema")

CONTEXT = "https://dtsapi.org/context/v1.0.json"
TEI = "http://www.tei-c.org/ns/1.0"
DTS = "https://w3id.org/api/dts#"
URL = {"type": "string", "pattern": r"^https?://\S+$"}
TEMPLATE = {"type": "string", "pattern": r"^https?://\S+$"}
METADATA = {"type": "object", "additionalProperties": {
    "anyOf": [{"type": ["string", "number", "boolean"]},
              {"type": "array", "items": {"anyOf": [
                  {"type": "string"},
                  {"type": "object", "required": ["lang", "value"],
                   "properties": {"lang": {"type": "string"}, "value": {"type": "string"}},
                   "additionalProperties": False}]}}]}}
DEFS = {
    "CiteStructure": {"type": "object", "required": ["citeType"], "properties": {
        "@type": {"const": "CiteStructure"}, "citeType": {"type": "string", "minLength": 1},
        "citeStructure": {"type": "array", "items": {"$ref": "#/$defs/CiteStructure"}}}},
    "CitationTree": {"type": "object", "required": ["@type"], "properties": {
        "@type": {"const": "CitationTree"}, "identifier": {"type": "string"},
        "citeStructure": {"type": "array", "items": {"$ref": "#/$defs/CiteStructure"}}}},
    "Resource": {"type": "object", "required": [
        "@id", "@type", "title", "totalParents", "totalChildren", "collection", "navigation",
        "document", "citationTrees"], "properties": {
        "@id": {"type": "string", "minLength": 1}, "@type": {"const": "Resource"},
        "title": {"type": "string", "minLength": 1},
        "totalParents": {"type": "integer", "minimum": 0}, "totalChildren": {"type": "integer", "minimum": 0},
        "collection": TEMPLATE, "navigation": TEMPLATE, "document": TEMPLATE,
        "download": {"anyOf": [URL, {"type": "object", "additionalProperties": URL}]},
        "mediaTypes": {"type": "array", "items": {"type": "string"}},
        "dublinCore": METADATA,
        "citationTrees": {"type": "array", "items": {"$ref": "#/$defs/CitationTree"}}}},
    "CitableUnit": {"type": "object", "required": ["identifier", "@type", "level", "parent"], "properties": {
        "identifier": {"type": "string", "minLength": 1}, "@type": {"const": "CitableUnit"},
        "level": {"type": "integer", "minimum": 1}, "parent": {"type": ["string", "null"]},
        "@id": URL, "citeType": {"type": "string"}, "dublinCore": METADATA}},
}
TOP = {"@context": {"const": CONTEXT}, "dtsVersion": {"const": "1.0"}}
SCHEMAS = {
    "EntryPoint": {"type": "object", "required": ["@context", "dtsVersion", "@id", "@type", "collection",
                                                  "navigation", "document"],
                   "properties": {**TOP, "@id": URL, "@type": {"const": "EntryPoint"},
                                  "collection": TEMPLATE, "navigation": TEMPLATE, "document": TEMPLATE}},
    "Collection": {"type": "object", "required": ["@context", "dtsVersion", "@id", "@type", "title",
                                                  "totalParents", "totalChildren", "collection"],
                   "properties": {**TOP, "@type": {"const": "Collection"}, "title": {"type": "string"},
                                  "totalParents": {"type": "integer"}, "totalChildren": {"type": "integer"},
                                  "collection": TEMPLATE, "dublinCore": METADATA,
                                  "member": {"type": "array", "items": {"$ref": "#/$defs/Resource"}}}},
    "Resource": {"allOf": [{"$ref": "#/$defs/Resource"}, {"type": "object", "required": ["@context", "dtsVersion"],
                                                           "properties": TOP}]},
    "Navigation": {"type": "object", "required": ["@context", "dtsVersion", "@type", "@id", "resource"],
                   "properties": {**TOP, "@type": {"const": "Navigation"}, "@id": URL,
                                  "resource": {"$ref": "#/$defs/Resource"},
                                  "ref": {"$ref": "#/$defs/CitableUnit"},
                                  "member": {"type": "array", "items": {"$ref": "#/$defs/CitableUnit"}}}},
}


def validate(data: dict) -> None:
    """Validate a DTS response against the shape of its ``@type``."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": DEFS, **SCHEMAS[data["@type"]]}
    jsonschema.Draft202012Validator(schema).validate(data)


def expand(template: str, **values) -> str:
    """RFC 6570 expansion of the operators DTS uses: ``{x}``, ``{/x,y}``, ``{;x}``, ``{?x,y}``, ``{&x}``."""
    def one(match):
        op, names = (match.group(1)[0], match.group(1)[1:]) if match.group(1)[0] in "/;?&" else ("", match.group(1))
        parts = []
        for name in names.split(","):
            if values.get(name) is None:
                continue
            value = urllib.parse.quote(str(values[name]), safe="")
            parts.append(f"{name}={value}" if op in ";?&" else value)
        if not parts:
            return ""
        joiner = {"/": "/", ";": ";", "?": "&", "&": "&", "": ","}[op]
        return {"": "", "/": "/", ";": ";", "?": "?", "&": "&"}[op] + joiner.join(parts)
    return re.sub(r"\{([^}]+)\}", one, template)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The fixture edition built (HTML) with base_url = a local static server of its build/."""
    root = tmp_path_factory.mktemp("dts") / "ed"
    build_dir = root / "build"
    handler = functools.partial(_QuietHandler, directory=str(build_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    make_project(root, base_url=base)
    build_outputs(root, ["html"], force=True)
    yield root, base
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # only 127.0.0.1 (the fixture's server)
        assert response.status == 200
        return response.read()


def get_json(url: str) -> dict:
    data = json.loads(get(url))
    validate(data)
    return data


def test_every_response_file_has_its_documented_shape(served):
    root, _ = served
    files = sorted((root / "build/html/dts").rglob("*.json"))
    assert len(files) > 20
    types = set()
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        validate(data)
        types.add(data["@type"])
    assert types == {"EntryPoint", "Collection", "Resource", "Navigation"}


def test_shapes_refuse_what_dts_forbids():
    bad_unit = {"identifier": "q1", "@type": "CitableUnit", "level": 0, "parent": None}
    with pytest.raises(jsonschema.ValidationError):
        validate({"@context": CONTEXT, "dtsVersion": "1.0", "@type": "Navigation", "@id": "http://x/",
                  "resource": {"@id": "t"}, "member": [bad_unit]})
    with pytest.raises(jsonschema.ValidationError):
        validate({"@context": CONTEXT, "dtsVersion": "0.9", "@id": "http://x/", "@type": "EntryPoint",
                  "collection": "http://x/c", "navigation": "http://x/n", "document": "http://x/d"})


def test_a_client_walks_from_the_entry_point_to_a_paragraphs_tei(served):
    root, base = served
    tei = etree.parse(str(root / "tei/alpha-letter.xml"))
    target = tei.find(f".//{{{TEI}}}p[@{{http://www.w3.org/XML/1998/namespace}}id='q2.p2']")
    division = target.getparent().get(XML_ID)

    entry = get_json(base + "html/dts/index.json")
    assert entry["@type"] == "EntryPoint"
    edition = get_json(expand(entry["collection"]))
    assert edition["totalChildren"] == len(edition["member"]) == len(list((root / "tei").glob("*.xml")))
    text = next(m for m in edition["member"] if m["@id"] == "alpha-letter")
    text = get_json(expand(text["collection"]))                  # the Resource's own answer
    top = get_json(expand(text["navigation"], down=1))
    assert division in [u["identifier"] for u in top["member"]]
    inside = get_json(expand(text["navigation"], ref=division, down=1))
    assert inside["ref"]["identifier"] == division
    unit = next(u for u in inside["member"] if u["identifier"] == "q2.p2")
    assert unit["citeType"] == "paragraph" and unit["parent"] == division
    assert unit["@id"] == base + "html/alpha-letter.html#q2.p2"
    alone = get_json(expand(text["navigation"], ref=unit["identifier"]))
    assert alone["ref"] == unit and "member" not in alone

    passage = etree.fromstring(get(expand(text["document"], ref=unit["identifier"])))
    assert passage.tag == f"{{{TEI}}}TEI"
    wrapped = passage.find(f"{{{DTS}}}wrapper")
    assert wrapped is not None and len(wrapped) == 1
    got = wrapped[0]
    assert got.tag == target.tag and got.get(XML_ID) == "q2.p2"
    assert "".join(got.itertext()) == "".join(target.itertext())
    whole = etree.fromstring(get(expand(text["document"])))
    assert whole.find(f".//{{{TEI}}}p[@{{http://www.w3.org/XML/1998/namespace}}id='q2.p2']") is not None


def _citable_ids(tei_path: Path) -> set[str]:
    """What our conventions make citable: ids of divisions, blocks, apps, notes and notes' paragraphs."""
    tree = etree.parse(str(tei_path))
    ids = set()
    for el in tree.iterfind(f".//{{{TEI}}}text//*"):
        name = etree.QName(el).localname
        if el.get(XML_ID) and name in {"div", "p", "head", "list", "table", "lg", "ab", "app", "note"}:
            in_note = el.xpath("ancestor::tei:note", namespaces={"tei": TEI})
            if name != "note" and in_note and not (name == "p" and etree.QName(el.getparent()).localname == "note"):
                continue
            ids.add(el.get(XML_ID))
    return ids


@pytest.mark.parametrize("text_id", ["alpha-letter", "beta-collated"])
def test_full_navigation_is_the_texts_citation_tree(served, text_id):
    root, base = served
    entry = json.loads((root / "build/html/dts/index.json").read_text(encoding="utf-8"))
    url = expand(entry["navigation"], resource=text_id, down=-1)
    nav = json.loads((root / "build" / url[len(base):]).read_text(encoding="utf-8"))
    units = nav["member"]
    assert {u["identifier"] for u in units} == _citable_ids(root / "tei" / f"{text_id}.xml")
    tree = etree.parse(str(root / "tei" / f"{text_id}.xml"))
    order = {el.get(XML_ID): i for i, el in enumerate(tree.iter()) if el.get(XML_ID)}
    by_id = {el.get(XML_ID): el for el in tree.iter() if el.get(XML_ID)}
    for unit in units:
        if unit["parent"] is not None:
            assert by_id[unit["parent"]] in by_id[unit["identifier"]].iterancestors()
            assert unit["level"] >= 2
    # document order within each parent (DTS: pre-order, depth first)
    for parent in {u["parent"] for u in units}:
        siblings = [order[u["identifier"]] for u in units if u["parent"] == parent]
        assert siblings == sorted(siblings)


def test_editors_tei_without_citestructure_is_navigable_by_its_ids(served):
    root, base = served
    nav = json.loads((root / "build/html/dts/navigation/gamma-editor;down=-1.json").read_text(encoding="utf-8"))
    ids = {u["identifier"]: u for u in nav["member"]}
    assert set(ids) == {"chap-one", "para-a", "para-b", "fn-1", "chap-two", "poem-1", "poem-1-l1"}
    assert ids["para-b"]["parent"] == "chap-one" and ids["fn-1"]["parent"] == "para-b"
