"""Small-cell suppression (secret statistique) for the published tables. Pure Python, no Django.

A table is a grid of counts with, optionally, a total per row, a total per column and the grand
total. Seen as one *augmented* grid (the row totals as a last column, the column totals as a last
row), every row and every column of it is a *line*: its parts add up to its total.

1. Primary suppression: every value from 1 to 4, cells and totals alike, is hidden (« < 5 »).
   0 stays 0: the issue hides counts from 1 to 4, and an empty cell says nothing about a person.
2. Secondary suppression: a line with exactly one hidden value would give it back by subtraction,
   so another value of that line is hidden too, preferring a 0 (truthfully shown as « < 5 »), then
   the smallest count (shown as « s », secret), a total last. Repeated until no line has exactly one.
3. A reader knows that « < 5 » lies in 0–4 and « s » is 5 or more. Interval propagation over all the
   lines (the bounds each line's total imposes on its hidden parts, repeated until stable) finds a
   hidden value those bounds pin down, as when « s » cells are exactly 5 next to a 4; one more value
   of its line is then hidden, and everything is checked again.

Each step only hides more, so the loop ends (at worst with everything hidden).
"""

from collections.abc import Iterable
from dataclasses import dataclass

THRESHOLD = 5
SMALL = "< 5"
SECRET = "s"

# Bounds a reader infers from each label (the upper bound of « s » comes from the totals, if any).
UNBOUNDED = 10**9


@dataclass(frozen=True)
class Cell:
    """A published value: the count, or the label hiding it."""

    value: int
    hidden: bool = False

    @property
    def label(self) -> str:
        if not self.hidden:
            return str(self.value)
        return SMALL if self.value < THRESHOLD else SECRET

    @property
    def shown(self) -> int | None:
        return None if self.hidden else self.value

    def __str__(self):
        return self.label


def is_small(value: int) -> bool:
    return 0 < value < THRESHOLD


class _System:
    """Values at positions, the lines they form (parts adding up to a total) and the hidden mask.

    One table is one system (positions are (row, column) of its augmented grid); tables that publish
    the same quantity are one system too, the shared value being one position (`suppress_linked`)."""

    def __init__(self, values: dict, lines: list, total_positions: set, public=frozenset()):
        self.values = values
        # Each line: its parts and its total position.
        self.lines: list[tuple[list, tuple]] = lines
        self.total_positions = total_positions
        self.hidden = {p for p, v in values.items() if is_small(v)}
        # Values published elsewhere (another table's total): never hidden here as a second value.
        self.public = {p for p in public if not self.is_hidden(p)}

    def value(self, position) -> int:
        return self.values[position]

    def is_hidden(self, position) -> bool:
        return position in self.hidden

    def hide(self, position) -> None:
        self.hidden.add(position)

    def _preference(self, position) -> tuple:
        return (position in self.total_positions, self.value(position) != 0, self.value(position), position)

    def _candidate(self, line) -> tuple | None:
        """The value of the line to hide next: a 0, else the smallest count, a total last."""
        parts, total = line
        shown = [p for p in parts if not self.is_hidden(p) and p not in self.public]
        if shown:
            return min(shown, key=self._preference)
        return None if self.is_hidden(total) or total in self.public else total

    def secondary(self) -> bool:
        changed = False
        stable = False
        while not stable:
            stable = True
            for line in self.lines:
                parts, total = line
                if sum(self.is_hidden(p) for p in (*parts, total)) == 1:
                    candidate = self._candidate(line)
                    if candidate is not None:
                        self.hide(candidate)
                        stable = False
                        changed = True
        return changed

    def bounds(self) -> dict[tuple, list[int]]:
        """What a reader can infer about each hidden value: labels' bounds narrowed by every line."""
        bounds = {}
        for position in sorted(self.hidden):
            value = self.values[position]
            bounds[position] = [0, THRESHOLD - 1] if value < THRESHOLD else [THRESHOLD, UNBOUNDED]
        narrowed = True
        while narrowed:
            narrowed = False
            for parts, total in self.lines:
                members = [*parts, total]
                if not any(m in bounds for m in members):
                    continue
                # Signed: parts count +1, the total -1; the line sums to zero.
                signs = {m: 1 for m in parts} | {total: -1}
                known = sum(signs[m] * self.value(m) for m in members if m not in bounds)
                for m in members:
                    if m not in bounds:
                        continue
                    low, high = known, known
                    for other in members:
                        if other == m or other not in bounds:
                            continue
                        lo, hi = bounds[other]
                        low += signs[other] * (lo if signs[other] > 0 else hi)
                        high += signs[other] * (hi if signs[other] > 0 else lo)
                    # signs[m] * x = -(rest) → x within -rest / signs[m].
                    new = (-high, -low) if signs[m] > 0 else (low, high)
                    lo, hi = bounds[m]
                    new_lo, new_hi = max(lo, new[0]), min(hi, new[1])
                    if (new_lo, new_hi) != (lo, hi):
                        bounds[m] = [new_lo, new_hi]
                        narrowed = True
        return bounds

    def determined(self) -> tuple | None:
        for position, (low, high) in sorted(self.bounds().items()):
            if low >= high:
                return position
        return None

    def protect(self) -> None:
        self.secondary()
        while (position := self.determined()) is not None:
            lines = [line for line in self.lines if position in (*line[0], line[1])]
            candidates = [c for c in (self._candidate(line) for line in lines) if c is not None]
            if not candidates:
                # Its own lines are fully hidden: the value is pinned through other lines (the grand
                # total, say); hide the smallest value still shown anywhere, totals last.
                candidates = [p for p in sorted(self.values) if not self.is_hidden(p)]
                if not candidates:
                    return
            self.hide(min(candidates, key=self._preference))
            self.secondary()


@dataclass(frozen=True)
class Grid:
    """One table to suppress: its counts, which totals it publishes, and the positions of its
    augmented grid (row, column; totals last) whose value another table publishes (`public`)."""

    counts: list[list[int]]
    row_totals: bool = True
    column_totals: bool = True
    public: frozenset = frozenset()

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.counts), len(self.counts[0]) if self.counts else 0

    def augmented(self) -> dict[tuple[int, int], int]:
        rows, columns = self.shape
        values = {}
        for r, row in enumerate(self.counts):
            values |= {(r, c): v for c, v in enumerate(row)}
            if self.row_totals:
                values[(r, columns)] = sum(row)
        if self.column_totals:
            width = columns + (1 if self.row_totals else 0)
            for c in range(width):
                values[(rows, c)] = sum(values[(r, c)] for r in range(rows))
        return values

    def lines(self) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
        rows, columns = self.shape
        height = rows + (1 if self.column_totals else 0)
        width = columns + (1 if self.row_totals else 0)
        lines = []
        if self.row_totals:
            lines += [([(r, c) for c in range(columns)], (r, columns)) for r in range(height)]
        if self.column_totals:
            lines += [([(r, c) for r in range(rows)], (rows, c)) for c in range(width)]
        return lines

    def total_positions(self) -> set[tuple[int, int]]:
        rows, columns = self.shape
        height = rows + (1 if self.column_totals else 0)
        width = columns + (1 if self.row_totals else 0)
        positions = {(r, columns) for r in range(height)} if self.row_totals else set()
        if self.column_totals:
            positions |= {(rows, c) for c in range(width)}
        return positions

    def published(self, cell) -> "Suppressed":
        """The table as published, `cell(r, c)` giving each position's Cell."""
        rows, columns = self.shape
        cells = [[cell(r, c) for c in range(columns)] for r in range(rows)]
        published_rows = [cell(r, columns) for r in range(rows)] if self.row_totals else None
        published_columns = [cell(rows, c) for c in range(columns)] if self.column_totals else None
        total = cell(rows, columns) if self.row_totals and self.column_totals else None
        return Suppressed(cells, published_rows, published_columns, total)


@dataclass(frozen=True)
class Suppressed:
    """A table as published: cells, and the totals that were asked for (None when not published)."""

    cells: list[list[Cell]]
    row_totals: list[Cell] | None
    column_totals: list[Cell] | None
    total: Cell | None

    @property
    def hidden_count(self) -> int:
        every = [c for row in self.cells for c in row]
        every += (self.row_totals or []) + (self.column_totals or []) + ([self.total] if self.total else [])
        return sum(c.hidden for c in every)


def suppress(
    counts: list[list[int]], *, row_totals: bool = True, column_totals: bool = True, public=frozenset()
) -> Suppressed:
    """Hide what must be hidden in `counts` (rows of non-negative integers) and its totals.

    `public`: positions in the augmented grid (row, column; totals last) whose value another table
    publishes: hiding them here would protect nothing, so they are never chosen as second values.
    """
    return suppress_linked([Grid(counts, row_totals, column_totals, frozenset(public))])[0]


def suppress_linked(grids: list[Grid], links: Iterable[tuple[tuple[int, tuple], tuple[int, tuple]]] = ()):
    """Suppress tables that publish the same quantities, as one system.

    `links`: pairs ((table index, position), (table index, position)) of the same quantity, e.g. the
    column totals of situations by quartier and status, which are the cells of the table by status.
    A linked value is hidden in every table or in none, and every line of every table is checked
    with the others: a value hidden in one table cannot be recovered through another.
    """
    canonical: dict[tuple, tuple] = {}

    def find(key):
        while canonical.get(key, key) != key:
            key = canonical[key]
        return key

    for (i, p), (j, q) in links:
        a, b = find((i, *p)), find((j, *q))
        if a != b:
            canonical[max(a, b)] = min(a, b)
    values, lines, totals, public = {}, [], set(), set()
    for index, grid in enumerate(grids):
        if not grid.counts or not grid.counts[0]:
            continue
        for position, value in grid.augmented().items():
            key = find((index, *position))
            if values.setdefault(key, value) != value:
                raise ValueError(f"linked values differ: {key} {values[key]} != {value}")
        lines += [([find((index, *p)) for p in parts], find((index, *total))) for parts, total in grid.lines()]
        totals |= {find((index, *p)) for p in grid.total_positions()}
        public |= {find((index, *p)) for p in grid.public}
    system = _System(values, lines, totals, public)
    system.protect()
    results = []
    for index, grid in enumerate(grids):
        if not grid.counts or not grid.counts[0]:
            total = Cell(0) if (grid.row_totals or grid.column_totals) else None
            row_cells = [Cell(0) for _ in grid.counts] if grid.row_totals else None
            results.append(Suppressed([[] for _ in grid.counts], row_cells, None, total))
            continue

        def cell(r, c, index=index):
            key = find((index, r, c))
            return Cell(system.values[key], system.is_hidden(key))

        results.append(grid.published(cell))
    return results


def share(part: int, whole: int) -> float | None:
    """A percentage, or None when it would give back a count from 1 to 4 (of the part or the rest)."""
    if whole < THRESHOLD or is_small(part) or is_small(whole - part):
        return None
    return round(100 * part / whole, 1)


def median(values: list[float]) -> float | None:
    """The median, or None under 5 values (« effectif insuffisant »)."""
    if len(values) < THRESHOLD:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2
