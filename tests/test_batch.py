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
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(out).active
    assert sheet.cell(row=1, column=4).value == "resilience.gold_medal"
    assert sheet.max_row == 5
    assert sorted(p.name for p in pdfs.iterdir()) == ["row0002-海景物業管理有限公司.pdf",
                                                      "row0006-HYPERLINK-http-x.pdf"]


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
