"""``python -m bench`` — run the benchmarks and print each figure beside its floor.

    python -m bench                       # every part: registry (1,000,000 residents) and certificates, SQLite
    python -m bench certificates          # just the certificates part
    python -m bench search --residents 100000  # paginated search + resident page only (also in registry)
    python -m bench portability           # export / import of the standard layout
    python -m bench tax --taxpayers 100000  # 個人住民税: the 当初賦課 of a whole city (default: --residents)
    python -m bench --residents 100000    # smaller
    python -m bench --database-url postgresql+psycopg://postgres@127.0.0.1:55432/postgres
"""

from __future__ import annotations

import argparse
import os
import platform as _platform
import time


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("parts", nargs="*", default=["registry", "certificates", "portability", "tax"],
                        help="registry (with search), certificates, portability, tax; search alone: search")
    parser.add_argument("--residents", type=int, default=int(os.environ.get("BENCH_RESIDENTS", 1_000_000)))
    parser.add_argument("--taxpayers", type=int, default=None, help="tax part: residents on 1 January (default: --residents)")
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--notifications", type=int, default=500)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--certificate-runs", type=int, default=30, help="warm runs per certificate figure")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="PostgreSQL server URL (a fresh database is created on it); default: SQLite files")
    args = parser.parse_args()
    print(f"municloud bench on {_platform.node()} ({os.cpu_count()} cores), {time.strftime('%Y-%m-%d %H:%M')}")
    reports = []
    for part in args.parts:
        if part == "registry":
            from bench import registry

            reports.append(registry.run(args.residents, args.database_url, args.searches, args.notifications, args.seed))
        elif part == "search":
            from bench import search

            reports.append(search.run(args.residents, args.database_url, args.searches, args.seed))
        elif part == "certificates":
            from bench import certificates

            reports.append(certificates.run(args.database_url, args.certificate_runs))
        elif part == "portability":
            from bench import portability

            reports.append(portability.run(args.residents, args.database_url, args.seed))
        elif part == "tax":
            from bench import tax

            reports.append(tax.run(args.taxpayers or args.residents, args.database_url, args.seed))
        else:
            parser.error(f"unknown part {part}")
    for report in reports:
        report.print()


if __name__ == "__main__":
    main()
