"""Command-line commands, one module per area; `bot.cli` wires them."""
