fn main() {
    // Only the GUI build embeds the webview assets and capabilities.
    #[cfg(feature = "gui")]
    tauri_build::build();
}
