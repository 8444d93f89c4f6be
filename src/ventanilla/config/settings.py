"""Django settings for Ventanilla.

Every value an operator may change is read once, below, from an environment variable with a
default and a line of help (see `env.py`); `docs/configuration.md` is generated from these calls.
The defaults run the embedded demo: SQLite, local files, a console mailer, one worker.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from ventanilla.core.env import env_bool, env_int, env_list, env_str, group

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent.parent

# ---------------------------------------------------------------------------------------------
# Values obtained from the environment
# ---------------------------------------------------------------------------------------------

group("Core")
DEBUG = env_bool("DEBUG", False, "Show detailed error pages. Never true in production.")
VAR_DIR = Path(
    env_str(
        "VAR_DIR",
        str(BASE_DIR / "var"),
        "Folder for the embedded database, uploaded files, collected static files and the "
        "generated secret key.",
        shown="var/ in the repository",
    )
)
_secret_key = env_str(
    "SECRET_KEY",
    "",
    "Key that signs sessions and tokens. Required in production; when empty, a random key is "
    "generated once and kept in `VAR_DIR/secret_key`.",
)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost"], "Host names this deployment answers to."
)
TRUSTED_PROXY_COUNT = env_int(
    "TRUSTED_PROXY_COUNT",
    0,
    "How many proxies of yours (load balancer, TLS terminator) stand in front of the web "
    "processes and append to `X-Forwarded-For`. Rate limits count per client address, so behind "
    "one balancer set 1; with 0 the header is ignored (a client could write anything in it).",
)
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", [], "Origins (scheme and host) trusted for form posts behind a proxy."
)
HTTPS = env_bool(
    "HTTPS",
    False,
    "Served over HTTPS: secure cookies, HSTS and redirects from HTTP. Set it in production.",
)
TIME_ZONE = env_str(
    "TIME_ZONE", "America/Bogota", "Default time zone; each entity may have its own."
)
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "es", "Default language of the site (es or en).")

group("Database and cache")
DATABASE_URL = env_str(
    "DATABASE_URL",
    "",
    "Database to use, e.g. `postgres://user:pass@host:5432/ventanilla`. Empty: SQLite in "
    "`VAR_DIR/db.sqlite3`.",
)
DATABASE_POOL_MAX = env_int(
    "DATABASE_POOL_MAX",
    10,
    "PostgreSQL only: connections kept open per process by Django's psycopg pool (0 turns the "
    "pool off and keeps one persistent connection per thread instead).",
)
REDIS_URL = env_str(
    "REDIS_URL",
    "",
    "Redis for the shared cache and rate limits, e.g. `redis://127.0.0.1:6379/0`. Empty: the "
    "database is the cache.",
)

group("Email")
_email_backend = env_str(
    "EMAIL_BACKEND",
    "ventanilla.core.mail.ReadableConsoleBackend",
    "How mail leaves: the default prints it readably on the console (demo); use "
    "`django.core.mail.backends.smtp.EmailBackend` in production.",
)
_SMTP_OPTIONS = {
    "host": env_str("EMAIL_HOST", "localhost", "SMTP server."),
    "port": env_int("EMAIL_PORT", 25, "SMTP port."),
    "username": env_str("EMAIL_HOST_USER", "", "SMTP user."),
    "password": env_str("EMAIL_HOST_PASSWORD", "", "SMTP password."),
    "use_tls": env_bool("EMAIL_USE_TLS", False, "Use STARTTLS with the SMTP server."),
    "timeout": env_int("EMAIL_TIMEOUT", 20, "Seconds before an SMTP attempt gives up."),
}
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Ventanilla <no-responder@ventanilla.local>", "Sender of our mail."
)

SMS_PROVIDER = env_str(
    "SMS_PROVIDER",
    "ventanilla.notifications.sms.LoggingSmsProvider",
    "Class that sends text messages (a plugin); the default writes them to the log.",
)

group("Deployment identity")
SITE_NAME = env_str("SITE_NAME", "Ventanilla", "Name shown in the header and the page titles.")
SITE_OWNER = env_str(
    "SITE_OWNER",
    "Secretaría de Educación del Distrito (demostración)",
    "Institution that runs this deployment, shown in the header and footer.",
)
SITE_OWNER_EN = env_str(
    "SITE_OWNER_EN",
    "District Secretariat of Education (demo)",
    "The institution's name on the English pages; empty to show `SITE_OWNER` there too.",
)
SITE_URL = env_str(
    "SITE_URL",
    "http://127.0.0.1:8000",
    "Public address of the portal, used in links inside emails and text messages.",
)
SITE_LOGO = env_str(
    "SITE_LOGO",
    "portal/img/logo.svg",
    "Path of the logo among the static files (a file you add to `STATIC_EXTRA_DIR`).",
)
STATIC_EXTRA_DIR = env_str(
    "STATIC_EXTRA_DIR", "", "Folder with the deployment's own static files (logo, favicon)."
)
SOURCE_CODE_URL = env_str(
    "SOURCE_CODE_URL",
    "",
    "Where the public can get the source code this deployment runs; the footer links to it. "
    "The AGPL (section 13) asks a deployment that changed the code to offer its source so.",
)
SITE_CONTACT_EMAIL = env_str(
    "SITE_CONTACT_EMAIL", "contactenos@ventanilla.local", "Contact email in the footer."
)
SITE_CONTACT_PHONE = env_str("SITE_CONTACT_PHONE", "601 324 1000", "Contact phone in the footer.")
SITE_CONTACT_ADDRESS = env_str(
    "SITE_CONTACT_ADDRESS",
    "Avenida El Dorado No. 66-63, Bogotá D.C.",
    "Postal address in the footer.",
)
SITE_HOURS = env_str(
    "SITE_HOURS",
    "Lunes a viernes de 7:00 a. m. a 4:30 p. m.",
    "Service hours shown in the footer.",
)
SITE_HOURS_EN = env_str(
    "SITE_HOURS_EN",
    "Monday to Friday, 7:00 a.m. to 4:30 p.m.",
    "Service hours on the English pages; empty to show `SITE_HOURS` there too.",
)

group("Issued documents and signatures")
SIGNING_KEYS_DIR = env_str(
    "SIGNING_KEYS_DIR",
    str(VAR_DIR / "signing"),
    "Folder with each entity's signing certificate and key as `<ENTITY CODE>.p12` (PKCS#12).",
    shown="<VAR_DIR>/signing",
)
SIGNING_KEY_PASSWORD = env_str(
    "SIGNING_KEY_PASSWORD", "", "Passphrase of the PKCS#12 files (empty: none).", shown=""
)
SIGNING_TRUST_ROOTS = env_list(
    "SIGNING_TRUST_ROOTS",
    [],
    "PEM files of the certification authorities whose signatures the verification page "
    "trusts, comma-separated; empty: `ca.pem` in SIGNING_KEYS_DIR when it is there.",
)
SIGNING_TIMESTAMP_URL = env_str(
    "SIGNING_TIMESTAMP_URL",
    "",
    "RFC 3161 timestamp service: signatures are PAdES B-T with it, B-B without it.",
)
SIGNING_DEMO_CERTIFICATES = env_bool(
    "SIGNING_DEMO_CERTIFICATES",
    DEBUG,
    "Create a demo certificate for an entity that has none (never in production: anyone could "
    "make the same demo authority).",
)
DOCUMENT_SIGNER = env_str(
    "DOCUMENT_SIGNER",
    "ventanilla.documents.signing.Pkcs12Signer",
    "Class that signs issued documents (a plugin); the default uses the PKCS#12 files.",
)
VERIFY_LIMIT_PER_CLIENT = env_int(
    "VERIFY_LIMIT_PER_CLIENT",
    30,
    "Document verifications one client may ask in 15 minutes (codes and uploaded PDFs).",
)

group("Appointments")
BOOKINGS_PER_CLIENT_PER_HOUR = env_int(
    "BOOKINGS_PER_CLIENT_PER_HOUR",
    20,
    "Bookings, changes and cancellations one client address may make in an hour (a school's "
    "shared connection may serve many families: keep it generous).",
)
BOOKINGS_PER_API_CLIENT_PER_HOUR = env_int(
    "BOOKINGS_PER_API_CLIENT_PER_HOUR",
    2000,
    "Bookings, changes and cancellations one API client (a call centre, another system) may "
    "make in an hour, whatever the address it calls from.",
)
BOOKINGS_PER_CONTACT_PER_HOUR = env_int(
    "BOOKINGS_PER_CONTACT_PER_HOUR",
    6,
    "Bookings and changes one email address, phone number or account may make in an hour.",
)
BOOKING_REMINDER_HOURS = env_int(
    "BOOKING_REMINDER_HOURS",
    24,
    "How long before an appointment its holder is reminded (once).",
)

group("Country profile")
DEFAULT_COUNTRY = env_str(
    "DEFAULT_COUNTRY", "CO", "Country (ISO 3166-1) whose public holidays new entities follow."
)
CURRENCY = env_str("CURRENCY", "COP", "Currency of fees (ISO 4217).")

group("Identity provider (OpenID Connect)")
OIDC_SERVER_URL = env_str(
    "OIDC_SERVER_URL",
    "",
    "Issuer URL of a national identity provider (its `/.well-known/openid-configuration` is "
    "read). Empty: no such provider.",
)
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID", "", "Client id registered with the provider.")
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "", "Client secret for the provider.")
OIDC_ID_TYPE_CLAIM = env_str(
    "OIDC_ID_TYPE_CLAIM",
    "document_type",
    "Claim in which the provider gives the kind of ID document (CC, TI, CE, PA…). With the "
    "number, it marks the account's document as verified by the provider.",
)
OIDC_ID_NUMBER_CLAIM = env_str(
    "OIDC_ID_NUMBER_CLAIM", "document_number", "Claim in which the provider gives the ID number."
)
OIDC_PROVIDER_NAME = env_str(
    "OIDC_PROVIDER_NAME", "Carpeta Ciudadana", "Name of the provider on the login page."
)

group("Uploaded files")
STORAGE_BACKEND = env_str(
    "STORAGE_BACKEND",
    "filesystem",
    "Where uploaded and issued documents are kept: `filesystem` (under `VAR_DIR/media`) or `s3` "
    "(any S3-compatible object store; needs the `s3` extra, `uv sync --extra s3`).",
)
S3_BUCKET = env_str("S3_BUCKET", "", "`s3` storage: the bucket's name.")
S3_ENDPOINT_URL = env_str(
    "S3_ENDPOINT_URL",
    "",
    "`s3` storage: the endpoint of an S3-compatible service (MinIO, Ceph, a national cloud), "
    "e.g. `https://s3.example.gov.co`. Empty: Amazon S3.",
)
S3_REGION = env_str("S3_REGION", "", "`s3` storage: the bucket's region, when it has one.")
S3_ACCESS_KEY_ID = env_str("S3_ACCESS_KEY_ID", "", "`s3` storage: the access key's id.")
S3_SECRET_ACCESS_KEY = env_str("S3_SECRET_ACCESS_KEY", "", "`s3` storage: the access key's secret.")
S3_PREFIX = env_str(
    "S3_PREFIX", "", "`s3` storage: a folder inside the bucket for this deployment's files."
)
CLAMAV_URL = env_str(
    "CLAMAV_URL",
    "",
    "ClamAV daemon that scans every uploaded file, e.g. `tcp://127.0.0.1:3310` or "
    "`unix:///run/clamav/clamd.ctl`. Empty: files are not scanned. When set and clamd cannot "
    'be reached, uploads are refused with "try again in a few minutes".',
)
CLAMAV_TIMEOUT = env_int(
    "CLAMAV_TIMEOUT", 30, "Seconds to wait for the ClamAV daemon before refusing the file."
)
VIRUS_SCANNER = env_str(
    "VIRUS_SCANNER",
    "clamav" if CLAMAV_URL else "none",
    "The virus-scanner plugin: `none`, `clamav` (the default when `CLAMAV_URL` is set) or "
    "`eicar` (finds only the EICAR test file; for trying the refusal without ClamAV).",
    shown="clamav when CLAMAV_URL is set, else none",
)

group("Turns")
TURNS_APPOINTMENT_TOLERANCE_MINUTES = env_int(
    "TURNS_APPOINTMENT_TOLERANCE_MINUTES",
    10,
    "Minutes before their appointment time from which a checked-in citizen is called ahead of "
    "priority groups and walk-ins.",
)
TURNS_NEAR_POSITION = env_int(
    "TURNS_NEAR_POSITION",
    3,
    "A citizen who left a phone or email is told their turn is near when this many people or "
    "fewer are ahead of them.",
)
TURNS_JOINS_PER_HOUR = env_int(
    "TURNS_JOINS_PER_HOUR",
    5,
    'Turns one client address may take from a phone ("join the queue") in an hour.',
)
TURNS_CONTACT_RETENTION_DAYS = env_int(
    "TURNS_CONTACT_RETENTION_DAYS",
    7,
    "Days a turn keeps the name, phone and email its citizen gave (Ley 1581 de 2012: no longer "
    "than needed); then they are erased, and the ticket's times stay for the figures.",
)
TURNS_POLL_SECONDS = env_int(
    "TURNS_POLL_SECONDS",
    5,
    "Seconds between refreshes of the waiting-room display and the citizen's turn page.",
)

group("Open data")
OPENDATA_KEEP_RELEASES = env_int(
    "OPENDATA_KEEP_RELEASES",
    30,
    "Daily open-data releases kept; the files of older ones are deleted from the storage.",
)
OPENDATA_MIN_GROUP = env_int(
    "OPENDATA_MIN_GROUP",
    5,
    "Fewest cases that may share service, channel, month and locality in the open data; "
    "smaller groups lose their locality, then their month (see docs/open-data.md).",
)
OPENDATA_LICENSE = env_str(
    "OPENDATA_LICENSE",
    "https://creativecommons.org/licenses/by/4.0/",
    "Licence of the open data, as a URL (Creative Commons Attribution 4.0 by default).",
)

group("Operations")
LOG_FORMAT = env_str(
    "LOG_FORMAT", "", "`json` (structured, one object a line) or `text`. Empty: json unless DEBUG."
)
LOG_LEVEL = env_str("LOG_LEVEL", "INFO", "Lowest level of log lines written.")
WORKER_HEARTBEAT_MAX_AGE = env_int(
    "WORKER_HEARTBEAT_MAX_AGE",
    120,
    "Seconds without a heartbeat after which `/healthz` reports the worker as down.",
)
WORKER_NICENESS = env_int(
    "WORKER_NICENESS",
    10,
    "How much lower than the web processes' the worker's CPU priority is (0 to 19, as `nice`):"
    " on a machine that also serves pages, the dashboards' rebuild and other long background"
    " work yield the processors to people waiting for a page. 0 keeps the same priority.",
)
DRAFT_RETENTION_DAYS = env_int(
    "DRAFT_RETENTION_DAYS",
    30,
    "Days an unfinished filing and its uploaded files (identity documents among them) are kept "
    "after their last change; then they are deleted.",
)
SURVEY_ANSWER_DAYS = env_int(
    "SURVEY_ANSWER_DAYS",
    60,
    "Days a citizen has to answer the satisfaction survey sent when their case closes.",
)
SURVEY_PETITION_SERVICE = env_str(
    "SURVEY_PETITION_SERVICE",
    "derecho-de-peticion-general",
    "Slug of the service a survey comment can be turned into (a general petition).",
)
NOTIFICATION_LEASE_SECONDS = env_int(
    "NOTIFICATION_LEASE_SECONDS",
    30,
    "Seconds a worker owns a notification it is sending. If the worker dies, the mail is sent "
    "again (same Message-ID) once this has passed; it must be longer than `EMAIL_TIMEOUT`.",
)
NOTIFICATION_SWEEP_SECONDS = env_int(
    "NOTIFICATION_SWEEP_SECONDS",
    10,
    "Seconds between the sweeps that send what is due: retries after an outage, and mail whose "
    "worker died once its lease has expired. One worker runs each sweep.",
)
TASKS_IMMEDIATE = env_bool(
    "TASKS_IMMEDIATE",
    False,
    "Run background tasks inside the request instead of in the worker (tests only).",
)

# ---------------------------------------------------------------------------------------------
# Derived and fixed settings
# ---------------------------------------------------------------------------------------------


def _secret_key_from_var(var_dir: Path) -> str:
    """A random key generated on first start and kept, so sessions survive restarts."""
    path = var_dir / "secret_key"
    var_dir.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x") as new_file:
            path.chmod(0o600)
            new_file.write(secrets.token_urlsafe(50))
    except FileExistsError:
        pass
    return path.read_text().strip()


SECRET_KEY = _secret_key or _secret_key_from_var(VAR_DIR)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "allauth",
    "allauth.account",
    "ventanilla.config.apps.TwoStepConfig",  # allauth.mfa, named in Spanish
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "ventanilla.config.apps.BackgroundTasksConfig",  # django_tasks_db, in Spanish
    "ninja",
    "ventanilla.core",
    "ventanilla.calendars",
    "ventanilla.accounts",
    "ventanilla.organization",
    "ventanilla.catalog",
    "ventanilla.notifications",
    "ventanilla.cases",
    "ventanilla.documents",
    "ventanilla.appointments",
    "ventanilla.turns",
    "ventanilla.places",
    "ventanilla.insights",
    "ventanilla.surveys",
    "ventanilla.portal",
    "ventanilla.workspace",
    "ventanilla.api",
    "ventanilla.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ventanilla.core.middleware.PageCompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "ventanilla.core.middleware.ControlCharacterMiddleware",
    "ventanilla.api.middleware.ApiBodyLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ventanilla.organization.middleware.OfficialMFAMiddleware",
]

FORM_RENDERER = "ventanilla.core.forms.FormRenderer"
ROOT_URLCONF = "ventanilla.config.urls"
WSGI_APPLICATION = "ventanilla.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ventanilla.core.context_processors.site",
            ],
        },
    }
]


def _databases(url: str) -> dict[str, dict[str, Any]]:
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
    config: dict[str, Any] = dict(dj_database_url.parse(url))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock when a
        # transaction starts, so concurrent filings queue (up to the timeout) instead of failing
        # with "database is locked" when they upgrade a read lock.
        # Tests use a file too (not shared-cache memory), so concurrent tests see real locking;
        # one per process, so two test runs in one checkout do not share a database.
        config["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
        # A new SQLite connection parses the whole schema (about 340 tables and indexes) before
        # its first query: 3.5 ms on the bench machine, more than most pages' own queries. So
        # each process keeps its connection (one per thread; docs/performance.md, the embedded
        # default). Restoring the file from a backup therefore needs the processes stopped.
        config["CONN_MAX_AGE"] = 600
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
            ),
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        if DATABASE_POOL_MAX > 0:
            config["CONN_MAX_AGE"] = 0
            config["OPTIONS"] = {"pool": {"min_size": 1, "max_size": DATABASE_POOL_MAX}}
        else:
            config["CONN_MAX_AGE"] = 600
            config["CONN_HEALTH_CHECKS"] = True
    return {"default": config}


DATABASES = _databases(DATABASE_URL)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "ventanilla.core.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "ventanilla_cache",
        }
    }

MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        "OPTIONS": _SMTP_OPTIONS if _email_backend.endswith("smtp.EmailBackend") else {},
    }
}

TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if TASKS_IMMEDIATE
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default", "mail"],
    }
}

# Periodic work, enqueued by `manage.py worker` (task path, seconds between runs); one worker
# runs each period, whatever the number of workers (`core.services.periodic_tasks_claim`).
INSIGHTS_REFRESH_SECONDS = env_int(
    "INSIGHTS_REFRESH_SECONDS",
    600,
    "Seconds between rebuilds of the dashboards' and the deadline page's figures.",
)
PERIODIC_TASKS = [
    ("ventanilla.notifications.tasks.notifications_sweep", NOTIFICATION_SWEEP_SECONDS),
    ("ventanilla.cases.tasks.cases_refresh_sla", 3600),
    ("ventanilla.cases.tasks.information_requests_upkeep", 3600),
    ("ventanilla.cases.tasks.files_sweep", 3600),
    ("ventanilla.cases.tasks.filing_drafts_sweep", 86400),
    ("ventanilla.documents.tasks.documents_resume", 120),
    ("ventanilla.appointments.tasks.bookings_remind", 600),
    ("ventanilla.core.tasks.task_results_prune", 86400),
    ("ventanilla.turns.tasks.tickets_forget_contacts", 86400),
    ("ventanilla.places.tasks.places_upkeep", 300),
    ("ventanilla.insights.tasks.figures_refresh_task", INSIGHTS_REFRESH_SECONDS),
    ("ventanilla.insights.tasks.opendata_export_task", 86400),
]

# Loops every worker runs beside its queue, each in a thread of its own: (a function returning
# how much it did, seconds to wait when it did nothing). The outbox loop sends mail in batches
# within a second of its commit; it does again at once while it finds work.
WORKER_LOOPS = [("ventanilla.notifications.services.notifications_deliver_next", 1.0)]

# Parts of `/healthz` besides the database and the worker: name → a function returning a dict
# with "ok" and details.
HEALTH_CHECKS = {"outbox": "ventanilla.notifications.selectors.outbox_health"}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:account"

# django-allauth: email is the login; verified before first use (Ley 1581 de 2012 asks us to
# know whom we write to); TOTP for officials, enforced by OfficialMFAMiddleware.
ACCOUNT_ADAPTER = "ventanilla.notifications.account_mail.OutboxAccountAdapter"
SOCIALACCOUNT_ADAPTER = "ventanilla.accounts.adapter.SocialAccountAdapter"
ACCOUNT_FORMS = {"signup": "ventanilla.accounts.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
# allauth's own rate limits count by the same client address as ours.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_PROVIDERS: dict[str, Any] = {}
if OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "identidad",
                "name": OIDC_PROVIDER_NAME,
                "client_id": OIDC_CLIENT_ID,
                "secret": OIDC_CLIENT_SECRET,
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ],
    }

USE_I18N = True
USE_TZ = True
LANGUAGES = [("es", _("Español")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "ventanilla_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [Path(STATIC_EXTRA_DIR)] if STATIC_EXTRA_DIR else []
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"


def _default_storage(backend: str) -> dict[str, Any]:
    if backend == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if backend != "s3":
        raise ValueError(f"STORAGE_BACKEND must be filesystem or s3, not {backend!r}")
    options: dict[str, Any] = {
        "bucket_name": S3_BUCKET,
        "location": S3_PREFIX,
        # Never overwrite: a draft's file and a case's file may share a name.
        "file_overwrite": False,
        "default_acl": None,  # private: files are served only through views that check access
        "querystring_auth": True,
    }
    for option, value in [
        ("endpoint_url", S3_ENDPOINT_URL),
        ("region_name", S3_REGION),
        ("access_key", S3_ACCESS_KEY_ID),
        ("secret_key", S3_SECRET_ACCESS_KEY),
    ]:
        if value:
            options[option] = value
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": _default_storage(STORAGE_BACKEND),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploads: counted as they arrive (the request stops when a file passes the largest size any
# document accepts) and written to a temporary file, never held in memory.
FILE_UPLOAD_HANDLERS = [
    "ventanilla.cases.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Content Security Policy: our pages load nothing from anywhere else and carry no inline
# script or style (MinTIC Resolución 1519 de 2020 asks for secure government sites).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Database sessions, started with one INSERT (core/sessions.py).
SESSION_ENGINE = "ventanilla.core.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # The OIDC callback and allauth's redirects must use https behind a TLS proxy.
    ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

_log_format = LOG_FORMAT or ("text" if DEBUG else "json")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "filters": {"font_subset": {"()": "ventanilla.core.logfilters.DropFontSubsetNotice"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": _log_format,
            "filters": ["font_subset"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint and fontTools narrate every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
