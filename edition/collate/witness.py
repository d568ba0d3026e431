"""Reading a witness: lines, paratext, tokens, and the block structure of the copy-text.

In: a witness file (UTF-8 text, exactly as it reached us), the paratext decisions for it and
the general rules. Out: a ``Witness``: its tokens in the Gothenburg model (original ``t``,
following whitespace ``ws``, normalised ``n``), each line start marked on the token that
begins it (line number and indentation), the paratext lines set aside, and, for the copy-text,
its blocks (title, heading, paragraph, verse group, list) as ranges of tokens.

Everything needed to give the file back byte for byte is kept: line numbers (blank lines are
the numbers no token or paratext claims), indentation, whitespace between tokens, whitespace-
only lines, and the number of lines (a final line feed is an empty last line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from edition.collate.normalise import Normaliser
from edition.collate.rules import CollationRules
from edition.collate.structure import Block, find_blocks
from edition.diagnostics import EditionError, error


@dataclass(slots=True)
class Token:
    """One token: original form, the whitespace after it, normalised form, word or punctuation."""

    t: str
    ws: str
    n: str
    word: bool
    line: int = 0      # the witness line this token begins (0: not the first token of a line)
    indent: str = ""   # whitespace before it at the start of that line
    blank_before: tuple = ()   # (line, whitespace) of whitespace-only lines just before that line

    def __reduce__(self):
        """Pickled as its fields, made again by ``__init__``: a book's collation cache holds
        200,000 tokens, and the ``__setstate__`` of a slots dataclass (a loop over its fields in
        Python) took twice the time to load them (``edition.collate.cache``)."""
        return Token, tuple(getattr(self, name) for name in self.__slots__)   # the fields, in order


@dataclass
class Paratext:
    """Lines of one witness that are not the text (standfirst, byline, credit, boilerplate)."""

    wit: str
    type: str
    place: str
    note: str
    element: str                      # the TEI element that holds it (div, byline, argument …)
    lines: list[tuple[int, str]]      # (line number, the line as it stands), blank lines omitted


@dataclass
class Witness:
    """One witness, tokenised."""

    siglum: str
    path: Path
    line_count: int
    final_newline: bool = False
    first_line: str = ""              # the first line of text outside the paratext, stripped
    tokens: list[Token] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    paratext: list[Paratext] = field(default_factory=list)
    blank_ws: list[tuple[int, str]] = field(default_factory=list)   # whitespace-only lines after the last token


def token_pattern(rules: CollationRules) -> re.Pattern:
    """Word, or a run of one punctuation character, then the whitespace after it."""
    return re.compile(rf"(?:(?P<w>{rules.word_pattern})|(?P<p>(?P<c>[^\w\s])(?P=c)*))(?P<ws>\s*)")


def read_witness(siglum: str, path: Path, text: str, paratext: list[dict], rules: CollationRules,
                 normaliser: Normaliser, *, structure: dict | None = None,
                 rules_path: Path | None = None) -> Witness:
    """Tokenise one witness; with ``structure`` (the copy-text) also find its blocks."""
    lines = text.split("\n")
    witness = Witness(siglum=siglum, path=path, line_count=len(lines), final_newline=text.endswith("\n"))
    claimed = _set_aside_paratext(witness, lines, paratext, rules_path)
    pattern = token_pattern(rules)
    tokens = witness.tokens
    spans: list[tuple[int, int, int, str]] = []     # (line number, first token, end token, text)
    for number, line in enumerate(lines, 1):
        if number in claimed:
            continue
        body = line.lstrip()
        if not body:
            if line:
                witness.blank_ws.append((number, line))
            continue
        blank_before = tuple(witness.blank_ws)
        witness.blank_ws.clear()
        indent = line[: len(line) - len(body)]
        first = len(tokens)
        for match in pattern.finditer(line, len(indent)):
            word = match.group("w")
            t = word if word is not None else match.group("p")
            tokens.append(Token(t, match.group("ws"), normaliser.n(t, word is not None), word is not None))
        tokens[first].line = number
        tokens[first].indent = indent
        tokens[first].blank_before = blank_before
        spans.append((number, first, len(tokens), body))
        witness.first_line = witness.first_line or body.strip()
    if structure is not None:
        witness.blocks = find_blocks(spans, structure)
    return witness


def _set_aside_paratext(witness: Witness, lines: list[str], paratext: list[dict],
                        rules_path: Path | None) -> set[int]:
    claimed: set[int] = set()
    for entry in paratext:
        first, last = entry["lines"]
        if last > len(lines):
            raise EditionError(error("E421", f"[[paratext]] lines {first}–{last} of witness {witness.siglum} "
                                     f"run past its last line ({len(lines)})", rules_path,
                                     hint=f"check the line numbers against {witness.path.name}"))
        kept = [(n, lines[n - 1]) for n in range(first, last + 1) if lines[n - 1]]
        expect = entry.get("expect")
        if expect and not (kept and kept[0][1].lstrip().startswith(expect)):
            raise EditionError(error("E421", f"[[paratext]] of witness {witness.siglum} expects line {first} "
                                     f"to begin with '{expect}'", rules_path,
                                     hint=f"the witness has changed, or the line numbers are wrong ({witness.path.name})"))
        claimed.update(range(first, last + 1))
        witness.paratext.append(Paratext(wit=witness.siglum, type=entry.get("type", "paratext"),
                                         place=entry.get("place", "front"), note=entry.get("note", ""),
                                         element=entry.get("element", "div"), lines=kept))
    return claimed
