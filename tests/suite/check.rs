//! Bank validation: one fixture per rule, the shipped banks, and the `check` command.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tipquiz::bank::{Library, parse_bank};
use tipquiz::diag::{Severity, render_all};

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

fn rule_of(stem: &str) -> &str {
    match stem {
        "too-few-order" => "too-few",
        "missing-language-plain" => "missing-language",
        "five-mistakes" => "unknown-key",
        other => other,
    }
}

#[test]
fn every_invalid_fixture_reports_its_rule_with_place_and_hint() {
    let files = fixtures("tests/fixtures/invalid");
    assert!(files.len() >= 24, "fixtures missing: {}", files.len());
    for f in files {
        let stem = f.file_stem().unwrap().to_str().unwrap().to_owned();
        let text = std::fs::read_to_string(&f).unwrap();
        let name = format!("invalid/{stem}.toml");
        let (bank, diags) = parse_bank(&name, &text);
        let rule = rule_of(&stem);
        let d = diags
            .iter()
            .find(|d| d.code == rule)
            .unwrap_or_else(|| panic!("{stem}: no `{rule}` diagnostic in {diags:#?}"));
        if d.code != "no-explanation" && d.code != "no-source" {
            assert_eq!(d.severity, Severity::Error, "{stem}");
            assert!(bank.is_none(), "{stem}: a bank with errors must not load");
        }
        assert!(d.line > 0 && d.column > 0, "{stem}: no place");
        assert!(d.hint.is_some(), "{stem}: no hint");
        insta::assert_snapshot!(format!("check__{stem}"), render_all(&diags));
    }
}

#[test]
fn warnings_do_not_stop_a_bank_from_loading() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid/no-explanation.toml"),
    )
    .unwrap();
    let (bank, diags) = parse_bank("x.toml", &text);
    assert!(bank.is_some());
    assert!(diags.iter().all(|d| d.severity == Severity::Warning));
    assert!(
        diags.iter().any(|d| d.code == "no-explanation")
            && diags.iter().any(|d| d.code == "no-source")
    );
}

#[test]
fn valid_fixture_loads_every_type() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/every-type.toml"),
    )
    .unwrap();
    let (bank, diags) = parse_bank("every-type.toml", &text);
    assert!(diags.is_empty(), "{}", render_all(&diags));
    let bank = bank.unwrap();
    let types: Vec<&str> = bank.questions.iter().map(|q| q.kind.name()).collect();
    assert_eq!(
        types,
        [
            "single",
            "multiple",
            "true-false",
            "short",
            "order",
            "match"
        ]
    );
    assert_eq!(bank.questions[3].points, 2);
    assert_eq!(bank.questions[3].time_limit, Some(90));
    assert_eq!(bank.hash.len(), 64);
}

#[test]
fn duplicate_ids_across_banks_are_reported_with_both_places() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/every-type.toml"),
    )
    .unwrap();
    let (a, _) = parse_bank("a.toml", &text);
    let (b, _) = parse_bank(
        "b.toml",
        &text.replace("id = \"sample\"", "id = \"sample-two\""),
    );
    let (lib, diags) = Library::build(vec![a.unwrap(), b.unwrap()]);
    assert_eq!(diags.len(), 6, "{}", render_all(&diags));
    assert!(
        diags
            .iter()
            .all(|d| d.code == "duplicate-id" && d.file == "b.toml" && d.line > 0)
    );
    assert!(
        diags[0].message.contains("also used in a.toml (line"),
        "{}",
        diags[0].message
    );
    assert_eq!(lib.questions().count(), 6);
}

#[test]
fn every_shipped_bank_is_valid_without_warnings() {
    let (banks, diags) = tipquiz::bank::load_shipped();
    assert!(diags.is_empty(), "{}", render_all(&diags));
    let (lib, diags) = Library::build(banks);
    assert!(diags.is_empty(), "{}", render_all(&diags));
    assert_eq!(lib.banks.len(), 5);
}

#[test]
fn every_bank_file_in_questions_is_shipped() {
    let mut on_disk: Vec<String> = fixtures("questions")
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut shipped: Vec<String> = tipquiz::bank::SHIPPED_BANKS
        .iter()
        .map(|(n, _)| (*n).to_owned())
        .collect();
    shipped.sort();
    assert_eq!(
        on_disk, shipped,
        "a bank in questions/ is not embedded in the binary (src/bank/mod.rs)"
    );
}

fn tipquiz() -> Command {
    let mut c = Command::cargo_bin("tipquiz").unwrap();
    c.env(
        "TIPQUIZ_DATA",
        std::env::temp_dir().join("tipquiz-test-data"),
    )
    .env_remove("TIPQUIZ_RESULTS");
    c
}

#[test]
fn check_prints_all_five_mistakes_with_line_and_column_and_exits_1() {
    let out = tipquiz()
        .args(["check", "tests/fixtures/invalid/five-mistakes.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let s = String::from_utf8(out.stdout).unwrap();
    for (code, place) in [
        ("bad-difficulty", "five-mistakes.toml:10:14"),
        ("answer-out-of-range", "five-mistakes.toml:13:10"),
        ("unknown-key", "five-mistakes.toml:14:1"),
        ("duplicate-id", "five-mistakes.toml:18:6"),
        ("missing-language", "five-mistakes.toml:22:"),
    ] {
        assert!(
            s.contains(&format!("error[{code}]")),
            "{code} missing:\n{s}"
        );
        assert!(s.contains(place), "{place} missing:\n{s}");
    }
    assert!(s.contains("5 error(s)"), "{s}");
}

#[test]
fn check_exit_codes_and_json() {
    tipquiz()
        .args(["check", "tests/fixtures/valid/every-type.toml"])
        .assert()
        .code(0);
    tipquiz().args(["check"]).assert().code(0);
    tipquiz().args(["check", "questions"]).assert().code(0);
    tipquiz()
        .args(["check", "no/such/file.toml"])
        .assert()
        .code(2);
    tipquiz().args(["check", "--bogus"]).assert().code(2);
    let out = tipquiz()
        .args([
            "check",
            "--format",
            "json",
            "tests/fixtures/invalid/bad-type.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["errors"], 1);
    assert_eq!(v["diagnostics"][0]["code"], "bad-type");
    assert_eq!(v["diagnostics"][0]["line"], 9);
    let warn = tipquiz()
        .args([
            "check",
            "--deny-warnings",
            "tests/fixtures/invalid/no-explanation.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(warn.status.code(), Some(1));
}

/// A value with a terminal escape in it: the text output shows it neutralised, the JSON output
/// carries it as the file has it (JSON-escaped), never the terminal's escaped form.
#[test]
fn check_escapes_for_the_terminal_only_when_printing_text() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("bank.toml");
    let text = std::fs::read_to_string("tests/fixtures/invalid/bad-type.toml")
        .unwrap()
        .replace("type = \"essay\"", "type = \"es\\u001b[2Jsay\"");
    std::fs::write(&path, text).unwrap();
    let out = tipquiz().arg("check").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(!shown.contains('\u{1b}'), "{shown:?}");
    assert!(shown.contains("es\\u{1b}[2Jsay"), "{shown}");
    let out = tipquiz()
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let raw = String::from_utf8(out.stdout).unwrap();
    assert!(!raw.contains('\u{1b}'), "JSON escapes it itself: {raw:?}");
    let v: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let message = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "bad-type")
        .and_then(|d| d["message"].as_str())
        .unwrap_or_else(|| panic!("no bad-type diagnostic: {v}"));
    assert!(message.contains("es\u{1b}[2Jsay"), "{message:?}");
    assert!(!message.contains("\\u{1b}"), "{message:?}");
}

#[test]
fn check_never_panics_on_garbage_or_huge_files() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.toml");
    let bytes: Vec<u8> = (0..65_536u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&garbage, bytes).unwrap();
    let out = tipquiz().arg("check").arg(&garbage).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("not-utf8"));
    let huge = dir.path().join("huge.toml");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(50 * 1024 * 1024).unwrap();
    let out = tipquiz().arg("check").arg(&huge).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("file-too-large"));
    // Text that is valid UTF-8 but hostile TOML.
    let deep = dir.path().join("deep.toml");
    std::fs::write(
        &deep,
        format!("x = {}{}", "[".repeat(100_000), "]".repeat(100_000)),
    )
    .unwrap();
    let out = tipquiz().arg("check").arg(&deep).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn list_shows_the_shipped_banks_with_counts() {
    let out = tipquiz().arg("list").output().unwrap();
    assert!(out.status.success());
    let s = String::from_utf8(out.stdout).unwrap();
    for b in [
        "indicators",
        "national-law",
        "international-law",
        "referral",
        "scenarios",
    ] {
        assert!(s.contains(b), "{b} missing from:\n{s}");
    }
    assert!(s.contains("5 bank(s)"));
    let json = tipquiz()
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let total: u64 = v
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["questions"].as_u64().unwrap())
        .sum();
    assert!(total >= 200);
}

mod fuzz {
    use proptest::prelude::*;
    use tipquiz::bank::parse_bank;

    const REAL: &str = include_str!("../../questions/indicators.toml");

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]
        #[test]
        fn loader_never_panics_on_mutated_real_banks(cut in 0usize..REAL.len(), len in 0usize..64, insert in ".{0,16}") {
            let mut s = REAL.to_owned();
            let mut at = cut.min(s.len());
            while !s.is_char_boundary(at) { at -= 1; }
            let mut end = (at + len).min(s.len());
            while !s.is_char_boundary(end) { end -= 1; }
            s.replace_range(at..end.max(at), &insert);
            let _ = parse_bank("fuzz.toml", &s);
        }

        #[test]
        fn loader_never_panics_on_arbitrary_text(s in "\\PC{0,400}") {
            let _ = parse_bank("fuzz.toml", &s);
        }
    }
}

#[test]
fn list_with_a_broken_given_bank_lists_the_rest_and_exits_1() {
    let d = tempfile::tempdir().unwrap();
    let bad = d.path().join("bad.toml");
    std::fs::write(
        &bad,
        "format = 1\nid = \"bad\"\ntopic = \"x\"\n[[question]]\nid = \"q1\"\n",
    )
    .unwrap();
    for json in [false, true] {
        let mut c = Command::cargo_bin("tipquiz").unwrap();
        c.env("TIPQUIZ_DATA", d.path().join("data"))
            .env("TIPQUIZ_NO_CACHE", "1")
            .arg("--bank")
            .arg(&bad)
            .arg("list");
        if json {
            c.args(["--format", "json"]);
        }
        let out = c.output().unwrap();
        assert_eq!(out.status.code(), Some(1), "json={json}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("bad.toml:1:1"), "{stderr}");
        // The shipped banks are still listed.
        assert!(String::from_utf8_lossy(&out.stdout).contains("indicators"));
    }
}
