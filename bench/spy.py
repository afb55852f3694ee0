#!/usr/bin/env python
"""Where a page's time goes under gunicorn: py-spy samples every worker while wrk loads the
page as `make bench` does (same server, settings, data and URLs).

    python bench/spy.py "offer page, rotating"                 # page cache off, 20 s
    python bench/spy.py "catalog, rotating searches" --pagecache on --seconds 30
    python bench/spy.py "offer page, rotating" --under "published_offer" --depth 2

Prints the share of the workers' samples (only while they hold the GIL: Python work, not
waiting for PostgreSQL or the network) that each function takes with everything it calls,
and for ``--under PATTERN`` how that function's share splits among what it calls. The raw
stacks stay in ``bench/spy-<page>.txt`` (py-spy's collapsed format, for a flame graph).
``bench/costs.py`` counts the same work in process, deterministically; this shows what
gunicorn adds. py-spy needs the right to trace processes (root, or ptrace allowed).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402 (stdlib only at import)

#: Path prefixes dropped from frame names to keep them short.
NOISE = re.compile(r"\s*\((?:\S*/site-packages/|\S*/python3\.\d+/|" + re.escape(str(ROOT)) + "/)")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", help="a page name of bench/targets.py, e.g. 'offer page, rotating'")
    parser.add_argument("--pagecache", choices=("on", "off"), default="off")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--top", type=int, default=40, help="functions listed")
    parser.add_argument("--under", default="", help="split this function's share (a regex)")
    parser.add_argument("--depth", type=int, default=1, help="levels shown below --under")
    return parser.parse_args()


def stacks(path: Path):
    """(frames, samples) for each line of py-spy's collapsed output."""
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        yield [NOISE.sub(" (", frame) for frame in stack.split(";")], int(count)


def summary(path: Path, top: int, under: str, depth: int) -> None:
    inclusive, below, total = Counter(), Counter(), 0
    for frames, count in stacks(path):
        total += count
        for frame in set(frames):
            inclusive[frame] += count
        hits = [i for i, f in enumerate(frames) if under and re.search(under, f)]
        if hits:
            rest = frames[hits[0] + 1 : hits[0] + 1 + depth]
            below[" > ".join(rest) or "(itself)"] += count
    if not total:
        raise SystemExit("py-spy recorded no samples (is tracing allowed?)")
    print(f"{total} samples; share of all with everything called (gunicorn's loop left out):")
    shown = [(f, n) for f, n in inclusive.most_common() if n / total < 0.97]
    for frame, count in shown[:top]:
        print(f"{count / total:6.1%}  {frame}")
    if under:
        print(f"\nBelow {under!r}:")
        for frame, count in below.most_common(top):
            print(f"{count / total:6.1%}  {frame}")


def main() -> int:
    args = parse_args()
    env = run.env_for_server()
    env["PAGECACHE_ENABLED"] = "true" if args.pagecache == "on" else "false"
    pages = run.prepare(env)["pages"]
    page = next((p for p in pages if p["name"] == args.page), None)
    if page is None:
        raise SystemExit(f"No page {args.page!r}; pages: {', '.join(p['name'] for p in pages)}")
    spy = Path(sys.executable).with_name("py-spy")
    out = ROOT / "bench" / f"spy-{re.sub(r'[^a-z]+', '-', args.page.lower()).strip('-')}.txt"
    port = run.free_port()
    server = run.start_server(env, port)
    base = f"http://127.0.0.1:{port}"
    extra = run.wrk_env(page, base)
    try:
        run.run_wrk(base + page["path"], 3, 8, extra)  # connections and per-process state warm
        command = [str(spy), "record", "--pid", str(server.pid), "--subprocesses", "--gil"]
        command += ["--nonblocking", "--rate", "200", "--duration", str(args.seconds)]
        command += ["--format", "raw", "--output", str(out)]
        recorder = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(1)  # attached to every worker before the load starts
        stats = run.run_wrk(base + page["path"], max(2, args.seconds - 2), 8, extra)
        _, errors = recorder.communicate(timeout=args.seconds + 30)
        if recorder.returncode:
            raise SystemExit(f"py-spy failed: {errors.decode(errors='replace')}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        run.purge_queue(env)
    print(f"{args.page}, page cache {args.pagecache}: {stats['rps']:.0f} req/s while sampled\n")
    summary(out, args.top, args.under, args.depth)
    print(f"\nRaw stacks: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
