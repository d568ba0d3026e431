"""A TEI document as the renderers see it: parsed once, with its id and metadata.

In: a TEI file on disk. Out: a ``Document`` holding the lxml tree, the text id (the
file's stem, which is also the citation prefix ``<id>:<passage>``), and accessors for
the header facts every output shows (title, authors, editors, licence). A fact the header does
not give is ``None`` or empty, never a default: the outputs leave it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from edition.tei.xmlio import NSMAP, parse_file


@dataclass
class Document:
    """One parsed TEI file of the edition."""

    path: Path
    tree: etree._ElementTree
    # what a renderer derives from the text once for the build (the print HTML of a text that is
    # both its own PDF and a piece of the volume): by the renderer's own key, gone with the document
    derived: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls, path: str | Path) -> "Document":
        """Parse a TEI file safely (raises ``EditionError`` with file/line/col)."""
        path = Path(path)
        return cls(path=path, tree=parse_file(path))

    @property
    def id(self) -> str:
        """The text id: the file's stem (``tei/<id>.xml``)."""
        return self.path.stem

    @property
    def root(self) -> etree._Element:
        """The ``<TEI>`` element."""
        return self.tree.getroot()

    def xpath(self, expr: str, node: etree._Element | None = None):
        """XPath with the ``tei:`` prefix bound."""
        return (node if node is not None else self.root).xpath(expr, namespaces=NSMAP)

    def _header_text(self, expr: str) -> str | None:
        found = self.xpath(expr)
        if not found:
            return None
        text = " ".join("".join(found[0].itertext()).split())
        return text or None

    @property
    def title(self) -> str:
        """The main title from the header (falls back to the id)."""
        return (self._header_text("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title[@type='main']")
                or self._header_text("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title")
                or self.id)

    @property
    def author(self) -> str | None:
        """The author named in the title statement, if any."""
        return self._header_text("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:author")

    @property
    def authors(self) -> list[str]:
        """Every author named in the title statement."""
        return self._texts("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:author")

    @property
    def editors(self) -> list[str]:
        """Every editor named in the title statement."""
        return self._texts("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:editor")

    @property
    def licence(self) -> tuple[str, str | None] | None:
        """The licence the file declares: (its words, its URL) from ``availability/licence``
        (the URL from ``@target``; the URL stands for the words when there are none), else the
        words of ``availability`` itself; None when the header says nothing."""
        where = "tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:availability"
        for licence in self.xpath(f"{where}/tei:licence"):
            words = " ".join("".join(licence.itertext()).split())
            target = licence.get("target") or None
            if words or target:
                return (words or target, target)
        statement = " ".join(self._texts(where))
        return (statement, None) if statement else None

    def _texts(self, expr: str) -> list[str]:
        found = (" ".join("".join(el.itertext()).split()) for el in self.xpath(expr))
        return [text for text in found if text]

    @property
    def is_collation(self) -> bool:
        """True when the document carries an apparatus of declared witnesses."""
        return bool(self.xpath("//tei:listWit/tei:witness")) and bool(self.xpath("//tei:app"))


class DocumentSet(list):
    """The documents a step is asked to handle; ``.all`` is every document of the edition.

    An incremental build hands a renderer or the validator only the texts that changed, while
    pages that list every text (and checks across texts) read ``.all``.
    """

    def __init__(self, documents, all_documents=None):
        super().__init__(documents)
        self.all = list(self if all_documents is None else all_documents)
