import pytest
from django.core.exceptions import ValidationError

from ventanilla.accounts.id_documents import nit_check_digit, validate_id_number


@pytest.mark.parametrize(
    ("id_type", "typed", "stored"),
    [
        ("CC", "1.020.304.050", "1020304050"),
        ("CC", "79 845 123", "79845123"),
        ("TI", "1012345678", "1012345678"),
        ("RC", "1098765432", "1098765432"),
        ("RC", "a1b2c3d4", "A1B2C3D4"),
        ("CE", "456789", "456789"),
        ("PA", "ab123456", "AB123456"),
        ("PPT", "1234567", "1234567"),
        ("NIT", "800197268-4", "800197268-4"),
        ("NIT", "899.999.061-9", "899999061-9"),
        ("NIT", "8600343137", "860034313-7"),
    ],
)
def test_valid_numbers_are_normalised(id_type: str, typed: str, stored: str) -> None:
    assert validate_id_number(id_type, typed) == stored


@pytest.mark.parametrize(
    ("id_type", "typed"),
    [
        ("CC", "12ab"),
        ("CC", "012345"),  # a cédula never starts with 0
        ("CC", "123"),
        ("CC", "12345678901"),
        ("TI", "123456789"),
        ("CE", "12"),
        ("PA", "AB-12"),
        ("PPT", "12ab"),
        ("NIT", "800197268-5"),  # wrong check digit
        ("NIT", "80019726"),
        ("XX", "12345678"),
    ],
)
def test_invalid_numbers_are_refused_with_a_hint(id_type: str, typed: str) -> None:
    with pytest.raises(ValidationError) as raised:
        validate_id_number(id_type, typed)
    assert raised.value.messages[0]


@pytest.mark.parametrize(
    ("base", "digit"),
    [("800197268", 4), ("899999061", 9), ("860034313", 7)],
)
def test_nit_check_digit_matches_dian(base: str, digit: int) -> None:
    assert nit_check_digit(base) == digit
