//! Step "catalog": drafts the catalog request for the data-management repository. The screen exists; the work arrives with the upload engine.

use super::StepStatus;

#[tauri::command]
pub async fn catalog_status() -> StepStatus {
    StepStatus { available: false, message: "This step arrives with the upload engine.".into() }
}
