"""Measurements through the real views (Django test client), as ratios to a bare page (issue 20).

Each screen is requested by a real user of the generated deployment, signed in with a verified
OTP session, under the production settings the tests use (DEBUG off, MFA enforced). Requests are
timed end to end in the client: middleware, permission filter, decryption, the read events written
for the rows shown, template rendering. Rows are sealed into the chain by the periodic task in
production (`audit.seal`), so requests here only write them, as they do there; the sealer's
throughput is measured on its own.

Milliseconds on a shared machine move with its load; the ratio of a page to a bare authenticated page
(the charter) requested by the same user, each sample of the page followed by one of the bare page,
does not. Every page's targets are ratios: its median and its p95 over the bare page's median.
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
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
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

BARE_URL = "/charte/"
# Issue 20's goals, as (median, p95) over the bare page's median; None where the issue sets none.
LIST_RATIOS = (2.5, 3.5)
DETAIL_RATIOS = (2.0, None)
DPO_RATIOS = (3.0, None)
WARNING_RATIOS = (2.0, None)
PAGE_SIZE = 25
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
    # The bare page's median, sampled between this page's requests.
    bare_ms: float | None = None

    def ratio(self, ms: float | None) -> float | None:
        return None if ms is None or not self.bare_ms else ms / self.bare_ms

    def judge(self, ratios: tuple[float | None, float | None]) -> "Result":
        """Set the target and the verdict from (median, p95) ratios to the bare page."""
        median_max, p95_max = ratios
        checks = [
            (label, limit, self.ratio(ms))
            for label, limit, ms in (("median", median_max, self.median_ms), ("p95", p95_max, self.p95_ms))
            if limit is not None
        ]
        self.target = ", ".join(f"{label} ≤ {limit:g} × bare" for label, limit, _ in checks)
        self.ok = all(ratio is not None and ratio <= limit for _, limit, ratio in checks)
        return self


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


def time_view(name, client, method, url, *, data=None, runs, warmup=2, ratios=None, data_note="", expect=None):
    """Median and p95 of `runs` requests, each followed by one of the bare page by the same user (whose
    median the ratios divide by), with the query count and the response size of one more."""
    for _ in range(warmup):
        response = _request(client, method, url, data)
        _request(client, "GET", BARE_URL)
    if expect is not None and expect not in response.content.decode():
        raise AssertionError(f"{name}: {expect!r} is not in the page")
    samples, bare = [], []
    for _ in range(runs):
        for method_, url_, data_, into in ((method, url, data, samples), ("GET", BARE_URL, None, bare)):
            started = time.perf_counter()
            _request(client, method_, url_, data_)
            into.append(time.perf_counter() - started)
    queries, size = _queries(client, method, url, data)
    median, p95 = _summary(samples)
    result = Result(name, data_note, median, p95, queries, size, bare_ms=statistics.median(bare) * 1000)
    return result.judge(ratios) if ratios is not None else result


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
                      ratios=LIST_RATIOS),
            time_view("Situation list, coordinator", coordinator, "GET", "/situations/", runs=runs, data_note=size,
                      ratios=LIST_RATIOS),
            time_view("Situation list, search by name (blind index)", staff, "POST", "/situations/", data=search,
                      runs=runs, data_note=size, expect=probes.references[0]),
        ]  # fmt: skip


def measure_detail(deployment: Deployment, runs: int) -> list[Result]:
    """The detail page, and the bare page alone (the reference every ratio divides by)."""
    client = client_for(deployment.probes.staff)
    notes = f"{deployment.situation_count:,} situations, 5 notes"
    with override_settings(**PRODUCTION_SEALING):
        detail = time_view("Situation detail (decrypt, notes, read events)", client, "GET",
                           f"/situations/{deployment.probes.situation_id}/", runs=runs, data_note=notes,
                           ratios=DETAIL_RATIOS)  # fmt: skip
        bare = time_view("Bare authenticated page (charter)", client, "GET", BARE_URL, runs=runs)
    detail.value = f"throughput {detail.bare_ms / detail.median_ms:.0%} of bare"
    return [bare, detail]


def measure_peers(deployment: Deployment, runs: int) -> list[Result]:
    """The permission filter alone, a page of the list's order, against django-guardian's stock
    `get_objects_for_user` on the same data and user. Guardian's stock filter knows nothing of the
    ledger's expiry, ended reasons or restriction: it does less, and is the peer a Django team reaches for."""
    from guardian.shortcuts import get_objects_for_user

    from casework.models import Situation

    ordering = (*selectors.situation_ordering(selectors.DEFAULT_SITUATION_SORT), "-pk")

    def parcours(user):
        return selectors.situations_for(user)

    def guardian(user):
        return get_objects_for_user(
            user, "casework.view_situation", Situation, with_superuser=False, accept_global_perms=False
        )

    results = []
    for label, user in (("partner staff", deployment.probes.staff), ("coordinator", deployment.probes.coordinator)):
        timings = {}
        for name, filtered in (("parcours", parcours), ("guardian", guardian)):
            pages = [list(filtered(user).order_by(*ordering)[:PAGE_SIZE]) for _ in range(2)]
            samples = []
            for _ in range(runs):
                started = time.perf_counter()
                page = list(filtered(user).order_by(*ordering)[:PAGE_SIZE])
                samples.append(time.perf_counter() - started)
            if len(page) != len(pages[0]) or not page:
                raise AssertionError(f"peer {name} answered {len(page)} rows for {label}")
            timings[name] = _summary(samples)
        ratio = timings["guardian"][0] / timings["parcours"][0]
        results.append(
            Result(
                f"Permission filter, a page of {PAGE_SIZE}, {label}: Parcours (guardian's stock filter)",
                f"{deployment.situation_count:,} situations",
                *timings["parcours"],
                value=f"guardian {timings['guardian'][0]:.1f} ms median, {timings['guardian'][1]:.1f} ms p95: "
                f"{ratio:.1f} × Parcours",
            )
        )
    return results


def month_reader(deployment: Deployment, since: datetime.datetime):
    """A reader whose month is a real one: the 90th percentile of the readers' events since `since`
    (a busy user, not an outlier). Not a probe: the bench lengthens their trail itself at every run
    (25 reads per list request, the sealer's pending rows), so a kept database measured again would
    give them a month no user has."""
    probes = deployment.probes
    counts = list(
        Event.objects.filter(at__gte=since, user__isnull=False)
        .exclude(user_id__in=[probes.staff.pk, probes.coordinator.pk, probes.dpo.pk])
        .values_list("user_id")
        .annotate(events=Count("*"))
        .order_by("events", "user_id")
    )
    if not counts:
        return probes.staff, 0
    user_id, events = counts[int(0.9 * (len(counts) - 1))]
    return get_user_model().objects.get(pk=user_id), events


def measure_dpo(deployment: Deployment, runs: int) -> list[Result]:
    probes = deployment.probes
    client = client_for(probes.dpo)
    reference = probes.references[0]
    today = timezone.localdate()
    month = {"start": (today - datetime.timedelta(days=30)).isoformat(), "end": today.isoformat()}
    reader, reader_events = month_reader(deployment, timezone.now() - datetime.timedelta(days=30))
    size = f"{deployment.event_count:,} events"
    month_size = f"{size}, {reader_events:,} of them the user's in 30 days"
    with override_settings(**PRODUCTION_SEALING):
        return [
            time_view("DPO: who accessed situation X (console search)", client, "GET", "/audit/",
                      data={"reference": reference, "rechercher": "1"}, runs=runs, data_note=size,
                      ratios=DPO_RATIOS),
            time_view("DPO: access history of situation X", client, "GET", f"/audit/situation/{reference}/",
                      runs=runs, data_note=size, ratios=DPO_RATIOS),
            time_view("DPO: what user Y accessed over a month", client, "GET", f"/audit/utilisateur/{reader.pk}/",
                      data=month, runs=runs, data_note=month_size, ratios=DPO_RATIOS),
            time_view("DPO: event search by user (30 days)", client, "GET", "/audit/",
                      data={"username": reader.username, "rechercher": "1"}, runs=runs, data_note=month_size,
                      ratios=DPO_RATIOS),
        ]  # fmt: skip


def measure_duplicates(deployment: Deployment, runs: int) -> Result:
    """The lookup behind the intake warning alone: match keys of a spelling variant of a known identity
    (an extra « e » on the surname), the candidates and their scoring in the selector. The request that
    shows the warning is measured by `measure_intake_warning`."""
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
        "Duplicate lookup alone (selector, spelling variant)",
        f"{deployment.situation_count:,} people",
        median,
        p95,
        len(captured),
    )


def _variant(last_name: str) -> str:
    return last_name[:-1] if last_name.endswith("e") else last_name + "e"


def measure_intake_warning(deployment: Deployment, runs: int) -> list[Result]:
    """The intake page, then the real request that shows the warning: the form submitted with a
    spelling variant of a known young person, matched approximately (casework/matching.py), the
    candidates the user may see listed and recorded as reads."""
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
    # The warning records its reads (and a hidden duplicate's notice): sealed by the periodic task, as
    # in production, not within the request.
    with override_settings(**PRODUCTION_SEALING):
        return [
            time_view("Intake form, bare page", client, "GET", "/situations/nouvelle/", runs=runs, data_note=size),
            time_view("Intake form, submitted with a spelling variant (warning)", client, "POST",
                      "/situations/nouvelle/", data=typed, runs=runs, data_note=size, ratios=WARNING_RATIOS,
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


def _times(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def table(results: list[Result]) -> str:
    lines = [
        "| Measure | Data | Median | p95 | Bare median | Median ÷ bare | p95 ÷ bare | Queries | Size | Value | Target "
        "| Result |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for r in results:
        verdict = "" if r.ok is None else ("pass" if r.ok else "**FAIL**")
        size = "" if r.size is None else f"{r.size / 1024:.0f} kB"
        queries = "" if r.queries is None else str(r.queries)
        lines.append(
            f"| {r.name} | {r.data} | {_ms(r.median_ms)} | {_ms(r.p95_ms)} | {_ms(r.bare_ms)} "
            f"| {_times(r.ratio(r.median_ms))} | {_times(r.ratio(r.p95_ms))} | {queries} | {size} | {r.value} "
            f"| {r.target} | {verdict} |"
        )
    return "\n".join(lines)
