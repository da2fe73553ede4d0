"""Who is in the sample export: personas, their habits and outcomes, names and stages.

Diligence is the chance that on a given workday the rep logs that day's work in their
daily window; the rest of the work is logged late (per mode) or never.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

END_DATE = dt.date(2026, 9, 30)  # fixed, never the wall clock
TEAMS = ("West", "East", "Central", "North")

# persona -> (mean diligence, weekly spread, base win probability, late-logging mode)
# Diligence is the chance that on a given workday the rep logs that day's work in
# their daily window; the rest of the work is logged late (per mode) or never.
PERSONAS: dict[str, tuple[float, float, float, str]] = {
    "daily": (0.93, 0.04, 0.40, "next_day"),
    "moderate": (0.55, 0.15, 0.31, "few_days"),
    "friday_batcher": (0.02, 0.02, 0.25, "friday"),
    "incomplete": (0.55, 0.12, 0.26, "few_days"),
    "assisted": (0.15, 0.08, 0.25, "assistant"),
    "never_logs_in": (0.0, 0.0, 0.22, "assistant_rare"),
    "improver": (0.02, 0.02, 0.24, "friday"),
    "logs_in_little": (0.02, 0.01, 0.23, "rare"),
    "slipping": (0.93, 0.04, 0.36, "next_day"),
    "slipped": (0.1, 0.05, 0.30, "lapsing"),  # what "slipping" does after SLIP_WEEKS
}
FIXED_PERSONAS = ("daily", "friday_batcher", "never_logs_in", "assisted", "incomplete",
                  "improver", "moderate", "daily", "moderate", "moderate")
# The last reps of a sample with at least len(FIXED_PERSONAS) + len(APPENDED_PERSONAS) reps.
# They are simulated in a second pass after everyone else, on the same random stream, so
# adding them left every other rep's rows exactly as they were.
APPENDED_PERSONAS = ("logs_in_little", "slipping")
LOGIN_CHANCE = {"logs_in_little": 0.85}  # opens the CRM most days, yet enters almost nothing
WINDOWS = {"slipping": dt.time(17, 30)}  # their own agreed window; everyone else 16:30
SLIP_WEEKS = 6  # the slipping rep's daily habit lapses this many weeks before the end
RANDOM_PERSONA_WEIGHTS = {"daily": 3, "moderate": 5, "friday_batcher": 2, "incomplete": 2,
                          "assisted": 1, "never_logs_in": 1}
WITHIN_REP_EFFECT = 0.08  # extra win probability in a fully diligent week
# The improver's planted gains after the switch to daily logging, at the default effect;
# `--within-effect X` scales them by X / WITHIN_REP_EFFECT (the size factor in log terms).
IMPROVER_WIN = 0.12  # extra win probability
IMPROVER_SIZE = 1.35  # deal size factor
# `--confounding Y` moves each persona's base win probability from this centre: 1 keeps the
# personas' own (better loggers are better sellers), 0 gives every persona the centre.
SKILL_CENTRE = 0.28
SLUMP_CHANCE = 0.25  # share of 4-week blocks in which a rep logs much less
SLUMP_FACTOR = 0.3  # diligence during a slump, relative to the rep's usual
IMPROVER_SWITCH = 0.5  # share of the time span after which the improver logs daily

FIRST = ["Ava", "Ben", "Chloé", "Diego", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas",
         "Kara", "Liam", "Maya", "Noah", "Olga", "Pavel", "Quinn", "Rosa", "Sven", "Tara",
         "Umar", "Vera", "Wes", "Xia", "Yusuf", "Zoë"]
LAST = ["Okafor", "Lindqvist", "Moreau", "García", "O'Brien", "Nakamura", "Schmidt", "Patel",
        "Kowalski", "Haddad", "Novak", "Rossi", "Jensen", "Ångström", "Mensah", "Silva",
        "Dubois", "Tanaka", "Horvat", "Byrne"]
INDUSTRIES = ["Manufacturing", "Healthcare", "Retail", "Finance", "Education", "Logistics",
              "Energy", "Media"]
OPEN_STAGES = ["Prospecting", "Qualification", "Needs Analysis", "Proposal/Price Quote",
               "Negotiation/Review"]
NEXT_STEPS = ["Send proposal", "Book demo", "Call procurement", "Follow up on pricing",
              "Intro to decision maker"]
SUBJECTS = {"Call": "Call", "Email": "Email", "Meeting": "Meeting"}


@dataclass
class Rep:
    user_id: str
    name: str
    team: str
    persona: str
    skill: float
    manager_id: str
    window: dt.time = dt.time(16, 30)  # start of the rep's daily 15-minute CRM window
    accounts: list[str] = field(default_factory=list)
    open_deals: list[dict] = field(default_factory=list)
