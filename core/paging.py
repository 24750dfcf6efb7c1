"""Pages without a COUNT: on millions of audit rows, counting costs more than the page itself."""

from dataclasses import dataclass


@dataclass
class UncountedPage:
    object_list: list
    number: int
    more: bool
    paginator = None

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.more

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next()

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def uncounted_page(queryset, number, per_page: int = 50) -> UncountedPage:
    try:
        number = max(1, min(int(number or 1), 10_000))
    except (TypeError, ValueError):
        number = 1
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    return UncountedPage(rows[:per_page], number, len(rows) > per_page)
