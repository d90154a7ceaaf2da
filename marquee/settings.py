"""Marquee's one settings module, driven by environment variables (see .env.example).

With no variables at all Marquee runs locally: SQLite under var/, bound to 127.0.0.1, a secret key
generated once into var/. As soon as ALLOWED_HOSTS names a public host it is in production mode
and refuses to start without SECRET_KEY or with DEBUG on.
"""

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from marquee.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MARQUEE_VAR_DIR") or BASE_DIR / "var")

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]", "testserver"}

DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
PUBLIC_HOSTS = [host for host in ALLOWED_HOSTS if host not in LOCAL_HOSTS]
PRODUCTION = bool(PUBLIC_HOSTS)


def _local_secret_key() -> str:
    """A key kept in var/ so sessions survive restarts of a local install."""
    path = VAR_DIR / "secret-key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = env_str("SECRET_KEY")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        f"DEBUG is on while ALLOWED_HOSTS names a public host ({PUBLIC_HOSTS[0]}); "
        "set DEBUG=0 for a public site"
    )
if PRODUCTION and not SECRET_KEY:
    raise ImproperlyConfigured(
        f"SECRET_KEY is not set and ALLOWED_HOSTS names a public host ({PUBLIC_HOSTS[0]}); "
        "set SECRET_KEY to a long random string"
    )
if PRODUCTION and len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY is shorter than 32 characters; use a long random string")
if not SECRET_KEY:
    SECRET_KEY = _local_secret_key()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "template_partials",
    "marquee.pages",
    "marquee.catalog",
    "marquee.people",
    "marquee.reviews",
    "marquee.watch",
    "marquee.related",
    "marquee.ingest",
    "marquee.members",
    "csp",
    "marquee.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "marquee.pages.middleware.reject_nul_characters",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "marquee.urls"
WSGI_APPLICATION = "marquee.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "marquee.pages.context_processors.site",
            ],
        },
    },
]

DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'marquee.sqlite3'}"
try:
    _database = dj_database_url.parse(
        env_str("DATABASE_URL") or DEFAULT_DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60)
    )
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not understood: {error}") from None

if _database["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while an import writes; IMMEDIATE avoids "database is locked"
    # surprises when two writers start transactions at once. Connections persist (CONN_MAX_AGE)
    # so each request does not reopen the file and start from a cold page cache.
    _database["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=5000; PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    if _database["NAME"] not in ("", ":memory:"):
        Path(_database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": _database}

# Optional read replicas of a PostgreSQL primary (docs/scaling.md): reads go to them, writes and
# reads that must see a fresh write go to the primary.
REPLICA_LAG_SECONDS = env_int("REPLICA_LAG_SECONDS", 5)
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    try:
        DATABASES[f"replica{_number}"] = dj_database_url.parse(
            _url, conn_max_age=env_int("CONN_MAX_AGE", 60)
        )
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URLS is not understood: {error}") from None
    if DATABASES[f"replica{_number}"]["ENGINE"] != _database["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS must name the same kind of database")
# PostgreSQL compiles a query to machine code (JIT) when its estimated cost is high. A search's
# plan holds arms that are skipped when it runs (marquee/search/backends.py) but count in the
# estimate: at a million titles compiling took 100 ms of a 130 ms search. Web pages do not gain
# from JIT. Options given in the URL come after this one, so an operator can turn it back on.
for _settings in DATABASES.values():
    if _settings["ENGINE"] == "django.db.backends.postgresql":
        _options = _settings.setdefault("OPTIONS", {})
        _options["options"] = f"-c jit=off {_options.get('options', '')}".strip()
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["marquee.replicas.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "marquee.replicas.pin_reads_after_writes",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 for new and changed passwords; older hashes still check and upgrade at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns at every start without it
# Serving straight from the app folders spares operators a collectstatic step; the files are few.
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")

SITE_NAME = env_str("SITE_NAME", "Marquee")
# Absolute links in sitemaps and OpenGraph tags; the request's host is used when empty.
SITE_URL = env_str("SITE_URL").rstrip("/")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [f"https://{host.lstrip('.')}" for host in PUBLIC_HOSTS]

# The database cache: sign-in throttling must count attempts across every server process and
# survive a restart, on SQLite and PostgreSQL alike, with nothing more to run. Its table is made
# by a migration (marquee/members/migrations).
CACHE_TABLE = "marquee_cache"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}
}

LOGIN_URL = "members:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Passwords are reset by e-mail: printed on the console unless EMAIL_HOST names an SMTP server.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or f"{SITE_NAME} <noreply@localhost>"

# Members: sign-in throttling, posting limits, how long an account counts as new.
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5)
LOGIN_FAILURES_PER_IP = env_int("LOGIN_FAILURES_PER_IP", 30)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
# A proxy in front of Marquee puts the visitor's address in a header (e.g. HTTP_X_REAL_IP);
# without it every visitor would share the proxy's address for throttling.
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER", "REMOTE_ADDR")
REVIEWS_PER_HOUR = env_int("REVIEWS_PER_HOUR", 10)
NEW_ACCOUNT_DAYS = env_int("NEW_ACCOUNT_DAYS", 7)
MODERATORS_GROUP = "moderators"

# No inline script anywhere: scripts and styles come from our own static files. JSON-LD blocks
# are data, which CSP does not execute or block.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
