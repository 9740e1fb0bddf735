"""The one bilingual catalogue: every message in both languages, none given twice."""

from __future__ import annotations

import pytest
import yaml

from scheme.i18n import _UniqueKeyLoader, catalogue


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
