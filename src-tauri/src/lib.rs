//! Ferry's core: scan NetCDF files, merge them into one dataset, plan its Zarr chunks.
//! Nothing here imports tauri: the GUI (`gui`, feature "gui") and the CLI (`cli`) are shells over it.

#![deny(unsafe_code)]
#![warn(clippy::all)]

pub mod catalog;
pub mod about;
pub mod auth;
pub mod cli;
pub mod error;
#[cfg(feature = "gui")]
pub mod gui;
pub mod inspect;
pub mod merge;
pub mod plan;
pub mod quicklook;
pub mod scan;
pub mod store;
pub mod upload;
pub mod write;

pub use error::{Code, Error, Result};
pub use inspect::{inspect, Inspection, InspectOptions};
