//! tipquiz: a terminal training quiz on combating trafficking in persons.
//!
//! Crate map:
//! - [`text`]: languages and multilingual text.
//! - [`diag`]: diagnostics with file, line, column, snippet and hint.
//! - [`fs`]: whole-file writes, the data and cache folders, build fingerprints.
//! - [`walk`]: the checker over spanned TOML used by banks and exams.
//! - [`bank`]: the bank format, loading and validation, the shipped banks.
//! - [`messages`]: the command line's words in English and Arabic.
//! - [`fsname`]: file names that Windows can hold (device names, trailing dots and spaces).
//! - [`cmd`]: the commands behind the command line, one file per group (`check`, `take`,
//!   `report`/`export`/`history`/`board`, bank files), over one output layer.
//!
//! The core never touches the terminal or reads the clock; the `tui` module and the binary do.

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
