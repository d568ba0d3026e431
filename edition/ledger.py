"""The decision ledger: every automatic decision of ``ingest`` and ``collate``, with a stable id.

In: the decisions a stage took on one text (built by ``edition.ingest.decisions`` and
``edition.collate.decisions`` with ``decision``), the text's ``[[overrule]]`` entries and the
ids an editor accepted (``rules/reviewed.toml``). Out: ``build/reports/decisions.json``, one
file for the whole edition: ``{"version": 1, "texts": {text_id: [decision, …]}}``, each decision a
plain dict (``FIELDS``), and the lookups the stages use to apply an editor's overrule.

An id is a hash of the text, the kind of decision and where it stands in the witness with the
words there (never a counter, never the outcome), so it is the same on every run and stays the
same after an editor overrules the decision: ``hyphen-3f2a91c0d4``.

Certainty is one of ``high``, ``medium``, ``low`` (the TEI's ``@cert`` values); review is
``unreviewed``, ``accepted`` (listed in ``rules/reviewed.toml``) or ``overruled`` (an
``[[overrule]]`` entry in the text's rules decided it).
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path

LEDGER_NAME = "decisions.json"
REVIEWED_FILE = "reviewed.toml"
KINDS = ("hyphen", "page-break", "paragraph", "note-link", "heading", "surplus",
         "unit", "variant-type", "emendation")
# What an overrule may set, by kind (the kinds not listed are accepted or edited by hand).
CHOICES = {"hyphen": ("join", "keep"), "variant-type": ("punctuation", "case", "orthographic", "substantive"),
           "paragraph": ("break", "continue"), "heading": ("0", "1", "2", "3")}
FIELDS = ("id", "text", "kind", "value", "certainty", "review", "source", "line", "target",
          "rule", "reason", "lines", "choices")
# A paragraph decision adds "after_line": the witness line a [paragraphs] continue_after entry names.
CERTAINTY_ORDER = {"low": 0, "medium": 1, "high": 2}
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def decision_id(text_id: str, kind: str, *where: object) -> str:
    """The stable id of a decision: its kind and a hash of the text, kind and witness position/words."""
    key = "\x1f".join([text_id, kind, *map(str, where)])
    return f"{kind}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10]}"


def decision(text_id: str, kind: str, where: tuple, *, value: str, certainty: str, source: str, line: int,
             rule: str, reason: str, lines: list[tuple[int, str]], target: str = "",
             choices: tuple[str, ...] | None = None, overruled: dict | None = None, ident: str = "") -> dict:
    """One ledger entry; ``where`` (the position and the words there) makes its id, unless ``ident``
    gives it (a unit an editor split or merged keeps the id of the unit the tool had there)."""
    ident = ident or decision_id(text_id, kind, *where)
    review = "overruled" if overruled and ident in overruled else "unreviewed"
    return {"id": ident, "text": text_id, "kind": kind, "value": value, "certainty": certainty,
            "review": review, "source": source, "line": line, "target": target, "rule": rule,
            "reason": reason, "lines": [[n, t] for n, t in lines],
            "choices": list(choices if choices is not None else CHOICES.get(kind, ()))}


def witness_lines(lines: list[str], line: int, before: int = 1, after: int = 2) -> list[tuple[int, str]]:
    """The witness lines around 1-based ``line`` (its evidence as a reader sees it)."""
    first, last = max(1, line - before), min(len(lines), line + after)
    return [(n, lines[n - 1]) for n in range(first, last + 1)]


def overrules(rules_data: dict) -> dict[str, dict]:
    """The ``[[overrule]]`` entries of a text's rules, by decision id."""
    return {entry["id"]: entry for entry in rules_data.get("overrule", []) if "id" in entry}


def accepted_ids(rules_dir: Path) -> set[str]:
    """The decision ids an editor accepted (``rules/reviewed.toml``; none when absent)."""
    path = rules_dir / REVIEWED_FILE
    if not path.is_file():
        return set()
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return {entry["id"] for entry in data.get("accepted", []) if "id" in entry}


def unmatched(overruled: dict[str, dict], made: list[dict], kinds: tuple[str, ...], rules_path) -> list:
    """W500 for each overrule of these kinds whose id no decision of this run has."""
    from edition.diagnostics import warning

    ids = {d["id"] for d in made}
    return [warning("W500", f"[[overrule]] {ident} matches no decision of this text (the witnesses or the "
                    "rules changed?); it has no effect", rules_path, hint="remove it, or review the decision again")
            for ident, entry in overruled.items()
            if entry.get("kind", ident.rsplit("-", 1)[0]) in kinds and ident not in ids]


def read_ledger(path: Path) -> dict:
    """The ledger file, or an empty ledger when there is none (or it is unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"version": 1, "texts": {}}
    return data if isinstance(data.get("texts"), dict) else {"version": 1, "texts": {}}


def shared_ledger(path: Path) -> dict:
    """``read_ledger``, parsed once for each content: a book's ledger is megabytes, and an overrule
    reads it before, while and after it writes it (what ``merged_ledger`` made is known by its
    hash without parsing it again). The data is shared: it must not be changed."""
    try:
        raw = path.read_bytes()
    except OSError:
        return read_ledger(path)
    key = hashlib.sha256(raw).hexdigest()
    data = _SHARED.get(key)
    if data is None:
        data = _remember(key, read_ledger(path))
    return data


_SHARED: dict[str, dict] = {}


def _remember(key: str, data: dict) -> dict:
    while len(_SHARED) >= 2:                     # the ledger as it was and as it is now
        _SHARED.pop(next(iter(_SHARED)))
    _SHARED[key] = data
    return data


def merged_ledger(path: Path, texts: dict[str, list[dict]], accepted: set[str]) -> str:
    """The ledger file's new content: the texts given replace theirs, the others are kept."""
    old = shared_ledger(path)
    merged = {**old["texts"], **texts}
    data = {**old, "texts": {text_id: [_reviewed(e, accepted) for e in entries] for text_id, entries in merged.items()}}
    text = ledger_json(data)
    _remember(hashlib.sha256(text.encode("utf-8")).hexdigest(), data)
    return text


def _reviewed(entry: dict, accepted: set[str]) -> dict:
    """The entry with its review as ``rules/reviewed.toml`` says (a copy when that changes it)."""
    if entry["review"] == "overruled":
        return entry
    review = "accepted" if entry["id"] in accepted else "unreviewed"
    return entry if entry["review"] == review else {**entry, "review": review}


def ledger_json(data: dict) -> str:
    """The ledger as JSON text, one decision a line: as readable in a diff as an indented file, and
    made by the json module's C encoder (``indent`` makes it use the Python one, which took half a
    second for a book's 40,000 decisions, on every overrule)."""
    encode = _ENCODER.encode
    texts = []
    for text_id, entries in sorted(data["texts"].items()):
        rows = ",\n".join(f"   {encode(entry)}" for entry in entries)
        texts.append(f" {encode(text_id)}: [\n{rows}\n  ]" if rows else f" {encode(text_id)}: []")
    body = ",\n".join(texts)
    return f'{{"version": {encode(data.get("version", 1))}, "texts": {{\n{body}\n}}}}\n'


def ordered(entries: list[dict]) -> list[dict]:
    """Uncertain first, then unreviewed before reviewed, then by kind and place in the witness."""
    return sorted(entries, key=lambda d: (CERTAINTY_ORDER.get(d["certainty"], 1), d["review"] != "unreviewed",
                                          KINDS.index(d["kind"]) if d["kind"] in KINDS else 99, d["line"]))
