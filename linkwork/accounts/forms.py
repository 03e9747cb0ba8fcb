"""Sign-in and password forms, labelled for people rather than for Django."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class EmailAuthenticationForm(AuthenticationForm):
    """Django's sign-in form with an email label and one message for every failure.

    The same message whether the email or the password was wrong, so the form
    does not reveal who has an account.
    """

    username = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password.",
        "inactive": "Enter a correct email address and password.",
    }

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class CodeForm(forms.Form):
    """A six-digit code from an authenticator app (spaces allowed, as apps show them)."""

    code = forms.CharField(
        label="Security code",
        max_length=16,
        help_text="The 6-digit code your authenticator app shows for Linkwork.",
        error_messages={"required": "Enter the 6-digit code from your authenticator app."},
    )

    def clean_code(self) -> str:
        digits = "".join(ch for ch in self.cleaned_data["code"] if not ch.isspace())
        if not (digits.isdigit() and len(digits) == 6):
            raise forms.ValidationError("Enter the 6-digit code from your authenticator app.")
        return digits


class RecoveryCodeForm(forms.Form):
    """One of the recovery codes given at enrolment; each works once."""

    code = forms.CharField(
        label="Recovery code",
        max_length=32,
        help_text="One of the recovery codes you saved when you set up your authenticator.",
        error_messages={"required": "Enter one of your recovery codes."},
    )
