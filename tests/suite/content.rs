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
        Kind::TrueFalse { .. } | Kind::Short { .. } | Kind::Numerical { .. } => {}
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
            q.source.as_ref().is_some_and(both),
            "{}: the source must be given in English and in Arabic",
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

/// Facts the course fact sheet (`../shared/facts/content-facts.md`) marks UNCONFIRMED, [SG] (a
/// secondary compilation to be verified) or with a caution, each with the questions reviewed
/// against that caution and the reason each is safe: confirmed from a primary text (named with
/// its article), or written in the fact sheet's safe wording. A question that cites one of these
/// facts and is not in its list fails, so a new question on a caution fact is reviewed first.
/// An empty list means: no question may cite the fact.
///
/// Primary texts named below: [L91] the Arabic text of Law No. 91 of 2013, and [L68] the Arabic
/// text of Law No. 68 of 2015 (54 articles, issued 15 July 2015), both in the public repository
/// `dralmarri/LegalMind` (`pipeline/parsed/law91_2013_parsed.json` and
/// `pipeline/sources/labor_lines.txt`), which says they were taken from official documents.
/// No primary text of Decree-Law No. 114 of 2024 was found.
/// A caution fact: its id, the caution, and the reviewed questions with the reason each is safe.
type Caution = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

const CAUTIONS: &[Caution] = &[
    ("M1-25", "UNCONFIRMED: UNODC begging list", &[]),
    ("M1-31", "[SG]: Delphi grading rule", &[]),
    ("M1-32", "[SG]: Delphi combination rule", &[]),
    ("M1-33", "[SG]: Delphi grades", &[]),
    ("M1-34", "[SG]: Delphi grades", &[]),
    ("M1-35", "[SG]: Delphi child list", &[]),
    (
        "M2-01",
        "the day Law 91 took effect is in doubt: ask for the year or the issue date",
        &[(
            "law-034",
            "orders the instruments by year only; no day is asked",
        )],
    ),
    (
        "M2-07",
        "word Art. 2 as the penalty the law prescribes, not the sentence every offender gets",
        &[
            (
                "law-007",
                "asks which penalty Art. 2 prescribes ([L91] Art. 2: fifteen years)",
            ),
            (
                "law-016",
                "asks for Art. 3's maximum ([L91] Art. 3), not for an Art. 2 sentence",
            ),
            (
                "law-018",
                "matches offences with the penalties the articles prescribe ([L91])",
            ),
            (
                "law-021",
                "contrasts Art. 7 with the fixed term Art. 2 prescribes ([L91])",
            ),
            (
                "scn-res-08",
                "asks for the prescribed penalty ([L91] Arts. 1(3) and 2)",
            ),
            (
                "scn-cid-02",
                "asks for the prescribed penalty ([L91] Arts. 2 and 3)",
            ),
            ("scn-trf-08", "asks which penalty Art. 2 prescribes ([L91])"),
            (
                "scn-leg-01",
                "names Art. 2 for the offence; no sentence is asked",
            ),
        ],
    ),
    (
        "M2-12",
        "Art. 7 is about a planned crime: not for a bystander to a crime under way (sketch C5)",
        &[
            ("law-018", "Art. 7 paired with knowing of a planned crime"),
            ("law-020", "the driver overheard a plan; [L91] Art. 7"),
            (
                "law-021",
                "statements on Art. 7 as a planned-crime offence ([L91])",
            ),
            (
                "law-022",
                "Art. 7 named only for its wider family exemption ([L91])",
            ),
            (
                "law-032",
                "Art. 7 matched with failing to report a planned crime",
            ),
            (
                "scn-port-03",
                "Art. 7 is a distractor described as a planned-crime offence",
            ),
            (
                "scn-res-03",
                "Art. 7 is a distractor described as a planned-crime offence",
            ),
            ("scn-res-11", "the man knew of a plan; [L91] Art. 7"),
            (
                "scn-cid-07",
                "Art. 7 described as knowing a crime was being planned",
            ),
            (
                "scn-cid-08",
                "teaches the caution itself: Art. 7 may not reach a witness of abuse under way",
            ),
            (
                "scn-leg-05",
                "Art. 7 named only as holding a family exemption",
            ),
        ],
    ),
    (
        "M2-15",
        "Law 91 has no non-punishment clause: teach non-punishment as an international standard",
        &[
            (
                "law-006",
                "cites the consent rule only ([L91] Art. 2, last paragraph)",
            ),
            (
                "law-013",
                "cites the consent rule only ([L91] Art. 2, last paragraph)",
            ),
            (
                "law-014",
                "says Law 91 has no non-punishment clause; the principle is international",
            ),
            (
                "law-030",
                "says Law 91 has no non-punishment clause ([L91] Art. 12 is its only protection)",
            ),
            (
                "nrm-023",
                "the principle as an international standard; Art. 10 is for informing offenders",
            ),
            (
                "nrm-025",
                "the principle as an international standard; consent rule from [L91] Art. 2",
            ),
            ("nrm-029", "non-punishment as CoE Art. 26; Law 91 has none"),
            ("nrm-030", "Law 91 has no reflection period; [L91] Art. 12"),
            (
                "nrm-056",
                "non-punishment as a CoE standard; Law 91 has none",
            ),
            (
                "scn-port-09",
                "cites the consent rule only ([L91] Art. 2, last paragraph)",
            ),
            (
                "scn-cid-15",
                "cites the consent rule only ([L91] Art. 2, last paragraph)",
            ),
            (
                "scn-cid-05",
                "says Law 91 has no non-punishment clause; the principle is international",
            ),
            (
                "scn-leg-04",
                "says Law 91 has no non-punishment clause; the principle is international",
            ),
            (
                "scn-leg-08",
                "cites the consent rule only ([L91] Art. 2, last paragraph)",
            ),
        ],
    ),
    (
        "M2-24",
        "the passport ban reportedly allows keeping with the worker's consent",
        &[
            (
                "law-035",
                "confirmed: [L68] Art. 12 (no keeping except with her consent); asks 'against her will'",
            ),
            (
                "law-036",
                "confirmed: [L68] Art. 12; the choice is 'handing the passport over for the whole contract'",
            ),
            (
                "scn-res-02",
                "confirmed: [L68] Art. 12; asks 'against her will'",
            ),
            (
                "scn-res-04",
                "confirmed: [L68] Arts. 24-30 set no penalty for keeping documents",
            ),
        ],
    ),
    (
        "M2-25",
        "do not test 'never, under any circumstances': the employer may not keep it without consent",
        &[
            (
                "law-035",
                "confirmed: [L68] Art. 12; asks 'against her will'",
            ),
            (
                "scn-res-02",
                "confirmed: [L68] Art. 12; asks 'against her will'",
            ),
        ],
    ),
    (
        "M2-46",
        "names and ranks of officials go out of date",
        &[(
            "law-047",
            "asks for the body the department sits under, not a name or rank",
        )],
    ),
    (
        "M2-50",
        "the Committee's founding year: sources disagree",
        &[],
    ),
    ("M2-55", "UNCONFIRMED: the strategy's third axis", &[]),
    (
        "M2-62",
        "the 2020 tier is UNCONFIRMED; always name the report year",
        &[
            (
                "law-055",
                "names the report year (2025); the 2020 tier is not used",
            ),
            ("scn-med-06", "teaches that the report year must be named"),
            (
                "scn-med-14",
                "names the report year (2024); the 2020 tier is not used",
            ),
        ],
    ),
    (
        "M2-70",
        "ministry figures: present them as 'according to the Ministry of Foreign Affairs'",
        &[(
            "scn-med-05",
            "the key attributes the figures to the Ministry of Foreign Affairs",
        )],
    ),
    (
        "M2-80",
        "whether the ban on suspended sentences survives is unclear",
        &[
            (
                "law-029",
                "only the limit on reducing a death sentence ([L91] Art. 13); no suspended sentences",
            ),
            (
                "scn-leg-03",
                "only the limit on reducing a life sentence ([L91] Art. 13); no suspended sentences",
            ),
        ],
    ),
    (
        "M2-81",
        "the no-means rule for children is Palermo Art. 3(c), not Law 91 wording",
        &[
            (
                "law-005",
                "compares the acts of [L91] Art. 1(4) with Palermo; no child rule",
            ),
            (
                "law-006",
                "says Law 91 has no clause like Palermo Art. 3(c)",
            ),
            (
                "law-013",
                "consent rule of [L91] Art. 2 compared with Palermo Art. 3(b)",
            ),
            (
                "scn-air-11",
                "teaches the caution itself: Law 91 has no such clause",
            ),
        ],
    ),
    (
        "M3-35",
        "the exact date of Kuwait's accession is UNCONFIRMED",
        &[],
    ),
    (
        "M3-50",
        "the Rome Statute signature date is UNCONFIRMED",
        &[],
    ),
    (
        "M3-56",
        "the UN report's title and date are UNCONFIRMED",
        &[],
    ),
    ("M3-75", "secondary source only: no dates", &[]),
    (
        "M4-30",
        "WHO principles 8-10 are UNCONFIRMED",
        &[
            ("nrm-014", "principles 2-7 only"),
            ("nrm-017", "principles 2-7 only"),
            ("nrm-018", "principles 2-7 only"),
            ("nrm-019", "principles 2-7 only"),
            ("nrm-020", "principles 2-7 only"),
            ("nrm-053", "principles 2-7 only"),
            ("scn-cid-11", "principles 2-7 only"),
            ("scn-med-01", "principles 2-7 only"),
            ("scn-med-02", "principles 2-7 only"),
            (
                "scn-acad-05",
                "principle 3 (make no promises you cannot keep)",
            ),
            ("scn-acad-06", "principle 4 (interpreters)"),
            ("scn-acad-12", "principles 2-7 only"),
        ],
    ),
];

#[test]
fn questions_on_caution_facts_are_each_reviewed() {
    let lib = lib();
    let mut bad = Vec::new();
    for q in lib.questions() {
        for f in &q.facts {
            if let Some((_, caution, allowed)) = CAUTIONS.iter().find(|(id, ..)| id == f)
                && !allowed.iter().any(|(id, _)| *id == q.id)
            {
                bad.push(format!(
                    "{} cites {f} ({caution}): confirm it from a primary text or use the fact \
                     sheet's safe wording, then add it with the reason to CAUTIONS",
                    q.id
                ));
            }
        }
    }
    // and no entry of the list is stale: each names a shipped question that cites the fact
    for (fact, _, allowed) in CAUTIONS {
        for (id, _) in *allowed {
            match lib.question(id) {
                Some(q) if q.facts.iter().any(|f| f == fact) => {}
                Some(_) => bad.push(format!(
                    "CAUTIONS lists {id} under {fact}, which it no longer cites"
                )),
                None => bad.push(format!(
                    "CAUTIONS lists {id} under {fact}, but no such question ships"
                )),
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
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
    // `numerical` came with Moodle import (numerical questions); the shipped banks need not
    // use it.
    for t in Kind::NAMES.iter().filter(|t| **t != "numerical") {
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

// ---------------------------------------------------------------------------------------------
// The banks as a test: no answer guessable from its form, true/false balanced, no duplicate
// prompts across banks, every department of the course covered (issue 20).
// ---------------------------------------------------------------------------------------------

/// The most a bank's `single` and `multiple` questions may give away by length: "about a third".
const MAX_LONGEST_KEY_SHARE: f64 = 0.34;
/// The share of `true` among a bank's true/false questions must lie in this range.
const TRUE_SHARE: std::ops::RangeInclusive<f64> = 0.40..=0.60;
/// Two English prompts whose Sørensen-Dice similarity of character bigrams
/// (`strsim::sorensen_dice`, after [`tipquiz::quiz::normalize`]) reaches this are
/// near-duplicates. For two `order` or `match` questions, whose prompts follow one template
/// ("Put these ... in order"), their items are compared instead.
const NEAR_DUPLICATE: f64 = 0.75;
/// The nine departments of the course, by their tag (`legal` is legal affairs, `media` public
/// relations and security media, `academy` the police academy).
const DEPARTMENTS: [&str; 9] = [
    "airport",
    "port",
    "coast-guard",
    "residence",
    "criminal-investigation",
    "traffic",
    "legal",
    "media",
    "academy",
];
/// Scenario questions per department, and bilingual questions in all.
const MIN_PER_DEPARTMENT: usize = 8;
const MIN_TOTAL: usize = 330;

/// Whether a choice question gives its answer away by length in `lang`: its longest choice
/// (in characters, ignoring surrounding spaces) is strictly longer than every other one and is
/// a right answer. For `multiple`, "a right answer" is any of the keys: always ticking the
/// longest choice then earns credit.
fn longest_is_key(choices: &[Text], keys: &[usize], lang: Lang) -> bool {
    let lens: Vec<usize> = choices
        .iter()
        .map(|c| c.get(lang).trim().chars().count())
        .collect();
    let Some(&max) = lens.iter().max() else {
        return false;
    };
    let at: Vec<usize> = (0..lens.len()).filter(|&i| lens[i] == max).collect();
    at.len() == 1 && keys.contains(&at[0])
}

/// A question gives its key away by length when it does so in English OR in Arabic (a trainee
/// reads one language; either is enough to guess).
fn gives_key_by_length(q: &Question) -> Option<bool> {
    let (choices, keys): (&[Text], Vec<usize>) = match &q.kind {
        Kind::Single { choices, answer } => (choices, vec![*answer]),
        Kind::Multiple { choices, answers } => (choices, answers.clone()),
        _ => return None,
    };
    Some(Lang::ALL.iter().any(|&l| longest_is_key(choices, &keys, l)))
}

/// Whether a `single` question's key is its unique shortest choice in `lang`: rewriting keys
/// to be short must not become the new habit that gives them away.
fn shortest_is_key(q: &Question, lang: Lang) -> bool {
    let Kind::Single { choices, answer } = &q.kind else {
        return false;
    };
    let lens: Vec<usize> = choices
        .iter()
        .map(|c| c.get(lang).trim().chars().count())
        .collect();
    let Some(&min) = lens.iter().min() else {
        return false;
    };
    let at: Vec<usize> = (0..lens.len()).filter(|&i| lens[i] == min).collect();
    at == [*answer]
}

#[derive(Default, Debug)]
struct BankFigures {
    choice: usize,
    longest_key: Vec<String>,
    single: usize,
    shortest_key: Vec<String>,
    tf: usize,
    tf_true: usize,
}

fn figures(lib: &Library) -> BTreeMap<String, BankFigures> {
    let mut out: BTreeMap<String, BankFigures> = BTreeMap::new();
    for q in lib.questions() {
        let f = out.entry(q.bank.clone()).or_default();
        if let Some(g) = gives_key_by_length(q) {
            f.choice += 1;
            if g {
                f.longest_key.push(q.id.clone());
            }
        }
        if let Kind::Single { .. } = q.kind {
            f.single += 1;
            if Lang::ALL.iter().any(|&l| shortest_is_key(q, l)) {
                f.shortest_key.push(q.id.clone());
            }
        }
        if let Kind::TrueFalse { answer } = q.kind {
            f.tf += 1;
            f.tf_true += usize::from(answer);
        }
    }
    out
}

fn table(figs: &BTreeMap<String, BankFigures>) -> String {
    let mut s = String::from(
        "bank: key-longest / choice questions; key-shortest / single; true / true-false\n",
    );
    for (b, f) in figs {
        s += &format!(
            "  {b}: {} / {} ({:.0}%); {} / {}; {} / {} true ({:.0}%)\n",
            f.longest_key.len(),
            f.choice,
            100.0 * f.longest_key.len() as f64 / f.choice.max(1) as f64,
            f.shortest_key.len(),
            f.single,
            f.tf_true,
            f.tf,
            100.0 * f.tf_true as f64 / f.tf.max(1) as f64,
        );
    }
    s
}

#[test]
fn the_key_is_the_unique_longest_choice_in_at_most_a_third_of_each_bank() {
    // and, so that short keys do not become the new habit, the unique shortest in at most a
    // third of its single questions
    the_key_stands_out_by_length_in_at_most_a_third_of_each_bank();
}

fn the_key_stands_out_by_length_in_at_most_a_third_of_each_bank() {
    let lib = lib();
    let figs = figures(&lib);
    let mut bad = Vec::new();
    for (b, f) in &figs {
        let share = f.longest_key.len() as f64 / f.choice.max(1) as f64;
        if share > MAX_LONGEST_KEY_SHARE {
            bad.push(format!(
                "{b}: {:.0}% > {:.0}%: {}",
                share * 100.0,
                MAX_LONGEST_KEY_SHARE * 100.0,
                f.longest_key.join(" ")
            ));
        }
        let short = f.shortest_key.len() as f64 / f.single.max(1) as f64;
        if short > MAX_LONGEST_KEY_SHARE {
            bad.push(format!(
                "{b}: the key is the shortest choice in {:.0}% of single questions: {}",
                short * 100.0,
                f.shortest_key.join(" ")
            ));
        }
    }
    assert!(bad.is_empty(), "{}{}", table(&figs), bad.join("\n"));
}

#[test]
fn true_false_is_balanced_in_each_bank() {
    let figs = figures(&lib());
    let bad: Vec<String> = figs
        .iter()
        .filter(|(_, f)| f.tf > 0 && !TRUE_SHARE.contains(&(f.tf_true as f64 / f.tf as f64)))
        .map(|(b, f)| format!("{b}: {} of {} true", f.tf_true, f.tf))
        .collect();
    assert!(bad.is_empty(), "{}{}", table(&figs), bad.join("\n"));
}

/// The measures themselves, on hand-made questions whose answers are known.
#[test]
fn the_length_measure_counts_either_language_and_only_a_unique_longest_key() {
    let t = |en: &str, ar: &str| Text::from_pairs([("en", en), ("ar", ar)]);
    let c = vec![t("aa", "أأ"), t("bbbb", "ب"), t("cc", "ججج")];
    assert!(longest_is_key(&c, &[1], Lang::En));
    assert!(!longest_is_key(&c, &[1], Lang::Ar));
    assert!(longest_is_key(&c, &[2], Lang::Ar));
    // a tie for the longest gives nothing away
    let c = vec![t("aaaa", "أ"), t("bbbb", "ب")];
    assert!(!longest_is_key(&c, &[0], Lang::En));
    // surrounding spaces do not count
    let c = vec![t("a   ", "أ"), t("bb", "ب")];
    assert!(!longest_is_key(&c, &[0], Lang::En));
    assert!(near("Who runs the shelter?", "Who runs the shelter ?") >= NEAR_DUPLICATE);
    assert!(near("Who runs the shelter?", "Which law punishes forced labour?") < NEAR_DUPLICATE);
}

fn near(a: &str, b: &str) -> f64 {
    strsim::sorensen_dice(&tipquiz::quiz::normalize(a), &tipquiz::quiz::normalize(b))
}

/// What two questions are compared by: the English prompt, or for `order` and `match` the
/// English items and pairs.
fn compared_text(q: &Question) -> String {
    match &q.kind {
        Kind::Order { items } => items
            .iter()
            .map(|t| t.get(Lang::En))
            .collect::<Vec<_>>()
            .join(" "),
        Kind::Match { pairs } => pairs
            .iter()
            .flat_map(|(a, b)| [a.get(Lang::En), b.get(Lang::En)])
            .collect::<Vec<_>>()
            .join(" "),
        _ => q.prompt.get(Lang::En).to_owned(),
    }
}

/// Exact duplicates (the same prompt in English or in Arabic after normalisation) and
/// near-duplicates (English prompts, or items of two order/match questions, at least
/// [`NEAR_DUPLICATE`] similar), across all banks.
#[test]
fn no_prompt_is_repeated_or_nearly_repeated_across_banks() {
    let lib = lib();
    let qs: Vec<&Question> = lib.questions().collect();
    let norm: Vec<(String, String)> = qs
        .iter()
        .map(|q| {
            (
                tipquiz::quiz::normalize(q.prompt.get(Lang::En)),
                tipquiz::quiz::normalize(q.prompt.get(Lang::Ar)),
            )
        })
        .collect();
    let mut found = Vec::new();
    for i in 0..qs.len() {
        for j in i + 1..qs.len() {
            if norm[i].0 == norm[j].0 || norm[i].1 == norm[j].1 {
                found.push(format!("{} = {} (same prompt)", qs[i].id, qs[j].id));
                continue;
            }
            let template = |q: &Question| matches!(q.kind, Kind::Order { .. } | Kind::Match { .. });
            let s = if template(qs[i]) && template(qs[j]) {
                near(&compared_text(qs[i]), &compared_text(qs[j]))
            } else {
                strsim::sorensen_dice(&norm[i].0, &norm[j].0)
            };
            if s >= NEAR_DUPLICATE {
                found.push(format!("{} ~ {} ({s:.2})", qs[i].id, qs[j].id));
            }
        }
    }
    assert!(found.is_empty(), "repeated prompts:\n{}", found.join("\n"));
}

/// The shipped exam files, read from `questions/exams/`.
fn exam_files() -> Vec<tipquiz::exam::ExamDef> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("questions/exams");
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir).expect("questions/exams is readable") {
        let p = e.expect("a directory entry").path();
        if p.extension().is_some_and(|x| x == "toml") {
            let text = std::fs::read_to_string(&p).expect("an exam file is readable");
            let (def, d) = tipquiz::exam::parse_exam(&p.display().to_string(), &text);
            assert!(d.is_empty(), "{}: {d:?}", p.display());
            out.push(def.expect("an exam that parses without problems"));
        }
    }
    out
}

/// Every department has at least [`MIN_PER_DEPARTMENT`] scenarios tagged with it, and a
/// briefing exam: an exam with a pool of scenarios whose tags name the department.
#[test]
fn every_department_has_its_scenarios_and_a_briefing_exam() {
    let lib = lib();
    let exams = exam_files();
    let mut bad = Vec::new();
    for dept in DEPARTMENTS {
        let n = lib
            .questions()
            .filter(|q| q.topic == "scenarios" && q.tags.iter().any(|t| t == dept))
            .count();
        if n < MIN_PER_DEPARTMENT {
            bad.push(format!("{dept}: {n} scenarios"));
        }
        let briefing = exams.iter().any(|e| {
            e.pools.iter().any(|p| {
                p.topic.as_deref() == Some("scenarios") && p.tags.iter().any(|t| t == dept)
            })
        });
        if !briefing {
            bad.push(format!("{dept}: no briefing exam draws its scenarios"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn the_course_has_at_least_330_bilingual_questions() {
    let lib = lib();
    let n = lib
        .questions()
        .filter(|q| texts(q).iter().all(|t| both(t)))
        .count();
    assert!(
        n >= MIN_TOTAL,
        "{n} bilingual questions, {MIN_TOTAL} wanted"
    );
}

/// Questions that ask for the same answer accept the same forms.
const TWINS: &[&[&str]] = &[
    &["intl-018", "law-001", "scn-air-08"],
    &["intl-004", "law-002"],
    &["ind-038", "intl-053"],
    &["law-050", "scn-cid-12"],
];

#[test]
fn twin_short_questions_accept_the_same_answers() {
    let lib = lib();
    for twins in TWINS {
        let lists: Vec<_> = twins
            .iter()
            .map(
                |id| match &lib.question(id).expect("a shipped question").kind {
                    Kind::Short { accepted } => accepted.clone(),
                    k => panic!("{id} is {}, not short", k.name()),
                },
            )
            .collect();
        for (id, l) in twins.iter().zip(&lists) {
            assert_eq!(
                l, &lists[0],
                "{id} and {} accept different answers",
                twins[0]
            );
        }
    }
}

/// Every form the issue on the banks lists as typed by trainees (issue 20, "Short answers").
/// Each must appear in [`TYPED`], so that the table below covers the whole list.
const ISSUE_FORMS: &[&str] = &[
    "18 years old",
    "18 عاماً",
    "الثامنة عشر",
    "دون الثامنة عشرة",
    "three or more",
    "ثلاثة فأكثر",
    "عشرة",
    "سنين",
    "6 dimensions",
    "مؤشراً",
    "إسار الديون",
    "the kafala system",
    "نيابة عامة",
    "مبدأ عدم الإضرار",
    "2558 9696",
    "2558-9696",
    "+965 25589696",
];

/// What trainees type, per question, as the audit of the banks recorded it: each form must earn
/// full credit through the real scoring function, on the question and on each of its twins.
const TYPED: &[(&str, &[&str])] = &[
    (
        "law-001",
        &[
            "18 years old",
            "18 عاماً",
            "الثامنة عشر",
            "دون الثامنة عشرة",
            "١٨",
        ],
    ),
    ("law-002", &["three or more", "ثلاثة فأكثر", "3 persons"]),
    ("law-016", &["عشرة", "عشر سنين", "10 سنين", "10 years"]),
    ("ind-027", &["6 dimensions", "ستة أبعاد"]),
    ("ind-032", &["11 مؤشراً", "أحد عشر مؤشرا"]),
    ("ind-038", &["إسار الديون", "debt bondage"]),
    ("ind-049", &["the kafala system", "نظام الكفالة", "كفالة"]),
    ("law-031", &["نيابة عامة", "the Public Prosecution Office"]),
    ("nrm-012", &["مبدأ عدم الإضرار", "the do no harm principle"]),
    (
        "law-050",
        &[
            "2558 9696",
            "2558-9696",
            "+965 25589696",
            "٢٥٥٨٩٦٩٦",
            "00965 2558 9696",
        ],
    ),
    ("scn-res-12", &["14 days", "أسبوعين"]),
];

#[test]
fn short_answers_accept_the_forms_trainees_type() {
    use tipquiz::quiz::{Response, credit};
    let lib = lib();
    let policy = tipquiz::exam::ScoringPolicy::default();
    // the table covers every form the issue lists (a form counts when it is, or is part of, a row's form)
    for form in ISSUE_FORMS {
        assert!(
            TYPED
                .iter()
                .any(|(_, forms)| forms.iter().any(|t| t.contains(form))),
            "the issue's form `{form}` is not in TYPED"
        );
    }
    let mut bad = Vec::new();
    for (id, forms) in TYPED {
        let twins = TWINS
            .iter()
            .find(|t| t.contains(id))
            .map_or_else(|| vec![*id], |t| t.to_vec());
        for twin in twins {
            let q = lib.question(twin).expect("a shipped question");
            assert!(
                matches!(q.kind, Kind::Short { .. }),
                "{twin} is not a short answer"
            );
            for t in *forms {
                let c = credit(q, &Response::Text((*t).to_owned()), &policy);
                if (c - 1.0).abs() > 1e-9 {
                    bad.push(format!("{twin} (form listed for {id}): `{t}` earns {c}"));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // and the lists are not so wide that a wrong number passes
    for (id, wrong) in [
        ("law-001", "15"),
        ("law-001", "21"),
        ("law-002", "2"),
        ("law-016", "15"),
        ("law-050", "25589697"),
        ("law-050", "+965 2558969"),
        ("scn-res-12", "3"),
    ] {
        let q = lib.question(id).expect("a shipped question");
        let c = credit(q, &Response::Text(wrong.to_owned()), &policy);
        assert!(c.abs() < 1e-9, "{id}: `{wrong}` is accepted");
    }
}

/// «المجني عليه» is the law's word: it appears only in questions that apply Kuwaiti criminal law
/// (their source cites Law No. 91 of 2013 or the Penal Code). «الضحية» is the word of
/// identification, protection and referral. No sentence of an Arabic text uses both.
#[test]
fn the_arabic_word_for_victim_follows_its_context() {
    let lib = lib();
    let law_term = ["مجني عليه", "مجني عليها", "مجني عليهم", "مجني عليهن"];
    let protection_term = ["ضحية", "ضحيه", "ضحايا"];
    let mut bad = Vec::new();
    for q in lib.questions() {
        let source = q
            .source
            .as_ref()
            .map(|s| s.get(Lang::En))
            .unwrap_or_default();
        let applies_law = ["Law No. 91", "Law 91", "Penal Code"]
            .iter()
            .any(|l| source.contains(l));
        let mut arabic: Vec<&str> = texts(q).iter().map(|t| t.get(Lang::Ar)).collect();
        if let Kind::Short { accepted } = &q.kind {
            arabic.extend(accepted.get("ar").into_iter().flatten().map(String::as_str));
        }
        for t in arabic {
            let uses_law_term = law_term.iter().any(|w| t.contains(w));
            if uses_law_term && !applies_law {
                bad.push(format!(
                    "{}: «المجني عليه» in a question whose source cites no Kuwaiti criminal law: {t}",
                    q.id
                ));
            }
            for sentence in t.split(['.', '؛', '?', '؟', '!']) {
                if law_term.iter().any(|w| sentence.contains(w))
                    && protection_term.iter().any(|w| sentence.contains(w))
                {
                    bad.push(format!(
                        "{}: one sentence uses both terms: {sentence}",
                        q.id
                    ));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Every shipped exam draws a full paper for every trainee (here: 400 names), and no paper holds
/// two questions that `excludes` keeps apart: the exclusions added to keep give-away pairs and
/// questions on one point apart never leave a pool short on a real paper.
#[test]
fn every_shipped_exam_draws_a_full_paper_with_no_excluded_pair() {
    let lib = lib();
    for exam in exam_files() {
        let wanted: usize = exam.pools.iter().map(|p| p.count).sum();
        for n in 0..400 {
            let seed = tipquiz::quiz::seed_for(&exam.id, &format!("trainee {n}"));
            let paper = tipquiz::quiz::draw(&exam, &lib, seed)
                .unwrap_or_else(|e| panic!("{}: trainee {n}: {e}", exam.id));
            assert_eq!(paper.len(), wanted, "{}: trainee {n}", exam.id);
            let qs: Vec<&Question> = paper
                .iter()
                .map(|p| lib.question(&p.qid).expect("a drawn question ships"))
                .collect();
            for (i, a) in qs.iter().enumerate() {
                for b in &qs[i + 1..] {
                    assert!(
                        !Library::excluded(a, b),
                        "{}: trainee {n} drew {} with {}",
                        exam.id,
                        a.id,
                        b.id
                    );
                }
            }
        }
    }
}
