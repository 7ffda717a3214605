"""Hostile and broken input files: each must give one clear `FILE:LINE:COL: message`, never a traceback.

The corpus lives in tests/bad_inputs/ (each file's first line says what it tries; _generate.py there
writes it and prints the table below). BAD maps every file to
where the first error must point (line, column; None where the file has no position, e.g. an empty
file) and a piece of the message that says what was expected. Files too big to check in (over 1 MiB,
10 MB, 200k+ values) are written at test time. Python-object tags are proven inert with a marker file.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from simulator.cli import main
from simulator.loading import load
from simulator.yamlsrc import LoadError
from tests.helpers import ROOT

CORPUS = ROOT / "tests" / "bad_inputs"

# name: (line, column, part of the first message); line/column None: the message has no position
BAD = {
    'acknowledge-with-target.yaml': (17, 22, 'acknowledge takes no target'),
    'acknowledge-within-twice.yaml': (17, 23, 'injects[0].expects[0].acknowledge.within: `within` is written both inside `acknowledge: {...}` and beside it'),
    'after-hours-bare-number.yaml': (13, 100, 'a bare number (2) is ambiguous'),
    'after-hours-unknown-severity.yaml': (13, 119, "roles.soc.after_hours.severity[1]: unknown severity 'P0'"),
    'alias-billion-laughs.yaml': (11, 14, 'aliases expand past 200,000 values'),
    'alias-merge-ok-but-unknown-key.yaml': (13, 9, "unknown key 'colour'"),
    'alias-recursive.yaml': (11, 37, 'alias *loop refers to an anchor that is not complete'),
    'alias-undefined.yaml': (4, 8, 'alias *nowhere'),
    'backup-cycle.yaml': (12, 84, 'backups form a cycle: noc -> soc -> noc'),
    'backup-self.yaml': (12, 84, 'a role cannot back itself up'),
    'backup-without-no-answer-after.yaml': (12, 84, '`no_answer_after` is not set'),
    'before-bad-format.yaml': (20, 17, 'expected KIND:TARGET like notify:customers'),
    'before-cycle.yaml': (23, 17, '`before` orders form a cycle'),
    'before-itself.yaml': (20, 17, 'cannot come before itself'),
    'before-unknown-task.yaml': (20, 17, "unknown task 'reboot' in before"),
    'binary-elf-header.bin': (1, 8, 'binary'),
    'binary-high-bytes.bin': (1, 1, 'not valid UTF-8 (byte 0x80)'),
    'binary-nul-byte.bin': (15, 17, 'binary (contains NUL bytes)'),
    'binary-png-header.bin': (3, 1, 'binary (contains NUL bytes)'),
    'bom-then-garbage.yaml': (1, 1, 'expected a mapping starting with `ttx: scenario/v1`'),
    'bool-where-text.yaml': (4, 8, 'title: expected text; got true (write "true" in quotes'),
    'by-free-text-on-notify.yaml': (20, 13, 'expects[1].by: expected a role or function of letters'),
    'comm-every-second.yaml': (15, 49, 'communication[0].every: `every` must be at least 1m'),
    'comm-unknown-when.yaml': (15, 48, 'expected declared, resolved, engaged:FUNCTION'),
    'comm-within-and-every.yaml': (15, 61, 'not both'),
    'comments-only.yaml': (None, None, 'file is empty'),
    'contain-on-notify.yaml': (19, 17, "sla.contain (the runbook's containment promise) applies only to act obligations"),
    'control-char-bell.yaml': (4, 3, 'U+0007'),
    'control-char-escape.yaml': (15, 18, 'character U+001B is not allowed'),
    'curveball-after-horizon.yaml': (21, 10, 'curveball at 13h is after the 12h horizon'),
    'curveball-id-duplicate.yaml': (22, 10, "duplicate curveball id 'silent'"),
    'curveball-id-free-text.yaml': (21, 10, 'curveballs[0].id: expected a curveball id of letters'),
    'deep-nesting-10k-dashes.yaml': (4, 95, 'nesting deeper than 48 levels'),
    'deep-nesting-10k-lists.yaml': (4, 55, 'nesting deeper than 48 levels'),
    'deep-nesting-10k-mappings.yaml': (4, 196, 'nesting deeper than 48 levels'),
    'deep-nesting-unclosed.yaml': (3, 55, 'nesting deeper than 48 levels'),
    'document-marker-only.yaml': (None, None, 'file is empty'),
    'duplicate-inject-id.yaml': (20, 9, "duplicate inject id 'alert'"),
    'duplicate-key-in-flow-mapping.yaml': (11, 39, "stakeholders.ceo: duplicate key 'name'"),
    'duplicate-obligation-id.yaml': (20, 9, "duplicate obligation id 'alert/notify:client_it_lead'"),
    'duplicate-role.yaml': (14, 3, "roles: duplicate key 'noc'"),
    'duplicate-stakeholder.yaml': (12, 3, "stakeholders: duplicate key 'ceo'"),
    'duplicate-top-key.yaml': (6, 1, "duplicate key 'title'"),
    'duration-5000-digits.yaml': (14, 9, 'is out of range (at most 366 days)'),
    'duration-absurd.yaml': (19, 17, 'out of range (at most 366 days)'),
    'duration-arabic-indic-digits.yaml': (14, 9, 'expected a duration like'),
    'duration-bad-iso.yaml': (19, 17, 'expected a duration like'),
    'duration-bare-float.yaml': (19, 17, 'a bare number (1.5) is ambiguous'),
    'duration-bare-number.yaml': (14, 9, 'injects[0].at: a bare number (15) is ambiguous: write a unit, e.g. 15m'),
    'duration-decimal-unit.yaml': (8, 10, 'horizon: expected a duration like'),
    'duration-is-list.yaml': (8, 10, 'got a list'),
    'duration-iso-years.yaml': (8, 10, 'expected a duration like'),
    'duration-negative.yaml': (14, 9, 'injects[0].at: a duration cannot be negative'),
    'empty.yaml': (None, None, 'file is empty'),
    'every-on-notify.yaml': (20, 16, '`every` applies only to update obligations'),
    'holidays-runbook-unknown.yaml': (6, 11, "holidays: unknown public-holiday code 'England'"),
    'holidays-unknown-code.yaml': (8, 11, "holidays: unknown public-holiday code 'XX'"),
    'holidays-unknown-subdivision.yaml': (8, 11, "unknown public-holiday code 'US-ZZ' (US subdivisions:"),
    'horizon-a-year.yaml': (8, 10, 'horizon: 366d is out of range: a horizon is at most 90d'),
    'horizon-zero.yaml': (8, 10, 'the horizon must be longer than 0m'),
    'hours-bogus-word.yaml': (9, 11, 'hours.always: expected 24x7'),
    'hours-days-monkey-fries.yaml': (10, 20, 'expected weekday names like mon-fri'),
    'hours-from-2400.yaml': (10, 35, '"24:00" is allowed only as `to`'),
    'hours-from-equals-to.yaml': (10, 13, 'from and to are equal'),
    'hours-minute-60.yaml': (10, 35, 'hours.business.from: expected a time of day'),
    'hours-missing-to.yaml': (10, 13, "hours.business: missing required key 'to'"),
    'hours-to-25.yaml': (10, 48, 'hours.business.to: expected a time of day like "08:00"'),
    'hours-unknown-weekday.yaml': (10, 20, 'hours.business.days: expected weekday names'),
    'huge-value-in-message.yaml': (7, 11, "timezone: unknown time zone 'xxxxxxxx"),
    'inject-after-horizon-bd.yaml': (14, 9, 'inject at 1bd is after the 12h horizon'),
    'inject-after-horizon.yaml': (14, 9, 'after the 12h horizon'),
    'intake-unknown-role.yaml': (6, 30, "intake.identity: unknown role 'idp_team' for identity alerts"),
    'invalid-utf8-after-emoji.yaml': (4, 22, 'not valid UTF-8 (byte 0xff)'),
    'invalid-utf8-after-bom.yaml': (3, 11, 'not valid UTF-8 (byte 0xe9)'),  # the BOM is not a column
    'invalid-utf8-latin1.yaml': (10, 32, 'not valid UTF-8 (byte 0xfc)'),
    'invalid-utf8-surrogate.yaml': (4, 15, 'not valid UTF-8 (byte 0xed)'),
    'line-separator-in-title.yaml': (4, 15, 'character U+2028 (line separator) is not allowed'),
    'merge-then-duplicate-explicit.yaml': (17, 5, "duplicate key 'name'"),
    'missing-required-comm-by.yaml': (15, 5, "communication[0]: missing required key 'by'"),
    'missing-required-inject.yaml': (13, 5, "injects[0]: missing required key 'message'"),
    'missing-required-role.yaml': (13, 8, "roles.soc: missing required key 'responds'"),
    'missing-required-stakeholder.yaml': (11, 8, "stakeholders.ceo: missing required key 'channels'"),
    'missing-required-top.yaml': (2, 1, "missing required key 'title'"),
    'missing-ttx-tag.yaml': (2, 1, 'missing `ttx:` tag'),
    'model-unknown.yaml': (5, 8, 'model: expected one of msp'),
    'nel-in-comment-hides-a-key.yaml': (8, 24, 'character U+0085 (next line, NEL) is not allowed'),
    'null-document.yaml': (None, None, 'file is empty'),
    'null-where-text.yaml': (15, 13, 'injects[0].message: expected text; got nothing'),
    'obligation-id-bad.yaml': (20, 13, 'expected an id of letters'),
    'obligation-no-kind.yaml': (20, 9, 'an obligation needs exactly one of'),
    'obligation-two-kinds.yaml': (20, 9, "has both 'notify' and 'engage'"),
    'owner-not-client.yaml': (20, 16, 'owner: expected `owner: client`'),
    'playbook-free-text.yaml': (9, 11, 'playbook: expected a playbook name of letters'),
    'playbook-step-no-kind.yaml': (16, 7, 'a playbook step needs exactly one of: act, decide'),
    'pool-staff-text.yaml': (12, 90, "roles.noc.pool.staff: expected a whole number like 2; got 'two'"),
    'pool-unknown-key.yaml': (12, 106, "roles.noc.pool: unknown key 'ratio'"),
    'pool-zero-staff.yaml': (12, 90, 'roles.noc.pool.staff: a pool needs at least 1 member of staff'),
    'pytag-apply-open.yaml': (4, 8, 'tag tag:yaml.org,2002:python/object/apply:builtins.open is not allowed'),
    'pytag-apply-os-system.yaml': (4, 8, 'python/object/apply:os.system is not allowed'),
    'pytag-module.yaml': (8, 10, 'python/module:os is not allowed'),
    'pytag-name.yaml': (15, 14, 'injects[0].message: tag tag:yaml.org,2002:python/name:os.system is not allowed'),
    'pytag-object-new.yaml': (7, 11, 'python/object/new:subprocess.Popen is not allowed'),
    'pytag-verbatim.yaml': (4, 8, 'python/object/apply:builtins.open is not allowed'),
    'pytag-via-tag-directive.yaml': (6, 8, 'python/object/apply:builtins.open is not allowed'),
    'resolution-after-bad-name.yaml': (20, 22, 'resolution.after[0]: expected a name of letters'),
    'resolution-after-empty.yaml': (20, 21, 'resolution.after: resolution needs at least one task'),
    'roles-empty.yaml': (11, 8, 'a runbook needs at least one role'),
    'root-is-list.yaml': (2, 1, 'got a list'),
    'root-is-text.yaml': (2, 1, "got 'just some text'"),
    'rubric-all-zero.yaml': (3, 10, 'at least one weight must be above 0'),
    'rubric-unknown-key.yaml': (5, 1, "unknown key 'weight' (expected weights, ratings)"),
    'rubric-weight-nan.yaml': (3, 16, "weights.sla: expected a number from 0 to 100; got '.nan'"),
    'rubric-weights-list.yaml': (3, 10, 'weights: expected a mapping of sla, communication, response'),
    'runbook-unknown-timezone.yaml': (14, 11, "timezone: unknown time zone 'Europe/Atlantis'"),
    'several-problems.yaml': (4, 8, 'title: expected text; got a mapping'),
    'severity-unknown.yaml': (5, 11, "severity: expected one of P1, P2, P3, P4; got 'P9'"),
    'sexagesimal-duration.yaml': (12, 71, 'roles.noc.responds: expected a duration like'),
    'sla-bare-number.yaml': (7, 21, 'sla.P1.acknowledge: a bare number (15) is ambiguous'),
    'sla-bogus.yaml': (17, 31, "unknown SLA metric 'sla.bogus'"),
    'sla-unknown-severity.yaml': (7, 3, "sla.P9: unknown severity 'P9'"),
    'sla-update-every-second.yaml': (7, 47, 'sla.P1.update: an update cadence must be at least 1m'),
    'starts-arabic-indic-digits.yaml': (6, 9, 'expected a local time like'),
    'starts-hour-25.yaml': (6, 9, 'is not a valid date and time'),
    'starts-in-dst-gap.yaml': (6, 9, 'does not exist in America/Chicago'),
    'starts-invalid-date.yaml': (6, 9, 'is not a valid date and time'),
    'starts-year-0001.yaml': (6, 9, 'the year must be from 1900 to 9000'),
    'starts-year-9999-christmas.yaml': (6, 9, 'the year must be from 1900 to 9000'),
    'starts-year-9999-end.yaml': (6, 9, 'the year must be from 1900 to 9000'),
    'syntax-bad-escape.yaml': (4, 16, 'YAML syntax'),
    'syntax-bad-indent.yaml': (11, 2, 'YAML syntax: did not find expected key (check the indentation)'),
    'syntax-colon-in-plain-value.yaml': (15, 23, 'YAML syntax: mapping values are not allowed'),
    'syntax-complex-key.yaml': (5, 3, 'a mapping key must be a plain value'),
    'syntax-long-key.yaml': (5, 1101, '1024 characters'),
    'syntax-tab-in-mapping.yaml': (14, 1, 'tab'),
    'syntax-tab-indent.yaml': (13, 1, 'a tab cannot indent YAML'),
    'syntax-two-documents.yaml': (20, 1, 'one YAML document'),
    'syntax-unclosed-flow.yaml': (11, 36, 'YAML syntax'),
    'syntax-unterminated-quote.yaml': (4, 8, 'a quoted scalar starts here and is never closed'),
    'tag-binary.yaml': (4, 8, 'tag:yaml.org,2002:binary is not allowed'),
    'tag-include.yaml': (11, 8, 'stakeholders.ceo: tag !include is not allowed'),
    'terminal-escape-in-name.yaml': (18, 17, 'expected a target name'),
    'timestamp-date-only.yaml': (6, 9, 'expected a local time'),
    'timestamp-with-offset.yaml': (6, 9, 'starts: expected a local time like 2026-03-14T02:07:00 (no offset)'),
    'timestamp-zulu.yaml': (6, 9, '(no offset)'),
    'timezone-localtime.yaml': (7, 11, "timezone: time zone 'localtime' depends on the computer's zone files"),
    'timezone-path-traversal.yaml': (7, 11, 'unknown time zone'),
    'too-many-injects.yaml': (13, 3, '2,001 injects; the limit is 2,000'),
    'ttx-tag-is-list.yaml': (2, 6, 'unknown file kind a list'),
    'type-fills-mapping.yaml': (12, 27, 'roles.noc.fills: expected a list of names'),
    'type-list-for-mapping.yaml': (9, 15, 'stakeholders: expected a mapping'),
    'type-list-for-text.yaml': (7, 11, 'timezone: expected text; got a list'),
    'type-mapping-for-list.yaml': (17, 7, 'injects[0].expects: expected a list'),
    'type-mapping-for-text.yaml': (4, 8, 'title: expected text; got a mapping'),
    'type-obligation-as-word.yaml': (17, 9, 'injects[0].expects[0]: expected a mapping with one of acknowledge'),
    'type-roles-list.yaml': (12, 3, 'roles: expected a mapping'),
    'type-text-for-list.yaml': (12, 10, 'injects: expected a list'),
    'type-text-for-mapping.yaml': (11, 8, "stakeholders.ceo: expected a mapping with name, channels; got 'phone'"),
    'unknown-decision-owner.yaml': (21, 13, "unknown owner 'mayor'"),
    'unknown-function-fills.yaml': (13, 28, "roles.soc.fills[0]: unknown function 'ciso'"),
    'unknown-function.yaml': (20, 17, "injects[0].expects[2].engage: unknown function 'janitor'"),
    'unknown-hours-name.yaml': (13, 51, "roles.soc.hours: unknown hours 'office'"),
    'unknown-key-bidi.yaml': (9, 1, "top-level unknown key 'hori\\u202ezon'"),
    'unknown-key-communication.yaml': (15, 55, "communication[0]: unknown key 'cc'"),
    'unknown-key-curveball.yaml': (21, 44, "curveballs[0]: unknown key 'until'"),
    'unknown-key-escalation.yaml': (15, 26, "escalation[0]: unknown key 'notify'"),
    'unknown-key-hours.yaml': (10, 57, "hours.business.tz: unknown key 'tz' in hours"),
    'unknown-key-inject.yaml': (15, 5, "injects[0]: unknown key 'severity'"),
    'unknown-key-nested-acknowledge.yaml': (17, 23, "did you mean 'within'?"),
    'unknown-key-obligation.yaml': (19, 9, "injects[0].expects[1]: unknown key 'deadline'"),
    'unknown-key-playbook-step.yaml': (16, 43, "playbooks.ransomware[0]: unknown key 'owner'"),
    'unknown-key-resolution.yaml': (20, 43, "resolution: unknown key 'when'"),
    'unknown-key-role.yaml': (12, 76, "roles.noc: unknown key 'phone'"),
    'unknown-key-runbook-top.yaml': (14, 1, "top-level unknown key 'escalations'"),
    'unknown-key-sla.yaml': (7, 64, "sla.P1: unknown key 'resolve'"),
    'unknown-key-stakeholder.yaml': (11, 39, "stakeholders.ceo: unknown key 'email' (expected one of: name, channels)"),
    'unknown-key-top.yaml': (9, 1, "top-level unknown key 'horizn'"),
    'unknown-key-when.yaml': (23, 12, "injects[1].when: unknown key 'unless'"),
    'unknown-role-backup.yaml': (12, 84, "roles.noc.backup: unknown role 'noc2'"),
    'unknown-role-communication.yaml': (15, 37, "communication[0].by: unknown role 'vcto'"),
    'unknown-role-escalation.yaml': (15, 10, "escalation[0].to: unknown role 'vcto'"),
    'unknown-role-playbook.yaml': (16, 26, "playbooks.ransomware[0].by: unknown role 'tier3'"),
    'unknown-stakeholder-notify.yaml': (18, 17, "unknown stakeholder 'cfo'"),
    'unknown-stakeholder-update.yaml': (20, 17, "unknown stakeholder 'board'"),
    'unknown-timezone.yaml': (7, 11, "unknown time zone 'America/Springfield'"),
    'unknown-ttx-kind.yaml': (2, 6, "unknown file kind 'playbook/v1'"),
    'unknown-ttx-version.yaml': (2, 6, "unknown file kind 'scenario/v2'"),
    'update-every-second.yaml': (21, 16, '`every` must be at least 1m (got 1s)'),
    'update-every-zero.yaml': (21, 16, '`every` must be at least 1m (got 0m)'),
    'update-without-every.yaml': (20, 9, 'an update obligation needs `every:`'),
    'utf16-with-bom.yaml': (1, 1, 'UTF-16'),
    'via-on-act.yaml': (21, 14, '`via` applies only to notify and update'),
    'via-unreachable.yaml': (21, 14, 'ceo takes only phone: no channel in via (email, sms) can reach them'),
    'weight-absurd.yaml': (20, 17, "up to 1000; got '1e308'"),
    'weight-arabic-indic-digits.yaml': (20, 17, 'expected a number above 0 and up to 1000'),
    'weight-inf.yaml': (20, 17, "weight: expected a number above 0 and up to 1000; got '.inf'"),
    'weight-nan.yaml': (20, 17, "injects[0].expects[1].weight: expected a number above 0 and up to 1000; got '.nan'"),
    'weight-negative.yaml': (20, 17, "weight: expected a number above 0 and up to 1000; got '-1'"),
    'weight-text.yaml': (20, 17, "above 0 and up to 1000; got 'heavy'"),
    'weight-zero.yaml': (20, 17, "above 0 and up to 1000; got '0'"),
    'when-task-free-text.yaml': (22, 18, 'injects[1].when.done: expected a task name of letters'),
    'when-task-typo.yaml': (24, 22, "injects[1].when.not_done: unknown task 'isolate-hots'; did you mean 'isolate-host'?"),
    'whitespace-only.yaml': (None, None, 'file is empty'),
    'work-updates-every-minute-90d.yaml': (19, 16, 'injects[0].expects[1].every: an update every 1m over the 90d horizon: 129,601 windows to judge, 2 times'),
}
MUST_LOAD = ['ok-due-after-horizon.yaml', 'ok-empty-optional-lists.yaml', 'ok-hours-unquoted.yaml', 'ok-iso-and-business-days.yaml', 'ok-merge-explicit-key-wins.yaml', 'ok-sla-business-days.yaml', 'ok-starts-with-space.yaml', 'ok-utf8-bom.yaml', 'ok-v11-keys.yaml', 'ok-v11-scenario-keys.yaml', 'ok-yes-no-values.yaml']


POSITIONED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<msg>.+)$")


def _validate(capsys: pytest.CaptureFixture[str], *paths: Path | str) -> tuple[int, str, str]:
    rc = main(["validate", *map(str, paths)])
    out, err = capsys.readouterr()
    return rc, out, err


def _first_error(err: str, path: str) -> tuple[int | None, int | None, str]:
    line = err.splitlines()[0]
    m = POSITIONED.match(line)
    if m and m["file"] == path:
        return int(m["line"]), int(m["col"]), m["msg"]
    assert line.startswith(f"{path}: "), line
    return None, None, line[len(path) + 2:]


def test_the_corpus_is_big_and_every_file_has_an_expectation():
    on_disk = {p.name for p in CORPUS.iterdir() if not p.name.startswith("_")}  # _generate.py writes the corpus
    assert on_disk == set(BAD) | set(MUST_LOAD)
    assert len(BAD) >= 70


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_gives_one_positioned_message(name, capsys):
    line, col, expected = BAD[name]
    path = str(CORPUS / name)
    rc, out, err = _validate(capsys, path)
    assert rc == 1, err
    assert out == ""
    assert "Traceback" not in err and "internal error" not in err
    assert "\x1b" not in err and "\x07" not in err  # nothing from the file can drive the terminal
    got = _first_error(err, path)
    assert got[:2] == (line, col), err
    assert expected in got[2], err
    for extra in err.splitlines()[1:]:  # further problems, if any, use the same format
        assert POSITIONED.match(extra) or extra.startswith(f"{path}: "), extra


@pytest.mark.parametrize("name", MUST_LOAD)
def test_traps_that_must_still_load(name, capsys):
    rc, out, err = _validate(capsys, CORPUS / name)
    assert (rc, err) == (0, "")
    assert out.startswith(f"{CORPUS / name}: ok (")


def test_yaml_1_1_traps_keep_their_meaning():
    hours = load(str(CORPUS / "ok-hours-unquoted.yaml")).value.hours["business"]
    assert hours.describe() == "mon-fri 08:00-18:00"  # not 480 minutes-as-a-number
    sc = load(str(CORPUS / "ok-yes-no-values.yaml")).value
    assert (sc.title, sc.injects[0].message, sc.stakeholders["ceo"].name) == ("no", "yes", "off")
    assert load(str(CORPUS / "ok-starts-with-space.yaml")).value.starts.isoformat() == "2026-03-14T02:07:00"
    assert load(str(CORPUS / "ok-utf8-bom.yaml")).value.title == "Corpus base"
    empty = load(str(CORPUS / "ok-empty-optional-lists.yaml")).value
    assert (empty.curveballs, empty.injects[0].questions) == ((), ())


def test_a_merge_key_gives_way_to_explicit_keys_before_or_after_it():
    roles = load(str(CORPUS / "ok-merge-explicit-key-wins.yaml")).value.roles
    assert (roles["vcto"].name, str(roles["vcto"].responds), roles["vcto"].fills) == ("Fractional CTO", "45m", ("first_responder",))
    assert (roles["night"].name, str(roles["night"].responds)) == ("Night desk", "20m")


def test_iso_durations_and_business_days_load_with_their_values():
    sc = load(str(CORPUS / "ok-iso-and-business-days.yaml")).value
    notify = sc.injects[0].expects[1]
    decide = sc.injects[0].expects[2]
    assert notify.within.seconds == 30 * 60
    assert (decide.within.business_days, str(decide.within)) == (4, "4bd")
    rb = load(str(CORPUS / "ok-sla-business-days.yaml")).value
    assert rb.sla["P1"].restore.business_days == 2


def test_duplicate_keys_are_errors_not_last_one_wins(capsys):
    rc, _, err = _validate(capsys, CORPUS / "duplicate-top-key.yaml")
    assert rc == 1 and "duplicate key 'title'" in err
    with pytest.raises(LoadError, match="duplicate key 'title'"):
        load(str(CORPUS / "duplicate-top-key.yaml"))
    # PyYAML itself would have kept the second title silently; the corpus file really has two
    assert yaml.safe_load((CORPUS / "duplicate-top-key.yaml").read_text())["title"] == "Second title"


def test_python_tags_are_rejected_and_never_executed(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "ttx-pwned-marker"
    source = (CORPUS / "pytag-apply-open.yaml").read_text()
    # The file is a real exploit: an unsafe loader creates the marker.
    made = yaml.unsafe_load(source)["title"]
    made.close()
    assert marker.exists()
    marker.unlink()
    files = sorted(CORPUS.glob("pytag-*.yaml"))
    assert len(files) >= 6
    rc, out, err = _validate(capsys, *files)
    assert rc == 1 and out == ""
    assert len(err.splitlines()) == len(files)
    assert all("is not allowed (ttx files are plain data)" in line for line in err.splitlines())
    assert not marker.exists()
    assert list(tmp_path.iterdir()) == []


def test_every_problem_is_reported_first_in_file_order(capsys):
    path = str(CORPUS / "several-problems.yaml")
    rc, _, err = _validate(capsys, path)
    assert rc == 1
    lines = err.splitlines()
    assert [POSITIONED.match(x).group("line", "col") for x in lines] == [("4", "8"), ("14", "9"), ("15", "5")]
    assert "injects[0].at: a bare number (15) is ambiguous: write a unit, e.g. 15m" in lines[1]
    assert "injects[0]: unknown key 'colour'" in lines[2]


def test_a_runbook_where_a_scenario_is_expected_and_the_reverse(capsys):
    rb = str(CORPUS / "ok-sla-business-days.yaml")
    sc = str(CORPUS / "ok-utf8-bom.yaml")
    assert main(["run", rb, "--runbook", rb]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{rb}:2:6: this is a runbook file; expected a scenario")
    assert main(["run", sc, "--runbook", sc]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{sc}:2:6: this is a scenario file; expected a runbook")


def test_missing_file_and_directory_have_no_position(capsys, tmp_path):
    missing = str(tmp_path / "nope.yaml")
    rc, _, err = _validate(capsys, missing, tmp_path)
    assert rc == 1
    assert err.splitlines() == [f"{missing}: no such file", f"{tmp_path}: is a directory, expected a YAML file"]


# --- files too big to check in -----------------------------------------------------------------

def _padded(size: int) -> bytes:
    """A valid scenario padded with a comment to exactly `size` bytes."""
    body = (CORPUS / "ok-utf8-bom.yaml").read_bytes()
    return body + b"#" + b"x" * (size - len(body) - 2) + b"\n"


def test_a_file_of_exactly_one_mebibyte_loads_and_one_byte_more_does_not(tmp_path, capsys):
    ok, big = tmp_path / "ok.yaml", tmp_path / "big.yaml"
    ok.write_bytes(_padded(1024 * 1024))
    big.write_bytes(_padded(1024 * 1024 + 1))
    assert ok.stat().st_size == 1024 * 1024 and big.stat().st_size == 1024 * 1024 + 1
    rc, _, err = _validate(capsys, ok)
    assert (rc, err) == (0, "")
    rc, _, err = _validate(capsys, big)
    assert rc == 1
    assert err == f"{big}: file is 1,048,577 bytes; the limit is 1,048,576 (1 MiB)\n"


def test_many_values_under_one_mebibyte_stop_at_the_value_limit(tmp_path, capsys):
    f = tmp_path / "values.yaml"
    f.write_text("ttx: scenario/v1\ntitle: [" + ",".join(["1"] * 250_000) + "]\n")
    assert f.stat().st_size < 1024 * 1024
    rc, _, err = _validate(capsys, f)
    assert rc == 1
    line, col, msg = _first_error(err, str(f))
    assert line == 2 and col > 1 and msg == "file has more than 200,000 values"


def test_hostile_files_through_a_real_process(tmp_path):
    """The installed entry point: exit 1, positioned messages, nothing on stdout, no traceback."""
    ten_mb = tmp_path / "ten-megabytes.yaml"
    with open(ten_mb, "wb") as fh:
        fh.write(b"ttx: scenario/v1\ntitle: " + b"x" * (10 * 1024 * 1024) + b"\n")
    names = ["deep-nesting-10k-lists.yaml", "alias-billion-laughs.yaml", "binary-nul-byte.bin",
             "invalid-utf8-latin1.yaml", "pytag-apply-os-system.yaml", "syntax-tab-indent.yaml",
             "control-char-escape.yaml", "terminal-escape-in-name.yaml", "empty.yaml"]
    paths = [str(CORPUS / n) for n in names]
    proc = subprocess.run([sys.executable, "-m", "simulator", "validate", *paths, str(ten_mb)], cwd=tmp_path,
                          capture_output=True, timeout=120)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 1, err
    assert proc.stdout == b""
    assert "Traceback" not in err and b"\x1b" not in proc.stderr
    lines = err.splitlines()
    assert len(lines) == len(names) + 1
    for name, path, line in zip(names, paths, lines):
        want_line, want_col, expected = BAD[name]
        where = f"{path}:{want_line}:{want_col}: " if want_line else f"{path}: "
        assert line.startswith(where) and expected in line, line
    assert lines[-1] == f"{ten_mb}: file is {ten_mb.stat().st_size:,} bytes; the limit is 1,048,576 (1 MiB)"
    assert not (tmp_path / "ttx-pwned-marker").exists()


def test_a_broken_scenario_stops_run_with_exit_1_and_no_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "simulator", "run", str(CORPUS / "starts-in-dst-gap.yaml"),
                           "--runbook", str(ROOT / "scenarios" / "runbooks" / "acme-msp.yaml")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.strip() == (f"{CORPUS / 'starts-in-dst-gap.yaml'}:6:9: starts: 2026-03-08T02:30:00 does not "
                                   "exist in America/Chicago: the clocks skip it (daylight saving)")
