"""Rules about people's details: NHS numbers and dates of birth (matching: `matching`)."""

import datetime as dt

from django.utils.translation import gettext

from linkwork.validation import phone_error


def nhs_number_is_valid(value: str) -> bool:
    """The NHS number's modulus 11 check digit (NHS Data Dictionary)."""
    digits = value.replace(" ", "").replace("-", "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def normalise_nhs_number(value: str) -> str:
    return value.replace(" ", "").replace("-", "")


def person_errors(data: dict, *, today: dt.date | None = None) -> dict[str, str]:
    """What is wrong with a person's details, by field (empty when all is well)."""
    today = today or dt.date.today()
    errors: dict[str, str] = {}
    for field, label in (("given_name", "first name"), ("family_name", "last name")):
        if not str(data.get(field) or "").strip():
            errors[field] = f"Enter their {label}."
    birth_date = data.get("birth_date")
    if not isinstance(birth_date, dt.date):
        errors["birth_date"] = gettext("Enter their date of birth.")
    elif birth_date > today:
        errors["birth_date"] = gettext("The date of birth must be in the past.")
    elif birth_date < today.replace(year=today.year - 120):
        errors["birth_date"] = gettext("Check the year of birth.")
    nhs_number = str(data.get("nhs_number") or "").strip()
    if nhs_number and not nhs_number_is_valid(nhs_number):
        errors["nhs_number"] = gettext("This is not a valid NHS number: check the 10 digits.")
    phone = phone_error(str(data.get("phone") or ""))
    if phone:
        errors["phone"] = phone
    return errors
