//! The results folder and the local autosave folder.

use super::{AttemptRecord, RECORD_SCHEMA, Seal};
use crate::fs::{StoreError, io, private_dir, write_atomic_into_synced, write_atomic_synced};
use crate::quiz::Attempt;
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};

use crate::messages::{K, Msg};

/// Why a record file cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordError {
    /// The file name does not end in `.json`.
    NotJsonFile,
    /// The operating system could not read it (its reason).
    Unreadable(String),
    /// Larger than the largest record read.
    TooLarge,
    /// Not JSON (the parser's reason).
    NotJson(String),
    /// JSON without a `schema`.
    NoSchema,
    /// Written by a newer tipquiz (its schema).
    NewerSchema(u64),
    /// JSON with a schema but not a record (the parser's reason).
    NotARecord(String),
}

impl RecordError {
    /// The reason in words.
    #[must_use]
    pub fn message(&self) -> Msg {
        match self {
            RecordError::NotJsonFile => K::RecNotJsonFile.into(),
            RecordError::Unreadable(e) => Msg::new(K::RecUnreadable, vec![e.into()]),
            RecordError::TooLarge => K::RecTooLarge.into(),
            RecordError::NotJson(e) => Msg::new(K::RecNotJson, vec![e.into()]),
            RecordError::NoSchema => K::RecNoSchema.into(),
            RecordError::NewerSchema(s) => Msg::new(K::RecNewerSchema, vec![(*s).into()]),
            RecordError::NotARecord(e) => Msg::new(K::RecNotARecord, vec![e.into()]),
        }
    }
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().en())
    }
}

impl std::error::Error for RecordError {}

/// A file in the results folder that could not be used. It is left in place.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct BadRecord {
    /// File name.
    pub file: String,
    /// The trainee, as the record names them (empty when the file could not be read).
    pub trainee: String,
    /// The exam, as the record names it (empty when the file could not be read).
    pub exam_id: String,
    /// Why (JSON and CSV give it in English; the text report in the reader's language).
    #[serde(serialize_with = "english")]
    pub reason: Msg,
}

fn english<S: serde::Serializer>(m: &Msg, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&m.en())
}

/// Records read from a folder.
#[derive(Clone, Debug, Default)]
pub struct LoadedRecords {
    /// Good records with their file names.
    pub records: Vec<(String, AttemptRecord)>,
    /// For each of `records`, what its file's bytes say about its seals.
    pub seals: Vec<Seal>,
    /// Files skipped, with the reason.
    pub bad: Vec<BadRecord>,
}

/// A safe file-name part for a trainee: ASCII letters and digits of the name (at most 24), then
/// a hash of the whole name, so that no name can escape the folder or collide with another.
#[must_use]
pub fn trainee_slug(name: &str) -> String {
    let key = name.trim().to_lowercase();
    let mut ascii = String::new();
    for c in key.chars() {
        if c.is_ascii_alphanumeric() {
            ascii.push(c);
        } else if !ascii.is_empty() && !ascii.ends_with('-') {
            ascii.push('-');
        }
        if ascii.len() >= 24 {
            break;
        }
    }
    let ascii = ascii.trim_matches('-');
    let h = hex::encode(&Sha256::digest(key.as_bytes())[..4]);
    if ascii.is_empty() {
        format!("t-{h}")
    } else {
        format!("{ascii}-{h}")
    }
}

/// The files of a results folder that may be records, by name: files and links to files whose
/// name does not start with a dot, each with its directory entry and whether it is a plain file
/// (its type comes with the listing, no stat; a link or an unknown type is stat'ed to follow it,
/// as `Path::is_file` would). `None` when the folder cannot be read.
pub(super) fn record_files(dir: &Path) -> Option<Vec<(String, fs::DirEntry, bool)>> {
    let mut files: Vec<(String, fs::DirEntry, bool)> = fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let t = e.file_type().ok()?;
            let plain = t.is_file();
            (plain || (!t.is_dir() && e.path().is_file())).then_some((e, plain))
        })
        .map(|(e, plain)| (e.file_name().to_string_lossy().into_owned(), e, plain))
        .filter(|(n, _, _)| !n.starts_with('.'))
        .collect();
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Some(files)
}

/// A folder of records (results) or autosaves.
#[derive(Clone, Debug)]
pub struct Store {
    /// The folder.
    pub dir: PathBuf,
    /// The last-resort folder for autosaves and waiting attempts, used when `dir` cannot be
    /// written (see [`crate::fs::fallback_dir`]); read together with `dir`.
    pub fallback: Option<PathBuf>,
}

/// Another process (another terminal) has this attempt open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttemptBusy;

/// This process's hold on an attempt: an operating-system lock on a file beside its autosave,
/// released when this value is dropped or the process ends (however it ends).
#[derive(Debug)]
pub struct AttemptLock {
    files: Vec<fs::File>,
}

impl AttemptLock {
    /// One hold made of two (either may be missing).
    #[must_use]
    pub fn both(a: Option<AttemptLock>, b: Option<AttemptLock>) -> AttemptLock {
        AttemptLock {
            files: a.into_iter().chain(b).flat_map(|l| l.files).collect(),
        }
    }
}

/// Take the operating-system lock on the file `path` (made when `create`, else opened as it
/// is). `Ok(None)`: no lock file could be opened or locked here.
fn try_lock_file(path: &Path, create: bool) -> Result<Option<AttemptLock>, AttemptBusy> {
    let file = if create {
        fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .or_else(|_| fs::File::open(path))
    } else {
        fs::File::open(path)
    };
    let Ok(file) = file else { return Ok(None) };
    match file.try_lock() {
        Ok(()) => Ok(Some(AttemptLock { files: vec![file] })),
        Err(fs::TryLockError::WouldBlock) => Err(AttemptBusy),
        Err(fs::TryLockError::Error(_)) => Ok(None),
    }
}

/// The folder of attempt locks inside a results folder (a hidden name: never read as records).
pub const LOCKS_DIR: &str = ".locks";

impl Store {
    /// A store over `dir` (created on first write).
    #[must_use]
    pub fn new(dir: impl Into<PathBuf>) -> Store {
        Store {
            dir: dir.into(),
            fallback: None,
        }
    }

    /// The same with a last-resort folder.
    #[must_use]
    pub fn with_fallback(mut self, dir: impl Into<PathBuf>) -> Store {
        self.fallback = Some(dir.into());
        self
    }

    /// The folders read: the folder, then the last-resort folder.
    fn dirs(&self) -> impl Iterator<Item = &Path> {
        std::iter::once(self.dir.as_path()).chain(self.fallback.as_deref())
    }

    /// Write `body` as the file `name`, replacing it: in the folder (created when missing), or
    /// when that fails in the last-resort folder. Returns where it went and, when that is the
    /// last-resort folder, why the folder failed. A copy left in the other folder is removed,
    /// so that the newest is the only one.
    ///
    /// # Errors
    /// Both failed: the folder's error.
    pub fn keep(
        &self,
        name: &str,
        body: &[u8],
    ) -> Result<(PathBuf, Option<StoreError>), StoreError> {
        self.keep_synced(name, body, true)
    }

    /// [`Store::keep`], synced to disk only when `synced` (see [`crate::fs::write_atomic_synced`]).
    ///
    /// # Errors
    /// Both failed: the folder's error.
    pub fn keep_synced(
        &self,
        name: &str,
        body: &[u8],
        synced: bool,
    ) -> Result<(PathBuf, Option<StoreError>), StoreError> {
        let path = self.dir.join(name);
        let first = match write_atomic_synced(&self.dir, &path, body, true, synced) {
            Ok(()) => {
                if let Some(f) = &self.fallback {
                    let _ = fs::remove_file(f.join(name));
                }
                return Ok((path, None));
            }
            Err(e) => e,
        };
        let Some(f) = &self.fallback else {
            return Err(first);
        };
        let Some(dir) = f
            .parent()
            .zip(f.file_name().and_then(|n| n.to_str()))
            .and_then(|(root, sub)| private_dir(root, Some(sub)).ok())
        else {
            return Err(first);
        };
        let other = dir.join(name);
        match write_atomic_into_synced(&dir, &other, body, true, synced) {
            Ok(()) => {
                let _ = fs::remove_file(&path);
                Ok((other, Some(first)))
            }
            Err(_) => Err(first),
        }
    }

    /// Take this attempt for this process: `Err(AttemptBusy)` when another process has it (a
    /// second terminal on the same trainee and exam). The lock is an operating-system file lock
    /// (on Unix `flock`, on Windows `LockFileEx`), so a crashed process holds nothing. When no
    /// lock file can be made at all (both folders unwritable) the attempt is not locked
    /// (`Ok(None)`): nothing could be saved by a second process either.
    ///
    /// # Errors
    /// Another process holds the attempt.
    pub fn lock_attempt(
        &self,
        exam_id: &str,
        trainee: &str,
    ) -> Result<Option<AttemptLock>, AttemptBusy> {
        let name = format!("{exam_id}--{}.lock", trainee_slug(trainee));
        // Beside the folder (`<data>/locks/`), so that its listing stays what it was.
        for dir in self.dirs() {
            let Some(root) = dir.parent() else { continue };
            let made = if Some(dir) == self.fallback.as_deref() {
                private_dir(root, Some("locks")).is_ok()
            } else {
                fs::create_dir_all(root.join("locks")).is_ok()
            };
            if let Some(lock) = try_lock_file(&root.join("locks").join(&name), made)? {
                return Ok(Some(lock));
            }
        }
        Ok(None)
    }

    /// Take this attempt in this results folder, for this process: the same lock as
    /// [`Store::lock_attempt`], on a file in the results folder's [`LOCKS_DIR`], so that every
    /// data folder (a second `TIPQUIZ_DATA`, another computer on the same shared folder) meets
    /// it. A missing results folder is made first only when `make` (a new attempt, which makes
    /// its results folder anyway: it is locked there from its start); for an attempt already
    /// started a missing folder is a shared folder that dropped and is never made again on the
    /// local disk (see [`Store::commit_into`]). `Ok(None)` when the folder is missing (or cannot
    /// be made) or no lock file can be made.
    ///
    /// # Errors
    /// Another process holds the attempt.
    pub fn lock_attempt_in_results(
        &self,
        exam_id: &str,
        trainee: &str,
        make: bool,
    ) -> Result<Option<AttemptLock>, AttemptBusy> {
        if make && !self.dir.is_dir() {
            let _ = fs::create_dir_all(&self.dir);
        }
        if !self.dir.is_dir() {
            return Ok(None);
        }
        let dir = self.dir.join(LOCKS_DIR);
        let made = crate::fs::make_subfolder(&dir).is_ok();
        try_lock_file(
            &dir.join(format!("{exam_id}--{}.lock", trainee_slug(trainee))),
            made,
        )
    }

    /// The file name of a record.
    #[must_use]
    pub fn record_name(r: &AttemptRecord) -> String {
        format!(
            "{}--{}--{}--{}.json",
            r.exam_id,
            trainee_slug(&r.trainee),
            r.started_at,
            &r.attempt_id
        )
    }

    /// Write a record, sealed at this moment with `key` (the instructor's or the class
    /// server's key, or none: then only a checksum): temporary file, flush, sync, move into place
    /// without overwriting, sync the folder. Returns the path. Only after this returns `Ok` is
    /// the record saved. The checksum and signature cover the exact bytes written
    /// ([`AttemptRecord::file_bytes`]).
    ///
    /// # Errors
    /// Any failed step, named.
    pub fn commit(&self, r: &AttemptRecord, key: Option<&[u8]>) -> Result<PathBuf, StoreError> {
        self.commit_with(r, key, true)
    }

    /// [`Store::commit`] into a folder that must exist: it is not created (a results folder on
    /// a share that dropped during the quiz must not be made again on the local disk).
    ///
    /// # Errors
    /// Any failed step, named; a missing folder is `NotFound`.
    pub fn commit_into(
        &self,
        r: &AttemptRecord,
        key: Option<&[u8]>,
    ) -> Result<PathBuf, StoreError> {
        self.commit_with(r, key, false)
    }

    fn commit_with(
        &self,
        r: &AttemptRecord,
        key: Option<&[u8]>,
        create: bool,
    ) -> Result<PathBuf, StoreError> {
        let mut sealed = r.clone();
        sealed.seal(key);
        let body = sealed.file_bytes().map_err(StoreError::Encode)?;
        let name = Self::record_name(r);
        match self.write_record(&name, &body, create) {
            // Another record of the same attempt is there already, with other answers: the
            // attempt went on on a second computer while the first still ran, on a shared folder
            // whose locks do not reach from one computer to the other (the lock in the results
            // folder stops a second terminal only where they do). This one is kept beside it
            // under a name of its own, so that neither is lost; the report shows both and
            // counts neither blindly (a second record of an attempt id is flagged).
            Err(StoreError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::AlreadyExists =>
            {
                // `_` sorts after `.`: read in file-name order, the first record stays first,
                // and it is the second that a check across records flags.
                let digest = hex::encode(&Sha256::digest(&body)[..4]);
                let stem = name.strip_suffix(".json").unwrap_or(&name);
                self.write_record(&format!("{stem}_{digest}.json"), &body, create)
            }
            other => other,
        }
    }

    /// Write `body` as the record file `name`, never over another file. Writing the same
    /// bytes again (a retry after an error that came after the record was in place) is not an
    /// error: the record is there, intact.
    fn write_record(&self, name: &str, body: &[u8], create: bool) -> Result<PathBuf, StoreError> {
        let path = self.dir.join(name);
        let written = if create {
            write_atomic_synced(&self.dir, &path, body, false, true)
        } else {
            write_atomic_into_synced(&self.dir, &path, body, false, true)
        };
        match written {
            Ok(()) => Ok(path),
            Err(StoreError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::AlreadyExists
                    && read_bytes(&path).is_ok_and(|existing| existing == body) =>
            {
                Ok(path)
            }
            Err(e) => Err(e),
        }
    }

    /// Read every record in the folder. Files that are not records, are corrupt, truncated,
    /// foreign or of a future schema are reported in `bad` and left alone.
    #[must_use]
    pub fn load(&self) -> LoadedRecords {
        use rayon::prelude::*;
        let mut out = LoadedRecords::default();
        let Some(files) = record_files(&self.dir) else {
            return out;
        };
        let names: Vec<(String, PathBuf)> = files
            .into_iter()
            .map(|(name, e, _)| (name, e.path()))
            .collect();
        // Records are read and parsed on every core; the order stays the sorted order.
        type Read = Result<(AttemptRecord, Seal), RecordError>;
        let read: Vec<(String, Read)> = names
            .into_par_iter()
            .map(|(name, p)| {
                let r = if p.extension().is_none_or(|e| e != "json") {
                    Err(RecordError::NotJsonFile)
                } else {
                    read_record_sealed(&p)
                };
                (name, r)
            })
            .collect();
        out.records.reserve_exact(read.len());
        out.seals.reserve_exact(read.len());
        for (name, r) in read {
            match r {
                Ok((r, seal)) => {
                    out.records.push((name, r));
                    out.seals.push(seal);
                }
                Err(reason) => out.bad.push(BadRecord {
                    file: name,
                    trainee: String::new(),
                    exam_id: String::new(),
                    reason: reason.message(),
                }),
            }
        }
        out
    }

    /// The autosave file of a trainee's attempt at an exam.
    #[must_use]
    pub fn autosave_path(&self, exam_id: &str, trainee: &str) -> PathBuf {
        self.dir
            .join(format!("{exam_id}--{}.json", trainee_slug(trainee)))
    }

    /// Save an attempt in progress (replacing the previous save of the same attempt).
    ///
    /// # Errors
    /// Any failed step, named.
    pub fn autosave(&self, a: &Attempt) -> Result<PathBuf, StoreError> {
        self.autosave_kept(a).map(|(p, _)| p)
    }

    /// [`Store::autosave`], also saying why the folder failed when the save went to the
    /// last-resort folder ([`Store::keep`]).
    ///
    /// # Errors
    /// Both folders failed.
    pub fn autosave_kept(&self, a: &Attempt) -> Result<(PathBuf, Option<StoreError>), StoreError> {
        // An attempt nobody has answered yet can be drawn again from its seed: its first save
        // is not synced, so that no fsync stands between the start and the first question. A
        // killed process still leaves it whole (the rename is atomic); only a power cut may
        // lose it, and with it nothing the trainee gave. The start marker, written before, is
        // synced.
        let synced = a.slots.iter().any(|s| s.response.is_some())
            || !matches!(a.status, crate::quiz::Status::Running);
        let body = serde_json::to_vec(a).map_err(|e| StoreError::Encode(e.to_string()))?;
        let name = format!("{}--{}.json", a.exam.id, trainee_slug(&a.trainee));
        let kept = self.keep_synced(&name, &body, synced)?;
        // The snapshot holds everything: a journal left beside either copy is out of date.
        self.remove_journals(&name);
        Ok(kept)
    }

    /// Remove the journals of the autosave `name` from both folders.
    fn remove_journals(&self, name: &str) {
        for d in self.dirs() {
            let _ = fs::remove_file(super::journal::journal_path(&d.join(name)));
        }
    }

    /// Read a trainee's saved attempt at an exam, if any (the newer of the folder's and the
    /// last-resort folder's).
    #[must_use]
    pub fn load_autosave(&self, exam_id: &str, trainee: &str) -> Option<Attempt> {
        let name = format!("{exam_id}--{}.json", trainee_slug(trainee));
        self.dirs()
            .filter_map(|d| read_attempt(&d.join(&name)))
            .max_by_key(|(at, _)| *at)
            .map(|(_, a)| a)
    }

    /// Every autosaved attempt in the folder and the last-resort folder (of two files of one
    /// name, the newer).
    #[must_use]
    pub fn all_autosaves(&self) -> Vec<(PathBuf, Attempt)> {
        let mut by_name: std::collections::BTreeMap<
            std::ffi::OsString,
            (std::time::SystemTime, PathBuf, Attempt),
        > = std::collections::BTreeMap::new();
        for dir in self.dirs() {
            let Ok(entries) = fs::read_dir(dir) else {
                continue;
            };
            for p in entries.filter_map(Result::ok).map(|e| e.path()) {
                if p.extension().is_none_or(|e| e != "json") {
                    continue;
                }
                let (Some(name), Some((at, a))) = (p.file_name(), read_attempt(&p)) else {
                    continue;
                };
                if by_name.get(name).is_none_or(|(t, ..)| *t < at) {
                    by_name.insert(name.to_owned(), (at, p.clone(), a));
                }
            }
        }
        by_name.into_values().map(|(_, p, a)| (p, a)).collect()
    }

    /// Remove an autosave once its attempt is recorded (from both folders).
    ///
    /// # Errors
    /// When the file exists but cannot be removed.
    pub fn remove_autosave(&self, exam_id: &str, trainee: &str) -> Result<(), StoreError> {
        let name = format!("{exam_id}--{}.json", trainee_slug(trainee));
        self.remove_journals(&name);
        self.remove(&name)
    }

    /// Remove the file `name` from the folder and the last-resort folder.
    ///
    /// # Errors
    /// When it exists but cannot be removed.
    pub fn remove(&self, name: &str) -> Result<(), StoreError> {
        let mut out = Ok(());
        for d in self.dirs() {
            let p = d.join(name);
            match fs::remove_file(&p) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => out = Err(io("cannot remove", &p)(e)),
            }
        }
        out
    }
}

/// An autosaved attempt (its snapshot brought up to date with the journal beside it) and when
/// it was last written.
fn read_attempt(p: &Path) -> Option<(std::time::SystemTime, Attempt)> {
    let at = fs::metadata(p).and_then(|m| m.modified()).ok()?;
    let bytes = read_regular(p, MAX_RECORD_BYTES).ok()?;
    let mut a: Attempt = serde_json::from_slice(&bytes).ok()?;
    let at = replay_beside(p, &mut a).map_or(at, |j| j.max(at));
    Some((at, a))
}

/// Read the journal beside a snapshot file and apply it; returns when it was last written (for
/// choosing the newer of two copies), `None` when there is none.
fn replay_beside(snapshot: &Path, a: &mut Attempt) -> Option<std::time::SystemTime> {
    use super::journal::{MAX_JOURNAL_BYTES, journal_path, replay};
    let p = journal_path(snapshot);
    let bytes = read_regular(&p, MAX_JOURNAL_BYTES).ok()?;
    replay(a, &bytes);
    fs::metadata(&p).and_then(|m| m.modified()).ok()
}

/// Read and check one record file.
///
/// # Errors
/// Why it cannot be read.
pub fn read_record(p: &Path) -> Result<AttemptRecord, RecordError> {
    read_record_sealed(p).map(|(r, _)| r)
}

/// The bytes of a file that may be a record, at most [`MAX_RECORD_BYTES`] and one more.
pub(super) fn read_bytes(p: &Path) -> Result<Vec<u8>, RecordError> {
    read_regular(p, MAX_RECORD_BYTES).map_err(|e| RecordError::Unreadable(e.to_string()))
}

/// Read a file that must be a regular file, at most `cap` bytes and one more (so that a larger
/// file can be told apart). It is opened without blocking (a FIFO or device put in its place,
/// even after the folder was listed, cannot make the read wait forever), and its type is checked
/// on the opened file, so no swap between a check and the open can get past it.
///
/// # Errors
/// It cannot be opened or read, or it is not a regular file.
pub fn read_regular(p: &Path, cap: u64) -> std::io::Result<Vec<u8>> {
    let mut o = fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        o.custom_flags(libc::O_NONBLOCK);
    }
    let f = o.open(p)?;
    let m = f.metadata()?;
    if !m.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    // Sized from the open file (one fstat), so the buffer is not grown and copied.
    let size = m.len().min(cap + 1);
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0) + 1);
    std::io::Read::read_to_end(&mut std::io::Read::take(f, cap + 1), &mut bytes)?;
    Ok(bytes)
}

/// A temporary file of an atomic write (`.tmp-*.part`) older than this was left by a writer that
/// was killed: Maildir's rule for its `tmp/` folder (36 hours).
pub const STALE_PART_SECS: u64 = 36 * 3600;

/// Remove the temporary files of atomic writes (`.tmp-*.part`) in `dir` that were last modified
/// more than [`STALE_PART_SECS`] before `now`: what a killed writer left behind. A write in
/// progress is never that old. Returns how many were removed.
pub fn sweep_stale_parts(dir: &Path, now: std::time::SystemTime) -> usize {
    let Ok(rd) = fs::read_dir(dir) else { return 0 };
    let mut removed = 0;
    for e in rd.filter_map(Result::ok) {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(".tmp-") && name.ends_with(".part")) {
            continue;
        }
        let old = e
            .metadata()
            .ok()
            .filter(std::fs::Metadata::is_file)
            .and_then(|m| m.modified().ok())
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age.as_secs() > STALE_PART_SECS);
        if old && fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Read one record file, and check its seals against its exact bytes ([`Seal::of_file`]).
///
/// # Errors
/// Why it cannot be read.
pub fn read_record_sealed(p: &Path) -> Result<(AttemptRecord, Seal), RecordError> {
    record_sealed_from(&read_bytes(p)?)
}

/// [`read_record_sealed`] on bytes already read.
///
/// # Errors
/// Why they are not a record.
pub(super) fn record_sealed_from(bytes: &[u8]) -> Result<(AttemptRecord, Seal), RecordError> {
    let r = parse_record(bytes)?;
    let seal = Seal::of_file(bytes, &r);
    Ok((r, seal))
}

/// Parse the bytes of a record file.
fn parse_record(bytes: &[u8]) -> Result<AttemptRecord, RecordError> {
    if bytes.len() as u64 > MAX_RECORD_BYTES {
        return Err(RecordError::TooLarge);
    }
    // The common case first: a good record parses straight into its type.
    if let Ok(r) = serde_json::from_slice::<AttemptRecord>(bytes)
        && r.schema <= RECORD_SCHEMA
    {
        return Ok(r);
    }
    let v: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| RecordError::NotJson(e.to_string()))?;
    match v.get("schema").and_then(serde_json::Value::as_u64) {
        None => Err(RecordError::NoSchema),
        Some(s) if s > u64::from(RECORD_SCHEMA) => Err(RecordError::NewerSchema(s)),
        Some(_) => serde_json::from_value::<AttemptRecord>(v)
            .map_err(|e| RecordError::NotARecord(e.to_string())),
    }
}

/// Largest record file read.
const MAX_RECORD_BYTES: u64 = 16 * 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::trainee_slug;

    #[test]
    fn slugs_are_safe_and_distinct() {
        for name in [
            "../../etc/passwd",
            "a/b",
            "con",
            "..",
            "أحمد",
            "x\u{1b}[2J",
            "",
        ] {
            let s = trainee_slug(name);
            assert!(
                s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
                "{s}"
            );
            assert!(!s.is_empty() && !s.starts_with('-'));
        }
        assert_ne!(trainee_slug("أحمد"), trainee_slug("محمد"));
        assert_eq!(trainee_slug(" Sara K "), trainee_slug("sara k"));
    }
}
