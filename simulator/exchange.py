"""Files for the exchange formats: MSEL spreadsheets (.xlsx, .csv) in and out, RACI charts out.

The mappings live in `msel.py` and `raci.py`; this module only reads and writes files and turns
cell errors into `FILE:SHEET:ROW:COL: message` lines (CSV has no sheet: `FILE:ROW:COL: message`).
"""

from __future__ import annotations

import csv
import io
import os
from typing import Any

from .errors import UserError
from .textsafe import defuse_formula, restore_formula
from .yamlsrc import LoadError, Mark

SHEET = "MSEL"


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:  # an optional extra: say how to get it rather than fail
        raise UserError("reading and writing .xlsx needs openpyxl: pip install 'ttx-tabletop[msel]' (or use a .csv file)") from None
    return openpyxl


def read_rows(path: str) -> tuple[str | None, list[list[Any]]]:
    """(sheet name or None for CSV, rows of cell values)."""
    if not os.path.exists(path):
        raise UserError(f"{path}: no such file")
    if path.lower().endswith(".csv"):
        with open(path, encoding="utf-8-sig", newline="") as f:
            return None, [[restore_formula(c) for c in r] for r in csv.reader(f)]
    if not path.lower().endswith((".xlsx", ".xlsm")):
        raise UserError(f"{path}: expected an .xlsx or .csv MSEL file")
    openpyxl = _openpyxl()
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # a corrupt or non-xlsx file: one clear line, never a traceback
        raise UserError(f"{path}: not a readable .xlsx workbook ({type(e).__name__})") from None
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        return ws.title, [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def write_rows(rows: list[list[str]], path: str | None) -> bytes | str:
    """The rows as CSV text (no path, or a .csv path) or .xlsx bytes."""
    if path is None or path.lower().endswith(".csv"):
        buf = io.StringIO()
        # cells stay exact for our import, but a spreadsheet opening the CSV never runs one as a formula
        csv.writer(buf, lineterminator="\n").writerows([defuse_formula(c) for c in r] for r in rows)
        return buf.getvalue()
    openpyxl = _openpyxl()
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("="):
                c.data_type = "s"  # file text stays text: never a formula in the facilitator's Excel
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in ws.iter_rows(min_row=2):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    widths = {"Inject": 60, "Expected Player Action": 50, "Questions": 50, "Event Synopsis": 24}
    for i, name in enumerate(rows[0], start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = widths.get(name, 14)
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write(data: bytes | str, path: str | None) -> None:
    if path is None:
        import sys

        sys.stdout.write(data if isinstance(data, str) else data.decode("latin-1"))
        return
    from .files import write_atomic

    write_atomic(path, data)


def export_msel(scenario_path: str, output: str | None) -> None:
    from .loading import load
    from .msel import scenario_to_rows

    loaded = load(scenario_path, "scenario")  # only a valid scenario is exported
    if output is not None and not output.lower().endswith((".csv", ".xlsx")):
        raise UserError(f"{output}: an MSEL export is written as .xlsx or .csv")
    _write(write_rows(scenario_to_rows(loaded.doc.data, loaded.value), output), output)


def import_msel(path: str, output: str | None) -> str:
    """The scenario YAML of an MSEL file, validated; raises LoadError positioned in the sheet."""
    from .loading import load_text
    from .msel import rows_to_scenario, scenario_yaml

    sheet, rows = read_rows(path)
    doc, errors = rows_to_scenario(rows)
    where = f"{path}:{sheet}" if sheet else path
    if errors:
        e0 = errors[0]
        err = LoadError(where, e0.message, Mark(e0.row, e0.col))
        err.others = [LoadError(where, e.message, Mark(e.row, e.col)) for e in errors[1:]]  # type: ignore[attr-defined]
        raise err
    text = scenario_yaml(doc)
    try:
        load_text(output or "imported.yaml", text, "scenario")
    except LoadError as e:
        row = _row_of(str(e), doc)
        raise LoadError(where, _after_position(str(e)), Mark(row, 1)) from None
    return text


def _after_position(message: str) -> str:
    """'file:3:5: injects[0]...: msg' -> 'injects[0]...: msg'."""
    parts = message.split(": ", 1)
    return parts[1] if len(parts) == 2 else message


def _row_of(message: str, doc: dict[str, Any]) -> int:
    """The sheet row a loader error points at: settings and stakeholders first, then events."""
    import re

    n_settings = sum(1 for k in doc if k not in ("stakeholders", "injects", "curveballs"))
    n_stake = len(doc.get("stakeholders") or {})
    n_inj = len(doc.get("injects") or [])
    m = re.search(r"\binjects\[(\d+)\]", message)
    if m:
        return 2 + n_settings + n_stake + int(m.group(1))
    m = re.search(r"\bcurveballs\[(\d+)\]", message)
    if m:
        return 2 + n_settings + n_stake + n_inj + int(m.group(1))
    m = re.search(r"\bstakeholders\.([\w-]+)", message)
    if m and m.group(1) in (doc.get("stakeholders") or {}):
        return 2 + n_settings + list(doc["stakeholders"]).index(m.group(1))
    return 2


def export_raci(runbook_path: str, output: str | None) -> None:
    from .loading import load
    from .raci import chart, to_csv, to_html, to_markdown

    rb = load(runbook_path, "runbook").value
    c = chart(rb)
    ext = (output or ".md").lower().rsplit(".", 1)[-1]
    render = {"md": to_markdown, "html": to_html, "htm": to_html, "csv": to_csv}.get(ext)
    if render is None:
        raise UserError(f"{output}: a RACI chart is written as .md, .html or .csv")
    _write(render(c), output)
