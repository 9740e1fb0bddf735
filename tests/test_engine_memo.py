"""The engine remembers (a speed-up): whole verdicts of answers it has seen before, an award's
verdict on its own answers, what one answer makes of one condition. A remembered verdict must
be exactly what a fresh walk through the rules gives."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from scheme import evaluate, load_edition
from scheme.engine import judge, plan

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from engine import generated  # noqa: E402  (the benchmark's seeded mix of every answer)


def forget_engine(edition) -> None:
    for key in [k for k in edition.derived if k.startswith("engine_")]:
        del edition.derived[key]


@pytest.mark.parametrize("as_of", [dt.date(2022, 5, 20), dt.date(2022, 6, 16)])
def test_remembered_verdicts_equal_fresh_ones(as_of):
    edition = load_edition()
    many = generated(400, seed=7)
    fresh = []
    for answers in many:  # each judged with nothing remembered
        forget_engine(edition)
        fresh.append(evaluate(answers, as_of, "en", edition))
    forget_engine(edition)
    for answers in reversed(many):  # parts remembered in another order first
        evaluate(answers, as_of, "zh", edition)
    parts_only = [evaluate(answers, as_of, "en", edition) for answers in many]
    assert "engine_verdicts" in edition.derived and edition.derived["engine_verdicts"], \
        "answers seen twice are remembered whole"
    whole = [evaluate(answers, as_of, "en", edition) for answers in many]
    for expected, from_parts, remembered in zip(fresh, parts_only, whole, strict=True):
        assert from_parts == expected
        assert remembered == expected


def test_the_order_categories_were_ticked_in_never_changes_a_verdict():
    edition = load_edition()
    paths = plan(edition).read_paths
    for answers in generated(200, seed=11):
        changes = {}
        for path in ("resilience.categories", "carbon.strengths", "esg.sdg_categories"):
            assert path in paths
            chosen = answers.get(path)
            if chosen:
                changes[path] = list(reversed(chosen)) + chosen[:1]  # reversed, one repeated
        if not changes:
            continue
        forget_engine(edition)
        expected = judge(answers, dt.date(2022, 5, 20), edition)
        forget_engine(edition)
        assert judge(answers.with_changes(changes), dt.date(2022, 5, 20), edition) == expected


def test_a_remembered_verdict_cannot_be_changed_by_whoever_reads_it():
    edition = load_edition()
    answers = generated(1, seed=3)[0]
    first = judge(answers, dt.date(2022, 5, 20), edition)
    first.awards.clear()  # a reader's own list: the engine's memory is untouched
    again = judge(answers, dt.date(2022, 5, 20), edition)
    assert len(again.awards) == 13
    with pytest.raises(AttributeError):
        again.awards[0].status = "eligible"  # an award's verdict is immutable


def test_what_the_engine_remembers_stays_within_its_bounds(monkeypatch):
    import scheme.engine as engine

    monkeypatch.setattr(engine, "VERDICTS_SIZE", 40)
    monkeypatch.setattr(engine, "MEMO_SIZE", 300)
    monkeypatch.setattr(engine, "SEEN_SIZE", 100)
    edition = load_edition()
    forget_engine(edition)
    many = generated(250, seed=5)
    expected = [judge(a, dt.date(2022, 5, 20), edition) for a in many]
    for _ in range(2):
        for answers, verdict in zip(many, expected, strict=True):
            assert judge(answers, dt.date(2022, 5, 20), edition) == verdict
            assert len(edition.derived["engine_verdicts"]) <= 41
            assert len(edition.derived["engine_outcomes"]) <= 301 + 3 * 13
            assert len(edition.derived["engine_seen"]) <= 101


def test_no_award_asks_for_the_same_thing_twice():
    edition = load_edition()
    for as_of in (dt.date(2022, 5, 20), dt.date(2022, 6, 16)):
        for answers in generated(400, seed=13):
            for award in judge(answers, as_of, edition).awards:
                assert len(set(award.actions)) == len(award.actions), award.id
                assert len(set(award.missing)) == len(award.missing), award.id
