"""Benchmarks at the movement's scale: a synthetic community generator and a runner that drives the
real bot through SimCord and reports bot-side latency, start-up time and peak memory."""
