"""``edition ingest``: single-witness text files → TEI in ``tei/``.

In: the project's ``[[text]]`` entries that have a ``source`` (a witness file in ``sources/``)
and their rules (``rules/<id>.toml``, ``rules/hyphenation.toml``). Out: ``tei/<id>.xml`` for
each, and reports in ``build/reports/``: ``<id>.hyphenation.tsv`` (every line-end hyphen,
decided, with its evidence) and ``<id>.ingest.txt`` (note links, warnings, pages, paragraph
breaks inferred at page starts with their evidence, gaps, uncertain hyphen decisions).

The steps, in order, each a small pure function in its own module, each reporting back to
witness line numbers (``STEPS`` lists them):

1. ``normalise``   bytes → numbered lines; page starts and forme work (``normalise.py``)
2. ``undouble``    doubled heading lines given back once (``doubled.py``)
3. ``dehyphenate`` every line-end hyphen decided, evidence recorded (``hyphenation.py``)
4. ``structure``   parts, divisions, heads, paragraphs, dividers, tables, notes (``structure.py``)
5. ``link notes``  references ``(n)`` → endnotes, order checked (``notes.py``)
6. ``pages, gaps`` numbered page breaks, lost text (``pages.py``), then TEI (``encode.py``)
7. ``header``      the ``teiHeader`` from the rules and the facts above (``header.py``)

Undoubling runs before dehyphenation because a doubled line-end hyphen (``ffuunncc--``) is only
a hyphen once undoubled. The same sources and rules always give the same bytes. With
``check`` nothing is written and the exit status says whether ``tei/`` is up to date. All texts
are encoded before any file is written, so an error in one leaves every file as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from edition.diagnostics import Diagnostic, EditionError, error, info
from edition.ingest import (
    decisions,
    doubled,
    encode,
    header,
    hyphenation,
    normalise,
    notes,
    pages,
    structure,
)
from edition.ingest.rules import load_hyphen_rules, load_text_rules
from edition.ledger import LEDGER_NAME, accepted_ids, merged_ledger, overrules
from edition.project import Project, TextConfig
from edition.tei.maker import E, indent
from edition.tei.reviewed import mark_reviewed
from edition.tei.written import write_tei
from edition.tei.xmlio import XML_ID, serialize

STEPS = ("normalise", "undouble", "dehyphenate", "structure", "link notes", "pages and gaps", "header")


@dataclass
class IngestResult:
    """What ingesting one text produced (nothing is written yet)."""

    text_id: str
    tei_path: Path
    tei: bytes
    reports: dict[Path, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    summary: str = ""
    decisions: list[dict] = field(default_factory=list)


def single_witness_texts(project: Project, text_ids: list[str]) -> list[TextConfig]:
    """The texts to ingest: those named (each must have a ``source``), or all that have one."""
    if not text_ids:
        return [t for t in project.texts if t.source is not None and not t.witnesses]
    chosen = []
    for text_id in text_ids:
        text = project.text(text_id)
        if text.source is None or text.witnesses:
            raise EditionError(error("E222", f"text '{text_id}' has several witnesses; use 'edition collate'",
                                     project.root / "edition.toml"))
        chosen.append(text)
    return chosen


def read_source(text: TextConfig) -> bytes:
    """The witness bytes, or an error that names the missing file."""
    try:
        return text.source.read_bytes()
    except OSError as exc:
        raise EditionError(error("E223", f"cannot read the witness of '{text.id}': {exc.strerror}", text.source,
                                 hint="check 'source' in edition.toml; witnesses live in sources/")) from None


def corpus_vocabulary(project: Project) -> hyphenation.Vocabulary:
    """Word counts of every witness of the project (single and collated texts)."""
    paths = [t.source for t in project.texts if t.source] + [w.source for t in project.texts for w in t.witnesses]
    texts = []
    for path in sorted(set(paths)):
        if path.is_file():
            texts.append(path.read_bytes().decode("utf-8", errors="replace"))
    return hyphenation.Vocabulary.from_texts(texts)


def ingest_text(project: Project, text: TextConfig, hyphen_rules, vocabulary) -> IngestResult:
    """Run the steps on one text; return its TEI bytes and reports (see the module doc)."""
    rules = load_text_rules(text.rules)
    overruled = overrules(rules.data)      # an editor's [[overrule]] entries, by decision id
    data = read_source(text)
    lines = normalise.normalise(data, text.source, rules)                           # 1
    lines = doubled.recover_doubled(lines)                                          # 2
    lines, moved = decisions.overrule_pages(lines, text.id, overruled, text.rules)
    forced = [g["after_line"] for g in rules.tables("gap")]
    lines = hyphenation.dehyphenate(lines, hyphen_rules, vocabulary, forced)        # 3
    lines = decisions.overrule_hyphens(lines, text.id, overruled, text.rules)
    levels = decisions.heading_levels(lines, text.id, overruled, text.rules)
    divisions = structure.structure(lines, rules, levels)                           # 4
    links = notes.link_notes(divisions, rules, text.source)                         # 5
    links = decisions.overrule_notes(links, {ln.n: ln.text for ln in lines}, text.id, rules.prefix,
                                     overruled, text.rules, text.source)
    marks = pages.mark_pages(lines, rules)                                          # 6
    doubled_id = f"{rules.prefix}doubled-bold" if any(ln.doubled for ln in lines) else None
    encoder = encode.Encoder(rules, links, marks, f"#{doubled_id}" if doubled_id else None)
    language = rules.table("metadata").get("language", project.settings.get("language", "en"))
    body = encode.encode_text(divisions, encoder, language)
    decided = hyphenation.decisions(lines)
    blocks = [p for b in structure.walk_blocks(divisions) for p in [b, *b.attrs.get("paras", [])]]
    inferred = sorted((b.first, *b.attrs["page_start"]) for b in blocks if "page_start" in b.attrs)
    head = header.text_header(project.settings, rules, text.source, data, project.root,   # 7
                              decided=decided, marks=marks, links=links, doubled_id=doubled_id,
                              page_paragraphs=(len(inferred), sum(1 for i in inferred if not i[1])))
    made = decisions.ledger_entries(text.id, _rel(text.source, project),
                                    data.decode("utf-8", errors="replace").split("\n"),
                                    lines, links, marks, blocks, overruled, rules, moved, encoder.repeats)
    root = E.TEI(head, body)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    mark_reviewed(root, made, accepted_ids(project.rules_dir))      # resp="#ed" where an editor decided
    indent(root)
    result = IngestResult(text.id, project.tei_dir / f"{text.id}.xml", serialize(root))
    result.decisions = made
    result.diagnostics = list(links.diagnostics) + [
        info("I303", message, text.source, line, 1)
        for line, message in encoder.findings] + decisions.stale_overrules(overruled, result.decisions, text.rules)
    reports = project.build_dir / "reports"
    result.reports[reports / f"{text.id}.hyphenation.tsv"] = hyphenation.tsv(decided)
    result.reports[reports / f"{text.id}.ingest.txt"] = ingest_report(text, links, marks, decided,
                                                                       result.diagnostics, inferred)
    joined = sum(1 for d in decided if d.action == "join")
    kept = sum(1 for d in decided if d.action == "keep")
    unsure = sum(1 for d in decided if not d.certain)
    result.summary = (f"{text.id}: {len(decided)} line-end hyphens ({joined} joined, {kept} kept, "
                      f"{unsure} uncertain), {len(marks.pages)} pages, {len(links.refs)} note references, "
                      f"{sum(1 for i in inferred if not i[1])} uncertain paragraph breaks")
    return result


def ingest_report(text: TextConfig, links: notes.NoteLinks, marks: pages.PageMarks, decided,
                  diagnostics: list[Diagnostic], inferred: list[tuple[int, bool, str]]) -> str:
    """The notes-and-warnings report of one text, as plain text."""
    out = [f"# ingest report: {text.id} ({text.source.name})", "", "## note references",
           "line\tcol\tnote\tid\tcertain\treason"]
    for ref in sorted(links.refs.values(), key=lambda r: (r.line, r.col)):
        out.append(f"{ref.line}\t{ref.col + 1}\t{ref.n}\t{ref.id}\t{'yes' if ref.certain else 'NO'}\t{ref.reason}")
    out += ["", "## warnings"] + ([d.format() for d in diagnostics] or ["(none)"])
    out += ["", "## pages", marks.summary]
    unsure_p = sum(1 for _, certain, _ in inferred if not certain)
    out += ["", f"## paragraphs begun at a page start, where the page break hides any blank line "
            f"({len(inferred)}, {unsure_p} uncertain: <p cert=\"low\">)", "line\tcertain\tevidence"]
    out += [f"{n}\t{'yes' if certain else 'NO'}\t{reason}" for n, certain, reason in inferred] or ["(none)"]
    out += ["", "## gaps"]
    out += [f"after line {g.line}: {g.reason}: {g.description}" for g in marks.gaps.values()] or ["(none)"]
    unsure = [d for d in decided if not d.certain]
    out += ["", f"## uncertain hyphen decisions ({len(unsure)})"]
    out += [f"{d.line}\t{d.left}-|{d.right}\t→ {d.result}\t{d.evidence}: {d.reason}" for d in unsure]
    return "\n".join(out) + "\n"


def check_ids(results: list[IngestResult], project: Project) -> list[Diagnostic]:
    """Passage ids (xml:ids inside ``<text>``) must be unique across the edition.

    Header ids (``#ed``, ``#translator``) are local to each file and may repeat.
    """
    from lxml import etree

    seen: dict[str, str] = {}
    problems = []
    mine = {r.tei_path.name for r in results}
    others = [(p.name, p.read_bytes()) for p in project.tei_files() if p.name not in mine]
    for name, data in [(r.tei_path.name, r.tei) for r in results] + others:
        try:
            root = etree.fromstring(data)
        except etree.XMLSyntaxError:
            continue  # another stage reports a broken file
        for element in root.iterfind(".//{http://www.tei-c.org/ns/1.0}text//*"):
            ident = element.get(XML_ID)
            if ident and ident in seen and seen[ident] != name:
                problems.append(error("E221", f"xml:id '{ident}' is used in both {seen[ident]} and {name}",
                                      project.tei_dir / name, hint="set [ids] prefix in the text's rules"))
            seen.setdefault(ident, name) if ident else None
    return problems


def run_ingest(project: Project, text_ids: list[str], check: bool = False,
               echo: Callable[[str], None] = print, force: bool = False) -> int:
    """Ingest the texts (all single-witness texts when ``text_ids`` is empty); return the exit status.

    ``echo`` receives each line to show (findings, what was written); the CLI sends them to stderr.
    A TEI file an editor changed since ingest wrote it is refused (E160) unless ``force``.
    """
    texts = single_witness_texts(project, text_ids)
    hyphen_rules = load_hyphen_rules(project.rules_dir / "hyphenation.toml")
    vocabulary = corpus_vocabulary(project)
    results, problems = [], []
    for text in texts:
        try:
            results.append(ingest_text(project, text, hyphen_rules, vocabulary))
        except EditionError as exc:
            problems.extend(exc.diagnostics)
    problems.extend(check_ids(results, project))
    if problems:
        raise EditionError(*problems)
    for result in results:
        for diagnostic in result.diagnostics:
            echo(diagnostic.format())
    if check:
        stale = [r for r in results if not r.tei_path.is_file() or r.tei_path.read_bytes() != r.tei]
        for result in stale:
            echo(f"{_rel(result.tei_path, project)}: differs from what the sources and rules give now "
                 f"(run 'edition ingest {result.text_id}')")
        if not stale:
            echo(f"ingest --check: {len(results)} TEI file(s) up to date")
        return 1 if stale else 0
    # every TEI file, or none: one an editor changed is refused before any is written (E160)
    reports = {path: content for r in results for path, content in r.reports.items()}
    ledger = project.build_dir / "reports" / LEDGER_NAME
    reports[ledger] = merged_ledger(ledger, {r.text_id: r.decisions for r in results},
                                    accepted_ids(project.rules_dir))
    written = write_tei(project, {r.tei_path: r.tei for r in results}, "ingest", force=force, reports=reports)
    for result in results:
        state = "written" if written[result.tei_path] else "unchanged"
        echo(f"{_rel(result.tei_path, project)} {state}: {result.summary}")
    return 0


def _rel(path: Path, project: Project) -> str:
    try:
        return path.relative_to(project.root).as_posix()
    except ValueError:
        return str(path)
