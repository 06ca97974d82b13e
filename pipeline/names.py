"""The comparable form of a unit's name or of an addressee line: folded, with the office's usual
abbreviations written out. The one definition shared by the configuration's checks (two units whose
names cannot be told apart) and the routing of Kính gửi / Nơi nhận lines (decide/units.py).
"""

from __future__ import annotations

import re

from pipeline.normalize import fold

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
    "ubmttq": "uy ban mat tran to quoc",
}
_FILLER = frozenset({"cac"})  # plural marker: "Các CĐCS trực thuộc" = "CĐCS trực thuộc"
BULLET = re.compile(r"^\s*(?:[-+*•·]+|\d{1,2}\s*[.)/])\s*")
_DOTTED = re.compile(r"(?<![a-z0-9])(?:[a-z]\.)+[a-z](?![a-z0-9])")


def key(text: str) -> str:
    """Comparable form of a unit name or an addressee line."""
    folded = BULLET.sub("", fold(text))
    folded = re.sub(r"\(.*?\)", " ", folded)  # "(b/c)", "(để biết)", "(để thực hiện)"
    folded = _DOTTED.sub(lambda m: m.group().replace(".", ""), folded)  # "L.Đ.L.Đ" -> "ldld"
    tokens: list[str] = []
    for token in re.sub(r"[^a-z0-9]+", " ", folded).split():
        tokens.extend(ABBREVIATIONS.get(token, token).split())
    return " ".join(t for t in tokens if t not in _FILLER)
