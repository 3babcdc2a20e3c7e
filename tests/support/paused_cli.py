"""The real `guicheng` command with a pause just before each unit of work commits, so a test can
kill the process inside the transaction: `python -m tests.support.paused_cli SECONDS ARGS…`."""

from __future__ import annotations

import sys
import time

from service import cli
from service.operations.context import AppContext, build_context


def main() -> None:
    delay, args = float(sys.argv[1]), sys.argv[2:]
    context = build_context()
    context.hooks.before_commit = lambda _step: time.sleep(delay)

    def paused_context() -> AppContext:
        return context

    cli._ctx = paused_context  # the command builds its context through this one function
    cli.main(args)


if __name__ == "__main__":
    main()
