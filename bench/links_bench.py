"""Benchmark: `packman links` checking 500 URLs against a local HTTPS server that answers at once.

Run: .venv/bin/python bench/links_bench.py [--urls N] [--concurrency C] [--hosts H]

The server (asyncio, stdlib) listens on loopback addresses only (127.0.0.1, 127.0.0.2, ...)
under a throw-away CA from trustme, and answers every GET with 200 at once, so the figures
measure the checker: TLS handshakes, the pool, the pacing, the bookkeeping. Two runs:

- throughput: every URL on one host, no host delay; against the baseline of the same run,
  the time of one request (from a sequential run of 20) times N / concurrency;
- polite: the URLs spread over H hosts with the default host delay; against its floor,
  (URLs per host - 1) x delay, the least time the pacing allows.

Times depend on the machine and its load; compare the figures within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import ssl
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.queues import Queue
from pathlib import Path

import trustme

from bot.links import checker
from bot.links.settings import DEFAULTS, Settings
from bot.links.targets import Citation, Target
from bot.links.verdicts import Verdict

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
HOSTS = ["127.0.0.1"]
"""The host of the throughput run."""
CITED = (Citation("assessments/registries/bench.yml", "mfa-to-push"),)


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(ANSWER)
        await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
        pass
    finally:
        writer.close()


def _serve(hosts: list[str], cert_pem: bytes, key_pem: bytes, ports: Queue[int]) -> None:
    """The server process: every host on one port; it runs until it is terminated."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    with tempfile.TemporaryDirectory() as folder:
        cert, key = Path(folder, "cert.pem"), Path(folder, "key.pem")
        cert.write_bytes(cert_pem)
        key.write_bytes(key_pem)
        context.load_cert_chain(cert, key)
    loop = asyncio.new_event_loop()

    def start(host: str, port: int) -> asyncio.Server:
        serving = asyncio.start_server(_answer, host, port, ssl=context, backlog=1024)
        return loop.run_until_complete(serving)

    first = start(hosts[0], 0)
    port = first.sockets[0].getsockname()[1]
    for host in hosts[1:]:
        start(host, port)
    ports.put(port)
    loop.run_forever()


@contextmanager
def server(hosts: list[str], leaf: trustme.LeafCert) -> Iterator[int]:
    """Serve on every host from a process of its own (the client keeps a CPU); yield the port."""
    ports: Queue[int] = multiprocessing.Queue()
    chain = b"".join(blob.bytes() for blob in leaf.cert_chain_pems)
    child = multiprocessing.Process(
        target=_serve, args=(hosts, chain, leaf.private_key_pem.bytes(), ports), daemon=True
    )
    child.start()
    try:
        yield ports.get(timeout=30)
    finally:
        child.terminate()
        child.join()


def _targets(hosts: list[str], port: int, count: int) -> list[Target]:
    return [Target(f"https://{hosts[n % len(hosts)]}:{port}/page/{n}", CITED) for n in range(count)]


def _timed(found: list[Target], settings: Settings, trust: ssl.SSLContext) -> tuple[float, float]:
    """Wall time and the client's CPU time of one check; every URL must be ok."""
    start, cpu = time.perf_counter(), time.process_time()
    report = checker.check(found, settings, verify=trust)
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    if report.counts()[Verdict.OK] != len(found):
        raise SystemExit(f"not every URL was ok: {report.counts()}")
    return elapsed, used


def throughput(port: int, urls: int, concurrency: int, trust: ssl.SSLContext) -> None:
    """Every URL on one host without a delay, against one request x urls / concurrency."""
    one, _ = _timed(_targets(HOSTS[:1], port, 20), Settings(concurrency=1, host_delay=0), trust)
    per_request = one / 20
    fast = Settings(concurrency=concurrency, host_delay=0.0)
    elapsed, used = _timed(_targets(HOSTS[:1], port, urls), fast, trust)
    baseline = per_request * urls / concurrency
    print(f"one request (sequential, 20 of them): {per_request * 1000:.1f} ms")
    print(
        f"throughput: {urls} URLs, one host, concurrency {concurrency}, no delay: "
        f"{elapsed:.2f} s, {urls / elapsed:.0f} URLs/s; baseline {baseline:.2f} s "
        f"(one request x {urls} / {concurrency}), ratio {elapsed / baseline:.2f}; "
        f"client CPU {used:.2f} s ({used / urls * 1000:.1f} ms per URL: the floor on one core)"
    )


def polite(port: int, urls: int, hosts: list[str], trust: ssl.SSLContext) -> None:
    """The URLs over many hosts with the default host delay, against the floor it allows."""
    delay = DEFAULTS.host_delay
    elapsed, _ = _timed(_targets(hosts, port, urls), DEFAULTS, trust)
    per_host = -(-urls // len(hosts))
    floor = (per_host - 1) * delay
    print(
        f"polite: {urls} URLs over {len(hosts)} hosts, concurrency {DEFAULTS.concurrency}, "
        f"host delay {delay:g} s: {elapsed:.2f} s, {urls / elapsed:.0f} URLs/s; "
        f"floor {floor:.2f} s (({per_host} per host - 1) x {delay:g} s)"
    )


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--urls", type=int, default=500)
    options.add_argument("--concurrency", type=int, default=DEFAULTS.concurrency)
    options.add_argument("--hosts", type=int, default=50, help="hosts of the polite run")
    args = options.parse_args()
    ca = trustme.CA()
    hosts = [f"127.0.0.{n}" for n in range(1, args.hosts + 1)]
    trust = ssl.create_default_context()
    ca.configure_trust(trust)
    with server(hosts, ca.issue_cert(*hosts)) as port:
        throughput(port, args.urls, args.concurrency, trust)
        polite(port, args.urls, hosts, trust)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
