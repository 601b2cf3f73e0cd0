//! tipquiz: a terminal training quiz on combating trafficking in persons.
//!
//! Crate map. The core (no terminal, no clock, no environment):
//! - [`text`]: languages and multilingual text.
//! - [`messages`]: every word the program shows, one catalogue per language (the command
//!   line's messages and the screens' words), and the one rule that picks the language.
//! - [`diag`]: diagnostics with file, line, column, snippet and hint.
//! - [`fs`]: whole-file writes (atomic or unsynced), the fault seam of the tests, build
//!   fingerprints.
//! - [`fsname`]: file names that Windows can hold (device names, trailing dots and spaces).
//! - [`walk`]: the checker over spanned TOML used by banks and exams.
//! - [`bank`]: the bank format, loading and validation, the shipped banks, the parsed-bank cache.
//! - [`exam`]: exam definitions: pools, counts, timing, scoring policy.
//! - [`quiz`]: the attempt: drawing a paper, the session state machine, deadlines, scoring.
//! - [`record`]: attempt records, the results store (atomic files), autosaves, the results index.
//! - [`report`]: the class report, item analysis, exports, the board's figures.
//! - [`import`]: converters between Moodle's question formats and banks, starter templates.
//!
//! The fronts, over the core (they read the clock and the environment and pass them in):
//! - [`cli`]: the command line's definition (clap) and its translation.
//! - [`cmd`]: the commands behind the command line, one file per group, over one output
//!   layer and one context read at the edge (options, voice, folders, bank cache).
//! - [`tui`]: the trainee's screens, the board and the preview, and the local terminal
//!   adapter.
//! - [`serve`]: `tipquiz serve`, the same screens over SSH for a whole class.
//!
//! A test (`tests/suite/architecture.rs`) keeps the direction: no import cycle, the core never
//! imports a front, reads the environment or the clock, and no process-wide mutable state
//! outside the terminal adapter.

pub mod bank;
pub mod cli;
pub mod cmd;
pub mod diag;
pub mod exam;
pub mod fs;
pub mod fsname;
pub mod import;
pub mod messages;
pub mod quiz;
pub mod record;
pub mod report;
pub mod serve;
pub mod text;
pub mod tui;
pub mod units;
pub mod walk;

/// Helpers shared by the unit tests.
#[cfg(test)]
pub(crate) mod test_util {
    /// An environment getter over fixed pairs, for the functions that read the environment
    /// through a getter.
    pub fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }
}
