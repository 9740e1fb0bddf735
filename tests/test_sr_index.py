"""Tests for scheme.sr_index: the HKQAA Social Responsibility Index data and scoring."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from scheme.sr_index import DEFAULT_PATH, SRIndex, load_sr_index, score

APPENDIX_ORDER = (
    [f"OG{i}" for i in range(1, 8)]
    + [f"HR{i}" for i in range(1, 6)]
    + [f"LP{i}" for i in range(1, 7)]
    + [f"EN{i}" for i in range(1, 6)]
    + [f"FO{i}" for i in range(1, 5)]
    + [f"CI{i}" for i in range(1, 9)]
    + [f"CD{i}" for i in range(1, 6)]
)


@pytest.fixture(scope="module")
def index() -> SRIndex:
    return load_sr_index()


# --- the data -------------------------------------------------------------


def test_seven_subjects_forty_measures_in_appendix_order(index: SRIndex) -> None:
    assert [s.code for s in index.subjects] == [
        "OG",
        "HR",
        "LP",
        "EN",
        "FO",
        "CI",
        "CD",
    ]
    assert len(index.measure_codes) == 40
    assert list(index.measure_codes) == APPENDIX_ORDER
    assert index.measure_codes[0] == "OG1"
    assert index.measure_codes[-1] == "CD5"
    assert len(set(index.measure_codes)) == 40


def test_subject_names(index: SRIndex) -> None:
    names = {s.code: (s.name.zh, s.name.en) for s in index.subjects}
    assert names["OG"] == ("企業管治", "Organisational governance")
    assert names["LP"] == ("勞動實務", "Labour practices")
    assert names["CD"] == ("社區參與和發展", "Community involvement and development")


def test_traditional_chinese_text(index: SRIndex) -> None:
    og1 = index.measure("OG1").zh
    assert "社會責任" in og1
    assert "企業" in og1
    assert "温室" not in index.measure("EN4").zh
    assert "溫室氣體" in index.measure("EN4").zh
    assert "私隱" in index.measure("CI7").zh
    assert "持份者" in index.measure("HR3").zh
    # No Simplified-only characters left from the source, and the proof-read
    # glyphs (温/户/羣 from OpenCC s2hk written as 溫/戶/群).
    unwanted = set("业责应该环劳务区参发费议权护确产这时对会温户羣")
    for code in index.measure_codes:
        assert not set(index.measure(code).zh) & unwanted, code


def test_english_for_every_measure(index: SRIndex) -> None:
    for code in index.measure_codes:
        en = index.measure(code).en
        assert en.startswith("The organisation should"), code
        assert en.endswith("."), code


def test_levels_and_source(index: SRIndex) -> None:
    assert [(lv.value, lv.zh, lv.en) for lv in index.levels] == [
        (0, "未有落實", "Not in place"),
        (1, "部分落實", "Partly in place"),
        (2, "全面落實", "Fully in place"),
    ]
    assert "ISO 26000" in index.source.en
    assert index.name.en == "HKQAA Social Responsibility Index"


def test_measure_lookup_and_frozen(index: SRIndex) -> None:
    assert index.measure("FO1").code == "FO1"
    with pytest.raises(KeyError, match="XX1"):
        index.measure("XX1")
    with pytest.raises(ValidationError):
        index.measure("OG1").zh = "changed"  # type: ignore[misc]
    assert load_sr_index() is index  # cached


# --- scoring --------------------------------------------------------------


@pytest.mark.parametrize("answers", [None, {}])
def test_score_empty(index: SRIndex, answers: dict[str, int] | None) -> None:
    result = score(index, answers)
    assert result.answered == 0
    assert result.total == 40
    assert result.points == 0
    assert result.max_points == 80
    assert result.share == 0.0
    assert result.not_in_place == APPENDIX_ORDER
    assert result.is_answered is False
    assert all(s.partly == [] for s in result.subjects)


def test_score_all_fully_in_place(index: SRIndex) -> None:
    result = score(index, {code: 2 for code in index.measure_codes})
    assert result.answered == 40
    assert result.points == 80
    assert result.share == 1.0
    assert result.not_in_place == []
    assert result.is_answered is True
    assert all(s.share == 1.0 and s.answered == s.total for s in result.subjects)


def test_score_mixed_by_hand(index: SRIndex) -> None:
    result = score(index, {"OG1": 2, "OG2": 1, "EN4": 0})
    assert result.answered == 3
    assert (result.points, result.max_points) == (3, 80)
    assert result.share == pytest.approx(3 / 80)
    assert result.is_answered is True

    og = result.subjects[0]
    assert og.code == "OG"
    assert (og.points, og.max_points, og.answered, og.total) == (3, 14, 2, 7)
    assert og.share == pytest.approx(3 / 14)
    assert og.partly == ["OG2"]
    assert og.not_in_place == ["OG3", "OG4", "OG5", "OG6", "OG7"]

    en = result.subjects[3]
    assert en.code == "EN"
    assert (en.points, en.max_points, en.answered, en.total) == (0, 10, 1, 5)
    assert en.not_in_place == ["EN1", "EN2", "EN3", "EN4", "EN5"]

    assert "EN4" in result.not_in_place
    assert "OG1" not in result.not_in_place and "OG2" not in result.not_in_place
    assert len(result.not_in_place) == 38
    assert result.not_in_place == [c for c in APPENDIX_ORDER if c not in ("OG1", "OG2")]


def test_score_none_means_unanswered(index: SRIndex) -> None:
    result = score(index, {"OG1": None, "HR1": 1})
    assert result.answered == 1
    assert "OG1" in result.not_in_place


def test_score_unknown_code(index: SRIndex) -> None:
    with pytest.raises(ValueError, match="XY9"):
        score(index, {"OG1": 2, "XY9": 1})


@pytest.mark.parametrize("bad", [3, -1, True, 1.5, "2"])
def test_score_bad_value(index: SRIndex, bad: object) -> None:
    with pytest.raises(ValueError, match="CI7"):
        score(index, {"CI7": bad})  # type: ignore[dict-item]


# --- broken files -----------------------------------------------------------


def _write_copy(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "sr_index.yaml"
    path.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return path


@pytest.fixture
def raw() -> dict:
    return yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


def test_untouched_copy_loads(tmp_path: Path, raw: dict) -> None:
    assert len(load_sr_index(_write_copy(tmp_path, raw)).measure_codes) == 40


def test_broken_duplicate_code(tmp_path: Path, raw: dict) -> None:
    raw["subjects"][2]["measures"][3]["code"] = "LP1"  # LP4 -> duplicate of LP1
    with pytest.raises(
        ValueError, match=r"subjects\[2\]\.measures\[3\]\.code.*duplicate.*LP1"
    ):
        load_sr_index(_write_copy(tmp_path, raw))


def test_broken_measure_under_wrong_subject(tmp_path: Path, raw: dict) -> None:
    moved = raw["subjects"][3]["measures"].pop(3)  # EN4
    raw["subjects"][1]["measures"].append(moved)  # now under HR, at index 5
    with pytest.raises(ValueError, match=r"subjects\[1\]\.measures\[5\]\.code.*EN4"):
        load_sr_index(_write_copy(tmp_path, raw))


def test_broken_missing_field(tmp_path: Path, raw: dict) -> None:
    del raw["subjects"][6]["measures"][0]["en"]
    with pytest.raises(ValueError, match=r"subjects\[6\]\.measures\[0\]\.en"):
        load_sr_index(_write_copy(tmp_path, raw))


def test_broken_count(tmp_path: Path, raw: dict) -> None:
    raw["subjects"][5]["measures"].pop()  # drop CI8
    with pytest.raises(ValueError, match="40 measures"):
        load_sr_index(_write_copy(tmp_path, raw))


def test_broken_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "sr_index.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match="invalid SR index"):
        load_sr_index(path)


def test_broken_yaml_syntax(tmp_path: Path) -> None:
    path = tmp_path / "sr_index.yaml"
    path.write_text("name: {zh: [\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid YAML"):
        load_sr_index(path)


def test_broken_extra_key(tmp_path: Path, raw: dict) -> None:
    raw["subjects"][0]["measures"][1]["note"] = "x"
    with pytest.raises(ValueError, match=r"subjects\[0\]\.measures\[1\]\.note"):
        load_sr_index(_write_copy(tmp_path, raw))
