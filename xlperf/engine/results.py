"""What the scoring engine returns. Column keys are the export keys of ``xlperf.contract.outputs``."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Results:
    # one row per subject and period (roll-ups included): the columns of contract.outputs.results
    # plus one ``dim:<dimension>`` column per dimension
    results: pd.DataFrame
    # one row per subject, period and indicator: the columns of contract.outputs.scores
    scores: pd.DataFrame
    # one row per warning: the columns of contract.outputs.warnings
    warnings: pd.DataFrame
    # one row per goal: goal_id, vendor_id, worker_id, indicator_id, description, baseline, target,
    # current, progress (0..1), expected (0..1, straight line agreed_on → deadline), status, deadline;
    # also current_period (where current came from) and as_of (the reference period). status is one of
    # achieved, overdue, lagging, on_track, no_data, or HR's own achieved/missed/cancelled/draft.
    goals: pd.DataFrame
    periods: list[str] = field(default_factory=list)  # the periods computed in this run, in order
