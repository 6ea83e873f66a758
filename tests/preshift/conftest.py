"""Pre-shift tests run on a small bank whose right answers are easy to find ("Right …")."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import Settings

FIXTURE = Path(__file__).parent / "content"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, content_dir=FIXTURE)
