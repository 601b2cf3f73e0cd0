//! Start markers: a small file written into the results folder when an attempt starts, so that
//! an attempt that never produces a record (the trainee left, the terminal was killed, the
//! record was deleted) is still known to the instructor's views ("started at 07:02, no record").
//!
//! A marker is written once per attempt, atomically, under a name of its own that starts with a
//! dot and does not end in `.json` (`.started--<exam>--<trainee slug>--<start>--<attempt
//! id>.marker`): readers of records skip names that start with a dot, so markers never reach the
//! record index, the board's scan or a report as a bad file, and a script that takes every
//! `.json` file of the folder for a record never takes a marker. The name is built like a
//! record's name (an exam id is lowercase ASCII, a trainee is their [`trainee_slug`], Arabic
//! names `t-<hash>`), so it is a valid file name on Windows too. Markers sit beside the records
//! (not in a sub-folder) so that a trainee who can write a record can write a marker, whatever
//! the folder's permissions.

use super::store::{read_regular, trainee_slug};
use crate::fs::{StoreError, write_atomic_into_synced, write_atomic_synced};
use crate::quiz::{Attempt, Millis};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// How every marker's file name starts.
pub const MARKER_PREFIX: &str = ".started--";

/// How every marker's file name ends.
pub const MARKER_SUFFIX: &str = ".marker";

/// Version of the marker format.
pub const MARKER_SCHEMA: u32 = 1;

/// Largest marker file read.
const MAX_MARKER_BYTES: u64 = 16 * 1024;

/// That an attempt started: who, which exam, which attempt (its id is the id its record will
/// have), when, and until when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartMarker {
    /// [`MARKER_SCHEMA`].
    pub schema: u32,
    /// Trainee name or id, as typed.
    pub trainee: String,
    /// Exam id.
    pub exam_id: String,
    /// The attempt's id ([`super::attempt_id`]): its record has the same.
    pub attempt_id: String,
    /// Seed of the draw (the paper drawn for the name).
    pub seed: u64,
    /// Start.
    pub started_at: Millis,
    /// End of the time, if limited, as it was at the start.
    pub deadline: Option<Millis>,
    /// The program that wrote it.
    pub program: String,
}

impl StartMarker {
    /// The marker of an attempt that has just started.
    #[must_use]
    pub fn of(a: &Attempt, program: &str) -> StartMarker {
        StartMarker {
            schema: MARKER_SCHEMA,
            trainee: a.trainee.clone(),
            exam_id: a.exam.id.clone(),
            attempt_id: super::attempt_id(a),
            seed: a.seed,
            started_at: a.started_at,
            deadline: a.deadline,
            program: program.to_owned(),
        }
    }

    /// Its file name.
    #[must_use]
    pub fn file_name(&self) -> String {
        format!(
            "{MARKER_PREFIX}{}--{}--{}--{}{MARKER_SUFFIX}",
            self.exam_id,
            trainee_slug(&self.trainee),
            self.started_at,
            self.attempt_id
        )
    }

    /// Whether it is a marker tipquiz could have written: a known schema, an exam id and an
    /// attempt id of the forms tipquiz makes, and a name tipquiz accepts. Others are ignored.
    fn plausible(&self) -> bool {
        self.schema >= 1
            && crate::walk::is_valid_id(&self.exam_id)
            && self.attempt_id.len() == 16
            && self.attempt_id.bytes().all(|b| b.is_ascii_hexdigit())
            && super::name_problem(&self.trainee).is_none()
    }
}

impl super::Store {
    /// Write the start marker of an attempt into this results folder (temporary file, sync,
    /// move into place). Writing the same marker again is not an error. A missing folder is
    /// made only when `make` (a new attempt, which makes its results folder anyway); for an
    /// attempt that had started before (its autosave or the copy of its marker beside the
    /// autosaves was there), a missing folder is a shared folder that dropped, which must never
    /// be made again on the local disk below its mount point: the write fails.
    ///
    /// # Errors
    /// Any failed step, named; the folder is missing and not `make`.
    pub fn mark_started(&self, m: &StartMarker, make: bool) -> Result<PathBuf, StoreError> {
        self.mark_started_synced(m, make, true)
    }

    /// [`Store::mark_started`], synced to disk only when `synced`: a caller that syncs the
    /// marker later, off the path to the first question ([`crate::fs::sync_written`]), still
    /// leaves it whole in the folder when the program is killed (the move into place is atomic
    /// and done here).
    ///
    /// # Errors
    /// Any failed step, named; the folder is missing and not `make`.
    pub fn mark_started_synced(
        &self,
        m: &StartMarker,
        make: bool,
        synced: bool,
    ) -> Result<PathBuf, StoreError> {
        let body = serde_json::to_vec_pretty(m).map_err(|e| StoreError::Encode(e.to_string()))?;
        let path = self.dir.join(m.file_name());
        if make {
            write_atomic_synced(&self.dir, &path, &body, true, synced)?;
        } else {
            write_atomic_into_synced(&self.dir, &path, &body, true, synced)?;
        }
        Ok(path)
    }

    /// The start markers of one trainee's attempts at one exam (only their files are read).
    #[must_use]
    pub fn started_by(&self, exam_id: &str, trainee: &str) -> Vec<StartMarker> {
        let prefix = format!("{MARKER_PREFIX}{exam_id}--{}--", trainee_slug(trainee));
        let Ok(rd) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        rd.filter_map(Result::ok)
            .filter(|e| {
                let n = e.file_name();
                let n = n.to_string_lossy();
                n.starts_with(&prefix) && n.ends_with(MARKER_SUFFIX)
            })
            .filter_map(|e| {
                let bytes = read_regular(&e.path(), MAX_MARKER_BYTES).ok()?;
                serde_json::from_slice::<StartMarker>(&bytes).ok()
            })
            .filter(|m| {
                m.plausible()
                    && m.exam_id == exam_id
                    && trainee_slug(&m.trainee) == trainee_slug(trainee)
            })
            .collect()
    }

    /// Whether this autosave folder (or its last-resort folder) holds an attempt of `trainee` at
    /// `exam_id` that has started and is not recorded: its autosave, or the copy of its start
    /// marker that the program keeps beside the autosaves until the record is written.
    #[must_use]
    pub fn holds_started(&self, exam_id: &str, trainee: &str) -> bool {
        let slug = trainee_slug(trainee);
        let autosave = format!("{exam_id}--{slug}.json");
        let marker = format!("{MARKER_PREFIX}{exam_id}--{slug}--");
        std::iter::once(&self.dir)
            .chain(self.fallback.as_ref())
            .any(|d| {
                d.join(&autosave).exists()
                    || std::fs::read_dir(d).is_ok_and(|rd| {
                        rd.filter_map(Result::ok).any(|e| {
                            let n = e.file_name();
                            let n = n.to_string_lossy();
                            n.starts_with(&marker) && n.ends_with(MARKER_SUFFIX)
                        })
                    })
            })
    }

    /// Every start marker in this results folder, by exam, trainee and start. Files that are
    /// not markers tipquiz could have written are skipped.
    #[must_use]
    pub fn started(&self) -> Vec<StartMarker> {
        read_markers(&self.dir)
    }
}

/// [`super::Store::started`] of a folder.
fn read_markers(dir: &Path) -> Vec<StartMarker> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<StartMarker> = rd
        .filter_map(Result::ok)
        .filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n.starts_with(MARKER_PREFIX) && n.ends_with(MARKER_SUFFIX)
        })
        .filter_map(|e| {
            let bytes = read_regular(&e.path(), MAX_MARKER_BYTES).ok()?;
            serde_json::from_slice::<StartMarker>(&bytes).ok()
        })
        .filter(StartMarker::plausible)
        .collect();
    out.sort_by(|a, b| {
        (&a.exam_id, trainee_slug(&a.trainee), a.started_at).cmp(&(
            &b.exam_id,
            trainee_slug(&b.trainee),
            b.started_at,
        ))
    });
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fsname::windows_name_problem;

    fn marker(trainee: &str) -> StartMarker {
        StartMarker {
            schema: MARKER_SCHEMA,
            trainee: trainee.to_owned(),
            exam_id: "final-assessment".to_owned(),
            attempt_id: "0123456789abcdef".to_owned(),
            seed: 7,
            started_at: 1_800_000_000_000,
            deadline: Some(1_800_002_400_000),
            program: "tipquiz test".to_owned(),
        }
    }

    #[test]
    fn marker_names_are_hidden_portable_and_arabic_names_hashed() {
        for name in ["Sara K", "أحمد علي", "con", "x/../y", "NUL"] {
            let m = marker(name);
            let f = m.file_name();
            assert!(f.starts_with(MARKER_PREFIX), "{f}");
            assert_eq!(windows_name_problem(&f), None, "{f}");
            assert!(
                f.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.')),
                "{f}"
            );
        }
        assert!(marker("أحمد علي").file_name().contains("--t-"));
    }

    #[test]
    fn a_marker_is_never_written_into_a_folder_that_is_not_there() {
        let d = tempfile::tempdir().unwrap();
        let gone = d.path().join("share").join("results");
        let store = super::super::Store::new(&gone);
        assert!(store.mark_started(&marker("Sara K"), false).is_err());
        assert!(!gone.exists() && !d.path().join("share").exists());
        // A new attempt's marker makes it.
        assert!(store.mark_started(&marker("Sara K"), true).is_ok());
        assert_eq!(store.started(), [marker("Sara K")]);
    }

    #[test]
    fn markers_are_read_back_and_never_taken_for_records() {
        let d = tempfile::tempdir().unwrap();
        let store = super::super::Store::new(d.path());
        let a = marker("Sara K");
        let b = StartMarker {
            started_at: a.started_at + 60_000,
            ..marker("أحمد علي")
        };
        store.mark_started(&a, false).unwrap();
        store.mark_started(&b, false).unwrap();
        // Again: the same attempt's marker is simply there.
        store.mark_started(&a, false).unwrap();
        // Not markers tipquiz writes: ignored.
        std::fs::write(d.path().join(".started--x--y--1--z.marker"), b"{}").unwrap();
        let mut forged = marker("bad\u{202e}name");
        forged.started_at += 1;
        std::fs::write(
            d.path().join(forged.file_name()),
            serde_json::to_vec(&forged).unwrap(),
        )
        .unwrap();
        let got = store.started();
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.contains(&a) && got.contains(&b));
        let loaded = store.load();
        assert!(
            loaded.records.is_empty() && loaded.bad.is_empty(),
            "{loaded:?}"
        );
    }
}
