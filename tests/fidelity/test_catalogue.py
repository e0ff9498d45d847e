"""The IPS-25 catalogue: 25 items in three sections, with anchors and checklists."""

from __future__ import annotations

import pytest

from caseload.fidelity.catalogue import BY_KEY, EVIDENCE_KEYS, ITEM_KEYS, ITEMS, section_items
from caseload.fidelity.evidence import EVIDENCE_FUNCTIONS
from caseload.fidelity.scoring import COMPUTED_ITEMS, ITEM_FUNCTIONS


def test_catalogue_has_25_items_in_three_sections():
    assert len(ITEMS) == 25 and len(set(ITEM_KEYS)) == 25
    sizes = [len(section_items(s)) for s in ("staffing", "organisation", "services")]
    assert sizes == [3, 8, 14]
    assert ITEM_KEYS[:3] == ("S1", "S2", "S3") and ITEM_KEYS[-1] == "V14"


def test_computed_and_evidence_items_match_the_functions():
    assert {i.key for i in ITEMS if i.computed} == set(COMPUTED_ITEMS) == set(ITEM_FUNCTIONS)
    assert set(EVIDENCE_KEYS) == set(EVIDENCE_FUNCTIONS)
    assert all(BY_KEY[k].evidence for k in EVIDENCE_KEYS)


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i.key)
def test_every_item_has_a_name_five_anchors_and_judgement_items_a_checklist(item):
    assert str(item.name) and len(item.anchors) == 5 and all(str(a) for a in item.anchors)
    assert item.computed or item.checklist
    if item.element_scores:
        assert len(item.element_scores) == len(item.checklist) + 1
        assert item.element_scores[-1] == 5 and item.element_scores[0] == 1


@pytest.mark.parametrize(("ticked", "score"), [(0, 1), (1, 1), (2, 2), (3, 3), (4, 4), (5, 5)])
def test_o5_checklist_suggests_a_score_from_the_duties_present(ticked, score):
    assert BY_KEY["O5"].suggested_score(ticked) == score


def test_items_scored_by_judgement_alone_suggest_nothing():
    assert BY_KEY["V7"].suggested_score(3) is None
