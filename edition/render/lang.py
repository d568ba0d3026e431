"""TEI language codes (``xml:lang``) → HTML ``lang`` values (BCP 47).

In: a code as TEI files write it (``en``, ``deu``, ``grc``, ``la-Latn``, a project's own ``MP``).
Out: a valid BCP 47 tag, or None when the code cannot be one (then the HTML keeps the TEI code
as ``data-lang`` only). BCP 47 wants the two-letter ISO 639-1 code where one exists, so the
three-letter codes of ISO 639-2 that have one are mapped to it.
"""

from __future__ import annotations

import re
import unicodedata

# ISO 639-1: every two-letter language code.
ISO_639_1 = set("""aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs
cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu
hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln
lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps
pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to
tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu""".split())

# ISO 639-2 (B and T forms) codes of languages that also have a two-letter code.
TWO_LETTER = {
    "eng": "en", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "lat": "la", "spa": "es",
    "ita": "it", "por": "pt", "nld": "nl", "dut": "nl", "ell": "el", "gre": "el", "rus": "ru",
    "pol": "pl", "ces": "cs", "cze": "cs", "heb": "he", "ara": "ar", "san": "sa", "hin": "hi",
    "zho": "zh", "chi": "zh", "jpn": "ja", "tur": "tr", "swe": "sv", "dan": "da", "nor": "no",
    "fin": "fi", "hun": "hu", "ron": "ro", "rum": "ro", "cym": "cy", "wel": "cy", "gle": "ga",
    "fas": "fa", "per": "fa", "arm": "hy", "hye": "hy", "geo": "ka", "kat": "ka",
}
_TAG = re.compile(r"^([A-Za-z]{2,3})((?:-[A-Za-z0-9]{1,8})*)$")


def html_lang(code: str | None) -> str | None:
    """The BCP 47 form of a TEI language code, or None if it cannot be one."""
    if not code:
        return None
    match = _TAG.match(code.strip())
    if not match:
        return None
    primary, rest = match.group(1).lower(), match.group(2)
    if len(primary) == 3 and primary in TWO_LETTER:
        return TWO_LETTER[primary] + rest
    if len(primary) == 2 and primary not in ISO_639_1:
        return None
    return primary + rest


# Languages written right to left (ISO 639-1 and -3 codes), and scripts (ISO 15924) that are.
RTL_LANGUAGES = frozenset("ar he fa ur yi ps sd ug dv ku ckb syr arc sam jrb jpr ota pal xpr "
                          "hbo oar jpa tmr".split())
RTL_SCRIPTS = frozenset("arab hebr syrc thaa nkoo samr mand adlm rohg yezi armi phnx palm nbat sogd".split())
LTR_SCRIPTS = frozenset("latn grek cyrl deva copt armn geor taml beng".split())


def direction(code: str | None) -> str | None:
    """``rtl`` or ``ltr`` for a TEI language code whose script is known (``he``, ``ara``,
    ``syr``, ``ar-Latn`` …), else None."""
    if not code:
        return None
    parts = code.strip().replace("_", "-").lower().split("-")
    script = next((p for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    if script in RTL_SCRIPTS:
        return "rtl"
    if script in LTR_SCRIPTS:
        return "ltr"
    primary = TWO_LETTER.get(parts[0], parts[0])
    if primary in RTL_LANGUAGES:
        return "rtl"
    return "ltr" if primary in ISO_639_1 or len(primary) == 3 else None


def text_direction(text: str) -> str | None:
    """The direction of a text by its first strongly directional letter (Unicode bidi classes
    R and AL are right to left, L left to right), as HTML's ``dir="auto"`` decides; None when it
    has no such letter."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return None


_RTL_CHARS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]|[\U00010800-\U00010fff]|[\U0001e800-\U0001eeff]")


def has_rtl(text: str) -> bool:
    """True when the text holds a letter of a right-to-left script."""
    return _RTL_CHARS.search(text) is not None
