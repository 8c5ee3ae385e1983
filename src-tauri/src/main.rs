// No console window on Windows release builds of the GUI.
#![cfg_attr(all(not(debug_assertions), feature = "gui"), windows_subsystem = "windows")]

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // The scanner may run copies of this binary to read many headers on several cores.
    if let Ok(exe) = std::env::current_exe() {
        ferry::scan::workers::enable(exe);
    }
    let cli = ferry::cli::Cli::parse();
    match cli.command {
        Some(cmd) => ferry::cli::run(cmd),
        None => open_wizard(),
    }
}

#[cfg(feature = "gui")]
fn open_wizard() -> ExitCode {
    ferry::gui::run()
}

#[cfg(not(feature = "gui"))]
fn open_wizard() -> ExitCode {
    eprintln!("This ferry was built without the desktop wizard (headless build). Run `ferry --help` for the commands, e.g. `ferry inspect DATA/*.nc`.");
    ExitCode::from(2)
}
