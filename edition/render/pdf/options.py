"""The PDF's settings: the ``[pdf]`` table of ``edition.toml``, overridden by command options.

In: ``Project.pdf`` and keyword overrides. Out: a checked ``PdfOptions`` (trim, press marks,
apparatus types and tiers, line numbering, PDF variant) or an ``EditionError`` naming the bad value.

Apparatus types are the editor's words (``app/@type``): ``apparatus`` chooses among the four
kinds of edition's own collation (``TYPES``); a unit of any other type prints unless the list
names other types too, then only the named ones print. ``apparatus_tiers`` maps a type to a
tier: ``main`` (the substantive tier), ``accidentals``, or a name of the editor's, which becomes
a tier of its own under those two (``{ variants = "variants" }``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from edition.diagnostics import EditionError, error
from edition.tomlcheck import _line_in

TRIMS = {  # @page size, body font size
    "book": ("156mm 234mm", "10.5pt"),
    "a4": ("A4", "11pt"),
    "letter": ("letter", "11pt"),
}
TYPES = ("substantive", "orthographic", "punctuation", "case")
# PDF/A-3a: archival, tagged (structure tree, reading order, alt text) and able to carry the
# TEI source inside the file. WeasyPrint writes one conformance claim per file; PDF/UA-1 can
# be chosen instead with variant = "pdf/ua-1" (tagged, no attachment).
VARIANTS = ("pdf/a-3a", "pdf/ua-1", "none")
# Where each chapter (top-level division) of a long text ([html] split_above) begins: on the
# next page, or on the next right-hand page (a blank verso before it when needed).
CHAPTER_OPENINGS = ("page", "recto")
VOLUME_MAX_TEXTS = 100   # [pdf] volume = "auto": no volume above this many texts


@dataclass
class PdfOptions:
    """How to print: trim size, press marks, which variants, how lines are numbered."""

    trim: str = "book"
    press: bool = False
    apparatus: list[str] = field(default_factory=lambda: list(TYPES))
    apparatus_tiers: dict[str, str] = field(default_factory=dict)
    line_numbers: str = "text"
    line_interval: int = 5
    variant: str = "pdf/a-3a"
    chapters_open: str = "page"     # a long text's chapters open on a new "page" or on a "recto"
    lemma_witnesses: bool = False   # entries name the lemma's witnesses: "word A D] variant B C"
    chapters_from: int = 40   # a text of more pages (estimated) starts each chapter on a page: pieces
    # The whole edition as one PDF: true, false, or "auto" (only up to volume_max_texts texts:
    # the volume of a corpus of thousands of letters is tens of thousands of pages nobody reads)
    volume: str | bool = "auto"
    volume_max_texts: int = VOLUME_MAX_TEXTS

    def wants_volume(self, texts: int) -> bool:
        """Whether an edition of ``texts`` texts gets its volume (``build/pdf/edition.pdf``)."""
        if self.volume == "auto":
            return 0 < texts <= self.volume_max_texts
        return bool(self.volume) and texts > 0

    @property
    def page_size(self) -> str:
        """The CSS ``@page`` size of the trim."""
        return TRIMS[self.trim][0]

    @property
    def body_size(self) -> str:
        """The body font size for the trim."""
        return TRIMS[self.trim][1]


def pdf_options(settings: dict | None = None, source: Path | None = None, **overrides) -> PdfOptions:
    """Merge the project's ``[pdf]`` settings with overrides (None means: not given).

    A bad value is an E701 error naming ``source`` (the project file) and, when given, the line
    of the setting."""
    merged = dict(settings or {})
    merged.update({k: v for k, v in overrides.items() if v is not None})
    options = PdfOptions(**{k: v for k, v in merged.items() if k in PdfOptions.__dataclass_fields__})
    if isinstance(options.apparatus, str):
        options.apparatus = [t.strip() for t in options.apparatus.split(",") if t.strip()]
    problems = []
    if options.trim not in TRIMS:
        problems.append(("trim", f"trim '{options.trim}' is not one of {', '.join(TRIMS)}"))
    if options.line_numbers not in ("text", "page"):
        problems.append(("line_numbers", f"line_numbers '{options.line_numbers}' is not 'text' or 'page'"))
    if options.apparatus in ("all", ["all"]):
        options.apparatus = list(TYPES)
    if not isinstance(options.apparatus, list) or not all(isinstance(t, str) and t.split() == [t]
                                                          for t in options.apparatus):
        problems.append(("apparatus", "apparatus must be a list of type names (the values of app/@type)"))
    tiers = options.apparatus_tiers
    if not isinstance(tiers, dict) or not all(isinstance(k, str) and isinstance(v, str) and v.strip()
                                              for k, v in tiers.items()):
        problems.append(("apparatus_tiers", 'apparatus_tiers must map types to tier names, e.g. { variants = "main" }'))
    if options.line_interval < 1:
        problems.append(("line_interval", "line_interval must be 1 or more"))
    if options.chapters_open not in CHAPTER_OPENINGS:
        problems.append(("chapters_open", f"chapters_open '{options.chapters_open}' is not one of "
                                          f"{', '.join(CHAPTER_OPENINGS)}"))
    if not isinstance(options.chapters_from, int) or options.chapters_from < 0:
        problems.append(("chapters_from", "chapters_from must be a number of pages (0: every text with chapters)"))
    if options.variant not in VARIANTS:
        problems.append(("variant", f"variant '{options.variant}' is not one of {', '.join(VARIANTS)}"))
    if options.volume not in ("auto", True, False):
        problems.append(("volume", f"volume '{options.volume}' is not true, false or \"auto\""))
    if options.volume_max_texts < 1:
        problems.append(("volume_max_texts", "volume_max_texts must be 1 or more"))
    if problems:
        text = _text_of(source)
        raise EditionError(*(error("E701", message, source or "edition.toml",
                                   _line_in(text, "pdf", key) if text and overrides.get(key) is None else None,
                                   hint="see the [pdf] table") for key, message in problems))
    return options


def _text_of(source: Path | None) -> str | None:
    try:
        return source.read_text(encoding="utf-8") if source else None
    except (OSError, UnicodeError):
        return None
