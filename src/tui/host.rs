//! What the screens' effects do, whatever the front: the folders an attempt is written to, the
//! autosave worker, the signing key and the clock, held in one [`Host`] value per session (no
//! process-wide state), so that many sessions can run in one process.

use super::app::{App, Effect, Input, Prefs, SaveStatus};
use super::bidi::BidiMode;
use crate::quiz::{Millis, Session};
use crate::record::{AttemptRecord, Store, attempt_id, write_atomic_synced};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
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

/// Write the preferences (best effort: they are a convenience, so they are not synced to disk
/// and cost no fsync before the first question; a killed process leaves them whole).
pub fn save_prefs(path: &std::path::Path, prefs: &Prefs) {
    if let (Ok(body), Some(dir)) = (serde_json::to_vec_pretty(prefs), path.parent()) {
        let _ = write_atomic_synced(dir, path, &body, true, false);
    }
}

/// The last autosave error of one session, written by the worker.
type ErrorSlot = Arc<Mutex<Option<String>>>;

enum SaveMsg {
    Save(Box<Session>, Box<Places>, ErrorSlot, Option<Sender<()>>),
    Flush(Sender<()>),
}

/// How long the loop waits for the autosave of a change before it draws the change: an answer
/// is shown once it is saved (a local autosave takes well under a millisecond). When the disk
/// is slower than this, the screen says the last answer may not be saved yet.
pub const ACK_WAIT: Duration = Duration::from_secs(2);

/// Writes autosaves on a worker thread, and tells the live board how far each attempt is on a
/// second one (the board is on the results folder, often a network share, and must never hold
/// up an autosave). Of the saves of one attempt waiting together, only the newest is written,
/// and every save waiting for it is acknowledged when it is written. A `Saver` is a value: clone
/// it to share one worker between sessions (each keeps its own error), or start one per
/// session. The workers end when the last clone is dropped.
#[derive(Clone)]
pub struct Saver {
    tx: Sender<SaveMsg>,
}

/// The newest message of each attempt (autosave file) in a batch.
fn newest(msgs: &[SaveMsg]) -> HashMap<(String, String), usize> {
    let mut latest: HashMap<(String, String), usize> = HashMap::new();
    for (i, m) in msgs.iter().enumerate() {
        if let SaveMsg::Save(s, ..) = m {
            latest.insert((s.state.exam.id.clone(), s.state.trainee.clone()), i);
        }
    }
    latest
}

impl Saver {
    /// Start a worker.
    #[must_use]
    pub fn start() -> Saver {
        let (tx, rx) = channel::<SaveMsg>();
        let (board_tx, board_rx) = channel::<SaveMsg>();
        std::thread::spawn(move || {
            while let Ok(first) = board_rx.recv() {
                let mut msgs = vec![first];
                msgs.extend(board_rx.try_iter());
                let latest = newest(&msgs);
                for (i, m) in msgs.into_iter().enumerate() {
                    if let SaveMsg::Save(s, places, ..) = m {
                        let key = (s.state.exam.id.clone(), s.state.trainee.clone());
                        if latest.get(&key) == Some(&i) {
                            publish_progress(&places, &s);
                        }
                    }
                }
            }
        });
        std::thread::spawn(move || {
            while let Ok(first) = rx.recv() {
                let mut msgs = vec![first];
                msgs.extend(rx.try_iter());
                let latest = newest(&msgs);
                // Acknowledgements wait for the newest save of their attempt in this batch.
                let mut acks: HashMap<(String, String), Vec<Sender<()>>> = HashMap::new();
                for (i, m) in msgs.into_iter().enumerate() {
                    match m {
                        SaveMsg::Save(s, places, slot, ack) => {
                            let key = (s.state.exam.id.clone(), s.state.trainee.clone());
                            acks.entry(key.clone()).or_default().extend(ack);
                            if latest.get(&key) == Some(&i) {
                                let r = autosave_now(&places, &s);
                                if let Ok(mut e) = slot.lock() {
                                    *e = r.err();
                                }
                                for a in acks.remove(&key).unwrap_or_default() {
                                    let _ = a.send(());
                                }
                                let _ = board_tx.send(SaveMsg::Save(s, places, slot, None));
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

    /// Send a save; the receiver hears when it is written (or failed).
    fn save(&self, s: &Session, places: &Places, slot: &ErrorSlot) -> Receiver<()> {
        let (ack_tx, ack_rx) = channel();
        let _ = self.tx.send(SaveMsg::Save(
            Box::new(s.clone()),
            Box::new(places.clone()),
            Arc::clone(slot),
            Some(ack_tx),
        ));
        ack_rx
    }

    /// Wait until every autosave sent so far is written (or failed), at most ten seconds.
    pub fn flush(&self) {
        let (done_tx, done_rx) = channel();
        if self.tx.send(SaveMsg::Flush(done_tx)).is_ok() {
            let _ = done_rx.recv_timeout(Duration::from_secs(10));
        }
    }
}

/// Write the autosave (in the data folder, else in the last-resort folder). `Err`: what the
/// trainee must be told (answers saved elsewhere, or not saved at all).
fn autosave_now(places: &Places, s: &Session) -> Result<(), String> {
    use crate::messages::{K, Msg};
    let lang = s.state.lang;
    match places.autosaves.autosave_kept(&s.state) {
        Ok((_, None)) => Ok(()),
        Ok((p, Some(why))) => {
            // Saved, but not where it belongs: say where, and why.
            let why = why.message().render(lang);
            Err(Msg::new(
                K::AutosavedElsewhere,
                vec![
                    why.into(),
                    p.parent().unwrap_or(&p).display().to_string().into(),
                ],
            )
            .render(lang))
        }
        Err(e) => {
            Err(Msg::new(K::AutosaveFailed, vec![e.message().render(lang).into()]).render(lang))
        }
    }
}

fn save_now(places: &Places, s: &Session) -> Result<(), String> {
    let r = autosave_now(places, s);
    publish_progress(places, s);
    r
}

/// What is known of a results folder: whether it is there, and whether it is a mount point
/// (on another file system than the folder above it: a network share mounted there). `None`
/// when it is missing. Elsewhere than Unix, only whether it is there.
#[must_use]
pub fn folder_id(dir: &std::path::Path) -> Option<FolderId> {
    let m = std::fs::metadata(dir)
        .ok()
        .filter(std::fs::Metadata::is_dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let above = dir
            .canonicalize()
            .ok()
            .and_then(|c| c.parent().map(std::fs::metadata))
            .and_then(Result::ok);
        Some(FolderId {
            mounted: above.is_some_and(|p| p.dev() != m.dev()),
        })
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        Some(FolderId { mounted: false })
    }
}

/// See [`folder_id`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FolderId {
    /// The folder is a mount point.
    pub mounted: bool,
}

impl FolderId {
    /// Whether a folder that was `self` when the attempt started may take the record as `now`:
    /// a folder that was a mount point and is not one any more is the empty local folder below
    /// a share that dropped (a share mounted again, or any plain folder, is fine).
    #[must_use]
    pub fn still(self, now: FolderId) -> bool {
        !self.mounted || now.mounted
    }
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
    /// The attempts this host has seen start or resume, with the identity of their results
    /// folder at that moment ([`folder_id`]).
    started: HashMap<String, Option<FolderId>>,
    /// When a finished attempt that is not recorded yet is tried again.
    retry_at: Option<Millis>,
}

/// How often a finished attempt that could not be recorded is tried again, in milliseconds.
pub const RETRY_MS: Millis = 5_000;

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
            started: HashMap::new(),
            retry_at: None,
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

    /// The first autosave of an attempt in this host: a new attempt makes its results folder
    /// when missing (the only time it is made: later, a missing folder is a share that dropped),
    /// and the folder's identity is noted, to be checked when the attempt is recorded.
    fn note_start(&mut self, s: &Session) {
        let id = attempt_id(&s.state);
        if self.started.contains_key(&id) {
            return;
        }
        let dir = results_for(&self.places, &s.state.exam).dir;
        let fresh = s.state.slots.iter().all(|x| x.response.is_none());
        if fresh && !dir.exists() {
            let _ = std::fs::create_dir_all(&dir);
        }
        self.started.insert(id, folder_id(&dir));
    }

    /// Try again to record a finished attempt that could not be recorded, every [`RETRY_MS`]:
    /// a share that comes back, or space that was freed, records it without a key. Returns
    /// `true` when it tried.
    pub fn retry_due(&mut self, app: &mut App, now: Millis) -> bool {
        if !matches!(app.save_status(), Some(SaveStatus::Failed(..)))
            || self.retry_at.is_none_or(|t| now < t)
        {
            return false;
        }
        self.execute(app, &[Effect::Commit], now);
        true
    }

    /// Carry out effects that only need the host (saving, recording, preferences). Returns
    /// `true` when the session should end. Effects that need the front ([`Effect::Suspend`],
    /// [`Effect::FlipBidi`]) are left to the event loop and ignored here.
    pub fn execute(&mut self, app: &mut App, effects: &[Effect], now: Millis) -> bool {
        let mut quit = false;
        for e in effects {
            match e {
                Effect::Autosave => {
                    let mut notice = None;
                    if let Some(s) = app.session() {
                        self.note_start(s);
                        match &self.saver {
                            Some(saver) => {
                                // The change is drawn once it is saved (see [`ACK_WAIT`]).
                                let ack = saver.save(s, &self.places, &self.save_error);
                                if ack.recv_timeout(ACK_WAIT).is_err() {
                                    notice = Some(
                                        crate::messages::Msg::from(crate::messages::K::SaveSlow)
                                            .render(s.state.lang),
                                    );
                                }
                            }
                            None => notice = save_now(&self.places, s).err(),
                        }
                    }
                    if notice.is_some() {
                        app.update(Input::Notice(notice), now);
                    }
                }
                Effect::Started => {
                    // The attempt goes on: the marker only helps the instructor find it.
                    let why = app
                        .session()
                        .and_then(|s| mark_started(&self.places, s).err());
                    if why.is_some() {
                        app.update(Input::Notice(why), now);
                    }
                }
                Effect::Commit => {
                    self.flush();
                    if let Some(s) = app.session() {
                        let expected = self.started.get(&attempt_id(&s.state)).copied().flatten();
                        let shown = |p: &std::path::Path| {
                            if self.names_only {
                                p.file_name()
                                    .map(|n| n.to_string_lossy().into_owned())
                                    .unwrap_or_default()
                            } else {
                                p.display().to_string()
                            }
                        };
                        let status = match commit_attempt_in(&self.places, s, now, expected) {
                            Ok(p) => SaveStatus::Saved(shown(&p)),
                            Err(e) => SaveStatus::Failed(e.reason, e.kept.as_deref().map(shown)),
                        };
                        self.retry_at =
                            matches!(status, SaveStatus::Failed(..)).then_some(now + RETRY_MS);
                        app.update(Input::Saved(status), now);
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
        // Only inside an existing results folder (never made again here: see
        // [`Host::note_start`]); the progress folder itself takes a class folder's permissions.
        if crate::record::make_subfolder(&dir).is_ok() {
            // Not synced: a progress file is the board's convenience, rewritten at every save.
            let _ = crate::record::write_atomic_into_synced(&dir, &path, &body, true, false);
        }
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

/// Why a finished attempt is not in the results folder, and where it is kept instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotRecorded {
    /// Why, in words (the attempt's language).
    pub reason: String,
    /// Where the attempt is kept on this computer for `tipquiz recover` (the pending folder, or
    /// the last-resort folder); `None` when it could not be written anywhere: it is then only
    /// in memory, and the caller must keep it and try again.
    pub kept: Option<PathBuf>,
    /// The results folder already has a different record of this attempt (it was submitted
    /// twice): trying again cannot help.
    pub conflict: bool,
}

impl std::fmt::Display for NotRecorded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

/// Record a finished attempt in the results folder, signed with [`Places::key`] when there is
/// one. On success the autosave and any pending copy are removed. On failure the attempt is
/// kept in the pending folder (local disk), else in the last-resort folder, so that a retry or
/// `tipquiz recover` can write it later; the error says what failed and where it is kept.
///
/// # Errors
/// The reason the record could not be written, in words, and where the attempt is kept.
pub fn commit_attempt(places: &Places, s: &Session, now: Millis) -> Result<PathBuf, String> {
    commit_attempt_in(places, s, now, None).map_err(|e| e.reason)
}

/// [`commit_attempt`], checking that the results folder is still what it was when the attempt
/// started (`expected`, see [`folder_id`]). The results folder is never created here.
///
/// # Errors
/// Why it is not recorded, and where it is kept.
pub fn commit_attempt_in(
    places: &Places,
    s: &Session,
    now: Millis,
    expected: Option<FolderId>,
) -> Result<PathBuf, NotRecorded> {
    use crate::messages::{K, Msg};
    let lang = s.state.lang;
    let rec = AttemptRecord::from_session(s, &attempt_id(&s.state), now, &places.program);
    let name = pending_name(&s.state);
    let results = results_for(places, &s.state.exam);
    let shown = || results.dir.display().to_string();
    let mut conflict = false;
    let outcome = match folder_id(&results.dir) {
        None => Err(Msg::new(K::ResultsFolderMissing, vec![shown().into()]).render(lang)),
        Some(id) if expected.is_some_and(|e| !e.still(id)) => {
            Err(Msg::new(K::ResultsFolderChanged, vec![shown().into()]).render(lang))
        }
        Some(_) => results
            .commit_into(&rec, places.key.as_deref())
            .map_err(|e| {
                conflict = matches!(&e, crate::record::StoreError::Io { source, .. }
                    if source.kind() == std::io::ErrorKind::AlreadyExists);
                e.message().render(lang)
            }),
    };
    match outcome {
        Ok(p) => {
            let _ = places
                .autosaves
                .remove_autosave(&s.state.exam.id, &s.state.trainee);
            let _ = places.pending.remove(&name);
            Ok(p)
        }
        Err(reason) => {
            let kept = serde_json::to_vec(&s.state)
                .ok()
                .and_then(|body| places.pending.keep(&name, &body).ok())
                .map(|(p, _)| p);
            let kept = match kept {
                Some(p) => {
                    let _ = places
                        .autosaves
                        .remove_autosave(&s.state.exam.id, &s.state.trainee);
                    Some(p)
                }
                // The autosave of the finished attempt is the other copy `recover` reads.
                None => places.autosaves.autosave(&s.state).ok(),
            };
            Err(NotRecorded {
                reason,
                kept,
                conflict,
            })
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
            Ok(s) => match commit_attempt_in(places, &s, now, None) {
                Ok(p) => {
                    let _ = std::fs::remove_file(&path);
                    ok.push(p.display().to_string());
                }
                Err(e) if e.conflict => {
                    // Submitted twice (two terminals): the record in the results folder stays;
                    // this copy is set aside once, so that no later start fails on it again.
                    let kept = e.kept.unwrap_or(path);
                    let aside = kept.with_extension("json.conflict");
                    let _ = std::fs::rename(&kept, &aside);
                    let aside = aside
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    failed.push(
                        crate::messages::Msg::new(
                            crate::messages::K::RecoverConflict,
                            vec![name.into(), aside.into()],
                        )
                        .render(s.state.lang),
                    );
                }
                Err(e) => failed.push(format!("{name}: {e}")),
            },
            Err(e) => failed.push(format!("{name}: {}", e.message().render(lang))),
        }
    }
    (ok, failed)
}
