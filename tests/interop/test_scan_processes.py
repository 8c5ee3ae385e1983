"""Many files are read by several processes (`ferry __read-headers` helpers, one per core): the
answer must be the same, byte for byte, as one process reading them all — including files that
fail, a NaN in a coordinate and attributes JSON cannot hold exactly."""

import os
import subprocess

import numpy as np
import pytest


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    import netCDF4
    d = tmp_path_factory.mktemp("many")
    for i in range(240):
        with netCDF4.Dataset(d / f"f{i:04d}.nc", "w") as ds:
            ds.createDimension("time", None)
            ds.createDimension("x", 4)
            t = ds.createVariable("time", "f8", ("time",))
            t.units, t.calendar = "days since 2000-01-01", "noleap"
            t[:] = [i]
            x = ds.createVariable("x", "f4", ("x",))
            x[:] = [0, 1, np.nan, 3]  # NaN in a coordinate
            v = ds.createVariable("v", "f4", ("time", "x"), fill_value=np.float32(np.nan))
            v.big = np.uint64(2**63 + 1)
            v.weird = np.array([np.inf, -0.0])
            v[0] = np.arange(4)
    # Failures spread over the shares: a truncated file and a text file named .nc.
    (d / "f0100.nc").write_bytes((d / "f0100.nc").read_bytes()[:600])
    (d / "f0200.nc").write_text("not netcdf\n")
    return d


def run(ferry_bin, folder, processes):
    env = {**os.environ, "FERRY_SCAN_PROCESSES": str(processes)}
    return subprocess.run([ferry_bin, "inspect", "--json", folder], capture_output=True, text=True, env=env)


def test_several_processes_answer_like_one(ferry_bin, many):
    one = run(ferry_bin, many, 1)
    # Two bad files: the merge reports them (exit 1), and still describes the rest.
    assert one.returncode == 1 and one.stdout.startswith("{"), one.stderr
    for n in (2, 3, 7):
        got = run(ferry_bin, many, n)
        assert (got.returncode, got.stderr) == (one.returncode, one.stderr)
        assert got.stdout == one.stdout, f"{n} processes answer differently from one"
    assert "f0100.nc" in one.stdout and "f0200.nc" in one.stdout  # the failures are named


def test_the_helper_answers_on_its_own(ferry_bin, many):
    """The hidden helper subcommand: NUL-separated paths in, one JSON answer per file out, in order."""
    files = sorted(many.glob("*.nc"))[:3]
    p = subprocess.run([ferry_bin, "__read-headers"], input=b"\0".join(bytes(f) for f in files), capture_output=True)
    assert p.returncode == 0
    lines = p.stdout.decode().splitlines()
    assert len(lines) == 3 and all(l.startswith('{"Ok"') for l in lines), lines
