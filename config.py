"""Settings, each read from an environment variable with a safe default."""

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("FLS_INSTANCE_DIR", BASE_DIR / "instance"))


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(variable: str = "DATABASE_URL") -> str:
    url = os.environ.get(variable)
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'fls.sqlite'}"
    # Hosting platforms still hand out the old "postgres://" scheme; SQLAlchemy wants the driver.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _dev_secret_key() -> str:
    """A random key kept in instance/ so development sessions survive a restart."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


class Config:
    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # PostgreSQL only (app/core/db.py postgres_engine_options). Connections per process:
    # pool size plus overflow, times processes, must stay under max_connections.
    DATABASE_POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", "5"))
    DATABASE_MAX_OVERFLOW = int(os.environ.get("DATABASE_MAX_OVERFLOW", "5"))
    # 0: the server's own setting. 30000 suits the web processes (README, deployment).
    DATABASE_STATEMENT_TIMEOUT_MS = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "0"))
    # Off unless asked for: JIT compiling the app's short statements only costs time.
    DATABASE_JIT = _bool("DATABASE_JIT", False)
    SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "5000"))
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    WTF_CSRF_TIME_LIMIT = int(os.environ.get("WTF_CSRF_TIME_LIMIT", str(8 * 3600)))
    # Sign-in throttling: after this many failures in the window, each further attempt
    # must wait twice as long as the last (from 1 second up to the maximum). Never a lock.
    LOGIN_FREE_FAILURES = int(os.environ.get("LOGIN_FREE_FAILURES", "5"))
    LOGIN_WINDOW_MINUTES = int(os.environ.get("LOGIN_WINDOW_MINUTES", "15"))
    LOGIN_MAX_DELAY_SECONDS = int(os.environ.get("LOGIN_MAX_DELAY_SECONDS", "300"))
    # Signed-in sessions end after this long without a request, and in any case after
    # the absolute lifetime (a working day and a bit).
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", str(8 * 60)))
    SESSION_ABSOLUTE_HOURS = int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12"))
    PERMANENT_SESSION_LIFETIME = SESSION_ABSOLUTE_HOURS * 3600
    # How many proxies (load balancer, platform router) stand in front of the app and set
    # X-Forwarded-For/-Proto. 0 trusts none: right only when clients connect directly.
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
    PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD", "scrypt")
    # Global roles that must use a second factor (one-time codes): "admin,support", "all",
    # or empty for none (a private machine running scripted checks).
    TWO_FACTOR_ROLES = os.environ.get("TWO_FACTOR_ROLES", "admin,support")
    # The key two-factor secrets are sealed with (app/accounts/sealed.py); empty: derived
    # from SECRET_KEY. Set it once where SECRET_KEY may be rotated.
    TOTP_KEY = os.environ.get("TOTP_KEY", "")
    # Single sign-on with OpenID Connect (Microsoft Entra ID for NHSmail and most trusts).
    # Offered on /login only when the discovery URL, client id and secret are all set.
    OIDC_DISCOVERY_URL = os.environ.get("OIDC_DISCOVERY_URL", "")
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
    # Token issuers accepted, comma-separated: one per allowed tenant for Entra ID
    # (https://login.microsoftonline.com/<tenant id>/v2.0). Empty: the discovery
    # document's own issuer, unless it is Entra's multi-tenant "{tenantid}" template.
    OIDC_ALLOWED_ISSUERS = os.environ.get("OIDC_ALLOWED_ISSUERS", "")
    # Email domains a first sign-in may come from (nhs.net,example.nhs.uk); empty: any.
    OIDC_ALLOWED_DOMAINS = os.environ.get("OIDC_ALLOWED_DOMAINS", "")
    # Off: only single sign-on (the password form, and password resets, are gone).
    PASSWORD_SIGN_IN = _bool("PASSWORD_SIGN_IN", True)
    # A password reset link works once, for this long.
    PASSWORD_RESET_MINUTES = int(os.environ.get("PASSWORD_RESET_MINUTES", "60"))
    STALE_SITE_DAYS = int(os.environ.get("STALE_SITE_DAYS", "30"))
    # Days an offer of access stays open; a manager's "Send again" opens it for as long.
    OFFER_DAYS = int(os.environ.get("OFFER_DAYS", "30"))
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    # Email. With no MAIL_SERVER each message is written as an .eml file under MAIL_DIR.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", True)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "FLS Tracker <fls-tracker@localhost>")
    MAIL_DIR = os.environ.get("MAIL_DIR", str(INSTANCE_DIR / "mail"))
    MAIL_MAX_TRIES = int(os.environ.get("MAIL_MAX_TRIES", "6"))
    # The wait after the first failed try; it doubles with every further try.
    MAIL_RETRY_SECONDS = int(os.environ.get("MAIL_RETRY_SECONDS", "60"))
    MAIL_POLL_SECONDS = int(os.environ.get("MAIL_POLL_SECONDS", "10"))
    # A sender run sends batch after batch (each claimed together and sent over one SMTP
    # connection) until nothing is due or its time budget is spent; no cap on messages.
    MAIL_BATCH_SIZE = int(os.environ.get("MAIL_BATCH_SIZE", "200"))
    MAIL_RUN_SECONDS = float(os.environ.get("MAIL_RUN_SECONDS", "50"))
    MAIL_TIMEOUT_SECONDS = int(os.environ.get("MAIL_TIMEOUT_SECONDS", "30"))
    # Days a sent message (names, addresses) is kept for the admins before it is deleted.
    MAIL_KEEP_DAYS = int(os.environ.get("MAIL_KEEP_DAYS", "30"))
    # Where people reach the app: links in emails are built on it.
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    # The demo's support and admin logins work with a password alone unless asked for;
    # `flask seed-demo` says how to try two-factor.
    TWO_FACTOR_ROLES = os.environ.get("TWO_FACTOR_ROLES", "")
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    @property
    def SECRET_KEY(self) -> str:  # noqa: N802 - Flask reads it as a setting
        return os.environ.get("SECRET_KEY") or _dev_secret_key()


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key"
    # Tests run on PostgreSQL when TEST_DATABASE_URL names one, else on in-memory SQLite.
    # Never DATABASE_URL: that names a real deployment, and the tests empty every table.
    SQLALCHEMY_DATABASE_URI = (
        _database_url("TEST_DATABASE_URL") if os.environ.get("TEST_DATABASE_URL") else "sqlite://"
    )
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    # A misspelt or missing variable in our templates fails the test instead of rendering blank.
    JINJA_STRICT_UNDEFINED = True
    # Existing tests sign staff in with a password alone; two-factor tests set the roles.
    TWO_FACTOR_ROLES = ""
    # Fast hashing keeps hundreds of test logins quick; production keeps scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


CONFIGS = {"development": DevelopmentConfig, "production": Config, "test": TestConfig}


def config_from_env() -> Config:
    name = os.environ.get("FLS_ENV", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"FLS_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name]()
