"""Deprecated: the choice spellings now live per choice set in ``xlperf.contract.choices`` (a spelling
can mean different keys in different sets: "vendor" is a level and a distribution scope).

``ALIASES`` is kept, derived from those sets (first set first), only for callers that still pass a
flat map to ``parse_choice``; new code passes the field's ``Vocab`` and no map.
"""

from __future__ import annotations

from ..contract.choices import ALL_VOCABS

ALIASES: dict[str, str] = {}
for _vocab in ALL_VOCABS.values():
    for _spelling, _key in _vocab.lookup().items():
        ALIASES.setdefault(_spelling, _key)
