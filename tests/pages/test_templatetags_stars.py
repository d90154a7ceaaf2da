import pytest

from marquee.pages.templatetags.marquee import half_stars, out_of_five


@pytest.mark.parametrize(("point", "label"), [(1, "½"), (2, "1"), (7, "3½"), (9, "4½"), (10, "5")])
def test_histogram_points_read_as_the_stars_members_picked(point: int, label: str) -> None:
    assert half_stars(point) == label


def test_averages_are_shown_out_of_five() -> None:
    assert out_of_five(7.8) == "3.9"
    assert out_of_five(10) == "5.0"
