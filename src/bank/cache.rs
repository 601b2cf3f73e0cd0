//! The parsed-bank cache: a bank that loaded without a single problem is kept, parsed and
//! checked, in the user's cache folder, keyed by the SHA-256 of its text, so that the next start
//! decodes it instead of parsing and checking the TOML again (the TOML parser is most of the
//! cost of a large bank).
//!
//! # Entries
//!
//! One file per bank text in `<cache>/banks/`, where `<cache>` is the cache folder of a
//! [`BankCache`] (the command line passes `$TIPQUIZ_DATA/cache`, else the platform's cache
//! folder, and no cache at all when `TIPQUIZ_NO_CACHE` is set). The file is named
//! `<hash>.v<FORMAT>-<version>-<build>.bank` and holds a one-line header (magic, [`FORMAT`], the
//! program version, the build fingerprint, the content hash) followed by the [`Bank`] in
//! `postcard`, in frames of at most 512 questions that are encoded and decoded on every core.
//! `origin` and `hash` are not in the encoded bank (see [`Bank`]): after a hit they are set
//! from the file being loaded, so a bank moved or copied elsewhere shows its new place. Every
//! other field of the bank and its questions (line numbers included) follows from the text
//! alone.
//!
//! A lookup reads the entry named by the text's hash, refuses it when it is not a regular file
//! or is larger than 8 times the text plus 1 MiB, and uses it only when the whole header
//! matches, every frame matches its SHA-256 and the `postcard` body decodes exactly to its
//! end. Anything else (no entry, a read error, a truncated, damaged or foreign file, another
//! version) is a miss: the text is parsed as if there were no cache and the entry is written
//! again. Nothing read from an entry is trusted to be well formed; no error about the cache
//! ever reaches the user. A hit writes nothing (entries age by when they were written).
//!
//! Entries are written whole to a temporary file in the same folder and then renamed into
//! place, so a reader sees either no entry or a complete one, even when the process is killed
//! half-way. They are not synced to disk: a lost entry only costs one parse. Every write error
//! (read-only home, full disk) is ignored. After a write, the folder keeps the
//! [`MAX_ENTRIES`] newest entries (by modification time) and loses temporary files left by a
//! killed process.
//!
//! A miss encodes the bank at once but writes it on a background thread, so that the first
//! question does not wait for the disk. The entry of a small bank (under
//! [`super::SMALL_TEXT`]) starts no thread (that would cost more than the write): it is written
//! at once, or, when the cache was asked to hold small entries ([`BankCache::hold_small`], as
//! the screens do), encoded and written later by whoever took them ([`BankCache::take_held`]:
//! the screens, once their first frame is on screen, since an entry only helps the next start).
//! The [`BankCache`] value keeps the threads it started: [`BankCache::wait`] (or dropping it,
//! as the command line does when a command ends) lets short commands such as `list` finish
//! their writes.
//!
//! # Why a hit may skip the checks
//!
//! A hit skips the TOML parser and every rule of [`super::parse_bank`] (forbidden characters,
//! answer ranges, duplicates, languages...). That is sound because an entry is written only by
//! this program, only for a text that loaded with no diagnostic at all (no error, no warning),
//! and the entry is found only for the same bytes (its name and header carry their SHA-256) and
//! the same program: the header and name carry the program version, [`FORMAT`] and a build
//! fingerprint that changes with the source of the parser, the checks and the model (and with
//! `Cargo.lock`), so a build whose rules differ never reads another build's verdict. The
//! folder is the user's own: whoever can write a forged entry there can as well edit the banks
//! or the program. A hit therefore returns the same bank, and the same empty list of problems,
//! that parsing the text would. `tipquiz check` never uses the cache: it is the instructor's
//! validator and always parses.
//!
//! Banks with any diagnostic are never cached, so their warnings are shown on every load.

use super::model::Bank;
use super::{content_hash, load::parse_bank_hashed, parse_bank};
use crate::diag::Diagnostic;
use sha2::{Digest as _, Sha256};
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

/// The version of the entries' layout: bump it whenever [`Bank`], [`super::Question`],
/// [`super::Kind`], [`super::Difficulty`] or [`crate::text::Text`] change shape or meaning.
pub const FORMAT: u32 = 2;

/// Entries kept in the folder; the oldest go first.
pub const MAX_ENTRIES: usize = 64;

/// The program version, in every entry's name and header.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The first bytes of every entry.
const MAGIC: &str = "tipquiz-bank-cache";

/// Temporary files older than this (relative to the entry just written) were left by a killed
/// process and are removed.
const STALE_TEMP: std::time::Duration = std::time::Duration::from_mins(10);

/// A fingerprint of the source that decides what a bank is: the loader and its checks, the
/// model, the text type, the TOML walker and the locked dependencies. A development build with
/// other rules (and the same version number) thus never reads this build's entries.
const BUILD: u64 = {
    use crate::fs::{FNV_START, fnv};
    let mut h = FNV_START;
    h = fnv(h, include_bytes!("cache.rs"));
    h = fnv(h, include_bytes!("load.rs"));
    h = fnv(h, include_bytes!("model.rs"));
    h = fnv(h, include_bytes!("mod.rs"));
    h = fnv(h, include_bytes!("../text.rs"));
    h = fnv(h, include_bytes!("../walk.rs"));
    h = fnv(h, include_bytes!("../../Cargo.lock"));
    h
};

/// The parsed-bank cache in one cache folder, with the entries it is still writing in the
/// background. Its owner (the command being run) waits for them with [`BankCache::wait`], or
/// by dropping it.
#[derive(Debug)]
pub struct BankCache {
    /// The cache folder (entries go into its `banks` folder).
    dir: PathBuf,
    /// Writes started in the background and not yet waited for.
    writes: Mutex<Vec<JoinHandle<()>>>,
    /// Whether the entries of small banks are held rather than written ([`BankCache::hold_small`]).
    hold: AtomicBool,
    /// The content hashes of the small banks whose entries are held, not encoded yet (an
    /// encoded entry is about as large as the bank: held encoded, it would raise the peak of
    /// memory of whatever comes before it is written).
    held: Mutex<Vec<String>>,
}

/// The entries of small banks held by a [`BankCache`] (the content hashes of their texts), with
/// the library their banks went into, taken to be written later ([`Held::write`]) by whoever
/// knows when the disk may be used (the screens, after their first frame). Dropped, they are
/// written all the same (a command that ends before any frame).
#[derive(Debug)]
pub struct Held {
    dir: PathBuf,
    hashes: Vec<String>,
    banks: std::sync::Arc<super::Library>,
}

impl Held {
    /// Encode and write the held entries of the library's banks (found by their content hash),
    /// each as [`BankCache`] writes one (unsynced, errors ignored). The banks are as they were
    /// parsed: a library refuses to load with a question dropped.
    pub fn write(mut self) {
        self.write_now();
    }

    fn write_now(&mut self) {
        for hash in std::mem::take(&mut self.hashes) {
            if let Some(b) = self.banks.banks.iter().find(|b| b.hash == hash) {
                store_streamed(&entry_path(&self.dir, &hash), &hash, b);
            }
        }
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.write_now();
    }
}

impl BankCache {
    /// The cache in the cache folder `dir`.
    #[must_use]
    pub fn new(dir: impl Into<PathBuf>) -> BankCache {
        BankCache {
            dir: dir.into(),
            writes: Mutex::new(Vec::new()),
            hold: AtomicBool::new(false),
            held: Mutex::new(Vec::new()),
        }
    }

    /// The cache folder.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Write an entry on a thread of its own, kept for [`BankCache::wait`].
    fn store_in_background(&self, path: PathBuf, entry: Entry) {
        let spawned = std::thread::Builder::new()
            .name("bank-cache".into())
            .spawn(move || store(&path, &entry));
        // Without a thread, the entry is simply not written this time.
        if let Ok(handle) = spawned {
            match self.writes.lock() {
                Ok(mut w) => w.push(handle),
                Err(poisoned) => poisoned.into_inner().push(handle),
            }
        }
    }

    /// From now on, hold the entries of small banks instead of writing them, for the caller
    /// to take ([`BankCache::take_held`]) and write when it suits it.
    pub fn hold_small(&self) {
        self.hold.store(true, Ordering::Relaxed);
    }

    /// The entries held so far, of banks that went into `banks` (see [`Held`]); they are no
    /// longer this cache's to write.
    #[must_use]
    pub fn take_held(&self, banks: &std::sync::Arc<super::Library>) -> Held {
        let hashes = match self.held.lock() {
            Ok(mut h) => std::mem::take(&mut *h),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        };
        Held {
            dir: self.dir.clone(),
            hashes,
            banks: std::sync::Arc::clone(banks),
        }
    }

    /// Wait for the writes started so far. Failed writes are ignored, as ever.
    pub fn wait(&self) {
        let handles = match self.writes.lock() {
            Ok(mut w) => std::mem::take(&mut *w),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        };
        for h in handles {
            let _ = h.join();
        }
    }
}

impl Drop for BankCache {
    fn drop(&mut self) {
        self.wait();
    }
}

/// The folder of the bank entries inside the cache folder `cache`.
#[must_use]
pub fn banks_dir(cache: &Path) -> PathBuf {
    cache.join("banks")
}

/// Where the entry of a text with content hash `hash` lives in the cache folder `cache`.
#[must_use]
pub fn entry_path(cache: &Path, hash: &str) -> PathBuf {
    banks_dir(cache).join(format!("{hash}.v{FORMAT}-{VERSION}-{BUILD:016x}.bank"))
}

/// The header every entry of the text with content hash `hash` starts with.
fn header(hash: &str) -> String {
    format!("{MAGIC} v{FORMAT} {VERSION} {BUILD:016x} {hash}\n")
}

/// Questions per frame: the frames of a large bank are encoded and decoded on every core (those
/// of a bank of up to four frames, about 2,000 questions, on the calling thread: no thread
/// pool is started for them).
const FRAME_QUESTIONS: usize = 512;

/// An encoded entry: the header line, then the number of frames (u64, little-endian), then
/// each frame as its length (u64, little-endian), the SHA-256 of its bytes and its `postcard`
/// bytes. The first frame is the bank without its questions, the others its questions in
/// order, [`FRAME_QUESTIONS`] at a time. The count makes an entry cut at a frame boundary
/// incomplete, not shorter; the digests make a damaged byte a miss rather than a bank that
/// was never checked.
struct Entry {
    head: Vec<u8>,
    frames: Vec<Vec<u8>>,
}

impl Entry {
    /// Write the entry to `w`.
    fn write_to(&self, w: &mut (impl std::io::Write + ?Sized)) -> std::io::Result<()> {
        use rayon::prelude::*;
        // A few frames' digests are taken here: no thread pool for a small bank.
        let digests: Vec<_> = if self.frames.len() > 5 {
            self.frames.par_iter().map(Sha256::digest).collect()
        } else {
            self.frames.iter().map(Sha256::digest).collect()
        };
        w.write_all(&self.head)?;
        for (f, d) in self.frames.iter().zip(digests) {
            w.write_all(&(f.len() as u64).to_le_bytes())?;
            w.write_all(&d)?;
            w.write_all(f)?;
        }
        Ok(())
    }
}

/// A writer that keeps only the SHA-256 and the length of what is written to it.
struct Digesting {
    sha: Sha256,
    len: u64,
}

impl std::io::Write for Digesting {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.sha.update(bytes);
        self.len += bytes.len() as u64;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Write one frame of an entry to `w` as [`Entry::write_to`] does (length, digest, bytes), from
/// `value` encoded twice (once for its length and digest, once into `w`) rather than held.
fn write_frame<T: serde::Serialize + ?Sized>(
    w: &mut dyn std::io::Write,
    value: &T,
) -> std::io::Result<()> {
    let d = postcard::to_io(
        value,
        Digesting {
            sha: Sha256::new(),
            len: 0,
        },
    )
    .map_err(std::io::Error::other)?;
    w.write_all(&d.len.to_le_bytes())?;
    w.write_all(&d.sha.finalize())?;
    postcard::to_io(value, w).map_err(std::io::Error::other)?;
    Ok(())
}

/// Write the entry of `bank` (content hash `hash`) to `w`, the same bytes as [`encode`] and
/// [`Entry::write_to`], without holding the encoded entry in memory: written after the screens'
/// first frame, it does not raise the program's peak of memory.
fn write_streamed(w: &mut dyn std::io::Write, hash: &str, bank: &Bank) -> std::io::Result<()> {
    let chunks = bank.questions.chunks(FRAME_QUESTIONS);
    w.write_all(header(hash).as_bytes())?;
    w.write_all(&(1 + chunks.len() as u64).to_le_bytes())?;
    write_frame(w, &bare(bank))?;
    for c in chunks {
        write_frame(w, c)?;
    }
    Ok(())
}

/// [`store`] for an entry written by [`write_streamed`].
fn store_streamed(path: &Path, hash: &str, bank: &Bank) {
    let Some(dir) = path.parent() else {
        return;
    };
    if crate::fs::write_unsynced(path, |w| write_streamed(w, hash, bank)).is_ok() {
        prune(dir, path, MAX_ENTRIES);
    }
}

/// Bytes of a frame's digest.
const DIGEST: usize = 32;

/// `bank` without its questions, origin and hash: the first frame of its entry.
fn bare(bank: &Bank) -> Bank {
    // Every field by name, so that a new field of `Bank` is a compile error here (and a reason
    // to bump FORMAT).
    let Bank {
        id,
        topic,
        title,
        description,
        languages,
        questions: _,
        origin: _,
        hash: _,
    } = bank;
    Bank {
        id: id.clone(),
        topic: topic.clone(),
        title: title.clone(),
        description: description.clone(),
        languages: languages.clone(),
        questions: Vec::new(),
        origin: String::new(),
        hash: String::new(),
    }
}

/// The entry of `bank`, whose text has content hash `hash` (`origin` and `hash` are not
/// stored).
fn encode(hash: &str, bank: &Bank) -> Option<Entry> {
    use rayon::prelude::*;
    let questions = &bank.questions;
    let mut frames = vec![postcard::to_allocvec(&bare(bank)).ok()?];
    let encode = |c: &[super::Question]| postcard::to_allocvec(c).ok();
    frames.extend(if questions.len() > FRAME_QUESTIONS * 4 {
        questions
            .par_chunks(FRAME_QUESTIONS)
            .map(encode)
            .collect::<Option<Vec<_>>>()?
    } else {
        questions
            .chunks(FRAME_QUESTIONS)
            .map(encode)
            .collect::<Option<Vec<_>>>()?
    });
    let mut head = header(hash).into_bytes();
    head.extend_from_slice(&(frames.len() as u64).to_le_bytes());
    Some(Entry { head, frames })
}

/// The frames of an entry's body (after its header) with their digests, if they are exactly
/// as many as it says and end with it.
fn split_frames(body: &[u8]) -> Option<Vec<(&[u8], &[u8])>> {
    let (count, mut rest) = body.split_first_chunk::<8>()?;
    let count = u64::from_le_bytes(*count);
    let mut frames = Vec::new();
    while !rest.is_empty() {
        let (len, after) = rest.split_first_chunk::<8>()?;
        let len = usize::try_from(u64::from_le_bytes(*len)).ok()?;
        let (digest, after) = after.split_at_checked(DIGEST)?;
        let (frame, after) = after.split_at_checked(len)?;
        frames.push((digest, frame));
        rest = after;
    }
    (frames.len() as u64 == count).then_some(frames)
}

/// The value in a frame whose bytes match their digest and decode to their end.
fn exactly<'a, T: serde::Deserialize<'a>>((digest, frame): (&[u8], &'a [u8])) -> Option<T> {
    if Sha256::digest(frame).as_slice() != digest {
        return None;
    }
    let (v, rest) = postcard::take_from_bytes::<T>(frame).ok()?;
    rest.is_empty().then_some(v)
}

/// The bank in an entry of the text with content hash `hash`, if the entry is whole and this
/// program's.
fn decode(bytes: &[u8], hash: &str) -> Option<Bank> {
    use rayon::prelude::*;
    let body = bytes.strip_prefix(header(hash).as_bytes())?;
    let frames = split_frames(body)?;
    let (first, rest) = frames.split_first()?;
    let mut bank: Bank = exactly(*first)?;
    if !bank.questions.is_empty() {
        return None;
    }
    let frame = |f: &(&[u8], &[u8])| exactly::<Vec<super::Question>>(*f);
    let parts = if rest.len() > 4 {
        rest.par_iter().map(frame).collect::<Option<Vec<_>>>()?
    } else {
        rest.iter().map(frame).collect::<Option<Vec<_>>>()?
    };
    bank.questions = Vec::with_capacity(parts.iter().map(Vec::len).sum());
    for p in parts {
        bank.questions.extend(p);
    }
    Some(bank)
}

/// The largest entry read for a text of `text_len` bytes.
fn size_cap(text_len: usize) -> u64 {
    (text_len as u64).saturating_mul(8).saturating_add(1 << 20)
}

/// The bytes of the file at `path` if it is a regular file no longer than `cap`.
fn read_capped(path: &Path, cap: u64) -> Option<Vec<u8>> {
    // Checked before opening: opening a FIFO put in its place would block.
    if !fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let file = fs::File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    if len > cap {
        return None;
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).ok()?);
    file.take(cap + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= cap).then_some(bytes)
}

/// The cached bank of the file `file`, whose text has content hash `hash` and length
/// `text_len`.
fn lookup_hashed(cache: &Path, file: &str, hash: &str, text_len: usize) -> Option<Bank> {
    let bytes = read_capped(&entry_path(cache, hash), size_cap(text_len))?;
    let mut bank = decode(&bytes, hash)?;
    bank.origin = file.to_owned();
    hash.clone_into(&mut bank.hash);
    Some(bank)
}

/// The bank of `source` (named `file`) from the cache folder `cache`, or `None` on a miss. It
/// never parses the text.
#[must_use]
pub fn lookup(cache: &Path, file: &str, source: &str) -> Option<Bank> {
    lookup_hashed(cache, file, &content_hash(source.as_bytes()), source.len())
}

/// [`parse_bank`] through the cache `cache` (`None`: no cache, exactly `parse_bank`). A hit
/// returns the cached bank and no diagnostics; a miss parses the text and, when it loaded
/// without any diagnostic, writes its entry (in the background when the text is large, see
/// [`BankCache::wait`]; held for later when it is small and the cache holds small entries, see
/// [`BankCache::hold_small`]).
#[must_use]
pub fn parse_bank_cached(
    file: &str,
    source: &str,
    cache: Option<&BankCache>,
) -> (Option<Bank>, Vec<Diagnostic>) {
    let Some(cache) = cache else {
        return parse_bank(file, source);
    };
    let hash = content_hash(source.as_bytes());
    if let Some(bank) = lookup_hashed(cache.dir(), file, &hash, source.len()) {
        return (Some(bank), Vec::new());
    }
    let (bank, diags) = parse_bank_hashed(file, source, Some(&hash));
    let small = source.len() < super::SMALL_TEXT;
    if diags.is_empty() && bank.is_some() && small && cache.hold.load(Ordering::Relaxed) {
        match cache.held.lock() {
            Ok(mut h) => h.push(hash),
            Err(poisoned) => poisoned.into_inner().push(hash),
        }
    } else if diags.is_empty()
        && let Some(b) = &bank
        && let Some(entry) = encode(&hash, b)
    {
        let path = entry_path(cache.dir(), &hash);
        if small {
            // A small entry is written at once: a thread would cost more than the write.
            store(&path, &entry);
        } else {
            cache.store_in_background(path, entry);
        }
    }
    (bank, diags)
}

/// Write `entry` at `path` (temporary file, then rename: [`crate::fs::write_unsynced`]) and
/// keep the folder bounded. Errors are ignored: a missing entry only costs a parse.
fn store(path: &Path, entry: &Entry) {
    let Some(dir) = path.parent() else {
        return;
    };
    if crate::fs::write_unsynced(path, |w| entry.write_to(w)).is_ok() {
        prune(dir, path, MAX_ENTRIES);
    }
}

/// Keep the `keep` newest entries of `dir` (never removing `written`, the entry just written)
/// and remove temporary files much older than it (left by a killed process). Only files named
/// as this module names them are touched.
fn prune(dir: &Path, written: &Path, keep: usize) {
    let Ok(list) = fs::read_dir(dir) else {
        return;
    };
    let now = fs::metadata(written).and_then(|m| m.modified()).ok();
    let mut entries = Vec::new();
    for e in list.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let Ok(meta) = e.metadata() else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let modified = meta.modified().ok();
        if name.ends_with(".bank") {
            entries.push((modified, e.path()));
        } else if name.starts_with(".tmp-") && name.ends_with(".part") {
            let stale = match (now, modified) {
                (Some(now), Some(m)) => now.duration_since(m).is_ok_and(|age| age > STALE_TEMP),
                _ => false,
            };
            if stale {
                let _ = fs::remove_file(e.path());
            }
        }
    }
    if entries.len() <= keep {
        return;
    }
    entries.sort();
    let extra = entries.len() - keep;
    for (_, p) in entries
        .into_iter()
        .filter(|(_, p)| p != written)
        .take(extra)
    {
        let _ = fs::remove_file(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::{SHIPPED_BANKS, parse_bank};

    const EVERY: &str = include_str!("../../tests/fixtures/valid/every-type.toml");

    /// A cache folder of its own for each test (tests run in parallel).
    fn folder() -> tempfile::TempDir {
        tempfile::tempdir().expect("temp dir")
    }

    /// Parse through the cache and wait for the entry to be written.
    fn through(cache: &Path, name: &str, text: &str) -> (Option<Bank>, Vec<Diagnostic>) {
        let cache = BankCache::new(cache);
        let got = parse_bank_cached(name, text, Some(&cache));
        cache.wait();
        got
    }

    #[test]
    fn an_entry_written_streamed_is_the_same_bytes() {
        for text in [EVERY, SHIPPED_BANKS[0].1] {
            let (bank, _) = parse_bank("a/b.toml", text);
            let bank = bank.expect("bank");
            let hash = content_hash(text.as_bytes());
            let mut whole = Vec::new();
            encode(&hash, &bank)
                .expect("encode")
                .write_to(&mut whole)
                .expect("write");
            let mut streamed = Vec::new();
            write_streamed(&mut streamed, &hash, &bank).expect("write");
            assert_eq!(whole, streamed);
        }
    }

    #[test]
    fn held_entries_are_written_after_and_read_back() {
        let d = folder();
        let cache = BankCache::new(d.path());
        cache.hold_small();
        let (parsed, diags) = parse_bank_cached("a/every.toml", EVERY, Some(&cache));
        assert!(diags.is_empty());
        let parsed = parsed.expect("bank");
        let hash = content_hash(EVERY.as_bytes());
        assert!(!entry_path(d.path(), &hash).exists(), "held, not written");
        let (lib, _) = crate::bank::Library::build(vec![parsed.clone()]);
        cache.take_held(&std::sync::Arc::new(lib)).write();
        let hit = lookup(d.path(), "a/every.toml", EVERY).expect("a hit");
        assert_eq!(hit, parsed);
    }

    #[test]
    fn a_hit_is_the_parsed_bank_with_its_current_origin() {
        let d = folder();
        let (parsed, diags) = parse_bank("a/every.toml", EVERY);
        assert!(diags.is_empty(), "{diags:?}");
        assert!(lookup(d.path(), "a/every.toml", EVERY).is_none());
        assert_eq!(through(d.path(), "a/every.toml", EVERY).0, parsed);
        let hit = lookup(d.path(), "b/moved.toml", EVERY).expect("a hit");
        let mut expected = parsed.clone().expect("bank");
        expected.origin = "b/moved.toml".into();
        assert_eq!(hit, expected);
        assert_eq!(hit.hash, content_hash(EVERY.as_bytes()));
        let (again, d2) = parse_bank_cached("a/every.toml", EVERY, Some(&BankCache::new(d.path())));
        assert_eq!((again, d2), (parsed, Vec::new()));
    }

    #[test]
    fn the_shipped_banks_come_back_equal() {
        let d = folder();
        for (name, text) in SHIPPED_BANKS {
            let parsed = parse_bank(name, text);
            assert!(parsed.1.is_empty(), "{name}: {:?}", parsed.1);
            assert_eq!(through(d.path(), name, text), parsed);
            assert_eq!(lookup(d.path(), name, text), parsed.0, "{name}");
        }
    }

    /// A valid bilingual bank of `n` single-choice questions.
    fn generated(n: usize) -> String {
        let mut s = String::from(
            "format = 1\nid = \"gen\"\ntopic = \"gen\"\nlanguages = [\"en\", \"ar\"]\ntitle = { en = \"Generated\", ar = \"مولد\" }\n",
        );
        for i in 0..n {
            s.push_str(&format!(
                "\n[[question]]\nid = \"g-{i:05}\"\ntype = \"single\"\nprompt = {{ en = \"Question {i}?\", ar = \"السؤال {i}؟\" }}\nchoices = [{{ en = \"Yes {i}\", ar = \"نعم\" }}, {{ en = \"No\", ar = \"لا\" }}]\nanswer = \"{}\"\nexplanation = {{ en = \"Because.\", ar = \"لأن.\" }}\nsource = \"Test list\"\n",
                if i % 2 == 0 { "a" } else { "b" }
            ));
        }
        s
    }

    #[test]
    fn a_generated_bank_of_many_frames_comes_back_equal_and_any_cut_misses() {
        let d = folder();
        let text = generated(2 * FRAME_QUESTIONS + 7);
        let parsed = parse_bank("gen.toml", &text);
        assert!(parsed.1.is_empty(), "{:?}", parsed.1.first());
        assert_eq!(through(d.path(), "gen.toml", &text), parsed);
        assert_eq!(lookup(d.path(), "gen.toml", &text), parsed.0);
        let path = entry_path(d.path(), &content_hash(text.as_bytes()));
        let good = fs::read(&path).expect("entry");
        let start = header(&content_hash(text.as_bytes())).len();
        let frames = split_frames(&good[start..]).expect("frames");
        assert_eq!(frames.len(), 4, "the bank, then three frames of questions");
        // An entry cut at the end of any frame but the last (or anywhere else) is not a
        // shorter bank.
        let mut cuts: Vec<usize> = frames[..frames.len() - 1]
            .iter()
            .map(|(_, f)| f.as_ptr() as usize - good.as_ptr() as usize + f.len())
            .collect();
        cuts.extend([start, start + 8, good.len() - 1]);
        for cut in cuts {
            fs::write(&path, &good[..cut]).expect("write");
            assert!(
                lookup(d.path(), "gen.toml", &text).is_none(),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn no_cache_folder_means_a_plain_parse() {
        assert_eq!(
            parse_bank_cached("every.toml", EVERY, None),
            parse_bank("every.toml", EVERY)
        );
    }

    #[test]
    fn foreign_truncated_or_corrupt_entries_are_misses_and_are_replaced() {
        let d = folder();
        let hash = content_hash(EVERY.as_bytes());
        let path = entry_path(d.path(), &hash);
        let (parsed, _) = parse_bank("every.toml", EVERY);
        through(d.path(), "every.toml", EVERY);
        let good = fs::read(&path).expect("entry written");
        let other_hash = header(&content_hash(b"another text"));
        let mut foreign = other_hash.into_bytes();
        foreign.extend_from_slice(&good[header(&hash).len()..]);
        let mut flipped = good.clone();
        flipped[MAGIC.len() + 2] ^= 1;
        let mut longer = good.clone();
        longer.push(0);
        let mut more_frames = good.clone();
        more_frames[header(&hash).len()] += 1;
        // A letter changed inside a prompt still decodes: only the frame's digest tells.
        let mut letter = good.clone();
        let at = letter
            .windows(5)
            .position(|w| w == b"Which")
            .expect("a prompt in the entry");
        letter[at + 2] = b'e';
        let bad: Vec<(&str, Vec<u8>)> = vec![
            ("empty", Vec::new()),
            ("garbage", vec![0xff; 4096]),
            ("header only", header(&hash).into_bytes()),
            ("truncated", good[..good.len() - 7].to_vec()),
            ("half", good[..good.len() / 2].to_vec()),
            ("trailing byte", longer),
            ("another text's header", foreign),
            ("another format", flipped),
            ("a frame missing", more_frames),
            ("a changed letter", letter),
        ];
        for (what, bytes) in bad {
            fs::write(&path, &bytes).expect("write entry");
            assert!(lookup(d.path(), "every.toml", EVERY).is_none(), "{what}");
            assert_eq!(
                through(d.path(), "every.toml", EVERY),
                (parsed.clone(), Vec::new()),
                "{what}"
            );
            assert_eq!(fs::read(&path).expect("entry"), good, "{what}: replaced");
        }
    }

    #[test]
    fn an_entry_far_larger_than_its_bank_is_not_read() {
        let d = folder();
        let hash = content_hash(EVERY.as_bytes());
        through(d.path(), "every.toml", EVERY);
        let path = entry_path(d.path(), &hash);
        let mut big = fs::read(&path).expect("entry");
        // A valid entry padded past the cap would decode with trailing bytes; the cap refuses
        // it before reading.
        big.resize(usize::try_from(size_cap(EVERY.len())).expect("cap") + 1, 0);
        fs::write(&path, &big).expect("write");
        assert!(read_capped(&path, size_cap(EVERY.len())).is_none());
        assert!(lookup(d.path(), "every.toml", EVERY).is_none());
    }

    #[test]
    #[cfg(unix)]
    fn an_entry_that_is_not_a_regular_file_is_a_miss_not_a_hang() {
        let d = folder();
        let path = entry_path(d.path(), &content_hash(EVERY.as_bytes()));
        fs::create_dir_all(banks_dir(d.path())).expect("dir");
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .is_ok_and(|s| s.success());
        if !made {
            std::os::unix::fs::symlink("/dev/zero", &path).expect("symlink");
        }
        assert!(lookup(d.path(), "every.toml", EVERY).is_none());
        let cache = BankCache::new(d.path());
        assert_eq!(
            parse_bank_cached("every.toml", EVERY, Some(&cache)),
            parse_bank("every.toml", EVERY)
        );
        cache.wait();
    }

    #[test]
    fn a_changed_byte_misses() {
        let d = folder();
        through(d.path(), "every.toml", EVERY);
        let changed = EVERY.replacen("Which", "Whech", 1);
        assert_ne!(changed, EVERY);
        assert!(lookup(d.path(), "every.toml", &changed).is_none());
        let (bank, diags) = through(d.path(), "every.toml", &changed);
        assert!(diags.is_empty());
        assert_eq!(bank, parse_bank("every.toml", &changed).0);
        assert!(lookup(d.path(), "every.toml", &changed).is_some());
        assert!(lookup(d.path(), "every.toml", EVERY).is_some());
    }

    #[test]
    fn banks_with_warnings_or_errors_are_not_cached() {
        let d = folder();
        let line = "explanation = { en = \"Recruitment is one of the acts.\", ar = \"التجنيد من الأفعال.\" }\n";
        assert!(EVERY.contains(line));
        let warned = EVERY.replacen(line, "", 1);
        let (bank, diags) = parse_bank("w.toml", &warned);
        assert!(bank.is_some() && !diags.is_empty(), "a bank with a warning");
        assert!(!diags.iter().any(Diagnostic::is_error));
        for text in [warned.as_str(), "id = \"broken\"\n[[question]]\n"] {
            let first = through(d.path(), "w.toml", text);
            assert_eq!(first, parse_bank("w.toml", text));
            assert!(!first.1.is_empty());
            assert!(!entry_path(d.path(), &content_hash(text.as_bytes())).exists());
            assert_eq!(through(d.path(), "w.toml", text), first, "problems again");
        }
        assert!(
            fs::read_dir(banks_dir(d.path())).is_err(),
            "nothing written"
        );
    }

    #[test]
    fn unwritable_cache_folders_are_ignored() {
        let d = folder();
        // The cache "folder" is a file: every write fails, loading still works.
        let file = d.path().join("not-a-folder");
        fs::write(&file, "x").expect("write");
        assert_eq!(
            through(&file, "every.toml", EVERY),
            parse_bank("every.toml", EVERY)
        );
    }

    #[test]
    fn the_folder_keeps_the_newest_entries_and_drops_stale_temporaries() {
        let d = folder();
        let dir = banks_dir(d.path());
        fs::create_dir_all(&dir).expect("dir");
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        for i in 0..5 {
            let p = dir.join(format!("{i}.bank"));
            fs::write(&p, "x").expect("write");
            let f = fs::File::options().write(true).open(&p).expect("open");
            f.set_modified(old + std::time::Duration::from_secs(i))
                .expect("mtime");
        }
        let tmp = dir.join(".tmp-abc.part");
        fs::write(&tmp, "half").expect("write");
        fs::File::options()
            .write(true)
            .open(&tmp)
            .and_then(|f| f.set_modified(old))
            .expect("mtime");
        let other = dir.join("notes.txt");
        fs::write(&other, "mine").expect("write");
        let written = dir.join("new.bank");
        fs::write(&written, "x").expect("write");
        prune(&dir, &written, 3);
        let mut left: Vec<String> = fs::read_dir(&dir)
            .expect("list")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["3.bank", "4.bank", "new.bank", "notes.txt"]);
    }
}
