"""The doors before the build: `check` (pre-commit and pull request) and `audit` (all of history).

Both run the same examination and policy as the build, on bytes taken from where they really are:
the index for `check --staged`, the object store for `audit`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shlex
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.build import BuildOptions, examine
from pipeline.config import PortalConfig
from pipeline.decide.evaluate import Evaluation, evaluate, with_routing
from pipeline.decide.sidecar import sidecar_files, sidecar_stem_key, stem_key
from pipeline.decide.units import UnitIndex
from pipeline.history import HistoricalBlob, document_blobs, read_blob, staged_files
from pipeline.records import ReasonCode, SourceFile

# Refusals whose content must not stay in a public repository's history.
LEAKS = {ReasonCode.SECRET, ReasonCode.EXCLUDED_CATEGORY}


def _evaluate_bytes(config: PortalConfig, files: Iterable[tuple[str, bytes]],
                    sidecars: dict[str, bytes], *, routing: bool = True) -> list[Evaluation]:
    """Examine in-memory files as if they sat at their paths in the portal, with their sidecars;
    with `routing`, judged on their addressees too, as the build does (not for the history audit,
    which looks for what must not stay in the history)."""
    with tempfile.TemporaryDirectory(prefix="congbo-check-") as tmp:
        mirror = Path(tmp)
        sources = []
        for name, data in files:
            target = mirror / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            sources.append(SourceFile(name, hashlib.sha256(data).hexdigest(), len(data)))
        for name, data in sidecars.items():
            target = mirror / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        # Not from the inspection cache: these bytes are not the portal's yet, and a check must not
        # leave entries of refused files behind. examine -> evaluate as `build.check` does, keeping
        # the text for routing.
        mirrored = dataclasses.replace(config, root=mirror)
        results = examine(mirrored, tuple(sources), BuildOptions(use_cache=False))
        index = UnitIndex(config)
        evaluations = [evaluate(mirrored, source, results[source.path]) for source in sources]
        if not routing:
            return evaluations
        return [with_routing(index, e, results[e.source.path]) for e in evaluations]


def check_paths(config: PortalConfig, paths: list[Path]) -> list[Evaluation]:
    """Check files of the working tree (a sidecar named on its own brings its PDF). Every file beside
    a PDF that is or looks like its sidecar goes along under its own name, so the check sees what the
    build will see (a `NAME.YAML` saying MẬT, two sidecars, a look-alike)."""
    pdfs: dict[str, bytes] = {}
    sidecars: dict[str, bytes] = {}
    for path in paths:
        for pdf in _pdfs_of(path):
            name = _relative(pdf, config.root)
            pdfs[name] = pdf.read_bytes()
            for side in _sidecars_on_disk(pdf):
                sidecars[str(PurePosixPath(name).with_name(side.name))] = side.read_bytes()
    return _evaluate_bytes(config, sorted(pdfs.items()), sidecars)


def check_staged(config: PortalConfig) -> list[Evaluation]:
    """Check what `git commit` would record: staged PDFs, and PDFs whose staged sidecar changed, each
    with its sidecars as staged (or, when not staged, as on disk), under their own names."""
    staged = dict(staged_files(config.root))
    pdfs: dict[str, bytes] = {name: data for name, data in staged.items() if name.lower().endswith(".pdf")}
    sidecars: dict[str, bytes] = {}
    for name, data in staged.items():
        key = sidecar_stem_key(PurePosixPath(name).name)
        if key is None:
            continue
        sidecars[name] = data
        folder = config.root / PurePosixPath(name).parent
        for pdf in _pdfs_in(folder, key):
            pdf_name = _relative(pdf, config.root)
            if pdf_name not in pdfs:
                pdfs[pdf_name] = pdf.read_bytes()
    for pdf_name in list(pdfs):
        for side in _sidecars_on_disk(config.root / pdf_name):
            sidecars.setdefault(str(PurePosixPath(pdf_name).with_name(side.name)), side.read_bytes())
    return _evaluate_bytes(config, sorted(pdfs.items()), sidecars)


def _pdfs_of(path: Path) -> list[Path]:
    """The PDF a path names: itself, or the PDF(s) beside it whose sidecar (or look-alike) it is."""
    if path.suffix.lower() == ".pdf":
        return [path] if path.is_file() else []
    key = sidecar_stem_key(path.name)
    return _pdfs_in(path.parent, key) if key is not None else []


def _pdfs_in(folder: Path, key: str) -> list[Path]:
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [folder / n for n in names
            if n.lower().endswith(".pdf") and stem_key(n[:-4]) == key and (folder / n).is_file()]


def _sidecars_on_disk(pdf: Path) -> list[Path]:
    found = sidecar_files(pdf)
    return [p for p in (*found.found, *found.lookalikes) if p.is_file() and not p.is_symlink()]


def _relative(path: Path, root: Path) -> str:
    resolved = path.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else resolved.name


@dataclass(frozen=True)
class Finding:
    blob: HistoricalBlob
    evaluation: Evaluation

    @property
    def leaks(self) -> bool:
        return any(r.code in LEAKS for r in self.evaluation.reasons)


def audit_history(config: PortalConfig) -> list[Finding]:
    """Every PDF blob ever committed under documents/ that the policy would refuse."""
    blobs = [b for b in document_blobs(config.root) if b.path.lower().endswith(".pdf")]
    unique: dict[str, HistoricalBlob] = {}
    for blob in blobs:
        unique.setdefault(blob.blob, blob)
    files = [(f"blobs/{blob}.pdf", read_blob(config.root, blob)) for blob in unique]
    evaluations = {e.source.path: e for e in _evaluate_bytes(config, files, {}, routing=False)}
    findings = []
    for blob in blobs:
        evaluation = evaluations[f"blobs/{blob.blob}.pdf"]
        if evaluation.reasons:
            findings.append(Finding(blob, evaluation))
    return sorted(findings, key=lambda f: (not f.leaks, f.blob.date, f.blob.path))


def purge_commands(paths: Iterable[str]) -> list[str]:
    """The exact commands that remove files from every commit, then replace the published history."""
    unique = sorted(set(paths))
    filter_repo = "git filter-repo --invert-paths " + " ".join(f"--path {shlex.quote(p)}" for p in unique)
    return [
        "# 1. Sao lưu nguyên trạng kho trước khi sửa lịch sử:",
        "git clone --mirror . ../kho-sao-luu.git",
        "# 2. Làm việc trên một bản sao mới (git-filter-repo chỉ chạy trên bản sao mới: pip install git-filter-repo):",
        "git clone --no-local . ../kho-lam-sach && cd ../kho-lam-sach",
        "# 3. Xóa các tệp khỏi mọi commit, mọi nhánh:",
        filter_repo,
        "# 4. Đẩy lịch sử đã sửa lên máy chủ, thay thế lịch sử cũ (thay <địa chỉ kho> bằng địa chỉ thật):",
        "git remote add origin <địa chỉ kho> && git push --force --all origin && git push --force --tags origin",
        "# 5. Đề nghị quản trị máy chủ git (ví dụ GitHub Support) xóa bộ nhớ đệm,",
        "#    pull request và bản fork còn giữ tệp;",
        "#    mọi người đã clone kho phải clone lại.",
    ]
