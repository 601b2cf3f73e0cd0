//! Hostile and broken input: a corpus of hostile banks checked by the real binary (no panic, a
//! clear error or a clean load, time and peak memory printed), and random terminal sizes for
//! every screen.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use tipquiz::bank::{Library, parse_bank};
use tipquiz::exam::{ExamDef, Mode};
use tipquiz::record::Store;
use tipquiz::text::Lang;
use tipquiz::tui::app::{App, Overlay, Prefs, Screen};
use tipquiz::tui::bidi::BidiMode;
use tipquiz::tui::ui::{Display, Theme, draw};

const REAL: &str = include_str!("../../questions/indicators.toml");

fn corpus(dir: &Path) -> Vec<(&'static str, Vec<u8>)> {
    let head = "format = 1\nid = \"h\"\nlanguages = [\"en\"]\ntitle = \"H\"\n";
    let q = |i: usize| {
        format!(
            "[[question]]\nid = \"q-{i}\"\ntype = \"true-false\"\nprompt = \"P{i}\"\nanswer = true\nexplanation = \"E\"\nsource = \"S\"\n"
        )
    };
    let mut v: Vec<(&'static str, Vec<u8>)> = vec![
        (
            "deep-arrays",
            format!("{head}x = {}{}", "[".repeat(50_000), "]".repeat(50_000)).into_bytes(),
        ),
        (
            "deep-tables",
            format!(
                "{head}x = {}{}",
                "{ a = ".repeat(20_000),
                "}".repeat(20_000)
            )
            .into_bytes(),
        ),
        (
            "huge-string",
            format!(
                "{head}{}",
                q(1).replace("P1", &"x".repeat(20 * 1024 * 1024))
            )
            .into_bytes(),
        ),
        (
            "many-tiny-tables",
            format!("{head}{}", (0..20_000).map(q).collect::<String>()).into_bytes(),
        ),
        (
            "many-keys",
            format!(
                "{head}{}",
                (0..200_000)
                    .map(|i| format!("k{i} = {i}\n"))
                    .collect::<String>()
            )
            .into_bytes(),
        ),
        (
            "escape-sequences",
            format!(
                "{head}{}",
                q(1).replace("P1", "\\u001b[2J\\u001b]0;owned\\u0007")
            )
            .into_bytes(),
        ),
        (
            "bidi-overrides",
            format!("{head}{}", q(1).replace("P1", "abc\u{202E}def\u{2066}")).into_bytes(),
        ),
        (
            "invalid-utf8",
            [head.as_bytes(), b"title2 = \"\xff\xfe\"\n"].concat(),
        ),
        (
            "bom",
            [b"\xef\xbb\xbf".as_slice(), REAL.as_bytes()].concat(),
        ),
        ("crlf", REAL.replace('\n', "\r\n").into_bytes()),
        ("empty", Vec::new()),
        (
            "misspelt-keys",
            REAL.replacen("explanation", "explaination", 3)
                .replacen("prompt", "promt", 2)
                .into_bytes(),
        ),
        (
            "wrong-types",
            REAL.replacen("difficulty = \"easy\"", "difficulty = 1", 5)
                .replacen("answer = \"", "answer = 3 #\"", 3)
                .into_bytes(),
        ),
        (
            "binary",
            (0..100_000u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
                .collect(),
        ),
        ("nul-bytes", format!("{head}\0\0\0").into_bytes()),
        (
            "long-line",
            format!("{head}# {}\n", "#".repeat(5_000_000)).into_bytes(),
        ),
        (
            "unicode-keys",
            format!("{head}\"\u{202E}key\" = 1\n").into_bytes(),
        ),
    ];
    let over = dir.join("over-cap.toml");
    let f = std::fs::File::create(&over).unwrap();
    f.set_len(tipquiz::walk::MAX_FILE_BYTES + 1).unwrap();
    v.push(("over-cap", Vec::new()));
    v
}

/// Run `tipquiz check` on a file; return (exit code, stdout, seconds, peak memory in MiB). Where
/// there is no `wait4` (Windows), the peak memory is not measured and reads 0.
#[cfg(not(unix))]
fn check_child(path: &Path) -> (Option<i32>, String, f64, f64) {
    let start = std::time::Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_tipquiz"))
        .arg("check")
        .arg(path)
        .stderr(std::process::Stdio::null())
        .output()
        .unwrap();
    let secs = start.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code(), stdout, secs, 0.0)
}

/// Run `tipquiz check` on a file; return (exit code, stdout, seconds, peak memory in MiB).
#[cfg(unix)]
fn check_child(path: &Path) -> (Option<i32>, String, f64, f64) {
    let start = std::time::Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tipquiz"))
        .arg("check")
        .arg(path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    let pid = i32::try_from(child.id()).unwrap();
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child with valid pointers.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid);
    let secs = start.elapsed().as_secs_f64();
    let out = reader.join().unwrap();
    // Reaped by wait4 above; this only drops the handle.
    let _ = child.try_wait();
    let code = if libc::WIFEXITED(status) {
        Some(libc::WEXITSTATUS(status))
    } else {
        None
    };
    (code, out, secs, usage.ru_maxrss as f64 / 1024.0)
}

#[test]
fn hostile_banks_give_a_clear_error_or_load_and_never_panic() {
    let d = tempfile::tempdir().unwrap();
    let mut report = String::from("hostile corpus (tipquiz check):\n");
    for (name, bytes) in corpus(d.path()) {
        let path = d.path().join(format!("{name}.toml"));
        if name != "over-cap" {
            std::fs::write(&path, &bytes).unwrap();
        }
        let (code, out, secs, mib) = check_child(&path);
        report.push_str(&format!(
            "  {name:<18} exit {code:?}  {secs:.3} s  peak {mib:.1} MiB\n"
        ));
        assert!(
            matches!(code, Some(0 | 1)),
            "{name}: exit {code:?} (a crash or a panic)\n{out}"
        );
        if code == Some(1) {
            assert!(out.contains("error["), "{name}: no diagnostic:\n{out}");
        }
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{202E}'),
            "{name}: raw control or bidi characters reached the output"
        );
        assert!(mib < 700.0, "{name}: {mib:.0} MiB");
        let expect_ok = matches!(name, "bom" | "crlf" | "many-tiny-tables");
        assert_eq!(code == Some(0), expect_ok, "{name}: {out}");
    }
    eprint!("{report}");
}

// ---------- random terminal sizes ----------

fn apps() -> Vec<App> {
    let lib = Arc::new(
        Library::build(vec![
            parse_bank("e.toml", include_str!("../fixtures/valid/every-type.toml"))
                .0
                .unwrap(),
        ])
        .0,
    );
    let mut out = Vec::new();
    for lang in [Lang::En, Lang::Ar] {
        let home = App::new(
            Arc::clone(&lib),
            Vec::new(),
            &Prefs::default(),
            lang,
            Store::new(std::env::temp_dir().join("tq-none")),
        );
        let mut quiz = App::new(
            Arc::clone(&lib),
            Vec::new(),
            &Prefs::default(),
            lang,
            Store::new(std::env::temp_dir().join("tq-none")),
        );
        quiz.fixed_exam = Some(ExamDef::quick(&[], 6, Some(600), Mode::Practice));
        quiz.form_mut().trainee = "t".into();
        let _ = quiz.start(0);
        let _ = quiz.handle_key(KeyEvent::new(KeyCode::Char('1'), KeyModifiers::NONE), 1);
        let mut help = quiz.clone();
        help.overlay = Overlay::Help;
        let mut submit = quiz.clone();
        submit.overlay = Overlay::ConfirmSubmit;
        let mut results = quiz.clone();
        let _ = results.act(tipquiz::quiz::Action::Submit, 2);
        let mut review = results.clone();
        if let Screen::Results(f) = review.screen.clone() {
            review.screen = Screen::Review(f, 0);
        }
        out.extend([home, quiz, help, submit, results, review]);
    }
    out
}

#[test]
fn every_screen_draws_at_random_sizes_without_panicking() {
    let apps = apps();
    let mut rng: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |m: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % m
    };
    let d = Display {
        mode: BidiMode::Reorder,
        shaping: true,
        theme: Theme { color: true },
    };
    let mut draws = 0;
    for _ in 0..20_000 / apps.len() + 1 {
        for a in &apps {
            let (w, h) = (
                u16::try_from(next(301)).unwrap(),
                u16::try_from(next(101)).unwrap(),
            );
            let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
            t.draw(|f| {
                draw(f, a, d, 5_000);
            })
            .unwrap();
            draws += 1;
        }
    }
    assert!(draws >= 20_000);
}
