"""What the outcome writes share: an instrument by its code, or a 422 naming it."""

from typing import Any

from linkwork.errors import InvalidInput
from linkwork.outcomes.instruments import UnknownInstrument, instrument


def _instrument_or_422(code: Any):
    try:
        return instrument(str(code))
    except UnknownInstrument:
        raise InvalidInput({"instrument": f"There is no instrument called {code!r}."}) from None
