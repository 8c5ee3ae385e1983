//! The desktop wizard (feature "gui"): tauri commands over the core, nothing more.

use std::process::ExitCode;

pub fn run() -> ExitCode {
    let result = tauri::Builder::default().run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error[gui]: the window could not be opened: {e}");
            eprintln!("  hint: on a machine without a display, use the commands instead: `ferry --help`.");
            ExitCode::FAILURE
        }
    }
}
