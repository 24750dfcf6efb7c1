"""The DPO's tools: who read what (console, anomalies), rights requests, breach helper, data inventory,
and the purge. They read situations and the trail, so they sit above every other app."""
