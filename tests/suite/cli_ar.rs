//! The command line in Arabic (`--lang ar`, output piped: logical order): diagnostics of
//! several invalid banks, `list`, `report`, `history` and an error, as snapshots.

use assert_cmd::Command;
use std::path::Path;
use tipquiz::bank::{Library, parse_bank};
use tipquiz::record::{AttemptRecord, Store, attempt_id};

const EVERY: &str = include_str!("../fixtures/valid/every-type.toml");
const T0: i64 = 1_800_000_000_000;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The binary, run from the crate root with a clean language environment.
fn tipquiz() -> Command {
    let mut c = Command::cargo_bin("tipquiz").unwrap();
    c.current_dir(root())
        .env_remove("TIPQUIZ_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .env("TIPQUIZ_NO_CALIBRATION", "1")
        .env("TIPQUIZ_NO_CACHE", "1");
    c
}

fn run(c: &mut Command) -> (String, String, i32) {
    let out = c.output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

fn assert_logical(s: &str) {
    assert!(
        !s.chars()
            .any(|c| ('\u{FB50}'..='\u{FEFF}').contains(&c) && c != '\u{FEFF}'),
        "presentation forms in piped output: {s}"
    );
    assert!(
        !s.chars().any(tipquiz::diag::is_bidi_format),
        "bidi controls in piped output: {s}"
    );
}

/// The text report without the bidi marks it carries for a terminal that lays text out by
/// direction (RLM at each line's start, each table cell in FSI...PDI; checked in
/// `report_bidi`): the words and the layout, in logical order.
pub(crate) fn unmarked(s: &str) -> String {
    s.chars()
        .filter(|c| !['\u{200F}', '\u{2068}', '\u{2069}'].contains(c))
        .collect()
}

#[test]
fn check_in_arabic_for_several_rules() {
    let fixtures = [
        "unknown-key",
        "missing-key",
        "wrong-type",
        "answer-out-of-range",
        "duplicate-choice",
        "missing-language",
        "presentation-form",
        "forbidden-character",
        "toml-syntax",
        "key-not-for-type",
        "too-few",
        "no-explanation",
    ];
    for f in fixtures {
        let (out, err, code) = run(tipquiz().args([
            "--lang",
            "ar",
            "check",
            &format!("tests/fixtures/invalid/{f}.toml"),
        ]));
        assert!(err.is_empty(), "{f}: {err}");
        assert_eq!(code, if f == "no-explanation" { 0 } else { 1 }, "{f}");
        // The presentation-form fixture quotes the bad letters in its snippet line.
        if f != "presentation-form" {
            assert_logical(&out);
        }
        assert!(
            out.contains(&format!("[{f}]")) || f == "too-few",
            "{f}: {out}"
        );
        assert!(
            !out.contains("error[") && !out.contains("help:"),
            "{f}: {out}"
        );
        insta::assert_snapshot!(format!("ar_check__{f}"), out);
    }
}

#[test]
fn the_language_comes_from_the_environment_when_not_given() {
    let file = "tests/fixtures/invalid/unknown-key.toml";
    let (en, _, _) = run(tipquiz().args(["check", file]));
    assert!(en.contains("error[unknown-key]: unknown key"), "{en}");
    let (ar, _, _) = run(tipquiz().env("TIPQUIZ_LANG", "ar").args(["check", file]));
    assert!(ar.contains("خطأ[unknown-key]"), "{ar}");
    let (ar2, _, _) = run(tipquiz().env("LANG", "ar_KW.UTF-8").args(["check", file]));
    assert_eq!(ar, ar2);
    let (en2, _, _) = run(tipquiz()
        .env("LANG", "ar_KW.UTF-8")
        .args(["--lang", "en", "check", file]));
    assert_eq!(en, en2);
}

#[test]
fn check_json_keeps_its_keys_and_codes_in_arabic() {
    let file = "tests/fixtures/invalid/unknown-key.toml";
    let (en, _, _) = run(tipquiz().args(["check", "--format", "json", file]));
    let (ar, _, _) = run(tipquiz().args(["--lang", "ar", "check", "--format", "json", file]));
    let en: serde_json::Value = serde_json::from_str(&en).unwrap();
    let ar: serde_json::Value = serde_json::from_str(&ar).unwrap();
    let d_en = &en["diagnostics"][1];
    let d_ar = &ar["diagnostics"][1];
    assert_eq!(d_en["message"], "unknown key `explaination` in a question");
    assert_eq!(d_en["hint"], "did you mean `explanation`?");
    for k in ["code", "file", "line", "column", "severity", "snippet"] {
        assert_eq!(d_en[k], d_ar[k], "{k}");
    }
    assert!(d_ar["message"].as_str().unwrap().contains("`explaination`"));
    assert_ne!(d_en["message"], d_ar["message"]);
    assert_eq!(en["errors"], ar["errors"]);
}

#[test]
fn list_in_arabic() {
    let (out, err, code) = run(tipquiz().args(["--lang", "ar", "list"]));
    assert_eq!(code, 0, "{err}");
    assert_logical(&out);
    insta::assert_snapshot!("ar_list", out);
}

#[test]
fn errors_in_arabic() {
    let (out, err, code) = run(tipquiz().args(["--lang", "ar", "check", "no/such/bank.toml"]));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_logical(&err);
    // The line ends with the operating system's own reason, which Windows words differently.
    #[cfg(not(windows))]
    insta::assert_snapshot!("ar_error_missing_file", err);
    #[cfg(windows)]
    assert!(
        err.starts_with("tipquiz: تعذّرت قراءة no/such/bank.toml: "),
        "{err}"
    );
    let (_, err, code) = run(tipquiz().args([
        "--lang",
        "ar",
        "take",
        "--topic",
        "no-such-topic",
        "--trainee",
        "x",
    ]));
    assert_eq!(code, 2);
    assert!(
        err.starts_with("tipquiz: موضوع غير معروف `no-such-topic`"),
        "{err}"
    );
}

fn class_folder() -> tempfile::TempDir {
    let lib: Library = Library::build(vec![parse_bank("every-type.toml", EVERY).0.unwrap()]).0;
    let d = tempfile::tempdir().unwrap();
    let store = Store::new(d.path());
    for (i, (name, answers)) in [("Salem", 4), ("Noura", 2), ("Salem", 3)]
        .iter()
        .enumerate()
    {
        let start = T0 + i as i64 * 86_400_000;
        let s = crate::records::finished(&lib, name, start, *answers);
        let r =
            AttemptRecord::from_session(&s, &attempt_id(&s.state), start + 60_000, "tipquiz test");
        store.commit(&r, None).unwrap();
    }
    d
}

fn with_class<'a>(c: &'a mut Command, dir: &Path) -> &'a mut Command {
    c.args([
        "--lang",
        "ar",
        "--only-given-banks",
        "--bank",
        "tests/fixtures/valid/every-type.toml",
        "--results",
    ])
    .arg(dir)
}

#[test]
fn report_and_history_in_arabic() {
    let d = class_folder();
    let (out, err, code) = run(with_class(&mut tipquiz(), d.path()).arg("report"));
    assert_eq!(code, 0, "{err}");
    let out = unmarked(&out);
    assert_logical(&out);
    insta::assert_snapshot!("ar_report", out);
    let (out, err, code) =
        run(with_class(&mut tipquiz(), d.path()).args(["history", "--trainee", "Salem"]));
    assert_eq!(code, 0, "{err}");
    assert_logical(&out);
    insta::assert_snapshot!("ar_history", out);
    // CSV and JSON stay in English whatever the language.
    let (ar_csv, _, _) =
        run(with_class(&mut tipquiz(), d.path()).args(["report", "--format", "csv"]));
    let (en_csv, _, _) = run(tipquiz()
        .args([
            "--only-given-banks",
            "--bank",
            "tests/fixtures/valid/every-type.toml",
            "--results",
        ])
        .arg(d.path())
        .args(["report", "--format", "csv"]));
    assert_eq!(ar_csv, en_csv);
}

#[test]
fn help_in_arabic_and_english_help_as_before() {
    let (out, err, code) = run(tipquiz().args(["--lang", "ar", "--help"]));
    assert_eq!(code, 0, "{err}");
    assert_logical(&out);
    assert!(out.contains("الاستخدام: tipquiz"), "{out}");
    assert!(
        !out.contains("Usage:") && !out.contains("Options:"),
        "{out}"
    );
    insta::assert_snapshot!("ar_help", out);
    let (out, err, code) = run(tipquiz().args(["--lang=ar", "take", "--help"]));
    assert_eq!(code, 0, "{err}");
    assert_logical(&out);
    insta::assert_snapshot!("ar_help_take", out);
    // The language from the environment decides too.
    let (env, _, _) = run(tipquiz().env("TIPQUIZ_LANG", "ar").args(["take", "--help"]));
    assert_eq!(env, out);
    // English: clap's words, as before.
    let (en, _, code) = run(tipquiz().arg("--help"));
    assert_eq!(code, 0);
    insta::assert_snapshot!("en_help", en);
    let (en2, _, _) = run(tipquiz()
        .env("TIPQUIZ_LANG", "ar")
        .args(["--lang", "en", "--help"]));
    assert_eq!(en, en2);
}

#[test]
fn every_argument_and_command_has_arabic_help() {
    let mut cmd = tipquiz::cli::command_in(tipquiz::text::Lang::Ar);
    cmd.build();
    let arabic = |s: &str| s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
    fn all(c: &clap::Command, out: &mut Vec<clap::Command>) {
        out.push(c.clone());
        for s in c.get_subcommands() {
            if c.get_name() == "help" {
                continue;
            }
            all(s, out);
        }
    }
    let mut cmds = Vec::new();
    all(&cmd, &mut cmds);
    for c in &cmds {
        let about = c.get_about().map(ToString::to_string).unwrap_or_default();
        assert!(arabic(&about), "{}: {about}", c.get_name());
        for a in c.get_arguments() {
            let h = a.get_help().map(ToString::to_string).unwrap_or_default();
            assert!(arabic(&h), "{} {}: {h}", c.get_name(), a.get_id());
        }
    }
}

#[test]
fn usage_errors_in_arabic() {
    let (out, err, code) = run(tipquiz().args(["--lang", "ar", "--bogus"]));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_logical(&err);
    insta::assert_snapshot!("ar_usage_error", err);
    let (_, err, code) = run(tipquiz().args(["--lang", "ar", "take", "--mode", "fast"]));
    assert_eq!(code, 2);
    assert!(
        err.starts_with("خطأ: قيمة غير صالحة 'fast' للخيار '--mode <MODE>'"),
        "{err}"
    );
}

#[test]
fn import_notes_in_arabic() {
    let (out, err, code) = run(tipquiz().args([
        "--lang",
        "ar",
        "import",
        "tests/fixtures/import/all-constructs.gift",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_logical(&err);
    assert!(
        !err.contains("not converted") && !err.contains("converted, but"),
        "{err}"
    );
    insta::assert_snapshot!("ar_import_notes", err);
    // The bank written is the same in both languages.
    let (en, _, _) = run(tipquiz().args(["import", "tests/fixtures/import/all-constructs.gift"]));
    assert_eq!(out, en);
}

#[test]
fn report_lists_flagged_and_unreadable_records_in_arabic() {
    let d = class_folder();
    // One record edited by hand (its checksum no longer matches), one file that is not JSON.
    let edited = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("noura"))
        .expect("Noura's record");
    let text = std::fs::read_to_string(&edited).unwrap();
    assert!(text.contains("\"Noura\""));
    std::fs::write(&edited, text.replace("\"Noura\"", "\"Nora\"")).unwrap();
    std::fs::write(d.path().join("broken.json"), "{\"schema\": 1, ").unwrap();
    let (out, err, code) = run(with_class(&mut tipquiz(), d.path()).arg("report"));
    assert_eq!(code, 0, "{err}");
    let out = unmarked(&out);
    assert_logical(&out);
    assert!(out.contains("broken.json: ليس JSON صالحاً"), "{out}");
    assert!(out.contains("المجموع الاختباري"), "{out}");
    insta::assert_snapshot!("ar_report_bad_records", out);
}

#[test]
fn draw_error_in_arabic() {
    let (_, err, code) = run(tipquiz().args([
        "--lang",
        "ar",
        "--only-given-banks",
        "--bank",
        "tests/fixtures/valid/every-type.toml",
        "take",
        "--topic",
        "sample",
        "--count",
        "999",
        "--trainee",
        "x",
    ]));
    assert_ne!(code, 0);
    assert_logical(&err);
    assert!(!err.contains("topic sample"), "{err}");
    insta::assert_snapshot!("ar_draw_error", err);
}

/// `--digits arabic`: the counts the program writes in Arabic are in Arabic-Indic digits, in
/// the table and in the sentences; ids keep theirs; English ignores the option.
#[test]
fn digits_option_in_arabic_output() {
    let (out, _, code) = run(tipquiz().args(["--lang", "ar", "--digits", "arabic", "list"]));
    assert_eq!(code, 0);
    let rows: Vec<&str> = out.lines().collect();
    let indicators = rows
        .iter()
        .find(|l| l.starts_with("indicators "))
        .expect("the indicators row");
    assert!(
        indicators
            .chars()
            .any(|c| ('\u{0660}'..='\u{0669}').contains(&c))
    );
    assert!(
        !indicators.chars().any(|c| c.is_ascii_digit()),
        "{indicators}"
    );
    let summary = rows.last().unwrap();
    assert!(summary.contains('\u{0665}'), "five banks: {summary}");
    // The table stays aligned: one Arabic-Indic digit is one column.
    let western = run(tipquiz().args(["--lang", "ar", "list"])).0;
    let w: Vec<usize> = western.lines().map(|l| l.chars().count()).collect();
    let a: Vec<usize> = out.lines().map(|l| l.chars().count()).collect();
    assert_eq!(w, a);
    let (check, _, _) = run(tipquiz().args([
        "--lang",
        "ar",
        "--digits",
        "arabic",
        "check",
        "questions/referral.toml",
    ]));
    assert!(check.contains('\u{0661}'), "{check}");
    let (en, _, _) = run(tipquiz().args(["--lang", "en", "--digits", "arabic", "list"]));
    assert!(!en.chars().any(|c| ('\u{0660}'..='\u{0669}').contains(&c)));
}

/// `history` in Arabic with Arabic-Indic digits, chosen by `--digits arabic` or by
/// `TIPQUIZ_DIGITS=arabic` (the option wins over it): dates, scores, percentages, the trend
/// and the counts; the trainee's name and the exam's id keep their characters; the columns
/// stay where they are with Western digits (one digit is one column either way).
#[test]
fn history_in_arabic_indic_digits_from_the_option_or_the_environment() {
    let d = class_folder();
    let western =
        run(with_class(&mut tipquiz(), d.path()).args(["history", "--trainee", "Salem"])).0;
    let ar_digit = |s: &str| s.chars().any(|c| ('\u{0660}'..='\u{0669}').contains(&c));
    assert!(!ar_digit(&western), "{western}");
    let by_option = run(with_class(&mut tipquiz(), d.path()).args([
        "--digits",
        "arabic",
        "history",
        "--trainee",
        "Salem",
    ]))
    .0;
    let by_env = run(with_class(&mut tipquiz(), d.path())
        .env("TIPQUIZ_DIGITS", "arabic")
        .args(["history", "--trainee", "Salem"]))
    .0;
    assert_eq!(by_option, by_env);
    let overridden = run(with_class(&mut tipquiz(), d.path())
        .env("TIPQUIZ_DIGITS", "arabic")
        .args(["--digits", "western", "history", "--trainee", "Salem"]))
    .0;
    assert_eq!(overridden, western);
    // Every line of the table: no Western digit left, the same columns.
    let rows: Vec<(&str, &str)> = western
        .lines()
        .zip(by_option.lines())
        .filter(|(w, _)| w.chars().any(|c| c.is_ascii_digit()))
        .collect();
    assert!(rows.len() >= 3, "{by_option}");
    for (w, a) in &rows {
        assert!(ar_digit(a), "{a}");
        assert!(!a.chars().any(|c| c.is_ascii_digit()), "{a}");
        assert_eq!(w.chars().count(), a.chars().count(), "{w}\n{a}");
        assert_eq!(
            tipquiz::text::Digits::Arabic.write(w),
            *a,
            "only digits changed"
        );
    }
    assert!(by_option.contains("Salem"));
}

/// `report` in Arabic with `--digits arabic` (or `TIPQUIZ_DIGITS=arabic`): every number the
/// report writes is in Arabic-Indic digits (no number written with 0-9 is left), the ids and
/// names keep their characters, the page keeps its lines; CSV and JSON stay Western.
#[test]
fn report_in_arabic_indic_digits() {
    let d = class_folder();
    let western = unmarked(&run(with_class(&mut tipquiz(), d.path()).arg("report")).0);
    let (arabic, err, code) =
        run(with_class(&mut tipquiz(), d.path()).args(["--digits", "arabic", "report"]));
    assert_eq!(code, 0, "{err}");
    let arabic = unmarked(&arabic);
    let by_env = unmarked(
        &run(with_class(&mut tipquiz(), d.path())
            .env("TIPQUIZ_DIGITS", "arabic")
            .arg("report"))
        .0,
    );
    assert_eq!(arabic, by_env);
    assert_eq!(western.lines().count(), arabic.lines().count());
    assert!(arabic.contains('\u{0662}'), "{arabic}");
    // Decimals (the scores out of 7) take the Arabic decimal separator «٫»; a full stop stays.
    let decimal = regex_like_decimal(&western);
    let decimal = decimal.unwrap_or_default();
    let shown = tipquiz::text::Digits::Arabic.write(&decimal).into_owned();
    assert!(
        shown.contains('\u{066B}') && arabic.contains(&shown),
        "{shown}: {arabic}"
    );
    // A number that ends a sentence keeps its full stop: "مضروباً في ١٠٠."
    assert!(arabic.contains("\u{0661}\u{0660}\u{0660}."), "{arabic}");
    for token in arabic.split(|c: char| c.is_whitespace() || c == '،' || c == ',') {
        let numeric = token
            .chars()
            .all(|c| c.is_ascii_digit() || "./:%()-".contains(c));
        assert!(
            !(numeric && token.chars().any(|c| c.is_ascii_digit())),
            "a number left in 0-9: {token:?} in\n{arabic}"
        );
    }
    for format in ["csv", "json"] {
        let w = run(with_class(&mut tipquiz(), d.path()).args(["report", "--format", format])).0;
        let a = run(with_class(&mut tipquiz(), d.path())
            .args(["--digits", "arabic", "report", "--format", format]))
        .0;
        assert_eq!(w, a, "{format} stays Western");
    }
}

/// The HTML report in Arabic with `--digits arabic`: the numbers shown on the page are in
/// Arabic-Indic digits, the page's markup and the charts' coordinates keep 0-9, and the
/// Western page differs from it only in the digits shown.
#[test]
fn html_report_in_arabic_indic_digits() {
    let d = class_folder();
    let western = run(with_class(&mut tipquiz(), d.path()).args(["report", "--format", "html"])).0;
    let arabic = run(with_class(&mut tipquiz(), d.path())
        .args(["--digits", "arabic", "report", "--format", "html"]))
    .0;
    assert!(
        arabic.contains("<svg") && arabic.contains("viewBox=\"0 0 400"),
        "{arabic}"
    );
    assert!(arabic.contains('\u{0665}'), "{arabic}");
    let to_western = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x660) as u8),
                c => c,
            })
            .collect()
    };
    assert_eq!(to_western(&arabic.replace('\u{066B}', ".")), western);
    // Text between tags, the style sheet left out: no number left in 0-9 (ids and names keep
    // theirs).
    let page = match (arabic.find("<style>"), arabic.find("</style>")) {
        (Some(a), Some(b)) => format!("{}{}", &arabic[..a], &arabic[b..]),
        _ => arabic.clone(),
    };
    for text in page.split('>').filter_map(|p| p.split('<').next()) {
        for token in text.split(|c: char| c.is_whitespace() || c == '،' || c == ',') {
            let numeric = token
                .chars()
                .all(|c| c.is_ascii_digit() || "./:%()-".contains(c));
            assert!(
                !(numeric && token.chars().any(|c| c.is_ascii_digit())),
                "a number left in 0-9: {token:?} in {text:?}"
            );
        }
    }
}

/// A trainee called "2024" and a results folder called `2024/11`, in Arabic with Arabic-Indic
/// digits: the program's numbers (scores, counts, dates) change their digits, the name and the
/// path never do, in the table and in the messages.
#[test]
fn names_and_paths_keep_their_digits_with_arabic_indic_digits() {
    let lib: Library = Library::build(vec![parse_bank("every-type.toml", EVERY).0.unwrap()]).0;
    let d = tempfile::tempdir().unwrap();
    let folder = d.path().join("2024").join("11");
    let s = crate::records::finished(&lib, "2024", T0, 3);
    let r = AttemptRecord::from_session(&s, &attempt_id(&s.state), T0 + 60_000, "tipquiz test");
    Store::new(&folder).commit(&r, None).unwrap();
    let bank = root().join("tests/fixtures/valid/every-type.toml");
    let ar = |args: &[&str]| {
        let mut c = tipquiz();
        c.current_dir(d.path())
            .args([
                "--lang",
                "ar",
                "--digits",
                "arabic",
                "--only-given-banks",
                "--bank",
            ])
            .arg(&bank)
            .args(["--results", "2024/11"])
            .args(args);
        run(&mut c)
    };
    let (out, err, code) = ar(&["history", "--trainee", "2024"]);
    assert_eq!(code, 0, "{err}");
    let title = out.lines().next().unwrap_or_default();
    assert!(
        title.ends_with(" 2024"),
        "the name keeps its digits: {title}"
    );
    assert!(!out.contains("٢٠٢٤"), "{out}");
    // The table's numbers are the program's: in Arabic-Indic digits.
    let row = out
        .lines()
        .find(|l| l.contains("quick-all"))
        .unwrap_or_default();
    assert!(
        row.contains("٢٫٠/٧") && row.contains("٢٩%") && !row.chars().any(|c| c.is_ascii_digit()),
        "score with «٫», percent: {out}"
    );
    // A name with no attempt, in a folder whose path is digits and slashes only.
    let (_, err, code) = ar(&["history", "--trainee", "1990"]);
    assert_ne!(code, 0);
    assert!(
        err.contains("`1990`") && err.contains("2024/11"),
        "name and path as typed: {err}"
    );
    assert!(
        !err.chars().any(|c| ('\u{0660}'..='\u{0669}').contains(&c)),
        "{err}"
    );
}

/// The first number with a decimal point in `s` (`2.0`), if any.
fn regex_like_decimal(s: &str) -> Option<String> {
    let b = s.as_bytes();
    (1..b.len().saturating_sub(1))
        .find(|&i| b[i] == b'.' && b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit())
        .map(|i| s[i - 1..i + 2].to_owned())
}
