"""Never lose an upload: SIGKILL `ferry upload` at random points against the loopback S3 server,
resume each time, and end with a store byte-identical to an uninterrupted upload's that xarray
reads equal to the sources."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import FIXTURES
from store_compare import compare

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "servers"))
from s3 import S3Server, find_binary  # noqa: E402

KEY, SECRET = "resumekey", "resumesecret-0123456789"


def make_dataset(folder, days=30):
    """Daily 360x720 float32 files (1 MB each): small enough for CI, several chunks to kill an upload between."""
    import netCDF4
    folder.mkdir()
    rng = np.random.default_rng(1)
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
    """Every file under root (the s3s-fs bucket folder) with its bytes."""
    root = Path(root)
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def s3():
    if not find_binary():
        pytest.skip("s3s-fs is not installed (scripts/install-deps installs it)")
    with S3Server(KEY, SECRET, ["inbox"]) as srv:
        yield srv


def upload(ferry_bin, src, dest, endpoint, *extra):
    env = {**os.environ, "AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET, "FERRY_DATA_DIR": str(Path(src).parent / "data")}
    return subprocess.Popen(
        [ferry_bin, "upload", src, "--to", dest, "--endpoint", endpoint, "--progress", "json", "--target-chunk-mb", "18", "--concurrency", "2", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def test_sigkill_and_resume_ten_times(ferry_bin, s3, tmp_path):
    src = make_dataset(tmp_path / "src")
    # The reference: one uninterrupted upload.
    t0 = time.monotonic()
    p = upload(ferry_bin, src, "s3://inbox/ref.zarr", s3.endpoint)
    out, err = p.communicate(timeout=300)
    assert p.returncode == 0, err
    duration = time.monotonic() - t0
    total = [json.loads(l) for l in out.splitlines() if l.startswith("{")][-1]["summary"]["chunks"]

    rng = random.Random(20261125)
    kills = 0
    resumes = []
    first = True
    store = Path(s3.dir) / "inbox" / "cut.zarr"
    # Ten kills at random moments; then more until the cut store holds a chunk, so that the final
    # resume has something to skip (a fast upload can be killed before its first chunk).
    while kills < 10 or not any(not Path(k).name.startswith(".") and Path(k).name != "zarr.json" for k in tree(store)):
        p = upload(ferry_bin, src, "s3://inbox/cut.zarr", s3.endpoint, *([] if first else ["--resume"]))
        time.sleep(rng.uniform(0.02, duration * 0.9))
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            kills += 1
        out, err = p.communicate()
        events = [json.loads(l) for l in out.splitlines() if l.startswith("{") and "phase" in l]
        if events:
            resumes.append((events[-1]["chunks_done"], events[-1].get("chunks_skipped", 0)))
        first = False
        if p.returncode != 0 and (store / ".zmetadata").exists() and not (store / ".ferry-upload.json").exists():
            # Killed while exiting, after its last write: the store must be whole. Not an interruption.
            assert tree(store) == tree(Path(s3.dir) / "inbox" / "ref.zarr"), "a store that looks complete is not"
            kills -= 1
            p.returncode = 0
        if p.returncode == 0:
            first = True  # finished before the kill: start a fresh cut
            subprocess.run([ferry_bin, "rm", f"s3://inbox/cut.zarr", "--yes", "--endpoint", s3.endpoint],
                           env={**os.environ, "AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET}, check=True, capture_output=True)
        elif (store / ".zmetadata").exists():
            # The kill landed between the consolidated metadata and the record's removal: every
            # chunk is there, and the record still marks it for resume (which just finishes).
            assert tree(store).keys() - {".ferry-upload.json"} == tree(Path(s3.dir) / "inbox" / "ref.zarr").keys()
    p = upload(ferry_bin, src, "s3://inbox/cut.zarr", s3.endpoint, "--resume")
    out, err = p.communicate(timeout=300)
    assert p.returncode == 0, err
    summary = [json.loads(l) for l in out.splitlines() if l.startswith("{")][-1]["summary"]
    assert summary["chunks"] == total
    assert summary["chunks_skipped"] > 0, (resumes, summary)

    ref = tree(Path(s3.dir) / "inbox" / "ref.zarr")
    cut = tree(Path(s3.dir) / "inbox" / "cut.zarr")
    assert ref.keys() == cut.keys(), ref.keys() ^ cut.keys()
    differ = [k for k in ref if ref[k] != cut[k]]
    assert not differ, differ
    # And it is the dataset: xarray through S3, the catalog's way.
    compare("s3://inbox/cut.zarr", sorted(src.glob("*.nc")),
            store_kw={"storage_options": {"key": KEY, "secret": SECRET, "client_kwargs": {"endpoint_url": s3.endpoint}}})


def test_changed_source_is_named(ferry_bin, tmp_path):
    src = make_dataset(tmp_path / "src", days=30)
    dest = tmp_path / "out" / "s.zarr"
    env = {**os.environ, "FERRY_DATA_DIR": str(tmp_path / "data")}
    p = subprocess.Popen([ferry_bin, "upload", src, "--to", dest, "--progress", "none", "--target-chunk-mb", "1", "--concurrency", "1"], env=env)
    # Kill it once the upload record exists, i.e. once it is resumable.
    deadline = time.monotonic() + 30
    while not (dest / ".ferry-upload.json").exists() and time.monotonic() < deadline and p.poll() is None:
        time.sleep(0.002)
    p.send_signal(signal.SIGKILL)
    p.wait()
    if (dest / ".zmetadata").exists():
        pytest.skip("the upload finished before the kill")
    victim = src / "d003.nc"
    os.utime(victim, (time.time() + 60, time.time() + 60))
    r = subprocess.run([ferry_bin, "upload", src, "--to", dest, "--progress", "none", "--target-chunk-mb", "1", "--resume"], capture_output=True, text=True, env=env)
    assert r.returncode == 1
    assert "error[sources_changed]" in r.stderr and "d003.nc" in r.stderr, r.stderr
    r = subprocess.run([ferry_bin, "upload", src, "--to", dest, "--progress", "none", "--target-chunk-mb", "1", "--overwrite"], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    compare(dest, sorted(src.glob("*.nc")))
