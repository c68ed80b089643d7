#!/usr/bin/env python3
"""Slow clients against a running server (loopback only), and what a new reader sees.

Keeps SLOW clients connected for DURATION seconds: half drip a request body (a POST
/api/dashboard announcing 16,000 bytes, one byte every 2 s), half ask for a CSV and
never read it (a 4 KB receive buffer, so the server's writes stall at once). Each one
that the server cuts off (408, or closed) connects again, so the count holds. Meanwhile
a prober opens a new connection every 100 ms for /healthz and for the page, and times
each full answer. Prints one line per probe kind: count, p50, p99, max, failures; and
how many slow clients were cut and replaced.

    python3 bench/slow-clients.py http://127.0.0.1:3100 [--slow 1000] [--duration 30]
Used by bench/slow-clients.sh, which starts the release server first.
"""
import argparse
import asyncio
import resource
import socket
import time
import urllib.parse

DRIP_BODY = 16_000


class Tally:
    def __init__(self):
        self.connected = 0
        self.peak = 0
        self.cut = 0
        self.refused = 0

    def up(self):
        self.connected += 1
        self.peak = max(self.peak, self.connected)

    def down(self):
        self.connected -= 1


async def drip(host, port, stop, tally):
    """POSTs a body one byte every 2 s until the server answers or closes; again."""
    head = (
        f"POST /api/dashboard HTTP/1.1\r\nHost: {host}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {DRIP_BODY}\r\n\r\n"
    ).encode()
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            tally.refused += 1
            await asyncio.sleep(0.5)
            continue
        tally.up()
        try:
            writer.write(head)
            await writer.drain()
            while not stop.is_set():
                writer.write(b"s")
                await writer.drain()
                try:
                    await asyncio.wait_for(reader.read(4096), timeout=2.0)
                    tally.cut += 1  # an answer (408) or the close: cut off
                    break
                except asyncio.TimeoutError:
                    continue
        except OSError:
            tally.cut += 1
        finally:
            tally.down()
            writer.close()


async def stall(host, port, path, stop, tally, hold):
    """Asks for `path` and reads nothing for `hold` seconds; then again."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.setblocking(False)
        try:
            await loop.sock_connect(sock, (host, port))
        except OSError:
            tally.refused += 1
            sock.close()
            await asyncio.sleep(0.5)
            continue
        tally.up()
        try:
            request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
            await loop.sock_sendall(sock, request)
            try:
                await asyncio.wait_for(stop.wait(), timeout=hold)
            except asyncio.TimeoutError:
                pass
            tally.cut += 1
        except OSError:
            tally.cut += 1
        finally:
            tally.down()
            sock.close()


async def fetch(host, port, path):
    """One request on a new connection, read to its end; (seconds, status)."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: br\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        await writer.drain()
        status_line = await reader.readline()
        while await reader.read(65536):
            pass
        status = int(status_line.split()[1]) if status_line else 0
        return time.perf_counter() - started, status
    finally:
        writer.close()


async def probe(host, port, path, stop, times, failures):
    while not stop.is_set():
        try:
            seconds, status = await asyncio.wait_for(fetch(host, port, path), timeout=10)
            if status == 200:
                times.append(seconds)
            else:
                failures.append(status)
        except (OSError, asyncio.TimeoutError) as e:
            failures.append(type(e).__name__)
        await asyncio.sleep(0.1)


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--slow", type=int, default=1000)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--page", default="/?symbol=TSLA")
    parser.add_argument("--csv", default="/prices.csv?symbol=TSLA")
    parser.add_argument("--hold", type=float, default=12, help="a stalled reader's wait")
    args = parser.parse_args()
    url = urllib.parse.urlsplit(args.base)
    host, port = url.hostname, url.port or 80

    # The client's own sockets: as many open files as the machine allows this process.
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    stop = asyncio.Event()
    tally = Tally()
    slow = []
    for i in range(args.slow):
        if i % 2 == 0:
            slow.append(asyncio.create_task(drip(host, port, stop, tally)))
        else:
            slow.append(asyncio.create_task(stall(host, port, args.csv, stop, tally, args.hold)))
        if i % 100 == 99:
            await asyncio.sleep(0.05)
    ramp = time.perf_counter()
    while tally.connected < args.slow and time.perf_counter() - ramp < 10:
        await asyncio.sleep(0.1)
    print(f"==> {tally.connected} slow clients connected "
          f"({args.slow // 2} dripping bodies, {args.slow - args.slow // 2} reading nothing); "
          f"probing for {args.duration:.0f} s")

    probes = {"GET /healthz": "/healthz", f"GET {args.page}": args.page}
    results = {}
    tasks = []
    for label, path in probes.items():
        times, failures = [], []
        results[label] = (times, failures)
        tasks.append(asyncio.create_task(probe(host, port, path, stop, times, failures)))
    least = tally.connected
    deadline = time.perf_counter() + args.duration
    while time.perf_counter() < deadline:
        await asyncio.sleep(0.5)
        least = min(least, tally.connected)
    stop.set()
    await asyncio.gather(*tasks, *slow, return_exceptions=True)

    for label, (times, failures) in results.items():
        ms = sorted(t * 1000 for t in times)
        print(f"{label:<28} {len(ms):5d} answers  p50 {percentile(ms, 50):7.1f} ms  "
              f"p99 {percentile(ms, 99):7.1f} ms  max {ms[-1] if ms else float('nan'):7.1f} ms  "
              f"failures {len(failures)}{' ' + str(sorted(set(map(str, failures)))) if failures else ''}")
    print(f"slow clients: at least {least} connected while probing (peak {tally.peak}); "
          f"{tally.cut} ended (cut off by the server, or a reader's hold over) and replaced; "
          f"{tally.refused} connects refused")


if __name__ == "__main__":
    asyncio.run(main())
