"""The ``teiHeader`` of a text we encode, built from metadata kept as data.

In: the edition's settings (``edition.toml`` ``[edition]``) and the text's metadata (the
``[metadata]``, ``[source]``, ``[editorial]`` and ``[[change]]`` tables of ``rules/<id>.toml``),
plus pieces a stage adds (a ``listWit``, extra ``sourceDesc`` prose, a ``citeStructure``).
Out: a ``<teiHeader>`` element. Facts the witness does not give are stated as unknown, never
guessed, and nothing depends on the clock, so the same data always gives the same header.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from edition import __version__
from edition.tei.maker import E, set_id
from edition.tei.reviewed import TOOL_ID


def build_header(settings: dict, meta: dict, *, source: dict | None = None,
                 editorial: dict | None = None, changes: Iterable[dict] = (),
                 source_extra: Iterable[etree._Element] = (),
                 encoding_extra: Iterable[etree._Element] = (),
                 profile_extra: Iterable[etree._Element] = ()) -> etree._Element:
    """Build a full ``teiHeader``.

    ``settings``: the ``[edition]`` table (title, editors, publisher, licence, base_url).
    ``meta``: ``title``, optional ``subtitle``, ``author``, ``translator``, ``date``, ``language``.
    ``source``: ``description`` (what the witness is, where it came from) and optional
    ``title``, ``publisher``, ``date``, ``place``, ``url``, ``file``, ``sha256``.
    ``editorial``: prose by aspect (``normalization``, ``hyphenation``, ``segmentation``,
    ``correction``, ``interpretation``, ``pages``, …), one ``<p>`` each in ``editorialDecl``.
    ``changes``: ``{when, who, text}`` entries for the ``revisionDesc``.
    """
    source = source or {}
    editorial = editorial or {}
    return E.teiHeader(
        _file_desc(settings, meta, source, source_extra),
        _encoding_desc(editorial, encoding_extra),
        _profile_desc(meta, profile_extra),
        _revision_desc(changes),
    )


def _file_desc(settings: dict, meta: dict, source: dict, source_extra) -> etree._Element:
    title_stmt = E.titleStmt(E.title(meta["title"], type="main"))
    if meta.get("subtitle"):
        title_stmt.append(E.title(meta["subtitle"], type="sub"))
    if meta.get("author"):
        title_stmt.append(E.author(meta["author"]))
    resp = E.respStmt(E.resp("Edited and encoded by"))
    for name in settings.get("editors", []) or ["the editors"]:
        resp.append(E.name(name))
    title_stmt.append(set_id(resp, "ed"))
    if meta.get("translator"):
        title_stmt.append(set_id(E.respStmt(E.resp("Translated from the Spanish by"),
                                            E.name(meta["translator"])), "translator"))

    publication = E.publicationStmt(E.publisher(settings.get("publisher", settings.get("title", "The editors"))))
    if settings.get("base_url"):
        publication.append(E.pubPlace(E.ref(settings["base_url"], target=settings["base_url"])))
    if settings.get("licence"):   # a licence the project does not declare is left out, never invented
        licence = settings["licence"]
        url = licence if licence.startswith(("http://", "https://")) else None
        publication.append(E.availability(E.licence(licence, target=url) if url else E.licence(licence)))
    if meta.get("edition_date"):
        publication.append(E.date(meta["edition_date"], when=meta["edition_date"]))

    bibl = E.bibl()
    bibl.append(E.title(source.get("title", meta["title"])))
    unknown = []
    if meta.get("author"):
        bibl.append(E.author(meta["author"]))
    else:
        unknown.append("The witness names no author.")
    for key, tag in (("publisher", "publisher"), ("place", "pubPlace")):
        if source.get(key):
            bibl.append(E(tag, source[key]))
    if source.get("date"):
        bibl.append(E.date(source["date"], when=source["when"]) if source.get("when") else E.date(source["date"]))
    else:
        unknown.append("The witness gives no date of publication.")
    if source.get("url"):
        bibl.append(E.ref(source["url"], target=source["url"]))
    if source.get("file"):
        bibl.append(E.idno(source["file"], type="file"))
    if source.get("sha256"):
        bibl.append(E.idno(source["sha256"], type="sha256"))
    if source.get("description"):
        bibl.append(E.note(source["description"], type="description"))
    for statement in unknown:
        bibl.append(E.note(statement, type="unknown"))
    source_desc = E.sourceDesc(bibl)
    for element in source_extra:
        source_desc.append(element)
    return E.fileDesc(title_stmt, publication, source_desc)


def _encoding_desc(editorial: dict, extra) -> etree._Element:
    encoding = E.encodingDesc()
    if editorial.get("project"):
        encoding.append(E.projectDesc(E.p(editorial["project"])))
    decl = E.editorialDecl()
    for aspect, tag in (("correction", "correction"), ("normalization", "normalization"),
                        ("hyphenation", "hyphenation"), ("segmentation", "segmentation"),
                        ("interpretation", "interpretation"), ("quotation", "quotation")):
        if editorial.get(aspect):
            decl.append(E(tag, E.p(editorial[aspect])))
    others = [k for k in editorial if k not in {"project", "correction", "normalization", "hyphenation",
                                                 "segmentation", "interpretation", "quotation"}]
    for key in others:
        decl.append(E.p(editorial[key]))
    if len(decl):
        encoding.append(decl)
    encoding.append(refs_decl())
    for element in extra:
        encoding.append(element)
    # The software, which took the decisions no editor reviewed: their resp points here (edition.tei.reviewed).
    encoding.append(E.appInfo(set_id(E.application(E.label("edition"), E.p(
        "The software that encoded this text. A decision it took and no editor reviewed says resp=\"#"
        f"{TOOL_ID}\"; one an editor accepted or overruled says resp=\"#ed\"."),
        ident="edition", version=__version__), TOOL_ID)))
    return encoding


def refs_decl() -> etree._Element:
    """Declare the passage identifiers (see docs/tei-conventions.md) as a ``citeStructure``.

    A division is cited by its ``xml:id`` (``q12``); inside it a paragraph, head, list, table or
    verse group by the part of its id after the division's (``q12`` + ``.`` + ``p3``); an
    apparatus unit inside a block likewise (``q12.p3`` + ``.`` + ``a2``, or ``s.lg1`` + ``.`` +
    ``l2.a1`` in verse); notes by their id. Every reference is thus the unit's ``xml:id``, and
    a nested division is a division of its own, so ids in one division never depend on another.
    ``edition.citation.refs`` reads this declaration (unprefixed names are TEI elements).
    """
    blocks = "self::p or self::head or self::list or self::table or self::lg or self::ab"
    in_div = "substring-after(@xml:id, concat(ancestor::div[1]/@xml:id, '.'))"
    in_block = f"substring-after(@xml:id, concat(ancestor::*[{blocks}][1]/@xml:id, '.'))"
    unit_app = E.citeStructure(unit="app", match=".//app[@xml:id]", use=in_block, delim=".")
    block = E.citeStructure(unit="paragraph", match="*[" + blocks + "][@xml:id]|argument/p[@xml:id]",
                            use=in_div, delim=".")
    block.append(unit_app)
    division = E.citeStructure(block, unit="division", match="//text//div[@xml:id]", use="@xml:id")
    note_part = E.citeStructure(unit="paragraph", match="p[@xml:id]",
                                use="substring-after(@xml:id, concat(ancestor::note[1]/@xml:id, '.'))",
                                delim=".")
    note = E.citeStructure(note_part, unit="note", match="//text//note[@xml:id]", use="@xml:id")
    return E.refsDecl(division, note)


def _profile_desc(meta: dict, extra) -> etree._Element:
    lang = meta.get("language", "en")
    profile = E.profileDesc(E.langUsage(E.language(_language_name(lang), ident=lang)))
    if meta.get("date"):
        profile.insert(0, E.creation(E.date(meta.get("date_text", meta["date"]), when=meta["date"])))
    for element in extra:
        profile.append(element)
    return profile


def _revision_desc(changes) -> etree._Element:
    revision = E.revisionDesc()
    for change in changes:
        revision.append(E.change(change["text"], when=change["when"], who=change.get("who", "#ed")))
    if not len(revision):
        revision.append(E.change("Encoded by the edition's tools.", who="#ed"))
    return revision


def _language_name(code: str) -> str:
    return {"en": "English", "es": "Spanish", "de": "German", "fr": "French", "la": "Latin",
            "grc": "Ancient Greek"}.get(code, code)
