"""What every app's pages share: a service's refusal on the form that asked, and where
"back" may go. (The API's error bodies are in linkwork/api.py.)"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from linkwork.errors import Conflict, InvalidInput


def put_errors(
    form: forms.Form,
    error: InvalidInput | Conflict,
    *,
    field_for: Callable[[str], str | None] | None = None,
) -> None:
    """Put each of a service's InvalidInput errors on the field it names (through
    `field_for`, or the form's own `field_for`, where the service's names differ from the
    form's), or above the form when the form has no such field; a Conflict goes above."""
    if isinstance(error, Conflict):
        form.add_error(None, error.message)
        return
    field_for = field_for or getattr(form, "field_for", None)
    for key, message in error.errors.items():
        name = field_for(key) if field_for else key
        form.add_error(name if name in form.fields else None, message)


def submitted(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[], Any],
    *,
    said: str | Callable[[Any], str],
    then: str | Callable[[Any], str],
) -> HttpResponse | None:
    """A valid form's service call, the one shape of a page's POST: a refusal goes on the
    form (None: show the form again, errors and all); otherwise say what was done and
    redirect to `then`. `said` and `then` may read what the service returned."""
    try:
        result = save()
    except (InvalidInput, Conflict) as error:
        put_errors(form, error)
        return None
    messages.success(request, said(result) if callable(said) else said)
    return redirect(then(result) if callable(then) else then)


def refusal(error: InvalidInput | Conflict) -> str:
    """A service's refusal in words, for a page with no form to put it on: a Conflict's
    message, or what each InvalidInput error says."""
    if isinstance(error, Conflict):
        return error.message
    return " ".join(error.errors.values())


def safe_next(request: HttpRequest, default: str) -> str:
    """Where `next` (posted, or in the query) asks to go back to, when it is one of our own
    pages (a path on this site); otherwise `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    ours = (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )
    return target if ours else default
