"""The VCFSE network: a public directory; a moderated noticeboard with replies by email."""

import pytest

from linkwork.accounts.roles import Role
from linkwork.community.models import NetworkMember, Notice
from linkwork.notifications.models import HeldMessage
from tests.factories import OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_the_directory_is_public_and_flags_the_reference_group(anonymous):
    NetworkMember.objects.create(
        organisation=OrganisationFactory(name="Bolton CVS"),
        is_reference_group=True,
        what_we_do="Support for voluntary groups.",
        contact_preferences="Email first",
    )
    page = anonymous.get("/network/").content.decode()
    assert "Bolton CVS" in page and "Reference group" in page and "Email first" in page


def test_a_notice_is_moderated_then_published_and_replies_go_by_email(persona, mailoutbox):
    group = persona(Role.GROUP)
    reader = user_with_role(Role.GROUP)
    response = group.post(
        "/network/noticeboard/new/",
        {
            "kind": "space",
            "title": "Free venue hire",
            "body": "Our hall, Wednesday afternoons.",
        },
    )
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert "Free venue hire" not in group.get("/network/noticeboard/").content.decode()
    assert group.get(f"/network/noticeboard/{notice.pk}/").status_code == 404

    admin = persona(Role.ADMIN)
    admin.post(f"/network/moderation/{notice.pk}/", {"decision": "publish"})
    notice.refresh_from_db()
    assert notice.status == "published"
    assert "Free venue hire" in group.get("/network/noticeboard/").content.decode()
    # Group members hear in their weekly digest, not at once.
    assert HeldMessage.objects.filter(user=reader, kind="network_noticeboard").exists()

    worker = persona(Role.LINK_WORKER)
    worker.post(f"/network/noticeboard/{notice.pk}/", {"message": "Could we book it?"})
    (reply,) = [m for m in mailoutbox if "A reply to your notice" in m.subject]
    assert reply.to == [group.user.email] and worker.user.email in reply.body


def test_bad_notices_are_named_and_only_moderators_moderate(persona):
    group = persona(Role.GROUP)
    response = group.post("/network/noticeboard/new/", {"kind": "gossip", "title": ""})
    page = response.content.decode()
    assert "There is a problem" in page and "Choose what kind of notice it is." in page
    assert not Notice.objects.exists()
    assert group.get("/network/moderation/").status_code == 403
    assert persona(Role.RESIDENT).get("/network/noticeboard/").status_code == 403
