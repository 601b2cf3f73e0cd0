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
    let o = c.output().unwrap();
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
    let (v, err, code) = report_json(d.path(), "final-assessment", &[]);
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
