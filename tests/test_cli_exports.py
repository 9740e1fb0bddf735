"""``python -m scheme pdf|ics``: the files are written whole or not at all, and bad input or an
unwritable path is a clear message with exit status 2, never a traceback."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

from scheme import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "scheme" / "samples" / "family-restaurant.json"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("lang", ["zh", "en", "zh-hans"])
def test_pdf_written(capsys, tmp_path, lang):
    target = tmp_path / "summary.pdf"
    code, out, err = run(capsys, "pdf", str(SAMPLE), "-o", str(target), "--lang", lang,
                         "--as-of", "2022-05-20")
    assert (code, err) == (0, "")
    assert target.read_bytes().startswith(b"%PDF-")
    assert str(target) in out
    assert [p.name for p in tmp_path.iterdir()] == ["summary.pdf"]  # no temporary file left


def test_ics_written(capsys, tmp_path):
    target = tmp_path / "dates.ics"
    code, out, err = run(capsys, "ics", str(SAMPLE), "--output", str(target), "--lang", "en",
                         "--as-of", "2022-05-20")
    assert (code, err) == (0, "")
    assert len(list(Calendar.from_ical(target.read_bytes()).walk("VEVENT"))) >= 6
    assert [p.name for p in tmp_path.iterdir()] == ["dates.ics"]


def test_ics_of_a_closed_round_has_nothing_to_act_on(capsys, tmp_path):
    target = tmp_path / "dates.ics"
    code, out, err = run(capsys, "ics", str(SAMPLE), "--output", str(target), "--lang", "en",
                         "--as-of", "2026-11-22")
    assert (code, err) == (0, "")
    events = list(Calendar.from_ical(target.read_bytes()).walk("VEVENT"))
    assert all(e.decoded("dtstart") < dt.date(2026, 11, 22) for e in events)
    assert "closed" in str(events[0].get("summary"))


@pytest.mark.parametrize("command", ["pdf", "ics"])
def test_bad_answers_exit_2_naming_the_field_and_leave_the_old_file(capsys, tmp_path, command):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022", '
                   '"organisation": {"name": "X", "premises": -1}}', encoding="utf-8")
    target = tmp_path / f"out.{command}"
    target.write_bytes(b"old")
    code, out, err = run(capsys, command, str(bad), "-o", str(target), "--lang", "en")
    assert code == 2 and out == ""
    assert "organisation.premises" in err and "Traceback" not in err
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", target.name]


@pytest.mark.parametrize("command", ["pdf", "ics"])
def test_unwritable_output_is_a_clear_error(capsys, tmp_path, command):
    a_file = tmp_path / "plain.txt"
    a_file.write_text("x")
    for target, reason in ((tmp_path / "missing" / "out", "folder does not exist"),
                           (a_file / "out", "folder does not exist"),
                           (tmp_path, "folder")):
        code, out, err = run(capsys, command, str(SAMPLE), "-o", str(target), "--lang", "en")
        assert code == 2 and out == ""
        assert f"cannot write {target}" in err and reason in err and "Traceback" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_read_only_folder(capsys, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        code, _, err = run(capsys, "pdf", str(SAMPLE), "-o", str(folder / "x.pdf"), "--lang", "en")
    finally:
        folder.chmod(0o700)
    assert code == 2 and "cannot write" in err


def test_a_failed_write_leaves_nothing_behind(capsys, tmp_path, monkeypatch):
    def fail(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli.os, "replace", fail)
    target = tmp_path / "dates.ics"
    code, _, err = run(capsys, "ics", str(SAMPLE), "-o", str(target), "--lang", "en")
    assert code == 2 and "No space left on device" in err
    assert list(tmp_path.iterdir()) == []


def test_output_is_required_and_language_checked(capsys, tmp_path):
    with pytest.raises(SystemExit) as stop:
        cli.main(["pdf", str(SAMPLE)])
    assert stop.value.code == 2
    with pytest.raises(SystemExit) as stop:
        cli.main(["ics", str(SAMPLE), "-o", str(tmp_path / "x.ics"), "--lang", "fr"])
    assert stop.value.code == 2
    capsys.readouterr()


def test_as_a_command_without_traceback(tmp_path):
    target = tmp_path / "summary.pdf"
    done = subprocess.run([sys.executable, "-m", "scheme", "pdf", str(SAMPLE), "-o", str(target),
                           "--as-of", "2022-05-20"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert target.read_bytes().startswith(b"%PDF-")
    done = subprocess.run([sys.executable, "-m", "scheme", "ics", str(tmp_path / "nope.json"), "-o",
                           str(tmp_path / "x.ics")], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "nope.json" in done.stderr
    assert not (tmp_path / "x.ics").exists()
