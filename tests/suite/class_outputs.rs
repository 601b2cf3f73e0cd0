//! What the instructor and the coordinator read of a class of 40 (Arabic and English names,
//! attempts on the shipped final assessment written through the program's write path): the
//! text report at 80 columns in both languages, laid out as a whole.

use crate::class::{T0, commit, final_assessment, right, run, shipped, sit, wrong};
use std::path::Path;
use tipquiz::report::{TextOptions, Which, build_with, render_text};
use tipquiz::tui::bidi::cell_width;
use tipquiz::tui::typeset::Reordered;

/// Forty trainees: twenty Arabic names (some long), twenty English.
/// The class file of units (`units.toml`) in `results`, as a coordinator writes it: one
/// `[[unit]]` per (English, Arabic) pair. Returns its path.
pub fn write_units(results: &std::path::Path, units: &[(&str, &str)]) -> std::path::PathBuf {
    let text: Vec<String> = units
        .iter()
        .map(|(en, ar)| format!("[[unit]]\nen = \"{en}\"\nar = \"{ar}\"\n"))
        .collect();
    let file = results.join(tipquiz::units::FILE_NAME);
    std::fs::write(&file, text.join("\n")).unwrap();
    file
}

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
    "Ben <script>alert(\"x\")</script> & Carter",
];

/// The units (departments) the trainees give, two in Arabic.
pub const UNITS: [&str; 5] = [
    "Airport security",
    "Port security",
    "خفر السواحل",
    "الإدارة العامة للتحقيقات الجنائية",
    "Residence affairs",
];

/// A class of 40 in `d/results`: trainee k gets a share of the paper right that varies with k
/// (from none to all), so that scores spread and some fail overall or by topic.
pub fn class_of_40(d: &Path) {
    class_of_40_in(d, &UNITS);
}

/// [`class_of_40`], trainee k giving the unit `units[k % units.len()]` (every ninth none).
pub fn class_of_40_in(d: &Path, units: &[&str]) {
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
        let (mut s, at) = sit(&exam, &lib, name, start, &answer, true);
        // Their units as typed on the home screen (every ninth gave none).
        s.state.unit = (k % 9 != 4).then(|| units[k % units.len()].to_owned());
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

/// The words and the layout of piped text output, without its bidi marks (LRM or RLM at a
/// line's start, FSI...PDI around table cells; checked in `report_bidi`).
fn unmarked(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\u{200E}' | '\u{200F}' | '\u{2068}' | '\u{2069}'))
        .collect()
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
        None,
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
                digits: tipquiz::text::Digits::Western,
                marks: false,
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
        // Every Arabic name (its first word, as shown: a long name is cut) sits inside the
        // names' column.
        let mut arabic_rows = 0;
        for name in NAMES.iter().filter(|n| !n.is_ascii()) {
            let word = name.split(' ').next().unwrap();
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

/// Whether chromium can be run here. Under CI (`TIPQUIZ_REQUIRE_TOOLS=1`) it must be.
fn have_chromium() -> bool {
    let found = std::process::Command::new("chromium")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("TIPQUIZ_REQUIRE_TOOLS").is_none(),
            "chromium is required here (TIPQUIZ_REQUIRE_TOOLS is set) but not installed"
        );
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "skipping the HTML rendering checks: chromium not installed"
        );
    }
    found
}

/// Headless chromium on `args`, with a profile of its own in `profile`.
fn chromium(profile: &Path, args: &[String]) -> std::process::Output {
    std::process::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .unwrap()
}

/// Pages of a PDF that chromium wrote (its page objects).
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type /Page")
        .filter(|(i, _)| !text[i + 11..].starts_with('s'))
        .count()
}

/// A script (added to a copy of the page, never to the report itself) that measures, at the
/// printed width, every element against the page: the report's `data-overflow` attribute
/// then says how wide the document is and which elements stick out.
const MEASURE: &str = r#"<script>
const W = document.documentElement.clientWidth;
const out = [];
for (const e of document.querySelectorAll('body *')) {
  const r = e.getBoundingClientRect();
  if (r.width > 0 && (r.right > W + 0.5 || r.left < -0.5)) {
    out.push(e.tagName + ' ' + Math.round(r.left) + '..' + Math.round(r.right) + ' ' + (e.textContent || '').slice(0, 30));
  }
}
document.body.setAttribute('data-overflow', 'W=' + W + ' SW=' + document.documentElement.scrollWidth + ' OUT=' + out.length + ' ' + out.slice(0, 5).join(' | '));
</script>"#;

#[test]
fn the_html_report_is_one_printable_page_set_in_both_languages() {
    let d = tempfile::tempdir().unwrap();
    class_of_40(d.path());
    for (lang, dir) in [("en", "ltr"), ("ar", "rtl")] {
        let file = d.path().join(format!("class-{lang}.html"));
        let (_, err, code) = run(tq_in(d.path(), lang)
            .args([
                "report",
                "--exam",
                "final-assessment",
                "--format",
                "html",
                "-o",
            ])
            .arg(&file));
        assert_eq!(code, 0, "{err}");
        let html = std::fs::read_to_string(&file).unwrap();
        // Self-contained: nothing is fetched, nothing runs.
        for bad in [
            "<script",
            "http:",
            "https:",
            "@import",
            "url(",
            "@font-face",
            "<link",
            "src=",
        ] {
            let outside_svg_ns = html.replace("http://www.w3.org/2000/svg", "");
            assert!(!outside_svg_ns.contains(bad), "{lang}: {bad} in the page");
        }
        assert!(html.contains(&format!("dir=\"{dir}\"")), "{lang}");
        // Names are escaped.
        assert!(
            html.contains("Ben &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Carter"),
            "{lang}"
        );
        // Every part: summary, the two charts, who passed, the trainees with why, the items
        // with the flags in words, where everyone stands.
        assert_eq!(html.matches("<svg").count(), 2, "{lang}");
        // The topic means' chart names each topic by its title in the report's language, as
        // the tables do, not by its id.
        let topic_chart = html
            .split("<svg")
            .nth(2)
            .and_then(|s| s.split("</svg>").next())
            .unwrap_or_default();
        let title = if lang == "en" {
            "Indicators"
        } else {
            "المؤشرات"
        };
        assert!(topic_chart.contains(title), "{lang}: {topic_chart}");
        assert!(
            !topic_chart.contains(">indicators<"),
            "{lang}: {topic_chart}"
        );
        let labels: &[&str] = if lang == "en" {
            &[
                "Passed (12): names for the certificates",
                "Why not passed",
                "Where everyone stands",
                "submitted (40)",
                "Almost nobody got it right",
                "Percentage per topic",
            ]
        } else {
            &[
                "الناجحون (12): الأسماء للشهادات",
                "سبب عدم النجاح",
                "وضع كل متدرب",
                "سلّم إجاباته (40)",
                "فاطمة عبدالله الصباح",
            ]
        };
        for l in labels {
            assert!(html.contains(l), "{lang}: {l} missing");
        }
        // Every trainee is on the page.
        for n in NAMES {
            let n = tipquiz::report::html_escape(n);
            assert!(html.contains(&n), "{lang}: {n} missing");
        }

        if !have_chromium() {
            continue;
        }
        let profile = tempfile::tempdir().unwrap();
        // Printed to PDF on A4: a sensible number of pages for 40 trainees and the item
        // analysis of the ~200 questions their papers drew.
        let pdf = d.path().join(format!("class-{lang}.pdf"));
        let o = chromium(
            profile.path(),
            &[
                format!("--print-to-pdf={}", pdf.display()),
                "--no-pdf-header-footer".into(),
                format!("file://{}", file.display()),
            ],
        );
        let bytes = std::fs::read(&pdf)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
        let pages = pdf_pages(&bytes);
        assert!((3..=20).contains(&pages), "{lang}: {pages} pages");
        // At the printed width (A4 less the margins: 186 mm, 703 CSS pixels) nothing sticks
        // out of the page.
        let measured = d.path().join(format!("measure-{lang}.html"));
        std::fs::write(
            &measured,
            html.replace("</body>", &format!("{MEASURE}</body>")),
        )
        .unwrap();
        let o = chromium(
            profile.path(),
            &[
                "--window-size=703,1000".into(),
                "--dump-dom".into(),
                format!("file://{}", measured.display()),
            ],
        );
        let dom = String::from_utf8_lossy(&o.stdout);
        let at = dom.find("data-overflow=\"").unwrap_or_else(|| {
            panic!(
                "{lang}: not measured: {}",
                String::from_utf8_lossy(&o.stderr)
            )
        });
        let report = &dom[at + 15..];
        let report = &report[..report.find('"').unwrap()];
        assert!(report.contains("W=703 SW=703 OUT=0"), "{lang}: {report}");
    }
}

/// Rows of a CSV file as Python's `csv` module reads it with `utf-8-sig` (what a script or a
/// spreadsheet import does), or `None` when python3 is not installed.
fn python_rows(file: &Path) -> Option<Vec<Vec<String>>> {
    let o = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import csv, json, sys\n\
             with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:\n\
             \x20   print(json.dumps(list(csv.reader(f))))",
        )
        .arg(file)
        .output()
        .ok()?;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    Some(serde_json::from_slice(&o.stdout).unwrap())
}

/// The rows of a CSV file read in Rust, after checking that it starts with the BOM.
fn rust_rows(file: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(file).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "{}: no byte-order mark",
        file.display()
    );
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&bytes[3..]);
    r.records()
        .map(|x| x.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn spreadsheets_carry_the_bom_and_load_with_utf8_sig() {
    let d = tempfile::tempdir().unwrap();
    class_of_40(d.path());
    // One file per table in a folder.
    let folder = d.path().join("tables");
    std::fs::create_dir(&folder).unwrap();
    let (_, err, code) = run(tq_in(d.path(), "ar")
        .args(["report", "--format", "csv", "-o"])
        .arg(&folder));
    assert_eq!(code, 0, "{err}");
    for t in tipquiz::report::CSV_TABLES {
        let file = folder.join(format!("final-assessment-{t}.csv"));
        let rows = rust_rows(&file);
        assert!(!rows.is_empty(), "{t}");
        if let Some(py) = python_rows(&file) {
            assert_eq!(py, rows, "{t}: Python reads it otherwise");
            // The header's first cell has no BOM left in it.
            assert!(py[0][0].is_ascii(), "{t}: {:?}", py[0][0]);
        }
    }
    let trainees = rust_rows(&folder.join("final-assessment-trainees.csv"));
    assert_eq!(trainees.len(), 41);
    assert!(trainees.iter().any(|r| r[0] == "فاطمة عبدالله الصباح"));
    // One table, chosen; on standard output there is no BOM.
    let (out, _, code) =
        run(tq_in(d.path(), "en").args(["report", "--format", "csv", "--table", "topics"]));
    assert_eq!(code, 0);
    assert!(out.starts_with("topic,trainees,mean_percent\n"), "{out}");
    let (_, err, code) =
        run(tq_in(d.path(), "en").args(["report", "--format", "csv", "--table", "nonsense"]));
    assert_eq!(code, 2, "{err}");

    // export: per-topic columns, status, pass mark, title, flags; the labels the trainee saw.
    let file = d.path().join("attempts.csv");
    let (_, err, code) = run(tq_in(d.path(), "en").args(["export", "-o"]).arg(&file));
    assert_eq!(code, 0, "{err}");
    let rows = rust_rows(&file);
    if let Some(py) = python_rows(&file) {
        assert_eq!(py, rows);
    }
    let h = &rows[0];
    for col in [
        "exam_title",
        "pass_mark",
        "end_reason",
        "flags",
        "topic:indicators",
        "topic:national-law",
    ] {
        assert!(h.iter().any(|x| x == col), "{col} not in {h:?}");
    }
    assert_eq!(rows.len(), 41);
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    for r in &rows[1..] {
        assert_eq!(r[col("pass_mark")], "70");
        assert_eq!(r[col("end_reason")], "submitted");
        assert!(!r[col("exam_title")].is_empty());
        for x in r {
            assert!(!x.starts_with("-0"), "{x}");
        }
    }
    let file = d.path().join("responses.csv");
    let (_, err, code) = run(tq_in(d.path(), "en")
        .args(["export", "--responses", "--no-bom", "-o"])
        .arg(&file));
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.starts_with('\u{feff}'));
    assert!(!text.contains("\"kind\""), "{}", &text[..500]);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h = r.headers().unwrap().clone();
    let (lab, txt, ty) = (
        h.iter().position(|x| x == "answer_label").unwrap(),
        h.iter().position(|x| x == "answer_text").unwrap(),
        h.iter().position(|x| x == "type").unwrap(),
    );
    let mut singles = 0;
    for rec in r.records() {
        let rec = rec.unwrap();
        if &rec[ty] == "single" && !rec[lab].is_empty() {
            singles += 1;
            assert!(rec[lab].len() == 1, "{rec:?}");
            assert!(!rec[txt].is_empty(), "{rec:?}");
        }
    }
    assert!(singles > 100, "{singles}");
}

/// An attempt in progress as a running `take` publishes it for the board.
fn in_progress(results: &Path, trainee: &str, exam: &str, answered: usize) {
    use tipquiz::report::board::{PROGRESS_DIR, Progress};
    let p = Progress {
        trainee: trainee.into(),
        exam_id: exam.into(),
        exam_title: "Final assessment".into(),
        answered,
        total: 30,
        started_at: T0 + 3_600_000,
        deadline: Some(T0 + 3_600_000 + 40 * 60_000),
    };
    let dir = results.join(PROGRESS_DIR);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(Progress::file_name(&p.exam_id, &p.trainee)),
        serde_json::to_vec(&p).unwrap(),
    )
    .unwrap();
}

/// The board drawn at `w`×`h` on page `page`, line by line.
fn board_screen(
    b: &tipquiz::report::board::Board,
    lang: tipquiz::text::Lang,
    w: u16,
    h: u16,
    page: usize,
) -> Vec<String> {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use tipquiz::tui::bidi::BidiMode;
    use tipquiz::tui::ui::{Display, Theme};
    let display = Display {
        mode: BidiMode::Reorder,
        shaping: true,
        theme: Theme { color: false },
    };
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| {
        tipquiz::tui::board::draw_page(f, b, lang, tipquiz::text::Digits::Western, display, page)
    })
    .unwrap();
    let buf = t.backend().buffer().clone();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_owned()).collect())
        .collect()
}

#[test]
fn the_board_holds_a_room_of_forty_at_two_sizes_in_both_languages() {
    use tipquiz::text::Lang;
    let d = tempfile::tempdir().unwrap();
    class_of_40(d.path());
    let results = d.path().join("results");
    // Three still answering, one of them with an Arabic name; one record edited by hand.
    in_progress(&results, "منيرة حسن البلوشي", "final-assessment", 18);
    in_progress(&results, "Kevin Brown", "final-assessment", 7);
    in_progress(&results, "Laila Haddad", "final-assessment", 25);
    let edited = std::fs::read_dir(&results)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("peter-novak"))
        .unwrap();
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, text.replace("\"Peter Novak\"", "\"Peter Nowak\"")).unwrap();

    let lib = shipped();
    let mut b = tipquiz::report::board::Board::new(&results, None).checked(
        lib,
        vec![final_assessment()],
        None,
        Which::First,
    );
    b.refresh();
    assert_eq!(b.exam_id().as_deref(), Some("final-assessment"));
    // Another exam gets more entries: the board keeps the exam it chose.
    for i in 0..45 {
        in_progress(&results, &format!("Drill {i}"), "drill", 3);
    }
    b.refresh();
    assert_eq!(b.exam_id().as_deref(), Some("final-assessment"));
    let rows = b.rows();
    assert_eq!(
        rows.len(),
        39 + 3,
        "39 ranked (one flagged) and 3 in progress"
    );
    assert_eq!(b.flagged().len(), 1);

    for lang in [Lang::En, Lang::Ar] {
        for (w, h) in [(80u16, 24u16), (160, 45)] {
            // Every page, until the first comes round again.
            let mut pages = vec![board_screen(&b, lang, w, h, 0)];
            for p in 1..20 {
                let s = board_screen(&b, lang, w, h, p);
                if s == pages[0] {
                    break;
                }
                pages.push(s);
            }
            let all: String = pages.iter().flatten().map(|l| format!("{l}\n")).collect();
            let what = format!("{lang:?} {w}x{h}");
            // Rows that do not fit are paged, and said so.
            assert!(pages.len() >= 2, "{what}: one page for 42 rows?\n{all}");
            let more = if lang == Lang::En {
                "more · page 1/"
            } else {
                "ﻥﻭﺮﺧﺁ"
            };
            assert!(
                pages[0].iter().any(|l| l.contains(more) || l.contains("+")),
                "{what}: no +N more\n{}",
                pages[0].join("\n")
            );
            // The last page has nobody after it: it says its page and the count, not "+0 more".
            let last = pages.last().unwrap().join("\n");
            assert!(
                !last.contains("+0 ") && !last.contains("+٠") && !last.contains(" 0+"),
                "{what}: +0 on the last page\n{last}"
            );
            if lang == Lang::En {
                let p = pages.len();
                let said = format!("page {p}/{p} · 42 trainees");
                assert!(last.contains(&said), "{what}: no «{said}»\n{last}");
            } else {
                assert!(last.contains(&shown("الصفحة")), "{what}: no page\n{last}");
                assert!(!last.contains(&shown("آخرون")), "{what}: «others»\n{last}");
            }
            // Every trainee, ranked or answering, appears on some page, whole when there is
            // room, with the name in one piece (Arabic shaped and reordered as a whole).
            for r in &rows {
                let name = tipquiz::tui::bidi::visual_lines(
                    &r.trainee,
                    tipquiz::tui::bidi::Dir::Rtl,
                    200,
                    tipquiz::tui::bidi::BidiMode::Reorder,
                    true,
                )
                .concat();
                let long = cell_width(&name) > 36;
                if long && w == 80 {
                    continue;
                }
                let line = all
                    .lines()
                    .find(|l| l.contains(&name))
                    .unwrap_or_else(|| panic!("{what}: {} not on the board:\n{all}", r.trainee));
                // The score sits beside the name, never inside it.
                match (r.percent, r.progress) {
                    (Some(p), _) => {
                        let pct = format!("{p:.0}%");
                        assert!(line.contains(&pct), "{what}: {pct} missing: {line}");
                        let mark = match (lang, r.passed) {
                            (Lang::En, true) => "✓ pass".to_owned(),
                            (Lang::En, false) => "✗ fail".to_owned(),
                            (Lang::Ar, true) => shown("✓ ناجح"),
                            (Lang::Ar, false) => shown("✗ غير ناجح"),
                        };
                        assert!(line.contains(&mark), "{what}: {mark} missing: {line}");
                    }
                    (None, Some((a, n))) => {
                        assert!(line.contains(&format!("{a}/{n}")), "{what}: {line}");
                    }
                    _ => {}
                }
            }
            // The long name is cut only when there is no room.
            let long = "Sgt. Jonathan Alexander Whitfield-Montgomery";
            if w == 160 {
                assert!(all.contains(long), "{what}: {long} cut\n{all}");
            }
            // The flagged record is listed, not ranked.
            assert!(
                all.contains("Peter Nowak"),
                "{what}: flagged record missing\n{all}"
            );
            let flagged = if lang == Lang::En {
                "Flagged, not ranked (1)".to_owned()
            } else {
                shown("مُعلَّمة ولا تُرتَّب")
            };
            assert!(
                pages.iter().all(|p| p.iter().any(|l| l.contains(&flagged))),
                "{what}: {flagged} not on every page\n{all}"
            );
            // Nothing of the other exam.
            assert!(!all.contains("Drill"), "{what}");
            // In Arabic the table runs right to left: ranks at the right edge.
            if lang == Lang::Ar {
                let first = pages[0]
                    .iter()
                    .find(|l| l.contains("100%") || l.contains("97%") || l.contains("93%"))
                    .unwrap_or_else(|| panic!("{what}: no top score\n{all}"));
                let trimmed = first.trim_end_matches([' ', '│']);
                assert!(
                    trimmed.trim_end().ends_with('1'),
                    "{what}: the rank is not at the right: {first:?}"
                );
            }
        }
    }
}

#[test]
fn every_output_breaks_the_class_down_by_unit() {
    let d = tempfile::tempdir().unwrap();
    class_of_40(d.path());
    // The record keeps the unit, and its checksum holds.
    let store = tipquiz::record::Store::new(d.path().join("results"));
    let loaded = store.load();
    assert!(loaded.bad.is_empty(), "{:?}", loaded.bad);
    assert!(loaded.seals.iter().all(|s| s.checksum_ok));
    let units: std::collections::BTreeSet<String> = loaded
        .records
        .iter()
        .filter_map(|(_, r)| r.unit.clone())
        .collect();
    assert_eq!(units.len(), 5);
    // Scores are real fractions of a 30-question paper (such as 28 of 30), not round numbers.
    assert!(
        loaded
            .records
            .iter()
            .any(|(_, r)| r.max > 0.0 && r.percent.fract() != 0.0),
        "no score with a fractional percentage"
    );
    // What each unit's mean and pass count must be, from the records read back.
    let mut want: std::collections::BTreeMap<String, (Vec<f64>, usize)> = Default::default();
    for (_, r) in &loaded.records {
        let e = want.entry(r.unit.clone().unwrap_or_default()).or_default();
        e.0.push(r.percent);
        e.1 += usize::from(r.passed);
    }
    // Text, both languages.
    for (lang, heading) in [
        ("en", "By unit (department)"),
        ("ar", "حسب الوحدة (الإدارة)"),
    ] {
        let (out, err, code) = run(tq_in(d.path(), lang).args(["report", "--width", "80"]));
        assert_eq!(code, 0, "{err}");
        let out = unmarked(&out);
        let table = table_after(&out, heading);
        // A long unit wraps within its column: each of its words is there.
        for u in UNITS.iter().flat_map(|u| u.split(' ')) {
            assert!(
                table.iter().any(|l| l.contains(u)),
                "{lang}: {u} not in\n{}",
                table.join("\n")
            );
        }
        let none = if lang == "en" {
            "(none given)"
        } else {
            "(لم تُذكر)"
        };
        assert!(
            table.iter().any(|l| l.contains(none)),
            "{}",
            table.join("\n")
        );
        for l in out.lines() {
            assert!(cell_width(l) <= 80, "{lang}: {l}");
        }
        // The item and slot tables are abbreviated to fit, not split: each header row has the
        // first column and the flags, and the short forms are explained.
        let (q, slot, flags, legend) = if lang == "en" {
            ("Q ", "Slot ", "Flags", "Q: question")
        } else {
            ("س ", "الموضع ", "ملاحظات", "س: السؤال")
        };
        let heads: Vec<&str> = out
            .lines()
            .filter(|l| l.trim_end().ends_with(flags))
            .collect();
        assert_eq!(heads.len(), 2, "{lang}: {heads:#?}");
        assert!(heads[0].trim_start().starts_with(q), "{}", heads[0]);
        assert!(heads[1].trim_start().starts_with(slot), "{}", heads[1]);
        assert!(out.contains(legend), "{lang}");
        assert!(out.contains("…"), "{lang}: a long topic is cut");
    }
    // HTML.
    let file = d.path().join("c.html");
    let (_, err, code) = run(tq_in(d.path(), "en")
        .args(["report", "--format", "html", "-o"])
        .arg(&file));
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.contains("By unit (department)"));
    for u in UNITS {
        assert!(html.contains(u), "{u}");
    }
    // The date it was made (the program's clock: today's year), and the slots of the random
    // papers in a table of their own, as in the text report.
    let year = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 31_556_952
        + 1970;
    let made = html
        .find("<p class=\"sub\">Report made ")
        .expect("date line");
    let line = &html[made..html[made..].find("</p>").unwrap() + made];
    assert!(line.ends_with(" UTC</bdi>"), "{line}");
    assert!(
        line.contains(&format!("{year}-")) || line.contains(&format!("{}-", year - 1)),
        "{line}"
    );
    let slots_at = html
        .find("<h2>Slots of the random papers")
        .expect("a slot table");
    let slot_table = &html[slots_at..html[slots_at..].find("</table>").unwrap() + slots_at];
    // One row per slot of the final assessment's pools: 30 questions drawn.
    assert_eq!(
        slot_table.matches("<tr><td>pool ").count(),
        30,
        "{slot_table}"
    );
    let file = d.path().join("c-ar.html");
    let (_, err, code) = run(tq_in(d.path(), "ar")
        .args(["report", "--format", "html", "-o"])
        .arg(&file));
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.contains("حسب الوحدة (الإدارة)"));
    for u in UNITS {
        assert!(html.contains(u), "{u}");
    }
    // CSV: the units table (mean, pass rate, weakest topic) and the trainees' unit column.
    let (out, _, _) =
        run(tq_in(d.path(), "en").args(["report", "--format", "csv", "--table", "units"]));
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let h = r.headers().unwrap().clone();
    assert_eq!(
        h.iter().collect::<Vec<_>>(),
        [
            "unit",
            "trainees",
            "mean_percent",
            "passed",
            "pass_rate",
            "weakest_topic",
            "weakest_topic_mean_percent"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6, "five units and those who gave none");
    let total: usize = rows.iter().map(|x| x[1].parse::<usize>().unwrap()).sum();
    assert_eq!(total, 40);
    for x in &rows {
        assert!(!x[5].is_empty(), "{x:?}");
        let (percents, passed) = &want[&x[0]];
        assert_eq!(x[1].parse::<usize>().unwrap(), percents.len(), "{x:?}");
        let mean = percents.iter().sum::<f64>() / percents.len() as f64;
        assert!(
            (x[2].parse::<f64>().unwrap() - mean).abs() < 0.006,
            "{x:?} mean {mean}"
        );
        assert_eq!(x[3].parse::<usize>().unwrap(), *passed, "{x:?}");
    }
    // Those who gave no unit come last.
    assert_eq!(&rows[5][0], "");
    // JSON: the same figures, by unit.
    let (out, err, code) = run(tq_in(d.path(), "en").args(["report", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let units = v["summary"]["units"].as_array().unwrap();
    assert_eq!(units.len(), 6);
    for u in units {
        let name = u["unit"].as_str().unwrap_or("");
        assert_eq!(u["n"].as_u64().unwrap() as usize, want[name].0.len());
        assert!(u["weakest_topic"][0].is_string(), "{u}");
    }
    // export: the unit of each attempt.
    let (out, _, _) = run(tq_in(d.path(), "en").arg("export"));
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let h = r.headers().unwrap().clone();
    let col = h.iter().position(|x| x == "unit").unwrap();
    let given = r
        .records()
        .filter(|x| !x.as_ref().unwrap()[col].is_empty())
        .count();
    assert_eq!(given, 40 - (0..40).filter(|k| k % 9 == 4).count());
}

/// Run the binary as `tq_in` does, under the umask `mask`.
#[cfg(unix)]
fn tq_umask(d: &Path, mask: &str, args: &[&std::ffi::OsStr]) -> (String, i32) {
    let bin = assert_cmd::cargo::cargo_bin("tipquiz");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("umask {mask}; exec \"$0\" \"$@\""))
        .arg(bin)
        .args(["--lang", "en"])
        .args(args)
        .env("TIPQUIZ_DATA", d.join("data"))
        .env("TIPQUIZ_RESULTS", d.join("results"))
        .env_remove("TIPQUIZ_KEY_FILE")
        .env("LANG", "C.UTF-8")
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[cfg(unix)]
#[test]
fn report_and_export_files_are_the_coordinators_files_made_under_the_umask() {
    use std::os::unix::fs::PermissionsExt as _;
    let d = tempfile::tempdir().unwrap();
    class_of_40(d.path());
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let os = |s: &str| std::ffi::OsString::from(s);
    let html = d.path().join("class.html");
    let csv = d.path().join("attempts.csv");
    let tables = d.path().join("tables");
    std::fs::create_dir(&tables).unwrap();
    let runs: [(Vec<std::ffi::OsString>, &Path); 3] = [
        (
            vec![
                os("report"),
                os("--format"),
                os("html"),
                os("-o"),
                html.clone().into(),
            ],
            &html,
        ),
        (vec![os("export"), os("-o"), csv.clone().into()], &csv),
        (
            vec![
                os("report"),
                os("--format"),
                os("csv"),
                os("-o"),
                tables.clone().into(),
            ],
            &tables,
        ),
    ];
    for (args, file) in &runs {
        let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
        let (err, code) = tq_umask(d.path(), "022", &args);
        assert_eq!(code, 0, "{err}");
        // A folder: the file of each table in it.
        let files: Vec<std::path::PathBuf> = if file.is_dir() {
            std::fs::read_dir(file)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect()
        } else {
            vec![file.to_path_buf()]
        };
        assert!(
            !file.is_dir()
                || files
                    .iter()
                    .any(|f| f.to_string_lossy().ends_with("-units.csv"))
        );
        for f in &files {
            assert_eq!(mode(f), 0o644, "{}", f.display());
        }
        // No temporary file left beside it.
        let dir = if file.is_dir() {
            file
        } else {
            file.parent().unwrap()
        };
        assert!(
            std::fs::read_dir(dir).unwrap().all(|e| !e
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".part")),
            "{}",
            dir.display()
        );
    }
    // Another umask applies as it would to any program's file.
    std::fs::remove_file(&html).unwrap();
    let html_args = [
        os("report"),
        os("--format"),
        os("html"),
        os("-o"),
        html.clone().into(),
    ];
    let args: Vec<&std::ffi::OsStr> = html_args.iter().map(|a| a.as_os_str()).collect();
    let (err, code) = tq_umask(d.path(), "027", &args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(mode(&html), 0o640);
    // A file written again keeps the permissions its owner gave it.
    std::fs::set_permissions(&html, std::fs::Permissions::from_mode(0o664)).unwrap();
    let (err, code) = tq_umask(d.path(), "022", &args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(mode(&html), 0o664);
    // Records stay private.
    for e in std::fs::read_dir(d.path().join("results")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            assert_eq!(mode(&p), 0o600, "{}", p.display());
        }
    }
}

#[test]
fn the_boards_pages_turn_with_the_keys_named_on_it() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use tipquiz::text::Lang;
    use tipquiz::tui::front::Screens;
    use tipquiz::tui::keymap::{Action, viewer_action};
    use tipquiz::tui::ui::{Display, Theme};
    let d = tempfile::tempdir().unwrap();
    class_of_40(d.path());
    let key = |c: KeyCode| KeyEvent::new(c, KeyModifiers::NONE);
    for lang in [Lang::En, Lang::Ar] {
        // The keys, through the keymap (the Arabic layout changes nothing for them).
        assert_eq!(
            viewer_action(&key(KeyCode::PageDown), lang),
            Some(Action::PageDown)
        );
        assert_eq!(
            viewer_action(&key(KeyCode::PageUp), lang),
            Some(Action::PageUp)
        );
        let board = tipquiz::report::board::Board::new(d.path().join("results"), None);
        let display = Display {
            mode: tipquiz::tui::bidi::BidiMode::Reorder,
            shaping: true,
            theme: Theme { color: false },
        };
        let mut s = tipquiz::tui::board::BoardScreen::new(
            board,
            lang,
            tipquiz::text::Digits::Western,
            display,
        );
        let now = s.now();
        let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
        let mut shown = |s: &tipquiz::tui::board::BoardScreen, at: i64| -> String {
            t.draw(|f| {
                s.draw(f, at);
            })
            .unwrap();
            let buf = t.backend().buffer().clone();
            (0..24)
                .map(|y| {
                    (0..80)
                        .map(|x| buf[(x, y)].symbol().to_owned())
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        // "p/P" stays one left-to-right run inside the reordered Arabic line.
        let page = |p: usize, of: usize| {
            if lang == Lang::En {
                format!("page {p}/{of}")
            } else {
                format!(" {p}/{of} ")
            }
        };
        let first = shown(&s, now);
        let of = (2..=8)
            .find(|n| first.contains(&page(1, *n)))
            .unwrap_or_else(|| panic!("no page count on\n{first}"));
        assert!(first.contains("PgDn/PgUp"), "{first}");
        // The way out is named in the frame's bottom line, in either language.
        let bottom = first.lines().last().unwrap_or_default();
        let close = tipquiz::tui::i18n::ui(lang)
            .does(tipquiz::tui::i18n::Does::Close)
            .1;
        assert!(
            bottom.contains("q/Esc") && bottom.starts_with('└') && bottom.ends_with('┘'),
            "{first}"
        );
        if lang == Lang::En {
            assert!(bottom.contains(&format!("q/Esc {close}")), "{first}");
        }
        s.turn(true, now + 1_000);
        assert!(shown(&s, now + 1_000).contains(&page(2, of)));
        // Back twice from page 2: page 1, then the last page.
        s.turn(false, now + 2_000);
        assert!(shown(&s, now + 2_000).contains(&page(1, of)));
        s.turn(false, now + 3_000);
        let last = shown(&s, now + 3_000);
        assert!(last.contains(&page(of, of)), "{last}");
        // The timer goes on from the page turned to.
        assert_eq!(s.page_at(now + 3_000 + 8_000) % of, 0);
    }
}

/// The cells of a table line cut at the column spans of its rule, trimmed.
fn cells_at(line: &str, spans: &[(usize, usize)]) -> Vec<String> {
    let c = cells(line);
    spans
        .iter()
        .map(|(s, e)| {
            c.get(*s..(*e).min(c.len()))
                .unwrap_or_default()
                .concat()
                .trim()
                .to_owned()
        })
        .collect()
}

#[test]
fn the_trainees_table_with_units_is_one_line_per_trainee_at_80_columns() {
    let d = tempfile::tempdir().unwrap();
    class_of_40(d.path());
    // What each trainee's row must show, from the records read back: the percentage, the
    // topic percentages, and which of them are below their pass marks.
    let store = tipquiz::record::Store::new(d.path().join("results"));
    let loaded = store.load();
    assert_eq!(loaded.records.len(), 40, "{:?}", loaded.bad);
    let topics: Vec<String> = loaded.records[0].1.by_topic.keys().cloned().collect();
    assert_eq!(topics.len(), 5);
    for (lang, heading, code, yes, no) in [
        ("en", "Trainees", "T", "yes", "no"),
        ("ar", "المتدربون", "م", "نعم", "لا"),
    ] {
        let (out, err, code_) = run(tq_in(d.path(), lang).args(["report", "--width", "80"]));
        assert_eq!(code_, 0, "{err}");
        let out = unmarked(&out);
        let table = table_after(&out, heading);
        for l in &table {
            assert!(cell_width(l) <= 80, "{lang}: {l}");
        }
        // One table: a header line, one rule, forty rows of one line each, then the key.
        let rules: Vec<usize> = (0..table.len())
            .filter(|i| table[*i].trim().chars().all(|c| c == '-' || c == ' '))
            .collect();
        assert_eq!(
            rules,
            [1],
            "{lang}: one header line and one rule\n{}",
            table.join("\n")
        );
        assert_eq!(table.len(), 42, "{lang}: {}", table.join("\n"));
        let rows = &table[2..];
        // The key, after a blank line: its lines as one text.
        let after: Vec<&str> = out
            .lines()
            .skip_while(|l| *l != table[41])
            .skip(2)
            .take_while(|l| !l.trim().is_empty())
            .collect();
        let key = after
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let spans = assert_columns(&table, &format!("{lang} trainees"));
        let head = cells_at(table[0], &spans);
        // Name, unit, %, passed and the five topics by their codes.
        assert_eq!(head.len(), 9, "{lang}: {head:?}");
        for (i, h) in head[4..].iter().enumerate() {
            assert_eq!(*h, format!("{code}{}", i + 1), "{lang}: {head:?}");
        }
        // The key names each code's topic.
        for (i, t) in topics.iter().enumerate() {
            let name = tipquiz::messages::topic_name(
                if lang == "en" {
                    tipquiz::text::Lang::En
                } else {
                    tipquiz::text::Lang::Ar
                },
                t,
            );
            assert!(
                key.contains(&format!("{code}{} = {name}", i + 1)),
                "{lang}: {key}"
            );
        }
        let mut seen = std::collections::BTreeSet::new();
        for row in rows {
            let c = cells_at(row, &spans);
            // The name, whole or cut with "…": one trainee's, each once.
            let name = c[0].trim_end_matches('…');
            let (_, r) = loaded
                .records
                .iter()
                .find(|(_, r)| {
                    r.trainee == c[0] || (c[0].ends_with('…') && r.trainee.starts_with(name))
                })
                .unwrap_or_else(|| panic!("{lang}: no trainee {:?}", c[0]));
            assert!(
                seen.insert(r.trainee.clone()),
                "{lang}: {} twice",
                r.trainee
            );
            // The unit, whole or cut.
            let unit = r.unit.clone().unwrap_or_default();
            assert!(
                c[1] == unit
                    || (c[1].ends_with('…') && unit.starts_with(c[1].trim_end_matches('…'))),
                "{lang}: {:?} for {unit:?}",
                c[1]
            );
            let why = r.failed_on();
            let mark = |w: &str| if why.iter().any(|x| x == w) { "*" } else { "" };
            assert_eq!(
                c[2],
                format!("{:.1}{}", r.percent, mark("overall")),
                "{lang}: {row}"
            );
            assert_eq!(c[3], if r.passed { yes } else { no }, "{lang}: {row}");
            for (i, t) in topics.iter().enumerate() {
                let p = r.by_topic[t].percent();
                let want = format!("{:.0}{}", p, mark(&format!("topic:{t}")));
                assert_eq!(c[4 + i], want, "{lang}: {t} of {row}");
            }
        }
        assert_eq!(seen.len(), 40);
        // Some rows show a topic below its own mark, some the overall mark.
        assert!(rows.iter().any(|r| r.contains("*")), "{lang}");
    }
}

#[test]
fn the_two_names_of_a_unit_in_the_class_file_count_as_one_unit() {
    let d = tempfile::tempdir().unwrap();
    // Trainees gave the English or the Arabic name of their department.
    let typed = [
        "Airport security",
        "Coast guard",
        "خفر السواحل",
        "أمن المطار",
        "Port security",
    ];
    class_of_40_in(d.path(), &typed);
    let results = d.path().join("results");
    let file = write_units(
        &results,
        &[
            ("Airport security", "أمن المطار"),
            ("Coast guard", "خفر السواحل"),
            ("Port security", "أمن الموانئ"),
        ],
    );
    // `check` accepts it.
    let (out, err, code) = run(tq_in(d.path(), "en").arg("check").arg(&file));
    assert_eq!(code, 0, "{out}{err}");
    // What each unit must count, from the records read back.
    let loaded = tipquiz::record::Store::new(&results).load();
    assert_eq!(loaded.records.len(), 40);
    let of = |names: &[&str]| -> (usize, usize) {
        let rs: Vec<_> = loaded
            .records
            .iter()
            .filter(|(_, r)| r.unit.as_deref().is_some_and(|u| names.contains(&u)))
            .collect();
        (rs.len(), rs.iter().filter(|(_, r)| r.passed).count())
    };
    let want = [
        (
            "Airport security",
            "أمن المطار",
            of(&["Airport security", "أمن المطار"]),
        ),
        (
            "Coast guard",
            "خفر السواحل",
            of(&["Coast guard", "خفر السواحل"]),
        ),
        ("Port security", "أمن الموانئ", of(&["Port security"])),
    ];
    // Both names were typed for two of them.
    assert!(want[0].2.0 > of(&["Airport security"]).0 && want[1].2.0 > of(&["Coast guard"]).0);
    for lang in ["en", "ar"] {
        // CSV: three units and those who gave none, by their names in the report's language.
        let (out, err, code) =
            run(tq_in(d.path(), lang).args(["report", "--format", "csv", "--table", "units"]));
        assert_eq!(code, 0, "{err}");
        let mut r = csv::Reader::from_reader(out.as_bytes());
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 4, "{lang}: {out}");
        for (en, ar, (n, passed)) in &want {
            let name = if lang == "en" { en } else { ar };
            let row = rows
                .iter()
                .find(|x| &x[0] == *name)
                .unwrap_or_else(|| panic!("{lang}: no {name} in {out}"));
            assert_eq!(row[1].parse::<usize>().unwrap(), *n, "{lang}: {row:?}");
            assert_eq!(row[3].parse::<usize>().unwrap(), *passed, "{lang}: {row:?}");
        }
        // JSON and the text report count the same units.
        let (out, _, _) = run(tq_in(d.path(), lang).args(["report", "--format", "json"]));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["summary"]["units"].as_array().unwrap().len(), 4);
        let heading = if lang == "en" {
            "By unit (department)"
        } else {
            "حسب الوحدة (الإدارة)"
        };
        let (out, _, _) = run(tq_in(d.path(), lang).args(["report", "--width", "100"]));
        let out = unmarked(&out);
        let table = table_after(&out, heading);
        // A header line, a rule, three units and "none given".
        assert_eq!(table.len(), 6, "{lang}: {}", table.join("\n"));
        // The weakest topic by its title, not its id.
        assert!(
            !table
                .iter()
                .any(|l| l.contains("international-law") || l.contains("national-law")),
            "{}",
            table.join("\n")
        );
    }
    // HTML too.
    let html_file = d.path().join("c.html");
    let (_, err, code) = run(tq_in(d.path(), "en")
        .args(["report", "--format", "html", "-o"])
        .arg(&html_file));
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(&html_file).unwrap();
    assert!(
        !html.contains("خفر السواحل"),
        "the Arabic name is counted under the English one"
    );

    // A class file with problems: `check` names each, with its line; the report says so on
    // standard error and counts the units as typed.
    std::fs::write(
        &file,
        "[[unit]]\nen = \"Coast guard\"\nar = \"خفر السواحل\"\n\n[[unit]]\nen = \"Coast Guard\"\nar = \"الموانئ\"\n\n[[unit]]\nen = \"Traffic\"\n",
    )
    .unwrap();
    let (out, err, code) = run(tq_in(d.path(), "en").arg("check").arg(&file));
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("shares a name with the unit on line 1"),
        "{out}"
    );
    assert!(
        out.contains("has no key `ar`") || out.contains("`ar`"),
        "{out}"
    );
    let (out, err, code) =
        run(tq_in(d.path(), "en").args(["report", "--format", "csv", "--table", "units"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("tipquiz check"), "{err}");
    assert_eq!(
        csv::Reader::from_reader(out.as_bytes()).records().count(),
        6
    );
}
