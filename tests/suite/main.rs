//! The integration test suite (one binary).
#![allow(
    clippy::pedantic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs
)]
// Tests and benchmarks may stop at the first surprise; the lints for the program are in
// Cargo.toml.

mod architecture;
// Linux tools and Unix terminals: these need fribidi's command-line tool, a Unix pseudo-terminal
// or tmux, which Windows does not have; they run on Linux and macOS only.
#[cfg(unix)]
mod bidi_fribidi;
mod bidi_golden;
mod bidi_props;
#[cfg(unix)]
mod bidi_screens;
mod cache;
mod check;
mod class;
mod class_outputs;
mod cli_ar;
mod content;
mod credit;
#[cfg(unix)]
mod edges;
mod engine;
mod front;
#[cfg(unix)]
mod hangup;
mod hostile;
mod import;
mod import_moodle;
mod journal;
mod keys;
#[cfg(unix)]
mod output_errors;
mod paced;
mod package;
mod platform;
mod printing_edge;
mod records;
mod report;
mod report_bidi;
mod resume;
mod screens;
// The class server's tests drive real processes over the network with the OpenSSH client and
// scripted SSH clients: they run on Unix (the Windows build is compiled and linted).
#[cfg(unix)]
mod serve;
mod term_sequences;
#[cfg(unix)]
mod tmux;

use std::io::Write as _;

/// `tmux` on a server of this test process's own (`-L`), so that two runs of the suite on one
/// machine never share session names or see each other's panes.
pub fn tmux() -> std::process::Command {
    let mut c = std::process::Command::new("tmux");
    c.args(["-L", &format!("tipquiz-suite-{}", std::process::id())]);
    c
}

/// Whether a test must be skipped because an outside tool is missing. Prints a visible
/// message when it skips. Under CI (`TIPQUIZ_REQUIRE_TOOLS=1`) a missing tool is a failure.
pub fn skip_without(tool: &str) -> bool {
    let found = std::process::Command::new(tool)
        .arg("-V")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok();
    if found {
        return false;
    }
    assert!(
        std::env::var_os("TIPQUIZ_REQUIRE_TOOLS").is_none(),
        "{tool} is required here (TIPQUIZ_REQUIRE_TOOLS is set) but not installed"
    );
    let _ = writeln!(std::io::stderr(), "skipping: {tool} not installed");
    true
}
