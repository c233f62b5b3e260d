"""What a benchmark command reports to the person who ran it: plain lines on standard output,
through logging (the bot's own log lines go to a file during a run)."""

from __future__ import annotations

import logging
import sys


def console(name: str) -> logging.Logger:
    """A logger whose records are printed as they are, on standard output, and nowhere else."""
    logger = logging.getLogger(name)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger
