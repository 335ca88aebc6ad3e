"""normalize_for_match: an evidence string copied from the raw file matches cleaned chunk text."""

from __future__ import annotations

import pytest

from ingest.matching import contains, normalize_for_match


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Ensure the child is  SAFE,\nprotected", "ensure the child is safe, protected"),
        ("the\tTWG\tmet\tin\tperson", "The TWG met in person"),
        ("• Ensure the child is safe", "- Ensure the child is safe"),
        ("\uf0b7\tUse a government list", "Use a government list"),
        ("co-operating with investiga-\ntions and", "co-operating with investigations and"),
        ("the non-\npunishment principle", "the non-punishment principle"),
        ("the victim’s wishes", "the victim's wishes"),
        ("HOTLINE\t\t\t..........", "HOTLINE"),
        ("ﬁrst\u00a0aid", "first aid"),
    ],
)
def test_raw_and_cleaned_forms_normalise_alike(raw: str, cleaned: str) -> None:
    assert normalize_for_match(raw) == normalize_for_match(cleaned)


def test_evidence_cut_inside_a_hyphenated_word_still_matches() -> None:
    passage = "who are co-operating with investigations and criminal proceedings."
    assert contains(passage, "are co-operating with investiga")
    assert contains(passage, "tions and criminal proceedings.")
    assert contains(passage, "(See: vulnera-") is False
    assert contains("victims. (See: vulnerabilities) They", "(See: vulnera-")


def test_normalisation_is_idempotent_and_lowercase() -> None:
    once = normalize_for_match("  Pillar One:\tIdentification + Protection ")
    assert once == "pillar one: identification + protection"
    assert normalize_for_match(once) == once


def test_empty_evidence_never_matches() -> None:
    assert not contains("any text", "  \n")
