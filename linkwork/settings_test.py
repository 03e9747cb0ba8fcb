"""The tests' settings: linkwork/settings.py as the demo runs it.

DEBUG is off by default (production), where the settings need a secret key, hosts and
a mail server. The tests, like the demo, run with DEBUG on at import time (Django's test
runner still serves every request with DEBUG off). An explicit DEBUG in the environment
wins, so production mode can be tested too.
"""

import os

if not os.environ.get("DEBUG"):
    os.environ["DEBUG"] = "true"

from linkwork.settings import *  # noqa: E402, F403
