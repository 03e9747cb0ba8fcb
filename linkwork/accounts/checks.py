"""`linkwork check --deploy` warns when production runs without two-factor sign-in."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def mfa_enforced(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if settings.MFA_ENFORCED:
        return []
    return [
        checks.Warning(
            "MFA_ENFORCED is off: link workers, panel members, commissioners and admins can "
            "sign in with a password alone.",
            hint="Unset MFA_ENFORCED (it is on by default in production).",
            id="linkwork.W001",
        )
    ]
