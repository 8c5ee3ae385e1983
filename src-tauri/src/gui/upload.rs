//! Step "upload": writes the whole store with a resumable progress view. The screen exists; the work arrives with the upload engine.

use super::StepStatus;

#[tauri::command]
pub async fn upload_status() -> StepStatus {
    StepStatus { available: false, message: "This step arrives with the upload engine.".into() }
}
