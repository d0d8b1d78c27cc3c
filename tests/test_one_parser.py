"""Issue 13.2: one place for each default and one list of yes-words."""

from xlperf.contract.tables import SETTINGS_BY_KEY
from xlperf.settings import Settings


def test_settings_fields_are_the_contract_settings():
    assert set(Settings.model_fields) == set(SETTINGS_BY_KEY)


def test_settings_defaults_are_the_contract_defaults():
    s = Settings()
    for key, setting in SETTINGS_BY_KEY.items():
        assert getattr(s, key) == setting.default, key


def test_udf_veto_words_are_validations_yes_words():
    from udfs.scoring import veto_flags
    from xlperf.validation.parse import YES_WORDS
    assert list(veto_flags(sorted(YES_WORDS))) == [1.0] * len(YES_WORDS)
    assert list(veto_flags(["否", "no", "否决"])) == [0.0, 0.0, 1.0]
