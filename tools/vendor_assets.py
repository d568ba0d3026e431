"""Copy the web assets the edition ships from ``node_modules/`` into ``edition/static/vendor/``.

In: ``node_modules/`` as installed by ``npm ci`` (``make assets`` runs both). Out:
``edition/static/vendor/fonts/*.woff2`` (EB Garamond, complete OpenType fonts converted to
WOFF2 without subsetting, so small caps ``smcp``/``c2sc`` and old-style figures ``onum`` are
kept; the @fontsource packages drop those features) and the font's licence. The folder is
git-ignored and packed into the wheel (``pyproject.toml`` artifacts). Run again: files that are
up to date are left alone.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NODE = ROOT / "node_modules"
VENDOR = ROOT / "edition" / "static" / "vendor"
FONT_PACKAGE = NODE / "@expo-google-fonts" / "eb-garamond"
# (folder/file stem in the npm package, our file stem)
FONTS = [
    ("400Regular/EBGaramond_400Regular", "EBGaramond-Regular"),
    ("400Regular_Italic/EBGaramond_400Regular_Italic", "EBGaramond-Italic"),
    ("600SemiBold/EBGaramond_600SemiBold", "EBGaramond-SemiBold"),
    ("600SemiBold_Italic/EBGaramond_600SemiBold_Italic", "EBGaramond-SemiBoldItalic"),
    ("700Bold/EBGaramond_700Bold", "EBGaramond-Bold"),
    ("700Bold_Italic/EBGaramond_700Bold_Italic", "EBGaramond-BoldItalic"),
]
REQUIRED_FEATURES = {"smcp", "onum"}


def vendor_fonts() -> list[Path]:
    """Convert the package's TTF files to WOFF2 (features intact); return what was written."""
    from fontTools.ttLib import TTFont

    written = []
    target_dir = VENDOR / "fonts"
    target_dir.mkdir(parents=True, exist_ok=True)
    for source_stem, stem in FONTS:
        source = FONT_PACKAGE / f"{source_stem}.ttf"
        target = target_dir / f"{stem}.woff2"
        if target.is_file() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        font = TTFont(source)
        features = {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}
        missing = REQUIRED_FEATURES - features
        if missing:
            raise SystemExit(f"{source}: the font lacks {', '.join(sorted(missing))}; the edition needs them")
        font.flavor = "woff2"
        tmp = target.with_suffix(".tmp")
        font.save(tmp)
        tmp.replace(target)
        written.append(target)
    for name in ("LICENSE_FONT", "LICENSE"):
        if (FONT_PACKAGE / name).is_file():
            shutil.copyfile(FONT_PACKAGE / name, target_dir / f"EBGaramond-{name}.txt")
    return written


def main() -> int:
    """Vendor every asset; explain what to do when ``node_modules`` is missing."""
    if not FONT_PACKAGE.is_dir():
        print("vendor_assets: node_modules is missing; run 'npm ci' (or 'make assets') first", file=sys.stderr)
        return 1
    written = vendor_fonts()
    print(f"vendor_assets: {len(written)} font file(s) written to {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
