"""The README's results table, from the committed results (movement and ten times the movement).

.venv/bin/python -m bench.report
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bench.console import console

RESULTS_DIR = Path(__file__).with_name("results")


def load(name: str) -> dict[str, Any] | None:
    path = RESULTS_DIR / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _cell(result: dict[str, Any] | None, key: str) -> str:
    value = None if result is None else result.get(key)
    return "–" if value is None else f"{value:g}"


def _growth(result: dict[str, Any], other: dict[str, Any] | None, key: str) -> str:
    if other and result.get(key) and other.get(key):
        return f"{other[key] / result[key]:.2f}×"
    return "–"


def table(movement: dict[str, Any], tenx: dict[str, Any] | None) -> str:
    """Both sizes' p50 and p99 per scenario, and the growth of each (tenx over movement): p99 is
    the issue's measure; p50, the typical answer, shows when a few slow samples decide p99."""
    lines = [
        "| scenario | kind | movement p50 | movement p99 | tenx p50 | tenx p99"
        " | growth (p99) | growth (p50) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, result in movement["scenarios"].items():
        other = tenx["scenarios"].get(name) if tenx else None
        lines.append(
            f"| `{name}` | {result['kind']} | {_cell(result, 'p50_ms')} | {_cell(result, 'p99_ms')}"
            f" | {_cell(other, 'p50_ms')} | {_cell(other, 'p99_ms')}"
            f" | {_growth(result, other, 'p99_ms')} | {_growth(result, other, 'p50_ms')} |"
        )
    return "\n".join(lines)


def summary(report: dict[str, Any]) -> str:
    start = report["start_up"]
    memory = report["rss_mb"]
    rows, size = report["size"]["rows"], report["size"]
    return (
        f"{size['name']}: {rows['partnerships']:,} partnerships, {rows['partnership_timeline']:,}"
        f" timeline entries, {rows['checkins']:,} check-ins, {rows['clinics']:,} clinics,"
        f" {size['database_mb']:,} MB; start-up {start['ready_s']} s (setup_hook {start['setup_hook_s']} s);"
        f" memory at ready {memory['ready']} MB, peak {memory['peak']} MB"
    )


def checkin_lines(report: dict[str, Any]) -> list[str]:
    """The check-in tick at 10,000 due and the sender's pace, from the scenarios that report them."""
    lines = []
    for name, result in report["scenarios"].items():
        if "claimed" in result:
            lines.append(
                f"{report['size']['name']}: `{name}`: {result['claimed']:,} prompts claimed and handed to the"
                f" sender in {result['p50_ms'] / 1000:.2f} s (p50), {result['p99_ms'] / 1000:.2f} s (p99)"
            )
        if "prompts_per_second_achieved" in result:
            lines.append(
                f"{report['size']['name']}: `{name}`: {result['sent']} of {result['prompts']} prompts sent at"
                f" {result['prompts_per_second_achieved']:g} a second (configured"
                f" {result['prompts_per_second_configured']}); {result['discord_requests']} Discord requests,"
                f" at most {result['discord_requests_busiest_second']} in any second (Discord allows 50);"
                f" {result['rate_limited_429']} answered 429"
            )
    return lines


def main() -> int:
    out = console("bench.report")
    movement, tenx = load("movement"), load("tenx")
    if movement is None:
        out.error("No bench/results/movement.json yet: run `python3 dev.py bench --size movement`.")
        return 1
    out.info("%s\n", table(movement, tenx))
    for report in filter(None, (movement, tenx)):
        out.info("- %s", summary(report))
    for report in filter(None, (movement, tenx)):
        for line in checkin_lines(report):
            out.info("- %s", line)
    machine = movement["machine"]
    out.info(
        "- machine: %s, %s cores, %s, Python %s, SQLite %s, discord.py %s, SimCord %s",
        machine["cpu"],
        machine["cores"],
        machine["os"],
        machine["python"],
        machine["sqlite"],
        machine["discord.py"],
        machine["simcord"],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
