"""Typed settings, read from the settings table. Every default lives in the contract
(contract/tables.py SETTINGS); this model only adds the Python types."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from .contract.tables import SETTINGS_BY_KEY


def _default(key: str) -> Any:  # typed by the field it initialises
    return SETTINGS_BY_KEY[key].default


class Settings(BaseModel):
    org_name: str = _default("org_name")
    current_period: str = _default("current_period")
    missing_policy: Literal["renormalize", "zero", "exclude"] = _default("missing_policy")
    veto_score: float = _default("veto_score")
    grade_mode: Literal["absolute", "forced"] = _default("grade_mode")
    distribution_scope: Literal["all", "vendor"] = _default("distribution_scope")
    total_cap: float = _default("total_cap")
    warn_score: float = _default("warn_score")
    drop_alert: float = _default("drop_alert")
    lang: Literal["zh", "en"] = _default("lang")
    appeal_days: float = _default("appeal_days")


# Every contract setting is a Settings field and vice versa (checked on import, so they cannot drift).
assert set(Settings.model_fields) == set(SETTINGS_BY_KEY), \
    sorted(set(Settings.model_fields) ^ set(SETTINGS_BY_KEY))
