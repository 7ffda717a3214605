"""MSEL exchange and RACI charts: every shipped scenario survives export and import unchanged, bad
cells are reported by sheet, row and column, and the RACI chart says who answers for what."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.loading import load, load_text
from simulator.msel import rows_to_scenario, scenario_to_rows

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_shipped_scenario_round_trips_through_the_msel_rows(path):
    loaded = load(str(path), "scenario")
    doc, errors = rows_to_scenario(scenario_to_rows(loaded.doc.data))
    assert not errors
    from simulator.msel import scenario_yaml

    assert load_text("x.yaml", scenario_yaml(doc), "scenario").value == loaded.value


@pytest.mark.parametrize("ext", ["xlsx", "csv"])
def test_msel_files_round_trip_through_the_command_line(tmp_path, ext, capsys):
    pytest.importorskip("openpyxl")
    for path in SCENARIOS[:4]:
        sheet, back = tmp_path / f"{path.stem}.{ext}", tmp_path / f"{path.stem}.yaml"
        assert main(["export", str(path), "--format", "msel", "-o", str(sheet)]) == 0
        assert main(["import", "msel", str(sheet), "-o", str(back)]) == 0
        assert load(str(back)).value == load(str(path)).value


def test_bad_cells_are_reported_by_sheet_row_and_column(tmp_path, capsys):
    pytest.importorskip("openpyxl")
    sheet = tmp_path / "plan.xlsx"
    assert main(["export", str(ROOT / "scenarios" / "bec-wire-fraud.yaml"), "-f", "msel", "-o", str(sheet)]) == 0
    import openpyxl

    wb = openpyxl.load_workbook(sheet)
    ws = wb["MSEL"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value == "Inject")
    ws.cell(row, 9).value = "{notify: ceo, within: 30m\n"          # an unclosed mapping
    ws.cell(row + 1, 2).value = "Injekt"                            # a typo in Event Type
    wb.save(sheet)
    capsys.readouterr()
    assert main(["import", "msel", str(sheet)]) == 1
    err = capsys.readouterr().err
    assert f"plan.xlsx:MSEL:{row}:9: Expected Player Action: not a YAML mapping" in err
    assert f"plan.xlsx:MSEL:{row + 1}:2: unknown Event Type 'Injekt'" in err
    assert "Traceback" not in err


def test_a_scenario_error_points_at_the_inject_row(tmp_path, capsys):
    csv_path = tmp_path / "plan.csv"
    assert main(["export", str(ROOT / "scenarios" / "bec-wire-fraud.yaml"), "-f", "msel", "-o", str(csv_path)]) == 0
    text = csv_path.read_text().replace("{within: sla.acknowledge}", "{within: soon}", 1)
    csv_path.write_text(text)
    import csv

    rows = list(csv.reader(text.splitlines(keepends=True)))
    row = next(i for i, r in enumerate(rows, start=1) if r[1] == "Inject")  # a spreadsheet row, not a text line
    capsys.readouterr()
    assert main(["import", "msel", str(csv_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{csv_path}:{row}:1: injects[0].expects[0]"), err


def test_raci_chart_names_who_answers_for_command_comms_tasks_and_decisions(capsys):
    assert main(["export", str(ROOT / "scenarios" / "runbooks" / "sentinel-247.yaml"), "-f", "raci"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# RACI: Sentinel 24x7 MDR (sentinel-247)") and "| Incident command | command |" in out
    from simulator.raci import chart, to_csv

    c = chart(load(str(ROOT / "scenarios" / "runbooks" / "sentinel-247.yaml")).value)
    command = c.lines[0]
    assert command.activity == "Incident command" and command.accountable == ("Duty incident manager (duty_manager)",)
    recall = next(x for x in c.lines if x.activity == "request-wire-recall")
    assert recall.kind == "decision" and recall.accountable == ("finance_lead",)  # the account holder decides
    isolate = next(x for x in c.lines if x.activity == "isolate-host")
    # a name with its own bracket takes the key inside it, as every other view names people
    assert isolate.responsible == ("SOC analyst (on shift; soc_analyst)", "backup: SOC lead (on call; soc_lead)")
    harbor = chart(load(str(ROOT / "scenarios" / "runbooks" / "harbor-internal-vcio.yaml")).value)
    # the office-hours IT manager commands; at night the sysadmin on call stands in: the chart says so
    assert harbor.lines[0].responsible == ("IT manager (it_manager)", "backup: Sysadmin on call (sysadmin_oncall)")
    assert to_csv(c).startswith("Activity,Kind,Playbook,Responsible,Accountable,Consulted,Informed\n")


def test_raci_html_is_self_contained_and_escapes_file_text(tmp_path):
    src = (ROOT / "scenarios" / "runbooks" / "dale-breakfix.yaml").read_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text(src.replace("provider: Dale Okafor IT (solo break-fix consultant)", "provider: \"<script>alert(1)</script>\""))
    out = tmp_path / "raci.html"
    assert main(["export", str(bad), "-f", "raci", "-o", str(out)]) == 0
    html = out.read_text()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "http" not in html.replace("http-equiv", "")  # nothing fetched from anywhere


def test_text_that_looks_like_a_formula_stays_text_in_xlsx(tmp_path):
    pytest.importorskip("openpyxl")
    src = (ROOT / "scenarios" / "bec-wire-fraud.yaml").read_text()
    sc = tmp_path / "f.yaml"
    sc.write_text(src.replace("title: Business email compromise", "title: \"=HYPERLINK(\\\"http://x\\\")\" #", 1))
    out, back = tmp_path / "f.xlsx", tmp_path / "f2.yaml"
    assert main(["export", str(sc), "-f", "msel", "-o", str(out)]) == 0
    import openpyxl

    ws = openpyxl.load_workbook(out)["MSEL"]
    cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=HYPERLINK"))
    assert cell.data_type == "s"
    assert main(["import", "msel", str(out), "-o", str(back)]) == 0
    assert load(str(back)).value.title == load(str(sc)).value.title


def test_without_openpyxl_an_xlsx_gets_one_clear_line(tmp_path, capsys, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_openpyxl(name, *a, **k):
        if name == "openpyxl" or name.startswith("openpyxl."):
            raise ImportError(name)
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_openpyxl)
    rc = main(["export", str(ROOT / "scenarios" / "bec-wire-fraud.yaml"), "-f", "msel", "-o", str(tmp_path / "x.xlsx")])
    err = capsys.readouterr().err
    assert rc == 1 and "pip install 'ttx-tabletop[msel]'" in err and "Traceback" not in err
    assert main(["export", str(ROOT / "scenarios" / "bec-wire-fraud.yaml"), "-f", "msel", "-o", str(tmp_path / "x.csv")]) == 0


def test_msel_notes_give_each_event_its_local_wall_clock_time(capsys):
    assert main(["export", str(ROOT / "scenarios" / "holiday-night-ransomware.yaml"), "-f", "msel"]) == 0
    import csv

    rows = list(csv.reader(capsys.readouterr().out.splitlines(keepends=True)))
    notes = {r[3]: r[-1] for r in rows if r[1] == "Inject"}
    assert notes["dispatch-encrypted"] == "Thu 31 Dec 2026 23:40 CST"
    assert notes["rota-arrives"] == "Fri 01 Jan 2027 06:00 CST"  # New Year's Day: the holiday the scenario tests


def test_raci_defuses_formulas_and_shows_bidi_overrides_in_every_format(tmp_path):
    """A hostile runbook's role name: a spreadsheet formula and a right-to-left override (U+202E)."""
    src = (ROOT / "scenarios" / "runbooks" / "dale-breakfix.yaml").read_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text(src.replace("name: Dale (consultant)", 'name: "=HYPERLINK(1) \\u202eevil"'))
    outs = {}
    for ext in ("csv", "md", "html"):
        out = tmp_path / f"raci.{ext}"
        assert main(["export", str(bad), "-f", "raci", "-o", str(out)]) == 0
        outs[ext] = out.read_text()
    assert "\u202e" not in "".join(outs.values())
    assert "<U+202E>evil" in outs["csv"] and "&lt;U+202E&gt;evil" in outs["html"] and "\\<U+202E\\>evil" in outs["md"]
    rows = list(csv.reader(io.StringIO(outs["csv"])))
    cells = [c for row in rows[1:] for c in row if "HYPERLINK" in c]
    assert cells and all(c.startswith("'=") for c in cells)  # text in a spreadsheet, never a formula


def test_msel_csv_never_hands_a_spreadsheet_a_formula_and_still_round_trips(tmp_path, capsys):
    """A hostile scenario text (`=HYPERLINK(...)`) is a formula to Excel when a CSV cell starts with it."""
    import csv

    src = (ROOT / "scenarios" / "bec-wire-fraud.yaml").read_text()
    src = src.replace("title: Business email compromise", 'title: "=HYPERLINK(\\"http://x.test\\",\\"open\\")"\n# was', 1)
    src = src.replace("summary: Late on a Friday,", "summary: \"'-- a quoted aside\"\n# was", 1)
    scenario = tmp_path / "hostile.yaml"
    scenario.write_text(src)
    sheet, back = tmp_path / "plan.csv", tmp_path / "back.yaml"
    assert main(["export", str(scenario), "-f", "msel", "-o", str(sheet)]) == 0
    cells = [c for r in csv.reader(io.StringIO(sheet.read_text())) for c in r]
    assert "'=HYPERLINK(\"http://x.test\",\"open\")" in cells and "''-- a quoted aside" in cells
    assert not any(c[:1] in "=+-@" and c for c in cells)
    assert main(["import", "msel", str(sheet), "-o", str(back)]) == 0
    assert load(str(back)).value == load(str(scenario)).value


def test_raci_html_is_the_reports_page_in_parts_of_the_response(tmp_path):
    """The RACI page wears the reports' style (their CSS and CSP) and reads by part: command, communication,
    each playbook; on a phone each activity is a card whose cells say which letter they are."""
    from scoring.markup import CSP, CSS

    out = tmp_path / "raci.html"
    assert main(["export", str(ROOT / "scenarios" / "runbooks" / "sentinel-247.yaml"), "-f", "raci", "-o", str(out)]) == 0
    page = out.read_text()
    assert CSS in page and f'content="{CSP}"' in page and "<h1>RACI: Sentinel 24x7 MDR (sentinel-247)</h1>" in page
    heads = re.findall(r"<h2>(.*?)</h2>", page)
    assert heads[:3] == ["Incident command", "Communication", "Playbook: ransomware"]
    assert ('<tr><td>isolate-host</td><td data-label="Responsible">SOC analyst (on shift; soc_analyst); backup: SOC lead '
            '(on call; soc_lead)</td><td data-label="Accountable">Duty incident manager (duty_manager)</td><td></td><td></td></tr>') in page
