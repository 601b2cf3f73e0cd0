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
