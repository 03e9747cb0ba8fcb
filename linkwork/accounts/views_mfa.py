"""Two-factor pages: set up an authenticator, enter a code at sign-in, or a recovery code.

The rules are in accounts/mfa.py; these pages only ask and answer.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from linkwork.accounts import mfa
from linkwork.accounts.forms import CodeForm, RecoveryCodeForm

WRONG_CODE = "The code is not right. Check your authenticator app and try again."
WRONG_RECOVERY_CODE = "That recovery code is not right, or it has been used."
SETUP_SESSION_KEY = "_linkwork_mfa_setup_device"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/home/"


def _too_many(form, seconds: int) -> None:
    form.add_error("code", f"Too many wrong codes. Wait {seconds} seconds, then try again.")


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the enrolled authenticator."""
    if mfa.pending_step(request) == mfa.DONE:
        return redirect(_next(request))
    if mfa.pending_step(request) == mfa.ENROL:
        return redirect("mfa-setup")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        wait = mfa.throttled_for(request.user)
        if wait:
            _too_many(form, wait)
            status = 429
        elif mfa.verify(request=request, token=form.cleaned_data["code"], by=request.user):
            return redirect(_next(request))
        else:
            form.add_error("code", WRONG_CODE)
    return render(
        request,
        "accounts/mfa_verify.jinja",
        {"form": form, "next": _next(request), "page_title": "Enter your security code"},
        status=status,
    )


@login_required
def recovery(request: HttpRequest) -> HttpResponse:
    """Sign in with a recovery code when the authenticator is lost; each code works once."""
    if mfa.pending_step(request) != mfa.VERIFY:
        return redirect(_next(request))
    form = RecoveryCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        wait = mfa.throttled_for(request.user, recovery=True)
        if wait:
            _too_many(form, wait)
            status = 429
        elif mfa.verify(
            request=request, token=form.cleaned_data["code"], by=request.user, recovery=True
        ):
            return redirect(_next(request))
        else:
            form.add_error("code", WRONG_RECOVERY_CODE)
    return render(
        request,
        "accounts/mfa_recovery.jinja",
        {"form": form, "next": _next(request), "page_title": "Use a recovery code"},
        status=status,
    )


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then enter a code.

    Someone who already has one must be verified in this session to replace it."""
    if mfa.pending_step(request) == mfa.VERIFY:
        return redirect("mfa-verify")
    device = None
    device_id = request.session.get(SETUP_SESSION_KEY)
    if device_id:
        device = mfa.TOTPDevice.objects.filter(
            pk=device_id, user=request.user, confirmed=False
        ).first()
    if device is None or request.method == "GET":
        device = mfa.start_enrolment(user=request.user)
        request.session[SETUP_SESSION_KEY] = device.pk
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            _too_many(form, mfa.throttled_for(request.user, device=device))
            codes = None
        else:
            codes = mfa.confirm_enrolment(
                request=request, device=device, token=form.cleaned_data["code"], by=request.user
            )
            if codes is None:
                form.add_error("code", WRONG_CODE)
        if codes is not None:
            request.session.pop(SETUP_SESSION_KEY, None)
            return _show_recovery_codes(request, codes)
    return render(
        request,
        "accounts/mfa_setup.jinja",
        {
            "form": form,
            "next": _next(request),
            "qr_svg": mfa.qr_svg(device),
            "secret": mfa.secret_in_groups(device),
            "required": mfa.mfa_required(request.user),
            "page_title": "Set up your authenticator app",
        },
    )


@require_POST
@login_required
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    """Fresh recovery codes for a verified session; the old ones stop working."""
    if not (request.user.is_verified() and mfa.has_mfa(request.user)):
        return redirect("mfa-verify")
    return _show_recovery_codes(request, mfa.regenerate_recovery_codes(by=request.user))


def _show_recovery_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    return render(
        request,
        "accounts/mfa_recovery_codes.jinja",
        {"codes": codes, "next": _next(request), "page_title": "Save your recovery codes"},
    )
