"""Counts in French words: « 1 note », « 3 notes », never « note(s) ».

For the texts that are not translated (journal details, management commands); translated texts use
ngettext."""


def counted(count: int, singular: str, plural: str) -> str:
    """« 0 orientation », « 1 orientation », « 2 orientations »: in French the singular goes up to one."""
    return f"{count} {singular if abs(count) < 2 else plural}"
