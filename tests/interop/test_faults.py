"""A bad network must not cost an upload: `ferry upload` to the loopback S3 server through
tests/servers/fault_proxy.py (connection resets, 503 SlowDown, delays, an endpoint that drops out)
finishes with a store that xarray reads equal to the sources; permanent errors stop at once; an
endpoint gone for longer than --network-wait stops the upload resumable, with a hint that works.

Stores are always checked through the real S3 server, never through the proxy."""

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from store_compare import compare

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "servers"))
from fault_proxy import FaultProxy  # noqa: E402
from s3 import S3Server, find_binary  # noqa: E402

KEY, SECRET = "faultkey", "faultsecret-0123456789"
BUCKET = "inbox"
# One object_store retry cycle (10 retries, jittered backoff from 100 ms): ~3 s typically, ~12 s
# at the 99th percentile. Ferry only looks at --network-wait between two such cycles.
RETRY_CYCLE = 15


def make_dataset(folder, days=24):
    """Daily 360x720 float32 files; with --target-chunk-mb 1, about 2 chunks a day (~50 puts)."""
    import netCDF4
    folder.mkdir(parents=True)
    rng = np.random.default_rng(7)
    for d in range(days):
        with netCDF4.Dataset(folder / f"d{d:03d}.nc", "w") as ds:
            ds.createDimension("time", None)
            ds.createDimension("lat", 360)
            ds.createDimension("lon", 720)
            t = ds.createVariable("time", "f8", ("time",))
            t.units, t.calendar = "days since 2001-01-01", "noleap"
            t[:] = [d]
            v = ds.createVariable("pr", "f4", ("time", "lat", "lon"), zlib=True, fill_value=np.float32(1e20))
            v.units = "kg m-2 s-1"
            v[0] = rng.random((360, 720), dtype=np.float32)
    return folder


def tree(root):
    root = Path(root)
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


class Upload:
    """One `ferry upload --progress json` run, output in files (no pipe to fill while we wait)."""

    def __init__(self, ferry_bin, src, store, endpoint, workdir, *extra, secret=SECRET, argv=None):
        self.store = store
        workdir.mkdir(parents=True, exist_ok=True)
        n = len(list(workdir.glob("out*.txt")))
        self.out_path, self.err_path = workdir / f"out{n}.txt", workdir / f"err{n}.txt"
        env = {**os.environ, "AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": secret, "FERRY_DATA_DIR": str(workdir / "data"), "RUST_BACKTRACE": "1"}
        self.argv = argv or [ferry_bin, "upload", str(src), "--to", f"s3://{BUCKET}/{store}", "--endpoint", endpoint,
                             "--progress", "json", "--target-chunk-mb", "1", "--concurrency", "4", *map(str, extra)]
        self.t0 = time.monotonic()
        with open(self.out_path, "w") as out, open(self.err_path, "w") as err:
            self.proc = subprocess.Popen(self.argv, stdout=out, stderr=err, env=env)

    def wait(self, timeout):
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            self.code = None
        else:
            self.code = self.proc.returncode
        self.seconds = time.monotonic() - self.t0
        text = self.out_path.read_text()
        lines = [json.loads(l) for l in text.splitlines() if l.startswith("{")]
        self.events = [l for l in lines if "phase" in l]
        self.summary = next((l["summary"] for l in lines if "summary" in l), None)
        self.stderr = self.err_path.read_text()
        self.stderr_lines = [l for l in self.stderr.splitlines() if l.strip()]
        return self

    def __repr__(self):
        return f"<{shlex.join(self.argv)} -> exit {self.code} after {self.seconds:.1f} s\nstderr: {self.stderr[-2000:]}>"


@pytest.fixture(scope="module")
def s3():
    if not find_binary():
        pytest.skip("s3s-fs is not installed (scripts/install-deps installs it)")
    with S3Server(KEY, SECRET, [BUCKET]) as srv:
        yield srv


@pytest.fixture(scope="module")
def src(tmp_path_factory):
    return make_dataset(tmp_path_factory.mktemp("faults") / "src")


@pytest.fixture(scope="module")
def reference(ferry_bin, s3, src, tmp_path_factory):
    """One upload through a proxy that injects nothing: the proxy forwards faithfully (SigV4 still
    verifies), and we learn how many requests an upload takes and what the store holds."""
    with FaultProxy(s3.endpoint, log=False) as proxy:
        u = Upload(ferry_bin, src, "ref.zarr", proxy.endpoint, tmp_path_factory.mktemp("ref")).wait(120)
        assert u.code == 0, u
        requests = proxy.counts["requests"]
    assert proxy.counts["forwarded"] == requests
    return {"requests": requests, "chunks": u.summary["chunks"], "tree": tree(Path(s3.dir) / BUCKET / "ref.zarr")}


def storage_options(s3):
    return {"storage_options": {"key": KEY, "secret": SECRET, "client_kwargs": {"endpoint_url": s3.endpoint}}}


def check_store(s3, src, store, reference):
    """Complete, byte-identical to the fault-free upload, and equal to the sources through xarray."""
    got = tree(Path(s3.dir) / BUCKET / store)
    assert ".ferry-upload.json" not in got, "the resume record is still in the finished store"
    assert got.keys() == reference["tree"].keys(), got.keys() ^ reference["tree"].keys()
    assert [k for k in got if got[k] != reference["tree"][k]] == []
    compare(f"s3://{BUCKET}/{store}", sorted(src.glob("*.nc")), store_kw=storage_options(s3))


def test_upload_rides_through_resets_slowdowns_and_an_outage(ferry_bin, s3, src, reference, tmp_path):
    outage_after = reference["requests"] // 3
    with FaultProxy(s3.endpoint, seed=20261125, reset=0.10, slowdown=0.10, retry_after=1, delay_ms=200,
                    outage_after=outage_after, outage_seconds=30) as proxy:
        u = Upload(ferry_bin, src, "faults.zarr", proxy.endpoint, tmp_path).wait(240)
        counts, outages = dict(proxy.counts), [list(o) for o in proxy.outage_log]
    print(proxy.summary(), f"upload {u.seconds:.1f} s")
    # The proxy really did its worst.
    assert counts["resets"] > 0 and counts["slowdowns"] > 0 and counts["delays"] > 0, counts
    assert counts["outages"] == 1 and outages[0][1] is not None and outages[0][1] - outages[0][0] >= 30, (counts, outages)
    # And Ferry got through it.
    assert u.code == 0, u
    assert u.summary["chunks"] == reference["chunks"] and u.summary["chunks_skipped"] == 0, u.summary
    assert any(e["waiting_for_network"] for e in u.events) or u.seconds >= 30, u
    check_store(s3, src, "faults.zarr", reference)


@pytest.mark.parametrize("how", ["wrong_secret", "revoked_mid_upload"])
def test_permanent_errors_stop_at_once(ferry_bin, s3, src, reference, tmp_path, how):
    """403 is not a network problem: no retrying, no waiting for the network (default 10 min)."""
    if how == "wrong_secret":
        with FaultProxy(s3.endpoint, log=False) as proxy:
            u = Upload(ferry_bin, src, "denied.zarr", proxy.endpoint, tmp_path, secret="not-the-secret").wait(60)
    else:  # the key stops working a third of the way through (the proxy answers 403 AccessDenied)
        with FaultProxy(s3.endpoint, deny_after=reference["requests"] // 3, log=False) as proxy:
            u = Upload(ferry_bin, src, "revoked.zarr", proxy.endpoint, tmp_path).wait(60)
    assert u.code == 1, u
    assert u.seconds < 10, u
    assert any(l.startswith("error[access_denied]") for l in u.stderr_lines[-2:]), u


def test_endpoint_gone_longer_than_network_wait_then_resume(ferry_bin, s3, src, reference, tmp_path):
    wait = 5
    with FaultProxy(s3.endpoint, outage_after=reference["requests"] // 3, outage_seconds=None, log=False) as proxy:
        u = Upload(ferry_bin, src, "gone.zarr", proxy.endpoint, tmp_path, "--network-wait", wait)
        u.wait(wait + 4 * RETRY_CYCLE)
        assert proxy.counts["outages"] == 1 and proxy.down, proxy.summary()
        gone_for = time.monotonic() - proxy.outage_log[0][0]
        print(f"stopped {gone_for:.1f} s after the endpoint went away (--network-wait {wait})")
        assert u.code == 1, u
        # The last lines say what happened and how to continue.
        error, hint = u.stderr_lines[-2:]
        assert error.startswith("error[store_unreachable]") and proxy.endpoint in error, u
        m = re.search(r"To continue where it stopped: (ferry .*--resume)\s*$", hint)
        assert hint.lstrip().startswith("hint:") and m, u
        assert any(e["waiting_for_network"] for e in u.events), u
        assert not (Path(s3.dir) / BUCKET / "gone.zarr" / ".zmetadata").exists()
        # It waited about --network-wait, not much longer.
        assert gone_for < wait + 1 + RETRY_CYCLE, (
            f"ferry stopped {gone_for:.1f} s after the endpoint went away; --network-wait {wait} plus one retry cycle "
            f"(<= {1 + RETRY_CYCLE} s) was expected")
        # The endpoint is back: the hint's own command finishes the store.
        proxy.up()
        assert proxy.wait_up(5)
        argv = shlex.split(m.group(1))
        r = Upload(ferry_bin, None, "gone.zarr", proxy.endpoint, tmp_path, argv=[ferry_bin, *argv[1:]]).wait(120)
    assert r.code == 0, r
    assert r.summary["chunks"] == reference["chunks"] and r.summary["chunks_skipped"] > 0, r.summary
    check_store(s3, src, "gone.zarr", reference)


# The faults below aim at one request each, where Ferry's own waiting does not reach.

def test_reset_on_the_final_cleanup_does_not_fail_a_finished_upload(ferry_bin, s3, src, reference, tmp_path):
    """The last request removes the resume record (S3 DeleteObjects, POST ?delete). One reset there
    must be retried like any other: every byte is already stored."""
    with FaultProxy(s3.endpoint, rules=[{"fault": "reset", "match": r"^(POST \S*\?delete|DELETE )"}], log=False) as proxy:
        u = Upload(ferry_bin, src, "cleanup.zarr", proxy.endpoint, tmp_path).wait(60)
        targeted = proxy.counts["targeted"]
    assert targeted == 1
    assert u.code == 0, u
    check_store(s3, src, "cleanup.zarr", reference)


def test_outage_while_consolidating_is_waited_for(ferry_bin, s3, src, reference, tmp_path):
    """--network-wait covers the whole upload, not just the chunks: a 10 s outage as the
    consolidated metadata (.zmetadata) goes up, with --network-wait 60, is ridden through."""
    with FaultProxy(s3.endpoint, rules=[{"fault": "outage", "match": r"^PUT \S*/\.zmetadata", "seconds": 10}], log=False) as proxy:
        u = Upload(ferry_bin, src, "consolidate.zarr", proxy.endpoint, tmp_path, "--network-wait", 60).wait(60 + 2 * RETRY_CYCLE)
        outages = proxy.counts["outages"]
    assert outages == 1
    assert u.code == 0, u
    check_store(s3, src, "consolidate.zarr", reference)


def test_ctrl_c_while_waiting_for_network_stops_promptly(ferry_bin, s3, src, reference, tmp_path):
    """Ctrl-C while the endpoint is gone: stop (resumable) within a retry cycle, not after --network-wait."""
    with FaultProxy(s3.endpoint, outage_after=reference["requests"] // 3, outage_seconds=None, log=False) as proxy:
        u = Upload(ferry_bin, src, "ctrlc.zarr", proxy.endpoint, tmp_path, "--network-wait", 60)
        deadline = time.monotonic() + 30
        while not proxy.down and time.monotonic() < deadline and u.proc.poll() is None:
            time.sleep(0.01)
        assert proxy.down, "the outage never started"
        time.sleep(2)
        assert u.proc.poll() is None, "ferry stopped before Ctrl-C"
        t = time.monotonic()
        u.proc.send_signal(signal.SIGINT)
        u.wait(RETRY_CYCLE)
        after = time.monotonic() - t
    assert u.code is not None, f"ferry was still running {after:.1f} s after Ctrl-C (killed): {u!r}"
    assert u.code == 1, u
    assert any(l.startswith("error[cancelled]") for l in u.stderr_lines[-2:]) and "--resume" in u.stderr_lines[-1], u
