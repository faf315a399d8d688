"""The notification benchmark (scripts/bench-notify.sh runs it): event-to-receiver latency and
deliveries per second of tapisd's webhooks, against an anchor measured in the same run: the same
receiver's answers to POSTs sent to it directly (the least an HTTP delivery can cost here).

A webhook receiver on loopback records each notification's arrival; the events are user events
(POST /v3/jobs/{uuid}/sendEvent) on jobs that wait behind a one-job quota, each job with its own
subscription (Tapis allows 10 deliveries per 5 s to one address, so every job has its own).
Latency is the arrival time less the event's own timestamp (taken when tapisd records it).
Standard library only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: str) -> None:
        super().__init__("localhost", timeout=60)
        self.path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


def call(socket_path: str, method: str, path: str, body: dict | None = None) -> dict:
    connection = UnixHTTPConnection(socket_path)
    data = None if body is None else json.dumps(body).encode()
    connection.request(method, path, body=data, headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    text = response.read()
    connection.close()
    if response.status >= 300:
        raise RuntimeError(f"{method} {path}: HTTP {response.status} {text[:300]!r}")
    return json.loads(text)


def timestamp(text: str) -> float:
    """Seconds since 1970 of a Tapis timestamp (2026-12-04T03:58:29.123Z)."""
    seconds, _, fraction = text.rstrip("Z").partition(".")
    return time.mktime(time.strptime(seconds, "%Y-%m-%dT%H:%M:%S")) - time.timezone + float("0." + (fraction or "0"))


class Receiver:
    def __init__(self) -> None:
        self.arrivals: list[tuple[float, dict]] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                now = time.time()
                if self.path.startswith("/hook/"):
                    with receiver.lock:
                        receiver.arrivals.append((now, json.loads(body)))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def anchor(port: int, count: int, threads: int, body: bytes) -> tuple[list[float], float]:
    """Direct POSTs to the receiver: each one's latency (one client, kept-alive), and the rate of `threads` clients."""
    latencies = []
    connection = http.client.HTTPConnection("127.0.0.1", port)
    for _ in range(count):
        start = time.perf_counter()
        connection.request("POST", "/anchor", body=body, headers={"Content-Type": "application/json"})
        connection.getresponse().read()
        latencies.append(time.perf_counter() - start)
    connection.close()

    def post(n: int) -> None:
        client = http.client.HTTPConnection("127.0.0.1", port)
        for _ in range(n):
            client.request("POST", "/anchor", body=body, headers={"Content-Type": "application/json"})
            client.getresponse().read()
        client.close()

    start = time.perf_counter()
    workers = [threading.Thread(target=post, args=(count // threads,)) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return latencies, (count // threads * threads) / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    work = Path(args.work)
    receiver = Receiver()

    sample = json.dumps({"uuid": "x" * 36, "event": {"data": "y" * 300}, "pad": "z" * 900}).encode()
    direct, direct_rate = anchor(receiver.port, args.events, args.clients, sample)
    direct_median, direct_p99 = statistics.median(direct) * 1000, percentile(direct, 99) * 1000
    print("== anchor: the receiver's answers to direct POSTs (http.client, loopback)")
    print(f"direct POST median ms: {direct_median:.2f}\ndirect POST p99 ms: {direct_p99:.2f}\ndirect POSTs/s ({args.clients} clients): {direct_rate:.0f}")

    socket_path = str(work / "tapisd.sock")
    config = work / "notify.yaml"
    config.write_text("webhookAllowedNetworks: [127.0.0.1]\nlogLevel: warning\n")
    log = open(work / "tapisd-notify.log", "ab")
    daemon = subprocess.Popen(
        [f"{args.bin}/tapisd", "--config", str(config), "--socket", socket_path, "--state-dir", str(work / "notify-state"),
         "--systems", str(work / "none"), "--apps", str(work / "none")],
        stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(200):
            if os.path.exists(socket_path):
                break
            time.sleep(0.05)
        app = json.loads(Path(subprocess.run([str(REPO / "etc/apps/hello/build.sh"), str(work / "notify-apps")],
                                             capture_output=True, text=True, check=True).stdout.strip()).read_text())
        app["id"], app["maxJobs"] = "notified", 1
        call(socket_path, "POST", "/v3/apps", app)
        uuids = []
        for index in range(args.jobs):
            job = call(socket_path, "POST", "/v3/jobs/submit", {
                "name": f"notified-{index}", "appId": "notified", "appVersion": "1.0",
                "parameterSet": {"envVariables": [{"key": "SLEEP_SECONDS", "value": "600"}]},
                "subscriptions": [{"eventCategoryFilter": "JOB_USER_EVENT", "deliveryTargets": [
                    {"deliveryMethod": "WEBHOOK", "deliveryAddress": f"http://127.0.0.1:{receiver.port}/hook/{index}"}]}],
            })
            uuids.append(job["result"]["uuid"])

        print(f"== 50 user events one at a time (each sent once the one before arrived)")
        quiet = []
        for index in range(50):
            before = len(receiver.arrivals)
            call(socket_path, "POST", f"/v3/jobs/{uuids[index % len(uuids)]}/sendEvent", {"eventData": "quiet", "eventDetail": "QUIET"})
            while len(receiver.arrivals) == before:
                time.sleep(0.0005)
            arrived, notification = receiver.arrivals[-1]
            quiet.append((arrived - timestamp(notification["event"]["timestamp"])) * 1000)
        with receiver.lock:
            receiver.arrivals.clear()
        print(f"event to receiver, one at a time, median ms: {statistics.median(quiet):.1f}")
        time.sleep(5)  # the quiet events' addresses leave the rate window

        per_job = max(1, args.events // args.jobs)
        targets = [uuid for uuid in uuids for _ in range(per_job)][: args.events]
        print(f"== {len(targets)} user events on {args.jobs} jobs (one subscription each), {args.clients} clients sending them")

        def send(share: list[str]) -> None:
            for uuid in share:
                call(socket_path, "POST", f"/v3/jobs/{uuid}/sendEvent", {"eventData": "bench", "eventDetail": "BENCH"})

        started = time.time()
        senders = [threading.Thread(target=send, args=(targets[i :: args.clients],)) for i in range(args.clients)]
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join()
        recorded = len(targets) / (time.time() - started)
        deadline = time.monotonic() + 300
        while len(receiver.arrivals) < len(targets) and time.monotonic() < deadline:
            time.sleep(0.05)
        arrivals = list(receiver.arrivals)
        if len(arrivals) < len(targets):
            print(f"only {len(arrivals)} of {len(targets)} notifications arrived", file=sys.stderr)
            return 1
        latencies = [(arrived - timestamp(n["event"]["timestamp"])) * 1000 for arrived, n in arrivals]
        span = max(arrived for arrived, _ in arrivals) - started
        median, p99 = statistics.median(latencies), percentile(latencies, 99)
        rate = len(arrivals) / span
        print(f"events recorded/s (the API's rate of sendEvent): {recorded:.0f}")
        print(f"event to receiver median ms: {median:.1f}\nevent to receiver p99 ms: {p99:.1f}\ndeliveries/s: {rate:.0f}")
        print(f"ratio median latency / direct POST: {median / direct_median:.1f}")
        print(f"ratio deliveries/s / direct POSTs/s: {rate / direct_rate:.2f}")
        for uuid in uuids:
            call(socket_path, "POST", f"/v3/jobs/{uuid}/cancel")
        time.sleep(2)
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
