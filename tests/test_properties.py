"""Property-based checks: any JSON either loads or is refused clearly; every valid file evaluates."""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheme import (
    Answers,
    AnswersError,
    cli,
    evaluate,
    load_edition,
    parse_answers,
    parse_answers_data,
)
from scheme.answers import DATE_MAX, DATE_MIN, MAX_PROBLEMS, _key_shown
from scheme.i18n import t

EDITION = load_edition()
AWARD_IDS = [a.id for a in EDITION.awards]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)

_sets = {s.id: [c.id for c in s.categories] for s in EDITION.category_sets}
maybe = st.none() | st.just("__absent__")


def _opt(strategy):
    return st.one_of(st.just("__absent__"), st.none(), strategy)


valid_answers = st.fixed_dictionaries({
    "format": st.just("hkqaa-ors-answers"), "version": st.just(1), "scheme": st.just(EDITION.id),
    "organisation": st.fixed_dictionaries({
        "name": st.text(min_size=1, max_size=200).filter(lambda s: s.strip()),
        "sector": _opt(st.text(max_size=100)), "premises": _opt(st.integers(0, 1000))}),
    "planned_submission_date": _opt(st.dates(dt.date(2021, 1, 1), dt.date(2023, 12, 31)).map(str)),
    "hygiene_certification": _opt(st.sampled_from(["certified", "equivalent_measures", "none"])),
    "carbon": st.fixed_dictionaries({
        "certificate_status": _opt(st.sampled_from(["pilot", "participant", "equivalent", "none"])),
        "certificate_type": _opt(st.sampled_from(["achieved", "committed", "disclosure"])),
        "strengths": _opt(st.lists(st.sampled_from(_sets["carbon_management"]), max_size=10)),
        "period": _opt(st.text(max_size=30))}),
    "esg": st.fixed_dictionaries({
        "sr_index": _opt(st.sampled_from(["pioneer", "advanced", "third_party", "none"])),
        "sustainability_rating_2021": _opt(st.sampled_from([*EDITION.rating_scale, "none"])),
        "sdg_categories": _opt(st.lists(st.sampled_from(_sets["esg_sdg"]), max_size=14))}),
    "resilience": st.fixed_dictionaries({
        "categories": _opt(st.lists(st.sampled_from(_sets["resilience_management"]), max_size=8))}),
    "nominees": st.fixed_dictionaries({k: _opt(st.booleans()) for k in (
        "resilience_leader", "resilience_frontline", "carbon_leader", "esg_leader")}),
    "climate_risk_disclosure": _opt(st.booleans()),
    "commitments": st.fixed_dictionaries({k: _opt(st.booleans()) for k in (
        "training", "leader_video", "publication_sharing")}),
})


def _strip_absent(value):
    if isinstance(value, dict):
        return {k: _strip_absent(v) for k, v in value.items() if v != "__absent__"}
    return value


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(json_values)
def test_any_json_loads_or_is_refused_with_a_message(value):
    raw = json.dumps(value).encode()
    try:
        answers = parse_answers(raw)
    except AnswersError as err:
        problems = err.errors("en")
        assert problems
        for problem in problems:
            assert problem.field and problem.message
            assert "{" not in problem.message or "({ })" in problem.message  # placeholders filled
    else:
        assert answers.format == "hkqaa-ors-answers"


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(valid_answers, st.text(max_size=8), st.sampled_from(["zh", "en", "zh-hans"]))
def test_mangled_answers_files_never_crash(data, junk_key, lang):
    data = _strip_absent(data)
    data["organisation"][junk_key or "x"] = 1  # an unknown key: must be refused, clearly
    try:
        parse_answers_data(data)
    except AnswersError as err:
        assert any(junk_key in e.field or "organisation" in e.field for e in err.errors(lang))


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(valid_answers, st.dates(dt.date(2022, 1, 1), dt.date(2023, 6, 30)),
       st.sampled_from(["zh", "en", "zh-hans"]))
def test_every_valid_answers_file_evaluates_to_all_thirteen_awards(data, as_of, lang):
    answers = parse_answers_data(_strip_absent(data))
    result = evaluate(answers, as_of, lang)
    assert [a.id for a in result.awards] == AWARD_IDS
    assert result.applications_total == sum(a.applications for a in result.awards)
    recommended = [a for a in result.awards if a.recommended]
    assert result.forms == ((["A"] + sorted({a.form for a in recommended if a.form})) if recommended else [])
    tiers = [a for a in result.awards if a.id in {"esg.pioneer", "esg.advanced", "esg.rating",
                                                  "esg.rating_outstanding"} and a.recommended]
    assert len(tiers) <= 1
    for award in result.awards:
        assert award.reasons
        if award.status == "not_eligible":
            assert not award.recommended and award.applications == 0 and not award.actions
        if award.status == "conditional":
            assert award.actions, award.id  # a conditional award always says what to do
        if award.recommended:
            assert len(award.titles_zh) == len(award.titles_en) >= 1
            assert award.missing == []  # never recommended on an unanswered fact (interpretation 7)
        else:
            assert award.applications == 0
            if result.window != "closed":
                assert award.titles_zh == []
        if award.missing:
            assert award.status == "conditional" and not award.recommended
        if result.window == "closed":  # interpretation 10: said first, nothing recommended
            assert not award.recommended
            assert "2022年6月15日" in award.reasons[0] or "15 June 2022" in award.reasons[0]
    dates = [m.date for m in result.milestones]
    assert dates == sorted(dates)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(valid_answers, st.sampled_from(["zh", "en"]))
def test_the_result_is_valid_against_its_own_model(data, lang):
    """The engine builds its result without re-validation (for speed): check it would pass."""
    from scheme.result import Result

    result = evaluate(parse_answers_data(_strip_absent(data)), dt.date(2022, 5, 20), lang)
    assert Result.model_validate_json(result.model_dump_json()) == result


# -- hostile input, by class (issue 7, point 5) ----------------------------------------------

_TOP_FIELDS = set(Answers.model_fields)
_TOKENS = ['{', '}', '[', ']', ',', ':', '"format"', '"hkqaa-ors-answers"', '"version"', '1',
           '"scheme"', '"hkqaa-ors-2022"', '"organisation"', '"name"', '"premises"', '"x"',
           '"planned_submission_date"', '"2022-06-10"', '"2022-W23-5"', '"9999-12-31"',
           '"sr_self_assessment"', '"OG1"', 'true', 'null', '1.0', '-', '1e999', 'NaN',
           'Infinity', '9' * 5000, '"\\ud800"', '"\\u0000"', ' ', '\n', '\ufeff', '"']
json_ish_bytes = st.one_of(
    st.binary(max_size=400),
    st.lists(st.sampled_from(_TOKENS), max_size=60).map(lambda t: "".join(t).encode()),
    st.integers(1, 5000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(1, 5000).map(lambda n: b'{"a":' * n + b"1" + b"}" * n),
)


def _assert_clear_refusal(err: AnswersError, lang: str = "en") -> list:
    problems = err.errors(lang)
    assert 1 <= len(problems) <= MAX_PROBLEMS
    assert len(repr(err.problems)) < 10_000  # what the app keeps in a session stays small
    for problem in problems:
        assert problem.field.strip() and problem.message.strip()
        assert not re.search(r"\{[a-z_]+\}", problem.message)  # placeholders filled
        assert len(problem.message) < 2000  # nothing of a huge value is repeated whole
    return problems


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(json_ish_bytes, st.sampled_from(["zh", "en", "zh-hans"]))
def test_any_bytes_load_or_are_refused_with_messages(raw, lang):
    try:
        answers = parse_answers(raw)
    except AnswersError as err:
        _assert_clear_refusal(err, lang)
    else:
        assert parse_answers(answers.to_json()) == answers


def _nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


_hostile_values = st.one_of(
    json_values,
    st.integers(min_value=10**30, max_value=10**3999) | st.just(-(10**3999)),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(str),
    st.sampled_from(["2022-W23-5", "2022061000", "2022-6-1", "2022-06-10T00:00", True, 1.0, 0,
                     2, 3, "", " ", "\x00", "none", "OG1", "innovation", "AA", ["innovation"] * 60]),
    st.integers(1, 40).map(_nested),
)


@st.composite
def mutated_answers(draw) -> dict:
    data = _strip_absent(draw(valid_answers))
    for _ in range(draw(st.integers(1, 4))):
        node = data
        while isinstance(node, dict) and node and draw(st.booleans()):
            child = node[draw(st.sampled_from(sorted(node)))]
            if not isinstance(child, dict):
                break
            node = child
        if not isinstance(node, dict):
            continue
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "add" or not node:
            node[draw(st.text(max_size=10))] = draw(_hostile_values)
        elif action == "delete":
            del node[draw(st.sampled_from(sorted(node)))]
        else:
            node[draw(st.sampled_from(sorted(node)))] = draw(_hostile_values)
    return data


def _names_a_field(field: str, data: dict, lang: str) -> bool:
    head = field.replace("[", ".").split(".")[0]
    return (field == t("field_top_level", lang) or head in _TOP_FIELDS
            or any(field == key or field.startswith((f"{key}.", f"{key}["))
                   for key in map(_key_shown, data)))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(mutated_answers(), st.sampled_from(["zh", "en"]))
def test_mutated_answers_load_or_are_refused_naming_the_field(data, lang):
    for parse in (lambda: parse_answers(json.dumps(data, allow_nan=True).encode()),
                  lambda: parse_answers_data(data)):
        try:
            answers = parse()
        except AnswersError as err:
            for problem in _assert_clear_refusal(err, lang):
                assert _names_a_field(problem.field, data, lang) or problem.message == t("err_more_problems", lang, count=err.more)
        else:
            assert DATE_MIN <= (answers.planned_submission_date or DATE_MIN) <= DATE_MAX
            evaluate(answers, dt.date(2022, 5, 20), lang)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow,
                                                  HealthCheck.function_scoped_fixture],
          deadline=dt.timedelta(seconds=20))
@given(st.one_of(json_ish_bytes, mutated_answers().map(
           lambda d: json.dumps(d, allow_nan=True).encode())),
       st.sampled_from(["evaluate", "explain", "ics"]), st.sampled_from(["zh", "en"]))
def test_the_command_line_on_any_file_exits_0_or_2(capsys, raw, command, lang):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "answers.json"
        path.write_bytes(raw)
        argv = [command, str(path), "--lang", lang, "--as-of", "2022-05-20"]
        if command == "ics":
            argv += ["-o", str(Path(folder) / "out.ics")]
        code = cli.main(argv)  # any exception here fails the test: no traceback is allowed
        out, err = capsys.readouterr()
        assert code in (0, 2)
        if code == 2:
            assert out == "" and err.startswith("錯誤：" if lang == "zh" else "error: ")
            assert str(path) in err
        else:
            assert err == "" and out
