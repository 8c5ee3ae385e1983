//! What the about box shows (and `ferry about` prints): the version, Ferry's licence, the
//! libraries that read the files, and the origin and licence of the bundled sample data.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Credit {
    pub name: String,
    pub detail: String,
    pub licence: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct About {
    pub name: String,
    pub version: String,
    pub identifier: String,
    pub licence: String,
    pub homepage: String,
    /// The sample dataset inside the app ("Try it with sample data").
    pub bundled_data: Vec<Credit>,
    /// Libraries linked at run time, with the versions actually loaded.
    pub libraries: Vec<Credit>,
}

/// The libnetcdf actually loaded (the .deb depends on the system's).
#[allow(unsafe_code)]
fn netcdf_version() -> String {
    // SAFETY: nc_inq_libvers returns a pointer to a static NUL-terminated string.
    let p = unsafe { netcdf_sys::nc_inq_libvers() };
    if p.is_null() {
        return "unknown".into();
    }
    // SAFETY: non-null, static, NUL-terminated (see above).
    let s = unsafe { std::ffi::CStr::from_ptr(p) }.to_string_lossy().into_owned();
    s.split_whitespace().next().unwrap_or("unknown").to_string()
}

pub fn about() -> About {
    let credit = |name: &str, detail: String, licence: &str, url: &str| Credit { name: name.into(), detail, licence: licence.into(), url: url.into() };
    About {
        name: "Ferry".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        identifier: "org.leap-pangeo.ferry".into(),
        licence: env!("CARGO_PKG_LICENSE").into(),
        homepage: "https://github.com/leap-stc/data-management".into(),
        bundled_data: vec![credit(
            "Sample: A1B air temperature over North America",
            "Six yearly files cut (with NCO's ncks) from A1B_north_america.nc of iris-sample-data 2.5.2, the Met Office's Iris sample data.".into(),
            "UK Open Government Licence v3.0 (Crown copyright, Met Office)",
            "https://github.com/SciTools/iris-sample-data",
        )],
        libraries: vec![
            credit("netCDF-C", format!("version {} (Unidata/UCAR), reads the NetCDF files", netcdf_version()), "BSD-3-Clause", "https://github.com/Unidata/netcdf-c"),
            credit("HDF5", "The HDF Group, under netCDF-4 files".into(), "BSD-3-Clause", "https://github.com/HDFGroup/hdf5"),
            credit("zarrs", "writes the Zarr arrays' chunks".into(), "MIT OR Apache-2.0", "https://github.com/zarrs/zarrs"),
            credit("object_store", "Apache Arrow's object-storage client (S3, GCS, local)".into(), "MIT OR Apache-2.0", "https://github.com/apache/arrow-rs-object-store"),
            credit("Tauri", "the desktop window".into(), "MIT OR Apache-2.0", "https://github.com/tauri-apps/tauri"),
        ],
    }
}
