"""The results screen: scorecard, HSEEP ratings, findings, promised vs delivered, and exports."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from scoring.findings import Finding
from scoring.played import Played
from scoring.promised import Promise
from scoring.rubric import RATING_WORDS
from scoring.scorecard import Scorecard
from simulator.filenames import export_path, shown
from simulator.transcript import write_atomic
from simulator.wording import Names, obligation_words, reason_words

from .footer import KeyFooter
from .panel import Panel
from .scoreboard import SHORT, PromiseTable
from .text import RATING_STYLE, RICH_STATUS, lit, rtext, span

FORMATS = {"j": "json", "c": "csv", "m": "md", "h": "html"}
SEVERITY_STYLE = {"high": "bold $error", "medium": "bold $warning"}


class Findings(Panel):
    """The findings, each wrapped under its own words (not under the severity), the question to ask below it."""

    INDENT = 7  # "MEDIUM "

    def __init__(self, findings: tuple[Finding, ...], id: str | None = None):
        self.findings = findings
        body = Content("\n\n").join(Content.assemble((f"{f.severity.upper():<7}", SEVERITY_STYLE.get(f.severity, "bold")), lit(f.message),
                                                      "\n", ("   ask ", "$text-muted"), lit(f.question, "italic"))
                                     for f in findings) if findings else Content.styled("No findings.", "$text-muted")
        super().__init__(body, id=id)

    def fitted(self, width: int) -> Content:
        indent = self.INDENT
        if not self.findings or width <= indent + 8:
            return self.body
        lines: list[Content] = []
        for line in self.body.split("\n"):
            first, *rest = line[indent:].wrap(width - indent) or [Content("")]
            lines += [line[:indent] + first, *(Content(" " * indent) + more for more in rest)]
        return Content("\n").join(lines)


class ObligationTable(DataTable):
    """The obligations, one a row. The reason under it grows and shrinks with the row under the cursor: the
    table, made shorter, keeps that row in view (a DataTable scrolls to its cursor only when the cursor moves)."""

    def on_resize(self) -> None:
        self._scroll_cursor_into_view()


class ResultsScreen(Screen):
    DEFAULT_CSS = """
    #results-head { height: 1; background: $panel; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    #results-top { height: auto; max-height: 9; }
    #hseep, #results-promises {
        width: 1fr;
        padding: 0 1;
        border: round $primary-darken-1;
        border-title-color: $accent;
        border-title-style: bold;
        height: auto;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    /* the table with the selected obligation's reason whole under it; 80x24: the obligations before the findings */
    #results-obligations { height: 1fr; min-height: 6; padding: 0; }
    ResultsScreen.-short #results-obligations { height: 5fr; }
    /* no sideways scrollbar (it took one of the table's rows at 80x24): a cell is cut at the edge */
    #results-table { height: 1fr; padding: 0; overflow-x: hidden; }
    /* the reason of the row under the cursor, wrapped: read aloud without Enter (85% of the shipped reasons take
       two lines at 80 columns, 94% three: the most at 80x24, so that the table keeps four rows) */
    #results-why { width: 100%; height: auto; max-height: 6; padding: 0 1; background: $boost; }
    ResultsScreen.-short #results-why { max-height: 3; }
    #findings { height: 1fr; min-height: 4; padding: 0 1; }
    ResultsScreen.-short #findings { height: 2fr; min-height: 3; }
    """

    BINDINGS = [
        Binding("question_mark", "app.help", "Help"),
        Binding("escape", "back", "Back"),
        # priority: before the table's own Enter (unlisted), so the footer shows how to read a reason in full
        Binding("enter", "detail", "Why", priority=True),
        Binding("l", "transcript", "Log"),
        Binding("w", "week", "Week"),
        Binding("j", "export('json')", "JSON"),
        Binding("c", "export('csv')", "CSV"),
        Binding("m", "export('md')", "Markdown"),
        Binding("h", "export('html')", "HTML"),
    ]

    def __init__(self, card: Scorecard, promises: list[Promise], played: Callable[[], Played], path: str,
                 heading: str = "Scorecard", names: Names | None = None):
        super().__init__()
        self.card, self.promises, self.played, self.path = card, promises, played, path
        self.names = names or Names()  # stakeholders and roles by the files' names
        self.heading = heading
        self._filled = 0  # the screen width the table was filled for

    def compose(self) -> ComposeResult:
        card = self.card
        head = Content.assemble(
            (f"{self.heading}  ", "bold"), lit(card.scenario.title, "bold $accent"), ("  vs  ", "$text-muted"),
            lit(card.runbook.provider, "bold"), (f"  ({card.mode})", "$text-muted"))
        yield Static(head, id="results-head")
        with Horizontal(id="results-top"):
            nothing = card.nothing_due()
            cats = [Content.assemble(("Overall  ", "bold"), ("     — ", "bold"), (nothing, "$text-muted")) if nothing else
                    Content.assemble(("Overall  ", "bold"), (f"{card.overall:6.2f} ", "bold"), (card.rating, RATING_STYLE[card.rating]),
                                     (f" {RATING_WORDS[card.rating]}", "$text-muted"))]
            for c in card.categories:
                cats.append(Content.assemble((f"{SHORT.get(c.name, c.name):<9}", ""), (f"{c.score:6.2f} ", ""),
                                             (c.rating, RATING_STYLE[c.rating]), (f"  weight {c.weight:g}", "$text-muted")))
            hseep = Static(Content("\n").join(cats), id="hseep")
            hseep.border_title = "HSEEP ratings"
            yield hseep
            promised = PromiseTable(self.promises, id="results-promises")
            promised.border_title = "Promised vs delivered"
            yield promised
        with Vertical(id="results-obligations"):
            yield ObligationTable(id="results-table", zebra_stripes=True, cursor_type="row")
            yield Static(id="results-why")
        yield Findings(card.findings, id="findings")
        yield KeyFooter()

    WHY_COLUMN = 40  # the table's own "why" column only where it has this much room (else 4 columns at 80)

    def on_mount(self) -> None:
        self.query_one("#results-obligations").border_title = "Obligations"
        findings = self.query_one("#findings")
        findings.border_title = f"Findings ({len(self.card.findings)})"
        findings.border_subtitle = Content.assemble("transcript ", lit(self.path))  # where the exports are written
        self._fill(self.app.size.width)
        self.query_one("#results-table", DataTable).focus()
        self.call_after_refresh(self._show_why)  # once the strip has its width

    def _fill(self, screen_width: int) -> None:
        """The table's columns and rows for a screen this wide (again on a resize: a terminal moved to the
        projector), the cursor kept on its row."""
        if screen_width == self._filled:
            return
        self._filled = screen_width
        table = self.query_one("#results-table", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        names = [obligation_words(r.kind, r.target, self.names) for r in self.card.results]  # as the report names them
        # names run long ("Keep updating Dana (IT manager), client_it_lead"): at 80 columns status and credit stay in
        # view, stakeholders by name alone ("Notify Dana (IT manager)", as the board's panel has them), and a name
        # longer still is cut (Enter shows it whole)
        room = max(24, screen_width - 48)
        if max(map(len, names), default=0) > room:
            names = [obligation_words(r.kind, r.target, self.names, keys=False) for r in self.card.results]
        width = min(max(map(len, names), default=10), room)
        table.add_column("obligation", width=width)
        table.add_columns("due", "done", "status", "credit")
        rows = [[rtext(name), span(r.due), span(r.done_at), rtext(r.status_summary(), RICH_STATUS.get(r.status, "")),
                 f"{r.credit:.2f}" if r.scored else "—"] for r, name in zip(self.card.results, names)]
        # the reason whole is under the table (`_show_why`); a column beside it as well where it reads as one
        cells = [max([len(head), *(len(str(row[c])) for row in rows)]) + 2  # each column with its padding
                 for c, head in enumerate(("due", "done", "status", "credit"), start=1)]
        why = screen_width - 2 - (width + 2) - sum(cells) >= self.WHY_COLUMN  # 2: the border
        if why:
            table.add_column("why")
        for r, row in zip(self.card.results, rows):  # the why without the name again
            table.add_row(*row, *([rtext(reason_words(r.kind, r.target, r.reason), "dim")] if why else []))
        if cursor > 0:
            table.move_cursor(row=cursor)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_why()

    def on_resize(self) -> None:
        self._fill(self.app.size.width)
        self.call_after_refresh(self._show_why)

    def _show_why(self) -> None:
        """The reason of the obligation under the cursor, whole and wrapped, under the table. A reason longer than
        the strip (one in sixteen of the shipped ones at 80x24) ends its last line with "… Enter: whole"."""
        i = self.query_one("#results-table", DataTable).cursor_row
        if not 0 <= i < len(self.card.results):
            return
        r, strip = self.card.results[i], self.query_one("#results-why", Static)
        why = Content.assemble(("why ", "bold $text-muted"), lit(reason_words(r.kind, r.target, r.reason)))
        width, most = strip.content_region.width, strip.styles.max_height
        lines = why.wrap(width) if width > 0 else [why]
        if most is not None and len(lines) > int(most.value):
            more = Content.styled(" … Enter: whole", "bold $warning")
            keep = lines[:int(most.value)]
            keep[-1] = keep[-1].truncate(max(0, width - more.cell_length)) + more
            why = Content("\n").join(keep)
        strip.update(why)

    def action_back(self) -> None:
        self.app.pop_screen()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_detail(event.cursor_row)

    def action_detail(self, row: int | None = None) -> None:
        """The whole obligation: the reason in full (wrapped, to read aloud), windows, half-credit causes, evidence."""
        table = self.query_one("#results-table", DataTable)
        i = table.cursor_row if row is None else row
        if not 0 <= i < len(self.card.results):
            return
        from .detail import ObligationDetail

        self.app.push_screen(ObligationDetail(self.card, self.card.results[i], self.played().events, self.names))

    def action_transcript(self) -> None:
        events = self.played().events
        if events is None:
            self.app.notify("No transcript to show.", severity="warning")
            return
        from .detail import TranscriptView

        self.app.push_screen(TranscriptView(list(events), self.path, self.card.scenario.clock(), self.names))

    def action_week(self) -> None:
        """The week heat map of this scenario and runbook (SPEC section 12), to show the candidate."""
        played = self.played()
        if played.scenario is None or played.runbook is None:
            self.app.notify("No scenario and runbook to play the week with.", severity="warning")
            return
        from .week import WeekScreen

        self.app.push_screen(WeekScreen(played.scenario, played.runbook))

    def action_export(self, fmt: str) -> None:
        from scoring.exports import export

        out = export_path(self.path, fmt)
        try:
            text = export(self.played(), fmt)
        except ImportError:
            self.app.notify(f"{fmt.upper()} reports are not available in this build yet; JSON and CSV are.",
                            title="Export", severity="warning", timeout=6)
            return
        except Exception as e:  # a report bug must not lose the exercise: say so and keep going
            self.app.notify(f"{fmt} export failed: {type(e).__name__}: {e}", title="Export", severity="error", timeout=10)
            return
        try:
            write_atomic(out, text)
        except OSError as e:
            self.app.notify(f"cannot write {out}: {e.strerror or e}", title="Export", severity="error", timeout=10)
            return
        self.app.notify(f"wrote {shown(out)}", title=f"Exported {fmt.upper()}", timeout=6)
