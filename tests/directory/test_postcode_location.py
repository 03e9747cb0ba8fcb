"""A search's postcode (places.selectors.postcode_location): the point `postcode_point`
gives, however the postcode is typed, and the same errors."""

import pytest

from linkwork.places.selectors import (
    InvalidPostcode,
    UnknownPostcode,
    postcode_location,
    postcode_point,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["BL1 1AP", "bl11ap", " Bl1 1ap "])
def test_the_point_is_the_postcodes(postcodes, typed):
    assert postcode_location(typed) == postcode_point("BL1 1AP")[1]


@pytest.mark.parametrize("typed", ["BL1 9ZZ", "M1 1AE", "not a postcode"])
def test_the_errors_are_postcode_points(postcodes, typed):
    with pytest.raises((InvalidPostcode, UnknownPostcode)) as expected:
        postcode_point(typed)
    with pytest.raises(expected.type) as got:
        postcode_location(typed)
    assert str(got.value) == str(expected.value)
