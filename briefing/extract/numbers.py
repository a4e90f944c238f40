"""Reading one number written in Arabic digits, Chinese numerals, or a mix (``3.2亿``, ``三千万``).

Values are exact: integer arithmetic for Arabic digits, :class:`~decimal.Decimal` for
Chinese numerals, then an ``int`` when the result is whole (``25086.67万`` → ``250866700``,
not ``250866700.00000003``); see :func:`exact_value`.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

CHINESE_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9,
}  # fmt: skip
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
LARGE_UNITS = {"万": 10_000, "亿": 100_000_000}

CHINESE_NUMERAL_CHARS = "".join(CHINESE_DIGITS) + "".join(SMALL_UNITS) + "".join(LARGE_UNITS)
"""Every character a Chinese numeral (``一千二百万``) can be written with."""
_SCALE_CHARACTERS = "".join(SMALL_UNITS) + "".join(LARGE_UNITS)


def exact(value: Decimal) -> int | float:
    """``value`` as an ``int`` when whole, else a ``float``."""
    return int(value) if value == value.to_integral_value() else float(value)


@cache
def scale_factor(scale: str) -> Decimal:
    """Multiplier of a scale suffix such as ``万``, ``千万``, ``亿``, ``万亿`` ('' → 1); a handful exist, so cached."""
    factor = Decimal(1)
    for char in scale:
        factor *= SMALL_UNITS.get(char) or LARGE_UNITS.get(char) or 1
    return factor


def chinese_value(numeral: str) -> Decimal:
    """Value of a Chinese numeral, decimals written with 点 included (``三点五亿`` → 350000000)."""
    if "点" not in numeral:
        return _chinese_integer(numeral)
    whole, fraction = numeral.split("点", 1)
    scale = fraction.lstrip("".join(CHINESE_DIGITS))
    digits = "".join(str(CHINESE_DIGITS[c]) for c in fraction[: len(fraction) - len(scale)])
    return (_chinese_integer(whole) + Decimal(f"0.{digits}")) * scale_factor(scale)


def _chinese_integer(numeral: str) -> Decimal:
    """Value of a Chinese numeral: ``十一`` → 11, ``三千万`` → 30000000, ``一亿二千万`` → 120000000.

    Digits may also be written position by position (``二〇二〇`` → 2020); a bare
    scale is one of it (``亿`` → 100000000, as in 近亿元).
    """
    if numeral[:1] in LARGE_UNITS:
        numeral = "一" + numeral
    if all(char in CHINESE_DIGITS for char in numeral):
        return Decimal("".join(str(CHINESE_DIGITS[char]) for char in numeral))
    total, section, digit = Decimal(0), Decimal(0), None
    for char in numeral:
        if char in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[char]
        elif char in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[char]
            digit = None
        else:  # 万 / 亿 close a section
            section += digit or 0
            large = LARGE_UNITS[char]
            total = (total + section) * large if large > 10_000 or total < large else total + section * large
            section, digit = Decimal(0), None
    return total + section + (digit or 0)


def exact_value(number: str, scale: str = "") -> int | float:
    """``number`` × ``scale`` (``3600万`` × ``亿``) as an ``int`` when whole, else the nearest ``float``.

    Arabic digits are multiplied as integers, several times faster than through
    :class:`~decimal.Decimal` and the same result: both are exact, and a quotient of two
    integers is rounded to the nearest float just as a decimal is. Chinese numerals, and
    numbers too long for Decimal's 28 digits to hold exactly, take the Decimal way.
    """
    if number.isascii() and number.isdigit():  # the common case (17项), exact at any length
        return int(number) * _integer_factor(scale)
    text = number.replace(",", "")
    digits = text.rstrip(_SCALE_CHARACTERS)
    whole, _, fraction = digits.partition(".")
    if whole.isdigit() and (fraction.isdigit() or not fraction):
        factor = _integer_factor(text[len(digits) :] + scale)
        if len(digits) + len(str(factor)) <= 28:
            numerator, denominator = int(whole + fraction) * factor, 10 ** len(fraction)
            return numerator // denominator if numerator % denominator == 0 else numerator / denominator
    return exact(number_value(number) * scale_factor(scale))


@cache
def _integer_factor(scale: str) -> int:
    """:func:`scale_factor` as an ``int`` (scales are whole)."""
    return int(scale_factor(scale))


def number_value(text: str) -> Decimal:
    """Value of one number token: ``1,200``, ``4.7``, ``3600万``, ``1.5万``, ``十一``, ``三千万``."""
    text = text.replace(",", "")
    head = len(text.rstrip(_SCALE_CHARACTERS))
    if head and text[:head].replace(".", "", 1).isdigit():
        return Decimal(text[:head]) * scale_factor(text[head:])
    return chinese_value(text)
