//! Question banks: the TOML format (`model`), loading and validation with diagnostics
//! (`load`), the library of loaded banks, the shipped banks, and the parsed-bank cache
//! ([`cache`]).

pub mod cache;
mod load;
mod model;

pub use load::{
    FORMAT_VERSION, MAX_CHOICES, content_hash, letter, parse_bank, parse_bank_one_piece, parse_tree,
};
pub use model::{
    Bank, Difficulty, Kind, MOODLE_FRACTIONS, Num, Partial, PartialAnswer, Question, Unit,
    is_moodle_fraction, nearest_fraction, percent_label,
};

use crate::diag::{Diagnostic, Severity};
use crate::walk::MAX_FILE_BYTES;
use std::collections::HashMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file's name and text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The name shown in diagnostics.
    pub name: String,
    /// The text.
    pub text: String,
}

/// Errors that stop loading altogether (as opposed to problems inside a file).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A path could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

impl LoadError {
    /// This error in words (the operating system's reason stays as it gives it).
    #[must_use]
    pub fn message(&self) -> crate::messages::Msg {
        use crate::messages::{K, Msg};
        match self {
            LoadError::Io { path, source } => {
                Msg::new(K::CannotRead, vec![path.into(), source.to_string().into()])
            }
        }
    }
}

/// The banks shipped inside the binary: (file name, text).
pub const SHIPPED_BANKS: &[(&str, &str)] = &[
    (
        "indicators.toml",
        include_str!("../../questions/indicators.toml"),
    ),
    (
        "national-law.toml",
        include_str!("../../questions/national-law.toml"),
    ),
    (
        "international-law.toml",
        include_str!("../../questions/international-law.toml"),
    ),
    (
        "referral.toml",
        include_str!("../../questions/referral.toml"),
    ),
    (
        "scenarios.toml",
        include_str!("../../questions/scenarios.toml"),
    ),
];

/// Below this many bytes of bank text in all, banks are parsed one after the other on the
/// calling thread, no thread pool is started, and a missing parsed-bank cache entry is written
/// at once rather than on a thread of its own: for a class-sized bank, starting threads costs
/// more time and memory than it saves (BENCHMARKS.md, issue 25). Larger texts are parsed on
/// every core, in pieces.
pub const SMALL_TEXT: usize = 1 << 20;

/// The topics of the questions of the shipped banks (a test checks it against the banks): a
/// quiz on other topics only, from given banks, need not load them.
pub const SHIPPED_TOPICS: &[&str] = &[
    "indicators",
    "national-law",
    "international-law",
    "referral",
    "scenarios",
];

/// The shipped banks as source files named `shipped:questions/<file>`.
#[must_use]
pub fn shipped_sources() -> Vec<SourceFile> {
    SHIPPED_BANKS
        .iter()
        .map(|(n, t)| SourceFile {
            name: format!("shipped:questions/{n}"),
            text: (*t).to_owned(),
        })
        .collect()
}

/// Expand paths: a file stays itself; a folder gives its `*.toml` files and those of its
/// sub-folders, sorted.
///
/// # Errors
/// When a path does not exist or a folder cannot be listed.
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, LoadError> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| LoadError::Io {
            path: p.display().to_string(),
            source: e,
        })?;
        if meta.is_dir() {
            walk_dir(p, &mut out, 0)?;
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// `dir` joined with `name` the way the user wrote `dir`: on Windows with `/` unless `dir` was
/// written with `\`, so that a bank found in `questions` is `questions/indicators.toml` in
/// every message on every platform (Windows reads both separators).
fn child(dir: &Path, name: &std::ffi::OsStr) -> PathBuf {
    #[cfg(windows)]
    {
        let written = dir.as_os_str().to_string_lossy();
        if !written.contains('\\') {
            let mut joined = dir.as_os_str().to_owned();
            if !written.is_empty() && !written.ends_with('/') {
                joined.push("/");
            }
            joined.push(name);
            return PathBuf::from(joined);
        }
    }
    dir.join(name)
}

fn walk_dir(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<(), LoadError> {
    let io = |e| LoadError::Io {
        path: dir.display().to_string(),
        source: e,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(Result::ok)
        .map(|e| child(dir, &e.file_name()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if depth < 4 {
                walk_dir(&p, out, depth + 1)?;
            }
        } else if p.extension().is_some_and(|e| e == "toml") {
            out.push(p);
        }
    }
    Ok(())
}

/// Read a bank or exam file, refusing files over [`MAX_FILE_BYTES`] before reading them and files
/// that are not UTF-8. Problems with the file's content come back as a diagnostic.
///
/// # Errors
/// When the file cannot be opened or read.
pub fn read_source(path: &Path) -> Result<Result<SourceFile, Diagnostic>, LoadError> {
    let name = path.display().to_string();
    let io = |e| LoadError::Io {
        path: name.clone(),
        source: e,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Ok(Err(file_problem(
            &name,
            "file-too-large",
            crate::msg!(
                FileTooLarge,
                size / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            crate::messages::K::FileTooLargeHint,
        )));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Ok(Err(file_problem(
            &name,
            "file-too-large",
            crate::messages::K::FileGrew.into(),
            crate::messages::K::FileGrewHint,
        )));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Ok(SourceFile { name, text })),
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..good]).into_owned();
            Ok(Err(Diagnostic::at(
                Severity::Error,
                "not-utf8",
                &name,
                &prefix,
                Some(good..good),
                crate::msg!(NotUtf8, good),
                Some(crate::messages::K::NotUtf8Hint.into()),
            )))
        }
    }
}

fn file_problem(
    name: &str,
    code: &'static str,
    msg: crate::messages::Msg,
    hint: crate::messages::K,
) -> Diagnostic {
    Diagnostic::at(
        Severity::Error,
        code,
        name,
        "",
        None,
        msg,
        Some(hint.into()),
    )
}

/// Whether a file is an exam definition rather than a bank: it has `[[pool]]` tables.
#[must_use]
pub fn looks_like_exam(text: &str) -> bool {
    // Only the lines where "pool" occurs are looked at (a bank of 20 MB has few or none).
    let b = text.as_bytes();
    memchr::memmem::find_iter(b, "pool").any(|at| {
        let start = memchr::memrchr(b'\n', &b[..at]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &b[at..]).map_or(b.len(), |i| at + i);
        let l = text[start..end].trim_start();
        l.starts_with("[[pool]]") || l.starts_with("pool =") || l.starts_with("pool=")
    })
}

/// All loaded banks, with question lookup.
#[derive(Clone, Debug, Default)]
pub struct Library {
    /// The banks.
    pub banks: Vec<Bank>,
    index: HashMap<String, (usize, usize)>,
}

impl Library {
    /// Build a library, reporting question and bank ids used in more than one bank.
    /// Later duplicates are dropped from the library.
    #[must_use]
    pub fn build(banks: Vec<Bank>) -> (Library, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut lib = Library::default();
        let mut bank_ids: HashMap<String, String> = HashMap::new();
        for mut bank in banks {
            if let Some(first) = bank_ids.get(&bank.id) {
                diags.push(file_problem(
                    &bank.origin,
                    "duplicate-bank",
                    crate::msg!(DuplicateBank, &bank.id, first),
                    crate::messages::K::DuplicateBankHint,
                ));
                continue;
            }
            bank_ids.insert(bank.id.clone(), bank.origin.clone());
            let bi = lib.banks.len();
            let mut kept = Vec::new();
            for q in bank.questions.drain(..) {
                if let Some((b, qi)) = lib.index.get(&q.id) {
                    let other = &lib.banks[*b];
                    let msg = crate::msg!(
                        DuplicateIdAcross,
                        &q.id,
                        &other.origin,
                        other.questions[*qi].line
                    );
                    let hint =
                        crate::messages::Msg::from(crate::messages::K::DuplicateIdAcrossHint);
                    diags.push(Diagnostic::on_line(
                        Severity::Error,
                        "duplicate-id",
                        &bank.origin,
                        q.line,
                        msg,
                        Some(hint),
                    ));
                    continue;
                }
                lib.index.insert(q.id.clone(), (bi, kept.len()));
                kept.push(q);
            }
            bank.questions = kept;
            lib.banks.push(bank);
        }
        for bank in &lib.banks {
            for q in &bank.questions {
                for x in q.excludes.iter().filter(|x| !lib.index.contains_key(*x)) {
                    let msg = crate::msg!(UnknownExclude, &q.id, x);
                    let hint = crate::messages::Msg::from(crate::messages::K::UnknownExcludeHint);
                    diags.push(Diagnostic::on_line(
                        Severity::Warning,
                        "unknown-exclude",
                        &bank.origin,
                        q.line,
                        msg,
                        Some(hint),
                    ));
                }
            }
        }
        (lib, diags)
    }

    /// Whether two questions must never be on the same paper: either names the other in its
    /// `excludes`.
    #[must_use]
    pub fn excluded(a: &Question, b: &Question) -> bool {
        a.excludes.contains(&b.id) || b.excludes.contains(&a.id)
    }

    /// A question by id.
    #[must_use]
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.index
            .get(id)
            .map(|(b, q)| &self.banks[*b].questions[*q])
    }

    /// A bank by id.
    #[must_use]
    pub fn bank(&self, id: &str) -> Option<&Bank> {
        self.banks.iter().find(|b| b.id == id)
    }

    /// Every question of every bank.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.banks.iter().flat_map(|b| b.questions.iter())
    }

    /// Topics with their question counts, in bank order.
    #[must_use]
    pub fn topics(&self) -> Vec<(String, usize)> {
        let mut out: Vec<(String, usize)> = Vec::new();
        for q in self.questions() {
            match out.iter_mut().find(|(t, _)| *t == q.topic) {
                Some((_, n)) => *n += 1,
                None => out.push((q.topic.clone(), 1)),
            }
        }
        out
    }
}

/// Shared library handle.
pub type SharedLibrary = Arc<Library>;

/// Load the shipped banks and parse them. Returns the banks and any diagnostics (the shipped
/// banks are checked by the test suite, so these are empty in a release).
#[must_use]
pub fn load_shipped() -> (Vec<Bank>, Vec<Diagnostic>) {
    parse_sources(&shipped_sources())
}

/// Parse several bank sources.
#[must_use]
pub fn parse_sources(sources: &[SourceFile]) -> (Vec<Bank>, Vec<Diagnostic>) {
    parse_sources_cached(sources, None)
}

/// [`parse_sources`] through the parsed-bank cache `cache` (see [`cache`]); `None` parses
/// every file. Not for `tipquiz check`, which must show every problem of every file.
#[must_use]
pub fn parse_sources_cached(
    sources: &[SourceFile],
    cache: Option<&cache::BankCache>,
) -> (Vec<Bank>, Vec<Diagnostic>) {
    let texts: Vec<(&str, &str)> = sources
        .iter()
        .map(|s| (s.name.as_str(), s.text.as_str()))
        .collect();
    parse_texts_cached(&texts, cache)
}

/// The shipped banks, parsed through the parsed-bank cache `cache`, read in place from the
/// binary (not copied as [`shipped_sources`] does).
#[must_use]
pub fn parse_shipped_cached(cache: Option<&cache::BankCache>) -> (Vec<Bank>, Vec<Diagnostic>) {
    let names: Vec<String> = SHIPPED_BANKS
        .iter()
        .map(|(n, _)| format!("shipped:questions/{n}"))
        .collect();
    let texts: Vec<(&str, &str)> = names
        .iter()
        .zip(SHIPPED_BANKS)
        .map(|(n, (_, t))| (n.as_str(), *t))
        .collect();
    parse_texts_cached(&texts, cache)
}

/// Bytes of text of the shipped banks.
#[must_use]
pub fn shipped_len() -> usize {
    SHIPPED_BANKS.iter().map(|(_, t)| t.len()).sum()
}

/// (file name, text) pairs parsed through the cache, in order.
fn parse_texts_cached(
    texts: &[(&str, &str)],
    cache: Option<&cache::BankCache>,
) -> (Vec<Bank>, Vec<Diagnostic>) {
    use rayon::prelude::*;
    // Files are parsed on every core (small texts on this thread alone, see [`SMALL_TEXT`]);
    // banks and problems keep the files' order.
    let parse = |(name, text): &(&str, &str)| cache::parse_bank_cached(name, text, cache);
    let parsed: Vec<(Option<Bank>, Vec<Diagnostic>)> =
        if texts.iter().map(|(_, t)| t.len()).sum::<usize>() < SMALL_TEXT {
            texts.iter().map(parse).collect()
        } else {
            texts.par_iter().map(parse).collect()
        };
    let mut banks = Vec::new();
    let mut diags = Vec::new();
    for (b, d) in parsed {
        diags.extend(d);
        banks.extend(b);
    }
    (banks, diags)
}

#[cfg(test)]
mod exam_sniff_tests {
    use super::looks_like_exam;

    #[test]
    fn exams_are_told_from_banks_by_their_pool_lines() {
        assert!(looks_like_exam("id = \"x\"\n\n[[pool]]\ncount = 3\n"));
        assert!(looks_like_exam("  pool = [{ topic = \"a\" }]"));
        assert!(looks_like_exam("pool=[]"));
        assert!(!looks_like_exam(
            "[[question]]\nprompt = \"a pool of workers\"\n"
        ));
        assert!(!looks_like_exam("# pool = commented\nid = \"b\"\n"));
        assert!(!looks_like_exam("carpool = 1\n[[pools]]\n"));
    }
}

#[cfg(test)]
mod shipped_tests {
    use super::{SHIPPED_TOPICS, SMALL_TEXT, load_shipped, parse_shipped_cached, shipped_len};

    #[test]
    fn shipped_topics_are_exactly_the_topics_of_the_shipped_questions() {
        let (banks, diags) = load_shipped();
        assert!(diags.is_empty(), "{diags:?}");
        let mut found: Vec<&str> = banks
            .iter()
            .flat_map(|b| b.questions.iter().map(|q| q.topic.as_str()))
            .collect();
        found.sort_unstable();
        found.dedup();
        let mut listed = SHIPPED_TOPICS.to_vec();
        listed.sort_unstable();
        assert_eq!(found, listed);
    }

    #[test]
    fn each_shipped_bank_read_in_pieces_on_one_thread_is_the_bank_read_whole() {
        for (name, text) in super::SHIPPED_BANKS {
            let (pieces, whole) = (
                super::parse_bank(name, text),
                super::parse_bank_one_piece(name, text),
            );
            assert!(pieces.0.is_some() && pieces.1.is_empty(), "{name}");
            assert_eq!(pieces, whole, "{name}");
        }
    }

    #[test]
    fn the_shipped_banks_read_in_place_are_the_shipped_sources_parsed() {
        assert_eq!(parse_shipped_cached(None), load_shipped());
        // The shipped banks alone are parsed on one thread; a test that fails when they outgrow
        // it, so that the threshold is looked at again.
        assert!(shipped_len() < SMALL_TEXT, "{}", shipped_len());
    }
}
