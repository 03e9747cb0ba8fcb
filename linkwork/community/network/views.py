"""Pages of the VCFSE network: the public directory, the noticeboard, moderation."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from linkwork.accounts.decorators import permission_required
from linkwork.accounts.permissions import organisations_with_permission
from linkwork.accounts.roles import Perm
from linkwork.community.network import services
from linkwork.community.network.models import NetworkMember, Notice, NoticeKind, NoticeStatus
from linkwork.directory.models import Organisation
from linkwork.errors import Conflict, InvalidInput


def network(request: HttpRequest) -> HttpResponse:
    """Public: who is in the network, what each does, how it likes to be contacted."""
    return render(
        request,
        "community/network/directory.jinja",
        {
            "members": NetworkMember.objects.select_related("organisation"),
            "page_title": "The VCFSE network",
        },
    )


@permission_required(Perm.NETWORK_POST)
def noticeboard(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    notices = Notice.objects.filter(status=NoticeStatus.PUBLISHED).select_related("organisation")
    if kind in NoticeKind.values:
        notices = notices.filter(kind=kind)
    return render(
        request,
        "community/network/noticeboard.jinja",
        {
            "notices": notices[:100],
            "kinds": NoticeKind.choices,
            "kind": kind,
            "page_title": "Network noticeboard",
        },
    )


@permission_required(Perm.NETWORK_POST)
def notice_new(request: HttpRequest) -> HttpResponse:
    errors: dict[str, str] = {}
    if request.method == "POST":
        ids = organisations_with_permission(request.user, Perm.NETWORK_POST)
        organisation = Organisation.objects.filter(pk__in=ids).order_by("pk").first()
        try:
            services.post_notice(
                organisation=organisation,
                kind=request.POST.get("kind", ""),
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
                by=request.user,
            )
        except InvalidInput as error:
            errors = error.errors
        else:
            messages.success(request, "Thank you: your notice will appear once it is checked.")
            return redirect("network-noticeboard")
    return render(
        request,
        "community/network/notice_form.jinja",
        {
            "errors": errors,
            "values": request.POST,
            "kinds": NoticeKind.choices,
            "page_title": ("Error: " if errors else "") + "Post a notice",
        },
    )


@permission_required(Perm.NETWORK_POST)
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(
        Notice.objects.select_related("organisation"), pk=pk, status=NoticeStatus.PUBLISHED
    )
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            services.reply_to_notice(
                notice=notice, message=request.POST.get("message", ""), by=request.user
            )
        except InvalidInput as error:
            errors = error.errors
        else:
            messages.success(request, "Your reply has been sent by email.")
            return redirect("network-notice", pk=notice.pk)
    return render(
        request,
        "community/network/notice.jinja",
        {"notice": notice, "errors": errors, "page_title": notice.title},
    )


@permission_required(Perm.NETWORK_MODERATE)
def moderation(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "community/network/moderation.jinja",
        {
            "pending": Notice.objects.filter(status=NoticeStatus.PENDING).select_related(
                "organisation"
            ),
            "page_title": "Notices to moderate",
        },
    )


@permission_required(Perm.NETWORK_MODERATE)
@require_POST
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(Notice, pk=pk)
    try:
        services.moderate_notice(
            notice=notice,
            publish=request.POST.get("decision") == "publish",
            note=request.POST.get("note", ""),
            by=request.user,
        )
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"“{notice.title}” moderated.")
    return redirect("network-moderation")
