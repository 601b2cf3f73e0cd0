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
//! foreign or older index is ignored and rebuilt.
//!
//! It is read and written a chunk at a time, so that a report over a folder of any size holds at
//! most a few chunks of records at once ([`visit_indexed`]). Its format: the magic bytes, then
//! frames (a length, the first half of the SHA-256 of the frame's bytes, the bytes): a
//! postcard-encoded [`Head`], then for every chunk of up to [`CHUNK`] entries two frames, their
//! identities ([`Ident`]: name, file identity, what is known) and their records. The identities are
//! read first, alone, to tell which files changed; the records of a chunk are read only when one
//! of its files is unchanged, and a chunk whose bytes do not match its checksum is not used (its
//! files are read instead and the index is written again).

use super::AttemptRecord;
use super::store::{BadRecord, LoadedRecords, RecordError, read_bytes, read_record_sealed};
use crate::bank::Library;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// First bytes of an index file.
const MAGIC: &[u8; 16] = b"tipquiz-index-2\n";
/// Bump when the encoding of [`Ident`] or of a record changes.
const FORMAT: u32 = 3;
/// Entries per chunk (the unit decoded in parallel, and checked by its own checksum).
const CHUNK: usize = 256;
/// Record files handled at once (listed, then read or taken from the index on every core, and
/// given to the caller): what bounds the records held at a time.
const BATCH: usize = 8 * CHUNK;
/// A file whose `ctime` is this close to the index's own modification time is read again.
pub const RACY_NS: i128 = 2_000_000_000;
/// More racy files than this make the index be written again (with a newer time).
const RACY_REWRITE: usize = 64;
/// Largest index read (a damaged length must not make us allocate without bound).
const MAX_INDEX_BYTES: u64 = 4 << 30;
/// Largest frame read.
const MAX_FRAME_BYTES: u64 = 1 << 30;

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

/// The identity of one indexed record file and what is known of it (its record is in the
/// chunk's second frame, at the same place).
#[derive(Debug, Serialize, Deserialize)]
struct Ident {
    name: String,
    id: FileId,
    known: Known,
}

/// The index's header.
#[derive(Debug, Serialize, Deserialize)]
struct Head {
    format: u32,
    program: String,
    dir: String,
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

/// The first half of the SHA-256 of a frame's bytes.
fn frame_digest(bytes: &[u8]) -> [u8; 16] {
    let h = Sha256::digest(bytes);
    let mut d = [0; 16];
    d.copy_from_slice(&h[..16]);
    d
}

/// Write one frame: length, checksum, bytes.
fn write_frame(w: &mut dyn Write, bytes: &[u8]) -> std::io::Result<()> {
    w.write_all(&(bytes.len() as u64).to_le_bytes())?;
    w.write_all(&frame_digest(bytes))?;
    w.write_all(bytes)
}

/// Where a frame's bytes are in the index file, how long they are and their checksum.
#[derive(Clone, Copy, Debug)]
struct FrameAt {
    offset: u64,
    len: u64,
    digest: [u8; 16],
}

/// A frame's length and checksum (`None` at the end of the file or where it is cut short).
fn frame_head(r: &mut impl Read) -> Option<(u64, [u8; 16])> {
    let mut h = [0u8; 24];
    r.read_exact(&mut h).ok()?;
    let mut len = [0u8; 8];
    len.copy_from_slice(&h[..8]);
    let mut digest = [0u8; 16];
    digest.copy_from_slice(&h[8..]);
    Some((u64::from_le_bytes(len), digest))
}

/// A frame's bytes, when they match its checksum.
fn frame_bytes(r: &mut impl Read, len: u64, digest: [u8; 16]) -> Option<Vec<u8>> {
    if len > MAX_FRAME_BYTES {
        return None;
    }
    let mut bytes = vec![0; usize::try_from(len).ok()?];
    r.read_exact(&mut bytes).ok()?;
    (frame_digest(&bytes) == digest).then_some(bytes)
}

/// An index as the first pass reads it: every entry's identity, with the chunk that holds its
/// record and its place there; the chunks' places; the index file's modification time.
struct OldIndex {
    file: fs::File,
    ids: Vec<(Ident, u32, u32)>,
    /// Each chunk's records frame, and how many entries it holds.
    chunks: Vec<(FrameAt, usize)>,
    written: i128,
}

/// Read an index's identities (in file-name order, as written), leaving its records in the
/// file. `None` for a missing, damaged, foreign or older index.
fn read_ids(path: &Path, dir: &str) -> Option<OldIndex> {
    use std::io::{BufRead, BufReader};
    let meta = fs::metadata(path).ok()?;
    let size = meta.len();
    if size > MAX_INDEX_BYTES {
        return None;
    }
    let written = mtime_ns(&meta);
    let mut r = BufReader::new(fs::File::open(path).ok()?);
    let mut magic = [0u8; 16];
    r.read_exact(&mut magic).ok()?;
    if magic != *MAGIC {
        return None;
    }
    let (len, digest) = frame_head(&mut r)?;
    let head: Head = postcard::from_bytes(&frame_bytes(&mut r, len, digest)?).ok()?;
    if head.format != FORMAT || head.program != program() || head.dir != dir {
        return None;
    }
    let mut at = 16 + 24 + len;
    let mut ids = Vec::new();
    let mut chunks = Vec::new();
    while !r.fill_buf().ok()?.is_empty() {
        let (len, digest) = frame_head(&mut r)?;
        let these: Vec<Ident> = postcard::from_bytes(&frame_bytes(&mut r, len, digest)?).ok()?;
        let (rlen, rdigest) = frame_head(&mut r)?;
        at += 24 + len + 24;
        if at.checked_add(rlen)? > size {
            return None;
        }
        let chunk = u32::try_from(chunks.len()).ok()?;
        chunks.push((
            FrameAt {
                offset: at,
                len: rlen,
                digest: rdigest,
            },
            these.len(),
        ));
        r.seek_relative(i64::try_from(rlen).ok()?).ok()?;
        at += rlen;
        for (i, id) in these.into_iter().enumerate() {
            ids.push((id, chunk, u32::try_from(i).ok()?));
        }
    }
    // Written in name order; anything else is not an index this program wrote.
    if !ids.windows(2).all(|w| w[0].0.name < w[1].0.name) {
        return None;
    }
    Some(OldIndex {
        file: r.into_inner(),
        ids,
        chunks,
        written,
    })
}

/// Fill `buf` from `file` at `offset` (without moving a shared position: chunks are read on
/// every core).
#[cfg(unix)]
fn read_at(file: &fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &fs::File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(not(any(unix, windows)))]
fn read_at(_: &fs::File, _: &mut [u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// The records of a chunk, when its bytes match their checksum and hold `count` records.
fn read_chunk(file: &fs::File, at: FrameAt, count: usize) -> Option<Vec<Option<AttemptRecord>>> {
    if at.len > MAX_FRAME_BYTES {
        return None;
    }
    let mut bytes = vec![0; usize::try_from(at.len).ok()?];
    read_at(file, &mut bytes, at.offset).ok()?;
    if frame_digest(&bytes) != at.digest {
        return None;
    }
    let records: Vec<AttemptRecord> = postcard::from_bytes(&bytes).ok()?;
    (records.len() == count).then(|| records.into_iter().map(Some).collect())
}

/// One file of a results folder, as [`visit_indexed`] and [`super::Store::visit`] give it.
#[derive(Debug)]
pub struct Found {
    /// The file's name.
    pub name: String,
    /// Its record, with what its bytes say of its seals (and, through the index, its re-scored
    /// total); or why it is not a good record.
    pub got: Result<(AttemptRecord, Known), RecordError>,
}

impl super::Store {
    /// [`super::Store::load`] through the results index in the cache folder `cache`, or
    /// straight from the files when caching is off (`None`: then `known` holds the seals read
    /// from the files and no re-scored totals).
    #[must_use]
    pub fn load_cached(&self, cache: Option<&Path>, lib: Option<&Library>) -> Indexed {
        let mut out = Indexed::default();
        out.read = self.visit_cached(cache, lib, &mut |batch, _| out.add(batch));
        out
    }

    /// [`Self::load_cached`] a batch of files at a time, in file-name order, so that the
    /// records of a folder of any size need not all be held at once; `each` is given each batch
    /// with how many files are still to come after it. Returns how many files were parsed.
    pub fn visit_cached(
        &self,
        cache: Option<&Path>,
        lib: Option<&Library>,
        each: &mut dyn FnMut(Vec<Found>, usize),
    ) -> usize {
        match cache {
            Some(cache) => visit_indexed(&self.dir, &index_path(cache, &self.dir), lib, each),
            None => self.visit(each),
        }
    }

    /// Every file of the folder as [`super::Store::load`] reads it, a batch at a time in
    /// file-name order (each batch read and parsed on every core). Returns how many files were
    /// parsed.
    pub fn visit(&self, each: &mut dyn FnMut(Vec<Found>, usize)) -> usize {
        use rayon::prelude::*;
        let Some(files) = super::store::record_files(&self.dir) else {
            return 0;
        };
        let mut read = 0;
        // The listing is given away a batch at a time: each name moves into what is found, and
        // each directory entry goes once its file is read.
        let mut left = files.len();
        for batch in in_batches(files) {
            left -= batch.len();
            let found: Vec<Found> = batch
                .into_par_iter()
                .map(|(name, e, _)| {
                    let p = e.path();
                    let got = if p.extension().is_none_or(|e| e != "json") {
                        Err(RecordError::NotJsonFile)
                    } else {
                        read_record_sealed(&p).map(|(r, seal)| {
                            (
                                r,
                                Known {
                                    seal,
                                    rescored: None,
                                },
                            )
                        })
                    };
                    Found { name, got }
                })
                .collect();
            read += found.iter().filter(|f| f.got.is_ok()).count();
            each(found, left);
        }
        read
    }
}

/// `items` moved out [`BATCH`] at a time: what each batch owns goes with it (only the list's
/// own block stays to the end).
fn in_batches<T>(items: Vec<T>) -> impl Iterator<Item = Vec<T>> {
    let mut items = items.into_iter();
    std::iter::from_fn(move || {
        let batch: Vec<T> = items.by_ref().take(BATCH).collect();
        (!batch.is_empty()).then_some(batch)
    })
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

impl Indexed {
    /// Keep a batch of files.
    fn add(&mut self, batch: Vec<Found>) {
        for f in batch {
            match f.got {
                Ok((r, known)) => {
                    self.loaded.records.push((f.name, r));
                    self.loaded.seals.push(known.seal);
                    self.known.push(known);
                }
                Err(reason) => self.loaded.bad.push(BadRecord {
                    file: f.name,
                    trainee: String::new(),
                    exam_id: String::new(),
                    reason: reason.message(),
                }),
            }
        }
    }
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
    let mut out = Indexed::default();
    out.read = visit_indexed(dir, index, lib, &mut |batch, _| out.add(batch));
    out
}

/// What the first pass decided for a file.
enum Plan {
    /// Unchanged: its record is in the index, in this chunk at this place.
    Cached(u32, u32, FileId, Known),
    /// Read it: its identity (when it has one), and whether the index had this very file (a
    /// racy entry).
    Read(Option<FileId>, bool),
    /// Not a record file; whether the index had an entry under its name.
    Bad(RecordError, bool),
}

/// [`load_indexed`] a batch of files at a time (see [`super::Store::visit_cached`]): `each` is
/// given every file of `dir` in file-name order, and the index is written again (a chunk at a
/// time, as the files are given) if anything changed. Returns how many files were parsed.
///
/// A first pass lists the folder, takes every file's identity and reads the identities of the
/// index's entries (not their records), so it knows which files changed before any record is
/// read. The second reads the changed files and the chunks of the index that hold unchanged
/// ones, a batch at a time.
pub fn visit_indexed(
    dir: &Path,
    index: &Path,
    lib: Option<&Library>,
    each: &mut dyn FnMut(Vec<Found>, usize),
) -> usize {
    use rayon::prelude::*;
    // Listed as `Store::load` lists them; a plain file is stat'ed through its directory entry
    // (no path walk), a symbolic link is followed.
    let Some(names) = super::store::record_files(dir) else {
        return 0;
    };
    let dir_key = fs::canonicalize(dir)
        .unwrap_or_else(|_| dir.to_path_buf())
        .to_string_lossy()
        .into_owned();
    let mut old = read_ids(index, &dir_key);
    let written = old.as_ref().map_or(0, |o| o.written);
    let old_ids = old
        .as_mut()
        .map(|o| std::mem::take(&mut o.ids))
        .unwrap_or_default();
    let old_len = old_ids.len();
    // Each file with its index entry, if it had one under the same name: both lists are in name
    // order, so one merging pass pairs them.
    let mut ids = old_ids.into_iter().peekable();
    /// A file listed, with its index entry (identity, chunk, place) if it had one.
    type Listed = (String, fs::DirEntry, bool, Option<(Ident, u32, u32)>);
    let jobs: Vec<Listed> = names
        .into_iter()
        .map(|(name, e, plain)| {
            while ids.next_if(|o| o.0.name < name).is_some() {}
            let entry = ids.next_if(|o| o.0.name == name);
            (name, e, plain, entry)
        })
        .collect();
    drop(ids);
    let removed = old_len.saturating_sub(jobs.iter().filter(|j| j.3.is_some()).count());
    // Each file's name and what to do with it, a batch of files at a time (the second pass gives
    // each batch back once it is read; a file's path is made again where it is read: a folder of
    // 50,000 records would otherwise hold 50,000 paths while it is read).
    let plan = |(name, dir_entry, plain, entry): Listed| {
        let path = dir_entry.path();
        let had = entry.is_some();
        if path.extension().is_none_or(|e| e != "json") {
            return (name, Plan::Bad(RecordError::NotJsonFile, had));
        }
        let meta = if plain {
            dir_entry.metadata()
        } else {
            fs::metadata(&path)
        };
        let id = meta.ok().as_ref().and_then(FileId::of);
        // Where the identity cannot vouch for the bytes, they are read first and their
        // digest becomes part of the identity.
        let id = if CONTENT_CHECK {
            match read_bytes(&path) {
                Ok(b) => id.map(|id| id.with_digest(&b)),
                Err(e) => return (name, Plan::Bad(e, had)),
            }
        } else {
            id
        };
        let same = matches!((id, &entry), (Some(id), Some(e)) if e.0.id == id);
        if same
            && id.is_some_and(|id| id.ctime_ns() < written - RACY_NS)
            && let (Some(id), Some((e, chunk, at))) = (id, entry)
        {
            return (name, Plan::Cached(chunk, at, id, e.known));
        }
        (name, Plan::Read(id, same))
    };
    let plans: Vec<Vec<(String, Plan)>> = in_batches(jobs)
        .map(|batch| batch.into_par_iter().map(plan).collect())
        .collect();
    let racy = plans
        .iter()
        .flatten()
        .filter(|p| matches!(p.1, Plan::Read(_, true)))
        .count();
    // Changed: a file gone, no index, an entry whose file is no longer a record, or a new or
    // changed file that is a record. A file that is not one (damaged, truncated) is read on every
    // report and never indexed, so it alone changes nothing: a few such files are parsed here
    // first (they are read again below), so that a folder with a broken file does not have its
    // index written on every report.
    let fresh: Vec<&str> = plans
        .iter()
        .flatten()
        .filter(|p| matches!(p.1, Plan::Read(_, false)))
        .map(|p| p.0.as_str())
        .collect();
    let changed = removed > 0
        || written == 0
        || plans
            .iter()
            .flatten()
            .any(|p| matches!(p.1, Plan::Bad(_, true)))
        || fresh.len() > BATCH
        || fresh
            .par_iter()
            .any(|n| read_record_sealed(&dir.join(n)).is_ok());
    drop(fresh);
    // The pass owns the old index, so that its file is closed before the new one replaces it
    // (Windows does not rename onto an open file).
    let pass = Pass { dir, old, lib };
    if !(changed || racy > RACY_REWRITE) {
        let (read, surprise) = pass.run(plans, each, None);
        if surprise {
            // The index no longer says what the files say (a chunk that does not match its
            // checksum): it goes, and the next report writes it again.
            let _ = fs::remove_file(index);
        }
        return read;
    }
    let mut pending = Some((pass, plans, each));
    let mut read = 0;
    let _ = super::write_unsynced(index, |w| {
        let Some((pass, plans, each)) = pending.take() else {
            return Ok(());
        };
        let head = Head {
            format: FORMAT,
            program: program(),
            dir: dir_key.clone(),
        };
        let head = postcard::to_stdvec(&head).map_err(std::io::Error::other);
        let mut out = head.and_then(|head| {
            w.write_all(MAGIC)?;
            write_frame(w, &head)
        });
        let mut sink = |c: Option<&[u8]>| {
            if out.is_ok() {
                out = match c {
                    Some(c) => write_frame(w, c),
                    None => Err(std::io::Error::other("an index chunk could not be encoded")),
                };
            }
        };
        read = pass.run(plans, each, Some(&mut sink)).0;
        out
    });
    // The index could not even be started: the files are still given.
    if let Some((pass, plans, each)) = pending.take() {
        read = pass.run(plans, each, None).0;
    }
    read
}

/// Where the second pass writes the index's frames (`None`: a chunk could not be encoded).
type FrameSink<'a> = &'a mut dyn FnMut(Option<&[u8]>);

/// The second pass of [`visit_indexed`].
struct Pass<'a> {
    /// The folder read.
    dir: &'a Path,
    old: Option<OldIndex>,
    lib: Option<&'a Library>,
}

impl Pass<'_> {
    /// Give every planned file to `each`, a batch at a time; with `frames`, write the index
    /// entries of the good ones (their frames, a chunk at a time). Returns how many files were
    /// parsed, and whether the index held a chunk that could not be used.
    fn run(
        self,
        plans: Vec<Vec<(String, Plan)>>,
        each: &mut dyn FnMut(Vec<Found>, usize),
        mut frames: Option<FrameSink<'_>>,
    ) -> (usize, bool) {
        use rayon::prelude::*;
        // How many unchanged files each chunk still has to give: a chunk is dropped once it has
        // given them all.
        let mut left: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
        for (_, p) in plans.iter().flatten() {
            if let Plan::Cached(c, ..) = p {
                *left.entry(*c).or_default() += 1;
            }
        }
        let mut open: std::collections::HashMap<u32, Option<Vec<Option<AttemptRecord>>>> =
            std::collections::HashMap::new();
        let mut read = 0;
        let mut surprise = false;
        let mut files_left: usize = plans.iter().map(Vec::len).sum();
        for batch in plans {
            files_left -= batch.len();
            // The chunks this batch needs that are not open yet, read on every core.
            let mut need: Vec<u32> = batch
                .iter()
                .filter_map(|(_, p)| match p {
                    Plan::Cached(c, ..) if !open.contains_key(c) => Some(*c),
                    _ => None,
                })
                .collect();
            need.dedup();
            let got: Vec<(u32, Option<Vec<Option<AttemptRecord>>>)> = need
                .into_par_iter()
                .map(|c| {
                    let records = self.old.as_ref().and_then(|o| {
                        let (at, count) = *o.chunks.get(c as usize)?;
                        read_chunk(&o.file, at, count)
                    });
                    (c, records)
                })
                .collect();
            open.extend(got);
            // Unchanged files take their record out of its chunk; a chunk that could not be
            // read leaves its files to be read.
            enum Job {
                Have(FileId, Known, Box<AttemptRecord>),
                Read(Option<FileId>, bool),
                Bad(RecordError),
            }
            let jobs: Vec<(String, Job)> = batch
                .into_iter()
                .map(|(name, plan)| {
                    let job = match plan {
                        Plan::Cached(c, at, id, known) => {
                            let r = open
                                .get_mut(&c)
                                .and_then(Option::as_mut)
                                .and_then(|v| v.get_mut(at as usize))
                                .and_then(Option::take);
                            if let Some(n) = left.get_mut(&c) {
                                *n = n.saturating_sub(1);
                                if *n == 0 {
                                    open.remove(&c);
                                }
                            }
                            match r {
                                Some(r) => Job::Have(id, known, Box::new(r)),
                                None => {
                                    surprise = true;
                                    Job::Read(Some(id), true)
                                }
                            }
                        }
                        Plan::Read(id, same) => Job::Read(id, same),
                        Plan::Bad(e, _) => Job::Bad(e),
                    };
                    (name, job)
                })
                .collect();
            let (lib, dir) = (self.lib, self.dir);
            // Per file: what it gave, its identity, whether it was parsed, and whether a file the
            // index had as it is now failed to parse (the index no longer says what it says).
            let done: Vec<(Found, Option<FileId>, bool, bool)> = jobs
                .into_par_iter()
                .map(|(name, job)| match job {
                    Job::Have(id, known, r) => (
                        Found {
                            name,
                            got: Ok((*r, known)),
                        },
                        Some(id),
                        false,
                        false,
                    ),
                    Job::Read(id, same) => {
                        // The identity is taken before the read: a change during the read
                        // gives the file a newer identity, so the next load reads it again.
                        let got = read_record_sealed(&dir.join(&name)).map(|(r, seal)| {
                            let known = Known {
                                seal,
                                rescored: lib.filter(|l| banks_match(&r, l)).map(|l| r.rescore(l)),
                            };
                            (r, known)
                        });
                        let lost = same && got.is_err();
                        (Found { name, got }, id, true, lost)
                    }
                    Job::Bad(e) => (Found { name, got: Err(e) }, None, false, false),
                })
                .collect();
            read += done
                .iter()
                .filter(|(f, _, r, _)| *r && f.got.is_ok())
                .count();
            surprise |= done.iter().any(|d| d.3);
            if let Some(frames) = frames.as_mut() {
                let kept: Vec<(&Found, FileId)> = done
                    .iter()
                    .filter_map(|(f, id, _, _)| Some((f, (*id)?)))
                    .filter(|(f, _)| f.got.is_ok())
                    .collect();
                let encoded: Vec<Option<(Vec<u8>, Vec<u8>)>> =
                    kept.par_chunks(CHUNK).map(encode_chunk).collect();
                for chunk in encoded {
                    match chunk {
                        Some((ids, records)) => {
                            frames(Some(&ids));
                            frames(Some(&records));
                        }
                        None => frames(None),
                    }
                }
            }
            each(done.into_iter().map(|(f, ..)| f).collect(), files_left);
        }
        (read, surprise)
    }
}

/// The two frames of a chunk of good files: their identities, and their records.
fn encode_chunk(c: &[(&Found, FileId)]) -> Option<(Vec<u8>, Vec<u8>)> {
    #[derive(Serialize)]
    struct IdRef<'a> {
        name: &'a str,
        id: FileId,
        known: Known,
    }
    let mut ids = Vec::with_capacity(c.len());
    let mut records = Vec::with_capacity(c.len());
    for (f, id) in c {
        let Ok((r, known)) = &f.got else { continue };
        ids.push(IdRef {
            name: &f.name,
            id: *id,
            known: *known,
        });
        records.push(r);
    }
    Some((
        postcard::to_stdvec(&ids).ok()?,
        postcard::to_stdvec(&records).ok()?,
    ))
}
