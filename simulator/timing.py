"""Durations, hours calendars and the scenario clock (SPEC section 2).

Everything inside the engine is measured in whole seconds since the scenario
starts; this module is the only place that turns those into wall-clock times.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import attrs

from .record import record

MAX_SECONDS = 366 * 86400  # a year: anything longer is a typo, not a scenario
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# re.ASCII: `\d` alone also matches other scripts' digits (`٤٥m`), which int() would then read as 45
_COMPACT = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$", re.ASCII)
_ISO = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$", re.ASCII)
_BUSINESS = re.compile(r"^(\d+)bd$", re.ASCII)
_HHMM = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$", re.ASCII)
_LOCAL = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?", re.ASCII)
_BARE = re.compile(r"[-+]?\d+(\.\d+)?", re.ASCII)
# a wall-clock time as the board shows it: `06:25`, `6:25`, `Sun 06:25` (a weekday's first three letters or more)
_CLOCK_TIME = re.compile(r"(?:([a-z]{3,9})\.?\s+)?(\d{1,2}):(\d{2})", re.ASCII | re.I)
# A scenario's start, plus a horizon, a year of durations and 260 business days, must stay a date
# every zone can show (Python's dates end in 9999, and zones shift them by hours either way).
FIRST_YEAR, LAST_YEAR = 1900, 9000
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@record
class Duration:
    """A span of time: elapsed seconds, or a count of business days."""

    seconds: int = 0
    business_days: int = 0
    text: str = attrs.field(default="", eq=False)  # as the author wrote it, for messages

    def __str__(self) -> str:
        if self.text:
            return self.text
        if self.business_days:
            return f"{self.business_days}bd"
        return format_span(self.seconds)


def parse_duration(text: str) -> Duration:
    """Parse `90s`, `15m`, `1h30m`, `2d`, `PT15M` or `4bd`; raise ValueError otherwise."""
    raw = text.strip()
    m = _COMPACT.match(raw)
    if m is not None and m.lastindex:  # the usual `15m` or `1h30m`: none of the refusals below can apply
        d, h, mi, s = map(int, m.groups("0"))
        seconds = ((d * 24 + h) * 60 + mi) * 60 + s
        if seconds <= MAX_SECONDS:
            return Duration(seconds=seconds, text=raw)
    if not raw:
        raise ValueError("expected a duration like 15m, 1h30m, 2d, 4bd or PT15M; got an empty value")
    if _BARE.fullmatch(raw):
        raise ValueError(
            f"a bare number ({raw}) is ambiguous: write a unit, e.g. {raw}m or {raw}s"
        )
    if raw.startswith("-"):
        raise ValueError(f"a duration cannot be negative ({raw})")
    m = _BUSINESS.match(raw)
    if m:
        days = int(m.group(1))
        if days > 260:
            raise ValueError(f"{raw} is out of range (at most 260 business days)")
        return Duration(business_days=days, text=raw)
    m = _COMPACT.match(raw) if raw[0] in "0123456789" else _ISO.match(raw)
    if not m or not any(m.groups()):
        raise ValueError(
            f"expected a duration like 90s, 15m, 1h30m, 2d, 4bd or PT15M; got {raw!r}"
        )
    d, h, mi, s = (int(g) if g else 0 for g in m.groups())
    seconds = ((d * 24 + h) * 60 + mi) * 60 + s
    if seconds > MAX_SECONDS:
        raise ValueError(f"{raw} is out of range (at most 366 days)")
    return Duration(seconds=seconds, text=raw)


def format_span(seconds: int) -> str:
    """Compact span for people: 0m, 45s, 20m, 1h50m, 2d3h."""
    if seconds < 0:
        return "-" + format_span(-seconds)
    if seconds == 0:
        return "0m"
    d, rem = divmod(seconds, 86400)
    h, rem = divmod(rem, 3600)
    m, s = divmod(rem, 60)
    parts = [f"{d}d" if d else "", f"{h}h" if h else "", f"{m}m" if m else "", f"{s}s" if s else ""]
    return "".join(parts)


def parse_hhmm(text: str) -> int:
    """Minutes after midnight for "08:00"; "24:00" is allowed (end of day)."""
    m = _HHMM.match(text.strip())
    if not m or (m.group(1) == "24" and m.group(2) != "00"):
        raise ValueError(f'expected a time of day like "08:00" (00:00 to 24:00); got {text!r}')
    return int(m.group(1)) * 60 + int(m.group(2))


def parse_days(text: str | list[str]) -> frozenset[int]:
    """`mon-fri`, `sat,sun`, `[mon, wed]` or `daily` -> weekday numbers (Mon=0)."""
    items = text if isinstance(text, list) else [p for p in re.split(r"[,\s]+", text) if p]
    days: set[int] = set()
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"expected weekday names like mon-fri; got {item!r}")
        item = item.strip().lower()
        if item in ("daily", "all", "every day"):
            days.update(range(7))
            continue
        lo, sep, hi = item.partition("-")
        a = _weekday(lo)
        b = _weekday(hi) if sep else a
        if a < 0 or b < 0:
            raise ValueError(f"expected weekday names like mon-fri or sat,sun; got {item!r}")
        i = a
        while True:
            days.add(i)
            if i == b:
                break
            i = (i + 1) % 7
    if not days:
        raise ValueError("expected at least one weekday")
    return frozenset(days)


def _weekday(name: str) -> int:
    """`mon`, `tues` or `monday` (the start of a day's name, not `monkey`): the day's number, or -1."""
    for i, full in enumerate(WEEKDAY_NAMES):
        if len(name) >= 3 and full.startswith(name):
            return i
    return -1


@record
class Span:
    """Open from `start` to `end` minutes on each listed weekday; end < start runs overnight."""

    days: frozenset[int]
    start: int
    end: int

    def describe(self) -> str:
        names = [WEEKDAYS[d] for d in sorted(self.days)]
        if len(names) == 7:
            label = "daily"
        elif names == list(WEEKDAYS[min(self.days): max(self.days) + 1]):
            label = f"{names[0]}-{names[-1]}" if len(names) > 1 else names[0]
        else:
            label = ",".join(names)
        return f"{label} {self.start // 60:02d}:{self.start % 60:02d}-{self.end // 60:02d}:{self.end % 60:02d}"


@record
class Calendar:
    """Hours in which a role works; no spans means around the clock (24x7)."""

    spans: tuple[Span, ...] = ()

    @property
    def always(self) -> bool:
        return not self.spans

    def describe(self) -> str:
        return "24x7" if self.always else ", ".join(s.describe() for s in self.spans)

    def is_open(self, local: datetime) -> bool:
        if self.always:
            return True
        minute = local.hour * 60 + local.minute
        wd = local.weekday()
        for s in self.spans:
            if s.start < s.end:
                if wd in s.days and s.start <= minute < s.end:
                    return True
            elif s.start > s.end or s.start == s.end:  # overnight (or a full day when equal)
                if wd in s.days and minute >= s.start:
                    return True
                if (wd - 1) % 7 in s.days and minute < s.end:
                    return True
        return False


def parse_calendar(value: object) -> Calendar:
    """`24x7`, one `{days, from, to}` mapping, or a list of them."""
    if isinstance(value, str):
        if value.strip().lower() in ("24x7", "24/7", "always"):
            return Calendar()
        raise ValueError(f'expected 24x7 or {{days: mon-fri, from: "08:00", to: "18:00"}}; got {value!r}')
    items = value if isinstance(value, list) else [value]
    spans = []
    for item in items:
        if not isinstance(item, dict):
            raise ValueError('expected {days: mon-fri, from: "08:00", to: "18:00"}')
        extra = set(item) - {"days", "from", "to"}
        if extra:
            raise ValueError(f"unknown key {sorted(extra)[0]!r} in hours (expected days, from, to)")
        missing = [k for k in ("days", "from", "to") if k not in item]
        if missing:
            raise ValueError(f"hours need {', '.join(missing)}")
        for k in ("from", "to"):
            if not isinstance(item[k], str):
                raise ValueError(f'{k}: expected a time of day like "08:00"; got {item[k]!r}')
        start, end = parse_hhmm(item["from"]), parse_hhmm(item["to"])
        if start == 24 * 60:
            raise ValueError('"24:00" is allowed only as `to`')
        if start == end:
            raise ValueError("from and to are equal: write 24x7 for around the clock")
        spans.append(Span(parse_days(item["days"]), start, end))
    if not spans:
        raise ValueError("expected at least one span of hours")
    return Calendar(tuple(spans))


def holiday_code(code: str) -> tuple[str, str | None]:
    """`US`, `US-NY`, `GB-SCT` -> (country, subdivision), as the `holidays` package names them.

    Raises ValueError naming the close matches for a code the package does not know."""
    import holidays as _holidays  # imported on first use: most files name no holidays

    supported = _holidays.list_supported_countries()
    country, sep, subdiv = code.strip().partition("-") if isinstance(code, str) else ("", "", "")
    if country not in supported:
        if country.upper() in supported:
            raise ValueError(f"unknown public-holiday code {code!r}: write it in capitals ({code.upper()})")
        near = [c for c in supported if len(c) == 2 and c[:1] == country[:1].upper()][:10] if country else []
        hint = f"; two-letter codes starting {country[:1].upper()!r}: {', '.join(near)}" if near else ""
        raise ValueError(f"unknown public-holiday code {code!r} (a country like US, GB, DE, or a country and "
                         f"subdivision like US-NY, GB-SCT, as the `holidays` package names them{hint})")
    if sep and subdiv not in supported[country]:
        subs = supported[country]
        hint = f"{country} subdivisions: {', '.join(subs[:12])}{', ...' if len(subs) > 12 else ''}" if subs else f"{country} has no subdivisions"
        raise ValueError(f"unknown public-holiday code {code!r} ({hint})")
    return country, (subdiv if sep else None)


@lru_cache(maxsize=256)
def holiday_dates(code: str, first_year: int, last_year: int) -> dict[date, str]:
    """Public holidays of a calendar code, observed days included: date -> name."""
    import holidays as _holidays

    country, subdiv = holiday_code(code)
    cal = _holidays.country_holidays(country, subdiv=subdiv, years=range(first_year, last_year + 1), observed=True)
    return {d: str(name) for d, name in sorted(cal.items())}


def zone(name: str) -> ZoneInfo:
    """The IANA zone, or ValueError with the name the user typed."""
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_+\-/]{1,64}", name) or ".." in name:
        raise ValueError(f"unknown time zone {name!r} (expected an IANA name like America/Chicago)")
    try:
        return ZoneInfo(name)
    except Exception:  # ZoneInfoNotFoundError, or a path the zone database refuses
        raise ValueError(f"unknown time zone {name!r} (expected an IANA name like America/Chicago)") from None


def parse_local(text: str, tz: ZoneInfo | None = None) -> datetime:
    """A local wall-clock time without offset; times in a DST gap do not exist and are refused."""
    raw = text.strip()
    if not _LOCAL.fullmatch(raw):
        raise ValueError(f"expected a local time like 2026-03-14T02:07:00 (no offset); got {raw!r}")
    try:
        dt = datetime.fromisoformat(raw.replace(" ", "T"))
    except ValueError:
        raise ValueError(f"{raw!r} is not a valid date and time") from None
    if not FIRST_YEAR <= dt.year <= LAST_YEAR:
        raise ValueError(f"{raw}: the year must be from {FIRST_YEAR} to {LAST_YEAR} (so that every time in the "
                         "exercise is a date ttx can show)")
    if tz is not None:
        aware = dt.replace(tzinfo=tz)
        back = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
        if back != dt:
            raise ValueError(f"{raw} does not exist in {tz.key}: the clocks skip it (daylight saving)")
    return dt


class Clock:
    """Converts scenario seconds to wall-clock times in one zone and back.

    `holidays` names the public-holiday calendar that business days (`4bd`) skip."""

    def __init__(self, starts: datetime, tz: ZoneInfo, holidays: str | None = None):
        self.tz = tz
        self.start_utc = starts.replace(tzinfo=tz).astimezone(UTC)
        self.holidays = holidays

    def closed_dates(self, code: str | None, tz: ZoneInfo | None = None) -> dict[date, str]:
        """The public holidays of `code` around this exercise (a year either side of its start)."""
        if not code:
            return {}
        year = self.local(0, tz).year
        return holiday_dates(code, year - 1, year + 2)

    def local(self, t: int, tz: ZoneInfo | None = None) -> datetime:
        return (self.start_utc + timedelta(seconds=t)).astimezone(tz or self.tz)

    def seconds(self, local: datetime) -> int:
        """Seconds since start of an aware datetime (or naive local in this clock's zone)."""
        if local.tzinfo is None:
            local = local.replace(tzinfo=self.tz)
        return int((local.astimezone(UTC) - self.start_utc).total_seconds())

    def after(self, t: int, d: Duration) -> int:
        """t + d; business days step one weekday at a time keeping the wall-clock time."""
        if not d.business_days:
            return t + d.seconds
        local = self.local(t).replace(tzinfo=None)
        skip = self.closed_dates(self.holidays)
        left = d.business_days
        while left:
            local += timedelta(days=1)
            if local.weekday() < 5 and local.date() not in skip:
                left -= 1
        return self.seconds(local)

    def next_open(self, t: int, cal: Calendar, tz: ZoneInfo, closed: Collection[date] = ()) -> int:
        """First moment from t on inside the calendar (t itself if open).

        `closed` holds local dates (public holidays) on which the calendar is shut all day. A
        candidate moment counts only if the calendar is open at the local time it really falls on,
        so hours in a spring-forward gap never open at the hour after the gap."""
        if cal.always:
            return t
        here = self.local(t, tz)
        if cal.is_open(here) and here.date() not in closed:
            return t
        day0 = here.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
        for offset in range(-1, 400):  # a weekly calendar opens within 8 days; holidays can add a few
            day = day0 + timedelta(days=offset)
            # the moments the calendar can open on this date: a span's start, or midnight (after a closed date)
            starts = sorted({0} | {s.start for s in cal.spans if s.start < 24 * 60})
            for minute in starts:
                cand = self.seconds((day + timedelta(minutes=minute)).replace(tzinfo=tz))
                if cand <= t:
                    continue
                local = self.local(cand, tz)
                if cal.is_open(local) and local.date() not in closed:
                    return cand
        raise ValueError("calendar never opens")  # unreachable for a valid calendar: every span opens weekly

    def clock_time(self, text: str, near: int) -> int | None:
        """The simulated time a facilitator means by a wall-clock time (`06:25`, `Sun 06:25`): of the times that
        read so, the nearest to `near` (without a weekday, the same day, the day before or the day after). None
        when `text` is not written as a clock time; ValueError when it names none (25:00, Funday, a time the clocks
        skip when daylight saving starts)."""
        mt = _CLOCK_TIME.fullmatch(text.strip())
        if not mt:
            return None
        day, hour, minute = mt.group(1), int(mt.group(2)), int(mt.group(3))
        if hour > 23 or minute > 59:
            raise ValueError(f"{text.strip()!r} is not a time of day (00:00 to 23:59)")
        want = None
        if day is not None:
            full = [i for i, name in enumerate(WEEKDAY_NAMES) if name.startswith(day.lower())]
            if not full:
                raise ValueError(f"{day!r} is not a day of the week (Mon, Tue, ... Sun)")
            want = full[0]
        today = self.local(near).date()
        found: list[tuple[int, int, datetime]] = []
        for shift in range(-4, 5):  # with a weekday, the one within half a week either side
            d = today + timedelta(days=shift)
            if want is None or d.weekday() == want:
                local = datetime(d.year, d.month, d.day, hour, minute)
                t = self.seconds(local)
                found.append((abs(t - near), t, local))
        _, t, local = min(found, key=lambda c: c[:2])
        if self.local(t).replace(tzinfo=None) != local:  # the clocks skip it (spring forward) that day
            raise ValueError(f"{text.strip()} does not happen on {local:%a %d %b} in {self.tz.key}: the clocks skip it")
        return t

    def label(self, t: int, with_date: bool = False) -> str:
        """`Sat 02:42` (and the date when asked, or beyond the first week)."""
        # Scoring labels the same instants again on every re-score (live, replay): remember them.
        return _label(self.start_utc, self.tz, t, with_date or not 0 <= t < 6 * 86400)

    def label_zone(self, t: int) -> str:
        dt = self.local(t)
        return dt.strftime("%a %H:%M ") + (dt.tzname() or "")


@lru_cache(maxsize=1 << 15)
def _label(start_utc: datetime, tz: ZoneInfo, t: int, with_date: bool) -> str:
    dt = (start_utc + timedelta(seconds=t)).astimezone(tz)
    return dt.strftime("%a %d %b %H:%M" if with_date else "%a %H:%M")
