"""Writes for the VCFSE network: post a notice, moderate it, reply to it. Audited."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from linkwork.accounts.roles import Role
from linkwork.audit.services import record_event
from linkwork.community.network.models import Notice, NoticeKind, NoticeReply, NoticeStatus
from linkwork.directory.models import Organisation
from linkwork.errors import Conflict, InvalidInput
from linkwork.notifications.models import Kind
from linkwork.notifications.services import notify_role, send


@transaction.atomic
def post_notice(
    *, organisation: Organisation | None, kind: str, title: str, body: str, by: AbstractBaseUser
) -> Notice:
    """A notice waits for moderation before the network sees it."""
    errors = {}
    if organisation is None:
        errors["organisation"] = "You need to belong to an organisation to post."
    if kind not in NoticeKind.values:
        errors["kind"] = "Choose what kind of notice it is."
    if not title.strip():
        errors["title"] = "Enter a title."
    if not body.strip():
        errors["body"] = "Say what you are offering or asking for."
    if errors:
        raise InvalidInput(errors)
    notice = Notice.objects.create(
        organisation=organisation,
        kind=kind,
        title=title.strip()[:200],
        body=body.strip(),
        posted_by=by,
    )
    record_event(by=by, action="notice_posted", object_type="notice", object_id=notice.pk)
    return notice


@transaction.atomic
def moderate_notice(
    *, notice: Notice, publish: bool, note: str = "", by: AbstractBaseUser
) -> Notice:
    """Publish (the network hears by its preference, weekly by default) or reject."""

    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.status != NoticeStatus.PENDING:
        raise Conflict("This notice has already been moderated.", current_state=notice.status)
    notice.status = NoticeStatus.PUBLISHED if publish else NoticeStatus.REJECTED
    notice.moderated_by, notice.moderated_at = by, timezone.now()
    notice.moderation_note = note.strip()[:300]
    notice.save()
    record_event(
        by=by,
        action="notice_moderated",
        object_type="notice",
        object_id=notice.pk,
        summary=f"status={notice.status}",
    )
    if publish:
        notify_role(
            role=Role.GROUP,
            kind=Kind.NETWORK_NOTICEBOARD,
            subject=f"On the network noticeboard: {notice.title}",
            body=f"{notice.get_kind_display()} from {notice.organisation.name}. "
            f"Sign in to read it: {reverse('network-notice', args=[notice.pk])}",
        )
    return notice


@transaction.atomic
def reply_to_notice(*, notice: Notice, message: str, by: AbstractBaseUser) -> NoticeReply:
    """A reply reaches the poster by email, with the replier's address so they can talk
    (both are network members acting for organisations, and the replier chose to)."""

    if notice.status != NoticeStatus.PUBLISHED:
        raise Conflict("Only published notices take replies.", current_state=notice.status)
    if not message.strip():
        raise InvalidInput({"message": "Write your reply."})
    reply = NoticeReply.objects.create(notice=notice, replied_by=by, message=message.strip())
    to = notice.posted_by.email if notice.posted_by else notice.organisation.email
    if to:
        send(
            to=[to],
            subject=f"A reply to your notice: {notice.title}",
            body=f"{message.strip()}\n\nReply to them at {by.email}.",
        )
    record_event(by=by, action="notice_replied", object_type="notice", object_id=notice.pk)
    return reply
