"""A deterministic synthetic CRM export in Salesforce Data Loader CSV format.

The sample carries the behaviours the site must reveal: reps across the whole
adoption spectrum, a rep whose habit improves part-way, an assistant entering
records for reps, colleagues touching each other's accounts, and outcomes that
are only *noisily* associated with adoption, with confounding: each rep has a
latent skill that raises both how diligently they log and how often they win.
The same seed and sizes always give identical bytes.

Two knobs set the truth the estimators are checked against. `within_effect` scales
every planted link between a rep's logging in a week and their outcomes then (the win
probability rises by within_effect x that week's diligence; the improver's extra win
probability and deal size after the switch scale with it); 0 ties no outcome to the
rep's own logging. `confounding` scales how far each persona's base win probability
sits from a common centre (1: the personas' own, 0: all the same, so skill no longer
goes with logging). Each closed deal's win probability, and the part of it planted by
logging, are returned (never written to the export).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

from .coaching import coaching_log_text
from .export import ExportRows, Ids, sf_datetime
from .personas import (
    APPENDED_PERSONAS,
    END_DATE,
    FIRST,
    FIXED_PERSONAS,
    IMPROVER_SIZE,
    IMPROVER_SWITCH,
    IMPROVER_WIN,
    INDUSTRIES,
    LAST,
    LOGIN_CHANCE,
    OPEN_STAGES,
    PERSONAS,
    RANDOM_PERSONA_WEIGHTS,
    SKILL_CENTRE,
    SLIP_WEEKS,
    SLUMP_CHANCE,
    SLUMP_FACTOR,
    SUBJECTS,
    TEAMS,
    WINDOWS,
    WITHIN_REP_EFFECT,
    Rep,
)

COACHING_LOG = "coaching/log.csv"  # the demo manager's log, beside the export files


@dataclass
class SampleResult:
    folder: Path
    personas: dict[str, str]  # rep user id -> persona name
    row_counts: dict[str, int]
    improver_switch: dt.date
    # closed deal ID -> its win probability, and the part of it the rep's logging planted
    win_probability: dict[str, float] = field(default_factory=dict)
    planted_win: dict[str, float] = field(default_factory=dict)


class SampleWriter:
    """Generates the export in memory-light passes and writes one CSV per object."""

    def __init__(self, seed: int, reps: int, months: int,
                 within_effect: float = WITHIN_REP_EFFECT, confounding: float = 1.0) -> None:
        self.rng = random.Random(seed)
        self.within_effect = within_effect
        self.scale = within_effect / WITHIN_REP_EFFECT  # 1 keeps the demo's planted links
        self.confounding = confounding
        self.win_probability: dict[str, float] = {}
        self.planted_win: dict[str, float] = {}
        self.ids = Ids()
        self.export = ExportRows(self.rng, self.ids)
        self.end = END_DATE
        self.start = END_DATE - dt.timedelta(days=round(months * 30.44))
        self.workdays = [self.start + dt.timedelta(days=i)
                         for i in range((self.end - self.start).days + 1)
                         if (self.start + dt.timedelta(days=i)).weekday() < 5]
        self.switch_day = self.workdays[int(len(self.workdays) * IMPROVER_SWITCH)]
        self.slip_day = self.end - dt.timedelta(weeks=SLIP_WEEKS, days=self.end.weekday())
        self.rows = self.export.rows
        appended = reps >= len(FIXED_PERSONAS) + len(APPENDED_PERSONAS)
        self.appended = APPENDED_PERSONAS if appended else ()
        self.n_reps = reps - len(self.appended)
        self.reps: list[Rep] = []
        self.diligence: dict[tuple[str, dt.date], float] = {}
        self.slumps: dict[tuple[str, int], bool] = {}
        self.day_plan: dict[tuple[str, dt.date], tuple[str, dt.datetime] | None] = {}

    # ---- people -------------------------------------------------------------------
    def _user(self, first: str, last: str, title: str, team: str, manager: str,
              user_type: str = "Standard", active: bool = True) -> str:
        user_id = self.ids.next("User")
        handle = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
        email = f"{handle}@acme-sales.example"
        created = dt.datetime.combine(self.start - dt.timedelta(days=400), dt.time(9))
        self.rows["User"].append([user_id, email, first, last, f"{first} {last}", email, title,
                                  team, manager, str(active).lower(), user_type,
                                  sf_datetime(created)])
        return user_id

    def make_people(self) -> None:
        self.managers = {team: self._user("Morgan", team + "lake", "Sales Manager", team, "")
                         for team in TEAMS}
        self.assistant = self._user("Sam", "Helper", "Sales Assistant", "Central", "")
        self.integration = self._user("Marketing", "Sync", "Integration User", "", "",
                                      user_type="AutomatedProcess")
        for index in range(self.n_reps):
            persona = (FIXED_PERSONAS[index] if index < len(FIXED_PERSONAS) else
                       self.rng.choices(list(RANDOM_PERSONA_WEIGHTS),
                                        weights=list(RANDOM_PERSONA_WEIGHTS.values()))[0])
            self.reps.append(self._rep(index, persona))

    def _rep(self, index: int, persona: str) -> Rep:
        first = FIRST[index % len(FIRST)]
        last = LAST[(index * 7) % len(LAST)]
        if index >= len(FIRST):
            last = f"{last}-{index // len(FIRST) + 1}"
        team = TEAMS[index % len(TEAMS)]
        user_id = self._user(first, last, "Account Executive", team, self.managers[team])
        skill = self._base_skill(persona) + self.rng.gauss(0, 0.03)
        return Rep(user_id, f"{first} {last}", team, persona, skill, self.managers[team],
                   WINDOWS.get(persona, dt.time(16, 30)))

    def _base_skill(self, persona: str) -> float:
        """The persona's base win probability, moved towards the centre as confounding
        falls (exactly the persona's own at 1: adding 0.0 changes no bit)."""
        base = PERSONAS[persona][2]
        return base + (self.confounding - 1) * (base - SKILL_CENTRE)

    def append_reps(self, simulate: bool = True) -> None:
        """The appended personas, simulated after everyone else (see APPENDED_PERSONAS)."""
        added = [self._rep(self.n_reps + offset, persona)
                 for offset, persona in enumerate(self.appended)]
        self.reps.extend(added)
        if simulate:
            self.make_accounts(added)
            self.simulate(added, shared_days=False)

    def coaching_log(self) -> str:
        return coaching_log_text(((rep.name, rep.persona) for rep in self.reps), self.end,
                                 self.switch_day)

    def make_accounts(self, reps: list[Rep] | None = None) -> None:
        per_rep = 18
        for rep in self.reps if reps is None else reps:
            for _ in range(per_rep):
                account_id = self.ids.next("Account")
                created = self._moment(self.start - dt.timedelta(days=self.rng.randint(1, 300)))
                creator = self.integration if self.rng.random() < 0.3 else rep.user_id
                name = f"{self.rng.choice(LAST)} {self.rng.choice(INDUSTRIES)} Ltd"
                phone = f"+1 555 01{self.rng.randint(0, 99):02d}"
                self.rows["Account"].append([
                    account_id, name, rep.user_id, creator, self.rng.choice(INDUSTRIES), phone,
                    f"www.{name.split()[0].lower()}.example", sf_datetime(created),
                    sf_datetime(created)])
                rep.accounts.append(account_id)

    # ---- behaviour ------------------------------------------------------------------
    def _moment(self, day: dt.date, start_hour: int = 8, end_hour: int = 18) -> dt.datetime:
        seconds = self.rng.randint(start_hour * 3600, end_hour * 3600 - 1)
        return dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)

    def _persona_today(self, rep: Rep, day: dt.date) -> str:
        if rep.persona == "improver":
            return "daily" if day >= self.switch_day else "friday_batcher"
        if rep.persona == "slipping":
            return "slipped" if day >= self.slip_day else "slipping"
        return rep.persona

    def _week_diligence(self, rep: Rep, day: dt.date) -> float:
        monday = day - dt.timedelta(days=day.weekday())
        key = (rep.user_id, monday)
        if key not in self.diligence:
            mean, spread, _, _ = PERSONAS[self._persona_today(rep, monday)]
            if self._in_slump(rep, monday):
                mean *= SLUMP_FACTOR
            self.diligence[key] = min(1.0, max(0.0, self.rng.gauss(mean, spread)))
        return self.diligence[key]

    def _in_slump(self, rep: Rep, monday: dt.date) -> bool:
        """Busy months happen to everyone: whole 4-week blocks of weaker logging."""
        if (self.end - monday).days < 35:
            return False  # the latest period shows each persona as designed
        block = (rep.user_id, (monday - self.start).days // 28)
        if block not in self.slumps:
            self.slumps[block] = self.rng.random() < SLUMP_CHANCE
        return self.slumps[block]

    def _entry(self, rep: Rep, day: dt.date,
               occurred: dt.datetime) -> tuple[str, dt.datetime] | None:
        """Who entered a piece of work done on `day`, and when; None if never logged.

        The habit is decided once per rep and day: on a habit day everything is logged in
        the daily window; otherwise the day's work is caught up in one late batch (per the
        persona's late mode) or never.
        """
        key = (rep.user_id, day)
        if key not in self.day_plan:
            self.day_plan[key] = self._plan_day(rep, day)
        plan = self.day_plan[key]
        if plan is None:
            return None
        who, when = plan
        if who == "window":
            window = dt.datetime.combine(day, rep.window)
            return rep.user_id, max(occurred, window) + dt.timedelta(
                minutes=self.rng.randint(0, 15))
        return who, max(when, occurred) + dt.timedelta(minutes=self.rng.randint(0, 20))

    def _plan_day(self, rep: Rep, day: dt.date) -> tuple[str, dt.datetime] | None:
        if self.rng.random() < self._week_diligence(rep, day):
            return "window", dt.datetime.combine(day, rep.window)
        mode, roll = PERSONAS[self._persona_today(rep, day)][3], self.rng.random()
        if mode == "next_day" and roll < 0.8:
            return rep.user_id, self._moment(self._next_workday(day, 1), 8, 10)
        if mode == "few_days" and roll < 0.5:
            return rep.user_id, self._moment(self._next_workday(day, self.rng.randint(1, 4)))
        if mode == "friday" and roll < 0.85:
            friday = day + dt.timedelta(days=4 - day.weekday())
            return rep.user_id, self._moment(friday, 15, 17)
        if mode == "assistant" and roll < 0.75:
            return self.assistant, self._moment(self._next_workday(day, self.rng.randint(1, 3)))
        if mode == "assistant_rare" and roll < 0.25:
            return self.assistant, self._moment(self._next_workday(day, self.rng.randint(2, 7)))
        if mode == "lapsing" and roll < 0.2:
            return rep.user_id, self._moment(self._next_workday(day, self.rng.randint(1, 4)))
        if mode == "rare" and roll < 0.03:
            return rep.user_id, self._moment(self._next_workday(day, self.rng.randint(1, 5)))
        return None

    def _next_workday(self, day: dt.date, count: int) -> dt.date:
        while count:
            day += dt.timedelta(days=1)
            if day.weekday() < 5:
                count -= 1
        return day

    def _new_deal(self, rep: Rep, day: dt.date) -> None:
        deal_id = self.ids.next("Opportunity")
        occurred = self._moment(day)
        unrecorded = self._persona_today(rep, day) in ("logs_in_little", "slipped")
        if unrecorded and self._entry(rep, day, occurred) is None:
            return  # the opportunity lives in the rep's head, never in the CRM
        entry = self._entry(rep, day, occurred) or (
            (self.assistant if PERSONAS[rep.persona][3].startswith("assistant") else rep.user_id),
            self._moment(self._next_workday(day, self.rng.randint(3, 10))))
        cycle = max(7, int(self.rng.lognormvariate(math.log(40), 0.45)))
        size = self.rng.lognormvariate(math.log(18000), 0.6)
        if rep.persona == "improver" and day >= self.switch_day:
            size *= IMPROVER_SIZE if self.scale == 1 else IMPROVER_SIZE ** self.scale
        deal = {"id": deal_id, "rep": rep, "account": self.rng.choice(rep.accounts),
                "creator": entry[0], "created": max(entry[1], occurred),
                "close": day + dt.timedelta(days=cycle), "amount": round(size, -2),
                "currency": "EUR" if rep.team == "North" else "USD",
                "stage": OPEN_STAGES[0], "history": []}
        rep.open_deals.append(deal)

    def _touch(self, rep: Rep, day: dt.date, owner: Rep | None = None) -> None:
        """One piece of real customer work; logged as a Task or Event (or not at all)."""
        actor = owner or rep
        deal = self.rng.choice(rep.open_deals) if rep.open_deals and owner is None else None
        account = deal["account"] if deal else self.rng.choice(rep.accounts)
        occurred = self._moment(day)
        entry = self._entry(actor, day, occurred)
        if entry is None:
            return
        creator, created = entry
        kind = self.rng.choices(["Call", "Email", "Meeting"], weights=[5, 4, 2])[0]
        what = deal["id"] if deal else account
        if deal:
            self._advance_stage(deal, creator, created)
        if kind == "Meeting":
            self.rows["Event"].append([
                self.ids.next("Event"), actor.user_id, creator, what, account,
                f"{kind} with customer", "Meeting", sf_datetime(occurred),
                sf_datetime(occurred), sf_datetime(occurred + dt.timedelta(minutes=45)), "45",
                sf_datetime(created)])
        else:
            task_type = kind if self.rng.random() < 0.6 else ""  # Type is often empty
            note = (f"Spoke to {self.rng.choice(FIRST).lower()}@customer.example, "
                    f"+1 555 01{self.rng.randint(0, 99):02d}")
            self.rows["Task"].append([
                self.ids.next("Task"), actor.user_id, creator, what, account,
                SUBJECTS[kind], task_type, kind if kind != "Meeting" else "Task", "Completed",
                day.isoformat(), note, sf_datetime(created)])

    def _advance_stage(self, deal: dict, creator: str, when: dt.datetime) -> None:
        index = OPEN_STAGES.index(deal["stage"])
        if index + 1 < len(OPEN_STAGES) and self.rng.random() < 0.15:
            deal["history"].append(("StageName", deal["stage"], OPEN_STAGES[index + 1],
                                    creator, when))
            deal["stage"] = OPEN_STAGES[index + 1]

    def _close_due_deals(self, rep: Rep, day: dt.date) -> None:
        for deal in [d for d in rep.open_deals if d["close"] <= day]:
            rep.open_deals.remove(deal)
            diligence = self._week_diligence(rep, day)
            win = rep.skill + self.within_effect * diligence  # this order: the demo's bits
            if rep.persona == "improver" and day >= self.switch_day:
                win += IMPROVER_WIN * self.scale
            deal["won"] = self.rng.random() < win
            self.win_probability[deal["id"]] = min(1.0, max(0.0, win))
            self.planted_win[deal["id"]] = (self.win_probability[deal["id"]]
                                            - min(1.0, max(0.0, rep.skill)))
            deal["closed"] = True
            closer = self._entry(rep, day, self._moment(day))
            who, when = closer or (self.assistant, self._moment(self._next_workday(day, 5)))
            final = "Closed Won" if deal["won"] else "Closed Lost"
            deal["history"].append(("StageName", deal["stage"], final, who, when))
            deal["stage"], deal["modified"] = final, when
            self.export.deal(deal)

    def simulate(self, reps: list[Rep] | None = None, shared_days: bool = True) -> None:
        """Every workday for `reps` (default all); `shared_days` adds the assistant's logins
        and colleagues' calls, which only the first pass simulates."""
        reps = self.reps if reps is None else reps
        for day in self.workdays:
            for rep in reps:
                if self.rng.random() < 6 / 21:
                    self._new_deal(rep, day)
                for _ in range(self.rng.randint(2, 6)):
                    self._touch(rep, day)
                if shared_days and self.rng.random() < 0.03:  # a colleague calls a customer
                    colleague = self.rng.choice([r for r in self.reps if r.team == rep.team
                                                 and r is not rep] or [rep])
                    if colleague is not rep:
                        self._touch(rep, day, owner=colleague)
                self._close_due_deals(rep, day)
                self._logins(rep, day)
            if shared_days:
                self._assistant_login(day)
        for rep in reps:
            for deal in rep.open_deals:
                deal["closed"], deal["won"] = False, False
                self.export.deal(deal)

    def _logins(self, rep: Rep, day: dt.date) -> None:
        if rep.persona == "never_logs_in":
            return
        if rep.persona in LOGIN_CHANCE:
            if self.rng.random() < LOGIN_CHANCE[rep.persona]:
                self.export.login(rep.user_id, self._moment(day, 8, 9))
            return
        active = (self.rng.random() < self._week_diligence(rep, day) + 0.1
                  or (self._persona_today(rep, day) == "friday_batcher" and day.weekday() == 4))
        if active:
            self.export.login(rep.user_id, self._moment(day, 8, 9))

    def _assistant_login(self, day: dt.date) -> None:
        self.export.login(self.assistant, self._moment(day, 8, 9))


def generate_sample(folder: Path, seed: int = 42, reps: int = 22, months: int = 12,
                    within_effect: float = WITHIN_REP_EFFECT,
                    confounding: float = 1.0) -> SampleResult:
    """Write the synthetic Salesforce export into `folder` and describe what it holds.

    The defaults give the demo export; `within_effect` and `confounding` plant other truths
    (see the module docstring)."""
    if reps < 1 or months < 1:
        raise ValueError("reps and months must be at least 1")
    if within_effect < 0 or confounding < 0:
        raise ValueError("within_effect and confounding must be at least 0")
    writer = SampleWriter(seed, reps, months, within_effect, confounding)
    writer.make_people()
    writer.make_accounts()
    writer.simulate()
    writer.append_reps()
    counts = writer.export.write(Path(folder), writer.end)
    log = Path(folder) / COACHING_LOG
    log.parent.mkdir(exist_ok=True)
    log.write_text(writer.coaching_log(), encoding="utf-8")
    personas = {rep.user_id: rep.persona for rep in writer.reps}
    closed = {row[0] for row in writer.rows["Opportunity"] if row[9] == "true"}
    return SampleResult(Path(folder), personas, counts, writer.switch_day,
                        {d: p for d, p in writer.win_probability.items() if d in closed},
                        {d: p for d, p in writer.planted_win.items() if d in closed})


def demo_coaching_log(seed: int = 42, reps: int = 22, months: int = 12) -> str:
    """The coaching log `generate_sample` writes beside its export, without simulating it."""
    writer = SampleWriter(seed, reps, months)
    writer.make_people()
    writer.append_reps(simulate=False)
    return writer.coaching_log()
