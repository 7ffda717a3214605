"""The key footer: the keys each screen offers, on as many rows as 80 columns need, and a click presses one."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from simulator.tui.footer import KeyFooter

from .pilot import exercise, sync


def footer_rows(app) -> list[str]:
    """The footer's rows as the facilitator reads them."""
    footer = app.screen.query_one(KeyFooter)
    return [line.rstrip() for line in footer.render().plain.split("\n")]


async def click_key(pilot, label: str) -> None:
    """Click the middle of a key hint, found by its text as shown."""
    for y, row in enumerate(footer_rows(pilot.app)):
        if label in row:
            await pilot.click(KeyFooter, offset=(row.index(label) + len(label) // 2, y))
            return
    raise AssertionError(f"{label!r} is not in the footer: {footer_rows(pilot.app)}")


@sync
async def test_every_key_of_the_exercise_shows_at_80x24_and_a_click_presses_it(tmp_path):
    async with exercise(tmp_path / "f.ttx.jsonl", size=(80, 24), step=False) as (app, pilot):
        rows = footer_rows(app)
        assert rows == [" ? Help    space Run  s Step    a Ack       p Page  w Answer  n Notify",
                        " u Update  t Act      d Decide  r Resolved  f Note  v Score   q Quit"]
        footer = app.screen.query_one(KeyFooter)
        assert (footer.region.y, footer.region.height) == (22, 2)  # the last two rows of the terminal
        await click_key(pilot, "s Step")
        await pilot.pause()
        assert app.session.current_inject().id == "edr-alert"
        await click_key(pilot, "v Score")
        await pilot.pause()
        # the results screen's own keys, with room for the command palette's at the right of the second row
        assert type(app.screen).__name__ == "ResultsScreen"
        rows = footer_rows(app)
        assert rows[0].split() == ["⏎", "Why", "?", "Help", "esc", "Back", "l", "Log", "w", "Week"]
        assert rows[1].split() == ["j", "JSON", "c", "CSV", "m", "Markdown", "h", "HTML", "q", "Quit", "▏^p", "palette"]
        assert len(rows[1]) == 79  # the palette key ends one column short of the edge, as Textual's does
        await click_key(pilot, "^p palette")
        await pilot.pause()
        assert type(app.screen).__name__ == "CommandPalette"
        await pilot.press("escape", "escape")  # the palette, then the results
        await pilot.pause()
        assert type(app.screen).__name__ == "ExerciseScreen"
        assert footer_rows(app)[0].startswith(" ? Help    space Run  s Step")


@sync
async def test_one_row_with_the_palette_key_at_the_right_when_the_keys_fit(tmp_path):
    async with exercise(tmp_path / "f.ttx.jsonl", size=(160, 30), step=False) as (app, pilot):
        (row,) = footer_rows(app)
        assert row.startswith(" ? Help  space Run  s Step  a Ack  p Page  w Answer  n Notify  u Update  t Act")
        assert row.endswith("v Score  q Quit") is False and row.endswith("▏^p palette")
        assert len(row) == 159
        await pilot.resize_terminal(80, 24)  # narrower: two rows, the board gives up a row
        await pilot.pause()
        assert len(footer_rows(app)) == 2 and app.screen.query_one(KeyFooter).region.height == 2
        await pilot.resize_terminal(160, 30)
        await pilot.pause()
        assert footer_rows(app) == [row]


class Pane(Widget, can_focus=True):
    DEFAULT_CSS = "Pane { height: 3; }"

    def __init__(self, key: str, label: str, id: str) -> None:
        super().__init__(id=id)
        self._bindings.bind(key, f"app.pressed('{key}')", label)


class Ask(ModalScreen[None]):
    BINDINGS = [Binding("y", "dismiss", "Yes")]

    def compose(self) -> ComposeResult:
        yield Static("Sure?")


class Focusing(App[None]):
    """Keys that depend on the focus and on the app's state, as a screen's footer must follow them."""

    BINDINGS = [Binding("g", "go", "Go"), Binding("h", "hidden", "Hidden", show=False), Binding("m", "ask", "Ask")]

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []
        self.can_go = True

    def compose(self) -> ComposeResult:
        yield Pane("x", "Cut", id="left")
        yield Pane("z", "Zoom", id="right")
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "go" and not self.can_go else True  # None: shown, dimmed, does nothing

    def action_pressed(self, key: str) -> None:
        self.pressed.append(key)

    def action_go(self) -> None:
        self.pressed.append("g")

    def action_ask(self) -> None:
        self.push_screen(Ask())


@sync
async def test_the_footer_follows_the_focus_disabled_keys_and_modal_screens():
    app = Focusing()
    async with app.run_test(size=(80, 10)) as pilot:
        app.query_one("#left").focus()
        await pilot.pause()
        assert footer_rows(app)[0].split()[:2] == ["x", "Cut"] and "Zoom" not in footer_rows(app)[0]
        assert "Hidden" not in footer_rows(app)[0]
        app.query_one("#right").focus()
        await pilot.pause()
        assert footer_rows(app)[0].split()[:2] == ["z", "Zoom"] and "Cut" not in footer_rows(app)[0]
        await click_key(pilot, "z Zoom")
        await click_key(pilot, "g Go")
        await pilot.pause()
        assert app.pressed == ["z", "g"]
        app.can_go = False
        app.refresh_bindings()
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        go = next(p.key for p in footer._placed if p.key.description == "Go")
        assert not go.enabled  # drawn dimmed
        await click_key(pilot, "g Go")  # a bell, not the action
        await pilot.pause()
        assert app.pressed == ["z", "g"]
        await click_key(pilot, "m Ask")
        await pilot.pause()
        assert isinstance(app.screen, Ask)
        await pilot.press("y")
        await pilot.pause()
        assert footer_rows(app)[0].split()[:2] == ["z", "Zoom"]  # back on the screen, its keys as they were
