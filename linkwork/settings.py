"""Linkwork settings: one file, every value from the environment (see .env.example).

The defaults serve the embedded demo (SQLite under var/). With DEBUG off, the
settings refuse to load unless SECRET_KEY and ALLOWED_HOSTS are given.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

# A .env file beside the project fills in what the real environment does not set.
load_dotenv(BASE_DIR / ".env", override=False)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or "linkwork-insecure-development-key-never-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver"]
else:
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (production mode).")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off (production mode).")

# Demo accounts exist only where this is on; it can never be on in production mode.
DEMO_DATA_ALLOWED = DEBUG

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "linkwork.staticfiles.LinkworkStaticFilesConfig",
    "axes",
    "linkwork.accounts",
    "linkwork.audit",
    "linkwork.directory",
    "linkwork.places",
    "linkwork.referrals",
    "linkwork.outcomes",
    "linkwork.community",
    "linkwork.insight",
    "linkwork.notifications",
    "linkwork.interop",
    "linkwork.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "linkwork.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "linkwork.middleware.AbsoluteSessionLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes last, as its documentation asks: it turns locked-out logins into 429s.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "linkwork.urls"
WSGI_APPLICATION = "linkwork.wsgi.application"

NHSUK_JINJA_DIR = Path(__import__("nhsuk_frontend_jinja").__file__).resolve().parent / "templates"

TEMPLATES = [
    {
        # Linkwork's pages: Jinja2 with NHS England's nhsuk-frontend-jinja macros.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [PACKAGE_DIR / "templates", NHSUK_JINJA_DIR, NHSUK_JINJA_DIR / "nhsuk"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "linkwork.jinja2.environment",
            "autoescape": True,
            "context_processors": [
                "linkwork.jinja2.page_context",
                "django.contrib.messages.context_processors.messages",
                "django.contrib.auth.context_processors.auth",
            ],
        },
    },
    {
        # Django's admin keeps its own templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Databases: SQLite under var/ unless DATABASE_URL names another (PostgreSQL in production).
SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", BASE_DIR / "var" / "linkwork.sqlite3"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                # WAL lets readers work while one writer writes; IMMEDIATE avoids
                # upgrade deadlocks; the busy timeout waits instead of failing.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "landing"

# Login throttling (django-axes): after this many failures for one email from one
# address, further attempts are refused for the cool-off period.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.jinja"

# Sessions: 30 minutes idle (refreshed on every request), 12 hours at most.
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("nhsuk", NODE_MODULES / "nhsuk-frontend" / "dist" / "nhsuk"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("linkwork", PACKAGE_DIR / "static"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Email: the console by default; a real SMTP server or GOV.UK Notify (later) by env.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Linkwork <no-reply@linkwork.invalid>")

# Casework clocks, in working days (Monday to Friday).
FIRST_CONTACT_WORKING_DAYS = int(os.environ.get("FIRST_CONTACT_WORKING_DAYS", "5"))
GROUP_RESPONSE_WORKING_DAYS = int(os.environ.get("GROUP_RESPONSE_WORKING_DAYS", "10"))
# Self-referrals accepted from one address per hour (the public form has no sign-in).
SELF_REFERRAL_LIMIT_PER_HOUR = int(os.environ.get("SELF_REFERRAL_LIMIT_PER_HOUR", "5"))
# The person's feedback link, emailed when their referral closes, works once for this
# many days; the feedback page takes this many answers (or unknown links) per address
# per hour.
FEEDBACK_LINK_DAYS = int(os.environ.get("FEEDBACK_LINK_DAYS", "30"))
FEEDBACK_LIMIT_PER_HOUR = int(os.environ.get("FEEDBACK_LIMIT_PER_HOUR", "20"))
# A closed referral can be reopened (closed → in progress, with a reason) for this many
# days after closing; after that, it takes a new referral.
REOPEN_WINDOW_DAYS = int(os.environ.get("REOPEN_WINDOW_DAYS", "30"))
# The person's follow-up questionnaire link works once for this many days; the page takes
# this many answers (or unknown links) from one address an hour.
QUESTIONNAIRE_LINK_DAYS = int(os.environ.get("QUESTIONNAIRE_LINK_DAYS", "14"))
QUESTIONNAIRE_LIMIT_PER_HOUR = int(os.environ.get("QUESTIONNAIRE_LIMIT_PER_HOUR", "20"))
# UCLA-3 loneliness (total 3-9): "lonely" at or above this. ONS publishes no cut-off;
# studies use 6 (the default) or 4.
UCLA3_LONELY_THRESHOLD = int(os.environ.get("UCLA3_LONELY_THRESHOLD", "6"))
if not 4 <= UCLA3_LONELY_THRESHOLD <= 9:
    raise ImproperlyConfigured("UCLA3_LONELY_THRESHOLD must be a total from 4 to 9.")
# Interests ("I would join X if it existed") accepted from one address per hour, and how
# many open interests in the same activity and place (or community) make an emerging group.
INTEREST_LIMIT_PER_HOUR = int(os.environ.get("INTEREST_LIMIT_PER_HOUR", "5"))
EMERGING_GROUP_THRESHOLD = int(os.environ.get("EMERGING_GROUP_THRESHOLD", "5"))
# Where people reach Linkwork, for links in messages sent outside a request (feedback).
SITE_URL = os.environ.get("SITE_URL") or (
    "http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}"
)

# Notifications: "email" (Django's backend above) or "govuk_notify" in production.
NOTIFICATIONS_BACKEND = os.environ.get("NOTIFICATIONS_BACKEND", "email")
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("NOTIFY_EMAIL_TEMPLATE_ID", "")
if NOTIFICATIONS_BACKEND == "govuk_notify" and not (NOTIFY_API_KEY and NOTIFY_EMAIL_TEMPLATE_ID):
    raise ImproperlyConfigured(
        "NOTIFY_API_KEY and NOTIFY_EMAIL_TEMPLATE_ID must be set for GOV.UK Notify."
    )

SERVICE_NAME = os.environ.get("SERVICE_NAME", "Linkwork")

# Small-number disclosure control for every published aggregate (DESIGN.md §5; NHS
# Digital's rule by default): counts of people from 1 to THRESHOLD-1 are withheld,
# larger counts are rounded to the nearest ROUNDING.
DISCLOSURE_THRESHOLD = int(os.environ.get("DISCLOSURE_THRESHOLD", "8"))
DISCLOSURE_ROUNDING = int(os.environ.get("DISCLOSURE_ROUNDING", "5"))
# The secret the research export's pseudonymous ids are made with (HMAC-SHA256). Keep it
# stable: the same person then has the same id in every export. Blank derives one from
# SECRET_KEY (so rotating SECRET_KEY changes every pseudonym).
RESEARCH_EXPORT_KEY = os.environ.get("RESEARCH_EXPORT_KEY", "")

# Map tiles for Leaflet; empty shows markers on a plain background (offline, tests).
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")

# Directory freshness: a listing not verified for this long is stale (about six months).
LISTING_STALE_AFTER_DAYS = int(os.environ.get("LISTING_STALE_AFTER_DAYS", "182"))
# Owners are reminded this many days before a listing falls due.
LISTING_REMINDER_DAYS_BEFORE = int(os.environ.get("LISTING_REMINDER_DAYS_BEFORE", "14"))

# Logs carry no personal data: request logging names paths and status codes only,
# and Linkwork's own code logs identifiers, never names, contacts or notes.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
