//! Step "test-write": writes a small part of the store, reads it back and compares it with the source files. The screen exists; the work arrives with the upload engine.

use super::StepStatus;

#[tauri::command]
pub async fn test_write_status() -> StepStatus {
    StepStatus { available: false, message: "This step arrives with the upload engine.".into() }
}
