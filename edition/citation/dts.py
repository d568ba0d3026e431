"""A static Distributed Text Services (DTS 1.0) API in ``build/html/dts/``.

In: the project (``base_url``) and every TEI document of the edition. Out: JSON-LD and TEI
files that a DTS client reads as the Entry, Collection, Navigation and Document endpoints,
served by any static web host (Level 0 conformance: no ``start``/``end`` ranges). The URL
scheme is documented in ``docs/dts.md``; in short, under ``<base_url>html/dts/``::

    index.json                                   entry point
    collection.json, collection/<text>.json      collection{/id}.json
    collection-page/<n>.json                     the root collection's further pages (over 100 texts)
    navigation/<text>;down=1.json …              navigation{/resource}{/ref}{;down}.json
    document/<text>.xml, document/<text>/<ref>.xml   document{/resource}{/ref}.xml

Navigation is written for ``down`` = 1 and -1 at the root and at every unit with children,
and for ``ref`` alone (with ``down=1`` for leaves, whose member is the unit itself). Every
link is absolute, built from ``[edition] base_url``. Files of passages that no longer exist
are removed, so a rebuild after an edit leaves no stale passages.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from urllib.parse import quote, unquote

from lxml import etree

from edition.citation.cite import csl_reference
from edition.citation.item import base_url, text_facts, text_item, text_url
from edition.citation.kept import CitationCache
from edition.citation.refs import CitationTree, Passage, citation_tree, passage_text
from edition.diagnostics import warning
from edition.fsutil import write_atomic
from edition.project import Project
from edition.tei.document import Document
from edition.tei.xmlio import NSMAP, TEI_NS, serialize

CONTEXT = "https://dtsapi.org/context/v1.0.json"
DTS_NS = "https://w3id.org/api/dts#"
VERSION = "1.0"
MEMBERS_PER_PAGE = 100   # the root collection's members per page (the DTS Pagination view)


class _Urls:
    """The URLs (and their files) of the static API."""

    def __init__(self, project: Project):
        self.root = f"{base_url(project)}html/dts/"
        self.folder = project.build_dir / "html" / "dts"

    def file(self, url: str) -> Path:
        return self.folder / unquote(url[len(self.root):])

    entry = property(lambda self: self.root + "index.json")
    collection_template = property(lambda self: self.root + "collection{/id}.json")
    navigation_template = property(lambda self: self.root + "navigation{/resource}{/ref}{;down}.json")
    document_template = property(lambda self: self.root + "document{/resource}{/ref}.xml")

    def collection(self, text_id: str | None = None) -> str:
        return self.root + (f"collection/{quote(text_id, safe='')}.json" if text_id else "collection.json")

    def collection_page(self, number: int) -> str:
        """The root collection's page ``number`` (the first is ``collection.json`` itself)."""
        return self.collection() if number == 1 else self.root + f"collection-page/{number}.json"

    # Identifiers are percent-encoded in URLs as RFC 6570 expands {/ref} (ids may hold any
    # letter of any script); the files carry the identifiers as they are.
    def navigation(self, text_id: str, ref: str | None = None, down: int | None = None) -> str:
        return (self.root + f"navigation/{quote(text_id, safe='')}" + (f"/{quote(ref, safe='')}" if ref else "")
                + (f";down={down}" if down is not None else "") + ".json")

    def document(self, text_id: str, ref: str | None = None) -> str:
        return self.root + f"document/{quote(text_id, safe='')}" + (f"/{quote(ref, safe='')}" if ref else "") + ".xml"


def entry_point(urls: _Urls) -> dict:
    """The Entry endpoint's answer."""
    return {"@context": CONTEXT, "dtsVersion": VERSION, "@id": urls.entry, "@type": "EntryPoint",
            "collection": urls.collection_template, "navigation": urls.navigation_template,
            "document": urls.document_template}


def _cite_structure(shapes: list[dict]) -> list[dict]:
    out = []
    for shape in shapes:
        node = {"@type": "CiteStructure", "citeType": shape["unit"]}
        if shape["children"]:
            node["citeStructure"] = _cite_structure(shape["children"])
        out.append(node)
    return out


def resource(project: Project, urls: _Urls, doc: Document, tree: CitationTree,
             kept: CitationCache | None = None) -> dict:
    """A text as a DTS ``Resource`` (its metadata, endpoint templates and citation tree); its
    citation is the web page's, from ``kept`` when the page's build formatted it."""
    facts = text_facts(doc)
    lang = facts["language"] or project.settings.get("language", "en")
    dublin = {"title": [{"lang": lang, "value": facts["title"]}], "language": [lang],
              "isPartOf": [project.settings.get("title", "")]}
    if facts["authors"]:
        dublin["creator"] = facts["authors"]
    if facts["date"]:
        dublin["created"] = facts["date"]
    if project.settings.get("publisher"):
        dublin["publisher"] = [project.settings["publisher"]]
    if project.settings.get("licence"):
        dublin["license"] = [project.settings["licence"]]
    # the citation every other output gives (the one CSL item, formatted as `edition cite` does)
    cited = kept.text_citation(doc, "Chicago") if kept is not None else None
    dublin["bibliographicCitation"] = [cited or csl_reference(text_item(project, doc), "chicago")]
    download = {"application/tei+xml": urls.document(doc.id), "text/html": text_url(project, doc.id)}
    if "pdf" in project.outputs:
        download["application/pdf"] = f"{base_url(project)}pdf/{doc.id}.pdf"
    return {
        "@id": doc.id, "@type": "Resource", "title": facts["title"],
        "totalParents": 1, "totalChildren": 0, "dublinCore": dublin,
        "collection": urls.collection(doc.id),
        "navigation": urls.root + f"navigation/{quote(doc.id, safe='')}{{/ref}}{{;down}}.json",
        "document": urls.root + f"document/{quote(doc.id, safe='')}{{/ref}}.xml",
        "download": download, "mediaTypes": ["application/tei+xml"],
        "citationTrees": [{"@type": "CitationTree", "citeStructure": _cite_structure(tree.structure)}]
        if tree.roots else [],
    }


def collection(project: Project, urls: _Urls, members: list[dict], total: int | None = None) -> dict:
    """The root ``Collection``: every text of the edition (``members``: those of one page of
    ``total``)."""
    settings = project.settings
    answer = {"@context": CONTEXT, "dtsVersion": VERSION, "@id": base_url(project) or "edition",
              "@type": "Collection", "title": settings.get("title", "Edition"),
              "totalParents": 0, "totalChildren": len(members) if total is None else total,
              "collection": urls.collection_template,
              "dublinCore": {"title": [{"lang": settings.get("language", "en"), "value": settings.get("title", "")}]},
              "member": members}
    if settings.get("subtitle") or settings.get("description"):
        answer["description"] = settings.get("description") or settings["subtitle"]
    if settings.get("publisher"):
        answer["dublinCore"]["publisher"] = [settings["publisher"]]
    return answer


def citable_unit(project: Project, doc: Document, passage: Passage) -> dict:
    """A passage as a DTS ``CitableUnit`` (its ``@id`` is its anchor on the web page)."""
    unit = {"identifier": passage.ref, "@type": "CitableUnit", "level": passage.level,
            "parent": passage.parent, "citeType": passage.unit,
            "@id": text_url(project, doc.id, passage.anchor, passage.element)}
    heads = passage.element.xpath("tei:head", namespaces=NSMAP)
    if heads:
        unit["dublinCore"] = {"title": [{"lang": doc.root.get("{http://www.w3.org/XML/1998/namespace}lang")
                                         or project.settings.get("language", "en"),
                                         "value": passage_text(heads[0])}]}
    return unit


def _subtree(nodes: list[Passage], depth: int) -> list[Passage]:
    """Units under ``nodes`` down to ``depth`` levels (-1: all), depth first in document order."""
    out: list[Passage] = []
    for node in nodes:
        out.append(node)
        if depth != 1 and node.children:
            out.extend(_subtree(node.children, depth - 1 if depth > 0 else -1))
    return out


def navigation(urls, doc, tree, res, units, ref: Passage | None, down: int | None) -> dict:
    """A ``Navigation`` answer for the root (``ref`` None) or one unit, to depth ``down``.

    ``res`` is the text's ``Resource``; ``units`` maps each passage ref to its ``CitableUnit``.
    """
    answer = {"@context": CONTEXT, "dtsVersion": VERSION, "@type": "Navigation",
              "@id": urls.navigation(doc.id, ref.ref if ref else None, down), "resource": res}
    if ref is not None:
        answer["ref"] = units[ref.ref]
    if down is not None:
        if ref is None:
            members = _subtree(tree.roots, down)
        else:
            members = _subtree(ref.children, down) if ref.children else [ref]
        answer["member"] = [units[m.ref] for m in members]
    return answer


def passage_document(doc: Document, passage: Passage, whole_url: str) -> bytes:
    """The Document endpoint's TEI for one passage, in a ``dts:wrapper``.

    The header is short (the text's title and publication statements, and a source
    description pointing at the whole TEI file), so that a thousand passages stay small.
    """
    tei = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
    lang = doc.root.get("{http://www.w3.org/XML/1998/namespace}lang")
    if lang:
        tei.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
    header = etree.SubElement(tei, f"{{{TEI_NS}}}teiHeader")
    file_desc = etree.SubElement(header, f"{{{TEI_NS}}}fileDesc")
    for part in ("titleStmt", "publicationStmt"):
        for found in doc.xpath(f"tei:teiHeader/tei:fileDesc/tei:{part}"):
            file_desc.append(copy.deepcopy(found))
    source = etree.SubElement(etree.SubElement(file_desc, f"{{{TEI_NS}}}sourceDesc"), f"{{{TEI_NS}}}p")
    source.text = f"Passage {passage.ref} of "
    link = etree.SubElement(source, f"{{{TEI_NS}}}ref", target=whole_url)
    link.text = whole_url
    link.tail = "."
    wrapper = etree.SubElement(tei, f"{{{DTS_NS}}}wrapper", nsmap={"dts": DTS_NS})
    wrapper.text = "\n"
    part = copy.deepcopy(passage.element)
    part.tail = "\n"
    wrapper.append(part)
    header.tail = wrapper.tail = "\n"
    tei.text = "\n"
    return serialize(tei)


def _dump(data: dict, compact: bool = False) -> bytes:
    if compact:  # navigation files are many: no indentation
        return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def text_files(project: Project, urls: _Urls, doc: Document, kept: CitationCache | None = None) -> dict[Path, bytes]:
    """The files of one text: its Resource, navigation answers and documents."""
    tree = citation_tree(doc)
    res = resource(project, urls, doc, tree, kept)
    files = {urls.file(urls.collection(doc.id)): _dump({"@context": CONTEXT, "dtsVersion": VERSION, **res}),
             urls.file(urls.document(doc.id)): doc.path.read_bytes()}
    # Navigation answers carry the Resource without its optional metadata (that is in
    # collection/<text>.json); each unit is made once.
    slim = {k: v for k, v in res.items() if k not in ("dublinCore", "download", "mediaTypes")}
    units = {p.ref: citable_unit(project, doc, p) for p in tree.passages()}
    for down in (1, -1):
        files[urls.file(urls.navigation(doc.id, None, down))] = _dump(
            navigation(urls, doc, tree, slim, units, None, down), compact=True)
    whole = urls.document(doc.id)
    for passage in tree.passages():
        for down in (None, 1, -1) if passage.children else (None, 1):
            files[urls.file(urls.navigation(doc.id, passage.ref, down))] = _dump(
                navigation(urls, doc, tree, slim, units, passage, down), compact=True)
        files[urls.file(urls.document(doc.id, passage.ref))] = passage_document(doc, passage, whole)
    return files


def shared_files(project: Project, urls: _Urls, documents, unchanged: frozenset[str] = frozenset(),
                 kept: CitationCache | None = None) -> dict[Path, bytes]:
    """The entry point and the edition's collection (every text), in pages of
    ``MEMBERS_PER_PAGE`` members linked by a DTS ``Pagination`` view when there are more.
    A text in ``unchanged`` is the Resource its own file holds (``text_files`` wrote it)."""
    members = [_member(project, urls, doc, doc.id in unchanged, kept) for doc in sorted(documents, key=lambda d: d.id)]
    pages = [members[start:start + MEMBERS_PER_PAGE] for start in range(0, len(members), MEMBERS_PER_PAGE)] or [[]]
    files = {urls.file(urls.entry): _dump(entry_point(urls))}
    for number, chunk in enumerate(pages, 1):
        answer = collection(project, urls, chunk, total=len(members))
        if len(pages) > 1:
            answer["view"] = pagination(urls, number, len(pages))
        files[urls.file(urls.collection_page(number))] = _dump(answer)
    return files


def _member(project: Project, urls: _Urls, doc: Document, unchanged: bool, kept: CitationCache | None) -> dict:
    """A text's Resource: read back from its own file when the text did not change (formatting
    its citation anew takes more time than everything else of a collection of thousands)."""
    if unchanged:
        try:
            data = json.loads(urls.file(urls.collection(doc.id)).read_text(encoding="utf-8"))
            if data.pop("@context", None) == CONTEXT and data.pop("dtsVersion", None) == VERSION:
                return data
        except (OSError, ValueError):
            pass   # absent or damaged: made again
    return resource(project, urls, doc, citation_tree(doc), kept)


def pagination(urls: _Urls, number: int, count: int) -> dict:
    """The DTS ``Pagination`` view of page ``number`` of ``count`` (no previous on the first
    page, no next on the last)."""
    view = {"@id": urls.collection_page(number), "@type": "Pagination", "first": urls.collection_page(1)}
    if number > 1:
        view["previous"] = urls.collection_page(number - 1)
    if number < count:
        view["next"] = urls.collection_page(number + 1)
    view["last"] = urls.collection_page(count)
    return view


def _text_of(urls: _Urls, path: Path) -> str | None:
    """The text id a file of the API belongs to (``None``: the entry point, the collection)."""
    parts = path.relative_to(urls.folder).parts
    if len(parts) < 2:
        return None
    return parts[1].split(";")[0].removesuffix(".json").removesuffix(".xml") if len(parts) == 2 else parts[1]


def write_dts(project: Project, documents, report) -> list[Path]:
    """Renderer: write the static DTS API under ``build/html/dts/``; drop files no text has now.

    Incremental: ``documents`` are the texts that changed (``documents.all``: every text, for
    the collection); the files of the other texts are left as they are.
    """
    everyone = getattr(documents, "all", documents)
    urls = _Urls(project)
    if not base_url(project) and report is not None:
        report.add(warning("W801", "no base_url in edition.toml: the DTS API's links are relative",
                           project.root / "edition.toml",
                           hint="set [edition] base_url to the address the edition is published at"))
    redone = {doc.id for doc in documents}
    kept = CitationCache(project)   # the citations the web pages' renderer formatted
    files = shared_files(project, urls, everyone, frozenset(d.id for d in everyone if d.id not in redone), kept)
    for doc in documents:
        files.update(text_files(project, urls, doc, kept))
    written = [path for path, data in files.items() if write_atomic(path, data, durable=False)]
    if written:
        os.sync()  # one flush for the lot, not one fsync per file (thousands of small files)
    present = {doc.id for doc in everyone}
    candidates, folders = _files_of(urls, lambda owner: owner in redone or owner not in present)
    for old in candidates:
        if old not in files and old.suffix in (".json", ".xml"):
            old.unlink()
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return written


def _files_of(urls: _Urls, wanted) -> tuple[list[Path], list[Path]]:
    """(files, folders) of the API that belong to a text ``wanted`` says (or to none), found
    without walking the folders of the other texts (a book has thousands of passages)."""
    files: list[Path] = []
    folders: list[Path] = []
    if not urls.folder.is_dir():
        return files, folders
    for top in sorted(urls.folder.iterdir()):
        if not top.is_dir():
            files.append(top)   # the entry point, the collection: no text's
            continue
        folders.append(top)
        for entry in sorted(top.iterdir()):
            if entry.is_dir():
                if wanted(entry.name):
                    inside = sorted(entry.rglob("*"))
                    files += [p for p in inside if not p.is_dir()]
                    folders += [entry, *(p for p in inside if p.is_dir())]
            elif wanted(_text_of(urls, entry)):
                files.append(entry)
    return files, folders


write_dts.incremental = True
