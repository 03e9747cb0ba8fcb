from functools import partial

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from linkwork.accounts import views, views_mfa
from linkwork.accounts.decorators import role_required
from linkwork.accounts.roles import ROLES

urlpatterns = [
    path("", views.landing, name="landing"),
    path("home/", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/mfa/", views_mfa.verify, name="mfa-verify"),
    path("accounts/mfa/recovery/", views_mfa.recovery, name="mfa-recovery"),
    path("accounts/mfa/setup/", views_mfa.setup, name="mfa-setup"),
    path("accounts/mfa/recovery-codes/", views_mfa.new_recovery_codes, name="mfa-recovery-codes"),
    path(
        "accounts/password-reset/",
        views.PasswordResetView.as_view(
            template_name="registration/password_reset_form.jinja",
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
            success_url=reverse_lazy("password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_done.jinja"
        ),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/password_reset_confirm.jinja",
            success_url=reverse_lazy("password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.jinja"
        ),
        name="password_reset_complete",
    ),
]

# One home per role, at a stable address: /referrer/, /link-worker/, /group/ ...
ROLE_HOME_PATHS = {
    "referrer": "referrer/",
    "link_worker": "link-worker/",
    "service_manager": "service-manager/",
    "group": "group/",
    "resident": "resident/",
    "panel": "panel/",
    "commissioner": "commissioner/",
    "admin": "administration/",
}
for role, info in ROLES.items():
    view = role_required(role)(partial(views.role_home, role=role))
    urlpatterns.append(path(ROLE_HOME_PATHS[role.value], view, name=info.home_url_name))
