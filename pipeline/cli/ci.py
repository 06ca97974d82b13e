"""`build --ci`: what a CI runner (GitHub Actions, Gitea/Forgejo Actions, GitLab CI) needs from a build.

A refused document must not hold back the others: the build step succeeds whenever a site was built
and audited (exit status 0 or 3), so the accepted documents are deployed, while the refusals are made
visible: a job summary in Markdown, one annotation per refused file (the workflow-command syntax that
GitHub and Gitea/Forgejo both read), and step outputs that a later job turns into a red status.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pipeline.messages import SIZE_WARNING_SHARE, site_size_text

REPORT_FILE = "build-report.md"  # also kept as an artifact by runners without a job summary (GitLab)


def summary_markdown(data: Mapping[str, Any]) -> str:
    """The job summary: counts, then each refused file with why and what to do, then warnings."""
    refused = data.get("refused", [])
    lines = ["## Kết quả dựng Trang thông tin", "",
             f"- Đã đăng: **{len(data.get('published', []))}** văn bản",
             f"- Bị từ chối: **{len(refused)}** văn bản" + (" (các văn bản khác vẫn được đăng)" if refused else ""),
             f"- Cảnh báo: **{len(data.get('warnings', []))}**"]
    size = data.get("site_size")
    if size:
        limit = size.get("limit")
        share = f" / giới hạn {limit / (1 << 20):.0f} MB ({size['bytes'] / limit:.0%})" if limit else ""
        lines.append(f"- Dung lượng Trang tin: {size['bytes'] / (1 << 20):.0f} MB{share}")
    lines.append("")
    if refused:
        lines += ["### Văn bản bị từ chối", "", "| Tệp | Lý do |", "|---|---|"]
        for item in refused:
            why = "<br>".join(_cell(f"[{r['code']}] {r['message']}") for r in item.get("reasons", []))
            lines.append(f"| `{_cell(item['file'])}` | {why} |")
        lines.append("")
    warnings = data.get("warnings", [])
    if warnings:
        lines += ["### Cảnh báo", ""]
        lines += [f"- `{_cell(w['file'])}`: {_cell(w['message'])}" for w in warnings]
        lines.append("")
    return "\n".join(lines)


def annotation_lines(data: Mapping[str, Any]) -> list[str]:
    """One `::error` line per refused file and one `::warning` line per warning."""
    found = []
    for item in data.get("refused", []):
        message = "; ".join(f"[{r['code']}] {r['message']}" for r in item.get("reasons", []))
        found.append(f"::error file={_property(item['file'])},title=Văn bản bị từ chối::{_data(message)}")
    size = data.get("site_size") or {}
    if size.get("limit") and size["bytes"] >= SIZE_WARNING_SHARE * size["limit"]:
        found.append(f"::warning title=Dung lượng Trang tin::{_data(site_size_text(size['bytes'], size['limit']))}")
    for warning in data.get("warnings", []):
        found.append(f"::warning file={_property(warning['file'])},title=Cảnh báo::{_data(warning['message'])}")
    return found


def step_outputs(data: Mapping[str, Any]) -> str:
    return (f"published={len(data.get('published', []))}\nrefused={len(data.get('refused', []))}\n"
            f"warnings={len(data.get('warnings', []))}\n")


def report_for_ci(data: Mapping[str, Any], status: int, root: Path, env: Mapping[str, str]) -> int:
    """Write the summary, annotations and outputs; the step's exit status: 0 when a site was built
    (refusals included), the build's own status otherwise."""
    summary = summary_markdown(data)
    (root / REPORT_FILE).write_text(summary, encoding="utf-8")
    for line in annotation_lines(data):
        print(line)
    if env.get("GITHUB_STEP_SUMMARY"):
        with open(env["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as out:
            out.write(summary + "\n")
    if env.get("GITHUB_OUTPUT"):
        with open(env["GITHUB_OUTPUT"], "a", encoding="utf-8") as out:
            out.write(step_outputs(data))
    return 0 if status in (0, 3) else status


def _cell(text: str) -> str:
    return " ".join(str(text).replace("|", "\\|").split())


def _data(text: str) -> str:
    """Escaping of a workflow command's message (GitHub's toolkit: %, CR, LF)."""
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
