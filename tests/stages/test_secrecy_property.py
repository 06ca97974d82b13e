"""Issue 5 evidence at the PDF level: secrecy marks written in random spellings at random places of
real rendered letters are always refused as `secret`; letters that merely mention the word are not.

The text-level properties (NFD, tone spellings, letter spacing) are in tests/unit/test_marks.py; here
the mark goes through reportlab, the PDF text layer and pypdf, as in production. The number of
examples tried is printed with `pytest -s` and reported in the closing note.
"""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kit import REPO

from corpus.letters import Letter, demo_letters, render_letter
from pipeline.config import load_config
from pipeline.decide.policy import content_reasons
from pipeline.examine.fields.metadata import extract_metadata
from pipeline.examine.text import read_text
from pipeline.records import ReasonCode

CONFIG = load_config(REPO / "portal.yml")
BASES = demo_letters()[:6]
TRIED = {"marked": 0, "mentioned": 0}

MARKS = ("MẬT", "TỐI MẬT", "TUYỆT MẬT")


@st.composite
def spelled_mark(draw: st.DrawFn) -> str:
    mark = draw(st.sampled_from(MARKS))
    style = draw(st.sampled_from(["plain", "spaced", "lower", "title", "padded"]))
    if style == "spaced":
        return " ".join(mark.replace(" ", ""))  # "M Ậ T", "T Ố I M Ậ T"
    if style == "lower":
        return mark.lower()
    if style == "title":
        return mark.title()
    if style == "padded":
        return f"  {mark}  "
    return mark


def _place(base: Letter, mark: str, where: str) -> Letter:
    if where == "header":
        return dataclasses.replace(base, secrecy=mark.strip())
    body = list(base.body)
    if where == "body-first":
        body.insert(0, mark)
    elif where == "body-last":
        body.append(mark)
    else:  # on a later page, after enough text to fill the first
        body += [base.body[0]] * 8 + [mark]
    return dataclasses.replace(base, body=tuple(body))


def _content_codes(letter: Letter) -> set[ReasonCode]:
    text, _pages = read_text(render_letter(letter))
    return {r.code for r in content_reasons(extract_metadata(text), CONFIG)}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base=st.sampled_from(BASES), mark=spelled_mark(),
       where=st.sampled_from(["header", "body-first", "body-last", "later-page"]))
def test_a_secrecy_mark_anywhere_is_always_refused(base: Letter, mark: str, where: str) -> None:
    TRIED["marked"] += 1
    assert ReasonCode.SECRET in _content_codes(_place(base, mark, where)), (mark, where)


MENTIONS = (
    'Văn bản này có nội dung không "Mật" nên được đăng công khai.',
    "Các đơn vị thực hiện nghiêm quy định bảo vệ bí mật nhà nước, trừ các văn bản MẬT gửi theo đường riêng.",
    "Đề nghị không sử dụng mật khẩu đơn giản khi đăng nhập hệ thống quản lý văn bản.",
    "Tăng mật độ tuyên truyền về an toàn lao động trong tháng cao điểm.",
    "Công tác bảo mật thông tin được thực hiện theo hướng dẫn của cấp trên.",
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base=st.sampled_from(BASES), mention=st.sampled_from(MENTIONS), at=st.integers(min_value=0, max_value=3))
def test_a_letter_that_only_mentions_the_word_is_not_refused_as_secret(base: Letter, mention: str, at: int) -> None:
    TRIED["mentioned"] += 1
    body = list(base.body)
    body.insert(min(at, len(body)), mention)
    codes = _content_codes(dataclasses.replace(base, body=tuple(body)))
    assert ReasonCode.SECRET not in codes
    assert not codes, codes  # and the demo letter stays publishable


def test_report_how_many_variants_were_tried() -> None:
    print(f"\nsecrecy variants tried: {TRIED}")
