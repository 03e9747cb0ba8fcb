"""Sign-in throttling per address, password-reset limits, tokens that die with the
password, and reset links kept out of the logs (issue 22)."""

import logging
import re

import pytest
from django.core import mail
from django.test import Client

from linkwork.accounts.models import ApiToken
from linkwork.accounts.roles import Role
from linkwork.accounts.services import create_api_token
from tests.factories import PASSWORD, user_with_role

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-quite-different-passphrase-42"


def sign_in(client: Client, email: str, password: str, address: str = "203.0.113.7"):
    return client.post(
        "/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=address
    )


def ask_for_reset(client: Client, email: str, address: str = "203.0.113.7"):
    return client.post("/accounts/password-reset/", {"email": email}, REMOTE_ADDR=address)


# --- Sign-in throttling ------------------------------------------------------------------


def test_one_address_trying_many_accounts_is_blocked(client, settings):
    """Password spraying: one guess each at 8 accounts, then even a right password fails."""
    victims = [user_with_role(Role.REFERRER, email=f"person{n}@example.test") for n in range(8)]
    answers = [sign_in(client, user.email, "Summer2026!").status_code for user in victims]
    assert answers[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert 429 in answers
    assert sign_in(client, victims[0].email, PASSWORD).status_code == 429
    # Someone else, elsewhere, still signs in.
    assert sign_in(Client(), victims[0].email, PASSWORD, address="198.51.100.9").status_code == 302


def test_one_account_guessed_from_many_addresses_is_blocked(client, settings):
    user = user_with_role(Role.REFERRER)
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), user.email, f"guess-{n}", address=f"192.0.2.{n + 1}")
    assert sign_in(Client(), user.email, PASSWORD, address="192.0.2.200").status_code == 429


# --- Password reset limits ---------------------------------------------------------------


def test_password_resets_from_one_address_are_limited(settings):
    client = Client()
    limit = settings.PASSWORD_RESET_LIMIT_PER_HOUR
    for n in range(limit):
        assert ask_for_reset(client, f"someone{n}@example.test").status_code == 302
    refused = ask_for_reset(client, "one-more@example.test")
    assert refused.status_code == 429
    assert "Please try again later" in refused.content.decode()
    assert ask_for_reset(client, "one-more@example.test", address="198.51.100.1").status_code == 302


def test_password_resets_for_one_account_are_limited_without_saying_so(settings):
    user = user_with_role(Role.REFERRER)
    limit = settings.PASSWORD_RESET_LIMIT_PER_HOUR
    answers = [
        ask_for_reset(Client(), user.email.upper(), address=f"192.0.2.{n + 1}")
        for n in range(limit + 3)
    ]
    # Every request looks the same (it tells nobody the account exists)...
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, "/accounts/password-reset/sent/")
    }
    # ...but the inbox gets no more than the limit.
    assert len(mail.outbox) == limit


# --- Tokens die with the password --------------------------------------------------------


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_resetting_the_password_revokes_the_accounts_api_tokens():
    user = user_with_role(Role.LINK_WORKER)
    _, raw = create_api_token(user=user, by=user)
    other = user_with_role(Role.LINK_WORKER)
    _, others_raw = create_api_token(user=other, by=other)
    client = Client()
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 200

    ask_for_reset(client, user.email)
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 401
    assert not ApiToken.objects.filter(user=user, revoked_at=None).exists()
    assert Client().get("/api/v1/me", **bearer(others_raw)).status_code == 200


def test_any_password_change_revokes_tokens_but_a_sign_in_does_not():
    user = user_with_role(Role.LINK_WORKER)
    token, _ = create_api_token(user=user, by=user)
    assert sign_in(Client(), user.email, PASSWORD).status_code == 302  # saves last_login
    token.refresh_from_db()
    assert token.revoked_at is None

    user.set_password(NEW_PASSWORD)  # e.g. the admin site or `linkwork changepassword`
    user.save()

    token.refresh_from_db()
    assert token.revoked_at is not None


# --- Reset links are never logged --------------------------------------------------------


@pytest.mark.parametrize(
    ("logger", "message", "args"),
    [
        ("django.request", "Not Found: %s", ("/accounts/reset/MQ/cz7k1x-0123456789abcdef/",)),
        ("django.server", '"%s" %s %s', ("GET /accounts/reset/MQ/cz7k1x-01234/ HTTP/1.1", 302, 0)),
        ("django.security.csrf", "Forbidden (%s): %s", ("CSRF", "/accounts/reset/MQ/cz7k1x/")),
    ],
)
def test_password_reset_links_are_redacted_from_every_log_record(caplog, logger, message, args):
    with caplog.at_level(logging.INFO):
        logging.getLogger(logger).warning(message, *args)
    assert "/accounts/reset/[uid]/[token]" in caplog.text
    assert "cz7k1x" not in caplog.text


def test_a_reset_link_followed_for_real_leaves_no_token_in_the_log(caplog):
    user = user_with_role(Role.REFERRER)
    client = Client()
    ask_for_reset(client, user.email)
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    token = link.rstrip("/").rsplit("/", 1)[1]
    with caplog.at_level(logging.INFO):
        client.get(link)
        client.get(link + "x/")  # not an address: 404, logged by django.request
        logging.getLogger("django.server").info('"GET %s HTTP/1.1" 302 0', link)
    assert caplog.records
    assert token not in caplog.text
