"""The vocabulary of an exercise as frozen attrs classes (SPEC sections 1, 3, 4).

Pure data: loading lives in `loading`, behaviour in `engine` and `scoring`.
"""

from datetime import datetime
from typing import Union

import attrs

from .record import record
from .timing import Calendar, Clock, Duration, zone

FUNCTIONS = ("first_responder", "incident_commander", "technical_lead", "security_lead", "communications_lead")
STAKEHOLDERS = (
    "client_it_lead", "ceo", "finance_lead", "legal_counsel", "cyber_insurer",
    "bank", "regulator", "customers", "staff", "key_vendor",
)
KINDS = ("acknowledge", "engage", "notify", "update", "act", "decide", "resolve")
TARGETLESS = ("acknowledge", "resolve")
SEVERITIES = ("P1", "P2", "P3", "P4")
SLA_METRICS = ("acknowledge", "engage", "update", "contain", "restore")
OWNERS = ("client",)  # `owner: client`: the client's own duty, shown but never scored
MODELS = ("msp", "fractional-cto", "vcio", "co-managed", "internal")
CATEGORIES = ("sla", "communication", "response")


@record
class SlaRef:
    """`sla.acknowledge`: whatever the runbook promises for the scenario's severity."""

    metric: str

    def __str__(self) -> str:
        return f"sla.{self.metric}"


Window = Union[Duration, SlaRef]  # noqa: UP007 - the converter's hooks compare field types with this object


@record
class Stakeholder:
    name: str
    channels: tuple[str, ...]


@record
class Condition:
    """When a conditional inject fires; a task done exactly at the inject's time counts as done."""

    not_done: str | None = None
    done: str | None = None


@record
class ActionRef:
    """`notify:customers` in a `before` constraint."""

    kind: str
    target: str | None

    def __str__(self) -> str:
        return f"{self.kind}:{self.target}" if self.target else self.kind


@record
class Obligation:
    id: str
    kind: str
    target: str | None = None
    within: Window | None = None
    every: Window | None = None
    via: tuple[str, ...] = ()
    by: str | None = None
    before: ActionRef | None = None
    weight: float = 1.0
    owner: str | None = None  # "client": the client's own duty (the filing itself), shown and left out of scores

    @property
    def category(self) -> str:
        if self.kind in ("acknowledge", "engage", "resolve") or isinstance(self.within, SlaRef):
            return "sla"
        if self.kind == "act":
            return "response"
        return "communication"

    def label(self) -> str:
        return f"{self.kind} {self.target}" if self.target else self.kind


@record
class Inject:
    id: str
    at: Duration
    message: str
    source: str | None = None
    expects: tuple[Obligation, ...] = ()
    questions: tuple[str, ...] = ()
    when: Condition | None = None


@record
class Curveball:
    at: Duration
    id: str = ""
    for_: Duration | None = None  # None: until the end of the exercise
    unreachable: str | None = None
    channel_down: str | None = None
    message: str | None = None


@record
class Resolution:
    after: tuple[str, ...]
    takes: Duration = Duration(0)


@record
class ScenarioInfo:
    """What a scorecard says about its scenario: identity, and what its clock needs (starts as ISO text)."""

    id: str
    title: str
    severity: str
    starts: str
    timezone: str

    def clock(self) -> Clock:
        return Clock(datetime.fromisoformat(self.starts), zone(self.timezone))


@record
class RunbookInfo:
    """What a scorecard says about its runbook."""

    id: str
    provider: str
    model: str


@record
class Scenario:
    ttx: str
    id: str
    title: str
    severity: str
    starts: datetime
    timezone: str
    horizon: Duration
    injects: tuple[Inject, ...]
    summary: str = ""
    playbook: str | None = None
    stakeholders: dict[str, Stakeholder] = attrs.Factory(dict)
    resolution: Resolution | None = None
    curveballs: tuple[Curveball, ...] = ()
    tests: str = ""  # what the scenario tells a buyer
    norms: tuple[str, ...] = ()  # the published norms it rests on
    holidays: str | None = None  # public-holiday calendar that business days skip (`US`, `GB-SCT`)

    def clock(self) -> Clock:
        """The scenario's clock: its zone, and its holidays for business days."""
        return Clock(self.starts, zone(self.timezone), self.holidays)

    @property
    def obligations(self) -> list[tuple[Inject, Obligation]]:
        return [(i, o) for i in self.injects for o in i.expects]

    def tasks(self) -> set[str]:
        names = {o.target for _, o in self.obligations if o.kind == "act" and o.target}
        if self.resolution:
            names.update(self.resolution.after)
        for inj in self.injects:
            if inj.when:
                names.update(x for x in (inj.when.done, inj.when.not_done) if x)
        return names

    def decisions(self) -> set[str]:
        return {o.target for _, o in self.obligations if o.kind == "decide" and o.target}


@record
class SlaTier:
    acknowledge: Duration | None = None
    engage: Duration | None = None
    update: Duration | None = None
    contain: Duration | None = None
    restore: Duration | None = None


@record
class AfterHours:
    """Paid call-out outside `hours`: answers `responds` after being paged, for these severities."""

    responds: Duration
    severity: tuple[str, ...] = SEVERITIES

    def covers(self, severity: str) -> bool:
        return severity in self.severity


@record
class Pool:
    """The role's people are shared with other clients (SPEC section 12): `staff` for `clients`."""

    staff: int
    clients: int


@record
class Role:
    name: str
    fills: tuple[str, ...]
    hours: str
    responds: Duration
    backup: str | None = None
    channels: tuple[str, ...] = ()
    after_hours: AfterHours | None = None
    pool: Pool | None = None


@record
class Escalation:
    to: str
    after: Duration = Duration(0)  # measured from the acknowledgement
    severity: tuple[str, ...] = SEVERITIES


@record
class CommRule:
    kind: str  # notify | update
    stakeholders: tuple[str, ...]
    via: tuple[str, ...]
    by: str
    when: str = "declared"
    within: Duration | None = None
    every: Duration | None = None


@record
class Step:
    kind: str  # act | decide
    task: str
    by: str
    takes: Duration = Duration(0)


@record
class Runbook:
    ttx: str
    id: str
    provider: str
    model: str
    roles: dict[str, Role]
    sla: dict[str, SlaTier] = attrs.Factory(dict)
    hours: dict[str, Calendar] = attrs.Factory(dict)
    timezone: str | None = None
    summary: str = ""
    no_answer_after: Duration | None = None
    escalation: tuple[Escalation, ...] = ()
    communication: tuple[CommRule, ...] = ()
    playbooks: dict[str, tuple[Step, ...]] = attrs.Factory(dict)
    holidays: str | None = None  # public-holiday calendar that closes every `hours` but 24x7
    intake: dict[str, str] = attrs.Factory(dict)  # inject source -> the role it pages

    def calendar(self, role: Role) -> Calendar:
        if role.hours in self.hours:
            return self.hours[role.hours]
        return Calendar()  # "24x7" written inline

    def fillers(self, function: str) -> list[str]:
        """Roles that fill a function, in the order the runbook lists them."""
        return [name for name, r in self.roles.items() if function in r.fills]


@record
class Rubric:
    weights: dict[str, float] = attrs.Factory(lambda: {"sla": 40.0, "communication": 40.0, "response": 20.0})
    ratings: dict[str, float] = attrs.Factory(lambda: {"P": 90.0, "S": 70.0, "M": 40.0})
