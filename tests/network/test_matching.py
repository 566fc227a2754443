"""The matcher: abbreviations and noise match; sibling chapters and conflicting evidence do not."""

from __future__ import annotations

from actlocal.network.matching import (
    AUTO_MERGE_THRESHOLD,
    REVIEW_THRESHOLD,
    Index,
    Record,
    normalize_name,
    score_pair,
    web_key,
)


def sf(key: int, name: str, **kw: str) -> Record:
    return Record(
        key, name, city="San Francisco", state="CA", zip_code=kw.pop("zip_code", "94110"), **kw
    )


def test_normalize_expands_abbreviations_and_drops_noise() -> None:
    assert normalize_name("Indivisible SF, Inc.") == "indivisible san francisco"
    assert normalize_name("The Indivisible San Francisco Chapter") == "indivisible san francisco"


def test_abbreviated_city_name_merges_automatically() -> None:
    score, _ = score_pair(sf(1, "Indivisible SF"), sf(2, "Indivisible San Francisco"))
    assert score >= AUTO_MERGE_THRESHOLD


def test_sibling_chapters_in_one_city_are_not_matched() -> None:
    score, _ = score_pair(sf(1, "Indivisible Mission"), sf(2, "Indivisible Richmond"))
    assert score < REVIEW_THRESHOLD


def test_different_websites_pull_a_name_match_down_to_review() -> None:
    a = sf(1, "Casa Comunidad", website="casacomunidad.org")
    b = sf(2, "Casa Comunidad", website="https://www.casa-sf.org/")
    score, reasons = score_pair(a, b)
    assert REVIEW_THRESHOLD <= score < AUTO_MERGE_THRESHOLD
    assert "different website" in reasons


def test_social_media_pages_compare_by_full_address() -> None:
    assert web_key("https://www.facebook.com/groups/abc/") == "facebook.com/groups/abc"
    assert web_key("http://indivisiblesf.org/about") == "indivisiblesf.org"
    a = sf(1, "Casa Comunidad", website="facebook.com/casa1")
    b = sf(2, "Casa Comunidad", website="facebook.com/casa2")
    assert score_pair(a, b)[0] < AUTO_MERGE_THRESHOLD


def test_different_cities_and_states_do_not_match() -> None:
    a = Record(1, "Sunrise Movement", city="Denver", state="CO")
    b = Record(2, "Sunrise Movement", city="Boulder", state="CO")
    c = Record(3, "Sunrise Movement", city="Denver", state="TX")
    assert score_pair(a, b)[0] < REVIEW_THRESHOLD
    assert score_pair(a, c)[0] < REVIEW_THRESHOLD


def test_typo_still_matches_and_chapter_never_matches_its_parent() -> None:
    assert (
        score_pair(sf(1, "Bright Futures Team"), sf(2, "Bright Futrues Team"))[0]
        >= REVIEW_THRESHOLD
    )
    parent = sf(1, "Sunrise Movement")
    chapter = Record(2, "Sunrise Movement", "San Francisco", "CA", "94110", parent=1)
    assert score_pair(parent, chapter)[0] == 0


def test_index_finds_candidates_through_blocks() -> None:
    index = Index(
        [
            sf(1, "Indivisible San Francisco"),
            sf(2, "Voces Unidas"),
            Record(3, "Indivisible SF", state="CA"),
        ]
    )
    assert {(m.left, m.right) for m in index.all_pairs()} == {(1, 3)}
