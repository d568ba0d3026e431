"""A text's PDF joined while its chapters are still being laid out (``pieces``).

In: the pieces of a text's own PDF as the layout makes them (each chapter, by the key of the job
it was laid out from; the front matter and the blank verso at the end) and the plan the pieces
laid out so far give (``Pieces.plan``). Out: the joined PDF (``assemble.Volume``), or None when
what was joined is not what the text ends as (then ``join_anew`` joins the pieces at once).

Why: the join (pikepdf: each chapter's pages, structure tree, names and outline copied, then the
fonts merged) took the end of the build to itself, one process working, the others idle: 0.7 s
for the 11 chapters of the book fixture, 2.7 s for 45. The chapters are laid out in order, one
per free process, and this process only waits for them meanwhile. So a chapter is added as soon
as it is final: when it and every chapter before it were laid out from the plan the pieces before
them make (``plan``), since then no later layout can change where it starts, its first line or
the running heads it inherits. The front matter, whose contents need every chapter's pages, is
laid out last, as before, and put before the chapters (``Volume.add(before=True)``): its pages,
structure, bookmarks and metadata first, as if it had been joined first.
"""

from __future__ import annotations

from edition.render.pdf.assemble import Piece, Volume, nest_outline


class Joining:
    """The join of one text's chapters, advanced as they become final (module doc)."""

    def __init__(self, salt: str, stand_ins: list[frozenset[str]], tables: list[bool], blank):
        """``stand_ins``: each chapter's stand-in anchors; ``tables``: whether it has a table
        (``assemble.Piece``); ``blank``: gives the laid-out blank verso piece (called once, when
        the join starts)."""
        self.salt, self.stand_ins, self.tables, self._blank = salt, stand_ins, tables, blank
        self.volume: Volume | None = None
        self.added: list[str] = []  # the keys of the chapters joined, in order
        self.levels: list = []      # the levels of their bookmarks, in order

    def advance(self, jobs: list, known: dict) -> None:
        """Join the chapters that the pieces laid out so far (``known``, by key) make final
        (module doc); ``jobs``: the chapters' jobs as they plan them."""
        for index in range(len(self.added), len(jobs)):
            key = jobs[index].key(self.salt)
            laid = known.get(key)
            if laid is None:
                return   # not laid out from where the chapters before it end: nor are the next
            piece = Piece(laid.data, recto=False, stand_ins=self.stand_ins[index], tables=self.tables[index])
            if self.volume is None:
                self.volume = Volume(piece, blank=self._blank().data)
            else:
                self.volume.add(piece)
            self.levels += laid.info.bookmarks
            self.added.append(key)

    def finish(self, jobs: list, front, front_stand_ins: frozenset[str]) -> tuple[bytes | None, int]:
        """The joined PDF, the front matter (laid out) put before the chapters, and the number of
        pages before the text; (None, 0) when the chapters joined are not the final plan's ``jobs``."""
        if self.volume is None or self.added != [job.key(self.salt) for job in jobs]:
            return None, 0
        chapters = self.volume.pages
        self.volume.add(Piece(front.data, recto=False, stand_ins=front_stand_ins), before=True)
        before = self.volume.pages - chapters
        nest_outline(self.volume, list(front.info.bookmarks) + self.levels)
        return self.volume.finish(before), before


def join_anew(front, blank, front_stand_ins: frozenset[str], chapters: list, stand_ins: list,
              tables: list[bool]) -> tuple[bytes, int]:
    """The pieces joined at once, the front matter, the blank verso before a text that would open
    on a verso, the chapters (each with its stand-in anchors, ``assemble``); the bookmarks nested
    as one layout nests them; the pages labelled, those before the text in roman numerals
    (``assemble.label_pages``). Returns the PDF and the number of pages before the text."""
    volume = Volume(Piece(front.data, recto=False, stand_ins=front_stand_ins), blank=blank.data)
    if volume.pages % 2:
        volume.add_blank()   # the text opens on a recto
    before, levels = volume.pages, list(front.info.bookmarks)
    for piece, own, table in zip(chapters, stand_ins, tables):
        volume.add(Piece(piece.data, recto=False, stand_ins=own, tables=table))
        levels += piece.info.bookmarks
    nest_outline(volume, levels)
    return volume.finish(before), before
