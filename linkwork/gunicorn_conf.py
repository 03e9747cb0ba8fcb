"""Gunicorn's settings for Linkwork (`gunicorn -c python:linkwork.gunicorn_conf
linkwork.wsgi`, which `make serve` runs). Every value can be changed from the environment.

Workers are processes and threads share a process (each thread with its own database
connection): Linkwork's requests mostly wait on the database, so a few threads per
worker serve more people for the same memory, while a process runs Python on one core
at a time. The default, 2 workers x 4 threads, fits a 2-core machine (3 workers, or
4 x 2 threads, measured no better there); give a bigger one about one worker per core.
"""

import os

from gunicorn.glogging import Logger

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"  # noqa: S104
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# A request that takes longer is killed (the worker restarts): the heaviest page, the
# gap report over a whole ICB, takes under 5 seconds.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that no slow leak grows for ever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Load the app once in the master, so workers share its memory until they write to it.
preload_app = True
# Behind a reverse proxy on the same host: trust its X-Forwarded-* from localhost only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-" if os.environ.get("ACCESS_LOG", "true").lower() in {"1", "true", "yes"} else None
errorlog = "-"
# JSON, one line a request, with the request id the app sends back; no query strings
# (they can hold search words) and no user agents.
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, '
    '"request_id": "%({x-request-id}o)s"}'
)

# Paths whose next segment is a secret (a one-use link): never written to the access log.
SECRET_PATHS = ("/feedback/", "/questionnaire/", "/accounts/reset/", "/f/", "/q/")


class LinkworkLogger(Logger):
    """Gunicorn's logger, leaving one-use links' requests out of the access log."""

    def access(self, resp, req, environ, request_time) -> None:
        if environ.get("PATH_INFO", "").startswith(SECRET_PATHS):
            return
        super().access(resp, req, environ, request_time)


logger_class = LinkworkLogger
