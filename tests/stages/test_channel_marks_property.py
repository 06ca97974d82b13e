"""Issue 15, property: a secrecy mark, however it is spelled, is found in whichever channel of the
file it hides (an annotation's text or appearance, a form field, the Info dictionary, XMP, an earlier
revision), and a sentence that only mentions the word is not a mark there either.

Files are built unsigned and read by the worker's own channel step (the signature adds nothing a
channel is read from; tests/stages/test_channels.py and the e2e test sign theirs)."""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus import hostile
from corpus.letters import Letter, demo_letters, render_letter
from pipeline.examine.channels import inspect_channels
from pipeline.examine.text import open_pdf, read_pages
from pipeline.records import Channels

LETTER: Letter = demo_letters()[2]
CLEAN = render_letter(LETTER)

_SECRECY = ("MẬT", "TỐI MẬT", "TUYỆT MẬT")
_LABELS = {"MẬT": "Mật", "TỐI MẬT": "Tối mật", "TUYỆT MẬT": "Tuyệt mật"}


@st.composite
def spelled(draw: st.DrawFn) -> tuple[str, str]:
    """(a spelling of a secrecy mark, the mark it must be read as)."""
    mark = draw(st.sampled_from(_SECRECY))
    style = draw(st.sampled_from(["upper", "title", "lower", "nfd", "label", "long-label", "quoted", "curly",
                                  "numbered", "decorated", "keywords", "dash-title"]))
    text = {
        "upper": mark,
        "title": mark.title(),
        "lower": mark.lower(),
        "nfd": unicodedata.normalize("NFD", mark),
        "label": f"Độ mật: {_LABELS[mark]}",
        "long-label": f"Mức độ mật: {_LABELS[mark]}",
        "quoted": f'"{mark}"',
        "curly": f"“{mark}”",
        "numbered": f"{mark} {draw(st.integers(1, 9))}",
        "decorated": f"({mark})",
        "keywords": f"hội nghị, {mark}, báo cáo",
        "dash-title": f"{mark} - Kế hoạch tổ chức hội nghị",
    }[style]
    return text, mark


_CHANNELS: dict[str, tuple[Callable[[bytes, str], bytes], str]] = {
    "annotation-contents": (lambda pdf, text: hostile.stamp_annotation(pdf, contents=text), "annotation"),
    "annotation-appearance": (lambda pdf, text: hostile.stamp_annotation(pdf, contents=None, appearance=text),
                              "annotation"),
    "freetext": (lambda pdf, text: hostile.stamp_annotation(pdf, contents=text, subtype="/FreeText"), "annotation"),
    "form-field": (lambda pdf, text: hostile.form_field_value(pdf, text), "form-field"),
    "info": (lambda pdf, text: hostile.info_title(pdf, text), "info"),
    "xmp": (lambda pdf, text: hostile.xmp_title(pdf, text), "xmp"),
}


def _channels(pdf: bytes) -> Channels:
    reader = open_pdf(pdf)
    return inspect_channels(pdf, reader, read_pages(reader)[0])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spelling=spelled(), channel=st.sampled_from(sorted(_CHANNELS)))
def test_a_mark_in_any_channel_is_found_as_that_mark(spelling: tuple[str, str], channel: str) -> None:
    text, mark = spelling
    build, name = _CHANNELS[channel]
    found = [(m.channel, m.kind, m.mark) for m in _channels(build(CLEAN, text)).marks]
    assert (name, "secrecy", mark) in found, (text, found)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mark=st.sampled_from(_SECRECY), style=st.sampled_from(["upper", "title", "nfd"]),
       update=st.sampled_from(["pages", "pages+info"]))
def test_a_mark_in_an_earlier_revision_is_found(mark: str, style: str, update: str) -> None:
    spelling = {"upper": mark, "title": mark.title(), "nfd": unicodedata.normalize("NFD", mark)}[style]
    pdf = hostile.earlier_secret_revision(LETTER, spelling)
    if update == "pages+info":  # a later, ordinary save on top of the edit
        pdf = hostile.info_title(pdf, "Kế hoạch tổ chức hội nghị", incremental=True)
    found = [(m.channel, m.kind, m.mark) for m in _channels(pdf).marks]
    assert ("revision", "secrecy", mark) in found, found


_WORDS = st.sampled_from(["văn bản", "các", "đơn vị", "không", "được", "gửi", "qua", "mạng", "công đoàn",
                          "tài liệu", "báo cáo", "theo", "quy định", "thực hiện", "nội dung", "hội nghị"])
_MENTIONS = st.sampled_from(["bí mật", "BÍ MẬT", "bảo mật", "BẢO MẬT", 'không "Mật"', "mật khẩu",
                             "MẶT TRẬN", "Mặt trận", "mật độ"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=st.lists(_WORDS, min_size=1, max_size=6), mention=_MENTIONS,
       after=st.lists(_WORDS, min_size=1, max_size=6), channel=st.sampled_from(sorted(_CHANNELS)))
def test_a_sentence_that_mentions_the_word_is_not_a_mark_in_any_channel(
        before: list[str], mention: str, after: list[str], channel: str) -> None:
    sentence = f"{' '.join(before).capitalize()} {mention} {' '.join(after)}."
    build, _name = _CHANNELS[channel]
    assert _channels(build(CLEAN, sentence)).marks == (), sentence


def test_the_clean_letter_and_an_ordinary_later_save_carry_no_mark() -> None:
    assert _channels(CLEAN) == Channels(revisions=1)
    edited = hostile.earlier_secret_revision(dataclasses.replace(LETTER), "")  # first saved without a mark
    assert _channels(edited).marks == ()
