//! Per-choice credit (Moodle's fractions), partly right typed answers and numerical questions:
//! the format, `check`, scoring, what the review shows, and the round trips through GIFT and
//! Moodle XML.

use tipquiz::bank::{Bank, Kind, Question, parse_bank};
use tipquiz::exam::ScoringPolicy;
use tipquiz::import::{ExportFormat, Format, export, import};
use tipquiz::quiz::{Response, Verdict, choice_text, key_text, read_number, score_question};
use tipquiz::text::Lang;

const BANK: &str = include_str!("../fixtures/valid/credit-numerical.toml");

fn bank() -> Bank {
    let (b, diags) = parse_bank("credit-numerical.toml", BANK);
    assert!(diags.is_empty(), "{diags:?}");
    b.unwrap_or_else(|| panic!("does not load"))
}

fn q<'a>(b: &'a Bank, id: &str) -> &'a Question {
    b.questions
        .iter()
        .find(|q| q.id == id)
        .unwrap_or_else(|| panic!("{id}"))
}

fn score(q: &Question, r: Response) -> (f64, Verdict) {
    let s = score_question(q, Some(&r), &ScoringPolicy::default(), None, None);
    (s.points, s.verdict)
}

fn text(s: &str) -> Response {
    Response::Text(s.to_owned())
}

#[test]
fn moodle_credits_score_as_moodle_scores_them() {
    let b = bank();
    let c = q(&b, "cr-colours");
    // Moodle: yellow + off-beige 100%; all four 50 - 100 + 50 - 100 < 0, so 0; yellow 50%.
    assert_eq!(
        score(c, Response::Choices(vec![0, 2])),
        (1.0, Verdict::Right)
    );
    assert_eq!(
        score(c, Response::Choices(vec![0, 1, 2, 3])),
        (0.0, Verdict::Wrong)
    );
    assert_eq!(
        score(c, Response::Choices(vec![0])),
        (0.5, Verdict::Partial)
    );
    assert_eq!(
        score(c, Response::Choices(vec![0, 1])),
        (0.0, Verdict::Wrong)
    );
    // No penalty: every box ticked earns the whole mark (tipquiz's own rule would give 0).
    let n = q(&b, "cr-no-penalty");
    assert_eq!(
        score(n, Response::Choices(vec![0, 1, 2, 3])),
        (1.0, Verdict::Right)
    );
    assert_eq!(
        score(n, Response::Choices(vec![2, 3])),
        (0.5, Verdict::Partial)
    );
    // Single with partial credit, 3 points: the half-right choice earns 1.5.
    let s = q(&b, "cr-single");
    assert_eq!(score(s, Response::Choice(0)), (3.0, Verdict::Right));
    assert_eq!(score(s, Response::Choice(1)), (1.5, Verdict::Partial));
    assert_eq!(score(s, Response::Choice(2)), (0.0, Verdict::Wrong));
    // Without partial credit in the exam, only a fully right answer counts.
    let strict = ScoringPolicy {
        partial_credit: false,
        ..ScoringPolicy::default()
    };
    let p = score_question(s, Some(&Response::Choice(1)), &strict, None, None);
    assert_eq!((p.points, p.verdict), (0.0, Verdict::Wrong));
}

#[test]
fn partly_right_typed_answers() {
    let b = bank();
    let s = q(&b, "cr-short");
    assert_eq!(score(s, text("Eighteen")), (1.0, Verdict::Right));
    assert_eq!(score(s, text("18 years old")), (0.5, Verdict::Partial));
    assert_eq!(score(s, text("١٨ سنة")), (0.5, Verdict::Partial));
    assert_eq!(score(s, text("17")), (0.0, Verdict::Wrong));
}

#[test]
fn numerical_answers_with_units_tolerance_and_arabic_digits() {
    let b = bank();
    let y = q(&b, "cr-years");
    for right in [
        "15",
        " 15 ",
        "١٥",
        "۱۵",
        "15 years",
        "15 Years",
        "١٥ سنة",
        "15 سنوات",
        "180 months",
        "15.0",
    ] {
        assert_eq!(score(y, text(right)), (2.0, Verdict::Right), "{right}");
    }
    assert_eq!(score(y, text("10")), (1.0, Verdict::Partial));
    assert_eq!(score(y, text("١٠ سنوات")), (1.0, Verdict::Partial));
    for wrong in ["16", "15 days", "fifteen", "", "15 years 3"] {
        assert_eq!(score(y, text(wrong)).0, 0.0, "{wrong}");
    }
    let f = q(&b, "cr-fine");
    assert_eq!(score(f, text("10.4")).1, Verdict::Right);
    assert_eq!(score(f, text("٩٫٦")).1, Verdict::Right);
    assert_eq!(score(f, text("9,6")).1, Verdict::Right);
    assert_eq!(score(f, text("10.6")).1, Verdict::Wrong);
    // Thousands separators.
    assert_eq!(read_number("1,500", &[]), Some(1500.0));
    assert_eq!(read_number("١٬٥٠٠", &[]), Some(1500.0));
    assert_eq!(read_number("2,5", &[]), Some(2.5));
    assert_eq!(read_number("-3.25", &[]), Some(-3.25));
    assert_eq!(read_number("abc", &[]), None);
}

#[test]
fn the_review_shows_credits_and_typed_keys() {
    let b = bank();
    let c = q(&b, "cr-colours");
    assert_eq!(choice_text(c, 0, Lang::En, true), "yellow (50%)");
    assert_eq!(choice_text(c, 1, Lang::Ar, true), "الأحمر (-100%)");
    assert_eq!(choice_text(c, 1, Lang::En, false), "red");
    assert_eq!(
        key_text(q(&b, "cr-years"), Lang::En),
        "15 years / 10 years (50%)"
    );
    assert_eq!(key_text(q(&b, "cr-fine"), Lang::En), "10 ± 0.5");
    assert_eq!(
        key_text(q(&b, "cr-short"), Lang::Ar),
        "18 / ثماني عشرة / 18 سنة (50%)"
    );
}

/// `check` refuses credits Moodle would refuse, with the line and a hint.
#[test]
fn check_refuses_credits_moodle_refuses() {
    let head = "format = 1\nid = \"x\"\nlanguages = [\"en\"]\ntitle = \"X\"\n\n[[question]]\nid = \"x-1\"\nprompt = \"P\"\nexplanation = \"E\"\nsource = \"S\"\n";
    let codes = |body: &str| -> Vec<(String, usize, String)> {
        let (_, diags) = parse_bank("x.toml", &format!("{head}{body}"));
        diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| (d.code.to_string(), d.line, d.render()))
            .collect()
    };
    let e = codes(
        "type = \"multiple\"\nchoices = [\"a\", \"b\", \"c\"]\nanswer = [\"a\", \"b\"]\ncredit = [33, 67, 0]\n",
    );
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!((e[0].0.as_str(), e[0].1), ("bad-credit", 14));
    assert!(e[0].2.contains("33.33333"), "{}", e[0].2);
    let e = codes(
        "type = \"multiple\"\nchoices = [\"a\", \"b\", \"c\"]\nanswer = [\"a\", \"b\"]\ncredit = [50, 40, 0]\n",
    );
    assert_eq!(e[0].0, "credit-sum");
    let e = codes(
        "type = \"multiple\"\nchoices = [\"a\", \"b\", \"c\"]\nanswer = [\"a\"]\ncredit = [50, 50, 0]\n",
    );
    assert_eq!(e[0].0, "credit-key");
    let e =
        codes("type = \"single\"\nchoices = [\"a\", \"b\"]\nanswer = \"a\"\ncredit = [50, 100]\n");
    assert_eq!(e[0].0, "credit-key");
    let e = codes("type = \"single\"\nchoices = [\"a\", \"b\"]\nanswer = \"a\"\ncredit = [100]\n");
    assert_eq!(e[0].0, "credit-count");
    let e = codes("type = \"true-false\"\nanswer = true\ncredit = [100, 0]\n");
    assert_eq!(e[0].0, "key-not-for-type");
    let e = codes("type = \"numerical\"\nanswer = 15\ntolerance = -1\n");
    assert_eq!(e[0].0, "bad-tolerance");
    let e = codes("type = \"numerical\"\nanswer = \"15\"\n");
    assert_eq!(e[0].0, "wrong-type");
    let e = codes(
        "type = \"numerical\"\nanswer = 15\nunits = [{ unit = \"months\", multiplier = 12 }]\n",
    );
    assert_eq!(e[0].0, "bad-unit");
    let e = codes(
        "type = \"short\"\nanswer = [\"x\"]\npartial = [{ credit = 100, answer = [\"y\"] }]\n",
    );
    assert_eq!(e[0].0, "bad-credit");
}

fn round_trip(to: ExportFormat, lang: Lang) -> (Bank, Vec<String>) {
    let b = bank();
    let out = export(&b, to, lang);
    assert!(out.messages.is_empty(), "{:?}", out.skipped);
    let from = match to {
        ExportFormat::Gift => Format::Gift,
        ExportFormat::MoodleXml => Format::MoodleXml,
    };
    let imp = import(&out.text, from, lang.code(), "back");
    let (back, diags) = parse_bank("back.toml", &imp.toml);
    assert!(
        diags.iter().all(|d| !d.is_error()),
        "{}\n{diags:?}",
        imp.toml
    );
    let back = back.unwrap_or_else(|| panic!("{}", imp.toml));
    (
        back,
        out.notes.iter().map(tipquiz::messages::Msg::en).collect(),
    )
}

#[test]
fn credits_and_numbers_survive_gift_and_moodle_xml() {
    let b = bank();
    for to in [ExportFormat::Gift, ExportFormat::MoodleXml] {
        for lang in Lang::ALL {
            let (back, notes) = round_trip(to, lang);
            assert_eq!(back.questions.len(), b.questions.len());
            for (x, y) in b.questions.iter().zip(&back.questions) {
                assert_eq!(x.id, y.id);
                assert_eq!(x.credit, y.credit, "{to:?} {}", x.id);
                // GIFT has no marks (noted); Moodle XML keeps them.
                if to == ExportFormat::MoodleXml {
                    assert_eq!(x.points, y.points, "{to:?} {}", x.id);
                }
                assert_eq!(
                    x.partial.iter().map(|p| p.credit).collect::<Vec<_>>(),
                    y.partial.iter().map(|p| p.credit).collect::<Vec<_>>(),
                    "{to:?} {}",
                    x.id
                );
                assert_eq!(
                    x.source.as_ref().map(|s| s.get(lang)),
                    y.source.as_ref().map(|s| s.get(lang)),
                    "{to:?} {}",
                    x.id
                );
                assert_eq!(x.difficulty, y.difficulty, "{to:?} {}", x.id);
                match (&x.kind, &y.kind) {
                    (
                        Kind::Numerical {
                            answer,
                            tolerance,
                            units,
                        },
                        Kind::Numerical {
                            answer: a2,
                            tolerance: t2,
                            units: u2,
                        },
                    ) => {
                        assert_eq!((answer, tolerance), (a2, t2));
                        // GIFT has no units (noted); Moodle XML keeps them.
                        if to == ExportFormat::MoodleXml {
                            assert_eq!(units, u2);
                        }
                    }
                    (k1, k2) => assert_eq!(k1.name(), k2.name()),
                }
            }
            if to == ExportFormat::Gift {
                assert!(
                    notes.iter().any(|n| n.contains("units were not written")),
                    "{notes:?}"
                );
            } else {
                assert!(
                    notes.iter().any(|n| n.contains("XML comments")),
                    "{notes:?}"
                );
            }
        }
    }
}

#[test]
fn gift_export_keeps_a_leading_percent_and_moodle_fractions() {
    let src = "format = 1\nid = \"p\"\nlanguages = [\"en\"]\ntitle = \"P\"\n\n[[question]]\nid = \"p-1\"\ntype = \"single\"\nprompt = \"How much of the fine is suspended?\"\nchoices = [\"%50% of it\", \"None\"]\nanswer = \"b\"\nexplanation = \"E\"\nsource = \"S\"\n";
    let (b, _) = parse_bank("p.toml", src);
    let b = b.unwrap_or_else(|| panic!("p"));
    let out = export(&b, ExportFormat::Gift, Lang::En);
    assert!(out.text.contains("~[html]&\\#37;50% of it"), "{}", out.text);
    let back = import(&out.text, Format::Gift, "en", "p");
    let (bb, _) = parse_bank("b.toml", &back.toml);
    let bb = bb.unwrap_or_else(|| panic!("{}", back.toml));
    // The key did not change, and the text keeps its `%50%`.
    assert!(matches!(
        bb.questions[0].kind,
        Kind::Single { answer: 1, .. }
    ));
    assert_eq!(
        bb.questions[0].kind.choices().map(|c| c[0].get(Lang::En)),
        Some("%50% of it")
    );
    assert!(bb.questions[0].credit.is_empty());

    // 12 right choices of 14: 100/12 is not a Moodle fraction; 8 × 10% + 4 × 5% = 100%.
    let mut m = String::from(
        "format = 1\nid = \"m\"\nlanguages = [\"en\"]\ntitle = \"M\"\n\n[[question]]\nid = \"m-1\"\ntype = \"multiple\"\nprompt = \"Tick the indicators\"\nchoices = [",
    );
    m.push_str(
        &(1..=14)
            .map(|i| format!("\"c{i}\""))
            .collect::<Vec<_>>()
            .join(", "),
    );
    m.push_str("]\nanswer = [");
    m.push_str(
        &"abcdefghijkl"
            .chars()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", "),
    );
    m.push_str("]\nexplanation = \"E\"\nsource = \"S\"\n");
    let (mb, d) = parse_bank("m.toml", &m);
    let mb = mb.unwrap_or_else(|| panic!("{d:?}"));
    for to in [ExportFormat::Gift, ExportFormat::MoodleXml] {
        let out = export(&mb, to, Lang::En);
        assert_eq!(
            out.notes
                .iter()
                .filter(|n| n.en().contains("10% or 5%"))
                .count(),
            1
        );
        let weights: Vec<f64> = match to {
            ExportFormat::Gift => out
                .text
                .split('%')
                .skip(1)
                .step_by(2)
                .filter_map(|w| w.parse::<f64>().ok())
                .collect(),
            ExportFormat::MoodleXml => out
                .text
                .split("fraction=\"")
                .skip(1)
                .filter_map(|w| w.split('"').next()?.parse::<f64>().ok())
                .collect(),
        };
        assert_eq!(weights.len(), 14, "{to:?} {weights:?}");
        assert_eq!(weights.iter().filter(|w| **w > 0.0).sum::<f64>(), 100.0);
        for w in &weights {
            assert!(
                tipquiz::bank::is_moodle_fraction(*w),
                "{to:?}: {w} in {weights:?}"
            );
        }
    }
}

/// An attempt with numerical questions: a typed answer in Arabic-Indic digits with a unit is
/// taken as the answer (as the typing screen sends it) and scored with the attempt.
#[test]
fn a_session_takes_typed_numbers() {
    use tipquiz::exam::{ExamDef, Mode};
    use tipquiz::quiz::{Action, Outcome, Session};
    let b = bank();
    for q in &b.questions {
        if matches!(q.kind, Kind::Numerical { .. }) {
            assert!(text("١٥ سنة").fits(q), "{}", q.id);
            assert!(!Response::Bool(true).fits(q), "{}", q.id);
        }
    }
    let lib = tipquiz::bank::Library::build(vec![b]).0;
    let mut e = ExamDef::quick(&[], 6, None, Mode::Exam);
    e.shuffle_questions = false;
    let t0 = 1_800_000_000_000;
    let mut s = Session::start(&e, &lib, "t", 1, Lang::Ar, t0).unwrap_or_else(|e| panic!("{e:?}"));
    let at = s
        .questions
        .iter()
        .position(|q| q.id == "cr-years")
        .unwrap_or_else(|| panic!("cr-years not drawn"));
    while s.current() != at {
        assert_eq!(s.update(Action::Next, t0 + 1_000), Outcome::Changed);
    }
    assert_eq!(
        s.update(Action::Answer(text("١٥ سنة")), t0 + 2_000),
        Outcome::Changed
    );
    let sheet = s.score();
    let years = sheet
        .questions
        .iter()
        .find(|x| x.qid == "cr-years")
        .unwrap_or_else(|| panic!("no score"));
    assert_eq!((years.points, years.verdict), (2.0, Verdict::Right));
}
