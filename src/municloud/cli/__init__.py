"""The ``municloud`` command (Typer + Rich).

Commands translate: parse arguments, call one service, print the answer in Japanese, and
map errors to exit codes (every :class:`municloud.errors.MuniError` → its message and
``[CODE]`` on stderr, exit 1; no traceback for an expected error).  No business rule or
query lives here.  Entry point: ``municloud = municloud.cli.main:app``.
"""
