"""`make bench-http` (`python -m bench.http_load`): the production stack under load over loopback.

It creates a PostgreSQL database, generates a deployment with `bench.generate` (BENCH_HTTP_SCALE of
issue 8's, default 0.1: 10,000 situations), gives each session's user a TOTP authenticator, then
starts what a deployment runs (deploy/stack.py, as `make prod-smoke` does): gunicorn with the
production settings (DJANGO_DEBUG=0, production keys made for the run, Secure cookies, HSTS), a
Celery worker and exactly one beat sealing the audit trail on Redis. Each session signs in for real
(password, then a TOTP code from pyotp) as a distinct user — partner staff, and a coordinator in
every eight — and works in a closed loop without think time: situation list 50 %, situation detail
35 %, a note added 10 % (POST with its CSRF token), the situation's referrals tab 5 %, each on
situations the user's own grants let them read (or write, for notes). The load runs for a bounded
time at each concurrency (default 1, 4, 16, 32 sessions); after each level, the time the sealer
takes to seal every audit row written is measured; at the end `verify_audit` must find the chain
intact. Peak RSS of each gunicorn worker is read from /proc.

The client talks to gunicorn directly and stands in for nginx (X-Forwarded-Proto/For), so TLS is
not measured. The driver is threads in this process, on the same cores as the server.

Any response that is not the expected one (200 for a page; 302 back to the situation for a note),
or a page that is the sign-in or second-factor page, is an error; the run exits non-zero if there
is one. The report goes to stdout and, between its markers, into bench/results/latest.md (the rest of
that file is `make bench`'s and is left as it is). Everything started is stopped and the database
dropped at the end, failure included.

Environment (or the options of the same name): BENCH_DATABASE_URL (server, default
postgres://postgres@127.0.0.1:5432/), BENCH_HTTP_REDIS (default redis://127.0.0.1:6379/12, flushed
before and after), BENCH_HTTP_SCALE, BENCH_HTTP_LEVELS ("1,4,16,32"), BENCH_HTTP_SECONDS (per
level, default 45), BENCH_HTTP_WORKERS (gunicorn workers, default 3), BENCH_HTTP_SEAL_SECONDS
(beat's sealing period, default 10).
"""

import argparse
import base64
import io
import os
import random
import re
import resource
import secrets
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
import pyotp
import redis

from deploy.stack import (
    Browser,
    Processes,
    StackFailure,
    b64key,
    check,
    database_url,
    free_port,
    print_logs,
    start_celery,
    start_gunicorn,
    wait_until,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "latest.md"
START, END = "<!-- bench-http:start -->", "<!-- bench-http:end -->"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"
# The mix of issue 20: (kind, share).
MIX = (("list", 0.50), ("detail", 0.35), ("note", 0.10), ("referrals", 0.05))
COORDINATOR_EVERY = 8
RESPONSIVE_P95 = 1.0
SIGN_IN_MARKERS = ('action="/connexion/"', 'name="token"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Targets per session: enough that the pages do not all hit the same rows.
READABLE_SAMPLE, WRITABLE_SAMPLE = 300, 60


STARTED = time.monotonic()


def progress(message: str) -> None:
    print(f"[bench-http] {time.monotonic() - STARTED:5.0f} s  {message}", file=sys.stderr, flush=True)


# --- Sessions and their targets --------------------------------------------------------------------------
@dataclass
class Session:
    username: str
    password: str
    totp_secret: str
    role: str
    readable: list[str]
    writable: list[str]
    referred: list[str]
    browser: Browser | None = None
    csrf: str = ""


def prepare_sessions(count: int, scale: float) -> tuple[list[Session], dict]:
    """Generate the deployment (in this process, with the run's environment), then pick `count` users —
    staff of distinct partners, a coordinator in every eight — each with a TOTP device, as after
    enrolment, and the situations their own grants let them read and annotate."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from access.ledger import ANNOTATE, VIEW
    from access.models import Role
    from bench.generate import BENCH_PASSWORD, Deployment, Sizes
    from casework.models import Situation
    from casework.selectors import situations_for
    from referrals.models import Referral

    progress("migrating")
    call_command("migrate", verbosity=0)
    sizes = Sizes.scaled(scale)
    deployment = Deployment(sizes)
    deployment.setup()
    deployment.add_situations(sizes.situations)
    deployment.add_events(sizes.events)
    deployment.analyse()
    staff = [users[0] for users in deployment.staff_by_partner.values() if users]
    staff += [user for users in deployment.staff_by_partner.values() for user in users[1:]]
    coordinators = [user for user in deployment.users if deployment.roles[user.pk] == Role.COORDINATOR]
    chosen = []
    for n in range(count):
        pool = coordinators if n % COORDINATOR_EVERY == COORDINATOR_EVERY - 1 else staff
        chosen.append(pool.pop(0) if pool else staff.pop(0))
    rng = random.Random(20)
    referred = {str(pk) for pk in Referral.objects.values_list("situation_id", flat=True).distinct()}
    sessions = []
    for user in chosen:
        readable = [str(pk) for pk in situations_for(user, VIEW).values_list("pk", flat=True)]
        writable = [
            str(pk)
            for pk in situations_for(user, ANNOTATE)
            .exclude(status=Situation.Status.CLOSED)
            .values_list("pk", flat=True)
        ]
        check(bool(readable) and bool(writable), f"{user.username} may read or annotate nothing")
        key = secrets.token_bytes(20)
        TOTPDevice.objects.create(user=user, name="Banc d'essai", key=key.hex(), confirmed=True)
        sessions.append(
            Session(
                username=user.username,
                password=BENCH_PASSWORD,
                totp_secret=base64.b32encode(key).decode(),
                role=str(deployment.roles[user.pk]),
                readable=rng.sample(readable, min(READABLE_SAMPLE, len(readable))),
                writable=rng.sample(writable, min(WRITABLE_SAMPLE, len(writable))),
                referred=[pk for pk in readable if pk in referred][:READABLE_SAMPLE] or readable[:10],
            )
        )
    summary = {
        "situations": deployment.situation_count,
        "events": deployment.event_count,
        "partners": sizes.partners,
        "users": len(deployment.users),
        "referrals": deployment.referral_count,
        "generation_s": sum(deployment.timings.values()),
    }
    connections.close_all()
    return sessions, summary


def sign_in(session: Session, base: str) -> None:
    """Password, then the current TOTP code, as a person at the sign-in page."""
    browser = Browser(base, follow_redirects=True)
    browser.get("/connexion/")
    browser.submit("Se connecter", {"username": session.username, "password": session.password})
    browser.submit("Valider", {"token": pyotp.TOTP(session.totp_secret).now()})
    page = browser.get("/situations/")
    check(page.url.path == "/situations/", f"{session.username}: not signed in ({page.url.path})")
    check(not any(marker in page.text for marker in SIGN_IN_MARKERS), f"{session.username}: still signing in")
    browser.http.follow_redirects = False
    session.browser = browser
    session.csrf = CSRF.search(page.text).group(1)


# --- The load ---------------------------------------------------------------------------------------------
@dataclass
class Sample:
    kind: str
    at: float
    seconds: float
    error: str = ""


@dataclass
class Level:
    sessions: int
    seconds: float
    samples: list[Sample] = field(default_factory=list)
    load_before: float = 0.0
    load_after: float = 0.0
    pending_at_stop: int = 0
    drain_seconds: float = 0.0
    peak_rss: dict[int, int] = field(default_factory=dict)
    # CPU seconds spent during the level by the gunicorn workers, and by this driver.
    server_cpu: float = 0.0
    driver_cpu: float = 0.0

    @property
    def ok(self) -> list[float]:
        return sorted(s.seconds for s in self.samples if not s.error)

    @property
    def errors(self) -> list[Sample]:
        return [s for s in self.samples if s.error]


def one_request(session: Session, kind: str, rng: random.Random) -> str:
    """One page of the mix; returns "" or what was wrong."""
    http = session.browser.http
    if kind == "list":
        response, expected = http.get("/situations/"), 200
    elif kind == "detail":
        response, expected = http.get(f"/situations/{rng.choice(session.readable)}/"), 200
    elif kind == "referrals":
        response, expected = http.get(f"/situations/{rng.choice(session.referred)}/orientations/"), 200
    else:
        situation = rng.choice(session.writable)
        response = http.post(
            f"/situations/{situation}/notes/",
            data={
                "csrfmiddlewaretoken": session.csrf,
                "body": f"Point d'étape du banc d'essai n° {rng.randrange(10**6)}.",
                "visibility": "groupe",
            },
            headers={"Referer": f"https://{http.base_url.host}:{http.base_url.port}/situations/{situation}/"},
        )
        if response.status_code == 302 and response.headers.get("location") == f"/situations/{situation}/":
            return ""
        return f"POST note {response.status_code} → {response.headers.get('location', '')}"
    if response.status_code != expected:
        return f"{kind} {response.status_code} {response.headers.get('location', '')}"
    if any(marker in response.text for marker in SIGN_IN_MARKERS):
        return f"{kind}: the sign-in page"
    token = CSRF.search(response.text)
    if token:
        session.csrf = token.group(1)
    return ""


def drive(sessions: list[Session], seconds: float, seed: int) -> list[Sample]:
    """Each session in its own thread, in a closed loop, until the time is up."""
    kinds, weights = [k for k, _ in MIX], [w for _, w in MIX]
    stop_at = time.monotonic() + seconds
    samples: list[Sample] = []
    lock = threading.Lock()

    def loop(session: Session, n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        mine = []
        while time.monotonic() < stop_at:
            kind = rng.choices(kinds, weights)[0]
            started = time.perf_counter()
            try:
                error = one_request(session, kind, rng)
            except (httpx.HTTPError, StackFailure) as failure:
                error = f"{kind}: {failure!r}"
            mine.append(Sample(kind, time.monotonic(), time.perf_counter() - started, error))
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=loop, args=(s, n), daemon=True) for n, s in enumerate(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples


class RssSampler:
    """Peak resident memory of each gunicorn worker (children of the master), from /proc, twice a second,
    and the CPU time the workers spent meanwhile (from the first sight of each to its last)."""

    def __init__(self, master_pid: int):
        self.master = master_pid
        self.peaks: dict[int, int] = {}
        self.cpu_first: dict[int, int] = {}
        self.cpu_last: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def rss_kb(pid: int) -> int:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    @staticmethod
    def cpu_ticks(pid: int) -> int:
        """utime + stime of the process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat)."""
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])

    @property
    def cpu_seconds(self) -> float:
        ticks = sum(self.cpu_last[pid] - self.cpu_first.get(pid, 0) for pid in self.cpu_last)
        return ticks / os.sysconf("SC_CLK_TCK")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.master}/task/{self.master}/children").read_text().split()
        return [int(pid) for pid in children]

    def _sample(self) -> None:
        for pid in self.workers():
            with suppress(FileNotFoundError, ProcessLookupError):
                self.peaks[pid] = max(self.peaks.get(pid, 0), self.rss_kb(pid))
                self.cpu_last[pid] = self.cpu_ticks(pid)

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self._sample()

    def __enter__(self):
        # Workers there at the start count from now; one started during the level, from its start.
        for pid in self.workers():
            with suppress(FileNotFoundError, ProcessLookupError):
                self.cpu_first[pid] = self.cpu_ticks(pid)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample()


def unsealed(database: str) -> int:
    with psycopg.connect(database) as conn:
        return conn.execute("SELECT count(*) FROM audit_event WHERE seq IS NULL").fetchone()[0]


def run_level(sessions: list[Session], count: int, seconds: float, master_pid: int, database: str) -> Level:
    level = Level(sessions=count, seconds=seconds, load_before=os.getloadavg()[0])
    progress(f"{count} session{'s' if count > 1 else ''} for {seconds:.0f} s")
    driver_before = resource.getrusage(resource.RUSAGE_SELF)
    with RssSampler(master_pid) as rss:
        level.samples = drive(sessions[:count], seconds, seed=count)
    driver_after = resource.getrusage(resource.RUSAGE_SELF)
    level.peak_rss = rss.peaks
    level.server_cpu = rss.cpu_seconds
    level.driver_cpu = (driver_after.ru_utime + driver_after.ru_stime) - (
        driver_before.ru_utime + driver_before.ru_stime
    )
    level.load_after = os.getloadavg()[0]
    stopped = time.monotonic()
    level.pending_at_stop = unsealed(database)
    wait_until("the sealer draining the audit rows", lambda: unsealed(database) == 0, timeout=300, every=0.2)
    level.drain_seconds = time.monotonic() - stopped
    return level


# --- The report -------------------------------------------------------------------------------------------
def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    return values[min(len(values) - 1, round(fraction * (len(values) - 1)))]


def throughput(level: Level) -> float:
    return len(level.samples) / level.seconds


def knee(levels: list[Level]) -> Level:
    """The last level whose throughput still rose by at least 15 % over the previous one."""
    best = levels[0]
    for previous, current in zip(levels, levels[1:], strict=False):
        if throughput(current) < throughput(previous) * 1.15:
            break
        best = current
    return best


def report(levels: list[Level], data: dict, settings: dict, verified: str) -> str:
    def ms(value: float | None) -> str:
        return "–" if value is None else f"{value * 1000:.0f} ms"

    rows = [
        "| Sessions | Requests | Throughput | p50 | p95 | p99 | Errors | Detail p95 | Note p95 | Audit rows at stop "
        "| Sealer drain | Peak RSS per worker | gunicorn CPU per request | Driver CPU | Load (1 min) before → after |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|",
    ]
    for level in levels:
        ok = level.ok
        by_kind = {kind: sorted(s.seconds for s in level.samples if s.kind == kind and not s.error) for kind, _ in MIX}
        rss = ", ".join(f"{kb / 1024:.0f}" for _pid, kb in sorted(level.peak_rss.items()))
        rows.append(
            f"| {level.sessions} | {len(level.samples):,} | {throughput(level):.1f} req/s | {ms(percentile(ok, 0.5))} "
            f"| {ms(percentile(ok, 0.95))} | {ms(percentile(ok, 0.99))} | {len(level.errors)} "
            f"| {ms(percentile(by_kind['detail'], 0.95))} | {ms(percentile(by_kind['note'], 0.95))} "
            f"| {level.pending_at_stop:,} | {level.drain_seconds:.1f} s | {rss} MB "
            f"| {level.server_cpu / max(len(level.samples), 1) * 1000:.0f} ms "
            f"| {level.driver_cpu / level.seconds:.0%} of a core "
            f"| {level.load_before:.1f} → {level.load_after:.1f} |"
        )
    best = knee(levels)
    capacity = throughput(best)
    # A person working on cases opens about a page a minute while at it; at the busiest hour a quarter
    # of the accounts are at work. Both are assumptions, stated in the report.
    pages_per_hour, active_share = 60, 0.25

    def needed(users: int) -> float:
        return users * active_share * pages_per_hour / 3600

    # What people would accept: the busiest level whose p95 stays within a second.
    responsive = [level for level in levels if (percentile(level.ok, 0.95) or 0) <= RESPONSIVE_P95]
    if responsive:
        fast = max(responsive, key=throughput)
        within = (
            f" The highest throughput with p95 within {RESPONSIVE_P95:g} s: **{throughput(fast):.1f} req/s at "
            f"{fast.sessions} session{'s' if fast.sessions > 1 else ''}**, {throughput(fast) / needed(300):.0f}× what "
            f"300 staff need and {throughput(fast) / needed(5000):.1f}× what 5,000 accounts need."
        )
    else:
        within = f" No level kept p95 within {RESPONSIVE_P95:g} s."
    # Load-independent-ish: CPU per request does not grow with the other engineers' runs as latency does.
    cpu_per_request = best.server_cpu / max(len(best.samples), 1)
    ceiling = (
        f" At the knee the gunicorn workers spent {cpu_per_request * 1000:.0f} ms of CPU per request: with all "
        f"{os.cpu_count()} cores to themselves they would serve at most {os.cpu_count() / cpu_per_request:.0f} req/s "
        "(PostgreSQL, the sealer and the driver not counted)."
        if cpu_per_request
        else ""
    )
    errors = sum(len(level.errors) for level in levels)
    first_errors = sorted({s.error for level in levels for s in level.errors})[:5]
    mix = ", ".join(f"{kind} {share:.0%}" for kind, share in MIX)
    lines = [
        START,
        "## `make bench-http`: the production stack under load over loopback",
        "",
        f"- Run: {time.strftime('%Y-%m-%d %H:%M %Z')} on {os.cpu_count()} cores, shared by the stack, the load "
        "driver and anything else running (load averages below): absolute figures vary between runs",
        f"- Stack: gunicorn {settings['workers']} sync workers (deploy/gunicorn.conf.py, DJANGO_DEBUG=0, production "
        "keys made for the run, Secure cookies behind the stand-in TLS proxy), PostgreSQL, Redis, one Celery worker "
        f"and one beat sealing every {settings['seal_seconds']} s; the load driver (Python threads) shares the cores",
        f"- Data: {data['situations']:,} situations ({data['situations'] * 5:,} notes), {data['partners']:,} partners, "
        f"{data['users']:,} users, {data['referrals']:,} referrals, {data['events']:,} read events "
        f"(bench.generate at scale {settings['scale']:g}, {data['generation_s']:.0f} s)",
        f"- Sessions: distinct users signed in with password and TOTP (staff of distinct partners, a coordinator "
        f"in every {COORDINATOR_EVERY}), closed loop without think time, {settings['seconds']:.0f} s per level; "
        f"mix {mix}",
        f"- Errors (non-2xx/3xx, unexpected redirect, or the sign-in page): **{errors}**"
        + (f" — {'; '.join(first_errors)}" if first_errors else ""),
        f"- After the load: `verify_audit` — {verified}",
        "",
        *rows,
        "",
        f"Knee of the curve: **{best.sessions} session{'s' if best.sessions > 1 else ''}, {capacity:.1f} req/s** "
        "(beyond it throughput rises by "
        "less than 15 % while latency grows with the queue). Assuming a person at work opens about "
        f"{pages_per_hour} pages an hour and a quarter of the accounts are at work in the busiest hour, "
        f"300 staff need {needed(300):.2f} req/s and the 5,000 accounts of 300 partners (issue 8's deployment) "
        f"{needed(5000):.1f} req/s: the knee's throughput is {capacity / needed(300):.0f}× the first and "
        f"{capacity / needed(5000):.1f}× the second." + within + ceiling,
        END,
    ]
    return "\n".join(lines) + "\n"


def write_section(section: str, path: Path = RESULTS) -> None:
    """Replace the section between the markers, or append it; the rest of the file is left as it is."""
    text = path.read_text() if path.exists() else ""
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        text = before + section + ("\n" + after if after else "")
    else:
        text = text + ("\n" if text and not text.endswith("\n\n") else "") + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


# --- The run ----------------------------------------------------------------------------------------------
def run(arguments, stack: ExitStack, on_report: Callable[[str], None]) -> list[Level]:
    folder = Path(tempfile.mkdtemp(prefix="parcours-bench-http-"))
    if arguments.keep_logs:
        progress(f"keeping {folder} (logs)")
    else:
        stack.callback(shutil.rmtree, folder, ignore_errors=True)
    folder.chmod(0o700)
    name = f"{arguments.database_prefix}_{os.getpid()}"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    processes = Processes(folder)
    stack.callback(processes.stop_all)
    stack.push(lambda exc_type, _exc, _tb: exc_type is not None and print_logs(folder, "bench-http"))

    admin = psycopg.connect(database_url(arguments.server, "postgres"), autocommit=True)
    stack.callback(admin.close)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    stack.callback(admin.execute, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    progress(f"database {name} created")
    broker = redis.Redis.from_url(arguments.redis)
    broker.flushdb()
    stack.callback(broker.flushdb)
    database = database_url(arguments.server, name)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "PARCOURS_DEMO": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
        "DATABASE_URL": database,
        "CELERY_BROKER_URL": arguments.redis,
        "PARCOURS_MASTER_KEYS": f"1:{b64key()}",
        "PARCOURS_BLIND_INDEX_KEY": b64key(),
        "PARCOURS_AUDIT_KEY": b64key(),
        "PARCOURS_BASE_URL": f"https://127.0.0.1:{port}",
        "PARCOURS_BEHIND_TLS_PROXY": "1",
        "PARCOURS_TRUSTED_PROXIES": "1",
        "PARCOURS_VAR_DIR": str(folder / "var"),
        "PARCOURS_AUDIT_SEAL_SECONDS": str(arguments.seal_seconds),
        "PARCOURS_LOG_LEVEL": "WARNING",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "PARCOURS_GUNICORN_BIND": f"127.0.0.1:{port}",
        "PARCOURS_GUNICORN_WORKERS": str(arguments.workers),
    }
    static = processes_collectstatic(env)
    os.environ.update(env)
    levels_wanted = [int(n) for n in arguments.levels.split(",")]
    sessions, data = prepare_sessions(max(levels_wanted), arguments.scale)
    check(static.wait() == 0, f"collectstatic failed:\n{static.stderr.read()}")
    progress(f"generated in {data['generation_s']:.0f} s; starting gunicorn, the Celery worker and beat")
    start_gunicorn(processes, env)
    start_celery(processes, env, folder)
    probe = Browser(base)
    stack.callback(probe.close)
    wait_until("gunicorn answering /sante/", lambda: probe.http.get("/sante/").status_code == 200, timeout=60)
    for process in ("gunicorn", "worker", "beat"):
        processes.alive(process)
    progress(f"signing in {len(sessions)} users (password + TOTP)")
    for session in sessions:
        sign_in(session, base)
        stack.callback(session.browser.http.close)
    # Every session has loaded its list once; the sealer starts from an empty queue.
    wait_until("the sign-ins sealed", lambda: unsealed(database) == 0, timeout=120, every=0.2)
    master = processes.running["gunicorn"].pid
    levels = []
    for count in levels_wanted:
        levels.append(run_level(sessions, count, arguments.seconds, master, database))
        processes.alive("gunicorn")
        last = levels[-1]
        progress(
            f"  {throughput(last):.1f} req/s, p95 {(percentile(last.ok, 0.95) or 0) * 1000:.0f} ms, "
            f"{len(last.errors)} errors, sealed in {last.drain_seconds:.1f} s"
        )
    progress("verify_audit")
    verified = verify_audit()
    intact = "chaîne intacte" in verified
    summary = " ".join(verified.split())
    settings = {
        "workers": arguments.workers,
        "seal_seconds": arguments.seal_seconds,
        "scale": arguments.scale,
        "seconds": arguments.seconds,
    }
    on_report(report(levels, data, settings, f"**{'intact' if intact else 'BROKEN'}** ({summary[:200]})"))
    check(intact, f"verify_audit said:\n{verified}")
    return levels


def verify_audit() -> str:
    """`manage.py verify_audit` in this process, which has the run's settings and keys already."""
    from django.core.management import call_command
    from django.db import connections

    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    connections.close_all()
    return out.getvalue()


def processes_collectstatic(env: dict[str, str]):
    """collectstatic (compressing every file) runs beside the generation."""
    import subprocess

    return subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def arguments_from(argv: list[str] | None = None) -> argparse.Namespace:
    environ = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m bench.http_load", description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=environ("BENCH_DATABASE_URL", DEFAULT_SERVER))
    parser.add_argument("--redis", default=environ("BENCH_HTTP_REDIS", "redis://127.0.0.1:6379/12"))
    parser.add_argument("--scale", type=float, default=float(environ("BENCH_HTTP_SCALE", "0.1")))
    parser.add_argument("--levels", default=environ("BENCH_HTTP_LEVELS", "1,4,16,32"))
    parser.add_argument("--seconds", type=float, default=float(environ("BENCH_HTTP_SECONDS", "45")))
    parser.add_argument("--workers", type=int, default=int(environ("BENCH_HTTP_WORKERS", "3")))
    parser.add_argument("--seal-seconds", type=int, default=int(environ("BENCH_HTTP_SEAL_SECONDS", "10")))
    parser.add_argument("--database-prefix", default="parcours_http")
    parser.add_argument("--keep-logs", action="store_true", help="keep the temporary folder and its logs")
    parser.add_argument("--output", type=Path, default=RESULTS, help="the file whose bench-http section is written")
    parser.add_argument("--no-output", action="store_true", help="print the report only")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = arguments_from(argv)
    reports: list[str] = []
    ok = False
    try:
        with ExitStack() as stack:
            levels = run(arguments, stack, reports.append)
        ok = all(not level.errors for level in levels)
    except StackFailure as failure:
        print(f"\nbench-http: FAILED — {failure}", file=sys.stderr)
    except Exception:
        traceback.print_exc()
        print("\nbench-http: FAILED — unexpected error above", file=sys.stderr)
    for section in reports:
        print(section)
        if not arguments.no_output:
            write_section(section, arguments.output)
            progress(f"written to {arguments.output}")
    if reports and not ok:
        print("bench-http: FAILED — errors under load (see the report)", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
