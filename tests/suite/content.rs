//! The shipped course content: both languages everywhere, an explanation, a source and a fact id
//! for every question, no duplicate or near-duplicate prompts, the mix of types and difficulty the
//! course asks for, and no question resting on a fact the fact sheet marks unconfirmed.

use std::collections::{BTreeMap, BTreeSet};
use tipquiz::bank::{Difficulty, Kind, Library, Question, load_shipped};
use tipquiz::text::{Lang, Text};

fn lib() -> Library {
    let (banks, d) = load_shipped();
    assert!(d.is_empty());
    Library::build(banks).0
}

fn both(t: &Text) -> bool {
    Lang::ALL
        .iter()
        .all(|l| t.exact(l.code()).is_some_and(|s| !s.trim().is_empty()))
}

fn texts(q: &Question) -> Vec<&Text> {
    let mut v = vec![&q.prompt];
    v.extend(q.explanation.iter());
    match &q.kind {
        Kind::Single { choices, .. } | Kind::Multiple { choices, .. } => v.extend(choices.iter()),
        Kind::Order { items } => v.extend(items.iter()),
        Kind::Match { pairs } => v.extend(pairs.iter().flat_map(|(a, b)| [a, b])),
        Kind::TrueFalse { .. } | Kind::Short { .. } => {}
    }
    v
}

#[test]
fn every_question_is_bilingual_explained_and_sourced() {
    let lib = lib();
    let n = lib.questions().count();
    assert!(n >= 200, "{n} questions");
    for q in lib.questions() {
        for t in texts(q) {
            assert!(both(t), "{}: a text is missing a language: {t:?}", q.id);
        }
        assert!(q.explanation.is_some(), "{}: no explanation", q.id);
        assert!(
            q.source
                .as_ref()
                .is_some_and(|s| !s.get(Lang::En).trim().is_empty()),
            "{}: no source",
            q.id
        );
        assert!(!q.facts.is_empty(), "{}: no fact id", q.id);
        for f in &q.facts {
            let ok = f.len() == 5
                && f.starts_with('M')
                && f.as_bytes()[1].is_ascii_digit()
                && &f[2..3] == "-"
                && f[3..].bytes().all(|b| b.is_ascii_digit());
            assert!(ok, "{}: fact id `{f}` is not of the form M1-05", q.id);
        }
        if let Kind::Short { accepted } = &q.kind {
            assert!(
                accepted.contains_key("en") && accepted.contains_key("ar"),
                "{}: short answers in both languages",
                q.id
            );
        }
    }
}

/// Facts the fact sheet marks UNCONFIRMED or [SG] (to be verified): no question may rest on them.
const UNCONFIRMED: &[&str] = &[
    "M1-25", "M1-31", "M1-32", "M1-33", "M1-34", "M1-35", "M2-50", "M2-55", "M3-35", "M3-50",
    "M3-56",
];

#[test]
fn no_question_rests_on_an_unconfirmed_fact() {
    for q in lib().questions() {
        for f in &q.facts {
            assert!(
                !UNCONFIRMED.contains(&f.as_str()),
                "{} cites unconfirmed fact {f}",
                q.id
            );
        }
    }
}

#[test]
fn arabic_uses_the_glossary_terms() {
    for q in lib().questions() {
        for t in texts(q) {
            let ar = t.get(Lang::Ar);
            assert!(
                !ar.contains("الاتجار بالبشر"),
                "{}: write «الاتجار بالأشخاص», not «الاتجار بالبشر»",
                q.id
            );
            assert!(!ar.contains("الإتجار"), "{}: «الاتجار» takes no hamza", q.id);
            assert!(
                !ar.contains("الهجرة غير الشرعية"),
                "{}: write «الهجرة غير النظامية»",
                q.id
            );
            assert!(
                !ar.contains("العبودية الجنسية"),
                "{}: write «الاستعباد الجنسي»",
                q.id
            );
        }
    }
}

fn words(s: &str) -> BTreeSet<String> {
    tipquiz::quiz::normalize(s)
        .split(' ')
        .filter(|w| w.len() > 2)
        .map(str::to_owned)
        .collect()
}

/// Two questions are near-duplicates when their prompts share most of their words (in either
/// language) and their choices do too (or they have none), or when the prompts are almost equal.
#[test]
fn no_duplicate_or_near_duplicate_prompts() {
    let lib = lib();
    let qs: Vec<&Question> = lib.questions().collect();
    let choice_words = |q: &Question| -> BTreeSet<String> {
        let mut all = BTreeSet::new();
        for t in texts(q)
            .into_iter()
            .skip(1 + usize::from(q.explanation.is_some()))
        {
            all.extend(words(t.get(Lang::En)));
        }
        all
    };
    let sets: Vec<(BTreeSet<String>, BTreeSet<String>, BTreeSet<String>)> = qs
        .iter()
        .map(|q| {
            (
                words(q.prompt.get(Lang::En)),
                words(q.prompt.get(Lang::Ar)),
                choice_words(q),
            )
        })
        .collect();
    let jaccard = |a: &BTreeSet<String>, b: &BTreeSet<String>| {
        let i = a.intersection(b).count() as f64;
        let u = a.union(b).count().max(1) as f64;
        i / u
    };
    let mut near = Vec::new();
    for i in 0..qs.len() {
        for j in i + 1..qs.len() {
            let prompt = jaccard(&sets[i].0, &sets[j].0).max(jaccard(&sets[i].1, &sets[j].1));
            let choices = if sets[i].2.is_empty() && sets[j].2.is_empty() {
                1.0
            } else {
                jaccard(&sets[i].2, &sets[j].2)
            };
            if (prompt > 0.8 && choices > 0.5) || prompt > 0.95 {
                near.push(format!(
                    "{} ~ {} (prompt {prompt:.2}, choices {choices:.2})",
                    qs[i].id, qs[j].id
                ));
            }
        }
    }
    assert!(
        near.is_empty(),
        "near-duplicate questions:\n{}",
        near.join("\n")
    );
}

#[test]
fn the_course_mix_of_banks_types_difficulty_and_departments_holds() {
    let lib = lib();
    let mut per_bank: BTreeMap<&str, usize> = BTreeMap::new();
    let mut types: BTreeMap<&str, usize> = BTreeMap::new();
    let mut diff: BTreeMap<Difficulty, usize> = BTreeMap::new();
    for q in lib.questions() {
        *per_bank.entry(q.bank.as_str()).or_default() += 1;
        *types.entry(q.kind.name()).or_default() += 1;
        *diff.entry(q.difficulty).or_default() += 1;
    }
    for b in [
        "indicators",
        "national-law",
        "international-law",
        "referral",
        "scenarios",
    ] {
        assert!(
            per_bank.get(b).copied().unwrap_or(0) >= 40,
            "{b}: {per_bank:?}"
        );
    }
    for t in Kind::NAMES {
        assert!(types.contains_key(t), "type {t} unused");
    }
    let n: usize = types.values().sum();
    assert!(
        types["single"] * 3 <= n * 2,
        "at least a third of the questions are not plain single-choice: {types:?}"
    );
    for d in Difficulty::ALL {
        let share = diff.get(&d).copied().unwrap_or(0) as f64 / n as f64;
        assert!(
            (0.25..=0.42).contains(&share),
            "difficulty {d}: {share:.2} of {n}"
        );
    }
    for dept in ["airport", "residence", "criminal-investigation"] {
        let c = lib
            .questions()
            .filter(|q| q.bank == "scenarios" && q.tags.iter().any(|t| t == dept))
            .count();
        assert!(c >= 10, "{dept}: {c} scenario questions");
    }
    let sea = lib
        .questions()
        .filter(|q| {
            q.bank == "scenarios" && q.tags.iter().any(|t| t == "port" || t == "coast-guard")
        })
        .count();
    assert!(sea >= 10, "port and coast guard: {sea}");
}
