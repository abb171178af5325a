"""Ordinals and numbers as UN documents spell them."""

from __future__ import annotations

import pytest

from tipkg.extract import parse


@pytest.mark.parametrize(
    ("word", "number"),
    [
        ("first", 1),
        ("ninth", 9),
        ("twelfth", 12),
        ("twentieth", 20),
        ("twenty-first", 21),
        ("thirty-first", 31),
        ("fortieth", 40),
        ("forty-second", 42),
        ("fiftieth", 50),
        ("Ninety-ninth", 99),
        ("3rd", 3),
        ("11th", 11),
    ],
)
def test_ordinals(word: str, number: int) -> None:
    assert parse.ordinal(word) == number


@pytest.mark.parametrize(
    ("word", "number"),
    [("four", 4), ("Five", 5), ("eleven", 11), ("twenty", 20), ("thirty-two", 32), ("7", 7)],
)
def test_cardinals(word: str, number: int) -> None:
    assert parse.cardinal(word) == number


def test_every_ordinal_up_to_fifty_is_read() -> None:
    words = {number: word for word, number in parse.ORDINAL_WORDS.items()}
    assert all(parse.ordinal(words[n]) == n for n in range(1, 51))
