"""Deterministic synthetic data: demo municipalities, their residents, demo users.

Usable without the CLI (the benchmark calls it)::

    from municloud.demo import generate_households, profile_for
    households = generate_households(profile_for("341002"), 1_000_000, seed=20261126)

``run_demo`` (in :mod:`municloud.demo.seed`) creates the three demo tenants through the
platform's services; ``municloud demo`` is its command-line face.
"""

from __future__ import annotations

from municloud.demo.generator import REFERENCE_DATE, generate_households, rows_digest
from municloud.demo.profiles import PROFILES, TenantProfile, profile_for

DEFAULT_SEED = 20261126

__all__ = [
    "DEFAULT_SEED",
    "PROFILES",
    "REFERENCE_DATE",
    "TenantProfile",
    "generate_households",
    "profile_for",
    "rows_digest",
]
