"""The client's address, read safely: X-Forwarded-For is trusted only for the configured proxies."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    candidate = request.META.get("REMOTE_ADDR")
    proxies = settings.PARCOURS_TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        # Each trusted proxy appends the address it saw; the client is the one the outermost proxy saw.
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate)) if candidate else None
    except ValueError:
        return None
