"""Runs the readable verdict cases in tests/cases/*.yaml (see tests/cases/README.md)."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest
import yaml

from scheme import evaluate, parse_answers_data

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from engine import generated  # noqa: E402  (the benchmark's seeded mix of every answer)

CASES_DIR = Path(__file__).parent / "cases"
DEFAULT_AS_OF = "2022-05-20"

BASES = {
    "blank": {
        "format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022",
        "organisation": {"name": "新申請機構"},
    },
    "full": {
        "format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022",
        "organisation": {"name": "海景物業管理有限公司", "sector": "私人屋苑物業管理", "premises": 2},
        "planned_submission_date": None,
        "hygiene_certification": "certified",
        "carbon": {"certificate_status": "pilot", "certificate_type": "achieved",
                   "strengths": ["max_reduction"], "period": "2021/22年度"},
        "esg": {"sr_index": "advanced", "sustainability_rating_2021": "AA-",
                "sdg_categories": ["clean_water_sanitation"]},
        "resilience": {"categories": ["innovation"]},
        "nominees": {"resilience_leader": True, "resilience_frontline": True,
                     "carbon_leader": True, "esg_leader": True},
        "climate_risk_disclosure": True,
        "commitments": {"training": True, "leader_video": True, "publication_sharing": True},
    },
}

AWARD_KEYS = {"reason_lacks", "action_lacks", "status", "recommended", "missing", "categories", "applications", "form", "commitments",
              "titles_zh", "titles_en", "action_dues", "reason_contains", "action_contains"}
TOP_KEYS = {"window", "forms", "applications_total", "milestones", "commitments"}


def _load_cases():
    for path in sorted(CASES_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert {"topic", "brochure", "base", "cases"} <= set(doc), path
        for case in doc["cases"]:
            yield pytest.param(doc["base"], case, id=f"{path.stem}: {case['name']}")


def _answers(base: str, changes: dict):
    data = yaml.safe_load(yaml.safe_dump(BASES[base]))  # a deep copy
    for path, value in changes.items():
        node = data
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return parse_answers_data(data)


@pytest.mark.parametrize(("base", "case"), list(_load_cases()))
def test_verdict_case(base, case):
    answers = _answers(base, case.get("answers") or {})
    as_of = dt.date.fromisoformat(case.get("as_of", DEFAULT_AS_OF))
    result = evaluate(answers, as_of, "zh")
    data = result.model_dump(mode="json")
    for key, expected in case["expect"].items():
        if key in TOP_KEYS:
            if key == "milestones":
                got = {m["id"]: m["date"] for m in data["milestones"]}
                for mid, date in expected.items():
                    assert got.get(mid) == date, f"milestone {mid}: {got.get(mid)} != {date}"
            elif key == "commitments":
                got = {c["id"]: c["awards"] for c in data["commitments"]}
                assert got == expected
            else:
                assert data[key] == expected, f"{key}: {data[key]!r} != {expected!r}"
            continue
        award = next(a for a in data["awards"] if a["id"] == key)
        assert set(expected) <= AWARD_KEYS, f"unknown expectation {set(expected) - AWARD_KEYS}"
        for field, want in expected.items():
            if field == "action_dues":
                got = [a["due"] for a in award["actions"]]
                assert got == want, f"{key} action dues {got} != {want}: {award['actions']}"
            elif field == "reason_contains":
                assert any(want in r for r in award["reasons"]), f"{key}: no reason mentions {want!r}"
            elif field == "reason_lacks":
                assert not any(want in r for r in award["reasons"]), f"{key}: a reason mentions {want!r}"
            elif field == "action_lacks":
                assert not any(want in a["text"] for a in award["actions"]), f"{key}: an action mentions {want!r}"
            elif field == "action_contains":
                assert any(want in a["text"] for a in award["actions"]), \
                    f"{key}: no action mentions {want!r}: {award['actions']}"
            else:
                assert award[field] == want, f"{key}.{field}: {award[field]!r} != {want!r}"


def test_every_case_file_is_used():
    assert len(list(_load_cases())) >= 80


# -- the words of every verdict, over a seeded mix of every answer (bench/engine.py's) ---------

def _generated(count: int):
    return generated(count, seed=23)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_after_the_deadline_only_the_closed_round_reason_speaks_of_recommending(lang):
    """Interpretation 10: nothing is recommended once the window is closed, so no reason but the
    first (the round closed) may say an award is recommended, or which one to apply for."""
    word = "建議" if lang == "zh" else "recommend"
    for answers in _generated(300):
        result = evaluate(answers, dt.date(2022, 6, 16), lang)
        for award in result.awards:
            closed, *rest = award.reasons
            assert word in closed
            assert not [r for r in rest if word in r.lower()], (award.id, rest)
            if lang == "en":
                assert not [r for r in rest if re.search(r"apply for the .* instead", r)], (award.id, rest)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_reason_or_action_repeats_a_phrase_where_its_parts_meet(lang):
    """A name put into a message must fit its sentence: 'do not apply to For the …' or
    「不適用於適用於…」 came from a category group's heading put after a verb that it repeats."""
    doubled = re.compile(r"([\u4e00-\u9fff]{2,})\1") if lang == "zh" else \
        re.compile(r"\b(\w+) \1\b|[a-z,] (?:For|The) ")  # a repeat, a heading mid-sentence
    for as_of in (dt.date(2022, 5, 20), dt.date(2022, 6, 16)):
        for answers in _generated(300):
            result = evaluate(answers, as_of, lang)
            for award in result.awards:
                for text in [*award.reasons, *(a.text for a in award.actions)]:
                    plain = re.sub(r"\[Brochure:.*", "", text) if lang == "en" else re.sub(r"〔小冊子：.*", "", text)
                    assert not doubled.search(plain), (award.id, text)
