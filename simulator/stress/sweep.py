"""When a night starts (SPEC section 12 `--starts`): every hour of the scenario's week, or its own start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ..record import record
from ..timing import WEEKDAYS, zone

DAY_NAMES = tuple(d.capitalize() for d in WEEKDAYS)


@record
class Start:
    local: datetime  # naive wall-clock time in the scenario's zone

    @property
    def key(self) -> str:
        """The start's identity in draws, results and headers: its local ISO time."""
        return self.local.isoformat()

    @property
    def day(self) -> int:
        return self.local.weekday()

    @property
    def hour(self) -> int:
        return self.local.hour

    @property
    def label(self) -> str:
        return f"{DAY_NAMES[self.day]} {self.local:%H:%M}"


def exists(local: datetime, tz_name: str) -> bool:
    """False for a wall-clock time the clocks skip (the spring-forward hour)."""
    tz = zone(tz_name)
    back = local.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    return back == local


def week(starts: datetime, tz_name: str) -> tuple[tuple[Start, ...], tuple[str, ...]]:
    """Monday 00:MM to Sunday 23:MM of the week holding `starts`, keeping its minute (and second).

    Returns the starts and, for each hour that does not exist on a DST day, a sentence saying so.
    """
    monday = (starts - timedelta(days=starts.weekday())).replace(hour=0)
    out, skipped = [], []
    for i in range(7 * 24):
        local = monday + timedelta(hours=i)  # naive arithmetic: wall-clock hours, as a person counts them
        if exists(local, tz_name):
            out.append(Start(local))
        else:
            skipped.append(f"{DAY_NAMES[local.weekday()]} {local:%d %b %H:%M} does not exist in {tz_name} "
                           "(the clocks go forward): skipped")
    return tuple(out), tuple(skipped)


def own(starts: datetime) -> tuple[tuple[Start, ...], tuple[str, ...]]:
    return (Start(starts),), ()
