"""Keeps feedback links' tokens out of the logs.

A token in a log would let anyone who reads the log answer in the person's place, so
Django's request logs (`django.request` for 4xx/5xx answers, `django.server` for each
request under runserver) have the token replaced before any handler sees the record.
A web server in front of Linkwork keeps its own access log, which this cannot reach:
configure it to leave paths under /feedback/ out (see docs/decisions.md).
"""

import logging
import re

TOKEN_IN_PATH = re.compile(r"/feedback/(?!thank-you/)[^/\s?\"']+")
REDACTED = "/feedback/[token]"
LOGGERS = ("django.request", "django.server")


class RedactFeedbackTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/feedback/" in message:
            record.msg, record.args = TOKEN_IN_PATH.sub(REDACTED, message), ()
        return True


def install() -> None:
    """Attach the filter to the loggers that write request paths (once)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactFeedbackTokens) for f in logger.filters):
            logger.addFilter(RedactFeedbackTokens())
