"""A build of the web edition alone never imports the PDF stack (WeasyPrint takes a second).

The HTML renderers and what the command loads for them (the progress display, the pages'
paratext split, the citations, the workers' task) are imported in a fresh interpreter, as
``edition build -o html`` imports them; WeasyPrint, pydyf and pikepdf must not be among the
modules loaded. The PDF renderer still finds its names where the build asks for them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PROBE = """
import importlib, json, sys
from edition.build import RENDERERS, _renderer
import edition.cli, edition.build.workers, edition.render.sitetext, edition.render.pdf.progress
for name, target in RENDERERS:
    if name in ("txt", "html"):
        _renderer(target)
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("weasyprint", "pydyf", "pikepdf"))))
"""


def test_the_html_renderers_import_no_pdf_library():
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_the_pdf_renderer_still_finds_its_names():
    from edition.build import _renderer
    from edition.render import pdf

    render = _renderer("edition.render.pdf:render_pdfs")
    assert render.incremental and render.parallel and callable(render.check_settings)
    from edition.render.pdf.layout import make_pdf
    from edition.render.pdf.pertext import render_pdf
    assert pdf.render_pdf is render_pdf and pdf.make_pdf is make_pdf
