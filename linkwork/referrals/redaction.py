"""Keeps one-use links' tokens (feedback, questionnaires, password resets) out of the logs.

A token in a log would let anyone who reads the log answer in the person's place, or
(a password-reset link) take over their account.
Django writes request paths in several loggers (`django.request` for 4xx/5xx answers,
`django.server` for each request under runserver, `django.security.*` for refused CSRF
checks and bad hosts), so the token is replaced where every log record is made, whichever
logger makes it and whichever handlers are attached later.

A web server in front of Linkwork keeps its own access log, which this cannot reach:
configure it to leave paths under /feedback/, /questionnaire/, /f/, /q/ and
/accounts/reset/ out (docs/decisions.md, docs/operations.md).
"""

import logging
import re

# (path prefix, pattern of a token under it, what the token is replaced with)
TOKEN_PATHS = [
    ("/feedback/", re.compile(r"/feedback/(?!thank-you/)[^/\s?\"'<>]+"), "/feedback/[token]"),
    (
        "/questionnaire/",
        re.compile(r"/questionnaire/(?!done/)[^/\s?\"'<>]+"),
        "/questionnaire/[token]",
    ),
    # The short links sent by text message (the same pages).
    ("/f/", re.compile(r"/f/[^/\s?\"'<>]+"), "/f/[token]"),
    ("/q/", re.compile(r"/q/[^/\s?\"'<>]+"), "/q/[token]"),
    (
        "/accounts/reset/",
        re.compile(r"/accounts/reset/(?!done/)[^/\s?\"'<>]+/[^/\s?\"'<>]+"),
        "/accounts/reset/[uid]/[token]",
    ),
]


def redact(record: logging.LogRecord) -> logging.LogRecord:
    """The record, its message rewritten without any link token."""
    try:
        message = record.getMessage()
    except Exception:  # a malformed log call: leave it for logging to report
        return record
    redacted = message
    for prefix, pattern, replacement in TOKEN_PATHS:
        if prefix in redacted:
            redacted = pattern.sub(replacement, redacted)
    if redacted != message:
        record.msg, record.args = redacted, ()
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
