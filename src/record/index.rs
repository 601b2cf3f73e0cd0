//! An index of a results folder, so that a report on years of results does not parse every
//! record again.
//!
//! The index keeps, for every good record file, the parsed record and whether its checksum
//! matched, under the file's identity: name, device, inode, size, modification time and
//! status-change time (`ctime`). Any write to a file, a rename onto its name, and even `touch`
//! restoring its old modification time change its `ctime`, which a user cannot set: so a file
//! whose identity is unchanged holds the bytes it held when it was indexed, and its index entry
//! says what reading and checking it again would say. Files that changed are read again; files
//! that are not records (or are damaged) are never indexed and are read every time, so their
//! problem is always reported.
//!
//! A file changed within [`RACY_NS`] before the index was written is read again every time (as
//! git does with its index): a change made in the same tick of the file-system clock as the read
//! could otherwise keep its `ctime`.
//!
//! Where the platform has no such time (Windows: NTFS keeps a change time, but a program may set
//! it, FAT and exFAT on a class's USB stick keep none and round modification times to two
//! seconds, and copying a file keeps its modification time), size and modification time only
//! say which entry a file may match: every file is read (not parsed) and a digest of its bytes
//! ([`FileId::digest`]) decides. A report then still reads every file, but parses, checks and
//! re-scores only those that changed.
//!
//! What the index keeps of a record's seals is what its bytes said when it was read: whether the
//! checksum matched, and the SHA-256 of the body. The signature (HMAC with the instructor's key
//! over that digest) is checked again on every report against the key given then, so a record
//! whose bytes were never signed with that key cannot pass through the index. The index itself
//! is not signed: it lives in the instructor's own cache folder, and anyone who can write there
//! can also replace the program.
//!
//! The index lives in the cache folder the command line passes (see `cmd::Folders`), one file
//! per results folder. It is written atomically and only when something changed; a damaged,
//! foreign or older index is ignored and rebuilt. Its format: the magic bytes, a postcard-encoded [`Head`],
//! then the entries in postcard-encoded chunks that are decoded on every core.

use super::AttemptRecord;
use super::store::{
    BadRecord, LoadedRecords, RecordError, read_bytes, read_record_sealed, record_sealed_from,
};
use crate::bank::Library;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};

/// First bytes of an index file.
const MAGIC: &[u8; 16] = b"tipquiz-index-1\n";
/// Bump when the encoding of [`Entry`] or of a record changes.
const FORMAT: u32 = 2;
/// Entries per chunk (the unit decoded in parallel).
const CHUNK: usize = 256;
/// A file whose `ctime` is this close to the index's own modification time is read again.
pub const RACY_NS: i128 = 2_000_000_000;
/// More racy files than this make the index be written again (with a newer time).
const RACY_REWRITE: usize = 64;
/// Largest index read (a damaged length must not make us allocate without bound).
const MAX_INDEX_BYTES: u64 = 4 << 30;

/// Whether the platform's file identity cannot vouch for the bytes, so that they are compared
/// ([`FileId::digest`]): everywhere but Unix.
const CONTENT_CHECK: bool = cfg!(not(unix));

/// What identifies a file's content: without reading it on Unix, by a digest of its bytes
/// elsewhere (the module's documentation says why).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct FileId {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: (i64, i64),
    /// Status-change time on Unix; the modification time elsewhere.
    ctime: (i64, i64),
    /// The first half of the SHA-256 of the bytes where [`CONTENT_CHECK`]; zero on Unix.
    digest: [u8; 16],
}

impl FileId {
    #[cfg(unix)]
    fn of(m: &fs::Metadata) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        Some(FileId {
            dev: m.dev(),
            ino: m.ino(),
            size: m.len(),
            mtime: (m.mtime(), m.mtime_nsec()),
            ctime: (m.ctime(), m.ctime_nsec()),
            digest: [0; 16],
        })
    }

    /// Size and modification time; the digest is filled in once the bytes are read.
    #[cfg(not(unix))]
    fn of(m: &fs::Metadata) -> Option<FileId> {
        let t = m
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        let t = (
            i64::try_from(t.as_secs()).ok()?,
            i64::from(t.subsec_nanos()),
        );
        Some(FileId {
            dev: 0,
            ino: 0,
            size: m.len(),
            mtime: t,
            ctime: t,
            digest: [0; 16],
        })
    }

    /// This identity with the digest of `bytes`.
    fn with_digest(mut self, bytes: &[u8]) -> FileId {
        let h = Sha256::digest(bytes);
        self.digest.copy_from_slice(&h[..16]);
        self
    }

    fn ctime_ns(&self) -> i128 {
        i128::from(self.ctime.0) * 1_000_000_000 + i128::from(self.ctime.1)
    }
}

#[cfg(unix)]
fn mtime_ns(m: &fs::Metadata) -> i128 {
    use std::os::unix::fs::MetadataExt;
    i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec())
}

#[cfg(not(unix))]
fn mtime_ns(m: &fs::Metadata) -> i128 {
    // Unknown: as if the index were written at the start of time, so that nothing is trusted.
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(i128::MIN / 2, |d| {
            i128::try_from(d.as_nanos()).unwrap_or(i128::MIN / 2)
        })
}

/// What is already known of a record from the results index.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Known {
    /// What its file's bytes say about its checksum and signature.
    pub seal: super::Seal,
    /// Its total re-scored against the banks it names ([`AttemptRecord::rescore`]), when they
    /// were loaded with the content hashes it names; `None` when they were not. Valid whenever
    /// the loaded banks have those hashes again: a bank's questions are fixed by its hash.
    pub rescored: Option<Option<f64>>,
}

/// One indexed record file.
#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    name: String,
    id: FileId,
    known: Known,
    record: AttemptRecord,
}

/// The index's header.
#[derive(Debug, Serialize, Deserialize)]
struct Head {
    format: u32,
    program: String,
    dir: String,
    /// Byte length of each chunk that follows the head.
    chunks: Vec<u64>,
}

/// The index file of a results folder inside a cache folder.
#[must_use]
pub fn index_path(cache_dir: &Path, results_dir: &Path) -> PathBuf {
    let dir = fs::canonicalize(results_dir).unwrap_or_else(|_| results_dir.to_path_buf());
    let h = Sha256::digest(dir.to_string_lossy().as_bytes());
    cache_dir
        .join("results")
        .join(format!("{}.index", hex::encode(&h[..12])))
}

/// The fingerprint [`BUILD`] over the text of `files` (paths relative to this file), and the
/// list itself as [`FINGERPRINTED`] (paths relative to `src/`), so that a test can check the
/// list against the files scoring depends on.
macro_rules! fingerprint {
    ($($file:literal),* $(,)?) => {
        /// The source files (relative to `src/`) whose text makes up the index's build
        /// fingerprint.
        pub const FINGERPRINTED: &[&str] = &[$($file),*];

        /// A fingerprint of the source that decides what an entry holds: the record and its
        /// reading, the checksum, re-scoring (everything the re-scored total depends on) and
        /// the index itself, and the locked dependencies. A development build with other rules
        /// (and the same version number) thus never reads this build's index.
        const BUILD: u64 = {
            use crate::fs::{FNV_START, fnv};
            let mut h = FNV_START;
            $(h = fnv(h, include_bytes!(concat!("../", $file)));)*
            h
        };
    };
}

fingerprint!(
    "record/index.rs",
    "record/mod.rs",
    "record/store.rs",
    "record/marker.rs",
    "record/journal.rs",
    "quiz/mod.rs",
    "quiz/score.rs",
    "quiz/normalize.rs",
    "quiz/response.rs",
    "quiz/session.rs",
    "quiz/draw.rs",
    "quiz/paced.rs",
    "quiz/changes.rs",
    "bank/mod.rs",
    "bank/model.rs",
    "bank/load.rs",
    "bank/cache.rs",
    "walk.rs",
    "fs.rs",
    "exam.rs",
    "text.rs",
    "../Cargo.lock",
);

fn program() -> String {
    format!("tipquiz {} {BUILD:016x}", env!("CARGO_PKG_VERSION"))
}

/// Read an index: its entries (in file-name order, as written) and the index file's
/// modification time.
fn read_index(path: &Path, dir: &str) -> Option<(Vec<Entry>, i128)> {
    use rayon::prelude::*;
    let meta = fs::metadata(path).ok()?;
    if meta.len() > MAX_INDEX_BYTES {
        return None;
    }
    let written = mtime_ns(&meta);
    let bytes = fs::read(path).ok()?;
    let rest = bytes.strip_prefix(MAGIC.as_slice())?;
    let (head, mut rest) = postcard::take_from_bytes::<Head>(rest).ok()?;
    if head.format != FORMAT || head.program != program() || head.dir != dir {
        return None;
    }
    let mut chunks = Vec::with_capacity(head.chunks.len());
    for len in head.chunks {
        let len = usize::try_from(len).ok()?;
        if len > rest.len() {
            return None;
        }
        let (chunk, after) = rest.split_at(len);
        chunks.push(chunk);
        rest = after;
    }
    if !rest.is_empty() {
        return None;
    }
    let decoded: Option<Vec<Vec<Entry>>> = chunks
        .into_par_iter()
        .map(|c| postcard::from_bytes::<Vec<Entry>>(c).ok())
        .collect();
    let entries: Vec<Entry> = decoded?.into_iter().flatten().collect();
    // Written in name order; anything else is not an index this program wrote.
    entries
        .windows(2)
        .all(|w| w[0].name < w[1].name)
        .then_some((entries, written))
}

/// Write an index of `entries` (in order). Errors are ignored: the index is only a cache.
fn write_index(path: &Path, dir: &str, entries: &[(&str, FileId, Known, &AttemptRecord)]) {
    use rayon::prelude::*;
    #[derive(Serialize)]
    struct EntryRef<'a> {
        name: &'a str,
        id: FileId,
        known: Known,
        record: &'a AttemptRecord,
    }
    let chunks: Option<Vec<Vec<u8>>> = entries
        .par_chunks(CHUNK)
        .map(|c| {
            let refs: Vec<EntryRef<'_>> = c
                .iter()
                .map(|&(name, id, known, record)| EntryRef {
                    name,
                    id,
                    known,
                    record,
                })
                .collect();
            postcard::to_stdvec(&refs).ok()
        })
        .collect();
    let Some(chunks) = chunks else { return };
    let head = Head {
        format: FORMAT,
        program: program(),
        dir: dir.to_owned(),
        chunks: chunks.iter().map(|c| c.len() as u64).collect(),
    };
    let Ok(head) = postcard::to_stdvec(&head) else {
        return;
    };
    let mut body =
        Vec::with_capacity(MAGIC.len() + head.len() + chunks.iter().map(Vec::len).sum::<usize>());
    body.extend_from_slice(MAGIC);
    body.extend_from_slice(&head);
    for c in &chunks {
        body.extend_from_slice(c);
    }
    // Not synced: a lost index is rebuilt from the records.
    let _ = super::write_unsynced(path, |w| w.write_all(&body));
}

impl super::Store {
    /// [`super::Store::load`] through the results index in the cache folder `cache`, or
    /// straight from the files when caching is off (`None`: then `known` holds the seals read
    /// from the files and no re-scored totals).
    #[must_use]
    pub fn load_cached(&self, cache: Option<&Path>, lib: Option<&Library>) -> Indexed {
        match cache {
            Some(cache) => load_indexed(&self.dir, &index_path(cache, &self.dir), lib),
            None => {
                let loaded = self.load();
                Indexed {
                    read: loaded.records.len(),
                    known: loaded
                        .seals
                        .iter()
                        .map(|&seal| Known {
                            seal,
                            rescored: None,
                        })
                        .collect(),
                    loaded,
                }
            }
        }
    }
}

/// What [`load_indexed`] found.
#[derive(Debug, Default)]
pub struct Indexed {
    /// The records and the files skipped, exactly as [`super::Store::load`] gives them.
    pub loaded: LoadedRecords,
    /// For each record of `loaded.records`, its checksum verdict and re-scored total.
    pub known: Vec<Known>,
    /// How many files were parsed (the others came from the index; where the platform needs a
    /// content check, they were read but not parsed).
    pub read: usize,
}

/// Whether every bank a record names is loaded with the content hash it names.
#[must_use]
pub fn banks_match(r: &AttemptRecord, lib: &Library) -> bool {
    r.banks
        .iter()
        .all(|(bank, hash)| lib.bank(bank).is_some_and(|b| b.hash == *hash))
}

/// Read every record of `dir` as [`super::Store::load`] does, taking unchanged files from the
/// index at `index` (and checking the checksum of the others, and re-scoring them against `lib`
/// when given), then write the index again if anything changed.
#[must_use]
pub fn load_indexed(dir: &Path, index: &Path, lib: Option<&Library>) -> Indexed {
    use rayon::prelude::*;
    // Listed as `Store::load` lists them; a plain file is stat'ed through its directory entry
    // (no path walk), a symbolic link is followed.
    let Some(names) = super::store::record_files(dir) else {
        return Indexed::default();
    };
    let dir_key = fs::canonicalize(dir)
        .unwrap_or_else(|_| dir.to_path_buf())
        .to_string_lossy()
        .into_owned();
    let (old, written) = read_index(index, &dir_key).unwrap_or_default();
    let old_len = old.len();
    // Each file with its index entry, if it had one under the same name: both lists are in name
    // order, so one merging pass pairs them.
    let mut old = old.into_iter().peekable();
    let jobs: Vec<(String, fs::DirEntry, bool, Option<Entry>)> = names
        .into_iter()
        .map(|(name, e, plain)| {
            while old.next_if(|o| o.name < name).is_some() {}
            let entry = old.next_if(|o| o.name == name);
            (name, e, plain, entry)
        })
        .collect();
    drop(old);
    let removed = old_len.saturating_sub(jobs.iter().filter(|j| j.3.is_some()).count());
    enum Got {
        Cached(FileId, Known, AttemptRecord),
        /// Read again; `same` when the index had this very file (a racy entry).
        Read(Option<FileId>, Known, AttemptRecord, bool),
        /// Not a good record; `true` when the index had an entry under its name.
        Bad(RecordError, bool),
    }
    let got: Vec<(String, Got)> = jobs
        .into_par_iter()
        .map(|(name, dir_entry, plain, entry)| {
            let path = dir_entry.path();
            if path.extension().is_none_or(|e| e != "json") {
                return (name, Got::Bad(RecordError::NotJsonFile, entry.is_some()));
            }
            let meta = if plain {
                dir_entry.metadata()
            } else {
                fs::metadata(&path)
            };
            let id = meta.ok().as_ref().and_then(FileId::of);
            let had = entry.is_some();
            // Where the identity cannot vouch for the bytes, they are read first and their
            // digest becomes part of the identity (a changed file is parsed from this read).
            let bytes = if CONTENT_CHECK {
                match read_bytes(&path) {
                    Ok(b) => Some(b),
                    Err(e) => return (name, Got::Bad(e, had)),
                }
            } else {
                None
            };
            let id = match &bytes {
                Some(b) => id.map(|id| id.with_digest(b)),
                None => id,
            };
            let same = matches!((id, &entry), (Some(id), Some(e)) if e.id == id);
            if same
                && id.is_some_and(|id| id.ctime_ns() < written - RACY_NS)
                && let (Some(id), Some(e)) = (id, entry)
            {
                return (name, Got::Cached(id, e.known, e.record));
            }
            let sealed = match &bytes {
                Some(b) => record_sealed_from(b),
                None => read_record_sealed(&path),
            };
            match sealed {
                Ok((r, seal)) => {
                    // The identity is taken before the read: a change during the read gives
                    // the file a newer identity, so the next load reads it again.
                    let known = Known {
                        seal,
                        rescored: lib.filter(|l| banks_match(&r, l)).map(|l| r.rescore(l)),
                    };
                    (name, Got::Read(id, known, r, same))
                }
                Err(e) => (name, Got::Bad(e, had)),
            }
        })
        .collect();
    let mut out = Indexed::default();
    out.loaded.records.reserve_exact(got.len());
    out.loaded.seals.reserve_exact(got.len());
    out.known.reserve_exact(got.len());
    let mut keep: Vec<(usize, FileId)> = Vec::with_capacity(got.len());
    let mut changed = removed > 0 || written == 0;
    let mut racy = 0;
    for (name, g) in got {
        match g {
            Got::Cached(id, known, r) => {
                keep.push((out.loaded.records.len(), id));
                out.loaded.records.push((name, r));
                out.loaded.seals.push(known.seal);
                out.known.push(known);
            }
            Got::Read(id, known, r, same) => {
                out.read += 1;
                if same {
                    racy += 1;
                } else {
                    changed = true;
                }
                if let Some(id) = id {
                    keep.push((out.loaded.records.len(), id));
                }
                out.loaded.records.push((name, r));
                out.loaded.seals.push(known.seal);
                out.known.push(known);
            }
            Got::Bad(reason, had) => {
                changed |= had;
                out.loaded.bad.push(BadRecord {
                    file: name,
                    trainee: String::new(),
                    exam_id: String::new(),
                    reason: reason.message(),
                });
            }
        }
    }
    if changed || racy > RACY_REWRITE {
        let entries: Vec<(&str, FileId, Known, &AttemptRecord)> = keep
            .iter()
            .map(|&(i, id)| {
                let (name, r) = &out.loaded.records[i];
                (name.as_str(), id, out.known[i], r)
            })
            .collect();
        write_index(index, &dir_key, &entries);
    }
    out
}
