fn main() {
    // Raw chunk reads (upload/direct.rs) need HDF5 ≥ 1.10.3 and its 1.x call signatures;
    // hdf5-sys tells which HDF5 it found.
    println!("cargo::rustc-check-cfg=cfg(ferry_direct_chunks)");
    if std::env::var_os("DEP_HDF5_VERSION_1_10_3").is_some() && std::env::var_os("DEP_HDF5_VERSION_2_0_0").is_none() {
        println!("cargo::rustc-cfg=ferry_direct_chunks");
    }
    // Only the GUI build embeds the webview assets and capabilities.
    #[cfg(feature = "gui")]
    tauri_build::build();
}
