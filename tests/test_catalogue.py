"""The one bilingual catalogue: every message in both languages, none given twice."""

from __future__ import annotations

import re

import pytest
import yaml

from scheme.i18n import _UniqueKeyLoader, catalogue, t


def test_a_message_id_given_twice_in_one_file_is_refused():
    with pytest.raises(ValueError, match="given twice"):
        yaml.load("window_closed: {zh: 甲, en: a}\nwindow_closed: {zh: 乙, en: b}\n",  # noqa: S506
                  Loader=_UniqueKeyLoader)


def test_the_window_label_and_the_closed_round_reason_are_different_messages():
    messages = catalogue()
    assert messages["window_closed"]["en"] == "Applications closed"
    assert "15 June" not in messages["window_closed"]["en"]
    assert "{deadline}" in messages["closed_round"]["en"]


def test_simplified_chinese_reads_as_mainland_readers_write():
    from scheme.i18n import localise

    assert localise("你會被問到甚麼", "zh-hans") == "你会被问到什么"


def test_what_fills_a_message_is_kept_as_given_only_the_message_is_converted():
    from scheme.i18n import t

    text = t("ui_results_for", "zh-hans", name="海景物業管理有限公司", as_of="2022-05-20", window="")
    assert text.startswith("**海景物業管理有限公司** · 规划日期")  # the name as typed, the rest Simplified


def _holders_of(marker: str) -> list:
    """Containers the garbage collector knows that still hold a string with ``marker``."""
    import gc

    found = []
    for obj in gc.get_objects():
        values = obj.values() if isinstance(obj, dict) else obj if isinstance(obj, (list, tuple)) else ()
        try:
            if any(isinstance(v, str) and marker in v for v in values):
                found.append(type(obj).__name__)
        except Exception:  # noqa: BLE001, S112 - a container changing while it is read
            continue
    return found


@pytest.mark.parametrize("lang", ["zh", "en", "zh-hans"])
def test_an_organisation_name_given_to_a_message_is_not_remembered_after_the_call(lang):
    from scheme.answers import parse_answers_data
    from scheme.calendar_ics import build_ics
    from scheme.i18n import t

    marker = f"Secret Prospect {lang} 7f3a"
    text = t("ui_results_for", lang, name=marker, as_of="2022-05-20", window="")
    assert marker in text
    ics = build_ics(parse_answers_data({"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022",
                                        "organisation": {"name": marker}}), lang=lang)
    assert marker.encode() in ics
    del text, ics
    assert _holders_of(marker) == []


@pytest.mark.parametrize(("lang", "joined"), [
    ("en", "Outstanding Resilience Contribution Management Award and Outstanding Carbon Neutrality"),
    ("zh", "傑出抗逆貢獻管理大獎及傑出碳中和貢獻管理大獎"),
])
def test_awards_named_in_a_sentence_are_joined_with_and(lang, joined):
    # found by a review: "only together with the A, B" read as if a word were missing
    import datetime as dt

    from scheme.answers import blank_answers
    from scheme.engine import evaluate

    result = evaluate(blank_answers("X"), dt.date(2022, 5, 20), lang)
    visionary = next(a for a in result.awards if a.id == "esg.visionary")
    assert any(joined in reason for reason in visionary.reasons), visionary.reasons


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("key", ["ui_privacy", "ui_resume_help"])
def test_texts_that_name_the_save_button_use_its_label(key, lang):
    """The privacy note told English readers to use "Save your answers"; the button says
    "Save answers"."""
    label = t("ui_save", lang)
    quoted = re.findall(r"「([^」]+)」" if lang == "zh" else r'"([^"]+)"', t(key, lang))
    assert quoted == [label]
