"""The contract: a store Ferry wrote, opened the way the LEAP catalog shows its users,
equals xr.open_mfdataset of its sources in variables, dims, coords, values (bit for bit where
raw), attributes and CF encoding."""

import numpy as np
import xarray as xr

RECIPE = dict(combine="by_coords", data_vars="minimal", coords="minimal", compat="override")
CF_KEYS = ("_FillValue", "missing_value", "scale_factor", "add_offset", "units", "calendar", "_Unsigned")


def time_coder():
    try:
        return dict(decode_times=xr.coders.CFDatetimeCoder(use_cftime=True))
    except AttributeError:  # older xarray
        return dict(use_cftime=True)


def open_sources(files, **kw):
    return xr.open_mfdataset(sorted(map(str, files)), **RECIPE, **kw)


def open_store(url, **kw):
    return xr.open_dataset(str(url), engine="zarr", chunks={}, **kw)


def _is_text(a):
    return a.dtype.kind in "UOT"


def _same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if _is_text(a) or _is_text(b):
        # Strings (numpy StringDType from zarr vs <U from netCDF) and masked chars (objects with NaN).
        norm = lambda v: "<nan>" if isinstance(v, float) and v != v else v
        return [norm(v) for v in a.astype(object).ravel()] == [norm(v) for v in b.astype(object).ravel()]
    if a.dtype.kind == "f" and b.dtype.kind == "f" and a.dtype != b.dtype:
        # JSON has no float32: scale_factor comes back float64 (as with xarray's own to_zarr), so
        # xarray decodes to float64. Compare at the source's precision.
        b = b.astype(a.dtype)
    if a.dtype.kind in "fc" or b.dtype.kind in "fc":
        return np.array_equal(a, b, equal_nan=True)
    return np.array_equal(a, b)


def _attr_equal(x, y):
    if isinstance(x, (list, tuple, np.ndarray)) or isinstance(y, (list, tuple, np.ndarray)):
        return _same(np.atleast_1d(x), np.atleast_1d(y))
    if isinstance(x, float) or isinstance(y, float):
        return _same(x, y)
    return x == y


def compare(store, files, store_kw=None, raw_equal=True):
    """Raise AssertionError naming the first difference."""
    store_kw = store_kw or {}
    src = open_sources(files, **time_coder())
    out = open_store(store, **store_kw, **time_coder())
    assert set(src.variables) == set(out.variables), f"variables differ: {set(src.variables) ^ set(out.variables)}"
    assert set(src.coords) == set(out.coords), f"coordinates differ: {set(src.coords) ^ set(out.coords)}"
    assert dict(src.sizes) == dict(out.sizes), f"sizes differ: {dict(src.sizes)} vs {dict(out.sizes)}"
    assert src.attrs.keys() == out.attrs.keys(), f"global attrs differ: {src.attrs.keys() ^ out.attrs.keys()}"
    for k in src.attrs:
        assert _attr_equal(src.attrs[k], out.attrs[k]), f"global attr {k}: {src.attrs[k]!r} vs {out.attrs[k]!r}"
    for name in src.variables:
        a, b = src[name], out[name]
        assert a.dims == b.dims, f"{name}: dims {a.dims} vs {b.dims}"
        assert _same(a.values, b.values), f"{name}: decoded values differ"
        assert a.attrs.keys() == b.attrs.keys(), f"{name}: attrs differ: {a.attrs.keys() ^ b.attrs.keys()}"
        for k in a.attrs:
            assert _attr_equal(a.attrs[k], b.attrs[k]), f"{name}.{k}: {a.attrs[k]!r} vs {b.attrs[k]!r}"
        for k in CF_KEYS:
            if k in a.encoding or k in b.encoding:
                assert _attr_equal(a.encoding.get(k), b.encoding.get(k)), f"{name}: encoding {k}: {a.encoding.get(k)!r} vs {b.encoding.get(k)!r}"
    if raw_equal:
        # The stored numbers themselves, before any CF decoding: bit for bit.
        rs = open_sources(files, decode_cf=False, mask_and_scale=False, decode_times=False)
        ro = open_store(store, decode_cf=False, mask_and_scale=False, decode_times=False, **store_kw)
        for name in rs.variables:
            x, y = rs[name].values, ro[name].values
            if _is_text(x) or _is_text(y):
                assert _same(x, y), f"{name}: raw strings differ"
                continue
            assert x.dtype == y.dtype, f"{name}: raw dtype {x.dtype} vs {y.dtype}"
            if x.dtype.kind in "fc":
                assert np.array_equal(x.view(f"u{x.dtype.itemsize}"), y.view(f"u{y.dtype.itemsize}")), f"{name}: raw bits differ"
            else:
                assert np.array_equal(x, y), f"{name}: raw values differ"
