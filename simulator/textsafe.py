"""Making untrusted text inert on a terminal or in plain-text files.

Control characters (ANSI/OSC escapes, backspace, carriage return), bidi
overrides and zero-width characters from a scenario or runbook are shown as
visible `<U+XXXX>` marks so that they can neither restyle the terminal nor
make text read differently from what it is.
"""

from __future__ import annotations

# Characters that act instead of showing: C0/C1 controls, invisible fillers, bidi overrides and
# isolates, zero-width marks, line/paragraph separators and Unicode tag characters ("ASCII smuggling").
# (first, last) code points; newline and tab are handled by plain() itself.
_RANGES = ((0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F), (0xAD, 0xAD), (0x34F, 0x34F), (0x61C, 0x61C),
           (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x2028, 0x202E),
           (0x2060, 0x2064), (0x2066, 0x2069), (0x3164, 0x3164), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0),
           (0xFFF9, 0xFFFB), (0xE0000, 0xE007F))
_CODES = [c for lo, hi in _RANGES for c in range(lo, hi + 1)]
# str.translate, not re.sub with a function: a file of a million such characters is shown in a
# fraction of a second instead of many (one Python call per character)
_MARKS = {c: f"<U+{c:04X}>" for c in _CODES} | {ord("\n"): " ", ord("\t"): " "}


def plain(text: object) -> str:
    """One line of untrusted text, safe to print: no controls, no newlines, no bidi tricks."""
    s = str(text)
    if s.isascii() and s.isprintable():  # nothing to mark (no control, no newline): most text, and a report has
        return s                           # a hundred thousand of them at the size limit
    return s.replace("\r\n", "\n").translate(_MARKS)


def clip(text: object, limit: int = 2000) -> str:
    """At most `limit` characters of a text, saying how much more there is (reports show, files keep)."""
    s = str(text)
    return s if len(s) <= limit else f"{s[:limit]}… ({len(s) - limit:,} more characters, kept in the transcript)"


# A cell starting with one of these is a formula to Excel and LibreOffice (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse_formula(text: str) -> str:
    """Text a spreadsheet shows as text: a leading formula character (or quote) gets a `'` before it.

    Reversible with `restore_formula`, so a CSV written this way reads back to the same text."""
    return "'" + text if text[:1] in _FORMULA_STARTS or text[:1] == "'" else text


def restore_formula(text: str) -> str:
    """The text `defuse_formula` was given; a hand-typed `'note` (no formula character after it) stays."""
    return text[1:] if text[:1] == "'" and (text[1:2] in _FORMULA_STARTS or text[1:2] == "'") else text


def csv_cell(value: object) -> str:
    """A CSV cell from untrusted text: inert in a terminal, and spreadsheet formulas defused."""
    text = "" if value is None else plain(value)
    return "'" + text if text[:1] in _FORMULA_STARTS else text


def block(text: object) -> str:
    """Like plain() but keeps newlines (for multi-line messages)."""
    return "\n".join(plain(line) for line in str(text).split("\n"))


# JSON leaves these raw inside strings (it escapes only C0 controls); as \\uXXXX escapes the data stays exact.
def _json_escape(code: int) -> str:
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # outside the BMP: a UTF-16 surrogate pair, as JSON spells it
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


_JSON_ESCAPES = {c: _json_escape(c) for c in _CODES if c >= 0x7F}


def json_inert(text: str) -> str:
    """JSON text with every invisible or direction-changing character escaped (valid JSON, same data)."""
    return text.translate(_JSON_ESCAPES)
