"""The print faces: the web edition's faces, as ``@font-face`` rules WeasyPrint reads.

In: the table of faces ``edition.render.fontset.FACES`` (the web CSS is made from the same
table), the files vendored into the package (``edition/static/vendor/fonts``, WOFF2) and the
characters of the texts a PDF holds. Out: the CSS rules (file URLs): the book face always, a
script's face (Noto Serif Devanagari, ...) only when the texts use a character it is the
fallback for, so that an English text's PDF neither loads nor embeds it; and a warning when a
face is missing. The files are decompressed once into a cache folder, because WeasyPrint decodes
WOFF2 in pure Python in every process, which cost more than laying out a short text.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from fontTools.ttLib import TTLibError, woff2

from edition.diagnostics import Diagnostic, warning
from edition.fsutil import write_atomic
from edition.render.fontset import (
    BOOK_FAMILY,
    FACES,
    FONT_DIR,
    families_for,
    unicode_range,
)

FONT_CACHE = Path(".cache") / "fonts"   # the faces unpacked, under build/


def font_faces(unpacked: Path | None = None, chars: set[str] | None = None) -> tuple[str, list[Diagnostic]]:
    """``@font-face`` rules as file URLs for the faces of ``FACES`` that texts made of ``chars``
    need (every face when ``chars`` is None), each script face with its ``unicode-range``.

    The files are the ones ``make assets`` vendors into the package, so an installed wheel finds
    them too. With ``unpacked`` (a cache folder), the rules name each face decompressed there
    once: WeasyPrint decodes a WOFF2 file in pure Python, ~0.3 s a face, in every process that
    lays out a PDF.
    """
    wanted = set(families_for(chars)) if chars is not None else {face.family for face in FACES}
    rules, missing = [], []
    for face in FACES:
        if face.family not in wanted:
            continue
        if not face.path.is_file():
            missing.append(face)
            continue
        source = _unpack(face.path, unpacked) if unpacked else None
        src = f'url("{source.resolve().as_uri()}") format("truetype")' if source \
            else f'url("{face.path.resolve().as_uri()}") format("woff2")'
        scope = "" if face.family == BOOK_FAMILY else f" unicode-range: {unicode_range(face.family)};"
        rules.append(f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; '
                     f'font-style: {face.style};{scope} src: {src}; }}')
    problems = []
    for family in dict.fromkeys(face.family for face in missing):
        names = ", ".join(face.path.name for face in missing if face.family == family)
        problems.append(warning(
            "W703", f"the face {family} is incomplete in {FONT_DIR}: missing {names};"
            " the PDF uses a fallback font where it is needed", hint="the fonts come with edition: reinstall it (in a checkout of edition's sources, run 'make assets')"))
    return "\n".join(rules), problems


def _unpack(woff2_path: Path, folder: Path) -> Path | None:
    """The face as an OpenType file in ``folder``, named by a hash of the WOFF2 it comes from
    (decompressed with fontTools, as WeasyPrint would); None if it cannot be."""
    data = woff2_path.read_bytes()
    target = folder / f"{woff2_path.stem}-{hashlib.sha256(data).hexdigest()[:16]}.ttf"
    if target.is_file():
        return target
    try:
        out = io.BytesIO()
        woff2.decompress(io.BytesIO(data), out)
        write_atomic(target, out.getvalue(), durable=False)
    except (OSError, ValueError, TTLibError):
        return None
    return target
