//! What the screens' effects do, whatever the front: the folders an attempt is written to, the
//! autosave worker, the signing key and the clock, held in one [`Host`] value per session (no
//! process-wide state), so that many sessions can run in one process.

use super::app::{App, Effect, Prefs, SaveStatus};
use super::bidi::BidiMode;
use crate::quiz::{Millis, Session};
use crate::record::{AttemptRecord, Store, attempt_id, write_atomic};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};
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

/// Write the preferences (best effort: they are a convenience).
pub fn save_prefs(path: &std::path::Path, prefs: &Prefs) {
    if let (Ok(body), Some(dir)) = (serde_json::to_vec_pretty(prefs), path.parent()) {
        let _ = write_atomic(dir, path, &body, true);
    }
}

/// The last autosave error of one session, written by the worker.
type ErrorSlot = Arc<Mutex<Option<String>>>;

enum SaveMsg {
    Save(Box<Session>, Box<Places>, ErrorSlot),
    Flush(Sender<()>),
}

/// Writes autosaves on a worker thread, so that no disk or network write sits between a key
/// and the next frame. Of the saves of one attempt waiting together, only the newest is
/// written. A `Saver` is a value: clone it to share one worker between sessions (each keeps
/// its own error), or start one per session. The worker ends when the last clone is dropped.
#[derive(Clone)]
pub struct Saver {
    tx: Sender<SaveMsg>,
}

impl Saver {
    /// Start a worker.
    #[must_use]
    pub fn start() -> Saver {
        let (tx, rx) = channel::<SaveMsg>();
        std::thread::spawn(move || {
            while let Ok(first) = rx.recv() {
                let mut msgs = vec![first];
                msgs.extend(rx.try_iter());
                // The newest save of each attempt (autosave file) in this batch.
                let mut latest: HashMap<(String, String), usize> = HashMap::new();
                for (i, m) in msgs.iter().enumerate() {
                    if let SaveMsg::Save(s, ..) = m {
                        latest.insert((s.state.exam.id.clone(), s.state.trainee.clone()), i);
                    }
                }
                for (i, m) in msgs.into_iter().enumerate() {
                    match m {
                        SaveMsg::Save(s, places, slot) => {
                            let key = (s.state.exam.id.clone(), s.state.trainee.clone());
                            if latest.get(&key) == Some(&i) {
                                let r = save_now(&places, &s);
                                if let Ok(mut e) = slot.lock() {
                                    *e = r.err();
                                }
                            }
                        }
                        SaveMsg::Flush(done) => {
                            let _ = done.send(());
                        }
                    }
                }
            }
        });
        Saver { tx }
    }

    fn save(&self, s: &Session, places: &Places, slot: &ErrorSlot) {
        let _ = self.tx.send(SaveMsg::Save(
            Box::new(s.clone()),
            Box::new(places.clone()),
            Arc::clone(slot),
        ));
    }

    /// Wait until every autosave sent so far is written (or failed), at most ten seconds.
    pub fn flush(&self) {
        let (done_tx, done_rx) = channel();
        if self.tx.send(SaveMsg::Flush(done_tx)).is_ok() {
            let _ = done_rx.recv_timeout(Duration::from_secs(10));
        }
    }
}

fn save_now(places: &Places, s: &Session) -> Result<(), String> {
    let r = places
        .autosaves
        .autosave(&s.state)
        .map(|_| ())
        .map_err(|e| e.message().render(s.state.lang));
    publish_progress(places, s);
    r
}

/// What one session's effects need: where to write, how (autosave worker or at once), the key
/// that signs records, whether preferences are remembered, and the clock.
pub struct Host {
    /// Where attempts, records and preferences go.
    pub places: Places,
    /// The autosave worker; `None` writes autosaves at once, on the loop's thread. (The key
    /// that signs records is [`Places::key`].)
    pub saver: Option<Saver>,
    /// Write the trainee's choices to [`Places::prefs`] (a local terminal does; a server with
    /// many trainees may not).
    pub remember_prefs: bool,
    /// Say where a record was written by its file name only, not its folder (a server's
    /// trainees are not shown the server's folders).
    pub names_only: bool,
    /// The clock: milliseconds since the Unix epoch.
    pub clock: Box<dyn Fn() -> Millis + Send>,
    save_error: ErrorSlot,
}

impl Host {
    /// A host writing to `places`, autosaving at once, reading the wall clock, remembering
    /// preferences, signing nothing.
    #[must_use]
    pub fn new(places: Places) -> Host {
        Host {
            places,
            saver: None,
            remember_prefs: true,
            names_only: false,
            clock: Box::new(now_ms),
            save_error: Arc::new(Mutex::new(None)),
        }
    }

    /// The same with autosaves written by `saver`.
    #[must_use]
    pub fn with_saver(mut self, saver: Saver) -> Host {
        self.saver = Some(saver);
        self
    }

    /// The same with another clock (tests, or a server's own time source).
    #[must_use]
    pub fn with_clock(mut self, clock: impl Fn() -> Millis + Send + 'static) -> Host {
        self.clock = Box::new(clock);
        self
    }

    /// The time now, by the host's clock.
    #[must_use]
    pub fn now(&self) -> Millis {
        (self.clock)()
    }

    /// Wait for the autosaves sent so far.
    pub fn flush(&self) {
        if let Some(s) = &self.saver {
            s.flush();
        }
    }

    /// The error of the last autosave written by the worker, if it failed.
    #[must_use]
    pub fn save_error(&self) -> Option<String> {
        self.save_error.lock().ok().and_then(|e| e.clone())
    }

    /// Carry out effects that only need the host (saving, recording, preferences). Returns
    /// `true` when the session should end. Effects that need the front ([`Effect::Suspend`],
    /// [`Effect::FlipBidi`]) are left to the event loop and ignored here.
    pub fn execute(&mut self, app: &mut App, effects: &[Effect], now: Millis) -> bool {
        let mut quit = false;
        for e in effects {
            match e {
                Effect::Autosave => {
                    if let Some(s) = app.session() {
                        match &self.saver {
                            Some(saver) => saver.save(s, &self.places, &self.save_error),
                            None => {
                                if let Err(err) = save_now(&self.places, s) {
                                    app.message = Some(err);
                                }
                            }
                        }
                    }
                }
                Effect::Started => {
                    if let Some(s) = app.session()
                        && let Err(why) = mark_started(&self.places, s)
                    {
                        // The attempt goes on: the marker only helps the instructor find it.
                        app.message = Some(why);
                    }
                }
                Effect::Commit => {
                    self.flush();
                    if let Some(s) = app.session() {
                        let status = match commit_attempt(&self.places, s, now) {
                            Ok(p) if self.names_only => SaveStatus::Saved(
                                p.file_name()
                                    .map(|n| n.to_string_lossy().into_owned())
                                    .unwrap_or_default(),
                            ),
                            Ok(p) => SaveStatus::Saved(p.display().to_string()),
                            Err(e) => SaveStatus::Failed(e),
                        };
                        app.saved(status);
                    }
                }
                Effect::SavePrefs => {
                    if self.remember_prefs {
                        let prefs = app.prefs(load_prefs(&self.places.prefs));
                        save_prefs(&self.places.prefs, &prefs);
                    }
                }
                Effect::SaveBidi(mode) => {
                    if self.remember_prefs {
                        let mut prefs = load_prefs(&self.places.prefs);
                        prefs.bidi = Some(
                            match mode {
                                BidiMode::Reorder => "reorder",
                                BidiMode::Terminal => "terminal",
                            }
                            .to_owned(),
                        );
                        save_prefs(&self.places.prefs, &prefs);
                    }
                }
                Effect::Quit => quit = true,
                Effect::Suspend | Effect::FlipBidi => {}
            }
        }
        quit
    }
}

/// Carry out `effects` for `app` with a host that writes at once (no worker): for work done
/// before an event loop starts. Returns `true` when the program should quit.
pub fn execute(app: &mut App, places: &Places, effects: &[Effect], now: Millis) -> bool {
    Host::new(places.clone()).execute(app, effects, now)
}

/// Tell the live board how far this attempt is (best effort: the board is a convenience, the
/// autosave is what keeps answers safe).
fn publish_progress(places: &Places, s: &Session) {
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

/// Write the start marker of the attempt that has just started into its results folder, so that
/// the instructor's views know of it even if it never produces a record. The error, in the
/// trainee's language, says that the marker could not be written and that the answers are kept.
///
/// # Errors
/// The marker could not be written.
pub fn mark_started(places: &Places, s: &Session) -> Result<PathBuf, String> {
    let m = crate::record::StartMarker::of(&s.state, &places.program);
    results_for(places, &s.state.exam)
        .mark_started(&m)
        .map_err(|e| {
            crate::messages::Msg::new(
                crate::messages::K::StartNotMarked,
                vec![crate::messages::Arg::Msg(e.message())],
            )
            .render(s.state.lang)
        })
}

/// The results folder for an attempt: the explicit one, else the exam's own, else the default.
#[must_use]
pub fn results_for(places: &Places, exam: &crate::exam::ExamDef) -> Store {
    match &exam.results {
        Some(dir) if !places.results_explicit => Store::new(dir),
        _ => places.results.clone(),
    }
}

/// Record a finished attempt in the results folder, signed with [`Places::key`] when there is
/// one. On success the autosave and any pending copy are removed. On failure the attempt is
/// kept in the pending folder (local disk) so that a retry or `tipquiz recover` can write it
/// later; the error says what failed.
///
/// # Errors
/// The reason the record could not be written, in words.
pub fn commit_attempt(places: &Places, s: &Session, now: Millis) -> Result<PathBuf, String> {
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
/// autosave folder by a crash) to the results folder. Returns (written, failures), an attempt
/// that cannot be resumed said in `lang`.
#[must_use]
pub fn recover(
    places: &Places,
    lib: &crate::bank::Library,
    now: Millis,
    lang: crate::text::Lang,
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
        match Session::resume(a, lib) {
            Ok(s) => match commit_attempt(places, &s, now) {
                Ok(p) => {
                    let _ = std::fs::remove_file(&path);
                    ok.push(p.display().to_string());
                }
                Err(e) => failed.push(format!("{name}: {e}")),
            },
            Err(e) => failed.push(format!("{name}: {}", e.message().render(lang))),
        }
    }
    (ok, failed)
}
