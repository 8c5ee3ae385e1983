//! The about box: version and licences (the core's `about`).

#[tauri::command]
pub fn about() -> crate::about::About {
    crate::about::about()
}
