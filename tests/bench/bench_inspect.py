#!/usr/bin/env python3
"""Time `ferry inspect` against xarray's open_mfdataset on many small daily files.

    FERRY_BIN=.../debug/ferry bench_inspect.py [--files 365 1000] [--data DIR] [--repeat 3]

The files (1 daily step of a 10x20 float32 field, time/lat/lon, CF time, zlib) are
generated once and cached in --data (default /root/.cache/ferry-bench/inspect1000);
a run with fewer files uses a copy of the first N in DIR_firstN/, so each tool is given
a folder holding exactly N files.

Each measurement runs in its own child process, started by a one-shot wrapper, so the
peak RSS (getrusage RUSAGE_CHILDREN of that wrapper) belongs to that tool alone.
Times are the best of --repeat runs after one untimed warm-up (page cache warm for both).
xarray is timed twice: the open_mfdataset call alone, and its whole process
(interpreter start + imports + call), which is what a user waits for in a script.
Note: a debug build of ferry is much slower than a release build.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

DEFAULT_DATA = Path("/root/.cache/ferry-bench/inspect1000")

# Runs CMD in a child and prints {"wall": s, "maxrss_kb": kb, "rc": code} for that child only.
WRAPPER = r"""
import json, resource, subprocess, sys, time
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "maxrss_kb": ru.ru_maxrss, "rc": p.returncode,
                  "stdout": p.stdout.decode(errors="replace")[-2000:], "stderr": p.stderr.decode(errors="replace")[-2000:]}))
"""

# The xarray side: prints the open_mfdataset time, so import time can be told apart.
XARRAY = r"""
import glob, json, sys, time
import xarray as xr
files = sorted(glob.glob(sys.argv[1] + "/*.nc"))
t = time.perf_counter()
ds = xr.open_mfdataset(files, combine="by_coords", data_vars="minimal", coords="minimal",
                       compat="override", parallel=False)
call = time.perf_counter() - t
assert ds.sizes["time"] == len(files), ds.sizes
print(json.dumps({"call": call}))
"""


def generate(data, n):
    """Write files 0..n-1 into data (those already there are kept: the cache)."""
    import netCDF4

    data.mkdir(parents=True, exist_ok=True)
    lat = np.linspace(-45, 45, 10, dtype="f4")
    lon = np.linspace(0, 190, 20, dtype="f4")
    rng = np.random.default_rng(0)
    made = 0
    for i in range(n):
        path = data / f"tas_day_{i:05d}.nc"
        if path.exists():
            continue
        tmp = path.with_suffix(".tmp")  # never leave a half-written .nc in the cache
        with netCDF4.Dataset(tmp, "w", format="NETCDF4") as ds:
            ds.createDimension("time", None)
            ds.createDimension("lat", 10)
            ds.createDimension("lon", 20)
            t = ds.createVariable("time", "f8", ("time",))
            t.units, t.calendar, t.standard_name = "days since 2000-01-01", "standard", "time"
            t[:] = [float(i)]
            y = ds.createVariable("lat", "f4", ("lat",))
            y.units = "degrees_north"
            y[:] = lat
            x = ds.createVariable("lon", "f4", ("lon",))
            x.units = "degrees_east"
            x[:] = lon
            v = ds.createVariable("tas", "f4", ("time", "lat", "lon"), zlib=True, complevel=4)
            v.units, v.standard_name = "K", "air_temperature"
            v[:] = 280 + rng.standard_normal((1, 10, 20)).astype("f4")
        tmp.rename(path)
        made += 1
    if made:
        print(f"generated {made} files in {data}", file=sys.stderr)


def folder_for(data, n):
    """A folder holding exactly the first n files."""
    have = sorted(data.glob("*.nc"))
    if len(have) == n:
        return data
    sub = data.parent / f"{data.name}_first{n}"
    if len(list(sub.glob("*.nc"))) != n:
        shutil.rmtree(sub, ignore_errors=True)
        sub.mkdir(parents=True)
        for p in have[:n]:
            shutil.copy2(p, sub / p.name)
    return sub


def measure(cmd):
    out = subprocess.run([sys.executable, "-c", WRAPPER, *cmd], capture_output=True, text=True, check=True)
    r = json.loads(out.stdout)
    if r["rc"] != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r['stderr']}")
    return r


def bench(ferry, folder, repeat):
    xr_cmd = [sys.executable, "-c", XARRAY, str(folder)]
    ferry_cmd = [ferry, "inspect", str(folder), "--json"]  # stdout is captured and dropped
    measure(ferry_cmd)  # warm-up: page cache
    measure(xr_cmd)
    xr_runs = [measure(xr_cmd) for _ in range(repeat)]
    ferry_runs = [measure(ferry_cmd) for _ in range(repeat)]
    return {
        "xr_call": min(json.loads(r["stdout"])["call"] for r in xr_runs),
        "xr_proc": min(r["wall"] for r in xr_runs),
        "xr_mb": max(r["maxrss_kb"] for r in xr_runs) / 1024,
        "ferry": min(r["wall"] for r in ferry_runs),
        "ferry_mb": max(r["maxrss_kb"] for r in ferry_runs) / 1024,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, nargs="+", default=[365, 1000], metavar="N")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="cache folder for the generated files")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--ferry", default=os.environ.get("FERRY_BIN"), help="ferry binary (default: $FERRY_BIN)")
    args = ap.parse_args()
    if not args.ferry or not os.access(args.ferry, os.X_OK):
        sys.exit("set FERRY_BIN (or --ferry) to the ferry binary")

    generate(args.data, max(args.files))
    print(f"ferry: {args.ferry}   best of {args.repeat}, peak RSS per process")
    head = f"{'files':>6} {'xarray s':>9} {'(process)':>9} {'ferry s':>8} {'ratio':>6} {'xarray MB':>9} {'ferry MB':>8}"
    print(head)
    print("-" * len(head))
    for n in args.files:
        r = bench(args.ferry, folder_for(args.data, n), args.repeat)
        print(f"{n:>6} {r['xr_call']:>9.2f} {r['xr_proc']:>9.2f} {r['ferry']:>8.3f} "
              f"{r['xr_call'] / r['ferry']:>5.1f}x {r['xr_mb']:>9.0f} {r['ferry_mb']:>8.0f}", flush=True)
    print("ratio = xarray open_mfdataset call / whole ferry process")


if __name__ == "__main__":
    main()
