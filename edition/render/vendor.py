"""Copy the web assets (a set-up step, ``python -m edition.render.vendor``) the edition ships from ``node_modules/`` into ``edition/static/vendor/``.

In: ``node_modules/`` as installed by ``npm ci`` (``make assets`` runs both) and the table of
faces ``edition.render.fontset.FACES``. Out: ``edition/static/vendor/fonts/*.woff2``: the book
face (EB Garamond) and the script faces after it (Noto Serif Devanagari, Noto Naskh Arabic, Noto
Serif Hebrew), complete OpenType fonts converted to WOFF2 without subsetting, so small caps
``smcp``/``c2sc`` and old-style figures ``onum`` of the book face are kept (the @fontsource
packages drop those features) and every glyph of a script face is there; beside them each
family's licence files (``<Family>-LICENSE_FONT.txt``, the SIL Open Font License). The folder is
git-ignored and packed into the wheel (``pyproject.toml`` artifacts). Run again: files that are
up to date are left alone.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from edition.render.fontset import BOOK_FAMILY, FACES, FONT_DIR

ROOT = Path(__file__).resolve().parents[2]   # the source checkout (run from it: ``make assets``)

NODE = ROOT / "node_modules"
REQUIRED_FEATURES = {BOOK_FAMILY: {"smcp", "onum"}}   # what the book's typography uses


def vendor_fonts() -> list[Path]:
    """Convert each face's TTF to WOFF2 (features intact), copy the licences; return what was written."""
    from fontTools.ttLib import TTFont

    written = []
    FONT_DIR.mkdir(parents=True, exist_ok=True)
    for face in FACES:
        source = NODE / face.package / f"{face.source}.ttf"
        if not source.is_file():
            raise SystemExit(f"{source} is missing: run 'npm ci' (package.json names {face.package})")
        target = face.path
        if target.is_file() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        font = TTFont(source)
        features = {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord} if "GSUB" in font else set()
        missing = REQUIRED_FEATURES.get(face.family, set()) - features
        if missing:
            raise SystemExit(f"{source}: the font lacks {', '.join(sorted(missing))}; the edition needs them")
        font.flavor = "woff2"
        tmp = target.with_suffix(".tmp")
        font.save(tmp)
        tmp.replace(target)
        written.append(target)
    for face in {face.family: face for face in FACES}.values():
        licences = [name for name in ("LICENSE_FONT", "LICENSE") if (NODE / face.package / name).is_file()]
        if "LICENSE_FONT" not in licences:
            raise SystemExit(f"{NODE / face.package}: no LICENSE_FONT; a font is shipped only with its licence")
        for name in licences:
            shutil.copyfile(NODE / face.package / name, FONT_DIR / f"{face.licence_prefix}-{name}.txt")
    return written


def main() -> int:
    """Vendor every asset; explain what to do when ``node_modules`` is missing."""
    if not NODE.is_dir():
        print("edition.render.vendor: node_modules is missing; run 'npm ci' (or 'make assets') first", file=sys.stderr)
        return 1
    written = vendor_fonts()
    print(f"edition.render.vendor: {len(written)} font file(s) written to {FONT_DIR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
