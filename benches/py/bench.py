#!/usr/bin/env python3
"""The Python runner of `cargo xtask bench`: BENCHMARKS.md's (py) workloads on asyncio
(stdlib) and uvloop, speaking the bench spec's runner contract (issue 4).

    bench.py run --workload NAME --mode st --runtime asyncio|uvloop --warmups W --samples S
    bench.py list

`run` sets the workload up once (the TCP server and connections), runs W warm-ups that
are not recorded, then S samples, and prints exactly one JSON line on stdout:
{"workload", "mode", "runtime", "status": "ok", "samples_ns": [...], "ops", and
"p99_ns" / "note" where they apply}. Anything else goes to stderr. A failure prints
status "error" with a "reason" and exits 1. Python runs mode `st` only. `--samples 0`
sets up, warms up, and prints an empty sample list (for the syscall subtraction).

Each sample runs as the main task of the event loop (`asyncio.Runner.run`), the way
the Rust runner's bench thread waits on a spawned task's handle; the body times itself
with time.perf_counter_ns from its start to the end of its work. A garbage collection
runs before each sample, outside the timing. asyncio holds tasks only weakly, so
fire-and-forget tasks are kept in a list for the duration of a sample (the documented
way to keep a task alive), which is the closest thing to a detached spawn.
"""

import argparse
import asyncio
import gc
import json
import math
import socket
import sys
import time

now = time.perf_counter_ns

SPAWN_MANY = 10_000
YIELD_TASKS = 200
YIELDS = 1_000
PAIRS = 1_000
CHAIN = 1_000
RING = 300
LAPS = 300
TIMERS = 10_000
CHURN = 100_000
ECHO_ROUND_TRIPS = 10_000
ECHO_SIZE = 64
CONNECTIONS = 50
ROUND_TRIPS_PER_CONNECTION = 1_000


class Workload:
    """A workload: operations per sample, an optional set-up (once per process), the
    timed body, and an optional tear-down. `body(state, extra)` returns the sample in
    ns; `extra` is a list where bodies that define a p99 append their latencies (the
    warm-ups get a list that is thrown away)."""

    def __init__(self, name, ops, body, note, setup=None, teardown=None, p99=False):
        self.name = name
        self.ops = ops
        self.body = body
        self.note = note
        self.setup = setup
        self.teardown = teardown
        self.p99 = p99


async def _empty():
    pass


async def spawn_many_local(_state, _extra):
    """1: inside a task, spawn 10,000 empty tasks, await all."""
    start = now()
    tasks = [asyncio.create_task(_empty()) for _ in range(SPAWN_MANY)]
    for t in tasks:
        await t
    return now() - start


async def _yielder():
    for _ in range(YIELDS):
        await asyncio.sleep(0)


async def yield_many(_state, _extra):
    """3: 200 tasks x 1,000 yields each."""
    start = now()
    tasks = [asyncio.create_task(_yielder()) for _ in range(YIELD_TASKS)]
    for t in tasks:
        await t
    return now() - start


async def ping_pong(_state, _extra):
    """4: 1,000 pairs: A spawns B; oneshot A->B, then B->A; a counter signals done."""
    start = now()
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    left = [PAIRS]
    keep = []

    async def b(from_a, to_a):
        await from_a
        to_a.set_result(None)

    async def a():
        to_b = loop.create_future()
        to_a = loop.create_future()
        keep.append(loop.create_task(b(to_b, to_a)))
        to_b.set_result(None)
        await to_a
        left[0] -= 1
        if left[0] == 0:
            done.set_result(None)

    for _ in range(PAIRS):
        keep.append(loop.create_task(a()))
    await done
    return now() - start


async def chained_spawn(_state, _extra):
    """5: a chain of 1,000 tasks, each spawns the next; the last signals done."""
    start = now()
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    keep = []

    def chain(n):
        if n == 0:
            done.set_result(None)
        else:
            keep.append(loop.create_task(link(n - 1)))

    async def link(n):
        chain(n)

    chain(CHAIN)
    await done
    return now() - start


async def channel_ring(_state, _extra):
    """6: 300 tasks in a ring of asyncio.Queue(maxsize=1); one token goes round 300
    laps, so each task forwards it 300 times (90,000 hops)."""
    start = now()
    queues = [asyncio.Queue(maxsize=1) for _ in range(RING)]

    async def node(i):
        inbox, outbox = queues[i], queues[(i + 1) % RING]
        for _ in range(LAPS):
            token = await inbox.get()
            await outbox.put(token + 1)

    tasks = [asyncio.create_task(node(i)) for i in range(RING)]
    await queues[0].put(0)
    for t in tasks:
        await t
    return now() - start


async def timers_10k(_state, lateness):
    """8: 10,000 tasks, task i sleeps 1 + i%10 ms; time until all are done, and each
    timer's lateness (wake time - (start + delay), 0 if early) for the p99."""

    async def sleeper(ms):
        begun = now()
        await asyncio.sleep(ms / 1000)
        lateness.append(max(0, now() - begun - ms * 1_000_000))

    start = now()
    tasks = [asyncio.create_task(sleeper(1 + i % 10)) for i in range(TIMERS)]
    for t in tasks:
        await t
    return now() - start


async def timer_churn(_state, _extra):
    """9: 100,000 x (create a 1 s sleep, poll once, drop). The asyncio.sleep(1)
    coroutine is driven by hand: send(None) polls it once (it files loop.call_later
    and yields its future), close() drops it (its `finally` cancels the TimerHandle).
    One loop turn at the end (sleep(0)) is timed too, so asyncio's deferred removal of
    cancelled handles from its heap is part of the sample."""
    start = now()
    for _ in range(CHURN):
        sleep = asyncio.sleep(1)
        sleep.send(None)
        sleep.close()
    await asyncio.sleep(0)
    return now() - start


def _nodelay(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


async def _echo(reader, writer):
    _nodelay(writer)
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def _echo_setup(connections):
    server = await asyncio.start_server(_echo, "127.0.0.1", 0, backlog=128)
    port = server.sockets[0].getsockname()[1]
    clients = []
    for _ in range(connections):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        _nodelay(writer)
        clients.append((reader, writer))
    return {"server": server, "clients": clients}


async def _echo_teardown(state):
    for _, writer in state["clients"]:
        writer.close()
        try:
            await writer.wait_closed()
        except ConnectionError:
            pass
    state["server"].close()
    await state["server"].wait_closed()


async def _tcp_latency_setup():
    return await _echo_setup(1)


async def tcp_echo_latency(state, _extra):
    """10: one connection, 10,000 round trips of 64 B, server in this process."""
    reader, writer = state["clients"][0]
    msg = b"x" * ECHO_SIZE
    start = now()
    for _ in range(ECHO_ROUND_TRIPS):
        writer.write(msg)
        await writer.drain()
        await reader.readexactly(ECHO_SIZE)
    return now() - start


async def _tcp_throughput_setup():
    return await _echo_setup(CONNECTIONS)


async def _round_trips(reader, writer, msg, latencies):
    size = len(msg)
    for _ in range(ROUND_TRIPS_PER_CONNECTION):
        sent = now()
        writer.write(msg)
        await writer.drain()
        await reader.readexactly(size)
        latencies.append(now() - sent)


def _throughput(size):
    async def body(state, latencies):
        msg = b"x" * size
        start = now()
        tasks = [
            asyncio.create_task(_round_trips(r, w, msg, latencies))
            for r, w in state["clients"]
        ]
        for t in tasks:
            await t
        return now() - start

    body.__doc__ = f"11: 50 connections x 1,000 round trips of {size} B; p99 round trip."
    return body


_STREAMS = "asyncio streams, TCP_NODELAY; "

WORKLOADS = [
    Workload("spawn_many_local", SPAWN_MANY, spawn_many_local,
             "asyncio.create_task x 10,000, then await each"),
    Workload("yield_many", YIELD_TASKS * YIELDS, yield_many, "await asyncio.sleep(0)"),
    Workload("ping_pong", PAIRS, ping_pong,
             "loop.create_future() as the oneshots and the done signal"),
    Workload("chained_spawn", CHAIN, chained_spawn,
             "loop.create_task; a future signals done"),
    Workload("channel_ring", RING * LAPS, channel_ring,
             "asyncio.Queue(maxsize=1); one token, 300 laps of the 300-task ring"),
    Workload("timers_10k", TIMERS, timers_10k,
             "asyncio.sleep; p99 lateness of all timers of all samples", p99=True),
    Workload("timer_churn", CHURN, timer_churn,
             "sleep(1) coroutine: send(None) files call_later, close() cancels it; +1 loop turn"),
    Workload("tcp_echo_latency", ECHO_ROUND_TRIPS, tcp_echo_latency,
             _STREAMS + "1 connection made once per process",
             setup=_tcp_latency_setup, teardown=_echo_teardown),
    Workload("tcp_echo_throughput", CONNECTIONS * ROUND_TRIPS_PER_CONNECTION,
             _throughput(ECHO_SIZE),
             _STREAMS + "50 connections made once per process; p99 round trip",
             setup=_tcp_throughput_setup, teardown=_echo_teardown, p99=True),
    Workload("tcp_echo_throughput_1k", CONNECTIONS * ROUND_TRIPS_PER_CONNECTION,
             _throughput(1024),
             _STREAMS + "50 connections made once per process; p99 round trip",
             setup=_tcp_throughput_setup, teardown=_echo_teardown, p99=True),
]


def p99(values):
    """The nearest-rank 99th percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


def loop_factory(runtime):
    if runtime == "asyncio":
        return None
    if runtime == "uvloop":
        import uvloop  # noqa: PLC0415 (only when asked)

        return uvloop.new_event_loop
    raise ValueError(f"unknown runtime {runtime!r} (asyncio or uvloop)")


def run(workload, runtime, warmups, samples):
    """Runs one workload; returns the JSON line's fields."""
    factory = loop_factory(runtime)
    recorded = []
    extra = []
    with asyncio.Runner(loop_factory=factory) as runner:
        state = runner.run(workload.setup()) if workload.setup else None
        for i in range(warmups + samples):
            gc.collect()
            sink = extra if i >= warmups else []
            ns = runner.run(workload.body(state, sink))
            if i >= warmups:
                recorded.append(ns)
        if workload.teardown:
            runner.run(workload.teardown(state))
    line = {"status": "ok", "samples_ns": recorded, "ops": workload.ops, "note": workload.note}
    if workload.p99 and extra:
        line["p99_ns"] = max(0, p99(extra))
    return line


def main(argv):
    argv = [a for a in argv if a != "--bench"]
    parser = argparse.ArgumentParser(prog="bench.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="print the workload names, one a line, in table order")
    r = sub.add_parser("run", help="run one workload and print its JSON line")
    r.add_argument("--workload", required=True)
    r.add_argument("--mode", required=True)
    r.add_argument("--runtime", required=True)
    r.add_argument("--warmups", type=int, default=2)
    r.add_argument("--samples", type=int, default=15)
    args = parser.parse_args(argv)
    if args.command == "list":
        for w in WORKLOADS:
            print(w.name)
        return 0
    base = {"workload": args.workload, "mode": args.mode, "runtime": args.runtime}
    try:
        if args.mode != "st":
            raise ValueError(f"Python runs mode st only, not {args.mode!r}")
        workload = next((w for w in WORKLOADS if w.name == args.workload), None)
        if workload is None:
            raise ValueError(f"unknown workload {args.workload!r}")
        if args.warmups < 0 or args.samples < 0:
            raise ValueError("--warmups and --samples must not be negative")
        line = run(workload, args.runtime, args.warmups, args.samples)
    except Exception as e:  # noqa: BLE001 (every failure becomes the error line)
        print(f"bench.py: {args.workload} {args.runtime}: {e!r}", file=sys.stderr)
        print(json.dumps({**base, "status": "error", "reason": f"{type(e).__name__}: {e}"}))
        return 1
    print(json.dumps({**base, **line}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
