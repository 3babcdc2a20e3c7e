"""`python -m bench.profile [--postgres URL]`: where a durable step's time goes, as bench/RESULTS.md keeps it.

Runs whole technical-support cases through the use cases (as B1 does) under pyinstrument and prints
the call tree's heaviest items, so a change to the hot path can be judged by more than one number.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pyinstrument import Profiler

from service.adapters.archive_store import DocumentStore

from .case_bench import prepared_context
from .throughput_bench import durable_case

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default=None, help="a PostgreSQL server to profile on instead of SQLite")
    parser.add_argument("--cases", type=int, default=10)
    args = parser.parse_args()
    with prepared_context(ROOT, args.postgres) as ctx:
        document = DocumentStore(ctx.settings.home).store_upload("基准".encode(), "bench.docx").reference
        for _ in range(2):  # warm: specs, forms, calendar
            durable_case(ctx, document)
        profiler = Profiler(interval=0.0005)
        with profiler:
            for _ in range(args.cases):
                durable_case(ctx, document)
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
