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


# Which periods the two recompute doors compute, said the same way in both (the ribbon's 重算本期 and
# the command line's default; the ribbon's 全部重算 and --all) and in their help.
CURRENT_PERIOD = Text("参数设置中的“当前期间”；未填写时为全部开放期间",
                      "the Current period setting; when blank, every open period")
ALL_OPEN_PERIODS = Text("全部开放期间，已关闭的期间保持不变", "every open period; closed periods stay as they are")
