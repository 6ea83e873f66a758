"""Small-cell suppression for report tables built from anonymous data, and the unit roll-up.

PRODUCT.md: every report cell built from anonymous data with fewer than k
entries is suppressed, including cells that could be subtracted from two
overlapping larger ones. A table here is a count per (unit, category),
published with its row totals, column totals and grand total; `suppress`
decides which of those numbers are shown.

* **Zeros are published.** A cell or total of 0 holds nobody, so there is
  no one in it to protect, and a table of dashes would hide which categories
  are quiet. What publishing zeros gives away is that every suppressed cell
  is at least 1; `derivable` assumes the reader knows that, so the check is
  stricter, not looser, for it.
* **Primary suppression:** every cell and every total with 0 < count < k.
* **Complementary suppression**, repeated until nothing changes: a line (a
  row with its total, a column with its total, the row totals with the grand
  total, the column totals with the grand total) whose total is published
  and which has exactly one suppressed member would give that member away by
  subtraction, so its smallest other non-zero published member is suppressed
  too (ties broken by name); a line with no such member has its total
  suppressed instead, which makes the line above it (the margins and the
  grand total) the next to check.
* **The audit.** Lines one at a time do not catch everything: a suppressed
  cell joining two separately suppressed blocks can be worked out by adding
  and subtracting several lines at once, and cells known to be at least 1
  can be pinned by that bound. So after the line rule settles, every
  suppressed number is checked the way a reader would attack it (below), and
  one more number is suppressed wherever one could still be worked out; then
  the line rule runs again, and so on. Every step suppresses at least one
  more number, and a table with every non-zero number suppressed gives
  nothing away, so this ends.

How the check works: the table is a flow. Each row total flows from a source
into its row, through the row's cells into the columns, and out through the
column totals to a sink, and back through the grand total. Published numbers
are fixed; suppressed ones are unknowns with a lower bound (1 for a cell, 0
for a total) and no upper bound. The constraint matrix of such a flow is
totally unimodular, so the integer and the real bounds of every unknown
coincide, and an unknown is pinned to one value exactly when, from any
feasible filling-in, no cycle through it can carry one more or one less unit
in the residual graph. That is a reachability question: a breadth-first
search per suppressed number, fast enough for the plant's 50 × 10 tables.

`roll_up` applies the rule "an organisational unit is stored only at a level
with at least k members" to a listing of units.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

# A position in the published table: (row, column) for an inner cell, (row, None) for
# a row total, (None, column) for a column total, (None, None) for the grand total.
Cell = tuple[str | None, str | None]
GRAND: Cell = (None, None)
_Hide = Callable[[Cell], None]

_INF = 1 << 62


@dataclass(frozen=True)
class SuppressedTable:
    """A table as it may be published: each number, or None where it is suppressed."""

    k: int
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: dict[tuple[str, str], int | None]
    row_totals: dict[str, int | None]
    column_totals: dict[str, int | None]
    grand_total: int | None

    def value(self, cell: Cell) -> int | None:
        """The published number at a position (see `Cell`), None if suppressed."""
        row, column = cell
        if row is not None and column is not None:
            return self.cells[(row, column)]
        if row is not None:
            return self.row_totals[row]
        if column is not None:
            return self.column_totals[column]
        return self.grand_total

    def positions(self) -> list[Cell]:
        """Every position of the table: cells row by row, then row, column and grand totals."""
        cells: list[Cell] = [(row, column) for row in self.rows for column in self.columns]
        cells += [(row, None) for row in self.rows]
        cells += [(None, column) for column in self.columns]
        return [*cells, GRAND]

    def suppressed(self) -> list[Cell]:
        return [cell for cell in self.positions() if self.value(cell) is None]


# --- the table as a flow --------------------------------------------------------------------


def _node(cell: Cell, rows: Mapping[str, int], columns: Mapping[str, int]) -> tuple[int, int]:
    """The arc (tail, head) that carries a position's number: source 0, rows, columns, sink."""
    source, sink = 0, 1 + len(rows) + len(columns)
    row, column = cell
    if row is not None and column is not None:
        return rows[row], columns[column]
    if row is not None:
        return source, rows[row]
    if column is not None:
        return columns[column], sink
    return sink, source


class _Flow:
    """The unknowns of a table as arcs of a circulation, and the residual-graph questions."""

    def __init__(self, rows: tuple[str, ...], columns: tuple[str, ...]) -> None:
        self.row_index = {row: 1 + i for i, row in enumerate(rows)}
        self.column_index = {column: 1 + len(rows) + i for i, column in enumerate(columns)}
        self.nodes = 2 + len(rows) + len(columns)
        self.arcs: dict[Cell, tuple[int, int]] = {}
        self.lower: dict[Cell, int] = {}
        self.flow: dict[Cell, int] = {}

    def add(self, cell: Cell, value: int) -> None:
        """Make a position unknown; `value` is its number in one filling-in that adds up."""
        self.arcs[cell] = _node(cell, self.row_index, self.column_index)
        self.lower[cell] = 1 if cell[0] is not None and cell[1] is not None else 0
        self.flow[cell] = value

    def remove(self, cell: Cell) -> None:
        del self.arcs[cell], self.lower[cell], self.flow[cell]

    def _residual(self, skip: Cell) -> list[list[int]]:
        graph: list[list[int]] = [[] for _ in range(self.nodes)]
        for cell, (tail, head) in self.arcs.items():
            if cell == skip:
                continue
            graph[tail].append(head)  # no upper bound: one more unit always fits
            if self.flow[cell] > self.lower[cell]:
                graph[head].append(tail)
        return graph

    @staticmethod
    def _reaches(graph: list[list[int]], start: int, goal: int) -> bool:
        seen = {start}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if node == goal:
                return True
            for nxt in graph[node]:
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return False

    def pinned(self, cell: Cell) -> bool:
        """Whether every filling-in consistent with the published numbers gives `cell` one value."""
        tail, head = self.arcs[cell]
        graph = self._residual(cell)
        if self._reaches(graph, head, tail):
            return False  # a cycle through it can carry one more unit
        return not (self.flow[cell] > self.lower[cell] and self._reaches(graph, tail, head))


# --- suppressing ----------------------------------------------------------------------------


def _lines(rows: tuple[str, ...], columns: tuple[str, ...]) -> list[tuple[Cell, list[Cell]]]:
    """Every published equation of the table: (its total, the members that add up to it)."""
    lines: list[tuple[Cell, list[Cell]]] = []
    lines += [((row, None), [(row, column) for column in columns]) for row in rows]
    lines += [((None, column), [(row, column) for row in rows]) for column in columns]
    lines.append((GRAND, [(row, None) for row in rows]))
    lines.append((GRAND, [(None, column) for column in columns]))
    return lines


def _order(cell: Cell, value: int) -> tuple[int, int, str, str]:
    """Which number to give up first: inner cells before totals, the smallest, then by name."""
    is_total = 0 if cell[0] is not None and cell[1] is not None else 1
    return (is_total, value, cell[0] or "", cell[1] or "")


def _complete(table: Mapping[tuple[str, str], int]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    rows: dict[str, None] = {}
    columns: dict[str, None] = {}
    for (row, column), count in table.items():
        if count < 0:
            raise ValueError("counts cannot be negative")
        rows.setdefault(row)
        columns.setdefault(column)
    return tuple(rows), tuple(columns)


def suppress(table: Mapping[tuple[str, str], int], k: int) -> SuppressedTable:
    """The table, its row and column totals and grand total, with every small number hidden.

    Rows and columns keep the order in which they first appear in `table`; a
    (row, column) pair missing from it counts as 0. Which numbers are hidden
    depends on the counts and the names only, not on that order.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    shown_rows, shown_columns = _complete(table)
    rows, columns = tuple(sorted(shown_rows)), tuple(sorted(shown_columns))
    value: dict[Cell, int] = {}
    for row in rows:
        for column in columns:
            value[(row, column)] = table.get((row, column), 0)
    for row in rows:
        value[(row, None)] = sum(value[(row, column)] for column in columns)
    for column in columns:
        value[(None, column)] = sum(value[(row, column)] for row in rows)
    value[GRAND] = sum(value[(row, None)] for row in rows)

    hidden = {cell for cell, count in value.items() if 0 < count < k}
    flow = _Flow(rows, columns)
    for cell in hidden:
        flow.add(cell, value[cell])  # the real table is one filling-in that adds up
    lines = _lines(rows, columns)

    def hide(cell: Cell) -> None:
        hidden.add(cell)
        flow.add(cell, value[cell])

    while True:
        _settle_lines(lines, value, hidden, hide)
        if not _audit(flow, value, hidden, lines, hide):
            break

    def shown(cell: Cell) -> int | None:
        return None if cell in hidden else value[cell]

    return SuppressedTable(
        k=k,
        rows=shown_rows,
        columns=shown_columns,
        cells={(r, c): shown((r, c)) for r in shown_rows for c in shown_columns},
        row_totals={row: shown((row, None)) for row in shown_rows},
        column_totals={column: shown((None, column)) for column in shown_columns},
        grand_total=shown(GRAND),
    )


def _settle_lines(
    lines: list[tuple[Cell, list[Cell]]],
    value: Mapping[Cell, int],
    hidden: set[Cell],
    hide: _Hide,
) -> None:
    """The line rule, until no published total sits over exactly one suppressed member."""
    changed = True
    while changed:
        changed = False
        for total, members in lines:
            if total in hidden:
                continue
            if sum(member in hidden for member in members) != 1:
                continue
            others = [m for m in members if m not in hidden and value[m] > 0]
            if others:
                hide(min(others, key=lambda m: _order(m, value[m])))
            else:
                hide(total)
            changed = True


def _audit(
    flow: _Flow,
    value: Mapping[Cell, int],
    hidden: set[Cell],
    lines: list[tuple[Cell, list[Cell]]],
    hide: _Hide,
) -> bool:
    """Hide one more number for the first suppressed number a reader could still work out.

    The number chosen is the first, in `_order`, whose suppression leaves the
    pinned one free; when no single number does, the smallest published
    number sharing a line with it, or failing that that line's total. True if
    anything was hidden.
    """
    for cell in sorted(hidden, key=lambda c: _order(c, value[c])):
        if not flow.pinned(cell):
            continue
        candidates = sorted(
            (c for c, count in value.items() if c not in hidden and count > 0),
            key=lambda c: _order(c, value[c]),
        )
        for candidate in candidates:
            flow.add(candidate, value[candidate])
            freed = not flow.pinned(cell)
            flow.remove(candidate)
            if freed:
                hide(candidate)
                return True
        for total, members in lines:
            if cell not in members:
                continue
            near = [m for m in members if m not in hidden and value[m] > 0]
            if near:
                hide(min(near, key=lambda m: _order(m, value[m])))
                return True
            if total not in hidden and value[total] > 0:
                hide(total)
                return True
        if candidates:
            hide(candidates[0])
            return True
        # With every non-zero number hidden nothing can be pinned: a cycle through the
        # grand total carries one more unit through any cell.
        raise AssertionError("a suppressed number stays pinned with nothing left to hide")
    return False


# --- checking what a reader can work out -----------------------------------------------------


def derivable(result: SuppressedTable) -> list[Cell]:
    """The suppressed positions whose value follows from what is published.

    A reader who knows the rules knows that every total is the sum of its line,
    that counts are whole numbers, and, since zeros are always published, that
    every suppressed inner cell is at least 1. A suppressed position is listed
    when, over every filling-in that meets all that, it takes only one value.
    Uses nothing but the published numbers.
    """
    unknown = result.suppressed()
    flow = _Flow(result.rows, result.columns)
    for cell in unknown:
        flow.add(cell, 0)
    _fill(flow, result)
    return [cell for cell in unknown if flow.pinned(cell)]


def _fill(flow: _Flow, result: SuppressedTable) -> None:
    """Any one whole-number filling-in of the suppressed positions, by a maximum flow.

    Each node must pass on exactly what the published numbers leave for it;
    lower bounds are moved into those balances first (the textbook reduction
    of a flow with lower bounds to a maximum flow from a super-source).
    """
    nodes = flow.nodes
    balance = [0] * nodes  # what must leave the node along unknown arcs, net
    for cell in result.positions():
        known = result.value(cell)
        if known is None:
            continue
        tail, head = _node(cell, flow.row_index, flow.column_index)
        # A published number is a fixed arc: it brings `known` into its head, out of its tail.
        balance[head] += known
        balance[tail] -= known
    # Lower bounds: each unknown arc carries at least its lower bound already.
    for cell, (tail, head) in flow.arcs.items():
        balance[tail] -= flow.lower[cell]
        balance[head] += flow.lower[cell]

    # Unknown arcs as a residual network, plus a super-source and super-sink.
    size = nodes + 2
    super_source, super_sink = nodes, nodes + 1
    capacity: list[dict[int, int]] = [{} for _ in range(size)]

    def arc(tail: int, head: int, cap: int) -> None:
        capacity[tail][head] = capacity[tail].get(head, 0) + cap
        capacity[head].setdefault(tail, 0)

    for tail, head in flow.arcs.values():
        arc(tail, head, _INF)
    need = 0
    for node, extra in enumerate(balance):
        if extra > 0:
            arc(super_source, node, extra)
            need += extra
        elif extra < 0:
            arc(node, super_sink, -extra)
    pushed = _max_flow(capacity, super_source, super_sink)
    if pushed != need:
        raise ValueError("the published numbers do not add up")

    # Each pair of nodes carries at most one unknown arc, and never one each way, so an
    # arc's flow is what its capacity lost.
    for cell, (tail, head) in flow.arcs.items():
        flow.flow[cell] = flow.lower[cell] + _INF - capacity[tail][head]


def _max_flow(capacity: list[dict[int, int]], source: int, sink: int) -> int:
    """Edmonds–Karp: shortest augmenting paths until none is left. Changes `capacity` in place."""
    total = 0
    while True:
        parent: dict[int, int] = {source: source}
        queue = deque([source])
        while queue and sink not in parent:
            node = queue.popleft()
            for nxt, cap in capacity[node].items():
                if cap > 0 and nxt not in parent:
                    parent[nxt] = node
                    queue.append(nxt)
        if sink not in parent:
            return total
        bottleneck = _INF
        node = sink
        while node != source:
            bottleneck = min(bottleneck, capacity[parent[node]][node])
            node = parent[node]
        node = sink
        while node != source:
            capacity[parent[node]][node] -= bottleneck
            capacity[node][parent[node]] += bottleneck
            node = parent[node]
        total += bottleneck


# --- rolling small units up -----------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RolledUp(Mapping[str, int]):
    """A listing after roll-up: the units that may be shown, each with its count (at least k).

    It reads as that mapping; `home` tells, for every unit, under which shown
    unit its count went: itself or its nearest shown ancestor, None when its
    whole tree had fewer than k (or nothing at all) and is withheld.
    """

    counts: dict[str, int]
    home: dict[str, str | None]

    def __getitem__(self, unit: str) -> int:
        return self.counts[unit]

    def __iter__(self) -> Iterator[str]:
        return iter(self.counts)

    def __len__(self) -> int:
        return len(self.counts)


def roll_up(counts: Mapping[str, int], parent: Mapping[str, str], k: int) -> RolledUp:
    """Merge every unit with 0 < count < k into its parent (team → workshop → plant), repeatedly.

    Deepest units go first, so a team's count reaches its workshop before the
    workshop is judged. A top unit (one without a parent) left with 0 < count
    < k has nowhere to go, so it takes in the smallest (then first by name) of
    the shown units right below it until it has k; a whole tree with fewer
    than k is withheld. Units with nothing (0) are not listed. Each count is
    shown once, under one unit, so none can be had by subtracting one shown
    number from another; and a unit's count is always under the nearest shown
    unit at or above it, so walking up the parents finds where it went.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    units = set(counts) | set(parent) | set(parent.values())
    if any(counts.get(unit, 0) < 0 for unit in units):
        raise ValueError("counts cannot be negative")
    depth: dict[str, int] = {}
    for unit in units:
        path = [unit]
        while path[-1] in parent:
            path.append(parent[path[-1]])
            if path[-1] in path[:-1]:
                raise ValueError("the units' parents form a loop")
        depth[unit] = len(path) - 1

    count = {unit: counts.get(unit, 0) for unit in units}
    for unit in sorted(units, key=lambda u: (-depth[u], u)):
        if unit in parent and 0 < count[unit] < k:
            count[parent[unit]] += count[unit]
            count[unit] = 0

    def shown_above(unit: str) -> str | None:
        """The nearest unit at or above `unit` that still has a count of its own."""
        walk: str | None = unit
        while walk is not None and count[walk] == 0:
            walk = parent.get(walk)
        return walk

    tops = sorted(unit for unit in units if unit not in parent)
    withheld: set[str] = set()
    for top in tops:
        while 0 < count[top] < k:
            below = [
                unit
                for unit in units
                if unit in parent and count[unit] > 0 and shown_above(parent[unit]) == top
            ]
            if not below:
                break
            pulled = min(below, key=lambda u: (count[u], u))
            count[top] += count[pulled]
            count[pulled] = 0
        if 0 < count[top] < k:
            withheld.add(top)

    home: dict[str, str | None] = {}
    for unit in sorted(units):
        target = shown_above(unit)
        home[unit] = None if target is None or _top(target, parent) in withheld else target
    shown = {
        unit: count[unit]
        for unit in sorted(units)
        if count[unit] > 0 and _top(unit, parent) not in withheld
    }
    return RolledUp(counts=shown, home=home)


def _top(unit: str, parent: Mapping[str, str]) -> str:
    while unit in parent:
        unit = parent[unit]
    return unit
