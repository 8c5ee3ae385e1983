"""`ferry upload` to a local folder, Zarr v2 and v3: xarray opens the store with the
catalog's call and it equals the sources (store_compare.compare)."""

import json
import subprocess

import pytest
import zarr

from conftest import FIXTURES
from store_compare import compare

DATASETS = {
    "A1B_by_year": FIXTURES / "derived" / "A1B_by_year",
    "navy_winds_by_year": FIXTURES / "derived" / "navy_winds_by_year",
    "NEMO": FIXTURES / "iris-sample-data" / "NEMO",
}


def files_of(d):
    return sorted(p for p in d.iterdir() if p.suffix in (".nc", ".cdf"))


@pytest.mark.parametrize("fmt", [2, 3])
@pytest.mark.parametrize("name", ["A1B_by_year", "navy_winds_by_year"])
def test_multi_file_datasets(ferry, tmp_path, name, fmt):
    store = tmp_path / f"{name}.zarr"
    r = ferry("upload", DATASETS[name], "--to", store, "--zarr-format", fmt, "--progress", "none")
    assert r.code == 0, r
    compare(store, files_of(DATASETS[name]))
    if fmt == 2:
        meta = json.loads((store / ".zmetadata").read_text())
        assert meta["zarr_consolidated_format"] == 1
        for k, v in meta["metadata"].items():
            if k.endswith(".zattrs") and k != ".zattrs":
                assert "_ARRAY_DIMENSIONS" in v, k
                assert "_zarrs" not in v, k
    else:
        root = json.loads((store / "zarr.json").read_text())
        assert root["consolidated_metadata"]["kind"] == "inline"
        assert all("dimension_names" in m for m in root["consolidated_metadata"]["metadata"].values())
    # zarr-python reads it directly, consolidated.
    g = zarr.open_consolidated(str(store), zarr_format=fmt) if fmt == 2 else zarr.open_group(str(store), mode="r")
    assert len(list(g.array_keys())) > 0


def test_nemo_where_xarray_fails(ferry, tmp_path):
    """xarray's combine by coords fails on NEMO; Ferry orders by time_centered and the store holds all 3 months."""
    import xarray as xr
    store = tmp_path / "nemo.zarr"
    r = ferry("upload", DATASETS["NEMO"], "--to", store, "--progress", "none")
    assert r.code == 0, r
    ds = xr.open_dataset(store, engine="zarr", chunks={})
    assert ds.sizes["time_counter"] == 3
    t = ds["time_centered"].values
    assert list(t) == sorted(t)


@pytest.mark.parametrize("fmt", [2, 3])
def test_chunks_are_uniform_and_as_planned(ferry, tmp_path, fmt):
    src = DATASETS["A1B_by_year"]
    store = tmp_path / "a.zarr"
    r = ferry("upload", src, "--to", store, "--zarr-format", fmt, "--chunks", "time=10", "--progress", "none")
    assert r.code == 0, r
    g = zarr.open_group(str(store), mode="r", zarr_format=fmt)
    assert g["air_temperature"].chunks == (10, 37, 49)
    compare(store, files_of(src))


def test_existing_store_is_not_overwritten(ferry, tmp_path):
    src = DATASETS["A1B_by_year"]
    store = tmp_path / "a.zarr"
    assert ferry("upload", src, "--to", store, "--progress", "none").code == 0
    r = ferry("upload", src, "--to", store, "--progress", "none")
    assert r.code == 1 and "error[store_exists]" in r.stderr, r
    r = ferry("upload", src, "--to", store, "--progress", "none", "--overwrite")
    assert r.code == 0, r
    compare(store, files_of(src))


def test_progress_json_lines(ferry, tmp_path):
    r = ferry("upload", DATASETS["A1B_by_year"], "--to", tmp_path / "p.zarr", "--progress", "json")
    assert r.code == 0, r
    lines = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
    events = [l for l in lines if "phase" in l]
    assert events and events[-1]["phase"] == "done"
    assert events[-1]["chunks_done"] == events[-1]["chunks_total"] > 0
    assert "summary" in lines[-1]


def test_test_write_leaves_nothing_behind(ferry, tmp_path):
    store = tmp_path / "t.zarr"
    r = ferry("test-write", DATASETS["navy_winds_by_year"], "--to", store, "--progress", "none")
    assert r.code == 0, r
    assert "read back identical" in r.stdout
    assert list(tmp_path.iterdir()) == []
    r = ferry("test-write", DATASETS["navy_winds_by_year"], "--to", store, "--progress", "none", "--keep")
    assert r.code == 0, r
    assert (tmp_path / "t.ferry-test.zarr" / ".zmetadata").exists()


def test_ncdump_reads_v2(ferry, tmp_path):
    store = tmp_path / "a.zarr"
    assert ferry("upload", DATASETS["navy_winds_by_year"], "--to", store, "--progress", "none").code == 0
    out = subprocess.run(["ncdump", "-h", f"file://{store}#mode=zarr,file"], capture_output=True, text=True)
    if "NetCDF: Unknown file format" in out.stderr or "not compiled" in out.stderr.lower():
        pytest.skip(f"this libnetcdf has no NCZarr support: {out.stderr.strip()}")
    assert out.returncode == 0, out.stderr
    assert "UWND" in out.stdout


SINGLES = [
    "scipy/example_3_maskedvals.nc",  # _FillValue != missing_value; a char variable with _FillValue
    "scipy/example_2.nc",  # packed int32 with fill and missing values
    "netcdf4-python/issue671.nc",  # packed int16, _Unsigned, zlib
    "xarray/bears.nc",  # char arrays
    "iris-sample-data/vlstr_type.nc",  # variable-length strings
    "netcdf4-python/netcdf_dummy_file.nc",  # zero-length unlimited time
]


@pytest.mark.parametrize("fmt", [2, 3])
@pytest.mark.parametrize("rel", SINGLES)
def test_awkward_single_files(ferry, tmp_path, rel, fmt):
    if fmt == 3 and rel == "scipy/example_3_maskedvals.nc":
        # xarray (2026.9) decodes no _FillValue on char arrays in Zarr v3 ("Unsupported dtype |S1"):
        # the masked char survives in v2 (the default) only. Checked by hand; see the README.
        pytest.xfail("xarray cannot mask char arrays in Zarr v3")
    store = tmp_path / "s.zarr"
    r = ferry("upload", FIXTURES / rel, "--to", store, "--zarr-format", fmt, "--progress", "none")
    assert r.code == 0, r
    compare(store, [FIXTURES / rel])


def test_resume_of_a_finished_store_is_nothing_to_do_only_when_it_is_this_dataset(ferry, tmp_path):
    """A second run of the same `--resume` command (the first finished): success, nothing written.
    Other options, or a chunk gone, and it is not "this dataset, complete": refused, nothing touched."""
    src = DATASETS["A1B_by_year"]
    store = tmp_path / "a.zarr"
    assert ferry("upload", src, "--to", store, "--progress", "none").code == 0
    before = {p: p.stat().st_mtime_ns for p in store.rglob("*")}
    r = ferry("upload", src, "--to", store, "--resume", "--progress", "none")
    assert r.code == 0, r
    assert "nothing to resume" in r.stdout and "already complete" in r.stdout
    assert {p: p.stat().st_mtime_ns for p in store.rglob("*")} == before, "a finished store was rewritten"
    r = ferry("upload", src, "--to", store, "--resume", "--compression", "gzip:4", "--progress", "none")
    assert r.code == 1 and "error[nothing_to_resume]" in r.stderr, r
    next(store.glob("air_temperature/0.*")).unlink()
    r = ferry("upload", src, "--to", store, "--resume", "--progress", "none")
    assert r.code == 1 and "error[nothing_to_resume]" in r.stderr, r
