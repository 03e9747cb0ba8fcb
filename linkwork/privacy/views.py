"""Data rights pages: the administrator's subject access, and a resident's own data."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from linkwork.accounts.decorators import permission_required
from linkwork.accounts.roles import Perm
from linkwork.privacy.erasure import is_erased
from linkwork.privacy.registry import person_model
from linkwork.privacy.selectors import own_data, own_interests
from linkwork.privacy.services import withdraw_interest_contact
from linkwork.privacy.subject_access import as_html, as_json, subject_access


def _attachment(body: str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@permission_required(Perm.ADMINISTER)
def data_rights(request: HttpRequest) -> HttpResponse:
    """Find a person by their record number to answer a subject access request."""
    error = ""
    raw = request.GET.get("person", "").strip()
    if raw:
        if raw.isdigit() and person_model().objects.filter(pk=int(raw)).exists():
            return redirect("subject-access", pk=int(raw))
        error = "Enter the number of a person record that exists, like 1234."
    return render(
        request,
        "privacy/data_rights.jinja",
        {"page_title": "Data rights requests", "error": error, "value": raw},
        status=422 if error else 200,
    )


@permission_required(Perm.ADMINISTER)
def person_subject_access(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held about a person: a readable page, or `?format=json` to download."""
    person = get_object_or_404(person_model(), pk=pk)
    export = subject_access(person=person, by=request.user)
    if request.GET.get("format") == "json":
        return _attachment(as_json(export), f"subject-access-{pk}.json", "application/json")
    if request.GET.get("format") == "html":
        return _attachment(as_html(export), f"subject-access-{pk}.html", "text/html")
    return render(
        request,
        "privacy/subject_access.jinja",
        {
            "page_title": f"Subject access: person {pk}",
            "export": export,
            "pk": pk,
            "erased": is_erased(person),
        },
    )


@permission_required(Perm.OWN_DATA)
def your_data(request: HttpRequest) -> HttpResponse:
    """A resident sees what is held about their account and the interests they told us,
    downloads it, and withdraws consent to be contacted."""
    if request.GET.get("format") == "json":
        body = json.dumps(own_data(user=request.user), cls=DjangoJSONEncoder, indent=2)
        return _attachment(body, "your-data.json", "application/json")
    return render(
        request,
        "privacy/your_data.jinja",
        {"page_title": "Your data", "interests": list(own_interests(user=request.user))},
    )


@require_POST
@permission_required(Perm.OWN_DATA)
def withdraw_contact(request: HttpRequest, pk: int) -> HttpResponse:
    interest = own_interests(user=request.user).filter(pk=pk).first()
    if interest is None:
        raise Http404
    withdraw_interest_contact(interest=interest, by=request.user)
    return redirect("your-data")
