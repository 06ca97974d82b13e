"""Generate a scratch portal of N realistic signed documents addressed across 50 units.

Used by bench/bench_scale.py (issue 9). Letters are the demo letters with varied numbers, dates,
subjects and addressees; each is rendered and signed for real (person, then organisation) with a
fresh DEMO PKI, in a process pool.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import random
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

from corpus.letters import Letter, demo_letters, render_letter
from corpus.pki import DemoPki, make_demo_pki
from corpus.signing import sign_letter

REPO = Path(__file__).resolve().parents[1]
ICT = dt.timezone(dt.timedelta(hours=7))
DISTRICTS = [
    "Châu Thành", "Hòa An", "Đông Sơn", "Tân Mẫu", "Bình Minh", "Phú Lộc", "Long Hải", "Thạnh Trị", "Mỹ Xuyên",
    "An Phú", "Tân Hiệp", "Vĩnh Lợi", "Gò Quao", "Cái Nước", "Hồng Dân", "Phước Long", "Trần Đề", "Kế Sách",
    "Cù Lao Dung", "Ngã Năm",
]
SECTORS = ["Giáo dục", "Y tế", "Giao thông vận tải", "Công Thương", "Nông nghiệp", "Xây dựng", "Tài nguyên",
           "Văn hóa", "Ngân hàng", "Bưu điện"]
COMPANIES = [f"Công ty TNHH {name}" for name in (
    "May Mẫu Sơn", "Thủy sản Sông Hậu", "Giày da Phú Lộc", "Điện tử Tân Mẫu", "Gỗ Đông Sơn", "Bao bì Hòa An",
    "Dệt Long Hải", "Cơ khí Châu Thành", "Thực phẩm Mỹ Xuyên", "Nhựa An Phú", "Phân bón Vĩnh Lợi",
    "Xi măng Tân Hiệp", "Gạch Kế Sách", "Dược Phước Long", "Nước khoáng Ngã Năm", "Sữa Trần Đề",
    "Thép Cái Nước", "Cao su Hồng Dân", "Chè Gò Quao", "Muối Cù Lao Dung",
)]
SUBJECT_TOPICS = [
    "tổ chức Tháng Công nhân", "triển khai chương trình Tết Sum vầy", "tuyên truyền an toàn vệ sinh lao động",
    "phát triển đoàn viên", "thăm hỏi công nhân có hoàn cảnh khó khăn", "tổ chức hội thao công nhân",
    "đối thoại với người lao động", "xây dựng Mái ấm Công đoàn", "học tập nghị quyết", "thi đua lao động giỏi",
    "tổng kết phong trào thi đua", "bình chọn sáng kiến", "chăm lo cho nữ công nhân", "kỷ niệm ngày truyền thống",
]
TYPES = [("Công văn", ""), ("Kế hoạch", "KH-"), ("Thông báo", "TB-"), ("Giấy mời", "GM-"), ("Báo cáo", "BC-"),
         ("Hướng dẫn", "HD-"), ("Chương trình", "CTr-")]


def units() -> list[dict]:
    found = []
    for name in DISTRICTS:
        found.append({"name": f"Liên đoàn Lao động huyện {name}", "kind": "district-union", "groups": ["ldld-huyen"]})
    for name in SECTORS:
        found.append({"name": f"Công đoàn ngành {name}", "kind": "sector-union", "groups": ["cd-nganh"]})
    for name in COMPANIES:
        found.append({"name": f"Công đoàn cơ sở {name}", "kind": "grassroots-union", "groups": ["cdcs-truc-thuoc"]})
    from pipeline.normalize import slugify

    for unit in found:
        unit["id"] = slugify(unit["name"])[:60]
    return found


def letter(index: int, rng: random.Random, registry: list[dict], backdated: bool = False) -> Letter:
    base = demo_letters()[index % len(demo_letters())]
    type_name, code = rng.choice(TYPES)
    # Ten years, 2016-2025; a document added later (index 10,000 on) is today's letter: dated after
    # every other (31 December 2025), unless it is `backdated` (a letter of March that arrives late).
    # Adding the first document of a new year would rewrite both search bundles.
    year = 2016 + index * 10 // 10_000 if index < 10_000 else 2025
    day = dt.date(year, 1, 1) + dt.timedelta(days=(index * 7919) % 360)
    if index >= 10_000 and not backdated:
        day = dt.date(2025, 12, 31)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    number = f"{index + 1}/{code}LĐLĐ"
    addressed = rng.sample(registry, k=rng.randint(1, 4))
    groups = ["Liên đoàn Lao động các huyện, thành phố", "Công đoàn ngành và tương đương",
              "Các công đoàn cơ sở trực thuộc LĐLĐ tỉnh"]
    addressees = tuple(u["name"] for u in addressed)
    if rng.random() < 0.2:
        addressees = (rng.choice(groups),)
    topic = rng.choice(SUBJECT_TOPICS)
    return dataclasses.replace(
        base, number=number, issued_date=day, type_name=type_name, subject=f"{topic} năm {year} (số {index + 1})",
        addressees=addressees, recipients=("Như kính gửi", "Lưu: VT, VP"),
        urgency="KHẨN" if rng.random() < 0.05 else None, secrecy=None, circulation=None,
    )


def _make(args: tuple[int, str, str], backdated: bool = False) -> None:
    index, folder, pki_dir = args
    from corpus.pki import load_pki

    pki = _PKI.get(pki_dir) or load_pki(Path(pki_dir))
    _PKI[pki_dir] = pki
    registry = units()
    item = letter(index, random.Random(index), registry, backdated)
    assert item.issued_date is not None
    signed = dt.datetime.combine(item.issued_date, dt.time(8, 30), ICT)
    person = next((p for p in pki.people if p.common_name == item.signer_name), pki.people[0])
    data = sign_letter(render_letter(item), person, pki.organisation,
                       person_time=signed, organisation_time=signed + dt.timedelta(minutes=40))
    path = Path(folder) / str(item.issued_date.year) / f"{item.issued_date.isoformat()}-{index + 1:05d}.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


_PKI: dict[str, DemoPki] = {}


def make_portal(root: Path, n: int, workers: int | None = None) -> Path:
    """A scratch portal at `root` with `n` signed documents; reuses documents already generated."""
    from corpus.pki import write_pki

    root.mkdir(parents=True, exist_ok=True)
    for name in ("content", "theme"):  # always the repository's: the bench measures today's pages and scripts
        shutil.copytree(REPO / name, root / name, dirs_exist_ok=True)
    shutil.copyfile(REPO / "mkdocs.yml", root / "mkdocs.yml")
    pki_dir = root / "pki"
    if not (pki_dir / "root.pem").exists():
        # Certificates must be valid when each letter was signed: the corpus spans 2016-2026.
        since = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
        write_pki(make_demo_pki(not_before=since), pki_dir)
    (root / "trust").mkdir(exist_ok=True)
    shutil.copyfile(pki_dir / "root.pem", root / "trust" / "root.pem")
    config = yaml.safe_load((REPO / "portal.yml").read_text(encoding="utf-8"))
    config["trust"]["roots"] = ["trust/root.pem"]
    config["units"] = units()
    (root / "portal.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    documents = root / "documents"
    have = sum(1 for _ in documents.rglob("*.pdf")) if documents.exists() else 0
    todo = [(i, str(documents), str(pki_dir)) for i in range(have, n)]
    if todo:
        with ProcessPoolExecutor(workers or os.cpu_count()) as pool:
            list(pool.map(_make, todo, chunksize=32))
    return root


def add_one(root: Path, index: int, backdated: bool = False) -> Path:
    """Add document number `index` (beyond the generated ones) and return its path: today's letter,
    dated after every other, or a `backdated` one (issued in March of the newest year)."""
    _make((index, str(root / "documents"), str(root / "pki")), backdated)
    return next((root / "documents").rglob(f"*-{index + 1:05d}.pdf"))
