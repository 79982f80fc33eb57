"""Fixtures of the import tests."""

import pytest

from tests.importing.hsg_files import trip, write


@pytest.fixture
def travels_dir(tmp_path):
    """Three trips by a secretary of state and one by a president, in two files."""
    write(
        tmp_path / "secretary-travels" / "acheson-dean-gooderham.xml",
        "trips",
        trip(3290),
        trip(3291, country=("russia", "U.S.S.R."), remarks="Official visit; met Stalin."),
        trip(3292, country=("germany", "Germany, Federal Republic of"), locale="Frankfurt, Bonn"),
    )
    write(
        tmp_path / "president-travels" / "biden-joseph-r.xml",
        "trips",
        trip(
            4113,
            country=("united-kingdom", "United Kingdom"),
            role="president",
            who="biden-joseph-r",
            name="Joseph R. Biden",
            start="2021-06-09",
            end="2021-06-13",
            locale="London, Cornwall",
            remarks="State Visit. Met with Queen Elizabeth II.",
        ),
    )
    return tmp_path
