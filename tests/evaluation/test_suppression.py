"""Small-cell suppression: properties over random tables (hypothesis), checked by brute force.

The attacker knows every published value and total, that 0 is always shown, that « < 5 » hides a
value from 0 to 4 and « s » a value of 5 or more, and that every line adds up to its total.
"""

from hypothesis import given, reject, settings
from hypothesis import strategies as st

from evaluation.suppression import SECRET, SMALL, THRESHOLD, Cell, Grid, median, share, suppress, suppress_linked

tables = st.integers(min_value=1, max_value=3).flatmap(
    lambda rows: st.integers(min_value=1, max_value=3).flatmap(
        lambda columns: st.lists(
            st.lists(st.integers(min_value=0, max_value=9), min_size=columns, max_size=columns),
            min_size=rows,
            max_size=rows,
        )
    )
)


def published(table, counts):
    """Every published value with its position in the augmented grid: (r, c) → Cell."""
    rows, columns = len(counts), len(counts[0])
    grid = {(r, c): table.cells[r][c] for r in range(rows) for c in range(columns)}
    if table.row_totals is not None:
        grid |= {(r, columns): cell for r, cell in enumerate(table.row_totals)}
    if table.column_totals is not None:
        grid |= {(rows, c): cell for c, cell in enumerate(table.column_totals)}
    if table.total is not None:
        grid[(rows, columns)] = table.total
    return grid


def alternative_exists(counts, grid, target) -> bool:
    """Is there a table other than `counts`, consistent with everything published, where the
    hidden value at `target` differs? Backtracking over the hidden inner cells."""
    rows, columns = len(counts), len(counts[0])
    actual = grid[target].value
    hidden = [(r, c) for r in range(rows) for c in range(columns) if grid[(r, c)].hidden]

    def cap(position):
        r, c = position
        totals = [grid[t] for t in ((r, columns), (rows, c), (rows, columns)) if t in grid]
        shown = [t.value for t in totals if not t.hidden]
        return min(shown) if shown else 9 * rows * columns

    def choices(position):
        cell = grid[position]
        return range(0, THRESHOLD) if cell.label == SMALL else range(THRESHOLD, cap(position) + 1)

    def value_of(position, assignment):
        r, c = position
        if r < rows and c < columns:
            return assignment[position] if grid[position].hidden else grid[position].value
        if r < rows:
            return sum(value_of((r, j), assignment) for j in range(columns))
        if c < columns:
            return sum(value_of((i, c), assignment) for i in range(rows))
        return sum(value_of((i, j), assignment) for i in range(rows) for j in range(columns))

    def consistent(assignment) -> bool:
        for position, cell in grid.items():
            value = value_of(position, assignment)
            if cell.hidden:
                if cell.label == SMALL and not 0 <= value < THRESHOLD:
                    return False
                if cell.label == SECRET and value < THRESHOLD:
                    return False
            elif value != cell.value:
                return False
        return True

    def row_ok(r, assignment) -> bool:
        # Prune as soon as a row is complete and its total is published.
        if (r, columns) in grid and not grid[(r, columns)].hidden:
            return sum(value_of((r, j), assignment) for j in range(columns)) == grid[(r, columns)].value
        return True

    def search(index, assignment) -> bool:
        if index == len(hidden):
            return consistent(assignment) and value_of(target, assignment) != actual
        position = hidden[index]
        for value in choices(position):
            assignment[position] = value
            last_of_row = index + 1 == len(hidden) or hidden[index + 1][0] != position[0]
            if (not last_of_row or row_ok(position[0], assignment)) and search(index + 1, assignment):
                return True
        del assignment[position]
        return False

    return search(0, {})


@given(tables)
def test_it_publishes_no_count_from_1_to_4(counts):
    table = suppress(counts)
    for cell in published(table, counts).values():
        assert cell.shown is None or not 0 < cell.shown < THRESHOLD


@given(tables)
def test_it_never_leaves_exactly_one_hidden_value_in_a_line(counts):
    table = suppress(counts)
    grid = published(table, counts)
    rows, columns = len(counts), len(counts[0])
    lines = [[(r, c) for c in range(columns + 1)] for r in range(rows + 1)]
    lines += [[(r, c) for r in range(rows + 1)] for c in range(columns + 1)]
    for line in lines:
        assert sum(grid[p].hidden for p in line) != 1


@settings(max_examples=80, deadline=None, derandomize=True)
@given(tables)
def test_no_hidden_value_is_determined_by_the_published_ones(counts):
    table = suppress(counts)
    grid = published(table, counts)
    for position, cell in grid.items():
        if cell.hidden:
            assert alternative_exists(counts, grid, position), (counts, position)


@given(tables)
def test_labels_tell_the_truth(counts):
    for cell in published(suppress(counts), counts).values():
        if cell.hidden:
            assert (cell.value < THRESHOLD) == (cell.label == SMALL)


def naive(counts):
    """Primary suppression only: what the brute-force check above must catch."""
    table = suppress([[0]])
    hide = [[Cell(v, 0 < v < THRESHOLD) for v in row] for row in counts]
    return type(table)(
        hide,
        [Cell(sum(row)) for row in counts],
        [Cell(sum(col)) for col in zip(*counts, strict=True)],
        Cell(sum(map(sum, counts))),
    )


def test_the_check_catches_a_naive_suppression():
    counts = [[3, 12], [8, 20]]
    grid = published(naive(counts), counts)
    assert not alternative_exists(counts, grid, (0, 0))


def test_it_hides_a_second_value_when_a_total_would_give_back_the_first():
    table = suppress([[3, 12], [8, 20]])
    assert [[c.label for c in row] for row in table.cells] == [[SMALL, SECRET], [SECRET, SECRET]]


def test_it_prefers_a_zero_as_second_hidden_value():
    table = suppress([[3, 0, 12]], column_totals=False)
    assert [c.label for c in table.cells[0]] == [SMALL, SMALL, "12"]


def test_zero_stays_zero():
    assert suppress([[0, 7], [9, 6]]).cells[0][0].label == "0"


def test_a_share_that_would_give_back_a_small_count_is_not_shown():
    assert (share(3, 20), share(17, 20), share(10, 20), share(2, 4)) == (None, None, 50.0, None)


def test_a_median_under_five_values_is_not_shown():
    assert (median([1, 2, 3, 4]), median([1, 2, 3, 4, 10])) == (None, 3)


# --- Tables suppressed together (suppress_linked) ----------------------------------------------------------


def _column_table(counts):
    """A one-column table of the column sums of `counts`, as the table by status is of the table by
    quartier and status: its cells are the other's column totals, its total their grand total."""
    return Grid([[sum(column)] for column in zip(*counts, strict=True)], row_totals=False, column_totals=True)


@settings(max_examples=80, deadline=None, derandomize=True)
@given(tables)
def test_a_table_and_its_margin_hide_the_same_values_and_nothing_is_recoverable(counts):
    rows, columns = len(counts), len(counts[0])
    links = [((0, (c, 0)), (1, (rows, c))) for c in range(columns + 1)]
    margin, table = suppress_linked([_column_table(counts), Grid(counts)], links)
    grid = published(table, counts)
    # The margin publishes exactly the crossed table's column totals (and its total), hidden alike.
    assert [row[0] for row in margin.cells] + [margin.column_totals[0]] == [grid[(rows, c)] for c in range(columns + 1)]
    # So the crossed table's grid holds everything published: brute force over it is the joint check.
    for position, cell in grid.items():
        if cell.hidden:
            assert alternative_exists(counts, grid, position), (counts, position)


# The exhaustive searches below are exponential in the number of hidden cells: an example that would
# take longer than this many steps is set aside (hypothesis.reject) rather than let CI run for hours.
SEARCH_BUDGET = 200_000


class SearchTooLarge(Exception):
    pass


def _spend(steps: list[int]) -> None:
    steps[0] += 1
    if steps[0] > SEARCH_BUDGET:
        raise SearchTooLarge


def joint_alternative_exists(left_counts, left, right_counts, right, target) -> bool:
    """Two tables over the same rows whose row totals are one quantity (motifs by status, motifs by
    quartier): is there a pair of tables, consistent with everything both publish and with equal
    row sums, where the hidden value `target` = (side, position) differs? Any such pair is the two
    margins of some motif × status × quartier table, so this is what a reader can rule out."""
    rows = len(left_counts)
    sides = (("left", left_counts, left), ("right", right_counts, right))
    hidden = [
        (name, (r, c))
        for r in range(rows)
        for name, counts, grid in sides
        for c in range(len(counts[0]))
        if grid[(r, c)].hidden
    ]
    side_of = {name: (counts, grid) for name, counts, grid in sides}
    cap = 9 * max(len(left_counts[0]), len(right_counts[0]))

    def inner(name, position, assignment):
        counts, grid = side_of[name]
        return assignment[(name, position)] if grid[position].hidden else counts[position[0]][position[1]]

    def value(name, position, assignment):
        counts, grid = side_of[name]
        r, c = position
        width = len(counts[0])
        if r < rows and c < width:
            return inner(name, position, assignment)
        if r < rows:
            return sum(inner(name, (r, j), assignment) for j in range(width))
        if c < width:
            return sum(inner(name, (i, c), assignment) for i in range(rows))
        return sum(inner(name, (i, j), assignment) for i in range(rows) for j in range(width))

    def agrees(cell, number) -> bool:
        if not cell.hidden:
            return number == cell.value
        return 0 <= number < THRESHOLD if cell.label == SMALL else number >= THRESHOLD

    def row_ok(r, assignment) -> bool:
        sums = [value(name, (r, len(counts[0])), assignment) for name, counts, _grid in sides]
        return sums[0] == sums[1] and all(agrees(grid[(r, len(counts[0]))], sums[0]) for _name, counts, grid in sides)

    def consistent(assignment) -> bool:
        return all(agrees(cell, value(name, p, assignment)) for name, _c, grid in sides for p, cell in grid.items())

    def choices(key):
        name, (r, c) = key
        counts, grid = side_of[name]
        if grid[(r, c)].label == SMALL:
            return range(0, THRESHOLD)
        totals = [grid[t] for t in ((r, len(counts[0])), (rows, c), (rows, len(counts[0])))]
        shown = [t.value for t in totals if not t.hidden]
        return range(THRESHOLD, (min(shown) if shown else cap) + 1)

    actual = side_of[target[0]][1][target[1]].value

    steps = [0]

    def search(index, assignment) -> bool:
        _spend(steps)
        if index == len(hidden):
            return consistent(assignment) and value(*target, assignment) != actual
        key = hidden[index]
        for number in choices(key):
            assignment[key] = number
            last_of_row = index + 1 == len(hidden) or hidden[index + 1][1][0] != key[1][0]
            if (not last_of_row or row_ok(key[1][0], assignment)) and search(index + 1, assignment):
                return True
        del assignment[key]
        return False

    return search(0, {})


small_tables = st.integers(min_value=1, max_value=3).flatmap(
    lambda rows: st.tuples(
        *(
            st.integers(min_value=1, max_value=2).flatmap(
                lambda columns: st.lists(
                    st.lists(st.integers(min_value=0, max_value=9), min_size=columns, max_size=columns),
                    min_size=rows,
                    max_size=rows,
                )
            )
            for _side in range(2)
        )
    )
)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(small_tables)
def test_two_tables_sharing_their_row_totals_leave_nothing_recoverable(pair):
    left_counts, right_counts = pair
    # The same rows on both sides: move the difference of each row's sums into the right table's first cell.
    right_counts = [list(row) for row in right_counts]
    for left_row, right_row in zip(left_counts, right_counts, strict=True):
        right_row[0] += sum(left_row) - sum(right_row)
        if right_row[0] < 0:
            left_row[0] -= right_row[0]
            right_row[0] = 0
    rows = len(left_counts)
    links = [((0, (r, len(left_counts[0]))), (1, (r, len(right_counts[0])))) for r in range(rows + 1)]
    left, right = suppress_linked([Grid(left_counts), Grid(right_counts)], links)
    left_grid, right_grid = published(left, left_counts), published(right, right_counts)
    for r in range(rows + 1):
        assert left_grid[(r, len(left_counts[0]))] == right_grid[(r, len(right_counts[0]))]
    for name, grid in (("left", left_grid), ("right", right_grid)):
        for position, cell in grid.items():
            if cell.hidden:
                try:
                    target = (name, position)
                    exists = joint_alternative_exists(left_counts, left_grid, right_counts, right_grid, target)
                except SearchTooLarge:
                    reject()
                assert exists, (
                    pair,
                    name,
                    position,
                )


# --- Two periods side by side ---------------------------------------------------------------------------------


def side_by_side(first, second):
    """Two periods of a one-column table shown as one grid (rows × [period 1, period 2]), each with its
    total: the dashboard's comparison. No total across the periods is published (they share no month,
    so nothing adds them up), and each period is suppressed on its own."""
    left, right = suppress([[v] for v in first]), suppress([[v] for v in second])
    return type(left)(
        [[a[0], b[0]] for a, b in zip(left.cells, right.cells, strict=True)],
        None,
        [left.column_totals[0], right.column_totals[0]],
        None,
    )


periods = st.integers(min_value=1, max_value=3).flatmap(
    lambda rows: st.tuples(
        st.lists(st.integers(min_value=0, max_value=9), min_size=rows, max_size=rows),
        st.lists(st.integers(min_value=0, max_value=9), min_size=rows, max_size=rows),
    )
)


@settings(max_examples=50, deadline=None, derandomize=True)
@given(periods)
def test_two_periods_side_by_side_leave_no_hidden_value_recoverable(pair):
    first, second = pair
    counts = [[a, b] for a, b in zip(first, second, strict=True)]
    grid = published(side_by_side(first, second), counts)
    for position, cell in grid.items():
        if cell.hidden:
            assert alternative_exists(counts, grid, position), (pair, position)


def test_a_total_across_two_periods_would_give_a_hidden_value_back():
    """Why the comparison publishes no row total: with it, the check above finds the hidden value."""
    first, second = [3, 12, 20], [8, 11, 30]
    counts = [[a, b] for a, b in zip(first, second, strict=True)]
    table = side_by_side(first, second)
    with_totals = type(table)(table.cells, [Cell(a + b) for a, b in zip(first, second, strict=True)], None, None)
    grid = published(with_totals, counts)
    assert grid[(0, 0)].hidden and not alternative_exists(counts, grid, (0, 0))


# --- Motifs by status, by quartier and by outcome: three tables, one system ----------------------------------


def system_alternative_exists(grids, links, published_tables, target) -> bool:
    """Everything the three tables publish, as equations over one set of unknowns (a linked quantity
    is one unknown): is there a solution, within the labels' bounds, where `target` (table index,
    position) differs? Each
    motif row splits independently by status, quartier and outcome, so any solution is the margins
    of some real table."""
    canonical: dict = {}

    def find(key):
        while canonical.get(key, key) != key:
            key = canonical[key]
        return key

    for (i, p), (j, q) in links:
        a, b = find((i, *p)), find((j, *q))
        if a != b:
            canonical[max(a, b)] = min(a, b)
    values, lines, labels = {}, [], {}
    for index, (grid, table) in enumerate(zip(grids, published_tables, strict=True)):
        values |= {find((index, *p)): v for p, v in grid.augmented().items()}
        lines += [([find((index, *p)) for p in parts], find((index, *total))) for parts, total in grid.lines()]
        for p, cell in published(table, grid.counts).items():
            labels[find((index, *p))] = cell
    hidden = sorted(k for k, cell in labels.items() if cell.hidden)
    target = find((target[0], *target[1]))
    # A hidden part is at most any published total of its lines.
    cap = {key: sum(values.values()) for key in hidden}
    for parts, total in lines:
        if not labels[total].hidden:
            for part in parts:
                if part in cap:
                    cap[part] = min(cap[part], values[total])
    checks: dict[int, list] = {}
    for parts, total in lines:
        last = max((hidden.index(m) for m in (*parts, total) if m in hidden), default=-1)
        checks.setdefault(last, []).append((parts, total))

    def value(key, assignment):
        return assignment[key] if key in assignment else values[key]

    steps = [0]

    def search(index, assignment) -> bool:
        _spend(steps)
        if index == len(hidden):
            return value(target, assignment) != values[target]
        key = hidden[index]
        small = labels[key].label == SMALL
        for number in range(0, THRESHOLD) if small else range(THRESHOLD, cap[key] + 1):
            assignment[key] = number
            if all(
                sum(value(p, assignment) for p in parts) == value(total, assignment)
                for parts, total in checks.get(index, ())
            ) and search(index + 1, assignment):
                return True
        del assignment[key]
        return False

    return search(0, {})


@st.composite
def motif_tables(draw):
    """Motifs × (other, closed) statuses; motifs × two quartiers and × two outcomes of the closed, with
    the row sums they must share."""
    rows = draw(st.integers(min_value=1, max_value=2))
    status = [[draw(st.integers(0, 7)), draw(st.integers(0, 7))] for _ in range(rows)]
    territory, outcome = [], []
    for received, closed in ((sum(row), row[1]) for row in status):
        first = draw(st.integers(0, received))
        territory.append([first, received - first])
        ended = draw(st.integers(0, closed))
        outcome.append([ended, closed - ended])
    return status, territory, outcome


@settings(max_examples=40, deadline=None, derandomize=True)
@given(motif_tables())
def test_motifs_by_status_quartier_and_outcome_leave_nothing_recoverable(tables_):
    status, territory, outcome = tables_
    rows = len(status)
    links = []
    for r in range(rows + 1):
        links += [((0, (r, 2)), (1, (r, 2))), ((0, (r, 1)), (2, (r, 2)))]
    grids = [Grid(status), Grid(territory), Grid(outcome)]
    results = suppress_linked(grids, links)
    for index, (grid, table) in enumerate(zip(grids, results, strict=True)):
        for position, cell in published(table, grid.counts).items():
            if cell.hidden:
                try:
                    exists = system_alternative_exists(grids, links, results, (index, position))
                except SearchTooLarge:
                    reject()
                assert exists, (tables_, index, position)
