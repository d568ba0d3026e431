"""``edition review``: list, accept and overrule the decisions of ingest and collate; undo.

In: the project, its ledger (``build/reports/decisions.json``, written by ``ingest`` and
``collate``; made in memory when absent) and an editor's action. Out:

- ``listing``: the decisions, uncertain first (``edition.ledger.ordered``), filtered by kind;
- ``accept``: the decision's id added to ``rules/reviewed.toml`` (``[[accepted]]``), then the text
  ingested or collated again (its ledger entry ``accepted``, its TEI element ``resp="#ed"``);
- ``overrule``: the editor's decision written into the text's ``rules/<id>.toml`` (commented with
  what it overrides, ``rulesfile``): a paragraph break in ``[paragraphs]``, any other decision
  as an ``[[overrule]]`` block; then the text ingested or collated again by the usual
  command, so the TEI, the reports and the ledger change; a TEI file an editor edited by hand is
  refused as ``ingest``/``collate`` refuse it (E160), and then nothing is changed;
- ``undo``: the files of the last action put back byte for byte (``journal``).

Every action first records the files it may change in the journal; an action that fails puts
them back at once, so the project is never left half-changed.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Callable

from edition.diagnostics import EditionError, error
from edition.fsutil import locked, write_atomic
from edition.ledger import (
    LEDGER_NAME,
    REVIEWED_FILE,
    accepted_ids,
    merged_ledger,
    ordered,
    overrules,
    shared_ledger,
)
from edition.project import Project
from edition.review import journal
from edition.review.rulesfile import (
    REVIEWED_HEADER,
    accepted_block,
    array_comment,
    earlier_comment,
    overrule_block,
    paragraph_rule,
    with_array_entry,
    with_block,
    without_array_entries,
    without_block,
)
from edition.tei.written import COPIES, RECORD

INGEST_REPORTS = ("hyphenation.tsv", "ingest.txt")
COLLATE_REPORTS = ("variants.tsv", "structure.tsv")


def ledger_path(project: Project) -> Path:
    """Where the ledger is: ``build/reports/decisions.json``."""
    return project.build_dir / "reports" / LEDGER_NAME


def _read(path: Path) -> dict:
    """The ledger, parsed once for each content (``shared_ledger``): what leaves this module is a copy."""
    return shared_ledger(path)


def decisions(project: Project) -> list[dict]:
    """Every decision of the edition's texts (the ledger made first when it lacks a text)."""
    data = _read(ledger_path(project))
    missing = [t.id for t in project.texts if t.id not in data["texts"]]
    if missing:
        data = refresh_ledger(project, missing)
    texts = {t.id for t in project.texts}       # a text no longer in edition.toml is not reviewed
    return [entry for text_id, entries in data["texts"].items() if text_id in texts for entry in entries]


def refresh_ledger(project: Project, text_ids: list[str]) -> dict:
    """Work out the decisions of these texts in memory (nothing but the ledger is written)."""
    from edition.collate.rules import load_collation_rules
    from edition.collate.run import collate_text
    from edition.ingest import corpus_vocabulary, ingest_text
    from edition.ingest.rules import load_hyphen_rules

    made = {}
    texts = [project.text(t) for t in text_ids]
    single = [t for t in texts if t.source is not None and not t.witnesses]
    if single:
        hyphen_rules = load_hyphen_rules(project.rules_dir / "hyphenation.toml")
        vocabulary = corpus_vocabulary(project)
        made.update({t.id: ingest_text(project, t, hyphen_rules, vocabulary).decisions for t in single})
    collated = [t for t in texts if t.is_collation]
    if collated:
        crules = load_collation_rules(project.rules_dir)
        made.update({t.id: collate_text(project, t, crules).decisions for t in collated})
    path = ledger_path(project)
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(project.build_dir.parent):
        write_atomic(path, merged_ledger(path, made, accepted_ids(project.rules_dir)))
    return _read(path)


def listing(project: Project, kind: str | None = None, uncertain: bool = False,
            text_id: str | None = None) -> list[dict]:
    """The decisions to show, uncertain first."""
    chosen = [d for d in decisions(project) if (kind is None or d["kind"] == kind)
              and (not uncertain or d["certainty"] != "high") and (text_id is None or d["text"] == text_id)]
    return ordered([dict(d) for d in chosen])


def find(project: Project, ident: str) -> dict:
    """The decision with this id (E503 when there is none)."""
    for entry in decisions(project):
        if entry["id"] == ident:
            return dict(entry)
    raise EditionError(error("E503", f"no decision has the id '{ident}'", ledger_path(project),
                             hint="edition review --list shows the ids"))


def accept(project: Project, ident: str, echo: Callable[[str], None] = print) -> dict:
    """Record that an editor checked the decision and agrees with it; ingest or collate the text
    again, so that its TEI says so (``resp="#ed"``, ``edition.tei.reviewed``)."""
    entry = find(project, ident)
    path = project.rules_dir / REVIEWED_FILE
    text = project.text(entry["text"])
    touched = [path, *_touched(project, text.id, text.rules)]
    step = journal.record(project.root, f"accept {ident}", touched)
    old = path.read_text(encoding="utf-8") if path.is_file() else REVIEWED_HEADER
    write_atomic(path, with_block(old, "accepted", ident, accepted_block(entry)))
    _rerun_or_restore(project, text, step, touched, echo)
    return find(project, ident)


def overrule(project: Project, ident: str, value: str, echo: Callable[[str], None] = print) -> dict:
    """Write the editor's decision into the text's rules and ingest or collate the text again."""
    entry = find(project, ident)
    if not entry["choices"]:
        raise EditionError(error("E504", f"a {entry['kind']} decision cannot be overruled from the review",
                                 ledger_path(project), hint="accept it, or change the text's rules by hand"))
    if value not in entry["choices"]:
        raise EditionError(error("E505", f"'{value}' is not a choice for {ident}", ledger_path(project),
                                 hint=f"use one of {', '.join(entry['choices'])}"))
    text = project.text(entry["text"])
    if text.rules is None:
        raise EditionError(error("E504", f"text '{text.id}' has no rules file to hold the overrule",
                                 project.root / "edition.toml", hint="give the text a 'rules' file"))
    rules = text.rules.read_text(encoding="utf-8")
    changed = _with_overrule(rules, entry, value, text.rules)
    touched = _touched(project, text.id, text.rules)
    step = journal.record(project.root, f"overrule {ident} {value}", touched)
    write_atomic(text.rules, changed)
    _rerun_or_restore(project, text, step, touched, echo)
    return find(project, ident)


def _with_overrule(rules: str, entry: dict, value: str, path: Path) -> str:
    """The rules file's text with the editor's decision: in ``[paragraphs]`` for a paragraph break
    (the rule form ingest reads for it), else as an ``[[overrule]]`` block; an earlier overrule of
    the same decision is taken out first."""
    earlier = overrules(tomllib.loads(rules)).get(entry["id"], {}).get("value")
    comment = earlier_comment(rules, entry["id"])     # it says what the tool had, not the editor before
    rules = without_block(without_array_entries(rules, entry["id"]), "overrule", entry["id"])
    if entry["kind"] == "unit" and {earlier, value} == {"split", "merge"}:
        return rules                    # splitting what the editor merged (or the reverse) undoes it
    if entry["kind"] != "paragraph":
        return with_block(rules, "overrule", entry["id"], overrule_block(entry, value, comment))
    key, line = paragraph_rule(entry, value)
    changed = with_array_entry(rules, "paragraphs", key, line, array_comment(entry, comment))
    if changed is None:
        raise EditionError(error("E511", f"cannot add line {line} to [paragraphs] {key}: the file lays it out in a "
                                 "way the review does not edit", path,
                                 hint=f"add {line} to {key} by hand (a plain array of line numbers)"))
    return changed


def _rerun_or_restore(project: Project, text, step: Path, touched: list[Path], echo: Callable[[str], None]) -> None:
    """Ingest or collate the text again; on failure put the journal's files back (E507)."""
    try:
        _rerun(project, text, echo)
    except EditionError as exc:
        with locked(project.build_dir.parent):
            journal.restore(project.root, step)
        journal.drop(step)
        raise EditionError(error("E507", f"could not {'collate' if text.is_collation else 'ingest'} "
                                 f"'{text.id}' again; the files are as they were", text.rules),
                           *exc.diagnostics) from None
    journal.seal(project.root, step, touched)


def undo(project: Project) -> str:
    """Put back the files of the last accept or overrule; return what it was."""
    with locked(project.build_dir.parent):
        return journal.undo(project.root)


def _rerun(project: Project, text, echo: Callable[[str], None]) -> None:
    if text.is_collation:
        from edition.collate import run_collate
        from edition.validate import check_integrity

        run_collate(project, [text.id], echo=echo, verify=check_integrity)
    else:
        from edition.ingest import run_ingest

        run_ingest(project, [text.id], echo=echo)


def _touched(project: Project, text_id: str, rules: Path) -> list[Path]:
    """Every file an overrule of a decision of this text may write."""
    reports = project.build_dir / "reports"
    names = [f"{text_id}.{name}" for name in (*INGEST_REPORTS, *COLLATE_REPORTS)]
    return [rules, project.tei_dir / f"{text_id}.xml", project.tei_dir / RECORD,
            project.root / COPIES / f"{text_id}.xml", ledger_path(project), *(reports / n for n in names)]


def as_json(entries: list[dict]) -> str:
    """The decisions as JSON, for scripts."""
    return json.dumps(entries, ensure_ascii=False, indent=1)


def as_lines(entries: list[dict]) -> list[str]:
    """One line per decision: id, kind, certainty, review, place, value, why."""
    return [f"{d['id']}\t{d['kind']}\t{d['certainty']}\t{d['review']}\t{d['source']}:{d['line']}\t"
            f"{d['value']}\t{d['rule']}: {d['reason']}" for d in entries]
