"""Batch screening: a CSV or Excel list of prospects in, one verdict row per prospect out."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from scheme.answers import field_paths
from scheme.batch import (
    COLUMNS,
    BatchFileError,
    output_header,
    screen,
    template_csv,
    write_csv,
    write_xlsx,
)

AS_OF = dt.date(2022, 5, 20)


def csv_bytes(rows: list[list[str]], bom: bool = False) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


GOOD = [
    ["organisation.name", "organisation.sector", "organisation.premises", "hygiene_certification",
     "resilience.categories", "commitments.training", "commitments.leader_video"],
    ["海景物業管理有限公司", "私人屋苑物業管理", "2", "certified", "innovation; staff_support", "是", "Yes"],
    ["Bad Row Ltd", "", "many", "certified", "", "maybe", ""],
    ["Unknown Category Ltd", "", "", "", "innovaton", "", ""],
    ["", "", "", "", "", "", ""],
    ["=HYPERLINK(\"http://x\")", "", "1", "none", "", "no", "n"],
]


def test_columns_are_answers_file_fields():
    assert set(COLUMNS) <= field_paths()


def test_rows_are_screened_in_order_and_bad_rows_are_reported_with_their_number():
    rows = screen(csv_bytes(GOOD, bom=True), "prospects.csv", AS_OF)
    assert [r.row for r in rows] == [2, 3, 4, 6]  # row 5 is blank: no organisation
    first, bad, unknown, formula = rows
    assert first.error == ""
    assert first.award("resilience.gold_medal").status == "eligible"
    assert first.award("resilience.management").categories == ("innovation", "staff_support")
    assert bad.awards is None
    assert "row 3" in bad.error and "organisation.premises" in bad.error
    assert "commitments.training" in bad.error and "yes/no" in bad.error
    assert "resilience.categories[0]" in unknown.error and "row 4" in unknown.error
    assert formula.award("resilience.gold_medal").status == "not_eligible"


def test_csv_output_has_the_contract_columns_and_defuses_formulas():
    rows = screen(csv_bytes(GOOD), "prospects.csv", AS_OF)
    text = write_csv(rows).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    header = table[0]
    assert header[:3] == ["row", "organisation.name", "error"]
    assert header[3:5] == ["resilience.gold_medal", "resilience.gold_medal.categories"]
    assert header[-2:] == ["applications_total", "forms"]
    assert header == output_header()
    first = dict(zip(header, table[1], strict=True))
    assert first["resilience.management"] == "eligible"
    assert first["resilience.management.categories"] == "innovation;staff_support"
    assert first["forms"].startswith("A;")
    formula_row = dict(zip(header, table[4], strict=True))
    assert formula_row["organisation.name"].startswith("'=")


def test_category_columns_hold_only_what_a_recommended_award_enters():
    """batch-v1: '<award id>.categories' holds the recommended categories. Categories that fit an
    award that is not eligible, or any award once the round has closed, are not to be entered."""
    answers = ["organisation.name", "hygiene_certification", "resilience.categories",
               "commitments.training", "commitments.leader_video", "commitments.publication_sharing"]
    raw = csv_bytes([answers, ["Fits Ltd", "certified", "innovation", "yes", "yes", "yes"],
                     ["No Hygiene Ltd", "none", "innovation", "yes", "yes", "yes"]])

    def table(as_of):
        text = write_csv(screen(raw, "p.csv", as_of)).decode("utf-8-sig")
        head, *body = list(csv.reader(io.StringIO(text)))
        return [dict(zip(head, line, strict=True)) for line in body]

    fits, no_hygiene = table(AS_OF)
    assert fits["resilience.management"] == "eligible"
    assert fits["resilience.management.categories"] == "innovation"
    assert no_hygiene["resilience.management"] == "not_eligible"
    assert no_hygiene["resilience.management.categories"] == ""
    closed = table(dt.date(2022, 7, 1))
    assert closed[0]["resilience.management"] == "eligible"  # what the rules make of the answers
    assert all(row[f"{award}.categories"] == "" for row in closed for award in
               ("resilience.management", "esg.visionary", "esg.pioneer"))


def test_xlsx_in_and_out(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["organisation.name", "organisation.premises", "planned_submission_date",
                  "hygiene_certification", "commitments.training"])
    sheet.append(["Excel Ltd", 3, dt.datetime(2022, 6, 1), "certified", True])
    sheet.append(["@SUM(A1:A2)", 1.0, None, "equivalent_measures", 1])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = screen(buffer.getvalue(), "prospects.xlsx", AS_OF)
    assert [r.error for r in rows] == ["", ""]
    assert rows[0].award("resilience.gold_medal").applications == 3
    assert rows[1].award("resilience.gold_medal").status == "conditional"
    out = openpyxl.load_workbook(io.BytesIO(write_xlsx(rows)))
    cell = out.active.cell(row=3, column=2)
    assert cell.value == "@SUM(A1:A2)" and cell.data_type == "s"


@pytest.mark.parametrize(("raw", "name", "says"), [
    (csv_bytes([["organisation.name", "colour"], ["X", "blue"]]), "a.csv", "unknown column"),
    (csv_bytes([["organisation.sector"], ["X"]]), "a.csv", "organisation.name is required"),
    (csv_bytes([["organisation.name", "organisation.name"], ["X", "Y"]]), "a.csv", "named twice"),
    (b"", "a.csv", "empty"),
    (b"\xff\xfe\x00\x01", "a.csv", "not UTF-8"),
    (b"PK not really a zip", "a.xlsx", "cannot be read"),
    (b"name\nX\n", "a.txt", "CSV (.csv) or Excel (.xlsx)"),
])
def test_unreadable_batch_files_are_refused(raw, name, says):
    with pytest.raises(BatchFileError, match=re.escape(says)):
        screen(raw, name, AS_OF)


def test_template_has_every_column_and_screens_empty():
    header = template_csv().decode("utf-8-sig").strip().split(",")
    assert header == list(COLUMNS)
    assert screen(template_csv(), "template.csv", AS_OF) == []


def test_batch_command_writes_the_screening_and_pdfs(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).parent.parent
    source = tmp_path / "prospects.csv"
    source.write_bytes(csv_bytes(GOOD))
    out = tmp_path / "screened.xlsx"
    pdfs = tmp_path / "pdfs"
    proc = subprocess.run([sys.executable, "-m", "scheme", "batch", str(source), "-o", str(out),
                           "--as-of", "2022-05-20", "--pdf-dir", str(pdfs), "--lang", "en"],
                          cwd=root, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr
    assert "4 rows screened, 2 with errors" in proc.stdout
    zh = subprocess.run([sys.executable, "-m", "scheme", "batch", str(source), "-o", str(tmp_path / "zh.csv"),
                         "--as-of", "2022-05-20"], cwd=root, capture_output=True, text=True, timeout=240)
    assert zh.returncode == 0 and "已篩選 4 行，其中 2 行有問題" in zh.stdout  # not English after 已寫入
    assert "screened" not in zh.stdout
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(out).active
    assert sheet.cell(row=1, column=4).value == "resilience.gold_medal"
    assert sheet.max_row == 5
    assert sorted(p.name for p in pdfs.iterdir()) == ["row00002-海景物業管理有限公司.pdf",
                                                      "row00006-HYPERLINK-http-x.pdf"]


def test_batch_command_refuses_an_unreadable_file(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    source = tmp_path / "prospects.csv"
    source.write_bytes(csv_bytes([["organisation.name", "colour"], ["X", "red"]]))
    proc = subprocess.run([sys.executable, "-m", "scheme", "batch", str(source), "-o",
                           str(tmp_path / "out.csv")], cwd=Path(__file__).parent.parent,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "colour" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out.csv").exists()


# -- hostile and broken files ----------------------------------------------------------------

import time  # noqa: E402
import zipfile  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from scheme.batch import (  # noqa: E402
    MAX_CELL_CHARS,
    MAX_ROWS,
    read_table,
    readable_header,
    template_xlsx,
)
from scheme.cli import main  # noqa: E402
from scheme.i18n import t  # noqa: E402

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
WORKBOOK = (f'<workbook {NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets><sheet name="a" sheetId="1" r:id="rId1"/></sheets></workbook>')
RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def xlsx(sheet: str | bytes, shared: str | None = None, workbook: str = WORKBOOK) -> bytes:
    """A minimal .xlsx made by hand, so that it can be broken on purpose."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", shared)
    return buffer.getvalue()


def sheet_xml(rows: list[list[str]]) -> str:
    body = "".join(
        f'<row r="{i}">' + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in row) + "</row>"
        for i, row in enumerate(rows, start=1))
    return f"<worksheet {NS}><sheetData>{body}</sheetData></worksheet>"


def refused(raw: bytes, name: str = "a.xlsx") -> str:
    start = time.monotonic()
    with pytest.raises(BatchFileError) as err:
        screen(raw, name, AS_OF)
    assert time.monotonic() - start < 10
    return err.value.message("en")


def test_a_hand_made_xlsx_is_read():
    rows = screen(xlsx(sheet_xml([["organisation.name", "hygiene_certification"],
                                  ["Hand Made Ltd", "certified"]])), "a.xlsx", AS_OF)
    assert rows[0].name == "Hand Made Ltd" and rows[0].ok


def test_xlsx_with_no_sheet_is_refused():
    book = WORKBOOK.replace('<sheet name="a" sheetId="1" r:id="rId1"/>', "")
    assert "no sheet" in refused(xlsx(sheet_xml([["organisation.name"]]), workbook=book))


def test_xlsx_with_broken_sheet_xml_is_refused():
    message = refused(xlsx(f"<worksheet {NS}><sheetData><row><c>"))
    assert "broken XML" in message and "xl/worksheets/sheet1.xml" in message


def test_xlsx_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = f"<worksheet {NS}><sheetData>".encode() + b" " * 80_000_000 + b"</sheetData></worksheet>"
    raw = xlsx(bomb)
    assert len(raw) < 1_000_000
    assert "too big once unpacked" in refused(raw)


def test_xlsx_huge_shared_string_is_refused():
    shared = f'<sst {NS}><si><t>{"x" * (MAX_CELL_CHARS * 50)}</t></si></sst>'
    sheet = f'<worksheet {NS}><sheetData><row r="1"><c t="s"><v>0</v></c></row></sheetData></worksheet>'
    assert "too long" in refused(xlsx(sheet, shared))


def test_xlsx_row_with_a_million_cells_is_refused_quickly():
    sheet = f"<worksheet {NS}><sheetData><row r=\"1\">" + "<c/>" * 1_000_000 + "</row></sheetData></worksheet>"
    assert "too many cells" in refused(xlsx(sheet))


def test_xlsx_cell_far_to_the_right_is_refused_without_allocating_the_row():
    sheet = (f'<worksheet {NS}><sheetData><row r="1"><c r="XFD1" t="inlineStr"><is><t>x</t></is>'
             "</c></row></sheetData></worksheet>")
    assert "too many cells" in refused(xlsx(sheet))


def test_xlsx_entity_bomb_is_refused():
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
            f"<worksheet {NS}><sheetData><row><c t=\"inlineStr\"><is><t>&lol2;</t></is></c></row>"
            "</sheetData></worksheet>")
    assert "document type declaration" in refused(xlsx(bomb))


def test_too_many_rows_are_refused_and_the_limit_is_at_least_ten_thousand():
    assert MAX_ROWS >= 10_000
    lines = [["organisation.name"]] + [[f"Org {i}"] for i in range(MAX_ROWS)]
    header, body = read_table(csv_bytes(lines), "a.csv")
    assert len(body) == MAX_ROWS
    with pytest.raises(BatchFileError, match="too many rows"):
        read_table(csv_bytes(lines + [["One more"]]), "a.csv")


def test_csv_cell_too_long_and_too_many_cells_are_refused():
    assert "too long" in refused(csv_bytes([["organisation.name"], ["x" * 5000]]), "a.csv")
    assert "too many cells" in refused(b"organisation.name" + b"," * 100_000 + b"\n", "a.csv")


def test_every_problem_of_a_bad_row_is_reported_at_once():
    rows = screen(csv_bytes([
        ["organisation.name", "organisation.premises", "commitments.training",
         "resilience.categories", "planned_submission_date", "hygiene_certification"],
        ["All Wrong Ltd", "lots", "maybe", "innovaton", "2022-W23-5", "sort of"],
    ]), "a.csv", AS_OF)
    fields = [f for f, _ in rows[0].errors("en")]
    assert fields[:2] == ["organisation.premises", "commitments.training"]
    assert {"resilience.categories[0]", "planned_submission_date", "hygiene_certification"} <= set(fields)
    assert rows[0].awards is None


def test_categories_joined_by_commas_are_told_to_use_semicolons():
    """A staff review's list had "innovation, work_environment": refused as "not a known
    category", with no word of the separator (and the allowed list itself shown with commas)."""
    rows = screen(csv_bytes([
        ["organisation.name", "resilience.categories"],
        ["Commas Ltd", "innovation, work_environment"], ["Typo Ltd", "innovaton, work_environment"],
        ["Right Ltd", "innovation;work_environment"],
    ]), "a.csv", AS_OF)
    commas, typo, right = rows
    [(field, message)] = commas.errors("en")
    assert field == "resilience.categories[0]" and "separate them with ;" in message
    assert "以分號 ; 分隔" in commas.error_text("zh")
    assert "separate them with ;" not in typo.error_text("en")  # a typo is a typo
    assert right.ok


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_cell_beyond_the_header_is_that_rows_problem_and_the_other_rows_go_on(kind):
    """One ragged row (something in a column with no header) is reported with its row number
    and column, like any bad row; it no longer stopped the whole list (batch-v1: "a bad row is
    reported ... and the other rows go on")."""
    table = [["organisation.name", "organisation.premises", "hygiene_certification"],
             ["Good Ltd", "1", "certified"], ["Stray Ltd", "1", "certified", "oops"],
             ["Also Good Ltd", "2", "certified", ""], ["Far Stray Ltd", "1", "certified", "", "x"]]
    raw = csv_bytes(table) if kind == "csv" else xlsx(sheet_xml(table))
    good, stray, also, far = screen(raw, f"a.{kind}", AS_OF)
    assert good.ok and also.ok and also.award("resilience.gold_medal").applications == 2
    assert stray.awards is None and "row 3" in stray.error
    assert stray.errors("en") == [("D", t("batch_err_cell_outside", "en", column="D"))]
    assert "D：此欄（D 欄）有內容" in stray.error_text("zh")
    assert far.awards is None and far.errors("en") == [("E", t("batch_err_cell_outside", "en", column="E"))]


def test_a_ragged_row_leaves_the_command_line_exit_status_0(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_bytes(csv_bytes([["organisation.name"], ["Good Ltd"], ["Stray Ltd", "oops"]]))
    assert main(["batch", str(source), "-o", str(tmp_path / "out.csv")]) == 0
    out = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8-sig"))))
    assert [r["row"] for r in out] == ["2", "3"] and out[0]["error"] == ""
    assert t("batch_err_cell_outside", "zh", column="B") in out[1]["error"]


def test_a_problem_is_said_once_and_a_negative_number_is_told_its_range():
    # Found by a review: one unknown SDG category was listed four times (once per ESG tier
    # reading the field), and "-1" premises read "must be a whole number" (it is one).
    rows = screen(csv_bytes([
        ["organisation.name", "organisation.premises", "esg.sdg_categories"],
        ["A", "-1", "sustainable_cities"],
        ["B", "３", ""],  # full-width digits, as a Chinese keyboard types them
    ]), "a.csv", AS_OF)
    errors = rows[0].errors("en")
    assert [f for f, _ in errors] == ["organisation.premises", "esg.sdg_categories[0]"]
    assert "from 0 to 1000 (got -1)" in errors[0][1]
    assert rows[1].errors("en") == [] and rows[1].answers.organisation.premises == 3


def test_a_missing_name_does_not_hide_the_rows_other_problems():
    rows = screen(csv_bytes([["organisation.name", "organisation.premises"], ["", "lots"]]) +
                  b",2\n", "a.csv", AS_OF)
    assert [f for f, _ in rows[0].errors("en")] == ["organisation.name", "organisation.premises"]
    assert [f for f, _ in rows[1].errors("en")] == ["organisation.name"]


def test_control_characters_are_cleaned_in_xlsx_and_csv_output():
    openpyxl = pytest.importorskip("openpyxl")
    rows = screen(csv_bytes([["organisation.name"], ["Bell\x07 \x1b[31mRed\u202e Ltd"]]), "a.csv", AS_OF)
    book = openpyxl.load_workbook(io.BytesIO(write_xlsx(rows)))
    assert book.active.cell(row=2, column=2).value == "Bell [31mRed Ltd"
    assert "\x07" not in write_csv(rows).decode("utf-8-sig")


def test_formulas_are_never_written_back_executable_in_any_export():
    openpyxl = pytest.importorskip("openpyxl")
    rows = screen(csv_bytes([["organisation.name"], ["=1+1"], ["+cmd|' /C calc'!A0"], [" -2"]]),
                  "a.csv", AS_OF)
    for labels in (None, "en", "zh"):
        table = list(csv.reader(io.StringIO(write_csv(rows, labels).decode("utf-8-sig"))))
        names = [line[1] for line in table[(2 if labels else 1):]]
        assert all(n.startswith("'") for n in names), names
        book = openpyxl.load_workbook(io.BytesIO(write_xlsx(rows, labels)))
        cells = [c for row in book.active.iter_rows() for c in row]
        assert all(c.data_type != "f" for c in cells)


def test_readable_output_has_names_and_words_and_keeps_the_ids_in_a_second_header_row():
    rows = screen(csv_bytes(GOOD), "prospects.csv", AS_OF)
    table = list(csv.reader(io.StringIO(write_csv(rows, labels="en").decode("utf-8-sig"))))
    assert table[0] == readable_header("en") and table[1] == output_header()
    first = dict(zip(table[1], table[2], strict=True))
    assert first["resilience.gold_medal"] == "✔ Eligible"
    assert "Innovation" in first["resilience.management.categories"] or first[
        "resilience.management.categories"]
    zh = list(csv.reader(io.StringIO(write_csv(rows, labels="zh").decode("utf-8-sig"))))
    assert zh[2][zh[1].index("resilience.gold_medal")] == "✔ 符合資格"
    bad = dict(zip(zh[1], zh[3], strict=True))
    assert bad["error"].startswith("第 3 行：")


def test_a_declined_nomination_reads_not_applying_in_words_and_stays_not_eligible_in_ids():
    """The wizard and the PDF say "Not applying" where the organisation will not nominate; the
    screened list said "✘ Not eligible". The ids (the contract) keep not_eligible."""
    rows = screen(csv_bytes([["organisation.name", "hygiene_certification", "nominees.resilience_leader"],
                             ["Kowloon Logistics", "certified", "false"]]), "a.csv", AS_OF)
    ids = list(csv.reader(io.StringIO(write_csv(rows).decode("utf-8-sig"))))
    assert dict(zip(ids[0], ids[1], strict=True))["resilience.leader"] == "not_eligible"
    for lang in ("en", "zh"):
        table = list(csv.reader(io.StringIO(write_csv(rows, labels=lang).decode("utf-8-sig"))))
        line = dict(zip(table[1], table[2], strict=True))
        assert line["resilience.leader"] == f"– {t('status_not_applying', lang)}"
        assert line["resilience.gold_medal"] != f"– {t('status_not_applying', lang)}"


def test_template_explains_every_column_in_the_users_language():
    openpyxl = pytest.importorskip("openpyxl")
    from scheme.demos import demos

    example = demos()[0].answers
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx("zh-hans", example)))
    assert len(book.worksheets) == 2
    first, notes = book.worksheets
    assert [c.value for c in first[1]] == list(COLUMNS)
    explained = {row[0].value: (row[1].value, row[2].value) for row in notes.iter_rows(min_row=2)}
    assert set(explained) == set(COLUMNS)
    assert "机构名称" in explained["organisation.name"][0]  # Simplified Chinese
    assert "certified" in explained["hygiene_certification"][1]
    rows = screen(template_csv(example), "template.csv", AS_OF)
    assert len(rows) == 1 and rows[0].ok


def test_cli_refuses_hostile_files_with_exit_2_and_a_message(tmp_path, capsys):
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(xlsx(f"<worksheet {NS}><sheetData>".encode() + b" " * 70_000_000
                          + b"</sheetData></worksheet>"))
    assert main(["batch", str(bomb), "-o", str(tmp_path / "o.csv"), "--lang", "en"]) == 2
    assert "too big once unpacked" in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()


def test_cli_labels_write_readable_headers(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes(csv_bytes(GOOD))
    out = tmp_path / "out.csv"
    assert main(["batch", str(source), "-o", str(out), "--as-of", "2022-05-20",
                 "--labels", "zh-hans"]) == 0
    table = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert table[0] == readable_header("zh-hans") and table[1] == output_header()


# -- property tests: any CSV or XLSX either works or is refused, in bounded time --------------

cell_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["yes", "no", "1", "0", "2022-05-20", "certified", "innovation;x", "=1+1", "", "是"])
header_cells = st.lists(st.sampled_from(COLUMNS + ("colour", "")), min_size=1, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=header_cells, body=st.lists(st.lists(cell_text, max_size=10), max_size=6),
       noise=st.binary(max_size=20))
def test_any_csv_either_works_or_is_refused(header, body, noise):
    import contextlib
    import tempfile
    from pathlib import Path

    raw = csv_bytes([header] + body) + noise
    start = time.monotonic()
    try:
        rows = screen(raw, "p.csv", AS_OF)
    except BatchFileError as err:
        assert err.message("en") and err.message("zh")
        refused = True
    else:
        assert all(r.ok == (r.awards is not None) for r in rows)
        write_xlsx(rows)
        write_csv(rows, "zh")
        refused = False
    with tempfile.TemporaryDirectory() as tmp:  # the command line: exit 0, or 2 with a message
        source = Path(tmp) / "p.csv"
        source.write_bytes(raw)
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["batch", str(source), "-o", str(Path(tmp) / "o.xlsx"), "--as-of", "2022-05-20"])
        assert code == (2 if refused else 0)
        assert (code == 2) == err.getvalue().startswith(("error: ", "錯誤："))  # --lang's language
        assert (code == 2) == ("p.csv" in err.getvalue())  # naming the file
    assert time.monotonic() - start < 10


xml_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=header_cells, body=st.lists(st.lists(xml_text, max_size=8), max_size=5),
       cut=st.integers(min_value=0, max_value=4000), shared=st.booleans(),
       junk=st.binary(max_size=8))
def test_any_xlsx_either_works_or_is_refused(header, body, cut, shared, junk):
    from xml.sax.saxutils import escape

    rows_xml = [[escape(v) for v in row] for row in [header] + body]
    sheet = sheet_xml(rows_xml)
    if cut:  # cut the XML somewhere and add junk: broken sheets
        sheet = sheet[:cut] + junk.decode("latin-1")
    strings = f'<sst {NS}><si><t>{escape(body[0][0]) if body and body[0] else ""}</t></si></sst>'
    raw = xlsx(sheet, strings if shared else None)
    start = time.monotonic()
    try:
        rows = screen(raw, "p.xlsx", AS_OF)
    except BatchFileError as err:
        assert err.message("en")
    else:
        write_xlsx(rows, "en")
    assert time.monotonic() - start < 5


def test_the_excel_template_reads_back_as_a_batch_file():
    from scheme.demos import demos

    example = demos()[0].answers
    rows = screen(template_xlsx("en", example), "template.xlsx", AS_OF)
    assert len(rows) == 1 and rows[0].ok and rows[0].name == example.organisation.name


def test_rows_with_the_same_answers_keep_their_own_names_and_problems():
    rows = screen(csv_bytes([["organisation.name", "organisation.premises", "hygiene_certification"],
                             ["  First Ltd ", "2", "certified"], ["Second Ltd", "2", "certified"],
                             ["Third Ltd", "x", "certified"], ["Fourth Ltd", "x", "certified"],
                             ["", "2", "certified"], ["N" * 201, "2", "certified"]]), "a.csv", AS_OF)
    assert [r.answers.organisation.name for r in rows[:2]] == ["First Ltd", "Second Ltd"]
    assert rows[0].award("resilience.gold_medal") == rows[1].award("resilience.gold_medal")
    assert [r.row for r in rows if not r.ok] == [4, 5, 6, 7]
    assert rows[3].errors("en") == rows[2].errors("en")
    assert [f for f, _ in rows[4].errors("en")] == ["organisation.name"]
    assert [f for f, _ in rows[5].errors("en")] == ["organisation.name"]


def test_xlsx_with_half_a_million_blank_rows_is_read_quickly_and_keeps_none_of_them():
    blank = '<row><c t="inlineStr"><is><t> </t></is></c></row>' * 500_000
    sheet = (f'<worksheet {NS}><sheetData><row r="1"><c t="inlineStr"><is><t>organisation.name</t></is>'
             f"</c></row>{blank}</sheetData></worksheet>")
    start = time.monotonic()
    assert screen(xlsx(sheet), "a.xlsx", AS_OF) == []
    assert time.monotonic() - start < 30


def test_the_command_line_says_first_that_the_round_is_closed(tmp_path, capsys):
    from scheme.cli import main

    source = tmp_path / "in.csv"
    source.write_text("organisation.name,hygiene_certification\nA,certified\n", encoding="utf-8")
    assert main(["batch", str(source), "-o", str(tmp_path / "out.csv"), "--lang", "en",
                 "--as-of", "2026-11-22"]) == 0
    assert capsys.readouterr().out.startswith("The 2022 application period closed on 15 June 2022")
    assert main(["batch", str(source), "-o", str(tmp_path / "out.csv"), "--lang", "en",
                 "--as-of", "2022-05-20"]) == 0
    assert "closed" not in capsys.readouterr().out
