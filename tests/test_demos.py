"""The demo organisations: fictional, named in every language, covering every status of every award."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from scheme import demos as demos_module
from scheme.demos import (
    REQUIRED_KINDS,
    STATUSES,
    DemoError,
    _load,
    coverage,
    demo_as_of,
    demos,
    validate,
)
from scheme.edition import load_edition
from scheme.engine import evaluate, window_state


def test_at_least_six_demos_of_every_kind_a_briefing_needs():
    items = demos()
    assert len(items) >= 6
    assert set(REQUIRED_KINDS) <= {d.kind for d in items}


def test_the_demo_day_lies_inside_the_application_window():
    edition = load_edition()
    day = demo_as_of(edition)
    assert edition.window_opens <= day <= edition.window_closes
    assert window_state(edition, day) == "open"


def test_between_them_the_demos_show_every_status_of_every_award():
    seen = coverage(demos(), demo_as_of())
    assert set(seen) == {a.id for a in load_edition().awards}
    for award, statuses in seen.items():
        assert statuses == set(STATUSES), award


@pytest.mark.parametrize("lang", ["zh", "en", "zh-hans"])
def test_every_demo_has_a_name_in_every_language_marked_fictional(lang):
    names = [d.name(lang) for d in demos()]
    assert len(set(names)) == len(names)
    marker = {"zh": "虛構", "zh-hans": "虚构", "en": "fictional"}[lang]
    assert all(marker in n for n in names)
    for d in demos():
        answers = d.answers_in(lang)
        assert answers.organisation.name == d.name(lang)
        assert evaluate(answers, demo_as_of(), lang).awards  # a valid answers file in every language
    if lang == "zh-hans":
        assert "狮子山社区银行（虚构示范）" in names


def _manifest(tmp_path: Path, entries: list) -> Path:
    for entry in entries:
        source = demos_module.SAMPLES_DIR / f"{entry['id']}.json"
        if source.exists():
            (tmp_path / source.name).write_bytes(source.read_bytes())
    path = tmp_path / "demos.yaml"
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    return path


def test_validation_refuses_a_missing_kind_a_bad_file_and_a_gap_in_coverage(tmp_path):
    entries = yaml.safe_load(demos_module.MANIFEST.read_text(encoding="utf-8"))
    without_bank = [e for e in entries if e["kind"] != "bank"]
    with pytest.raises(DemoError, match="bank"):
        _load(_manifest(tmp_path, without_bank))
    broken = [dict(e) for e in entries]
    broken[0]["name"] = {"zh": "只有中文"}
    with pytest.raises(DemoError, match="zh and en"):
        _load(_manifest(tmp_path, broken))
    (tmp_path / "bad.json").write_text('{"format": "x"}', encoding="utf-8")
    with pytest.raises(DemoError, match="not a valid answers file"):
        _load(_manifest(tmp_path, entries + [{"id": "bad", "kind": "bank", "name": {"zh": "甲", "en": "A"}}]))
    items = _load(_manifest(tmp_path, [e for e in entries if e["kind"] in REQUIRED_KINDS]))
    validate(items)  # the six required kinds alone already cover everything
    thin = tuple(d for d in items if d.kind in ("school", "restaurant", "ngo", "bank", "manufacturer"))
    with pytest.raises(DemoError, match="every status"):
        validate(thin)


def test_a_closed_window_still_shows_statuses_for_every_demo():
    late = dt.date(2022, 7, 1)
    for d in demos():
        result = evaluate(d.answers, late, "en")
        assert result.window == "closed" and len(result.awards) == 13


def _has_chinese(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def test_a_demo_shown_in_english_has_no_chinese_free_text():
    # found by a review: the English batch template's example row (a demo) said 私人屋苑物業管理
    for d in demos():
        english = d.answers_in("en")
        sector, period = english.organisation.sector or "", english.carbon.period or ""
        assert not _has_chinese(sector + period), d.id
        titles = [t for a in evaluate(english, demo_as_of(), "en").awards for t in a.titles_en]
        assert not any(_has_chinese(t) for t in titles), (d.id, titles)
        chinese = d.answers_in("zh")  # the file's own words, as the brochure's titles are
        assert (chinese.organisation.sector, chinese.carbon.period) == (
            d.answers.organisation.sector, d.answers.carbon.period)


def test_a_demo_must_give_the_english_of_each_free_text_and_nothing_else(tmp_path):
    entries = yaml.safe_load(demos_module.MANIFEST.read_text(encoding="utf-8"))
    property_manager = next(i for i, e in enumerate(entries) if e["kind"] == "property_manager")
    no_period = [dict(e) for e in entries]
    no_period[property_manager]["en"] = {"organisation.sector": "Property management"}
    with pytest.raises(DemoError, match="carbon.period"):
        _load(_manifest(tmp_path, no_period))
    other = [dict(e) for e in entries]
    other[property_manager]["en"] = {**entries[property_manager]["en"], "organisation.name": "X"}
    with pytest.raises(DemoError, match="en may give"):
        _load(_manifest(tmp_path, other))
