"""The web process's collector settings (caseload.create_app): measured by the bench, set here."""

from __future__ import annotations

import gc

from caseload import GC_THRESHOLD


def test_the_app_collects_young_objects_in_large_batches_and_freezes_its_own(app):
    """A page allocates tens of thousands of short-lived objects: the youngest generation is collected
    after GC_THRESHOLD allocations, not the default 700, and the app's long-lived objects are frozen."""
    assert gc.get_threshold()[0] == GC_THRESHOLD >= 10_000
    assert gc.get_freeze_count() > 0
