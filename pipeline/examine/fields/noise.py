"""What OCR does to Vietnamese text, and the few repairs that are certain.

Tesseract drops or changes tone marks ("CHU TỊCH", "TINH QUANG NGAI"), runs words together
("ỦY BANNHÂNDÂN"), reads "1" as "l" inside a number ("kỳ họp thứ 3l") and reads handwriting as
letters that no Vietnamese word has ("Prẫn", "Zf"). The fields modules use this module to:
- tell a word that can be Vietnamese from OCR debris (`vietnamese_word`), so that a name made of
  debris is reported unknown rather than printed wrong;
- respell the words of a closed vocabulary (titles of signers, kinds of bodies) whose letters are
  right but whose marks are not, only where the folded form names exactly one phrase
  (`respell_capitals`);
- read digits misread as letters inside a number (`fix_digits`), and drop a bracket left alone.

Nothing here invents a letter that the text does not show: a repair either maps the folded form
onto the only phrase it can be, or the text is left as it is.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from pipeline.normalize import canonical, fold, fold_aligned

_TONE_MARKS = frozenset("\u0300\u0301\u0309\u0303\u0323")


def _untoned(word: str) -> str:
    """The word without its tone marks, keeping the letters' own marks (â, ă, ê, ô, ơ, ư, đ)."""
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))


# A Vietnamese syllable: an initial consonant (or none), one to three vowels, a final consonant (or
# none). The vowel part is loose on purpose: it tells debris ("pr", "zf", "xếđ") from words, it is
# no spelling checker.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"[aăâeêioôơuưy]{1,3}"
    r"(?:ch|ng|nh|[cmnpt])?"
)


def vietnamese_word(word: str) -> bool:
    """Whether `word` (letters only) can be a Vietnamese syllable; "-" joins syllables ("Hồ-Chí")."""
    if not _marks_on_vowels(word):
        return False  # "Ñguyến": a mark on a consonant, which no Vietnamese letter has
    parts = _untoned(word).lower().split("-")
    return all(_SYLLABLE.fullmatch(part) for part in parts)


def _marks_on_vowels(word: str) -> bool:
    """Whether every mark in `word` sits on a vowel (tones, and the letters' own ˆ ˘ ʼ): Vietnamese
    marks no consonant but "đ", which is a letter of its own ("Ñ" is OCR's, or another language's)."""
    base = ""
    for char in unicodedata.normalize("NFD", word):
        if unicodedata.combining(char):
            if base.lower() not in "aeiouy" or not base:
                return False
        else:
            base = char
    return True


# The marks Vietnamese puts on its letters (NFD): the five tones, and the circumflex, breve and horn
# of â, ê, ô, ă, ơ, ư.
_VIETNAMESE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")
# The punctuation and signs of typed Vietnamese text: lists, numbers, office codes, brackets.
_TYPED_SIGNS = frozenset(" ,.;:!?-–—()[]{}/\\&%+'\"“”‘’…*#@_")


def alien_character(char: str) -> bool:
    """Whether `char` is one that typed Vietnamese text has not, which OCR makes of a stain, a seal
    or a signature: a letter outside the Latin alphabet and "đ" or with a mark Vietnamese does not
    put on it ("ÿ", "Ð", "ø", "Ñ"), or a sign outside its punctuation ("§", "£", "⁄", "¡", "„")."""
    if char.isdigit() or char in _TYPED_SIGNS or char.isspace():
        return False
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if not (base.isascii() and base.isalpha()) and base not in "đĐ":
        return True
    return any(m not in _VIETNAMESE_MARKS for m in marks) or not _marks_on_vowels(char)


_FOREIGN_LETTERS = frozenset("fjwzFJWZ")


def vietnamese_name(text: str) -> bool:
    """Whether a person's name can be what it reads: names are read from the signing block, where a
    signature over the printed name leaves debris ("Prẫn Phước Hiền", "Zf Thị Lê Vân"). A word with
    a letter Vietnamese has not (f, j, w, z), or with the marks of Vietnamese (â, đ, a tone...) but
    no Vietnamese syllable, is debris; a word with neither may be a name of a minority people
    written in Latin letters ("Ksor", "Rah") and is kept."""
    for word in text.split():
        if _FOREIGN_LETTERS & set(word):
            return False
        if fold(word) != word.lower() and not vietnamese_word(word):
            return False
    return True


# Vietnamese family names (họ), the common ones: together they are the family names of nearly every
# Vietnamese. Only the weakest reading of a name uses them: a name with no title above it. Compared
# with their marks: OCR's "Trân" or "Ñguyến" is no family name, and such a name is left unknown. Family
# names that also open a title or a place ("Phó", "Sơn") are left out.
_FAMILY_NAMES = frozenset(unicodedata.normalize("NFC", name).lower() for name in (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đoàn", "Đinh", "Lâm", "Mai", "Trương", "Tạ", "Hà", "Cao",
    "Lương", "Tô", "Trịnh", "Châu", "Quách", "Thái", "Kiều", "Khúc", "Lưu", "La", "Chu", "Phùng",
    "Vương", "Hứa", "Triệu", "Tăng", "Từ", "Nông", "Lò", "Lục", "Thân", "Đàm", "Mạc", "Lại", "Tống",
    "Giang", "Bạch", "Kim", "Khổng", "Doãn", "Diệp", "Âu", "Ông", "Thạch", "Quan", "Lã", "Nghiêm",
    "Mạnh", "Tôn", "Viên", "Ninh", "Lạc", "Hàn", "Hầu", "Kha", "Khương", "Khuất", "Lăng",
    "Lư", "Mã", "Ma", "Nhâm", "Phí", "Sầm", "Thiều", "Thịnh", "Tiêu", "Trà",
    "Trang", "Trầm", "Vi", "Vòng", "Đồng", "Đàng", "Đường", "Giáp", "Hạ", "Hoa", "Hồng", "Cù", "Cổ",
    "Cung", "Dư", "Lữ",
))


def family_name_first(name: str) -> bool:
    """Whether a name opens with a Vietnamese family name ("Trần Ngọc Căng")."""
    words = unicodedata.normalize("NFC", name).split()
    return bool(words) and words[0].lower() in _FAMILY_NAMES


# --- closed vocabularies in capitals --------------------------------------------------------------

# Phrases printed in capitals in the signing block and in the issuer, which OCR often gives with a
# mark lost or changed, or with the spaces lost. Each is respelled only where its folded form (no
# marks, no spaces) is found as whole words, so "TỔNG CỤC" is never made of "TONG" alone. A phrase
# whose folded form is also another real phrase is left out: "THỨ TRƯỞNG" (and "THỦ TRƯỞNG"),
# "CÔNG ĐOÀN" (and "CỘNG ĐOÀN").
_PHRASES: tuple[str, ...] = (
    "ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "BAN CHẤP HÀNH", "BAN THƯỜNG VỤ", "BAN CHỈ ĐẠO",
    "BAN THƯỜNG TRỰC", "ỦY BAN KIỂM TRA", "MẶT TRẬN TỔ QUỐC", "LIÊN ĐOÀN LAO ĐỘNG",
    "CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "CHỦ TỊCH", "PHÓ CHỦ TỊCH",
    "TỔNG CỤC TRƯỞNG", "PHÓ TỔNG CỤC TRƯỞNG", "CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG", "TỔNG CỤC",
    "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "TỔNG GIÁM ĐỐC", "PHÓ TỔNG GIÁM ĐỐC", "BỘ TRƯỞNG",
    "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "BÍ THƯ", "PHÓ BÍ THƯ", "ỦY VIÊN", "CHỦ NHIỆM", "PHÓ CHỦ NHIỆM",
    "VỤ TRƯỞNG", "PHÓ VỤ TRƯỞNG", "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG",
    "ỦY BAN NHÂN DÂN TỈNH", "ỦY BAN NHÂN DÂN HUYỆN", "ỦY BAN NHÂN DÂN THÀNH PHỐ", "ỦY BAN NHÂN DÂN XÃ",
    "ỦY BAN NHÂN DÂN QUẬN", "ỦY BAN NHÂN DÂN PHƯỜNG", "ỦY BAN NHÂN DÂN THỊ XÃ",
    "HỘI ĐỒNG NHÂN DÂN TỈNH", "HỘI ĐỒNG NHÂN DÂN HUYỆN", "HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ",
    "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM", "LIÊN ĐOÀN LAO ĐỘNG TỈNH", "LIÊN ĐOÀN LAO ĐỘNG HUYỆN",
    "TỔNG CỤC THUẾ", "CỤC THUẾ", "CHI CỤC THUẾ", "KHO BẠC NHÀ NƯỚC", "BẢO HIỂM XÃ HỘI VIỆT NAM",
    "BẢO HIỂM XÃ HỘI", "VĂN PHÒNG CHÍNH PHỦ", "THỦ TƯỚNG CHÍNH PHỦ", "CHÍNH PHỦ",
    # The ministries (Luật Tổ chức Chính phủ) and the ministers' titles printed with them.
    "BỘ TÀI CHÍNH", "BỘ NỘI VỤ", "BỘ Y TẾ", "BỘ CÔNG AN", "BỘ QUỐC PHÒNG", "BỘ NGOẠI GIAO",
    "BỘ TƯ PHÁP", "BỘ CÔNG THƯƠNG", "BỘ XÂY DỰNG", "BỘ GIÁO DỤC VÀ ĐÀO TẠO", "BỘ KẾ HOẠCH VÀ ĐẦU TƯ",
    "BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "BỘ GIAO THÔNG VẬN TẢI", "BỘ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN",
    "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "BỘ THÔNG TIN VÀ TRUYỀN THÔNG",
    "BỘ KHOA HỌC VÀ CÔNG NGHỆ", "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "BỘ DÂN TỘC VÀ TÔN GIÁO",
)
_WORDS = re.compile(r"[^\W\d_]+")
# The provinces and the centrally run cities, as an issuer prints them under its kind ("ỦY BAN NHÂN
# DÂN / TỈNH QUẢNG NGÃI"), which OCR gives as "TÍNH QUẢNG NGÃI", "TỈNH QUÁNG NGAI"...: the 63 of
# before July 2025 (the 34 after it are among them), with the older spellings still printed.
_PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bắc Cạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre",
    "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Đắk Lắk", "Đắk Nông",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Tĩnh", "Hải Dương",
    "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng",
    "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ",
    "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La",
    "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh",
    "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)
_CITIES = ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế")
_LOCALITIES = tuple(f"TỈNH {p.upper()}" for p in _PROVINCES) + tuple(f"THÀNH PHỐ {c.upper()}" for c in _CITIES)
# With the kinds of body printed before them, so the longest phrase read first ("ỦY BAN NHÂN DÂN
# TỈNH") does not take the locality's first word away from it.
_PHRASES += _LOCALITIES + tuple(
    f"{kind} {locality}" for kind in ("ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "LIÊN ĐOÀN LAO ĐỘNG")
    for locality in _LOCALITIES)
# Folded letters only -> the phrase.
_BY_FOLD = {"".join(_WORDS.findall(fold(p))): p for p in _PHRASES}
_LONGEST = max(len(p.split()) for p in _PHRASES)


def respell_capitals(text: str) -> str:
    """`text` with the known phrases in capitals respelled: "TL. CHU TỊCH" -> "TL. CHỦ TỊCH",
    "ỦY BANNHÂNDÂN" -> "ỦY BAN NHÂN DÂN". Only runs of words in capitals are read; a run is
    replaced where the run's folded letters equal a phrase's, longest run first."""
    words = [m for m in _WORDS.finditer(text) if m.group().isupper()]
    if not words:
        return text
    out: list[str] = []
    pos = 0
    i = 0
    while i < len(words):
        best = None
        for j in range(min(len(words), i + _LONGEST), i, -1):
            run = words[i:j]
            between = [text[a.end():b.start()] for a, b in itertools.pairwise(run)]
            if any(gap.strip(" -,") for gap in between):
                continue  # only words separated by spaces (or the phrase's "-" and ",") make one
            key = "".join(fold(w.group()) for w in run)
            if key in _BY_FOLD:
                best = (j, _BY_FOLD[key])
                break
        if best is None:
            i += 1
            continue
        j, phrase = best
        out.append(text[pos:words[i].start()])
        out.append(phrase)
        pos = words[j - 1].end()
        i = j
    out.append(text[pos:])
    return "".join(out)


# Names written in sentence case in Kính gửi and Nơi nhận that OCR often gives with a mark lost or
# changed ("Công TTĐT", "Thông tỉn điện tử", "Phát triên nông thôn"): the national e-portals and the
# departments every province has (Nghị định 24/2014/NĐ-CP, as amended). Matched whole, once folded.
_NAMES = (
    "Cổng Thông tin điện tử", "Cổng TTĐT", "Cổng TT-ĐT", "Cổng Dịch vụ công",
    "Sở Nội vụ", "Sở Tư pháp", "Sở Kế hoạch và Đầu tư", "Sở Tài chính", "Sở Công Thương",
    "Sở Nông nghiệp và Phát triển nông thôn", "Sở Nông nghiệp và Môi trường", "Sở Giao thông vận tải",
    "Sở Xây dựng", "Sở Tài nguyên và Môi trường", "Sở Thông tin và Truyền thông",
    "Sở Lao động - Thương binh và Xã hội", "Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hóa và Thể thao",
    "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Ngoại vụ", "Sở Du lịch",
    "Sở Dân tộc và Tôn giáo", "Thanh tra tỉnh", "Văn phòng Ủy ban nhân dân tỉnh",
    # Party committees (Hướng dẫn 36-HD/VPTW) whose folded form is no other phrase: not "Quận ủy"
    # ("Quân ủy"), "Đảng ủy" ("đang ủy ...") or "Thị ủy" ("thị uy").
    "Tỉnh ủy", "Thành ủy", "Huyện ủy",
    # The abbreviations of the people's committees and councils, which OCR gives as "ƯBND".
    "UBND", "HĐND",
)
# The same names in capitals, as an issuer prints them ("SỞ NỘI VỤ", "TỈNH ỦY").
_BY_FOLD.update({"".join(_WORDS.findall(fold(n))): n.upper() for n in _NAMES if not n.startswith("Cổng")})
_LONGEST = max(_LONGEST, *(len(n.split()) for n in _NAMES))
# A province or a centrally run city after its kind, in an item ("Thuế tính Ninh Bình": "tỉnh").
_NAMES_IN_ITEMS = (*_NAMES, *(f"tỉnh {p}" for p in _PROVINCES), *(f"thành phố {c}" for c in _CITIES))
_NAME_PATTERN = re.compile(
    r"(?<![^\W_])(?:" + "|".join(re.escape(fold(n)) for n in sorted(_NAMES_IN_ITEMS, key=len, reverse=True))
    + r")(?![^\W_])")
_NAME_OF = {fold(n): n for n in _NAMES_IN_ITEMS}


def respell_names(text: str) -> str:
    """`text` with the known names respelled where their folded form is found whole: "Công TTĐT
    tỉnh" -> "Cổng TTĐT tỉnh". Only the marks change: every letter keeps the case it was printed in."""
    text = canonical(text)
    folded = fold_aligned(text)
    out: list[str] = []
    pos = 0
    for m in _NAME_PATTERN.finditer(folded):
        name = _NAME_OF[m.group()]
        printed = text[m.start():m.end()]
        if len(name) != len(printed):
            continue
        out.append(text[pos:m.start()])
        out.append("".join(n.upper() if p.isupper() else n.lower() for n, p in zip(name, printed, strict=True)))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


# --- digits ---------------------------------------------------------------------------------------

# A token of digits where OCR put "l", "I" or "O" for "1" and "0": "3l", "2O24", "l5". At least one
# real digit, so a word ("lO", "Il") is never read as a number.
_MISREAD_NUMBER = re.compile(r"(?<![\w/.-])(?=[\dlIO]*\d)(?=\d*[lIO])[\dlIO]{2,}(?![\w/-])")
_DIGIT_OF = str.maketrans({"l": "1", "I": "1", "O": "0"})


def fix_digits(text: str) -> str:
    """`text` with the numbers that OCR spelt with letters read as digits ("thứ 3l" -> "thứ 31")."""
    return _MISREAD_NUMBER.sub(lambda m: m.group().translate(_DIGIT_OF), text)


# "O" among digits ("2O26", "O9", "1O5/"): a zero. Only "O": an "l" or "I" before digits may be a
# rule of the table the number is printed in, so it is not read as "1" where a number is concerned.
_ZERO = re.compile(r"(?<![^\W\d_])(?=[\dO]*\d)[\dO]*O[\dO]*(?![^\W\d_])")


def read_zeros(text: str) -> str:
    """`text` with the "O"s of numbers read as zeros; the length is kept, so spans still match."""
    return _ZERO.sub(lambda m: m.group().replace("O", "0"), text)


_LONE_CLOSE = re.compile(r"\s+\)(?=\s|$)")


def drop_lone_brackets(text: str) -> str:
    """A ")" standing alone with no "(" open before it is a stain or a rule, not text."""
    out = text
    for m in reversed(list(_LONE_CLOSE.finditer(text))):
        before = text[:m.start()]
        if before.count("(") <= before.count(")"):
            out = out[:m.start()] + out[m.end():]
    return out


def close_brackets(text: str) -> str:
    """`text` with a "}" or "]" that closes a "(" read as ")": OCR's reading of a round bracket
    ("(để b/c}"), since a bracket opened round is closed round. Pairs as printed ("[1]", "{x}") and
    a closing bracket with nothing open before it are left as they are."""
    out = list(text)
    stack: list[str] = []
    for pos, char in enumerate(text):
        if char in "([{":
            stack.append(char)
        elif char in ")]}" and stack:
            if char != ")" and stack[-1] == "(":
                out[pos] = ")"
            stack.pop()
    return "".join(out)
