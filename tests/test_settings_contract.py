"""Issue 13.2: Settings takes each default from the contract (one place per default)."""

from xlperf.contract.tables import SETTINGS_BY_KEY
from xlperf.settings import Settings


def test_settings_fields_are_the_contract_settings():
    assert set(Settings.model_fields) == set(SETTINGS_BY_KEY)


def test_settings_defaults_are_the_contract_defaults():
    s = Settings()
    for key, setting in SETTINGS_BY_KEY.items():
        assert getattr(s, key) == setting.default, key
