//! The autosave journal at the lengths a key must cost the same at: 30 and 10,000 questions.
//! A key compares only the questions it names; the journal is compacted into a new snapshot
//! at 10,000 questions with its line numbers carried over, and what is read back from the disk
//! after it is the attempt on screen.

use std::path::Path;
use std::sync::Arc;
use tipquiz::bank::{Library, parse_bank};
use tipquiz::exam::{ExamDef, Mode};
use tipquiz::record::journal::journal_path;
use tipquiz::text::Lang;
use tipquiz::tui::app::{App, Prefs};
use tipquiz::tui::host::{Host, Places, Saver};
use tipquiz::tui::keymap::Action;

const T0: i64 = 1_800_000_000_000;
const TRAINEE: &str = "Omar Haddad";

/// A bank of `n` single-choice questions (four choices each, the first right).
fn bank(n: usize) -> Arc<Library> {
    let mut s = String::from(
        "format = 1\nid = \"long\"\ntopic = \"long\"\nlanguages = [\"en\"]\ntitle = \"Long bank\"\n",
    );
    for i in 0..n {
        s.push_str(&format!(
            "\n[[question]]\nid = \"long-{i:05}\"\ntype = \"single\"\ndifficulty = \"easy\"\n\
             prompt = \"Question {i}: which document shows the right to work?\"\n\
             choices = [\"Permit {i}\", \"Receipt\", \"Ticket\", \"Letter\"]\nanswer = \"a\"\n\
             explanation = \"A work permit shows the right to work.\"\nsource = \"Labour law, art. {i}\"\n"
        ));
    }
    let (b, diags) = parse_bank("long.toml", &s);
    let b = b.unwrap_or_else(|| panic!("{:?}", &diags[..diags.len().min(3)]));
    Arc::new(Library::build(vec![b]).0)
}

fn places(d: &Path) -> Places {
    std::fs::create_dir_all(d.join("results")).unwrap();
    crate::resume::places(d, &d.join("results"))
}

/// A timed exam of all `n` questions, in file order, started at `T0`.
fn started(lib: &Arc<Library>, p: &Places, n: usize) -> (App, Host) {
    let mut exam = ExamDef::quick(&[], n, Some(36_000), Mode::Exam);
    exam.shuffle_questions = false;
    let mut a = App::new(
        Arc::clone(lib),
        Vec::new(),
        &Prefs::default(),
        Lang::En,
        p.autosaves.clone(),
    );
    a.fixed_exam = Some(exam);
    a.places = Some(p.clone());
    a.form_mut().trainee = TRAINEE.into();
    let mut h = Host::new(p.clone()).with_saver(Saver::start());
    let fx = a.start(T0);
    h.execute(&mut a, &fx, T0);
    assert_eq!(a.session().map(|s| s.len()), Some(n), "{:?}", a.message);
    (a, h)
}

fn act(a: &mut App, h: &mut Host, action: Action, now: i64) {
    let fx = a.update(action, now);
    h.execute(a, &fx, now);
}

/// Every key of a trainee going through the paper compares at most the two questions it
/// names (the one left and the one shown), at 30 questions and at 10,000 alike.
#[test]
fn a_key_compares_at_most_two_questions_at_any_length() {
    for n in [30usize, 10_000] {
        let d = tempfile::tempdir().unwrap();
        let p = places(d.path());
        let lib = bank(n);
        let (mut a, mut h) = started(&lib, &p, n);
        let mut most = 0;
        let mut now = T0 + 1_000;
        let keys = [
            Action::Answer(0),
            Action::Next,
            Action::Flag,
            Action::Answer(2),
            Action::Prev,
            Action::Answer(1),
            Action::Next,
            Action::Next,
        ];
        for k in keys.iter().cycle().take(80) {
            now += 500;
            act(&mut a, &mut h, *k, now);
            let c = h
                .journal_compared()
                .expect("a journal line, not a snapshot");
            most = most.max(c);
        }
        assert!(most <= 2, "{n} questions: a key compared {most}");
        assert!(most >= 1, "{n} questions: the keys compared nothing");
        // What the keys did is on the disk: 20 questions answered, read back.
        h.flush();
        let back = p.autosaves.load_autosave("quick-all", TRAINEE).unwrap();
        let s = a.session().unwrap();
        assert_eq!(back.slots, s.state.slots, "{n} questions");
        assert_eq!(s.answered(), 20);
        drop(h);
    }
}

/// At 10,000 questions the journal grows to the snapshot's size (about 1.8 MB) and is then
/// compacted: a new snapshot that says up to which line it holds, and a journal whose lines go
/// on from that number. Read back from the disk at every stage, the attempt is the one on
/// screen, and the bytes written per key stay a few hundred.
#[test]
fn at_ten_thousand_questions_compaction_carries_the_line_numbers_over() {
    let n = 10_000;
    let d = tempfile::tempdir().unwrap();
    let p = places(d.path());
    let lib = bank(n);
    let (mut a, mut h) = started(&lib, &p, n);
    let snap = p.autosaves.autosave_path("quick-all", TRAINEE);
    let journal = journal_path(&snap);
    let first_size = std::fs::metadata(&snap).unwrap().len();
    assert!(first_size > 1_000_000, "{first_size}");
    let number = |path: &Path| -> u64 {
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        v["journal"].as_u64().unwrap_or(0)
    };
    assert_eq!(number(&snap), 0);
    // Answer and move on, until the journal is emptied into a new snapshot.
    let mut now = T0 + 1_000;
    let mut keys = 0u64;
    let mut longest = 0u64;
    loop {
        assert!(keys < 20_000, "no compaction after {keys} keys");
        let before = std::fs::metadata(&journal).map_or(0, |m| m.len());
        now += 100;
        let k = if keys.is_multiple_of(2) {
            Action::Answer(usize::try_from(keys / 2 % 4).unwrap())
        } else {
            Action::Next
        };
        act(&mut a, &mut h, k, now);
        keys += 1;
        let after = std::fs::metadata(&journal).map_or(0, |m| m.len());
        if after < before {
            break;
        }
        longest = longest.max(after - before);
    }
    assert!(longest < 600, "a line of {longest} bytes");
    // The journal reached the snapshot's size: one line a key.
    let carried = number(&snap);
    assert_eq!(
        carried,
        keys - 1,
        "the new snapshot holds every line before it"
    );
    assert!(
        carried * longest >= first_size,
        "{carried} lines of at most {longest} B before a {first_size} B snapshot"
    );
    // The compacting key wrote the snapshot; the next keys go on from its number.
    assert_eq!(std::fs::metadata(&journal).map_or(0, |m| m.len()), 0);
    for k in 0..3 {
        now += 100;
        act(&mut a, &mut h, Action::Answer(k), now);
        act(&mut a, &mut h, Action::Next, now + 50);
    }
    h.flush();
    let lines: Vec<serde_json::Value> = std::fs::read(&journal)
        .unwrap()
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    let seqs: Vec<u64> = lines.iter().map(|l| l["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (carried + 1..=carried + 6).collect::<Vec<_>>());
    // Killed here (nothing more written): the disk has the attempt on screen.
    let s = a.session().unwrap().state.clone();
    drop(h);
    drop(a);
    let back = p.autosaves.load_autosave("quick-all", TRAINEE).unwrap();
    assert_eq!(back.journal, carried + 6);
    assert_eq!(back.slots, s.slots);
    assert_eq!(back.current, s.current);
    // Every question before the current one answered (one Next per two keys, three more after
    // the compaction), none after it.
    assert_eq!(back.current, usize::try_from(keys / 2).unwrap() + 3);
    let answered: Vec<usize> = (0..n)
        .filter(|i| back.slots[*i].response.is_some())
        .collect();
    assert_eq!(answered, (0..back.current).collect::<Vec<_>>());
    // A line the snapshot already holds, replayed again, is skipped.
    let mut old = back.clone();
    tipquiz::record::journal::replay(
        &mut old,
        format!("{}\n", serde_json::to_string(&lines[0]).unwrap()).as_bytes(),
    );
    assert_eq!(old, back);
}
