"""Shared, generic test fixtures: where the repository and the sample answers files are."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "scheme" / "samples").glob("*.json"))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where tests keep what a person may want to look at afterwards (gitignored)."""
    path = ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
