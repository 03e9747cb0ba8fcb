"""Two-factor sign-in (TOTP, with single-use recovery codes) through django-otp.

Who must use it is data: the roles in `MFA_REQUIRED_ROLES` (link workers, panel members,
commissioners, admins by default) and anyone who can open Django's admin site. Anyone
else may enrol, and once enrolled is always asked for a code. `MFA_ENFORCED` (on in
production, off in the demo and the tests unless set) decides whether those who must use
it and have not enrolled are sent to enrol before anything else.

What a session still owes is worked out once, at sign-in, and kept in the session
(`MFA_SESSION_KEY`), so the middleware costs no query on each request.
"""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from linkwork.accounts.permissions import roles_of
from linkwork.audit.services import record_event

MFA_SESSION_KEY = "_linkwork_mfa"
# What a signed-in session still owes: a code from an enrolled device, or an enrolment.
VERIFY = "verify"
ENROL = "enrol"
DONE = "done"
RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def mfa_required(user: AbstractBaseUser) -> bool:
    """Whether this user's roles (or the admin site) call for a second factor."""
    if user.is_staff or user.is_superuser:
        return True
    required = set(settings.MFA_REQUIRED_ROLES)
    return any(role.value in required for role in roles_of(user))


def totp_device(user: AbstractBaseUser, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-id").first()


def has_mfa(user: AbstractBaseUser) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def outstanding_step(user: AbstractBaseUser) -> str:
    """What a session must do before it may use Linkwork, decided at sign-in."""
    if has_mfa(user):
        return VERIFY
    if settings.MFA_ENFORCED and mfa_required(user):
        return ENROL
    return DONE


def note_sign_in(request: HttpRequest, user: AbstractBaseUser) -> None:
    request.session[MFA_SESSION_KEY] = outstanding_step(user)


def pending_step(request: HttpRequest) -> str:
    """VERIFY or ENROL while the session owes one, else DONE."""
    step = request.session.get(MFA_SESSION_KEY, DONE)
    if step != DONE and getattr(request.user, "is_verified", lambda: False)():
        return DONE
    return step


@transaction.atomic
def start_enrolment(*, user: AbstractBaseUser) -> TOTPDevice:
    """A new, unconfirmed authenticator for the user (any earlier unconfirmed one goes)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (drawn here: nothing is fetched)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#212b32")


def secret_in_groups(device: TOTPDevice) -> str:
    """The base32 secret as people type it into an app, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _new_recovery_codes(user: AbstractBaseUser) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def confirm_enrolment(
    *, request: HttpRequest, device: TOTPDevice, token: str, by: AbstractBaseUser
) -> list[str] | None:
    """Confirm the authenticator with a code from it: the session is then verified, other
    authenticators are retired, and fresh recovery codes are returned (shown once).
    None when the code is wrong."""
    if not device.verify_token(_digits(token)):
        record_event(by=by, action="mfa_enrol_failed", object_type="user", object_id=by.pk)
        return None
    TOTPDevice.objects.filter(user=by).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(by)
    otp_login(request, device)
    request.session[MFA_SESSION_KEY] = DONE
    record_event(by=by, action="mfa_enrolled", object_type="user", object_id=by.pk)
    return codes


def _digits(token: str) -> str:
    return "".join(ch for ch in token if ch.isdigit())


def throttled_for(
    user: AbstractBaseUser, *, recovery: bool = False, device: TOTPDevice | None = None
) -> int:
    """Seconds before the user may try another code (django-otp's growing delay), else 0."""
    device = device or (_recovery_device(user) if recovery else totp_device(user))
    if device is None:
        return 0
    allowed, data = device.verify_is_allowed()
    if allowed:
        return 0
    locked_until = (data or {}).get("locked_until")
    if locked_until is None:
        return 1
    return max(1, int((locked_until - timezone.now()).total_seconds()) + 1)


def _recovery_device(user: AbstractBaseUser) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def verify(
    *, request: HttpRequest, token: str, by: AbstractBaseUser, recovery: bool = False
) -> bool:
    """Check a code from the authenticator (or a recovery code, used up by this) and mark
    the session verified. Failures count towards django-otp's throttle and are audited."""
    device = _recovery_device(by) if recovery else totp_device(by)
    code = token.strip().lower().replace(" ", "") if recovery else _digits(token)
    if device is None or not code or not device.verify_token(code):
        record_event(by=by, action="mfa_failed", object_type="user", object_id=by.pk)
        return False
    otp_login(request, device)
    request.session[MFA_SESSION_KEY] = DONE
    action = "mfa_recovery_code_used" if recovery else "mfa_verified"
    remaining = device.token_set.count() if recovery else None
    summary = f"{remaining} recovery codes left" if remaining is not None else ""
    record_event(by=by, action=action, object_type="user", object_id=by.pk, summary=summary)
    return True


@transaction.atomic
def regenerate_recovery_codes(*, by: AbstractBaseUser) -> list[str]:
    """New recovery codes for a verified user; the old ones stop working."""
    codes = _new_recovery_codes(by)
    record_event(by=by, action="mfa_recovery_codes_renewed", object_type="user", object_id=by.pk)
    return codes


@transaction.atomic
def reset_mfa(*, user: AbstractBaseUser, by: AbstractBaseUser | None) -> None:
    """Remove a user's authenticators and recovery codes (a lost phone, checked in person);
    they enrol again at their next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record_event(by=by, action="mfa_reset", object_type="user", object_id=user.pk)
