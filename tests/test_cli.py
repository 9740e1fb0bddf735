"""The command line, run as a user runs it: ``python -m scheme …`` in a new process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
SAMPLES = sorted((ROOT / "scheme" / "samples").glob("*.json"))
AWARD_IDS = [
    "resilience.gold_medal", "resilience.management", "resilience.leader", "resilience.frontline",
    "carbon.pioneer", "carbon.management", "carbon.leader", "esg.visionary", "esg.pioneer",
    "esg.advanced", "esg.rating", "esg.rating_outstanding", "esg.leader",
]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scheme", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_evaluate_prints_the_contract_result(path):
    proc = run("evaluate", str(path), "--as-of", "2022-05-20")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert set(result) == {"scheme", "as_of", "window", "awards", "forms", "applications_total",
                           "milestones", "commitments"}
    assert result["as_of"] == "2022-05-20" and result["window"] == "open"
    assert [a["id"] for a in result["awards"]] == AWARD_IDS
    for award in result["awards"]:
        assert set(award) == {"id", "status", "recommended", "missing", "categories", "applications", "form",
                              "commitments", "titles_zh", "titles_en", "reasons", "actions"}
        assert award["reasons"], award["id"]
    assert result["applications_total"] == sum(a["applications"] for a in result["awards"])
    dates = [m["date"] for m in result["milestones"]]
    assert dates == sorted(dates)


def test_language_changes_text_only():
    path = str(ROOT / "scheme" / "samples" / "harbour-view-property.json")
    zh = json.loads(run("evaluate", path, "--as-of", "2022-05-20").stdout)
    en = json.loads(run("evaluate", path, "--as-of", "2022-05-20", "--lang", "en").stdout)

    def skeleton(result):
        return [(a["id"], a["status"], a["recommended"], a["categories"], a["applications"], a["form"],
                 [x["due"] for x in a["actions"]]) for a in result["awards"]]

    assert skeleton(zh) == skeleton(en)
    assert "符合參加資格" in json.dumps(zh, ensure_ascii=False)
    assert "meets the entry condition" in json.dumps(en)


def test_default_as_of_is_today():
    import datetime as dt

    proc = run("evaluate", str(SAMPLES[0]))
    assert json.loads(proc.stdout)["as_of"] == dt.date.today().isoformat()


def test_explain_reads_like_a_report():
    proc = run("explain", str(ROOT / "scheme" / "samples" / "harbour-view-property.json"),
               "--as-of", "2022-05-20", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert "Outstanding ESG Advanced Management Award (私人屋苑物業管理)" in proc.stdout
    assert "Eligible" in proc.stdout and "2022-06-30" in proc.stdout


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_explain_after_the_deadline_stars_nothing_and_lists_no_actions(lang):
    """After the deadline explain printed "Not recommended" and, under it, "★ <title>" (★ is the
    recommended mark) and the 2022 actions with their past dates."""
    from scheme.i18n import t

    sample = str(ROOT / "scheme" / "samples" / "lion-rock-bank.json")
    closed = run("explain", sample, "--as-of", "2022-07-20", "--lang", lang)
    assert closed.returncode == 0, closed.stderr
    assert "★" not in closed.stdout and "→" not in closed.stdout
    assert "☆" in closed.stdout and t("ui_results_titles_lookback", lang) in closed.stdout
    assert t("ui_rec_closed", lang) in closed.stdout
    open_ = run("explain", sample, "--as-of", "2022-05-20", "--lang", lang).stdout
    assert "★" in open_ and "→" in open_
    for block in open_.split("\n["):  # each award's actions in date order, undated last
        dues = [line.rsplit("(", 1)[1].rstrip(")") for line in block.splitlines() if "→" in line]
        dated = [d for d in dues if d[:2] == "20"]
        assert dues == dated + [d for d in dues if d[:2] != "20"] and dated == sorted(dated), dues


def test_schema_is_json():
    proc = run("schema")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["properties"]["organisation"]


@pytest.mark.parametrize(("content", "field"), [
    ('{"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022", "organisation": {"name": "X"}, "colour": 1}', "colour"),
    ('{"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022", "organisation": {"name": "X", "premises": 5000}}', "organisation.premises"),
    ('{"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022", "organisation": {"name": "X"}, "esg": {"sustainability_rating_2021": "Z"}}', "esg.sustainability_rating_2021"),
    ("this is not json", "not valid JSON"),
    ('{"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022", "organisation": {"name": "X", "premises": ' + "7" * 5000 + "}}", "organisation.premises: must be a whole number from 0 to 1000"),
    ('{"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022", "organisation": {"name": "X"}, "planned_submission_date": "2022-W23-5"}', "planned_submission_date: must be a date written YYYY-MM-DD"),
    ('{"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022", "organisation": {"name": "X"}, "planned_submission_date": "9999-12-31"}', "planned_submission_date: must be a date from 2020-01-01 to 2035-12-31"),
    ('{"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022", "organisation": {"name": "X"}, "sr_self_assessment": {"OG1": true}}', "sr_self_assessment.OG1: must be one of 0, 1 or 2"),
    ("[" * 10000 + "]" * 10000, "nested too deeply: at most 20 levels"),
])
def test_bad_file_exits_2_naming_the_field(tmp_path, content, field):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    for command in ("evaluate", "explain"):
        proc = run(command, str(bad), "--lang", "en")
        assert proc.returncode == 2
        assert proc.stdout == ""
        assert field in proc.stderr
        assert "Traceback" not in proc.stderr


def test_missing_file_and_bad_date_exit_2(tmp_path):
    proc = run("evaluate", str(tmp_path / "nope.json"), "--lang", "en")
    assert proc.returncode == 2 and "cannot read" in proc.stderr and "no such file" in proc.stderr
    assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr
    proc = run("evaluate", str(SAMPLES[0]), "--as-of", "2022-13-01")
    assert proc.returncode == 2 and "--as-of" in proc.stderr and "Traceback" not in proc.stderr


def test_oversized_file_exits_2(tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 1_000_001)
    proc = run("evaluate", str(big), "--lang", "en")
    assert proc.returncode == 2 and "too big" in proc.stderr


def test_an_endless_device_is_refused_as_too_big():
    proc = run("evaluate", "/dev/zero", "--lang", "en")
    assert proc.returncode == 2 and proc.stdout == "" and "Traceback" not in proc.stderr
    assert "too big: reading stopped after more than 1000000 bytes" in proc.stderr
