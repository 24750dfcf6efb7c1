"""Counts read as French: the singular up to one, never « (s) »."""

import pytest

from core.wording import counted


@pytest.mark.parametrize(("count", "expected"), [(0, "0 note"), (1, "1 note"), (2, "2 notes"), (15, "15 notes")])
def test_a_count_agrees_with_its_noun(count, expected):
    assert counted(count, "note", "notes") == expected
