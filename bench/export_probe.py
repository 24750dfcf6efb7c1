"""Run one streamed CSV export in a fresh process and print its peak RSS (kB) as JSON.

`python -m bench.export_probe <dpo user id> <query as JSON>`, with the environment of the bench
(database and keys). A fresh process, because peak RSS only ever grows: measured inside the bench,
it would report generation's peak, not the export's. The peak is the kernel's VmHWM, which starts
afresh at exec; `ru_maxrss` would not, as Linux carries it over from the forking parent.
"""

import json
import re
import sys
import time
from pathlib import Path


def stream_export(dpo, query: dict) -> dict:
    """Consume the export as a browser would, keeping nothing; returns its rows and bytes."""
    from django.test import Client, override_settings

    from bench.measure import PRODUCTION_SEALING
    from tests.factories import verified_login

    client = verified_login(Client(), dpo)
    with override_settings(**PRODUCTION_SEALING):
        response = client.get("/audit/export.csv", query)
        if response.status_code != 200:
            raise AssertionError(f"export answered {response.status_code}")
        rows = size = 0
        for chunk in response.streaming_content:
            rows += 1
            size += len(chunk)
    return {"rows": rows - 1, "bytes": size}


def peak_rss_kb() -> int:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE).group(1))


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    dpo = get_user_model().objects.get(pk=int(sys.argv[1]))
    query = json.loads(sys.argv[2])
    start_rss = peak_rss_kb()
    started = time.perf_counter()
    result = stream_export(dpo, query)
    result["seconds"] = time.perf_counter() - started
    result["start_rss_kb"] = start_rss
    result["peak_rss_kb"] = peak_rss_kb()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
