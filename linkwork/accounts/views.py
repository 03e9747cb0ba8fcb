"""Sign-in pages and each role's home."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render

from linkwork.accounts.forms import EmailAuthenticationForm
from linkwork.accounts.home import HOME_ROOMS
from linkwork.accounts.permissions import roles_of
from linkwork.accounts.roles import ROLES, Role
from linkwork.accounts.selectors import memberships_for_display
from linkwork.accounts.todo import todo_for
from linkwork.directory.selectors import listings_of
from linkwork.funding.selectors import latest_statements_of_group
from linkwork.referrals import throttle


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.jinja"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["expired"] = self.request.GET.get("expired") == "1"
        context["page_title"] = "Sign in"
        return context


class PasswordResetView(auth_views.PasswordResetView):
    """Reset requests are limited per address (one machine asking for many accounts) and
    per account (one inbox flooded). Past the account's limit the page still says "sent",
    so it tells nobody which emails have accounts; nothing more is sent."""

    def form_valid(self, form) -> HttpResponse:
        limit = settings.PASSWORD_RESET_LIMIT_PER_HOUR
        if not throttle.allow(
            f"password-reset-address:{throttle.client_address(self.request)}", limit=limit
        ):
            return render(
                self.request,
                "registration/password_reset_too_many.jinja",
                {"page_title": "Please try again later"},
                status=429,
            )
        email = form.cleaned_data["email"].strip().lower()
        if not throttle.allow(f"password-reset-account:{email}", limit=limit):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


def landing(request: HttpRequest) -> HttpResponse:
    """The public front door: what Linkwork is, and the way in for each kind of user."""
    return render(request, "home/landing.jinja", {"roles": ROLES})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to their own room; someone with several roles chooses."""
    roles = roles_of(request.user)
    if len(roles) == 1:
        return redirect(ROLES[roles[0]].home_url_name)
    return render(
        request,
        "home/choose.jinja",
        {"rooms": [(role, ROLES[role]) for role in roles], "page_title": "Choose where to go"},
    )


def role_home(request: HttpRequest, role: Role) -> HttpResponse:
    """The role's home: what needs them now (counted and linked, most urgent first),
    then the rooms they can go to; a room that does not exist yet is not shown."""
    info = ROLES[role]
    return render(
        request,
        "home/role.jinja",
        {
            "role": role,
            "info": info,
            "rooms": [room for room in HOME_ROOMS[role] if room.url_name],
            "todo": todo_for(request.user, role),
            "memberships": [
                m
                for m in memberships_for_display(user=request.user)
                if m.role == role.value and m.organisation
            ],
            "listings": list(listings_of(request.user)) if role == Role.GROUP else [],
            "statements": latest_statements_of_group(request.user) if role == Role.GROUP else [],
            "page_title": info.label,
        },
    )
