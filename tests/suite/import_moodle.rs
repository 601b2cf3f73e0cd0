//! Moodle's own files (its GIFT, Aiken and XML test fixtures, and snippets from its unit
//! tests; see `tests/fixtures/import/moodle/ORIGIN.md`), and files in other encodings, through
//! the importer: every case gives the questions, keys and credits Moodle's tests state, or a
//! note naming the line and what changed.

use tipquiz::bank::{Bank, Kind, parse_bank};
use tipquiz::import::decode::How;
use tipquiz::import::{Format, Import, Taken, import_file};
use tipquiz::text::Lang;

fn bytes(path: &str) -> Vec<u8> {
    let p = format!(
        "{}/tests/fixtures/import/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// Import a fixture as the `import` command does (format guessed from the name).
fn imp(path: &str, encoding: Option<&str>) -> (Import, How, &'static str) {
    let ext = std::path::Path::new(path)
        .extension()
        .and_then(|e| e.to_str());
    let (i, d, _) = import_file(
        &bytes(path),
        None,
        ext,
        encoding,
        "en",
        "moodle",
        &Taken::default(),
    )
    .unwrap_or_else(|e| panic!("{path}: {e:?}"));
    (i, d.how, d.encoding)
}

fn bank(i: &Import) -> Bank {
    let (b, diags) = parse_bank("imported.toml", &i.toml);
    let errs: Vec<String> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(tipquiz::diag::Diagnostic::render)
        .collect();
    assert!(errs.is_empty(), "{}\n{}", i.toml, errs.join("\n"));
    b.unwrap_or_else(|| panic!("no bank:\n{}", i.toml))
}

fn q<'a>(b: &'a Bank, id: &str) -> &'a tipquiz::bank::Question {
    b.questions
        .iter()
        .find(|q| q.id == id)
        .unwrap_or_else(|| panic!("no question `{id}` in {:?}", ids(b)))
}

fn ids(b: &Bank) -> Vec<&str> {
    b.questions.iter().map(|q| q.id.as_str()).collect()
}

/// The notes at `line`.
fn notes_at(i: &Import, line: usize) -> Vec<&str> {
    i.skipped
        .iter()
        .filter(|s| s.line == line)
        .map(|s| s.what.as_str())
        .collect()
}

fn explanation(q: &tipquiz::bank::Question) -> &str {
    q.explanation.as_ref().map_or("", |e| e.get(Lang::En))
}

// ------------------------------------------------------------------ encodings

#[test]
fn arabic_in_every_encoding_imports_as_its_utf8_source() {
    let (want, how, _) = imp("encodings/source-ar.gift.utf8", Some("utf-8"));
    assert_eq!(how, How::Given);
    let want = bank(&want);
    assert_eq!(ids(&want), ["ar-tf-1", "ar-mc-1"]);
    assert!(
        q(&want, "ar-tf-1")
            .prompt
            .get(Lang::En)
            .starts_with("يُعدّ احتجاز")
    );
    for (file, how, enc) in [
        (
            "encodings/ar-windows-1256.gift",
            How::Detected,
            "windows-1256",
        ),
        ("encodings/ar-utf16le-bom.gift", How::Bom, "UTF-16LE"),
        (
            "encodings/ar-utf16le-nobom.gift",
            How::ZeroBytes,
            "UTF-16LE",
        ),
    ] {
        let (i, h, e) = imp(file, None);
        assert_eq!((h, e), (how, enc), "{file}");
        let b = bank(&i);
        // Same questions, same keys: the true/false question stays true/false.
        assert_eq!(b.questions, want.questions, "{file}");
        assert!(!i.toml.contains('\u{FFFD}'), "{file}");
    }
    // Named explicitly, windows-1256 is read as named.
    let (i, h, _) = imp("encodings/ar-windows-1256.gift", Some("windows-1256"));
    assert_eq!(h, How::Given);
    assert_eq!(bank(&i).questions, want.questions);
}

#[test]
fn aiken_csv_and_xml_in_arabic_encodings() {
    let (a, _, _) = imp("encodings/source-ar.aiken.utf8", Some("utf-8"));
    let a = bank(&a);
    for file in [
        "encodings/ar-utf16be-bom.aiken.txt",
        "encodings/ar-windows-1256.aiken.txt",
    ] {
        let (i, _, _) = imp(
            file,
            Some(if file.contains("1256") {
                "cp1256"
            } else {
                "utf-8"
            }),
        );
        let b = bank(&i);
        assert_eq!(b.questions, a.questions, "{file}");
        assert!(matches!(
            b.questions[0].kind,
            Kind::Single { answer: 0, .. }
        ));
    }
    let (c, how, _) = imp("encodings/ar-utf16le-bom.csv", None);
    assert_eq!(how, How::Bom);
    let c = bank(&c);
    assert_eq!(
        q(&c, "ar-csv-1").prompt.get(Lang::En),
        "هل يشترط القانون عبور الحدود؟"
    );
    // The XML declaration names windows-1256.
    let (x, how, enc) = imp("encodings/ar-windows-1256.xml", None);
    assert_eq!((how, enc), (How::XmlDeclaration, "windows-1256"));
    let x = bank(&x);
    let t = q(&x, "ar-xml-1");
    assert!(matches!(t.kind, Kind::TrueFalse { answer: true }));
    assert_eq!(
        explanation(t),
        "If you answered true: صحيح.\nIf you answered false: راجع المادة 3 (ب)."
    );
}

#[test]
fn latin1_is_refused_with_its_line_until_it_is_named() {
    let err = import_file(
        &bytes("encodings/fr-latin1.aiken.txt"),
        None,
        Some("txt"),
        None,
        "en",
        "x",
        &Taken::default(),
    )
    .err()
    .unwrap_or_else(|| panic!("a Latin-1 file was read without --encoding"));
    // "Quel " and then é: line 1, column 6.
    assert_eq!((err.line, err.column), (1, 6));
    assert!(
        err.hint.en().contains("--encoding windows-1252"),
        "{}",
        err.hint.en()
    );
    let (i, how, enc) = imp("encodings/fr-latin1.aiken.txt", Some("latin1"));
    assert_eq!((how, enc), (How::Given, "windows-1252"));
    let b = bank(&i);
    assert_eq!(
        b.questions[0].prompt.get(Lang::En),
        "Quel élément décrit le « recrutement » ?"
    );
    // Named wrongly (UTF-16 for a one-byte file), the file is refused, never garbled.
    assert!(
        import_file(
            &bytes("encodings/fr-latin1.aiken.txt"),
            None,
            None,
            Some("utf-8"),
            "en",
            "x",
            &Taken::default()
        )
        .is_err()
    );
}

// ------------------------------------------------------------------ Moodle's Aiken fixtures

/// `question/format/aiken/tests/aikenformat_test.php` reads `aiken_errors.txt` and expects two
/// questions ("A good question": Correct right; "A second good question", whose options have no
/// space after `)`: "Correct (No space)" right) and errors for the others.
#[test]
fn moodle_fixture_aiken_errors() {
    let (i, how, _) = imp("moodle/aiken_errors.txt", None);
    assert_eq!(how, How::ValidUtf8);
    let b = bank(&i);
    assert_eq!(b.questions.len(), 2);
    let good = q(&b, "q-001");
    assert_eq!(good.prompt.get(Lang::En), "A good question");
    assert!(matches!(good.kind, Kind::Single { answer: 0, .. }));
    let second = q(&b, "q-002");
    assert_eq!(second.prompt.get(Lang::En), "A second good question");
    let Kind::Single { choices, answer } = &second.kind else {
        panic!("{:?}", second.kind)
    };
    assert_eq!(choices[0].get(Lang::En), "Incorrect (No space)");
    assert_eq!(choices[1].get(Lang::En), "Correct (No space)");
    assert_eq!(*answer, 1);
    // Moodle: "Question must have at least 2 answers on line 3", "Question not started on line
    // 5", "... on line 7", "Question not completed before next question start on line 18".
    assert!(
        notes_at(&i, 1)[0].contains("at least two options"),
        "{:?}",
        i.skipped
    );
    assert_eq!(notes_at(&i, 5).len(), 1);
    assert_eq!(notes_at(&i, 7).len(), 1);
    assert!(
        notes_at(&i, 14)[0].contains("no `ANSWER:` line"),
        "{:?}",
        i.skipped
    );
    assert_eq!(i.skipped.len(), 4, "{:?}", i.skipped);
}

/// `questions.aiken.txt`: Martin Dougiamas (B) and "True" (A); the HTML in the second question
/// is text (Moodle escapes it).
#[test]
fn moodle_fixture_aiken_questions() {
    let (i, _, _) = imp("moodle/questions.aiken.txt", None);
    let b = bank(&i);
    assert_eq!(b.questions.len(), 2);
    assert!(matches!(
        b.questions[0].kind,
        Kind::Single { answer: 1, .. }
    ));
    assert_eq!(
        b.questions[1].prompt.get(Lang::En),
        "Moodle's abilities include handling user input that includes <html class=\"cool\"> & images:"
    );
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
}

// ------------------------------------------------------------------ Moodle's GIFT fixtures

/// `questions.gift.txt` (used by Moodle's GIFT import tests).
#[test]
fn moodle_fixture_gift_questions() {
    let (i, _, _) = imp("moodle/questions.gift.txt", Some("utf-8"));
    let b = bank(&i);
    // Essay: not converted, at its line.
    assert!(notes_at(&i, 2)[0].contains("essay"), "{:?}", i.skipped);
    // Matching: four pairs, the distractor "Chat" dropped with a note.
    let m = q(&b, "moodle-activities");
    let Kind::Match { pairs } = &m.kind else {
        panic!("{:?}", m.kind)
    };
    assert_eq!(pairs.len(), 4);
    assert_eq!(pairs[1].1.get(Lang::En), "Choice");
    assert_eq!(
        m.prompt.get(Lang::En),
        "Match the activity to the description."
    );
    assert!(
        notes_at(&i, 5).iter().any(|n| n.contains("Chat")),
        "{:?}",
        i.skipped
    );
    // Single choice with labelled per-answer feedback.
    let q2 = q(&b, "q2");
    assert!(matches!(q2.kind, Kind::Single { answer: 0, .. }));
    assert_eq!(
        explanation(q2),
        "“yellow”: right; good!\n“red”: wrong, it's yellow\n“blue”: wrong, it's yellow"
    );
    // True/false with both feedbacks labelled, and the general feedback first.
    let q1 = q(&b, "q1");
    assert!(matches!(q1.kind, Kind::TrueFalse { answer: false }));
    assert_eq!(
        explanation(q1),
        "This is, of course, a Hitchiker's Guide to the Galaxy reference.\nIf you answered false: You gave the right answer.\nIf you answered true: 42 is the Ultimate Answer."
    );
    // `{T}` and `{TRUE}` under one name: two questions, two ids.
    assert!(matches!(
        q(&b, "2-08-tsl").kind,
        Kind::TrueFalse { answer: true }
    ));
    assert!(matches!(
        q(&b, "2-08-tsl-2").kind,
        Kind::TrueFalse { answer: true }
    ));
}

/// `questions_in_category.gift.txt`: a category, a matching question, a single choice whose
/// text is a link to an audio file, a short answer and a true/false question.
#[test]
fn moodle_fixture_gift_in_category() {
    let (i, _, _) = imp("moodle/questions_in_category.gift.txt", None);
    let b = bank(&i);
    let g = q(&b, "greeting");
    assert!(matches!(g.kind, Kind::Single { answer: 1, .. }));
    assert_eq!(
        g.prompt.get(Lang::En),
        "Listen to this greeting:\nWhat language is being spoken?"
    );
    let u = q(&b, "moodle-user");
    assert!(matches!(&u.kind, Kind::Short { accepted } if accepted["en"] == ["Moodler"]));
    let a = q(&b, "moodle-acronym");
    assert!(matches!(a.kind, Kind::TrueFalse { answer: true }));
    assert_eq!(
        a.prompt.get(Lang::En),
        "Moodle is an acronym for Modular Object-Oriented Dynamic Learning Environment."
    );
}

// ------------------------------------------------------------------ entities

#[test]
fn html5_entities_are_decoded_and_direction_marks_noted() {
    let src = "::e1::[html]<p>Caf&eacute; at 5&deg;, &sect; 3 &mdash; &frac12; &euro;</p>{T}\n\n\
               ::e2::Plain &eacute;t&eacute; &#x627;&#1604;{T}\n\n\
               ::e3::[plain]Kept &eacute;{T}\n\n\
               ::e4::&rlm;مرحبا&lrm; world{T}\n";
    let i = tipquiz::import::import(src, Format::Gift, "en", "x");
    let b = bank(&i);
    assert_eq!(q(&b, "e1").prompt.get(Lang::En), "Café at 5°, § 3 — ½ €");
    assert_eq!(q(&b, "e2").prompt.get(Lang::En), "Plain été ال");
    assert_eq!(q(&b, "e3").prompt.get(Lang::En), "Kept &eacute;");
    assert_eq!(q(&b, "e4").prompt.get(Lang::En), "مرحبا world");
    let n = notes_at(&i, 7);
    assert_eq!(n.len(), 1, "{:?}", i.skipped);
    assert!(n[0].contains("U+200F, U+200E"), "{}", n[0]);
}

// ------------------------------------------------------------------ collisions

/// A file named after a shipped bank, or reusing a shipped question id, never replaces it: the
/// bank and the question get free ids, and each change is noted.
#[test]
fn shipped_bank_and_question_ids_are_not_taken() {
    let (shipped, _) = tipquiz::bank::load_shipped();
    let taken = Taken::of(&shipped);
    let first = &shipped[0].questions[0].id;
    let src = format!(
        "::{first}::A question that reuses a shipped id.{{T}}\n\n::fresh-one::Another.{{F}}\n"
    );
    let i = tipquiz::import::import_avoiding(&src, Format::Gift, "en", &shipped[0].id, &taken);
    let b = bank(&i);
    assert_eq!(b.id, format!("{}-imported", shipped[0].id));
    assert_eq!(ids(&b), [format!("{first}-2").as_str(), "fresh-one"]);
    let bank_note = notes_at(&i, 0);
    assert!(
        bank_note[0].contains("is the id of a shipped bank"),
        "{bank_note:?}"
    );
    assert!(notes_at(&i, 1)[0].contains(&format!(
        "is taken by a question of the bank `{}`",
        shipped[0].id
    )));
    // Loaded with the shipped banks, the imported bank is accepted.
    let mut all = shipped.clone();
    all.push(b);
    let (lib, diags) = tipquiz::bank::Library::build(all);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    assert_eq!(lib.banks.len(), shipped.len() + 1);
}

// ------------------------------------------------------------------ credits, numbers, notes

/// The rest of `questions.gift.txt`: Moodle's tests expect `colours` with fractions 0.5, -1,
/// 0.5, -1; `Q5` numerical, answer 3 with tolerance 2, and `*` (any other) wrong with feedback;
/// `Shortanswer` with Frog 1, Cat 0.5, `*` 0.
#[test]
fn moodle_fixture_gift_credits_and_numbers() {
    let (i, _, _) = imp("moodle/questions.gift.txt", None);
    let b = bank(&i);
    let c = q(&b, "colours");
    assert!(matches!(&c.kind, Kind::Multiple { answers, .. } if *answers == [0, 2]));
    let credit: Vec<f64> = c.credit.iter().map(|x| x.0).collect();
    assert_eq!(credit, [50.0, -100.0, 50.0, -100.0]);
    let n = q(&b, "q5");
    assert!(
        matches!(n.kind, Kind::Numerical { answer, tolerance, .. } if answer.0 == 3.0 && tolerance.0 == 2.0),
        "{:?}",
        n.kind
    );
    assert_eq!(explanation(n), "For a wrong answer: Completely wrong");
    let s = q(&b, "shortanswer");
    assert!(matches!(&s.kind, Kind::Short { accepted } if accepted["en"] == ["Frog"]));
    assert_eq!(s.partial.len(), 1);
    assert_eq!(s.partial[0].credit.0, 50.0);
    // The wildcard cannot be kept, and that is said at the question's line.
    assert!(
        notes_at(&i, 34)
            .iter()
            .any(|n| n.contains("* (wildcard)") || n.contains("`*`")),
        "{:?}",
        notes_at(&i, 34)
    );
}

/// `xmlformat_test.php`'s numerical question: 42 (fraction 1, tolerance 0.001), 13 (0), `*` (0),
/// each with feedback.
#[test]
fn moodle_fixture_xml_numerical() {
    let (i, _, _) = imp("moodle/xmlformat_test_numerical.xml", None);
    let b = bank(&i);
    let n = q(&b, "numerical-question");
    assert!(
        matches!(n.kind, Kind::Numerical { answer, tolerance, .. } if answer.0 == 42.0 && tolerance.0 == 0.001)
    );
    assert!(n.partial.is_empty());
    assert_eq!(
        explanation(n),
        "General feedback: Think Hitch-hikers guide to the Galaxy.\n“42”: Well done!\n“13”: What were you thinking?!\nFor a wrong answer: Completely wrong."
    );
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
}

/// `nested_categories_with_questions.xml`: four true/false questions in Iota, Iota/Kappa,
/// Iota/Kappa/Lambda and Iota/Mu, and an essay (not converted): the category paths stay
/// distinct tags.
#[test]
fn moodle_fixture_xml_nested_categories() {
    let (i, _, _) = imp("moodle/nested_categories_with_questions.xml", None);
    let b = bank(&i);
    assert_eq!(b.questions.len(), 4);
    let tags: Vec<&str> = b.questions.iter().map(|q| q.tags[0].as_str()).collect();
    assert_eq!(tags, ["iota", "iota-kappa", "iota-kappa-lambda", "iota-mu"]);
    assert!(
        b.questions
            .iter()
            .all(|q| matches!(q.kind, Kind::TrueFalse { answer: true }))
    );
    assert_eq!(i.skipped.len(), 1, "{:?}", i.skipped);
    assert!(i.skipped[0].what.contains("Kappa Essay Question"));
}

/// `error_invalid_grades.xml`: Moodle refuses the grade 33%; tipquiz does not convert the
/// question either, and says why.
#[test]
fn moodle_fixture_xml_invalid_grades() {
    let bytes = bytes("moodle/error_invalid_grades.xml");
    let (i, _, _) = import_file(
        &bytes,
        None,
        Some("xml"),
        None,
        "en",
        "g",
        &Taken::default(),
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(i.questions, 0);
    assert_eq!(i.skipped.len(), 1);
    assert!(
        i.skipped[0].what.contains("add up to 99.66666%, not 100%"),
        "{}",
        i.skipped[0].what
    );
}

/// Pictures: in `truefalse.xml` and `multichoice.xml` the question text or the choices hold
/// images (not converted, with the reason); Moodle 1.9's `<image>` field likewise; the cloze
/// question is not converted.
#[test]
fn moodle_fixture_xml_pictures_and_files() {
    for f in ["moodle/truefalse.xml", "moodle/multichoice.xml"] {
        let bytes = bytes(f);
        let (i, _, _) = import_file(
            &bytes,
            None,
            Some("xml"),
            None,
            "en",
            "p",
            &Taken::default(),
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(i.questions, 0, "{f}");
        assert!(
            i.skipped
                .iter()
                .any(|s| s.what.contains("image or other media")),
            "{f}: {:?}",
            i.skipped
        );
    }
    let bytes = bytes("moodle/sample_questions_with_old_image_tag.xml");
    let (i, _, _) = import_file(
        &bytes,
        None,
        Some("xml"),
        None,
        "en",
        "p",
        &Taken::default(),
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(i.questions, 0);
    assert!(i.skipped[0].what.contains("`cloze`"), "{:?}", i.skipped);
    assert!(
        i.skipped[1].what.contains("picture `moodle.png`"),
        "{:?}",
        i.skipped
    );
}

/// The link to the greeting's audio file (`questions_in_category.gift.txt`) is dropped with a
/// note naming it.
#[test]
fn links_are_noted() {
    let (i, _, _) = imp("moodle/questions_in_category.gift.txt", None);
    let n = notes_at(&i, 14);
    assert!(
        n.iter().any(|x| x.contains("links were dropped (their text is kept): http://demo.moodle.net/file.php/5/media/bonjour.mp3")),
        "{:?}",
        i.skipped
    );
}

/// Marks of 0, 0.5 and over 1000, and feedback pictures, hints and overall feedback in Moodle
/// XML.
#[test]
fn marks_feedback_pictures_and_hints() {
    let q = |name: &str, grade: &str, extra: &str| {
        format!(
            "<question type=\"truefalse\"><name><text>{name}</text></name><questiontext format=\"html\"><text>{name} is true.</text></questiontext><generalfeedback format=\"html\"><text><![CDATA[<p><img src=\"@@PLUGINFILE@@/i.png\"/>See art. 3.</p>]]></text><file name=\"i.png\" encoding=\"base64\">AAAA</file></generalfeedback><defaultgrade>{grade}</defaultgrade>{extra}<answer fraction=\"100\"><text>true</text></answer><answer fraction=\"0\"><text>false</text></answer></question>\n"
        )
    };
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<quiz>\n{}{}{}{}</quiz>\n",
        q(
            "half",
            "0.5",
            "<hint format=\"html\"><text>Think of art. 3.</text></hint>"
        ),
        q("one", "1", ""),
        q("two", "2.5", ""),
        q("zero", "0", "")
    );
    let i = tipquiz::import::import(&xml, Format::MoodleXml, "en", "m");
    let b = bank(&i);
    let points: Vec<u32> = b.questions.iter().map(|q| q.points).collect();
    // × 2: 0.5 → 1, 1 → 2, 2.5 → 5; 0 → 1.
    assert_eq!(points, [1, 2, 5, 1]);
    assert!(
        notes_at(&i, 3)
            .iter()
            .any(|n| n.contains("multiplied by 2")),
        "{:?}",
        i.skipped
    );
    assert!(
        notes_at(&i, 6).iter().any(|n| n.contains("mark was 0")),
        "{:?}",
        i.skipped
    );
    assert!(
        notes_at(&i, 3)
            .iter()
            .any(|n| n.contains("attached files were dropped: i.png"))
    );
    assert!(
        notes_at(&i, 3)
            .iter()
            .any(|n| n.contains("picture or other media was dropped from the general feedback"))
    );
    assert_eq!(
        explanation(&b.questions[0]),
        "See art. 3.\nHint 1: Think of art. 3."
    );
}
