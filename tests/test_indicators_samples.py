"""The contract samples through the command line: imported files in, the expected JSON out,
and the same figures in the Excel workbook."""
import json
import shutil
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook

from webapp.services.indicators.engine import ADDED_IDS
from webapp.services.indicators.workbook import NAMES

from .conftest import SAMPLES
from .test_indicators_evidence import assert_evidence_matches

SAMPLE_NAMES = ["county-small", "county-small-messy"]


def assert_matches(actual, expected, path="result"):
    """Every expected key and value is there; keys may be added except to a figure's
    "schools" and, beyond the app's own added indicators, to the id list."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), path
        assert set(expected) <= set(actual), f"{path}: missing {set(expected) - set(actual)}"
        if path.endswith(".schools"):
            assert set(actual) == set(expected), f"{path}: extra {set(actual) - set(expected)}"
        if path.endswith(".indicators"):
            extra = set(actual) - set(expected)
            assert extra <= set(ADDED_IDS), f"{path}: extra {extra - set(ADDED_IDS)}"
        for key, value in expected.items():
            assert_matches(actual[key], value, f"{path}.{key}")
    else:
        assert type(actual) is type(expected) and actual == expected, \
            f"{path}: {actual!r} != {expected!r}"


def import_sample(name):
    from webapp.services.imports.importer import import_directory

    report = import_directory(SAMPLES / name)
    assert report.ok, report.errors


def indicators_json(runner, county="500231"):
    outcome = runner.invoke(args=["indicators", "--county", county, "--year", "2025",
                                  "--format", "json"])
    assert outcome.exit_code == 0, outcome.output
    return json.loads(outcome.stdout)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_indicators_equal_the_expected_json(app, runner, name):
    import_sample(name)
    expected = json.loads((SAMPLES / f"{name}.expected.json").read_text(encoding="utf-8"))
    assert_matches(indicators_json(runner), expected)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_figures_equal_their_evidence_rows(app, name):
    import_sample(name)
    assert assert_evidence_matches("500231", 2025) > 40


def test_unknown_county_exits_1_with_a_message(runner):
    outcome = runner.invoke(args=["indicators", "--county", "999996", "--year", "2025"])
    assert outcome.exit_code == 1
    assert "Unknown county code: 999996" in outcome.stderr
    assert outcome.stdout == ""


def read_workbook(path):
    book = load_workbook(path, read_only=True)
    sheets = {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
              for sheet in book.worksheets}
    book.close()
    return sheets


def assert_workbook_holds(sheets, result):
    """The summary sheet and each per-100 sheet carry the JSON's figures."""
    summary = sheets["指标汇总"]
    headings = next(row for row in summary if row and row[0] == "指标")
    assert headings[:6] == ["指标", "标准", "本县值", "是否达标", "分子", "分母"]
    by_name = {row[0]: row for row in summary if row and row[0] in NAMES.values()}
    assert len(by_name) == len(result["indicators"])
    for indicator_id, figure in result["indicators"].items():
        row = by_name[NAMES[indicator_id]]
        passed = {True: "是", False: "否", None: "—"}[figure["pass"]]
        assert row[3] == passed
        if "schools" not in figure:
            assert row[2] == figure["value"] and row[4:6] == [figure["numerator"],
                                                              figure["denominator"]]
            continue
        assert row[8:10] == [figure["cv"], figure["cv_threshold"]]
        units = {r[0]: r for r in sheets[NAMES[indicator_id][:31]] if r and r[0] in
                 figure["schools"]}
        assert {code: r[5] for code, r in units.items()} == figure["schools"]
        for code, unit in figure["units"].items():
            assert units[code][1:5] == [unit["name"], unit["students"], unit["counted"],
                                        unit["teachers"]]
        cv_row = next(r for r in sheets[NAMES[indicator_id][:31]] if r and r[0] == "差异系数")
        assert cv_row[1] == figure["cv"] and cv_row[3] == figure["cv_threshold"]


def write_xlsx(runner, tmp_path, county="500231"):
    path = tmp_path / "indicators.xlsx"
    outcome = runner.invoke(args=["indicators", "--county", county, "--year", "2025",
                                  "--format", "xlsx", "--output", str(path)])
    assert outcome.exit_code == 0, outcome.output
    return path


def test_sample_workbook_holds_the_same_figures(app, runner, tmp_path):
    import_sample("county-small")
    path = write_xlsx(runner, tmp_path)
    assert_workbook_holds(read_workbook(path), indicators_json(runner))


def test_workbook_of_a_small_county(runner, make, tmp_path):
    county = make.county()
    school = make.school(county, stage="nine_year", locale="rural")
    make.stats(school, primary=120, junior=60)
    make.teacher(school, backbone="county", subject="pe")
    make.exchange(make.teacher(school, section="junior", education="bachelor"))
    make.training(make.teacher(school, started_teaching_on=date(2025, 9, 1)), hours=72)
    result = indicators_json(runner, county.code)
    path = write_xlsx(runner, tmp_path, county.code)
    assert_workbook_holds(read_workbook(path), result)


def test_xlsx_needs_an_output_file(runner, make):
    county = make.county()
    outcome = runner.invoke(args=["indicators", "--county", county.code, "--year", "2025",
                                  "--format", "xlsx"])
    assert outcome.exit_code == 2 and "--output" in outcome.stderr


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                    reason="LibreOffice is not installed")
def test_workbook_converts_headless_in_libreoffice(runner, make, tmp_path):
    county = make.county()
    make.stats(make.school(county), primary=100)
    path = write_xlsx(runner, tmp_path, county.code)
    office = shutil.which("soffice") or shutil.which("libreoffice")
    done = subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir",
                           str(tmp_path), str(path)], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "indicators.pdf").stat().st_size > 0


def test_workbook_of_a_stored_result_without_unit_detail(tmp_path):
    """A snapshot holds the §4 object as stored: the workbook needs nothing beyond it."""
    from webapp.services.indicators import write_workbook

    result = json.loads((SAMPLES / "county-small-messy.expected.json").read_text("utf-8"))
    write_workbook(result, tmp_path / "stored.xlsx")
    sheets = read_workbook(tmp_path / "stored.xlsx")
    figure = result["indicators"]["backbone_per_100_primary"]
    rows = {r[0]: r for r in sheets[NAMES["backbone_per_100_primary"]] if r and r[0] in
            figure["schools"]}
    assert {code: r[5] for code, r in rows.items()} == figure["schools"]
    assert rows["5002310002"][6] == "否" and rows["5002310001"][6] == "是"


def test_workbook_of_a_county_without_units(runner, make, tmp_path):
    county = make.county()
    sheets = read_workbook(write_xlsx(runner, tmp_path, county.code))
    summary = {row[0]: row for row in sheets["指标汇总"] if row and row[0] in NAMES.values()}
    assert summary[NAMES["backbone_per_100_junior"]][2:6] == [None, "否", 0, 0]
    assert summary[NAMES["exchange_ratio"]][2:6] == [None, "否", 0, 0]
    assert summary[NAMES["pairing_coverage"]][3] == "—"
