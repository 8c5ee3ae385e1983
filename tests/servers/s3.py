#!/usr/bin/env python3
"""Start s3s-fs (an S3 server that checks SigV4 signatures) on a free loopback port, for tests.

    python3 tests/servers/s3.py --access-key A --secret-key S [--bucket b ...] [--dir DIR]

Prints the endpoint (http://127.0.0.1:PORT) as the first stdout line and the data folder as the
second, then runs until killed (or stdin closes, with --exit-on-stdin-eof); s3s-fs stops with it. Buckets are sub-folders of
the data folder (a temporary one unless --dir is given, removed on exit).

From Python: `with S3Server("A", "S", ["bucket"]) as s3: s3.endpoint, s3.dir`.
The binary is $S3S_FS, else s3s-fs on PATH, else ~/.cargo/bin/s3s-fs
(scripts/install-deps installs it: cargo install s3s-fs@0.14.1 --features binary --locked).
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time


def find_binary():
    """The s3s-fs executable, or None."""
    cand = [os.environ.get("S3S_FS"), shutil.which("s3s-fs"), os.path.expanduser("~/.cargo/bin/s3s-fs")]
    for c in cand:
        if c and os.access(c, os.X_OK):
            return c
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class S3Server:
    def __init__(self, access_key, secret_key, buckets=("bucket",), directory=None, binary=None):
        self.access_key = access_key
        self.secret_key = secret_key
        self.buckets = list(buckets)
        self.binary = binary or find_binary()
        if not self.binary:
            raise FileNotFoundError("s3s-fs is not installed: run scripts/install-deps (cargo install s3s-fs@0.14.1 --features binary --locked)")
        self._own_dir = directory is None
        self.dir = directory or tempfile.mkdtemp(prefix="ferry-s3-")
        self.proc = None
        self.endpoint = None

    def start(self, timeout=15):
        for b in self.buckets:
            os.makedirs(os.path.join(self.dir, b), exist_ok=True)
        # A port can be taken between our probe and s3s-fs's bind: try a few.
        for _ in range(5):
            port = free_port()
            self.proc = subprocess.Popen(
                [self.binary, "--host", "127.0.0.1", "--port", str(port),
                 "--access-key", self.access_key, "--secret-key", self.secret_key, self.dir],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                        self.endpoint = f"http://127.0.0.1:{port}"
                        return self
                except OSError:
                    time.sleep(0.05)
            err = b""
            if self.proc.poll() is None:
                self.proc.kill()
            else:
                err = self.proc.stderr.read() or b""
            self.proc.wait()
            last = err.decode(errors="replace")
        raise RuntimeError(f"s3s-fs did not start: {last}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._own_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--access-key", required=True)
    ap.add_argument("--secret-key", required=True)
    ap.add_argument("--bucket", action="append", help="a bucket to create (repeatable; default: bucket)")
    ap.add_argument("--dir", default=None, help="data folder (default: a temporary one, removed on exit)")
    ap.add_argument("--exit-on-stdin-eof", action="store_true", help="stop when stdin closes (the parent died)")
    args = ap.parse_args(argv)
    srv = S3Server(args.access_key, args.secret_key, args.bucket or ["bucket"], args.dir).start()
    print(srv.endpoint, flush=True)
    print(srv.dir, flush=True)

    def on_signal(*_):
        # Only ask s3s-fs to stop here: the main thread is waiting for it and cleans up after.
        if srv.proc.poll() is None:
            srv.proc.terminate()
        if args.exit_on_stdin_eof:  # the main thread is reading stdin, not waiting: stop here
            srv.stop()
            os._exit(0)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        if args.exit_on_stdin_eof:
            sys.stdin.buffer.read()  # returns at EOF: the parent closed our stdin, or died
        else:
            srv.proc.wait()
    finally:
        srv.stop()


if __name__ == "__main__":
    main()
