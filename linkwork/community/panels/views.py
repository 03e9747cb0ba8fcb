"""Pages for panels: the public decisions logs, and the members' workspace (meetings,
priorities, decisions with evidence, membership review)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from linkwork.accounts.decorators import permission_required
from linkwork.accounts.roles import Perm
from linkwork.community.panels import evidence, selectors, services
from linkwork.community.panels.forms import DecisionForm, MeetingForm, PriorityForm, ProfileForm
from linkwork.community.panels.models import Panel, PanelMemberProfile, PriorityStatus
from linkwork.disclosure import display
from linkwork.errors import Conflict, InvalidInput
from linkwork.pages import put_errors
from linkwork.places.models import Area, AreaType


def _title(form, title: str) -> str:
    return ("Error: " if form.errors else "") + title


# --- Public ----------------------------------------------------------------------------


def panel_list(request: HttpRequest) -> HttpResponse:
    """Every panel, what it speaks for, and a link to its decisions log."""
    panels = Panel.objects.select_related("organisation").prefetch_related("neighbourhoods")
    return render(
        request,
        "community/panels/list.jinja",
        {"panels": panels, "page_title": "Community panels and their decisions"},
    )


def panel_decisions(request: HttpRequest, pk: int) -> HttpResponse:
    """A panel's public decisions log: the same content as the API."""
    panel = selectors.public_panel(pk)
    decisions = [selectors.decision_record(d) for d in selectors.decisions_of_panel(panel)]
    return render(
        request,
        "community/panels/decisions.jinja",
        {
            "heading": f"Decisions of {panel.name}",
            "panel": panel,
            "decisions": decisions,
            "display": display,
            "page_title": f"Decisions of {panel.name}",
        },
    )


def neighbourhood_decisions(request: HttpRequest, code: str) -> HttpResponse:
    """Decisions panels took about one neighbourhood, with the evidence they looked at."""
    area = selectors.public_neighbourhood(code)
    decisions = [selectors.decision_record(d) for d in selectors.decisions_for_neighbourhood(area)]
    return render(
        request,
        "community/panels/decisions.jinja",
        {
            "heading": f"Panel decisions about {area.name}",
            "area": area,
            "decisions": decisions,
            "display": display,
            "page_title": f"Panel decisions about {area.name}",
        },
    )


# --- Members ---------------------------------------------------------------------------


@permission_required(Perm.PANEL_DECIDE)
def panel_mine(request: HttpRequest) -> HttpResponse:
    panels = list(selectors.panels_of(request.user))
    if len(panels) == 1:
        return redirect("panel-home", pk=panels[0].pk)
    return render(
        request,
        "community/panels/list.jinja",
        {"panels": panels, "mine": True, "page_title": "Your panels"},
    )


@permission_required(Perm.PANEL_DECIDE)
def panel_home(request: HttpRequest, pk: int) -> HttpResponse:
    panel = selectors.panel_for_member(request.user, pk)
    return render(
        request,
        "community/panels/home.jinja",
        {
            "panel": panel,
            "priorities": list(selectors.priorities_of(panel)),
            "meetings": list(selectors.meetings_of(panel)),
            "display": display,
            "page_title": panel.name,
        },
    )


@permission_required(Perm.PANEL_DECIDE)
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    panel = selectors.panel_for_member(request.user, pk)
    form = MeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.record_meeting(panel=panel, **form.meeting(), by=request.user)
        except InvalidInput as error:
            put_errors(form, error)
        else:
            messages.success(request, f"{meeting.title} recorded.")
            return redirect("panel-meeting", pk=panel.pk, mid=meeting.pk)
    return render(
        request,
        "community/panels/meeting_form.jinja",
        {"panel": panel, "form": form, "page_title": _title(form, "Record a meeting")},
    )


def _gap_or_group(request: HttpRequest) -> list[evidence.Snapshot]:
    """Evidence named in a form: a gap (area + category), an emerging group or a funding
    round."""
    data = request.POST
    kind = data.get("evidence_kind", "")
    if kind == "gap" or (not kind and data.get("gap_area") and data.get("gap_category")):
        return [
            evidence.gap_snapshot(
                area_code=data.get("gap_area", "").strip(),
                category_code=data.get("gap_category", "").strip(),
                period=data.get("period") or None,
            )
        ]
    if kind == "emerging_group":
        return [
            evidence.emerging_group_snapshot(
                activity_code=data.get("activity", ""),
                neighbourhood_code=data.get("neighbourhood_code", ""),
                community=data.get("community", ""),
            )
        ]
    if kind == "funding_round":
        return [evidence.round_snapshot(round_id=data.get("round"), viewer=request.user)]
    return []


@permission_required(Perm.PANEL_DECIDE)
def meeting_detail(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    """A meeting: settle proposed priorities and record its decisions, with evidence."""
    panel = selectors.panel_for_member(request.user, pk)
    meeting = get_object_or_404(panel.meetings, pk=mid)
    form = DecisionForm(request.POST if request.method == "POST" else None, panel=panel)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.record_decision(
                meeting=meeting,
                **form.decision_values(),
                evidence=_gap_or_group(request),
                by=request.user,
            )
        except InvalidInput as error:
            put_errors(form, error)
        else:
            messages.success(
                request, f"Decision “{decision.title}” recorded: it is in the public log."
            )
            return redirect("panel-meeting", pk=panel.pk, mid=meeting.pk)
    return render(
        request,
        "community/panels/meeting.jinja",
        {
            "panel": panel,
            "meeting": meeting,
            "form": form,
            "open_priorities": list(
                selectors.priorities_of(panel).filter(
                    status__in=[PriorityStatus.PROPOSED, PriorityStatus.AGREED]
                )
            ),
            "decisions": [selectors.decision_record(d) for d in meeting.decisions.all()],
            "display": display,
            "page_title": _title(form, meeting.title),
        },
    )


@permission_required(Perm.PANEL_DECIDE)
@require_POST
def priority_settle(request: HttpRequest, pk: int, mid: int, priority_id: int) -> HttpResponse:
    panel = selectors.panel_for_member(request.user, pk)
    meeting = get_object_or_404(panel.meetings, pk=mid)
    priority = get_object_or_404(panel.priorities, pk=priority_id)
    try:
        services.settle_priority(
            priority=priority, meeting=meeting, to=request.POST.get("to", ""), by=request.user
        )
    except (Conflict, InvalidInput) as error:
        messages.error(request, str(getattr(error, "message", error)))
    else:
        priority.refresh_from_db()
        messages.success(
            request, f"“{priority.title}” is now {priority.get_status_display().lower()}."
        )
    return redirect("panel-meeting", pk=panel.pk, mid=meeting.pk)


@permission_required(Perm.PANEL_DECIDE)
def priority_new(request: HttpRequest, pk: int) -> HttpResponse:
    panel = selectors.panel_for_member(request.user, pk)
    form = PriorityForm(request.POST if request.method == "POST" else None, panel=panel)
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_priority(
                panel=panel, **form.priority(), evidence=_gap_or_group(request), by=request.user
            )
        except InvalidInput as error:
            put_errors(form, error)
        else:
            messages.success(request, "Priority proposed: agree it at a meeting.")
            return redirect("panel-home", pk=panel.pk)
    return render(
        request,
        "community/panels/priority_form.jinja",
        {"panel": panel, "form": form, "page_title": _title(form, "Propose a priority")},
    )


@permission_required(Perm.PANEL_DECIDE)
@require_POST
def priority_propose(request: HttpRequest) -> HttpResponse:
    """One step from an insight page: the gap or emerging group shown becomes a proposed
    priority of the member's panel, with its published figures as evidence."""
    panels = selectors.panels_of(request.user)
    panel = panels.filter(pk=request.POST.get("panel") or 0).first() or panels.first()
    if panel is None:
        messages.error(request, "You are not a member of a panel that records priorities.")
        return redirect("home")
    try:
        snapshots = _gap_or_group(request)
        if not snapshots:
            raise InvalidInput(
                {"evidence_kind": "Say which gap, emerging group or funding round to propose."}
            )
        area = None
        code = request.POST.get("gap_area") or request.POST.get("neighbourhood_code")
        if code:
            area = Area.objects.filter(code=code, area_type=AreaType.NEIGHBOURHOOD).first()
        priority = services.propose_priority(
            panel=panel,
            title=request.POST.get("title") or snapshots[0].title,
            neighbourhood=area,
            evidence=snapshots,
            by=request.user,
        )
    except InvalidInput as error:
        messages.error(request, " ".join(error.errors.values()))
        back = request.POST.get("back", "")
        if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            return redirect(back)
        return redirect("panel-home", pk=panel.pk)
    messages.success(
        request, f"“{priority.title}” proposed as a priority, with its figures as evidence."
    )
    return redirect("panel-home", pk=panel.pk)


@permission_required(Perm.PANEL_DECIDE)
def membership(request: HttpRequest, pk: int) -> HttpResponse:
    """How the membership compares with the area; each member's own (optional) answers."""
    panel = selectors.panel_for_member(request.user, pk)
    current = PanelMemberProfile.objects.filter(user=request.user).first()
    initial = (
        {
            "age_band": current.age_band,
            "sex": current.sex,
            "neighbourhood": current.neighbourhood.code if current.neighbourhood else "",
        }
        if current
        else None
    )
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_member_profile(user=request.user, **form.profile(), by=request.user)
        except InvalidInput as error:
            put_errors(form, error)
        else:
            messages.success(request, "Thank you: your answers are counted, never shown.")
            return redirect("panel-membership", pk=panel.pk)
    return render(
        request,
        "community/panels/membership.jinja",
        {
            "panel": panel,
            "form": form,
            "review": selectors.membership_review(panel),
            "display": display,
            "page_title": _title(form, f"Who {panel.name} represents"),
        },
    )
