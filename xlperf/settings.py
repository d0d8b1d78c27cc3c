"""Typed settings, read from the settings table (defaults from the contract)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class Settings(BaseModel):
    org_name: str = ""
    current_period: str = ""
    missing_policy: Literal["renormalize", "zero", "exclude"] = "renormalize"
    veto_score: float = 0.0
    grade_mode: Literal["absolute", "forced"] = "absolute"
    distribution_scope: Literal["all", "vendor"] = "all"
    total_cap: float = 120.0
    warn_score: float = 60.0
    drop_alert: float = 10.0
    lang: Literal["zh", "en"] = "zh"
    appeal_days: float = 14.0
