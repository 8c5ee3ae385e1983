"""Write N small NetCDF files, one time step each (days since 2000-01-01), for the e2e test
of a long file list and scan progress. Usage: make_many.py DIR [N]."""
import sys
from pathlib import Path

import netCDF4
import numpy as np

out = Path(sys.argv[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(0)
for i in range(n):
    with netCDF4.Dataset(out / f"f{i:04d}.nc", "w") as ds:
        ds.createDimension("time", None)
        ds.createDimension("lat", 10)
        ds.createDimension("lon", 20)
        t = ds.createVariable("time", "f8", ("time",))
        t.units = "days since 2000-01-01"
        t.calendar = "standard"
        t[:] = [i]
        ds.createVariable("lat", "f4", ("lat",))[:] = np.linspace(-45, 45, 10)
        ds.createVariable("lon", "f4", ("lon",))[:] = np.linspace(0, 342, 20)
        v = ds.createVariable("tas", "f4", ("time", "lat", "lon"))
        v.units = "K"
        v[:] = 280 + rng.standard_normal((1, 10, 20)).astype("f4")
