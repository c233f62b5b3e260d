"""The README's results table, from results shaped as the runner writes them."""

from __future__ import annotations

from bench.report import table


def scenario(kind: str, p50: float | None, p99: float | None) -> dict[str, object]:
    return {"kind": kind, "p50_ms": p50, "p99_ms": p99}


def test_the_table_gives_both_sizes_and_the_growth_at_p99_and_p50() -> None:
    movement = {
        "scenarios": {
            "/expertise who": scenario("command", 5.0, 12.0),
            "/help": scenario("command", 0.5, 1.0),
            "unanswered": scenario("command", None, None),
        }
    }
    tenx = {
        "scenarios": {
            "/expertise who": scenario("command", 10.0, 30.0),
            "unanswered": scenario("command", 1.0, 2.0),
        }
    }
    lines = table(movement, tenx).splitlines()
    assert lines[0].endswith("| growth (p99) | growth (p50) |")
    assert lines[2] == "| `/expertise who` | command | 5 | 12 | 10 | 30 | 2.50× | 2.00× |"
    assert lines[3] == "| `/help` | command | 0.5 | 1 | – | – | – | – |"  # not run at tenx
    assert lines[4] == "| `unanswered` | command | – | – | 1 | 2 | – | – |"


def test_without_a_tenx_run_the_growth_is_left_empty() -> None:
    movement = {"scenarios": {"/help": scenario("command", 0.5, 1.0)}}
    assert table(movement, None).splitlines()[2] == "| `/help` | command | 0.5 | 1 | – | – | – | – |"
