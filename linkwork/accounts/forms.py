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
