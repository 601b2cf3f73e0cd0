//! What the instructor and the coordinator read of a class of 40 (Arabic and English names,
//! attempts on the shipped final assessment written through the program's write path): the
//! text report at 80 columns in both languages, laid out as a whole.

use crate::class::{T0, commit, final_assessment, right, run, shipped, sit, wrong};
use std::path::Path;
use tipquiz::report::{TextOptions, Which, build_with, render_text};
use tipquiz::tui::bidi::cell_width;
use tipquiz::tui::typeset::Reordered;

/// Forty trainees: twenty Arabic names (some long), twenty English.
pub const NAMES: [&str; 40] = [
    "فاطمة عبدالله الصباح",
    "محمد خالد العتيبي",
    "سارة يوسف المطيري",
    "عبدالرحمن ناصر عبدالعزيز الشمري",
    "نورة سالم الهاجري",
    "خالد فهد الرشيدي",
    "مريم علي القحطاني",
    "يوسف أحمد الكندري",
    "هند مبارك العازمي",
    "أحمد سعد الدوسري",
    "لطيفة جاسم البناي",
    "بدر حمد العنزي",
    "دانة عادل الفضلي",
    "سلمان راشد العجمي",
    "عائشة منصور الخالدي",
    "طلال عيسى الظفيري",
    "شيخة ماجد الحربي",
    "ناصر بدر السبيعي",
    "روان طارق المنصوري",
    "عمر إبراهيم الصالح",
    "Sgt. Jonathan Alexander Whitfield-Montgomery",
    "Maria Santos",
    "Ahmed Hassan",
    "Priya Raman",
    "John O'Neill",
    "Grace Mwangi",
    "Lt. Daniel Fernandes",
    "Aisha Rahman",
    "Peter Novak",
    "Elena Petrova",
    "Samuel Okafor",
    "Hannah Becker",
    "Ravi Kumar",
    "Lucy Chen",
    "Omar Farouk",
    "Nadia Karim",
    "Tom Walsh",
    "Sofia Rossi",
    "Yusuf Demir",
    "Ben Carter",
];

/// A class of 40 in `d/results`: trainee k gets a share of the paper right that varies with k
/// (from none to all), so that scores spread and some fail overall or by topic.
pub fn class_of_40(d: &Path) {
    let lib = shipped();
    let exam = final_assessment();
    let results = d.join("results");
    for (k, name) in NAMES.iter().enumerate() {
        let start = T0 + k as i64 * 97_000;
        let answer = move |i: usize, q: &tipquiz::bank::Question| {
            let good = (i * 13 + k * 7) % 30 < 8 + (k * 22) / 39;
            if (i + k) % 17 == 16 {
                None
            } else if good {
                Some((right(q), 20_000 + (i as i64 % 7) * 3_000))
            } else {
                Some((wrong(q), 15_000))
            }
        };
        let (s, at) = sit(&exam, &lib, name, start, &answer, true);
        commit(&results, &s, at, None);
    }
}

/// The real binary in `lang`, with its data and results in `d`.
pub fn tq_in(d: &Path, lang: &str) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("tipquiz").unwrap();
    c.env("TIPQUIZ_DATA", d.join("data"))
        .env("TIPQUIZ_RESULTS", d.join("results"))
        .env_remove("TIPQUIZ_KEY_FILE")
        .env("LANG", "C.UTF-8")
        .args(["--lang", lang]);
    c
}

/// The cells of a line laid out for a terminal: one entry per cell (a wide character takes two,
/// the second empty).
fn cells(line: &str) -> Vec<String> {
    use unicode_segmentation::UnicodeSegmentation;
    let mut out = Vec::new();
    for g in line.graphemes(true) {
        let w = cell_width(g);
        if w == 0 {
            if let Some(last) = out.last_mut() {
                let last: &mut String = last;
                last.push_str(g);
            }
            continue;
        }
        out.push(g.to_owned());
        for _ in 1..w {
            out.push(String::new());
        }
    }
    out
}

/// The table under the heading `heading`: its lines from the header to the blank line after.
fn table_after<'a>(text: &'a str, heading: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == heading)
        .unwrap_or_else(|| panic!("no {heading:?} in\n{text}"));
    lines[at + 1..]
        .iter()
        .take_while(|l| !l.trim().is_empty())
        .copied()
        .collect()
}

/// Every line of the table sits in the columns its rule (`----  ---`) gives: outside the
/// rule's runs of dashes, only spaces. Returns the column spans (start, end) in cells.
fn assert_columns(table: &[&str], what: &str) -> Vec<(usize, usize)> {
    let rule = table
        .iter()
        .find(|l| !l.trim().is_empty() && l.trim().chars().all(|c| c == '-' || c == ' '))
        .unwrap_or_else(|| panic!("{what}: no rule line in\n{}", table.join("\n")));
    let rc = cells(rule);
    let mut spans = Vec::new();
    let mut i = 0;
    while i < rc.len() {
        if rc[i] == "-" {
            let s = i;
            while i < rc.len() && rc[i] == "-" {
                i += 1;
            }
            spans.push((s, i));
        } else {
            i += 1;
        }
    }
    assert!(spans.len() >= 3, "{what}: rule {rule:?}");
    let inside = |c: usize| spans.iter().any(|(s, e)| c >= *s && c < *e);
    for l in table {
        for (c, g) in cells(l).iter().enumerate() {
            assert!(
                inside(c) || g == " " || g.is_empty(),
                "{what}: {g:?} at cell {c} is outside the columns {spans:?} in\n{l}\nof\n{}",
                table.join("\n")
            );
        }
    }
    spans
}

/// Arabic text as a reordering terminal shows it.
fn shown(s: &str) -> String {
    use tipquiz::tui::bidi::{BidiMode, Dir, visual_lines};
    visual_lines(s, Dir::Rtl, 80, BidiMode::Reorder, true).concat()
}

fn is_form(c: char) -> bool {
    ('\u{FB50}'..='\u{FDFF}').contains(&c) || ('\u{FE70}'..='\u{FEFE}').contains(&c)
}

#[test]
fn the_text_report_of_forty_fits_80_columns_in_both_languages() {
    let d = tempfile::tempdir().unwrap();
    class_of_40(d.path());

    // As a file or a pipe gets it (logical order), with --width 80, in both languages.
    for lang in ["en", "ar"] {
        let (out, err, code) = run(tq_in(d.path(), lang).args([
            "report",
            "--exam",
            "final-assessment",
            "--width",
            "80",
        ]));
        assert_eq!(code, 0, "{err}");
        for l in out.lines() {
            assert!(cell_width(l) <= 80, "{lang}: {} cells: {l}", cell_width(l));
        }
        assert!(out.contains("Whitfield"), "{out}");
        for n in ["فاطمة", "Maria Santos"] {
            assert!(out.contains(n), "{lang}: {n} missing from\n{out}");
        }
        // The choices picked are behind --details.
        let choices = if lang == "en" {
            "Choices picked"
        } else {
            "الخيارات المختارة"
        };
        assert!(!out.contains(choices), "{out}");
        let (more, _, _) = run(tq_in(d.path(), lang).args([
            "report",
            "--exam",
            "final-assessment",
            "--width",
            "80",
            "--details",
        ]));
        assert!(more.contains(choices), "{more}");
        for l in more.lines() {
            assert!(cell_width(l) <= 80, "{lang} --details: {l}");
        }
        // Without --width and not on a terminal: 100 columns.
        let (wide, _, _) = run(tq_in(d.path(), lang).arg("report"));
        assert!(wide.lines().all(|l| cell_width(l) <= 100));
        assert!(wide.lines().any(|l| cell_width(l) > 80), "{wide}");
    }

    // As a terminal that does not reorder gets it: every cell shaped and reordered here, and
    // in Arabic the tables run right to left as a whole.
    let lib = shipped();
    let exams = vec![final_assessment()];
    let store = tipquiz::record::Store::new(d.path().join("results"));
    let class = tipquiz::report::read::read_class(
        &store,
        tipquiz::report::integrity::Rules {
            lib: &lib,
            exams: &exams,
            key: None,
        },
    );
    assert_eq!(class.records.len(), 40, "{:?}", class.bad);
    let report = build_with(&class.records, &class.bad, &lib, &exams, None, Which::First);
    assert_eq!(report.trainees.len(), 40);
    for (lang, heading) in [
        (tipquiz::text::Lang::En, "Trainees".to_owned()),
        (
            tipquiz::text::Lang::Ar,
            // The heading as shown: shaped and reordered.
            shown("المتدربون"),
        ),
    ] {
        let ts = Reordered {
            shaping: true,
            rtl: lang == tipquiz::text::Lang::Ar,
        };
        let text = render_text(
            &report,
            &TextOptions {
                lang,
                width: 80,
                details: true,
                typeset: &ts,
            },
        );
        for l in text.lines() {
            assert!(
                cell_width(l) <= 80,
                "{lang:?}: {} cells: {l}",
                cell_width(l)
            );
        }
        // Arabic names are shaped here (joined letters), not left to the terminal.
        assert!(text.chars().any(is_form));
        let table = table_after(&text, &heading);
        let spans = assert_columns(&table, &format!("{lang:?} trainees"));
        // Forty rows at least (a long name may wrap onto a second line).
        assert!(table.len() >= 42, "{}", table.join("\n"));
        // The names' column: the first on the left in English, on the right in Arabic; every
        // Arabic name is shaped and sits in it.
        let name_col = if ts.rtl {
            *spans.last().unwrap()
        } else {
            spans[0]
        };
        // Every Arabic name (its last word, as shown) sits inside the names' column.
        let mut arabic_rows = 0;
        for name in NAMES.iter().filter(|n| !n.is_ascii()) {
            let word = name.split(' ').next_back().unwrap();
            let word = shown(word);
            let w = cell_width(&word);
            let hits: Vec<usize> = table
                .iter()
                .filter_map(|l| {
                    let at = l.find(&word)?;
                    Some(cell_width(&l[..at]))
                })
                .collect();
            assert!(
                !hits.is_empty(),
                "{lang:?}: {name} not in\n{}",
                table.join("\n")
            );
            for at in hits {
                assert!(
                    at >= name_col.0 && at + w <= name_col.1,
                    "{lang:?}: {name} at cells {at}..{} outside the names' column {name_col:?}",
                    at + w
                );
            }
            arabic_rows += 1;
        }
        assert_eq!(arabic_rows, 20);
        // Items too.
        let items_heading = if ts.rtl {
            shown("الأسئلة")
        } else {
            "Questions".to_owned()
        };
        let items = table_after(&text, &items_heading);
        assert_columns(&items, &format!("{lang:?} questions"));
    }
}
