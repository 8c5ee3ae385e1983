"""Chunks read raw and decoded outside HDF5 (src-tauri/src/upload/direct.rs) give the same store,
byte for byte, as chunks read through libnetcdf (FERRY_DIRECT_CHUNKS=0), for the layouts NetCDF
files come in: shuffle + zlib, zlib alone, big-endian, tiled chunks cut by the Zarr chunks,
source chunks spanning several Zarr chunks, partial edge chunks, unwritten chunks, fletcher32, contiguous, netCDF-3, groups; and the store
equals its sources in xarray."""

import numpy as np
import pytest

from conftest import FIXTURES
from store_compare import compare


def make_files(folder):
    import netCDF4
    folder.mkdir()
    rng = np.random.default_rng(3)
    for k in range(3):
        with netCDF4.Dataset(folder / f"part{k}.nc", "w") as ds:
            ds.createDimension("time", None)
            ds.createDimension("lat", 45)
            ds.createDimension("lon", 70)
            t = ds.createVariable("time", "f8", ("time",))
            t.units, t.calendar = "hours since 2000-01-01", "standard"
            n = 5 + k  # files of unequal length: Zarr chunks straddle them
            t[:] = np.arange(n) + 100 * k
            ds.createVariable("lat", "f4", ("lat",))[:] = np.linspace(-44, 44, 45)
            ds.createVariable("lon", "f4", ("lon",))[:] = np.linspace(0, 345, 70)
            # Tiled chunks with partial edges, shuffle + zlib.
            a = ds.createVariable("tas", "f4", ("time", "lat", "lon"), zlib=True, shuffle=True, chunksizes=(2, 16, 30), fill_value=np.float32(1e20))
            a.units = "K"
            a[:] = (rng.normal(280, 5, (n, 45, 70))).astype("f4")
            # Big-endian packed integers, zlib without shuffle.
            b = ds.createVariable("pr", "i2", ("time", "lat", "lon"), zlib=True, shuffle=False, endian="big", chunksizes=(1, 45, 70))
            b.scale_factor, b.add_offset = 0.01, 5.0
            b.set_auto_maskandscale(False)
            b[:] = rng.integers(-3000, 3000, (n, 45, 70), dtype="i2")
            # Only part written: the other chunks hold the fill value.
            c = ds.createVariable("sparse", "f8", ("time", "lat", "lon"), zlib=True, chunksizes=(1, 20, 20), fill_value=-9.0)
            c[0, :20, :20] = rng.random((20, 20))
            # fletcher32 (not decoded raw: libnetcdf reads it).
            d = ds.createVariable("checked", "i4", ("time", "lat", "lon"), zlib=True, fletcher32=True, chunksizes=(1, 45, 70))
            d[:] = rng.integers(0, 1000, (n, 45, 70), dtype="i4")
            # Source chunks longer in time than the Zarr chunks, tiled: decoded once, kept for the next block.
            g = ds.createVariable("long", "f4", ("time", "lat", "lon"), zlib=True, shuffle=True, chunksizes=(n, 15, 35))
            g[:] = rng.random((n, 45, 70)).astype("f4")
            # Contiguous, no compression.
            e = ds.createVariable("orog", "f4", ("lat", "lon"), contiguous=True)
            e[:] = rng.random((45, 70)).astype("f4")
    return sorted(folder.glob("*.nc"))


def upload(ferry, monkeypatch, files, store, direct, *extra):
    monkeypatch.setenv("FERRY_DIRECT_CHUNKS", "1" if direct else "0")
    r = ferry("upload", *files, "--to", store, "--progress", "none", *extra)
    assert r.code == 0, r
    return {p.relative_to(store): p.read_bytes() for p in sorted(store.rglob("*")) if p.is_file()}


def same_stores(a, b):
    assert a.keys() == b.keys()
    differ = [k for k in a if a[k] != b[k]]
    assert not differ, f"objects differ: {differ[:5]}"


@pytest.mark.parametrize("fmt", [2, 3])
def test_generated_layouts(ferry, tmp_path, monkeypatch, fmt):
    files = make_files(tmp_path / "src")
    # Chunks of 4 steps (0.05 MB per chunk of tas): every Zarr chunk cuts source chunks.
    opts = ["--zarr-format", fmt, "--chunks", "time=4,lat=45,lon=70"]
    raw = upload(ferry, monkeypatch, files, tmp_path / "raw.zarr", True, *opts)
    via = upload(ferry, monkeypatch, files, tmp_path / "via.zarr", False, *opts)
    same_stores(raw, via)
    compare(tmp_path / "raw.zarr", files)


@pytest.mark.parametrize("name", ["A1B_by_year", "navy_winds_by_year", "NEMO"])
def test_real_datasets(ferry, tmp_path, monkeypatch, name):
    folder = {"NEMO": FIXTURES / "iris-sample-data" / "NEMO"}.get(name, FIXTURES / "derived" / name)
    files = sorted(p for p in folder.iterdir() if p.suffix in (".nc", ".cdf"))
    raw = upload(ferry, monkeypatch, files, tmp_path / "raw.zarr", True)
    via = upload(ferry, monkeypatch, files, tmp_path / "via.zarr", False)
    same_stores(raw, via)
