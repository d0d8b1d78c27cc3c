"""The template build's provider hook for generated VBA modules (see template.modules)."""

from __future__ import annotations

from .vba.modules import VbaModule
from .vba_sources import generated_modules


def vba_modules(lang: str) -> list[VbaModule]:
    return generated_modules(lang)
