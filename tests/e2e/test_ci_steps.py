"""Issue 18: the CI workflows' own shell steps, run locally on a real portal. A refused letter beside
accepted ones must leave the accepted ones in the deployable site, report the refusal (summary,
annotation, step output) and turn the run red in the `refusals` job, never in the build step."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from kit import REPO, make_portal, sign

from corpus.letters import demo_letters, letter_filename

WORKFLOWS = {
    "github": REPO / ".github" / "workflows" / "portal.yml",
    "gitea": REPO / ".gitea" / "workflows" / "portal.yml",
}


def _steps(workflow: Path, job: str) -> list[dict[str, str]]:
    return yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"][job]["steps"]


def _run_step(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A `run:` step as a runner executes it (bash -e), with the venv's python standing in for .venv/."""
    script = script.replace(".venv/bin/python", sys.executable)
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env={**os.environ, **env},
                          capture_output=True, text=True, check=False, timeout=600)


@pytest.fixture(scope="module")
def portal_with_refusal(tmp_path_factory, pki):
    portal = make_portal(tmp_path_factory.mktemp("ci") / "portal", pki)
    letters = demo_letters()[:2]
    for letter in letters:
        portal.add(letter_filename(letter), sign(letter, pki))
    secret = dataclasses.replace(letters[0], number="999/TB-LĐLĐ", secrecy="MẬT",
                                 subject="thông báo mật thử nghiệm của CI")
    portal.add("mat-999.pdf", sign(secret, pki))
    return portal, letters


@pytest.mark.parametrize("forge", sorted(WORKFLOWS))
def test_build_step_deploys_the_accepted_letters_and_reports_the_refused_one(portal_with_refusal, tmp_path, forge):
    portal, letters = portal_with_refusal
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs.txt"
    step = next(s for s in _steps(WORKFLOWS[forge], "build") if s.get("id") == "build")
    done = _run_step(step["run"], portal.root, {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(outputs)})

    assert done.returncode == 0, done.stderr  # the step succeeds: the artifact is uploaded and deployed
    pdfs = {p.name for p in (portal.root / "site").rglob("*.pdf")}
    assert {letter_filename(letter) for letter in letters} <= pdfs
    assert "mat-999.pdf" not in pdfs
    assert "refused=1" in outputs.read_text().split()
    assert "published=2" in outputs.read_text().split()
    text = summary.read_text(encoding="utf-8")
    assert "documents/mat-999.pdf" in text and "[secret]" in text and "Bị từ chối: **1**" in text
    assert "::error file=documents/mat-999.pdf,title=Văn bản bị từ chối::[secret]" in done.stdout
    assert (portal.root / "build-report.md").read_text(encoding="utf-8").strip() == text.strip()


@pytest.mark.parametrize("forge", sorted(WORKFLOWS))
@pytest.mark.parametrize(("refused", "status"), [("1", 1), ("0", None)])
def test_refusals_job_turns_the_run_red_only_when_something_was_refused(forge, refused, status, tmp_path):
    job = yaml.safe_load(WORKFLOWS[forge].read_text(encoding="utf-8"))["jobs"]["refusals"]
    assert job["needs"] == "build" and job["if"] == "needs.build.outputs.refused != '0'"
    if status is None:
        return  # the job's condition keeps it from running at all
    done = _run_step(job["steps"][0]["run"], tmp_path, {"REFUSED": refused})
    assert done.returncode == status
    assert "::error title=Văn bản bị từ chối::1 văn bản bị từ chối" in done.stdout


def test_build_step_fails_when_no_site_could_be_built(tmp_path, pki):
    portal = make_portal(tmp_path / "portal", pki)
    (portal.root / "portal.yml").write_text("organisation: [không hợp lệ\n", encoding="utf-8")
    step = next(s for s in _steps(WORKFLOWS["github"], "build") if s.get("id") == "build")
    done = _run_step(step["run"], portal.root, {})
    assert done.returncode == 1  # a configuration error is not a refusal: nothing to deploy, red at once


def test_every_forge_runs_the_same_commands():
    """GitHub, Gitea/Forgejo and GitLab install and build with the same commands."""
    def commands(text: str) -> set[str]:
        return {line.strip().removeprefix("- ").split(" |")[0].split("  #")[0].strip()
                for line in text.splitlines() if "make .venv/.installed" in line or "pipeline build" in line}
    texts = {name: path.read_text(encoding="utf-8") for name, path in WORKFLOWS.items()}
    texts["gitlab"] = (REPO / ".gitlab-ci.yml").read_text(encoding="utf-8")
    expected = {"make .venv/.installed", ".venv/bin/python -m pipeline build --ci"}
    for name, text in texts.items():
        assert {c.removeprefix("run: ") for c in commands(text)} == expected, name


def test_actions_are_pinned_to_commit_shas():
    for path in WORKFLOWS.values():
        for line in path.read_text(encoding="utf-8").splitlines():
            if "uses:" in line:
                ref = line.split("uses:")[1].split("#")[0].strip()
                assert "@" in ref and len(ref.split("@")[1]) == 40, line
