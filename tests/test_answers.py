"""The answers file: what is accepted, what is refused, and that every refusal names its field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scheme.answers import (
    DATE_MAX,
    DATE_MIN,
    MAX_FILE_BYTES,
    MAX_PROBLEMS,
    AnswersError,
    json_schema,
    parse_answers,
    parse_answers_data,
)
from scheme.i18n import localise

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
    (minimal(organisation={"name": "X", "premises": 1001}), "organisation.premises", "from 0 to 1000"),
    (minimal(organisation={"name": "X", "premises": -1}), "organisation.premises", "from 0 to 1000"),
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
    (b"[" * 100000 + b"]" * 100000, "nested too deeply: at most 20 levels"),
    (b'{"a": ' * 10000 + b"1" + b"}" * 10000, "nested too deeply"),
    (b"[" * 10000, "nested too deeply"),
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


# -- hostile and careless files (issue 7, point 5) -----------------------------------------


def _file(**extra) -> bytes:
    return json.dumps(minimal(**extra)).encode()


def _with_literal(path: str, literal: str) -> bytes:
    """A file with ``literal`` written as is (not through json.dumps) at a dotted path."""
    text = json.dumps(minimal(organisation={"name": "X", "premises": 0}, carbon={}))
    section, key = path.split(".")
    if section == "organisation":
        return text.replace('"premises": 0', f'"{key}": {literal}').encode()
    return text.replace(f'"{section}": {{}}', f'"{section}": {{"{key}": {literal}}}').encode()


@pytest.mark.parametrize("literal", ["1" * 5000, "-" + "9" * 5000, "1" * 31, "1" * 4301])
def test_an_integer_of_thousands_of_digits_is_out_of_range_naming_the_field(literal):
    problems = dict(refused(_with_literal("organisation.premises", literal)))
    assert "must be a whole number from 0 to 1000" in problems["organisation.premises"]
    assert "digits)" in problems["organisation.premises"]  # shortened, not 5,000 digits shown
    assert len(problems["organisation.premises"]) < 200


@pytest.mark.parametrize(("literal", "says"), [
    ("1e999", "out of range"), ("-1e999", "out of range"), ("1" * 400 + ".5", "out of range"),
    ("NaN", "not a number JSON allows"), ("Infinity", "not a number JSON allows"),
    ("-Infinity", "not a number JSON allows"),
])
def test_huge_floats_and_nan_are_refused_naming_the_field(literal, says):
    problems = dict(refused(_with_literal("organisation.premises", literal)))
    assert (says if says != "out of range" else "from 0 to 1000") in problems["organisation.premises"], problems
    problems = dict(refused(_with_literal("carbon.strengths", f"[{literal}]")))
    assert says in problems["carbon.strengths[0]"], problems


def test_a_number_out_of_its_fields_range_says_what_is_allowed_in_decimal():
    for literal in ("1001", "-1", "123456789012345678901234567890"):
        problems = dict(refused(_with_literal("organisation.premises", literal)))
        assert problems["organisation.premises"].startswith("must be a whole number from 0 to 1000 (got ")
        assert literal[:12] in problems["organisation.premises"]  # as written, not in hex
    zh = dict(refused(_with_literal("organisation.premises", "1001"), "zh"))
    assert "0 至 1000" in zh["organisation.premises"], zh


def test_a_bad_number_in_a_required_field_is_reported_once():
    raw = json.dumps(minimal()).replace('"version": 1', '"version": 1e999').encode()
    problems = refused(raw)
    assert [f for f, _ in problems] == ["version"] and "out of range" in problems[0][1]


def test_python_data_with_huge_or_nan_numbers_is_refused_too():
    problems = dict(refused(minimal(organisation={"name": "X", "premises": 10**5000})))
    assert "from 0 to 1000" in problems["organisation.premises"]
    problems = dict(refused(minimal(organisation={"name": "X", "premises": float("nan")})))
    assert "not a number" in problems["organisation.premises"]


@pytest.mark.parametrize("text", ["2022-W23-5", "2022061000", "2022-6-1", "2022-06-1", "20220610",
                                  "2022-06-10T00:00", "２０２２-06-10", " 2022-06-10", "2022-160"])
def test_dates_only_as_yyyy_mm_dd(text):
    problems = dict(refused(minimal(planned_submission_date=text)))
    assert "YYYY-MM-DD" in problems["planned_submission_date"]


@pytest.mark.parametrize("text", ["1999-01-01", "2019-12-31", "2036-01-01", "9999-12-31", "0001-01-01"])
def test_dates_outside_the_wizards_range_are_refused_saying_the_range(text):
    for lang in ("en", "zh"):
        message = dict(refused(minimal(planned_submission_date=text), lang))["planned_submission_date"]
        assert DATE_MIN.isoformat() in message and DATE_MAX.isoformat() in message and text in message


@pytest.mark.parametrize("day", [DATE_MIN, DATE_MAX])
def test_the_ends_of_the_date_range_are_accepted(day):
    answers = parse_answers(_file(planned_submission_date=day.isoformat()))
    assert answers.planned_submission_date == day


@pytest.mark.parametrize("score", [True, False, 1.0, 0.0, "1", None, [1], -1])
def test_sr_scores_are_only_the_whole_numbers_0_1_2(score):
    problems = dict(refused(_file(sr_self_assessment={"OG1": score})))
    assert "0, 1 or 2" in problems["sr_self_assessment.OG1"], problems


def test_sr_scores_0_1_2_are_accepted():
    answers = parse_answers(_file(sr_self_assessment={"OG1": 0, "OG2": 1, "OG3": 2}))
    assert answers.sr_self_assessment == {"OG1": 0, "OG2": 1, "OG3": 2}


def test_ninety_thousand_unknown_keys_keep_only_a_readable_few():
    data = minimal()
    data.update({f"{i:x}": 1 for i in range(92_000)})  # 999 KB
    raw = json.dumps(data, separators=(",", ":")).encode()
    assert len(raw) <= MAX_FILE_BYTES
    with pytest.raises(AnswersError) as caught:
        parse_answers(raw)
    err = caught.value
    assert len(err.problems) == MAX_PROBLEMS == len(err.errors())
    assert err.more == 92_000 - (MAX_PROBLEMS - 1)
    assert err.errors()[0].field == "0" and "not a field" in err.errors()[0].message
    last = err.errors("en")[-1]
    assert last.field == "(the whole file)" and "and 91981 more not listed" in last.message
    assert "另有 91981 個問題未列出" in err.message("zh")
    # rebuilt from the kept problems (as the app does from its session), it says the same
    assert AnswersError(err.problems).message("en") == err.message("en")


def test_a_huge_self_assessment_object_is_too_long_not_ninety_thousand_problems():
    problems = refused(_file(sr_self_assessment={f"X{i}": 5 for i in range(60_000)}))
    assert problems == [("sr_self_assessment", "is too long: at most 100 characters or items.")]


def test_twenty_problems_are_all_listed_twenty_one_are_not():
    twenty = minimal(**{f"k{i}": 1 for i in range(MAX_PROBLEMS)})
    with pytest.raises(AnswersError) as caught:
        parse_answers_data(twenty)
    assert caught.value.more == 0 and len(caught.value.problems) == MAX_PROBLEMS
    with pytest.raises(AnswersError) as caught:
        parse_answers_data(minimal(**{f"k{i}": 1 for i in range(MAX_PROBLEMS + 1)}))
    assert caught.value.more == 2 and "and 2 more not listed" in caught.value.message()


def test_unknown_ids_are_reported_together_with_type_errors():
    problems = dict(refused(minimal(
        organisation={"name": "X", "premises": "two"},
        resilience={"categories": ["innovaton"]},
        esg={"sustainability_rating_2021": "Z", "sr_index": 3},
        sr_self_assessment={"OG9": 1},
        colour="blue")))
    assert "whole number" in problems["organisation.premises"]
    assert "not a known category" in problems["resilience.categories[0]"]
    assert "not a rating grade" in problems["esg.sustainability_rating_2021"]
    assert "pioneer" in problems["esg.sr_index"]
    assert "SR Index measure" in problems["sr_self_assessment.OG9"]
    assert "not a field" in problems["colour"]


def test_json_schema_states_the_date_form_and_range():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json_schema()
    date = json.dumps(schema)
    assert DATE_MIN.isoformat() in date and DATE_MAX.isoformat() in date
    validator = jsonschema.Draft202012Validator(schema)
    for text in ("2022-W23-5", "2022061000", "2022-6-1"):
        assert list(validator.iter_errors(minimal(planned_submission_date=text))), text
    for score in (True, 3):  # JSON Schema cannot tell 1.0 from 1; the reader refuses 1.0
        assert list(validator.iter_errors(minimal(sr_self_assessment={"OG1": score}))), score
    assert not list(validator.iter_errors(minimal(planned_submission_date="2022-06-10",
                                                  sr_self_assessment={"OG1": 2})))


@pytest.mark.parametrize("raw", [b'"\\' * 499_999, b'["' + b'\\"' * 499_000, b'"' * 999_999,
                                 b"[" + b"1e999," * 160_000 + b"1]", b"[{" * 499_999])
def test_pathological_megabyte_files_are_refused(raw):
    """Each of these once took quadratic time or recursion; now refused, without a traceback
    (time figures: bench/answers_hostile.py)."""
    assert refused(raw)


def test_an_unpaired_surrogate_is_refused_naming_the_field():
    raw = (b'{"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022", '
           b'"organisation": {"name": "a\\ud800b"}, "x\\udfff": 1}')
    problems = dict(refused(raw))
    assert "invalid character" in problems["organisation.name"]
    assert "not a field" in problems['"x\\udfff"']  # the key shown escaped, printable anywhere
    "\n".join(problems).encode("utf-8")  # no lone surrogate left in what is shown


@pytest.mark.parametrize(("key", "shown"), [("", '""'), (" ", '" "'), ("\x85", '"\\u0085"'),
                                            ("a\nb", '"a\\nb"'), ("名稱", "名稱")])
def test_keys_that_do_not_read_plainly_are_shown_quoted(key, shown):
    problems = dict(refused(minimal(**{key: 1})))
    assert "not a field" in problems[shown]
    problems = dict(refused(minimal(sr_self_assessment={key: 1})))
    assert "SR Index measure" in problems[f"sr_self_assessment.{shown}"]


def test_a_refusal_keeps_nothing_big_of_the_file():
    long_key, long_value = "k" * 500_000, "v" * 400_000
    with pytest.raises(AnswersError) as caught:
        parse_answers(json.dumps(minimal(**{long_key: 1}, hygiene_certification=long_value)))
    fields = {e.field: e.message for e in caught.value.errors()}
    assert '"' + "k" * 50 + '…"' in fields
    assert all(len(field) + len(message) < 400 for field, message in fields.items())
    assert len(repr(caught.value.problems)) < 2_000


def test_a_key_given_twice_is_refused_naming_it_not_silently_the_last_kept():
    text = json.dumps(minimal(organisation={"name": "First Ltd"}))
    text = text.replace('"name": "First Ltd"', '"name": "First Ltd", "name": "Second Ltd"')
    text = text[:-1] + ', "hygiene_certification": "none", "hygiene_certification": "certified"}'
    problems = dict(refused(text))
    assert problems["organisation.name"].startswith("is given more than once")
    assert problems["hygiene_certification"].startswith("is given more than once")
    assert "出現了兩次" in dict(refused(text, "zh"))["hygiene_certification"]


def test_a_file_of_one_key_given_tens_of_thousands_of_times_is_refused_quickly_with_a_short_list():
    import time

    body = ", ".join('"hygiene_certification": "none"' for _ in range(30_000))
    text = json.dumps(minimal())[:-1] + ", " + body + "}"
    assert len(text) < 1_000_000
    started = time.process_time()
    with pytest.raises(AnswersError) as err:
        parse_answers(text)
    assert time.process_time() - started < 2
    problems = err.value.errors("en")
    assert [p.field for p in problems] == ["hygiene_certification"]


def test_an_unknown_category_in_a_field_several_awards_read_is_one_problem():
    data = {"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022",
            "organisation": {"name": "A"}, "esg": {"sdg_categories": ["sustainable_cities"]}}
    with pytest.raises(AnswersError) as caught:
        parse_answers_data(data)
    assert [p[0] for p in caught.value.problems] == ["esg.sdg_categories[0]"]


@pytest.mark.parametrize("version", [True, 1.0, "1", 2, None])
def test_the_version_is_the_number_one_and_nothing_equal_to_it(version):
    # true and 1.0 equal 1 in Python: a bare Literal[1] took them (found by a contract review)
    data = {"format": "hkqaa-ors-answers", "version": version, "scheme": "hkqaa-ors-2022",
            "organisation": {"name": "A"}}
    with pytest.raises(AnswersError) as caught:
        parse_answers_data(data)
    assert [p[0] for p in caught.value.problems] == ["version"]


@pytest.mark.parametrize("lang", ["zh", "zh-hans"])
def test_chinese_messages_join_the_choices_and_place_the_json_error_in_chinese(lang):
    """A second browser review saw "只可以是 'certified', 'equivalent_measures' or 'none' 之一"
    and "（line 8, column 19）": pydantic's and json's English inside a Chinese sentence."""
    from scheme.answers import AnswersError

    bad = b'{"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022", ' \
          b'"organisation": {"name": "X"}, "hygiene_certification": "maybe", ' \
          b'"sr_self_assessment": {"OG1": 3}}'
    with pytest.raises(AnswersError) as caught:
        parse_answers(bad)
    messages = {e.field: e.message for e in caught.value.errors(lang)}
    assert "'certified'、'equivalent_measures' 或 'none'" in messages["hygiene_certification"]
    assert "0、1 或 2" in messages["sr_self_assessment.OG1"]
    with pytest.raises(AnswersError) as caught:
        parse_answers(b'{"a": ,}')
    (only,) = caught.value.errors(lang)
    assert localise("第 1 行第 7 個字元", lang) in only.message and "line" not in only.message
