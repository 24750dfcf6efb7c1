"""What hangs on a situation ends when the situation closes.

Referrals and follow-up steps belong to apps above `casework`, which may not be imported from here.
Each of them registers, when its app is ready, the function that ends its open rows on a situation;
`casework.services.situation_close` calls every one of them inside its own transaction, with its
actor. A registration point like `audit.registry.register_audited`, not a signal: the closing
service calls them itself, in the order they were registered, and a failure rolls the closing back.
"""

import datetime
from collections.abc import Callable

# ender(situation=..., by=..., grace_until=...) -> how many rows it ended
Ender = Callable[..., int]

_enders: dict[str, Ender] = {}


def register_closing(name: str, ender: Ender) -> None:
    """Register (or replace, on a second `ready()`) what `name` ends when a situation closes."""
    _enders[name] = ender


def closing_run(situation, *, by, grace_until: datetime.datetime) -> dict[str, int]:
    """End what hangs on `situation`; return how many rows each registered app ended."""
    return {name: ender(situation=situation, by=by, grace_until=grace_until) for name, ender in _enders.items()}
