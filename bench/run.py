"""Run the benchmark: the real bot on a copy of a generated community, driven through SimCord.

    .venv/bin/python -m bench.run --size movement          # writes bench/results/movement.json
    .venv/bin/python -m bench.run --size small --only "/expertise who"

The bot is built exactly as ``bot.py`` builds it (``core.bot.create_bot``), with the production
logging set-up (written to a file beside the results), on a copy of the cached database, so every
run starts from the same data. For each scenario (``bench/scenarios.py``) it reports bot-side
latency to the first response (p50, p90, p99), and for commands that answer later (after a
deferral) the time to the last answer; start-up time; and the process's peak memory.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import context, generate
from bench.community import NOW, SEED, SIZES, Size
from bench.console import console
from bench.measure import (
    GarbageWatch,
    LatencyProbe,
    Samples,
    bugs,
    current_rss_mb,
    machine,
    peak_rss_mb,
)
from bench.scenarios import SCENARIOS, Measured, Scenario
from bench.server import close_views, forget_history, open_server
from core.bot import PartnershipsBot, create_bot
from core.config import Config
from core.logs import setup_logging

RESULTS_DIR = Path(__file__).with_name("results")
ITERATIONS = {"small": 3, "movement": 200, "tenx": 100}
WARMUP = {"small": 0, "movement": 5, "tenx": 5}
TOKEN = "bench-token"

# The targets of issue 8, at movement size (milliseconds of bot-side time, seconds, MiB).
TARGETS = {
    "command_p99_ms": 50,
    "autocomplete_p99_ms": 10,
    "search_p99_ms": 20,  # /expertise who and /partnership search
    "start_up_s": 2,
    "peak_rss_mb": 200,
    "growth": 3,
}
FAST_COMMANDS = ("/expertise who", "/expertise who by:affiliates", "/partnership search")


class BenchClock:
    """The bot's clock: the community's "now", moved on a minute per step so records keep an order."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now

    def tick(self) -> None:
        self.now += timedelta(minutes=1)


class ErrorLog(logging.Handler):
    """Counts error log lines: due work and the error path log bugs instead of raising them."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage()[:300])


@dataclass
class Driver:
    bench: context.Bench
    probe: LatencyProbe
    clock: BenchClock
    errors: ErrorLog
    rng: random.Random
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)  # a Measured step's own numbers

    async def run(self, scenario: Scenario, iterations: int, warmup: int) -> Samples:
        samples = Samples(scenario.kind)
        env = self.bench.server.env
        for index in range(warmup + iterations):
            self.clock.tick()
            prepared = await scenario.prepare(self.bench, self.rng) if scenario.prepare else None
            self.probe.take()
            cursor, logged = env.error_cursor, len(self.errors.lines)
            started = time.perf_counter()
            returned = await scenario.step(self.bench, self.rng, prepared)
            elapsed = time.perf_counter() - started
            if isinstance(returned, Measured):  # due work that timed the part that counts itself
                elapsed = returned.seconds
                self.reports.setdefault(scenario.name, {}).update(returned.report)
            timings = self.probe.take()
            raised = list(env.errors_since(cursor))
            close_views(self.bench.bot)
            # Files the bot uploaded are Discord's to keep (its CDN), not the bot's memory: an export
            # at movement is 23 MB, and ten of them would count against the bot's peak.
            env.backend.cdn._blobs.clear()
            if index < warmup:
                continue
            found = bugs(raised)
            samples.bugs += [repr(error)[:300] for error in found] + self.errors.lines[logged:]
            samples.refusals += len(raised) - len(found)
            if scenario.kind == "due_work":
                samples.latencies.append(elapsed)
                continue
            last = timings[-1] if timings else None
            if last is None or last.first_response is None:
                samples.unanswered += 1
                continue
            samples.latencies.append(last.first_response)
            if last.finished is not None and last.complete is not None:
                samples.completions.append(last.complete)
        forget_history(self.bench.server)
        return samples


def bot_config(database: Path) -> Config:
    # A long tick: due work runs when a scenario asks for it, not in the middle of another.
    return Config(token=TOKEN, database_path=database, tick_seconds=3600)


async def run_benchmark(
    size: Size,
    database: Path,
    workdir: Path,
    *,
    iterations: int,
    warmup: int,
    only: list[str] | None = None,
    seed: int = SEED,
) -> dict[str, Any]:
    """Run every scenario (or the ``only`` ones) against a copy of ``database``; return the report."""
    copy = workdir / "bench.sqlite3"
    shutil.copyfile(database, copy)
    rss_before = current_rss_mb()
    errors = ErrorLog()
    logging.getLogger().addHandler(errors)
    probe = LatencyProbe()
    clock = BenchClock()
    rng = random.Random(seed)
    report: dict[str, Any] = {}
    garbage = GarbageWatch()
    with probe.installed():
        bot: PartnershipsBot = create_bot(bot_config(copy), clock=clock)
        server = await open_server(bot, size)
        try:
            bench = context.load(server, database, rng)
            rss_ready = current_rss_mb()  # the bot froze what start-up made (PartnershipsBot.on_ready)
            # The benchmark's own samples (half a million records at tenx) live as long as the run:
            # out of the collector's full passes, which would otherwise count them against the bot.
            gc.freeze()
            driver = Driver(bench, probe, clock, errors, rng)
            results: dict[str, Any] = {}
            # Counted from here: start-up's and loading's full passes are not the bot's answering.
            with garbage.installed():
                for scenario in SCENARIOS:
                    if only and scenario.name not in only:
                        continue
                    count = min(iterations, scenario.iterations or iterations)
                    # A tenth of the iterations at most go to warming up (a heavy scenario runs few).
                    samples = await driver.run(scenario, count, min(warmup, max(1, count // 10)))
                    results[scenario.name] = (
                        samples.summary()
                        | driver.reports.get(scenario.name, {})
                        | {"peak_rss_mb": peak_rss_mb()}
                    )
                    logging.getLogger(__name__).warning(
                        "measured %s %s", scenario.name, results[scenario.name]
                    )
                    # SimCord keeps every message and interaction of the run; what survived a scenario
                    # lives to the end. Collected and frozen between scenarios (not timed), a full pass
                    # during the next one walks only what it makes, as the bot's own do once it froze
                    # its start-up.
                    garbage.collect_untimed()
                    gc.freeze()
            report = {
                "start_up": server.start_up,
                "rss_mb": {"before_bot": rss_before, "ready": rss_ready, "peak": peak_rss_mb()},
                "garbage_collector": garbage.summary(),
                "scenarios": results,
            }
        finally:
            gc.unfreeze()  # the bot's freeze: let the collector free the finished run
            await server.env.shutdown()
            bot.scheduler.shutdown()
            await bot.database.close()
            logging.getLogger().removeHandler(errors)
    return report


def row_counts(database: Path) -> dict[str, int]:
    import sqlite3

    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in (
                "partnerships", "partnership_timeline", "checkins", "clinics", "member_expertise", "profiles",
                "partnership_areas", "partnership_co_owners", "clinic_credits",
            )
        }  # fmt: skip
    finally:
        connection.close()


def verdicts(report: dict[str, Any], baseline: dict[str, Any] | None) -> dict[str, Any]:
    """Each target of issue 8 and whether this run meets it (meaningful at movement size)."""
    scenarios = report["scenarios"]
    worst: dict[str, tuple[str, float]] = {}
    for name, result in scenarios.items():
        p99 = result["p99_ms"]
        if result["kind"] == "due_work" or p99 is None:
            continue
        bucket = (
            "search_p99_ms"
            if name in FAST_COMMANDS
            else "autocomplete_p99_ms"
            if result["kind"] == "autocomplete"
            else "command_p99_ms"
        )
        if bucket not in worst or p99 > worst[bucket][1]:
            worst[bucket] = (name, p99)
    checks: dict[str, Any] = {
        bucket: {"worst": name, "value": value, "target": TARGETS[bucket], "met": value <= TARGETS[bucket]}
        for bucket, (name, value) in worst.items()
    }
    start_up = report["start_up"]["ready_s"]
    checks["start_up_s"] = {"value": start_up, "target": TARGETS["start_up_s"], "met": start_up <= 2}
    peak = report["rss_mb"]["peak"]
    checks["peak_rss_mb"] = {"value": peak, "target": TARGETS["peak_rss_mb"], "met": peak <= 200}
    if baseline is not None:
        ratios = growth(baseline, report)
        if ratios:
            name, ratio = max(ratios.items(), key=lambda item: item[1])
            checks["growth"] = {"worst": name, "value": ratio, "target": TARGETS["growth"], "met": ratio < 3}
        report["growth_vs_" + baseline["size"]["name"]] = ratios
    return checks


def growth(smaller: dict[str, Any], larger: dict[str, Any]) -> dict[str, float]:
    """The p99 latency ratio per scenario, larger run over smaller."""
    ratios = {}
    for name, result in larger["scenarios"].items():
        before = smaller["scenarios"].get(name)
        if before and before.get("p99_ms") and result.get("p99_ms"):
            ratios[name] = round(result["p99_ms"] / before["p99_ms"], 2)
    return ratios


def git_commit() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def prepare_database(size: Size) -> Path:
    """The cached generated database; generated in a child process so its memory isn't ours."""
    path = generate.cache_path(size)
    if not path.exists():
        subprocess.run([sys.executable, "-m", "bench.generate", "--size", size.name], check=True)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--iterations", type=int, help="per scenario (default: 200 at movement, 100 at tenx)")
    parser.add_argument("--only", action="append", help="run just this scenario (repeatable)")
    parser.add_argument(
        "--output", type=Path, help="where to write the JSON (default: bench/results/<size>.json)"
    )
    arguments = parser.parse_args(argv)
    size = SIZES[arguments.size]
    database = prepare_database(size)
    output = arguments.output or RESULTS_DIR / f"{size.name}.json"
    log_file = output.with_suffix(".log")
    output.parent.mkdir(parents=True, exist_ok=True)
    setup_logging(secrets=[TOKEN])
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(log_file.open("w", encoding="utf-8"))  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory(prefix="bench-") as workdir:
        report = asyncio.run(
            run_benchmark(
                size,
                database,
                Path(workdir),
                iterations=arguments.iterations or ITERATIONS[size.name],
                warmup=WARMUP[size.name],
                only=arguments.only,
            )
        )
    report = {
        "size": {
            "name": size.name,
            "rows": row_counts(database),
            "database_mb": round(database.stat().st_size / 2**20),
        },
        "machine": machine(),
        "commit": git_commit(),
        "ran_at": datetime.now(UTC).isoformat(timespec="seconds"),
        **report,
    }
    baseline_path = RESULTS_DIR / "movement.json"
    baseline = (
        json.loads(baseline_path.read_text()) if size.name == "tenx" and baseline_path.exists() else None
    )
    report["targets"] = verdicts(report, baseline)
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    out = console("bench.run")
    out.info("wrote %s (the bot's log: %s)", output, log_file)
    for name, result in report["scenarios"].items():
        out.info(
            "%-45s p50 %8s ms  p99 %8s ms  %s", name, result["p50_ms"], result["p99_ms"], result["bugs"] or ""
        )
    out.info("%s", json.dumps(report["targets"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
