"""Cross-cutting pieces of the bot, each in one place: config, clock, permissions, replies."""
