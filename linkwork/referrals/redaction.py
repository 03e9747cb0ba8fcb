"""Keeps feedback links' tokens out of the logs.

A token in a log would let anyone who reads the log answer in the person's place.
Django writes request paths in several loggers (`django.request` for 4xx/5xx answers,
`django.server` for each request under runserver, `django.security.*` for refused CSRF
checks and bad hosts), so the token is replaced where every log record is made, whichever
logger makes it and whichever handlers are attached later.

A web server in front of Linkwork keeps its own access log, which this cannot reach:
configure it to leave paths under /feedback/ out (see docs/decisions.md).
"""

import logging
import re

TOKEN_IN_PATH = re.compile(r"/feedback/(?!thank-you/)[^/\s?\"'<>]+")
REDACTED = "/feedback/[token]"


def redact(record: logging.LogRecord) -> logging.LogRecord:
    """The record, its message rewritten without any feedback token."""
    try:
        message = record.getMessage()
    except Exception:  # a malformed log call: leave it for logging to report
        return record
    if "/feedback/" in message:
        record.msg, record.args = TOKEN_IN_PATH.sub(REDACTED, message), ()
    return record


def install() -> None:
    """Wrap the log record factory (once) so that every record is redacted."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "redacts_feedback_tokens", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        return redact(previous(*args, **kwargs))

    factory.redacts_feedback_tokens = True
    logging.setLogRecordFactory(factory)
