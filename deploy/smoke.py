"""`make prod-smoke` (`python -m deploy.smoke`): the production stack started for real, used as a person would.

It creates a PostgreSQL database for the run, generates production keys and a throwaway TLS
authority, starts gunicorn (DJANGO_DEBUG=0) behind nginx (deploy/nginx/parcours.conf, rewritten for
local ports), a Celery worker and exactly one beat on Redis, and an SMTP sink. Then, over HTTPS only:
an invited staff member sets a password and enrols TOTP (codes from pyotp), accepts the charter and
records a situation; an invited coordinator opens it and sends a referral, whose e-mail reaches the
sink; beat seals the trail and `verify_audit` passes. Then `manage.py backup`, a restore into a fresh
database, and the restored app, served again through nginx, decrypts the situation for the
coordinator, with its chain intact. Everything it started is stopped and both databases dropped,
even on failure; it prints the time of each step. Any failure exits non-zero.

Environment: PARCOURS_SMOKE_POSTGRES (server URL, default postgres://postgres@127.0.0.1:5432/postgres),
PARCOURS_SMOKE_REDIS (default redis://127.0.0.1:6379/10; the database is flushed before and after),
PARCOURS_SMOKE_NGINX (default /usr/sbin/nginx), PARCOURS_SMOKE_KEEP=1 to keep the temporary folder.
"""

import datetime
import html
import ipaddress
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psycopg
import pyotp
import redis
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from deploy.stack import (
    Browser,
    Processes,
    SmokeFailure,
    b64key,
    check,
    database_url,
    free_port,
    manage,
    manage_together,
    print_logs,
    start_celery,
    start_gunicorn,
    wait_until,
)

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORDS = {"nina": "Smoke-Nina-mot-de-passe-2026", "colette": "Smoke-Colette-mot-de-passe-2026"}
LAST_NAME, FIRST_NAME = "Vérifprod", "Maëlys-Smoke"
STAFF_PARTNER, COORDINATION = "Club de prévention Azimuts", "Ville de Lomme"
SCHEME = "Accompagnement éducatif de prévention spécialisée"


# --- Timings ---------------------------------------------------------------------------------------------
class Timings:
    def __init__(self):
        self.started = time.monotonic()
        self.steps: list[tuple[str, float]] = []

    def step(self, name: str):
        timings = self

        class _Step:
            def __enter__(self):
                print(f"smoke: {name}…", flush=True)
                self.t0 = time.monotonic()

            def __exit__(self, *exc):
                timings.steps.append((name, time.monotonic() - self.t0))

        return _Step()

    def report(self, ok: bool) -> None:
        print("\nsmoke: ===== timings =====")
        for name, seconds in self.steps:
            print(f"smoke: {seconds:7.1f} s  {name}")
        print(f"smoke: {time.monotonic() - self.started:7.1f} s  total — {'PASSED' if ok else 'FAILED'}")


# --- Throwaway TLS authority ---------------------------------------------------------------------------
def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A CA and a certificate for localhost and 127.0.0.1 signed by it; the client verifies against the CA."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Parcours smoke CA (throwaway)")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_path, cert_path, key_path = folder / "ca.pem", folder / "fullchain.pem", folder / "privkey.pem"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(leaf.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    return ca_path, cert_path, key_path


# --- nginx from deploy/nginx/parcours.conf ---------------------------------------------------------------
def nginx_config(folder: Path, *, https_port: int, app_port: int, cert: Path, key: Path) -> Path:
    site = (ROOT / "deploy" / "nginx" / "parcours.conf").read_text()
    replacements = [
        # The port-80 redirect server is not needed here: drop it whole.
        (re.compile(r"server \{\n    listen 80;.*?\n\}\n", re.S), ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("    listen [::]:443 ssl http2;\n", ""),
        ("server_name parcours.mairie.example;", "server_name localhost;"),
        ("/etc/ssl/parcours/fullchain.pem", str(cert)),
        ("/etc/ssl/parcours/privkey.pem", str(key)),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
        ("/var/log/nginx/parcours.access.log", str(folder / "nginx-access.log")),
    ]
    for old, new in replacements:
        if isinstance(old, re.Pattern):
            site, count = old.subn(new, site)
        else:
            count = site.count(old)
            site = site.replace(old, new)
        check(count >= 1, f"deploy/nginx/parcours.conf no longer has {getattr(old, 'pattern', old)!r}")
    temp = folder / "nginx-temp"
    temp.mkdir()
    (folder / "site.conf").write_text(site)
    # As root, nginx's workers would switch to `nobody`, who cannot read this private folder; this
    # throwaway instance keeps the user it was started as.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = folder / "nginx.conf"
    main.write_text(
        f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'nginx-error.log'} warn;\n"
        "daemon off;\nevents { worker_connections 128; }\n"
        "http {\n"
        f"  client_body_temp_path {temp}/body;\n  proxy_temp_path {temp}/proxy;\n"
        f"  fastcgi_temp_path {temp}/fastcgi;\n  uwsgi_temp_path {temp}/uwsgi;\n  scgi_temp_path {temp}/scgi;\n"
        f"  include {folder / 'site.conf'};\n"
        "}\n"
    )
    return main


# --- SMTP sink -------------------------------------------------------------------------------------------
class Sink:
    def __init__(self):
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):  # the name aiosmtpd calls
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 OK"


# --- The run ---------------------------------------------------------------------------------------------
def activate(browser: Browser, invitation_url: str, username: str) -> pyotp.TOTP:
    """Open the invitation, choose a password, enrol TOTP from the secret shown, accept the charter."""
    browser.get(urlsplit(invitation_url).path)
    secret = browser.text_of("secret").replace(" ", "")
    check(len(secret) >= 16, "the invitation page shows no TOTP secret")
    totp = pyotp.TOTP(secret)
    password = PASSWORDS[username]
    browser.submit("Activer mon compte", {"new_password1": password, "new_password2": password, "token": totp.now()})
    check("Codes de secours" in browser.page.text, f"{username}: no recovery codes after activation")
    browser.get("/situations/")
    check("/charte/" in browser.page.url.path, f"{username}: the charter was not asked first")
    browser.submit("Accepter la charte", choose={"accept": "J'ai lu la charte"})
    return totp


def invitation_link(output: str) -> str:
    match = re.search(r"https://\S+/invitation/\S+/", output)
    check(match is not None, f"invite printed no link:\n{output}")
    return match.group(0)


def run(timings: Timings, stack: ExitStack) -> None:
    folder = Path(tempfile.mkdtemp(prefix="parcours-smoke-"))
    if os.environ.get("PARCOURS_SMOKE_KEEP") != "1":
        stack.callback(shutil.rmtree, folder, ignore_errors=True)
    else:
        print(f"smoke: keeping {folder}")
    folder.chmod(0o700)
    server = os.environ.get("PARCOURS_SMOKE_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
    redis_url = os.environ.get("PARCOURS_SMOKE_REDIS", "redis://127.0.0.1:6379/10")
    nginx = os.environ.get("PARCOURS_SMOKE_NGINX", "/usr/sbin/nginx")
    name = f"parcours_smoke_{os.getpid()}"
    restored_name = f"{name}_restored"
    https_port, app_port, smtp_port = free_port(), free_port(), free_port()
    base = f"https://localhost:{https_port}"
    processes = Processes(folder)
    stack.callback(processes.stop_all)
    # Registered after the folder's removal, so run before it: on failure, the end of every log.
    stack.push(lambda exc_type, _exc, _tb: exc_type is not None and print_logs(folder))

    with timings.step("prepare: database, Redis, keys, certificates, SMTP sink"):
        admin = psycopg.connect(server, autocommit=True)
        stack.callback(admin.close)
        for db in (name, restored_name):
            admin.execute(f'DROP DATABASE IF EXISTS "{db}"')
            stack.callback(admin.execute, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        broker = redis.Redis.from_url(redis_url)
        broker.flushdb()
        stack.callback(broker.flushdb)
        ca, cert, key = make_certificates(folder)
        sink = Sink()
        smtp = Controller(sink, hostname="127.0.0.1", port=smtp_port)
        smtp.start()
        stack.callback(smtp.stop)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "DJANGO_DEBUG": "0",
            "PARCOURS_DEMO": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "localhost",
            "DJANGO_CSRF_TRUSTED_ORIGINS": base,
            "DATABASE_URL": database_url(server, name),
            "CELERY_BROKER_URL": redis_url,
            "PARCOURS_MASTER_KEYS": f"1:{b64key()}",
            "PARCOURS_BLIND_INDEX_KEY": b64key(),
            "PARCOURS_AUDIT_KEY": b64key(),
            "PARCOURS_BASE_URL": base,
            "PARCOURS_BEHIND_TLS_PROXY": "1",
            "PARCOURS_TRUSTED_PROXIES": "1",
            "PARCOURS_VAR_DIR": str(folder / "var"),
            "PARCOURS_WEBAUTHN_RP_ID": "localhost",
            "PARCOURS_WEBAUTHN_ORIGINS": base,
            "PARCOURS_AUDIT_SEAL_SECONDS": "2",
            "DJANGO_EMAIL_HOST": "127.0.0.1",
            "DJANGO_EMAIL_PORT": str(smtp_port),
            "DJANGO_EMAIL_USE_TLS": "0",
            "PARCOURS_GUNICORN_BIND": f"127.0.0.1:{app_port}",
            "PARCOURS_GUNICORN_WORKERS": "2",
        }

    with timings.step("install: migrate, collectstatic, demo data, two invitations"):
        # collectstatic (compressing every file) runs beside the database work.
        static = subprocess.Popen(
            [PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        manage(env, "migrate", "--no-input", "-v", "0")
        # Partners, charter, schemes and a caseload to back up; fictional people only.
        manage(env, "load_demo", "--force", "-v", "0")
        invited = manage_together(
            env,
            [
                [
                    "invite",
                    "nina",
                    "--email",
                    "nina@smoke.example",
                    "--role",
                    "intervenant",
                    "--partner",
                    STAFF_PARTNER,
                ],
                [
                    "invite",
                    "colette",
                    "--email",
                    "colette@smoke.example",
                    "--role",
                    "coordonnateur",
                    "--partner",
                    COORDINATION,
                ],
            ],
        )
        nina_link, colette_link = (invitation_link(output) for output in invited)
        check(static.wait() == 0, f"collectstatic failed:\n{static.stderr.read()}")

    def start_web(database: str) -> None:
        start_gunicorn(processes, {**env, "DATABASE_URL": database_url(server, database)})

    def healthy() -> dict:
        response = httpx.get(f"{base}/sante/", verify=str(ca), timeout=5)
        return response.json() if response.status_code == 200 else {}

    with timings.step("start: gunicorn, nginx (TLS), Celery worker and beat"):
        start_web(name)
        config = nginx_config(folder, https_port=https_port, app_port=app_port, cert=cert, key=key)
        tested = subprocess.run(
            [nginx, "-t", "-q", "-p", str(folder), "-e", str(folder / "nginx-error.log"), "-c", str(config)],
            capture_output=True,
            text=True,
            check=False,
        )
        check(tested.returncode == 0, f"nginx -t refused the configuration:\n{tested.stderr}")
        processes.start(
            "nginx", [nginx, "-p", str(folder), "-e", str(folder / "nginx-error.log"), "-c", str(config)], env
        )
        start_celery(processes, env, folder)
        health = wait_until("/sante/ answering ok through nginx", healthy, timeout=60)
        check(health["courtier"] == "ok" and health["cles"] == "ok", f"unhealthy: {health}")
        for process in ("gunicorn", "nginx", "worker", "beat"):
            processes.alive(process)

    nina, colette = Browser(base, ca), Browser(base, ca)
    stack.callback(nina.close)
    stack.callback(colette.close)

    with timings.step("staff member: invitation, password, TOTP, charter, records a situation"):
        plain = httpx.get(f"{base}/connexion/", verify=str(ca))
        check("max-age=31536000" in plain.headers.get("strict-transport-security", ""), "no HSTS header")
        check(len(plain.headers.get("x-request-id", "")) >= 8, "no X-Request-ID from nginx")
        activate(nina, nina_link, "nina")
        nina.get("/situations/nouvelle/")
        nina.submit(
            "Enregistrer",
            {
                "identity-last_name": LAST_NAME,
                "identity-first_name": FIRST_NAME,
                "identity-birth_date": (datetime.date.today() - datetime.timedelta(days=15 * 365)).isoformat(),
                "received_on": datetime.date.today().isoformat(),
            },
            choose={"source": "Prévention spécialisée", "motifs": "Fugue"},
        )
        match = re.search(r"/situations/([0-9a-f-]{36})/$", nina.page.url.path)
        check(match is not None, f"no situation page after recording: {nina.page.url.path}")
        situation_path = match.group(0)
        check("est enregistrée" in nina.page.text, "no confirmation after recording")

    with timings.step("coordinator: invitation, TOTP, opens the situation, sends a referral"):
        colette_totp = activate(colette, colette_link, "colette")
        colette.get(situation_path)
        check(FIRST_NAME in html.unescape(colette.page.text), "the coordinator does not see the young person's name")
        colette.get(f"{situation_path}orientations/")
        colette.submit("Proposer l'orientation", {"justification": "Essai de production"}, choose={"scheme": SCHEME})
        check("/orientations/" in colette.page.url.path, f"no referral page: {colette.page.url.path}")
        colette.submit("Envoyer à")
        check("est envoyée au partenaire" in html.unescape(colette.page.text), "no confirmation of the sending")

    with timings.step("worker: the referral's e-mail reaches the SMTP sink"):
        mails = wait_until(
            "an e-mail about the referral", lambda: [m for m in sink.messages if f"{base}/" in m[1]], timeout=60
        )
        check(all(recipients for recipients, _ in mails), "an e-mail without a recipient")
        for recipients, content in sink.messages:
            check(LAST_NAME not in content and FIRST_NAME not in content, f"a name in an e-mail to {recipients}")

    with timings.step("beat: the trail is sealed; verify_audit passes"):
        wait_until(
            "every audit row sealed by beat", lambda: healthy().get("journal_en_attente_depuis_s") == 0, timeout=60
        )
        verified = manage(env, "verify_audit")
        check("en attente" in verified and "chaîne intacte" in verified, f"verify_audit said:\n{verified}")
        for process in ("gunicorn", "nginx", "worker", "beat"):
            processes.alive(process)

    backup_dir = folder / "backup"
    with timings.step("backup: pg_dump and key manifest"):
        processes.stop("beat", "worker")
        manage(env, "backup", str(backup_dir))
        manifest = (backup_dir / "manifest.json").read_text()
        for secret_name in ("PARCOURS_MASTER_KEYS", "PARCOURS_BLIND_INDEX_KEY", "PARCOURS_AUDIT_KEY"):
            value = env[secret_name].removeprefix("1:")
            check(value not in manifest, f"the manifest holds {secret_name}")

    with timings.step("restore into a fresh database; the restored app decrypts and serves"):
        admin.execute(f'CREATE DATABASE "{restored_name}"')
        restored_env = {**env, "DATABASE_URL": database_url(server, restored_name)}
        # The restore itself verifies both chains with the loaded audit key (config/backups.py).
        said = manage(restored_env, "restore", str(backup_dir))
        check("chaîne intacte" in said, f"restore said:\n{said}")
        processes.stop("gunicorn")
        start_web(restored_name)
        wait_until("the restored app answering through nginx", healthy, timeout=60)
        again = Browser(base, ca)
        stack.callback(again.close)
        again.get("/connexion/")
        again.submit("Se connecter", {"username": "colette", "password": PASSWORDS["colette"]})
        # The code of the next period: the one used before the backup is spent, and one period of
        # drift is accepted.
        again.submit("Valider", {"token": colette_totp.at(time.time() + 30)})
        again.get(situation_path)
        check(FIRST_NAME in html.unescape(again.page.text), "the restored app does not decrypt the situation")
        again.get("/situations/")

    with timings.step("stop everything"):
        processes.stop_all()


def main() -> int:
    timings = Timings()
    ok = False
    try:
        with ExitStack() as stack:
            run(timings, stack)
        ok = True
    except SmokeFailure as failure:
        print(f"\nsmoke: FAILED — {failure}", file=sys.stderr)
    except Exception:
        traceback.print_exc()
        print("\nsmoke: FAILED — unexpected error above", file=sys.stderr)
    finally:
        timings.report(ok)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
