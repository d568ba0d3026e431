"""The print faces: the web edition's faces, as ``@font-face`` rules WeasyPrint reads.

In: the table of faces ``edition.render.fontset.FACES`` (the web CSS is made from the same
table), the files vendored into the package (``edition/static/vendor/fonts``, WOFF2) and the
characters of the texts a PDF holds. Out: the CSS rules (file URLs): the book face always, a
script's face (Noto Serif Devanagari, ...) only when the texts use a character it is the
fallback for, so that an English text's PDF neither loads nor embeds it; and a warning when a
face is missing. The files are decompressed once per machine into the user's cache folder
(``$XDG_CACHE_HOME/edition/fonts``, else ``~/.cache/…``; the build's when that cannot be
written), because WeasyPrint decodes WOFF2 in pure Python in every process, and fontTools takes
~0.4 s a face: more than laying out a short text, in every cold build.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
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


@functools.cache
def machine_folder() -> Path | None:
    """The user's cache of unpacked faces, shared by every build and project of this machine
    (a face's file is named by a hash of its WOFF2, so versions never mix); None when it cannot
    be made or written (the build's own folder serves then)."""
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache" if Path.home().is_absolute() else None)
    if not base:
        return None
    folder = Path(base) / "edition" / "fonts"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def _unpack(woff2_path: Path, folder: Path) -> Path | None:
    """The face as an OpenType file named by a hash of the WOFF2 it comes from (decompressed
    with fontTools, as WeasyPrint would), in the machine's folder, else in ``folder``; None if
    it cannot be."""
    data = woff2_path.read_bytes()
    name = f"{woff2_path.stem}-{hashlib.sha256(data).hexdigest()[:16]}.ttf"
    shared = machine_folder()
    places = [shared, folder] if shared is not None else [folder]
    for place in places:
        if (place / name).is_file():
            return place / name
    try:
        out = io.BytesIO()
        woff2.decompress(io.BytesIO(data), out)
        for place in places:   # the machine's folder, unless it fails to take the file
            try:
                write_atomic(place / name, out.getvalue(), durable=False)
                return place / name
            except OSError:
                if place is places[-1]:
                    raise
    except (OSError, ValueError, TTLibError):
        return None
    return None
