//! The event loop: wait for a key or the next deadline (never spin), update, execute effects,
//! draw. The terminal is restored on exit, on panic, on SIGTERM, SIGHUP and SIGINT, and around
//! Ctrl-Z.

use super::app::{App, Effect, Prefs, SaveStatus};
use super::ui::{self, Display};
use crate::quiz::Millis;
use crate::record::{AttemptRecord, Store, attempt_id, write_atomic};
use crossterm::event::{self, Event, KeyCode, KeyModifiers};
use std::io::{self, Write as _};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Wall-clock time in milliseconds since the Unix epoch.
#[must_use]
pub fn now_ms() -> Millis {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Where things are written.
#[derive(Clone, Debug)]
pub struct Places {
    /// Results folder (records).
    pub results: Store,
    /// Results folder given explicitly (`--results` or `TIPQUIZ_RESULTS`): it wins over an
    /// exam's own `results`.
    pub results_explicit: bool,
    /// Local autosave folder.
    pub autosaves: Store,
    /// Finished attempts that could not be written to the results folder yet.
    pub pending: Store,
    /// Preferences file.
    pub prefs: PathBuf,
    /// Program name and version for records.
    pub program: String,
    /// The key records are signed with when they are written (the instructor's, from
    /// `TIPQUIZ_KEY_FILE`), if any.
    pub key: Option<Vec<u8>>,
}

/// Load the remembered preferences (empty when missing or unreadable).
#[must_use]
pub fn load_prefs(path: &std::path::Path) -> Prefs {
    std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Execute the effects of an update. Returns `true` when the program should quit.
pub fn execute(app: &mut App, places: &Places, effects: &[Effect], now: Millis) -> bool {
    let mut quit = false;
    for e in effects {
        match e {
            Effect::Autosave => {
                if let Some(s) = &app.session {
                    match SAVER.get() {
                        // Off the input path: the worker writes, the loop goes on.
                        Some(saver) => saver.save(s, places),
                        None => {
                            if let Err(err) = save_now(places, s) {
                                app.message = Some(err);
                            }
                        }
                    }
                }
            }
            Effect::Commit => {
                flush_saves();
                if let Some(s) = &app.session {
                    app.save = match commit_attempt(places, s, now) {
                        Ok(p) => SaveStatus::Saved(p.display().to_string()),
                        Err(e) => SaveStatus::Failed(e),
                    };
                }
            }
            Effect::SavePrefs => {
                let prefs = app.prefs(load_prefs(&places.prefs));
                if let (Ok(body), Some(dir)) =
                    (serde_json::to_vec_pretty(&prefs), places.prefs.parent())
                {
                    let _ = write_atomic(dir, &places.prefs, &body, true);
                }
            }
            Effect::Quit => quit = true,
        }
    }
    quit
}

fn save_now(places: &Places, s: &crate::quiz::Session) -> Result<(), String> {
    let r = places
        .autosaves
        .autosave(&s.state)
        .map(|_| ())
        .map_err(|e| e.message().render(s.state.lang));
    publish_progress(places, s);
    r
}

enum SaveMsg {
    Save(Box<crate::quiz::Session>, Box<Places>),
    Flush(std::sync::mpsc::Sender<()>),
}

/// Writes autosaves on a worker thread, so that no disk or network write sits between a key and
/// the next frame. Only the newest pending state is written.
struct Saver {
    tx: std::sync::Mutex<std::sync::mpsc::Sender<SaveMsg>>,
    error: Arc<std::sync::Mutex<Option<String>>>,
}

static SAVER: std::sync::OnceLock<Saver> = std::sync::OnceLock::new();

impl Saver {
    fn start() -> Saver {
        let (tx, rx) = std::sync::mpsc::channel::<SaveMsg>();
        let error = Arc::new(std::sync::Mutex::new(None));
        let err = Arc::clone(&error);
        std::thread::spawn(move || {
            while let Ok(first) = rx.recv() {
                let mut msgs = vec![first];
                msgs.extend(rx.try_iter());
                let latest = msgs.iter().rposition(|m| matches!(m, SaveMsg::Save(..)));
                for (i, m) in msgs.into_iter().enumerate() {
                    match m {
                        SaveMsg::Save(s, places) if Some(i) == latest => {
                            let r = save_now(&places, &s);
                            if let Ok(mut e) = err.lock() {
                                *e = r.err();
                            }
                        }
                        SaveMsg::Save(..) => {}
                        SaveMsg::Flush(done) => {
                            let _ = done.send(());
                        }
                    }
                }
            }
        });
        Saver {
            tx: std::sync::Mutex::new(tx),
            error,
        }
    }

    fn save(&self, s: &crate::quiz::Session, places: &Places) {
        if let Ok(tx) = self.tx.lock() {
            let _ = tx.send(SaveMsg::Save(Box::new(s.clone()), Box::new(places.clone())));
        }
    }
}

/// Wait until every autosave sent so far is written (or failed).
pub fn flush_saves() {
    if let Some(saver) = SAVER.get() {
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        let sent = saver
            .tx
            .lock()
            .map(|tx| tx.send(SaveMsg::Flush(done_tx)).is_ok())
            .unwrap_or(false);
        if sent {
            let _ = done_rx.recv_timeout(std::time::Duration::from_secs(10));
        }
    }
}

/// The last autosave error from the worker, if the last save failed.
fn save_error() -> Option<String> {
    SAVER
        .get()
        .and_then(|s| s.error.lock().ok().and_then(|e| e.clone()))
}

/// Tell the live board how far this attempt is (best effort: the board is a convenience, the
/// autosave is what keeps answers safe).
fn publish_progress(places: &Places, s: &crate::quiz::Session) {
    use crate::report::board::{PROGRESS_DIR, Progress};
    let dir = results_for(places, &s.state.exam).dir.join(PROGRESS_DIR);
    let path = dir.join(Progress::file_name(&s.state.exam.id, &s.state.trainee));
    if s.is_finished() {
        let _ = std::fs::remove_file(path);
        return;
    }
    let p = Progress {
        trainee: s.state.trainee.clone(),
        exam_id: s.state.exam.id.clone(),
        exam_title: s.state.exam.title.get(crate::text::Lang::En).to_owned(),
        answered: s.len() - s.unanswered().len(),
        total: s.len(),
        started_at: s.state.started_at,
        deadline: s.state.deadline,
    };
    if let Ok(body) = serde_json::to_vec(&p) {
        let _ = write_atomic(&dir, &path, &body, true);
    }
}

/// The results folder for an attempt: the explicit one, else the exam's own, else the default.
#[must_use]
pub fn results_for(places: &Places, exam: &crate::exam::ExamDef) -> Store {
    match &exam.results {
        Some(dir) if !places.results_explicit => Store::new(dir),
        _ => places.results.clone(),
    }
}

/// Record a finished attempt in the results folder. On success the autosave and any pending
/// copy are removed. On failure the attempt is kept in the pending folder (local disk) so that
/// a retry or `tipquiz recover` can write it later; the error says what failed.
///
/// # Errors
/// The reason the record could not be written, in words.
pub fn commit_attempt(
    places: &Places,
    s: &crate::quiz::Session,
    now: Millis,
) -> Result<PathBuf, String> {
    let rec = AttemptRecord::from_session(s, &attempt_id(&s.state), now, &places.program);
    let pending_path = places.pending.dir.join(pending_name(&s.state));
    match results_for(places, &s.state.exam).commit(&rec, places.key.as_deref()) {
        Ok(p) => {
            let _ = places
                .autosaves
                .remove_autosave(&s.state.exam.id, &s.state.trainee);
            let _ = std::fs::remove_file(&pending_path);
            Ok(p)
        }
        Err(err) => {
            if let Ok(body) = serde_json::to_vec(&s.state)
                && write_atomic(&places.pending.dir, &pending_path, &body, true).is_ok()
            {
                let _ = places
                    .autosaves
                    .remove_autosave(&s.state.exam.id, &s.state.trainee);
            }
            Err(err.message().render(s.state.lang))
        }
    }
}

fn pending_name(a: &crate::quiz::Attempt) -> String {
    format!(
        "{}--{}--{}.json",
        a.exam.id,
        crate::record::trainee_slug(&a.trainee),
        a.started_at
    )
}

/// Write every finished attempt that is waiting (in the pending folder, or left finished in the
/// autosave folder by a crash) to the results folder. Returns (written, failures).
#[must_use]
pub fn recover(
    places: &Places,
    lib: &crate::bank::Library,
    now: Millis,
) -> (Vec<String>, Vec<String>) {
    let mut ok = Vec::new();
    let mut failed = Vec::new();
    let mut waiting = places.pending.all_autosaves();
    waiting.extend(
        places
            .autosaves
            .all_autosaves()
            .into_iter()
            .filter(|(_, a)| matches!(a.status, crate::quiz::Status::Finished { .. })),
    );
    for (path, a) in waiting {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match crate::quiz::Session::resume(a, lib) {
            Ok(s) => match commit_attempt(places, &s, now) {
                Ok(p) => {
                    let _ = std::fs::remove_file(&path);
                    ok.push(p.display().to_string());
                }
                Err(e) => failed.push(format!("{name}: {e}")),
            },
            Err(e) => failed.push(format!("{name}: {e}")),
        }
    }
    (ok, failed)
}

/// How long to wait for a key: until the countdown's next second or the next deadline.
#[must_use]
pub fn wait_for(app: &App, now: Millis) -> Duration {
    let Some(s) = app.session.as_ref().filter(|s| !s.is_finished()) else {
        return Duration::from_millis(1000);
    };
    let mut ms: Millis = 1000;
    if let Some(left) = s.remaining(now) {
        ms = ms.min(left % 1000 + 1);
    }
    if let Some(left) = s.question_remaining(now) {
        ms = ms.min(left % 1000 + 1);
    }
    if let Some(d) = s.next_deadline() {
        ms = ms.min((d - now).max(0) + 1);
    }
    Duration::from_millis(u64::try_from(ms.clamp(1, 1000)).unwrap_or(1000))
}

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
        if !std::io::IsTerminal::is_terminal(&std::io::stdin())
            || !std::io::IsTerminal::is_terminal(&std::io::stdout())
        {
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

/// Run the app in the terminal until it quits. Returns the exit code. `early` is the terminal
/// already taken for the loading frame, if it was.
///
/// # Errors
/// When the terminal cannot be used.
pub fn run(
    mut app: App,
    places: &Places,
    mut display: Display,
    calibrate: bool,
    early: Option<Early>,
) -> io::Result<u8> {
    if !std::io::IsTerminal::is_terminal(&std::io::stdin())
        || !std::io::IsTerminal::is_terminal(&std::io::stdout())
    {
        return Err(io::Error::other(
            "tipquiz needs a terminal (standard input and output are not one)",
        ));
    }
    let _ = SAVER.get_or_init(Saver::start);
    let (mut terminal, signal) = match early {
        Some(mut e) => match e.terminal.take() {
            Some(t) => {
                // The errors held back while loading are printed when the terminal is left.
                (t, Arc::clone(&e.signal))
            }
            None => return Err(io::Error::other("the terminal was given back")),
        },
        None => {
            let signal = Arc::new(AtomicUsize::new(0));
            super::terminal::watch_signals(Arc::clone(&signal));
            (super::terminal::enter(display.mode)?, signal)
        }
    };
    if calibrate {
        terminal = calibration(terminal, &app, places, &mut display)?;
    }
    let mut code = 0u8;
    // Test hook: panic after the first key, to check that a panic restores the terminal.
    let panic_for_test = std::env::var_os("TIPQUIZ_TEST_PANIC").is_some();
    // An error of the terminal ends the loop (below: the attempt is saved first). The loop
    // body has no inner loop, so `break` leaves the event loop.
    let mut failure: Option<io::Error> = None;
    macro_rules! io {
        ($e:expr) => {
            match $e {
                Ok(v) => v,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        };
    }
    'events: loop {
        let now = now_ms();
        io!(terminal.draw(|f| ui::draw(f, &app, display, now)));
        let effects = if io!(event::poll(wait_for(&app, now_ms()))) {
            match io!(event::read()) {
                Event::Key(k)
                    if k.code == KeyCode::Char('z')
                        && k.modifiers.contains(KeyModifiers::CONTROL) =>
                {
                    let stopped = now_ms();
                    let fx = vec![Effect::Autosave];
                    execute(&mut app, places, &fx, stopped);
                    flush_saves();
                    super::terminal::leave();
                    let _ = signal_hook::low_level::raise(signal_hook::consts::SIGTSTP);
                    // Continued: take the terminal back and redraw everything.
                    terminal = io!(super::terminal::enter(display.mode));
                    let back = now_ms();
                    if let Some(s) = &mut app.session {
                        s.record_pause(stopped, back);
                    }
                    app.tick(back)
                }
                Event::Key(k) if k.code == KeyCode::F(2) => {
                    // Flip who reorders right-to-left text, live, and remember it.
                    io!(flip_bidi(&mut terminal, places, &mut display));
                    Vec::new()
                }
                Event::Key(k) => {
                    assert!(!panic_for_test, "TIPQUIZ_TEST_PANIC: panicking on purpose");
                    app.handle_key(k, now_ms())
                }
                Event::Resize(..) => {
                    io!(terminal.autoresize());
                    Vec::new()
                }
                _ => Vec::new(),
            }
        } else {
            app.tick(now_ms())
        };
        // Signals, and a terminal gone without one (see `watch_signals`), land here.
        let sig = signal.swap(0, Ordering::SeqCst);
        if sig != 0 {
            execute(&mut app, places, &[Effect::Autosave], now_ms());
            flush_saves();
            code = u8::try_from(128 + sig).unwrap_or(1);
            break 'events;
        }
        if execute(&mut app, places, &effects, now_ms()) {
            break 'events;
        }
        if let Some(e) = save_error() {
            app.message = Some(e);
        }
    }
    if failure.is_some() {
        execute(&mut app, places, &[Effect::Autosave], now_ms());
    }
    flush_saves();
    if super::terminal::hung_up() {
        // The terminal is gone: nothing to restore or tell, and writing to it would fail.
        std::mem::forget(terminal);
        return Ok(129);
    }
    super::loading::release_errors_after(super::terminal::leave);
    if let Some(e) = failure {
        return Err(e);
    }
    if app.session.as_ref().is_some_and(|s| !s.is_finished()) {
        let _ = writeln!(io::stderr(), "{}", app.t().quit_question);
    }
    Ok(code)
}

fn save_bidi(places: &Places, mode: super::bidi::BidiMode) {
    let mut prefs = load_prefs(&places.prefs);
    prefs.bidi = Some(match mode {
        super::bidi::BidiMode::Reorder => "reorder".to_owned(),
        super::bidi::BidiMode::Terminal => "terminal".to_owned(),
    });
    if let (Ok(body), Some(dir)) = (serde_json::to_vec_pretty(&prefs), places.prefs.parent()) {
        let _ = write_atomic(dir, &places.prefs, &body, true);
    }
}

fn flip_bidi(
    terminal: &mut ratatui::DefaultTerminal,
    places: &Places,
    display: &mut Display,
) -> io::Result<()> {
    use super::bidi::BidiMode;
    super::terminal::leave();
    display.mode = match display.mode {
        BidiMode::Reorder => BidiMode::Terminal,
        BidiMode::Terminal => BidiMode::Reorder,
    };
    display.shaping = display.mode == BidiMode::Reorder;
    save_bidi(places, display.mode);
    *terminal = super::terminal::enter(display.mode)?;
    Ok(())
}

/// First run in Arabic: show a sample line and ask whether it reads correctly; on "no", flip the
/// mode and ask again. The answer is remembered.
fn calibration(
    mut terminal: ratatui::DefaultTerminal,
    app: &App,
    places: &Places,
    display: &mut Display,
) -> io::Result<ratatui::DefaultTerminal> {
    for _ in 0..4 {
        terminal.draw(|f| ui::draw_calibration(f, app.lang, *display))?;
        loop {
            if let Event::Key(k) = event::read()? {
                match k.code {
                    KeyCode::Char('1' | '\u{0661}' | 'y') | KeyCode::Enter => {
                        save_bidi(places, display.mode);
                        return Ok(terminal);
                    }
                    KeyCode::Char('2' | '\u{0662}' | 'n') => {
                        flip_bidi(&mut terminal, places, display)?;
                        break;
                    }
                    KeyCode::Esc => return Ok(terminal),
                    _ => {}
                }
            }
        }
    }
    Ok(terminal)
}
