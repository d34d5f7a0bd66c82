import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.text import clean_text, is_blank, parse_number, parse_percent, squash


def test_clean_text_folds_full_width_and_spaces():
    assert clean_text("\u3000ＡＢＣ　１２３ ") == "ABC 123"
    assert clean_text("a\u00a0\u00a0b") == "a b"
    assert clean_text(3.0) == "3"
    assert clean_text(None) == ""


def test_squash_removes_every_space():
    assert squash(" 非 常\u3000滿意 ") == "非常滿意"


@pytest.mark.parametrize("value", [None, "", "  ", "\u3000", float("nan")])
def test_blank(value):
    assert is_blank(value)


@pytest.mark.parametrize("value", [0, "0", "x", False])
def test_not_blank(value):
    assert not is_blank(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(4.5, 4.5), ("４.５", 4.5), ("4.5分", 4.5), ("１０分", 10.0), ("1,234", 1234.0), ("-2", -2.0),
     ("很好", None), ("", None), (True, None)],
)
def test_parse_number(value, expected):
    assert parse_number(value, unit="分") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("80%", 0.8), ("８０％", 0.8), ("80 %", 0.8), (0.8, 0.8), (80, 0.8), ("80", 0.8), ("0.8", 0.8),
     (1, 1.0), ("100%", 1.0), (0, 0.0), ("", None), (None, None)],
)
def test_parse_percent(value, expected):
    result = parse_percent(value)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


@pytest.mark.parametrize("value", ["120%", 150, "-5%", "很多", "八成"])
def test_bad_percent(value):
    with pytest.raises(ValueError):
        parse_percent(value)


@given(st.text())
def test_clean_text_is_idempotent(text):
    assert clean_text(clean_text(text)) == clean_text(text)
