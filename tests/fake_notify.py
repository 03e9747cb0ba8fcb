"""A fake GOV.UK Notify on 127.0.0.1 (a random port) that checks what it is sent.

The real client (notifications_python_client) talks to it through NOTIFY_BASE_URL, so
the requests are the ones production makes: the path, the JSON body and the JWT that
the client signs with the key's secret. The fake decodes that JWT with the service id
and secret from the test key (`name-{service_id}-{secret}`, both UUIDs) and refuses a
bad one with 403, as Notify does.
"""

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"linkwork_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = str(uuid.uuid4())
CALLBACK_TOKEN = "callback-token-" + uuid.uuid4().hex


@dataclass
class FakeNotify:
    base_url: str
    # Each request: path, headers, JSON body, the decoded JWT claims (or None).
    requests: list[dict] = field(default_factory=list)
    # Set to a status code to make the next requests fail (Notify refusing them), with
    # Notify's words for why.
    fail_with: int | None = None
    fail_message: str = "Bad request"

    @property
    def texts(self) -> list[dict]:
        return [r for r in self.requests if r["path"] == "/v2/notifications/sms"]


def _handler(fake: FakeNotify) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"null")
            claims = _claims(self.headers.get("Authorization", ""))
            fake.requests.append(
                {"path": self.path, "headers": dict(self.headers), "json": body, "jwt": claims}
            )
            if claims is None:
                return self._answer(403, {"errors": [{"error": "AuthError"}]})
            if self.path != "/v2/notifications/sms":
                return self._answer(404, {"errors": [{"error": "NotFound"}]})
            if fake.fail_with:
                error = {"error": "BadRequestError", "message": fake.fail_message}
                return self._answer(
                    fake.fail_with, {"status_code": fake.fail_with, "errors": [error]}
                )
            notification_id = str(uuid.uuid4())
            self._answer(
                201,
                {
                    "id": notification_id,
                    "reference": body.get("reference"),
                    "content": {"body": "…", "from_number": "Linkwork"},
                    "uri": f"{fake.base_url}/v2/notifications/{notification_id}",
                    "template": {"id": body.get("template_id"), "version": 1, "uri": ""},
                },
            )

        def _answer(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:  # quiet: the test reads fake.requests
            pass

    return Handler


def _claims(authorization: str) -> dict | None:
    scheme, _, token = authorization.partition(" ")
    if scheme != "Bearer":
        return None
    try:
        claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"require": ["iat"]})
    except jwt.PyJWTError:
        return None
    return claims if claims.get("iss") == SERVICE_ID else None


@pytest.fixture
def fake_notify(settings, monkeypatch):
    """Notify's SMS API on a thread; the settings point Linkwork at it."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    fake = FakeNotify(base_url=f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(fake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "govuk_notify"
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_SMS_TEMPLATE_ID = TEMPLATE_ID
    settings.NOTIFY_SMS_TEMPLATES = {}
    settings.NOTIFY_BASE_URL = fake.base_url
    settings.NOTIFY_CALLBACK_TOKEN = CALLBACK_TOKEN
    yield fake
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
