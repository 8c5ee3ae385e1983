#!/usr/bin/env python3
"""Generate a corpus of bad (and awkward-but-valid) inputs for `ferry inspect`.

    make_bad_inputs.py OUT_DIR            # every case, OUT_DIR/<case>/ + OUT_DIR/cases.json
    make_bad_inputs.py OUT_DIR --many N   # also N tiny daily files in OUT_DIR/many/

Each case gets its own folder so it can be inspected alone (`ferry inspect OUT_DIR/<case>`).
cases.json maps case -> {
    "expect": "error" | "ok" | "skip_if_root",   # exit 1 / exit 0 / (root reads anything)
    "code":   str | [str] | null,   # error or problem code(s) that must appear
    "absent": [str],                # problem codes that must NOT appear (optional)
    "names":  str | null,           # basename the error message must name
    "attr":   [name, value] ,       # a global attribute that must appear exactly (optional)
    "skipped": true,                # the JSON must list a skipped path (optional)
    "order":  [basename, ...],      # the merged file order (optional)
    "note":   str}
Valid files are written with netCDF4-python (ncgen for vlen-of-vlen, which netCDF4-python
cannot create), then damaged with plain byte operations.
"""

import argparse
import json
import os
import shutil
import subprocess
from pathlib import Path

import netCDF4
import numpy as np

CASES = {}


def case(name, expect, code=None, names=None, note="", **extra):
    """Register a case's expectation and return its (fresh) folder."""
    CASES[name] = {"expect": expect, "code": code, "names": names, "note": note, **extra}
    d = OUT / name
    if d.exists():
        os.chmod(d, 0o755)
        for p in d.iterdir():
            if not p.is_symlink():
                os.chmod(p, 0o644)
        shutil.rmtree(d)
    d.mkdir(parents=True)
    return d


def write_nc(path, times=(0.0,), units="days since 2000-01-01", calendar="standard",
             nlat=2, nlon=2, fmt="NETCDF4", dtype="f4", variables=("tas",), zlib=False, attrs=None):
    """A small CF file: time(time) unlimited, lat, lon, and data variables (time, lat, lon)."""
    with netCDF4.Dataset(path, "w", format=fmt) as ds:
        ds.createDimension("time", None)
        ds.createDimension("lat", nlat)
        ds.createDimension("lon", nlon)
        t = ds.createVariable("time", "f8", ("time",))
        t.units = units
        if calendar is not None:
            t.calendar = calendar
        t.standard_name = "time"
        lat = ds.createVariable("lat", "f4", ("lat",))
        lat.units = "degrees_north"
        lat[:] = np.linspace(-80, 80, nlat)
        lon = ds.createVariable("lon", "f4", ("lon",))
        lon.units = "degrees_east"
        lon[:] = np.linspace(0, 350, nlon)
        t[:] = np.asarray(times, dtype="f8")
        for name in variables:
            v = ds.createVariable(name, dtype, ("time", "lat", "lon"), zlib=zlib)
            v.units = "K"
            v[:] = np.arange(len(times) * nlat * nlon).reshape(len(times), nlat, nlon).astype(dtype)
        for k, val in (attrs or {}).items():
            ds.setncattr(k, val)


def days(a, b):
    return list(np.arange(a, b, dtype="f8"))


# --- unreadable files: one file per folder, each must fail with a code naming it ---------

def unreadable():
    d = case("truncated_hdf5", "error", "truncated_file", "half.nc",
             "NetCDF-4 file cut in half: HDF5 sees EOF before its end-of-allocation")
    p = d / "half.nc"
    write_nc(p, days(0, 10), nlat=50, nlon=50)
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])

    d = case("truncated_classic", "error", "truncated_file", "short.nc",
             "classic file whose data section is cut short; libnetcdf opens it anyway")
    p = d / "short.nc"
    write_nc(p, days(0, 10), nlat=50, nlon=50, fmt="NETCDF3_CLASSIC")
    data = p.read_bytes()
    p.write_bytes(data[: len(data) - 5000])

    d = case("zero_bytes", "error", "empty_file", "empty.nc", "0-byte file, e.g. a failed download")
    (d / "empty.nc").write_bytes(b"")

    d = case("random_bytes", "error", "not_netcdf", "noise.nc", "random binary content")
    (d / "noise.nc").write_bytes(b"\x00\x9f" + np.random.default_rng(0).bytes(4094))

    d = case("text_file", "error", "not_netcdf", "notes.nc", "a text file named .nc (e.g. an HTML error page)")
    (d / "notes.nc").write_text("<html><body>404 Not Found</body></html>\n")

    d = case("grib_named_nc", "error", "not_netcdf", "forecast.nc", "GRIB content with a .nc name")
    (d / "forecast.nc").write_bytes(b"GRIB" + b"\x00\x00\x10\x02" + bytes(200) + b"7777")

    d = case("hdf4_named_nc", "error", "not_netcdf", "modis.nc", "HDF4 magic with a .nc name")
    (d / "modis.nc").write_bytes(b"\x0e\x03\x13\x01" + bytes(500))


# --- files that read fine but do not merge -------------------------------------------------

def unmergeable():
    d = case("different_grids", "error", "dimension_size", "b_2000-01-03.nc", "lat 10 vs 20")
    write_nc(d / "a_2000-01-01.nc", days(0, 2), nlat=10)
    write_nc(d / "b_2000-01-03.nc", days(2, 4), nlat=20)

    d = case("different_variables", "error", ["missing_variable", "extra_variable"], "b_2000-01-03.nc",
             "a has tas+pr, b has tas+uas: b lacks pr and adds uas")
    write_nc(d / "a_2000-01-01.nc", days(0, 2), variables=("tas", "pr"))
    write_nc(d / "b_2000-01-03.nc", days(2, 4), variables=("tas", "uas"))

    d = case("conflicting_dtypes", "error", "dtype_change", "b_2000-01-03.nc", "tas float32 then float64")
    write_nc(d / "a_2000-01-01.nc", days(0, 2), dtype="f4")
    write_nc(d / "b_2000-01-03.nc", days(2, 4), dtype="f8")

    d = case("duplicate_times", "error", "duplicate_steps", "b_2000-01-03.nc",
             "a ends on day 2, b starts on day 2: that step appears twice")
    write_nc(d / "a_2000-01-01.nc", days(0, 3))
    write_nc(d / "b_2000-01-03.nc", days(2, 5))

    d = case("duplicate_file", "error", "duplicate_steps", "b_2000-01-04",
             "the same file twice under two names (re-download): every step appears twice")
    write_nc(d / "a_2000-01-01.nc", days(0, 3))
    write_nc(d / "b_2000-01-04.nc", days(3, 6))
    shutil.copy(d / "b_2000-01-04.nc", d / "b_2000-01-04(1).nc")

    d = case("overlapping_times", "error", "overlapping_steps", "b_2000-01-04.nc", "a: days 0-4, b: days 3-7")
    write_nc(d / "a_2000-01-01.nc", days(0, 5))
    write_nc(d / "b_2000-01-04.nc", days(3, 8))

    d = case("non_monotonic_times", "error", "non_monotonic", "jumbled.nc", "time 0, 2, 1, 3 inside one file")
    write_nc(d / "jumbled.nc", [0.0, 2.0, 1.0, 3.0])

    # Dates of different calendars cannot be compared as numbers: the files must stay in
    # date order (a first) and no gap may be inferred from the mixed keys.
    d = case("mixed_calendars", "error", "mixed_calendars", "b_2000-01-03.nc", "standard then noleap",
             absent=["gap"], order=["a_2000-01-01.nc", "b_2000-01-03.nc"])
    write_nc(d / "a_2000-01-01.nc", days(0, 2), calendar="standard")
    write_nc(d / "b_2000-01-03.nc", days(2, 4), calendar="noleap")


# --- odd time axes: warnings, not errors ---------------------------------------------------

def time_oddities():
    d = case("unparseable_time_units", "ok", "undecodable_time", None, "units 'days since yesterday'")
    write_nc(d / "a.nc", days(0, 2), units="days since yesterday")
    write_nc(d / "b.nc", days(2, 4), units="days since yesterday")

    d = case("year_zero_units", "ok", "undecodable_time", None,
             "'days since 0000-01-01' in the standard calendar, which has no year 0 (cftime refuses it)")
    write_nc(d / "a.nc", days(0, 2), units="days since 0000-01-01", calendar="standard")

    d = case("nan_in_coordinate", "ok", "nan_in_coordinate", "b_2000-01-04.nc", "time 3, NaN, 5 in the second file")
    write_nc(d / "a_2000-01-01.nc", days(0, 3))
    write_nc(d / "b_2000-01-04.nc", [3.0, np.nan, 5.0])

    d = case("gaps", "ok", "gap", "c_2000-01-08.nc", "daily files, day 6 missing")
    write_nc(d / "a_2000-01-01.nc", days(0, 3))
    write_nc(d / "b_2000-01-04.nc", days(3, 6))
    write_nc(d / "c_2000-01-08.nc", days(7, 10))

    d = case("monthly_noleap", "ok", None, None, "12 monthly files, noleap: regular, so no gap", absent=["gap"])
    month_starts = np.cumsum([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30])
    for m, start in enumerate(month_starts):
        write_nc(d / f"m_2001-{m + 1:02d}.nc", [float(start)], units="days since 2001-01-01", calendar="noleap")


# --- headers Ferry must read without crashing ----------------------------------------------

def odd_headers():
    d = case("non_utf8_attribute", "ok", None, None, "a char attribute holding bytes ff fe (not UTF-8)")
    write_nc(d / "latin.nc", days(0, 2))
    with netCDF4.Dataset(d / "latin.nc", "a") as ds:
        # bytes are written as NC_CHAR verbatim
        ds.setncattr("institution", b"caf\xff\xfe")
        ds["tas"].setncattr("long_name", b"\xff\xfe temperature")

    d = case("huge_attribute", "ok", None, None, "a 10 MB string attribute")
    write_nc(d / "huge.nc", days(0, 2), attrs={"history": "x" * (10 << 20)})

    d = case("zero_length_dim", "ok", None, None, "unlimited time with 0 records: nothing to decode or chunk")
    write_nc(d / "empty_time.nc", [])

    d = case("int64_attribute", "ok", None, None, "int64 attribute 2**53+1 must survive exactly (as a JSON string)",
             attr=["big_id", ["9007199254740993"]])
    write_nc(d / "big.nc", days(0, 2), attrs={"big_id": np.int64(2**53 + 1)})

    d = case("compound_type", "error", "unsupported_type", "compound.nc", "a NetCDF-4 compound variable")
    write_nc(d / "compound.nc", days(0, 2))
    with netCDF4.Dataset(d / "compound.nc", "a") as ds:
        ct = ds.createCompoundType(np.dtype([("a", "f4"), ("b", "i4")]), "pair_t")
        v = ds.createVariable("pairs", ct, ("lat",))
        v[:] = np.array([(1.0, 1), (2.0, 2)], dtype=[("a", "f4"), ("b", "i4")])

    d = case("enum_type", "error", "unsupported_type", "enum.nc", "a NetCDF-4 enum variable")
    write_nc(d / "enum.nc", days(0, 2))
    with netCDF4.Dataset(d / "enum.nc", "a") as ds:
        et = ds.createEnumType("u1", "cloud_t", {"clear": 0, "cloudy": 1})
        v = ds.createVariable("cloud", et, ("lat",))
        v[:] = np.array([0, 1], dtype="u1")

    d = case("vlen_of_vlen", "error", "unsupported_type", "ragged.nc", "a vlen of vlen of int (made with ncgen)")
    cdl = d / "ragged.cdl"
    cdl.write_text(
        "netcdf ragged {\n"
        "types:\n  int(*) vi_t ;\n  vi_t(*) vvi_t ;\n"
        "dimensions:\n  n = 2 ;\n"
        "variables:\n  vvi_t ragged(n) ;\n  float x(n) ;\n"
        "data:\n  ragged = {{1, 2}, {3}}, {{4}} ;\n  x = 1, 2 ;\n}\n"
    )
    subprocess.run(["ncgen", "-k", "nc4", "-o", str(d / "ragged.nc"), str(cdl)], check=True)
    cdl.unlink()  # the folder must hold the .nc only


# --- file system oddities --------------------------------------------------------------------

def file_system():
    d = case("symlink_loop", "ok", None, None, "a link to its own folder next to one good file",
             skipped=True)
    write_nc(d / "good.nc", days(0, 2))
    os.symlink(".", d / "loop")  # relative, so the corpus can be moved

    d = case("permission_denied", "skip_if_root", "unreadable_file", "locked.nc",
             "chmod 000; root reads anything, so only meaningful for other users")
    write_nc(d / "locked.nc", days(0, 2))
    os.chmod(d / "locked.nc", 0o000)

    d = case("non_utf8_filename", "error", "non_utf8_path", "bad\ufffd.nc",
             "file name holds byte 0xff; messages show it lossily as U+FFFD")
    write_nc(d / "tmp.nc", days(0, 2))  # libnetcdf wants a str path: rename at the byte level
    os.rename(os.fsencode(d / "tmp.nc"), os.path.join(os.fsencode(d), b"bad\xff.nc"))

    d = case("no_netcdf", "error", "no_netcdf_files", "no_netcdf", "a folder with only a .txt file")
    (d / "README.txt").write_text("no data here\n")


def many(n):
    """N tiny NetCDF-4 files, one daily step each, for stress tests (OUT_DIR/many/)."""
    d = OUT / "many"
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    for i in range(n):
        write_nc(d / f"tiny_{i:06d}.nc", [float(i)])
    return d


def main():
    global OUT
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--many", type=int, metavar="N", help="also write N tiny files into OUT_DIR/many/")
    args = ap.parse_args()
    OUT = args.out_dir.resolve()
    OUT.mkdir(parents=True, exist_ok=True)
    unreadable()
    unmergeable()
    time_oddities()
    odd_headers()
    file_system()
    (OUT / "cases.json").write_text(json.dumps(CASES, indent=1, ensure_ascii=False) + "\n")
    if args.many:
        many(args.many)
    print(f"{len(CASES)} cases in {OUT}" + (f", {args.many} files in {OUT / 'many'}" if args.many else ""))


OUT = Path(".")

if __name__ == "__main__":
    main()
