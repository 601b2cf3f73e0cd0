//! A class scored as an instructor scores it: attempts on the shipped exams written through the
//! program's own write path (the one `take` uses), then read back by the real binary's `report`,
//! `export`, `history` and `close`, every figure checked against what the attempt was.

use std::path::Path;
use tipquiz::bank::{Kind, Library, Question, SHIPPED_BANKS, parse_bank};
use tipquiz::exam::{ExamDef, parse_exam};
use tipquiz::quiz::{Action, Response, Session, seed_for};
use tipquiz::record::{AttemptRecord, Store, attempt_id};
use tipquiz::text::Lang;

/// 2027-01-15 07:20 UTC, a class morning.
pub const T0: i64 = 1_800_000_000_000;

/// The shipped banks, as `tipquiz` loads them.
pub fn shipped() -> Library {
    Library::build(
        SHIPPED_BANKS
            .iter()
            .map(|(n, t)| parse_bank(n, t).0.unwrap())
            .collect(),
    )
    .0
}

/// The shipped final assessment (30 questions, 40 minutes, 70% and 50% per topic).
pub fn final_assessment() -> ExamDef {
    parse_exam(
        "final-assessment.toml",
        include_str!("../../questions/exams/final-assessment.toml"),
    )
    .0
    .unwrap()
}

/// The fully right response to a question.
pub fn right(q: &Question) -> Response {
    match &q.kind {
        Kind::Single { answer, .. } => Response::Choice(*answer),
        Kind::Multiple { answers, .. } => Response::Choices(answers.clone()),
        Kind::TrueFalse { answer } => Response::Bool(*answer),
        Kind::Short { accepted } => {
            Response::Text(accepted.values().flatten().next().unwrap().clone())
        }
        Kind::Order { items } => Response::Order((0..items.len()).collect()),
        Kind::Match { pairs } => Response::Match((0..pairs.len()).map(Some).collect()),
        Kind::Numerical { answer, .. } => Response::Text(answer.0.to_string()),
    }
}

/// A response worth no credit at all.
pub fn wrong(q: &Question) -> Response {
    match &q.kind {
        Kind::Single { answer, choices } => Response::Choice((answer + 1) % choices.len()),
        Kind::Multiple { answers, choices } => Response::Choices(
            (0..choices.len())
                .filter(|c| !answers.contains(c))
                .take(1)
                .collect(),
        ),
        Kind::TrueFalse { answer } => Response::Bool(!answer),
        Kind::Short { .. } | Kind::Numerical { .. } => Response::Text("zzz".into()),
        Kind::Order { items } => {
            Response::Order((0..items.len()).map(|i| (i + 1) % items.len()).collect())
        }
        Kind::Match { pairs } => Response::Match(
            (0..pairs.len())
                .map(|i| Some((i + 1) % pairs.len()))
                .collect(),
        ),
    }
}

/// For question `i`: the response and how long after it was shown it is given, or blank.
pub type Answers<'a> = dyn Fn(usize, &Question) -> Option<(Response, i64)> + 'a;

/// A trainee sits `exam` from `start`: the paper drawn for their name, as `take` draws it; for
/// question `i`, `answer(i, q)` gives the response and the milliseconds after it was shown (or
/// leaves it blank); then the trainee submits, or (with `submit` false) is left running.
pub fn sit(
    exam: &ExamDef,
    lib: &Library,
    trainee: &str,
    start: i64,
    answer: &Answers<'_>,
    submit: bool,
) -> (Session, i64) {
    let mut s = Session::start(
        exam,
        lib,
        trainee,
        seed_for(&exam.id, trainee),
        Lang::En,
        start,
    )
    .unwrap();
    let mut t = start;
    for i in 0..s.len() {
        let q = s.questions[i].clone();
        if let Some((r, after)) = answer(i, &q) {
            t += after;
            s.update(Action::Answer(r), t);
        }
        t += 300;
        s.update(Action::Next, t);
    }
    t += 2_000;
    if submit {
        s.update(Action::Submit, t);
    }
    (s, t)
}

/// Write a finished attempt through the program's write path, sealed with `key`.
pub fn commit(dir: &Path, s: &Session, at: i64, key: Option<&[u8]>) -> AttemptRecord {
    let rec = AttemptRecord::from_session(s, &attempt_id(&s.state), at, "tipquiz test");
    Store::new(dir).commit(&rec, key).unwrap();
    rec
}

/// The real binary, with its data and results in `d` and the index cache on.
pub fn tq(d: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("tipquiz").unwrap();
    c.env("TIPQUIZ_DATA", d.join("data"))
        .env("TIPQUIZ_RESULTS", d.join("results"))
        .env_remove("TIPQUIZ_KEY_FILE")
        .env_remove("TIPQUIZ_NO_CACHE")
        .env("LANG", "C.UTF-8")
        .args(["--lang", "en"]);
    c
}

/// Run and return (stdout, stderr, exit code).
pub fn run(c: &mut assert_cmd::Command) -> (String, String, i32) {
    // Under Wine, starting a process can fail for a moment with "Internal error" (1359, from
    // CreateProcess: nothing ran), as in the writers' test of `records`: such a start is tried
    // again; any other error fails the test.
    let mut tries = 0;
    let o = loop {
        match c.output() {
            Err(e) if tries < 5 && e.raw_os_error() == Some(1359) => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(200 * tries));
            }
            other => break other.unwrap(),
        }
    };
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code().unwrap_or(-1),
    )
}

/// The report of an exam as JSON.
pub fn report_json(d: &Path, exam: &str, extra: &[&str]) -> (serde_json::Value, String, i32) {
    let (out, err, code) = run(tq(d)
        .args(["report", "--exam", exam, "--format", "json"])
        .args(extra));
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    (v, err, code)
}

/// The trainee rows of a JSON report, by name: (score, percent, passed).
pub fn rows(v: &serde_json::Value) -> std::collections::BTreeMap<String, (f64, f64, bool)> {
    v["trainees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["trainee"].as_str().unwrap().to_owned(),
                (
                    t["score"].as_f64().unwrap(),
                    t["percent"].as_f64().unwrap(),
                    t["passed"].as_bool().unwrap(),
                ),
            )
        })
        .collect()
}

/// Every score from 0 of 30 to 30 of 30 on the shipped final assessment is a genuine record:
/// none is flagged, each counts with exactly its score, in `report` (with and without the
/// index), `export` and `export --responses`.
#[test]
fn every_score_from_0_to_30_on_the_final_assessment_counts() {
    let lib = shipped();
    let exam = final_assessment();
    let d = tempfile::tempdir().unwrap();
    let results = d.path().join("results");
    let mut want = std::collections::BTreeMap::new();
    for k in 0..=30usize {
        let name = format!("Trainee {k:02}");
        let (s, end) = sit(
            &exam,
            &lib,
            &name,
            T0 + k as i64 * 60_000,
            &|i, q| {
                Some((
                    if i < k { right(q) } else { wrong(q) },
                    7_000 + 13 * i as i64,
                ))
            },
            true,
        );
        let rec = commit(&results, &s, end, None);
        assert_eq!(
            rec.score, k as f64,
            "{name}: every shipped question is worth 1"
        );
        want.insert(name, (rec.score, rec.percent));
    }
    for pass in ["built", "indexed"] {
        let (v, err, code) = report_json(d.path(), "final-assessment", &[]);
        assert_eq!(code, 0, "{pass}: {err}");
        assert_eq!(
            v["bad"].as_array().unwrap().len(),
            0,
            "{pass}: {}",
            v["bad"]
        );
        let got = rows(&v);
        assert_eq!(got.len(), 31, "{pass}");
        for (name, (score, percent)) in &want {
            let (s, p, _) = got[name];
            assert_eq!((s, p), (*score, *percent), "{pass}: {name}");
        }
        // 28 of 30 is 93.33333333333333%, 29 of 30 is 96.66666666666667%: both as written.
        assert_eq!(got["Trainee 28"].1, 28.0 / 30.0 * 100.0);
        assert_eq!(got["Trainee 29"].1, 29.0 / 30.0 * 100.0);
    }
    for args in [&["export"][..], &["export", "--responses"][..]] {
        let (out, err, code) = run(tq(d.path()).args(args));
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(
            !err.contains("Skipped") && !err.contains("skipped"),
            "{err}"
        );
        let rows = out.lines().count() - 1;
        assert_eq!(rows, if args.len() == 1 { 31 } else { 31 * 30 }, "{args:?}");
    }
}

/// With speed points every right answer earns a fraction of a point that depends on the time
/// taken (0.8833333333333333 and the like): every record still counts, each with its score.
#[test]
fn speed_points_records_count_with_their_fractional_scores() {
    let lib = shipped();
    let mut exam = final_assessment();
    exam.scoring.speed_points = true;
    let d = tempfile::tempdir().unwrap();
    let results = d.path().join("results");
    let mut want = std::collections::BTreeMap::new();
    for k in 0..12usize {
        let name = format!("Speedy {k}");
        let (s, end) = sit(
            &exam,
            &lib,
            &name,
            T0 + k as i64 * 60_000,
            &|i, q| {
                let r = if (i + k) % 4 == 0 { wrong(q) } else { right(q) };
                Some((r, 1_000 + 137 * (i as i64 + k as i64) % 29_000))
            },
            true,
        );
        let rec = commit(&results, &s, end, None);
        assert!(rec.score.fract() != 0.0, "{name}: {}", rec.score);
        want.insert(name, rec.score);
    }
    // The instructor's exam has speed points too (a given exam replaces the shipped one).
    let exam_file = d.path().join("final-assessment.toml");
    std::fs::write(
        &exam_file,
        include_str!("../../questions/exams/final-assessment.toml")
            .replace("speed_points = false", "speed_points = true"),
    )
    .unwrap();
    let (out, err, code) = run(tq(d.path()).arg("--bank").arg(&exam_file).args([
        "report",
        "--exam",
        "final-assessment",
        "--format",
        "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["bad"].as_array().unwrap().len(), 0, "{}", v["bad"]);
    let got = rows(&v);
    assert_eq!(got.len(), 12);
    for (name, score) in &want {
        assert_eq!(got[name].0, *score, "{name}");
    }
}

/// A bank with partial credit, negative marking and a question worth 2 points.
const PARTIAL_BANK: &str = r#"
format = 1
id = "drill"
title = "Drill"
languages = ["en"]

[[question]]
id = "drill-tf"
type = "true-false"
prompt = "Debt bondage can be an indicator of trafficking."
answer = true
explanation = "It is a listed indicator."
source = "drill"

[[question]]
id = "drill-match"
type = "match"
prompt = "Match each instrument to its year."
pairs = [
  { left = "Palermo Protocol", right = "2000" },
  { left = "Law No. 91", right = "2013" },
  { left = "Rome Statute", right = "1998" },
  { left = "Law No. 5", right = "2006" },
  { left = "ILO C29", right = "1930" },
  { left = "ILO C105", right = "1957" },
]
explanation = "Dates of adoption."
source = "drill"

[[question]]
id = "drill-multi"
type = "multiple"
points = 2
prompt = "Which are indicators?"
choices = ["Withheld passport", "Unpaid wages", "Locked quarters", "A paid holiday"]
answer = ["a", "b", "c"]
explanation = "The first three."
source = "drill"

[[question]]
id = "drill-single"
type = "single"
prompt = "Which law?"
choices = ["Law No. 91 of 2013", "Law No. 1 of 1960", "Law No. 6 of 2010"]
answer = "a"
explanation = "Law No. 91 of 2013."
source = "drill"
"#;

const PARTIAL_EXAM: &str = r#"
format = 1
id = "drill-exam"
title = "Drill"
mode = "exam"
time_limit = "10m"
shuffle_questions = false
shuffle_choices = false
pass_mark = 50

[scoring]
partial_credit = true
negative_marking = 0.25

[[pool]]
topic = "drill"
count = 4
"#;

/// Partial credit (5 of 6 pairs: 0.8333333333333334) plus a right answer makes
/// 1.8333333333333335; a wrong answer under negative marking takes 0.25 off. Both records count,
/// with those exact figures, and the file holds them as written.
#[test]
fn partial_credit_and_negative_marking_count_exactly() {
    let d = tempfile::tempdir().unwrap();
    let bank_path = d.path().join("drill.toml");
    let exam_path = d.path().join("drill-exam.toml");
    std::fs::write(&bank_path, PARTIAL_BANK).unwrap();
    std::fs::write(&exam_path, PARTIAL_EXAM).unwrap();
    let (bank, diags) = parse_bank("drill.toml", PARTIAL_BANK);
    let lib = Library::build(vec![bank.unwrap_or_else(|| panic!("{diags:?}"))]).0;
    let exam = parse_exam("drill-exam.toml", PARTIAL_EXAM).0.unwrap();
    let results = d.path().join("results");
    // Partial: the true/false right, 5 of 6 pairs, the rest blank.
    let (s, end) = sit(
        &exam,
        &lib,
        "Partial Pat",
        T0,
        &|i, q| match (i, &q.kind) {
            (0, _) => Some((right(q), 4_000)),
            (1, Kind::Match { pairs }) => {
                let mut m: Vec<Option<usize>> = (0..pairs.len()).map(Some).collect();
                m[5] = None;
                Some((Response::Match(m), 9_000))
            }
            _ => None,
        },
        true,
    );
    let partial = commit(&results, &s, end, None);
    assert_eq!(partial.score, 1.833_333_333_333_333_5);
    assert_eq!(partial.score.to_string(), "1.8333333333333335");
    // Negative: right on the 2-point question with 2 of 3 answers (partial 1.3333333333333333),
    // the single wrong (-0.25), the true/false right.
    let (s, end) = sit(
        &exam,
        &lib,
        "Negative Nour",
        T0 + 60_000,
        &|i, q| match i {
            0 => Some((right(q), 2_500)),
            2 => Some((Response::Choices(vec![0, 1]), 5_000)),
            3 => Some((wrong(q), 3_000)),
            _ => None,
        },
        true,
    );
    let negative = commit(&results, &s, end, None);
    assert_eq!(negative.score, 1.0 + 2.0 * (2.0 / 3.0) - 0.25);
    let file = std::fs::read_dir(&results)
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().contains("partial-pat"))
        .unwrap();
    let text = std::fs::read_to_string(file.path()).unwrap();
    assert!(text.contains("\"score\": 1.8333333333333335"), "{text}");
    let (out, err, code) = run(tq(d.path())
        .args(["--only-given-banks", "--bank"])
        .arg(&bank_path)
        .arg("--bank")
        .arg(&exam_path)
        .args(["report", "--exam", "drill-exam", "--format", "json"]));
    let v: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["bad"].as_array().unwrap().len(), 0, "{}", v["bad"]);
    let got = rows(&v);
    assert_eq!(got["Partial Pat"].0, 1.833_333_333_333_333_5);
    assert_eq!(got["Negative Nour"].0, negative.score);
}

/// A wrong answer without negative marking is worth 0 points, and the record on disk says 0,
/// never -0 (the penalty, 0 × the points, was once stored as -0.0): every question, topic and
/// total of the file read back, and the export.
#[test]
fn a_wrong_answer_without_negative_marking_is_stored_as_zero_not_minus_zero() {
    let lib = shipped();
    let exam = final_assessment();
    assert_eq!(exam.scoring.negative_marking, 0.0);
    let d = tempfile::tempdir().unwrap();
    let results = d.path().join("results");
    // Every answer wrong but the first two, some blank.
    let (s, end) = sit(
        &exam,
        &lib,
        "Wrong Walid",
        T0,
        &|i, q| match i {
            0 | 1 => Some((right(q), 5_000)),
            i if i % 7 == 0 => None,
            _ => Some((wrong(q), 6_000)),
        },
        true,
    );
    commit(&results, &s, end, None);
    let file = std::fs::read_dir(&results)
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().contains("wrong-walid"))
        .unwrap();
    let text = std::fs::read_to_string(file.path()).unwrap();
    assert!(!text.contains("-0.0"), "{text}");
    assert!(!text.contains(": -0,"), "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut wrongs = 0;
    for q in v["questions"].as_array().unwrap() {
        let p = q["points"].as_f64().unwrap();
        if q["verdict"] == "wrong" {
            wrongs += 1;
            assert!(p == 0.0 && p.is_sign_positive(), "{q}");
        }
    }
    assert!(wrongs >= 20, "{wrongs}");
    for t in v["by_topic"].as_object().unwrap().values() {
        assert!(t["points"].as_f64().unwrap().is_sign_positive(), "{t}");
    }
    assert_eq!(v["score"].as_f64(), Some(2.0));
    let (out, err, code) = run(tq(d.path()).args(["export", "--exam", "final-assessment"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Wrong Walid"), "{out}");
    let minus_zero = |out: &str| {
        out.lines()
            .flat_map(|l| l.split(','))
            .any(|f| f.starts_with("-0") && f.trim_start_matches(['-', '0', '.']).is_empty())
    };
    assert!(!minus_zero(&out), "{out}");
    let (out, _, code) =
        run(tq(d.path()).args(["export", "--exam", "final-assessment", "--responses"]));
    assert_eq!(code, 0);
    assert!(out.contains("Wrong Walid"), "{out}");
    assert!(!minus_zero(&out), "{out}");
}

/// With an instructor key (`TIPQUIZ_KEY_FILE`), `take` signs the record as it writes it, and
/// `report` with the same key accepts it; with another key every record is flagged, by name.
#[cfg(unix)] // tmux
#[test]
fn an_instructor_key_signs_through_take_and_report_accepts_it() {
    if crate::skip_without("tmux") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let key = d.path().join("instructor.key");
    let other = d.path().join("other.key");
    std::fs::write(&key, "a long instructor secret, 2027 course\n").unwrap();
    std::fs::write(&other, "somebody else's secret\n").unwrap();
    let cmd = format!(
        "env TIPQUIZ_DATA={} TIPQUIZ_RESULTS={} TIPQUIZ_KEY_FILE={} LANG=C.UTF-8 {} take --topic indicators --count 3 --mode exam --trainee 'Keyed Karim'",
        d.path().join("data").display(),
        d.path().join("results").display(),
        key.display(),
        env!("CARGO_BIN_EXE_tipquiz"),
    );
    let t = crate::tmux::Tmux::start("tq-class-key", &cmd, 100, 30);
    t.wait_for("Question 1 / 3");
    t.keys(&["1", "Tab"]);
    t.wait_for("Question 2 / 3");
    t.keys(&["2", "Tab"]);
    t.wait_for("Question 3 / 3");
    t.keys(&["1", "C-s"]);
    t.wait_for("Are you sure you want to submit?");
    t.keys(&["Enter"]);
    t.wait_for("Saved:");
    t.keys(&["q"]);
    drop(t);
    let exam = {
        let recs = Store::new(d.path().join("results")).load().records;
        assert_eq!(recs.len(), 1);
        assert!(!recs[0].1.signature.is_empty(), "signed when written");
        recs[0].1.exam_id.clone()
    };
    let (v, err, code) = {
        let (out, err, code) = run(tq(d.path())
            .env("TIPQUIZ_KEY_FILE", &key)
            .args(["report", "--exam", &exam, "--format", "json"]));
        (
            serde_json::from_str::<serde_json::Value>(&out).unwrap(),
            err,
            code,
        )
    };
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["bad"].as_array().unwrap().len(), 0, "{}", v["bad"]);
    assert!(rows(&v).contains_key("Keyed Karim"));
    let (out, _, _) = run(tq(d.path())
        .env("TIPQUIZ_KEY_FILE", &other)
        .args(["report", "--exam", &exam, "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let bad = v["bad"].as_array().unwrap();
    assert_eq!(bad.len(), 1, "{v}");
    assert!(
        bad[0]["reason"]
            .as_str()
            .unwrap()
            .contains("signature does not match"),
        "{v}"
    );
    assert!(rows(&v).is_empty());
}

// ---------- forgeries, checked against the instructor's loaded exam ----------

/// A bad-record entry of a JSON report: (trainee, reason).
pub fn flagged(v: &serde_json::Value) -> Vec<(String, String)> {
    v["bad"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["trainee"].as_str().unwrap_or_default().to_owned(),
                b["reason"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// The reasons given for `name`'s flagged records.
fn reasons_of(v: &serde_json::Value, name: &str) -> String {
    flagged(v)
        .into_iter()
        .filter(|(t, _)| t == name)
        .map(|(_, r)| r)
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Forgeries a trainee can make with tipquiz's own sealing on their computer (edit a field, then
/// let the program seal the record again), each flagged by name, each rule as its own problem;
/// the genuine record next to them counts.
#[test]
fn resealed_forgeries_are_flagged_by_name_against_the_loaded_exam() {
    let lib = shipped();
    let exam = final_assessment();
    let d = tempfile::tempdir().unwrap();
    let results = d.path().join("results");
    let store = Store::new(&results);
    let mut start = T0;
    let mut sit_k = |name: &str, k: usize| {
        start += 600_000;
        let (s, end) = sit(
            &exam,
            &lib,
            name,
            start,
            &|i, q| Some((if i < k { right(q) } else { wrong(q) }, 9_000)),
            true,
        );
        AttemptRecord::from_session(&s, &attempt_id(&s.state), end, "tipquiz test")
    };
    let genuine = sit_k("Amal", 20);
    store.commit(&genuine, None).unwrap();
    // Pass mark lowered to 50 so that 18 of 30 (60%) passes.
    let mut x = sit_k("Badr", 18);
    x.pass_mark = 50.0;
    x.passed = true;
    store.commit(&x, None).unwrap();
    // Another trainee's (better) paper and answers under one's own name.
    let mut x = sit_k("Amal's copy", 0);
    x.questions = genuine.questions.clone();
    x.score = genuine.score;
    x.percent = genuine.percent;
    x.by_topic = genuine.by_topic.clone();
    x.trainee = "Camil".into();
    store.commit(&x, None).unwrap();
    // The time limit stretched to two hours for a 70-minute attempt.
    let mut x = sit_k("Dalia", 22);
    x.time_limit = Some(7_200);
    x.ended_at = x.started_at + 70 * 60_000;
    store.commit(&x, None).unwrap();
    // Negative marking and speed points switched in the record.
    let mut x = sit_k("Ehab", 21);
    x.scoring.negative_marking = 0.5;
    x.scoring.speed_points = true;
    store.commit(&x, None).unwrap();
    // A shorter paper: the last question dropped with its point.
    let mut x = sit_k("Fares", 25);
    x.questions.pop();
    x.max = 29.0;
    store.commit(&x, None).unwrap();
    // A failed topic mark made to look passed (topic tallies and the result edited).
    let mut x = sit_k("Ghada", 24);
    for t in x.by_topic.values_mut() {
        t.points = t.max;
    }
    x.passed = true;
    store.commit(&x, None).unwrap();
    // An Arabic name (its file is named t-<hash>) with its score raised.
    let mut x = sit_k("سالم العنزي", 10);
    x.score = 27.0;
    x.percent = 90.0;
    x.passed = true;
    store.commit(&x, None).unwrap();
    // Two trainees hand in the same answers at the same times: the second record is the first
    // with the name changed.
    let hani = sit_k("Hani", 19);
    store.commit(&hani, None).unwrap();
    let mut x = hani.clone();
    x.trainee = "Iyad".into();
    x.attempt_id = "copy-of-hani".into();
    store.commit(&x, None).unwrap();

    let (v, err, code) = report_json(d.path(), "final-assessment", &[]);
    assert_eq!(code, 0, "{err}");
    let counted = rows(&v);
    assert_eq!(
        counted.keys().collect::<Vec<_>>(),
        ["Amal", "Hani"],
        "only the genuine records count (Hani's is the one Iyad's copies): {v}"
    );
    let cases: [(&str, &[&str]); 10] = [
        (
            "Badr",
            &[
                "the pass mark is 50 in the record but 70 in the loaded exam",
                "passed is yes in the record but no",
            ],
        ),
        ("Camil", &["the paper drawn for this name"]),
        (
            "Dalia",
            &[
                "the time limit is 7200 s in the record but 2400 s",
                "took longer than the 2400 s limit",
            ],
        ),
        (
            "Ehab",
            &[
                "negative marking is 0.5 in the record but 0",
                "speed points is yes in the record but no",
            ],
        ),
        (
            "Fares",
            &[
                "the number of questions is 29 in the record but 30",
                "the maximum score is 29 in the record but 30",
            ],
        ),
        ("Ghada", &["a topic score is ", " 6 in the record but "]),
        (
            "سالم العنزي",
            &[
                "stored score 27 differs from the score recomputed from its answers (10)",
                "the score of its answers is 27",
            ],
        ),
        (
            "Iyad",
            &[
                "same answers at the same times as the attempt of Hani",
                "the paper drawn for this name",
            ],
        ),
        ("Amal", &[]),
        ("Hani", &[]),
    ];
    for (name, want) in cases {
        let got = reasons_of(&v, name);
        if want.is_empty() {
            assert!(got.is_empty(), "{name} flagged: {got}");
        }
        for w in want {
            assert!(got.contains(w), "{name}: want {w:?} in {got:?}");
        }
    }
    // The text report names the trainee beside the file.
    let (out, _, _) = run(tq(d.path()).args(["report", "--exam", "final-assessment"]));
    assert!(out.contains("سالم العنزي (final-assessment--t-"), "{out}");

    // At an exam that is not loaded (a quick quiz) no paper tells the copy from the original:
    // both are flagged, each naming the other.
    let quick = ExamDef::quick(
        &["indicators".to_owned()],
        5,
        None,
        tipquiz::exam::Mode::Exam,
    );
    let (s, end) = sit(
        &quick,
        &lib,
        "Jana",
        T0,
        &|_, q| Some((right(q), 4_000)),
        true,
    );
    let jana = commit(&results, &s, end, None);
    let mut x = jana.clone();
    x.trainee = "Karim".into();
    x.attempt_id = "copy-of-jana".into();
    store.commit(&x, None).unwrap();
    let (v, err, code) = report_json(d.path(), &quick.id, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(rows(&v).is_empty(), "{v}");
    assert!(
        reasons_of(&v, "Jana").contains("same answers at the same times as the attempt of Karim")
    );
    assert!(
        reasons_of(&v, "Karim").contains("same answers at the same times as the attempt of Jana")
    );
}

// ---------- one read path: report, board and history agree ----------

#[test]
fn report_board_and_history_count_the_same_attempts() {
    use tipquiz::report::Which;
    use tipquiz::report::board::Board;
    let lib = shipped();
    let exam = final_assessment();
    let d = tempfile::tempdir().unwrap();
    let results = d.path().join("results");
    let take = |name: &str, start: i64, k: usize| {
        let (s, end) = sit(
            &exam,
            &lib,
            name,
            start,
            &|i, q| Some((if i < k { right(q) } else { wrong(q) }, 6_000)),
            true,
        );
        commit(&results, &s, end, None)
    };
    take("Fahad", T0, 15);
    take("Fahad", T0 + 3_600_000, 25); // the retake
    take("Ghada", T0 + 60_000, 22);
    let mut forged = take("Hind", T0 + 120_000, 12);
    std::fs::remove_file(results.join(Store::record_name(&forged))).unwrap();
    forged.score = 30.0;
    forged.percent = 100.0;
    forged.passed = true;
    Store::new(&results).commit(&forged, None).unwrap();

    for (which, fahad) in [
        (None, 50.0),
        (Some("best"), 25.0 / 30.0 * 100.0),
        (Some("last"), 25.0 / 30.0 * 100.0),
    ] {
        let extra: Vec<&str> = which.map(|w| vec!["--attempts", w]).unwrap_or_default();
        let (v, _, _) = report_json(d.path(), "final-assessment", &extra);
        let r = rows(&v);
        assert_eq!(
            r.keys().collect::<Vec<_>>(),
            ["Fahad", "Ghada"],
            "{which:?}"
        );
        assert_eq!(r["Fahad"].1, fahad, "{which:?}");
        assert!(reasons_of(&v, "Hind").contains("stored score 30"), "{v}");
        let w = which.and_then(Which::from_name).unwrap_or_default();
        let mut board = Board::new(&results, Some("final-assessment".into())).checked(
            lib.clone(),
            vec![exam.clone()],
            None,
            w,
        );
        board.refresh();
        let ranked: Vec<(String, Option<f64>)> = board
            .rows()
            .into_iter()
            .map(|r| (r.trainee, r.percent))
            .collect();
        let mut want = vec![
            ("Ghada".to_owned(), Some(22.0 / 30.0 * 100.0)),
            ("Fahad".to_owned(), Some(fahad)),
        ];
        want.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap());
        assert_eq!(
            ranked, want,
            "{which:?}: the board ranks what the report counts, never the forged 100%"
        );
        assert_eq!(board.flagged().len(), 1);
        assert_eq!(board.flagged()[0].trainee, "Hind");
    }
    // `export --attempts` writes the attempt the report counts with the same choice (first by
    // default), or every attempt with `all`; Hind's forgery in none.
    for (which, fahad) in [
        (None, vec!["50"]),
        (Some("first"), vec!["50"]),
        (Some("best"), vec!["83.333333"]),
        (Some("last"), vec!["83.333333"]),
        (Some("all"), vec!["50", "83.333333"]),
    ] {
        let extra: Vec<&str> = which.map(|w| vec!["--attempts", w]).unwrap_or_default();
        let (out, err, code) = run(tq(d.path())
            .args(["export", "--exam", "final-assessment", "--allow-flagged"])
            .args(&extra));
        assert_eq!(code, 0, "{err}");
        let mut r = csv::Reader::from_reader(out.as_bytes());
        let h = r.headers().unwrap().clone();
        let col = |n: &str| h.iter().position(|x| x == n).unwrap();
        let (t, p) = (col("trainee"), col("percent"));
        let got: Vec<(String, String)> = r
            .records()
            .map(|x| {
                let x = x.unwrap();
                (x[t].to_owned(), x[p].to_owned())
            })
            .collect();
        let f: Vec<&str> = got
            .iter()
            .filter(|(n, _)| n == "Fahad")
            .map(|(_, p)| p.as_str())
            .collect();
        assert_eq!(f, fahad, "{which:?}: {out}");
        assert_eq!(
            got.iter().filter(|(n, _)| n == "Ghada").count(),
            1,
            "{which:?}"
        );
        // Hind's forgery is listed as flagged, with no score: never her forged 100%.
        assert!(
            got.iter()
                .filter(|(n, _)| n == "Hind")
                .all(|(_, p)| p.is_empty()),
            "{which:?}"
        );
    }
    let (_, err, code) = run(tq(d.path()).args(["export", "--attempts", "worst"]));
    assert_eq!(code, 2, "{err}");
    // History lists both of Fahad's attempts, marks the one that counts, and lists Hind's
    // flagged record as flagged.
    let (out, err, code) = run(tq(d.path()).args(["history", "--trainee", "Fahad"]));
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("final-assessment"))
        .collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].contains("(counts)") && !lines[1].contains("(counts)"),
        "{out}"
    );
    let (out, _, code) = run(tq(d.path()).args(["history", "--trainee", "Hind"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("flagged, not counted") && out.contains("stored score 30"),
        "{out}"
    );
}

// ---------- nobody missing: timed out, in progress, abandoned, close ----------

fn now_ms() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

/// Publish a progress file as a running `take` does.
fn progress(results: &Path, s: &Session) {
    use tipquiz::report::board::{PROGRESS_DIR, Progress};
    let p = Progress {
        trainee: s.state.trainee.clone(),
        exam_id: s.state.exam.id.clone(),
        exam_title: "Final assessment".into(),
        answered: s.len() - s.unanswered().len(),
        total: s.len(),
        started_at: s.state.started_at,
        deadline: s.state.deadline,
    };
    let dir = results.join(PROGRESS_DIR);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(Progress::file_name(&p.exam_id, &p.trainee)),
        serde_json::to_vec(&p).unwrap(),
    )
    .unwrap();
}

/// The export's rows as (trainee, end_reason, score).
fn export_rows(out: &str) -> Vec<(String, String, String)> {
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (t, e, s) = (col("trainee"), col("end_reason"), col("score"));
    let mut rows: Vec<(String, String, String)> = r
        .records()
        .map(|x| {
            let x = x.unwrap();
            (x[t].to_owned(), x[e].to_owned(), x[s].to_owned())
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn nobody_is_missing_and_close_records_an_abandoned_attempt_as_timed_out() {
    let lib = shipped();
    let exam = final_assessment();
    let d = tempfile::tempdir().unwrap();
    let results = d.path().join("results");
    let now = now_ms();
    // Submitted.
    let (s, end) = sit(
        &exam,
        &lib,
        "Iman",
        now - 3_000_000,
        &|_, q| Some((right(q), 5_000)),
        true,
    );
    commit(&results, &s, end, None);
    // Timed out: 12 answers, then the 40 minutes ran out.
    let (mut s, _) = sit(
        &exam,
        &lib,
        "Jamal",
        now - 2_900_000,
        &|i, q| (i < 12).then(|| (right(q), 5_000)),
        false,
    );
    let deadline = s.state.deadline.unwrap();
    s.tick(deadline + 1);
    commit(&results, &s, deadline + 1, None);
    // Still in progress: started ten minutes ago.
    let (s, _) = sit(
        &exam,
        &lib,
        "Khalid",
        now - 600_000,
        &|i, q| (i < 5).then(|| (right(q), 5_000)),
        false,
    );
    progress(&results, &s);
    // Abandoned with its autosave on this computer: 17 right, 50 minutes ago.
    let (s, _) = sit(
        &exam,
        &lib,
        "Lina",
        now - 3_000_000,
        &|i, q| (i < 17).then(|| (right(q), 5_000)),
        false,
    );
    progress(&results, &s);
    Store::new(d.path().join("data").join("autosave"))
        .autosave(&s.state)
        .unwrap();
    // Abandoned on another computer: only its progress file is here.
    let (s, _) = sit(
        &exam,
        &lib,
        "Maha",
        now - 3_100_000,
        &|i, q| (i < 3).then(|| (right(q), 5_000)),
        false,
    );
    progress(&results, &s);

    let (v, err, code) = report_json(d.path(), "final-assessment", &[]);
    assert_eq!(code, 0, "{err}");
    let st = &v["status"];
    let names = |k: &str| -> Vec<String> {
        st[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names("submitted"), ["Iman"]);
    assert_eq!(names("timed_out"), ["Jamal"]);
    assert_eq!(names("in_progress"), ["Khalid"]);
    assert_eq!(names("abandoned"), ["Lina", "Maha"]);
    assert!(names("flagged").is_empty());
    let (out, _, code) = run(tq(d.path()).args(["export", "--exam", "final-assessment"]));
    assert_eq!(code, 0);
    assert_eq!(
        export_rows(&out),
        [
            ("Iman".into(), "submitted".into(), "30".into()),
            ("Jamal".into(), "timed-out".into(), "12".into()),
            ("Khalid".into(), "in-progress".into(), String::new()),
            ("Lina".into(), "abandoned".into(), String::new()),
            ("Maha".into(), "abandoned".into(), String::new()),
        ]
    );
    let (out, _, _) =
        run(tq(d.path()).args(["report", "--exam", "final-assessment", "--width", "400"]));
    let hhmm = |t: i64| -> String {
        tipquiz::report::rfc3339_utc(t)
            .chars()
            .skip(11)
            .take(5)
            .collect()
    };
    assert!(
        out.contains(&format!(
            "abandoned (time over, no record: run `tipquiz close`) (2): Lina (started at {} UTC, no record), Maha (started at {} UTC, no record)",
            hhmm(now - 3_000_000),
            hhmm(now - 3_100_000)
        )),
        "{out}"
    );

    // The instructor closes the exam: Lina's attempt is recorded from her autosave as timed out
    // at her deadline with her 17 answers; Maha's cannot be reached from here and is named.
    let (out, err, code) = run(tq(d.path()).args(["close", "--exam", "final-assessment"]));
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("closed: Lina, timed out, 17/30"), "{out}");
    assert!(out.contains("abandoned, not recorded: Maha"), "{out}");
    assert!(
        out.contains("1 attempt(s) closed; 1 left without a record"),
        "{out}"
    );
    let (v, _, _) = report_json(d.path(), "final-assessment", &[]);
    assert_eq!(
        v["status"]["timed_out"],
        serde_json::json!(["Jamal", "Lina"])
    );
    assert_eq!(v["status"]["abandoned"], serde_json::json!(["Maha"]));
    assert_eq!(rows(&v)["Lina"].0, 17.0);
    let (out, _, _) = run(tq(d.path()).args(["export", "--exam", "final-assessment"]));
    assert!(export_rows(&out).contains(&("Lina".into(), "timed-out".into(), "17".into())));
    // Closing again records nothing twice.
    let (out, _, _) = run(tq(d.path()).args(["close", "--exam", "final-assessment"]));
    assert!(
        out.contains("0 attempt(s) closed; 1 left without a record"),
        "{out}"
    );
}

// ---------- exit codes and export hygiene ----------

#[test]
fn a_mistyped_exam_is_a_usage_error_naming_the_known_exams() {
    let d = tempfile::tempdir().unwrap();
    for cmd in [
        &["report", "--exam", "final-asessment"][..],
        &["export", "--exam", "final-asessment"][..],
    ] {
        let (_, err, code) = run(tq(d.path()).args(cmd));
        assert_eq!(code, 2, "{cmd:?}: {err}");
        assert!(
            err.contains("final-asessment") && err.contains("final-assessment"),
            "{err}"
        );
    }
    let (_, err, code) = run(tq(d.path()).args(["close", "--exam", "nope"]));
    assert_eq!(code, 2);
    assert!(err.contains("final-assessment"), "{err}");
}

#[test]
fn an_export_that_leaves_records_out_says_so_and_fails_unless_allowed() {
    let d = tempfile::tempdir().unwrap();
    let bank_path = d.path().join("drill.toml");
    let exam_path = d.path().join("drill-exam.toml");
    std::fs::write(&bank_path, PARTIAL_BANK).unwrap();
    std::fs::write(&exam_path, PARTIAL_EXAM).unwrap();
    let (bank, _) = parse_bank("drill.toml", PARTIAL_BANK);
    let lib = Library::build(vec![bank.unwrap()]).0;
    let mut exam = parse_exam("drill-exam.toml", PARTIAL_EXAM).0.unwrap();
    let results = d.path().join("results");
    let (s, end) = sit(
        &exam,
        &lib,
        "Partial Pat",
        T0,
        &|i, q| match (i, &q.kind) {
            (0, _) => Some((right(q), 4_000)),
            (1, Kind::Match { pairs }) => {
                let mut m: Vec<Option<usize>> = (0..pairs.len()).map(Some).collect();
                m[5] = None;
                Some((Response::Match(m), 9_000))
            }
            (3, _) => Some((wrong(q), 2_000)),
            _ => None,
        },
        true,
    );
    commit(&results, &s, end, None);
    // Without negative marking a wrong answer scores 0 (once stored as -0): never "-0".
    exam.scoring.negative_marking = 0.0;
    let (s, end) = sit(
        &exam,
        &lib,
        "Zero Zaid",
        T0 + 60_000,
        &|_, q| Some((wrong(q), 3_000)),
        true,
    );
    let mut zero = AttemptRecord::from_session(&s, &attempt_id(&s.state), end, "tipquiz test");
    assert!(
        zero.questions
            .iter()
            .all(|q| q.points.is_sign_positive() && q.points == 0.0)
    );
    zero.score = 1.0; // and its score forged
    Store::new(&results).commit(&zero, None).unwrap();
    let tq2 = || {
        let mut c = tq(d.path());
        c.args(["--only-given-banks", "--bank"])
            .arg(&bank_path)
            .arg("--bank")
            .arg(&exam_path);
        c
    };
    let (out, err, code) = run(tq2().args(["export", "--responses"]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("Zero Zaid (drill-exam--zero-zaid-"), "{err}");
    assert!(
        err.contains("1 record(s) were left out of the export"),
        "{err}"
    );
    assert!(
        out.contains(",0.833333,0.833333,1,partial,"),
        "rounded to 6 places: {out}"
    );
    assert!(out.contains(",-0.25,1,wrong,"), "{out}");
    let (out2, err, code) = run(tq2().args(["export", "--responses", "--allow-flagged"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, out2);
    let (out, _, code) = run(tq2().args(["export", "--allow-flagged"]));
    assert_eq!(code, 0);
    // Score, max, percent; then the pass mark; passed, why, status, flags, language.
    assert!(out.contains(",1.583333,5,31.666667,"), "{out}");
    assert!(out.contains(",false,overall,submitted,,en"), "{out}");
    // No export ever writes -0, with the forged record accepted too.
    std::fs::remove_file(
        std::fs::read_dir(&results)
            .unwrap()
            .filter_map(Result::ok)
            .find(|e| e.file_name().to_string_lossy().contains("zero-zaid"))
            .unwrap()
            .path(),
    )
    .unwrap();
    let (s, end) = sit(
        &exam,
        &lib,
        "Zero Zaid",
        T0 + 60_000,
        &|_, q| Some((wrong(q), 3_000)),
        true,
    );
    commit(&results, &s, end, None);
    let mut exam_file = PARTIAL_EXAM.replace("negative_marking = 0.25", "negative_marking = 0");
    exam_file = exam_file.replace("id = \"drill-exam\"", "id = \"drill-zero\"");
    let _ = exam_file;
    for args in [&["export"][..], &["export", "--responses"][..]] {
        let (out, _, _) = run(tq2().args(args).arg("--allow-flagged"));
        for line in out.lines() {
            for cell in line.split(',') {
                assert_ne!(cell, "-0", "{line}");
                assert!(!cell.starts_with("-0.0000") && cell != "-0.0", "{line}");
            }
        }
    }
}

// ---------- test statistics of random papers, per slot ----------

/// The shipped final assessment draws a different paper per trainee: alpha, SEM, skewness and
/// kurtosis are computed over its 30 slots (pool k, draw i), recomputed here from the records
/// and the draw, the plain way.
#[test]
fn random_papers_get_test_statistics_per_slot() {
    let lib = shipped();
    let exam = final_assessment();
    let d = tempfile::tempdir().unwrap();
    let results = d.path().join("results");
    let mut recs = Vec::new();
    for t in 0..24usize {
        let name = format!("Officer {t}");
        // Stronger trainees get more right, with some noise from the draw.
        let (s, end) = sit(
            &exam,
            &lib,
            &name,
            T0 + t as i64 * 60_000,
            &|i, q| {
                let ok = (i * 7 + t * 3) % 30 < 6 + t;
                Some((if ok { right(q) } else { wrong(q) }, 5_000))
            },
            true,
        );
        recs.push(commit(&results, &s, end, None));
    }
    // Papers really differ: not every question is on every paper.
    let first: std::collections::BTreeSet<&str> =
        recs[0].questions.iter().map(|q| q.qid.as_str()).collect();
    assert!(
        recs.iter()
            .any(|r| r.questions.iter().any(|q| !first.contains(q.qid.as_str())))
    );
    // Slot scores: for each trainee, the points of the question in slot (pool, draw), and the
    // questions that filled each slot.
    let mut slots: std::collections::BTreeMap<(usize, usize), Vec<f64>> = Default::default();
    let mut filled: std::collections::BTreeMap<(usize, usize), std::collections::BTreeSet<String>> =
        Default::default();
    for r in &recs {
        let drawn = tipquiz::quiz::draw_slots(&exam, &lib, seed_for(&exam.id, &r.trainee)).unwrap();
        let paper: Vec<&str> = drawn.iter().map(|(p, _)| p.qid.as_str()).collect();
        let recorded: Vec<&str> = r.questions.iter().map(|q| q.qid.as_str()).collect();
        assert_eq!(paper, recorded, "the draw gives the paper taken");
        for ((_, slot), q) in drawn.iter().zip(&r.questions) {
            slots.entry(*slot).or_default().push(q.points);
            filled.entry(*slot).or_default().insert(q.qid.clone());
        }
    }
    assert_eq!(slots.len(), 30);
    let n = recs.len() as f64;
    let var = |v: &[f64]| {
        let m = v.iter().sum::<f64>() / v.len() as f64;
        v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() as f64 - 1.0)
    };
    let totals: Vec<f64> = (0..recs.len())
        .map(|a| slots.values().map(|s| s[a]).sum())
        .collect();
    let k = 30.0;
    let alpha = k / (k - 1.0) * (1.0 - slots.values().map(|s| var(s)).sum::<f64>() / var(&totals));
    let sd = var(&totals).sqrt();
    let mean = totals.iter().sum::<f64>() / n;
    let m = |p: i32| totals.iter().map(|x| (x - mean).powi(p)).sum::<f64>() / n;
    let k2 = n * m(2) / (n - 1.0);
    let skew = n * n * m(3) / ((n - 1.0) * (n - 2.0)) / k2.powf(1.5);
    let k4 = n * n * ((n + 1.0) * m(4) - 3.0 * (n - 1.0) * m(2) * m(2))
        / ((n - 1.0) * (n - 2.0) * (n - 3.0));

    let (v, err, code) = report_json(d.path(), "final-assessment", &[]);
    assert_eq!(code, 0, "{err}");
    let t = &v["test"];
    let near = |key: &str, want: f64| {
        let got = t[key].as_f64().unwrap_or_else(|| panic!("{key}: {t}"));
        assert!((got - want).abs() < 1e-9, "{key}: {got} != {want}");
    };
    assert_eq!(t["basis"], "slots");
    assert_eq!(t["items"], 30);
    assert_eq!(t["excluded"], 0);
    assert!(alpha > 0.5, "a test with some reliability: {alpha}");
    near("alpha", alpha);
    near("sd", sd);
    near("mean", mean);
    near("error_ratio", 100.0 * (1.0 - alpha).sqrt());
    near("sem", (1.0 - alpha).sqrt() * sd);
    near("skewness", skew);
    near("kurtosis", k4 / (k2 * k2));
    assert_eq!(t["min_attempts_for_flags"], 10);
    // One row per slot, as Moodle shows a random question: facility, SD and the correlation
    // with the rest of the test of whichever question filled the slot, recomputed here.
    let rows = v["slots"].as_array().unwrap();
    assert_eq!(rows.len(), 30);
    let pearson = |x: &[f64], y: &[f64]| {
        let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
        let c: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
        let vx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
        let vy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
        c / (vx * vy).sqrt()
    };
    let mut several = 0;
    for row in rows {
        let slot = (
            row["pool"].as_u64().unwrap() as usize - 1,
            row["draw"].as_u64().unwrap() as usize - 1,
        );
        let x = &slots[&slot];
        assert_eq!(row["attempts"], 24);
        assert_eq!(
            row["questions"].as_u64().unwrap() as usize,
            filled[&slot].len()
        );
        several += usize::from(filled[&slot].len() > 1);
        let fac = x.iter().sum::<f64>() / n * 100.0;
        assert!(
            (row["facility"].as_f64().unwrap() - fac).abs() < 1e-9,
            "{row}"
        );
        let sd = var(x).sqrt() * 100.0;
        assert!((row["sd"].as_f64().unwrap() - sd).abs() < 1e-9, "{row}");
        if sd > 0.0 {
            let rest: Vec<f64> = totals.iter().zip(x).map(|(t, p)| t - p).collect();
            let d = pearson(x, &rest) * 100.0;
            assert!(
                (row["discrimination"].as_f64().unwrap() - d).abs() < 1e-9,
                "{row}: {d}"
            );
        }
        assert_eq!(
            row["topic"].as_str(),
            exam.pools[slot.0].topic.as_deref(),
            "{row}"
        );
    }
    assert!(
        several >= 20,
        "random papers: most slots hold several questions"
    );
    let (out, _, _) = run(tq(d.path()).args(["report", "--exam", "final-assessment"]));
    assert!(
        out.contains("over the 30 slots of the exam's papers"),
        "{out}"
    );
    assert!(out.contains("Slots of the random papers"), "{out}");
    assert!(out.contains("pool 1 #1"), "{out}");
    let (csv_out, _, _) =
        run(tq(d.path()).args(["report", "--exam", "final-assessment", "--format", "csv"]));
    assert!(
        csv_out.contains("\nslots\npool,draw,topic,questions,attempts,"),
        "{csv_out}"
    );
    assert!(
        out.contains("Questions are flagged only with at least 10 attempts."),
        "{out}"
    );
}

// ---------- names ----------

/// A name with a control or text-direction character, or of 10,000 characters, is refused at
/// every entry point (exit 2, nothing written); a record carrying one (written by hand) is
/// flagged, its name shown escaped in the table.
#[test]
fn hostile_trainee_names_are_refused_and_flagged() {
    let d = tempfile::tempdir().unwrap();
    let long = "a".repeat(10_000);
    for name in [
        "x\u{1b}]0;pwned\u{7}",
        "Sara\nK",
        "\u{202E}evil",
        long.as_str(),
        "  ",
    ] {
        for args in [
            vec![
                "take",
                "--topic",
                "indicators",
                "--count",
                "2",
                "--trainee",
                name,
            ],
            vec!["history", "--trainee", name],
        ] {
            let (_, err, code) = run(tq(d.path()).args(&args));
            assert_eq!(code, 2, "{args:?}: {err}");
            assert!(err.contains("trainee name"), "{err}");
            assert!(
                !err.contains('\u{1b}') && !err.contains('\u{202E}'),
                "{err:?}"
            );
        }
    }
    assert!(!d.path().join("results").exists(), "nothing written");
    // A record with such a name, written without tipquiz's checks: flagged, shown escaped.
    let lib = shipped();
    let exam = final_assessment();
    let (s, end) = sit(
        &exam,
        &lib,
        "Mona",
        T0,
        &|_, q| Some((right(q), 4_000)),
        true,
    );
    let mut r = AttemptRecord::from_session(&s, &attempt_id(&s.state), end, "tipquiz test");
    r.trainee = "Mona\u{1b}[2J".into();
    Store::new(d.path().join("results"))
        .commit(&r, None)
        .unwrap();
    // Another trainee hands in the same answers at the same times: the reason names Mona.
    let mut copy = r.clone();
    copy.trainee = "Nada".into();
    copy.attempt_id = "copy-of-mona".into();
    Store::new(d.path().join("results"))
        .commit(&copy, None)
        .unwrap();
    let (v, _, _) = report_json(d.path(), "final-assessment", &[]);
    assert!(
        reasons_of(&v, "Mona\u{1b}[2J").contains("the trainee name cannot be used"),
        "{v}"
    );
    // JSON carries the name as the record gives it (JSON-escaped, raw once parsed), never the
    // terminal's escaped form; the table shows it neutralised.
    let nada = reasons_of(&v, "Nada");
    assert!(
        nada.contains("same answers at the same times as the attempt of Mona\u{1b}[2J"),
        "{nada:?}"
    );
    assert!(!nada.contains("\\u{1b}"), "{nada:?}");
    let (out, _, _) = run(tq(d.path()).args(["report", "--exam", "final-assessment"]));
    assert!(!out.contains('\u{1b}'), "{out:?}");
    assert!(
        out.contains("same answers at the same times as the attempt of Mona\\u{1b}[2J"),
        "{out}"
    );
}

// ---------- start markers: a killed attempt is listed by name ----------

/// The start markers in a results folder, parsed.
#[cfg(unix)]
fn markers_in(results: &Path) -> Vec<serde_json::Value> {
    let mut v: Vec<serde_json::Value> = std::fs::read_dir(results)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".started--"))
        .map(|e| serde_json::from_slice(&std::fs::read(e.path()).unwrap()).unwrap())
        .collect();
    v.sort_by_key(|m| m["started_at"].as_i64());
    v
}

/// A names list of the report's `status`.
fn status_names(v: &serde_json::Value, k: &str) -> Vec<String> {
    v["status"][k]
        .as_array()
        .unwrap_or_else(|| panic!("no status.{k}: {v}"))
        .iter()
        .map(|x| x.as_str().unwrap().to_owned())
        .collect()
}

/// `take` writes a start marker when the exam starts. Killed (`kill -9`) mid-exam, the trainee
/// is listed by name, with the start, as abandoned once the time is over (in progress before);
/// without the progress file, as "record missing"; started again after the autosave was
/// deleted, on the clock of the first start (so timed out at once), one start and one record. An Arabic name's marker is named by its hash and the trainee
/// is listed by name. The marker never shows up as a bad record.
#[cfg(unix)] // tmux
#[test]
fn a_killed_attempt_is_listed_by_name_from_its_start_marker() {
    if crate::skip_without("tmux") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let results = d.path().join("results");
    let take = |name: &str| {
        format!(
            "env TIPQUIZ_DATA={} TIPQUIZ_RESULTS={} LANG=C.UTF-8 {} --lang en take --topic indicators --count 3 --mode exam --time 6s --trainee '{name}'",
            d.path().join("data").display(),
            results.display(),
            env!("CARGO_BIN_EXE_tipquiz"),
        )
    };
    let kill = |t: &crate::tmux::Tmux, session: &str| {
        let out = crate::tmux()
            .args(["list-panes", "-t", session, "-F", "#{pane_pid}"])
            .output()
            .unwrap();
        let pid = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        let ok = std::process::Command::new("kill")
            .args(["-9", &pid])
            .status()
            .unwrap();
        assert!(ok.success(), "kill -9 {pid}");
        t.wait_for("");
    };
    for (session, name) in [("tq-mark-1", "Sara K"), ("tq-mark-2", "سارة علي")] {
        let t = crate::tmux::Tmux::start(session, &take(name), 100, 30);
        t.wait_for("Question 1 / 3");
        t.keys(&["1", "Tab"]);
        t.wait_for("Question 2 / 3");
        kill(&t, session);
    }
    let marks = markers_in(&results);
    assert_eq!(marks.len(), 2, "{marks:?}");
    let files: Vec<String> = std::fs::read_dir(&results)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".started--"))
        .collect();
    assert!(
        files.iter().any(|f| f.contains("--sara-k-")) && files.iter().any(|f| f.contains("--t-")),
        "{files:?}"
    );
    let exam = marks[0]["exam_id"].as_str().unwrap().to_owned();
    // Before the deadline: both in progress, by name.
    let (v, err, code) = report_json(d.path(), &exam, &[]);
    let deadline = marks
        .iter()
        .map(|m| m["deadline"].as_i64().unwrap())
        .max()
        .unwrap();
    if now_ms() < deadline {
        assert_eq!(code, 0, "{err}");
        assert_eq!(status_names(&v, "in_progress"), ["Sara K", "سارة علي"]);
    }
    while now_ms() <= deadline + 200 {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    // After it: abandoned, with the start; in the table, the JSON and the export.
    let (v, err, code) = report_json(d.path(), &exam, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(status_names(&v, "abandoned"), ["Sara K", "سارة علي"]);
    assert!(v["bad"].as_array().unwrap().is_empty(), "{v}");
    let unrec = v["status"]["unrecorded"].as_array().unwrap();
    assert_eq!(unrec.len(), 2);
    for m in &marks {
        assert!(
            unrec.iter().any(|u| u["trainee"] == m["trainee"]
                && u["started_at"] == m["started_at"]
                && u["attempt_id"] == m["attempt_id"]
                && u["standing"] == "abandoned"),
            "{unrec:?}"
        );
    }
    let hhmm: String = tipquiz::report::rfc3339_utc(marks[0]["started_at"].as_i64().unwrap())
        .chars()
        .skip(11)
        .take(5)
        .collect();
    let (table, _, _) = run(tq(d.path()).args(["report", "--exam", &exam, "--width", "400"]));
    assert!(
        table.contains(&format!("Sara K (started at {hhmm} UTC, no record)")),
        "{table}"
    );
    let (out, err, code) = run(tq(d.path()).args(["export", "--exam", &exam]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        export_rows(&out),
        [
            ("Sara K".into(), "abandoned".into(), String::new()),
            ("سارة علي".into(), "abandoned".into(), String::new()),
        ]
    );
    assert!(
        out.contains(marks[0]["attempt_id"].as_str().unwrap()),
        "{out}"
    );

    // Without its progress file (and no record): record missing.
    let progress_dir = results.join(tipquiz::report::board::PROGRESS_DIR);
    for e in std::fs::read_dir(&progress_dir).unwrap() {
        let e = e.unwrap();
        if e.file_name().to_string_lossy().contains("sara-k") {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    let (v, _, _) = report_json(d.path(), &exam, &[]);
    assert_eq!(status_names(&v, "record_missing"), ["Sara K"]);
    assert_eq!(status_names(&v, "abandoned"), ["سارة علي"]);

    // Sara's autosave deleted, she starts the same exam again: the clock is that of her first
    // start (its marker), not a fresh one, so the attempt is over at once and recorded as timed
    // out, with the first start. One start, one record: not "started twice".
    let autosave = d.path().join("data").join("autosave");
    for e in std::fs::read_dir(&autosave).unwrap() {
        let e = e.unwrap();
        if e.file_name().to_string_lossy().contains("sara-k") {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    let t = crate::tmux::Tmux::start("tq-mark-3", &take("Sara K"), 100, 30);
    t.wait_for("Saved:");
    t.keys(&["q"]);
    drop(t);
    let (v, err, code) = report_json(d.path(), &exam, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(status_names(&v, "timed_out"), ["Sara K"]);
    assert!(status_names(&v, "started_twice").is_empty(), "{v}");
    assert!(status_names(&v, "record_missing").is_empty(), "{v}");
    assert_eq!(rows(&v).len(), 1);
    let sara = marks.iter().find(|m| m["trainee"] == "Sara K").unwrap();
    let recs = tipquiz::record::Store::new(&results).load().records;
    assert_eq!(recs.len(), 1);
    assert_eq!(
        Some(recs[0].1.started_at),
        sara["started_at"].as_i64(),
        "the record keeps the first start"
    );
}

// ---------- a whole class day ----------

/// The issue's "done when", in one class: the instructor's final assessment with speed points,
/// partial credit and negative marking, records sealed with the instructor key as they are
/// written, top scorers (29 and 28 of 30), a retake, a timeout, an abandoned attempt (its start
/// marker and progress file, the trainee gone), a deleted record (its start marker left), and
/// three forgeries (an edited score resealed without the key, a copy of a top scorer's record
/// under another name, sealed with the key, and a lowered pass mark sealed with the key). Every
/// genuine attempt counts with its exact score, every forgery is flagged by name, report,
/// export, history and board agree, and every trainee is in a list.
#[test]
fn a_class_day_counts_every_genuine_attempt_flags_every_forgery_and_misses_nobody() {
    use tipquiz::record::StartMarker;
    use tipquiz::report::Which;
    use tipquiz::report::board::Board;
    let lib = shipped();
    let text = include_str!("../../questions/exams/final-assessment.toml")
        .replace("speed_points = false", "speed_points = true")
        .replace("negative_marking = 0 ", "negative_marking = 0.25 ");
    let exam = parse_exam("final-assessment.toml", &text).0.unwrap();
    assert!(exam.scoring.speed_points && exam.scoring.partial_credit);
    assert_eq!(exam.scoring.negative_marking, 0.25);
    let d = tempfile::tempdir().unwrap();
    let exam_file = d.path().join("final-assessment.toml");
    std::fs::write(&exam_file, &text).unwrap();
    let key_file = d.path().join("instructor.key");
    let key: &[u8] = b"the course's instructor key, kept off the trainees' machines";
    std::fs::write(&key_file, key).unwrap();
    let results = d.path().join("results");
    let store = Store::new(&results);
    let mark = |s: &Session| {
        store
            .mark_started(&StartMarker::of(&s.state, "tipquiz test"), true)
            .unwrap();
    };
    let now = now_ms();
    let morning = now - 5 * 3_600_000;
    // A partly right response, where the question allows one.
    let partly = |q: &Question| -> Option<Response> {
        match &q.kind {
            Kind::Multiple { answers, .. } if answers.len() > 1 => {
                Some(Response::Choices(answers[..1].to_vec()))
            }
            Kind::Match { pairs } if pairs.len() > 2 => Some(Response::Match(
                (0..pairs.len()).map(|i| (i == 0).then_some(0)).collect(),
            )),
            _ => None,
        }
    };
    // The first k right, the rest wrong, except question `part` partly right; answer times
    // vary, so speed points make every score fractional.
    let answers = |k: usize, part: Option<usize>| {
        move |i: usize, q: &Question| -> Option<(Response, i64)> {
            let at = 2_000 + 731 * (i as i64 % 11);
            if Some(i) == part {
                return Some((partly(q).unwrap(), at));
            }
            Some((if i < k { right(q) } else { wrong(q) }, at))
        }
    };
    let sit_and_commit = |name: &str, start: i64, k: usize, part: Option<usize>| {
        let (s, end) = sit(&exam, &lib, name, start, &answers(k, part), true);
        mark(&s);
        commit(&results, &s, end, Some(key))
    };
    let amal = sit_and_commit("Amal", morning, 29, None);
    // Badr: 28 right, one partly right, one wrong.
    let paper = tipquiz::quiz::draw(&exam, &lib, seed_for(&exam.id, "Badr")).unwrap();
    let part = paper
        .iter()
        .position(|it| partly(lib.question(&it.qid).unwrap()).is_some())
        .expect("a question that can be partly right");
    let badr_answers = |i: usize, q: &Question| -> Option<(Response, i64)> {
        let at = 2_500 + 577 * (i as i64 % 13);
        let wrong_at = if part == 29 { 28 } else { 29 };
        Some(if i == part {
            (partly(q).unwrap(), at)
        } else if i == wrong_at {
            (wrong(q), at)
        } else {
            (right(q), at)
        })
    };
    let (s, end) = sit(&exam, &lib, "Badr", morning + 60_000, &badr_answers, true);
    mark(&s);
    let badr = commit(&results, &s, end, Some(key));
    assert_eq!(
        badr.questions
            .iter()
            .filter(|q| q.verdict == tipquiz::quiz::Verdict::Right)
            .count(),
        28
    );
    assert!(
        badr.questions
            .iter()
            .any(|q| q.verdict == tipquiz::quiz::Verdict::Partial),
        "Badr has partial credit"
    );
    assert!(
        amal.questions.iter().any(|q| q.points == -0.25),
        "a penalty"
    );
    let camil_first = sit_and_commit("Camil", morning + 120_000, 15, None);
    let camil_retake = sit_and_commit("Camil", morning + 3_600_000, 27, None);
    // Dana runs out of time after 12 answers.
    let (mut s, _) = sit(
        &exam,
        &lib,
        "Dana",
        morning + 180_000,
        &|i, q| (i < 12).then(|| (right(q), 4_000)),
        false,
    );
    mark(&s);
    let deadline = s.state.deadline.unwrap();
    s.tick(deadline + 1);
    let dana = commit(&results, &s, deadline + 1, Some(key));
    // Emad's terminal is killed 50 minutes ago with 5 answers: his marker and progress file.
    let (s, _) = sit(
        &exam,
        &lib,
        "Emad",
        now - 3_000_000,
        &|i, q| (i < 5).then(|| (right(q), 4_000)),
        false,
    );
    mark(&s);
    progress(&results, &s);
    // Fadi failed and deleted his record; his marker stays.
    let fadi = sit_and_commit("Fadi", morning + 240_000, 8, None);
    std::fs::remove_file(results.join(Store::record_name(&fadi))).unwrap();
    // Ghazi raises his score and lets tipquiz seal the record again, without the key.
    let (s, end) = sit(
        &exam,
        &lib,
        "Ghazi",
        morning + 300_000,
        &answers(10, None),
        true,
    );
    mark(&s);
    let mut ghazi = AttemptRecord::from_session(&s, &attempt_id(&s.state), end, "tipquiz test");
    ghazi.score = 27.0;
    ghazi.percent = 90.0;
    ghazi.passed = true;
    store.commit(&ghazi, None).unwrap();
    // Hala hands in Amal's record under her own name, sealed with the key.
    let mut hala = amal.clone();
    hala.trainee = "Hala".into();
    hala.attempt_id = "0123456789abcdef".into();
    store.commit(&hala, Some(key)).unwrap();
    // Iman lowers the pass mark of her failed record, sealed with the key.
    let (s, end) = sit(
        &exam,
        &lib,
        "Iman",
        morning + 360_000,
        &answers(17, None),
        true,
    );
    mark(&s);
    let mut iman = AttemptRecord::from_session(&s, &attempt_id(&s.state), end, "tipquiz test");
    assert!(!iman.passed);
    iman.pass_mark = 50.0;
    iman.passed = true;
    store.commit(&iman, Some(key)).unwrap();

    let tq_key = || {
        let mut c = tq(d.path());
        c.env("TIPQUIZ_KEY_FILE", &key_file)
            .arg("--bank")
            .arg(&exam_file);
        c
    };
    let (out, err, code) =
        run(tq_key().args(["report", "--exam", "final-assessment", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // Every genuine attempt counts, with its exact score (the first of Camil's by default).
    let counted = rows(&v);
    let want = [
        ("Amal", &amal),
        ("Badr", &badr),
        ("Camil", &camil_first),
        ("Dana", &dana),
    ];
    assert_eq!(
        counted.keys().map(String::as_str).collect::<Vec<_>>(),
        want.map(|(n, _)| n),
        "{v}"
    );
    for (name, rec) in want {
        assert_eq!(counted[name].0, rec.score, "{name}");
        assert!(
            rec.score.fract() != 0.0,
            "{name}: speed points: {}",
            rec.score
        );
    }
    assert!(
        amal.questions
            .iter()
            .filter(|q| q.verdict == tipquiz::quiz::Verdict::Right)
            .count()
            == 29
    );
    // Every forgery is flagged by name, with its reason; nobody else is.
    for (name, why) in [
        ("Ghazi", "signature does not match"),
        (
            "Hala",
            "same answers at the same times as the attempt of Amal",
        ),
        ("Hala", "the paper drawn for this name"),
        ("Iman", "the pass mark is 50 in the record but 70"),
    ] {
        assert!(reasons_of(&v, name).contains(why), "{name}: {why}: {v}");
    }
    let mut flagged_names: Vec<String> = flagged(&v).into_iter().map(|(n, _)| n).collect();
    flagged_names.dedup();
    assert_eq!(flagged_names, ["Ghazi", "Hala", "Iman"]);
    // Nobody is missing: every trainee is in a list, in the right one.
    assert_eq!(status_names(&v, "submitted"), ["Amal", "Badr", "Camil"]);
    assert_eq!(status_names(&v, "timed_out"), ["Dana"]);
    assert_eq!(status_names(&v, "abandoned"), ["Emad"]);
    assert_eq!(status_names(&v, "record_missing"), ["Fadi"]);
    assert_eq!(status_names(&v, "flagged"), ["Ghazi", "Hala", "Iman"]);
    assert!(status_names(&v, "in_progress").is_empty());
    assert!(
        status_names(&v, "started_twice").is_empty(),
        "a retake is not a restart"
    );
    // The retake counts under --attempts best and last.
    for which in ["best", "last"] {
        let (out, _, _) = run(tq_key().args([
            "report",
            "--exam",
            "final-assessment",
            "--format",
            "json",
            "--attempts",
            which,
        ]));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(rows(&v)["Camil"].0, camil_retake.score, "{which}");
    }
    // The export has the same attempts, and a row for Emad and Fadi; it says it left three out.
    let (out, err, code) = run(tq_key().args(["export", "--exam", "final-assessment"]));
    assert_eq!(code, 1, "{err}");
    for name in ["Ghazi", "Hala", "Iman"] {
        assert!(err.contains(name), "{name}: {err}");
    }
    let got = export_rows(&out);
    let reasons: Vec<(&str, &str)> = got
        .iter()
        .map(|(n, e, _)| (n.as_str(), e.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            ("Amal", "submitted"),
            ("Badr", "submitted"),
            ("Camil", "submitted"),
            ("Dana", "timed-out"),
            ("Emad", "abandoned"),
            ("Fadi", "record-missing"),
            // The flagged records are listed, with why in `flags` and no score.
            ("Ghazi", "flagged"),
            ("Hala", "flagged"),
            ("Iman", "flagged"),
        ]
    );
    assert!(
        got.iter()
            .filter(|(_, e, _)| e == "flagged")
            .all(|(_, _, score)| score.is_empty())
    );
    let (_, _, code) =
        run(tq_key().args(["export", "--exam", "final-assessment", "--allow-flagged"]));
    assert_eq!(code, 0);
    // History marks the attempt the report counts.
    let (out, err, code) = run(tq_key().args(["history", "--trainee", "Camil"]));
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("final-assessment"))
        .collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].contains("(counts)") && !lines[1].contains("(counts)"),
        "{out}"
    );
    // The board ranks the same attempts and flags the same trainees.
    let mut board = Board::new(&results, Some("final-assessment".into())).checked(
        lib.clone(),
        vec![exam.clone()],
        Some(key.to_vec()),
        Which::First,
    );
    board.refresh();
    let mut ranked: Vec<(String, Option<f64>)> = board
        .rows()
        .into_iter()
        .filter(|r| r.percent.is_some())
        .map(|r| (r.trainee, r.percent))
        .collect();
    ranked.sort_by(|a, b| a.0.cmp(&b.0));
    let mut from_report: Vec<(String, Option<f64>)> = counted
        .iter()
        .map(|(n, (_, p, _))| (n.clone(), Some(*p)))
        .collect();
    from_report.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(ranked, from_report);
    let mut board_flagged: Vec<String> =
        board.flagged().iter().map(|b| b.trainee.clone()).collect();
    board_flagged.sort();
    board_flagged.dedup();
    assert_eq!(board_flagged, ["Ghazi", "Hala", "Iman"]);
}
