"""Domain errors that map onto the API's status codes (DESIGN.md §9) and pages' messages."""


class Conflict(Exception):
    """409: a transition not allowed from the current state, or no capacity."""

    def __init__(
        self, message: str, *, current_state: str | None = None, details: dict | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.current_state = current_state
        # More for the API's 409 body (e.g. open alternatives to a full group).
        self.details = details or {}


class Forbidden(Exception):
    """403: the caller's role lacks the permission."""

    def __init__(self, message: str = "Your role does not allow this.") -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(Exception):
    """422: input that fails a domain rule, naming each field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {reason}" for field, reason in errors.items()))
        self.errors = errors
