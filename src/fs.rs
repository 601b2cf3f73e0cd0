//! The file-system helpers below banks and records: whole-file writes (atomic and synced for
//! records, unsynced for caches), a fault seam for tests, and the
//! compile-time FNV fingerprint that tells builds apart in caches.

use crate::messages::{K, Msg};
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Errors of the store. The message says what failed and where ([`StoreError::message`] in
/// any language; `Display` in English, for logs and the class server's console).
#[derive(Debug)]
pub enum StoreError {
    /// An I/O step failed.
    Io {
        /// What was being done.
        step: &'static str,
        /// Where.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A record could not be serialised.
    Encode(String),
}

impl StoreError {
    /// What failed and where, in words (the operating system's reason as it gives it).
    #[must_use]
    pub fn message(&self) -> Msg {
        match self {
            StoreError::Io { step, path, source } => {
                let k = match *step {
                    "cannot create the folder" => K::StoreCreateFolder,
                    "cannot create a temporary file in" => K::StoreCreateTemp,
                    "cannot write" => K::StoreWrite,
                    "cannot sync" => K::StoreSync,
                    "cannot move into place" => K::StoreMove,
                    "refusing to overwrite" => K::StoreRefuseOverwrite,
                    "cannot sync the folder" => K::StoreSyncFolder,
                    "cannot remove" => K::StoreRemove,
                    other => {
                        return Msg::raw(format!("{other} {path}: {source}"));
                    }
                };
                Msg::new(k, vec![path.into(), source.to_string().into()])
            }
            StoreError::Encode(e) => Msg::new(K::StoreEncode, vec![e.into()]),
        }
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().en())
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Io { source, .. } => Some(source),
            StoreError::Encode(_) => None,
        }
    }
}

pub(crate) fn io(step: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> StoreError {
    // The path as it is: the printing edge (the command line's writer, the screens' drawing)
    // neutralises what a terminal must not receive, and JSON carries it JSON-escaped.
    let path = path.display().to_string();
    move |source| StoreError::Io { step, path, source }
}

/// The steps of an atomic write, for fault injection in tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Creating the folder.
    CreateDir,
    /// Creating the temporary file.
    CreateTemp,
    /// Writing the bytes.
    Write,
    /// Syncing the file.
    SyncFile,
    /// Moving it into place.
    Rename,
    /// Syncing the folder (on Windows, where the move is written through, after the move).
    SyncDir,
}

// The tests' file-system fault seam: `None` unless a test sets it with `inject_fault` on its
// own thread, so no run of the program ever sees it set.
thread_local! {
    static FAULT: std::cell::Cell<Option<Step>> = const { std::cell::Cell::new(None) };
}

/// Make the next atomic writes on this thread fail at `step` (a file-system seam for tests), or
/// stop failing with `None`.
pub fn inject_fault(step: Option<Step>) {
    FAULT.with(|f| f.set(step));
}

fn fault(step: Step) -> std::io::Result<()> {
    if FAULT.with(std::cell::Cell::get) == Some(step) {
        Err(std::io::Error::other(format!("injected fault at {step:?}")))
    } else {
        Ok(())
    }
}

/// Write a cache file at `path` whole: a temporary file beside it (the folder is created), filled
/// by `fill`, then renamed into place, so no reader ever sees half a file. Not synced: unlike
/// [`write_atomic`] (two fsyncs, which for a large entry cost more than it saves), a cache file
/// lost in a crash is only rebuilt.
///
/// # Errors
/// Any failed step; the caller may ignore it.
pub fn write_unsynced(
    path: &Path,
    fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("a cache file needs a folder"))?;
    fs::create_dir_all(dir)?;
    let tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .suffix(".part")
        .tempfile_in(dir)?;
    let mut w = std::io::BufWriter::new(tmp);
    fill(&mut w)?;
    let tmp = w
        .into_inner()
        .map_err(std::io::IntoInnerError::into_error)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Write `body` to `path` atomically through a temporary file in `dir`, creating `dir` (and
/// the folders above it) when missing: for the program's own local folders.
///
/// # Errors
/// Any failed step, named.
pub fn write_atomic(
    dir: &Path,
    path: &Path,
    body: &[u8],
    overwrite: bool,
) -> Result<(), StoreError> {
    write_atomic_synced(dir, path, body, overwrite, true)
}

/// [`write_atomic`], synced to disk (file and folder) only when `synced`. Unsynced, the file is
/// still whole or absent after a killed process (the rename is atomic), but it may be lost, or
/// be the previous version, after a power cut: for what is only a convenience (preferences, the
/// live board's progress files) or can be made again (the first save of an attempt nobody has
/// answered yet).
///
/// # Errors
/// Any failed step, named.
pub fn write_atomic_synced(
    dir: &Path,
    path: &Path,
    body: &[u8],
    overwrite: bool,
    synced: bool,
) -> Result<(), StoreError> {
    fault(Step::CreateDir)
        .and_then(|()| fs::create_dir_all(dir))
        .map_err(io("cannot create the folder", dir))?;
    write_atomic_into_synced(dir, path, body, overwrite, synced)
}

/// Sync to disk files that were written whole but not synced ([`write_atomic_synced`]), and the
/// folders that hold them (each once): what makes them safe from a power cut, done after the
/// fact, on a worker thread, so that no fsync stands between a start and the first question.
/// Best effort: a file that is gone is skipped, and the first error is returned after trying
/// the rest. On Windows a folder cannot be opened to be synced, and the move into place was
/// written through already (see [`write_atomic_synced`]).
///
/// # Errors
/// The first file or folder that could not be synced.
pub fn sync_written(paths: &[PathBuf]) -> std::io::Result<()> {
    let mut first_error = None;
    let mut dirs: Vec<&Path> = Vec::new();
    for p in paths {
        // Windows flushes a file only through a handle that may write to it.
        let open = fs::OpenOptions::new()
            .read(true)
            .write(cfg!(windows))
            .open(p);
        match open.and_then(|f| f.sync_all()) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
        if let Some(d) = p.parent()
            && !dirs.contains(&d)
        {
            dirs.push(d);
        }
    }
    #[cfg(not(windows))]
    for d in dirs {
        if let Err(e) = fs::File::open(d).and_then(|f| f.sync_all()) {
            first_error.get_or_insert(e);
        }
    }
    #[cfg(windows)]
    let _ = dirs;
    first_error.map_or(Ok(()), Err)
}

/// Create the folder `dir` inside its existing parent (never the parent itself: a results folder
/// on a network share that dropped must not be made again on the local disk below the mount
/// point). Nothing to do when it exists. In a shared class folder (one with the set-group-ID
/// bit, see [`shared_mode`]) the new folder takes the parent's permissions, so that a folder
/// made by the first trainee does not lock the others out.
///
/// # Errors
/// The parent is missing, or the folder cannot be made.
pub fn make_subfolder(dir: &Path) -> Result<(), StoreError> {
    fault(Step::CreateDir).map_err(io("cannot create the folder", dir))?;
    match fs::create_dir(dir) {
        Ok(()) => {
            #[cfg(unix)]
            if let Some(parent) = dir.parent()
                && let Ok(m) = fs::metadata(parent)
            {
                use std::os::unix::fs::PermissionsExt as _;
                let mode = m.permissions().mode() & 0o7777;
                if mode & 0o2000 != 0 {
                    let _ = fs::set_permissions(dir, fs::Permissions::from_mode(mode));
                }
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) => Err(io("cannot create the folder", dir)(e)),
    }
}

/// The permissions of a file written in `dir`. A record holds a trainee's answers, so it is
/// readable by its writer only (`0600`), except in a shared class folder: a folder with the
/// set-group-ID bit, which the instructor sets up for the instructors' group (see the README,
/// "A shared results folder"). There the file is `0640`: the instructors' group (the folder's
/// group, which new files inherit) reads it, other trainees do not. The umask applies on top.
#[cfg(unix)]
#[must_use]
pub fn shared_mode(dir: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    match fs::metadata(dir) {
        Ok(m) if m.permissions().mode() & 0o2000 != 0 => 0o640,
        _ => 0o600,
    }
}

/// Write `body` to `path` atomically through a temporary file in `dir`, which must exist: it is
/// never created here (see [`make_subfolder`]).
///
/// # Errors
/// Any failed step, named; a missing folder is [`std::io::ErrorKind::NotFound`] at
/// "cannot create a temporary file in".
pub fn write_atomic_into(
    dir: &Path,
    path: &Path,
    body: &[u8],
    overwrite: bool,
) -> Result<(), StoreError> {
    write_atomic_into_synced(dir, path, body, overwrite, true)
}

/// [`write_atomic_into`], synced only when `synced` (see [`write_atomic_synced`]).
///
/// # Errors
/// Any failed step, named.
pub fn write_atomic_into_synced(
    dir: &Path,
    path: &Path,
    body: &[u8],
    overwrite: bool,
    synced: bool,
) -> Result<(), StoreError> {
    write_atomic_as(dir, path, body, overwrite, synced, Perms::Private)
}

/// Write a file the user asked for (a report, an export: `-o FILE`) atomically and synced, as
/// [`write_atomic`] does, but with the permissions any program gives a new file (`0666` less the
/// umask, so usually `0644`), or those of the file it replaces: the file is the user's to file
/// and share, not a record.
///
/// # Errors
/// Any failed step, named.
pub fn write_atomic_public(dir: &Path, path: &Path, body: &[u8]) -> Result<(), StoreError> {
    fault(Step::CreateDir)
        .and_then(|()| fs::create_dir_all(dir))
        .map_err(io("cannot create the folder", dir))?;
    write_atomic_as(dir, path, body, true, true, Perms::Public)
}

/// The permissions of a file written by [`write_atomic_as`].
#[derive(Clone, Copy)]
enum Perms {
    /// [`shared_mode`]: a record, a progress file.
    Private,
    /// The mode of the file replaced, else `0666` (the umask applies).
    Public,
}

fn write_atomic_as(
    dir: &Path,
    path: &Path,
    body: &[u8],
    overwrite: bool,
    synced: bool,
    perms: Perms,
) -> Result<(), StoreError> {
    fault(Step::CreateTemp).map_err(io("cannot create a temporary file in", dir))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".tmp-").suffix(".part");
    // The mode of the file replaced, to give the new one as it is (not through the umask).
    #[cfg(unix)]
    let keep = match perms {
        Perms::Private => None,
        Perms::Public => fs::metadata(path)
            .ok()
            .filter(fs::Metadata::is_file)
            .map(|m| {
                use std::os::unix::fs::PermissionsExt as _;
                fs::Permissions::from_mode(m.permissions().mode() & 0o777)
            }),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = match perms {
            Perms::Private => shared_mode(dir),
            Perms::Public => 0o666,
        };
        // The kernel applies the umask to the mode a file is created with.
        builder.permissions(fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = perms;
    let mut tmp = builder
        .tempfile_in(dir)
        .map_err(io("cannot create a temporary file in", dir))?;
    #[cfg(unix)]
    if let Some(p) = keep {
        tmp.as_file()
            .set_permissions(p)
            .map_err(io("cannot set the permissions of", tmp.path()))?;
    }
    fault(Step::Write)
        .and_then(|()| tmp.write_all(body))
        .and_then(|()| tmp.flush())
        .map_err(io("cannot write", tmp.path()))?;
    if synced {
        fault(Step::SyncFile)
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(io("cannot sync", tmp.path()))?;
    }
    fault(Step::Rename).map_err(io("cannot move into place", path))?;
    // Windows: the move itself is written through (see `windows::persist`).
    #[cfg(windows)]
    windows::persist(tmp, path, overwrite).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            io("refusing to overwrite", path)(e)
        } else {
            io("cannot move into place", path)(e)
        }
    })?;
    #[cfg(not(windows))]
    if overwrite {
        tmp.persist(path)
            .map_err(|e| io("cannot move into place", path)(e.error))?;
    } else {
        match tmp.persist_noclobber(path) {
            Ok(_) => {}
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(io("refusing to overwrite", path)(e.error));
            }
            Err(e) => {
                // Folders without hard links (some network shares): rename, after checking the
                // name is free. Names are unique per attempt, so this cannot lose a record.
                if path.exists() {
                    return Err(io("refusing to overwrite", path)(std::io::Error::from(
                        std::io::ErrorKind::AlreadyExists,
                    )));
                }
                e.file
                    .persist(path)
                    .map_err(|e| io("cannot move into place", path)(e.error))?;
            }
        }
    }
    // The record is in place; a failed folder sync is reported so that "saved" is never shown
    // before the data is durable. On Windows there is no folder to sync (a folder cannot be
    // opened for it); the step stays, so that a failure after the move is handled the same way.
    if !synced {
        return Ok(());
    }
    fault(Step::SyncDir).map_err(io("cannot sync the folder", dir))?;
    #[cfg(not(windows))]
    if let Ok(d) = fs::File::open(dir) {
        d.sync_all().map_err(io("cannot sync the folder", dir))?;
    }
    Ok(())
}

/// The move into place on Windows, where a folder cannot be synced: `MoveFileExW` with
/// `MOVEFILE_WRITE_THROUGH`, which returns only once the move is on disk (what syncing the folder
/// after `rename` gives on Unix), replacing the target only when `overwrite` (without it the
/// move fails with `AlreadyExists`, atomically, as a hard link does on Unix).
#[cfg(windows)]
mod windows {
    use std::os::windows::ffi::OsStrExt as _;
    use std::path::Path;
    use windows_sys::Win32::Foundation::ERROR_SHARING_VIOLATION;
    use windows_sys::Win32::Storage::FileSystem::{
        FILE_ATTRIBUTE_NORMAL, MOVEFILE_REPLACE_EXISTING, MOVEFILE_WRITE_THROUGH, MoveFileExW,
        SetFileAttributesW,
    };

    fn wide(p: &Path) -> Vec<u16> {
        p.as_os_str().encode_wide().chain(Some(0)).collect()
    }

    /// Move the synced temporary file `tmp` to `path`. A target held open by another program
    /// (an indexer, a virus scanner, a board reading it) is tried again a few times.
    pub(super) fn persist(
        tmp: tempfile::NamedTempFile,
        path: &Path,
        overwrite: bool,
    ) -> std::io::Result<()> {
        let mut tmp = tmp.into_temp_path();
        let from = wide(&tmp);
        let to = wide(path);
        // tempfile marks its files temporary (kept in memory if possible); a record is not.
        // SAFETY: `from` is a NUL-terminated wide string that outlives the call.
        if unsafe { SetFileAttributesW(from.as_ptr(), FILE_ATTRIBUTE_NORMAL) } == 0 {
            return Err(std::io::Error::last_os_error());
        }
        let flags = MOVEFILE_WRITE_THROUGH
            | if overwrite {
                MOVEFILE_REPLACE_EXISTING
            } else {
                0
            };
        let mut tries = 0;
        loop {
            // SAFETY: both are NUL-terminated wide strings that outlive the call.
            if unsafe { MoveFileExW(from.as_ptr(), to.as_ptr(), flags) } != 0 {
                // Moved: nothing is left at the temporary name to remove.
                tmp.disable_cleanup(true);
                return Ok(());
            }
            let e = std::io::Error::last_os_error();
            let busy = e.kind() == std::io::ErrorKind::PermissionDenied
                || e.raw_os_error() == i32::try_from(ERROR_SHARING_VIOLATION).ok();
            tries += 1;
            if !busy || tries >= 10 {
                return Err(e);
            }
            std::thread::sleep(std::time::Duration::from_millis(20 * tries));
        }
    }
}

/// The last-resort folder of a data folder: where autosaves and finished attempts go when the
/// data folder cannot be written (read-only, full, gone). It is in `temp`, the system's
/// temporary folder (read by the caller, at the edge), named after the user and the data folder
/// (so that each data folder has its own, and `tipquiz recover` with the same data folder finds
/// it), e.g. `/tmp/tipquiz-1000-3f2a…`.
#[must_use]
pub fn fallback_dir(data: &Path, temp: &Path) -> std::path::PathBuf {
    #[cfg(unix)]
    // SAFETY: geteuid has no preconditions and cannot fail.
    let user = unsafe { libc::geteuid() }.to_string();
    #[cfg(not(unix))]
    let user = String::from("user");
    let h = fnv(FNV_START, data.as_os_str().to_string_lossy().as_bytes());
    temp.join(format!("tipquiz-{user}-{h:016x}"))
}

/// Make `dir` (in a folder others can write, such as the temporary folder) a folder of this
/// user's only: created with mode `0700` when missing, then checked to be a real folder (not a
/// link), owned by this user and closed to others. Its subfolders are made as needed.
///
/// # Errors
/// It cannot be made, or it is not safe to use (then nothing is written there).
pub fn private_dir(root: &Path, sub: Option<&str>) -> std::io::Result<std::path::PathBuf> {
    #[cfg(unix)]
    let b = {
        use std::os::unix::fs::DirBuilderExt as _;
        let mut b = fs::DirBuilder::new();
        b.mode(0o700);
        b
    };
    #[cfg(not(unix))]
    let b = fs::DirBuilder::new();
    match b.create(root) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    let m = fs::symlink_metadata(root)?;
    if !m.is_dir() {
        return Err(std::io::Error::other("not a folder"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        // SAFETY: geteuid has no preconditions and cannot fail.
        if m.uid() != unsafe { libc::geteuid() } || m.mode() & 0o077 != 0 {
            return Err(std::io::Error::other(
                "the folder belongs to someone else or is open to others",
            ));
        }
    }
    let Some(sub) = sub else {
        return Ok(root.to_path_buf());
    };
    let dir = root.join(sub);
    match b.create(&dir) {
        Ok(()) => Ok(dir),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(dir),
        Err(e) => Err(e),
    }
}

/// The start of an FNV-1a hash for [`fnv`].
pub(crate) const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a over `bytes`, continuing from `h`: a compile-time fingerprint of source files (not a
/// defence against anyone, only a way to tell builds apart).
pub(crate) const fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    h
}
