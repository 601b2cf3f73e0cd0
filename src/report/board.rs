//! The live leaderboard's state: the results folder read incrementally (only new or changed
//! files are read), finished attempts and attempts in progress.

use crate::bank::Library;
use crate::exam::ExamDef;
use crate::quiz::Millis;
use crate::record::{AttemptRecord, BadRecord, Known, Seal, read_record_sealed, trainee_slug};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// Largest progress file read.
const PROGRESS_MAX_BYTES: u64 = 64 * 1024;

/// Name of the sub-folder of the results folder where attempts in progress report themselves.
pub const PROGRESS_DIR: &str = ".progress";

/// What a terminal running an attempt publishes for the board after every change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Trainee.
    pub trainee: String,
    /// Exam id.
    pub exam_id: String,
    /// Exam title.
    pub exam_title: String,
    /// Questions answered.
    pub answered: usize,
    /// Questions in the paper.
    pub total: usize,
    /// Start.
    pub started_at: Millis,
    /// End of the time, if limited.
    pub deadline: Option<Millis>,
}

impl Progress {
    /// The progress file name of a trainee's attempt.
    #[must_use]
    pub fn file_name(exam_id: &str, trainee: &str) -> String {
        format!("{exam_id}--{}.json", trainee_slug(trainee))
    }
}

/// Every attempt in progress that reports itself in `results_dir` (unreadable files skipped).
#[must_use]
pub fn read_progress(results_dir: &Path) -> Vec<Progress> {
    let mut out: Vec<Progress> = Board::scan(&results_dir.join(PROGRESS_DIR))
        .into_iter()
        .filter_map(|(p, _, _)| {
            serde_json::from_slice(&crate::record::read_regular(&p, PROGRESS_MAX_BYTES).ok()?).ok()
        })
        .collect();
    out.sort_by(|a, b| {
        (&a.exam_id, &a.trainee, a.started_at).cmp(&(&b.exam_id, &b.trainee, b.started_at))
    });
    out
}

#[derive(Clone, Debug)]
enum Entry {
    Record(Arc<AttemptRecord>, Seal),
    Progress(Progress),
    Bad,
}

/// One line of the board.
#[derive(Clone, Debug, PartialEq)]
pub struct BoardRow {
    /// Trainee.
    pub trainee: String,
    /// Percentage (finished) or `None` (in progress).
    pub percent: Option<f64>,
    /// Passed (finished only).
    pub passed: bool,
    /// Answered / total for attempts in progress.
    pub progress: Option<(usize, usize)>,
    /// Seconds taken (finished).
    pub seconds: i64,
}

/// What the board checks records against (owned: the board lives as long as the screen).
#[derive(Debug)]
struct Checks {
    lib: Library,
    exams: Vec<ExamDef>,
    key: Option<Vec<u8>>,
}

/// The board's state.
#[derive(Debug)]
pub struct Board {
    dir: PathBuf,
    /// Only this exam. Without one, the exam with most entries when the board first finds
    /// any, kept from then on: the board never switches exams on its own.
    pub exam: Option<String>,
    /// Which attempt of each trainee is ranked (the report's choice).
    pub which: super::Which,
    files: HashMap<PathBuf, (Option<SystemTime>, u64, Entry)>,
    /// How many files were read (parsed) so far: unchanged files are not read again.
    pub reads: usize,
    checks: Option<Checks>,
    /// Each record's own checks ([`super::integrity::check_one`]) under `checks`, by file, for
    /// the exam `own_exam`: run once per record, as files are written once.
    own: HashMap<PathBuf, super::integrity::OwnChecks>,
    own_exam: Option<String>,
    /// The records of the exam shown that count, after the checks.
    counted: Vec<Arc<AttemptRecord>>,
    /// The records of the exam shown that were flagged, and unreadable files.
    flagged: Vec<BadRecord>,
}

impl Board {
    /// A board over a results folder.
    #[must_use]
    pub fn new(dir: impl Into<PathBuf>, exam: Option<String>) -> Board {
        Board {
            dir: dir.into(),
            exam,
            which: super::Which::default(),
            files: HashMap::new(),
            reads: 0,
            checks: None,
            own: HashMap::new(),
            own_exam: None,
            counted: Vec::new(),
            flagged: Vec::new(),
        }
    }

    /// Check records as `report` does: against the loaded banks and exams and the key, and rank
    /// the attempt `which` chooses. Without this, only the checksum is checked.
    #[must_use]
    pub fn checked(
        mut self,
        lib: Library,
        exams: Vec<ExamDef>,
        key: Option<Vec<u8>>,
        which: super::Which,
    ) -> Board {
        self.checks = Some(Checks { lib, exams, key });
        self.own.clear();
        self.which = which;
        self.recount();
        self
    }

    /// Run the checks again over the records of the exam shown: each record's own checks only
    /// for records not checked before, the checks across records over all of them.
    fn recount(&mut self) {
        use rayon::prelude::*;
        let Some(id) = self.exam_id() else {
            self.counted.clear();
            self.flagged.clear();
            return;
        };
        // Names borrowed from the paths (no copy of ten thousand names on every refresh).
        fn name_of(path: &Path) -> std::borrow::Cow<'_, str> {
            path.file_name()
                .map_or(std::borrow::Cow::Borrowed(""), |n| n.to_string_lossy())
        }
        let mut records: Vec<(
            std::borrow::Cow<'_, str>,
            &PathBuf,
            &Arc<AttemptRecord>,
            Seal,
        )> = Vec::new();
        let mut unreadable = Vec::new();
        for (path, (_, _, e)) in &self.files {
            match e {
                Entry::Record(r, seal) if r.exam_id == id => {
                    records.push((name_of(path), path, r, *seal));
                }
                Entry::Bad => unreadable.push(BadRecord {
                    file: name_of(path).into_owned(),
                    trainee: String::new(),
                    exam_id: String::new(),
                    reason: crate::messages::K::RecNotARecord.into(),
                }),
                _ => {}
            }
        }
        // In file-name order, as `report` reads them (the first of two records with one
        // attempt id is the one that counts).
        records.sort_by(|a, b| a.0.cmp(&b.0));
        let mut counted = Vec::new();
        let mut flagged = Vec::new();
        match &self.checks {
            Some(c) => {
                let rules = super::integrity::Rules {
                    lib: &c.lib,
                    exams: &c.exams,
                    key: c.key.as_deref(),
                };
                if self.own_exam.as_deref() != Some(id.as_str()) {
                    self.own.clear();
                    self.own_exam = Some(id.clone());
                }
                let fresh: Vec<(PathBuf, super::integrity::OwnChecks)> = records
                    .par_iter()
                    .filter(|(_, path, _, _)| !self.own.contains_key(*path))
                    .map(|(_, path, r, seal)| {
                        let known = Known {
                            seal: *seal,
                            rescored: None,
                        };
                        (
                            (*path).clone(),
                            super::integrity::check_one(r, Some(&known), rules),
                        )
                    })
                    .collect();
                self.own.extend(fresh);
                let files = &self.files;
                self.own.retain(|p, _| files.contains_key(p));
                let own: Vec<super::integrity::OwnChecks> = records
                    .iter()
                    .filter_map(|(_, path, _, _)| self.own.get(*path).cloned())
                    .collect();
                let refs: Vec<(&str, &AttemptRecord)> = records
                    .iter()
                    .map(|(name, _, r, _)| (&**name, &***r))
                    .collect();
                let problems = super::integrity::check_across(&refs, own);
                for ((name, _, r, _), p) in records.iter().zip(problems) {
                    flagged.extend(super::integrity::flag(name, &***r, &p));
                    if super::integrity::counts(&p) {
                        counted.push(Arc::clone(r));
                    }
                }
            }
            None => {
                for (name, _, r, seal) in &records {
                    if seal.checksum_ok {
                        counted.push(Arc::clone(r));
                    } else {
                        flagged.push(BadRecord {
                            file: name.clone().into_owned(),
                            trainee: r.trainee.clone(),
                            exam_id: r.exam_id.clone(),
                            reason: crate::messages::K::ProbChecksum.into(),
                        });
                    }
                }
            }
        }
        unreadable.sort_by(|a, b| a.file.cmp(&b.file));
        flagged.sort_by(|a, b| a.file.cmp(&b.file));
        flagged.extend(unreadable);
        self.counted = counted;
        self.flagged = flagged;
    }

    fn scan(dir: &Path) -> Vec<(PathBuf, Option<SystemTime>, u64)> {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        rd.filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name();
                let name = name.to_string_lossy();
                if name.starts_with('.') || !name.ends_with(".json") {
                    return None;
                }
                let m = e.metadata().ok()?;
                m.is_file().then(|| (e.path(), m.modified().ok(), m.len()))
            })
            .collect()
    }

    /// Look at the folder again; read only new or changed files. Records are written once under
    /// unique names, so a known record is not even looked at again; progress files change in
    /// place and are checked by size and time.
    pub fn refresh(&mut self) -> bool {
        let mut changed = false;
        // Files that went are looked for only when fewer files were seen than are known: a
        // refresh of a folder where nothing went looks each name up once, and copies none.
        let mut seen = 0;
        let mut path = self.dir.clone();
        if let Ok(rd) = std::fs::read_dir(&self.dir) {
            for e in rd.filter_map(Result::ok) {
                let name = e.file_name();
                let text = name.to_string_lossy();
                if text.starts_with('.') || !text.ends_with(".json") {
                    continue;
                }
                // One buffer for every look-up: no path made for a file already known.
                path.push(&name);
                if !self.files.contains_key(&path) {
                    let Ok(m) = e.metadata() else {
                        path.pop();
                        continue;
                    };
                    if !m.is_file() {
                        path.pop();
                        continue;
                    }
                    self.reads += 1;
                    let entry = read_record_sealed(&path)
                        .map_or(Entry::Bad, |(r, seal)| Entry::Record(Arc::new(r), seal));
                    self.files
                        .insert(path.clone(), (m.modified().ok(), m.len(), entry));
                    changed = true;
                }
                seen += 1;
                path.pop();
            }
        }
        for (path, mtime, len) in Self::scan(&self.dir.join(PROGRESS_DIR)) {
            let same = self
                .files
                .get(&path)
                .is_some_and(|(t, l, _)| *t == mtime && *l == len);
            if !same {
                self.reads += 1;
                let entry = crate::record::read_regular(&path, PROGRESS_MAX_BYTES)
                    .ok()
                    .and_then(|b| serde_json::from_slice::<Progress>(&b).ok())
                    .map_or(Entry::Bad, Entry::Progress);
                self.files.insert(path.clone(), (mtime, len, entry));
                changed = true;
            }
            seen += 1;
        }
        let before = self.files.len();
        if seen != before {
            let present: std::collections::HashSet<PathBuf> = self.listed();
            self.files.retain(|p, _| present.contains(p));
        }
        let changed = changed || self.files.len() != before;
        if self.exam.is_none() {
            self.exam = self.busiest_exam();
        }
        if changed {
            self.recount();
        }
        changed
    }

    /// The paths of the record and progress files there now (as [`Self::refresh`] sees them).
    fn listed(&self) -> std::collections::HashSet<PathBuf> {
        let records = std::fs::read_dir(&self.dir).into_iter().flatten();
        records
            .filter_map(Result::ok)
            .filter(|e| {
                let name = e.file_name();
                let name = name.to_string_lossy();
                !name.starts_with('.') && name.ends_with(".json")
            })
            .map(|e| e.path())
            .chain(
                Self::scan(&self.dir.join(PROGRESS_DIR))
                    .into_iter()
                    .map(|(p, _, _)| p),
            )
            .collect()
    }

    /// The exam shown.
    #[must_use]
    pub fn exam_id(&self) -> Option<String> {
        if self.exam.is_some() {
            return self.exam.clone();
        }
        self.busiest_exam()
    }

    /// The exam with most entries (records and attempts in progress), the smallest id of equals.
    fn busiest_exam(&self) -> Option<String> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, _, e) in self.files.values() {
            match e {
                Entry::Record(r, _) => *counts.entry(&r.exam_id).or_default() += 1,
                Entry::Progress(p) => *counts.entry(&p.exam_id).or_default() += 1,
                Entry::Bad => {}
            }
        }
        counts
            .into_iter()
            .max_by_key(|(id, n)| (*n, std::cmp::Reverse(*id)))
            .map(|(id, _)| id.to_owned())
    }

    /// The exam's title, if known.
    #[must_use]
    pub fn title(&self) -> Option<String> {
        let id = self.exam_id()?;
        self.files.values().find_map(|(_, _, e)| match e {
            Entry::Record(r, _) if r.exam_id == id => Some(r.exam_title.clone()),
            Entry::Progress(p) if p.exam_id == id => Some(p.exam_title.clone()),
            _ => None,
        })
    }

    /// Ranked rows: the attempt of each trainee that counts (as in the report: the same checks,
    /// the same choice of attempt; a flagged record is never ranked), then attempts in progress
    /// of trainees without a counted attempt.
    #[must_use]
    pub fn rows(&self) -> Vec<BoardRow> {
        let Some(id) = self.exam_id() else {
            return Vec::new();
        };
        let chosen =
            super::read::select_attempts_of(self.counted.iter().map(|r| &**r), &id, self.which);
        let done: std::collections::HashSet<String> =
            chosen.iter().map(|r| trainee_slug(&r.trainee)).collect();
        let mut running: BTreeMap<String, &Progress> = BTreeMap::new();
        for (_, _, e) in self.files.values() {
            if let Entry::Progress(p) = e
                && p.exam_id == id
            {
                running.insert(trainee_slug(&p.trainee), p);
            }
        }
        let mut rows: Vec<BoardRow> = chosen
            .iter()
            .map(|r| BoardRow {
                trainee: r.trainee.clone(),
                percent: Some(r.percent),
                passed: r.passed,
                progress: None,
                seconds: r.seconds(),
            })
            .collect();
        rows.sort_by(|a, b| {
            b.percent
                .partial_cmp(&a.percent)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.seconds.cmp(&b.seconds))
                .then(a.trainee.cmp(&b.trainee))
        });
        let mut prog: Vec<BoardRow> = running
            .iter()
            .filter(|(k, _)| !done.contains(*k))
            .map(|(_, p)| BoardRow {
                trainee: p.trainee.clone(),
                percent: None,
                passed: false,
                progress: Some((p.answered, p.total)),
                seconds: 0,
            })
            .collect();
        prog.sort_by(|a, b| a.trainee.cmp(&b.trainee));
        rows.extend(prog);
        rows
    }

    /// Class mean percentage per topic over the attempts ranked.
    #[must_use]
    pub fn topic_means(&self) -> Vec<(String, f64)> {
        let Some(id) = self.exam_id() else {
            return Vec::new();
        };
        let mut sums: BTreeMap<String, (f64, usize)> = BTreeMap::new();
        for r in super::read::select_attempts_of(self.counted.iter().map(|r| &**r), &id, self.which)
        {
            for (t, tally) in &r.by_topic {
                let s = sums.entry(t.clone()).or_default();
                s.0 += tally.percent();
                s.1 += 1;
            }
        }
        sums.into_iter()
            .map(|(t, (s, n))| (t, s / n as f64))
            .collect()
    }

    /// Flagged records of the exam shown (never ranked) and files that could not be read, with
    /// the trainee's name where the file names one.
    #[must_use]
    pub fn flagged(&self) -> &[BadRecord] {
        &self.flagged
    }

    /// Files that could not be read, and flagged records of the exam shown.
    #[must_use]
    pub fn bad_files(&self) -> usize {
        self.flagged.len()
    }
}
