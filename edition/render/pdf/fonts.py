"""The book face for print: the web edition's faces, as ``@font-face`` rules WeasyPrint reads.

In: the face list ``edition.render.site.FONT_FACES`` and the files vendored into the package
(``edition/static/vendor/fonts``, WOFF2). Out: the CSS rules (file URLs), and a warning when
a face is missing. The files are decompressed once into a cache folder, because WeasyPrint
decodes WOFF2 in pure Python in every process, which cost more than laying out a short text.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from fontTools.ttLib import TTLibError, woff2

from edition.diagnostics import Diagnostic, warning
from edition.fsutil import write_atomic
from edition.render.site import FONT_FACES, VENDOR_DIR

FONT_FAMILY = "EB Garamond"
FONT_CACHE = Path(".cache") / "fonts"   # the faces unpacked, under build/


def font_faces(unpacked: Path | None = None) -> tuple[str, list[Diagnostic]]:
    """``@font-face`` rules for the book face as file URLs: exactly the web edition's faces.

    The faces and their files are named once, in ``edition.render.site.FONT_FACES`` (the web
    CSS is made from the same list); the files are the ones ``make assets`` vendors into the
    package (``edition/static/vendor/fonts``), so an installed wheel finds them too.
    With ``unpacked`` (a cache folder), the rules name each face decompressed there once: WeasyPrint
    decodes a WOFF2 file in pure Python, ~0.3 s a face, in every process that lays out a PDF.
    """
    folder = VENDOR_DIR / "fonts"
    rules, missing = [], []
    for stem, weight, style in FONT_FACES:
        path = folder / f"{stem}.woff2"
        if not path.is_file():
            missing.append(path.name)
            continue
        source = _unpack(path, unpacked) if unpacked else None
        src = f'url("{source.resolve().as_uri()}") format("truetype")' if source \
            else f'url("{path.resolve().as_uri()}") format("woff2")'
        rules.append(f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; font-style: {style}; '
                     f'src: {src}; }}')
    if missing:
        return "\n".join(rules), [warning(
            "W703", f"the book face ({FONT_FAMILY}) is incomplete in {folder}: missing {', '.join(missing)};"
            " the PDF uses a fallback serif where it is needed",
            hint="the fonts come with edition: reinstall it (in a checkout of edition's sources, run 'make assets')")]
    return "\n".join(rules), []


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
