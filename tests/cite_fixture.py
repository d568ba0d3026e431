"""The citation tests' small edition: copied to a temporary folder with the current refsDecl.

Our fixture TEI files hold ``<!-- REFSDECL -->`` where ``edition.tei.header.refs_decl()`` goes,
so they always declare the scheme the tool writes now (an editor's file without the
placeholder is left as it is: it has only ``xml:id``s).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from edition.tei.header import refs_decl
from edition.tei.maker import indent

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "cite"


def refs_decl_xml() -> str:
    """The serialised ``refsDecl`` the header builder writes, without namespace declarations."""
    xml = etree.tostring(indent(refs_decl()), encoding="unicode")
    return re.sub(r' xmlns="[^"]+"', "", xml)


def make_project(root: Path, base_url: str | None = None) -> Path:
    """Copy the fixture edition to ``root``; optionally set its ``base_url``."""
    shutil.copytree(FIXTURE, root)
    for path in (root / "tei").glob("*.xml"):
        text = path.read_text(encoding="utf-8")
        if "<!-- REFSDECL -->" in text:
            path.write_text(text.replace("<!-- REFSDECL -->", refs_decl_xml()), encoding="utf-8")
    if base_url:
        toml = root / "edition.toml"
        toml.write_text(re.sub(r'base_url = "[^"]*"', f'base_url = "{base_url}"',
                               toml.read_text(encoding="utf-8")), encoding="utf-8")
    return root


def build_outputs(root: Path, outputs: list[str], force: bool = False):
    """Run ``edition build`` for these outputs, without the validator.

    The citation tests check what the renderers make of valid TEI; validation has its own
    tests, and compiling tei_all for every small build here would only cost time.
    """
    from edition import build as builder
    from edition.diagnostics import Report
    from edition.project import load_project

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builder, "validate_documents", lambda project, docs: Report(files=len(docs)))
        return builder.build(load_project(root), outputs, force=force)
