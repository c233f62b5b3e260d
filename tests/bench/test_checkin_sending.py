"""The check-in due work in the benchmark, at its small size: the tick claims every prompt made due
and the sender sends them all without a 429, and the results carry what the README shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.community import SIZES
from bench.generate import generate
from bench.report import checkin_lines
from bench.run import run_benchmark

SMALL = SIZES["small"]
CLAIM = "check-ins: tick with 10,000 due"
SENDING = "check-ins: sending the claimed prompts"


@pytest.fixture(scope="module")
def community_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "small.sqlite3"
    generate(SMALL, path)
    return path


async def test_the_tick_claims_what_is_due_and_the_sender_sends_it_all(
    community_file: Path, tmp_path: Path
) -> None:
    report = await run_benchmark(
        SMALL, community_file, tmp_path, iterations=1, warmup=0, only=[CLAIM, SENDING]
    )

    claim, sending = report["scenarios"][CLAIM], report["scenarios"][SENDING]
    # The small community has fewer than 10,000 partnerships: every open one with an owner present.
    assert claim["claimed"] == claim["due"] > 100
    assert (claim["bugs"], sending["bugs"]) == ([], [])
    assert sending["sent"] == sending["prompts"] > 0
    assert sending["prompts_per_second_configured"] == 5
    assert sending["rate_limited_429"] == 0
    # A prompt costs one or two requests (opening the DM channel, sending).
    assert sending["prompts"] <= sending["discord_requests"] <= 2 * sending["prompts"]
    assert 0 < sending["discord_requests_busiest_second"] <= sending["discord_requests"]

    report["size"] = {"name": "small"}
    claim_line, sending_line = checkin_lines(json.loads(json.dumps(report)))  # as read from the file
    assert claim_line.startswith(
        f"small: `{CLAIM}`: {claim['claimed']} prompts claimed and handed to the sender"
    )
    assert sending_line.startswith(
        f"small: `{SENDING}`: {sending['sent']} of {sending['prompts']} prompts sent"
    )
    assert sending_line.endswith("; 0 answered 429")
