//! The text report in logical order (piped, written with `-o`, or with `--bidi terminal`) as a
//! terminal that lays text out by direction shows it: every Arabic line right to left and every
//! table with each column over its header, checked with the Unicode bidi algorithm
//! (unicode-bidi) and, where it is installed, with FriBidi's own command-line tool.

use crate::class_outputs::{NAMES, class_of_40, tq_in};
use std::ops::Range;
use unicode_bidi::BidiInfo;
use unicode_width::UnicodeWidthChar;

const RLM: char = '\u{200F}';
const LRM: char = '\u{200E}';
const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';

/// The report of the class of 40 on the final assessment, piped, in `lang`, `width` columns.
fn piped_report(d: &std::path::Path, lang: &str, width: &str, extra: &[&str]) -> String {
    let (out, err, code) = crate::class::run(
        tq_in(d, lang)
            .args(["report", "--exam", "final-assessment", "--width", width])
            .args(extra),
    );
    assert_eq!(code, 0, "{err}");
    out
}

/// The isolated cells of a logical line: the char ranges between each FSI and its PDI.
fn cell_ranges(chars: &[char]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open = None;
    for (i, c) in chars.iter().enumerate() {
        match *c {
            FSI => open = Some(i + 1),
            PDI => out.extend(open.take().map(|s| s..i)),
            _ => {}
        }
    }
    out
}

/// A line as a terminal that lays it out by direction shows it: whether its paragraph runs right
/// to left, its visual text, and where each isolated cell lands, as (from, to) cells measured
/// from the line's start edge (the right edge of a right-to-left line, the left of another).
struct Shown {
    rtl: bool,
    visual: String,
    cells: Vec<(usize, usize)>,
}

fn shown(line: &str) -> Shown {
    if line.is_empty() {
        return Shown {
            rtl: false,
            visual: String::new(),
            cells: Vec::new(),
        };
    }
    let info = BidiInfo::new(line, None);
    let para = &info.paragraphs[0];
    let rtl = para.level.is_rtl();
    let chars: Vec<char> = line.chars().collect();
    // The levels per char (the bidi algorithm's rules L1 applied), then the visual order.
    let levels = info.reordered_levels_per_char(para, para.range.clone());
    let order = BidiInfo::reorder_visual(&levels);
    let width = |c: char| c.width().unwrap_or(0);
    let mut left = vec![0usize; chars.len()];
    let mut col = 0;
    let mut visual = String::new();
    for &i in &order {
        left[i] = col;
        col += width(chars[i]);
        if !tipquiz::diag::is_bidi_format(chars[i]) {
            // Rule L4: a bracket in a right-to-left run is drawn mirrored.
            let c = chars[i];
            let mirrored = levels[i]
                .is_rtl()
                .then(|| unicode_bidi_mirroring::get_mirrored(c))
                .flatten();
            visual.push(mirrored.unwrap_or(c));
        }
    }
    let total = col;
    let cells = cell_ranges(&chars)
        .into_iter()
        .filter(|r| !r.is_empty())
        .map(|r| {
            let spans = r.clone().map(|i| {
                if rtl {
                    (total - left[i] - width(chars[i]), total - left[i])
                } else {
                    (left[i], left[i] + width(chars[i]))
                }
            });
            let from = spans.clone().map(|s| s.0).min().unwrap_or(0);
            let to = spans.map(|s| s.1).max().unwrap_or(0);
            (from, to)
        })
        .collect();
    Shown { rtl, visual, cells }
}

/// The tables of a report: runs of lines with isolated cells, from a header over its rule of
/// dashes to the blank line after.
fn tables(text: &str) -> Vec<Vec<&str>> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < lines.len() {
        let is_rule = |l: &str| {
            let chars: Vec<char> = l.chars().collect();
            let cells = cell_ranges(&chars);
            !cells.is_empty()
                && cells
                    .iter()
                    .all(|r| chars[r.clone()].iter().all(|c| *c == '-'))
        };
        if is_rule(lines[i + 1]) && lines[i].contains(FSI) {
            let end = lines[i..]
                .iter()
                .position(|l| l.trim().is_empty())
                .map_or(lines.len(), |n| i + n);
            out.push(lines[i..end].to_vec());
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// Every row of `table` as shown: its paragraph runs in `rtl`, and each cell lies inside the
/// span of its column's rule; in a right-to-left table each cell starts its column at the
/// right, the first column is the rightmost, and the header's cells are over their columns.
fn assert_table_reads(table: &[&str], rtl: bool, what: &str) {
    let rule = shown(table[1]);
    assert!(
        rule.rtl == rtl,
        "{what}: rule direction\n{}",
        table.join("\n")
    );
    let spans = rule.cells.clone();
    // Columns follow each other away from the start edge, without overlapping.
    for w in spans.windows(2) {
        assert!(w[0].1 < w[1].0, "{what}: columns {spans:?}");
    }
    for line in table {
        let s = shown(line);
        assert_eq!(s.rtl, rtl, "{what}: direction of {line:?}");
        let chars: Vec<char> = line.chars().collect();
        let ranges: Vec<Range<usize>> = cell_ranges(&chars)
            .into_iter()
            .filter(|r| !r.is_empty())
            .collect();
        // Which column each cell is in: the rule's span that holds it.
        let mut last = None;
        for (range, (from, to)) in ranges.iter().zip(&s.cells) {
            let text: String = chars[range.clone()].iter().collect();
            let col = spans
                .iter()
                .position(|(a, b)| a <= from && to <= b)
                .unwrap_or_else(|| {
                    panic!(
                        "{what}: cell {text:?} at {from}..{to} is in no column {spans:?}\n{}\nshown: {}",
                        table.join("\n"),
                        s.visual
                    )
                });
            assert!(
                last.is_none_or(|l| l < col),
                "{what}: cells out of order in {line:?}"
            );
            last = Some(col);
            if rtl {
                assert_eq!(
                    *from, spans[col].0,
                    "{what}: cell {text:?} does not start its column\n{}",
                    s.visual
                );
            }
        }
    }
}

#[test]
fn the_piped_report_reads_right_to_left_in_arabic_with_every_column_over_its_header() {
    let d = tempfile::tempdir().unwrap();
    class_of_40(d.path());
    for width in ["80", "120"] {
        let ar = piped_report(d.path(), "ar", width, &[]);
        // Every line of the Arabic report starts with RLM: a terminal that finds the direction
        // of a line from its first letter shows a line of ids or numbers right to left too.
        for l in ar.lines().filter(|l| !l.is_empty()) {
            assert!(l.starts_with(RLM), "{width}: {l:?}");
            let s = shown(l);
            assert!(s.rtl, "{l:?}");
        }
        // Marks only where they belong: RLM at line starts, FSI...PDI in pairs.
        let stripped: String = ar
            .chars()
            .filter(|c| ![RLM, FSI, PDI].contains(c))
            .collect();
        assert!(
            !stripped.chars().any(tipquiz::diag::is_bidi_format),
            "{stripped}"
        );
        assert_eq!(ar.matches(FSI).count(), ar.matches(PDI).count());
        let found = tables(&ar);
        // Trainees (with units), summary, topics, units, histogram-free tables, items...
        assert!(found.len() >= 4, "{width}: {} tables\n{ar}", found.len());
        for t in &found {
            assert_table_reads(t, true, &format!("ar {width}"));
        }
        // The trainees' table holds every Arabic name, each in the names' column (the
        // rightmost). A narrow page cuts long names with "…", so each is found by its first
        // word.
        let first = |n: &'static str| n.split(' ').next().unwrap_or(n);
        let trainees = found
            .iter()
            .find(|t| {
                NAMES
                    .iter()
                    .filter(|n| !n.is_ascii())
                    .all(|n| t.iter().any(|l| l.contains(first(n))))
            })
            .unwrap_or_else(|| panic!("no table with every Arabic name\n{ar}"));
        let names_col = shown(trainees[1]).cells[0];
        for name in NAMES.iter().filter(|n| !n.is_ascii()) {
            let line = trainees.iter().find(|l| l.contains(first(name))).unwrap();
            let s = shown(line);
            assert!(
                s.cells[0].0 == names_col.0 && s.cells[0].1 <= names_col.1,
                "{name}: {:?} in {names_col:?}\n{}",
                s.cells[0],
                s.visual
            );
        }

        // English: lines with Arabic names start with LRM and keep their columns left to
        // right; a line without Arabic has no mark, and its cells are isolated only when it
        // is a further line of a row with an Arabic name.
        let en = piped_report(d.path(), "en", width, &[]);
        let mut marked = 0;
        for l in en.lines() {
            let arabic = l.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
            assert_eq!(l.starts_with(LRM), arabic, "{l:?}");
            marked += usize::from(arabic);
            assert!(!l.contains(RLM), "{l:?}");
        }
        assert!(marked >= 20, "{marked} lines with Arabic");
        for t in tables(&en) {
            assert_table_reads(&t, false, &format!("en {width}"));
        }
    }
}

#[test]
fn the_report_written_to_a_file_and_for_a_bidi_terminal_carries_the_same_marks() {
    let d = tempfile::tempdir().unwrap();
    class_of_40(d.path());
    let piped = piped_report(d.path(), "ar", "100", &[]);
    let file = d.path().join("class.txt");
    let (_, err, code) = crate::class::run(
        tq_in(d.path(), "ar")
            .args([
                "report",
                "--exam",
                "final-assessment",
                "--width",
                "100",
                "-o",
            ])
            .arg(&file),
    );
    assert_eq!(code, 0, "{err}");
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(written, piped);
    let terminal = piped_report(d.path(), "ar", "100", &["--bidi", "terminal"]);
    assert_eq!(terminal, piped);
}

#[test]
fn the_arabic_pass_column_names_topics_by_title_with_the_arabic_comma() {
    use tipquiz::messages::{K, template, topic_name};
    use tipquiz::text::Lang;
    let d = tempfile::tempdir().unwrap();
    class_of_40(d.path());
    let (v, err, code) = crate::class::report_json(d.path(), "final-assessment", &[]);
    assert_eq!(code, 0, "{err}");
    // Wide enough for every cell on one line.
    let ar = piped_report(d.path(), "ar", "400", &[]);
    let en = piped_report(d.path(), "en", "400", &[]);
    let mut by_topic = 0;
    let mut failed = 0;
    for t in v["trainees"].as_array().unwrap() {
        if t["passed"].as_bool().unwrap() {
            continue;
        }
        failed += 1;
        let on: Vec<&str> = t["failed_on"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        let words = |lang: Lang| -> Vec<String> {
            on.iter()
                .map(|w| match w.strip_prefix("topic:") {
                    Some(topic) => topic_name(lang, topic),
                    None => template(lang, K::FailOverall).to_owned(),
                })
                .collect()
        };
        by_topic += usize::from(on.iter().any(|w| w.starts_with("topic:")));
        let want_ar = format!("لا ({})", words(Lang::Ar).join("، "));
        let want_en = format!("no ({})", words(Lang::En).join(", "));
        let name = t["trainee"].as_str().unwrap();
        // The trainee's row: the line with the name and a pass cell (the standings list
        // names everybody too).
        let row = |text: &str, pass: &str| -> String {
            text.lines()
                .find(|l| l.contains(name) && l.contains(pass))
                .unwrap_or_else(|| panic!("no row of {name}"))
                .to_owned()
        };
        let r = row(&ar, "لا (");
        assert!(r.contains(&format!("{FSI}{name}{PDI}")), "{r}");
        assert!(
            r.contains(&format!("{FSI}{want_ar}{PDI}")),
            "{want_ar}\n{r}"
        );
        // No Latin comma, no topic id between the brackets.
        let cell = r.split(FSI).find(|c| c.starts_with("لا (")).unwrap();
        assert!(
            !cell.contains(',') && !cell.contains("indicators"),
            "{cell}"
        );
        let r = row(&en, "no (");
        assert!(r.contains(&want_en), "{want_en}\n{r}");
    }
    // The class has trainees who failed on a topic, not only overall.
    assert!(
        failed >= 10 && by_topic >= 3,
        "{failed} failed, {by_topic} by topic"
    );
    assert!(ar.contains("المؤشرات"), "{ar}");
}

/// FriBidi (the library of the terminals that do their own bidi) lays the piped Arabic report
/// out as the checks above do: line for line the same visual text, once its shaping is undone.
#[cfg(unix)]
#[test]
fn fribidi_lays_the_piped_report_out_as_the_bidi_algorithm_does() {
    use unicode_normalization::UnicodeNormalization;
    if crate::skip_without("fribidi") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    class_of_40(d.path());
    let ar = piped_report(d.path(), "ar", "100", &[]);
    let lines: Vec<&str> = ar.lines().collect();
    let theirs = crate::bidi_fribidi::fribidi_args(
        &["--nopad", "--nobreak", "--clean", "--reordernsm"],
        &lines,
    )
    .expect("fribidi ran");
    assert_eq!(theirs.len(), lines.len());
    let mut compared = 0;
    for (l, t) in lines.iter().zip(&theirs) {
        // Combining marks (zero width) are left out on both sides: the two place them on
        // either side of their letter, which a terminal draws the same.
        let visible =
            |s: String| -> String { s.chars().filter(|c| c.width().unwrap_or(0) > 0).collect() };
        // The "*" after a figure below its pass mark ("17*") is left out on both sides too:
        // FriBidi's tool puts it before the number ("*17") where the isolate holds no strong
        // letter, the bidi algorithm (and unicode-bidi) after it. Either reads as a marked
        // figure; where the mark goes is a known difference, not a broken column.
        let unstarred = |s: String| -> String { s.chars().filter(|c| *c != '*').collect() };
        let ours = unstarred(visible(shown(l).visual.nfkc().collect()));
        let fribidi = unstarred(visible(crate::bidi_fribidi::normalise(t)));
        assert_eq!(fribidi.trim_start(), ours.trim_start(), "logical: {l:?}");
        compared += usize::from(l.contains(FSI));
    }
    assert!(compared > 50, "{compared} table lines");
}

/// The standings lists ("submitted (40): …") join the names with the language's comma, in the
/// text report and on the HTML page: «،» in Arabic, never a Latin comma between Arabic words.
#[test]
fn the_standings_lists_join_names_with_the_languages_comma() {
    use tipquiz::messages::{K, template};
    use tipquiz::text::Lang;
    let d = tempfile::tempdir().unwrap();
    class_of_40(d.path());
    let submitted = |lang: Lang, text: &str| -> String {
        let head = template(lang, K::StSubmitted);
        let lines: Vec<String> = text
            .lines()
            .map(|l| l.replace([RLM, LRM, FSI, PDI], ""))
            .collect();
        let at = lines
            .iter()
            .position(|l| l.starts_with(&format!("  {head} (")))
            .unwrap_or_else(|| panic!("no list of {head}\n{text}"));
        // The list and the lines it wraps onto (indented further).
        let mut list = lines[at].clone();
        for l in lines[at + 1..].iter().take_while(|l| l.starts_with("    ")) {
            list.push(' ');
            list.push_str(l.trim());
        }
        list
    };
    let ar = submitted(Lang::Ar, &piped_report(d.path(), "ar", "400", &[]));
    let en = submitted(Lang::En, &piped_report(d.path(), "en", "400", &[]));
    // The names of the class that submitted, joined by the comma of the language: one comma
    // fewer than names on the line.
    let named = |line: &str| NAMES.iter().filter(|n| line.contains(*n)).count();
    assert!(named(&ar) >= 30, "{ar}");
    assert_eq!(ar.matches("، ").count(), named(&ar) - 1, "{ar}");
    assert!(!ar.contains(','), "{ar}");
    assert_eq!(en.matches(", ").count(), named(&en) - 1, "{en}");
    let (html, err, code) = crate::class::run(tq_in(d.path(), "ar").args([
        "report",
        "--exam",
        "final-assessment",
        "--format",
        "html",
    ]));
    assert_eq!(code, 0, "{err}");
    let line = html
        .lines()
        .find(|l| l.contains(template(Lang::Ar, K::StSubmitted)))
        .unwrap_or_else(|| panic!("no list in the page"));
    assert!(line.contains("، "), "{line}");
    assert!(!line.contains(", "), "{line}");
}
