//! Attempt records and the results store.
//!
//! One JSON file per finished attempt, written Maildir-style: a temporary file in the same
//! folder, flushed and synced, then moved into place under a unique name without overwriting,
//! then the folder synced. Attempts in progress are autosaved the same way on local disk.

mod index;
pub mod journal;
mod marker;
mod store;

pub use crate::fs::{
    Step, StoreError, fallback_dir, inject_fault, make_subfolder, write_atomic, write_atomic_into,
    write_atomic_into_synced, write_atomic_synced, write_unsynced,
};
pub use index::{
    FINGERPRINTED, Found, Indexed, Known, banks_match, index_path, load_indexed, visit_indexed,
};
pub use marker::{MARKER_PREFIX, MARKER_SCHEMA, MARKER_SUFFIX, StartMarker};
pub use store::{
    AttemptBusy, AttemptLock, BadRecord, LOCKS_DIR, LoadedRecords, RecordError, STALE_PART_SECS,
    Store, read_record, read_record_sealed, read_regular, sweep_stale_parts, trainee_slug,
};

use crate::bank::{Difficulty, Library};
use crate::quiz::{Change, EndReason, Millis, Pause, Response, Session, Status, Tally, Verdict};
use crate::text::Lang;
use hmac::{KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Longest trainee name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// Why a trainee name cannot be used, or `None` when it can: empty (after trimming), longer
/// than [`MAX_NAME_CHARS`], or holding a control character (line breaks and tabs included) or a
/// bidirectional formatting character (marks, embeddings, overrides, isolates), which could
/// change what a terminal or a report shows. Every way a name enters tipquiz checks it.
#[must_use]
pub fn name_problem(name: &str) -> Option<crate::messages::Msg> {
    use crate::messages::{K, Msg};
    let t = name.trim();
    if t.is_empty() {
        return Some(K::NameEmpty.into());
    }
    if let Some(c) = t
        .chars()
        .find(|c| c.is_control() || crate::diag::is_bidi_format(*c))
    {
        return Some(Msg::new(
            K::NameBadChar,
            vec![format!("U+{:04X}", u32::from(c)).into()],
        ));
    }
    let n = t.chars().count();
    (n > MAX_NAME_CHARS).then(|| Msg::new(K::NameTooLong, vec![n.into(), MAX_NAME_CHARS.into()]))
}

/// A unique id for an attempt: a hash of trainee, exam, start time and seed.
#[must_use]
pub fn attempt_id(a: &crate::quiz::Attempt) -> String {
    let d = Sha256::digest(
        format!("{}\0{}\0{}\0{}", a.trainee, a.exam.id, a.started_at, a.seed).as_bytes(),
    );
    hex::encode(&d[..8])
}

/// Version of the record schema. 2: the checksum covers the exact bytes of the file (see
/// [`AttemptRecord::file_bytes`]); 1 (read only): it covered a re-serialisation of the record.
pub const RECORD_SCHEMA: u32 = 2;

/// How a record file ends: its checksum and signature as the last two members, and a newline.
fn tail(checksum: &str, signature: &str) -> Result<Vec<u8>, String> {
    let c = serde_json::to_string(checksum).map_err(|e| e.to_string())?;
    let s = serde_json::to_string(signature).map_err(|e| e.to_string())?;
    Ok(format!(",\n  \"checksum\": {c},\n  \"signature\": {s}\n}}\n").into_bytes())
}

/// HMAC-SHA256 with `key` over a record's digest, in hex.
fn sign(key: &[u8], digest: &[u8; 32]) -> String {
    hmac::Hmac::<Sha256>::new_from_slice(key)
        .map(|mut m| {
            m.update(digest);
            hex::encode(m.finalize().into_bytes())
        })
        .unwrap_or_default()
}

/// What reading a record file found about its seals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seal {
    /// The checksum matches the bytes of the file, and the file is exactly a record as written.
    pub checksum_ok: bool,
    /// SHA-256 of the body of the file (schema 2 and later; `None` for earlier records and for
    /// files that do not end as a record is written).
    pub digest: Option<[u8; 32]>,
}

impl Seal {
    /// Check a record file: it must be exactly [`AttemptRecord::file_bytes`] of the record
    /// parsed from it (same body, the checksum and signature as its last two members, one final
    /// newline), and the checksum must be the SHA-256 of its body.
    #[must_use]
    pub fn of_file(bytes: &[u8], r: &AttemptRecord) -> Seal {
        if r.schema < 2 {
            return r.seal_in_memory();
        }
        let Ok(tail) = tail(&r.checksum, &r.signature) else {
            return Seal::default();
        };
        let Some(body) = bytes.strip_suffix(tail.as_slice()) else {
            return Seal::default();
        };
        let digest: [u8; 32] = Sha256::digest(body).into();
        Seal {
            checksum_ok: hex::encode(digest) == r.checksum,
            digest: Some(digest),
        }
    }

    /// Whether `r`'s signature is the instructor key's over this digest (schema 1: over the
    /// re-serialised record).
    #[must_use]
    pub fn signature_ok(&self, r: &AttemptRecord, key: &[u8]) -> bool {
        let Ok(sig) = hex::decode(&r.signature) else {
            return false;
        };
        let Ok(mut m) = hmac::Hmac::<Sha256>::new_from_slice(key) else {
            return false;
        };
        match (self.digest, r.schema) {
            (Some(d), _) => m.update(&d),
            (None, s) if s < 2 => m.update(&r.legacy_digest_input()),
            (None, _) => return false,
        }
        m.verify_slice(&sig).is_ok()
    }
}

/// One question of a recorded attempt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordQuestion {
    /// Question id.
    pub qid: String,
    /// Bank id.
    pub bank: String,
    /// Topic.
    pub topic: String,
    /// Difficulty.
    pub difficulty: Difficulty,
    /// Type name.
    #[serde(rename = "type")]
    pub kind: String,
    /// Display order of choices / items / right column.
    pub order: Vec<usize>,
    /// Final response.
    pub response: Option<Response>,
    /// When it was given.
    pub answered_at: Option<Millis>,
    /// When the question was first shown.
    pub first_shown: Option<Millis>,
    /// Every change.
    pub history: Vec<Change>,
    /// Flagged at the end.
    pub flagged: bool,
    /// Times shown in the other language.
    pub other_language_views: u32,
    /// Credit 0..1.
    pub credit: f64,
    /// Points earned.
    pub points: f64,
    /// Points available.
    pub max: f64,
    /// Verdict.
    pub verdict: Verdict,
    /// The question's time limit in seconds, as applied (for speed points).
    #[serde(default)]
    pub limit: Option<u32>,
}

impl RecordQuestion {
    /// Seconds from first shown to answered, when both are known (what speed points use).
    #[must_use]
    pub fn answer_secs(&self) -> Option<f64> {
        match (self.answered_at, self.first_shown) {
            (Some(a), Some(f)) => Some((a - f).max(0) as f64 / 1000.0),
            _ => None,
        }
    }
}

/// A finished attempt, as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttemptRecord {
    /// [`RECORD_SCHEMA`].
    pub schema: u32,
    /// The program that wrote it (`tipquiz x.y.z`).
    pub program: String,
    /// Unique attempt id.
    pub attempt_id: String,
    /// Trainee name or id, as typed.
    pub trainee: String,
    /// Exam id.
    pub exam_id: String,
    /// Exam title in English (or the exam's first language).
    pub exam_title: String,
    /// Interface language.
    pub lang: Lang,
    /// Seed of the draw.
    pub seed: u64,
    /// Content hash of each bank used.
    pub banks: BTreeMap<String, String>,
    /// Start.
    pub started_at: Millis,
    /// End.
    pub ended_at: Millis,
    /// Why it ended.
    pub end_reason: EndReason,
    /// Time limit in seconds.
    pub time_limit: Option<u32>,
    /// How the attempt was scored.
    pub scoring: crate::exam::ScoringPolicy,
    /// Suspensions.
    pub pauses: Vec<Pause>,
    /// Total score.
    pub score: f64,
    /// Maximum score.
    pub max: f64,
    /// Percentage.
    pub percent: f64,
    /// Pass mark in percent.
    pub pass_mark: f64,
    /// Passed.
    pub passed: bool,
    /// Per topic.
    pub by_topic: BTreeMap<String, Tally>,
    /// Per question, in the order shown.
    pub questions: Vec<RecordQuestion>,
    /// Topics whose own pass mark was missed (empty in records of earlier versions).
    #[serde(default)]
    pub failed_topics: Vec<String>,
    /// The trainee's unit or department, when given (`null` when not; records of earlier
    /// versions have no such member, and their checksums cover their bytes as written).
    #[serde(default)]
    pub unit: Option<String>,
    /// SHA-256 of the record with this field and `signature` empty.
    pub checksum: String,
    /// HMAC-SHA256 with the instructor key, when one was available.
    #[serde(default)]
    pub signature: String,
}

/// Whole seconds from `start` to `end` (0 when the end comes first).
#[must_use]
pub fn seconds_between(start: Millis, end: Millis) -> i64 {
    (end - start).max(0) / 1000
}

/// Why an attempt did not pass: `overall` when `percent` is below `pass_mark`, and
/// `topic:<id>` for each of `failed_topics`. Empty when it passed.
#[must_use]
pub fn failed_on<'a>(
    passed: bool,
    percent: f64,
    pass_mark: f64,
    failed_topics: impl Iterator<Item = &'a str>,
) -> Vec<String> {
    if passed {
        return Vec::new();
    }
    let mut why = Vec::new();
    if percent + 1e-9 < pass_mark {
        why.push("overall".to_owned());
    }
    why.extend(failed_topics.map(|t| format!("topic:{t}")));
    if why.is_empty() {
        // A record of an earlier version, failed on a topic it did not name.
        why.push("topic".to_owned());
    }
    why
}

impl AttemptRecord {
    /// Build the record of a finished (or now-ended) session.
    #[must_use]
    pub fn from_session(
        s: &Session,
        attempt_id: &str,
        now: Millis,
        program: &str,
    ) -> AttemptRecord {
        let sheet = s.score();
        let (ended_at, end_reason) = match s.state.status {
            Status::Finished { at, reason } => (at, reason),
            Status::Running => (now, EndReason::Submitted),
        };
        let questions = s
            .questions
            .iter()
            .zip(&s.state.slots)
            .zip(&s.state.paper)
            .zip(&sheet.questions)
            .enumerate()
            .map(|(i, (((q, slot), p), sc))| RecordQuestion {
                qid: q.id.clone(),
                bank: q.bank.clone(),
                topic: q.topic.clone(),
                difficulty: q.difficulty,
                kind: q.kind.name().to_owned(),
                order: p.order.clone(),
                response: slot.response.clone(),
                answered_at: slot.answered_at,
                first_shown: slot.first_shown,
                history: slot.history.clone(),
                flagged: slot.flagged,
                other_language_views: slot.other_language_views,
                credit: sc.credit,
                points: sc.points,
                max: sc.max,
                verdict: sc.verdict,
                limit: s.question_limit(i),
            })
            .collect();
        let mut r = AttemptRecord {
            schema: RECORD_SCHEMA,
            program: program.to_owned(),
            attempt_id: attempt_id.to_owned(),
            trainee: s.state.trainee.clone(),
            exam_id: s.state.exam.id.clone(),
            exam_title: s.state.exam.title.get(Lang::En).to_owned(),
            lang: s.state.lang,
            seed: s.state.seed,
            banks: s.state.bank_hashes.clone(),
            started_at: s.state.started_at,
            ended_at,
            end_reason,
            time_limit: s.state.exam.time_limit,
            scoring: s.state.exam.scoring.clone(),
            pauses: s.state.pauses.clone(),
            score: sheet.total.points,
            max: sheet.total.max,
            percent: sheet.total.percent(),
            pass_mark: s.state.exam.pass_mark,
            passed: sheet.passed,
            by_topic: sheet.by_topic,
            failed_topics: sheet.failed_topics,
            unit: s.state.unit.clone(),
            questions,
            checksum: String::new(),
            signature: String::new(),
        };
        r.seal(None);
        r
    }

    /// The record with both seals empty, as pretty JSON, without its last two members: the bytes
    /// (the "body") a record file starts with and its checksum covers.
    fn body(&self) -> Vec<u8> {
        // `checksum` and `signature` are the last members, so the record serialised as it is
        // ends with them: cut that end off rather than copy the record to empty two fields.
        let mut out = Vec::with_capacity(8192 + self.questions.len() * 512);
        if serde_json::to_writer_pretty(&mut out, self).is_err() {
            return Vec::new();
        }
        let Ok(mut end) = tail(&self.checksum, &self.signature) else {
            return Vec::new();
        };
        end.pop(); // the final newline, which the file has and the serialisation not
        if out.ends_with(&end) {
            out.truncate(out.len() - end.len());
            out
        } else {
            Vec::new()
        }
    }

    /// The exact bytes of this record's file: [`Self::body`], then the checksum and the
    /// signature as they are, as the last two members. Reading a file checks that it is exactly
    /// this ([`Seal::of_file`]), so the checksum is over the bytes written, never over a
    /// re-serialisation of what was parsed (floats such as 93.33333333333333 or
    /// 1.8333333333333335 need not survive that).
    ///
    /// # Errors
    /// When the record cannot be serialised.
    pub fn file_bytes(&self) -> Result<Vec<u8>, String> {
        let mut out = self.body();
        if out.is_empty() {
            return Err("the record cannot be serialised".into());
        }
        out.extend_from_slice(&tail(&self.checksum, &self.signature)?);
        Ok(out)
    }

    /// Fill the checksum (SHA-256 of [`Self::body`]), and the signature when a key is given
    /// (HMAC-SHA256 with the key over that digest). The schema becomes [`RECORD_SCHEMA`].
    pub fn seal(&mut self, key: Option<&[u8]>) {
        self.schema = RECORD_SCHEMA;
        let digest: [u8; 32] = Sha256::digest(self.body()).into();
        self.checksum = hex::encode(digest);
        self.signature = key.map(|k| sign(k, &digest)).unwrap_or_default();
    }

    /// The seal of this record as it would be written (for a record built in memory rather than
    /// read from a file: [`Seal::of_file`] checks a file).
    #[must_use]
    pub fn seal_in_memory(&self) -> Seal {
        if self.schema < 2 {
            return Seal {
                checksum_ok: hex::encode(Sha256::digest(self.legacy_digest_input()))
                    == self.checksum,
                digest: None,
            };
        }
        self.file_bytes()
            .map(|b| Seal::of_file(&b, self))
            .unwrap_or_default()
    }

    /// Whether the checksum matches the record as it would be written.
    #[must_use]
    pub fn checksum_ok(&self) -> bool {
        self.seal_in_memory().checksum_ok
    }

    /// Whether the signature matches under `key` (false when unsigned), for the record as it
    /// would be written.
    #[must_use]
    pub fn signature_ok(&self, key: &[u8]) -> bool {
        self.seal_in_memory().signature_ok(self, key)
    }

    /// What schema-1 records were sealed over: the parsed record re-serialised as compact JSON
    /// with both seals empty. Kept only to read the records of earlier versions.
    fn legacy_digest_input(&self) -> Vec<u8> {
        let mut c = self.clone();
        c.checksum = String::new();
        c.signature = String::new();
        let mut out = serde_json::to_vec(&c).unwrap_or_default();
        // Records of that schema had no unit member: without a unit, it is taken out again (the
        // end of the JSON is fixed: the unit, then both seals empty).
        const WITH: &[u8] = br#","unit":null,"checksum":"","signature":""}"#;
        const WITHOUT: &[u8] = br#","checksum":"","signature":""}"#;
        if out.ends_with(WITH) {
            out.truncate(out.len() - WITH.len());
            out.extend_from_slice(WITHOUT);
        }
        out
    }

    /// Why the attempt did not pass: `overall` when the total is below the pass mark, and
    /// `topic:<id>` for each topic below its own pass mark. Empty when it passed.
    #[must_use]
    pub fn failed_on(&self) -> Vec<String> {
        failed_on(
            self.passed,
            self.percent,
            self.pass_mark,
            self.failed_topics.iter().map(String::as_str),
        )
    }

    /// Time taken in seconds.
    #[must_use]
    pub fn seconds(&self) -> i64 {
        seconds_between(self.started_at, self.ended_at)
    }

    /// Re-score the stored answers against the loaded banks. Returns the recomputed total, or
    /// `None` when a question is no longer loaded.
    #[must_use]
    pub fn rescore(&self, lib: &Library) -> Option<f64> {
        let policy = &self.scoring;
        let mut total = 0.0;
        for rq in &self.questions {
            let q = lib.question(&rq.qid)?;
            // The limit as applied (the question's own, else the exam's per-question limit).
            let limit = rq.limit.or(q.time_limit);
            total += crate::quiz::score_question(
                q,
                rq.response.as_ref(),
                policy,
                rq.answer_secs(),
                limit,
            )
            .points;
        }
        Some(total.max(0.0))
    }

    /// Score the stored answers under `exam`'s rules (its scoring, per-question time limit and
    /// pass marks) against the loaded banks, as the attempt would have been scored had it
    /// followed them. `None` when a question is no longer loaded.
    #[must_use]
    pub fn rescore_under(
        &self,
        exam: &crate::exam::ExamDef,
        lib: &Library,
    ) -> Option<crate::quiz::ScoreSheet> {
        let mut scores = Vec::with_capacity(self.questions.len());
        for rq in &self.questions {
            let q = lib.question(&rq.qid)?;
            let limit = q.time_limit.or(exam.question_time_limit);
            scores.push(crate::quiz::score_question(
                q,
                rq.response.as_ref(),
                &exam.scoring,
                rq.answer_secs(),
                limit,
            ));
        }
        Some(crate::quiz::tally(exam, scores))
    }
}
