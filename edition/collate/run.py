"""``edition collate``: several witnesses of one text → ``tei/<id>.xml`` with a typed apparatus.

In: the project (``edition.toml``: each collated text's witnesses, sigla, base), the general
rules (packaged, and the project's ``rules/collation.toml``) and the text's rules
(``rules/<id>.toml``). Out: the TEI file, ``build/reports/<id>.variants.tsv`` (every unit: id,
type, lemma, readings, witnesses; counts per type at the end), ``<id>.structure.tsv`` (the
title, front matter and headings the structure rules found, each with the rule that decided
it) and a summary per text. All texts are checked, built and (from the CLI) verified by the
validator's integrity rules before anything is written; any error stops the command with
nothing written.
"""

from __future__ import annotations

import gc
import re
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import edition.collate.cache as collate_cache
from edition.collate.align import columns
from edition.collate.decisions import (
    forced_units,
    heading_entries,
    ledger_entries,
    overrule_types,
    place_units,
    stale_overrules,
)
from edition.collate.normalise import Normaliser
from edition.collate.rules import (
    TYPES,
    CollatedTextRules,
    CollationRules,
    line_of,
    load_collation_rules,
    load_text_rules,
)
from edition.collate.structure import structure_summary, structure_tsv
from edition.collate.teiwriter import TeiWriter, document, xml_name, xml_name_ok
from edition.collate.transpose import TRANSPOSITION, mark_transpositions
from edition.collate.units import SPACING, Container, Unit, build_containers
from edition.collate.witness import Witness, read_witness
from edition.diagnostics import Diagnostic, EditionError, Severity, error
from edition.ledger import LEDGER_NAME, accepted_ids, merged_ledger, overrules
from edition.project import PROJECT_FILE, Project, TextConfig
from edition.tei.reviewed import mark_reviewed
from edition.tei.written import write_tei
from edition.tei.xmlio import serialize


@dataclass
class Collation:
    """What collating one text gave: the TEI bytes, the units, the report and timing."""

    text_id: str
    tei: bytes
    units: list[Unit]
    witnesses: list[Witness]
    seconds: float
    decisions: list[dict] = field(default_factory=list)   # the ledger entries (edition.ledger)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def counts(self) -> Counter:
        """Units per type."""
        return Counter(unit.type for unit in self.units)

    def transpositions(self) -> int:
        """Phrases found moved: a pair of readings at two places, or one reading within a unit."""
        marked = [r for u in self.units for r in u.readings if r.cause == TRANSPOSITION]
        return sum(1 for r in marked if r.partner is None) + sum(1 for r in marked if r.partner is not None) // 2

    def summary(self) -> str:
        """One line for a person."""
        counts = self.counts()
        types = ", ".join(f"{counts.get(t, 0)} {t}" for t in TYPES[::-1])
        if counts.get(SPACING):
            types += f" (and {counts[SPACING]} {SPACING} only)"
        moved = self.transpositions()
        if moved:
            types += f"; {moved} transposed phrase{'s' if moved != 1 else ''}"
        emended = sum(1 for u in self.units if u.emendation is not None)
        sigla = ", ".join(w.siglum + (" (base)" if i == 0 else "") for i, w in enumerate(self.witnesses))
        tokens = " + ".join(str(len(w.tokens)) for w in self.witnesses)
        return (f"{self.text_id}: witnesses {sigla}; {tokens} tokens; {len(self.units)} unit{'s' if len(self.units) != 1 else ''}: {types}; "
                f"{emended} emendation{'s' if emended != 1 else ''} ({self.seconds:.2f} s)")


def collate_witnesses(texts: list[tuple[str, Path, str]], crules: CollationRules,
                      trules: CollatedTextRules | None = None,
                      forced: dict | None = None) -> tuple[list[Witness], list[Container]]:
    """Tokenise, align and segment in-memory witnesses ``(siglum, path, text)``, base first
    (``forced``: an editor's split or merge of units, ``decisions.forced_units``)."""
    trules = trules or CollatedTextRules(path=None)
    normaliser = Normaliser(crules)
    structure = {**crules.table("structure"), **trules.table("structure")}
    witnesses = []
    for index, (siglum, path, text) in enumerate(texts):
        paratext = [p for p in trules.tables("paratext") if p.get("wit") == siglum]
        witnesses.append(read_witness(siglum, path, text, paratext, crules, normaliser,
                                      structure=structure if index == 0 else None, rules_path=trules.path))
    _check_shared(witnesses)
    ids: dict[str, int] = {}
    seqs = [[ids.setdefault(tok.n, len(ids)) for tok in w.tokens] for w in witnesses]
    cols = columns(seqs[0], seqs[1:])
    return witnesses, build_containers(witnesses, cols, crules, normaliser, forced)


def _check_shared(witnesses: list[Witness]) -> None:
    base = witnesses[0]
    if not base.tokens:
        raise EditionError(error("E406", f"the base witness {base.siglum} has no text outside its paratext", base.path,
                                 hint="check the file and the [[paratext]] line ranges"))
    words = {t.n for t in base.tokens if t.word}
    for other in witnesses[1:]:
        if not any(t.word and t.n in words for t in other.tokens):
            raise EditionError(error(
                "E407", f"witnesses {base.siglum} and {other.siglum} share no word: they are not versions of one text",
                other.path, hint="check the witness files configured in edition.toml"))


def units_of(containers: list[Container]) -> list[Unit]:
    """Every unit, in text order."""
    return [e for c in containers for e in c.events if isinstance(e, Unit)]


def apply_emendations(containers: list[Container], trules: CollatedTextRules, sigla: list[str]) -> None:
    """Adopt another witness's reading as lemma where the rules say so (each must match one unit)."""
    for rule in trules.tables("emendation"):
        where = trules.line(rule.get("context", rule.get("reject", "")))
        for key in ("adopt", "reject", "context", "reason"):
            if key not in rule:
                raise EditionError(error("E430", f"an [[emendation]] has no '{key}'", trules.path, where))
        adopt = sigla.index(rule["adopt"])
        found = [(c, u) for c in containers if rule["context"] in c.base_text
                 for u in c.events if isinstance(u, Unit)
                 and next(r.text for r in u.readings if 0 in r.wits).strip() == rule["reject"].strip()]
        if len(found) != 1:
            what = "no unit" if not found else f"{len(found)} units"
            raise EditionError(error("E431", f"the emendation of '{rule['reject']}' matches {what} of the collation",
                                     trules.path, where, hint="make 'context' a phrase of the copy-text around exactly one unit"))
        unit = found[0][1]
        unit.lemma = next(i for i, r in enumerate(unit.readings) if adopt in r.wits)
        unit.emendation = rule


def collate_text(project: Project, text: TextConfig, crules: CollationRules, cached: bool = False) -> Collation:
    """Collate one configured text; raise ``EditionError`` on any fault. ``cached``: the witnesses
    read and aligned are taken from the project's collation cache when it has them, and kept
    there when it has not (``edition.collate.cache``; the command's way)."""
    started = time.perf_counter()
    project_file = project.root / PROJECT_FILE
    raw = project_file.read_text(encoding="utf-8")
    if not text.is_collation:
        raise EditionError(error("E401", f"text '{text.id}' has no [[text.witness]] entries to collate",
                                 project_file, line_of(raw, f'"{text.id}"'),
                                 hint="use 'edition ingest' for a single witness"))
    sigla = [w.siglum for w in text.witnesses]
    base = _checked_sigla(text, sigla, project_file, raw)
    trules = load_text_rules(text.rules)
    trules.check_sigla(sigla)
    if trules.prefix and not xml_name_ok(trules.prefix + "x"):
        raise EditionError(error("E441", f"[ids] prefix '{trules.prefix}' cannot begin an xml:id", trules.path,
                                 trules.line("prefix"), hint="begin it with a letter, e.g. \"t-\""))
    ordered = sorted(text.witnesses, key=lambda w: w.siglum != base)
    texts = []
    for w in ordered:
        try:
            texts.append((w.siglum, w.source, w.source.read_bytes().decode("utf-8")))
        except OSError as exc:
            raise EditionError(error("E404", f"cannot read witness {w.siglum}: {exc.strerror}", w.source,
                                     hint=f"check 'source' of witness {w.siglum} in edition.toml")) from None
        except UnicodeDecodeError as exc:
            raise EditionError(error("E405", f"witness {w.siglum} is not UTF-8 (byte {exc.start})", w.source,
                                     hint="save the witness as UTF-8")) from None
    settings, wit_settings = dict(project.settings), [w.settings for w in ordered]
    cache = project.root / collate_cache.FOLDER if cached else None
    root, units, witnesses = collated_document(text.id, texts, crules, trules, settings, wit_settings, cache=cache)
    overruled = overrules(trules.data)
    forced = forced_units(units, text.id, [w.siglum for w in witnesses], overruled, trules.path)
    if forced:      # an editor split or merged units: collate again with them, each keeping its id
        root, units, witnesses = collated_document(text.id, texts, crules, trules, settings, wit_settings,
                                                   {at: action for at, (action, _) in forced.items()}, cache)
    made = ledger_entries(text.id, units, witnesses, [t for _, _, t in texts],
                          _shown(ordered[0].source, project.root), overruled,
                          {at: ident for at, (_, ident) in forced.items()})
    made += heading_entries(text.id, root, witnesses[0].blocks, texts[0][2].split("\n"),
                            _shown(ordered[0].source, project.root))
    mark_reviewed(root, made, accepted_ids(project.rules_dir))       # resp="#ed" where an editor decided
    return Collation(text.id, serialize(root), units, witnesses, time.perf_counter() - started, made,
                     stale_overrules(overruled, made, trules.path))


def _checked_sigla(text: TextConfig, sigla: list[str], project_file: Path, raw: str) -> str:
    """The base siglum, once the sigla are unique XML names and the base is one of them."""
    duplicates = sorted({s for s in sigla if sigla.count(s) > 1})
    if duplicates:
        raise EditionError(error("E403", f"text '{text.id}' has two witnesses with the siglum {duplicates[0]}",
                                 project_file, line_of(raw, f'siglum = "{duplicates[0]}"')))
    for siglum in sigla:
        if not xml_name_ok(siglum):
            raise EditionError(error("E440", f"the siglum '{siglum}' of text '{text.id}' is not an XML name: it "
                                     "cannot be the witness's xml:id", project_file, line_of(raw, f'siglum = "{siglum}"'),
                                     hint="begin it with a letter and use letters, digits, '-', '_' or '.' (e.g. "
                                          f"\"{xml_name(siglum)}\" or \"A\")"))
    base = text.base or sigla[0]
    if base not in sigla:
        raise EditionError(error("E402", f"the base '{base}' of text '{text.id}' is not among its witnesses ({', '.join(sigla)})",
                                 project_file, line_of(raw, f'base = "{base}"'), hint="set base to one of the sigla"))
    return base


def collate_to_tei(text_id: str, texts: list[tuple[str, Path, str]], crules: CollationRules,
                   trules: CollatedTextRules, settings: dict,
                   wit_settings: list[dict] | None = None) -> tuple[bytes, list[Unit], list[Witness]]:
    """The whole collation of in-memory witnesses (base first) down to the TEI bytes."""
    root, units, witnesses = collated_document(text_id, texts, crules, trules, settings, wit_settings)
    return serialize(root), units, witnesses


def collated_document(text_id: str, texts: list[tuple[str, Path, str]], crules: CollationRules,
                      trules: CollatedTextRules, settings: dict, wit_settings: list[dict] | None = None,
                      forced: dict | None = None, cache: Path | None = None) -> tuple:
    """The collation as a ``<TEI>`` tree, its units and witnesses (``collate_to_tei`` before bytes;
    ``cache``: the folder of the collation cache, or None)."""
    with _collector_paused():
        witnesses, containers = _read_and_aligned(text_id, texts, crules, trules, forced, cache)
        place_units(containers)
        apply_emendations(containers, trules, [w.siglum for w in witnesses])
        mark_transpositions(units_of(containers), re.compile(crules.word_pattern),
                            int(crules.table("transpositions").get("min_words", 3)))
        overrule_types(units_of(containers), text_id, [w.siglum for w in witnesses], overrules(trules.data),
                       trules.path)
        writer = TeiWriter(text_id, trules.prefix, witnesses)
        root, units = document(settings, trules, witnesses, 0, wit_settings or [{} for _ in witnesses], writer,
                               witnesses[0].blocks, containers)
        return root, units, witnesses


def _read_and_aligned(text_id: str, texts: list[tuple[str, Path, str]], crules: CollationRules,
                      trules: CollatedTextRules, forced: dict | None, cache: Path | None) -> tuple:
    """``collate_witnesses``, or what it gave before for the same inputs (the cache); a result
    made here is kept before the steps after it change it."""
    if cache is None:
        return collate_witnesses(texts, crules, trules, forced)
    ident = collate_cache.key(texts, crules, trules, forced)
    made = collate_cache.load(cache, text_id, ident)
    if made is None:
        made = collate_witnesses(texts, crules, trules, forced)
        collate_cache.store(cache, text_id, ident, made)
    return made


@contextmanager
def _collector_paused():
    """Pause CPython's cycle collector: a collation allocates millions of small objects that
    form no cycles, and each full collection would walk all of them again, making the time
    grow faster than the text (measured: 100× the text took 150× the time with it, 100× without)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def variants_tsv(collation: Collation) -> str:
    """The report: one row per unit, then the counts per type as comment lines."""
    sigla = [w.siglum for w in collation.witnesses]

    def show(value: str) -> str:
        return value.replace("\\", "\\\\").replace("\t", "\\t") or "∅"

    rows = ["id\ttype\tlemma\tlemma_wit\treadings\temendation"]
    for unit in collation.units:
        lemma = unit.readings[unit.lemma]
        others = [r for i, r in enumerate(unit.readings) if i != unit.lemma]
        readings = " | ".join(f"{show(r.text)} [{' '.join(sigla[w] for w in r.wits)}]"
                              + (f" ({r.cause}" + (f", see {r.partner.id})" if r.partner else ")") if r.cause else "")
                              for r in others)
        note = unit.emendation["reason"] if unit.emendation else ""
        rows.append("\t".join([unit.id, unit.type, show(lemma.text), " ".join(sigla[w] for w in lemma.wits),
                               readings, note]))
    counts = collation.counts()
    rows += [f"# {t}\t{counts.get(t, 0)}" for t in (*TYPES[::-1], SPACING)] + [f"# total\t{len(collation.units)}"]
    return "\n".join(rows) + "\n"


Verifier = Callable[[Path, bytes, list[Path]], list[Diagnostic]]


def _reports(project: Project, result) -> dict[Path, str]:
    """The reports of one collated text: its variation units and the structure collate found."""
    folder = project.build_dir / "reports"
    return {folder / f"{result.text_id}.variants.tsv": variants_tsv(result),
            folder / f"{result.text_id}.structure.tsv": structure_tsv(result.witnesses[0].blocks)}


def run_collate(project: Project, text_ids: list[str], check: bool = False,
                echo: Callable[[str], None] = print, verify: Verifier | None = None, force: bool = False) -> int:
    """Collate the named texts (default: every text with witnesses); return the exit status.

    ``verify`` (the CLI passes ``edition.validate.check_integrity``) checks each TEI file before
    anything is written, with the edition's other TEI files: an error there stops the command
    with nothing written (E444), so ``collate`` never leaves a file that ``build`` refuses. A TEI
    file an editor changed since collate wrote it is refused (E160) unless ``force``."""
    crules = load_collation_rules(project.rules_dir)
    texts = [project.text(t) for t in text_ids] if text_ids else [t for t in project.texts if t.is_collation]
    if not texts:
        echo("no text with witnesses to collate in edition.toml")
        return 0
    results = []
    for text in texts:
        echo(f"collating {text.id} …")
        results.append(collate_text(project, text, crules, cached=True))
    if verify is not None and not check:
        _verify(project, results, verify)
    status = 0
    for result in results:
        for diagnostic in result.diagnostics:
            echo(diagnostic.format())
    if not check:  # every TEI file, or none: one an editor changed is refused first (E160)
        reports = {path: data for r in results for path, data in _reports(project, r).items()}
        ledger = project.build_dir / "reports" / LEDGER_NAME
        reports[ledger] = merged_ledger(ledger, {r.text_id: r.decisions for r in results},
                                        accepted_ids(project.rules_dir))
        write_tei(project, {project.tei_dir / f"{r.text_id}.xml": r.tei for r in results}, "collate", force=force,
                  reports=reports)
    for result in results:
        target = project.tei_dir / f"{result.text_id}.xml"
        if check:
            current = target.read_bytes() if target.is_file() else None
            if current != result.tei:
                echo(f"{_shown(target, project.root)}: differs from what the witnesses and rules give now "
                     "(run 'edition collate' to rewrite it)")
                status = 1
            continue
        report = project.build_dir / "reports" / f"{result.text_id}.variants.tsv"
        structure = report.with_name(f"{result.text_id}.structure.tsv")
        blocks = result.witnesses[0].blocks
        echo(result.summary())
        echo(f"  {structure_summary(blocks)} (each in {_shown(structure, project.root)})")
        echo(f"  wrote {_shown(target, project.root)} and {_shown(report, project.root)}")
    if check and status == 0:
        echo(f"{len(results)} collated text(s) up to date")
    return status


def _verify(project: Project, results: list[Collation], verify: Verifier) -> None:
    """Refuse TEI that the validator's integrity rules reject (E444, then its findings)."""
    made = {project.tei_dir / f"{r.text_id}.xml" for r in results}
    others = [p for p in project.tei_files() if p not in made]
    for result in results:
        target = project.tei_dir / f"{result.text_id}.xml"
        errors = [d for d in verify(target, result.tei, others) if d.severity is Severity.ERROR]
        if errors:
            raise EditionError(error(
                "E444", f"the TEI collated for '{result.text_id}' breaks {len(errors)} rule(s) of "
                "'edition validate' (below); nothing was written", target,
                hint="a fault of 'edition collate' or a clash with another text of tei/ (ids): "
                     "set [ids] prefix in the text's rules, or report the witnesses that cause it"), *errors)


def _shown(path: Path, root: Path) -> str:
    """A path relative to the project when it lies inside it."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
