"""Run every benchmark and print its figures."""

from __future__ import annotations

import sys

import psycopg

from bench import console_start, core_turn, line_faults, line_load, reminders, understanding


def main() -> None:
    """Print one line per benchmark."""
    print(understanding.report(understanding.run(verbose=True)))
    core = core_turn.run()
    print(f"core turn: median {core['median_us']:.0f} µs, p99 {core['p99_us']:.0f} µs (target: median well under 1 ms)")
    start = console_start.run()
    print(
        f"console cold start to first reply: median {start['median_ms']:.0f} ms, max {start['max_ms']:.0f} ms "
        f"(target: < 1500 ms); its RSS {start['rss_mb']:.0f} MB (target < 300 MB)"
    )
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    r = reminders.run(count)
    print(
        f"{count:,} stored reminders: start-up {r['startup_s']:.2f} s (target < 3 s), RSS {r['rss_mb']:.0f} MB "
        f"(target < 300 MB), next-due lookup {r['next_due_ms']:.3f} ms (target < 1 ms)"
    )
    print(f"dispatch to a zero-latency sender: {r['sends_per_s']:.0f} sends/s (target >= 2000)")
    print(
        f"with a rate limit of {r['limit_per_s']:.0f}/s: {r['limited_per_s']:.0f}/s "
        f"= {100 * r['limited_per_s'] / r['limit_per_s']:.0f}% (target >= 90%)"
    )
    # The bot against the bare SDK endpoint, one process and two worker processes, side by side.
    print(line_load.report(line_load.run(workers=2)))
    print(line_faults.report(line_faults.run()))
    from bench import storage_engines

    try:
        print(storage_engines.report(storage_engines.run()))
    except psycopg.OperationalError as exc:
        print(f"storage engines: skipped, PostgreSQL not reachable ({type(exc).__name__})")


if __name__ == "__main__":
    main()
