"""`python -m bench`: create a PostgreSQL database, generate a deployment, measure, drop the database.

    BENCH_DATABASE_URL  server to use (default postgres://postgres@127.0.0.1:5432/); the bench creates
                        parcours_bench_<pid> there and drops it at the end, failure included
    BENCH_SCALE         fraction of issue 8's deployment (default 1: 100,000 situations, 5M events)
    BENCH_RUNS          requests per measure (default 30)

The table goes to stdout and to bench/results/latest.md; progress goes to stderr.

To iterate on a fix without generating again: `--keep` keeps the database and writes its keys and
probes to <tmp>/parcours_bench_<pid>.json (bench-only keys, mode 0600); `--reuse parcours_bench_<pid>`
then measures that database again, `--measures lists,detail` only some screens.

`--measures matching` alone creates no database: it reports the duplicate warning's recall and
precision on labelled French name variants (bench/matching.py), with keys made for the run.
"""

import argparse
import base64
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"
RESULTS = Path(__file__).resolve().parent / "results" / "latest.md"
# Each step of the curve as a fraction of the full number of situations.
CURVE = (0.01, 0.1, 1.0)
MEASURES = ("lists", "detail", "peers", "dpo", "duplicates", "export", "chain", "rotation", "matching")
# The HTTP load test (`make bench-http`) writes its own section into the same file: kept verbatim.
HTTP_SECTION = ("<!-- bench-http:start -->", "<!-- bench-http:end -->")
# The recall and precision of the duplicate warning need keys, not a database.
MATCHING_PAIRS = 4_000
KEY_VARIABLES = ("DJANGO_SECRET_KEY", "PARCOURS_MASTER_KEYS", "PARCOURS_BLIND_INDEX_KEY", "PARCOURS_AUDIT_KEY")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "1")))
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "30")))
    parser.add_argument("--curve", action="store_true", help="also measure list and detail at 1%%, 10%%, 100%%")
    parser.add_argument("--keep", action="store_true", help="keep the database (to EXPLAIN queries afterwards)")
    parser.add_argument("--reuse", metavar="DATABASE", help="measure a database kept by --keep, without generating")
    parser.add_argument(
        "--measures", default=",".join(MEASURES), help=f"comma-separated subset of {','.join(MEASURES)}"
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    return parser.parse_args()


def _database_url(server: str, name: str) -> str:
    return urlsplit(server)._replace(path=f"/{name}").geturl()


def _admin(server: str, sql: str) -> None:
    with psycopg.connect(_database_url(server, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


def _state_file(name: str) -> Path:
    return Path(tempfile.gettempdir()) / f"{name}.json"


def _bench_environment(database_url: str, keys: dict | None = None) -> None:
    """Production settings as the tests use them, with keys made for this run only (or a kept run's)."""

    def key() -> str:
        return base64.b64encode(os.urandom(32)).decode()

    os.environ.update(
        keys
        or {
            "DJANGO_SECRET_KEY": f"bench-only-{key()}",
            "PARCOURS_MASTER_KEYS": f"1:{key()}",
            "PARCOURS_BLIND_INDEX_KEY": key(),
            "PARCOURS_AUDIT_KEY": key(),
        }
    )
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "0",
            "PARCOURS_DEMO": "0",
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "PARCOURS_HSTS_SECONDS": "31536000",
            "DJANGO_SECURE_COOKIES": "1",
            "PARCOURS_LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("CELERY_BROKER_URL", None)


def _machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return f"{os.cpu_count()} cores ({cpu}), {memory_kb / 1024 / 1024:.0f} GB RAM, PostgreSQL {postgres.split()[0]}"


def _run(arguments, state: dict | None) -> tuple[str, dict]:
    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings

    from bench import measure
    from bench.generate import Deployment, Sizes, progress
    from core.keyring import get_keyring

    def use_master_keys(value: str) -> None:
        settings.PARCOURS_MASTER_KEYS = value
        os.environ["PARCOURS_MASTER_KEYS"] = value
        get_keyring.cache_clear()

    wanted = set(arguments.measures.split(","))
    if wanted - set(MEASURES):
        raise SystemExit(f"unknown measures: {', '.join(sorted(wanted - set(MEASURES)))}")
    curve, results = [], []
    started = time.perf_counter()
    # Templates are rendered with unhashed static names, as in the tests (nothing is collected).
    with override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        if state is not None:
            deployment = Deployment.restore(state)
            sizes = deployment.sizes
            progress(f"reusing {deployment.situation_count:,} situations, {deployment.event_count:,} events")
        else:
            progress("migrating")
            call_command("migrate", verbosity=0)
            sizes = Sizes.scaled(arguments.scale)
            deployment = Deployment(sizes)
            deployment.setup()
            for step in CURVE if arguments.curve else (1.0,):
                deployment.add_situations(max(1, round(sizes.situations * step)) - deployment.situation_count)
                if arguments.curve:
                    deployment.analyse()
                    progress(f"curve: measuring at {deployment.situation_count:,} situations")
                    curve += measure.measure_lists(deployment, arguments.runs)[:2]
                    curve += measure.measure_detail(deployment, arguments.runs)
            deployment.add_events(sizes.events)
            progress("VACUUM ANALYZE")
            deployment.analyse()
            deployment.timings["total"] = time.perf_counter() - started
            progress(f"generated in {deployment.timings['total']:.0f} s; measuring")
        # Timings mean little on a loaded machine: the report says how loaded it was.
        load = [os.getloadavg()[0]]
        if "lists" in wanted:
            results += measure.measure_lists(deployment, arguments.runs)
        if "detail" in wanted:
            results += measure.measure_detail(deployment, arguments.runs)
        if "peers" in wanted:
            results += measure.measure_peers(deployment, arguments.runs)
        if "dpo" in wanted:
            results += measure.measure_dpo(deployment, arguments.runs)
        if "duplicates" in wanted:
            results.append(measure.measure_duplicates(deployment, arguments.runs))
            results += measure.measure_intake_warning(deployment, arguments.runs)
        load.append(os.getloadavg()[0])
        if "export" in wanted:
            progress("export")
            results.append(measure.measure_export(deployment))
        if "chain" in wanted:
            progress("sealing and verifying the chain")
            results += measure.measure_chain(deployment, pending=max(1_000, sizes.events // 250))
        if "rotation" in wanted:
            progress("master-key rotation")
            results.append(measure.measure_rotation(use_master_keys))
    timings = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in deployment.timings.items() if name != "total")
    report = [
        "# Parcours — `make bench`",
        "",
        f"- Run: {time.strftime('%Y-%m-%d %H:%M %Z')}, "
        + (f"reusing {arguments.reuse}" if arguments.reuse else f"scale {arguments.scale:g}")
        + f", {arguments.runs} requests per measure",
        f"- Machine: {_machine()}; load average (1 min) {load[0]:.1f} before the page measures, "
        f"{load[1]:.1f} after, on {os.cpu_count()} cores",
        f"- Data: {sizes.situations:,} situations ({sizes.situations * 5:,} notes), {sizes.partners:,} partners, "
        f"{sizes.users:,} users, {deployment.referral_count:,} referrals, {deployment.event_count:,} read events",
        f"- Generation: {deployment.timings.get('total', 0):.0f} s ({timings})",
        "- Ratios: each page's median and p95 over the median of a bare authenticated page (the charter) "
        "requested by the same user between the page's requests; the targets are issue 20's.",
        "",
        measure.table(results),
    ]
    if curve:
        report += ["", "## Curve: list and detail as the number of situations grows", "", measure.table(curve)]
    if "matching" in wanted:
        report += ["", _matching_report()]
    return "\n".join(report) + "\n", deployment.state()


def _matching_report() -> str:
    from bench.matching import evaluate, report, variant_pairs

    progress_started = time.perf_counter()
    scores = evaluate(variant_pairs(MATCHING_PAIRS))
    print(f"[bench] matching: {time.perf_counter() - progress_started:.0f} s", file=sys.stderr)
    return report(scores, MATCHING_PAIRS)


def _matching_only(arguments) -> int:
    _bench_environment("sqlite:///" + str(Path(tempfile.gettempdir()) / "parcours_bench_unused.sqlite3"))
    import django

    django.setup()
    report = f"# Parcours — `python -m bench --measures matching`\n\n- Run: {time.strftime('%Y-%m-%d %H:%M %Z')}\n\n"
    report += _matching_report()
    print(report)
    write_report(arguments.output, report)
    return 0


def write_report(path: Path, report: str) -> None:
    """Write the report, keeping the HTTP load test's section of the previous file as it was."""
    start, end = HTTP_SECTION
    previous = path.read_text() if path.exists() else ""
    if start in previous and end in previous:
        section = previous[previous.index(start) : previous.index(end) + len(end)]
        report = report.rstrip("\n") + "\n\n" + section + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report)


def main() -> int:
    arguments = _arguments()
    if set(arguments.measures.split(",")) == {"matching"}:
        return _matching_only(arguments)
    server = os.environ.get("BENCH_DATABASE_URL", DEFAULT_SERVER)
    name = arguments.reuse or f"parcours_bench_{os.getpid()}"
    # A reused database is never dropped: it belongs to the run that kept it.
    keep = arguments.keep or arguments.reuse is not None
    state = None
    if arguments.reuse:
        state = json.loads(_state_file(name).read_text())
        _bench_environment(_database_url(server, name), state["keys"])
    else:
        _admin(server, f'CREATE DATABASE "{name}"')
        print(f"[bench] database {name} created", file=sys.stderr)
        _bench_environment(_database_url(server, name))
    try:
        import django

        django.setup()
        report, deployment_state = _run(arguments, state and state["deployment"])
    finally:
        from django.apps import apps

        if apps.ready:
            from django.db import connections

            connections.close_all()
        if not keep:
            _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            print(f"[bench] database {name} dropped", file=sys.stderr)
    if keep:
        # After a rotation the data keys are wrapped by the new master key: the file keeps up.
        path = _state_file(name)
        path.touch(mode=0o600)
        keys = {variable: os.environ[variable] for variable in KEY_VARIABLES}
        path.write_text(json.dumps({"keys": keys, "deployment": deployment_state}))
        print(f"[bench] database {name} kept: --reuse {name} to measure it again, dropdb when done", file=sys.stderr)
    print(report)
    write_report(arguments.output, report)
    print(f"[bench] written to {arguments.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
