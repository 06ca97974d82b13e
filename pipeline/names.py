"""The comparable form of a unit's name or of an addressee line: folded, with the office's usual
abbreviations written out. The one definition shared by the configuration's checks (two units whose
names cannot be told apart) and the routing of Kính gửi / Nơi nhận lines (decide/units.py).
"""

from __future__ import annotations

import re

from pipeline.normalize import canonical, fold, fold_aligned

# Abbreviations met in addressee lines, as folded tokens. Ambiguous ones ("TT": thường trực or thị trấn,
# "TU": tỉnh ủy or a syllable) are left alone: write them out in an alias instead.
ABBREVIATIONS = {
    "ldld": "lien doan lao dong",
    "tldld": "tong lien doan lao dong",
    "tld": "tong lien doan",
    "cdcs": "cong doan co so",
    "cdvc": "cong doan vien chuc",
    "cdckcn": "cong doan cac khu cong nghiep",
    "cdn": "cong doan nganh",
    "cd": "cong doan",
    "kcn": "khu cong nghiep",
    "ccn": "cum cong nghiep",
    "cnvcld": "cong nhan vien chuc lao dong",
    "btv": "ban thuong vu",
    "bch": "ban chap hanh",
    "uv": "uy vien",
    "vp": "van phong",
    "tp": "thanh pho",
    "tx": "thi xa",
    "cty": "cong ty",
    "ctcp": "cong ty co phan",
    "cp": "co phan",
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "mttq": "mat tran to quoc",
    "bhxh": "bao hiem xa hoi",  # written so on every social insurance body's papers
    "bhyt": "bao hiem y te",
    "ubmttq": "uy ban mat tran to quoc",
    "vn": "viet nam",
    "tw": "trung uong",
}
_FILLER = frozenset({"cac"})  # plural marker: "Các CĐCS trực thuộc" = "CĐCS trực thuộc"
BULLET = re.compile(r"^\s*(?:[-+*•·]+|\d{1,2}\s*[.)/])\s*")
_DOTTED = re.compile(r"(?<![a-z0-9])(?:[a-z]\.)+[a-z](?![a-z0-9])")


# A bracket that is a note about the copy, not part of whom it names: "(b/c)", "(để biết)", "(1b)",
# "(e-copy)", "(qua email)". Other brackets that open with a capital ("(BTC)", "(Bộ Tài chính)") say
# which body a department belongs to and stay part of the name.
_NOTE = re.compile(
    r"^\s*(?:de\b|d/|thay\b|b\s*/\s*c|t\s*/\s*h|p\s*/\s*h|\d+\s*b(?:an)?\b|bao cao|biet|thuc hien|phoi hop|chi dao|"
    r"theo doi|e-?copy|qua\b|ban (?:dien tu|giay|chinh|sao)|email|chu tri|kem\b|gui\b)"
)
_BRACKET = re.compile(r"\(([^()]*)\)")
_SPACED_DASH = re.compile(r"\s[-–—]\s")


def _is_identity(inside: str) -> bool:
    letters = inside.strip()
    return bool(letters) and letters[0].isupper() and not _NOTE.match(fold(letters))


def drop_notes(text: str) -> str:
    """`text` without its notes in brackets ("(b/c)", "(1b)"); a bracket naming a body stays."""
    return _BRACKET.sub(lambda m: m.group(0) if _is_identity(m.group(1)) else " ", text)


def _words(text: str, *, expand: bool = True) -> list[str]:
    folded = _DOTTED.sub(lambda m: m.group().replace(".", ""), BULLET.sub("", fold(text)))
    tokens: list[str] = []
    for token in re.sub(r"[^a-z0-9]+", " ", folded).split():
        tokens.extend(ABBREVIATIONS.get(token, token).split() if expand else [token])
    return tokens


_HYPHENED = re.compile(r"(?<![^\W\d_])([^\W\d_]{1,4})-(?=[^\W\d_]{1,4}(?![^\W\d_]))")


def _join_initials(text: str) -> str:
    """"Cổng TT-ĐT" is "Cổng TTĐT", "Ban VH-XH" is "Ban VHXH": a hyphen between two capitalised
    abbreviations joins them ("Lao động-Thương binh" stays two words)."""
    return _HYPHENED.sub(lambda m: m.group(1) if m.group(1).isupper() and text[m.end():m.end() + 1].isupper()
                         else m.group(0), text)


def _identity_text(text: str) -> str:
    """`text` with its initials joined and its notes in brackets gone; a bracket naming a body
    ("Vụ Pháp chế (BTC)") stays part of the name, without its brackets."""
    text = _join_initials(text)
    return _BRACKET.sub(lambda m: f" {m.group(1)} " if _is_identity(m.group(1)) else " ", text)


def key(text: str) -> str:
    """Comparable form of a unit name or an addressee line."""
    return " ".join(t for t in _words(_identity_text(text)) if t not in _FILLER)


def literal_key(text: str) -> str:
    """`key` without the abbreviations written out: "cơ quan thuộc CP" -> "co quan thuoc cp", where
    `key` reads "CP" as "cổ phần". For reading initials against a registered name."""
    return " ".join(t for t in _words(_identity_text(text), expand=False) if t not in _FILLER)


def spelled_words(text: str) -> tuple[tuple[str, str | None], ...]:
    """The words of `key(text)`, each with its spelling as printed (lowercase, tone marks kept):
    "Thanh Trà" -> (("thanh", "thanh"), ("tra", "trà")). A word an abbreviation was written out to
    has no printed spelling (None), and neither has any word when the two readings do not line up."""
    printed = canonical(_identity_text(text))
    folded = fold_aligned(printed)
    bullet = BULLET.match(folded)
    start = bullet.end() if bullet is not None else 0
    dots = {m.start() + i for m in _DOTTED.finditer(folded, start) for i, c in enumerate(m.group()) if c == "."}
    kept = [i for i in range(start, len(folded)) if i not in dots]
    folded = "".join(folded[i] for i in kept)
    printed = "".join(printed[i] for i in kept)
    out: list[tuple[str, str | None]] = []
    for found in re.finditer(r"[a-z0-9]+", folded):
        token = found.group()
        expanded = ABBREVIATIONS.get(token)
        if expanded is not None:
            out.extend((word, None) for word in expanded.split())
        else:
            out.append((token, printed[found.start():found.end()].lower()))
    words = tuple(pair for pair in out if pair[0] not in _FILLER)
    if [w for w, _ in words] != key(text).split():
        return tuple((w, None) for w in key(text).split())
    return words


def qualifier(text: str) -> tuple[str, ...]:
    """The words that say which body a line's department belongs to: after a spaced dash ("Vụ Pháp
    chế - BTC") or in a bracket that is not a note ("Văn phòng (Bộ Tài chính)")."""
    words: list[str] = []
    for inside in _BRACKET.findall(text):
        if _is_identity(inside):
            words.extend(key(inside).split())
    plain = _BRACKET.sub(" ", text)
    dash = _SPACED_DASH.search(plain)
    if dash is not None:
        words.extend(key(plain[dash.end():]).split())
    return tuple(words)


_OWN_LEVEL = re.compile(r" tinh(?: (?!uy\b)[a-z0-9]+){0,3}$")


def initials(name: str) -> frozenset[str]:
    """The initials a clerk abbreviates a registered name to: "Công đoàn Viên chức tỉnh" -> "cdvct",
    "cdvc"; "Công đoàn các Khu công nghiệp" -> "cdckcn", "cdkcn" (of 4 words or more); and the kind
    of body followed by the initials of the rest ("vu khtc"; "cuc kcb" for "Cục Quản lý Khám, chữa
    bệnh", "Quản lý" left out)."""
    words = _words(_BRACKET.sub(" ", name))
    forms = {" ".join(words), " ".join(w for w in words if w not in _FILLER)}
    forms |= {_OWN_LEVEL.sub("", form) for form in forms}
    out = set()
    for form in forms:
        tokens = form.split()
        if len(tokens) >= 4:  # "cdgd": 4 letters at least, shorter ones mean too many things
            out.add("".join(t[0] for t in tokens))
            out.add("".join(t[0] for t in tokens if t != "va"))
        # The kind of body written out, the rest as initials: "Vụ Kế hoạch - Tài chính" -> "vu khtc",
        # "Cục Quản lý Khám, chữa bệnh" -> "cuc quan ly kcb", "Sở Tài nguyên và Môi trường" -> "so tnmt".
        for kept in range(1, min(3, len(tokens) - 2) + 1):
            rest = [t for t in tokens[kept:] if t != "va"]
            if len(rest) >= 2:
                out.add(" ".join([*tokens[:kept], "".join(t[0] for t in rest)]))
            # "Quản lý" (management) names no field: "Cục Quản lý Khám, chữa bệnh" is "Cục KCB" too.
            if rest[:2] == ["quan", "ly"] and len(rest) >= 4:
                out.add(" ".join([*tokens[:kept], "".join(t[0] for t in rest[2:])]))
        # The whole written out, the body it belongs to at the end as initials: "Các đơn vị trực thuộc
        # Tổng cục Hải quan" -> "cac don vi truc thuoc tchq" (a body's name: 3 words or more).
        for tail in range(3, len(tokens) - 1):
            if len(tokens) - tail >= 2:
                out.add(" ".join([*tokens[:-tail], "".join(t[0] for t in tokens[-tail:])]))
    return frozenset(out)
