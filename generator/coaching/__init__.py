"""Coaching: the manager's side, from measured data and the coaching log.

In: the coaching log the manager keeps (`coaching/log.csv` or `.yml`), one build's metric
rows (adoption_tier, rep_signals, window_board) and the config (consequence ladder,
program, follow-up days). Out: a checked `CoachingLog`, each rep's agreed windows (for the
window board's bound parameters), and `Coaching`: per rep what the data suggests with its
numbers and questions, the agreed window kept or not, what changed since the last
one-on-one, the next follow-up, and the ladder level with its follow-through; plus the
levels where reps were treated differently. The manager site's pages read it.
"""

from __future__ import annotations

from .build import Coaching, RepCoaching, agreed_windows, coach, measured
from .ladder import (
    FollowThrough,
    LadderRow,
    Measured,
    Reached,
    Unequal,
    Week,
    follow_through,
    ladder_board,
    level_of,
)
from .log import COLUMNS, CoachingLog, Entry, RepRef, find_log, read_log, starter_text
from .patterns import Finding, Suggestions, day_text, suggest
from .plan import FollowUp, SinceMeeting, WindowStatus, next_follow_up

__all__ = ["COLUMNS", "Coaching", "CoachingLog", "Entry", "Finding", "FollowThrough",
           "FollowUp", "LadderRow", "Measured", "Reached", "RepCoaching", "RepRef",
           "SinceMeeting", "Suggestions", "Unequal", "Week", "WindowStatus", "agreed_windows",
           "coach", "day_text", "find_log", "follow_through", "ladder_board", "level_of",
           "measured", "next_follow_up", "read_log", "starter_text", "suggest"]
