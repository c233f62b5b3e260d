"""The benchmark runs end to end at its small size, through the same runner code as the real runs.

A smoke run, not a timed one: every scenario must run and every command must be answered without
an error or a refusal (a refusal would mean the scenario asks for something invalid, and measures
the error path instead of the command). No timing is asserted: CI machines vary.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from bench.community import SIZES
from bench.generate import generate
from bench.run import run_benchmark, verdicts
from bench.scenarios import SCENARIOS

SMALL = SIZES["small"]


@pytest.fixture(scope="module")
def community_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "small.sqlite3"
    generate(SMALL, path)
    return path


async def test_the_small_benchmark_runs_every_scenario_cleanly(community_file: Path, tmp_path: Path) -> None:
    report = await run_benchmark(SMALL, community_file, tmp_path, iterations=2, warmup=0)

    assert set(report["scenarios"]) == {scenario.name for scenario in SCENARIOS}
    for name, result in report["scenarios"].items():
        assert result["iterations"] == 2, name
        assert (result["unanswered"], result["refusals"], result["bugs"]) == (0, 0, []), name
        for key in ("p50_ms", "p99_ms", "max_ms"):
            assert result[key] is not None and math.isfinite(result[key]) and result[key] >= 0, (name, key)
    assert set(report["start_up"]) == {"setup_hook_s", "ready_s", "member_chunk_s"}
    assert report["rss_mb"]["peak"] >= report["rss_mb"]["before_bot"] > 0
    assert {"command_p99_ms", "autocomplete_p99_ms", "search_p99_ms", "start_up_s", "peak_rss_mb"} <= set(
        verdicts(report, None)
    )


async def test_a_deferred_command_reports_when_it_finished(community_file: Path, tmp_path: Path) -> None:
    report = await run_benchmark(
        SMALL, community_file, tmp_path, iterations=1, warmup=0, only=["/partnership export", "/help"]
    )

    export, help_command = report["scenarios"]["/partnership export"], report["scenarios"]["/help"]
    assert export["complete_p50_ms"] >= export["p50_ms"]  # deferred first, the file after
    assert help_command["complete_p50_ms"] is None  # answered at once, nothing later
