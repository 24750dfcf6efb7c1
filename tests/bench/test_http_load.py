"""`make bench-http` takes minutes: its report is checked here on made-up samples, and the whole run —
database, generation, gunicorn, Celery worker and beat, sign-in with TOTP, the mix under load — at a
tiny size for a few seconds. That run needs PostgreSQL and Redis: it is marked `celery_integration`,
so `make test-integration` runs it and `make test` does not (it skips without its services)."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import redis

from bench import http_load
from bench.http_load import END, START, Level, Sample

ROOT = Path(__file__).resolve().parents[2]


def level(sessions: int, requests: int, seconds: float = 10.0, errors: int = 0) -> Level:
    samples = [Sample("list", 0.0, 0.01 * (n % 100 + 1)) for n in range(requests)]
    samples += [Sample("detail", 0.0, 0.5, error="detail 500") for _ in range(errors)]
    rss = {1: 100 * 1024, 2: 120 * 1024}
    return Level(sessions=sessions, seconds=seconds, samples=samples, peak_rss=rss, server_cpu=0.05 * len(samples))


def test_the_knee_is_the_last_level_whose_throughput_still_rose():
    levels = [level(1, 100), level(4, 300), level(16, 330), level(32, 320)]
    assert http_load.knee(levels).sessions == 4
    assert http_load.knee([level(1, 100), level(4, 400)]).sessions == 4


def test_the_report_gives_percentiles_errors_and_the_knee():
    levels = [level(1, 100), level(4, 300, errors=2)]
    data = {"situations": 200, "events": 10_000, "partners": 4, "users": 30, "referrals": 10, "generation_s": 3}
    settings = {"workers": 3, "seal_seconds": 10, "scale": 0.002, "seconds": 10}
    section = http_load.report(levels, data, settings, "**intact**")
    assert section.startswith(START) and section.rstrip().endswith(END)
    assert "| 1 | 100 | 10.0 req/s | 510 ms | 950 ms | 990 ms | 0 |" in section
    assert "| 4 | 302 |" in section and "**2** — detail 500" in section
    assert "100, 120 MB" in section and "Knee of the curve: **4 sessions" in section
    # p95 is 950 ms at both levels: the busiest within a second is the one with 30 req/s.
    assert "within 1 s: **30.2 req/s at 4 sessions**" in section
    assert "| 50 ms |" in section and "spent 50 ms of CPU per request" in section


def test_the_section_is_replaced_in_place_and_the_rest_of_the_file_kept(tmp_path):
    results = tmp_path / "latest.md"
    results.write_text("# Parcours — `make bench`\n\n| table |\n")
    http_load.write_section(f"{START}\nfirst\n{END}\n", results)
    assert results.read_text() == f"# Parcours — `make bench`\n\n| table |\n\n{START}\nfirst\n{END}\n"
    results.write_text(results.read_text() + "\n## After\n")
    http_load.write_section(f"{START}\nsecond\n{END}\n", results)
    text = results.read_text()
    assert text.count(START) == 1 and "first" not in text and "second" in text
    assert text.startswith("# Parcours — `make bench`\n\n| table |\n") and text.endswith("\n## After\n")


def _services() -> tuple[str, str] | None:
    server = os.environ.get("BENCH_DATABASE_URL", http_load.DEFAULT_SERVER)
    broker = os.environ.get("BENCH_HTTP_REDIS", "redis://127.0.0.1:6379/12")
    try:
        with psycopg.connect(http_load.database_url(server, "postgres"), connect_timeout=2):
            pass
        redis.Redis.from_url(broker, socket_connect_timeout=2).ping()
    except (psycopg.Error, redis.RedisError):
        return None
    return server, broker


@pytest.mark.celery_integration
def test_the_stack_serves_the_mix_without_error_at_a_tiny_size(tmp_path):
    services = _services()
    if services is None:
        pytest.skip("needs PostgreSQL (BENCH_DATABASE_URL) and Redis (BENCH_HTTP_REDIS)")
    server, broker = services
    results = tmp_path / "latest.md"
    results.write_text("# Parcours — `make bench`\n")
    arguments = ["--scale", "0.002", "--levels", "1,2", "--seconds", "2", "--seal-seconds", "1", "--workers", "1"]
    arguments += ["--server", server, "--redis", broker, "--output", str(results)]
    arguments += ["--database-prefix", "parcours_http_test"]
    run = subprocess.run(
        [sys.executable, "-m", "bench.http_load", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    text = results.read_text()
    assert text.startswith("# Parcours — `make bench`\n") and START in text and END in text
    assert "or the sign-in page): **0**" in text and "`verify_audit` — **intact**" in text
    rows = [line for line in text.splitlines() if line.startswith(("| 1 |", "| 2 |"))]
    assert len(rows) == 2 and all(" 0 req/s" not in row for row in rows)
    with psycopg.connect(http_load.database_url(server, "postgres")) as conn:
        left = conn.execute("SELECT count(*) FROM pg_database WHERE datname LIKE 'parcours_http_test%'").fetchone()
    assert left[0] == 0, "the run's database was not dropped"
