"""A long text's PDF laid out in pieces: its chapters apart, in parallel, joined into one PDF.

In: the project, one TEI document, the ``PdfOptions``, how many processes (``jobs``). Out: the
PDF bytes and a ``PdfResult``, the same book as one whole layout of the same HTML (same text,
same pages, same line numbers and apparatus, the same pixels), made faster.

A book-length text is divided where the book already breaks its pages: each top-level division
(``chapters``: the divisions of the first level with more than one, under any single wrappers)
after the first starts on a new page (``CHAPTER``, ``print.css``) once the text is longer than
``[pdf] chapters_from`` pages (estimated from its characters). A page break leaves nothing of
one chapter's layout to the next but numbers: the page it starts on, the number of its first
line (numbered per text), the running heads it inherits (``carry``). So each chapter is laid out
alone, those three given (``Job``), in a process pool (``piecepool``); the front matter (title
page, imprint, contents) is another piece, whose contents take their page numbers from where
the chapters put each heading. A cold layout first reads each chapter's first pass, all at once
(``layout.first_reading``: its numbered lines and the running heads it ends with, which do not
depend on where it starts, kept as its seed), and meanwhile lays out the first chapter, which
needs nothing of the others; then the chapters are laid out in turn, one per free process, each
planned from the pieces laid out so far, so that only the pages of the ones still being laid
out are estimated (``chapters.estimated_pages``: their first pass's lines at the laid-out
chapters' lines per page). Where the pieces do not join (a piece's page count, line count or last
running head differs from what the pieces after it were given), those are laid out again, each
from its own seed (one pass when only its numbers moved) — until every piece was laid out from
what the pieces before it are. The pieces are joined (``joining``, ``assemble``) into one book as
they are laid out: its page tree, structure tree, named destinations, and bookmarks nested as the
whole layout nests them.

Each piece is kept by all it is made from (``piecepool``): after a word changes in one chapter
only that chapter is laid out again, and the chapters after it only if its page or line count
changed (a new start page or first line number is a new piece). A chapter's piece holds nothing
of the book around it but those numbers (its title and metadata are the text's), so the volume
takes the text's own pieces wherever the text starts on the same page there.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import time
from pathlib import Path

from lxml import html as lxml_html

from edition.diagnostics import warning
from edition.fsutil import write_atomic
from edition.render.pdf.assemble import Piece, has_tables, stand_ins
from edition.render.pdf.bookparts import book_parts
from edition.render.pdf.chapters import (
    chapters,
    estimated_pages,
    mark_chapters,
    piece_trees,
)
from edition.render.pdf.document import PrintBook, compose_book
from edition.render.pdf.furnish import add_link_targets
from edition.render.pdf.joining import Joining, join_anew
from edition.render.pdf.layout import PdfResult
from edition.render.pdf.options import PdfOptions
from edition.render.pdf.piecepool import Job, PiecePool
from edition.render.pdf.progress import current
from edition.render.pdf.seed import seed_path
from edition.render.pdf.startpage import TEXT_FIRST, blank_book, number_from, recto

MAX_ROUNDS = 6


class Pieces:
    """The pieces of one text's PDF and the rounds that lay them out until they join."""

    def __init__(self, project, document, options: PdfOptions, jobs: int | None, parts=None, *,
                 book=None, first_page: int | None = None):
        """``book``: the text alone as the volume has it (``first_page``: where it starts there);
        by default the text's own PDF, its front matter a piece of its own."""
        self.project, self.document, self.options = project, document, options
        self.parts = parts or book_parts(project, [document], options)
        whole = book or compose_book(self.parts, volume=False, front=False, texts=self.parts.texts)
        found = chapters(whole.tree) if book is not None else mark_chapters(whole.tree, options)
        self.ids = [div.get("id") or f"chapter-{k + 1}" for k, div in enumerate(found)]
        self.whole, self.first_page = whole, first_page
        self.lang = next((t["lang"] for t in self.parts.texts if t["id"] == document.id), whole.lang)
        self.trees = piece_trees(whole.tree)
        every = set(whole.tree.xpath("//@id"))
        for tree in self.trees:   # a link to another chapter keeps its target's name (assemble)
            wanted = {href[1:] for href in tree.xpath("//a/@href") if href.startswith("#")}
            add_link_targets(tree, sorted((wanted - set(tree.xpath("//@id"))) & every))
        self.whole = dataclasses.replace(whole, tree=None)   # cut into ``trees``: not held meanwhile
        self.pool = PiecePool(project, options, jobs)
        name = f"{'volume-' if book is not None else ''}{document.id}"
        self.record_path = self.pool.folder / f"{seed_path(Path(), name).stem}.record.json"
        self.record = self._record(self.record_path)
        # what each chapter was when last laid out: the volume's text, else its own PDF's (the same
        # chapters, as a rule, only their numbers differ)
        self.before = {**self._record(self.record_path.with_name(f"{seed_path(Path(), document.id).stem}"
                                                                  ".record.json")).get("pieces", {}),
                       **self.record.get("pieces", {})}
        self.latest: dict[str, object] = {}   # label → the piece of that name laid out last
        self.readings: dict[str, PdfResult] = {}   # label → its first pass, before it was laid out
        self.jobs: dict = {}
        self.also: dict[str, object] = {}   # label → a piece laid out beside the first passes (``lay_out``)
        self.joining: Joining | None = None   # the text's own PDF joined as its pieces come (``joining``)
        self.final: tuple[list[Job], Job | None] = ([], None)   # the plan the layout ended with

    @staticmethod
    def _record(path: Path) -> dict:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return record if isinstance(record, dict) else {}

    def _job(self, label: str, tree, *, title: str | None = None, lang: str | None = None, **given) -> Job:
        return Job(label, lxml_html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>"),
                   self.whole.title if title is None else title, [] if title else self.whole.authors,
                   lang or self.whole.lang, seed=seed_path(self.project.build_dir, f"piece-{self.document.id}-{label}"),
                   **given)

    def _chapter(self, index: int, first: int, line: int, strings: dict[str, str], *, reading: bool = False) -> Job:
        """Chapter ``index``'s job from page ``first`` and line ``line`` (made once: plans repeat)."""
        memo = (index, first, line, json.dumps(strings, sort_keys=True), reading)
        if memo not in self.jobs:
            tree = copy.deepcopy(self.trees[index])
            number_from(PrintBook(tree, "", [], ""), first)
            # a chapter's own title and metadata reach no PDF (the join keeps the first piece's):
            # the text's (its title, its language), in its PDF and in the volume alike, so that
            # both can share the piece
            for element in tree.xpath("//head/title"):
                element.text = self.document.title
            self.jobs[memo] = self._job(self.ids[index], tree, title=self.document.title, lang=self.lang,
                                        first_line=line, strings=dict(strings), reading=reading)
        return self.jobs[memo]

    def _front(self, pages: dict[str, int]) -> Job:
        memo = json.dumps(pages, sort_keys=True)
        if memo not in self.jobs:
            book = compose_book(self.parts, volume=False, texts=[], pages=pages,
                                link_targets=[entry["id"] for entry in self.parts.toc])
            self.jobs[memo] = self._job("front matter", book.tree)
        return self.jobs[memo]

    def _guess(self, label: str) -> dict:
        """What the piece of that name is likely to be, before it is laid out from where it starts:
        as laid out last (this build, else the last one: its pages, lines and the strings it ends
        with hardly ever depend on where it starts), else as its first pass read it (lines and
        strings exact, its pages ``estimated_pages`` from the pieces laid out so far)."""
        if label in self.latest:
            info = self.latest[label].info
            return {"pages": info.pages, "lines": info.lines, "strings": info.strings}
        last = self.before.get(label)
        if isinstance(last, dict):
            return last
        read = self.readings.get(label)
        if read is None:
            return {"pages": 1, "lines": 0, "strings": {}}
        pairs = [(self.readings.get(k), piece.info) for k, piece in self.latest.items() if k in self.ids]
        return {"pages": estimated_pages(read, list(self.readings.values()), pairs), "lines": read.lines,
                "strings": read.strings}

    def plan(self, known: dict[str, object]) -> tuple[list[Job], Job | None]:
        """The jobs as the pieces laid out so far (``known``, by key) say they join; the front
        matter's with the contents' page numbers they give (none for the volume's text). The
        text starts on page ``TEXT_FIRST`` whatever the front matter's length (print.css)."""
        first = self.first_page or TEXT_FIRST
        line, strings = 1, {}
        jobs, pages = [], {}
        for index, label in enumerate(self.ids):
            job = self._chapter(index, first, line, strings)
            jobs.append(job)
            done = known.get(job.key(self.pool.salt))
            facts = {"pages": done.info.pages, "lines": done.info.lines, "strings": done.info.strings,
                     "anchors": done.info.anchors} if done else dict(self._guess(label), anchors={})
            for anchor, index_ in facts["anchors"].items():
                pages.setdefault(anchor, first + index_)
            first, line, strings = first + facts["pages"], line + facts["lines"], {**strings, **facts["strings"]}
        return jobs, (None if self.first_page else self._front(pages))

    def _read_first(self, done, known: dict, also: list[Job]) -> None:
        """A cold layout: the first pass of each piece never laid out, all at once (they need
        nothing from one another); so that each piece is then laid out knowing its first line and
        running heads, and its first page all but for certain (the text starts on page 1, whatever
        the front matter's length: the front matter is laid out after, with the contents' numbers).
        The first chapter needs nothing of the others (it starts where the text does, at line 1,
        inheriting no running head): it is laid out at once, first pass and all (into ``known``),
        so that no chapter is planned from a guess of its length, the one most often wrong.
        ``also``: pieces that need nothing of the chapters (the blank page), laid out meanwhile."""
        wanted = [index for index, label in enumerate(self.ids)
                  if label not in self.latest and label not in self.before]
        if not wanted:
            return
        first = self.first_page or TEXT_FIRST
        # lines and strings are only known after: a reading needs neither
        jobs = [self._chapter(index, first, 1, {}, reading=index > 0) for index in wanted]
        laid = self.pool.lay_out(jobs + also, done)
        self.also = {job.label: laid[job.label] for job in also}
        for job in jobs:
            if job.reading:
                self.readings[job.label] = laid[job.label].info
            else:
                known[job.key(self.pool.salt)] = self.latest[job.label] = laid[job.label]
            job.html = ""   # laid out: known by its key (``finished``)

    def lay_out(self, also: list[Job] = ()) -> tuple[list, object, list]:
        """Each piece laid out in turn, from what the pieces before it are (or are likely to be),
        until every piece was laid out from what the pieces before it are (``also``: as for
        ``_read_first``, then in ``self.also``, by label)."""
        known: dict[str, object] = {}
        progress = current()
        count = 0
        flying: set[str] = set()
        tries: dict[str, int] = {}

        def done(job, laid=None):
            nonlocal count
            count += 1
            what = "read" if job.reading else "taken from the cache" if laid and not laid.fresh else "laid out"
            progress.part(f"{self.document.id}: {job.label} {what} ({count} piece(s) so far)")

        def next_job():
            jobs, front = self.plan(known)
            waiting = [job for job in jobs if job.key(self.pool.salt) not in known]
            if front is not None and front.key(self.pool.salt) not in known and not waiting and not flying:
                waiting.append(front)   # the contents' numbers wait for the chapters to join
            for job in waiting:
                if job.label in flying or tries.get(job.label, 0) > MAX_ROUNDS:
                    continue
                tries[job.label] = tries.get(job.label, 0) + 1
                flying.add(job.label)
                return job
            return None

        def finished(job, laid):
            flying.discard(job.label)
            known[job.key(self.pool.salt)] = self.latest[job.label] = laid
            done(job, laid)
            job.html = ""   # known by its key from now on: its HTML not held (150 chapters: ~90 MB)

        def join():   # while the processes lay out the next chapters (``joining``)
            if self.joining is not None:
                self.joining.advance(self.plan(known)[0], known)

        self._read_first(done, known, list(also))
        self.pool.lay_out_in_turn(next_job, finished, join)
        jobs, front = self.final = self.plan(known)
        problems = []
        if any(job.key(self.pool.salt) not in known for job in jobs + ([front] if front else [])):
            problems.append(warning("W710", f"the chapters of {self.document.id} did not join after "
                                            f"{MAX_ROUNDS} layouts of each: page or line numbers may be off "
                                            "after a chapter", str(self.document.path),
                                    hint="rebuild; if it persists, report it with the project"))
        return ([known.get(job.key(self.pool.salt)) or self.latest[job.label] for job in jobs],
                front and (known.get(front.key(self.pool.salt)) or self.latest[front.label]), problems)

    def laid_also(self, job: Job):
        """A piece laid out beside the first passes (``_read_first``), else now (or from the cache)."""
        return self.also.get(job.label) or self.pool.lay_out([job])[job.label]

    def marks(self) -> tuple[list[frozenset[str]], list[bool]]:
        """Each chapter's stand-in anchors and whether it has a table (``assemble.Piece``)."""
        return [stand_ins(tree) for tree in self.trees], [has_tables(tree) for tree in self.trees]

    def let_go(self) -> None:
        """The trees and jobs let go, as the join needs no more of them: not held while the
        pieces are joined (the peak of memory)."""
        self.trees, self.jobs = [], {}

    def remember(self, laid: list, front) -> None:
        """Keep what this layout found for the next (``_guess``); forget the pieces it replaced."""
        before = self.record.get("keys", [])
        self.pool.prune(before)
        record = {"keys": sorted(self.pool.used),
                  "pieces": {label: {"pages": p.info.pages, "lines": p.info.lines, "strings": p.info.strings}
                             for label, p in zip(self.ids, laid)}}
        write_atomic(self.record_path, json.dumps(record, sort_keys=True), durable=False)


def _result(pieces: Pieces, laid: list, front, problems: list, pages: int, start: float) -> PdfResult:
    every = ([front] if front else []) + laid
    labels = (["front matter"] if front else []) + pieces.ids
    diagnostics = problems + [dataclasses.replace(d, message=f"{d.message} (in {label})")
                              for label, p in zip(labels, every) for d in p.info.diagnostics]
    starts = [0]   # each piece's first page's index in the joined PDF
    for piece in every[:-1]:
        starts.append(starts[-1] + piece.info.pages)
    if front:   # the text opens on a recto
        starts[1:] = [start + recto(front.info.pages + 1) - 1 - front.info.pages for start in starts[1:]]
    anchors: dict[str, int] = {}
    # the chapters' anchors first: the front matter's contents hold stand-ins for theirs
    for piece, index in sorted(zip(every, starts), key=lambda pair: pair[0] is front):
        for anchor, page in piece.info.anchors.items():
            anchors.setdefault(anchor, index + page)
    return PdfResult(Path(), pages, max(p.info.passes for p in every), sum(p.info.entries for p in laid),
                     time.perf_counter() - start, diagnostics, anchors=anchors,
                     laid_out=[label for label, piece in zip(labels, every) if piece.fresh], pieces=len(laid),
                     worker_mib=max(p.info.worker_mib for p in every),
                     worker_cpu=pieces.pool.worker_cpu)


def render_pieces(project, document, options: PdfOptions, *, jobs: int | None = None,
                  parts=None) -> tuple[bytes, PdfResult]:
    """The text's PDF from its chapters laid out apart (module doc), joined as they are laid out
    (``joining``); ``parts``: the text's ``document.book_parts``, when made already."""
    start = time.perf_counter()
    pieces = Pieces(project, document, options, jobs, parts)
    front_stand_ins = stand_ins(lxml_html.document_fromstring(pieces._front({}).html))
    blank_job = pieces._job("blank", blank_book(pieces.parts).tree, attachments=pieces.whole.attachments)
    own, tables = pieces.marks()
    pieces.joining = Joining(pieces.pool.salt, own, tables, lambda: pieces.laid_also(blank_job))
    try:
        laid, front, problems = pieces.lay_out(also=[blank_job])
        blank_piece = pieces.laid_also(blank_job)
    finally:
        pieces.pool.close(kill=True)
    joining, pieces.joining = pieces.joining, None
    data, before = joining.finish(pieces.final[0], front, front_stand_ins)
    if data is None:   # not the chapters the layout ended with (``joining``)
        data, before = join_anew(front, blank_piece, front_stand_ins, laid, own, tables)
    pages = before + sum(piece.info.pages for piece in laid)
    info = _result(pieces, laid, front, list(pieces.parts.diagnostics) + problems, pages, start)
    pieces.remember(laid, front)
    return data, info


def text_in_volume(project, parts, book, options: PdfOptions, first: int, *,
                   jobs: int | None = None) -> tuple[list[Piece], list, PdfResult]:
    """A book-length text of the volume (``book``: it alone, its chapters marked) starting on page
    ``first``, from its chapters laid out apart as for its own PDF (the same seeds: a pass each
    when only the page numbers differ): its chapters as pieces for the volume to add (each with
    the stand-in anchors it holds, ``assemble``), and the levels of their bookmarks, in order, to
    nest them by (``assemble.nest_outline``). Not joined here: the volume joins them once."""
    start = time.perf_counter()
    document = next(d for d in parts.documents if d.id == book.tree.xpath("string(//section/@data-text)"))
    pieces = Pieces(project, document, options, jobs, parts, book=book, first_page=first)
    try:
        laid, _front, problems = pieces.lay_out()
    finally:
        pieces.pool.close(kill=True)
    own, tables = pieces.marks()
    pieces.let_go()
    chapters = [Piece(piece.data, recto=False, stand_ins=ins, tables=table)
                for piece, ins, table in zip(laid, own, tables)]
    levels = [level for piece in laid for level in piece.info.bookmarks]
    pieces.remember(laid, None)
    return chapters, levels, _result(pieces, laid, None, problems, sum(p.info.pages for p in laid), start)

