"""The structure of the copy-text: which blocks are its title, front matter, headings,
paragraphs, verse and lists, by the ``[structure]`` rules.

In: the copy-text's lines as spans ``(line number, first token, end token, text)`` and the
``[structure]`` table (``edition/data/collation.toml``, the project's or the text's rules).
Out: ``Block``s, each with its kind and, for a heading, the division it opens (its ``type``
and ``level``) and the rule that decided it (``why``), so that ``edition collate`` can report
what it decided for the editor to check.

Blocks are runs of non-blank lines. Headings are found two ways:

- by pattern (``headings``: ``CHAPTER I``, ``VOLUME II``, ``LETTER IV``, a roman numeral alone):
  a block of at most ``heading_max_lines`` lines whose first line matches opens a division of
  that type and level (1 outermost); two or more blocks of one pattern with nothing between
  them are a list of contents, not headings;
- as short lines (``short_line_headings``): a one-line block of at most
  ``heading_max_words`` words that does not end like a sentence or clause
  (``heading_not_ending``, looked at behind closing quotation marks) and does not begin like
  dialogue (``heading_not_starting``). By default only in a text where no pattern matched: a
  novel's chapters are found by their pattern, and its dialogue ("Yes.", "Are these
  Germans?") stays text, while an article's section titles are still found.

When patterns matched, the blocks between the title and the first pattern heading are front
matter (``front_matter = "before-first-heading"``): the rest of a title page, a dedication.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from edition.diagnostics import EditionError, error

Span = tuple[int, int, int, str]          # (line number, first token, end token, text)
SHORT_LINE_LEVEL = 9                      # a short-line heading opens the innermost division
CLOSING = "\"'”’»)]"


@dataclass
class Block:
    """A block of the copy-text: ``kind`` and its lines as (line number, first token, end token);
    a heading's division ``type`` and ``level``, and ``why`` a block was given its kind."""

    kind: str
    lines: list[tuple[int, int, int]]
    type: str = ""
    level: int = 0
    why: str = ""
    text: str = ""


@dataclass
class HeadingRule:
    """A pattern that makes a block a heading opening a division of ``type`` at ``level``."""

    pattern: re.Pattern
    type: str
    level: int


def heading_rules(structure: dict, path=None) -> list[HeadingRule]:
    """The ``headings`` of the rules, checked (each needs a valid pattern, a type and a level)."""
    rules = []
    for entry in structure.get("headings", []):
        if not isinstance(entry, dict) or not {"pattern", "type", "level"} <= set(entry) \
                or not isinstance(entry["level"], int) or entry["level"] < 1:
            raise EditionError(error("E445", f"a [structure] headings entry needs pattern, type and a level of 1 "
                                     f"or more: {entry!r}", path,
                                     hint='e.g. { pattern = "^CHAPTER [IVXLC]+\\\\.?$", type = "chapter", level = 2 }'))
        try:
            pattern = re.compile(entry["pattern"])
        except re.error as exc:
            raise EditionError(error("E446", f"the heading pattern '{entry['pattern']}' is not a valid regular "
                                     f"expression: {exc}", path)) from None
        rules.append(HeadingRule(pattern, entry["type"], entry["level"]))
    return rules


def find_blocks(spans: list[Span], structure: dict) -> list[Block]:
    """Group consecutive lines into blocks and say what each block is, by the structure rules."""
    groups: list[list[Span]] = []
    for span in spans:
        if groups and groups[-1][-1][0] == span[0] - 1:
            groups[-1].append(span)
        else:
            groups.append([span])
    patterns = heading_rules(structure)
    max_lines = structure.get("heading_max_lines", 2)
    matched = [_pattern_heading(group, patterns) if len(group) <= max_lines else None for group in groups]
    contents = _contents_lists(matched)
    matched = [None if index in contents else rule for index, rule in enumerate(matched)]
    any_pattern = any(matched)
    short_lines = structure.get("short_line_headings", "unless-patterns")
    use_short = short_lines == "always" or (short_lines == "unless-patterns" and not any_pattern)
    front = any_pattern and structure.get("front_matter", "before-first-heading") == "before-first-heading"
    blocks = []
    for index, group in enumerate(groups):
        block = _kind(index, group, matched[index], structure, use_short)
        if front and not any(matched[:index + 1]) and block.kind != "title":
            block.kind, block.why = "front", "front matter: before the first heading found by a pattern"
        if index in contents:
            block.why = "a list of contents (headings of one kind with no text between): " + block.why
        blocks.append(block)
    return blocks


def _contents_lists(matched: list[HeadingRule | None]) -> set[int]:
    """Blocks that match a heading pattern in a run of two or more of the same pattern with no
    other block between: a list of contents ("Chapter 1", "Chapter 2" …), not headings."""
    found: set[int] = set()
    index = 0
    while index < len(matched):
        end = index
        while matched[index] is not None and end + 1 < len(matched) and matched[end + 1] is matched[index]:
            end += 1
        if end > index:
            found.update(range(index, end + 1))
        index = end + 1
    return found


def _pattern_heading(group: list[Span], patterns: list[HeadingRule]) -> HeadingRule | None:
    first = group[0][3].strip()
    return next((rule for rule in patterns if rule.pattern.search(first)), None)


def _kind(index: int, group: list[Span], rule: HeadingRule | None, structure: dict, use_short: bool) -> Block:
    """One block's kind, and why."""
    ranges = [(n, a, b) for n, a, b, _ in group]
    texts = [body for *_, body in group]
    shown = " / ".join(t.strip() for t in texts)
    list_item = re.compile(structure.get("list_item", r"^(\d+)[.)]\s"))
    if rule is not None:   # a file that opens with "CHAPTER I" opens with a heading, not a title
        return Block("head", ranges, rule.type, rule.level, f"pattern {rule.pattern.pattern}", shown)
    if index == 0 and structure.get("title", "first-block") == "first-block":
        return Block("title", ranges, why="the first block", text=shown)
    if all(list_item.match(t) for t in texts):
        return Block("list", ranges, why="every line a list item", text=shown)
    if len(group) > 1:
        mode = structure.get("multi_line", "auto")
        wrapped = all(len(t.strip()) >= structure.get("wrapped_line_min", 50) for t in texts[:-1])
        if mode == "verse" or (mode == "auto" and not wrapped):
            return Block("lg", ranges, why="several short lines: verse", text=shown)
        return Block("p", ranges, why="several lines: a wrapped paragraph", text=shown)
    if use_short and _short_line_heading(texts[0], structure):
        return Block("head", ranges, "section", SHORT_LINE_LEVEL, "a short line not ending like a sentence", shown)
    return Block("p", ranges, text=shown)


def _short_line_heading(text: str, structure: dict) -> bool:
    """A short line that ends not like a sentence or clause and begins not like dialogue."""
    body = text.strip()
    ending = body.rstrip(CLOSING) or body
    return (len(body.split()) <= structure.get("heading_max_words", 10)
            and ending[-1] not in structure.get("heading_not_ending", ".,;:")
            and body[0] not in structure.get("heading_not_starting", ""))


def structure_tsv(blocks: list[Block]) -> str:
    """The decisions worth an editor's look, one row each: title, front matter, headings."""
    rows = ["line\tkind\tdivision\tlevel\ttext\twhy"]
    for block in blocks:
        if block.kind in ("title", "front", "head"):
            text = block.text.replace("\t", " ")
            rows.append(f"{block.lines[0][0]}\t{block.kind}\t{block.type}\t{block.level or ''}\t"
                        f"{text[:80]}\t{block.why}")
    return "\n".join(rows) + "\n"


def structure_summary(blocks: list[Block]) -> str:
    """One line: what the copy-text was found to be made of."""
    heads = Counter((b.type, b.why.startswith("pattern")) for b in blocks if b.kind == "head")
    found = [f"{n} {kind}{'' if n == 1 else 's'}" + ("" if by_pattern else " (short lines)")
             for (kind, by_pattern), n in heads.items()]
    front = sum(1 for b in blocks if b.kind == "front")
    title = next((b for b in blocks if b.kind == "title"), None)
    parts = [f"title \"{title.text[:40]}\"" if title else "no title block",
             f"{front} front-matter block{'' if front == 1 else 's'}",
             "headings: " + (", ".join(found) or "none")]
    return "structure: " + "; ".join(parts)
