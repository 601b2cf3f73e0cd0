//! The parsed-bank cache end to end: the binary fills `$TIPQUIZ_DATA/cache/banks`, a second run
//! reads it and prints the same, `TIPQUIZ_NO_CACHE` and `check` leave it alone.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tipquiz::bank::{SHIPPED_BANKS, cache, content_hash, parse_bank};

const EVERY: &str = include_str!("../fixtures/valid/every-type.toml");

/// The binary with its data (and so its cache) in `data`.
fn tipquiz(data: &Path) -> Command {
    let mut c = Command::cargo_bin("tipquiz").unwrap();
    c.env("TIPQUIZ_DATA", data)
        .env_remove("TIPQUIZ_NO_CACHE")
        .env_remove("TIPQUIZ_RESULTS")
        .env_remove("TIPQUIZ_LANG")
        .env("LANG", "C.UTF-8");
    c
}

fn run(c: &mut Command) -> String {
    let out = c.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The entries in the cache folder of `data`, sorted.
fn entries(data: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(cache::banks_dir(&data.join("cache")))
        .map(|r| r.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn list_fills_the_cache_and_a_second_run_reads_it_with_the_same_output() {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("data");
    let bank = d.path().join("every.toml");
    std::fs::write(&bank, EVERY).unwrap();
    let list = |format: &str| {
        run(tipquiz(&data)
            .args(["list", "--format", format, "--bank"])
            .arg(&bank))
    };
    let first_text = list("text");
    let cache = data.join("cache");
    let mut expected: Vec<PathBuf> = SHIPPED_BANKS
        .iter()
        .map(|(_, t)| cache::entry_path(&cache, &content_hash(t.as_bytes())))
        .chain([cache::entry_path(&cache, &content_hash(EVERY.as_bytes()))])
        .collect();
    expected.sort();
    assert_eq!(
        entries(&data),
        expected,
        "one entry per bank, written before exit"
    );
    let first = (first_text, list("json"));
    // Every entry is a hit: the bank it holds is the parsed one.
    for (name, text) in SHIPPED_BANKS {
        assert_eq!(
            cache::lookup(&cache, name, text),
            parse_bank(name, text).0,
            "{name}"
        );
    }
    let second = (list("text"), list("json"));
    assert_eq!(second, first);
    assert_eq!(entries(&data), expected, "nothing more written");
    // Entries that are damaged are read as misses and written again; the output is the same.
    for e in &expected {
        std::fs::write(e, b"tipquiz-bank-cache v1 damaged").unwrap();
    }
    assert_eq!((list("text"), list("json")), first);
    for (name, text) in SHIPPED_BANKS {
        assert!(
            cache::lookup(&cache, name, text).is_some(),
            "{name} rewritten"
        );
    }
}

#[test]
fn a_hit_shows_where_the_bank_is_now_not_where_it_was_cached() {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("data");
    let (a, b) = (d.path().join("a.toml"), d.path().join("b.toml"));
    std::fs::write(&a, EVERY).unwrap();
    std::fs::write(&b, EVERY).unwrap();
    let list = |p: &Path| {
        run(tipquiz(&data)
            .args(["list", "--only-given-banks", "--format", "json", "--bank"])
            .arg(p))
    };
    let first = list(&a);
    assert_eq!(entries(&data).len(), 1);
    let second = list(&b);
    // As the JSON writes them (a Windows path's backslashes are escaped).
    let json = |p: &Path| serde_json::to_string(&p.to_string_lossy()).unwrap();
    assert!(second.contains(&json(&b)), "{second}");
    assert!(!second.contains(&json(&a)), "{second}");
    assert_eq!(
        second.replace(&json(&b), "X"),
        first.replace(&json(&a), "X")
    );
}

#[test]
fn no_cache_and_check_write_nothing() {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("data");
    let bank = d.path().join("every.toml");
    std::fs::write(&bank, EVERY).unwrap();
    let plain = run(tipquiz(&data)
        .env("TIPQUIZ_NO_CACHE", "1")
        .args(["list", "--bank"])
        .arg(&bank));
    assert!(
        !data.join("cache").exists(),
        "TIPQUIZ_NO_CACHE wrote a cache"
    );
    run(tipquiz(&data).arg("check").arg(&bank));
    run(tipquiz(&data).arg("check"));
    assert!(!data.join("cache").exists(), "check wrote a cache");
    // An empty TIPQUIZ_NO_CACHE does not switch it off.
    let cached = run(tipquiz(&data)
        .env("TIPQUIZ_NO_CACHE", "")
        .args(["list", "--bank"])
        .arg(&bank));
    assert_eq!(cached, plain);
    assert_eq!(entries(&data).len(), SHIPPED_BANKS.len() + 1);
}

#[test]
fn check_parses_even_when_the_cache_holds_the_bank() {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("data");
    let cache_dir = data.join("cache");
    let bank = d.path().join("every.toml");
    std::fs::write(&bank, EVERY).unwrap();
    run(tipquiz(&data).args(["list", "--bank"]).arg(&bank));
    let good = cache::entry_path(&cache_dir, &content_hash(EVERY.as_bytes()));
    assert!(good.exists());
    // A bank with a warning, and a forged entry for its text: the clean bank's entry with the
    // new text's hash in its header and name. A cached load would take it; `check` must not.
    let line =
        "explanation = { en = \"Recruitment is one of the acts.\", ar = \"التجنيد من الأفعال.\" }\n";
    assert!(EVERY.contains(line));
    let warned = EVERY.replacen(line, "", 1);
    std::fs::write(&bank, &warned).unwrap();
    let (old, new) = (
        content_hash(EVERY.as_bytes()),
        content_hash(warned.as_bytes()),
    );
    let mut forged = std::fs::read(&good).unwrap();
    let at = forged
        .windows(old.len())
        .position(|w| w == old.as_bytes())
        .unwrap();
    forged[at..at + new.len()].copy_from_slice(new.as_bytes());
    let forged_path = cache::entry_path(&cache_dir, &new);
    std::fs::write(&forged_path, &forged).unwrap();
    assert!(
        cache::lookup(&cache_dir, "every.toml", &warned).is_some(),
        "the forged entry is one a cached load would use"
    );
    let out = tipquiz(&data).arg("check").arg(&bank).output().unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("no-explanation"), "{s}");
    // Without the forged entry, a load of the bank with a warning does not cache it.
    std::fs::remove_file(&forged_path).unwrap();
    run(tipquiz(&data).args(["list", "--bank"]).arg(&bank));
    assert!(cache::lookup(&cache_dir, "every.toml", &warned).is_none());
    assert!(!forged_path.exists());
}

/// A quiz on a given bank's topics alone does not load (nor cache) the shipped banks; a quiz on
/// a shipped topic does; an unknown topic is told with the shipped topics too.
#[test]
fn a_quiz_on_a_given_banks_topic_loads_that_bank_alone() {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("data");
    let bank = d.path().join("every.toml");
    std::fs::write(&bank, EVERY).unwrap();
    let take = |topic: &str| {
        // No terminal: the banks are loaded, then the quiz stops before drawing.
        tipquiz(&data)
            .args([
                "take",
                "--trainee",
                "Sara K",
                "--lang",
                "en",
                "--topic",
                topic,
                "--bank",
            ])
            .arg(&bank)
            .output()
            .unwrap()
    };
    let _ = take("sample");
    let cache = data.join("cache");
    assert_eq!(
        entries(&data),
        vec![cache::entry_path(&cache, &content_hash(EVERY.as_bytes()))],
        "only the given bank was loaded"
    );
    let _ = take("indicators");
    assert_eq!(
        entries(&data).len(),
        SHIPPED_BANKS.len() + 1,
        "shipped banks loaded"
    );
    let out = take("nosuch");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("indicators, national-law, international-law, referral, scenarios, sample"),
        "{err}"
    );
}
