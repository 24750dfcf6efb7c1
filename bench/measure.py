"""Measurements through the real views (Django test client), with the targets of issue 8.

Each screen is requested by a real user of the generated deployment, signed in with a verified
OTP session, under the production settings the tests use (DEBUG off, MFA enforced). Requests are
timed end to end in the client: middleware, permission filter, decryption, the read events written
for the rows shown, template rendering. Rows are sealed into the chain by the periodic task in
production (`audit.seal`), so requests here only write them, as they do there; the sealer's
throughput is measured on its own.
"""

import base64
import datetime
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from access.rotation import master_key_rotate
from audit import chain
from audit.models import Event
from bench.generate import Deployment, progress
from casework import selectors
from casework.matching import TypedIdentity
from core.keyring import KEY_BYTES, get_keyring
from tests.factories import verified_login

LIST_P95_MS = 50
DPO_P95_MS = 50
DUPLICATE_P95_MS = 10
DETAIL_RATIO = 0.5
ROTATION_S = 60
EXPORT_RSS_MB = 150
# As in production: a periodic task seals, the request only inserts its rows.
PRODUCTION_SEALING = {"CELERY_BROKER_URL": "memory://"}


@dataclass
class Result:
    name: str
    data: str = ""
    median_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    size: int | None = None
    value: str = ""
    target: str = ""
    ok: bool | None = None


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _summary(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples) * 1000, _percentile(samples, 0.95) * 1000


def _request(client: Client, method: str, url: str, data=None):
    response = client.post(url, data) if method == "POST" else client.get(url, data)
    if response.status_code != 200:
        raise AssertionError(f"{method} {url} answered {response.status_code}")
    return response


def _queries(client: Client, method: str, url: str, data=None) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = _request(client, method, url, data)
    return len(captured), len(response.content)


def time_view(name, client, method, url, *, data=None, runs, warmup=2, target_ms=None, data_note="", expect=None):
    """Median and p95 of `runs` requests, the query count and the response size of one more."""
    for _ in range(warmup):
        response = _request(client, method, url, data)
    if expect is not None and expect not in response.content.decode():
        raise AssertionError(f"{name}: {expect!r} is not in the page")
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        _request(client, method, url, data)
        samples.append(time.perf_counter() - started)
    queries, size = _queries(client, method, url, data)
    median, p95 = _summary(samples)
    result = Result(name, data_note, median, p95, queries, size)
    if target_ms is not None:
        result.target, result.ok = f"p95 ≤ {target_ms} ms", p95 <= target_ms
    return result


def client_for(user) -> Client:
    return verified_login(Client(), user)


def measure_lists(deployment: Deployment, runs: int) -> list[Result]:
    probes = deployment.probes
    size = f"{deployment.situation_count:,} situations"
    staff, coordinator = client_for(probes.staff), client_for(probes.coordinator)
    last_name, first_name, birth_date = probes.identities[0]
    search = {"person-last_name": last_name, "person-first_name": first_name, "person-birth_date": birth_date}
    with override_settings(**PRODUCTION_SEALING):
        return [
            time_view("Situation list, partner staff", staff, "GET", "/situations/", runs=runs, data_note=size,
                      target_ms=LIST_P95_MS),
            time_view("Situation list, coordinator", coordinator, "GET", "/situations/", runs=runs, data_note=size,
                      target_ms=LIST_P95_MS),
            time_view("Situation list, search by name (blind index)", staff, "POST", "/situations/", data=search,
                      runs=runs, data_note=size, target_ms=LIST_P95_MS, expect=probes.references[0]),
        ]  # fmt: skip


def measure_detail(deployment: Deployment, runs: int) -> list[Result]:
    """Detail and a bare authenticated page (the charter), interleaved so both see the same load."""
    client = client_for(deployment.probes.staff)
    detail_url = f"/situations/{deployment.probes.situation_id}/"
    bare_url = "/charte/"
    with override_settings(**PRODUCTION_SEALING):
        for _ in range(2):
            _request(client, "GET", detail_url)
            _request(client, "GET", bare_url)
        detail, bare = [], []
        for _ in range(runs):
            for url, samples in ((detail_url, detail), (bare_url, bare)):
                started = time.perf_counter()
                _request(client, "GET", url)
                samples.append(time.perf_counter() - started)
        detail_queries, detail_size = _queries(client, "GET", detail_url)
        bare_queries, bare_size = _queries(client, "GET", bare_url)
    notes = f"{deployment.situation_count:,} situations, 5 notes"
    detail_result = Result("Situation detail (decrypt, notes, read events)", notes, *_summary(detail))
    detail_result.queries, detail_result.size = detail_queries, detail_size
    bare_result = Result("Bare authenticated page (charter)", "", *_summary(bare))
    bare_result.queries, bare_result.size = bare_queries, bare_size
    ratio = statistics.median(bare) / statistics.median(detail)
    ratio_result = Result(
        "Detail throughput / bare page throughput",
        value=f"{ratio:.0%}",
        target=f"≥ {DETAIL_RATIO:.0%}",
        ok=ratio >= DETAIL_RATIO,
    )
    return [detail_result, bare_result, ratio_result]


def measure_dpo(deployment: Deployment, runs: int) -> list[Result]:
    probes = deployment.probes
    client = client_for(probes.dpo)
    reference = probes.references[0]
    today = timezone.localdate()
    month = {"start": (today - datetime.timedelta(days=30)).isoformat(), "end": today.isoformat()}
    size = f"{deployment.event_count:,} events"
    with override_settings(**PRODUCTION_SEALING):
        return [
            time_view("DPO: who accessed situation X (console search)", client, "GET", "/audit/",
                      data={"reference": reference, "rechercher": "1"}, runs=runs, data_note=size,
                      target_ms=DPO_P95_MS),
            time_view("DPO: access history of situation X", client, "GET", f"/audit/situation/{reference}/",
                      runs=runs, data_note=size, target_ms=DPO_P95_MS),
            time_view("DPO: what user Y accessed over a month", client, "GET", f"/audit/utilisateur/{probes.staff.pk}/",
                      data=month, runs=runs, data_note=size, target_ms=DPO_P95_MS),
            time_view("DPO: event search by user (30 days)", client, "GET", "/audit/",
                      data={"username": probes.staff.username, "rechercher": "1"}, runs=runs, data_note=size,
                      target_ms=DPO_P95_MS),
        ]  # fmt: skip


def measure_duplicates(deployment: Deployment, runs: int) -> Result:
    """The lookup behind the intake form: match keys of a spelling variant of a known identity (an
    extra « e » on the surname), the candidates and their scoring in the selector."""
    user = deployment.probes.staff
    identities = [(_variant(last), first, born) for last, first, born in deployment.probes.identities]
    samples = []
    for n in range(runs + 2):
        last_name, first_name, birth_date = identities[n % len(identities)]
        started = time.perf_counter()
        visible, _hidden = selectors.possible_duplicates(user, TypedIdentity.of(last_name, first_name, birth_date))
        elapsed = time.perf_counter() - started
        if not visible:
            raise AssertionError("duplicate lookup missed a spelling variant of a known person")
        if n >= 2:
            samples.append(elapsed)
    with CaptureQueriesContext(connection) as captured:
        selectors.possible_duplicates(user, TypedIdentity.of(*identities[0]))
    median, p95 = _summary(samples)
    return Result(
        "Duplicate lookup at intake (spelling variant)",
        f"{deployment.situation_count:,} people",
        median,
        p95,
        len(captured),
        target=f"p95 ≤ {DUPLICATE_P95_MS} ms",
        ok=p95 <= DUPLICATE_P95_MS,
    )


def _variant(last_name: str) -> str:
    return last_name[:-1] if last_name.endswith("e") else last_name + "e"


def measure_intake_warning(deployment: Deployment, runs: int) -> list[Result]:
    """The intake page bare, then submitted with a spelling variant of a known young person: the
    difference is what the duplicate warning costs."""
    from casework.models import Motif, Source

    client = client_for(deployment.probes.staff)
    last_name, first_name, birth_date = deployment.probes.identities[0]
    typed = {
        "source": Source.objects.order_by("pk").first().pk,
        "received_on": timezone.localdate().isoformat(),
        "motifs": [Motif.objects.order_by("pk").first().pk],
        "identity-last_name": _variant(last_name),
        "identity-first_name": first_name,
        "identity-birth_date": birth_date.isoformat(),
    }
    size = f"{deployment.situation_count:,} people"
    return [
        time_view("Intake form, bare page", client, "GET", "/situations/nouvelle/", runs=runs, data_note=size),
        time_view("Intake form, submitted with a spelling variant (warning)", client, "POST",
                  "/situations/nouvelle/", data=typed, runs=runs, data_note=size,
                  expect="Une situation existe peut-être déjà"),
    ]  # fmt: skip


def measure_rotation(use_master_keys) -> Result:
    """Load master key 2 next to 1, rewrap every data key under it; `use_master_keys` sets the keys."""
    new_key = base64.b64encode(os.urandom(KEY_BYTES)).decode()
    use_master_keys(f"{settings.PARCOURS_MASTER_KEYS},{get_keyring().current_version + 1}:{new_key}")
    started = time.perf_counter()
    rewrapped = master_key_rotate(batch_size=1000)
    elapsed = time.perf_counter() - started
    return Result(
        "Master-key rotation (rewrap all data keys)",
        f"{rewrapped:,} data keys",
        value=f"{elapsed:.1f} s",
        target=f"≤ {ROTATION_S} s",
        ok=elapsed <= ROTATION_S,
    )


def export_query() -> dict:
    """The widest export the console offers: every event of the last 30 days."""
    today = timezone.localdate()
    return {"start": (today - datetime.timedelta(days=30)).isoformat(), "end": today.isoformat()}


def measure_export(deployment: Deployment) -> Result:
    """Peak RSS of a fresh process that streams the export, as a web worker would."""
    completed = subprocess.run(
        [sys.executable, "-m", "bench.export_probe", str(deployment.probes.dpo.pk), json.dumps(export_query())],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    if completed.returncode != 0:
        raise AssertionError(f"export probe failed: {completed.stderr[-2000:]}")
    probe = json.loads(completed.stdout)
    peak_mb = probe["peak_rss_kb"] / 1024
    return Result(
        "Streamed CSV export (30 days), peak RSS",
        f"{probe['rows']:,} rows, {probe['bytes'] / 1e6:.0f} MB CSV",
        value=f"{peak_mb:.0f} MB (before: {probe['start_rss_kb'] / 1024:.0f} MB, {probe['seconds']:.1f} s)",
        target=f"≤ {EXPORT_RSS_MB} MB",
        ok=peak_mb <= EXPORT_RSS_MB,
    )


def measure_chain(deployment: Deployment, pending: int) -> list[Result]:
    deployment.add_pending_events(pending)
    started = time.perf_counter()
    sealed = chain.seal(Event)
    seal_s = time.perf_counter() - started
    progress(f"sealed {sealed:,} rows in {seal_s:.1f} s; verifying the whole chain")
    started = time.perf_counter()
    report = chain.verify(Event)
    verify_s = time.perf_counter() - started
    if not report.intact:
        raise AssertionError(report.broken)
    return [
        Result("Sealing (audit.chain.seal)", f"{sealed:,} pending rows", value=f"{sealed / seal_s:,.0f} rows/s"),
        Result(
            "Chain verification (audit.chain.verify)",
            f"{report.checked:,} rows",
            value=f"{verify_s:.1f} s ({report.checked / verify_s:,.0f} rows/s)",
            target="intact",
            ok=report.intact,
        ),
    ]


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.1f} ms"


def table(results: list[Result]) -> str:
    lines = [
        "| Measure | Data | Median | p95 | Queries | Size | Value | Target | Result |",
        "|---|---|---:|---:|---:|---:|---|---|---|",
    ]
    for r in results:
        verdict = "" if r.ok is None else ("pass" if r.ok else "**FAIL**")
        size = "" if r.size is None else f"{r.size / 1024:.0f} kB"
        queries = "" if r.queries is None else str(r.queries)
        lines.append(
            f"| {r.name} | {r.data} | {_ms(r.median_ms)} | {_ms(r.p95_ms)} | {queries} | {size} | {r.value} "
            f"| {r.target} | {verdict} |"
        )
    return "\n".join(lines)
