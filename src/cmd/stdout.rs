//! Standard output: every write of the commands goes through here, so that a write that fails
//! (a full disk, `> /dev/full`, a dropped share) is reported once at the end with a non-zero
//! exit, and a reader that closed the pipe early (`| head -1`) ends the program quietly.

/// The first write to standard output that failed in this run, if any: later writes are not
/// tried (the output is already incomplete), and [`super::Voice::finish`] reports it.
static STDOUT_FAILED: std::sync::Mutex<Option<std::io::Error>> = std::sync::Mutex::new(None);

fn stdout_failed() -> std::sync::MutexGuard<'static, Option<std::io::Error>> {
    STDOUT_FAILED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The first write to standard output that failed, taken (for [`super::Voice::finish`]).
pub(crate) fn failure() -> Option<std::io::Error> {
    stdout_failed().take()
}

/// Write `bytes` to standard output and flush them, keeping the first error for
/// [`super::Voice::finish`]; after an error nothing more is written.
pub(crate) fn write_stdout(bytes: &[u8]) {
    write_stdout_with(|out| out.write_all(bytes));
}

/// Write to standard output with `write` (a streamed export), flushed, keeping the first error
/// for [`super::Voice::finish`]; after an error nothing more is written.
pub(crate) fn write_stdout_with(
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) {
    use std::io::Write as _;
    let mut failed = stdout_failed();
    if failed.is_some() {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = write(&mut out).and_then(|()| out.flush()) {
        *failed = Some(e);
    }
}

/// The width of the terminal (80 when there is none, 20 at least).
pub(crate) fn terminal_width() -> usize {
    crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w.max(20)))
}

/// Write text already laid out for where it goes (shaped and reordered for a terminal, or
/// logical), as it is: it is not laid out again.
pub(crate) fn print_laid_out(s: &str) {
    write_stdout(s.as_bytes());
}

/// Write machine output (CSV, JSON, TOML, GIFT, XML) to standard output, always as it is.
/// Whether standard output goes to a file or a pipe (not a terminal, where [`print_data`] shows
/// text escaped): data may then be written to it as it is made (`export --responses` writes its
/// rows so, never holding them whole).
pub(crate) fn stdout_is_piped() -> bool {
    !std::io::IsTerminal::is_terminal(&std::io::stdout())
}

pub(crate) fn print_data(s: &str) {
    // On a terminal, text from files (names, answers) could carry escape sequences: they are
    // shown escaped there. Redirected to a file or a pipe, the data is written as it is.
    if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        write_stdout(crate::diag::escape_for_terminal(s).as_bytes());
    } else {
        write_stdout(s.as_bytes());
    }
}

/// Every response of `records` as CSV, written to standard output as the rows are made
/// (`export --responses` to a file or a pipe), never held whole; the write's own error (a
/// closed pipe, a full disk) is kept for [`super::Voice::finish`].
pub(crate) fn print_responses(
    records: impl IntoIterator<Item = crate::report::held::HeldAttempt>,
    lib: &crate::bank::Library,
) {
    write_stdout_with(|out| {
        crate::report::export_responses_csv_to(out, records, lib).map_err(|e| match e.into_kind() {
            csv::ErrorKind::Io(e) => e,
            other => std::io::Error::other(format!("{other:?}")),
        })
    });
}
