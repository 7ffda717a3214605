"""Making untrusted text inert on a terminal or in plain-text files.

Control characters (ANSI/OSC escapes, backspace, carriage return), bidi
overrides and zero-width characters from a scenario or runbook are shown as
visible `<U+XXXX>` marks so that they can neither restyle the terminal nor
make text read differently from what it is.
"""

from __future__ import annotations

import re

_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u2028-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0\ufff9-\ufffb\U000e0000-\U000e007f]"
)  # also invisible fillers, line/paragraph separators and Unicode tag characters ("ASCII smuggling")


def _mark(m: re.Match[str]) -> str:
    return f"<U+{ord(m.group()):04X}>"


def plain(text: object) -> str:
    """One line of untrusted text, safe to print: no controls, no newlines, no bidi tricks."""
    s = str(text).replace("\r\n", "\n").replace("\n", " ").replace("\t", " ")
    return _INVISIBLE.sub(_mark, s)


def block(text: object) -> str:
    """Like plain() but keeps newlines (for multi-line messages)."""
    return "\n".join(plain(line) for line in str(text).split("\n"))


# JSON leaves these raw inside strings (it escapes only C0 controls); as \uXXXX escapes the data stays exact.
_JSON_RAW = re.compile("[\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
                       "\u2028-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0\ufff9-\ufffb\U000e0000-\U000e007f]")


def json_inert(text: str) -> str:
    """JSON text with every invisible or direction-changing character escaped (valid JSON, same data)."""
    return _JSON_RAW.sub(_json_escape, text)


def _json_escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # outside the BMP: a UTF-16 surrogate pair, as JSON spells it
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
