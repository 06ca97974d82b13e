"""Subjects in areas that are never published (DOMAIN.md §1): personnel, complaints, finance,
inspection and discipline. Pure."""

from __future__ import annotations

import re

from pipeline.normalize import fold

# Subjects in areas that are never published, as folded phrases.
EXCLUDED_SUBJECT_PHRASES = (
    "khieu nai", "to cao", "don thu",
    "to chuc can bo", "nhan su", "bo nhiem", "mien nhiem", "dieu dong can bo", "quy hoach can bo",
    "tai chinh", "du toan", "quyet toan", "kinh phi", "ngan sach",
    "kiem tra giam sat", "kiem tra, giam sat", "ky luat", "thanh tra",
)


def excluded_area(subject: str) -> str | None:
    """The excluded phrase a subject (trích yếu) falls under, or None when it may be published."""
    folded = " " + re.sub(r"[^a-z0-9,]+", " ", fold(subject)) + " "
    return next((phrase for phrase in EXCLUDED_SUBJECT_PHRASES if f" {phrase} " in folded), None)
