"""Two-language text. zh-CN first; English for the English template and for IT staff."""

from __future__ import annotations

from dataclasses import dataclass

LANGS = ("zh", "en")


@dataclass(frozen=True)
class Text:
    zh: str
    en: str

    def __call__(self, lang: str, **kw: object) -> str:
        template = self.zh if lang == "zh" else self.en
        return template.format(**kw) if kw else template


def pick(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en
