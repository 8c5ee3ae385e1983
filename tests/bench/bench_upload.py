"""Benchmark: `ferry upload` against the xarray reference (open_mfdataset(...).to_zarr(...) under
dask, the same chunks and codec), side by side in one run, to a local folder and (with --s3) to a
loopback S3 server. Prints uncompressed MB/s, peak memory (RSS) and the ratios. Not a timed test.

    python tests/bench/bench_upload.py --ferry target/release/ferry [--days 48] [--s3] [--libnetcdf] [--processes 1 2 4]

--libnetcdf also times ferry with chunks read through libnetcdf on one thread (as before raw reads).

--scale 480 4800 also uploads 10x and 100x the data (2 GB, 20 GB; files made by copying the 48 days
and renumbering their time) to a local folder, Ferry only, and prints MB/s and peak memory per size:
the memory must not grow with the data (only this table is printed). Needs about 1.1x the raw size free on disk per size.

--processes also runs the upload split across N processes (`--init`, N concurrent `--part I/N`,
`--finalize`, as a SLURM job array would on N nodes) to the loopback S3 server, with smaller
chunks (--split-days per chunk) so that every part has work, and prints MB/s per N beside xarray's
single-process run at the same chunks.
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

DATA = Path(os.environ.get("FERRY_BENCH_DATA", Path.home() / ".cache/ferry-bench/up200"))

XARRAY_JOB = r"""
import sys, time, glob, xarray as xr, dask
from numcodecs import Zstd
files = sorted(glob.glob(sys.argv[1] + "/*.nc"))
dest, steps, fmt = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
opts = {}
if dest.startswith("s3://"):
    import s3fs
    fs = s3fs.S3FileSystem(key=sys.argv[5], secret=sys.argv[6], client_kwargs={"endpoint_url": sys.argv[7]})
    dest = s3fs.S3Map(dest[5:], s3=fs)
t = time.perf_counter()
ds = xr.open_mfdataset(files, combine="by_coords", data_vars="minimal", coords="minimal", compat="override")
ds = ds.chunk({"time": steps, "lat": -1, "lon": -1})
enc = {v: {"compressors": [Zstd(level=3)]} for v in ds.data_vars}
if fmt == 3:
    from zarr.codecs import ZstdCodec
    enc = {v: {"compressors": [ZstdCodec(level=3)]} for v in ds.data_vars}
ds.to_zarr(dest, mode="w", consolidated=True, zarr_format=fmt, encoding=enc)
print(time.perf_counter() - t)
"""


def make_data(days):
    """Daily files of a 720x1440 float32 field, CF time, NaN land mask, zlib (about 4.1 MB a day)."""
    import netCDF4
    DATA.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    lat = np.linspace(-89.875, 89.875, 720)
    lon = np.linspace(0.125, 359.875, 1440)
    land = rng.random((720, 1440)) < 0.3
    base = (280 + 20 * np.cos(np.deg2rad(lat))[:, None] + np.zeros((720, 1440))).astype("f4")
    for d in range(days):
        fn = DATA / f"tas_{d:03d}.nc"
        if fn.exists():
            continue
        with netCDF4.Dataset(fn, "w") as ds:
            ds.createDimension("time", None)
            ds.createDimension("lat", 720)
            ds.createDimension("lon", 1440)
            t = ds.createVariable("time", "f8", ("time",))
            t.units, t.calendar = "days since 2000-01-01", "standard"
            t[:] = [d]
            ds.createVariable("lat", "f8", ("lat",))[:] = lat
            ds.createVariable("lon", "f8", ("lon",))[:] = lon
            v = ds.createVariable("tas", "f4", ("time", "lat", "lon"), zlib=True, complevel=4, fill_value=np.float32(np.nan))
            v.units = "K"
            x = base + rng.normal(0, 2, (720, 1440)).astype("f4")
            x[land] = np.nan
            v[0] = x




def scaled_data(days):
    """`days` daily files: copies of the 48 base files with the time renumbered (fast to make)."""
    import netCDF4
    folder = DATA.parent / f"up{days}"
    folder.mkdir(parents=True, exist_ok=True)
    for d in range(days):
        fn = folder / f"tas_{d:05d}.nc"
        if fn.exists():
            continue
        part = folder / f".{fn.name}.part"
        shutil.copyfile(DATA / f"tas_{d % 48:03d}.nc", part)
        with netCDF4.Dataset(part, "a") as ds:
            ds["time"][0] = d
        part.rename(fn)
    return folder


def scale_table(a):
    print(f"\nferry to a local folder as the data grows ({os.cpu_count()} cores)")
    print(f"{'days':>6} {'GB':>6} {'seconds':>8} {'MB/s':>7} {'peak MB':>8}")
    for days in [a.days, *a.scale]:
        src = DATA if days == a.days else scaled_data(days)
        with tempfile.TemporaryDirectory(dir=DATA.parent) as tmp:
            w, rss = peak([a.ferry, "upload", src, "--to", Path(tmp) / "big.zarr", "--progress", "none"])
        mb = 720 * 1440 * 4 * days / 1e6
        print(f"{days:6d} {mb / 1e3:6.1f} {w:8.1f} {mb / w:7.1f} {rss:8.0f}", flush=True)


def peak(cmd, env=None):
    """Run cmd under /usr/bin/time -f '%M' to get its own peak RSS in MB."""
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", *map(str, cmd)], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{p.stderr[-3000:]}")
    rss_mb = int(p.stderr.strip().splitlines()[-1]) / 1024
    return wall, rss_mb


def start_s3(tmp):
    port = 19000 + os.getpid() % 1000
    root = Path(tmp) / "s3"
    (root / "bench").mkdir(parents=True)
    srv = subprocess.Popen([shutil.which("s3s-fs") or str(Path.home() / ".cargo/bin/s3s-fs"), "--host", "127.0.0.1", "--port", str(port), "--access-key", "benchkey", "--secret-key", "benchsecret", str(root)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    return srv, f"http://127.0.0.1:{port}"


def split_upload(ferry, dest, n, env, endpoint, chunk_mb):
    """init, n parts at once, finalize: wall time of the whole, peak RSS of the largest part."""
    base = [ferry, "upload", DATA, "--to", dest, "--progress", "none", "--endpoint", endpoint, "--target-chunk-mb", chunk_mb]
    t = time.perf_counter()
    subprocess.run([*map(str, base), "--init", "--parts", str(n)], check=True, env=env, capture_output=True)
    parts = [subprocess.Popen(["/usr/bin/time", "-f", "%M", *map(str, base), "--part", f"{i}/{n}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for i in range(1, n + 1)]
    rss = []
    for p in parts:
        _, err = p.communicate()
        if p.returncode != 0:
            sys.exit(f"part failed: {err[-2000:]}")
        rss.append(int(err.strip().splitlines()[-1]) / 1024)
    subprocess.run([*map(str, base), "--finalize"], check=True, env=env, capture_output=True)
    return time.perf_counter() - t, max(rss), sum(rss)


def processes_table(a, mb, tmp):
    srv, ep = start_s3(tmp)
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "benchkey", "AWS_SECRET_ACCESS_KEY": "benchsecret"}
    steps = a.split_days
    chunk_mb = steps * 720 * 1440 * 4 / 1e6 * 1.01  # ferry's plan then takes exactly `steps` days
    try:
        xw, xrss = peak([sys.executable, "-c", XARRAY_JOB, DATA, "s3://bench/xr-split.zarr", steps, a.fmt, "benchkey", "benchsecret", ep], env)
        rows = [(n, *split_upload(a.ferry, f"s3://bench/split{n}.zarr", n, env, ep, chunk_mb)) for n in a.processes]
    finally:
        srv.terminate()
    chunks = -(-a.days // steps)
    print(f"\nsplit upload to loopback S3, {mb:.0f} MB in {chunks} chunks of {steps} days, {os.cpu_count()} cores")
    print(f"{'processes':>9} {'seconds':>8} {'MB/s':>7} {'vs 1 process':>12} {'vs xarray':>9} {'peak MB/process':>15} {'peak MB all':>11}")
    print(f"{'xarray':>9} {xw:8.1f} {mb / xw:7.1f} {'':>12} {'':>9} {xrss:15.0f} {xrss:11.0f}")
    one = rows[0][1]
    for n, w, top, total in rows:
        print(f"{n:9d} {w:8.1f} {mb / w:7.1f} {one / w:11.2f}x {xw / w:8.2f}x {top:15.0f} {total:11.0f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ferry", required=True)
    ap.add_argument("--days", type=int, default=48)
    ap.add_argument("--s3", action="store_true")
    ap.add_argument("--fmt", type=int, default=2)
    ap.add_argument("--processes", type=int, nargs="*", default=[])
    ap.add_argument("--split-days", type=int, default=4)
    ap.add_argument("--only-processes", action="store_true", help="skip the single-process comparison")
    ap.add_argument("--scale", type=int, nargs="*", default=[], help="also upload this many days (copies of the 48) locally: memory vs size")
    ap.add_argument("--libnetcdf", action="store_true", help="also time ferry reading through libnetcdf on one thread (FERRY_DIRECT_CHUNKS=0 FERRY_READERS=1)")
    a = ap.parse_args()
    make_data(a.days)
    mb = 720 * 1440 * 4 * a.days / 1e6
    steps = 24  # ferry's plan for this grid at 100 MB per chunk; xarray gets the same
    rows = []
    slow = []
    if a.scale:
        scale_table(a)
        return
    if a.processes:
        with tempfile.TemporaryDirectory() as tmp:
            processes_table(a, mb, tmp)
        if a.only_processes:
            return
    with tempfile.TemporaryDirectory() as tmp:
        targets = [("local", Path(tmp) / "ferry.zarr", Path(tmp) / "xr.zarr", {})]
        srv = None
        if a.s3:
            srv, ep = start_s3(tmp)
            targets.append(("s3", "s3://bench/ferry.zarr", "s3://bench/xr.zarr", {"endpoint": ep}))
        try:
            for name, fdest, xdest, extra in targets:
                env = {**os.environ, "AWS_ACCESS_KEY_ID": "benchkey", "AWS_SECRET_ACCESS_KEY": "benchsecret"}
                fcmd = [a.ferry, "upload", DATA, "--to", fdest, "--progress", "none", "--zarr-format", a.fmt]
                if extra:
                    fcmd += ["--endpoint", extra["endpoint"]]
                fw, frss = peak(fcmd, env)
                if a.libnetcdf:
                    ldest = "s3://bench/ferry-libnetcdf.zarr" if extra else Path(tmp) / "ferry-libnetcdf.zarr"
                    lcmd = [ldest if c == fdest else c for c in fcmd]
                    lw, lrss = peak(lcmd, {**env, "FERRY_DIRECT_CHUNKS": "0", "FERRY_READERS": "1"})
                    slow.append((name, mb, lw, lrss))
                xcmd = [sys.executable, "-c", XARRAY_JOB, DATA, xdest, steps, a.fmt]
                if extra:
                    xcmd += ["benchkey", "benchsecret", extra["endpoint"]]
                xw, xrss = peak(xcmd, env)
                rows.append((name, mb, xw, xrss, fw, frss))
        finally:
            if srv:
                srv.terminate()
    print(f"{'target':6} {'MB':>6} {'xarray MB/s':>11} {'ferry MB/s':>10} {'speed ratio':>11} {'xarray peak MB':>14} {'ferry peak MB':>13} {'memory ratio':>12}")
    for name, mb, xw, xrss, fw, frss in rows:
        print(f"{name:6} {mb:6.0f} {mb / xw:11.1f} {mb / fw:10.1f} {xw / fw:10.2f}x {xrss:14.0f} {frss:13.0f} {frss / xrss:11.2f}x")
    for name, mb, lw, lrss in slow:
        print(f"{name:6} ferry through libnetcdf, one reader: {mb / lw:.1f} MB/s, {lrss:.0f} MB peak")


if __name__ == "__main__":
    main()
