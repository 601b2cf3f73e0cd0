//! Where a session writes (the results, autosave and pending folders, preferences, the
//! signing key), and what the screens read there before an attempt starts: the results folder
//! of an exam, and an earlier start of the same paper that has no record.

use crate::quiz::Millis;
use crate::record::Store;
use std::path::PathBuf;

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

/// The start of this trainee's latest attempt at `exam` on the paper of `seed` that has a start
/// marker in its results folder and no record there (nor waiting in the pending folder), if
/// any: a new attempt on that paper keeps that start's clock.
#[must_use]
pub fn unrecorded_start(
    places: &Places,
    exam: &crate::exam::ExamDef,
    trainee: &str,
    seed: u64,
) -> Option<Millis> {
    let results = results_for(places, exam);
    let m = results
        .started_by(&exam.id, trainee)
        .into_iter()
        .filter(|m| m.seed == seed)
        .max_by_key(|m| m.started_at)?;
    let slug = crate::record::trainee_slug(trainee);
    let record = format!(
        "{}--{slug}--{}--{}.json",
        exam.id, m.started_at, m.attempt_id
    );
    let pending = format!("{}--{slug}--{}.json", exam.id, m.started_at);
    let waiting = std::iter::once(&places.pending.dir)
        .chain(places.pending.fallback.as_ref())
        .any(|d| d.join(&pending).exists() || d.join(format!("{pending}.conflict")).exists());
    (!results.dir.join(record).exists() && !waiting).then_some(m.started_at)
}

/// The results folder for an attempt: the explicit one, else the exam's own, else the default.
#[must_use]
pub fn results_for(places: &Places, exam: &crate::exam::ExamDef) -> Store {
    match &exam.results {
        Some(dir) if !places.results_explicit => Store::new(dir),
        _ => places.results.clone(),
    }
}
