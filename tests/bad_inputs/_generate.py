"""Writes the bad-input corpus next to this file and prints the BAD / MUST_LOAD table for tests/test_bad_inputs.py.

A developer tool, not a test: run `python tests/bad_inputs/_generate.py` after adding a case, then paste the
printed table into the test. Each case says where its first error must point by a § in its text (removed
when written), so the expected line and column come from the intent of the case, not from the loader.
"""
import os
import sys

OUT = os.path.dirname(os.path.abspath(__file__))
for f in os.listdir(OUT):
    if not f.startswith("_"):
        os.remove(os.path.join(OUT, f))

SC = """ttx: scenario/v1
id: corpus
title: Corpus base
severity: P1
starts: 2026-03-14T02:07:00
timezone: America/Chicago
horizon: 12h
stakeholders:
  client_it_lead: {name: Dana, channels: [phone, email]}
  ceo: {name: CEO, channels: [phone]}
injects:
  - id: alert
    at: 0m
    message: EDR alert on FS01.
    expects:
      - acknowledge: {within: sla.acknowledge}
      - notify: client_it_lead
        within: 30m
"""
RB = """ttx: runbook/v1
id: corpus-rb
provider: Corpus MSP
model: msp
sla:
  P1: {acknowledge: 15m, engage: 30m, update: 1h, restore: 4h}
hours:
  always: 24x7
  business: {days: mon-fri, from: "08:00", to: "18:00"}
roles:
  noc: {name: NOC, fills: [first_responder], hours: always, responds: 10m}
  soc: {name: SOC, fills: [security_lead], hours: business, responds: 30m}
"""
TABLE = []   # (name, line, col, substring)
OK = []      # files that must load

def edit(base, subs=(), append=""):
    text = base
    for old, new in subs:
        assert text.count(old) == 1, (old, text)
        text = text.replace(old, new)
    return text + append

def put(name, desc, text, substring, ok=False):
    text = f"# {desc}\n" + text if desc else text
    if "§" in text:
        i = text.index("§")
        before = text[:i]
        line = before.count("\n") + 1
        col = i - (before.rfind("\n") + 1) + 1
        if line == 1 and text.startswith("\ufeff"):
            col -= 1  # editors do not count the byte order mark
        text = text.replace("§", "", 1)
        assert "§" not in text
    else:
        line = col = None
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    (OK if ok else TABLE).append((name, line, col, substring))

def putb(name, data, line, col, substring):
    with open(os.path.join(OUT, name), "wb") as fh:
        fh.write(data)
    TABLE.append((name, line, col, substring))

def sc(name, desc, subs=(), append="", substring="", ok=False):
    put(name, desc, edit(SC, subs, append), substring, ok)

def rb(name, desc, subs=(), append="", substring="", ok=False):
    put(name, desc, edit(RB, subs, append), substring, ok)

# ---------------- YAML syntax ----------------
sc("syntax-unclosed-flow.yaml", "YAML syntax: a flow list closed with the wrong bracket",
   [("ceo: {name: CEO, channels: [phone]}", "ceo: {name: CEO, channels: [phone§}")], substring="YAML syntax")
sc("syntax-bad-indent.yaml", "YAML syntax: a key indented less than its siblings",
   [("  ceo: {name", " §ceo: {name")], substring="YAML syntax: did not find expected key (check the indentation)")
sc("syntax-colon-in-plain-value.yaml", "YAML syntax: an unquoted value containing ': '",
   [("message: EDR alert on FS01.", "message: EDR alert§: FS01 encrypted.")], substring="YAML syntax: mapping values are not allowed")
sc("syntax-unterminated-quote.yaml", "YAML syntax: a quoted string that never ends",
   [("title: Corpus base", 'title: §"Corpus base')], substring="a quoted scalar starts here and is never closed")
sc("syntax-bad-escape.yaml", "YAML syntax: an unknown escape in a double-quoted string",
   [("title: Corpus base", 'title: "Corpus §\\q base"')], substring="YAML syntax")
sc("syntax-tab-indent.yaml", "a tab used for indentation",
   [("  - id: alert\n", "§\t- id: alert\n")], substring="a tab cannot indent YAML")
sc("syntax-tab-in-mapping.yaml", "a tab before a nested key",
   [("    at: 0m\n", "§\tat: 0m\n")], substring="tab")
sc("syntax-long-key.yaml", "a key longer than YAML's 1024-character limit for simple keys",
   [("title: Corpus base", "title: Corpus base\n" + "k" * 1100 + "§: 1")], substring="1024 characters")
sc("syntax-two-documents.yaml", "two YAML documents in one file", append="§---\nttx: scenario/v1\n",
   substring="one YAML document")
sc("syntax-complex-key.yaml", "a list used as a mapping key",
   [("title: Corpus base", "title: Corpus base\n? §[a, b]\n: c")], substring="a mapping key must be a plain value")

# ---------------- aliases ----------------
lol = "laughs:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
for i in range(1, 9):
    prev, cur = chr(96 + i), chr(97 + i)
    lol += f"  {cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
lol = lol.replace("  f: &f [*e, *e", "  f: &f [*e, §*e")  # the second *e takes the count past 200,000
sc("alias-billion-laughs.yaml", "billion laughs: nine levels of aliases expanding to 387 million values",
   [("title: Corpus base", "title: Corpus base\n" + lol.rstrip("\n"))], substring="aliases expand past 200,000 values")
sc("alias-recursive.yaml", "an alias inside the node that defines its anchor",
   [("  ceo: {name: CEO, channels: [phone]}", "  ceo: &loop {name: CEO, channels: [§*loop]}")],
   substring="alias *loop refers to an anchor that is not complete")
sc("alias-undefined.yaml", "an alias to an anchor that does not exist",
   [("title: Corpus base", "title: §*nowhere")], substring="alias *nowhere")
sc("alias-merge-ok-but-unknown-key.yaml", "a merge key pulls an unknown key into an inject",
   [("  - id: alert\n", "  - <<: §{id: alert, colour: red}\n")], substring="unknown key 'colour'")

# ---------------- nesting ----------------
put("deep-nesting-10k-lists.yaml", "10,000 nested flow lists",
    "ttx: scenario/v1\nid: deep\ntitle: " + "[" * 47 + "§[" + "[" * (10000 - 48) + "]" * 10000 + "\n",
    "nesting deeper than 48 levels")
put("deep-nesting-10k-mappings.yaml", "10,000 nested flow mappings",
    "ttx: scenario/v1\nid: deep\ntitle: " + "{a: " * 47 + "§{a: " + "{a: " * (10000 - 48) + "x" + "}" * 10000 + "\n",
    "nesting deeper than 48 levels")
put("deep-nesting-10k-dashes.yaml", "10,000 nested block lists on one line (- - - ...)",
    "ttx: scenario/v1\ntitle:\n" + "- " * 47 + "§" + "- " * (10000 - 47) + "x\n", "nesting deeper than 48 levels")
put("deep-nesting-unclosed.yaml", "10,000 opening brackets and no closing ones",
    "ttx: scenario/v1\ntitle: " + "[" * 47 + "§" + "[" * 9953 + "\n", "nesting deeper than 48 levels")

# ---------------- bytes and encodings ----------------
base_b = ("# NUL byte in the middle of the message\n" + SC).encode()
putb("binary-nul-byte.bin", base_b.replace(b"EDR alert", b"EDR\x00alert"), 15, 17, "binary (contains NUL bytes)")
putb("binary-png-header.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), 3, 1, "binary (contains NUL bytes)")
putb("binary-elf-header.bin", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00>\x00", 1, 8, "binary")
putb("binary-high-bytes.bin", bytes(range(0x80, 0x100)) * 4, 1, 1, "not valid UTF-8 (byte 0x80)")
putb("invalid-utf8-latin1.yaml", ("# Latin-1 bytes, not UTF-8\n" + SC).replace("Dana", "Dana Müller").encode("latin-1"), 10, 32, "not valid UTF-8 (byte 0xfc)")
putb("invalid-utf8-after-bom.yaml", b"\xef\xbb\xbf# saved by an editor that writes a byte-order mark, then a Latin-1 paste\nttx: scenario/v1\ntitle: Caf\xe9 Wi-Fi outage\n", 3, 11, "not valid UTF-8 (byte 0xe9)")
putb("invalid-utf8-surrogate.yaml", ("# a UTF-8-encoded surrogate (CESU-8), not valid UTF-8\n" + SC).encode().replace(b"Corpus base", b"Corpus \xed\xa0\x80base"), 4, 15, "not valid UTF-8 (byte 0xed)")
putb("invalid-utf8-after-emoji.yaml", ("# invalid byte after multi-byte characters: the column counts characters\n" + SC).encode().replace(b"Corpus base", "Corpus ☃☃ base".encode() + b"\xff"), 4, 22, "not valid UTF-8 (byte 0xff)")
putb("utf16-with-bom.yaml", ("# saved as UTF-16\n" + SC).encode("utf-16"), 1, 1, "UTF-16")
sc("control-char-escape.yaml", "a raw ESC (terminal escape) character in a value",
   [("message: EDR alert on FS01.", "message: EDR §\x1b[31malert on FS01.")], substring="character U+001B is not allowed")
sc("control-char-bell.yaml", "a raw BEL character in a key",
   [("title: Corpus base", "ti§\x07tle: Corpus base")], substring="U+0007")
put("bom-then-garbage.yaml", "", "\ufeff§- just: a list\n", "expected a mapping starting with `ttx: scenario/v1`")

# ---------------- empty and not-a-mapping ----------------
put("empty.yaml", "", "", "file is empty")
put("whitespace-only.yaml", "", "   \n\n  \t \n   \n", "file is empty")
put("comments-only.yaml", "", "# nothing but a comment\n# and another\n", "file is empty")
put("document-marker-only.yaml", "", "---\n", "file is empty")
put("null-document.yaml", "", "~\n", "file is empty")
put("root-is-list.yaml", "the file is a list, not a mapping", "§- ttx: scenario/v1\n- id: corpus\n", "got a list")
put("root-is-text.yaml", "the file is one line of text", "§just some text\n", "got 'just some text'")

# ---------------- file kind ----------------
sc("missing-ttx-tag.yaml", "no ttx: line (the position is the top-level mapping)", [("ttx: scenario/v1\nid:", "§id:")], substring="missing `ttx:` tag")
sc("unknown-ttx-kind.yaml", "ttx: names a kind that does not exist", [("ttx: scenario/v1", "ttx: §playbook/v1")],
   substring="unknown file kind 'playbook/v1'")
sc("unknown-ttx-version.yaml", "ttx: names a future version", [("ttx: scenario/v1", "ttx: §scenario/v2")],
   substring="unknown file kind 'scenario/v2'")
sc("ttx-tag-is-list.yaml", "ttx: is a list", [("ttx: scenario/v1", "ttx: §[scenario/v1]")], substring="unknown file kind a list")

# ---------------- duplicates ----------------
sc("duplicate-top-key.yaml", "title twice: an error, not last-one-wins",
   [("severity: P1\n", "severity: P1\n§title: Second title\n")], substring="duplicate key 'title'")
sc("duplicate-key-in-flow-mapping.yaml", "the same key twice inside {...}",
   [("ceo: {name: CEO, channels: [phone]}", "ceo: {name: CEO, channels: [phone], §name: Boss}")], substring="stakeholders.ceo: duplicate key 'name'")
sc("duplicate-stakeholder.yaml", "a stakeholder declared twice",
   [("  ceo: {name: CEO, channels: [phone]}\n", "  ceo: {name: CEO, channels: [phone]}\n  §ceo: {name: CEO2, channels: [sms]}\n")],
   substring="stakeholders: duplicate key 'ceo'")
sc("duplicate-inject-id.yaml", "two injects with the same id",
   append="  - id: §alert\n    at: 1h\n    message: Again.\n", substring="duplicate inject id 'alert'")
sc("duplicate-obligation-id.yaml", "two obligations that get the same default id",
   append="      - §notify: client_it_lead\n        within: 1h\n", substring="duplicate obligation id 'alert/notify:client_it_lead'")
rb("duplicate-role.yaml", "a role declared twice",
   append="  §noc: {name: NOC again, fills: [first_responder], hours: always, responds: 5m}\n", substring="roles: duplicate key 'noc'")

# ---------------- YAML 1.1 traps ----------------
rb("ok-hours-unquoted.yaml", "YAML 1.1 would read 08:00 as the number 480: must load as a time", [('from: "08:00", to: "18:00"', "from: 08:00, to: 18:00")], ok=True)
sc("ok-yes-no-values.yaml", "yes/no/on/off stay words (YAML 1.1 would make them booleans)",
   [("title: Corpus base", "title: no"), ("message: EDR alert on FS01.", "message: yes"), ("name: CEO,", "name: off,")], ok=True)
sc("ok-utf8-bom.yaml", "", [], ok=True)  # rewritten with a BOM below
sc("ok-starts-with-space.yaml", "an unquoted timestamp written with a space; read as local time, not a YAML timestamp",
   [("starts: 2026-03-14T02:07:00", "starts: 2026-03-14 02:07:00")], ok=True)
sc("ok-iso-and-business-days.yaml", "ISO durations and business days where a window is allowed",
   [("within: 30m", "within: PT30M"), ("at: 0m", "at: PT0S"), ("horizon: 12h", "horizon: 8d")],
   append="      - decide: pay-or-not\n        by: ceo\n        within: 4bd\n", ok=True)
sc("ok-due-after-horizon.yaml", "a deadline after the horizon: done by then it is judged, else it is open (SPEC 7)",
   append="      - decide: pay-or-not\n        by: ceo\n        within: 4bd\n", ok=True)
sc("ok-empty-optional-lists.yaml", "optional lists left empty (everything under them commented out) mean none",
   append="    questions:\ncurveballs:\n#  - {at: 1h, channel_down: email, for: 6h}\n", ok=True)
rb("ok-sla-business-days.yaml", "an SLA restore promise in business days", [("restore: 4h", "restore: 2bd")], ok=True)
sc("bool-where-text.yaml", "an unquoted true where text belongs", [("title: Corpus base", "title: §true")],
   substring='title: expected text; got true (write "true" in quotes')
sc("null-where-text.yaml", "an empty value where text belongs", [("message: EDR alert on FS01.", "message:§")],
   substring="injects[0].message: expected text; got nothing")
rb("sexagesimal-duration.yaml", "1:30 (YAML 1.1 sexagesimal 90) is not a duration",
   [("responds: 10m", "responds: §1:30")], substring="roles.noc.responds: expected a duration like")
sc("timestamp-with-offset.yaml", "starts with a UTC offset (SPEC: local time, no offset)",
   [("starts: 2026-03-14T02:07:00", "starts: §2026-03-14T02:07:00-06:00")], substring="starts: expected a local time like 2026-03-14T02:07:00 (no offset)")
sc("timestamp-zulu.yaml", "starts in UTC with Z", [("starts: 2026-03-14T02:07:00", "starts: §2026-03-14T08:07:00Z")], substring="(no offset)")
sc("timestamp-date-only.yaml", "starts is a date without a time", [("starts: 2026-03-14T02:07:00", "starts: §2026-03-14")], substring="expected a local time")

# ---------------- Python object tags and other tags ----------------
sc("pytag-apply-open.yaml", "would create ttx-pwned-marker under an unsafe loader",
   [("title: Corpus base", 'title: §!!python/object/apply:builtins.open ["ttx-pwned-marker", "w"]')],
   substring="tag tag:yaml.org,2002:python/object/apply:builtins.open is not allowed")
sc("pytag-apply-os-system.yaml", "would run a shell command under an unsafe loader",
   [("title: Corpus base", 'title: §!!python/object/apply:os.system ["touch ttx-pwned-marker"]')],
   substring="python/object/apply:os.system is not allowed")
sc("pytag-name.yaml", "a reference to a Python callable",
   [("message: EDR alert on FS01.", "message: §!!python/name:os.system")], substring="injects[0].message: tag tag:yaml.org,2002:python/name:os.system is not allowed")
sc("pytag-object-new.yaml", "a Python object constructed with __new__",
   [("timezone: America/Chicago", "timezone: §!!python/object/new:subprocess.Popen [[touch, ttx-pwned-marker]]")],
   substring="python/object/new:subprocess.Popen is not allowed")
sc("pytag-module.yaml", "a Python module", [("horizon: 12h", "horizon: §!!python/module:os")], substring="python/module:os is not allowed")
sc("pytag-via-tag-directive.yaml", "a %TAG directive hiding a Python tag behind a short handle",
   [("ttx: scenario/v1\n", "")], substring="python/object/apply:builtins.open is not allowed")
# (rewritten below: the directive must come before ---)
sc("pytag-verbatim.yaml", "a verbatim !<...> Python tag",
   [("title: Corpus base", 'title: §!<tag:yaml.org,2002:python/object/apply:builtins.open> ["ttx-pwned-marker", "w"]')],
   substring="python/object/apply:builtins.open is not allowed")
sc("tag-include.yaml", "a custom !include tag (ttx files are one self-contained file)",
   [("  ceo: {name: CEO, channels: [phone]}", "  ceo: §!include ceo.yaml")], substring="stakeholders.ceo: tag !include is not allowed")
sc("tag-binary.yaml", "a !!binary value", [("title: Corpus base", "title: §!!binary aGVsbG8=")], substring="tag:yaml.org,2002:binary is not allowed")

# ---------------- numbers: weights and durations ----------------
def ob_weight(v):
    return [("        within: 30m\n", f"        within: 30m\n        weight: §{v}\n")]
sc("weight-nan.yaml", "weight .nan", ob_weight(".nan"), substring="injects[0].expects[1].weight: expected a number above 0 and up to 1000; got '.nan'")
sc("weight-inf.yaml", "weight .inf", ob_weight(".inf"), substring="weight: expected a number above 0 and up to 1000; got '.inf'")
sc("weight-negative.yaml", "weight -1", ob_weight("-1"), substring="weight: expected a number above 0 and up to 1000; got '-1'")
sc("weight-zero.yaml", "weight 0", ob_weight("0"), substring="above 0 and up to 1000; got '0'")
sc("weight-absurd.yaml", "weight 1e308", ob_weight("1e308"), substring="up to 1000; got '1e308'")
sc("weight-text.yaml", "weight in words", ob_weight("heavy"), substring="above 0 and up to 1000; got 'heavy'")
sc("duration-bare-number.yaml", "at: 15 with no unit", [("at: 0m", "at: §15")],
   substring="injects[0].at: a bare number (15) is ambiguous: write a unit, e.g. 15m")
sc("duration-bare-float.yaml", "within: 1.5 with no unit", [("within: 30m", "within: §1.5")], substring="a bare number (1.5) is ambiguous")
sc("duration-negative.yaml", "a negative inject time", [("at: 0m", "at: §-5m")], substring="injects[0].at: a duration cannot be negative")
sc("duration-absurd.yaml", "a window of 10^30 hours", [("within: 30m", "within: §1000000000000000000000000000000h")], substring="out of range (at most 366 days)")
sc("duration-5000-digits.yaml", "a 5,000-digit duration (Python's int() refuses 4,300+ digits with its own message)",
   [("at: 0m", "at: §" + "9" * 5000 + "m")], substring="is out of range (at most 366 days)")
sc("huge-value-in-message.yaml", "a 100,000-character time zone: the message quotes it cut short",
   [("timezone: America/Chicago", "timezone: §" + "x" * 100000)], substring="timezone: unknown time zone 'xxxxxxxx")
sc("unknown-key-bidi.yaml", "an unknown key hiding a right-to-left override: shown as a visible mark",
   [("horizon: 12h\n", "horizon: 12h\n§hori\u202ezon: 6h\n")], substring="top-level unknown key 'hori\\u202ezon'")
sc("duration-decimal-unit.yaml", "1.5h is not a duration (write 1h30m)", [("horizon: 12h", "horizon: §1.5h")], substring="horizon: expected a duration like")
sc("duration-bad-iso.yaml", "PT is an ISO duration with no parts", [("within: 30m", "within: §PT")], substring="expected a duration like")
sc("duration-iso-years.yaml", "P1Y: years are not a fixed span", [("horizon: 12h", "horizon: §P1Y")], substring="expected a duration like")
sc("duration-is-list.yaml", "a list where a duration belongs", [("horizon: 12h", "horizon: §[12h]")], substring="got a list")
sc("horizon-zero.yaml", "a horizon of nothing", [("horizon: 12h", "horizon: §0m")], substring="the horizon must be longer than 0m")
sc("inject-after-horizon.yaml", "an inject that can never be played", [("at: 0m", "at: §13h")], substring="after the 12h horizon")
sc("update-every-zero.yaml", "an update every 0m",
   append="      - update: ceo\n        every: §0m\n", substring="`every` must be at least 1m (got 0m)")
sc("update-every-second.yaml", "an update every second: millions of windows over the horizon",
   append="      - update: ceo\n        every: §1s\n", substring="`every` must be at least 1m (got 1s)")
rb("comm-every-second.yaml", "a runbook promising a message every second",
   append="communication:\n  - {update: [ceo], via: phone, by: noc, every: §1s}\n", substring="communication[0].every: `every` must be at least 1m")
rb("sla-update-every-second.yaml", "an SLA update cadence of one second",
   [("update: 1h", "update: §1s")], substring="sla.P1.update: an update cadence must be at least 1m")
sc("horizon-a-year.yaml", "a horizon of a year", [("horizon: 12h", "horizon: §366d")], substring="horizon: 366d is out of range: a horizon is at most 90d")

# ---------------- unknown keys at every level ----------------
sc("unknown-key-top.yaml", "a top-level typo", [("horizon: 12h\n", "horizon: 12h\n§horizn: 6h\n")],
   substring="top-level unknown key 'horizn'")
sc("unknown-key-stakeholder.yaml", "an unknown key in a stakeholder",
   [("ceo: {name: CEO, channels: [phone]}", "ceo: {name: CEO, channels: [phone], §email: ceo@example.com}")],
   substring="stakeholders.ceo: unknown key 'email' (expected one of: name, channels)")
sc("unknown-key-inject.yaml", "an unknown key in an inject", [("    at: 0m\n", "    at: 0m\n    §severity: P2\n")],
   substring="injects[0]: unknown key 'severity'")
sc("unknown-key-obligation.yaml", "deadline instead of within",
   [("        within: 30m\n", "        §deadline: 30m\n")], substring="injects[0].expects[1]: unknown key 'deadline'")
sc("unknown-key-nested-acknowledge.yaml", "a typo inside acknowledge: {...}",
   [("acknowledge: {within: sla.acknowledge}", "acknowledge: {§withn: sla.acknowledge}")], substring="did you mean 'within'?")
sc("unknown-key-curveball.yaml", "an unknown key in a curveball",
   append="curveballs:\n  - {at: 0m, unreachable: first_responder, §until: 20m}\n", substring="curveballs[0]: unknown key 'until'")
sc("unknown-key-resolution.yaml", "an unknown key in resolution",
   append="resolution: {after: [isolate], takes: 1h, §when: later}\n", substring="resolution: unknown key 'when'")
sc("unknown-key-when.yaml", "an unknown condition on an inject",
   append="  - id: later\n    at: 1h\n    message: Later.\n    when: {§unless: isolate}\n", substring="injects[1].when: unknown key 'unless'")
rb("unknown-key-runbook-top.yaml", "a top-level typo in a runbook", append="§escalations: []\n", substring="top-level unknown key 'escalations'")
rb("unknown-key-role.yaml", "an unknown key in a role",
   [("responds: 10m}", "responds: 10m, §phone: 555-0100}")], substring="roles.noc: unknown key 'phone'")
rb("unknown-key-sla.yaml", "an unknown SLA metric",
   [("restore: 4h}", "restore: 4h, §resolve: 8h}")], substring="sla.P1: unknown key 'resolve'")
rb("unknown-key-hours.yaml", "an unknown key in an hours span",
   [('to: "18:00"}', 'to: "18:00", §tz: UTC}')], substring="hours.business.tz: unknown key 'tz' in hours")
rb("unknown-key-escalation.yaml", "an unknown key in an escalation rule",
   append="escalation:\n  - {to: soc, after: 0m, §notify: ceo}\n", substring="escalation[0]: unknown key 'notify'")
rb("unknown-key-communication.yaml", "an unknown key in a communication rule",
   append="communication:\n  - {notify: [ceo], via: phone, by: noc, within: 30m, §cc: cfo}\n", substring="communication[0]: unknown key 'cc'")
rb("unknown-key-playbook-step.yaml", "an unknown key in a playbook step",
   append="playbooks:\n  ransomware:\n    - {act: isolate, by: noc, takes: 15m, §owner: soc}\n", substring="playbooks.ransomware[0]: unknown key 'owner'")

# ---------------- wrong types ----------------
sc("type-list-for-mapping.yaml", "stakeholders as a list", [("stakeholders:\n  client_it_lead: {name: Dana, channels: [phone, email]}\n  ceo: {name: CEO, channels: [phone]}",
   "stakeholders: §[client_it_lead, ceo]")], substring="stakeholders: expected a mapping")
sc("type-mapping-for-text.yaml", "title as a mapping", [("title: Corpus base", "title: §{en: Corpus base}")], substring="title: expected text; got a mapping")
sc("type-text-for-list.yaml", "injects as a single word", [("injects:\n  - id: alert", "injects: §alert\nx:\n  - id: alert")],
   substring="injects: expected a list")
sc("type-mapping-for-list.yaml", "expects as a mapping", [("    expects:\n      - acknowledge: {within: sla.acknowledge}\n      - notify: client_it_lead\n        within: 30m\n",
   "    expects:\n      §acknowledge: {within: sla.acknowledge}\n")], substring="injects[0].expects: expected a list")
sc("type-text-for-mapping.yaml", "a stakeholder as a word", [("ceo: {name: CEO, channels: [phone]}", "ceo: §phone")],
   substring="stakeholders.ceo: expected a mapping with name, channels; got 'phone'")
sc("type-list-for-text.yaml", "timezone as a list", [("timezone: America/Chicago", "timezone: §[America/Chicago]")], substring="timezone: expected text; got a list")
sc("type-obligation-as-word.yaml", "an obligation written as a bare word",
   [("      - acknowledge: {within: sla.acknowledge}", "      - §acknowledge")], substring="injects[0].expects[0]: expected a mapping with one of acknowledge")
rb("type-roles-list.yaml", "roles as a list", [("roles:\n  noc:", "roles:\n  §- noc:"), ("  soc: {name: SOC", "  - soc: {name: SOC")],
   substring="roles: expected a mapping")
rb("type-fills-mapping.yaml", "fills as a mapping", [("fills: [first_responder]", "fills: §{first_responder: yes}")], substring="roles.noc.fills: expected a list of names")
sc("missing-required-top.yaml", "no title: the position is the mapping that lacks it",
   [("ttx: scenario/v1\n", "§ttx: scenario/v1\n"), ("title: Corpus base\n", "")], substring="missing required key 'title'")
sc("missing-required-inject.yaml", "an inject without a message",
   [("  - id: alert\n", "  - §id: alert\n"), ("    message: EDR alert on FS01.\n", "")], substring="injects[0]: missing required key 'message'")
sc("missing-required-stakeholder.yaml", "a stakeholder without channels",
   [("ceo: {name: CEO, channels: [phone]}", "ceo: §{name: CEO}")], substring="stakeholders.ceo: missing required key 'channels'")
rb("missing-required-role.yaml", "a role without responds",
   [("soc: {name: SOC, fills: [security_lead], hours: business, responds: 30m}", "soc: §{name: SOC, fills: [security_lead], hours: business}")],
   substring="roles.soc: missing required key 'responds'")
rb("missing-required-comm-by.yaml", "a communication rule without by",
   append="communication:\n  - §{notify: [ceo], via: phone, within: 30m}\n", substring="communication[0]: missing required key 'by'")

# ---------------- references inside one file ----------------
sc("unknown-function.yaml", "engage names a function that does not exist",
   append="      - engage: §janitor\n", substring="injects[0].expects[2].engage: unknown function 'janitor'")
sc("unknown-stakeholder-notify.yaml", "notify names an undeclared stakeholder",
   [("      - notify: client_it_lead", "      - notify: §cfo")], substring="unknown stakeholder 'cfo'")
sc("unknown-stakeholder-update.yaml", "update names an undeclared stakeholder",
   append="      - update: §board\n        every: 1h\n", substring="unknown stakeholder 'board'")
sc("unknown-decision-owner.yaml", "a decision owned by nobody the scenario knows",
   append="      - decide: pay-or-not\n        by: §mayor\n", substring="unknown owner 'mayor'")
sc("before-unknown-task.yaml", "before names a task nothing does",
   [("        within: 30m\n", "        within: 30m\n        before: §act:reboot\n")], substring="unknown task 'reboot' in before")
sc("before-bad-format.yaml", "before is not KIND:TARGET",
   [("        within: 30m\n", "        within: 30m\n        before: §ceo\n")], substring="expected KIND:TARGET like notify:customers")
sc("before-cycle.yaml", "two notifications each required before the other",
   [("        within: 30m\n", "        within: 30m\n        before: notify:ceo\n")],
   append="      - notify: ceo\n        within: 1h\n        before: §notify:client_it_lead\n", substring="`before` orders form a cycle")
sc("before-itself.yaml", "an obligation before itself",
   [("        within: 30m\n", "        within: 30m\n        before: §notify:client_it_lead\n")], substring="cannot come before itself")
rb("unknown-role-backup.yaml", "a backup that is not a role",
   [("responds: 10m}", "responds: 10m, backup: §noc2}")], append="no_answer_after: 15m\n", substring="roles.noc.backup: unknown role 'noc2'")
rb("unknown-role-escalation.yaml", "escalation to a role that does not exist",
   append="escalation:\n  - {to: §vcto, after: 30m}\n", substring="escalation[0].to: unknown role 'vcto'")
rb("unknown-role-communication.yaml", "a message sent by a role that does not exist",
   append="communication:\n  - {notify: [ceo], via: phone, by: §vcto, within: 30m}\n", substring="communication[0].by: unknown role 'vcto'")
rb("unknown-role-playbook.yaml", "a task done by a role that does not exist",
   append="playbooks:\n  ransomware:\n    - {act: isolate, by: §tier3, takes: 15m}\n", substring="playbooks.ransomware[0].by: unknown role 'tier3'")
rb("unknown-hours-name.yaml", "a role working hours that are not defined",
   [("hours: business, responds: 30m", "hours: §office, responds: 30m")], substring="roles.soc.hours: unknown hours 'office'")
rb("unknown-function-fills.yaml", "a role filling a function that does not exist",
   [("fills: [security_lead]", "fills: [§ciso]")], substring="roles.soc.fills[0]: unknown function 'ciso'")
rb("backup-cycle.yaml", "backups that page each other forever",
   [("responds: 10m}", "responds: 10m, backup: §soc}"), ("responds: 30m}", "responds: 30m, backup: noc}")],
   append="no_answer_after: 15m\n", substring="backups form a cycle: noc -> soc -> noc")
rb("backup-self.yaml", "a role that backs itself up",
   [("responds: 10m}", "responds: 10m, backup: §noc}")], append="no_answer_after: 15m\n", substring="a role cannot back itself up")
rb("backup-without-no-answer-after.yaml", "a backup with no rule for when it is paged",
   [("responds: 10m}", "responds: 10m, backup: §soc}")], substring="`no_answer_after` is not set")

# ---------------- times and zones ----------------
sc("unknown-timezone.yaml", "a zone that does not exist", [("timezone: America/Chicago", "timezone: §America/Springfield")],
   substring="unknown time zone 'America/Springfield'")
sc("timezone-path-traversal.yaml", "a zone name that is a path", [("timezone: America/Chicago", "timezone: §../../../../etc/passwd")],
   substring="unknown time zone")
sc("timezone-localtime.yaml", "localtime is whatever zone the machine running ttx is set to",
   [("timezone: America/Chicago", "timezone: §localtime")], substring="timezone: time zone 'localtime' depends on the computer's zone files")
sc("starts-in-dst-gap.yaml", "02:30 on 8 March 2026 does not exist in Chicago",
   [("starts: 2026-03-14T02:07:00", "starts: §2026-03-08T02:30:00")], substring="does not exist in America/Chicago")
sc("starts-invalid-date.yaml", "30 February", [("starts: 2026-03-14T02:07:00", "starts: §2026-02-30T02:07:00")], substring="is not a valid date and time")
sc("starts-hour-25.yaml", "hour 25", [("starts: 2026-03-14T02:07:00", "starts: §2026-03-14T25:07:00")], substring="is not a valid date and time")
rb("runbook-unknown-timezone.yaml", "a runbook in a zone that does not exist", append="timezone: §Europe/Atlantis\n",
   substring="timezone: unknown time zone 'Europe/Atlantis'")
rb("hours-to-25.yaml", "hours ending at 25:00", [('to: "18:00"', 'to: §"25:00"')], substring='hours.business.to: expected a time of day like "08:00"')
rb("hours-from-equals-to.yaml", "hours from 08:00 to 08:00", [('{days: mon-fri, from: "08:00", to: "18:00"}', '§{days: mon-fri, from: "08:00", to: "08:00"}')],
   substring="from and to are equal")
rb("hours-unknown-weekday.yaml", "a weekday that does not exist", [("days: mon-fri", "days: §mon-fry")], substring="hours.business.days: expected weekday names")
rb("hours-from-2400.yaml", "24:00 is only allowed as the end", [('from: "08:00"', 'from: §"24:00"')], substring='"24:00" is allowed only as `to`')
rb("hours-missing-to.yaml", "an hours span with no end", [('{days: mon-fri, from: "08:00", to: "18:00"}', '§{days: mon-fri, from: "08:00"}')],
   substring="hours.business: missing required key 'to'")
rb("hours-bogus-word.yaml", "hours written as a word", [("always: 24x7", "always: §nights")], substring="hours.always: expected 24x7")
rb("hours-minute-60.yaml", "08:60 is not a time", [('from: "08:00"', 'from: §"08:60"')], substring="hours.business.from: expected a time of day")

# ---------------- obligations ----------------
sc("update-without-every.yaml", "an update with no cadence", append="      - §update: ceo\n", substring="an update obligation needs `every:`")
sc("via-unreachable.yaml", "via names only channels the stakeholder does not take",
   append="      - notify: ceo\n        via: §[email, sms]\n", substring="ceo takes only phone: no channel in via (email, sms) can reach them")
sc("sla-bogus.yaml", "sla.bogus is not a metric", [("acknowledge: {within: sla.acknowledge}", "acknowledge: {within: §sla.bogus}")],
   substring="unknown SLA metric 'sla.bogus'")
sc("every-on-notify.yaml", "every applies only to updates", [("        within: 30m\n", "        within: 30m\n        every: §1h\n")],
   substring="`every` applies only to update obligations")
sc("via-on-act.yaml", "via applies only to messages", append="      - act: isolate\n        via: §[phone]\n", substring="`via` applies only to notify and update")
sc("obligation-two-kinds.yaml", "one entry with two kinds", [("        within: 30m\n", "        within: 30m\n        §engage: security_lead\n")],
   substring="has both 'notify' and 'engage'")
sc("obligation-no-kind.yaml", "an entry with no kind", append="      - §within: 30m\n", substring="an obligation needs exactly one of")
sc("acknowledge-within-twice.yaml", "within both inside acknowledge: {...} and beside it",
   [("      - acknowledge: {within: sla.acknowledge}\n", "      - acknowledge: {§within: sla.acknowledge}\n        within: 5m\n")],
   substring="injects[0].expects[0].acknowledge.within: `within` is written both inside `acknowledge: {...}` and beside it")
sc("acknowledge-with-target.yaml", "acknowledge takes no target", [("acknowledge: {within: sla.acknowledge}", "acknowledge: §noc")],
   substring="acknowledge takes no target")
sc("obligation-id-bad.yaml", "an obligation id with spaces", [("        within: 30m\n", "        within: 30m\n        id: §call the client\n")],
   substring="expected an id of letters")
sc("too-many-injects.yaml", "2,001 injects (the limit is 2,000)",
   [("  - id: alert\n", "  §- id: alert\n")], append="".join(f"  - {{id: i{i}, at: 1m, message: x}}\n" for i in range(2000)),
   substring="2,001 injects; the limit is 2,000")
sc("terminal-escape-in-name.yaml", "a stakeholder name smuggling a terminal escape through a YAML escape",
   [("      - notify: client_it_lead", '      - notify: §"\\e[2J\\e]0;pwned\\a"')], substring="expected a target name")
sc("severity-unknown.yaml", "severity P9", [("severity: P1", "severity: §P9")], substring="severity: expected one of P1, P2, P3, P4; got 'P9'")
rb("model-unknown.yaml", "an unknown provider model", [("model: msp", "model: §cowboy")], substring="model: expected one of msp")
rb("sla-unknown-severity.yaml", "an SLA tier for a severity that does not exist", [("  P1: {", "  §P9: {")], substring="sla.P9: unknown severity 'P9'")
rb("sla-bare-number.yaml", "an SLA with a bare number", [("acknowledge: 15m", "acknowledge: §15")], substring="sla.P1.acknowledge: a bare number (15) is ambiguous")
rb("comm-within-and-every.yaml", "a communication rule with both within and every",
   append="communication:\n  - {update: [ceo], via: email, by: noc, within: 1h, every: §1h}\n", substring="not both")
rb("comm-unknown-when.yaml", "a communication rule triggered by nothing ttx knows",
   append="communication:\n  - {notify: [ceo], via: phone, by: noc, when: §tomorrow, within: 1h}\n", substring="expected declared, resolved, engaged:FUNCTION")
rb("roles-empty.yaml", "a runbook with no roles", [("roles:\n  noc: {name: NOC, fills: [first_responder], hours: always, responds: 10m}\n  soc: {name: SOC, fills: [security_lead], hours: business, responds: 30m}\n",
   "roles: §{}\n")], substring="a runbook needs at least one role")
rb("playbook-step-no-kind.yaml", "a playbook step that is neither act nor decide",
   append="playbooks:\n  ransomware:\n    - §{notify: ceo, by: noc}\n", substring="a playbook step needs exactly one of: act, decide")

sc("resolution-after-empty.yaml", "a resolution that waits for no task: there is no last task to wait for",
   append="resolution: {after: §[], takes: 2h}\n", substring="resolution.after: resolution needs at least one task")
sc("resolution-after-bad-name.yaml", "a resolution task name with spaces",
   append="resolution: {after: [§restore from backup], takes: 2h}\n", substring="resolution.after[0]: expected a name of letters")

# ---------------- rubric files ----------------
RU = "ttx: rubric/v1\nweights: {sla: 40, communication: 40, response: 20}\nratings: {P: 90, S: 70, M: 40}\n"
put("rubric-unknown-key.yaml", "a rubric with a typo'd section", RU + "§weight: {sla: 50}\n", "unknown key 'weight' (expected weights, ratings)")
put("rubric-weight-nan.yaml", "a rubric weight of .nan", RU.replace("sla: 40", "sla: §.nan"), "weights.sla: expected a number from 0 to 100; got '.nan'")
put("rubric-weights-list.yaml", "rubric weights as a list", RU.replace("weights: {sla: 40, communication: 40, response: 20}", "weights: §[40, 40, 20]"),
    "weights: expected a mapping of sla, communication, response")
put("rubric-all-zero.yaml", "every weight 0", RU.replace("weights: {sla: 40, communication: 40, response: 20}", "weights: §{sla: 0, communication: 0, response: 0}"),
    "at least one weight must be above 0")

# a file whose problems come from different rules: the first one (by position) is reported first
sc("several-problems.yaml", "three problems: all are reported, the first in the file first",
   [("title: Corpus base", "title: §{en: Corpus base}"), ("    at: 0m\n", "    at: 15\n    colour: red\n")],
   substring="title: expected text; got a mapping")

# ----- fix-ups that need exact bytes -----
with open(os.path.join(OUT, "ok-utf8-bom.yaml"), "wb") as fh:
    fh.write(b"\xef\xbb\xbf# a UTF-8 byte order mark (Windows editors write one): must load\n" + SC.encode())
text = ("# a %TAG directive hiding a Python tag behind a short handle\n%TAG !py! tag:yaml.org,2002:python/\n---\n"
        + SC.replace("title: Corpus base", 'title: !py!object/apply:builtins.open ["ttx-pwned-marker", "w"]'))
with open(os.path.join(OUT, "pytag-via-tag-directive.yaml"), "w") as fh:
    fh.write(text)
for i, row in enumerate(TABLE):
    if row[0] == "pytag-via-tag-directive.yaml":
        TABLE[i] = (row[0], 6, 8, row[3])

# ---------------- v1.1 keys ----------------
sc("holidays-unknown-code.yaml", "a scenario holiday calendar the holidays package does not know",
   [("timezone: America/Chicago", "timezone: America/Chicago\nholidays: §XX")], substring="holidays: unknown public-holiday code 'XX'")
sc("holidays-unknown-subdivision.yaml", "a subdivision the country does not have",
   [("timezone: America/Chicago", "timezone: America/Chicago\nholidays: §US-ZZ")], substring="unknown public-holiday code 'US-ZZ' (US subdivisions:")
rb("holidays-runbook-unknown.yaml", "a runbook holiday calendar written as a country name",
   [("model: msp", "model: msp\nholidays: §England")], substring="holidays: unknown public-holiday code 'England'")
rb("intake-unknown-role.yaml", "an intake route to a role the runbook does not have",
   [("model: msp", "model: msp\nintake: {edr: noc, identity: §idp_team}")], substring="intake.identity: unknown role 'idp_team' for identity alerts")
rb("pool-zero-staff.yaml", "a pool with nobody in it",
   [("responds: 10m}", "responds: 10m, pool: {staff: §0, clients: 40}}")], substring="roles.noc.pool.staff: a pool needs at least 1 member of staff")
rb("pool-staff-text.yaml", "a pool size that is not a number",
   [("responds: 10m}", "responds: 10m, pool: {staff: §two, clients: 40}}")], substring="roles.noc.pool.staff: expected a whole number like 2; got 'two'")
rb("pool-unknown-key.yaml", "a pool with a key it does not have",
   [("responds: 10m}", "responds: 10m, pool: {staff: 2, clients: 40, §ratio: 20}}")], substring="roles.noc.pool: unknown key 'ratio'")
rb("after-hours-unknown-severity.yaml", "after-hours cover for a severity that does not exist",
   [("responds: 30m}", "responds: 30m, after_hours: {responds: 2h, severity: [P1, §P0]}}")], substring="roles.soc.after_hours.severity[1]: unknown severity 'P0'")
rb("after-hours-bare-number.yaml", "an after-hours response time without a unit",
   [("responds: 30m}", "responds: 30m, after_hours: {responds: §2}}")], substring="a bare number (2) is ambiguous")
sc("contain-on-notify.yaml", "sla.contain on a notify obligation (it is a containment promise, for act)",
   [("        within: 30m\n", "        within: §sla.contain\n")], substring="sla.contain (the runbook's containment promise) applies only to act obligations")
sc("owner-not-client.yaml", "an obligation owner other than client",
   [("        within: 30m\n", "        within: 30m\n        owner: §provider\n")], substring="owner: expected `owner: client`")
sc("curveball-after-horizon.yaml", "a curveball that can never happen",
   append="curveballs:\n  - {at: §13h, channel_down: email, for: 1h}\n", substring="curveball at 13h is after the 12h horizon")
sc("inject-after-horizon-bd.yaml", "an inject in business days beyond the horizon",
   [("at: 0m", "at: §1bd")], substring="inject at 1bd is after the 12h horizon")
rb("ok-v11-keys.yaml", "every v1.1 runbook key",
   [("model: msp", "model: msp\nholidays: US-NY\nintake: {edr: noc, identity: soc}"),
    ("restore: 4h}", "contain: 2h, restore: 4h}"),
    ("responds: 30m}", "responds: 30m, after_hours: {responds: 2h, severity: [P1]}, pool: {staff: 2, clients: 40}}")], ok=True)
sc("ok-v11-scenario-keys.yaml", "scenario holidays, an inject source, sla.contain on an act, a client-owned filing",
   [("timezone: America/Chicago", "timezone: America/Chicago\nholidays: GB-SCT"), ("    at: 0m\n", "    at: 0m\n    source: edr\n")],
   append="      - act: isolate-host\n        within: sla.contain\n      - notify: ceo\n        within: 1h\n        owner: client\n", ok=True)

# ---------------- hostile vendors (issue 15): dates, digits, names, merges, line breaks, work ----------------
sc("starts-year-9999-end.yaml", "a start so late that start + horizon is past the last date Python can hold",
   [("starts: 2026-03-14T02:07:00", "starts: §9999-12-31T20:00:00")], substring="the year must be from 1900 to 9000")
sc("starts-year-9999-christmas.yaml", "a start that validates by itself, then overflows when the horizon is added",
   [("starts: 2026-03-14T02:07:00", "starts: §9999-12-25T02:07:00")], substring="the year must be from 1900 to 9000")
sc("starts-year-0001.yaml", "a start before any time zone's history",
   [("starts: 2026-03-14T02:07:00", "starts: §0001-01-01T00:00:00")], substring="the year must be from 1900 to 9000")
sc("duration-arabic-indic-digits.yaml", "digits of another script read as a duration (int() would take them)",
   [("at: 0m", "at: §\u0664\u0665m")], substring="expected a duration like")
sc("starts-arabic-indic-digits.yaml", "a start written in other digits",
   [("starts: 2026-03-14T02:07:00", "starts: §\u0662\u0660\u0662\u0666-03-14T02:07:00")], substring="expected a local time like")
rb("hours-days-monkey-fries.yaml", "weekday names read by their first three letters",
   [('days: mon-fri', 'days: §monkey-fries')], substring="expected weekday names like mon-fri")
rb("ok-merge-explicit-key-wins.yaml", "a merge key with explicit keys before and after it: the explicit ones win",
   [("  noc: {name: NOC,", "  noc: &base {name: NOC,")],
   append="  vcto:\n    <<: *base\n    name: Fractional CTO\n    responds: 45m\n  night: {responds: 20m, <<: *base, name: Night desk}\n", ok=True)
rb("merge-then-duplicate-explicit.yaml", "a merge does not excuse the same explicit key written twice",
   [("  noc: {name: NOC,", "  noc: &base {name: NOC,")],
   append="  vcto:\n    <<: *base\n    name: Fractional CTO\n    §name: Again\n", substring="duplicate key 'name'")
sc("line-separator-in-title.yaml", "a raw U+2028 in a plain scalar: YAML breaks the line there, editors do not",
   [("title: Corpus base", "title: Corpus §\u2028base")], substring="character U+2028 (line separator) is not allowed")
sc("nel-in-comment-hides-a-key.yaml", "a NEL inside a comment: what looks like a comment is read as a key",
   [("horizon: 12h", "horizon: 12h  # was 12h§\u0085horizon: 1m")], substring="character U+0085 (next line, NEL) is not allowed")
sc("curveball-id-free-text.yaml", "a curveball id that is free text",
   append="curveballs:\n  - {id: §Phone on silent!, at: 0m, unreachable: first_responder}\n",
   substring="curveballs[0].id: expected a curveball id of letters")
sc("curveball-id-duplicate.yaml", "two curveballs with one id",
   append="curveballs:\n  - {id: silent, at: 0m, unreachable: first_responder}\n  - {id: §silent, at: 1h, channel_down: email}\n",
   substring="duplicate curveball id 'silent'")
sc("playbook-free-text.yaml", "a scenario naming its playbook in free text",
   [("horizon: 12h", "horizon: 12h\nplaybook: §Ransomware (see wiki)")], substring="playbook: expected a playbook name of letters")
sc("when-task-typo.yaml", "a conditional inject whose task is one letter off: it would always fire",
   [("        within: 30m\n", "        within: 30m\n      - act: isolate-host\n        within: 1h\n")],
   append="  - id: backups\n    at: 45m\n    when: {not_done: §isolate-hots}\n    message: The backup share is changing too.\n",
   substring="injects[1].when.not_done: unknown task 'isolate-hots'; did you mean 'isolate-host'?")
sc("when-task-free-text.yaml", "a conditional inject naming its task in free text",
   append="  - id: backups\n    at: 45m\n    when: {done: §the host is isolated}\n    message: The backup share is changing too.\n",
   substring="injects[1].when.done: expected a task name of letters")
sc("by-free-text-on-notify.yaml", "`by` on a notify obligation is a role: an id like every other",
   [("        within: 30m\n", "        within: 30m\n        by: §the whole team\n")], substring="expects[1].by: expected a role or function of letters")
sc("weight-arabic-indic-digits.yaml", "a weight in digits of another script",
   [("        within: 30m\n", "        within: 30m\n        weight: §\u0664\u0665\n")], substring="expected a number above 0 and up to 1000")
sc("work-updates-every-minute-90d.yaml", "two updates every minute over 90 days: 259,202 windows to judge, more than ttx will do",
   [("horizon: 12h", "horizon: 90d"), ("      - acknowledge: {within: sla.acknowledge}\n", "      - acknowledge: {within: sla.acknowledge}\n      - update: ceo\n        every: §1m\n      - update: client_it_lead\n        every: 1m\n")],
   substring="injects[0].expects[1].every: an update every 1m over the 90d horizon: 129,601 windows to judge, 2 times")

print("BAD = {")
for name, line, col, sub in sorted(TABLE):
    print(f"    {name!r}: ({line}, {col}, {sub!r}),")
print("}")
print("MUST_LOAD = " + repr(sorted(n for n, *_ in OK)))
print(len(TABLE), "bad,", len(OK), "ok", file=sys.stderr)
