"""Pages for starting a group from an emerging group (community development work)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from linkwork.accounts.decorators import permission_required
from linkwork.accounts.roles import Perm
from linkwork.audit.services import record_event
from linkwork.community.models import ContactMethod
from linkwork.community.starting import services
from linkwork.community.starting.models import GroupStart
from linkwork.errors import Conflict, InvalidInput
from linkwork.notifications.preferences import sms_available


@permission_required(Perm.INTEREST_MANAGE)
def group_start_list(request: HttpRequest) -> HttpResponse:
    starts = GroupStart.objects.select_related("activity", "neighbourhood", "asset")
    return render(
        request,
        "community/starting/list.jinja",
        {"starts": starts, "page_title": "Starting new groups"},
    )


@permission_required(Perm.INTEREST_MANAGE)
def group_start_new(request: HttpRequest) -> HttpResponse:
    """Confirm, then open the path for the emerging group named in the query."""
    source = request.POST if request.method == "POST" else request.GET
    values = {
        "activity_code": source.get("activity", ""),
        "neighbourhood_code": source.get("neighbourhood", ""),
        "community": source.get("community", ""),
    }
    error = None
    if request.method == "POST":
        try:
            start = services.begin_group_start(**values, by=request.user)
        except InvalidInput as invalid:
            error = " ".join(invalid.errors.values())
        else:
            return redirect("group-start", pk=start.pk)
    return render(
        request,
        "community/starting/new.jinja",
        {"values": values, "error": error, "page_title": "Start a group"},
    )


def _people(request: HttpRequest, start: GroupStart) -> list[dict]:
    """The consented people, as the worker sees them: a first name, how they asked to be
    reached, and a number only for those who asked for a phone call. Audited."""
    people = []
    for n, person in enumerate(start.people.select_related("interest"), start=1):
        interest = person.interest
        first = (interest.contact_name.split() or [f"Person {n}"])[0]
        people.append(
            {
                "id": person.pk,
                "first_name": first,
                "method": interest.get_contact_method_display(),
                # A number only for someone Linkwork cannot message: they asked for a
                # call, or for texts where text messages are not available.
                "phone": interest.contact_detail
                if interest.contact_method == ContactMethod.PHONE
                or (interest.contact_method == ContactMethod.TEXT and not sms_available())
                else "",
                "times": interest.contact_times,
                "messages_sent": person.messages_sent,
                "attended": person.attended,
            }
        )
    record_event(
        by=request.user,
        action="group_start_people_viewed",
        object_type="group_start",
        object_id=start.pk,
        summary=f"people={len(people)}",
    )
    return people


def _act(request: HttpRequest, start: GroupStart) -> str:
    action, data = request.POST.get("action", ""), request.POST
    if action == "message":
        sent, to_call = services.message_interested(
            start=start, subject=data.get("subject", ""), body=data.get("body", ""), by=request.user
        )
        return f"Message sent to {sent} {'person' if sent == 1 else 'people'}; {to_call} to ring."
    if action == "meeting":
        sent, to_call = services.propose_first_meeting(
            start=start, when_and_where=data.get("when_and_where", ""), by=request.user
        )
        return f"First meeting proposed: {sent} told by message, {to_call} to ring."
    if action == "attendance":
        ids = {int(v) for v in data.getlist("attended") if v.isdigit()}
        came = services.record_attendance(start=start, attended_ids=ids, by=request.user)
        return f"{came} came to the first meeting."
    if action == "found":
        start = services.found_group(
            start=start,
            name=data.get("name", ""),
            description=data.get("description", ""),
            founder_email=data.get("founder_email", ""),
            founder_name=data.get("founder_name", ""),
            by=request.user,
        )
        return (
            f"{start.organisation.name} is set up with a draft listing and its founding "
            "member; the interests it answers are closed and each person told."
        )
    raise InvalidInput({"action": "Choose what to do."})


@permission_required(Perm.INTEREST_MANAGE)
def group_start(request: HttpRequest, pk: int) -> HttpResponse:
    start = get_object_or_404(
        GroupStart.objects.select_related("activity", "neighbourhood", "asset", "organisation"),
        pk=pk,
    )
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            done = _act(request, start)
        except InvalidInput as invalid:
            errors = invalid.errors
        except Conflict as conflict:
            errors = {"action": conflict.message}
        else:
            messages.success(request, done)
            return redirect("group-start", pk=start.pk)
    return render(
        request,
        "community/starting/detail.jinja",
        {
            "start": start,
            "people": _people(request, start),
            "errors": errors,
            "form_values": request.POST,
            "starter_round_url": services.starter_round_url(),
            "page_title": ("Error: " if errors else "") + f"Start a group: {start.activity.name}",
        },
        status=200,
    )
