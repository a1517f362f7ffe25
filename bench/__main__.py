"""Run every benchmark and print its figures."""

from __future__ import annotations

from bench import console_start, core_turn


def main() -> None:
    """Print one line per benchmark."""
    core = core_turn.run()
    print(f"core turn: median {core['median_us']:.0f} µs, p99 {core['p99_us']:.0f} µs (target: median well under 1 ms)")
    start = console_start.run()
    print(
        f"console cold start to first reply: median {start['median_ms']:.0f} ms, max {start['max_ms']:.0f} ms "
        "(target: < 1500 ms)"
    )


if __name__ == "__main__":
    main()
