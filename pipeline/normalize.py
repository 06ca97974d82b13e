"""Text normalisation shared by every stage: one spelling for Vietnamese text, folding for matching.

Tone placement. Vietnamese writes the tone of the rhymes "oa", "oe" and "uy" (with no final consonant)
in two ways: on the first vowel ("hòa", "ủy", "thủy", "khỏe") or on the second ("hoà", "uỷ", "thuỷ",
"khoẻ"). `canonical` always chooses the first, the spelling of the national motto "CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM" and of the Nghị định 30 templates, so "HOÀ" and "HÒA" compare equal. Rhymes
with a final consonant ("hoàn", "khuyến") and "qu" + "y" ("quý", "quỳnh") are spelled the same in
both styles and are left alone.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Tone marks as combining characters (NFD): grave, acute, hook above, tilde, dot below.
_TONES = frozenset("\u0300\u0301\u0309\u0303\u0323")

# Dash variants that PDF producers emit for "-": hyphen, non-breaking hyphen, figure dash, en dash,
# em dash, horizontal bar, minus sign, small/full-width hyphen-minus.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
# Spaces other than " ": no-break, en quad ... hair space, narrow no-break, medium math, ideographic.
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# Invisible characters that only get in the way of matching: zero-width space/joiners, BOM, soft hyphen.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

_TRANSLATE = {ord(c): "-" for c in _DASHES} | {ord(c): " " for c in _SPACES} | {ord(c): None for c in _INVISIBLE}



def nfc(s: str) -> str:
    """Unicode NFC (composed) form."""
    return unicodedata.normalize("NFC", s)


def _split_tone(ch: str) -> tuple[str, str]:
    """('o', '\u0300') for 'ò'; (ch, '') when ch carries no tone mark. Other marks stay on the base."""
    decomposed = unicodedata.normalize("NFD", ch)
    tone = "".join(c for c in decomposed if c in _TONES)
    if not tone:
        return ch, ""
    base = nfc("".join(c for c in decomposed if c not in _TONES))
    return base, tone


_MOVABLE = {("o", "a"), ("o", "e"), ("u", "y")}


# The NFC letters a, e and y (either case) carrying a tone: only a word ending in one can need _retone.
_TONED_LAST = frozenset(
    unicodedata.normalize("NFC", base + tone) for base in "aeyAEY" for tone in _TONES
)


# Words ending in "o"/"u" + a toned "a"/"e"/"y": the only ones _retone may change. The match may
# only start where a word starts: without the look-behind the engine retries `\w*` from every letter
# of a word that does not qualify, quadratic in the word's length (a 200,000-letter word took minutes).
# A match is all word characters up to a word's end, so anchoring it changes no match.
_RETONE_CANDIDATE = re.compile(r"(?<!\w)\w*[oOuU][" + "".join(sorted(_TONED_LAST)) + r"](?!\w)")


def _retone(word: str) -> str:
    """Move the tone of a final "oa"/"oe"/"uy" rhyme onto its first vowel: "hoà" -> "hòa"."""
    if len(word) < 2 or word[-1] not in _TONED_LAST:
        return word
    first, first_tone = _split_tone(word[-2])
    last, last_tone = _split_tone(word[-1])
    if not last_tone or first_tone or (first.lower(), last.lower()) not in _MOVABLE:
        return word
    if first.lower() == "u" and len(word) >= 3 and word[-3].lower() == "q":
        return word  # "quý": the u belongs to the consonant "qu"
    return word[:-2] + nfc(first + last_tone) + last


def canonical(s: str) -> str:
    """NFC, one tone placement ("hòa", "ủy"), "-" for every dash, " " for every space character.

    Runs of spaces are kept as they are: layout-mode text uses them to separate columns."""
    s = nfc(s).translate(_TRANSLATE)
    return _RETONE_CANDIDATE.sub(lambda m: _retone(m.group()), s)


def fold(s: str) -> str:
    """Accent-folded lowercase text for matching and slugs: "Hòa Đồng" -> "hoa dong".

    Vietnamese letters become ASCII; other characters are kept (lowercased)."""
    # Names, types and lines recur across thousands of documents: short strings are folded once.
    return _fold_short(s) if len(s) <= _SHORT else _fold(s)


_SHORT = 200


def _fold_whole(s: str) -> str:
    """`fold` by its definition, on the whole text at once."""
    out = []
    for ch in unicodedata.normalize("NFD", canonical(s)):
        if unicodedata.combining(ch):
            continue
        out.append(ch)
    return "".join(out).replace("đ", "d").replace("Đ", "D").lower()


_KEPT_BELOW = 0x3000  # Latin, Vietnamese, punctuation and signs: the characters of the letters


class _FoldTable(dict[int, str]):
    """Each character's fold, made the first time it is met: a table for str.translate.

    Folding is one character at a time: every tone and letter mark is dropped, so where canonical()
    puts a tone and how NFC composes a letter with its marks change nothing; NFD, "đ" and lower()
    act on each character alone. The one exception is lower() of a Greek capital sigma, which
    depends on the next character: `_fold` folds such text whole."""

    def __missing__(self, code: int) -> str:
        folded = _fold_whole(chr(code))
        if code < _KEPT_BELOW:  # a hostile text's every code point must not stay for the process's life
            self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def _fold(s: str) -> str:
    # Numbers and lines met for the first time (a one-shot build's 100,000 numbers): translate runs
    # in C, where the whole-text fold ran a Python loop over every character.
    return _fold_whole(s) if "Σ" in s else s.translate(_FOLD_TABLE)


_fold_short = functools.lru_cache(maxsize=1 << 15)(_fold)


def slugify(s: str) -> str:
    """ASCII words joined by "-": "Số 78/LĐLĐ" -> "so-78-ldld"; "" when nothing is left."""
    return "-".join(re.findall(r"[a-z0-9]+", fold(s)))


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch)
    base = decomposed[0] if all(unicodedata.combining(c) for c in decomposed[1:]) else ch
    if base in "đĐ":
        return "d"
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


def fold_aligned(s: str) -> str:
    """`fold` one character at a time, so that index i of the result is character i of `s`.

    Use it on text that is already `canonical`, to find a folded pattern and cut the original there."""
    return "".join(map(_fold_char, s))
