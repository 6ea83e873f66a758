"""Small-cell suppression: nothing under k is shown, and nothing hidden can be worked back out."""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Set

import pytest

from bot.concerns.suppression import (
    GRAND,
    Cell,
    SuppressedTable,
    derivable,
    roll_up,
    suppress,
)

Table = dict[tuple[str, str], int]


def truth(table: Table, result: SuppressedTable) -> dict[Cell, int]:
    """Every position's real value, cells and totals."""
    value: dict[Cell, int] = {}
    for row in result.rows:
        for column in result.columns:
            value[(row, column)] = table.get((row, column), 0)
    for row in result.rows:
        value[(row, None)] = sum(value[(row, c)] for c in result.columns)
    for column in result.columns:
        value[(None, column)] = sum(value[(r, column)] for r in result.rows)
    value[GRAND] = sum(value[(r, None)] for r in result.rows)
    return value


def check(table: Table, k: int) -> SuppressedTable:
    """Suppress, then assert every promise the module makes about the result."""
    result = suppress(table, k)
    real = truth(table, result)
    for cell in result.positions():
        shown = result.value(cell)
        if shown is None:
            assert real[cell] > 0, f"{cell}: a zero is never hidden"
        else:
            assert shown == real[cell], f"{cell}: shown {shown}, is {real[cell]}"
            assert shown == 0 or shown >= k, f"{cell}: {shown} is under k={k}"
    assert derivable(result) == []
    return result


def random_table(rng: random.Random, rows: int, columns: int, k: int) -> Table:
    """Counts the way concerns fall: many zeros, some small, a few large."""
    table: Table = {}
    for r in range(rows):
        for c in range(columns):
            roll = rng.random()
            if roll < 0.35:
                count = 0
            elif roll < 0.7:
                count = rng.randint(1, k - 1)
            else:
                count = rng.randint(k, 4 * k)
            table[(f"team{r:02}", f"cat{c:02}")] = count
    return table


# --- the textbook cases ----------------------------------------------------------------------


def test_a_total_of_twelve_from_ten_and_two() -> None:
    # One row: 10 + 2 = 12. Showing 12 and 10 gives the 2 away.
    result = check({("A", "x"): 10, ("A", "y"): 2}, k=5)
    both_hidden = result.cells[("A", "x")] is None and result.cells[("A", "y")] is None
    assert both_hidden or result.row_totals["A"] is None
    assert result.cells[("A", "y")] is None


def test_a_total_of_twelve_inside_a_larger_table() -> None:
    table = {("A", "x"): 10, ("A", "y"): 2, ("B", "x"): 20, ("B", "y"): 15}
    result = check(table, k=5)
    assert result.cells[("A", "y")] is None
    assert result.cells[("A", "x")] is None or result.row_totals["A"] is None
    # The column holding the 2 needs a second hidden cell too.
    assert result.cells[("B", "y")] is None or result.column_totals["y"] is None


def test_small_cells_and_small_totals_are_hidden_and_zeros_shown() -> None:
    table = {
        ("A", "x"): 0,
        ("A", "y"): 3,
        ("A", "z"): 20,
        ("B", "x"): 0,
        ("B", "y"): 12,
        ("B", "z"): 30,
        ("C", "x"): 0,
        ("C", "y"): 0,
        ("C", "z"): 4,
    }
    result = check(table, k=5)
    assert result.cells[("A", "y")] is None
    assert result.cells[("C", "z")] is None
    assert result.row_totals["C"] is None  # 4 people in all
    assert result.column_totals["x"] == 0
    assert result.cells[("A", "x")] == 0
    assert result.grand_total == 69


def test_nothing_to_hide_hides_nothing() -> None:
    table = {("A", "x"): 5, ("A", "y"): 0, ("B", "x"): 7, ("B", "y"): 9}
    result = check(table, k=5)
    assert result.suppressed() == []
    assert result.row_totals == {"A": 5, "B": 16}
    assert result.grand_total == 21


def test_a_small_grand_total_hides_everything_that_is_not_zero() -> None:
    result = check({("A", "x"): 2, ("A", "y"): 0, ("B", "x"): 1, ("B", "y"): 0}, k=5)
    assert result.grand_total is None
    assert result.cells[("A", "y")] == 0
    assert result.column_totals["y"] == 0


def test_missing_pairs_count_as_zero_and_order_is_kept() -> None:
    result = check({("B", "y"): 9, ("A", "x"): 8}, k=5)
    assert result.rows == ("B", "A")
    assert result.columns == ("y", "x")
    assert result.cells[("B", "x")] == 0


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        suppress({("A", "x"): -1}, 5)
    with pytest.raises(ValueError, match="k"):
        suppress({("A", "x"): 1}, 0)


def test_the_result_depends_on_counts_and_names_not_on_input_order() -> None:
    rng = random.Random(7)
    table = random_table(rng, 8, 5, 5)
    items = list(table.items())
    for seed in range(5):
        random.Random(seed).shuffle(items)
        shuffled = suppress(dict(items), 5)
        original = suppress(table, 5)
        assert sorted(shuffled.suppressed(), key=repr) == sorted(original.suppressed(), key=repr)


# --- what a reader can work out ----------------------------------------------------------------


def published(
    table: Table, rows: list[str], columns: list[str], hidden: Set[Cell], k: int
) -> SuppressedTable:
    """A table shown with exactly `hidden` suppressed (any pattern, not only suppress's)."""
    value: dict[Cell, int] = {}
    for r in rows:
        for c in columns:
            value[(r, c)] = table.get((r, c), 0)
        value[(r, None)] = sum(value[(r, c)] for c in columns)
    for c in columns:
        value[(None, c)] = sum(value[(r, c)] for r in rows)
    value[GRAND] = sum(value[(r, None)] for r in rows)

    def shown(cell: Cell) -> int | None:
        return None if cell in hidden else value[cell]

    return SuppressedTable(
        k=k,
        rows=tuple(rows),
        columns=tuple(columns),
        cells={(r, c): shown((r, c)) for r in rows for c in columns},
        row_totals={r: shown((r, None)) for r in rows},
        column_totals={c: shown((None, c)) for c in columns},
        grand_total=shown(GRAND),
    )


def brute_force(result: SuppressedTable, real: dict[Cell, int]) -> set[Cell]:
    """Pinned positions, by trying every filling-in near the real one.

    Hidden inner cells range over 1 … real + 2 (zeros are always shown, so a
    hidden cell is at least 1); a hidden total is the sum of its line. A
    filling-in counts when every published total adds up.
    """
    hidden_cells = [
        (r, c) for r in result.rows for c in result.columns if result.cells[(r, c)] is None
    ]
    ranges = [range(1, real[cell] + 3) for cell in hidden_cells]
    seen: dict[Cell, set[int]] = {cell: set() for cell in result.suppressed()}
    for guess in itertools.product(*ranges):
        cell_value = {(r, c): result.cells[(r, c)] for r in result.rows for c in result.columns}
        cell_value.update(zip(hidden_cells, guess, strict=True))
        full: dict[Cell, int] = {}
        for (r, c), v in cell_value.items():
            assert v is not None
            full[(r, c)] = v
        for r in result.rows:
            full[(r, None)] = sum(full[(r, c)] for c in result.columns)
        for c in result.columns:
            full[(None, c)] = sum(full[(r, c)] for r in result.rows)
        full[GRAND] = sum(full[(r, None)] for r in result.rows)
        if any(
            result.value(cell) is not None and result.value(cell) != full[cell]
            for cell in result.positions()
        ):
            continue
        for cell in seen:
            seen[cell].add(full[cell])
    for cell, values in seen.items():
        assert real[cell] in values  # the real table is one of the fillings-in
    return {cell for cell, values in seen.items() if len(values) == 1}


def test_derivable_agrees_with_trying_every_filling_in() -> None:
    rng = random.Random(2024)
    checked = 0
    for _ in range(400):
        n_rows, n_columns = rng.choice([(1, 2), (2, 2), (2, 3), (3, 2), (3, 3)])
        rows = [f"r{i}" for i in range(n_rows)]
        columns = [f"c{j}" for j in range(n_columns)]
        table = {(r, c): rng.choice([0, 1, 1, 2, 3]) for r in rows for c in columns}
        result = published(table, rows, columns, set(), 3)
        real = truth(table, result)
        # Any pattern at all, as long as no zero is hidden (zeros are always shown).
        hidden = {cell for cell in real if real[cell] > 0 and rng.random() < 0.45}
        if sum(1 for cell in hidden if cell[0] is not None and cell[1] is not None) > 6:
            continue
        result = published(table, rows, columns, hidden, 3)
        assert set(derivable(result)) == brute_force(result, real), (table, hidden)
        checked += 1
    assert checked > 300


def test_one_hidden_cell_under_published_totals_is_derivable() -> None:
    table = {("A", "x"): 10, ("A", "y"): 2, ("B", "x"): 20, ("B", "y"): 15}
    rows, columns = ["A", "B"], ["x", "y"]
    assert derivable(published(table, rows, columns, {("A", "y")}, 5)) == [("A", "y")]
    # Hiding the row's other cell is not enough: the column still gives it away.
    pair = {("A", "x"), ("A", "y")}
    assert set(derivable(published(table, rows, columns, pair, 5))) == pair
    block = {("A", "x"), ("A", "y"), ("B", "x"), ("B", "y")}
    assert derivable(published(table, rows, columns, block, 5)) == []


def test_a_cell_joining_two_hidden_blocks_is_derivable() -> None:
    # Two 2×2 blocks of hidden cells, every line with two hidden, joined by one more
    # hidden cell: adding rows A, B and subtracting columns x, y leaves that cell alone.
    rows, columns = ["A", "B", "C", "D"], ["x", "y", "z", "w"]
    table = {(r, c): 10 for r in rows for c in columns}
    blocks = {(r, c) for r in "AB" for c in "xy"} | {(r, c) for r in "CD" for c in "zw"}
    assert derivable(published(table, rows, columns, blocks, 5)) == []
    bridge = blocks | {("A", "z")}
    assert derivable(published(table, rows, columns, bridge, 5)) == [("A", "z")]


def test_cells_known_to_be_at_least_one_can_pin_each_other() -> None:
    # A 2×2 block of ones under published totals: each line has two hidden cells, but the
    # only filling-in with every hidden cell at least 1 is the real one.
    rows, columns = ["A", "B"], ["x", "y", "z"]
    table = {
        ("A", "x"): 1,
        ("A", "y"): 1,
        ("B", "x"): 1,
        ("B", "y"): 1,
        ("A", "z"): 9,
        ("B", "z"): 9,
    }
    hidden = {(r, c) for r in rows for c in "xy"}
    assert set(derivable(published(table, rows, columns, hidden, 5))) == hidden


def test_published_numbers_that_do_not_add_up_are_refused() -> None:
    broken = SuppressedTable(
        k=5,
        rows=("A",),
        columns=("x", "y"),
        cells={("A", "x"): 10, ("A", "y"): None},
        row_totals={"A": 8},
        column_totals={"x": 10, "y": None},
        grand_total=8,
    )
    with pytest.raises(ValueError, match="add up"):
        derivable(broken)


# --- the property, on many random tables ---------------------------------------------------


@pytest.mark.parametrize("k", [3, 5])
def test_random_tables_leave_nothing_small_and_nothing_derivable(k: int) -> None:
    for seed in range(300):
        rng = random.Random(seed)
        table = random_table(rng, rng.randint(1, 9), rng.randint(1, 6), k)
        result = check(table, k)
        # The line rule held: no published total over exactly one hidden member.
        for row in result.rows:
            if result.row_totals[row] is not None:
                assert sum(result.cells[(row, c)] is None for c in result.columns) != 1
        for column in result.columns:
            if result.column_totals[column] is not None:
                assert sum(result.cells[(r, column)] is None for r in result.rows) != 1


def test_sparse_tables_with_a_few_large_cells() -> None:
    for seed in range(200):
        rng = random.Random(10_000 + seed)
        rows, columns = rng.randint(2, 12), rng.randint(2, 8)
        table = {
            (f"t{r}", f"c{c}"): rng.choice([0, 0, 0, 0, 1, 2, 6, 40])
            for r in range(rows)
            for c in range(columns)
        }
        check(table, 5)


def test_a_plant_sized_table_in_reasonable_time() -> None:
    # 50 units × 10 categories, the largest table the monthly report draws.
    for seed in range(3):
        rng = random.Random(500 + seed)
        table = random_table(rng, 50, 10, 5)
        started = time.perf_counter()
        result = check(table, 5)
        assert time.perf_counter() - started < 30
        assert result.grand_total is not None


# --- rolling units up --------------------------------------------------------------------------

PLANT = {
    "team-a1": "shop-a",
    "team-a2": "shop-a",
    "team-b1": "shop-b",
    "team-b2": "shop-b",
    "shop-a": "plant",
    "shop-b": "plant",
}


def test_small_teams_merge_into_their_workshop() -> None:
    counts = {"team-a1": 3, "team-a2": 8, "team-b1": 6, "team-b2": 9}
    rolled = roll_up(counts, PLANT, 5)
    # team-a1's 3 leave shop-a still under 5, so they climb to the plant, which then
    # takes in the smallest unit right below it (team-b1) to reach at least 5.
    assert rolled.counts == {"plant": 9, "team-a2": 8, "team-b2": 9}
    assert dict(rolled) == rolled.counts  # it reads as the listing itself
    assert "team-a1" not in rolled
    assert rolled.home["team-a1"] == "plant"
    assert rolled.home["shop-a"] == "plant"
    assert rolled.home["team-b1"] == "plant"
    assert rolled.home["team-a2"] == "team-a2"


def test_a_workshop_big_enough_keeps_its_small_teams() -> None:
    counts = {"team-a1": 3, "team-a2": 8, "shop-a": 4, "team-b1": 6, "plant": 5}
    rolled = roll_up(counts, PLANT, 5)
    assert rolled.counts == {"plant": 5, "shop-a": 7, "team-a2": 8, "team-b1": 6}
    assert rolled.home["team-a1"] == "shop-a"
    assert rolled.home["team-b2"] == "plant"  # nothing of its own, but that is where it would go


def test_merging_repeats_up_to_the_plant() -> None:
    # team-a1 (2) joins shop-a, which with its own 1 is still only 3: both go to the plant.
    counts = {"team-a1": 2, "shop-a": 1, "team-a2": 0, "team-b1": 7, "team-b2": 8, "plant": 4}
    rolled = roll_up(counts, PLANT, 5)
    assert rolled.home["team-a1"] == "plant"
    assert rolled.home["shop-a"] == "plant"
    assert rolled.counts["plant"] == 7
    assert rolled.counts["team-b1"] == 7
    assert "team-a1" not in rolled.counts
    assert sum(rolled.counts.values()) == sum(counts.values())


def test_a_small_plant_takes_in_its_smallest_unit() -> None:
    counts = {"team-a1": 2, "team-b1": 6, "team-b2": 9}
    rolled = roll_up(counts, PLANT, 5)
    # team-a1's 2 climb to the plant, which then takes team-b1 (the smaller) to reach 8.
    assert rolled.counts == {"plant": 8, "team-b2": 9}
    assert rolled.home["team-a1"] == "plant"
    assert rolled.home["team-b1"] == "plant"
    assert rolled.home["team-b2"] == "team-b2"


def test_exactly_k_stays_and_one_less_moves_up() -> None:
    rolled = roll_up({"team-a1": 5, "team-a2": 4, "shop-a": 1}, PLANT, 5)
    assert rolled.counts == {"shop-a": 5, "team-a1": 5}
    assert rolled.home["team-a2"] == "shop-a"


def test_a_whole_plant_under_k_is_withheld() -> None:
    rolled = roll_up({"team-a1": 2, "team-b1": 1}, PLANT, 5)
    assert rolled.counts == {}
    assert set(rolled.home.values()) == {None}


def test_every_shown_count_is_at_least_k_and_nothing_is_lost() -> None:
    for seed in range(200):
        rng = random.Random(seed)
        parent: dict[str, str] = {}
        counts: dict[str, int] = {}
        for w in range(rng.randint(1, 4)):
            parent[f"w{w}"] = "plant"
            counts[f"w{w}"] = rng.choice([0, 0, 1, 6])
            for t in range(rng.randint(0, 5)):
                parent[f"w{w}t{t}"] = f"w{w}"
                counts[f"w{w}t{t}"] = rng.choice([0, 1, 2, 3, 4, 5, 8, 13])
        k = rng.choice([3, 5])
        rolled = roll_up(counts, parent, k)
        assert all(n >= k for n in rolled.counts.values())
        total = sum(counts.values())
        if total >= k:
            assert sum(rolled.counts.values()) == total
        else:
            assert rolled.counts == {}
        for unit, home in rolled.home.items():
            # Where a unit's count went is the nearest shown unit at or above it.
            walk: str | None = unit
            while walk is not None and walk not in rolled:
                walk = parent.get(walk)
            assert home == walk or (home is None and total < k)
            if counts.get(unit, 0) > 0 and total >= k:
                assert home in rolled


def test_parents_in_a_loop_are_refused() -> None:
    with pytest.raises(ValueError, match="loop"):
        roll_up({"a": 1}, {"a": "b", "b": "a"}, 5)
