"""Parcours settings: one module, driven by environment variables only.

Development (`make run`) sets DJANGO_DEBUG=1 and PARCOURS_DEMO=1 and uses generated keys in var/keys/.
With DEBUG off, `config.safety.refuse_insecure_settings` stops the process unless keys, MFA,
cookies and HSTS are set as production requires (privacy invariant 9).
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PARCOURS_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)
# Demonstration mode relaxes MFA and shows a banner. It is refused in production (see config.safety).
DEMO_MODE = env_bool("PARCOURS_DEMO", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "dev-only-insecure-secret-key-parcours"  # noqa: S105 - DEBUG only, refused otherwise

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Passkeys (WebAuthn) as a second factor; its views are wrapped by access/passkeys_api.py.
    "django_otp_webauthn",
    "guardian",
    "auditlog",
    "axes",
    "django_htmx",
    # django-csp's middleware sets the header; the app adds its system check of the settings' format.
    "csp",
    # Parcours, from the bottom layer up (docs/architecture.md; `make lint` checks the layers).
    "audit",
    "notifications",
    "access",
    "casework",
    "strategy",
    "referrals",
    "seances",
    "evaluation",
    "dpo",
    "config",
]

MIDDLEWARE = [
    # First: every log line of the request carries its id (core/logs.py).
    "core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise, so that every response carries them, static files and early refusals included.
    "csp.middleware.CSPMiddleware",
    "access.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "access.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sees every response to a signed-in person, the gates' redirects included.
    "access.middleware.NoStoreMiddleware",
    # Before the absolute session lifetime, which tells the person why they were signed out.
    "django.contrib.messages.middleware.MessageMiddleware",
    "access.middleware.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A ProConnect sign-in whose acr the deployment accepts counts as a second factor (access/proconnect.py).
    "access.proconnect.ProConnectMFAMiddleware",
    "access.middleware.KeyringCacheMiddleware",
    "access.middleware.MFARequiredMiddleware",
    "access.middleware.CharterRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "audit.middleware.AuditContextMiddleware",
    # Last, so that a locked-out login answers before any view code runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.parcours",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'parcours.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20})
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: the app runs short queries, and the planner's high estimate for the situation access
    # filter (two EXISTS joined by OR) made PostgreSQL spend 60+ ms compiling a list's COUNT that
    # runs in 20 ms (`make bench`, README "Performance").
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "access.backends.LedgerBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# CNIL délibération 2022-100: at least 12 characters with mixed classes when combined with lockout.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "access.validators.CharacterClassesValidator"},
]
LOGIN_URL = "access:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "access:login"

# Login throttling (access/throttling.py has the formulas). Never an account alone: failures from one
# address must not lock the real person out from theirs (anyone could lock anyone out). Never an
# address alone either: a city's staff share one NAT address, and one person's mistakes must not lock
# out the whole town hall. So axes locks the pair (identifier, address), for a cool-off that doubles
# with each failure of the pair, and a guess spread over many addresses is slowed by a growing delay
# per identifier instead of a lock.
AXES_HANDLER = "access.throttling.ThrottlingHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("PARCOURS_LOGIN_FAILURE_LIMIT", 5)
# The pair's first lock, doubled at each further failure, up to the longest.
PARCOURS_LOGIN_COOLOFF_MINUTES = env_int("PARCOURS_LOGIN_COOLOFF_MINUTES", 1)
PARCOURS_LOGIN_COOLOFF_MAX_MINUTES = env_int("PARCOURS_LOGIN_COOLOFF_MAX_MINUTES", 60)
# How long a pair's failures are remembered after its last one; its lock is computed from them.
AXES_COOLOFF_TIME = timedelta(hours=24)
# From this many failures for one identifier over the last hour (each address counting for at most
# AXES_FAILURE_LIMIT), an attempt waits after the previous failure: 2 s, doubling, up to the maximum.
PARCOURS_LOGIN_DELAY_AFTER = env_int("PARCOURS_LOGIN_DELAY_AFTER", 10)
PARCOURS_LOGIN_DELAY_MAX_SECONDS = env_int("PARCOURS_LOGIN_DELAY_MAX_SECONDS", 300)
# An attempt refused during a lock neither counts nor restarts it: the time the page announces holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "access.throttling.lockout_response"
# The address axes locks is the one the audit trail records (X-Forwarded-For only from trusted proxies).
AXES_CLIENT_IP_CALLABLE = "audit.request.client_ip"
# Axes would log identifiers and addresses; Parcours keeps those in its own audit trail instead.
AXES_VERBOSE = False
# One row per password checked and refused: the delay per identifier reads it.
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# guardian.W001 looks for its own backend by name; access.backends.LedgerBackend is that backend, answering
# for situations from the grant ledger.
SILENCED_SYSTEM_CHECKS = ["guardian.W001"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The audit's covering index (INCLUDE) is a PostgreSQL optimisation; SQLite builds it without the
    # extra columns, which is all the embedded default needs.
    SILENCED_SYSTEM_CHECKS.append("models.W040")

GUARDIAN_RAISE_403 = False
# No anonymous user row: nobody anonymous ever holds a permission.
ANONYMOUS_USER_NAME = None
GUARDIAN_USER_OBJ_PERMS_MODEL = "guardian.UserObjectPermission"
GUARDIAN_GROUP_OBJ_PERMS_MODEL = "guardian.GroupObjectPermission"

OTP_TOTP_ISSUER = env_str("PARCOURS_OTP_ISSUER", "Parcours")
# The admin may reset a lost device but must never read a TOTP secret (it would be a second factor for them).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Passkeys (django-otp-webauthn) are a second factor only, never a way in without the password.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# The relying party is the site's domain name: browsers refuse an IP address, so `make run` is reached at
# http://localhost:8000 to try passkeys (http is allowed for localhost only). Changing the RP ID later
# orphans every registered passkey.
OTP_WEBAUTHN_RP_ID = env_str("PARCOURS_WEBAUTHN_RP_ID", "localhost")
OTP_WEBAUTHN_RP_NAME = env_str("PARCOURS_WEBAUTHN_RP_NAME", "Parcours")
# The exact origins (scheme, host, port) the browser may report in a ceremony.
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("PARCOURS_WEBAUTHN_ORIGINS", ["http://localhost:8000"])

# Idle timeout: the session expires after this many minutes without a request.
SESSION_IDLE_MINUTES = env_int("PARCOURS_IDLE_TIMEOUT_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# Each request extends the session, written at most once a minute (access.middleware.SessionRefreshMiddleware).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Absolute lifetime: a session ends this many hours after sign-in, however active it has been
# (access.middleware.SessionLifetimeMiddleware).
PARCOURS_SESSION_MAX_HOURS = env_int("PARCOURS_SESSION_MAX_HOURS", 10, minimum=1)

# ProConnect (OpenID Connect, the State's federation for public agents): off unless enabled. A person
# invited in Parcours links their identity by e-mail at the first sign-in; the second factor is waived
# only when the provider asserts one of the accepted `acr` values (access/proconnect.py).
PARCOURS_PROCONNECT_ENABLED = env_bool("PARCOURS_PROCONNECT_ENABLED", False)
PARCOURS_PROCONNECT_DISCOVERY_URL = env_str("PARCOURS_PROCONNECT_DISCOVERY_URL", "")
PARCOURS_PROCONNECT_CLIENT_ID = env_str("PARCOURS_PROCONNECT_CLIENT_ID", "")
PARCOURS_PROCONNECT_CLIENT_SECRET = env_str("PARCOURS_PROCONNECT_CLIENT_SECRET", "")
PARCOURS_PROCONNECT_SCOPES = env_str("PARCOURS_PROCONNECT_SCOPES", "openid email given_name usual_name")
PARCOURS_PROCONNECT_MFA_ACR = env_list("PARCOURS_PROCONNECT_MFA_ACR", [])
PARCOURS_PROCONNECT_MFA_AMR = env_list("PARCOURS_PROCONNECT_MFA_AMR", [])
if PARCOURS_PROCONNECT_ENABLED and not (
    PARCOURS_PROCONNECT_DISCOVERY_URL and PARCOURS_PROCONNECT_CLIENT_ID and PARCOURS_PROCONNECT_CLIENT_SECRET
):
    raise ImproperlyConfigured(
        "PARCOURS_PROCONNECT_ENABLED=1 needs PARCOURS_PROCONNECT_DISCOVERY_URL, _CLIENT_ID and _CLIENT_SECRET."
    )

# --- Security headers and cookies ---------------------------------------------------------------------
SECURE_COOKIES = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("PARCOURS_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp 4): only Parcours' own files, no inline script or style, no
# eval. The pages' behaviour is in static/parcours/parcours.js, their look in static/parcours/*.css;
# PDFs are drawn by WeasyPrint on the server and never reach a browser as HTML. The admin gets the
# same policy (Django's admin needs no inline script; tests/e2e/test_csp.py walks it).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap's stylesheet draws its icons (menu button, check marks, select arrows) as data: SVG.
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
if PARCOURS_PROCONNECT_ENABLED:
    # Signing out ends the ProConnect session too: the sign-out form's redirect goes on to the provider's
    # end_session_endpoint, which form-action must allow (browsers check it on every hop of a form's
    # navigation). The provider's endpoints share the discovery document's origin.
    from urllib.parse import urlsplit

    _provider = urlsplit(PARCOURS_PROCONNECT_DISCOVERY_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_provider.scheme}://{_provider.netloc}")
# Permissions-Policy: Parcours uses none of these browser features; no page, nor anything injected
# into one, may ask for them (access.middleware.PermissionsPolicyMiddleware). Only features chromium
# knows: an unknown one is an error in the console (tests/e2e/test_csp.py checks it).
PARCOURS_PERMISSIONS_POLICY = ", ".join(
    [
        f"{feature}=()"
        for feature in (
            "accelerometer",
            "autoplay",
            "browsing-topics",
            "camera",
            "display-capture",
            "encrypted-media",
            "geolocation",
            "gyroscope",
            "hid",
            "idle-detection",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "screen-wake-lock",
            "serial",
            "usb",
            "xr-spatial-tracking",
        )
    ]
    # Passkeys (access/passkeys.py) ask the browser for a credential, from Parcours' own pages only.
    + ["publickey-credentials-get=(self)"]
)
# TLS ends at the proxy; it must set X-Forwarded-Proto.
if env_bool("PARCOURS_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
# Number of trusted proxies in front of the app, to read the client address from X-Forwarded-For.
PARCOURS_TRUSTED_PROXIES = env_int("PARCOURS_TRUSTED_PROXIES", 0)

# Personal data must not leave through error reports (invariant 3).
DEFAULT_EXCEPTION_REPORTER_FILTER = "config.reporting.RedactingExceptionReporterFilter"
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# --- Keys (invariants 1, 2) -----------------------------------------------------------------------------
# Master keys: "1:<base64>,2:<base64>" in the environment, or files master-<n>.key in PARCOURS_KEY_DIR.
PARCOURS_MASTER_KEYS = env_str("PARCOURS_MASTER_KEYS", "")
PARCOURS_BLIND_INDEX_KEY = env_str("PARCOURS_BLIND_INDEX_KEY", "")
# Only while the blind-index key is rotated (docs/operations.md): the new key, beside the old one.
PARCOURS_BLIND_INDEX_KEY_NEXT = env_str("PARCOURS_BLIND_INDEX_KEY_NEXT", "")
PARCOURS_KEY_DIR = env_str("PARCOURS_KEY_DIR", str(VAR_DIR / "keys") if DEBUG else "")
# The audit chain's MAC key (invariant 6), apart from the encryption keys, never in the database.
PARCOURS_AUDIT_KEY = env_str("PARCOURS_AUDIT_KEY", "")

# --- Audit trail (invariants 5, 6) ----------------------------------------------------------------------
AUDITLOG_LOGENTRY_MODEL = "audit.ChangeEntry"
# django-auditlog's own migrations would create its (swapped, unused) table, which then blocks flushes.
MIGRATION_MODULES = {"auditlog": None}
# Entries are chained by a periodic sealer rather than on insert (see audit/chain.py for why).
PARCOURS_AUDIT_SEAL_SECONDS = env_int("PARCOURS_AUDIT_SEAL_SECONDS", 30)
# CNIL délibération 2021-122: access logs kept 6 to 12 months.
PARCOURS_AUDIT_RETENTION_DAYS = env_int("PARCOURS_AUDIT_RETENTION_DAYS", 365)
# Anomaly report: working hours (local time, Monday to Friday), unusual volume, failed logins.
PARCOURS_WORKING_HOURS = env_str("PARCOURS_WORKING_HOURS", "08:00-19:00")
PARCOURS_ANOMALY_VOLUME_FACTOR = env_int("PARCOURS_ANOMALY_VOLUME_FACTOR", 3)
PARCOURS_ANOMALY_VOLUME_MINIMUM = env_int("PARCOURS_ANOMALY_VOLUME_MINIMUM", 20)
PARCOURS_ANOMALY_FAILED_LOGINS = env_int("PARCOURS_ANOMALY_FAILED_LOGINS", 3)
# At intake, notices per user and per day that a situation they cannot see may concern the young
# person; beyond, the form only says to contact the coordinator (each notice is a security event).
PARCOURS_HIDDEN_DUPLICATE_NOTICES_PER_DAY = env_int("PARCOURS_HIDDEN_DUPLICATE_NOTICES_PER_DAY", 5)
# Break-glass access lasts this many hours.
PARCOURS_BREAK_GLASS_HOURS = env_int("PARCOURS_BREAK_GLASS_HOURS", 4)
# How long an invitation link (password and second factor) stays valid.
PARCOURS_INVITATION_HOURS = env_int("PARCOURS_INVITATION_HOURS", 72)
# Attendees of a séance read the situations of its agenda until this many hours after its closing
# (0: the access ends at the closing).
PARCOURS_SEANCE_ACCESS_HOURS = env_int("PARCOURS_SEANCE_ACCESS_HOURS", 24)

# --- Data-protection rights (audit app) ------------------------------------------------------------------
# Named in the information notices: who is responsible for the processing, and how to reach the DPO.
PARCOURS_CONTROLLER = env_str("PARCOURS_CONTROLLER", "la commune, représentée par son maire, président du CLSPD")
# The city that runs the group, at the head of official documents: « Ville de Lomme — Conseil Local… ».
PARCOURS_CITY_NAME = env_str("PARCOURS_CITY_NAME", "Ville de Lomme (démonstration)" if DEMO_MODE else "Ville")
PARCOURS_DPO_CONTACT = env_str("PARCOURS_DPO_CONTACT", "dpo@mairie.example")
# An access-request file is deleted this many days after it was produced (GDPR: answer within a month).
PARCOURS_SUBJECT_ACCESS_DAYS = env_int("PARCOURS_SUBJECT_ACCESS_DAYS", 30)

# --- Internationalisation -------------------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static files ---------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# --- Celery ---------------------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
# Without a broker (embedded default), tasks run in-process.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# One beat process (`celery -A config beat`) runs these; times are local (CELERY_TIMEZONE). Each task
# is idempotent: a missed or doubled run costs nothing.
CELERY_BEAT_SCHEDULE = {
    "audit-seal": {"task": "audit.seal", "schedule": float(PARCOURS_AUDIT_SEAL_SECONDS)},
    "audit-verify": {"task": "audit.verify", "schedule": crontab(hour=2, minute=30)},
    "audit-purge": {"task": "audit.purge", "schedule": crontab(hour=3, minute=0)},
    "audit-digest": {"task": "audit.digest", "schedule": crontab(hour=7, minute=0)},
    # Tidies the grant ledger; no access depends on it (reads check expiry themselves).
    "grants-expire": {"task": "access.grants_expire", "schedule": 600.0},
    "situation-purge": {"task": "dpo.purge_expired", "schedule": crontab(hour=4, minute=0)},
    "notification-flush": {"task": "notifications.flush", "schedule": 60.0},
    "referral-reminders": {"task": "referrals.send_reminders", "schedule": 3600.0},
    # Reminders between séances; each is idempotent (a notification per event, at most once).
    "step-reminders": {"task": "seances.send_step_reminders", "schedule": 3600.0},
    "review-reminders": {"task": "casework.send_review_reminders", "schedule": crontab(hour=6, minute=30)},
    "notification-digest": {"task": "notifications.send_digest", "schedule": crontab(hour=7, minute=30)},
}

# --- E-mail ---------------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "parcours@localhost")
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)

# --- Logging: references and ids only, never request bodies ---------------------------------------------
# JSON lines with the request id in production (core/logs.py), plain text for a developer's console.
PARCOURS_LOG_FORMAT = env_str("PARCOURS_LOG_FORMAT", "plain" if DEBUG else "json")
if PARCOURS_LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"PARCOURS_LOG_FORMAT must be json or plain, got {PARCOURS_LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "core.logs.JsonFormatter"},
    },
    "filters": {"request_id": {"()": "core.logs.RequestIdFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if PARCOURS_LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("PARCOURS_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        # Without a broker, tasks run in-process: no need for a line per task, nor for kombu's
        # warning about the broker address it will never use.
        **(
            {"celery.app.trace": {"level": "WARNING"}, "kombu.connection": {"level": "ERROR"}}
            if not CELERY_BROKER_URL
            else {}
        ),
    },
}

# --- Parcours -------------------------------------------------------------------------------------------
PARCOURS_NOTE_MAX_LENGTH = env_int("PARCOURS_NOTE_MAX_LENGTH", 4000)
PARCOURS_FREE_TEXT_MAX_LENGTH = env_int("PARCOURS_FREE_TEXT_MAX_LENGTH", 1000)
PARCOURS_PAGE_SIZE = env_int("PARCOURS_PAGE_SIZE", 25)
# Address of the site as users reach it, for the links in notification e-mails.
PARCOURS_BASE_URL = env_str("PARCOURS_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Days an operator keeps reading a situation after declining or ending a referral (closing notes); 0 = none.
PARCOURS_REFERRAL_GRACE_DAYS = env_int("PARCOURS_REFERRAL_GRACE_DAYS", 7)
# Days between two reminders about a referral left unanswered past its deadline.
PARCOURS_REFERRAL_REMINDER_DAYS = env_int("PARCOURS_REFERRAL_REMINDER_DAYS", 7)
# Days between two reminders about a step of a plan (an « action demandée ») left pending past its due date.
PARCOURS_STEP_REMINDER_DAYS = env_int("PARCOURS_STEP_REMINDER_DAYS", 7, minimum=1)
# When the young person or the family refused: orienting or putting on a séance's agenda needs a
# written justification (« justification »), is refused (« refus »), or goes on as before (« libre »).
PARCOURS_CONSENT_POLICY = env_choice("PARCOURS_CONSENT_POLICY", "justification", ("justification", "refus", "libre"))

if not DEBUG:
    from config.safety import refuse_insecure_settings

    refuse_insecure_settings(globals())
