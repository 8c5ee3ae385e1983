"""`ferry inspect --json` must describe the same dataset xarray's open_mfdataset builds.

Run: FERRY_BIN=/root/.cache/ferry-target/debug/ferry \
     /root/.cache/ferry-venv/bin/python -m pytest tests/interop/test_inspect_vs_xarray.py -v
"""

import pytest

from conftest import FIXTURES

# Ferry's DType names (scan/model.rs) -> the names xr_inspect.py gives numpy dtypes.
DTYPE_TO_NUMPY = {
    "int8": "int8", "uint8": "uint8", "int16": "int16", "uint16": "uint16",
    "int32": "int32", "uint32": "uint32", "int64": "int64", "uint64": "uint64",
    "float32": "float32", "float64": "float64",
    "char": "char",      # NetCDF char = numpy S1
    "string": "string",  # NetCDF-4 vlen string = numpy object/str
}


def files_in(sub):
    return sorted(p for p in (FIXTURES / sub).iterdir() if p.suffix in (".nc", ".cdf"))


# (id, files, extra ferry/xarray options)
MULTI = [
    ("A1B_by_year", files_in("derived/A1B_by_year"), {}),
    ("navy_winds_by_year", files_in("derived/navy_winds_by_year"), {}),
]
# Single files xarray opens. lateral_search_example's data lives in sub-groups.
SINGLE = [
    ("example_3_maskedvals", [FIXTURES / "scipy/example_3_maskedvals.nc"], {}),
    ("netcdf_dummy_file", [FIXTURES / "netcdf4-python/netcdf_dummy_file.nc"], {}),
    ("bears", [FIXTURES / "xarray/bears.nc"], {}),
    ("vlstr_type", [FIXTURES / "iris-sample-data/vlstr_type.nc"], {}),
    ("lateral_subgroup1", [FIXTURES / "compliance-checker/lateral_search_example.nc"], {"group": "/region1/subgroup1"}),
    ("lateral_subgroup2", [FIXTURES / "compliance-checker/lateral_search_example.nc"], {"group": "/region1/subgroup2"}),
]


def ferry_args(files, opts):
    args = ["inspect", *files, "--json"]
    if opts.get("group"):
        args += ["--group", opts["group"]]
    if opts.get("concat_dim"):
        args += ["--concat-dim", opts["concat_dim"]]
    return args


@pytest.mark.parametrize("name,files,opts", MULTI + SINGLE, ids=[c[0] for c in MULTI + SINGLE])
def test_same_as_xarray(ferry, xr_inspect, name, files, opts):
    xr = xr_inspect(files, **opts)
    assert "error" not in xr, f"xarray failed on {name}: {xr['error']}"
    run = ferry(*ferry_args(files, opts))
    assert run.code == 0, run
    assert run.json is not None, run
    ds = run.json["dataset"]

    # Dimensions and their sizes.
    assert {d["name"]: d["len"] for d in ds["dims"]} == xr["dims"]

    # Variable names, on-disk dtypes, dims and shapes.
    fvars = {v["name"]: v for v in ds["variables"]}
    assert sorted(fvars) == sorted(xr["variables"])
    for vname, xv in xr["variables"].items():
        fv = fvars[vname]
        assert DTYPE_TO_NUMPY.get(fv["dtype"], fv["dtype"]) == xv["dtype"], vname
        assert fv["dims"] == xv["dims"], vname
        assert fv["shape"] == xv["shape"], vname

    # The concat dimension and its merged length (sum of the files' steps).
    assert ds["concat_dim"] == xr["concat_dim"]
    if xr["concat_dim"]:
        concat = [d for d in ds["dims"] if d["concat"]]
        assert [d["name"] for d in concat] == [xr["concat_dim"]]
        assert concat[0]["len"] == xr["dims"][xr["concat_dim"]]
        assert sum(f["steps"] for f in ds["files"]) == xr["dims"][xr["concat_dim"]]
    assert len(ds["files"]) == len(files)

    # The decoded time range.
    if xr["time"]:
        assert ds["time"] is not None, "xarray decodes a time axis, ferry reports none"
        assert ds["time"]["variable"] == xr["time"]["variable"]
        assert (ds["time"]["first"], ds["time"]["last"]) == (xr["time"]["first"], xr["time"]["last"])
        assert ds["time"]["steps"] == xr["time"]["steps"]
    elif ds["time"] is not None:
        # e.g. a zero-length unlimited time: nothing to decode on either side.
        assert ds["time"]["first"] is None and ds["time"]["last"] is None, ds["time"]

    # Files listed in time order.
    if len(files) > 1:
        firsts = [f["first"] for f in ds["files"]]
        assert [f["path"] for f in ds["files"]] == [str(p) for p in files], firsts


def test_nemo_where_xarray_fails(ferry, xr_inspect):
    """NEMO: time_counter is 0.0 in every file. xarray's combine by coords gives up;
    Ferry orders the files by the auxiliary time coordinate time_centered."""
    files = files_in("iris-sample-data/NEMO")
    assert len(files) == 3
    xr = xr_inspect(files)
    assert "error" in xr, f"xarray was expected to fail on NEMO, got {xr}"

    # Give them in reverse so ordering is really by time, not by name.
    run = ferry("inspect", *reversed(files), "--json")
    assert run.code == 0, run
    ds = run.json["dataset"]
    assert ds["order"]["method"] == "auxiliary_coordinate", ds["order"]
    assert ds["order"]["variable"] == "time_centered", ds["order"]
    assert [f["path"] for f in ds["files"]] == [str(p) for p in files]
    firsts = [f["first"] for f in ds["files"]]
    assert firsts == sorted(firsts) and len(set(firsts)) == 3, firsts
    assert ds["concat_dim"] == "time_counter"
    assert {d["name"]: d["len"] for d in ds["dims"]}["time_counter"] == 3


def test_root_group_without_variables(ferry, xr_inspect):
    """lateral_search_example's root group is empty: xarray shows an empty dataset,
    Ferry refuses with group_not_found and names the groups to pick from."""
    f = FIXTURES / "compliance-checker/lateral_search_example.nc"
    assert xr_inspect([f])["variables"] == {}
    run = ferry("inspect", f, "--json")
    assert run.code == 1, run
    assert "error[group_not_found]" in run.stderr, run
    assert "/region1/subgroup1" in run.stderr, run
