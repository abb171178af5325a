"""The English words UN documents print and tipkg's pages show: month names, and numbers
and ordinals written as words ("twenty-one", "twelfth"), 1 to 99."""

from __future__ import annotations

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
          "seventeen", "eighteen", "nineteen")  # fmt: skip
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_UNIT_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh",
                  "eighth", "ninth")  # fmt: skip
_TEEN_ORDINALS = ("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
                  "sixteenth", "seventeenth", "eighteenth", "nineteenth")  # fmt: skip


def _number_words() -> tuple[dict[str, int], dict[str, int]]:
    """Spell 1-99 as cardinals ("twenty-one") and ordinals ("twenty-first")."""
    cardinals = {word: n for n, word in enumerate(_UNITS, start=1)}
    ordinals = {word: n for n, word in enumerate(_UNIT_ORDINALS, start=1)}
    cardinals.update({word: n for n, word in enumerate(_TEENS, start=10)})
    ordinals.update({word: n for n, word in enumerate(_TEEN_ORDINALS, start=10)})
    for index, tens in enumerate(_TENS):
        base = 20 + 10 * index
        cardinals[tens] = base
        ordinals[tens[:-1] + "ieth"] = base
        for unit in range(1, 10):
            cardinals[f"{tens}-{_UNITS[unit - 1]}"] = base + unit
            ordinals[f"{tens}-{_UNIT_ORDINALS[unit - 1]}"] = base + unit
    return cardinals, ordinals


NUMBER_WORDS, ORDINAL_WORDS = _number_words()
