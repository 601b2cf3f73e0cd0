//! What packages and shells use: `tipquiz completions SHELL` and `tipquiz man`, both made from
//! the command-line definitions, checked against those definitions and loaded by the real tools.

use assert_cmd::Command;

fn tipquiz() -> Command {
    let mut c = Command::cargo_bin("tipquiz").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("LANG", "C.UTF-8")
        .env_remove("TIPQUIZ_LANG");
    c
}

fn stdout_of(c: &mut Command) -> String {
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The visible commands of the definitions (what a user can type after `tipquiz`).
fn commands() -> Vec<String> {
    let cmd = <tipquiz::cli::Cli as clap::CommandFactory>::command();
    let names: Vec<String> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| s.get_name().to_owned())
        .collect();
    assert!(names.len() >= 13, "{names:?}");
    names
}

#[test]
fn every_shell_gets_a_script_that_names_every_command() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = stdout_of(tipquiz().args(["completions", shell]));
        for c in commands() {
            assert!(out.contains(&c), "{shell}: no `{c}` in its completions");
        }
        assert!(out.contains("only-given-banks"), "{shell}: options too");
    }
    // An unknown shell is a usage error that lists the shells.
    let out = tipquiz().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("powershell"), "{err}");
}

/// Complete `line` (the cursor at its end) with the bash script loaded, as bash does on Tab.
#[cfg(unix)]
fn bash_complete(script: &std::path::Path, words: &[&str]) -> Vec<String> {
    let line = words.join(" ");
    let program = format!(
        "source {script:?} || exit 9\n\
         complete -p tipquiz >/dev/null || exit 8\n\
         COMP_WORDS=({words})\n\
         COMP_CWORD={cword}\n\
         COMP_LINE={line:?}\n\
         COMP_POINT=${{#COMP_LINE}}\n\
         _tipquiz tipquiz {cur:?} {prev:?}\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        words = words
            .iter()
            .map(|w| format!("{w:?}"))
            .collect::<Vec<_>>()
            .join(" "),
        cword = words.len() - 1,
        cur = words[words.len() - 1],
        prev = words[words.len().saturating_sub(2)],
    );
    let out = std::process::Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "bash: {:?} {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[cfg(unix)]
#[test]
fn bash_loads_the_completions_and_completes_commands_options_and_values() {
    if crate::skip_without("bash") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("tipquiz.bash");
    std::fs::write(&script, stdout_of(tipquiz().args(["completions", "bash"]))).unwrap();
    assert_eq!(bash_complete(&script, &["tipquiz", "rep"]), ["report"]);
    let all = bash_complete(&script, &["tipquiz", ""]);
    for c in commands() {
        assert!(all.contains(&c), "{c} not offered: {all:?}");
    }
    assert_eq!(
        bash_complete(&script, &["tipquiz", "report", "--form"]),
        ["--format"]
    );
    let formats = bash_complete(&script, &["tipquiz", "report", "--format", ""]);
    assert_eq!(formats, ["table", "csv", "json", "html"]);
    let shells = bash_complete(&script, &["tipquiz", "completions", "p"]);
    assert_eq!(shells, ["powershell"]);
}

#[test]
fn the_man_page_is_made_from_the_definitions() {
    let page = stdout_of(tipquiz().arg("man"));
    assert!(page.contains(".TH tipquiz 1"), "{page}");
    assert!(page.contains(env!("CARGO_PKG_VERSION")));
    for c in commands() {
        assert!(page.contains(&format!("tipquiz\\-{c}(1)")), "no {c}");
    }
    let cmd = <tipquiz::cli::Cli as clap::CommandFactory>::command();
    for a in cmd.get_arguments() {
        if let Some(long) = a.get_long() {
            let roff = format!("\\-\\-{}", long.replace('-', "\\-"));
            assert!(page.contains(&roff), "no --{long}");
        }
    }
    // Every page, into a folder: one per command, each naming its own options.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    stdout_of(tipquiz().arg("man").arg("--dir").arg(&out));
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut want: Vec<String> = commands()
        .iter()
        .map(|c| format!("tipquiz-{c}.1"))
        .chain(["tipquiz.1".to_owned()])
        .collect();
    want.sort();
    assert_eq!(files, want);
    let report = std::fs::read_to_string(out.join("tipquiz-report.1")).unwrap();
    assert!(report.contains("\\-\\-attempts"), "{report}");
    assert_eq!(
        std::fs::read_to_string(out.join("tipquiz.1")).unwrap(),
        page
    );
}

#[cfg(unix)]
#[test]
fn man_shows_the_page() {
    if crate::skip_without("man") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tipquiz.1");
    std::fs::write(&file, stdout_of(tipquiz().arg("man"))).unwrap();
    let out = std::process::Command::new("man")
        .arg("-l")
        .arg(&file)
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    for heading in ["NAME", "SYNOPSIS", "OPTIONS", "SUBCOMMANDS"] {
        assert!(text.contains(heading), "{heading}:\n{text}");
    }
    assert!(text.contains("--only-given-banks"), "{text}");
    // NAME names the program once: "tipquiz - a terminal training quiz ...".
    assert!(
        text.contains("tipquiz - a terminal training quiz") && !text.contains("tipquiz - tipquiz"),
        "{text}"
    );
}

#[test]
fn a_man_folder_that_cannot_be_made_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let out = tipquiz()
        .args(["--lang", "en", "man", "--dir"])
        .arg(file.join("man1"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot write") && err.contains("man1"),
        "{err}"
    );
}
