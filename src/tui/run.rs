//! The local terminal's adapter: it takes the terminal (raw mode, the alternate screen, the
//! bidi probe and switch), reads its keys as an [`EventSource`], stops on Ctrl-Z and comes
//! back, and ends on SIGTERM, SIGHUP, SIGINT or a vanished terminal, restoring it on every
//! exit and on panic. The screens themselves run in [`super::front::run_screens`], the same
//! loop as any other front.

use super::app::App;
use super::bidi::BidiMode;
use super::front::{EventSource, Outcome, Screens, run_loop, run_screens};
use super::host::{Host, Saver};
use super::ui::Display;
use crossterm::event::{self, Event};
use std::io::{self, Write as _};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

pub use super::front::wait_for;
pub use super::host::{
    Places, commit_attempt, load_prefs, now_ms, recover, recover_waiting, results_for, waiting,
};

/// The terminal, taken as soon as the program starts so that the first frame ("loading…") is
/// on screen at once, before the banks are read. Errors printed meanwhile are held back and
/// printed when it is dropped (the terminal restored) without being handed to [`run`].
pub struct Early {
    terminal: Option<ratatui::DefaultTerminal>,
    signal: Arc<AtomicUsize>,
}

impl Early {
    /// Take the terminal and draw the loading frame. `None` when standard input or output is
    /// not a terminal, or the terminal cannot be set up ([`run`] then says why).
    #[must_use]
    pub fn show(display: Display, lang: crate::text::Lang) -> Option<Early> {
        if !ttys() {
            return None;
        }
        let signal = Arc::new(AtomicUsize::new(0));
        super::terminal::watch_signals(Arc::clone(&signal));
        let terminal = super::terminal::enter(display.mode).ok()?;
        super::loading::hold_errors();
        let mut early = Early {
            terminal: Some(terminal),
            signal,
        };
        // On failure `early` is dropped, which gives the terminal back.
        early
            .terminal
            .as_mut()?
            .draw(|f| super::loading::draw_loading(f, lang, display))
            .ok()?;
        Some(early)
    }
}

impl Drop for Early {
    fn drop(&mut self) {
        if self.terminal.take().is_some() {
            super::loading::release_errors_after(super::terminal::leave);
        }
    }
}

fn ttys() -> bool {
    std::io::IsTerminal::is_terminal(&std::io::stdin())
        && std::io::IsTerminal::is_terminal(&std::io::stdout())
}

/// The local terminal as an event source: crossterm's reader, the signal flag (a signal ends
/// the loop with an error of kind `Interrupted`), Ctrl-Z and the bidi switch.
struct LocalTerminal {
    signal: Arc<AtomicUsize>,
    mode: BidiMode,
    /// Test hook (`TIPQUIZ_TEST_PANIC`): panic at the first key, to check that a panic
    /// restores the terminal.
    panic_for_test: bool,
}

impl LocalTerminal {
    fn signalled(&self) -> io::Result<()> {
        if self.signal.load(Ordering::SeqCst) != 0 {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "signal"));
        }
        Ok(())
    }
}

impl LocalTerminal {
    /// Wait up to `wait` for an event, in poll(2) on the terminal and the wake pipe
    /// ([`super::terminal::wait_for_input`]): a signal, a window change or a hang-up ends the
    /// wait at once. The terminal is looked at before crossterm reads it: on a terminal that
    /// is gone, crossterm's reader loops for ever on the end of input (or EIO), even when
    /// asked not to wait; here the loop ends instead, as on SIGHUP, and the attempt is
    /// autosaved on the way out.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    fn wait_event(&mut self, wait: Duration) -> io::Result<Option<Event>> {
        use super::terminal::{Input, wait_for_input};
        let deadline = std::time::Instant::now() + wait;
        let mut left = Duration::ZERO;
        loop {
            if wait_for_input(left)? == Input::Gone {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the terminal is gone",
                ));
            }
            self.signalled()?;
            if super::terminal::take_continued() {
                return Ok(Some(Event::FocusGained));
            }
            // What crossterm has read already, or what the terminal has now: never a wait.
            if event::poll(Duration::ZERO)? {
                return Ok(Some(event::read()?));
            }
            left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return Ok(None);
            }
        }
    }

    /// Elsewhere crossterm's own wait (macOS's poll(2) does not support terminals; Windows has
    /// consoles). A signal that lands during the wait is seen at the next wake-up, at most a
    /// second later, well within the watcher's grace period.
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    fn wait_event(&mut self, wait: Duration) -> io::Result<Option<Event>> {
        if event::poll(wait)? {
            Ok(Some(event::read()?))
        } else {
            Ok(None)
        }
    }
}

impl EventSource for LocalTerminal {
    fn next_event(&mut self, timeout: Option<Duration>) -> io::Result<Option<Event>> {
        self.signalled()?;
        if super::terminal::take_continued() {
            return Ok(Some(Event::FocusGained));
        }
        // At most a second: no extra wake-ups (an idle countdown costs one per second), and
        // a screen with no clock still looks once a second for what the watchers report.
        let wait = timeout
            .unwrap_or(Duration::from_secs(1))
            .min(Duration::from_secs(1));
        let ev = self.wait_event(wait)?;
        self.signalled()?;
        // Stopped from outside and continued: the screen was given back, draw it afresh (a key
        // read meanwhile goes first; the next call redraws).
        if ev.is_none() && super::terminal::take_continued() {
            return Ok(Some(Event::FocusGained));
        }
        // The test hook that proves the terminal is restored on a panic.
        #[allow(clippy::panic, clippy::manual_assert)]
        if self.panic_for_test && matches!(ev, Some(Event::Key(_))) {
            panic!("TIPQUIZ_TEST_PANIC: panicking on purpose");
        }
        Ok(ev)
    }

    /// Unix only: Windows consoles have no job control, so Ctrl-Z there is left to the
    /// front's default (not suspended, the attempt goes on).
    #[cfg(unix)]
    fn suspend(&mut self) -> io::Result<bool> {
        super::terminal::leave();
        // SIGSTOP, not SIGTSTP: SIGTSTP is caught (a stop from outside, see
        // `terminal::watch_signals`), and this stop must happen before the screen is taken back.
        let _ = signal_hook::low_level::raise(signal_hook::consts::SIGSTOP);
        // Continued: take the terminal back; the loop redraws everything.
        super::terminal::enter_screen(self.mode)?;
        Ok(true)
    }

    fn set_bidi(&mut self, mode: BidiMode) -> io::Result<()> {
        super::terminal::leave();
        self.mode = mode;
        super::terminal::enter_screen(mode)
    }
}

/// Run screens other than the trainee's (the live board, the bank preview) in the one loop
/// on this terminal: taken (raw mode, the alternate screen, `mode` of showing right-to-left
/// text), read with the signals watched, and given back whatever the end. A signal ends the
/// run with an error of kind `Interrupted`.
///
/// # Errors
/// When the terminal cannot be taken.
pub fn run_local<S: Screens>(screens: &mut S, mode: BidiMode) -> io::Result<Outcome> {
    let signal = Arc::new(AtomicUsize::new(0));
    super::terminal::watch_signals(Arc::clone(&signal));
    let mut terminal = super::terminal::enter(mode)?;
    let mut source = LocalTerminal {
        signal,
        mode,
        panic_for_test: false,
    };
    let outcome = run_loop(screens, &mut source, &mut terminal);
    super::terminal::leave();
    Ok(outcome)
}

/// Run the app in the terminal until it quits. Returns the exit code. `early` is the terminal
/// already taken for the loading frame, if it was. `calibrate` starts with the question whether
/// Arabic reads correctly (first run in Arabic). `first` are the effects of an attempt started
/// before the screens; `later` is work done once the first frame is on screen (the parsed-bank
/// cache's entries, see [`crate::bank::cache::Held`]).
///
/// # Errors
/// When the terminal cannot be used.
pub fn run(
    mut app: App,
    places: &Places,
    display: Display,
    calibrate: bool,
    early: Option<Early>,
    first: &[super::app::Effect],
    later: Option<crate::bank::cache::Held>,
) -> io::Result<u8> {
    let taken = if ttys() {
        match early {
            Some(mut e) => match e.terminal.take() {
                // The errors held back while loading are printed when the terminal is left.
                Some(t) => Ok((t, Arc::clone(&e.signal))),
                None => Err(io::Error::other("the terminal was given back")),
            },
            None => {
                let signal = Arc::new(AtomicUsize::new(0));
                super::terminal::watch_signals(Arc::clone(&signal));
                super::terminal::enter(display.mode).map(|t| (t, signal))
            }
        }
    } else {
        Err(io::Error::other(
            "tipquiz needs a terminal (standard input and output are not one)",
        ))
    };
    let (mut terminal, signal) = match taken {
        Ok(t) => t,
        Err(e) => {
            // No frame will be drawn: the cache entries are written now.
            drop(later);
            return Err(e);
        }
    };
    app.display = display;
    if calibrate {
        app.calibrate();
    }
    let mut host = Host::new(places.clone()).with_saver(Saver::start());
    // An attempt started before the screens: its marker and first save, before its first frame;
    // the preferences and the cache entries after it.
    let now = host.now();
    host.execute_before_first_frame(&mut app, first, now);
    if let Some(held) = later {
        host.after_first_frame(move || held.write());
    }
    let mut source = LocalTerminal {
        signal: Arc::clone(&signal),
        mode: display.mode,
        panic_for_test: std::env::var_os("TIPQUIZ_TEST_PANIC").is_some(),
    };
    let outcome = run_screens(&mut app, &mut source, &mut terminal, &mut host);
    host.flush();
    if super::terminal::hung_up() {
        // The terminal is gone: nothing to restore or tell, and writing to it would fail.
        std::mem::forget(terminal);
        return Ok(129);
    }
    super::loading::release_errors_after(super::terminal::leave);
    let code = match outcome {
        Outcome::Quit => 0,
        Outcome::Ended(e) if e.kind() == io::ErrorKind::Interrupted => {
            u8::try_from(128 + signal.load(Ordering::SeqCst)).unwrap_or(1)
        }
        Outcome::Ended(e) => return Err(e),
    };
    if app.session().is_some_and(|s| !s.is_finished()) {
        let _ = writeln!(io::stderr(), "{}", note_for_stderr(&app));
    }
    Ok(code)
}

/// The line left after the screens, laid out like every other Arabic line on a terminal that
/// does not reorder (shaped, reordered, right-aligned); logical text elsewhere.
fn note_for_stderr(app: &App) -> String {
    use super::bidi::{Dir, align, visual_lines};
    let note = app.quit_note();
    let to_terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    if !(app.lang.is_rtl() && to_terminal && app.display.mode == BidiMode::Reorder) {
        return note.to_owned();
    }
    let width = crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w.max(20)));
    visual_lines(
        note,
        Dir::Rtl,
        width,
        BidiMode::Reorder,
        app.display.shaping,
    )
    .iter()
    .map(|l| align(l, Dir::Rtl, width))
    .collect::<Vec<_>>()
    .join("\n")
}
