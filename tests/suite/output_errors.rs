//! What the commands that print to standard output do when it cannot be written: a full disk
//! (`> /dev/full`) is an error with a message and exit 2, never a silent success; a reader that
//! closed the pipe early (`| head -1`) ends the program quietly with the command's own code.

use crate::class::{T0, commit, final_assessment, right, shipped, sit, wrong};
use std::path::Path;
use std::process::{Command, Stdio};

/// A class of three with real answers (28, 22 and 15 of 30 right) in `d`'s results folder.
fn class_of_three(d: &Path) {
    let lib = shipped();
    let exam = final_assessment();
    let results = d.join("results");
    for (k, (name, right_of_30)) in [("Salem Haddad", 28), ("Huda Nasser", 22), ("سالم علي", 15)]
        .into_iter()
        .enumerate()
    {
        let start = T0 + i64::try_from(k).unwrap() * 60_000;
        let (s, end) = sit(
            &exam,
            &lib,
            name,
            start,
            &|i, q| Some((if i < right_of_30 { right(q) } else { wrong(q) }, 4_000)),
            true,
        );
        commit(&results, &s, end, None);
    }
}

/// The commands that print to standard output, each with something to print.
const COMMANDS: &[&[&str]] = &[
    &["export"],
    &["export", "--responses"],
    &["export", "--attempts", "all"],
    &["report"],
    &["report", "--format", "csv"],
    &["report", "--format", "json"],
    &["report", "--format", "html"],
    &["history", "--trainee", "Salem Haddad"],
    &["list"],
    &["list", "--format", "json"],
    &["check", "questions"],
    &["export", "--to", "gift", "questions/indicators.toml"],
    &["completions", "bash"],
    &["man"],
    &["--help"],
    &["report", "--help"],
];

/// The real binary as `class::tq` runs it (data and results in `d`, English), from the
/// repository (for the shipped bank files).
fn command(d: &Path, args: &[&str]) -> Command {
    command_in(d, "en", args)
}

/// [`command`] in `lang`.
fn command_in(d: &Path, lang: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tipquiz"));
    c.env("TIPQUIZ_DATA", d.join("data"))
        .env("TIPQUIZ_RESULTS", d.join("results"))
        .env_remove("TIPQUIZ_KEY_FILE")
        .env_remove("TIPQUIZ_NO_CACHE")
        .env("LANG", "C.UTF-8")
        .args(["--lang", lang])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

#[test]
fn a_full_disk_on_standard_output_is_an_error_with_what_to_do() {
    let d = tempfile::tempdir().unwrap();
    class_of_three(d.path());
    for args in COMMANDS {
        // What the command prints when it can: something, and exit 0.
        let ok = command(d.path(), args).output().unwrap();
        assert_eq!(ok.status.code(), Some(0), "{args:?}: {ok:?}");
        assert!(ok.stdout.len() > 40, "{args:?} printed little: {ok:?}");
        // The same to a full disk.
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = command(d.path(), args)
            .stdout(Stdio::from(full))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("cannot write to standard output: No space left on device")
                && err.contains("Make room where it goes"),
            "{args:?}: {err}"
        );
        assert_eq!(
            err.matches("cannot write to standard output").count(),
            1,
            "{args:?}: said once: {err}"
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn the_full_disk_message_follows_the_language() {
    let d = tempfile::tempdir().unwrap();
    class_of_three(d.path());
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = command_in(d.path(), "ar", &["export"])
        .stdout(Stdio::from(full))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("تعذّرت الكتابة في المخرج القياسي") && err.contains("-o FILE"),
        "{err}"
    );
}

#[test]
fn a_reader_that_closed_the_pipe_ends_the_program_quietly() {
    let d = tempfile::tempdir().unwrap();
    class_of_three(d.path());
    for args in COMMANDS {
        // The reader is gone before the program writes a byte: every write meets a closed pipe
        // (as `| head -1` does once it has its line).
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = command(d.path(), args)
            .stdout(Stdio::from(writer))
            .output()
            .unwrap();
        // Nothing about the pipe (the command's own notes, as the GIFT export's, stay).
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(
            !err.contains("standard output")
                && !err.contains("Broken pipe")
                && !err.contains("panicked"),
            "{args:?}: {err}"
        );
        if !args.contains(&"gift") {
            assert!(err.is_empty(), "{args:?}: {err}");
        }
    }
    // A command that finds problems keeps its own code when its reader leaves.
    let bad = d.path().join("bad.toml");
    std::fs::write(&bad, "id = \"x\"\n[[question]]\n").unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = command(d.path(), &["check", bad.to_str().unwrap()])
        .stdout(Stdio::from(writer))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("standard output"));
}

#[test]
fn head_takes_its_line_and_the_pipeline_succeeds() {
    let d = tempfile::tempdir().unwrap();
    class_of_three(d.path());
    // Every response of the class (90 rows) read by a real `head -1`, with pipefail: the
    // shell sees 0 and nothing on standard error, whether the program had written all before
    // the reader left or met the closed pipe.
    let bin = env!("CARGO_BIN_EXE_tipquiz");
    let out = Command::new("bash")
        .args([
            "-c",
            &format!("set -o pipefail; {bin} --lang en export --responses | head -1"),
        ])
        .env("TIPQUIZ_DATA", d.path().join("data"))
        .env("TIPQUIZ_RESULTS", d.path().join("results"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{text}{err}");
    assert!(err.is_empty(), "{err}");
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("trainee"), "{text}");
}
