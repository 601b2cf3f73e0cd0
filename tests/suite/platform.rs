//! What differs between Windows, macOS and Linux, checked on each (this module runs under Wine in
//! CI too): file names Windows can hold, paths with Arabic letters, and the results index
//! noticing an edited record on a platform without inodes.

use assert_cmd::Command;
use proptest::prelude::*;
use std::path::Path;
use tipquiz::bank::{Library, parse_bank};
use tipquiz::fsname::windows_name_problem;
use tipquiz::record::{AttemptRecord, Store, attempt_id};

const EVERY: &str = include_str!("../fixtures/valid/every-type.toml");
const T0: i64 = 1_800_000_000_000;

fn lib() -> Library {
    Library::build(vec![parse_bank("every-type.toml", EVERY).0.unwrap()]).0
}

fn record(lib: &Library, trainee: &str, start: i64) -> AttemptRecord {
    let s = crate::records::finished(lib, trainee, start, 4);
    AttemptRecord::from_session(&s, &attempt_id(&s.state), start + 60_000, "tipquiz test")
}

fn tipquiz(data: &Path) -> Command {
    let mut c = Command::cargo_bin("tipquiz").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("TIPQUIZ_LANG")
        .env_remove("LC_ALL")
        .env("LANG", "C.UTF-8")
        .env("TIPQUIZ_DATA", data)
        .env_remove("TIPQUIZ_NO_CACHE")
        .args(["--lang", "en", "--only-given-banks", "--bank"])
        .arg("tests/fixtures/valid/every-type.toml");
    c
}

fn name_of(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Record and autosave names are made by tipquiz from a trainee's name (any text, Arabic,
    /// `CON`, trailing dots) and an exam id: every one is a name Windows can hold.
    #[test]
    fn the_names_tipquiz_makes_are_valid_on_windows(
        trainee in prop_oneof![
            any::<String>(),
            Just("CON".to_owned()),
            Just("nul.".to_owned()),
            Just("سارة العتيبي ".to_owned()),
            "[a-zA-Z .:?*<>|\"\\\\/]{0,30}",
        ],
        exam in prop_oneof![
            Just("con".to_owned()),
            Just("nul".to_owned()),
            Just("com1".to_owned()),
            "[a-z0-9-]{1,24}",
        ],
    ) {
        let lib = lib();
        let mut r = record(&lib, "x", T0);
        r.trainee = trainee.clone();
        r.exam_id = exam.clone();
        let name = Store::record_name(&r);
        prop_assert_eq!(windows_name_problem(&name), None, "{}", name);
        let autosave = Store::new("autosave").autosave_path(&exam, &trainee);
        let autosave = name_of(&autosave);
        prop_assert_eq!(windows_name_problem(&autosave), None, "{}", autosave);
    }
}

#[test]
fn device_names_and_trailing_dots_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let results = dir.path().join("results");
    Store::new(&results)
        .commit(&record(&lib(), "Salem", T0), None)
        .unwrap();
    let cases: Vec<Vec<std::ffi::OsString>> = vec![
        vec!["new".into(), dir.path().join("CON.toml").into()],
        vec!["new".into(), dir.path().join("bank.toml.").into()],
        vec![
            "import".into(),
            "tests/fixtures/import/aiken.txt".into(),
            "-o".into(),
            dir.path().join("aux.toml").into(),
        ],
        vec![
            "--results".into(),
            results.clone().into(),
            "export".into(),
            "-o".into(),
            dir.path().join("nul.csv").into(),
        ],
        vec![
            "--results".into(),
            results.clone().into(),
            "export".into(),
            "-o".into(),
            dir.path().join("Lpt1.csv").into(),
        ],
    ];
    for args in cases {
        let out = tipquiz(data.path()).args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("cannot create") && err.contains("choose another name"),
            "{args:?}: {err}"
        );
    }
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| name_of(&e.unwrap().path()))
        .collect();
    left.sort();
    assert_eq!(left, ["results"], "nothing else was written");
}

/// A class folder, a bank and an export whose names are Arabic: written, listed, reported and
/// exported the same as ASCII ones (on Windows every path crosses UTF-16).
#[test]
fn arabic_folder_and_file_names_work_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let results = dir.path().join("نتائج الدورة");
    let store = Store::new(&results);
    let lib = lib();
    for (i, name) in ["سالم", "نورة", "Sara"].iter().enumerate() {
        store
            .commit(&record(&lib, name, T0 + i as i64 * 86_400_000), None)
            .unwrap();
    }
    assert_eq!(store.load().records.len(), 3);
    let bank = dir.path().join("بنك المؤشرات.toml");
    std::fs::write(&bank, EVERY).unwrap();
    let out = tipquiz(data.path())
        .arg("check")
        .arg(&bank)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let report = tipquiz(data.path())
        .arg("--results")
        .arg(&results)
        .arg("report")
        .output()
        .unwrap();
    let text = String::from_utf8(report.stdout).unwrap();
    assert!(report.status.success(), "{text}");
    assert!(
        text.contains("سالم") && text.contains("نورة") && text.contains("Sara"),
        "{text}"
    );
    let csv = dir.path().join("تصدير.csv");
    let out = tipquiz(data.path())
        .arg("--results")
        .arg(&results)
        .args(["export", "-o"])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let body = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(body.lines().count(), 4, "{body}");
    // A second report is served from the index, kept per folder under its (Arabic) path.
    let again = tipquiz(data.path())
        .arg("--results")
        .arg(&results)
        .arg("report")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(again.stdout).unwrap(), text);
}

/// An autosave replaced many times in a row stays whole, and a record is never replaced.
#[test]
fn replacing_is_atomic_and_records_are_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let lib = lib();
    let store = Store::new(dir.path());
    let s = crate::records::finished(&lib, "Noura", T0, 4);
    for _ in 0..20 {
        store.autosave(&s.state).unwrap();
    }
    assert!(store.load_autosave(&s.state.exam.id, "Noura").is_some());
    let r = record(&lib, "Noura", T0);
    let path = store.commit(&r, None).unwrap();
    assert_eq!(
        store.commit(&r, None).unwrap(),
        path,
        "the same record again is fine"
    );
    let mut other = r.clone();
    other.score = 0.0;
    // Another record under the same name is kept beside the first, never over it.
    let beside = store.commit(&other, None).unwrap();
    assert_ne!(beside, path);
    assert_eq!(tipquiz::record::read_record(&path).unwrap(), r);
    assert_eq!(tipquiz::record::read_record(&beside).unwrap().score, 0.0);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| name_of(&e.unwrap().path()))
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with(".tmp-")),
        "no temporary file left: {names:?}"
    );
}

/// The Windows build, run under Wine, prints what this build prints on Linux for `check`,
/// `list`, `report`, `import` and `export`: same exit code, same standard output, same standard
/// error. CI builds `tipquiz.exe` and names it in `TIPQUIZ_WINDOWS_EXE` (with `WINEPREFIX` set
/// up); elsewhere the test says it skipped.
#[cfg(unix)]
#[test]
fn the_windows_build_under_wine_prints_what_linux_prints() {
    let Some(exe) = std::env::var_os("TIPQUIZ_WINDOWS_EXE") else {
        assert!(
            std::env::var_os("TIPQUIZ_REQUIRE_TOOLS").is_none(),
            "TIPQUIZ_WINDOWS_EXE is required here (TIPQUIZ_REQUIRE_TOOLS is set)"
        );
        eprintln!("skipping: TIPQUIZ_WINDOWS_EXE not set (the Windows build under Wine)");
        return;
    };
    if crate::skip_without("wine") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let results = dir.path().join("results");
    let lib = lib();
    let store = Store::new(&results);
    for (i, name) in ["Salem", "نورة", "Sara"].iter().enumerate() {
        store
            .commit(&record(&lib, name, T0 + i as i64 * 86_400_000), None)
            .unwrap();
    }
    std::fs::write(results.join("notes.txt"), "not a record").unwrap();
    let results = results.to_str().unwrap();
    let bank = "tests/fixtures/valid/every-type.toml";
    let cases: Vec<Vec<&str>> = vec![
        vec!["check", "questions"],
        vec!["check", "questions", "--format", "json"],
        vec!["check", "tests/fixtures/invalid"],
        vec!["list"],
        vec![
            "--only-given-banks",
            "--bank",
            bank,
            "--results",
            results,
            "report",
        ],
        vec![
            "--only-given-banks",
            "--bank",
            bank,
            "--results",
            results,
            "report",
            "--format",
            "csv",
        ],
        vec![
            "--lang",
            "ar",
            "--only-given-banks",
            "--bank",
            bank,
            "--results",
            results,
            "report",
        ],
        vec!["import", "tests/fixtures/import/all-constructs.gift"],
        vec![
            "import",
            "tests/fixtures/import/questions.csv",
            "--from",
            "csv",
        ],
        vec![
            "--only-given-banks",
            "--bank",
            bank,
            "--results",
            results,
            "export",
        ],
        vec![
            "--only-given-banks",
            "--bank",
            bank,
            "--results",
            results,
            "export",
            "--responses",
        ],
        vec!["export", "--to", "gift", bank],
        vec!["export", "--to", "moodle-xml", bank],
    ];
    let run = |program: &std::ffi::OsStr, pre: Option<&std::ffi::OsStr>, args: &[&str]| {
        let mut c = match pre {
            Some(p) => {
                let mut c = std::process::Command::new(p);
                c.arg(program);
                c
            }
            None => std::process::Command::new(program),
        };
        let out = c
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("TIPQUIZ_LANG")
            .env_remove("LC_ALL")
            .env("LANG", "C.UTF-8")
            .env("TIPQUIZ_DATA", &data)
            .env("TIPQUIZ_NO_CACHE", "1")
            .env("WINEDEBUG", "-all")
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let linux = std::ffi::OsString::from(env!("CARGO_BIN_EXE_tipquiz"));
    for args in &cases {
        let want = run(&linux, None, args);
        let got = run(&exe, Some(std::ffi::OsStr::new("wine")), args);
        assert!(!want.1.is_empty(), "{args:?}: no output on Linux");
        assert_eq!(
            got.0, want.0,
            "{args:?}: exit code; stderr under Wine:\n{}",
            got.2
        );
        assert_eq!(got.1, want.1, "{args:?}: standard output");
        assert_eq!(got.2, want.2, "{args:?}: standard error");
    }
}
