"""Generate a scratch portal of N realistic signed documents addressed across 50 units, as a git
repository whose history has one commit per working day of letters.

Used by bench/bench_scale.py (issues 9, 21) and bench/bench_ci.py (issue 18). Letters are the demo
letters with varied numbers, dates, subjects and addressees, printed from two office templates
(`TEMPLATES`: layout, page numbers, the organisation stamp's text) and signed for real by one of five
people (`SIGNERS`, each with a person certificate under the scratch DEMO PKI), then by the
organisation, in a process pool. The N letters span ten years (2016-2025); each is committed on the
day it was issued at 17:00 (ICT), so that publication times and the withdrawn list come from git as in
an office; the tag `baseline` marks the generated history.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import json
import os
import random
import shutil
import subprocess
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

from corpus.letters import PLAIN, Letter, Printing, demo_letters, render_letter
from corpus.pki import DEMO_PEOPLE, DemoPki, make_demo_pki
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
# Every subject publishes under the bench portal's policy: "xây dựng Mái ấm Công đoàn" (a finance
# matter, excluded by decide/subjects.py since issue 15) was replaced by a neutral topic.
SUBJECT_TOPICS = [
    "tổ chức Tháng Công nhân", "triển khai chương trình Tết Sum vầy", "tuyên truyền an toàn vệ sinh lao động",
    "phát triển đoàn viên", "thăm hỏi công nhân có hoàn cảnh khó khăn", "tổ chức hội thao công nhân",
    "đối thoại với người lao động", "tập huấn nghiệp vụ công đoàn", "học tập nghị quyết", "thi đua lao động giỏi",
    "tổng kết phong trào thi đua", "bình chọn sáng kiến", "chăm lo cho nữ công nhân", "kỷ niệm ngày truyền thống",
]
TYPES = [("Công văn", ""), ("Kế hoạch", "KH-"), ("Thông báo", "TB-"), ("Giấy mời", "GM-"), ("Báo cáo", "BC-"),
         ("Hướng dẫn", "HD-"), ("Chương trình", "CTr-")]
# Who signs (each has a person certificate): the chair on behalf of the standing committee, the vice
# chairs for the chair.
SIGNERS = {
    "Nguyễn Văn An": ("TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"),
    "Trần Thị Bình": ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    "Lê Hoàng Cường": ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    "Phạm Thu Dung": ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    "Hoàng Minh Đức": ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
}
assert set(DEMO_PEOPLE) <= set(SIGNERS)
# Two office templates: the demo layout (header and closing column by column, page numbers at the top
# from page 2), and one whose text layer runs row by row across the two columns, numbers pages at the
# bottom ("Trang 2"), prints "Kính gửi:" on its own line and carries the organisation stamp's text
# ("Ký bởi: ...", "Thời gian ký: ...").
TEMPLATES: dict[str, tuple[Printing, bool]] = {
    "columns": (PLAIN, False),
    "rows-stamped": (Printing(order="rows", page_numbers="bottom", page_number_format="Trang {n}",
                              addressee_label="own-line"), True),
}
CORPUS_FILE = "corpus.json"  # the N the dates are spread over, so that a later run adds the same letters
BASELINE = "baseline"  # the tag of the generated history
IGNORED = ".congbo/\nsite/\npki/\nbuild-report.md\n" + CORPUS_FILE + "\n"
GIT_ENV = {"GIT_AUTHOR_NAME": "Văn thư", "GIT_AUTHOR_EMAIL": "vanthu@example.org",
           "GIT_COMMITTER_NAME": "Văn thư", "GIT_COMMITTER_EMAIL": "vanthu@example.org"}


def units() -> list[dict[str, object]]:
    from pipeline.normalize import slugify

    found: list[dict[str, object]] = []
    for name in DISTRICTS:
        found.append({"name": f"Liên đoàn Lao động huyện {name}", "kind": "district-union", "groups": ["ldld-huyen"]})
    for name in SECTORS:
        found.append({"name": f"Công đoàn ngành {name}", "kind": "sector-union", "groups": ["cd-nganh"]})
    for name in COMPANIES:
        found.append({"name": f"Công đoàn cơ sở {name}", "kind": "grassroots-union", "groups": ["cdcs-truc-thuoc"]})
    for unit in found:
        unit["id"] = slugify(str(unit["name"]))[:60]
    return found


def letter(index: int, rng: random.Random, registry: list[dict[str, object]], span: int,
           backdated: bool = False) -> tuple[Letter, str]:
    """Letter number `index` of a corpus of `span` letters and the template it is printed from."""
    base = demo_letters()[index % len(demo_letters())]
    type_name, code = rng.choice(TYPES)
    # Ten years, 2016-2025, spread evenly over the `span` letters; a letter added later (index `span`
    # on) is today's letter: dated after every other (31 December 2025), unless it is `backdated` (a
    # letter of March that arrives late). Adding the first letter of a new year would rewrite both
    # search bundles.
    year = 2016 + index * 10 // span if index < span else 2025
    day = dt.date(year, 1, 1) + dt.timedelta(days=(index * 7919) % 360)
    if index >= span and not backdated:
        day = dt.date(2025, 12, 31)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    number = f"{index + 1}/{code}LĐLĐ"
    addressed = rng.sample(registry, k=rng.randint(1, 4))
    groups = ["Liên đoàn Lao động các huyện, thành phố", "Công đoàn ngành và tương đương",
              "Các công đoàn cơ sở trực thuộc LĐLĐ tỉnh"]
    addressees = tuple(str(u["name"]) for u in addressed)
    if rng.random() < 0.2:
        addressees = (rng.choice(groups),)
    topic = rng.choice(SUBJECT_TOPICS)
    signer = rng.choice(sorted(SIGNERS))
    authority, position = SIGNERS[signer]
    template = rng.choice(sorted(TEMPLATES))
    printing, stamped = TEMPLATES[template]
    signed = dt.datetime.combine(day, dt.time(8, 30), ICT) + dt.timedelta(minutes=40)
    item = dataclasses.replace(
        base, number=number, issued_date=day, type_name=type_name, subject=f"{topic} năm {year} (số {index + 1})",
        addressees=addressees, recipients=("Như kính gửi", "Lưu: VT, VP"),
        urgency="KHẨN" if rng.random() < 0.05 else None, secrecy=None, circulation=None,
        signer_name=signer, authority=authority, position=position, printing=printing,
        signed_by=base.organ_name if stamped else None, signed_time=signed if stamped else None,
    )
    return item, template


def _make(args: tuple[int, str, str, int], backdated: bool = False) -> None:
    index, folder, pki_dir, span = args
    from corpus.pki import load_pki

    pki = _PKI.get(pki_dir) or load_pki(Path(pki_dir))
    _PKI[pki_dir] = pki
    item, _ = letter(index, random.Random(index), units(), span, backdated)
    assert item.issued_date is not None
    signed = dt.datetime.combine(item.issued_date, dt.time(8, 30), ICT)
    person = next(p for p in pki.people if p.common_name == item.signer_name)
    data = sign_letter(render_letter(item), person, pki.organisation,
                       person_time=signed, organisation_time=signed + dt.timedelta(minutes=40))
    path = Path(folder) / str(item.issued_date.year) / f"{item.issued_date.isoformat()}-{index + 1:05d}.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")  # a generation stopped half way leaves no truncated PDF
    partial.write_bytes(data)
    partial.replace(path)


_PKI: dict[str, DemoPki] = {}


def git(cwd: Path, *args: str, env: dict[str, str] | None = None, data: bytes | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True, check=False,
                          env={**os.environ, **GIT_ENV, **(env or {})})
    if done.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed: {done.stderr.decode(errors='replace')}")
    return done.stdout.decode()


def span_of(root: Path) -> int:
    """The N the scratch portal at `root` was generated for."""
    return int(json.loads((root / CORPUS_FILE).read_text(encoding="utf-8"))["n"])


def make_portal(root: Path, n: int, workers: int | None = None) -> Path:
    """A scratch portal at `root` with `n` signed documents, committed one working day at a time and
    tagged `baseline`; reuses the documents and history already generated (the working tree is reset
    to `baseline` first: a letter added by an earlier run is dropped)."""
    from corpus.pki import write_pki

    root.mkdir(parents=True, exist_ok=True)
    if (root / CORPUS_FILE).exists() and span_of(root) != n:
        raise SystemExit(f"{root} holds a corpus of {span_of(root)} letters, not {n}: use another --root")
    (root / CORPUS_FILE).write_text(json.dumps({"n": n}), encoding="utf-8")
    if (root / ".git").exists() and git(root, "tag", "-l", BASELINE).strip():
        git(root, "reset", "-q", "--hard", BASELINE)
        git(root, "clean", "-q", "-fd", "documents")
    for name in ("content", "theme"):  # always the repository's: the bench measures today's pages and scripts
        shutil.copytree(REPO / name, root / name, dirs_exist_ok=True)
    shutil.copyfile(REPO / "mkdocs.yml", root / "mkdocs.yml")
    pki_dir = root / "pki"
    if not (pki_dir / "root.pem").exists():
        # Certificates must be valid when each letter was signed: the corpus spans 2016-2026.
        since = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
        write_pki(make_demo_pki(people=tuple(SIGNERS), not_before=since), pki_dir)
    (root / "trust").mkdir(exist_ok=True)
    shutil.copyfile(pki_dir / "root.pem", root / "trust" / "root.pem")
    config = yaml.safe_load((REPO / "portal.yml").read_text(encoding="utf-8"))
    config["trust"]["roots"] = ["trust/root.pem"]
    config["units"] = units()
    # Beyond about 10,000 letters the site outgrows GitHub Pages' 1 GB (3.2 GB at 30,000): the portal is
    # then served by its own host (deploy/nginx/), without a size limit.
    config["site"]["size_limit"] = "none"
    (root / "portal.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    documents = root / "documents"
    have = {int(p.stem[-5:]) - 1 for p in documents.rglob("*.pdf")} if documents.exists() else set()
    todo = [(i, str(documents), str(pki_dir), n) for i in range(n) if i not in have]
    if todo:
        with ProcessPoolExecutor(workers or os.cpu_count()) as pool:
            list(pool.map(_make, todo, chunksize=32))
    commit_history(root)
    git(root, "tag", "-f", BASELINE)
    return root


def _day_of(path: Path) -> str:
    """documents/YYYY/YYYY-MM-DD-NNNNN.pdf -> YYYY-MM-DD (each letter is named by its date)."""
    return path.name[:10]


def commit_history(root: Path) -> int:
    """Commit every file not yet in HEAD: first the portal's own files, then the letters, one commit
    per day they were issued (at 17:00 ICT that day) with git fast-import; returns the commits made."""
    if not (root / ".git").exists():
        git(root, "init", "-q", "-b", "main")
    (root / ".gitignore").write_text(IGNORED, encoding="utf-8")
    has_head = subprocess.run(["git", "rev-parse", "-q", "--verify", "HEAD"], cwd=root,
                              capture_output=True, check=False).returncode == 0
    tracked = set(git(root, "ls-files", "-z").split("\0")) if has_head else set()
    made = 0
    own = (".gitignore", "portal.yml", "mkdocs.yml", "content", "theme", "trust")
    if has_head:  # make_portal copies the repository's content/, theme/ and mkdocs.yml again on each run
        git(root, "add", "-A", *own)
        if subprocess.run(["git", "diff", "--cached", "--quiet"], cwd=root, check=False).returncode != 0:
            git(root, "commit", "-q", "-m", "Trang thông tin cập nhật")
            made += 1
    else:
        start = "2015-12-31T09:00:00+0700"
        git(root, "add", "-A", *own)
        git(root, "commit", "-q", "-m", "Trang thông tin", env={"GIT_AUTHOR_DATE": start, "GIT_COMMITTER_DATE": start})
        made += 1
    new = sorted(p for p in (root / "documents").rglob("*.pdf") if p.relative_to(root).as_posix() not in tracked)
    if not new:
        return made
    # Blobs written once, then referenced by id from the fast-import stream.
    listed = "\n".join(str(p) for p in new) + "\n"
    blobs = git(root, "hash-object", "-w", "--stdin-paths", data=listed.encode()).split()
    by_day: dict[str, list[tuple[str, str]]] = collections.defaultdict(list)
    for path, blob in zip(new, blobs, strict=True):
        by_day[_day_of(path)].append((path.relative_to(root).as_posix(), blob))
    stream = []
    for day in sorted(by_day):
        when = int(dt.datetime.fromisoformat(f"{day}T17:00:00+07:00").timestamp())
        message = f"Văn bản ngày {day}".encode()
        stream.append(b"commit refs/heads/main\n")
        stream.append(f"committer Văn thư <vanthu@example.org> {when} +0700\n".encode())
        stream.append(b"data %d\n%s\n" % (len(message), message))
        if len(stream) == 3:  # the first commit of the stream continues the branch
            stream.append(b"from refs/heads/main^0\n")
        for name, blob in by_day[day]:
            stream.append(f"M 100644 {blob} {name}\n".encode())
        stream.append(b"\n")
        made += 1
    git(root, "fast-import", "--quiet", "--force", data=b"".join(stream))
    git(root, "reset", "-q", "--mixed", "HEAD")  # the index follows the imported commits
    if int(git(root, "count-objects").split()[0]) > 100:
        # Packed as a forge or a clerk's clone keeps its repository: otherwise every clone and every
        # `git log` would pay for thousands of loose PDF blobs.
        # No delta search: signed PDFs (compressed streams) do not delta, and looking costs minutes at 30,000.
        git(root, "repack", "-a", "-d", "-q", "--window=0")
    return made


def add_one(root: Path, index: int, backdated: bool = False, commit: bool = True) -> Path:
    """Add letter number `index` (beyond the generated ones) and return its path: today's letter, dated
    after every other, or a `backdated` one (issued in March of the newest year); `commit` commits it
    now, as the clerk's push would."""
    _make((index, str(root / "documents"), str(root / "pki"), span_of(root)), backdated)
    added = next((root / "documents").rglob(f"*-{index + 1:05d}.pdf"))
    if commit:
        git(root, "add", "--", added.relative_to(root).as_posix())
        git(root, "commit", "-q", "-m", f"Văn bản {added.name}")
    return added


def remove_added(root: Path) -> None:
    """Back to the generated history (`baseline`): letters added since are gone from the tree and from
    history, as if never pushed (not withdrawn)."""
    git(root, "reset", "-q", "--hard", BASELINE)
    git(root, "clean", "-q", "-fd", "documents")
