"""Linkwork settings: one file, every value from the environment (see .env.example).

DEBUG is off unless the environment (or .env) turns it on: `make` turns it on for the
demo and development, and the tests load linkwork/settings_test.py, which does the same.
With DEBUG off (production), the settings refuse to load unless SECRET_KEY,
ALLOWED_HOSTS and a real email backend are given.
"""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

PACKAGE_DIR = Path(__file__).resolve().parent
# The project's folder (.env, var/, static_collected/): the checkout when running from
# one; once installed as a wheel, LINKWORK_HOME or the working directory, never
# site-packages.
_CHECKOUT = PACKAGE_DIR.parent
BASE_DIR = (
    _CHECKOUT
    if (_CHECKOUT / "pyproject.toml").exists()
    else Path(os.environ.get("LINKWORK_HOME") or Path.cwd()).resolve()
)

# A .env file beside the project fills in what the real environment does not set.
load_dotenv(BASE_DIR / ".env", override=False)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or "linkwork-insecure-development-key-never-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver"]
else:
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (production mode). For the demo or "
            "development, set DEBUG=true (or run through make, which does)."
        )
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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Only for /api/v1/docs: Swagger UI's script and styles from our own static files
    # (with ninja installed as an app; otherwise it loads them from a CDN the CSP blocks).
    "ninja",
    "linkwork.accounts",
    "linkwork.audit",
    "linkwork.directory",
    "linkwork.places",
    "linkwork.referrals",
    "linkwork.outcomes",
    "linkwork.community",
    "linkwork.funding",
    "linkwork.insight",
    "linkwork.notifications",
    "linkwork.interop",
    "linkwork.interop.fhir",
    "linkwork.privacy",
    "linkwork.operations",
    "linkwork.demo",
]

MIDDLEWARE = [
    "linkwork.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "linkwork.middleware.ContentSecurityPolicyMiddleware",
    "linkwork.middleware.PrivacyHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language: ?lang= (remembered in a cookie), the cookie, Accept-Language.
    "linkwork.i18n.LanguageParameterMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "linkwork.middleware.AbsoluteSessionLimitMiddleware",
    "linkwork.accounts.middleware.TwoFactorMiddleware",
    "linkwork.operations.replicas.ReplicaReadsMiddleware",
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
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": SQLITE_PATH}}
# A read replica (PostgreSQL streaming replication) for the public directory, Open Referral
# UK and insight: linkwork/operations/replicas.py. Off unless set.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    # Tests run against the primary alone (the replica would not see their transaction).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["linkwork.operations.replicas.ReplicaRouter"]
REPLICA_READ_PATHS = env_list(
    "REPLICA_READ_PATHS", "/directory/,/openreferral/,/insight/,/api/v1/insight/"
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # However SQLite is named (SQLITE_PATH or DATABASE_URL=sqlite:///...): WAL lets
    # readers work while one writer writes; IMMEDIATE avoids upgrade deadlocks; the busy
    # timeout waits instead of answering "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        **DATABASES["default"].get("OPTIONS", {}),
    }

# The cache holds the rate limits (self-referral, interests, feedback, questionnaires,
# password resets), so every worker process must share it: the database by default
# (its table is made by `migrate`), Redis when CACHE_URL is set (redis://host:6379/0).
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "linkwork_cache",
            # Culling (Django's default past 300 entries) would free rate-limit slots
            # early; a row per slot per address is small.
            "OPTIONS": {"MAX_ENTRIES": 200_000},
        }
    }
# Public pages for visitors not signed in (linkwork/public_cache.py): in each worker's
# memory, or in Redis with CACHE_URL; PUBLIC_CACHE_SECONDS=0 turns the cache off.
# Browsers and proxies may keep them for PUBLIC_MAX_AGE_SECONDS. At most 500 pages a
# worker (a page is 20-80 kB), so odd query strings cannot grow a worker's memory far.
CACHES["pages"] = (
    {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": "pages",
    }
    if CACHE_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 500},
    }
)
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "300"))
PUBLIC_MAX_AGE_SECONDS = int(os.environ.get("PUBLIC_MAX_AGE_SECONDS", "60"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Email and password; the user and their memberships in one query per request.
    "linkwork.accounts.backends.EmailBackend",
    # Only for sessions signed in before EmailBackend (it ends every attempt it refuses,
    # so this never checks a password): they stay signed in.
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

# Login throttling (django-axes): after this many failures for one email (from any
# address), or from one address (for any emails: password spraying), further attempts
# are refused for the cool-off period.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")) / 60
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.jinja"

# Two-factor sign-in (accounts/mfa.py): TOTP with recovery codes. Required for these roles
# and for anyone who can open Django's admin site; anyone else may enrol. Enforced in
# production; off in the demo and development (DEBUG) unless MFA_ENFORCED is set, so the
# demo accounts sign in with their password alone.
MFA_REQUIRED_ROLES = env_list(
    "MFA_REQUIRED_ROLES", "link_worker,service_manager,panel,commissioner,admin"
)
MFA_ENFORCED = env_bool("MFA_ENFORCED", not DEBUG)
_known_roles = {
    *("referrer", "link_worker", "service_manager", "group", "resident", "panel"),
    *("commissioner", "admin"),
}
if set(MFA_REQUIRED_ROLES) - _known_roles:
    raise ImproperlyConfigured(
        f"MFA_REQUIRED_ROLES names unknown roles: {sorted(set(MFA_REQUIRED_ROLES) - _known_roles)}"
    )
# Wrong codes make the next try wait 1, 2, 4, 8... seconds (django-otp's throttle).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Sessions: 30 minutes idle, 12 hours at most.
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# Django's database sessions; the read on every request compiled once (accounts/sessions.py).
SESSION_ENGINE = "linkwork.accounts.sessions"
# The idle clock is refreshed at most once a minute (linkwork/middleware.py), not by a
# session write on every request.
SESSION_REFRESH_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The features no page uses, refused to every page and anything it embeds.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
    "fullscreen=(self), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), "
    "screen-wake-lock=(), sync-xhr=(self), usb=(), xr-spatial-tracking=()"
)
# Health checks answer over plain HTTP too (load balancers probe them that way).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if not DEBUG:
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    # Every subdomain over HTTPS too, and listed for browsers' preload: set either false
    # when a subdomain of the deployment's domain still serves plain HTTP.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The header (and value) by which the proxy in front says the request came over HTTPS,
# as "HEADER,value"; "off" when no proxy sets it (then anyone could send it).
_proxy_ssl_header = env_list("SECURE_PROXY_SSL_HEADER", "" if DEBUG else "X-Forwarded-Proto,https")
if _proxy_ssl_header and _proxy_ssl_header != ["off"]:
    if len(_proxy_ssl_header) != 2:
        raise ImproperlyConfigured('SECURE_PROXY_SSL_HEADER is "Header-Name,value" or "off".')
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _proxy_ssl_header[0].upper().replace("-", "_"),
        _proxy_ssl_header[1],
    )

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
# The languages pages are offered in (linkwork/i18n.py, docs in README "Languages"):
# British English (its date input formats are day first) and Welsh. A deployment can
# override any string with its own catalogue in LOCALE_OVERRIDES_DIR (searched first).
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LOCALE_OVERRIDES_DIR = os.environ.get("LOCALE_OVERRIDES_DIR", "")
if LOCALE_OVERRIDES_DIR:
    LOCALE_PATHS.insert(0, Path(LOCALE_OVERRIDES_DIR))
# Remembered for a year; read by pages only (never by scripts), sent only over HTTPS
# outside the demo.
LANGUAGE_COOKIE_NAME = "linkwork_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
# The npm packages' files, copied into the package by `make assets` so that an installed
# wheel carries them (linkwork/staticfiles.py).
STATICFILES_DIRS = [
    *((prefix, PACKAGE_DIR / "static_vendor" / prefix) for prefix in ("nhsuk", "htmx", "leaflet")),
    ("linkwork", PACKAGE_DIR / "static"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Email (password resets, and notifications unless GOV.UK Notify sends them): the
# console in the demo and development; in production an SMTP server (EMAIL_HOST...) or
# another real backend, or the settings refuse to load. The console would write every
# password-reset link into the logs, and the dummy and memory backends lose the mail.
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
NOT_A_MAIL_SERVICE = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT") or "587")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = 20
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else SMTP_BACKEND
    if EMAIL_HOST
    else ""
)
if not DEBUG:
    if not EMAIL_BACKEND or EMAIL_BACKEND in NOT_A_MAIL_SERVICE:
        raise ImproperlyConfigured(
            "Email must be configured when DEBUG is off (production mode): set EMAIL_HOST "
            "(and EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) for an SMTP server, or EMAIL_BACKEND "
            "to a real mail backend. The console backend would write password-reset links "
            "into the logs."
        )
    if EMAIL_BACKEND == SMTP_BACKEND and not EMAIL_HOST:
        raise ImproperlyConfigured("EMAIL_HOST must be set for the SMTP email backend.")
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
# After this many attempts in a row that did not reach the person (no answer, message
# left), a referral not yet in progress can be closed without an answer.
NO_ANSWER_ATTEMPTS_TO_CLOSE = int(os.environ.get("NO_ANSWER_ATTEMPTS_TO_CLOSE", "3"))
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
# Password-reset requests taken from one address, and sent to one account, per hour.
PASSWORD_RESET_LIMIT_PER_HOUR = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_HOUR", "5"))
# An invitation to join a team works once, for this many days.
INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "7"))
EMERGING_GROUP_THRESHOLD = int(os.environ.get("EMERGING_GROUP_THRESHOLD", "5"))
# Where people reach Linkwork, for links in messages sent outside a request (feedback).
SITE_URL = os.environ.get("SITE_URL") or (
    "http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}"
)

# Notifications: "email" (Django's backend above) or "govuk_notify" in production.
NOTIFICATIONS_BACKEND = os.environ.get("NOTIFICATIONS_BACKEND", "email")
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("NOTIFY_EMAIL_TEMPLATE_ID", "")
# Text messages: "" (not offered), "govuk_notify" (needs NOTIFY_SMS_TEMPLATE_ID) or
# "locmem" (kept in memory: tests and the demo).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "")
NOTIFY_SMS_TEMPLATE_ID = os.environ.get("NOTIFY_SMS_TEMPLATE_ID", "")
# A template of its own for some kinds of text message (notifications/texts.py lists each
# kind's placeholders): "feedback_link=<id>,questionnaire_link=<id>"; any other kind uses
# NOTIFY_SMS_TEMPLATE_ID, whose text is ((body)).
NOTIFY_SMS_TEMPLATES = dict(
    pair.strip().split("=", 1)
    for pair in os.environ.get("NOTIFY_SMS_TEMPLATES", "").split(",")
    if "=" in pair
)
# Notify's API (a fake one in the tests).
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
# The bearer token Notify sends with delivery receipts to /notify/callbacks/ (set the same
# in Notify's callback settings); empty: every receipt is refused.
NOTIFY_CALLBACK_TOKEN = os.environ.get("NOTIFY_CALLBACK_TOKEN", "")
# Links sent by text message are short: this many random bytes (16 = 128 bits).
SHORT_LINK_BYTES = int(os.environ.get("SHORT_LINK_BYTES", "16"))
if SMS_BACKEND == "govuk_notify" and not (NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID):
    raise ImproperlyConfigured(
        "NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID must be set for text messages by GOV.UK Notify."
    )
if NOTIFICATIONS_BACKEND == "govuk_notify" and not (NOTIFY_API_KEY and NOTIFY_EMAIL_TEMPLATE_ID):
    raise ImproperlyConfigured(
        "NOTIFY_API_KEY and NOTIFY_EMAIL_TEMPLATE_ID must be set for GOV.UK Notify."
    )

SERVICE_NAME = os.environ.get("SERVICE_NAME", "Linkwork")
OTP_TOTP_ISSUER = SERVICE_NAME

# Who runs this deployment, for the pages every public service has (/privacy/,
# /accessibility/, /cookies/, /contact/, /terms/, /status/) and the footer. A deployment
# can also override any of those templates (TEMPLATE_OVERRIDES_DIR, searched first).
OPERATOR_NAME = os.environ.get("OPERATOR_NAME", "")
OPERATOR_ADDRESS = os.environ.get("OPERATOR_ADDRESS", "")
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "")
CONTACT_PHONE = os.environ.get("CONTACT_PHONE", "")
CONTACT_HOURS = os.environ.get("CONTACT_HOURS", "Monday to Friday, 9am to 5pm")
DATA_PROTECTION_OFFICER = os.environ.get("DATA_PROTECTION_OFFICER", "")
ICO_REGISTRATION = os.environ.get("ICO_REGISTRATION", "")
# Closed cases are kept this many years (NHS records management code of practice: 8).
RETENTION_YEARS = int(os.environ.get("RETENTION_YEARS", "8"))
# Branding: the NHS logo only when the deployment is an NHS service.
NHS_SERVICE = env_bool("NHS_SERVICE", False)
BRAND_LOGO_URL = os.environ.get("BRAND_LOGO_URL", "")  # blank: Linkwork's own logo
BRAND_COLOUR = os.environ.get("BRAND_COLOUR", "")  # header colour, "#rrggbb"; blank: NHS blue
if BRAND_COLOUR and not re.fullmatch(r"#[0-9a-fA-F]{6}", BRAND_COLOUR):
    raise ImproperlyConfigured("BRAND_COLOUR must be a colour like #005eb8.")
# Extra footer links: "Text|https://example.org/page" separated by semicolons.
FOOTER_LINKS = [
    tuple(part.strip() for part in item.split("|", 1))
    for item in os.environ.get("FOOTER_LINKS", "").split(";")
    if "|" in item
]
TEMPLATE_OVERRIDES_DIR = os.environ.get("TEMPLATE_OVERRIDES_DIR", "")
if TEMPLATE_OVERRIDES_DIR:
    TEMPLATES[0]["DIRS"].insert(0, Path(TEMPLATE_OVERRIDES_DIR))

# Small-number disclosure control for every published aggregate (DESIGN.md §5; NHS
# Digital's rule by default): counts of people from 1 to THRESHOLD-1 are withheld,
# larger counts are rounded to the nearest ROUNDING.
DISCLOSURE_THRESHOLD = int(os.environ.get("DISCLOSURE_THRESHOLD", "8"))
DISCLOSURE_ROUNDING = int(os.environ.get("DISCLOSURE_ROUNDING", "5"))
# The secret the research export's pseudonymous ids are made with (HMAC-SHA256). Keep it
# stable: the same person then has the same id in every export. Blank derives one from
# SECRET_KEY (so rotating SECRET_KEY changes every pseudonym).
RESEARCH_EXPORT_KEY = os.environ.get("RESEARCH_EXPORT_KEY", "")

# Distances as people read them: "miles" (the default: UK users think in miles) or "km".
DISTANCE_UNIT = os.environ.get("DISTANCE_UNIT", "miles")
if DISTANCE_UNIT not in ("miles", "km"):
    raise ImproperlyConfigured("DISTANCE_UNIT must be miles or km.")
# The area the deployment covers, in the words residents use ("Bolton"), for a postcode
# from outside it; blank takes the local authority names from the places data.
COVERAGE_AREA_NAME = os.environ.get("COVERAGE_AREA_NAME", "")
# A postcode inside the area to suggest to someone who gave one outside it.
COVERAGE_EXAMPLE_POSTCODE = os.environ.get("COVERAGE_EXAMPLE_POSTCODE", "")

# Map tiles for Leaflet; empty shows markers on a plain background (offline, tests).
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")

# Directory freshness: a listing not verified for this long is stale (about six months).
LISTING_STALE_AFTER_DAYS = int(os.environ.get("LISTING_STALE_AFTER_DAYS", "182"))
# Owners are reminded this many days before a listing falls due.
LISTING_REMINDER_DAYS_BEFORE = int(os.environ.get("LISTING_REMINDER_DAYS_BEFORE", "14"))

# Logs carry no personal data: request logging names paths and status codes only,
# and Linkwork's own code logs identifiers, never names, contacts or notes.
# LOG_FORMAT "json" (the default in production: one object a line, with the request id;
# linkwork/logs.py) or "text" (the default in the demo and development).
LOG_FORMAT = os.environ.get("LOG_FORMAT") or ("text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Links that hold a secret (password reset, feedback, questionnaire) are redacted
    # from every log record as it is made: linkwork/referrals/redaction.py.
    "filters": {"request_id": {"()": "linkwork.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "linkwork.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
