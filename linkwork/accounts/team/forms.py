"""Forms for the team pages. They parse; the rules are the services'."""

from django import forms

from linkwork.accounts.roles import ROLES, Role


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Their email address",
        max_length=254,
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    role = forms.ChoiceField(label="Their role", error_messages={"required": "Select their role"})

    def __init__(self, *args, roles: list[Role], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, ROLES[role].label) for role in roles]
        if len(roles) == 1:
            self.fields["role"].initial = roles[0].value


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(
        label="Your full name",
        max_length=200,
        error_messages={"required": "Enter your full name"},
    )
    password = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "Enter a password"},
    )
    password_again = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "Type the password again"},
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("password") and data.get("password_again") != data.get("password"):
            self.add_error("password_again", "The passwords do not match: type it again")
        return data


class ReassignForm(forms.Form):
    assigned_to = forms.TypedChoiceField(
        label="Assign to", coerce=int, error_messages={"required": "Select a link worker"}
    )

    def __init__(self, *args, team: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.team = {user.pk: user for user in team}
        self.fields["assigned_to"].choices = [
            (user.pk, user.full_name or user.email) for user in team
        ]

    def link_worker(self):
        return self.team[self.cleaned_data["assigned_to"]]


class OrganisationForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the organisation's name"}
    )
    kind = forms.ChoiceField(
        label="What kind of organisation is it?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of organisation it is"},
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org"
        },
    )
    website = forms.URLField(
        label="Website (optional)",
        assume_scheme="https",
        required=False,
        max_length=200,
        error_messages={"invalid": "Enter a web address, like https://www.example.org"},
    )
    description = forms.CharField(
        label="What does it do? (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea,
    )

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
