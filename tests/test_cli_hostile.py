"""The command line against careless and hostile input (issue 7, point 5): endless streams are
cut off at the size limit, every message is in the language asked for, ``--as-of`` has a range,
and ``-o`` never replaces what is not a regular file."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from scheme import cli
from scheme.answers import DATE_MAX, DATE_MIN, MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "scheme" / "samples" / "family-restaurant.json"
BAD = ('{"format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022", '
       '"organisation": {"name": "X", "premises": -1}}')


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def command_args(command: str, tmp_path: Path) -> list[str]:
    return ["-o", str(tmp_path / f"out.{command}")] if command in ("pdf", "ics") else []


@pytest.mark.parametrize("command", ["evaluate", "explain", "pdf", "ics"])
def test_an_endless_device_is_cut_off_at_the_size_limit(capsys, tmp_path, command):
    code, out, err = run(capsys, command, "/dev/zero", "--lang", "en",
                         *command_args(command, tmp_path))
    assert (code, out) == (2, "")
    assert f"too big: reading stopped after more than {MAX_FILE_BYTES} bytes" in err
    assert not (tmp_path / f"out.{command}").exists()


def test_an_endless_pipe_is_cut_off_at_the_size_limit(capsys, tmp_path):
    fifo = tmp_path / "answers.json"
    os.mkfifo(fifo)
    written = []

    def endless_writer() -> None:
        chunk = b" " * 65536
        try:
            with open(fifo, "wb") as pipe:
                while sum(written) < 50 * MAX_FILE_BYTES:  # far more than the reader may take
                    pipe.write(chunk)
                    written.append(len(chunk))
        except BrokenPipeError:
            pass  # the reader stopped and closed the pipe: what should happen

    writer = threading.Thread(target=endless_writer, daemon=True)
    writer.start()
    code, out, err = run(capsys, "evaluate", str(fifo), "--lang", "en")
    writer.join(timeout=30)
    assert not writer.is_alive()
    assert (code, out) == (2, "") and "too big" in err
    assert sum(written) < 5 * MAX_FILE_BYTES  # stopped reading, did not drain the stream


def test_standard_input_is_read_with_a_dash_and_bounded():
    with open("/dev/zero", "rb") as endless:
        proc = subprocess.run([sys.executable, "-m", "scheme", "evaluate", "-", "--lang", "en"],
                              cwd=ROOT, stdin=endless, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "too big" in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "scheme", "evaluate", "-", "--as-of", "2022-05-20"],
                          cwd=ROOT, input=SAMPLE.read_text(encoding="utf-8"), capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0 and '"window": "open"' in proc.stdout


def test_a_folder_given_as_the_answers_file(capsys, tmp_path):
    code, _, err = run(capsys, "evaluate", str(tmp_path), "--lang", "en")
    assert code == 2 and "cannot read the file (it is a folder)" in err


# -- one language per message ----------------------------------------------------------------


def _failures(tmp_path: Path) -> list[list[str]]:
    bad = tmp_path / "bad.json"
    bad.write_text(BAD, encoding="utf-8")
    return [["evaluate", str(bad)], ["explain", str(tmp_path / "nope.json")],
            ["evaluate", "/dev/zero"], ["evaluate", str(SAMPLE), "--as-of", "9999-12-31"],
            ["pdf", str(SAMPLE), "-o", "/dev/null"], ["ics", str(SAMPLE), "-o", str(tmp_path)],
            ["ics", str(bad), "-o", str(tmp_path / "x.ics")],
            ["batch", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "out.csv")],
            ["batch", str(tmp_path), "-o", str(tmp_path / "out.csv")]]


@pytest.mark.parametrize(("lang", "prefix", "english"), [
    ("zh", "錯誤：", ("error", "not a valid", "cannot", "too big", "must be", "the file")),
    ("zh-hans", "错误：", ("error", "not a valid", "cannot", "too big", "must be", "the file")),
    ("en", "error: ", ()),
])
def test_every_failure_speaks_one_language(capsys, tmp_path, lang, prefix, english):
    for argv in _failures(tmp_path):
        code, out, err = run(capsys, *argv, "--lang", lang)
        assert (code, out) == (2, ""), argv
        assert err.startswith(prefix), (argv, err)
        for word in english:
            assert word not in err.lower(), (argv, err)
    if lang == "en":  # and nothing Chinese in the English messages
        for argv in _failures(tmp_path):
            _, _, err = run(capsys, *argv, "--lang", lang)
            assert not any("\u4e00" <= c <= "\u9fff" for c in err), err


# -- --as-of -----------------------------------------------------------------------------------


@pytest.mark.parametrize("as_of", ["0001-01-01", "1999-12-31", "2019-12-31", "2036-01-01",
                                   "9999-12-31", "2022-W23-5", "20220520", "2022-5-20"])
@pytest.mark.parametrize("command", ["evaluate", "explain", "pdf", "ics"])
def test_as_of_outside_the_range_exits_2_saying_the_range(capsys, tmp_path, command, as_of):
    code, out, err = run(capsys, command, str(SAMPLE), "--as-of", as_of, "--lang", "en",
                         *command_args(command, tmp_path))
    assert (code, out) == (2, "")
    assert f"--as-of must be a date written YYYY-MM-DD from {DATE_MIN} to {DATE_MAX}" in err
    assert as_of in err


@pytest.mark.parametrize("as_of", [DATE_MIN, DATE_MAX])
def test_as_of_at_the_ends_of_the_range_works(capsys, as_of):
    code, out, _ = run(capsys, "evaluate", str(SAMPLE), "--as-of", as_of.isoformat())
    assert code == 0 and f'"as_of": "{as_of}"' in out


def test_the_help_says_the_as_of_range(capsys):
    with pytest.raises(SystemExit):
        cli.main(["evaluate", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert f"YYYY-MM-DD from {DATE_MIN} to {DATE_MAX}" in out and "exit status 2" in out


def test_batch_refuses_an_as_of_outside_the_range(capsys, tmp_path):
    code, _, err = run(capsys, "batch", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"),
                       "--as-of", "9999-12-31", "--lang", "en")
    assert code == 2 and f"from {DATE_MIN} to {DATE_MAX}" in err


@pytest.mark.parametrize(("argv", "zh", "en"), [
    (["pdf", str(SAMPLE)], "錯誤：缺少必須的參數：-o/--output。", "error: these arguments are required: -o/--output."),
    (["evaluate", str(SAMPLE), "--colour"], "錯誤：不認識的參數：--colour。", "error: unrecognised arguments: --colour."),
    (["evaluate", str(SAMPLE), "--as-of"], "錯誤：--as-of 後面須有一個值。", "error: --as-of needs a value."),
])
def test_usage_errors_speak_the_language_asked_for(capsys, argv, zh, en):
    for lang, expected in (("zh", zh), ("en", en)):
        with pytest.raises(SystemExit) as stop:
            cli.main([*argv[:2], "--lang", lang, *argv[2:]])
        err = capsys.readouterr().err
        assert stop.value.code == 2 and expected in err, err
        if lang == "zh":
            assert "usage" not in err and "error" not in err


def test_an_unknown_language_is_refused_in_the_default_language(capsys, tmp_path):
    out = tmp_path / "x.ics"
    with pytest.raises(SystemExit) as stop:
        cli.main(["ics", str(SAMPLE), "-o", str(out), "--lang", "fr"])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and not out.exists()  # refused before anything is written
    assert err.startswith("錯誤：--lang 只可以是 'zh', 'en', 'zh-hans' 之一（收到 'fr'）")


# -- -o onto what is not a regular file -------------------------------------------------------


@pytest.mark.parametrize("command", ["pdf", "ics"])
def test_output_onto_a_device_is_refused_and_the_device_kept(capsys, command):
    before = os.stat("/dev/null")
    code, out, err = run(capsys, command, str(SAMPLE), "-o", "/dev/null", "--lang", "en")
    assert (code, out) == (2, "")
    assert "cannot write /dev/null: it is not a regular file" in err
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


@pytest.mark.parametrize("command", ["pdf", "ics"])
def test_output_onto_a_symlink_to_a_device_is_refused_and_the_link_kept(capsys, tmp_path, command):
    link = tmp_path / "out"
    link.symlink_to("/dev/null")
    code, _, err = run(capsys, command, str(SAMPLE), "-o", str(link), "--lang", "en")
    assert code == 2 and "not a regular file" in err
    assert link.is_symlink() and os.readlink(link) == "/dev/null"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_output_onto_a_pipe_is_refused_without_blocking(capsys, tmp_path):
    fifo = tmp_path / "out.ics"
    os.mkfifo(fifo)
    code, _, err = run(capsys, "ics", str(SAMPLE), "-o", str(fifo), "--lang", "en")
    assert code == 2 and "not a regular file" in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("command", ["pdf", "ics"])
def test_output_through_a_symlink_writes_the_file_it_points_to(capsys, tmp_path, command):
    real = tmp_path / "files" / f"summary.{command}"
    real.parent.mkdir()
    real.write_bytes(b"old")
    real.chmod(0o640)
    link = tmp_path / f"link.{command}"
    link.symlink_to(real)
    code, _, err = run(capsys, command, str(SAMPLE), "-o", str(link), "--as-of", "2022-05-20")
    assert (code, err) == (0, "")
    assert link.is_symlink() and link.resolve() == real
    assert real.read_bytes()[:5] in (b"%PDF-", b"BEGIN")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # the file's permissions are kept
    assert sorted(p.name for p in real.parent.iterdir()) == [real.name]  # no temporary left


def test_output_through_a_dangling_symlink_creates_its_target(capsys, tmp_path):
    link = tmp_path / "link.ics"
    link.symlink_to(tmp_path / "new.ics")
    code, _, _ = run(capsys, "ics", str(SAMPLE), "-o", str(link))
    assert code == 0 and link.is_symlink() and (tmp_path / "new.ics").read_bytes().startswith(b"BEGIN")


def test_output_through_a_symlink_loop_is_a_clear_error(capsys, tmp_path):
    loop = tmp_path / "loop.ics"
    loop.symlink_to(loop)
    code, _, err = run(capsys, "ics", str(SAMPLE), "-o", str(loop), "--lang", "en")
    assert code == 2 and f"cannot write {loop}" in err and loop.is_symlink()
    code, _, err = run(capsys, "ics", str(SAMPLE), "-o", str(loop), "--lang", "zh")
    assert code == 2 and err == f"錯誤：無法寫入 {loop}：系統錯誤 ELOOP\n"
