//! Records and the results store: round trip, atomic commits under concurrency and SIGKILL,
//! hostile names, the board's incremental refresh, and integrity flags on altered records.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write as _};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use tipquiz::bank::{Library, parse_bank};
use tipquiz::exam::{ExamDef, Mode};
use tipquiz::quiz::{Action, Response, Session};
use tipquiz::record::{AttemptRecord, Store, attempt_id, read_record, trainee_slug};
use tipquiz::report::board::{Board, PROGRESS_DIR, Progress};
use tipquiz::report::integrity::{Problem, check_records};
use tipquiz::text::Lang;

const EVERY: &str = include_str!("../fixtures/valid/every-type.toml");
const T0: i64 = 1_800_000_000_000;

fn lib() -> Library {
    Library::build(vec![parse_bank("every-type.toml", EVERY).0.unwrap()]).0
}

/// A finished attempt by `trainee` started at `start`, with a few answers.
pub fn finished(lib: &Library, trainee: &str, start: i64, answers: usize) -> Session {
    let mut e = ExamDef::quick(&[], 6, Some(600), Mode::Exam);
    e.shuffle_questions = false;
    e.shuffle_choices = false;
    let mut s = Session::start(&e, lib, trainee, 9, Lang::En, start).unwrap();
    let given = [
        Response::Choice(0),
        Response::Choices(vec![0, 2]),
        Response::Bool(false),
        Response::Text("15".into()),
    ];
    for (i, r) in given.into_iter().take(answers).enumerate() {
        s.update(Action::Answer(r), start + 1000 * (i as i64 + 1));
        s.update(Action::Next, start + 1000 * (i as i64 + 1) + 500);
    }
    s.update(Action::Submit, start + 60_000);
    s
}

/// The checks of a class read with no exam loaded and no instructor key.
fn bare_rules(lib: &Library) -> tipquiz::report::integrity::Rules<'_> {
    tipquiz::report::integrity::Rules {
        lib,
        exams: &[],
        key: None,
    }
}

fn record(lib: &Library, trainee: &str, start: i64) -> AttemptRecord {
    let s = finished(lib, trainee, start, 4);
    AttemptRecord::from_session(&s, &attempt_id(&s.state), start + 60_000, "tipquiz test")
}

#[test]
fn a_record_round_trips_and_holds_what_an_audit_needs() {
    let lib = lib();
    let r = record(&lib, "Sara", T0);
    assert!(r.checksum_ok());
    assert_eq!(
        r.score, 4.0,
        "single 1 + multiple 1 + true-false 0 (answered false) + short 2"
    );
    let d = tempfile::tempdir().unwrap();
    let store = Store::new(d.path());
    let path = store.commit(&r, None).unwrap();
    let back = read_record(&path).unwrap();
    assert_eq!(back, r);
    assert_eq!(back.questions.len(), 6);
    assert_eq!(back.questions[0].history.len(), 1);
    assert!(back.banks.contains_key("sample"));
    assert_eq!(back.rescore(&lib), Some(back.score));
    assert_eq!(
        store.commit(&r, None).unwrap(),
        path,
        "committing the same attempt again is harmless"
    );
    let mut other = r.clone();
    other.score = 0.0;
    other.seal(None);
    // A record is never overwritten: another record of the same attempt is kept beside it.
    let beside = store.commit(&other, None).unwrap();
    assert_ne!(beside, path, "a record is never overwritten");
    assert_eq!(read_record(&path).unwrap(), r);
    std::fs::remove_file(&beside).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("quick-all--sara-") && name.ends_with(".json"),
        "{name}"
    );
}

#[test]
fn autosave_is_replaced_in_place_and_removed_when_recorded() {
    let lib = lib();
    let d = tempfile::tempdir().unwrap();
    let store = Store::new(d.path());
    let s = finished(&lib, "Omar", T0, 2);
    store.autosave(&s.state).unwrap();
    store.autosave(&s.state).unwrap();
    assert_eq!(store.all_autosaves().len(), 1);
    assert_eq!(
        store.load_autosave(&s.state.exam.id, "omar").unwrap(),
        s.state
    );
    store.remove_autosave(&s.state.exam.id, "Omar").unwrap();
    assert!(store.load_autosave(&s.state.exam.id, "Omar").is_none());
}

#[test]
fn bad_files_are_reported_by_name_and_left_in_place() {
    let lib = lib();
    let d = tempfile::tempdir().unwrap();
    let store = Store::new(d.path());
    store.commit(&record(&lib, "Good", T0), None).unwrap();
    let good = std::fs::read_to_string(
        std::fs::read_dir(d.path())
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path(),
    )
    .unwrap();
    std::fs::write(d.path().join("truncated.json"), &good[..good.len() / 2]).unwrap();
    std::fs::write(d.path().join("foreign.json"), "{\"name\": \"not ours\"}").unwrap();
    std::fs::write(
        d.path().join("future.json"),
        good.replacen("\"schema\": 2", "\"schema\": 99", 1),
    )
    .unwrap();
    std::fs::write(d.path().join("notes.txt"), "hello").unwrap();
    std::fs::write(d.path().join(".tmp-x.part"), "partial").unwrap();
    let loaded = store.load();
    assert_eq!(loaded.records.len(), 1);
    let bad: Vec<&str> = loaded.bad.iter().map(|b| b.file.as_str()).collect();
    assert_eq!(
        bad,
        ["foreign.json", "future.json", "notes.txt", "truncated.json"]
    );
    assert!(loaded.bad[1].reason.en().contains("newer tipquiz"));
    assert!(d.path().join("truncated.json").exists(), "never deleted");
}

#[test]
fn fifty_hostile_trainee_names_land_inside_the_folder_and_none_is_overwritten() {
    let lib = lib();
    let d = tempfile::tempdir().unwrap();
    let store = Store::new(d.path().join("results"));
    let mut names: Vec<String> = vec![
        "../../etc/passwd".into(),
        "..".into(),
        ".".into(),
        "/".into(),
        "a/b\\c".into(),
        "CON".into(),
        "nul".into(),
        "com1".into(),
        "".into(),
        " ".into(),
        "\u{1b}[2J".into(),
        "\u{202e}evil".into(),
        "x\0y".into(),
        "a\nb".into(),
        "*?<>|\"".into(),
        "~root".into(),
        "$(rm -rf /)".into(),
        "`id`".into(),
        "%s%n".into(),
        "名前".into(),
        "أحمد".into(),
        "محمد".into(),
        "😀".into(),
        "e\u{301}".into(),
        "é".into(),
        "A".repeat(500),
        "-rf".into(),
        "--help".into(),
        ".hidden".into(),
        "file.json".into(),
        "x".into(),
        "X".into(),
    ];
    for i in 0..20 {
        names.push(format!("../{}", "x/".repeat(i)));
    }
    assert!(names.len() >= 50);
    let mut paths = HashSet::new();
    for (i, n) in names.iter().enumerate() {
        let r = record(&lib, n, T0 + i as i64);
        let p = store.commit(&r, None).unwrap();
        assert_eq!(
            p.parent().unwrap(),
            d.path().join("results"),
            "{n:?} escaped: {p:?}"
        );
        assert!(paths.insert(p));
        let slug = trainee_slug(n);
        assert!(slug.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    }
    assert_eq!(store.load().records.len(), names.len());
    assert_eq!(
        std::fs::read_dir(d.path()).unwrap().count(),
        1,
        "nothing written outside the results folder"
    );
}

#[test]
fn the_board_updates_on_a_new_file_without_rereading_unchanged_ones() {
    let lib = lib();
    let d = tempfile::tempdir().unwrap();
    let store = Store::new(d.path());
    for (i, n) in ["Alia", "Badr", "Carla"].iter().enumerate() {
        store.commit(&record(&lib, n, T0 + i as i64), None).unwrap();
    }
    let mut b = Board::new(d.path(), None);
    assert!(b.refresh());
    assert_eq!(b.reads, 3);
    assert_eq!(b.rows().len(), 3);
    assert!(!b.refresh(), "nothing changed");
    assert_eq!(b.reads, 3, "unchanged files are not read again");
    store.commit(&record(&lib, "Dana", T0 + 10), None).unwrap();
    std::fs::create_dir_all(d.path().join(PROGRESS_DIR)).unwrap();
    let p = Progress {
        trainee: "Emad".into(),
        exam_id: "quick-all".into(),
        exam_title: "Quick quiz".into(),
        answered: 2,
        total: 6,
        started_at: T0,
        deadline: None,
    };
    std::fs::write(
        d.path()
            .join(PROGRESS_DIR)
            .join(Progress::file_name("quick-all", "Emad")),
        serde_json::to_vec(&p).unwrap(),
    )
    .unwrap();
    assert!(b.refresh());
    assert_eq!(b.reads, 5, "only the two new files were read");
    let rows = b.rows();
    assert_eq!(rows.len(), 5);
    assert_eq!(
        rows[4].progress,
        Some((2, 6)),
        "attempts in progress come last"
    );
    assert!(rows[..4].iter().all(|r| r.percent.is_some()));
    assert!(!b.topic_means().is_empty());
}

fn alter(r: &AttemptRecord, what: usize) -> (AttemptRecord, &'static str) {
    let mut x = r.clone();
    match what % 7 {
        0 => {
            x.score += 1.0;
            x.seal(None);
            (x, "score")
        }
        1 => {
            x.questions[2].response = Some(Response::Bool(true));
            x.seal(None);
            (x, "score")
        }
        2 => {
            x.percent = 100.0;
            (x, "checksum")
        }
        3 => (x, "duplicate"),
        4 => {
            x.banks.insert("sample".into(), "0".repeat(64));
            x.seal(None);
            (x, "changed")
        }
        5 => {
            x.ended_at = x.started_at - 5;
            x.seal(None);
            (x, "timing")
        }
        _ => {
            x.banks.insert("other-bank".into(), "1".repeat(64));
            x.seal(None);
            (x, "not loaded")
        }
    }
}

#[test]
fn a_hundred_altered_records_are_all_flagged_and_none_dropped() {
    let lib = lib();
    let mut all = Vec::new();
    for i in 0..100 {
        let r = record(&lib, &format!("trainee {i}"), T0 + i as i64 * 100_000);
        all.push((format!("orig-{i}.json"), r.clone()));
        let (x, _) = alter(&r, i);
        all.push((format!("altered-{i}.json"), x));
    }
    let problems = check_records(&all, &lib, None);
    assert_eq!(problems.len(), 200, "none silently dropped");
    for (i, p) in problems.iter().enumerate() {
        if i % 2 == 0 {
            assert!(p.is_empty(), "original {} flagged: {p:?}", i / 2);
        } else {
            let (_, kind) = alter(&all[i - 1].1, i / 2);
            let text: Vec<String> = p.iter().map(Problem::describe).collect();
            assert!(
                !p.is_empty() && text.iter().any(|t| t.contains(kind)),
                "altered {} ({kind}) not flagged: {text:?}",
                i / 2
            );
        }
    }
    // Tampering and truncation of files on disk.
    let d = tempfile::tempdir().unwrap();
    let store = Store::new(d.path());
    let p = store.commit(&all[0].1, None).unwrap();
    let body = std::fs::read_to_string(&p).unwrap();
    std::fs::write(d.path().join("truncated.json"), &body[..body.len() - 10]).unwrap();
    let loaded = store.load();
    assert_eq!(loaded.bad.len(), 1);
}

#[test]
fn an_instructor_key_signs_records_and_detects_forgery() {
    let lib = lib();
    let mut r = record(&lib, "Sara", T0);
    r.seal(Some(b"secret key"));
    assert!(r.signature_ok(b"secret key"));
    let files = vec![("a.json".to_owned(), r.clone())];
    assert!(check_records(&files, &lib, Some(b"secret key"))[0].is_empty());
    let mut forged = r.clone();
    forged.score = 7.0;
    forged.seal(None);
    let files = vec![("b.json".to_owned(), forged)];
    assert!(check_records(&files, &lib, Some(b"secret key"))[0].contains(&Problem::BadSignature));
}

// ---------- many processes ----------

/// Child-process mode: when `TIPQUIZ_TEST_WRITER` names a folder, this test writes records
/// there forever (or `TIPQUIZ_TEST_COUNT` of them) and prints `ack <file>` after each commit.
#[test]
fn writer_child() {
    let Some(dir) = std::env::var_os("TIPQUIZ_TEST_WRITER") else {
        return;
    };
    let id: String = std::env::var("TIPQUIZ_TEST_ID").unwrap_or_default();
    let count: usize = std::env::var("TIPQUIZ_TEST_COUNT")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(usize::MAX);
    let lib = lib();
    let store = Store::new(dir);
    let template = record(&lib, "template", T0);
    let mut out = std::io::stdout().lock();
    for i in 0..count {
        let mut r = template.clone();
        r.trainee = format!("writer {id} #{i}");
        r.attempt_id = format!("{id}x{i:06}");
        r.seal(None);
        let p = store.commit(&r, None).unwrap();
        writeln!(out, "ack {}", p.file_name().unwrap().to_string_lossy()).unwrap();
        out.flush().unwrap();
    }
}

fn spawn_writer(dir: &Path, id: &str, count: Option<usize>) -> Child {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args([
        "--exact",
        "records::writer_child",
        "--nocapture",
        "--test-threads",
        "1",
        "-q",
    ])
    .env("TIPQUIZ_TEST_WRITER", dir)
    .env("TIPQUIZ_TEST_ID", id)
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    if let Some(n) = count {
        c.env("TIPQUIZ_TEST_COUNT", n.to_string());
    }
    // Starting sixteen copies of this (large) test binary at once can fail for a moment under
    // Wine (CreateProcess answered "Internal error", 1359, in one CI run): such a start is tried
    // again, as what is tested here is the writing of records, not the starting of processes.
    let mut tries = 0;
    loop {
        match c.spawn() {
            Ok(child) => return child,
            Err(e) if tries < 5 && e.kind() != std::io::ErrorKind::NotFound => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(200 * tries));
            }
            Err(e) => panic!("cannot start a writer process after {tries} retries: {e}"),
        }
    }
}

fn acks(child: Child) -> Vec<String> {
    let out = child.wait_with_output().unwrap();
    BufReader::new(&out.stdout[..])
        .lines()
        .map_while(Result::ok)
        .filter_map(|l| l.strip_prefix("ack ").map(str::to_owned))
        .collect()
}

fn check_folder(dir: &Path, acked: &[String]) -> usize {
    let store = Store::new(dir);
    let loaded = store.load();
    assert!(
        loaded.bad.is_empty(),
        "unreadable records: {:?}",
        loaded.bad
    );
    for r in &loaded.records {
        assert!(r.1.checksum_ok(), "{} is not intact", r.0);
    }
    let names: HashSet<&str> = loaded.records.iter().map(|r| r.0.as_str()).collect();
    for a in acked {
        assert!(
            names.contains(a.as_str()),
            "acknowledged record {a} is missing"
        );
    }
    loaded.records.len()
}

#[test]
fn sixteen_processes_finish_attempts_into_one_folder_at_once() {
    let d = tempfile::tempdir().unwrap();
    let kids: Vec<Child> = (0..16)
        .map(|i| spawn_writer(d.path(), &format!("p{i}"), Some(5)))
        .collect();
    let acked: Vec<String> = kids.into_iter().flat_map(acks).collect();
    assert_eq!(acked.len(), 80);
    assert_eq!(check_folder(d.path(), &acked), 80);
}

#[test]
fn writers_killed_at_random_points_lose_no_acknowledged_record_and_leave_none_unreadable() {
    let d = tempfile::tempdir().unwrap();
    let mut rng: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut live: Vec<Child> = (0..4)
        .map(|i| spawn_writer(d.path(), &format!("k{i}"), None))
        .collect();
    let mut acked = Vec::new();
    let mut kills = 0;
    let mut generation = 4;
    while kills < 100 {
        std::thread::sleep(std::time::Duration::from_millis(5 + next() % 25));
        let i = usize::try_from(next() % 4).unwrap();
        let mut victim = live.swap_remove(i);
        victim.kill().unwrap();
        acked.extend(acks(victim));
        kills += 1;
        live.push(spawn_writer(d.path(), &format!("k{generation}"), None));
        generation += 1;
    }
    for mut c in live {
        c.kill().unwrap();
        acked.extend(acks(c));
    }
    let n = check_folder(d.path(), &acked);
    eprintln!(
        "fault test: {kills} SIGKILLs, {} acknowledged, {n} records intact, 0 unreadable",
        acked.len()
    );
    assert!(n >= acked.len());
}

#[test]
fn eight_writers_times_a_thousand_records() {
    let d = tempfile::tempdir().unwrap();
    let start = std::time::Instant::now();
    let kids: Vec<Child> = (0..8)
        .map(|i| spawn_writer(d.path(), &format!("w{i}"), Some(1000)))
        .collect();
    let acked: Vec<String> = kids.into_iter().flat_map(acks).collect();
    assert_eq!(acked.len(), 8000);
    assert_eq!(check_folder(d.path(), &acked), 8000);
    eprintln!(
        "8 writers x 1000 records: 8000 distinct intact records in {:.1} s",
        start.elapsed().as_secs_f64()
    );
}

#[test]
fn a_write_error_at_any_step_is_reported_and_never_shown_as_saved() {
    use tipquiz::record::{Step, inject_fault};
    use tipquiz::tui::run::{commit_attempt, recover};
    let lib = lib();
    // The results folder is made when the quiz starts, never by the commit (a share that
    // dropped must not be made again on the local disk): folder creation is not a step here.
    for step in [
        Step::CreateTemp,
        Step::Write,
        Step::SyncFile,
        Step::Rename,
        Step::SyncDir,
    ] {
        let d = tempfile::tempdir().unwrap();
        let places = crate::resume::places(d.path(), &d.path().join("results"));
        std::fs::create_dir(&places.results.dir).unwrap();
        let s = finished(&lib, &format!("fault {step:?}"), T0, 3);
        places.autosaves.autosave(&s.state).unwrap();
        // Started here: its start marker, as the start writes it.
        tipquiz::tui::host::mark_started(&places, &s).unwrap();
        inject_fault(Some(step));
        let err = commit_attempt(&places, &s, T0 + 61_000).expect_err("the commit must fail");
        inject_fault(None);
        assert!(err.contains("injected fault"), "{step:?}: {err}");
        let kept = places.pending.all_autosaves().len() + places.autosaves.all_autosaves().len();
        assert!(kept >= 1, "{step:?}: the attempt is kept on local disk");
        if step != Step::SyncDir {
            assert!(
                places.results.load().records.is_empty(),
                "{step:?}: nothing half-written counts as a record"
            );
        }
        let done = recover(&places, &lib, &[], T0 + 70_000, tipquiz::text::Lang::En);
        assert!(
            done.waiting.is_empty() && done.set_aside.is_empty(),
            "{step:?}: {done:?}"
        );
        let ok = done.saved;
        assert_eq!(
            places.results.load().records.len(),
            1,
            "{step:?}: recover wrote it exactly once ({ok:?})"
        );
        assert!(
            places.pending.all_autosaves().is_empty()
                && places.autosaves.all_autosaves().is_empty()
        );
    }
}

/// What is synced before the first question: the first save of an attempt nobody has answered
/// yet and the preferences are written whole but not synced (a failing sync does not touch
/// them); a save with an answer in it, and a finished attempt with none, are synced (a failing
/// sync fails them).
#[test]
fn only_saves_holding_something_the_trainee_gave_wait_for_the_disk() {
    use tipquiz::record::{Step, inject_fault};
    let lib = lib();
    let d = tempfile::tempdir().unwrap();
    let store = Store::new(d.path().join("autosave"));
    let mut e = ExamDef::quick(&[], 6, Some(600), Mode::Exam);
    e.shuffle_questions = false;
    let mut s = Session::start(&e, &lib, "Sync Test", 9, Lang::En, T0).unwrap();
    for step in [Step::SyncFile, Step::SyncDir] {
        inject_fault(Some(step));
        let fresh = store.autosave(&s.state);
        inject_fault(None);
        let p = fresh.unwrap_or_else(|e| panic!("{step:?}: the unanswered save waited: {e}"));
        let back: tipquiz::quiz::Attempt =
            serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
        assert_eq!(back.trainee, "Sync Test", "{step:?}: written whole");
        let prefs = d.path().join("prefs").join("prefs.json");
        inject_fault(Some(step));
        tipquiz::tui::host::save_prefs(&prefs, &tipquiz::tui::app::Prefs::default());
        inject_fault(None);
        assert!(prefs.is_file(), "{step:?}: preferences written");
    }
    s.update(Action::Answer(Response::Choice(0)), T0 + 1_000);
    for step in [Step::SyncFile, Step::SyncDir] {
        inject_fault(Some(step));
        let answered = store.autosave(&s.state);
        inject_fault(None);
        assert!(
            answered.is_err_and(|e| e.to_string().contains("injected fault")),
            "{step:?}: a save with an answer must be synced"
        );
    }
    let empty = finished(&lib, "Sync Empty", T0, 0);
    inject_fault(Some(Step::SyncFile));
    let done = store.autosave(&empty.state);
    inject_fault(None);
    assert!(
        done.is_err(),
        "a finished attempt is synced even with no answer"
    );
}

/// The start marker of an attempt started on the screens (whose host has a worker) is written
/// whole into the results folder and beside the autosaves before the first question, and its
/// sync is left to the worker: a sync failing on the loop's thread does not touch it. A host
/// without a worker syncs it at once, so there the same failing sync is said to the trainee.
#[test]
fn the_start_marker_waits_for_no_sync_before_the_first_question_on_the_screens() {
    use tipquiz::record::{MARKER_PREFIX, Step, inject_fault};
    use tipquiz::tui::app::{App, Prefs};
    use tipquiz::tui::host::{Host, Saver};
    let markers = |dir: &Path| {
        std::fs::read_dir(dir).map_or(0, |rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().starts_with(MARKER_PREFIX))
                .count()
        })
    };
    for worker in [true, false] {
        let d = tempfile::tempdir().unwrap();
        let p = crate::resume::places(d.path(), &d.path().join("results"));
        std::fs::create_dir(&p.results.dir).unwrap();
        let mut a = App::new(
            std::sync::Arc::new(lib()),
            Vec::new(),
            &Prefs::default(),
            Lang::En,
            p.autosaves.clone(),
        );
        a.fixed_exam = Some(ExamDef::quick(&[], 3, Some(600), Mode::Exam));
        a.places = Some(p.clone());
        a.form_mut().trainee = "Marker Test".into();
        let mut h = Host::new(p.clone()).with_clock(|| T0);
        if worker {
            h = h.with_saver(Saver::start());
        }
        let fx = a.start(T0);
        inject_fault(Some(Step::SyncFile));
        h.execute(&mut a, &fx, T0);
        inject_fault(None);
        h.flush();
        let said = a.message.clone().unwrap_or_default();
        if worker {
            assert!(!said.contains("injected fault"), "with a worker: {said}");
            assert_eq!(
                markers(&p.results.dir),
                1,
                "the marker in the results folder"
            );
            assert_eq!(
                markers(&p.autosaves.dir),
                1,
                "its copy beside the autosaves"
            );
        } else {
            assert!(
                said.contains("injected fault"),
                "without a worker: {said:?}"
            );
            assert_eq!(markers(&p.results.dir), 0, "no marker that was not synced");
        }
    }
}

/// The checksum is SHA-256 of the exact bytes of the file before its last two members (the
/// checksum and the signature), and the signature HMAC-SHA256 with the key over that digest: both
/// computed here independently of the program, from the file as written.
#[test]
fn the_checksum_covers_the_exact_bytes_written() {
    use hmac::{KeyInit, Mac};
    use sha2::Digest as _;
    let lib = lib();
    let d = tempfile::tempdir().unwrap();
    let store = Store::new(d.path());
    for (i, key) in [None, Some(b"instructor key".as_slice())]
        .into_iter()
        .enumerate()
    {
        let r = record(&lib, &format!("Seal {i}"), T0 + i as i64);
        let p = store.commit(&r, key).unwrap();
        let bytes = std::fs::read(&p).unwrap();
        let needle = b",\n  \"checksum\": \"";
        let cut = bytes
            .windows(needle.len())
            .rposition(|w| w == needle)
            .unwrap();
        let digest = sha2::Sha256::digest(&bytes[..cut]);
        let want = hex::encode(digest);
        let sig = key.map_or_else(String::new, |k| {
            let mut m = hmac::Hmac::<sha2::Sha256>::new_from_slice(k).unwrap();
            m.update(&digest);
            hex::encode(m.finalize().into_bytes())
        });
        assert_eq!(
            String::from_utf8_lossy(&bytes[cut..]),
            format!(",\n  \"checksum\": \"{want}\",\n  \"signature\": \"{sig}\"\n}}\n")
        );
        let (back, seal) = tipquiz::record::read_record_sealed(&p).unwrap();
        assert!(seal.checksum_ok);
        assert_eq!(
            key.is_some_and(|k| seal.signature_ok(&back, k)),
            key.is_some()
        );
        // One byte of white space more: the same record when parsed, but not the bytes written.
        let mut spaced = bytes.clone();
        spaced.insert(2, b' ');
        std::fs::write(&p, &spaced).unwrap();
        let (same, seal) = tipquiz::record::read_record_sealed(&p).unwrap();
        assert_eq!(same, back);
        assert!(!seal.checksum_ok);
    }
}

#[test]
fn the_unit_is_sealed_with_the_record_and_records_of_earlier_versions_still_load() {
    use sha2::Digest as _;
    let lib = lib();
    let d = tempfile::tempdir().unwrap();
    let store = Store::new(d.path());
    let key = b"instructor key".as_slice();
    // A record without a unit says so.
    let plain = record(&lib, "No Unit", T0);
    assert_eq!(plain.unit, None);
    let p0 = store.commit(&plain, Some(key)).unwrap();
    let bytes0 = std::fs::read_to_string(&p0).unwrap();
    assert!(bytes0.contains("\"unit\": null"), "{bytes0}");
    // A record file of the version before units: the same bytes without the unit member,
    // sealed over them as that version did. It loads, whole, with no unit.
    let old_body = bytes0.replacen("  \"unit\": null,\n", "", 1);
    assert_ne!(old_body, bytes0);
    let cut = old_body.rfind(",\n  \"checksum\": \"").unwrap();
    let digest = hex::encode(sha2::Sha256::digest(&old_body.as_bytes()[..cut]));
    let old = format!(
        "{},\n  \"checksum\": \"{digest}\",\n  \"signature\": \"\"\n}}\n",
        &old_body[..cut]
    );
    let old_dir = tempfile::tempdir().unwrap();
    std::fs::write(old_dir.path().join("old.json"), &old).unwrap();
    let loaded = Store::new(old_dir.path()).load();
    assert!(loaded.bad.is_empty(), "{:?}", loaded.bad);
    assert!(loaded.seals[0].checksum_ok);
    assert_eq!(loaded.records[0].1.unit, None);
    // Schema 1 sealed the record re-serialised, compactly, with no unit member either.
    let mut legacy = record(&lib, "Old Schema", T0 + 100_000);
    legacy.schema = 1;
    legacy.checksum = String::new();
    let compact = serde_json::to_string(&legacy)
        .unwrap()
        .replacen(",\"unit\":null", "", 1);
    legacy.checksum = hex::encode(sha2::Sha256::digest(compact.as_bytes()));
    assert!(legacy.checksum_ok());
    // A unit added to such a record afterwards breaks its seal.
    legacy.unit = Some("Port security".to_owned());
    assert!(!legacy.checksum_ok());
    // An Arabic unit is kept, and the checksum and the signature cover it.
    let mut s = finished(&lib, "نورة سالم الهاجري", T0 + 500_000, 3);
    s.state.unit = Some("خفر السواحل".to_owned());
    let with = AttemptRecord::from_session(&s, "unit-1", T0 + 900_000, "tipquiz test");
    let p1 = store.commit(&with, Some(key)).unwrap();
    let bytes1 = std::fs::read_to_string(&p1).unwrap();
    assert!(bytes1.contains("\"unit\": \"خفر السواحل\""), "{bytes1}");
    for p in [&p0, &p1] {
        let (back, seal) = tipquiz::record::read_record_sealed(p).unwrap();
        assert!(seal.checksum_ok);
        assert!(seal.signature_ok(&back, key));
    }
    let (back, _) = tipquiz::record::read_record_sealed(&p1).unwrap();
    assert_eq!(back.unit.as_deref(), Some("خفر السواحل"));
    // Another unit written over it (same length in bytes): the checksum no longer holds.
    std::fs::write(&p1, bytes1.replace("خفر السواحل", "أمن المنافذ")).unwrap();
    let (forged, seal) = tipquiz::record::read_record_sealed(&p1).unwrap();
    assert_eq!(forged.unit.as_deref(), Some("أمن المنافذ"));
    assert!(!seal.checksum_ok);
    // A unit made to look like another with a direction override is flagged by the report.
    let mut bad = record(&lib, "Bidi Unit", T0 + 2_000_000);
    bad.unit = Some("Port\u{202E}ytiruces".to_owned());
    bad.seal(None);
    let problems = check_records(&[("bad.json".to_owned(), bad)], &lib, None);
    let text: Vec<String> = problems[0].iter().map(Problem::describe).collect();
    assert!(
        text.iter()
            .any(|t| t.contains("unit cannot be used") && t.contains("U+202E")),
        "{text:?}"
    );
}

// ---------- the results index ----------

mod index {
    use super::{T0, lib, record};
    use std::path::Path;
    use std::time::{Duration, SystemTime};
    use tipquiz::bank::{Library, parse_bank};
    use tipquiz::record::{Store, index_path, load_indexed};
    use tipquiz::report::integrity::{Problem, check_records, check_records_known};

    /// A results folder with `n` good records, a truncated one and a stray text file.
    fn folder(n: usize) -> (tempfile::TempDir, Store) {
        let lib = lib();
        let d = tempfile::tempdir().unwrap();
        let store = Store::new(d.path());
        for i in 0..n {
            store
                .commit(
                    &record(&lib, &format!("trainee {i}"), T0 + i as i64 * 100_000),
                    None,
                )
                .unwrap();
        }
        let first = std::fs::read_dir(d.path())
            .unwrap()
            .next()
            .unwrap()
            .unwrap();
        let body = std::fs::read_to_string(first.path()).unwrap();
        std::fs::write(d.path().join("truncated.json"), &body[..body.len() / 2]).unwrap();
        std::fs::write(d.path().join("notes.txt"), "not a record").unwrap();
        (d, store)
    }

    /// Make the index look written a minute from now, so that no file counts as changed in
    /// the same tick as the index (the racy case is tested on its own).
    fn age(index: &Path) {
        std::fs::File::options()
            .write(true)
            .open(index)
            .unwrap()
            .set_modified(SystemTime::now() + Duration::from_secs(60))
            .unwrap();
    }

    fn names(v: &[(String, tipquiz::record::AttemptRecord)]) -> Vec<&str> {
        v.iter().map(|(n, _)| n.as_str()).collect()
    }

    #[test]
    fn unchanged_files_come_from_the_index_and_give_what_reading_them_gives() {
        let (d, store) = folder(20);
        let cache = tempfile::tempdir().unwrap();
        let idx = index_path(cache.path(), d.path());
        let full = store.load();
        let first = load_indexed(d.path(), &idx, Some(&lib()));
        assert_eq!(first.read, 20, "no index yet: every record is read");
        assert!(idx.is_file(), "the index is written");
        age(&idx);
        let second = load_indexed(d.path(), &idx, Some(&lib()));
        assert_eq!(second.read, 0, "nothing changed: nothing is read");
        for got in [&first, &second] {
            assert_eq!(got.loaded.records, full.records);
            assert!(got.known.iter().all(|k| k.seal.checksum_ok));
            let bad: Vec<&str> = got.loaded.bad.iter().map(|b| b.file.as_str()).collect();
            assert_eq!(bad, ["notes.txt", "truncated.json"], "bad files every time");
        }
    }

    #[test]
    fn every_integrity_flag_is_the_same_through_the_index() {
        let lib = lib();
        let (d, store) = folder(7);
        for (i, (_, r)) in store.load().records.iter().enumerate() {
            let (x, _) = super::alter(r, i);
            std::fs::write(
                d.path().join(format!("altered-{i}.json")),
                x.file_bytes().unwrap(),
            )
            .unwrap();
        }
        let full = store.load();
        let want = check_records(&full.records, &lib, None);
        assert!(
            want.iter().filter(|p| !p.is_empty()).count() >= 7,
            "{want:?}"
        );
        let cache = tempfile::tempdir().unwrap();
        let idx = index_path(cache.path(), d.path());
        for pass in 0..2 {
            let got = load_indexed(d.path(), &idx, Some(&lib));
            assert_eq!(got.read, if pass == 0 { 14 } else { 0 });
            assert_eq!(got.loaded.records, full.records);
            let problems = check_records_known(&got.loaded.records, &got.known, &lib, None);
            assert_eq!(problems, want, "pass {pass}");
            age(&idx);
        }
        // Re-scored totals kept in the index are not used once a bank changed.
        let other = Library::build(vec![
            parse_bank(
                "every-type.toml",
                &super::EVERY.replace("title =", "# changed\ntitle ="),
            )
            .0
            .unwrap(),
        ])
        .0;
        let got = load_indexed(d.path(), &idx, Some(&lib));
        assert_eq!(
            check_records_known(&got.loaded.records, &got.known, &other, None),
            check_records(&full.records, &other, None)
        );
    }

    #[test]
    fn a_record_edited_in_place_with_its_old_times_restored_is_read_again_and_flagged() {
        let (d, store) = folder(5);
        let cache = tempfile::tempdir().unwrap();
        let idx = index_path(cache.path(), d.path());
        let _ = load_indexed(d.path(), &idx, Some(&lib()));
        age(&idx);
        let (name, _) = store.load().records[2].clone();
        let path = d.path().join(&name);
        let meta = std::fs::metadata(&path).unwrap();
        let body = std::fs::read_to_string(&path).unwrap();
        let forged = body.replacen("\"score\": 4.0", "\"score\": 5.0", 1);
        assert_ne!(forged, body);
        assert_eq!(forged.len(), body.len(), "same size");
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&path, forged).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_times(
                std::fs::FileTimes::new()
                    .set_modified(meta.modified().unwrap())
                    .set_accessed(meta.accessed().unwrap()),
            )
            .unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().modified().unwrap(),
            meta.modified().unwrap()
        );
        let got = load_indexed(d.path(), &idx, Some(&lib()));
        assert_eq!(got.read, 1, "only the edited file is read");
        let ok: Vec<bool> = got.known.iter().map(|k| k.seal.checksum_ok).collect();
        assert_eq!(ok, [true, true, false, true, true]);
        let problems = check_records_known(&got.loaded.records, &got.known, &lib(), None);
        assert!(problems[2].contains(&Problem::Checksum), "{problems:?}");
        assert!(
            problems
                .iter()
                .enumerate()
                .all(|(i, p)| i == 2 || p.is_empty())
        );
    }

    #[test]
    fn files_changed_close_to_the_index_write_are_read_again() {
        let (d, _) = folder(10);
        let cache = tempfile::tempdir().unwrap();
        let idx = index_path(cache.path(), d.path());
        let _ = load_indexed(d.path(), &idx, Some(&lib()));
        // Not aged: every file changed within two seconds of the index being written.
        assert_eq!(load_indexed(d.path(), &idx, Some(&lib())).read, 10);
    }

    #[test]
    fn new_and_removed_files_are_seen_and_a_damaged_index_is_rebuilt() {
        let (d, store) = folder(6);
        let cache = tempfile::tempdir().unwrap();
        let idx = index_path(cache.path(), d.path());
        let _ = load_indexed(d.path(), &idx, Some(&lib()));
        age(&idx);
        let gone = store.load().records[0].0.clone();
        std::fs::remove_file(d.path().join(&gone)).unwrap();
        store
            .commit(&record(&lib(), "late comer", T0 + 99_000_000), None)
            .unwrap();
        let got = load_indexed(d.path(), &idx, Some(&lib()));
        assert_eq!(got.read, 1, "only the new file is read");
        assert_eq!(names(&got.loaded.records), names(&store.load().records));
        assert!(!names(&got.loaded.records).contains(&gone.as_str()));
        // Damaged in every way we can think of: the result is the same, read from the files.
        let good = std::fs::read(&idx).unwrap();
        for damaged in [
            Vec::new(),
            b"garbage".to_vec(),
            good[..good.len() / 2].to_vec(),
            [good.as_slice(), b"tail"].concat(),
            good.iter().map(|b| b ^ 0x55).collect(),
        ] {
            std::fs::write(&idx, &damaged).unwrap();
            age(&idx);
            let got = load_indexed(d.path(), &idx, Some(&lib()));
            assert_eq!(got.read, 6, "a damaged index is not used");
            assert_eq!(got.loaded.records, store.load().records);
            age(&idx);
            assert_eq!(
                load_indexed(d.path(), &idx, Some(&lib())).read,
                0,
                "and it is rebuilt"
            );
        }
    }

    #[test]
    fn a_chunk_of_records_that_does_not_match_its_checksum_is_read_from_the_files_and_rebuilt() {
        let (d, store) = folder(6);
        let cache = tempfile::tempdir().unwrap();
        let idx = index_path(cache.path(), d.path());
        let _ = load_indexed(d.path(), &idx, Some(&lib()));
        // One byte of the last record in the index changed: the identities still read, the
        // chunk of records does not match its checksum.
        let mut bytes = std::fs::read(&idx).unwrap();
        let at = bytes.len() - 10;
        bytes[at] ^= 0x01;
        std::fs::write(&idx, &bytes).unwrap();
        age(&idx);
        let got = load_indexed(d.path(), &idx, Some(&lib()));
        assert_eq!(got.read, 6, "the chunk's files are read again");
        assert_eq!(got.loaded.records, store.load().records);
        assert!(got.known.iter().all(|k| k.seal.checksum_ok));
        // The index that no longer matched is gone, then written again.
        assert!(!idx.exists());
        let _ = load_indexed(d.path(), &idx, Some(&lib()));
        age(&idx);
        assert_eq!(load_indexed(d.path(), &idx, Some(&lib())).read, 0);
    }

    #[test]
    fn a_folder_is_given_in_batches_in_name_order_with_each_file_once() {
        let (d, store) = folder(5);
        let cache = tempfile::tempdir().unwrap();
        let idx = index_path(cache.path(), d.path());
        for pass in 0..2 {
            let mut seen: Vec<String> = Vec::new();
            let mut good = 0;
            let read = tipquiz::record::visit_indexed(d.path(), &idx, Some(&lib()), &mut |b, _| {
                good += b.iter().filter(|f| f.got.is_ok()).count();
                seen.extend(b.into_iter().map(|f| f.name));
            });
            assert_eq!(read, if pass == 0 { 5 } else { 0 }, "pass {pass}");
            assert_eq!(good, 5);
            let mut want: Vec<String> = store.load().records.into_iter().map(|(n, _)| n).collect();
            want.extend(["notes.txt".to_owned(), "truncated.json".to_owned()]);
            want.sort();
            assert_eq!(seen, want);
            age(&idx);
        }
    }

    #[test]
    fn signatures_are_checked_from_the_records_every_time() {
        let lib = lib();
        let d = tempfile::tempdir().unwrap();
        let store = Store::new(d.path());
        for i in 0..3 {
            let r = record(&lib, &format!("t{i}"), T0 + i * 100_000);
            store.commit(&r, Some(b"secret key")).unwrap();
        }
        let cache = tempfile::tempdir().unwrap();
        let idx = index_path(cache.path(), d.path());
        let _ = load_indexed(d.path(), &idx, Some(&lib));
        age(&idx);
        let got = load_indexed(d.path(), &idx, Some(&lib));
        assert_eq!(got.read, 0);
        let check =
            |key: &[u8]| check_records_known(&got.loaded.records, &got.known, &lib, Some(key));
        assert!(check(b"secret key").iter().all(Vec::is_empty));
        assert!(
            check(b"another key")
                .iter()
                .all(|p| p.contains(&Problem::BadSignature))
        );
    }

    #[test]
    fn tipquiz_report_uses_the_index_and_still_flags_an_edited_record() {
        let (d, store) = folder(4);
        let data = tempfile::tempdir().unwrap();
        let report = || {
            let out = assert_cmd::Command::cargo_bin("tipquiz")
                .unwrap()
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .env("TIPQUIZ_DATA", data.path())
                .env_remove("TIPQUIZ_NO_CACHE")
                .env("LANG", "C.UTF-8")
                .args(["--lang", "en", "--only-given-banks", "--bank"])
                .arg("tests/fixtures/valid/every-type.toml")
                .arg("--results")
                .arg(d.path())
                .arg("report")
                .output()
                .unwrap();
            String::from_utf8(out.stdout).unwrap()
        };
        let first = report();
        let idx = index_path(&data.path().join("cache"), d.path());
        assert!(idx.is_file(), "the first report writes the index");
        age(&idx);
        let before = std::fs::metadata(&idx).unwrap().modified().unwrap();
        assert_eq!(report(), first, "same report from the index");
        assert_eq!(
            std::fs::metadata(&idx).unwrap().modified().unwrap(),
            before,
            "nothing changed: the index is not written again"
        );
        let (name, _) = store.load().records[1].clone();
        let path = d.path().join(&name);
        let body = std::fs::read_to_string(&path).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&path, body.replacen("\"score\": 4.0", "\"score\": 5.0", 1)).unwrap();
        let after = report();
        assert!(
            !first.contains(&name) && after.contains(&name),
            "the edited record is flagged by name:\n{after}"
        );
    }
}

// ---------- edges: FIFOs, stale temporary files ----------

/// A FIFO where a record, an autosave or a progress file is expected is refused at once (opened
/// without blocking, its type checked on the open file), never waited on.
#[cfg(unix)]
#[test]
fn a_fifo_in_place_of_a_record_is_refused_without_waiting() {
    let d = tempfile::tempdir().unwrap();
    let fifo = d.path().join("final--x--1--abc.json");
    let ok = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(ok.success());
    let (tx, rx) = std::sync::mpsc::channel();
    let path = fifo.clone();
    std::thread::spawn(move || {
        let _ = tx.send((
            tipquiz::record::read_record(&path).map(|_| ()),
            tipquiz::record::read_regular(&path, 1024).map(|_| ()),
            Store::new(path.parent().unwrap()).all_autosaves().len(),
        ));
    });
    let (record, raw, autosaves) = rx
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("reading a FIFO must not block");
    assert!(
        record
            .unwrap_err()
            .to_string()
            .contains("not a regular file")
    );
    assert!(raw.is_err());
    assert_eq!(autosaves, 0);
    // `report` over a folder holding one returns too (the listing skips it; were it swapped in
    // after the listing, the open would refuse it as above).
    let out = assert_cmd::Command::cargo_bin("tipquiz")
        .unwrap()
        .env("TIPQUIZ_DATA", d.path().join("data"))
        .env("TIPQUIZ_RESULTS", d.path())
        .args(["--lang", "en", "report"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "no records: exit 1, not a hang");
}

/// Temporary files of atomic writes older than 36 hours (left by killed writers) are removed
/// when the instructor reads the folder; fresh ones (a write in progress) are left alone.
#[test]
fn stale_temporary_files_are_swept_and_fresh_ones_kept() {
    let d = tempfile::tempdir().unwrap();
    let results = d.path().join("results");
    std::fs::create_dir_all(&results).unwrap();
    let old = results.join(".tmp-killed.part");
    let fresh = results.join(".tmp-writing.part");
    let other = results.join(".tmp-notes.txt");
    for p in [&old, &fresh, &other] {
        std::fs::write(p, "partial").unwrap();
    }
    let long_ago = std::time::SystemTime::now()
        - std::time::Duration::from_secs(tipquiz::record::STALE_PART_SECS + 3600);
    for p in [&old, &other] {
        std::fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
    }
    let _ = assert_cmd::Command::cargo_bin("tipquiz")
        .unwrap()
        .env("TIPQUIZ_DATA", d.path().join("data"))
        .env("TIPQUIZ_RESULTS", &results)
        .args(["--lang", "en", "report"])
        .output()
        .unwrap();
    assert!(!old.exists(), "a part older than 36 hours is removed");
    assert!(fresh.exists(), "a write in progress is left alone");
    assert!(other.exists(), "only .tmp-*.part files are touched");
}

#[test]
fn a_class_read_holds_what_the_views_use_of_each_record_and_the_answers_only_when_asked() {
    // Read back from disk, checked and held as `report`, `export` and `history` read a folder:
    // per question the points, the maximum and the choices picked; the ids, topics and titles
    // repeated from record to record held once; the answers as given only for an export of them.
    use tipquiz::report::held::Keep;
    let lib = lib();
    let d = tempfile::tempdir().unwrap();
    let store = Store::new(d.path());
    let names = ["Sara", "سارة", "Omar"];
    for (i, n) in names.iter().enumerate() {
        store
            .commit(&record(&lib, n, T0 + i as i64 * 61_000), None)
            .unwrap();
    }
    let rules = bare_rules(&lib);
    let class = tipquiz::report::read::read_class(&store, None, rules);
    assert!(class.bad.is_empty(), "{:?}", class.bad);
    assert_eq!(class.records.len(), 3);
    assert_eq!(class.records.capacity(), 3);
    let first = &class.records[0];
    for r in &class.records {
        assert_eq!(r.whole().questions.len(), 6);
        assert_eq!(r.score, 4.0);
        let points: f64 = r.whole().questions.iter().map(|q| q.points).sum();
        assert_eq!(points, 4.0);
        assert_eq!(r.whole().questions.iter().filter(|q| !q.blank).count(), 4);
        assert!(r.whole().questions.iter().all(|q| q.answer.is_none()));
        // One block for the exam's id and each question id, whichever record holds it.
        assert!(std::sync::Arc::ptr_eq(&r.exam_id, &first.exam_id));
        for q in r.whole().questions.iter() {
            let same = first.whole().questions.iter().find(|f| f.qid() == q.qid());
            assert!(same.is_none_or(|f| std::sync::Arc::ptr_eq(&f.id, &q.id)));
        }
    }
    let mut got: Vec<&str> = class.records.iter().map(|r| &*r.trainee).collect();
    got.sort_unstable();
    assert_eq!(got, ["Omar", "Sara", "سارة"]);

    let with = tipquiz::report::read::read_class_counting(&store, None, rules, Keep::Answers, None);
    for r in &with.records {
        let answered = r
            .whole()
            .questions
            .iter()
            .filter(|q| q.answer.as_ref().is_some_and(|a| a.response.is_some()))
            .count();
        assert_eq!(answered, 4, "{}", r.trainee);
        assert!(r.whole().questions.iter().all(|q| q.answer.is_some()));
    }
}

#[test]
fn a_class_read_for_the_report_keeps_questions_only_of_the_attempts_that_count() {
    // Three attempts each of two trainees: read as `report` reads them, only the attempt each
    // choice counts keeps its questions (the others keep their own figures), so what is held
    // grows with the trainees and not with their attempts.
    use tipquiz::report::Which;
    use tipquiz::report::held::Keep;
    use tipquiz::report::read::{read_class_counting, select_attempts};
    let lib = lib();
    let d = tempfile::tempdir().unwrap();
    let store = Store::new(d.path());
    for (i, (who, answers)) in [
        ("Sara", 3),
        ("Omar", 2),
        ("Sara", 4),
        ("Omar", 4),
        ("Sara", 1),
    ]
    .into_iter()
    .enumerate()
    {
        let s = finished(&lib, who, T0 + i as i64 * 61_000, answers);
        let r = AttemptRecord::from_session(
            &s,
            &attempt_id(&s.state),
            T0 + i as i64 * 61_000 + 60_000,
            "tipquiz test",
        );
        store.commit(&r, None).unwrap();
    }
    let rules = bare_rules(&lib);
    for which in Which::ALL {
        let class = read_class_counting(&store, None, rules, Keep::Figures, Some(which));
        assert!(class.bad.is_empty(), "{:?}", class.bad);
        assert_eq!(class.records.len(), 5, "every attempt is still there");
        let exam = class.records[0].exam_id.to_string();
        let chosen = select_attempts(&class.records, &exam, which);
        assert_eq!(chosen.len(), 2);
        for r in &class.records {
            let counts = chosen.iter().any(|c| std::ptr::eq(*c, r));
            assert_eq!(
                !r.is_thin(),
                counts,
                "{which:?}: {} at {}",
                r.trainee,
                r.started_at
            );
            assert_eq!(r.whole().questions.len(), if counts { 6 } else { 0 });
            // One that does not count is thin: its topics go with its questions.
            assert_eq!(r.whole().by_topic.iter().count() > 0, counts);
        }
        // One shared copy of each trainee's name.
        let saras: Vec<_> = class
            .records
            .iter()
            .filter(|r| &*r.trainee == "Sara")
            .collect();
        assert_eq!(saras.len(), 3);
        assert!(
            saras
                .iter()
                .all(|r| std::sync::Arc::ptr_eq(&r.trainee, &saras[0].trainee))
        );
        // The same attempts as when every question of every attempt is held.
        let all = read_class_counting(&store, None, rules, Keep::Figures, None);
        let ids = |v: Vec<&tipquiz::report::held::HeldAttempt>| -> Vec<String> {
            v.into_iter().map(|r| r.attempt_id.to_string()).collect()
        };
        assert_eq!(
            ids(chosen),
            ids(select_attempts(&all.records, &exam, which)),
            "{which:?}"
        );
        assert!(all.records.iter().all(|r| r.whole().questions.len() == 6));
    }
}

#[test]
fn an_attempt_that_counts_only_once_a_copy_is_flagged_gets_its_questions_back() {
    // Sara's first attempt counts as the folder is read, so her second gives its questions
    // back; then a copy of the first under another name (read after both) flags the first, and
    // the second counts after all: it is read again, and the item analysis has its questions.
    use tipquiz::report::Which;
    use tipquiz::report::held::Keep;
    use tipquiz::report::read::{read_class_counting, select_attempts};
    let lib = lib();
    let d = tempfile::tempdir().unwrap();
    let store = Store::new(d.path());
    let first = record(&lib, "Sara", T0);
    let s = finished(&lib, "Sara", T0 + 61_000, 3);
    let second =
        AttemptRecord::from_session(&s, &attempt_id(&s.state), T0 + 121_000, "tipquiz test");
    let mut copy = first.clone();
    copy.trainee = "Zed".into();
    copy.attempt_id = format!("{}-copy", first.attempt_id);
    copy.seal(None);
    for r in [&first, &second, &copy] {
        store.commit(r, None).unwrap();
    }
    let rules = bare_rules(&lib);
    let class = read_class_counting(&store, None, rules, Keep::Figures, Some(Which::First));
    assert_eq!(
        class.bad.len(),
        2,
        "the first attempt and its copy: {:?}",
        class.bad
    );
    let exam = first.exam_id.clone();
    let chosen = select_attempts(&class.records, &exam, Which::First);
    assert_eq!(chosen.len(), 1);
    assert_eq!(*chosen[0].attempt_id, *second.attempt_id);
    assert!(!chosen[0].is_thin());
    assert_eq!(chosen[0].whole().questions.len(), 6);
    assert_eq!(chosen[0].score, second.score);
    let report = tipquiz::report::build_with(
        &class.records,
        &class.bad,
        &lib,
        &[],
        Some(&exam),
        Which::First,
    );
    assert_eq!(report.trainees.len(), 1);
    assert_eq!(
        report.items.len(),
        6,
        "the second attempt's questions are analysed"
    );
}

#[test]
fn an_attempt_read_again_for_its_answers_must_be_the_one_read_first() {
    // `export --responses` reads the folder without the answers, then each exported attempt's
    // file again for them: a file that no longer holds the attempt first read (replaced by
    // another, or gone) gives nothing, and the export names it instead of writing its rows.
    use tipquiz::report::held::{Keep, Names};
    use tipquiz::report::read::{read_again, read_class_counting};
    let lib = lib();
    let d = tempfile::tempdir().unwrap();
    let store = Store::new(d.path());
    let sara = store.commit(&record(&lib, "Sara", T0), None).unwrap();
    let omar = store
        .commit(&record(&lib, "Omar", T0 + 61_000), None)
        .unwrap();
    let rules = bare_rules(&lib);
    let class = read_class_counting(&store, None, rules, Keep::Summary, None);
    assert_eq!(class.records.len(), 2);
    assert!(
        class
            .records
            .iter()
            .all(|r| !r.is_thin() && r.whole().questions.is_empty())
    );
    let mut names = Names::default();
    let at = |who: &str| {
        class
            .records
            .iter()
            .position(|r| *r.trainee == *who)
            .unwrap()
    };
    let (s, o) = (at("Sara"), at("Omar"));
    let again = read_again(
        &store,
        rules,
        &class.records[s],
        &class.files[s],
        Keep::Answers,
        &mut names,
    )
    .expect("the same attempt");
    assert_eq!(again.whole().questions.len(), 6);
    assert!(again.whole().questions.iter().all(|q| q.answer.is_some()));
    // Omar's file now holds Sara's attempt; then it is gone.
    std::fs::copy(&sara, &omar).unwrap();
    assert!(
        read_again(
            &store,
            rules,
            &class.records[o],
            &class.files[o],
            Keep::Answers,
            &mut names
        )
        .is_none()
    );
    std::fs::remove_file(&omar).unwrap();
    assert!(
        read_again(
            &store,
            rules,
            &class.records[o],
            &class.files[o],
            Keep::Answers,
            &mut names
        )
        .is_none()
    );
}

#[test]
fn a_second_record_of_the_same_attempt_with_other_answers_is_kept_beside_the_first_and_flagged() {
    // Two computers on one shared folder whose locks do not reach from one to the other (a
    // trainee moved to a second computer while the first still ran): both go on with the same
    // attempt (its id, its start) and both submit, with other answers. Before, the second was
    // refused ("refusing to overwrite") and waited on its computer for ever, `recover` failing
    // at every start. Now it is kept beside the first, and the report names it.
    use tipquiz::report::held::Keep;
    use tipquiz::report::read::read_class_counting;
    let lib = lib();
    let d = tempfile::tempdir().unwrap();
    let store = Store::new(d.path());
    let s1 = finished(&lib, "Sara", T0, 4);
    let s2 = finished(&lib, "Sara", T0, 2);
    let id = attempt_id(&s1.state);
    assert_eq!(
        id,
        attempt_id(&s2.state),
        "the same attempt on both computers"
    );
    let first = AttemptRecord::from_session(&s1, &id, T0 + 60_000, "tipquiz test");
    let second = AttemptRecord::from_session(&s2, &id, T0 + 75_000, "tipquiz test");
    assert_ne!(first.score, second.score);
    let p1 = store.commit(&first, None).unwrap();
    let p2 = store.commit(&second, None).unwrap();
    assert_ne!(p1, p2);
    // Each file holds its own record, intact.
    assert_eq!(read_record(&p1).unwrap().score, first.score);
    assert_eq!(read_record(&p2).unwrap().score, second.score);
    // A retry of either is the file already there, not a third one.
    assert_eq!(store.commit(&second, None).unwrap(), p2);
    assert_eq!(store.commit(&first, None).unwrap(), p1);
    assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 2);
    // The report counts the first and lists the second as flagged, with the trainee's name.
    let class = read_class_counting(&store, None, bare_rules(&lib), Keep::Figures, None);
    assert_eq!(class.records.len(), 1);
    assert_eq!(class.records[0].score, first.score);
    assert_eq!(class.bad.len(), 1, "{:?}", class.bad);
    assert_eq!(class.bad[0].trainee, "Sara");
    assert_eq!(class.bad[0].file, p2.file_name().unwrap().to_string_lossy());
}
