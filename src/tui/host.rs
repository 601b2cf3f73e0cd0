//! What the screens' effects do, whatever the front: the folders an attempt is written to, the
//! autosave worker, the signing key and the clock, held in one [`Host`] value per session (no
//! process-wide state), so that many sessions can run in one process.

use super::app::{App, Effect, Input, Prefs, SaveStatus};
use super::bidi::BidiMode;
pub use super::places::{Places, results_for, unrecorded_start};
use crate::quiz::{Millis, Session};
use crate::record::{AttemptRecord, attempt_id, write_atomic_synced};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Sender, channel};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Wall-clock time in milliseconds since the Unix epoch.
#[must_use]
pub fn now_ms() -> Millis {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
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

enum SaveMsg {
    /// Sync a journal to the disk (the first time, with the snapshot it follows).
    Sync(Arc<std::fs::File>, Option<PathBuf>),
    /// Tell the live board how far an attempt is: the progress file, and what to write in it
    /// (`None`: remove it, the attempt is over).
    Progress(PathBuf, Option<Box<crate::report::board::Progress>>),
    /// Sync files written whole but unsynced, and their folders (a start marker and its copy).
    SyncWritten(Vec<PathBuf>),
    Flush(Sender<()>),
}

/// Syncs autosave journals to the disk and tells the live board how far each attempt is, on
/// worker threads, off the path from a key to its frame. A change is safe from a kill of the
/// program once its journal line is written (on the loop's thread, before the change is drawn);
/// the sync here makes it safe from a power cut too, within moments. The board is on the
/// results folder, often a network share, and has a worker of its own so that it never holds up
/// a sync. A `Saver` is a value: clone it to share the workers between sessions. The workers end
/// when the last clone is dropped.
#[derive(Clone)]
pub struct Saver {
    tx: Sender<SaveMsg>,
}

impl Saver {
    /// Start the workers.
    #[must_use]
    pub fn start() -> Saver {
        let (tx, rx) = channel::<SaveMsg>();
        let (board_tx, board_rx) = channel::<SaveMsg>();
        std::thread::spawn(move || {
            while let Ok(first) = board_rx.recv() {
                let mut msgs = vec![first];
                msgs.extend(board_rx.try_iter());
                // Of the messages for one progress file, only the newest is written.
                let mut latest: HashMap<PathBuf, usize> = HashMap::new();
                for (i, m) in msgs.iter().enumerate() {
                    if let SaveMsg::Progress(p, _) = m {
                        latest.insert(p.clone(), i);
                    }
                }
                for (i, m) in msgs.into_iter().enumerate() {
                    if let SaveMsg::Progress(path, p) = m
                        && latest.get(&path) == Some(&i)
                    {
                        write_progress(&path, p.as_deref());
                    }
                }
            }
        });
        std::thread::spawn(move || {
            while let Ok(first) = rx.recv() {
                let mut msgs = vec![first];
                msgs.extend(rx.try_iter());
                let mut synced: Vec<*const std::fs::File> = Vec::new();
                for m in msgs {
                    match m {
                        SaveMsg::Sync(f, first) => {
                            // One sync per journal per batch (a first sync is never skipped).
                            if first.is_some() || !synced.contains(&Arc::as_ptr(&f)) {
                                synced.push(Arc::as_ptr(&f));
                                let _ = crate::record::journal::Journal::sync(&f, first.as_deref());
                            }
                        }
                        m @ SaveMsg::Progress(..) => {
                            let _ = board_tx.send(m);
                        }
                        SaveMsg::SyncWritten(paths) => {
                            let _ = crate::fs::sync_written(&paths);
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

    /// Wait until every sync sent so far is done, at most ten seconds.
    pub fn flush(&self) {
        let (done_tx, done_rx) = channel();
        if self.tx.send(SaveMsg::Flush(done_tx)).is_ok() {
            let _ = done_rx.recv_timeout(Duration::from_secs(10));
        }
    }
}

/// Write the autosave snapshot (in the data folder, else in the last-resort folder), with
/// `journal` as the number of the last journal line it holds. Returns where it went and its
/// size, and what the trainee must be told when it is not where it belongs (`Err`: not saved
/// at all).
fn snapshot_now(
    places: &Places,
    s: &Session,
    journal: u64,
) -> Result<(PathBuf, crate::quiz::Attempt, Option<String>), String> {
    use crate::messages::{K, Msg};
    let lang = s.state.lang;
    let mut a = s.state.clone();
    a.journal = journal.max(a.journal);
    match places.autosaves.autosave_kept(&a) {
        Ok((p, None)) => Ok((p, a, None)),
        Ok((p, Some(why))) => {
            // Saved, but not where it belongs: say where, and why.
            let why = why.message().render(lang);
            let say = Msg::new(
                K::AutosavedElsewhere,
                vec![
                    why.into(),
                    p.parent().unwrap_or(&p).display().to_string().into(),
                ],
            )
            .render(lang);
            Ok((p, a, Some(say)))
        }
        Err(e) => {
            Err(Msg::new(K::AutosaveFailed, vec![e.message().render(lang).into()]).render(lang))
        }
    }
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
    /// What the trainee must be told about the autosave (saved elsewhere, or not at all).
    save_error: Option<String>,
    /// The journal of the attempt on screen, after its last snapshot.
    journal: Option<crate::record::journal::Journal>,
    /// The attempt this host has recorded last (its id): it is not autosaved again.
    recorded: Option<String>,
    /// The attempts this host has seen start or resume, with the identity of their results
    /// folder at that moment ([`folder_id`]).
    started: HashMap<String, Option<FolderId>>,
    /// When a finished attempt that is not recorded yet is tried again.
    retry_at: Option<Millis>,
    /// Effects kept off the path to the first frame (the preferences), carried out once a
    /// frame is on screen ([`Host::frame_shown`]).
    deferred: Vec<Effect>,
    /// Work kept off the path to the first frame (a parsed bank's cache entry), done once a
    /// frame is on screen.
    jobs: Vec<Box<dyn FnOnce() + Send>>,
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
            save_error: None,
            journal: None,
            recorded: None,
            started: HashMap::new(),
            retry_at: None,
            deferred: Vec::new(),
            jobs: Vec::new(),
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

    /// How many questions the last autosave compared to find what changed (`None` when the
    /// last autosave was a whole snapshot): at most the two a key names, at any length.
    #[must_use]
    pub fn journal_compared(&self) -> Option<usize> {
        self.journal
            .as_ref()
            .map(crate::record::journal::Journal::compared)
    }

    /// What the trainee must be told about the autosave: it went to the last-resort folder, or
    /// failed. `None` when it is where it belongs, or the attempt is recorded.
    #[must_use]
    pub fn save_error(&self) -> Option<String> {
        self.save_error.clone()
    }

    /// Autosave the attempt: a line appended to its journal (one `write`, synced in the
    /// background), or a new snapshot when the journal cannot carry the change, is due for
    /// compaction, or failed. Either way the change is safe from a kill of the program when
    /// this returns; from a power cut once the sync is done (at once without a [`Saver`]).
    fn autosave(&mut self, s: &Session) {
        use crate::record::journal::{Appended, Journal};
        if let Some(j) = &mut self.journal
            && j.fits(&s.state)
        {
            match j.append(&s.state, Some(s.changes())) {
                Ok(Appended::Nothing) => return,
                Ok(Appended::Line(_)) => {
                    let file = j.file();
                    let first = j.take_first_sync().then(|| j.snapshot().to_owned());
                    match &self.saver {
                        Some(saver) => {
                            let _ = saver.tx.send(SaveMsg::Sync(file, first));
                        }
                        None => {
                            let _ = Journal::sync(&file, first.as_deref());
                        }
                    }
                    self.progress(s);
                    return;
                }
                Err(_) => {}
            }
        }
        let seq = self
            .journal
            .take()
            .filter(|j| j.fits_attempt(&s.state))
            .map_or(0, |j| j.seq());
        match snapshot_now(&self.places, s, seq) {
            Ok((path, state, elsewhere)) => {
                let size = std::fs::metadata(&path).map_or(0, |m| m.len());
                self.journal = Journal::start(&path, state, size, s.changes().seen()).ok();
                self.save_error = elsewhere;
            }
            Err(e) => self.save_error = Some(e),
        }
        self.progress(s);
    }

    /// Tell the live board how far the attempt is (on the worker when there is one).
    fn progress(&self, s: &Session) {
        let (path, p) = progress_of(&self.places, s);
        match &self.saver {
            Some(saver) => {
                let _ = saver.tx.send(SaveMsg::Progress(path, p));
            }
            None => write_progress(&path, p.as_deref()),
        }
    }

    /// The first autosave of an attempt in this host: the identity of its results folder is
    /// noted, to be checked when the attempt is recorded. The folder is never made here: a new
    /// attempt has made it already (to lock the attempt there, and with its start marker, see
    /// [`Effect::Started`]); for an attempt already started a missing folder is a share that
    /// dropped.
    fn note_start(&mut self, s: &Session) {
        let id = attempt_id(&s.state);
        if self.started.contains_key(&id) {
            return;
        }
        let dir = results_for(&self.places, &s.state.exam).dir;
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

    /// Carry out the effects of an attempt started before the screens, as [`Host::execute`]
    /// does, except the preferences (a convenience), which wait until the first frame is on
    /// screen ([`Host::frame_shown`]). What makes the attempt known to the instructor (its
    /// start marker) and safe (its first save) is done here, before the first frame.
    pub fn execute_before_first_frame(
        &mut self,
        app: &mut App,
        effects: &[Effect],
        now: Millis,
    ) -> bool {
        let (later, now_fx): (Vec<Effect>, Vec<Effect>) = effects
            .iter()
            .cloned()
            .partition(|e| matches!(e, Effect::SavePrefs));
        self.deferred.extend(later);
        self.execute(app, &now_fx, now)
    }

    /// Do `job` once a frame is on screen ([`Host::frame_shown`]): work that only helps a later
    /// start, such as writing a parsed bank's cache entry.
    pub fn after_first_frame(&mut self, job: impl FnOnce() + Send + 'static) {
        self.jobs.push(Box::new(job));
    }

    /// A frame is on screen (or none will be: the run is ending): carry out what was kept off
    /// the path to it. Nothing to do after the first time.
    pub fn frame_shown(&mut self, app: &mut App) {
        if !self.deferred.is_empty() {
            let effects = std::mem::take(&mut self.deferred);
            let now = self.now();
            self.execute(app, &effects, now);
        }
        for job in std::mem::take(&mut self.jobs) {
            job();
        }
    }

    /// Carry out effects that only need the host (saving, recording, preferences). Returns
    /// `true` when the session should end. Effects that need the front ([`Effect::Suspend`],
    /// [`Effect::FlipBidi`]) are left to the event loop and ignored here.
    pub fn execute(&mut self, app: &mut App, effects: &[Effect], now: Millis) -> bool {
        let mut quit = false;
        for e in effects {
            match e {
                Effect::Autosave => {
                    if let Some(s) = app.session()
                        && self.recorded.as_deref() != Some(&attempt_id(&s.state))
                    {
                        self.note_start(s);
                        self.autosave(s);
                    }
                }
                Effect::Started => {
                    // The attempt goes on: the marker only helps the instructor find it. With a
                    // worker, the marker is written whole here, before the first question, and
                    // synced to disk there, so that no fsync stands before the first question.
                    let mut written = Vec::new();
                    let synced = self.saver.is_none();
                    let why = app.session().and_then(|s| {
                        mark_started_synced(&self.places, s, synced, &mut written).err()
                    });
                    if let Some(saver) = &self.saver
                        && !written.is_empty()
                    {
                        let _ = saver.tx.send(SaveMsg::SyncWritten(written));
                    }
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
                            Ok(p) => {
                                self.recorded = Some(attempt_id(&s.state));
                                SaveStatus::Saved(shown(&p))
                            }
                            Err(e) => SaveStatus::Failed(e.reason, e.kept.as_deref().map(shown)),
                        };
                        self.retry_at =
                            matches!(status, SaveStatus::Failed(..)).then_some(now + RETRY_MS);
                        // The autosave is gone (recorded, or kept as a waiting attempt): what
                        // was said about it is no longer true.
                        self.journal = None;
                        if let Some(said) = self.save_error.take()
                            && app.message.as_ref() == Some(&said)
                        {
                            app.update(Input::Notice(None), now);
                        }
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

/// The live board's progress file of this attempt, and what goes in it (`None`: the attempt is
/// over, remove it).
fn progress_of(
    places: &Places,
    s: &Session,
) -> (PathBuf, Option<Box<crate::report::board::Progress>>) {
    use crate::report::board::{PROGRESS_DIR, Progress};
    let dir = results_for(places, &s.state.exam).dir.join(PROGRESS_DIR);
    let path = dir.join(Progress::file_name(&s.state.exam.id, &s.state.trainee));
    if s.is_finished() {
        return (path, None);
    }
    let answered = s.answered();
    let p = Progress {
        trainee: s.state.trainee.clone(),
        exam_id: s.state.exam.id.clone(),
        exam_title: s.state.exam.title.get(crate::text::Lang::En).to_owned(),
        answered,
        total: s.len(),
        started_at: s.state.started_at,
        deadline: s.state.deadline,
    };
    (path, Some(Box::new(p)))
}

/// Tell the live board how far an attempt is (best effort: the board is a convenience, the
/// autosave is what keeps answers safe).
fn write_progress(path: &std::path::Path, p: Option<&crate::report::board::Progress>) {
    let Some(p) = p else {
        let _ = std::fs::remove_file(path);
        return;
    };
    let Some(dir) = path.parent() else { return };
    if let Ok(body) = serde_json::to_vec(p) {
        // Only inside an existing results folder (never made again here: see
        // [`Host::note_start`]); the progress folder itself takes a class folder's permissions.
        if crate::record::make_subfolder(dir).is_ok() {
            // Not synced: a progress file is the board's convenience, rewritten at every save.
            let _ = crate::record::write_atomic_into_synced(dir, path, &body, true, false);
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
    mark_started_synced(places, s, true, &mut Vec::new())
}

/// [`mark_started`], synced to disk only when `synced`; every file written is added to
/// `written`, to be synced later ([`crate::fs::sync_written`]) when it was not.
///
/// # Errors
/// The marker could not be written into the results folder.
fn mark_started_synced(
    places: &Places,
    s: &Session,
    synced: bool,
    written: &mut Vec<PathBuf>,
) -> Result<PathBuf, String> {
    let m = crate::record::StartMarker::of(&s.state, &places.program);
    // A new attempt may make its missing results folder (as its lock does); one that had
    // started before (its autosave or marker copy is here) never does: the folder is then a
    // share that dropped.
    let new = !places
        .autosaves
        .holds_started(&s.state.exam.id, &s.state.trainee);
    // A copy on this computer, beside the autosaves: `recover` publishes only attempts that
    // started here (or have their marker in the results folder).
    if let Ok(body) = serde_json::to_vec(&m)
        && let Ok((p, _)) = places.autosaves.keep_synced(&m.file_name(), &body, synced)
    {
        written.push(p);
    }
    let marked = results_for(places, &s.state.exam).mark_started_synced(&m, new, synced);
    if let Ok(p) = &marked {
        written.push(p.clone());
    }
    marked.map_err(|e| {
        crate::messages::Msg::new(
            crate::messages::K::StartNotMarked,
            vec![crate::messages::Arg::Msg(e.message())],
        )
        .render(s.state.lang)
    })
}

/// Whether the attempt `a` is one that started: its start marker (same attempt, start, seed and
/// deadline) is beside the autosaves on this computer or in its results folder.
fn started_here(places: &Places, a: &crate::quiz::Attempt) -> bool {
    let m = crate::record::StartMarker::of(a, &places.program);
    let same = |o: &crate::record::StartMarker| {
        o.attempt_id == m.attempt_id && o.seed == m.seed && o.started_at == m.started_at
    };
    let local = std::iter::once(&places.autosaves.dir)
        .chain(places.autosaves.fallback.as_ref())
        .filter_map(|d| crate::record::read_regular(&d.join(m.file_name()), 16 * 1024).ok())
        .filter_map(|b| serde_json::from_slice::<crate::record::StartMarker>(&b).ok())
        .any(|o| same(&o));
    local
        || results_for(places, &a.exam)
            .started_by(&a.exam.id, &a.trainee)
            .iter()
            .any(same)
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

/// [`commit_attempt`], saying why it is not recorded in `lang` rather than in the attempt's
/// language (the class server's console speaks its own).
///
/// # Errors
/// Why it is not recorded (the attempt is then kept, as [`commit_attempt`] keeps it).
pub fn commit_attempt_saying(
    places: &Places,
    s: &Session,
    now: Millis,
    lang: crate::text::Lang,
) -> Result<PathBuf, String> {
    commit_attempt_said(places, s, now, None, lang).map_err(|e| e.reason)
}

/// Whether the finished attempt `s` is already in its results folder (its record's file is
/// there; the file's name is made of the exam, the trainee, the start and the attempt's id).
#[must_use]
pub fn is_recorded(places: &Places, s: &Session) -> bool {
    let rec = AttemptRecord::from_session(s, &attempt_id(&s.state), 0, &places.program);
    results_for(places, &s.state.exam)
        .dir
        .join(crate::record::Store::record_name(&rec))
        .is_file()
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
    commit_attempt_said(places, s, now, expected, s.state.lang)
}

/// [`commit_attempt_in`], saying why it is not recorded in `lang` (the instructor's console
/// speaks its own language, not the trainee's).
fn commit_attempt_said(
    places: &Places,
    s: &Session,
    now: Millis,
    expected: Option<FolderId>,
    lang: crate::text::Lang,
) -> Result<PathBuf, NotRecorded> {
    use crate::messages::{K, Msg};
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
            let _ = places
                .autosaves
                .remove(&crate::record::StartMarker::of(&s.state, &places.program).file_name());
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

/// What [`recover`] did with the finished attempts that were waiting.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recovered {
    /// The records written (their paths).
    pub saved: Vec<String>,
    /// Files set aside for good, with why (in words): renamed `….json.unknown` (no attempt that
    /// started here matches them) or `….json.conflict` (a different record of the attempt is in
    /// the results folder). They are not tried again, so they do not wait.
    pub set_aside: Vec<String>,
    /// Attempts that still wait, with why (in words): the next `recover` tries them again.
    pub waiting: Vec<String>,
}

/// Rename `path` to `<name>.json.<tag>` so that no later `recover` reads it again. Returns the
/// new file name; when it cannot be renamed (then it still waits), what to say, in `lang`.
fn set_aside(path: &std::path::Path, tag: &str, lang: crate::text::Lang) -> Result<String, String> {
    let aside = path.with_extension(format!("json.{tag}"));
    let name = |p: &std::path::Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    match std::fs::rename(path, &aside) {
        Ok(()) => Ok(name(&aside)),
        Err(e) => Err(crate::messages::Msg::new(
            crate::messages::K::RecoverCannotSetAside,
            vec![name(path).into(), name(&aside).into(), e.to_string().into()],
        )
        .render(lang)),
    }
}

/// Write every finished attempt that is waiting (in the pending folder, or left finished in the
/// autosave folder by a crash) to the results folder, and say what became of each: saved, set
/// aside for good, or still waiting (an attempt that cannot be resumed said in `lang`).
///
/// Only attempts that started on this computer (their start marker kept beside the autosaves)
/// or in their results folder (its start marker there) are published; any other file in the
/// pending folder (one written by hand) is set aside as `.unknown` with a message, once. An
/// attempt at one of the loaded `exams` is scored under that exam's rules, not the saved ones.
#[must_use]
pub fn recover(
    places: &Places,
    lib: &crate::bank::Library,
    exams: &[crate::exam::ExamDef],
    now: Millis,
    lang: crate::text::Lang,
) -> Recovered {
    recover_waiting(places, waiting(places), lib, exams, now, lang)
}

/// The finished attempts waiting to be recorded: every attempt in the pending folder, and those
/// left finished in the autosave folder (by a crash).
#[must_use]
pub fn waiting(places: &Places) -> Vec<(PathBuf, crate::quiz::Attempt)> {
    let mut waiting = places.pending.all_autosaves();
    waiting.extend(
        places
            .autosaves
            .all_autosaves()
            .into_iter()
            .filter(|(_, a)| matches!(a.status, crate::quiz::Status::Finished { .. })),
    );
    waiting
}

/// [`recover`] of the attempts [`waiting`] found (for a caller that has listed them already).
#[must_use]
pub fn recover_waiting(
    places: &Places,
    waiting: Vec<(PathBuf, crate::quiz::Attempt)>,
    lib: &crate::bank::Library,
    exams: &[crate::exam::ExamDef],
    now: Millis,
    lang: crate::text::Lang,
) -> Recovered {
    use crate::messages::{K, Msg};
    let mut out = Recovered::default();
    for (path, a) in waiting {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let a = match exams.iter().find(|e| e.id == a.exam.id) {
            Some(e) => a.under_rules(e, lib),
            None => a,
        };
        if !started_here(places, &a) {
            match set_aside(&path, "unknown", lang) {
                Ok(aside) => out.set_aside.push(
                    Msg::new(K::RecoverNotStartedHere, vec![name.into(), aside.into()])
                        .render(lang),
                ),
                Err(why) => out.waiting.push(why),
            }
            continue;
        }
        match Session::resume(a, lib) {
            Ok(s) => match commit_attempt_in(places, &s, now, None) {
                Ok(p) => {
                    let _ = std::fs::remove_file(&path);
                    out.saved.push(p.display().to_string());
                }
                Err(e) if e.conflict => {
                    // Both names of the attempt's record are taken by other records of it
                    // (`Store::commit` keeps a second submission beside the first): the records
                    // in the results folder stay; this copy is set aside once, so that no later
                    // start fails on it again.
                    let kept = e.kept.unwrap_or(path);
                    match set_aside(&kept, "conflict", s.state.lang) {
                        Ok(aside) => out.set_aside.push(
                            Msg::new(K::RecoverConflict, vec![name.into(), aside.into()])
                                .render(s.state.lang),
                        ),
                        Err(why) => out.waiting.push(why),
                    }
                }
                Err(e) => out.waiting.push(format!("{name}: {e}")),
            },
            Err(e) => out
                .waiting
                .push(format!("{name}: {}", e.message().render(lang))),
        }
    }
    out
}
