//! What a trainee with their own computer can do to their own files, and what tipquiz does about
//! it: an autosave edited to change the rules, an autosave deleted to get a fresh clock, a
//! hand-written attempt dropped into the pending folder, a second data folder to get around the
//! attempt lock; and the last-resort folder's line once the record is saved.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use tipquiz::bank::{Library, parse_bank};
use tipquiz::exam::{ExamDef, Mode};
use tipquiz::quiz::{Attempt, Status};
use tipquiz::record::Store;
use tipquiz::text::Lang;
use tipquiz::tui::app::{App, Prefs, Screen};
use tipquiz::tui::host::{Host, Places, execute, recover};
use tipquiz::tui::keymap::Action;

const EVERY: &str = include_str!("../fixtures/valid/every-type.toml");
const T0: i64 = 1_800_000_000_000;
const TRAINEE: &str = "Sara Al-Mutairi";

fn lib() -> Arc<Library> {
    Arc::new(Library::build(vec![parse_bank("every-type.toml", EVERY).0.unwrap()]).0)
}

/// A timed exam of 4 questions (10 minutes, pass mark 70 %), as an instructor would load it.
fn exam() -> ExamDef {
    let mut e = ExamDef::quick(&[], 4, Some(600), Mode::Exam);
    e.id = "final-check".into();
    e.shuffle_questions = false;
    e.shuffle_choices = false;
    e
}

/// The places of a trainee's computer in `data` (autosaves, pending, preferences), writing
/// results into `results`; as the tests of several files set them up.
pub(crate) fn places(data: &Path, results: &Path) -> Places {
    Places {
        results: Store::new(results),
        results_explicit: true,
        autosaves: Store::new(data.join("autosave")),
        pending: Store::new(data.join("pending")),
        prefs: data.join("prefs.json"),
        program: "tipquiz test".into(),
        key: None,
    }
}

/// The local terminal's app for `take --exam` on `p`, in `lang`.
fn app(p: &Places, lang: Lang) -> App {
    let mut a = App::new(
        lib(),
        vec![exam()],
        &Prefs::default(),
        lang,
        p.autosaves.clone(),
    );
    a.fixed_exam = Some(exam());
    a.lock_attempts = true;
    a.places = Some(p.clone());
    a.form_mut().trainee = TRAINEE.into();
    a
}

/// Start (or reach the resume offer) at `now`, carrying out the effects.
fn try_start(a: &mut App, p: &Places, now: i64) {
    let fx = a.start(now);
    execute(a, p, &fx, now);
}

/// [`try_start`] once the attempt's lock is free. A process that another test thread starts
/// holds a copy of every open file until it executes its program, and with it, for a moment,
/// a lock that this test has just let go.
fn start(a: &mut App, p: &Places, now: i64) {
    for _ in 0..200 {
        try_start(a, p, now);
        let busy = a.message.as_deref().is_some_and(|m| {
            m.contains("open in another window") || m.contains("مفتوحة في نافذة أخرى")
        });
        if !busy {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

fn act(a: &mut App, p: &Places, action: Action, now: i64) {
    let fx = a.update(action, now);
    execute(a, p, &fx, now);
}

fn autosave_files(p: &Places) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(&p.autosaves.dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|f| f.extension().is_some_and(|x| x == "json" || x == "journal"))
                .collect()
        })
        .unwrap_or_default()
}

/// The trainee edits their autosave (pass mark 0, no topic marks, a day of time, a deadline a
/// day away); on resume the loaded exam's rules apply, and the answers given are kept.
#[test]
fn an_edited_autosave_resumes_under_the_loaded_exams_rules() {
    let d = tempfile::tempdir().unwrap();
    let p = places(&d.path().join("data"), &d.path().join("results"));
    let mut a = app(&p, Lang::En);
    start(&mut a, &p, T0);
    act(&mut a, &p, Action::Answer(0), T0 + 5_000);
    act(&mut a, &p, Action::Next, T0 + 6_000);
    act(&mut a, &p, Action::Answer(1), T0 + 9_000);
    let answered: Vec<bool> = a
        .session()
        .unwrap()
        .state
        .slots
        .iter()
        .map(|s| s.response.is_some())
        .collect();
    drop(a);
    let snap = p.autosaves.autosave_path("final-check", TRAINEE);
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&snap).unwrap()).unwrap();
    v["exam"]["pass_mark"] = 0.0.into();
    v["exam"]["topic_pass_marks"] = serde_json::json!({});
    v["exam"]["time_limit"] = 86_400.into();
    v["deadline"] = (T0 + 86_400_000).into();
    std::fs::write(&snap, serde_json::to_vec(&v).unwrap()).unwrap();
    // The edited file is what a reader sees (with the journal's answers on top).
    let edited = p.autosaves.load_autosave("final-check", TRAINEE).unwrap();
    assert_eq!(edited.exam.pass_mark, 0.0);
    assert_eq!(edited.deadline, Some(T0 + 86_400_000));

    let mut b = app(&p, Lang::En);
    start(&mut b, &p, T0 + 60_000);
    assert!(matches!(b.screen, Screen::Resume(_)), "{:?}", b.message);
    act(&mut b, &p, Action::Yes, T0 + 61_000);
    let s = b.session().unwrap();
    assert_eq!(s.state.exam.pass_mark, 70.0);
    assert_eq!(s.state.exam.time_limit, Some(600));
    assert_eq!(s.state.deadline, Some(T0 + 600_000));
    let now: Vec<bool> = s.state.slots.iter().map(|s| s.response.is_some()).collect();
    assert_eq!(now, answered);
    assert_eq!(now.iter().filter(|x| **x).count(), 2);
    // The time left is the loaded exam's: 9 minutes after a minute.
    assert_eq!(s.remaining(T0 + 60_000), Some(540_000));
}

/// An autosave whose paper no longer fits the loaded banks (a question the exam no longer has):
/// nothing starts, and the trainee is told that the exam changed, in their language.
#[test]
fn an_exam_changed_under_an_attempt_is_said_and_starts_nothing() {
    for (lang, says) in [
        (Lang::En, "was changed after this attempt started"),
        (Lang::Ar, "تغيّر الاختبار"),
    ] {
        let d = tempfile::tempdir().unwrap();
        let p = places(&d.path().join("data"), &d.path().join("results"));
        let mut a = app(&p, lang);
        start(&mut a, &p, T0);
        act(&mut a, &p, Action::Answer(0), T0 + 5_000);
        drop(a);
        let snap = p.autosaves.autosave_path("final-check", TRAINEE);
        let mut v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&snap).unwrap()).unwrap();
        v["paper"][2]["qid"] = "withdrawn-question".into();
        std::fs::write(&snap, serde_json::to_vec(&v).unwrap()).unwrap();
        let mut b = app(&p, lang);
        start(&mut b, &p, T0 + 60_000);
        assert!(matches!(b.screen, Screen::Home(_)));
        let m = b.message.clone().unwrap_or_default();
        assert!(m.contains(says) && m.contains("withdrawn-question"), "{m}");
        // The autosave is left as it was, for the instructor.
        assert!(snap.exists());
    }
}

/// The trainee deletes their autosave to get a fresh clock: the new attempt on the same paper
/// keeps the start (and so the deadline) of its start marker; after the deadline it is at once
/// over and recorded as timed out. Once recorded, a retake gets a clock of its own.
#[test]
fn deleting_the_autosave_does_not_restart_the_clock() {
    let d = tempfile::tempdir().unwrap();
    let p = places(&d.path().join("data"), &d.path().join("results"));
    let mut a = app(&p, Lang::En);
    start(&mut a, &p, T0);
    act(&mut a, &p, Action::Answer(0), T0 + 5_000);
    drop(a);
    let wipe = || {
        let files = autosave_files(&p);
        assert!(!files.is_empty());
        for f in files {
            std::fs::remove_file(f).unwrap();
        }
    };
    wipe();
    // Two minutes later: a new attempt, same paper, but the clock of the first start.
    let mut b = app(&p, Lang::En);
    start(&mut b, &p, T0 + 120_000);
    let s = b.session().expect("an attempt");
    assert_eq!(s.state.started_at, T0);
    assert_eq!(s.state.deadline, Some(T0 + 600_000));
    assert_eq!(s.remaining(T0 + 120_000), Some(480_000));
    let m = b.message.clone().unwrap_or_default();
    assert!(m.contains("You already started this exam at"), "{m}");
    drop(b);
    // One marker: the same attempt, not a second start.
    assert_eq!(p.results.started().len(), 1);
    wipe();
    // After the deadline: over at once, recorded as timed out with the first start.
    let mut c = app(&p, Lang::Ar);
    start(&mut c, &p, T0 + 700_000);
    assert!(
        matches!(
            c.session().map(|s| s.state.status),
            Some(Status::Finished { .. })
        ),
        "{:?}",
        c.message
    );
    let recs = p.results.load().records;
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0].1.started_at, T0);
    assert_eq!(recs[0].1.end_reason, tipquiz::quiz::EndReason::TimedOut);
    drop(c);
    // Recorded: a retake starts its own clock.
    let mut e = app(&p, Lang::En);
    start(&mut e, &p, T0 + 800_000);
    let s = e.session().unwrap();
    assert_eq!(s.state.started_at, T0 + 800_000);
    assert_eq!(s.state.deadline, Some(T0 + 1_400_000));
}

#[test]
fn an_attempt_started_again_while_its_results_folder_is_gone_never_makes_the_folder() {
    let d = tempfile::tempdir().unwrap();
    let results = d.path().join("share").join("results");
    let p = places(&d.path().join("data"), &results);
    let mut a = app(&p, Lang::En);
    start(&mut a, &p, T0);
    act(&mut a, &p, Action::Answer(0), T0 + 5_000);
    drop(a);
    // The share drops (every file in it closed first: an open file cannot be removed on
    // Windows), and the trainee deletes the autosave: the attempt is started again from the
    // copy of its start marker beside the autosaves.
    std::fs::remove_dir_all(&results).unwrap();
    for f in autosave_files(&p) {
        std::fs::remove_file(f).unwrap();
    }
    let mut b = app(&p, Lang::En);
    start(&mut b, &p, T0 + 120_000);
    assert!(b.session().is_some(), "{:?}", b.message);
    // Neither its lock nor its start marker made the folder.
    assert!(!results.exists(), "made at the start: {:?}", b.message);
    act(&mut b, &p, Action::Answer(1), T0 + 121_000);
    act(&mut b, &p, Action::Submit, T0 + 122_000);
    act(&mut b, &p, Action::Yes, T0 + 123_000);
    assert!(matches!(b.screen, Screen::Results(_)));
    assert!(!results.exists(), "made by the submission");
    drop(b);
    // The attempt waits for the folder to come back, then is recorded once.
    assert_eq!(p.pending.all_autosaves().len(), 1);
    std::fs::create_dir_all(&results).unwrap();
    let done = recover(&p, &lib(), &[exam()], T0 + 130_000, Lang::En);
    assert_eq!(done.saved.len(), 1, "{done:?}");
    assert_eq!(Store::new(&results).load().records.len(), 1);
}

/// An attempt by [`TRAINEE`] started at `at` and submitted while its results folder was not
/// there (a shared folder that dropped): it waits in the pending folder. The results folder
/// itself is never removed (the attempt's lock file is open in it, and an open file cannot be
/// removed on Windows): the submission is made towards a results folder that is missing.
fn pending(p: &Places, at: i64) -> (PathBuf, Attempt) {
    let gone = Places {
        results: Store::new(p.results.dir.with_file_name("gone")),
        ..p.clone()
    };
    assert!(!gone.results.dir.exists());
    let mut a = app(p, Lang::En);
    start(&mut a, p, at);
    assert!(a.session().is_some(), "{:?}", a.message);
    act(&mut a, p, Action::Answer(0), at + 5_000);
    act(&mut a, &gone, Action::Submit, at + 10_000);
    act(&mut a, &gone, Action::Yes, at + 11_000);
    assert!(matches!(a.screen, Screen::Results(_)));
    drop(a);
    let mut waiting = p.pending.all_autosaves();
    assert_eq!(waiting.len(), 1);
    waiting.remove(0)
}

/// A second attempt written by hand into the pending folder beside `genuine`: another start
/// time, so no attempt of that start ever ran. Returns its file name.
fn forge(p: &Places, genuine: &Attempt) -> String {
    let mut forged = serde_json::to_value(genuine).unwrap();
    forged["started_at"] = (genuine.started_at - 3_600_000).into();
    let name = format!(
        "final-check--{}--{}.json",
        tipquiz::record::trainee_slug(TRAINEE),
        genuine.started_at - 3_600_000
    );
    std::fs::write(
        p.pending.dir.join(&name),
        serde_json::to_vec(&forged).unwrap(),
    )
    .unwrap();
    name
}

/// `recover` publishes a waiting attempt that started on this computer (under the loaded exam's
/// rules, whatever the file says), and sets a hand-written one aside, once, with a message.
#[test]
fn recover_publishes_only_attempts_that_started_here() {
    let d = tempfile::tempdir().unwrap();
    let results = d.path().join("results");
    let p = places(&d.path().join("data"), &results);
    let (path, genuine) = pending(&p, T0);
    // The trainee lowers the pass mark in the waiting file, and writes a second attempt by hand.
    let mut v = serde_json::to_value(&genuine).unwrap();
    v["exam"]["pass_mark"] = 0.0.into();
    std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
    let forged_name = forge(&p, &genuine);
    let done = recover(&p, &lib(), &[exam()], T0 + 20_000, Lang::En);
    assert_eq!(done.saved.len(), 1, "{done:?}");
    assert_eq!(done.set_aside.len(), 1, "{done:?}");
    assert!(done.waiting.is_empty(), "{done:?}");
    let failed = &done.set_aside;
    assert!(
        failed[0].contains(&forged_name) && failed[0].contains("no attempt started"),
        "{failed:?}"
    );
    let recs = Store::new(&results).load().records;
    assert_eq!(recs.len(), 1);
    let r = &recs[0].1;
    assert_eq!(r.started_at, T0);
    assert_eq!(r.pass_mark, 70.0);
    assert!(!r.passed, "1 of 4 does not pass 70 %");
    // Set aside once: the next recover has nothing to say.
    assert!(
        p.pending
            .dir
            .join(format!("{forged_name}.unknown"))
            .exists()
    );
    let done = recover(&p, &lib(), &[exam()], T0 + 30_000, Lang::En);
    assert_eq!(done, tipquiz::tui::host::Recovered::default());
}

/// `tipquiz recover` says apart what it set aside for good (a hand-written attempt, renamed
/// `.unknown`) and what still waits (an attempt whose results folder is not there): it fails
/// (status 1) only while something still waits, and a file set aside is not counted again.
#[test]
fn recover_counts_what_it_sets_aside_apart_from_what_still_waits() {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("data");
    let results = d.path().join("results");
    let p = places(&data, &results);
    let (path, genuine) = pending(&p, T0);
    let forged = forge(&p, &genuine);
    let bank = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join("valid")
        .join("every-type.toml");
    let recover_into = |results: &Path, lang: &str| {
        let mut c = assert_cmd::Command::cargo_bin("tipquiz").unwrap();
        c.env("TIPQUIZ_DATA", &data)
            .env("TIPQUIZ_RESULTS", results)
            .env_remove("TIPQUIZ_KEY_FILE")
            .env("LANG", "C.UTF-8")
            .args(["--lang", lang, "--bank"])
            .arg(&bank)
            .args(["--only-given-banks", "recover"]);
        crate::class::run(&mut c)
    };
    // The results folder is still not there: the genuine attempt waits, the forged one is set
    // aside.
    let gone = d.path().join("gone");
    let (out, err, code) = recover_into(&gone, "en");
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("0 attempt(s) saved, 1 set aside, 1 still waiting"),
        "{out}{err}"
    );
    assert!(
        out.contains(&format!("set aside: {forged}")) && out.contains("not saved: "),
        "{out}"
    );
    assert!(path.exists(), "the genuine attempt still waits");
    assert!(p.pending.dir.join(format!("{forged}.unknown")).exists());
    // Set aside once: only the waiting attempt is left, in either language.
    let (out, err, code) = recover_into(&gone, "ar");
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("المحاولات المحفوظة: 0، والمنتظرة: 1"),
        "{out}{err}"
    );
    // The folder is back: the attempt is recorded, nothing waits, and the status is 0.
    let (out, err, code) = recover_into(&results, "en");
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("1 attempt(s) saved, 0 still waiting"),
        "{out}{err}"
    );
    assert!(!path.exists());
    let recs = Store::new(&results).load().records;
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0].1.started_at, T0);
    assert_eq!(
        recs[0]
            .1
            .questions
            .iter()
            .filter(|q| q.response.is_some())
            .count(),
        1
    );
    // A file set aside is not a problem to fix: with nothing waiting the status is 0.
    let (out, err, code) = recover_into(&results, "en");
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("0 attempt(s) saved, 0 still waiting"),
        "{out}{err}"
    );
    assert!(
        !gone.exists(),
        "a missing results folder is never made by recover"
    );
}

/// Two data folders on one results folder (a second `TIPQUIZ_DATA`, or another computer on the
/// same share): the second start of the same attempt is refused, in either language, and the
/// hold ends with the first.
#[test]
fn a_second_data_folder_does_not_get_around_the_attempt_lock() {
    let d = tempfile::tempdir().unwrap();
    let results = d.path().join("results");
    std::fs::create_dir_all(&results).unwrap();
    let p1 = places(&d.path().join("data-1"), &results);
    let p2 = places(&d.path().join("data-2"), &results);
    let mut a = app(&p1, Lang::En);
    start(&mut a, &p1, T0);
    assert!(a.session().is_some());
    for (lang, says) in [
        (
            Lang::En,
            "on this computer or another one using the same results folder",
        ),
        (Lang::Ar, "على جهاز آخر يستعمل مجلد النتائج نفسه"),
    ] {
        let mut b = app(&p2, lang);
        try_start(&mut b, &p2, T0 + 1_000);
        assert!(b.session().is_none());
        let m = b.message.clone().unwrap_or_default();
        assert!(m.contains(says), "{m}");
    }
    // The lock file is hidden in the results folder: not a record, not a bad file.
    let loaded = Store::new(&results).load();
    assert!(loaded.bad.is_empty(), "{:?}", loaded.bad);
    drop(a);
    let mut b = app(&p2, Lang::En);
    start(&mut b, &p2, T0 + 2_000);
    assert!(b.session().is_some(), "{:?}", b.message);
}

/// The autosave goes to the last-resort folder (the data folder cannot be written): the screen
/// says so while the attempt runs, and no more once the record is saved.
#[test]
fn the_last_resort_line_goes_once_the_record_is_saved() {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use tipquiz::tui::front::{Script, run_screens};
    let d = tempfile::tempdir().unwrap();
    // A file where the data folder should be: nothing can be written under it, even by root.
    std::fs::write(d.path().join("data"), b"not a folder").unwrap();
    let mut p = places(&d.path().join("data"), &d.path().join("results"));
    p.autosaves = p
        .autosaves
        .with_fallback(d.path().join("last-resort").join("autosave"));
    let mut a = app(&p, Lang::En);
    let k = |c: KeyCode| Some(Event::Key(KeyEvent::new(c, KeyModifiers::NONE)));
    start(&mut a, &p, T0);
    let mut first = Script::new(vec![Some(Event::Resize(100, 30)), k(KeyCode::Char('1'))]);
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let mut host = Host::new(p.clone()).with_clock(|| T0);
    let _ = run_screens(&mut a, &mut first, &mut terminal, &mut host);
    let said = a.message.clone().unwrap_or_default();
    assert!(said.contains("not in the data folder"), "{said}");
    let mut second = Script::new(vec![
        Some(Event::Key(KeyEvent::new(
            KeyCode::Char('s'),
            KeyModifiers::CONTROL,
        ))),
        k(KeyCode::Enter),
        None,
    ]);
    let _ = run_screens(&mut a, &mut second, &mut terminal, &mut host);
    assert!(
        matches!(
            a.save_status(),
            Some(tipquiz::tui::app::SaveStatus::Saved(_))
        ),
        "{:?}",
        a.save_status()
    );
    assert_eq!(a.message, None);
    assert_eq!(host.save_error(), None);
    let buf = terminal.backend().buffer();
    let text: String = buf.content().iter().map(|c| c.symbol()).collect();
    assert!(text.contains("Saved"), "{text}");
    assert!(!text.contains("not in the data folder"), "{text}");
}

/// The per-question clocks come from the loaded exam too: the trainee gives every open question
/// a day in their autosave (and the exam a day per question); on resume each open question has
/// its own limit from when it was first shown (90 s for the short answer, which sets its own,
/// else the exam's 60 s), and the time runs out there.
#[test]
fn edited_question_deadlines_resume_under_the_loaded_exams_rules() {
    let d = tempfile::tempdir().unwrap();
    let p = places(&d.path().join("data"), &d.path().join("results"));
    let paced = || {
        let mut e = exam();
        e.question_time_limit = Some(60);
        e
    };
    let app_paced = |lang| {
        let mut a = app(&p, lang);
        a.exams = vec![paced()];
        a.fixed_exam = Some(paced());
        a
    };
    let mut a = app_paced(Lang::En);
    start(&mut a, &p, T0);
    let qids: Vec<String> = a
        .session()
        .unwrap()
        .state
        .paper
        .iter()
        .map(|x| x.qid.clone())
        .collect();
    let short = qids.iter().position(|q| q == "sample-short");
    assert!(short.is_some(), "{qids:?}");
    // Show every question once, answering the first: each gets its own clock when shown.
    act(&mut a, &p, Action::Answer(0), T0 + 5_000);
    for k in 1..4 {
        act(&mut a, &p, Action::Next, T0 + 5_000 + k * 1_000);
    }
    let shown: Vec<Option<i64>> = a
        .session()
        .unwrap()
        .state
        .slots
        .iter()
        .map(|s| s.first_shown)
        .collect();
    assert_eq!(
        shown,
        vec![
            Some(T0),
            Some(T0 + 6_000),
            Some(T0 + 7_000),
            Some(T0 + 8_000)
        ]
    );
    drop(a);
    // The trainee's edit: the file as read (snapshot and journal), written back whole.
    let mut edited = p.autosaves.load_autosave("final-check", TRAINEE).unwrap();
    edited.exam.question_time_limit = Some(86_400);
    for s in &mut edited.slots {
        s.deadline = Some(T0 + 86_400_000);
    }
    edited.slots[3].deadline = None;
    let snap = p.autosaves.autosave_path("final-check", TRAINEE);
    std::fs::write(&snap, serde_json::to_vec(&edited).unwrap()).unwrap();
    let read = p.autosaves.load_autosave("final-check", TRAINEE).unwrap();
    assert_eq!(read.slots[0].deadline, Some(T0 + 86_400_000));
    assert_eq!(read.slots[3].deadline, None);

    let mut b = app_paced(Lang::En);
    start(&mut b, &p, T0 + 30_000);
    assert!(matches!(b.screen, Screen::Resume(_)), "{:?}", b.message);
    act(&mut b, &p, Action::Yes, T0 + 30_000);
    let s = b.session().unwrap();
    assert_eq!(s.state.exam.question_time_limit, Some(60));
    let want: Vec<Option<i64>> = (0..4)
        .map(|i| {
            let limit = if Some(i) == short { 90_000 } else { 60_000 };
            Some(shown[i].unwrap() + limit)
        })
        .collect();
    let got: Vec<Option<i64>> = s.state.slots.iter().map(|s| s.deadline).collect();
    assert_eq!(got, want);
    // The current (last) question's clock: 38 s left of its own limit, not a day.
    assert_eq!(s.current(), 3);
    assert_eq!(
        s.question_remaining(T0 + 30_000),
        Some(want[3].unwrap() - T0 - 30_000)
    );
    // Its time runs out at the exam's limit: the question closes.
    act(&mut b, &p, Action::Next, want[3].unwrap() + 1);
    let s = b.session().unwrap();
    assert!(s.state.slots[3].locked, "{:?}", s.state.slots[3]);
    // Saved so: read back from disk, the deadlines are the exam's.
    drop(b);
    let back = p.autosaves.load_autosave("final-check", TRAINEE).unwrap();
    assert_eq!(back.slots[0].deadline, want[0]);
    assert!(back.slots[3].locked);
}

/// A new attempt whose results folder is missing makes it before it takes the attempt's lock
/// there, so a second data folder on the same results folder is refused from the first moment;
/// an attempt already started (resumed from its autosave) never makes it: a missing folder is
/// then a shared folder that dropped, and the submission waits for it.
#[test]
fn a_new_attempt_makes_its_results_folder_to_lock_it_and_a_resumed_one_does_not() {
    let d = tempfile::tempdir().unwrap();
    let results = d.path().join("class").join("results");
    let p = places(&d.path().join("data"), &results);
    let p2 = places(&d.path().join("data-2"), &results);
    assert!(!results.exists());
    let mut a = app(&p, Lang::En);
    start(&mut a, &p, T0);
    assert!(a.session().is_some(), "{:?}", a.message);
    assert!(results.join(".locks").is_dir());
    act(&mut a, &p, Action::Answer(0), T0 + 5_000);
    // Locked there from the start: the same trainee from a second data folder is refused.
    let mut b = app(&p2, Lang::En);
    try_start(&mut b, &p2, T0 + 6_000);
    assert!(b.session().is_none());
    let m = b.message.clone().unwrap_or_default();
    assert!(m.contains("using the same results folder"), "{m}");
    drop(b);
    drop(a);
    // The share drops (every file in it closed first: an open file cannot be removed on
    // Windows).
    std::fs::remove_dir_all(&results).unwrap();
    let mut c = app(&p, Lang::En);
    start(&mut c, &p, T0 + 60_000);
    assert!(matches!(c.screen, Screen::Resume(_)), "{:?}", c.message);
    assert!(!results.exists(), "not made to lock a resumed attempt");
    act(&mut c, &p, Action::Yes, T0 + 61_000);
    act(&mut c, &p, Action::Next, T0 + 62_000);
    act(&mut c, &p, Action::Answer(1), T0 + 63_000);
    assert!(!results.exists(), "not made by the autosave");
    act(&mut c, &p, Action::Submit, T0 + 64_000);
    act(&mut c, &p, Action::Yes, T0 + 65_000);
    assert!(matches!(c.screen, Screen::Results(_)));
    assert!(!results.exists(), "not made by the submission");
    drop(c);
    // The attempt waits, with both answers, for the folder to come back.
    let waiting = p.pending.all_autosaves();
    assert_eq!(waiting.len(), 1);
    let answered = waiting[0]
        .1
        .slots
        .iter()
        .filter(|s| s.response.is_some())
        .count();
    assert_eq!(answered, 2);
    std::fs::create_dir_all(&results).unwrap();
    let done = recover(&p, &lib(), &[exam()], T0 + 70_000, Lang::En);
    assert_eq!(done.saved.len(), 1, "{done:?}");
    assert_eq!(Store::new(&results).load().records.len(), 1);
}
