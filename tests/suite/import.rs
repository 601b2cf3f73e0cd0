//! Import from and export to Moodle formats; starter templates.

use tipquiz::bank::{Bank, Kind, Library, load_shipped, parse_bank};
use tipquiz::diag::Diagnostic;
use tipquiz::exam::parse_exam;
use tipquiz::import::{
    ExportFormat, Format, Import, Skipped, export, import, starter_bank, starter_exam,
};
use tipquiz::quiz::exam_problems;
use tipquiz::text::{Lang, Text};

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn errors(diags: &[Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .filter(|d| d.is_error())
        .map(Diagnostic::render)
        .collect()
}

/// The bank an import wrote; fails on any error.
fn bank_of(imp: &Import) -> Bank {
    let (bank, diags) = parse_bank("imported.toml", &imp.toml);
    let errs = errors(&diags);
    assert!(errs.is_empty(), "{}\n{}", imp.toml, errs.join("\n"));
    let bank = bank.unwrap_or_else(|| panic!("no bank:\n{}", imp.toml));
    assert_eq!(bank.questions.len(), imp.questions);
    bank
}

fn skipped(list: &[(usize, &str)]) -> Vec<Skipped> {
    list.iter()
        .map(|(line, what)| Skipped::new(*line, tipquiz::messages::Msg::raw(*what)))
        .collect()
}

fn q<'a>(bank: &'a Bank, id: &str) -> &'a tipquiz::bank::Question {
    bank.questions
        .iter()
        .find(|q| q.id == id)
        .unwrap_or_else(|| panic!("no question `{id}`"))
}

fn texts(ts: &[Text], lang: Lang) -> Vec<&str> {
    ts.iter().map(|t| t.get(lang)).collect()
}

// ------------------------------------------------------------------ GIFT

#[test]
fn gift_every_construct() {
    let imp = import(
        &fixture("all-constructs.gift"),
        Format::Gift,
        "en",
        "fixture",
    );
    // Since per-choice credit and numerical questions: uneven weights, partial short answers,
    // a single answer with partial credit and both numerical questions are converted.
    assert_eq!(imp.questions, 22);
    assert_eq!(
        imp.skipped,
        skipped(&[
            (
                43,
                "question `Match`: converted, but extra answers with no item (distractors) were dropped: Profit"
            ),
            (
                63,
                "question `Essay`: not converted: essay questions have no tipquiz equivalent"
            ),
            (
                65,
                "question `Description`: not converted: a description (no answer block) is not a question"
            ),
            (
                69,
                "question `Two right single`: not converted: several answers are 100% right in a single-answer question"
            ),
            (
                77,
                "question `Image`: not converted: the question text: it holds an image or other media, which tipquiz cannot show"
            ),
            (
                79,
                "question `HTML only`: not converted: the question text: HTML-only content: no text is left once the tags are removed"
            ),
            (
                81,
                "question `Only one`: not converted: a multiple-choice question needs at least two answers"
            ),
            (
                83,
                "question `Broken`: not converted: the answer block has no matching `{` and `}` (write \\{ or \\} for a brace in the text)"
            ),
            (
                85,
                "category `المؤشرات` has no ASCII letter or digit, so it is not kept as a tag"
            ),
        ])
    );
    let b = bank_of(&imp);
    let en = Lang::En;
    let ids: Vec<&str> = b.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "grant-tomb",
            "missing-word",
            "weighted-two",
            "uneven-weights",
            "feedback",
            "tf-short",
            "tf-long",
            "tf-true-word",
            "tf-f",
            "short",
            "match",
            "escapes",
            "q-013",
            "dup",
            "dup-2",
            "numerical",
            "numerical-range",
            "partial-single",
            "markdown",
            "moodle-marker",
            "plain-marker",
            "after-arabic-category",
        ]
    );

    // Name, category, comment tags, source and difficulty.
    let g = q(&b, "grant-tomb");
    assert_eq!(g.tags, ["indicators", "airport", "documents"]);
    assert_eq!(
        g.source.as_ref().map(|s| s.get(en)),
        Some("UNODC Human Trafficking Indicators")
    );
    assert_eq!(g.difficulty.name(), "easy");
    assert_eq!(
        g.kind,
        Kind::Single {
            choices: vec![
                Text::from_pairs([("en", "no one")]),
                Text::from_pairs([("en", "Grant")]),
                Text::from_pairs([("en", "Jefferson")]),
            ],
            answer: 0
        }
    );
    // Missing word.
    let m = q(&b, "missing-word");
    assert_eq!(m.prompt.get(en), "Grant is _____ in Grant's tomb.");
    assert!(matches!(m.kind, Kind::Single { answer: 1, .. }));
    // Weights.
    assert!(
        matches!(&q(&b, "weighted-two").kind, Kind::Multiple { answers, .. } if *answers == [0, 1])
    );
    assert!(
        matches!(&q(&b, "uneven-weights").kind, Kind::Multiple { answers, .. } if *answers == [0, 1])
    );
    // [html], per-answer feedback and general feedback.
    let f = q(&b, "feedback");
    assert_eq!(f.prompt.get(en), "What is the purpose element?");
    assert_eq!(
        f.explanation.as_ref().map(|e| e.get(en)),
        Some(
            "The purpose is exploitation.\n“Exploitation”: Right: art. 3(a) ends with the purpose.\n“Recruitment”: No, that is an act.\n“Deception”: No, that is a means & not a purpose."
        )
    );
    // True-false in every spelling, with feedback.
    for (id, want) in [
        ("tf-short", true),
        ("tf-long", false),
        ("tf-true-word", true),
        ("tf-f", false),
        ("moodle-marker", true),
    ] {
        assert_eq!(q(&b, id).kind, Kind::TrueFalse { answer: want }, "{id}");
    }
    assert_eq!(
        q(&b, "tf-long").explanation.as_ref().map(|e| e.get(en)),
        Some(
            "Art. 3 has no border element.\nIf you answered false: Right, it is not.\nIf you answered true: It is not required."
        )
    );
    // Short answers: the 100% ones.
    let Kind::Short { accepted } = &q(&b, "short").kind else {
        panic!("short")
    };
    assert_eq!(accepted["en"], ["three", "3"]);
    // Matching without the distractor.
    let Kind::Match { pairs } = &q(&b, "match").kind else {
        panic!("match")
    };
    let got: Vec<(&str, &str)> = pairs.iter().map(|(l, r)| (l.get(en), r.get(en))).collect();
    assert_eq!(
        got,
        [
            ("Recruitment", "Act"),
            ("Deception", "Means"),
            ("Forced labour", "Purpose")
        ]
    );
    // Escapes.
    let e = q(&b, "escapes");
    assert_eq!(
        e.prompt.get(en),
        "Which is written {braces} = and ~ and # and 1:2?\nSecond line."
    );
    assert_eq!(
        texts(e.kind.choices().unwrap_or(&[]), en),
        ["a = b", "c ~ d"]
    );
    // A question over two lines, unnamed.
    assert_eq!(
        q(&b, "q-013").prompt.get(en),
        "Unnamed question with\ntwo lines of text?"
    );
    // Format markers other than [html] keep the text as written.
    assert_eq!(
        q(&b, "markdown").prompt.get(en),
        "Is *this* kept as written?"
    );
    assert_eq!(
        q(&b, "plain-marker").prompt.get(en),
        "Plain <b>text</b> is kept as written."
    );
    // A category that cannot be a tag clears the category tag.
    assert!(q(&b, "after-arabic-category").tags.is_empty());
}

#[test]
fn gift_real_world_arabic() {
    let text = fixture("arabic-real-world.gift");
    let imp = import(&text, Format::Gift, "ar", "national-law");
    assert_eq!(imp.questions, 7);
    assert_eq!(
        imp.skipped,
        skipped(&[
            (
                2,
                "category `قانون` has no ASCII letter or digit, so it is not kept as a tag"
            ),
            (
                43,
                "question `مقال`: not converted: essay questions have no tipquiz equivalent"
            ),
        ])
    );
    let b = bank_of(&imp);
    assert_eq!(b.languages, ["ar"]);
    let ids: Vec<&str> = b.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "q-001",
            "q-002",
            "q-103-age",
            "q-004",
            "q-005",
            "q-103-age-2",
            "q-103-age-3"
        ]
    );
    let ar = Lang::Ar;
    let first = &b.questions[0];
    assert_eq!(first.tags, ["national-law"]);
    assert_eq!(
        first.prompt.get(ar),
        "ما العناصر الثلاثة لجريمة «الاتجار بالأشخاص»؟"
    );
    assert_eq!(
        texts(first.kind.choices().unwrap_or(&[]), ar),
        ["الفعل والوسيلة والغرض", "الفعل والربح فقط", "عبور الحدود"]
    );
    assert_eq!(
        first.explanation.as_ref().map(|e| e.get(ar)),
        Some("تنص المادة 3 (أ) من بروتوكول باليرمو على ثلاثة عناصر.")
    );
    let Kind::Short { accepted } = &q(&b, "q-103-age").kind else {
        panic!("short")
    };
    assert_eq!(accepted["ar"], ["18", "ثماني عشرة", "١٨"]);
    assert!(matches!(&q(&b, "q-004").kind, Kind::Multiple { answers, .. } if *answers == [0, 1]));
    assert!(
        matches!(&q(&b, "q-005").kind, Kind::Match { pairs } if pairs[0].0.get(ar) == "التجنيد")
    );

    // The same file with Windows line endings reads the same.
    let crlf = import(
        &text.replace('\n', "\r\n"),
        Format::Gift,
        "ar",
        "national-law",
    );
    assert_eq!(crlf, imp);
}

#[test]
fn gift_text_is_made_safe() {
    let src = "::Ctrl::Text with \u{1b}[31m escape,\ta tab and \u{202e}a bidi override{T}\n\n\
               ::Forms::ﺍﻟﺎﺗﺠﺎﺭ{T}\n\n\
               ::Quotes::A \"quoted\" \\\\ backslash{=\"x\" ~y}\n";
    let imp = import(src, Format::Gift, "en", "x");
    let b = bank_of(&imp);
    assert_eq!(
        b.questions[0].prompt.get(Lang::En),
        "Text with [31m escape, a tab and a bidi override"
    );
    assert_eq!(
        b.questions[1].prompt.get(Lang::En),
        "A \"quoted\" \\ backslash"
    );
    assert_eq!(imp.skipped.len(), 2);
    // The escape and the override are removed, and that is said.
    assert_eq!(imp.skipped[0].line, 1);
    assert!(
        imp.skipped[0].what.starts_with(
            "question `Ctrl`: converted, but control or direction characters were removed (U+001B, U+202E)"
        ),
        "{}",
        imp.skipped[0].what
    );
    assert_eq!(imp.skipped[1].line, 3);
    let what = &imp.skipped[1].what;
    assert!(
        what.starts_with("question `Forms`: not converted: ")
            && what.contains("Arabic presentation form"),
        "{what}"
    );
}

#[test]
fn nothing_convertible_gives_no_questions() {
    let imp = import("::E::Essay?{}\n", Format::Gift, "en", "x");
    assert_eq!(imp.questions, 0);
    assert_eq!(imp.skipped.len(), 1);
    let imp = import("", Format::Csv, "en", "x");
    assert_eq!(imp.questions, 0);
    assert!(imp.skipped.is_empty());
}

#[test]
fn ids_and_codes_are_made_valid() {
    let imp = import(
        "::Q 1 / Über::A?{T}\n\n::Q 1 / Über::B?{F}\n",
        Format::Gift,
        "EN",
        "My Bank!",
    );
    let b = bank_of(&imp);
    assert_eq!(b.id, "my-bank");
    assert_eq!(b.languages, ["en"]);
    assert_eq!(b.questions[0].id, "q-1-ber");
    assert_eq!(b.questions[1].id, "q-1-ber-2");
}

// ------------------------------------------------------------------ Moodle XML

#[test]
fn moodle_xml_every_type() {
    let imp = import(
        &fixture("every-type.xml"),
        Format::MoodleXml,
        "en",
        "fixture",
    );
    assert_eq!(imp.questions, 10);
    assert_eq!(
        imp.skipped,
        skipped(&[
            (
                14,
                "question `Passport & control`: converted, but tag `وثائق` has no ASCII letter or digit, so it was dropped"
            ),
            (
                14,
                "question `Passport & control`: converted, but negative weights of a single-answer question count as 0 in tipquiz: a wrong choice earns nothing (use the exam's negative_marking to take points off)"
            ),
            (
                136,
                "question `Elements`: converted, but extra answers with no item (distractors) were dropped: Profit"
            ),
            (
                176,
                "category `قانون` has no ASCII letter or digit, so it is not kept as a tag"
            ),
            (
                182,
                "question `Essay`: not converted: essay questions have no tipquiz equivalent"
            ),
            (
                193,
                "question `Drag words`: not converted: drag and drop questions have no tipquiz equivalent"
            ),
            (
                198,
                "question `Cloze`: not converted: cloze (embedded answers) questions have no tipquiz equivalent"
            ),
            (
                203,
                "question `Intro`: not converted: a description is not a question"
            ),
            (
                208,
                "question `Calc`: not converted: calculated questions have no tipquiz equivalent"
            ),
            (
                213,
                "question `Picture`: not converted: the question text: it holds an image or other media, which tipquiz cannot show"
            ),
        ])
    );
    let b = bank_of(&imp);
    let en = Lang::En;
    let ids: Vec<&str> = b.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "passport-control",
            "means-equal-shares",
            "means-uneven",
            "partial-single",
            "border",
            "child-age",
            "elements",
            "nrm-steps",
            "year",
            "after-arabic-category",
        ]
    );
    let p = q(&b, "passport-control");
    assert_eq!(
        p.prompt.get(en),
        "An employer keeps a worker's passport. What is this?"
    );
    assert_eq!(p.tags, ["indicators", "documents"]);
    assert_eq!(p.points, 2);
    assert!(!p.shuffle);
    assert!(matches!(p.kind, Kind::Single { answer: 0, .. }));
    assert_eq!(
        p.explanation.as_ref().map(|e| e.get(en)),
        Some(
            "Holding documents is an indicator of control.\n“An indicator of control”: Yes.\nFor a right answer: Your answer is correct."
        )
    );
    assert!(
        matches!(&q(&b, "means-equal-shares").kind, Kind::Multiple { answers, .. } if *answers == [0, 1, 2])
    );
    assert!(
        matches!(&q(&b, "means-uneven").kind, Kind::Multiple { answers, .. } if *answers == [0, 1])
    );
    assert_eq!(q(&b, "border").kind, Kind::TrueFalse { answer: false });
    let Kind::Short { accepted } = &q(&b, "child-age").kind else {
        panic!("short")
    };
    assert_eq!(accepted["en"], ["18", "eighteen"]);
    assert!(matches!(&q(&b, "elements").kind, Kind::Match { pairs } if pairs.len() == 3));
    let Kind::Order { items } = &q(&b, "nrm-steps").kind else {
        panic!("order")
    };
    assert_eq!(texts(items, en), ["Identify", "Refer", "Protect"]);
}

#[test]
fn moodle_xml_that_is_not_well_formed_is_reported() {
    let imp = import(
        "<?xml version=\"1.0\"?>\n<quiz>\n<question type=\"truefalse\">\n</quiz>\n",
        Format::MoodleXml,
        "en",
        "x",
    );
    assert_eq!(imp.questions, 0);
    assert_eq!(imp.skipped.len(), 1);
    assert!(
        imp.skipped[0]
            .what
            .starts_with("the file is not well-formed XML")
    );
    let imp = import("<html></html>", Format::MoodleXml, "en", "x");
    assert_eq!(
        imp.skipped,
        skipped(&[(1, "the file has no <quiz> element: it is not Moodle XML")])
    );
    // Deep nesting is refused, not recursed into.
    let deep = format!(
        "<quiz>{}{}</quiz>",
        "<a>".repeat(10_000),
        "</a>".repeat(10_000)
    );
    let imp = import(&deep, Format::MoodleXml, "en", "x");
    assert_eq!(imp.questions, 0);
    assert_eq!(imp.skipped.len(), 1);
}

// ------------------------------------------------------------------ Aiken and CSV

#[test]
fn aiken() {
    let imp = import(&fixture("aiken.txt"), Format::Aiken, "en", "aiken");
    assert_eq!(imp.questions, 3);
    assert_eq!(
        imp.skipped,
        skipped(&[
            (
                14,
                "question \"Which instrument defines trafficking in…\": not converted: `ANSWER: D` names no option of the question"
            ),
            (
                19,
                "question \"This question has no answer line.\": not converted: it has no `ANSWER:` line"
            ),
            (
                23,
                "question \"Only one option?\": not converted: it needs at least two options"
            ),
        ])
    );
    let b = bank_of(&imp);
    assert!(matches!(
        b.questions[0].kind,
        Kind::Single { answer: 0, .. }
    ));
    assert_eq!(
        b.questions[1].prompt.get(Lang::En),
        "Under art. 3(d), a child is a person under\nwhich age?"
    );
    assert!(matches!(
        b.questions[1].kind,
        Kind::Single { answer: 1, .. }
    ));
    assert!(matches!(
        b.questions[2].kind,
        Kind::Single { answer: 0, .. }
    ));
}

#[test]
fn csv() {
    let imp = import(&fixture("questions.csv"), Format::Csv, "en", "csv");
    assert_eq!(imp.questions, 8);
    assert_eq!(
        imp.skipped,
        skipped(&[
            (1, "columns ignored (not known): notes"),
            (
                10,
                "question `ind-108`: not converted: answer `e` names no filled choice"
            ),
            (
                11,
                "question `ind-109`: not converted: type `essay` is not one of single, multiple, true-false, short, order, match"
            ),
            (
                12,
                "question `ind-110`: not converted: answer `maybe` is not true or false"
            ),
            (
                13,
                "question `ind-111`: converted, but difficulty `expert` is not easy, medium or hard, so it was left out"
            ),
            (
                14,
                "question `ind-112`: not converted: choices a and b are the same (en)"
            ),
        ])
    );
    let b = bank_of(&imp);
    let en = Lang::En;
    let first = q(&b, "ind-101");
    assert_eq!(first.tags, ["definition", "acts"]);
    assert_eq!(first.difficulty.name(), "easy");
    assert_eq!(
        first.source.as_ref().map(|s| s.get(en)),
        Some("Palermo Protocol, art. 3(a)")
    );
    assert!(matches!(&q(&b, "ind-102").kind, Kind::Multiple { answers, .. } if *answers == [0, 2]));
    assert_eq!(q(&b, "ind-103").kind, Kind::TrueFalse { answer: true });
    let short = q(&b, "ind-104");
    assert_eq!(
        short.prompt.get(en),
        "Under what age is a person a \"child\"?"
    );
    let Kind::Short { accepted } = &short.kind else {
        panic!("short")
    };
    assert_eq!(accepted["en"], ["18", "eighteen"]);
    assert!(matches!(&q(&b, "ind-105").kind, Kind::Order { items } if items.len() == 3));
    assert!(
        matches!(&q(&b, "ind-106").kind, Kind::Match { pairs } if pairs[2].1.get(en) == "Purpose")
    );
    let unnamed = q(&b, "q-007");
    assert_eq!(
        unnamed.prompt.get(en),
        "A question with\ntwo lines and no id"
    );
    assert!(matches!(unnamed.kind, Kind::Single { answer: 1, .. }));
}

#[test]
fn csv_without_header_uses_the_fixed_columns() {
    let src = "a-1,,Is this true?,,,,,,,true,Yes.,Src,,\n\
               a-2,,Pick,One,Two,,,,,b,,,,\n\
               a-3,,Pick two,One,Two,Three,,,,\"a,c\",,,,\n";
    let imp = import(src, Format::Csv, "en", "csv");
    assert!(imp.skipped.is_empty(), "{:?}", imp.skipped);
    let b = bank_of(&imp);
    assert_eq!(b.questions[0].kind, Kind::TrueFalse { answer: true });
    assert!(matches!(
        b.questions[1].kind,
        Kind::Single { answer: 1, .. }
    ));
    assert!(matches!(&b.questions[2].kind, Kind::Multiple { answers, .. } if *answers == [0, 2]));
}

// ------------------------------------------------------------------ export and round trips

fn every_type() -> Bank {
    let path = format!(
        "{}/tests/fixtures/valid/every-type.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (bank, diags) = parse_bank(&path, &text);
    assert!(errors(&diags).is_empty());
    bank.unwrap_or_else(|| panic!("every-type.toml does not load"))
}

/// The questions of `a` (in `lang`) that `b` must hold the same: ids, types, texts, answers.
fn assert_same_questions(a: &Bank, b: &Bank, lang: Lang, skip_order: bool) {
    let want: Vec<_> = a
        .questions
        .iter()
        .filter(|q| !(skip_order && matches!(q.kind, Kind::Order { .. })))
        .collect();
    assert_eq!(want.len(), b.questions.len());
    let t = |x: &Text| x.get(lang).to_owned();
    let ts = |xs: &[Text]| xs.iter().map(t).collect::<Vec<_>>();
    for (x, y) in want.iter().zip(&b.questions) {
        assert_eq!(x.id, y.id);
        assert_eq!(x.kind.name(), y.kind.name(), "{}", x.id);
        assert_eq!(t(&x.prompt), t(&y.prompt), "{}", x.id);
        assert_eq!(
            x.explanation.as_ref().map(t),
            y.explanation.as_ref().map(t),
            "{}",
            x.id
        );
        match (&x.kind, &y.kind) {
            (
                Kind::Single {
                    choices: c1,
                    answer: a1,
                },
                Kind::Single {
                    choices: c2,
                    answer: a2,
                },
            ) => {
                assert_eq!(ts(c1), ts(c2));
                assert_eq!(a1, a2);
            }
            (
                Kind::Multiple {
                    choices: c1,
                    answers: a1,
                },
                Kind::Multiple {
                    choices: c2,
                    answers: a2,
                },
            ) => {
                assert_eq!(ts(c1), ts(c2));
                assert_eq!(a1, a2);
            }
            (Kind::TrueFalse { answer: a1 }, Kind::TrueFalse { answer: a2 }) => {
                assert_eq!(a1, a2);
            }
            (Kind::Short { accepted: a1 }, Kind::Short { accepted: a2 }) => {
                assert_eq!(a1[lang.code()], a2[lang.code()]);
            }
            (Kind::Order { items: i1 }, Kind::Order { items: i2 }) => {
                assert_eq!(ts(i1), ts(i2));
            }
            (
                Kind::Numerical {
                    answer: a1,
                    tolerance: t1,
                    ..
                },
                Kind::Numerical {
                    answer: a2,
                    tolerance: t2,
                    ..
                },
            ) => {
                assert_eq!((a1, t1), (a2, t2));
            }
            (Kind::Match { pairs: p1 }, Kind::Match { pairs: p2 }) => {
                let f =
                    |p: &[(Text, Text)]| p.iter().map(|(l, r)| (t(l), t(r))).collect::<Vec<_>>();
                assert_eq!(f(p1), f(p2));
            }
            (k1, k2) => panic!("{}: {k1:?} became {k2:?}", x.id),
        }
    }
}

#[test]
fn gift_round_trip() {
    let bank = every_type();
    for lang in Lang::ALL {
        let out = export(&bank, ExportFormat::Gift, lang);
        assert_eq!(
            out.skipped,
            ["question `sample-order` (order): GIFT has no ordering questions"]
        );
        let imp = import(&out.text, Format::Gift, lang.code(), "sample");
        assert!(imp.skipped.is_empty(), "{:?}\n{}", imp.skipped, out.text);
        let back = bank_of(&imp);
        assert_same_questions(&bank, &back, lang, true);
        // GIFT also carries tags, source and difficulty (in comments).
        for y in &back.questions {
            let x = q(&bank, &y.id);
            assert_eq!(x.tags, y.tags);
            assert_eq!(x.difficulty, y.difficulty);
            assert_eq!(
                x.source.as_ref().map(|s| s.get(lang)),
                y.source.as_ref().map(|s| s.get(lang))
            );
        }
    }
}

#[test]
fn moodle_xml_round_trip() {
    let bank = every_type();
    for lang in Lang::ALL {
        let out = export(&bank, ExportFormat::MoodleXml, lang);
        assert!(out.skipped.is_empty(), "{:?}", out.skipped);
        let imp = import(&out.text, Format::MoodleXml, lang.code(), "sample");
        assert!(imp.skipped.is_empty(), "{:?}\n{}", imp.skipped, out.text);
        let back = bank_of(&imp);
        assert_same_questions(&bank, &back, lang, false);
        for y in &back.questions {
            let x = q(&bank, &y.id);
            assert_eq!(x.tags, y.tags);
            assert_eq!(x.points, y.points);
            assert_eq!(x.shuffle, y.shuffle);
        }
    }
}

#[test]
fn exported_weights_are_what_moodle_expects() {
    let bank = every_type();
    let gift = export(&bank, ExportFormat::Gift, Lang::En).text;
    assert!(
        gift.contains(
            "\t~%50%Deception\n\t~%-50%Recruitment\n\t~%50%Coercion\n\t~%-50%Forced labour\n"
        ),
        "{gift}"
    );
    assert!(gift.contains("::sample-tf::The consent of an adult victim is irrelevant where a means was used.{TRUE####Art. 3(b).}"), "{gift}");
    assert!(gift.contains("\t=Slavery Convention -> 1926\n"), "{gift}");
    assert!(
        gift.contains("// [tag:airport] [tag:documents]\n"),
        "{gift}"
    );
    let xml = export(&bank, ExportFormat::MoodleXml, Lang::Ar).text;
    assert!(xml.contains("<single>false</single>"));
    assert!(xml.contains("<answer fraction=\"-50\" format=\"html\">"));
    assert!(xml.contains("<question type=\"ordering\">"));
    assert!(xml.contains("<![CDATA[أي عنصر من عناصر الاتجار بالأشخاص هو «التجنيد»؟]]>"));
}

#[test]
fn gift_export_escapes_special_characters() {
    let src = "format = 1\nid = \"x\"\nlanguages = [\"en\"]\ntitle = \"X\"\n\n\
        [[question]]\nid = \"x-1\"\ntype = \"single\"\nprompt = \"Braces {a}, tilde ~, equals =, hash #, colon: and \\\\ slash\\nnext line\"\n\
        choices = [\"a = b\", \"c ~ d\", \"e # f\"]\nanswer = \"b\"\nexplanation = \"Why: {this}\"\nsource = \"S\"\n";
    let (bank, diags) = parse_bank("x.toml", src);
    assert!(errors(&diags).is_empty(), "{}", errors(&diags).join("\n"));
    let bank = bank.unwrap_or_else(|| panic!("no bank"));
    for to in [ExportFormat::Gift, ExportFormat::MoodleXml] {
        let out = export(&bank, to, Lang::En);
        let from = if to == ExportFormat::Gift {
            Format::Gift
        } else {
            Format::MoodleXml
        };
        let back = bank_of(&import(&out.text, from, "en", "x"));
        assert_same_questions(&bank, &back, Lang::En, false);
    }
}

#[test]
fn export_leaves_out_questions_missing_the_language() {
    let src = "format = 1\nid = \"x\"\nlanguages = [\"en\"]\ntitle = { en = \"X\" }\n\n\
        [[question]]\nid = \"x-1\"\ntype = \"true-false\"\nprompt = { en = \"P\" }\nanswer = true\nexplanation = { en = \"E\" }\nsource = \"S\"\n";
    let (bank, _) = parse_bank("x.toml", src);
    let bank = bank.unwrap_or_else(|| panic!("no bank"));
    let out = export(&bank, ExportFormat::Gift, Lang::Ar);
    assert_eq!(
        out.skipped,
        ["question `x-1` (true-false): the prompt has no `ar` text"]
    );
}

// ------------------------------------------------------------------ starters

#[test]
fn starter_bank_loads_without_errors_or_warnings() {
    for (id, langs, topic) in [
        ("starter", vec!["en", "ar"], "definition"),
        ("starter", vec!["en"], "definition"),
        ("starter", vec!["ar"], "definition"),
        ("starter", vec!["ar", "en", "fr"], "definition"),
        ("My Bank!", vec![], ""),
    ] {
        let text = starter_bank(id, &langs, topic);
        let (bank, diags) = parse_bank("starter.toml", &text);
        let all: Vec<String> = diags.iter().map(Diagnostic::render).collect();
        assert!(all.is_empty(), "{text}\n{}", all.join("\n"));
        let bank = bank.unwrap_or_else(|| panic!("no bank"));
        let kinds: Vec<&str> = bank.questions.iter().map(|q| q.kind.name()).collect();
        assert_eq!(kinds, Kind::NAMES);
        if langs.contains(&"ar") {
            assert!(text.contains("«الاتجار بالأشخاص»"));
            assert_eq!(
                bank.questions[0].kind.choices().map(|c| c[0].get(Lang::Ar)),
                Some("الفعل والوسيلة والغرض")
            );
        }
    }
    let text = starter_bank("My Bank!", &[], "");
    assert!(text.contains("id = \"my-bank\"\n"));
    assert!(text.contains("languages = [\"en\"]\n"));
}

#[test]
fn starter_bank_exports_and_imports_back() {
    let text = starter_bank("starter", &["en", "ar"], "definition");
    let (bank, _) = parse_bank("starter.toml", &text);
    let bank = bank.unwrap_or_else(|| panic!("no bank"));
    let out = export(&bank, ExportFormat::MoodleXml, Lang::Ar);
    let back = bank_of(&import(&out.text, Format::MoodleXml, "ar", "starter"));
    assert_same_questions(&bank, &back, Lang::Ar, false);
}

#[test]
fn starter_exam_is_valid_and_can_be_filled() {
    let text = starter_exam("final-assessment");
    let (exam, diags) = parse_exam("exam.toml", &text);
    assert!(
        errors(&diags).is_empty(),
        "{text}\n{}",
        errors(&diags).join("\n")
    );
    let exam = exam.unwrap_or_else(|| panic!("no exam"));
    assert_eq!(exam.id, "final-assessment");
    assert!(
        exam.pools
            .iter()
            .all(|p| p.topic.as_deref() == Some("indicators"))
    );
    let (banks, _) = load_shipped();
    let (lib, _) = Library::build(banks);
    let problems = exam_problems(&exam, &lib, "exam.toml");
    assert!(problems.is_empty(), "{problems:?}");
    let (exam, _) = parse_exam("exam.toml", &starter_exam("???"));
    assert_eq!(exam.map(|e| e.id), Some("my-exam".to_owned()));
}

// ------------------------------------------------------------------ any input

/// Whatever the input, an import does not panic, and a bank with questions loads without errors.
fn import_is_valid(text: &str, from: Format) -> Result<(), proptest::test_runner::TestCaseError> {
    let imp = import(text, from, "ar", "fuzz");
    if imp.questions > 0 {
        let (_, diags) = parse_bank("fuzz.toml", &imp.toml);
        let errs = errors(&diags);
        proptest::prop_assert!(
            errs.is_empty(),
            "{text:?}\n{}\n{}",
            imp.toml,
            errs.join("\n")
        );
    }
    Ok(())
}

mod any_input {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn gift(s in "(::[a-zب ]{0,4}::)?(\\[html\\])?[a-zب <>&;#=~%{}\\\\:\n\t/\u{1b}\u{202e}\u{FE8D}TF0-9.-]{0,80}(\\{[=~#%a-zب 0-9>\n-]{0,30}\\})?") {
            import_is_valid(&s, Format::Gift)?;
        }

        #[test]
        fn gift_blocks(parts in proptest::collection::vec("[=~#%{}:a-b TF\\\\-]{0,12}", 0..12)) {
            import_is_valid(&parts.join("\n"), Format::Gift)?;
        }

        #[test]
        fn aiken(s in "([A-Cب][.)] ?[a-zب ]{0,6}\n|ANSWER: ?[A-Dab]{0,2}\n|[a-zب ?]{0,10}\n|\n){0,12}") {
            import_is_valid(&s, Format::Aiken)?;
        }

        #[test]
        fn csv(s in "(id,type,prompt,choice_a,choice_b,answer\n)?([a-z0-9 \",|;>-]{0,12}(,[a-z0-9 \"|;>\n-]{0,8}){0,8}\n){0,6}") {
            import_is_valid(&s, Format::Csv)?;
        }

        #[test]
        fn moodle_xml(parts in proptest::collection::vec(
            prop_oneof![
                Just("<quiz>".to_owned()),
                Just("</quiz>".to_owned()),
                Just("<question type=\"multichoice\">".to_owned()),
                Just("<question type=\"truefalse\">".to_owned()),
                Just("<question type=\"shortanswer\">".to_owned()),
                Just("<question type=\"matching\">".to_owned()),
                Just("<question type=\"ordering\">".to_owned()),
                Just("</question>".to_owned()),
                Just("<questiontext format=\"html\"><text>".to_owned()),
                Just("</text></questiontext>".to_owned()),
                Just("<answer fraction=\"100\"><text>".to_owned()),
                Just("<answer fraction=\"-50\" format=\"html\"><text>".to_owned()),
                Just("</text></answer>".to_owned()),
                Just("<subquestion><text>".to_owned()),
                Just("</text><answer><text>x</text></answer></subquestion>".to_owned()),
                Just("<single>false</single>".to_owned()),
                "[a-zب <>&;#]{0,8}",
            ],
            0..40,
        )) {
            import_is_valid(&parts.concat(), Format::MoodleXml)?;
        }
    }
}

mod cli {
    use assert_cmd::Command;

    fn tipquiz() -> Command {
        let mut c = Command::cargo_bin("tipquiz").unwrap();
        c.env(
            "TIPQUIZ_DATA",
            std::env::temp_dir().join("tipquiz-test-data"),
        );
        c
    }

    #[test]
    fn new_bank_and_exam_pass_check_unchanged() {
        let d = tempfile::tempdir().unwrap();
        let bank = d.path().join("starter.toml");
        tipquiz()
            .arg("new")
            .arg(&bank)
            .args(["--topic", "indicators"])
            .assert()
            .success();
        let out = tipquiz()
            .arg("check")
            .arg("--deny-warnings")
            .arg(&bank)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        tipquiz().arg("new").arg(&bank).assert().code(2);
        let exam = d.path().join("exam.toml");
        tipquiz()
            .arg("new")
            .arg("--exam")
            .arg(&exam)
            .assert()
            .success();
        tipquiz().arg("check").arg(&exam).assert().success();
    }

    #[test]
    fn import_lists_what_it_skipped_with_lines_and_the_bank_passes_check() {
        let d = tempfile::tempdir().unwrap();
        for (fixture, n) in [("all-constructs.gift", 22), ("every-type.xml", 10)] {
            let out_path = d.path().join(format!("{fixture}.toml"));
            let out = tipquiz()
                .arg("import")
                .arg(format!("tests/fixtures/import/{fixture}"))
                .arg("-o")
                .arg(&out_path)
                .output()
                .unwrap();
            assert!(out.status.success());
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains(&format!("{n} question(s) converted")), "{err}");
            assert!(
                err.contains(&format!("tests/fixtures/import/{fixture}:")),
                "skipped parts listed with their line: {err}"
            );
            tipquiz().arg("check").arg(&out_path).assert().success();
        }
    }

    #[test]
    fn export_to_gift_lists_what_gift_cannot_hold() {
        let out = tipquiz()
            .args([
                "export",
                "--to",
                "gift",
                "tests/fixtures/valid/every-type.toml",
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("::sample-single::"));
        assert!(String::from_utf8_lossy(&out.stderr).contains("sample-order"));
    }
}
