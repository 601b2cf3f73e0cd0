//! Shared set-up for the benchmarks: the generated bank, result folders, a quiz on screen.
#![allow(dead_code)]

pub mod genbank;

use std::fs::File;
use std::os::fd::FromRawFd as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tipquiz::bank::{Library, load_shipped, parse_bank};
use tipquiz::exam::{ExamDef, Mode};
use tipquiz::quiz::{Action, Response, Session};
use tipquiz::record::{AttemptRecord, Store, attempt_id};
use tipquiz::text::Lang;
use tipquiz::tui::app::{App, Prefs, Screen};

/// A fixed clock origin (ms since the epoch).
pub const T0: i64 = 1_800_000_000_000;

/// Questions in the generated bank.
pub const BANK_QUESTIONS: usize = 10_000;

/// Result files in the generated results folder.
pub const RESULT_FILES: usize = 10_000;

const EVERY: &str = include_str!("../../tests/fixtures/valid/every-type.toml");

/// Where the benchmarks keep their data (inside the target directory, on local disk).
#[must_use]
pub fn data_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("tipquiz-bench");
    std::fs::create_dir_all(&d).expect("create bench data dir");
    d
}

/// The generated 10,000-question bank, written once and reused.
#[must_use]
pub fn bank_file() -> PathBuf {
    let p = data_dir().join(format!("bank-{BANK_QUESTIONS}.toml"));
    let text = genbank::bank(BANK_QUESTIONS);
    if std::fs::read_to_string(&p).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(&p, text).expect("write bank");
    }
    p
}

/// The shipped banks as a library.
#[must_use]
pub fn shipped_lib() -> Library {
    Library::build(load_shipped().0).0
}

/// The one-of-every-type test bank, which the result records answer.
#[must_use]
pub fn sample_lib() -> Library {
    Library::build(vec![
        parse_bank("every-type.toml", EVERY).0.expect("sample bank"),
    ])
    .0
}

/// The exam the benchmark's records are attempts at (loaded by the report, so that each record
/// is checked against it: the paper drawn for the name, the rules, the score).
#[must_use]
pub fn exam() -> ExamDef {
    let mut e = ExamDef::quick(&[], 6, Some(600), Mode::Exam);
    e.shuffle_questions = false;
    e.shuffle_choices = false;
    e
}

/// A finished attempt by `trainee` started at `start` with four answers (as in the test suite),
/// on the paper [`exam`] draws for the name.
#[must_use]
pub fn finished(lib: &Library, trainee: &str, start: i64) -> Session {
    finished_at(&exam(), lib, trainee, start, 4)
}

/// [`finished`] on the paper `e` draws for the name, with `n` answers: the four above given in
/// turn (one that does not fit its question's type leaves it blank; [`record_of`] gives each
/// question one of each type, the one that fits it kept).
#[must_use]
pub fn finished_at(e: &ExamDef, lib: &Library, trainee: &str, start: i64, n: usize) -> Session {
    let seed = tipquiz::quiz::seed_for(&e.id, trainee);
    let mut s = Session::start(e, lib, trainee, seed, Lang::En, start).expect("session");
    let given = [
        Response::Choice(0),
        Response::Choices(vec![0, 2]),
        Response::Bool(false),
        Response::Text("15".into()),
    ];
    for (i, r) in given.into_iter().cycle().take(n).enumerate() {
        let t = start + 1000 * (i as i64 + 1);
        s.update(Action::Answer(r), t);
        s.update(Action::Next, t + 500);
    }
    s.update(Action::Submit, start + 60_000.max(1000 * (n as i64 + 2)));
    s
}

/// A sealed record of a finished attempt.
#[must_use]
pub fn record(lib: &Library, trainee: &str, start: i64) -> AttemptRecord {
    let s = finished(lib, trainee, start);
    AttemptRecord::from_session(&s, &attempt_id(&s.state), start + 60_000, "tipquiz bench")
}

/// A record of an attempt at a paper of `questions` questions of the generated bank `lib`
/// (every question answered), for measuring the instructor's commands on papers of a real
/// exam's length.
#[must_use]
pub fn record_of(lib: &Library, questions: usize, trainee: &str, start: i64) -> AttemptRecord {
    let mut e = ExamDef::quick(
        &[genbank::TOPIC.to_owned()],
        questions,
        Some(3600),
        Mode::Exam,
    );
    e.shuffle_choices = false;
    let seed = tipquiz::quiz::seed_for(&e.id, trainee);
    let mut s = Session::start(&e, lib, trainee, seed, Lang::En, start).expect("session");
    for i in 0..questions {
        let t = start + 1000 * (i as i64 + 1);
        for r in [
            Response::Choice(i % 3),
            Response::Choices(vec![0, 1 + i % 2]),
            Response::Bool(i % 2 == 0),
        ] {
            s.update(Action::Answer(r), t);
        }
        s.update(Action::Next, t + 500);
    }
    s.update(
        Action::Submit,
        start + 60_000.max(1000 * (questions as i64 + 2)),
    );
    let end = start + 60_000.max(1000 * (questions as i64 + 2));
    AttemptRecord::from_session(&s, &attempt_id(&s.state), end, "tipquiz bench")
}

/// Write `n` result files into `dir` (without syncs: this is set-up, not the measured commit),
/// one trainee per record.
pub fn write_records(lib: &Library, dir: &Path, first: usize, n: usize) -> Vec<PathBuf> {
    write_records_of(lib, dir, first, n, None)
}

/// [`write_records`], the records shared among `trainees` trainees when given (record `i` is
/// trainee `i % trainees`'s, each attempt a minute after the one before).
pub fn write_records_of(
    lib: &Library,
    dir: &Path,
    first: usize,
    n: usize,
    trainees: Option<usize>,
) -> Vec<PathBuf> {
    write_papers_of(lib, None, dir, first, n, trainees)
}

/// [`write_records_of`]; with `questions`, each record an attempt at a paper of that many
/// questions of the generated bank `lib` ([`record_of`]).
pub fn write_papers_of(
    lib: &Library,
    questions: Option<usize>,
    dir: &Path,
    first: usize,
    n: usize,
    trainees: Option<usize>,
) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).expect("results dir");
    (first..first + n)
        .map(|i| {
            let who = trainees.map_or(i, |t| i % t.max(1));
            let (name, start) = (format!("trainee {who:05}"), T0 + i as i64 * 61_000);
            let mut r = match questions {
                Some(q) => record_of(lib, q, &name, start),
                None => record(lib, &name, start),
            };
            r.seal(None);
            let p = dir.join(Store::record_name(&r));
            // The file's exact bytes, as the store writes them: the checksum covers these bytes.
            std::fs::write(&p, r.file_bytes().expect("record bytes")).expect("write");
            p
        })
        .collect()
}

/// A results folder holding exactly `RESULT_FILES` records, made once and reused.
#[must_use]
pub fn results_dir(lib: &Library) -> PathBuf {
    // Version 3: files written as the store writes them (version 2 wrote a re-serialisation,
    // which the checksum over the exact bytes rejects; version 1 used one seed for every record).
    for old in ["results", "results-v2"] {
        let _ = std::fs::remove_dir_all(data_dir().join(format!("{old}-{RESULT_FILES}")));
    }
    let dir = data_dir().join(format!("results-v3-{RESULT_FILES}"));
    let count = std::fs::read_dir(&dir).map_or(0, |rd| {
        rd.filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
            .count()
    });
    if count != RESULT_FILES {
        let _ = std::fs::remove_dir_all(&dir);
        write_records(lib, &dir, 0, RESULT_FILES);
    }
    dir
}

/// An app showing the first question of a 5-question timed quiz on `topic`.
#[must_use]
pub fn quiz_app(lib: Arc<Library>, topic: &str, lang: Lang, autosaves: &Path) -> App {
    let mut app = App::new(
        lib,
        Vec::new(),
        &Prefs::default(),
        lang,
        Store::new(autosaves),
    );
    app.form_mut().trainee = "bench".to_owned();
    app.fixed_exam = Some(ExamDef::quick(
        &[topic.to_owned()],
        5,
        Some(600),
        Mode::Exam,
    ));
    let _ = app.start(T0);
    assert!(matches!(app.screen, Screen::Quiz(_)), "quiz screen");
    app
}

/// A pseudo-terminal of `cols` x `rows`: (master, slave).
pub fn open_pty(cols: u16, rows: u16) -> (File, File) {
    // SAFETY: standard posix_openpt sequence; every return value is checked.
    unsafe {
        let m = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
        assert!(m >= 0, "posix_openpt");
        assert_eq!(libc::grantpt(m), 0, "grantpt");
        assert_eq!(libc::unlockpt(m), 0, "unlockpt");
        let mut name = [0 as libc::c_char; 128];
        assert_eq!(libc::ptsname_r(m, name.as_mut_ptr(), name.len()), 0);
        let s = libc::open(name.as_ptr(), libc::O_RDWR | libc::O_NOCTTY);
        assert!(s >= 0, "open pty slave");
        let ws = libc::winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        libc::ioctl(m, libc::TIOCSWINSZ, &raw const ws);
        (File::from_raw_fd(m), File::from_raw_fd(s))
    }
}
