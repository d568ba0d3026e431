"""The one element vocabulary: what each TEI element is to every output.

In: nothing (data). Out: named groups of TEI element names, which every walker of a TEI text
reads instead of keeping lists of its own: the HTML behaviour table
(``edition.render.behaviours``), the reading text (``edition.render.text``), the witness texts
(``edition.tei.witnesses``), the line view of ingest (``edition.tei.lineview``), the plain text
of headings and metadata (``edition.tei.text``) and the apparatus (``edition.render.apparatus``).
A decision made here (say, that ``<fw>`` is not text) holds in every output at once.

The groups answer the questions every output asks of an element:

- Is it text at all? ``NEVER_TEXT`` (metadata, facsimile data, analysis, links, forme work) is
  never shown; everything else is the text or a part of it.
- Is it read? ``NOT_READ`` holds words that are in the source but that the editors do not read
  (``del``, ``surplus``); a reading text leaves them out, a display may show them marked.
- Is it a note (``NOTES``), a break (``BREAKS``), an empty marker (``MARKERS``)?
- Is it the apparatus? ``APPARATUS`` (a variation unit), its ``READINGS`` (``lem``, ``rdg``),
  ``READING_GROUPS`` and ``WITNESS_DETAIL``; ``LISTS_OF_ENTITIES`` are registers, not text.
- Which form of a ``choice`` is read? ``CHOICE_READ`` in order of preference.
"""

from __future__ import annotations


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Metadata and data about the text, never part of its words.
METADATA = _names("teiHeader facsimile standOff sourceDoc")
# Analysis and linking: statements about the text, not the text.
ANALYSIS = _names("certainty link linkGrp join joinGrp alt altGrp relation listRelation")
# Forme work: running heads, catchwords and page numbers of the witness's pages.
FORME_WORK = _names("fw")
NEVER_TEXT = METADATA | ANALYSIS | FORME_WORK

# Words that are in the source but not read: struck out by the writer, or superfluous.
NOT_READ = _names("del surplus")

NOTES = _names("note")
# Containers of notes that stand nowhere in the text (a commentary): their notes have no call.
NOTE_LISTS = _names("listNote noteGrp")
# Where a note stands between blocks, not in a sentence: it has no place for a call either.
NOTE_FREE_PARENTS = NOTE_LISTS | _names("body front back div div1 div2 div3 div4 div5 div6 div7")
# @place values that print a note where it stands, in the line or as a block of its own.
NOTE_PLACES_IN_TEXT = _names("inline display")
BREAKS = _names("lb pb cb")
# Empty elements that only mark a place (a target for pointers, a witness's start or end).
MARKERS = _names("anchor witStart witEnd lacunaStart lacunaEnd")

APPARATUS = _names("app")
LEMMA = "lem"
READING = "rdg"
READINGS = _names("lem rdg")
READING_GROUPS = _names("rdgGrp")
WITNESS_DETAIL = _names("witDetail")

# Elements whose content is elements only (TEI's content models): white space directly inside
# them, around their children, only lays out the file; it is not text (``edition.tei.spacing``).
ELEMENT_ONLY = APPARATUS | READING_GROUPS | _names("choice subst")

# Registers and lists of entities: data about people, places and witnesses, not running text.
LISTS_OF_ENTITIES = _names("listApp listWit listPerson listPlace listOrg listEvent listNym")

# Interpretation and annotation kept beside the text (spans, interpretations): not its words.
INTERPRETATION = _names("interp interpGrp span spanGrp")
# Descriptions and files of images: what a figure shows, not the text.
FIGURE_DATA = _names("figDesc graphic media")
# Marks about the writing (a metamark's instructions), not the text written.
METAMARKS = _names("metamark")

# The forms of a <choice> a reading text reads, in order of preference.
CHOICE_READ = ("reg", "corr", "expan", "seg", "orig", "sic", "abbr")
# The forms a display shows first (the others are kept, marked as the alternative).
CHOICE_SHOWN = ("corr", "reg", "expan", "supplied")
# The forms of a <choice> that are the source's, not the editors' reading.
CHOICE_SOURCE_FORMS = _names("sic orig abbr")

DIVISIONS = _names("div div1 div2 div3 div4 div5 div6 div7")
PARAGRAPHS = _names("p ab")
# Elements that hold one line of a witness's text (or a block of it): the unit of a witness text.
TEXT_BLOCKS = _names("p head l item ab")

# What the plain text of an element (a heading, a metadata field) leaves out.
NOT_IN_PLAIN_TEXT = NOTES | _names("rdg") | WITNESS_DETAIL
# What the words before a variation unit are not taken from (the lemma of an addition).
NOT_IN_READING = NOTES | _names("rdg rdgGrp") | WITNESS_DETAIL | CHOICE_SOURCE_FORMS | _names("del") | FORME_WORK
