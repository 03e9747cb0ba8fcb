"""The VCFSE network: its member organisations (the reference group flagged), what each
does and how it likes to be contacted, and a moderated noticeboard (news, spaces and
resources on offer, shared training, volunteer requests) with replies by email."""

from django.conf import settings
from django.db import models


class NetworkMember(models.Model):
    organisation = models.OneToOneField(
        "directory.Organisation", on_delete=models.CASCADE, related_name="network_member"
    )
    # The VCFSE reference group: the intermediary between the health system and groups.
    is_reference_group = models.BooleanField(default=False)
    what_we_do = models.TextField(blank=True)
    # How it likes to be contacted ("Email first; we answer within a week").
    contact_preferences = models.CharField(max_length=300, blank=True)
    contact_email = models.EmailField(blank=True)
    joined_on = models.DateField(auto_now_add=True)

    class Meta:
        ordering = ["-is_reference_group", "organisation__name"]

    def __str__(self) -> str:
        return self.organisation.name


class NoticeKind(models.TextChoices):
    NEWS = "news", "News"
    SPACE = "space", "Space on offer"
    RESOURCE = "resource", "Resources on offer"
    TRAINING = "training", "Shared training"
    VOLUNTEERS = "volunteers", "Volunteers wanted"


class NoticeStatus(models.TextChoices):
    PENDING = "pending", "Waiting for moderation"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Not published"


class Notice(models.Model):
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=12, choices=NoticeKind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.PENDING
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class NoticeReply(models.Model):
    """Someone in the network answers a notice; it reaches the poster by email."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="replies")
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "notice replies"

    def __str__(self) -> str:
        return f"Reply {self.pk} to notice {self.notice_id}"
