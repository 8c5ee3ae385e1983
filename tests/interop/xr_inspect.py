#!/usr/bin/env python3
"""Print, as JSON, what xarray reports for a set of NetCDF files.

This is the reference `ferry inspect --json` is compared with: Ferry's merge
mimics `xr.open_mfdataset(files, combine="by_coords", data_vars="minimal",
coords="minimal", compat="override")`, so the two must agree on dimensions,
variables, on-disk dtypes and the decoded time range.

    xr_inspect.py FILE... [--concat-dim D] [--group G]

Output: {"dims": {name: len}, "variables": {name: {dtype, dims, shape}},
"concat_dim": name|null, "time": {variable, first, last, steps}|null}
or {"error": "..."} when xarray cannot open the files (exit code 0 either way,
so callers can assert on xarray failing).
"""

import argparse
import json
import sys
import warnings

import numpy as np
import xarray as xr


def time_coder():
    # cftime everywhere: exact for every calendar (360_day, noleap...) and one
    # formatting path. The keyword moved in xarray 2025.01.
    if hasattr(xr, "coders") and hasattr(xr.coders, "CFDatetimeCoder"):
        return {"decode_times": xr.coders.CFDatetimeCoder(use_cftime=True)}
    return {"use_cftime": True}


def dtype_name(var):
    """The on-disk type, named like Ferry's DType (numpy names, plus char/string)."""
    dt = var.encoding.get("dtype", var.dtype)
    if dt is str:  # netCDF4 backend: vlen strings have encoding dtype `str`
        return "string"
    dt = np.dtype(dt)
    if dt.kind == "S" and dt.itemsize == 1:
        return "char"
    if dt.kind in "OUS":
        return "string"
    return dt.name


def iso(value):
    """cftime / datetime64 value -> "YYYY-MM-DDTHH:MM:SS" (Ferry's format)."""
    if hasattr(value, "strftime") and not isinstance(value, np.datetime64):
        s = value.strftime("%Y-%m-%dT%H:%M:%S")
        ms = getattr(value, "microsecond", 0) // 1000
        return f"{s}.{ms:03d}" if ms else s
    return str(np.datetime_as_string(np.datetime64(value, "ms"))).replace(".000", "")


def is_datetime_like(da):
    if np.issubdtype(da.dtype, np.datetime64):
        return True
    return da.dtype == object and da.size > 0 and hasattr(da.values.flat[0], "calendar")


def unlimited_dims(path, group):
    """The first file's unlimited dimensions (how Ferry picks the concat dim)."""
    with xr.open_dataset(path, group=group, decode_times=False, concat_characters=False) as ds:
        return sorted(ds.encoding.get("unlimited_dims", ()))


def inspect(files, concat_dim=None, group=None):
    kwargs = dict(
        combine="by_coords",
        data_vars="minimal",
        coords="minimal",
        compat="override",
        # Keep char arrays as S1 with their string-length dimension, as stored
        # (xarray would otherwise join them into strings and drop that dim).
        concat_characters=False,
        group=group,
        **time_coder(),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds = xr.open_mfdataset(files, **kwargs)
        if concat_dim is None:
            unl = unlimited_dims(files[0], group)
            concat_dim = unl[0] if len(unl) == 1 else None

    out = {
        "dims": {str(k): int(v) for k, v in ds.sizes.items()},
        "variables": {},
        "concat_dim": concat_dim,
        "time": None,
    }
    for name, var in ds.variables.items():
        out["variables"][str(name)] = {
            "dtype": dtype_name(var),
            "dims": [str(d) for d in var.dims],
            "shape": [int(s) for s in var.shape],
        }
    if concat_dim is not None and concat_dim in ds.variables:
        t = ds[concat_dim]
        if t.ndim == 1 and is_datetime_like(t):
            vals = t.values
            out["time"] = {
                "variable": concat_dim,
                "first": iso(vals[0]),
                "last": iso(vals[-1]),
                "steps": int(vals.size),
            }
    ds.close()
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--concat-dim")
    ap.add_argument("--group")
    args = ap.parse_args(argv)
    try:
        result = inspect(args.files, args.concat_dim, args.group)
    except Exception as e:  # any xarray failure is a result, not a crash
        result = {"error": f"{type(e).__name__}: {e}"}
    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
