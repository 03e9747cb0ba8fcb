"""Keeps questionnaire links' tokens out of the logs (as referrals/redaction.py does for
feedback links): a token in a log would let whoever reads it answer in the person's
place. Django's request loggers have the token replaced before any handler sees the
record. A web server in front of Linkwork keeps its own access log: configure it to
leave paths under /questionnaire/ out."""

import logging
import re

TOKEN_IN_PATH = re.compile(r"/questionnaire/(?!done/)[^/\s?\"']+")
REDACTED = "/questionnaire/[token]"
LOGGERS = ("django.request", "django.server", "django.security.csrf")


class RedactQuestionnaireTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/questionnaire/" in message:
            record.msg, record.args = TOKEN_IN_PATH.sub(REDACTED, message), ()
        return True


def install() -> None:
    """Attach the filter to the loggers that write request paths (once)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactQuestionnaireTokens) for f in logger.filters):
            logger.addFilter(RedactQuestionnaireTokens())
