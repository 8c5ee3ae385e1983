#!/usr/bin/env python3
"""An HTTP/1.1 reverse proxy on loopback that injects network faults, for tests (python stdlib only).

It sits between Ferry and a test server (tests/servers/s3.py) and forwards every request byte for
byte: request line, headers (Host included, as the client sent it, so SigV4 signatures made for the
proxy's host:port still verify upstream), and the body (Content-Length or chunked). Responses come
back byte for byte too. Client connections are kept alive; each has its own upstream connection.

Faults, drawn from one seeded random stream in the order requests arrive:
  reset     close the client's connection without answering (RST), before or after reading the body
  slowdown  answer 503 SlowDown with an S3 XML error body (and Retry-After, if asked)
  delay     wait uniform(0, max) before forwarding
  outage    once: stop listening (connections are refused) and cut every open connection for N
            seconds, then listen again on the same port; after K requests, or by a call/SIGUSR1
  deny      after K requests, answer 403 AccessDenied to everything (a revoked key mid-upload)
  rules     any of these for the first requests whose "METHOD target" matches a regex

With tls=(cert, key) (--tls-cert/--tls-key) it listens for https and forwards plain http, as a
TLS-terminating load balancer in front of Ceph would. It counts the PUT bodies whose SigV4
x-amz-content-sha256 is UNSIGNED-PAYLOAD and those sent with their SHA-256 (counts "unsigned_puts",
"signed_puts").

    python3 tests/servers/fault_proxy.py --upstream http://127.0.0.1:PORT [--port 0] [--seed 1]
        [--reset 0.1] [--slowdown 0.1] [--retry-after 1] [--delay-ms 200]
        [--outage-after K --outage-seconds N] [--deny-after K] [--rule FAULT:REGEX ...] [--exit-on-stdin-eof]

The first line on stdout is the chosen port; then it runs until killed (or stdin closes, with
--exit-on-stdin-eof). SIGUSR1 starts an outage of --outage-seconds now. The fault counts go to
stderr at every outage and on exit.

From Python:
    with FaultProxy(s3.endpoint, seed=1, reset=0.1, slowdown=0.1, outage_after=40, outage_seconds=30) as p:
        p.endpoint, p.counts, p.outage(10), p.outage(None) (until p.up()), p.set(reset=0)
"""

import argparse
import ssl
import random
import re
import select
import signal
import socket
import struct
import sys
import threading
import time
from urllib.parse import urlsplit

SLOWDOWN_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>"
    "<Resource>{resource}</Resource><RequestId>fault-proxy-{n}</RequestId></Error>"
)
DENIED_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<Error><Code>AccessDenied</Code><Message>Access Denied</Message>"
    "<Resource>{resource}</Resource><RequestId>fault-proxy-{n}</RequestId></Error>"
)
MAX_HEAD = 64 << 10


class Closed(Exception):
    """The peer closed (or reset) the connection."""


def _rst(sock):
    """Close with a TCP reset, as a dying server or middlebox would."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class Reader:
    """Buffered reads from a socket that hand back the exact bytes read."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = bytearray()

    def _fill(self):
        data = self.sock.recv(1 << 16)
        if not data:
            raise Closed()
        self.buf += data

    def head(self):
        """Bytes up to and including the blank line; None on a clean EOF before any byte."""
        while True:
            i = self.buf.find(b"\r\n\r\n")
            if i >= 0:
                out = bytes(self.buf[: i + 4])
                del self.buf[: i + 4]
                return out
            if len(self.buf) > MAX_HEAD:
                raise ValueError("header section too large")
            try:
                self._fill()
            except Closed:
                if not self.buf:
                    return None
                raise

    def exact(self, n):
        while len(self.buf) < n:
            self._fill()
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def line(self):
        while True:
            i = self.buf.find(b"\r\n")
            if i >= 0:
                out = bytes(self.buf[: i + 2])
                del self.buf[: i + 2]
                return out
            if len(self.buf) > MAX_HEAD:
                raise ValueError("chunk line too long")
            self._fill()

    def chunked(self):
        """A chunked body, raw: size lines, data, trailers and the final blank line."""
        parts = []
        while True:
            size_line = self.line()
            parts.append(size_line)
            size = int(size_line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                while True:  # trailers, then the blank line
                    t = self.line()
                    parts.append(t)
                    if t == b"\r\n":
                        return b"".join(parts)
            parts.append(self.exact(size + 2))

    def until_close(self):
        parts = [bytes(self.buf)]
        self.buf.clear()
        while True:
            data = self.sock.recv(1 << 16)
            if not data:
                return b"".join(parts)
            parts.append(data)


def parse_head(head):
    """(start line parts, {lower-case name: value}) of a request or response head."""
    lines = head.decode("latin-1").split("\r\n")
    start = lines[0].split(" ", 2)
    headers = {}
    for l in lines[1:]:
        if ":" in l:
            k, v = l.split(":", 1)
            k = k.strip().lower()
            headers[k] = f"{headers[k]}, {v.strip()}" if k in headers else v.strip()
    return start, headers


def read_body(reader, headers, no_body=False):
    """The message body, raw, framed by Transfer-Encoding or Content-Length. (body, until_close)."""
    if no_body:
        return b"", False
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return reader.chunked(), False
    if "content-length" in headers:
        return reader.exact(int(headers["content-length"].split(",")[0])), False
    return None, True


def wants_close(version, headers):
    conn = headers.get("connection", "").lower()
    return "close" in conn or (version == "HTTP/1.0" and "keep-alive" not in conn)


class FaultProxy:
    FAULTS = ("resets", "slowdowns", "delays", "outages", "cut_by_outage", "denied", "targeted")

    def __init__(self, upstream, seed=0, reset=0.0, slowdown=0.0, retry_after=None, delay_ms=0.0,
                 outage_after=None, outage_seconds=30.0, deny_after=None, rules=(), host="127.0.0.1", port=0, log=None, tls=None):
        u = urlsplit(upstream if "://" in upstream else f"http://{upstream}")
        self.upstream = (u.hostname or "127.0.0.1", u.port or 80)
        self.host = host
        self.port = port
        self.rng = random.Random(seed)
        self.reset = reset
        self.slowdown = slowdown
        self.retry_after = retry_after
        self.delay_ms = delay_ms
        self.outage_after = outage_after
        self.outage_seconds = outage_seconds
        self.deny_after = deny_after
        # Targeted faults: {"match": regex on "METHOD target", "fault": "reset"|"slowdown"|"deny"|"outage",
        # "times": how many matching requests (default 1), "seconds": outage length}.
        self.rules = [{"times": 1, **r, "re": re.compile(r["match"])} for r in rules]
        self.log = log if log is not None else sys.stderr
        self.lock = threading.Lock()
        self.counts = {"requests": 0, "forwarded": 0, "unsigned_puts": 0, "signed_puts": 0, **{k: 0 for k in self.FAULTS}}
        self.tls = None
        if tls:
            self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls.load_cert_chain(*map(str, tls))
        self.outage_log = []  # [(started monotonic, ended monotonic or None)]
        self._conns = set()
        self._down_until = None  # monotonic time, or float('inf') until up()
        self._outage_done = False
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._listener = None
        self._thread = None

    # -- control ---------------------------------------------------------------------------------

    @property
    def endpoint(self):
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    def set(self, **kw):
        """Change fault settings while running (reset=, slowdown=, delay_ms=, deny_after=, ...)."""
        with self.lock:
            for k, v in kw.items():
                if not hasattr(self, k):
                    raise AttributeError(k)
                setattr(self, k, v)

    @property
    def down(self):
        return self._down_until is not None

    def outage(self, seconds=None):
        """Drop out now: refuse connections and cut the open ones, for `seconds` (None: until up())."""
        with self.lock:
            self._start_outage_locked(seconds)

    def up(self):
        """End an outage now."""
        with self.lock:
            if self._down_until is not None:
                self._down_until = time.monotonic()
        self._wake.set()

    def wait_up(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.down and (deadline is None or time.monotonic() < deadline):
            time.sleep(0.02)
        return not self.down

    def summary(self):
        c = self.counts
        outs = ", ".join(f"{(b or time.monotonic()) - a:.1f}s" for a, b in self.outage_log) or "-"
        return (f"fault_proxy: {c['requests']} requests, {c['forwarded']} forwarded, {c['resets']} resets, "
                f"{c['slowdowns']} 503 SlowDown, {c['delays']} delayed, {c['denied']} denied, "
                f"{c['outages']} outage(s) [{outs}] cutting {c['cut_by_outage']} connection(s), {c['targeted']} targeted")

    def _say(self, msg):
        if self.log:
            try:
                print(msg, file=self.log, flush=True)
            except (OSError, ValueError):
                pass

    def _start_outage_locked(self, seconds):
        if self._down_until is not None:
            return
        self._down_until = float("inf") if seconds is None else time.monotonic() + seconds
        self.counts["outages"] += 1
        self.outage_log.append([time.monotonic(), None])
        conns = list(self._conns)
        self.counts["cut_by_outage"] += len(conns)
        for s in conns:
            # shutdown wakes the connection's thread (it then closes with RST); closing here could
            # hand its descriptor number to another socket while that thread still uses it.
            try:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._wake.set()
        self._say(f"fault_proxy: outage for {'ever (until up())' if seconds is None else f'{seconds:g} s'}; " + self.summary())

    # -- lifecycle -------------------------------------------------------------------------------

    def _listen(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((self.host, self.port))
        s.listen(128)
        self.port = s.getsockname()[1]
        return s

    def start(self):
        self._listener = self._listen()
        self._thread = threading.Thread(target=self._accept_loop, name="fault-proxy-accept", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(5)
        with self.lock:
            for s in list(self._conns):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        self._say(self.summary())

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _accept_loop(self):
        while not self._stop.is_set():
            if self._down_until is not None:
                if self._listener is not None:
                    # Nothing listens: new connections are refused, queued ones reset.
                    self._listener.close()
                    self._listener = None
                now = time.monotonic()
                if now < self._down_until:
                    self._wake.wait(min(0.05, self._down_until - now))
                    self._wake.clear()
                    continue
                for _ in range(100):  # same port again (SO_REUSEADDR)
                    try:
                        self._listener = self._listen()
                        break
                    except OSError:
                        time.sleep(0.05)
                else:
                    self._say(f"fault_proxy: cannot listen on port {self.port} again")
                    return
                with self.lock:
                    self._down_until = None
                    self.outage_log[-1][1] = time.monotonic()
                self._say("fault_proxy: back up; " + self.summary())
                continue
            r, _, _ = select.select([self._listener], [], [], 0.05)
            if not r or self._down_until is not None:
                continue
            try:
                c, _ = self._listener.accept()
            except OSError:
                continue
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self._serve, args=(c,), name="fault-proxy-conn", daemon=True).start()
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    # -- one client connection -------------------------------------------------------------------

    def _decide(self, request_line):
        """Count the request and draw its fate: 'outage', 'deny', 'reset-early', 'reset', 'slowdown' or a delay."""
        with self.lock:
            if self._down_until is not None:
                return "outage", 0
            self.counts["requests"] += 1
            n = self.counts["requests"]
            for r in self.rules:
                if r["times"] > 0 and r["re"].search(request_line):
                    r["times"] -= 1
                    self.counts["targeted"] += 1
                    f = r["fault"]
                    if f == "outage":
                        self._start_outage_locked(r.get("seconds", self.outage_seconds))
                    else:
                        self.counts[{"reset": "resets", "slowdown": "slowdowns", "deny": "denied"}[f]] += 1
                    return f, n
            if self.outage_after is not None and not self._outage_done and n > self.outage_after:
                self._outage_done = True
                self._start_outage_locked(self.outage_seconds)
                return "outage", n
            if self.deny_after is not None and n > self.deny_after:
                self.counts["denied"] += 1
                return "deny", n
            x = self.rng.random()
            early = self.rng.random() < 0.5
            delay = self.rng.uniform(0, self.delay_ms) / 1000 if self.delay_ms else 0.0
            if x < self.reset:
                self.counts["resets"] += 1
                return ("reset-early" if early else "reset"), n
            if x < self.reset + self.slowdown:
                self.counts["slowdowns"] += 1
                return "slowdown", n
            if delay > 0:
                self.counts["delays"] += 1
            return delay, n

    def _serve(self, client):
        with self.lock:
            if self._down_until is not None:
                _rst(client)
                return
            self._conns.add(client)
        up = None
        rst = False
        raw = client  # the one outages cut
        try:
            if self.tls:
                client.settimeout(30)
                client = self.tls.wrap_socket(client, server_side=True)
                client.settimeout(None)
            rd = Reader(client)
            while True:
                head = rd.head()
                if head is None:
                    return
                (method, target, *rest), headers = parse_head(head)
                version = rest[0] if rest else "HTTP/1.1"
                fate, n = self._decide(f"{method} {target}")
                if method == "PUT" and "x-amz-content-sha256" in headers:
                    with self.lock:
                        self.counts["unsigned_puts" if headers["x-amz-content-sha256"] == "UNSIGNED-PAYLOAD" else "signed_puts"] += 1
                if fate in ("outage", "reset-early"):
                    rst = True
                    return
                if headers.get("expect", "").lower() == "100-continue":
                    client.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
                body, _ = read_body(rd, headers)
                body = body or b""
                if fate == "reset":
                    rst = True
                    return
                close_after = wants_close(version, headers)
                if fate in ("slowdown", "deny"):
                    status, xml = ("503 Slow Down", SLOWDOWN_XML) if fate == "slowdown" else ("403 Forbidden", DENIED_XML)
                    payload = xml.format(resource=target.split("?")[0], n=n).encode()
                    extra = ""
                    if fate == "slowdown" and self.retry_after is not None:
                        extra += f"Retry-After: {self.retry_after}\r\n"
                    if close_after:
                        extra += "Connection: close\r\n"
                    client.sendall(
                        f"HTTP/1.1 {status}\r\nContent-Type: application/xml\r\nContent-Length: {len(payload)}\r\n"
                        f"x-amz-request-id: fault-proxy-{n}\r\n{extra}\r\n".encode()
                        + payload
                    )
                    if close_after:
                        return
                    continue
                if fate:
                    time.sleep(fate)
                if self._down_until is not None:  # the outage began while this request waited
                    rst = True
                    return
                up, resp_close = self._forward(up, head, body, method, client)
                with self.lock:
                    self.counts["forwarded"] += 1
                if resp_close or close_after:
                    return
        except (OSError, Closed, ValueError):
            rst = True
        finally:
            with self.lock:
                self._conns.discard(raw)
            if up is not None:
                try:
                    up.close()
                except OSError:
                    pass
            if rst or self._down_until is not None:
                _rst(client)
            else:
                try:
                    client.close()
                except OSError:
                    pass

    def _forward(self, up, head, body, method, client):
        """Send one request upstream and relay the answer. Returns (upstream socket or None, close client?)."""
        for attempt in (0, 1):
            fresh = up is None
            if fresh:
                up = socket.create_connection(self.upstream, timeout=300)
                up.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            ur = Reader(up)
            try:
                up.sendall(head + body)
                rhead = ur.head()
                if rhead is None:
                    raise Closed()
            except (OSError, Closed):
                # A kept-alive upstream connection the server had closed: once more on a new one.
                try:
                    up.close()
                except OSError:
                    pass
                up = None
                if fresh or attempt:
                    raise
                continue
            break
        while True:
            (version, status, *_), rheaders = parse_head(rhead)
            code = int(status)
            if 100 <= code < 200 and code != 101:
                client.sendall(rhead)
                rhead = ur.head()
                if rhead is None:
                    raise Closed()
                continue
            no_body = method == "HEAD" or code in (204, 304)
            rbody, until_close = read_body(ur, rheaders, no_body)
            if until_close:
                rbody = ur.until_close()
            client.sendall(rhead + rbody)
            if until_close or wants_close(version, rheaders):
                up.close()
                return None, until_close
            return up, False


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--upstream", required=True, help="the server to forward to, e.g. http://127.0.0.1:9000")
    ap.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--reset", type=float, default=0.0, help="fraction of requests answered by a reset")
    ap.add_argument("--slowdown", type=float, default=0.0, help="fraction of requests answered 503 SlowDown")
    ap.add_argument("--retry-after", type=int, default=None, help="Retry-After seconds on the 503s")
    ap.add_argument("--delay-ms", type=float, default=0.0, help="delay others by uniform(0, this) ms")
    ap.add_argument("--outage-after", type=int, default=None, help="drop out once after this many requests")
    ap.add_argument("--outage-seconds", type=float, default=30.0, help="length of the outage (also for SIGUSR1)")
    ap.add_argument("--deny-after", type=int, default=None, help="answer 403 AccessDenied after this many requests")
    ap.add_argument("--rule", action="append", default=[], metavar="FAULT:REGEX",
                    help="reset|slowdown|deny|outage the first request whose 'METHOD target' matches (repeatable)")
    ap.add_argument("--tls-cert", help="listen for https with this certificate (PEM), forwarding plain http")
    ap.add_argument("--tls-key", help="the certificate's private key (PEM)")
    ap.add_argument("--exit-on-stdin-eof", action="store_true", help="stop when stdin closes (the parent died)")
    args = ap.parse_args(argv)
    p = FaultProxy(args.upstream, seed=args.seed, reset=args.reset, slowdown=args.slowdown, retry_after=args.retry_after,
                   delay_ms=args.delay_ms, outage_after=args.outage_after, outage_seconds=args.outage_seconds,
                   deny_after=args.deny_after, port=args.port, tls=(args.tls_cert, args.tls_key) if args.tls_cert else None,
                   rules=[{"fault": r.split(":", 1)[0], "match": r.split(":", 1)[1]} for r in args.rule]).start()
    print(p.port, flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    signal.signal(signal.SIGUSR1, lambda *_: threading.Thread(target=p.outage, args=(args.outage_seconds,), daemon=True).start())
    if args.exit_on_stdin_eof:
        threading.Thread(target=lambda: (sys.stdin.buffer.read(), done.set()), daemon=True).start()
    while not done.wait(0.5):
        pass
    p.stop()


if __name__ == "__main__":
    main()
