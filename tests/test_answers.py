"""The answers file: what is accepted, what is refused, and that every refusal names its field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scheme.answers import MAX_FILE_BYTES, AnswersError, json_schema, parse_answers, parse_answers_data

SAMPLES = sorted((Path(__file__).parent.parent / "scheme" / "samples").glob("*.json"))


def minimal(**extra) -> dict:
    data = {"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022",
            "organisation": {"name": "Test Ltd"}}
    data.update(extra)
    return data


def refused(data, lang="en") -> list[tuple[str, str]]:
    with pytest.raises(AnswersError) as err:
        if isinstance(data, (bytes, str)):
            parse_answers(data)
        else:
            parse_answers_data(data)
    return [(e.field, e.message) for e in err.value.errors(lang)]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_samples_load_and_round_trip(path):
    answers = parse_answers(path.read_bytes())
    again = parse_answers(answers.to_json())
    assert again == answers


def test_absent_keys_read_as_not_answered():
    answers = parse_answers_data(minimal())
    assert answers.hygiene_certification is None
    assert answers.carbon.strengths is None
    assert answers.nominees.esg_leader is None
    assert answers.get("commitments.training") is None


def test_byte_order_mark_is_accepted():
    raw = "\ufeff" + json.dumps(minimal())
    assert parse_answers(raw.encode("utf-8")).organisation.name == "Test Ltd"


def test_repeated_category_counts_once():
    answers = parse_answers_data(minimal(resilience={"categories": ["innovation", "innovation"]}))
    assert answers.resilience.categories == ["innovation"]


@pytest.mark.parametrize(("data", "field", "says"), [
    (minimal(colour="blue"), "colour", "not a field"),
    (minimal(organisation={"name": "X", "size": 3}), "organisation.size", "allowed here: name, sector, premises"),
    (minimal(hygiene_certification="yes"), "hygiene_certification", "certified"),
    (minimal(carbon={"certificate_status": "gold"}), "carbon.certificate_status", "pilot"),
    (minimal(resilience={"categories": ["innovaton"]}), "resilience.categories[0]", "innovation"),
    (minimal(carbon={"strengths": ["max_reduction", "fastest"]}), "carbon.strengths[1]", "not a known category"),
    (minimal(esg={"sdg_categories": ["zero_poverty"]}), "esg.sdg_categories[0]", "not a known category"),
    (minimal(esg={"sustainability_rating_2021": "A++"}), "esg.sustainability_rating_2021", "AA-"),
    (minimal(esg={"sustainability_rating_2021": "a-"}), "esg.sustainability_rating_2021", "not a rating grade"),
    (minimal(planned_submission_date="15/06/2022"), "planned_submission_date", "YYYY-MM-DD"),
    (minimal(planned_submission_date="2022-02-30"), "planned_submission_date", "YYYY-MM-DD"),
    (minimal(planned_submission_date=20220615), "planned_submission_date", "YYYY-MM-DD"),
    (minimal(organisation={"name": "X", "premises": 1001}), "organisation.premises", "out of range"),
    (minimal(organisation={"name": "X", "premises": -1}), "organisation.premises", "out of range"),
    (minimal(organisation={"name": "X", "premises": "2"}), "organisation.premises", "whole number"),
    (minimal(organisation={"name": "X", "premises": 2.5}), "organisation.premises", "whole number"),
    (minimal(organisation={"name": ""}), "organisation.name", "must not be empty"),
    (minimal(organisation={"name": "   "}), "organisation.name", "must not be empty"),
    (minimal(organisation={"name": "x" * 201}), "organisation.name", "at most 200"),
    (minimal(organisation={"name": "X", "sector": "s" * 101}), "organisation.sector", "at most 100"),
    (minimal(carbon={"period": "p" * 31}), "carbon.period", "at most 30"),
    (minimal(nominees={"esg_leader": "yes"}), "nominees.esg_leader", "true or false"),
    (minimal(commitments={"training": 1}), "commitments.training", "true or false"),
    (minimal(climate_risk_disclosure="true"), "climate_risk_disclosure", "true or false"),
    (minimal(sr_self_assessment={"OG9": 1}), "sr_self_assessment.OG9", "SR Index measure"),
    (minimal(sr_self_assessment={"OG1": 3}), "sr_self_assessment.OG1", "0, 1 or 2"),
    (minimal(scheme="hkqaa-ors-2099"), "scheme", "hkqaa-ors-2022"),
    (minimal(version=2), "version", "1"),
    (minimal(format="something-else"), "format", "hkqaa-ors-answers"),
    ({"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022"}, "organisation", "required"),
    ({"version": 1, "scheme": "hkqaa-ors-2022", "organisation": {"name": "X"}}, "format", "required"),
    (minimal(carbon=["pilot"]), "carbon", "object"),
    (minimal(resilience={"categories": "innovation"}), "resilience.categories", "list"),
])
def test_bad_answers_are_refused_naming_the_field(data, field, says):
    problems = refused(data)
    fields = [f for f, _ in problems]
    assert field in fields, problems
    message = dict(problems)[field]
    assert says.lower() in message.lower(), message


@pytest.mark.parametrize(("raw", "says"), [
    (b"not json at all", "not valid JSON"),
    (b'{"format": "hkqaa-ors-answers",', "not valid JSON"),
    (b"[1, 2, 3]", "one JSON object"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b"null", "one JSON object"),
    (b"[" * 100000 + b"]" * 100000, "not valid JSON"),
])
def test_unreadable_files_are_refused(raw, says):
    problems = refused(raw)
    assert any(says in message for _, message in problems), problems


def test_file_over_one_megabyte_is_refused():
    big = json.dumps(minimal(organisation={"name": "X", "sector": None})) + " " * MAX_FILE_BYTES
    problems = refused(big.encode())
    assert "too big" in problems[0][1]


def test_messages_come_in_chinese_too():
    problems = refused(minimal(hygiene_certification="yes"), lang="zh")
    assert problems[0][0] == "hygiene_certification"
    assert "只可以是" in problems[0][1]


def test_several_problems_are_all_reported():
    problems = refused(minimal(hygiene_certification="x", climate_risk_disclosure="x", colour=1))
    assert {"hygiene_certification", "climate_risk_disclosure", "colour"} <= {f for f, _ in problems}


def test_with_changes_keeps_answers_and_validates():
    answers = parse_answers_data(minimal(hygiene_certification="certified"))
    changed = answers.with_changes({"carbon.certificate_status": "pilot"})
    assert changed.carbon.certificate_status == "pilot"
    assert changed.hygiene_certification == "certified"
    with pytest.raises(AnswersError):
        answers.with_changes({"carbon.certificate_status": "platinum"})
    assert answers.carbon.certificate_status is None  # the original is untouched


def test_json_schema_lists_the_ids():
    schema = json_schema()
    text = json.dumps(schema)
    for needle in ("innovation", "disclosure_performance", "partnerships", "AA-", "OG1", "CD5"):
        assert needle in text
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) >= {"format", "version", "scheme", "organisation"}


def test_json_schema_accepts_the_samples():
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json_schema())
    for path in SAMPLES:
        errors = list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
        assert not errors, (path.name, errors[:1])


def test_a_section_given_as_null_reads_as_not_answered():
    answers = parse_answers_data(minimal(carbon=None, nominees=None))
    assert answers.carbon.certificate_status is None and answers.nominees.esg_leader is None


def test_type_messages_have_no_format_escapes_left():
    problems = refused(minimal(carbon=["pilot"]))
    assert dict(problems)["carbon"] == "must be an object ({ }) (got [\"pilot\"])."


def test_a_saved_file_leaves_out_an_unanswered_self_assessment():
    text = parse_answers_data(minimal()).to_json()
    assert "sr_self_assessment" not in text
    assert parse_answers(text).sr_self_assessment is None
