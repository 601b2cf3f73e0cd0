//! The report as aligned plain text, as CSV and as JSON.

use super::export::{csv_string, rfc3339_utc, safe_cell};
use super::layout::{Marks, NUM, Page, Plain, TEXT, Typeset, WORD};
use super::{ItemStats, Report};
use crate::diag::escape_for_terminal;
use crate::messages::{K, template};
use crate::text::Lang;
use std::collections::BTreeSet;

/// A number with `dec` decimals, never `-0.0`: every number of the text and HTML reports is
/// written here.
pub(super) fn num(v: f64, dec: usize) -> String {
    let s = format!("{v:.dec$}");
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_owned(),
        _ => s,
    }
}

fn opt(v: Option<f64>, dec: usize) -> String {
    v.map_or_else(String::new, |v| num(v, dec))
}

pub(super) fn opt_dash(v: Option<f64>, dec: usize) -> String {
    v.map_or_else(|| "-".to_owned(), |v| num(v, dec))
}

/// Why a trainee did not pass, in words: below the overall pass mark, and each topic below its
/// own (empty when passed).
pub(super) fn failed_words(t: &super::TraineeRow, lang: Lang) -> Vec<String> {
    let word = |k: K| crate::messages::template(lang, k).to_owned();
    t.failed_on
        .iter()
        .map(|w| match w.strip_prefix("topic:") {
            // A topic by its title in the report's language (a topic the catalogue does not
            // name, by its id).
            Some(topic) => cell(&crate::messages::topic_name(lang, topic)),
            None if w == "overall" => word(K::FailOverall),
            None => word(K::FailTopic),
        })
        .collect()
}

/// The catalogue entry of a standing.
pub(super) fn status_key(s: super::status::Standing) -> K {
    match s {
        super::status::Standing::Submitted => K::StSubmitted,
        super::status::Standing::TimedOut => K::StTimedOut,
        super::status::Standing::InProgress => K::StInProgress,
        super::status::Standing::Abandoned => K::StAbandoned,
        super::status::Standing::RecordMissing => K::StRecordMissing,
        super::status::Standing::Flagged => K::StFlagged,
    }
}

/// Items joined with the language's list separator ("a, b" in English, "a، b" in Arabic).
pub(super) fn comma_list(lang: Lang, items: Vec<String>) -> String {
    items
        .into_iter()
        .reduce(|a, b| crate::messages::fill(template(lang, K::ListSep), &[a, b]))
        .unwrap_or_default()
}

/// "yes", or "no" and why: below the overall pass mark, and each topic below its own (by
/// title, joined with the language's comma).
fn passed_cell(t: &super::TraineeRow, lang: Lang) -> String {
    let word = |k: K| crate::messages::template(lang, k).to_owned();
    if t.passed {
        return word(K::Yes);
    }
    let why = comma_list(lang, failed_words(t, lang));
    format!("{} ({why})", word(K::No))
}

/// Untrusted text for one table cell: no control or bidi-override characters, no line breaks.
fn cell(s: &str) -> String {
    escape_for_terminal(s)
        .replace('\n', "\\n")
        .replace('\t', " ")
}

pub(super) fn duration(secs: i64) -> String {
    let s = secs.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

pub(super) fn band(i: usize) -> String {
    format!("{}-{}", i * 10, i * 10 + 10)
}

pub(super) fn topics_of(report: &Report) -> Vec<String> {
    let set: BTreeSet<&String> = report
        .trainees
        .iter()
        .flat_map(|t| t.by_topic.keys())
        .collect();
    set.into_iter().cloned().collect()
}

fn flags_text(it: &ItemStats) -> String {
    flag_list(&it.flags)
}

fn flag_list(flags: &[super::Flag]) -> String {
    flags
        .iter()
        .map(|f| f.text())
        .collect::<Vec<_>>()
        .join("; ")
}

fn flag_list_in(flags: &[super::Flag], lang: Lang) -> String {
    use super::Flag;
    flags
        .iter()
        .map(|f| {
            template(
                lang,
                match f {
                    Flag::NegativeDiscrimination => K::FlagNegDisc,
                    Flag::TooHard => K::FlagTooHard,
                    Flag::TooEasy => K::FlagTooEasy,
                    Flag::ChangedOrMissing => K::FlagChanged,
                },
            )
            .to_owned()
        })
        .reduce(|a, b| crate::messages::fill(template(lang, K::ReasonSep), &[a, b]))
        .unwrap_or_default()
}

/// One figure of an item, as its column shows it.
pub(super) enum FigureValue {
    /// A count (attempts, blanks).
    Count(usize),
    /// Points (CSV only).
    Points(f64),
    /// A percentage or an index ×100; `None` when undefined.
    Share(Option<f64>),
}

/// A figure column of the item and slot tables.
pub(super) struct FigureColumn {
    /// Its name in CSV.
    pub csv: &'static str,
    /// Its header in full, in short, and the legend line of the short one; `None`: a column of
    /// the CSV only.
    pub heads: Option<(K, K, K)>,
    /// The blanks: only questions have them (not the slots of random papers).
    pub blank: bool,
    /// The figure of one item.
    pub value: fn(&super::Figures) -> FigureValue,
}

/// The figure columns of every item and slot table (text, HTML and CSV), in order.
pub(super) const FIGURE_COLUMNS: [FigureColumn; 8] = [
    FigureColumn {
        csv: "attempts",
        heads: Some((K::HN, K::HNShort, K::LegN)),
        blank: false,
        value: |f| FigureValue::Count(f.attempts),
    },
    FigureColumn {
        csv: "blank",
        heads: Some((K::HBlank, K::HBlankShort, K::LegBlank)),
        blank: true,
        value: |f| FigureValue::Count(f.blank.unwrap_or(0)),
    },
    FigureColumn {
        csv: "mean_points",
        heads: None,
        blank: false,
        value: |f| FigureValue::Points(f.mean_points),
    },
    FigureColumn {
        csv: "max",
        heads: None,
        blank: false,
        value: |f| FigureValue::Points(f.max),
    },
    FigureColumn {
        csv: "facility",
        heads: Some((K::HFacility, K::HFacilityShort, K::LegFacility)),
        blank: false,
        value: |f| FigureValue::Share(f.facility),
    },
    FigureColumn {
        csv: "sd",
        heads: Some((K::HSd, K::HSdShort, K::LegSd)),
        blank: false,
        value: |f| FigureValue::Share(f.sd),
    },
    FigureColumn {
        csv: "discrimination",
        heads: Some((K::HDiscr, K::HDiscrShort, K::LegDiscr)),
        blank: false,
        value: |f| FigureValue::Share(f.discrimination),
    },
    FigureColumn {
        csv: "efficiency",
        heads: Some((K::HEffic, K::HEfficShort, K::LegEffic)),
        blank: false,
        value: |f| FigureValue::Share(f.efficiency),
    },
];

/// The figure columns of a table (`with_blank`: of questions), with their headers; those of
/// the text and HTML tables when `shown`, else those of CSV.
pub(super) fn figure_columns(
    with_blank: bool,
    shown: bool,
) -> impl Iterator<Item = &'static FigureColumn> {
    FIGURE_COLUMNS
        .iter()
        .filter(move |c| (with_blank || !c.blank) && (!shown || c.heads.is_some()))
}

impl FigureValue {
    /// As the text and HTML tables show it: one decimal, "-" when undefined.
    pub(super) fn shown(&self) -> String {
        match self {
            FigureValue::Count(n) => n.to_string(),
            FigureValue::Points(v) => num(*v, 1),
            FigureValue::Share(v) => opt_dash(*v, 1),
        }
    }

    /// As CSV has it: two decimals, empty when undefined.
    fn csv(&self) -> String {
        match self {
            FigureValue::Count(n) => n.to_string(),
            FigureValue::Points(v) => num(*v, 2),
            FigureValue::Share(v) => opt(*v, 2),
        }
    }
}

/// One row of the item analysis: its three leading cells (question, topic, type; or slot,
/// topic, questions), figures and flags.
struct FigureRow<'r> {
    lead: [String; 3],
    figures: &'r super::Figures,
    flags: &'r [super::Flag],
}

/// What an item table shows, for its legend.
#[derive(Default)]
struct Shown {
    /// The legend lines of the short headers shown.
    legend: Vec<K>,
    /// The flags shown in short.
    flags: BTreeSet<u8>,
    /// Whether a cell was cut with "…".
    cut: bool,
}

/// The order of the legend of the short headers.
const LEGEND_ORDER: [K; 9] = [
    K::LegQuestion,
    K::LegSlotQuestions,
    K::LegTopic,
    K::LegN,
    K::LegBlank,
    K::LegFacility,
    K::LegSd,
    K::LegDiscr,
    K::LegEffic,
];

/// The short flag codes in the order of the legend.
const FLAG_LEGEND: [(super::Flag, K); 4] = [
    (super::Flag::NegativeDiscrimination, K::LegFlagNeg),
    (super::Flag::TooHard, K::LegFlagHard),
    (super::Flag::TooEasy, K::LegFlagEasy),
    (super::Flag::ChangedOrMissing, K::LegFlagChanged),
];

fn flag_rank(f: super::Flag) -> u8 {
    FLAG_LEGEND
        .iter()
        .position(|(g, _)| *g == f)
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(0)
}

/// The item analysis table of `rows` under the headers `lead` for its three leading columns
/// (each in full, in short, and the legend line of the short one), with the blanks column when
/// `with_blank` (questions).
/// The full table is used when it fits the page, its headers wrapped at their spaces if need
/// be; else it is abbreviated rather than split: short headers, short flags, ids and topics cut
/// with "…". What it showed in short is added to `shown`, for the legend.
fn figures_table(
    page: &mut Page<'_>,
    lead: &[(K, K, K); 3],
    rows: &[FigureRow<'_>],
    with_blank: bool,
    lang: Lang,
    nd: &dyn Fn(String) -> String,
    shown: &mut Shown,
) {
    use super::layout::CLIP;
    let columns: Vec<&FigureColumn> = figure_columns(with_blank, true).collect();
    let build = |short: bool| -> (Vec<String>, Vec<Vec<String>>) {
        let t = |long: K, brief: K| template(lang, if short { brief } else { long }).to_owned();
        let mut heads: Vec<String> = lead
            .iter()
            .map(|(long, brief, _)| t(*long, *brief))
            .collect();
        heads.extend(
            columns
                .iter()
                .filter_map(|c| c.heads.map(|(long, brief, _)| t(long, brief))),
        );
        heads.push(template(lang, K::HFlags).to_owned());
        let body = rows
            .iter()
            .map(|r| {
                let mut row: Vec<String> = r.lead.to_vec();
                row.extend(columns.iter().map(|c| nd((c.value)(r.figures).shown())));
                row.push(if short {
                    flag_codes_in(r.flags, lang)
                } else {
                    flag_list_in(r.flags, lang)
                });
                row
            })
            .collect();
        (heads, body)
    };
    let (heads, body) = build(false);
    let short = !page.fits_wrapping_headers(&heads, &body, heads.len());
    let (heads, body) = if short { build(true) } else { (heads, body) };
    // The question (slot) and topic are cut in the short form; the type (or count) never.
    let mut cols = if short {
        vec![CLIP, CLIP, WORD]
    } else {
        vec![TEXT, TEXT, WORD]
    };
    cols.extend(columns.iter().map(|_| NUM));
    cols.push(TEXT);
    page.cut = false;
    page.table(&heads, &body, &cols, 1);
    if !short {
        return;
    }
    shown.cut |= page.cut;
    // The legend lines of the short headers that differ from the full ones, in the order of
    // the columns.
    let differs = |long: K, brief: K| template(lang, long) != template(lang, brief);
    let mut legend: Vec<K> = lead
        .iter()
        .filter(|(long, brief, _)| differs(*long, *brief))
        .map(|(_, _, l)| *l)
        .collect();
    legend.extend(columns.iter().filter_map(|c| {
        c.heads
            .filter(|(long, brief, _)| differs(*long, *brief))
            .map(|(_, _, l)| l)
    }));
    for k in legend {
        if !shown.legend.contains(&k) {
            shown.legend.push(k);
        }
    }
    // In the order of the columns, the slots' count after the question.
    shown
        .legend
        .sort_by_key(|k| LEGEND_ORDER.iter().position(|o| o == k));
    shown.flags.extend(
        rows.iter()
            .flat_map(|r| r.flags.iter().map(|f| flag_rank(*f))),
    );
}

/// The legend of the short item tables: only what they showed.
fn short_legend(shown: &Shown, lang: Lang) -> Option<String> {
    let join = |k: K, parts: Vec<String>| {
        parts
            .into_iter()
            .reduce(|a, b| crate::messages::fill(template(lang, k), &[a, b]))
    };
    let mut lines = Vec::new();
    if let Some(heads) = join(
        K::LegSep,
        shown
            .legend
            .iter()
            .map(|k| template(lang, *k).to_owned())
            .collect(),
    ) {
        lines.push(format!("  {heads}."));
    }
    let flags: Vec<String> = FLAG_LEGEND
        .iter()
        .enumerate()
        .filter(|(i, _)| u8::try_from(*i).is_ok_and(|i| shown.flags.contains(&i)))
        .map(|(_, (_, k))| template(lang, *k).to_owned())
        .collect();
    let mut last: Vec<String> = Vec::new();
    if let Some(flags) = join(K::ListSep, flags) {
        last.push(crate::messages::fill(template(lang, K::LegFlags), &[flags]));
    }
    if shown.cut {
        last.push(template(lang, K::LegCut).to_owned());
    }
    if !last.is_empty() {
        lines.push(format!("  {}", last.join(" ")));
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// The flags as the short codes of the abbreviated item table.
fn flag_codes_in(flags: &[super::Flag], lang: Lang) -> String {
    use super::Flag;
    flags
        .iter()
        .map(|f| {
            template(
                lang,
                match f {
                    Flag::NegativeDiscrimination => K::FlagNegDiscShort,
                    Flag::TooHard => K::FlagTooHardShort,
                    Flag::TooEasy => K::FlagTooEasyShort,
                    Flag::ChangedOrMissing => K::FlagChangedShort,
                },
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The trainees table on a page too narrow for the full one, one line per trainee: names and
/// units cut with "…" (the names less), no points (the percentage stays) and no times, tries
/// only when someone tried more than once, topics under codes (T1, T2, …) with their integer percentages, and a "*" on each
/// figure below its pass mark (the percentage, or a topic's own); the codes and marks are
/// explained under the table, and the width of a page that holds the full one (`full`).
fn narrow_trainees(
    page: &mut Page<'_>,
    report: &Report,
    topics: &[String],
    full: usize,
    lang: Lang,
    nd: &dyn Fn(String) -> String,
) {
    use super::layout::CLIP;
    let t_ = |k: K| template(lang, k).to_owned();
    let f_ = |k: K, v: &[String]| crate::messages::fill(template(lang, k), v);
    let with_units = !report.summary.units.is_empty();
    let with_tries = report.trainees.iter().any(|t| t.attempts > 1);
    let code = |i: usize| nd(f_(K::TopicCode, &[(i + 1).to_string()]));
    let mut headers = vec![t_(K::HTrainee)];
    let mut cols = vec![CLIP];
    if with_units {
        headers.push(t_(K::HUnit));
        cols.push(CLIP);
    }
    headers.extend(["%".to_owned(), t_(K::HPassed)]);
    cols.extend([NUM, WORD]);
    if with_tries {
        headers.push(t_(K::HTries));
        cols.push(NUM);
    }
    headers.extend((0..topics.len()).map(code));
    cols.extend(topics.iter().map(|_| NUM));
    let mark = |below: bool| if below { "*" } else { "" };
    let rows: Vec<Vec<String>> = report
        .trainees
        .iter()
        .map(|t| {
            let below = |w: &str| t.failed_on.iter().any(|f| f == w);
            let mut r = vec![cell(&t.trainee)];
            if with_units {
                r.push(t.unit.as_deref().map(cell).unwrap_or_default());
            }
            r.extend([
                nd(format!("{}{}", num(t.percent, 1), mark(below("overall")))),
                t_(if t.passed { K::Yes } else { K::No }),
            ]);
            if with_tries {
                r.push(nd(t.attempts.to_string()));
            }
            r.extend(topics.iter().map(|tp| {
                t.by_topic.get(tp).map_or_else(
                    || "-".to_owned(),
                    |p| {
                        nd(format!(
                            "{}{}",
                            num(*p, 0),
                            mark(below(&format!("topic:{tp}")))
                        ))
                    },
                )
            }));
            r
        })
        .collect();
    page.cut = false;
    page.table(&headers, &rows, &cols, 1);
    let names: Vec<String> = topics
        .iter()
        .enumerate()
        .map(|(i, tp)| {
            f_(
                K::TopicKey,
                &[code(i), cell(&crate::messages::topic_name(lang, tp))],
            )
        })
        .collect();
    let mut key = vec![f_(K::LegTopicCodes, &[comma_list(lang, names)])];
    if report.trainees.iter().any(|t| !t.passed) {
        key.push(t_(K::LegBelowMark));
    }
    key.push(f_(
        if page.cut {
            K::LegNarrowTraineesCut
        } else {
            K::LegNarrowTrainees
        },
        &[nd(full.to_string())],
    ));
    page.blank();
    page.para(&format!("  {}", key.join(" ")), 2);
}

/// How the text report is laid out.
#[derive(Clone, Copy)]
pub struct TextOptions<'a> {
    /// Language of the labels.
    pub lang: Lang,
    /// Width of the page in cells (lines are never wider, tables wrap or split to fit).
    pub width: usize,
    /// With the choices picked per question (distractor analysis).
    pub details: bool,
    /// How text is measured and ordered ([`Plain`]: logical order).
    pub typeset: &'a dyn Typeset,
    /// Digits of the numbers the report writes (Arabic-Indic only in Arabic); the names, ids
    /// and reasons keep theirs.
    pub digits: crate::text::Digits,
    /// Bidi marks for a reader that lays text out by direction itself (a terminal with its own
    /// bidi, an editor, a pipe): in Arabic every line starts with RLM and every table cell is
    /// an isolate, so that tables read from the right with every column over its header; in
    /// English a line that holds Arabic starts with LRM and its cells are isolates. Only with
    /// a typeset in logical order ([`Plain`]); one that reorders itself gets none.
    pub marks: bool,
}

impl TextOptions<'static> {
    /// Logical order, `width` cells, without details.
    #[must_use]
    pub fn plain(lang: Lang, width: usize) -> TextOptions<'static> {
        TextOptions {
            lang,
            width,
            details: false,
            typeset: &Plain,
            digits: crate::text::Digits::Western,
            marks: true,
        }
    }
}

/// The report as aligned plain-text tables, in English, 100 columns wide, with the choices
/// picked. Untrusted text (names, ids, reasons) is escaped.
#[must_use]
pub fn render_table(report: &Report) -> String {
    render_table_in(report, Lang::En)
}

/// [`render_table`] in `lang`.
#[must_use]
pub fn render_table_in(report: &Report, lang: Lang) -> String {
    render_text(
        report,
        &TextOptions {
            details: true,
            ..TextOptions::plain(lang, 100)
        },
    )
}

/// The report as plain text laid out for a page `opts.width` cells wide. Untrusted text
/// (names, ids, reasons) is escaped; reasons of unreadable files stay as the store gives them.
#[must_use]
pub fn render_text(report: &Report, opts: &TextOptions<'_>) -> String {
    let lang = opts.lang;
    let t_ = |k: K| template(lang, k);
    let f_ = |k: K, v: &[String]| crate::messages::fill(template(lang, k), v);
    // Every number the report writes goes through `nd`: in the digits of the run.
    let digits = opts.digits.for_lang(lang);
    let nd = |s: String| digits.write(&s).into_owned();
    let marks = match (opts.marks, lang.is_rtl()) {
        (false, _) => Marks::None,
        (true, true) => Marks::Rtl,
        (true, false) => Marks::Ltr,
    };
    let mut page = Page::new(opts.typeset, opts.width).with_marks(marks);
    let title = report
        .exam_title
        .as_deref()
        .map(|t| {
            cell(&crate::messages::exam_title(
                lang,
                report.exam_id.as_deref().unwrap_or_default(),
                t,
            ))
        })
        .unwrap_or_default();
    page.para(
        &match &report.exam_id {
            Some(id) if title.is_empty() => f_(K::ClassReport, &[cell(id)]),
            Some(id) => f_(K::ClassReportTitled, &[cell(id), title]),
            None => t_(K::ClassReportNone).to_owned(),
        },
        2,
    );
    let which = match report.which {
        super::Which::First => K::WhichFirst,
        super::Which::Best => K::WhichBest,
        super::Which::Last => K::WhichLast,
    };
    page.para(
        &f_(
            K::ReportCounts,
            &[
                nd(report.summary.n.to_string()),
                nd(report.records.to_string()),
                t_(which).to_owned(),
            ],
        ),
        2,
    );
    let others: Vec<String> = report
        .exams
        .iter()
        .filter(|e| Some(&e.exam_id) != report.exam_id.as_ref())
        .map(|e| format!("{} ({})", cell(&e.exam_id), nd(e.records.to_string())))
        .collect();
    if !others.is_empty() {
        page.para(&f_(K::OtherExams, &[comma_list(lang, others)]), 2);
    }
    if !report.bad.is_empty() {
        page.blank();
        page.para(&f_(K::BadFiles, &[nd(report.bad.len().to_string())]), 2);
        for b in &report.bad {
            let line = if b.trainee.is_empty() {
                format!("  {}: {}", cell(&b.file), cell(&b.reason.render(lang)))
            } else {
                format!(
                    "  {} ({}): {}",
                    cell(&b.trainee),
                    cell(&b.file),
                    cell(&b.reason.render(lang))
                )
            };
            page.para(&line, 2);
        }
    }
    let lists = report.status.lists();
    if lists.iter().any(|(_, names)| !names.is_empty()) {
        page.blank();
        page.para(t_(K::SecStanding), 0);
        for (standing, names) in lists {
            let k = status_key(standing);
            // Attempts without a record are shown with their start ("started at 07:02").
            let starts = report.status.starts(standing);
            let shown: Vec<String> = if starts.is_empty() {
                names.iter().map(|n| cell(n)).collect()
            } else {
                starts
                    .iter()
                    .map(|(n, t)| {
                        let hhmm: String =
                            super::rfc3339_utc(*t).chars().skip(11).take(5).collect();
                        f_(K::StStartedNoRecord, &[cell(n), nd(hhmm)])
                    })
                    .collect()
            };
            page.para(
                &format!(
                    "  {} ({}): {}",
                    t_(k),
                    nd(shown.len().to_string()),
                    if shown.is_empty() {
                        "-".to_owned()
                    } else {
                        comma_list(lang, shown)
                    }
                ),
                2,
            );
        }
        if !report.status.started_twice.is_empty() {
            let shown: Vec<String> = report
                .status
                .started_twice
                .iter()
                .map(|n| cell(n))
                .collect();
            page.para(
                &format!(
                    "  {} ({}): {}",
                    t_(K::StStartedTwice),
                    nd(shown.len().to_string()),
                    comma_list(lang, shown)
                ),
                2,
            );
        }
    }

    // Trainees: name, unit, score, passed (and why not), time, tries, then the topics; on a
    // page too narrow for that, the short table.
    let topics = topics_of(report);
    page.blank();
    page.para(t_(K::SecTrainees), 0);
    let mut headers: Vec<String> = [
        t_(K::HTrainee),
        t_(K::HScore),
        "%",
        t_(K::HPassed),
        t_(K::HTime),
        t_(K::HTries),
    ]
    .map(str::to_owned)
    .to_vec();
    let with_units = !report.summary.units.is_empty();
    if with_units {
        headers.insert(1, t_(K::HUnit).to_owned());
    }
    headers.extend(topics.iter().map(|t| f_(K::TopicPercent, &[cell(t)])));
    let mut cols = vec![TEXT, NUM, NUM, TEXT, NUM, NUM];
    if with_units {
        cols.insert(1, TEXT);
    }
    cols.extend(topics.iter().map(|_| NUM));
    let rows: Vec<Vec<String>> = report
        .trainees
        .iter()
        .map(|t| {
            let mut r = vec![
                cell(&t.trainee),
                nd(format!("{}/{}", num(t.score, 2), num(t.max, 2))),
                nd(num(t.percent, 1)),
                passed_cell(t, lang),
                nd(duration(t.seconds)),
                nd(t.attempts.to_string()),
            ];
            if with_units {
                r.insert(1, t.unit.as_deref().map(cell).unwrap_or_default());
            }
            r.extend(topics.iter().map(|tp| {
                t.by_topic
                    .get(tp)
                    .map_or_else(|| "-".to_owned(), |p| nd(num(*p, 1)))
            }));
            r
        })
        .collect();
    let full = page.width_wrapping_headers(&headers, &rows, headers.len());
    if full <= page.width {
        page.table(&headers, &rows, &cols, 1);
    } else {
        narrow_trainees(&mut page, report, &topics, full, lang, &nd);
    }

    // Summary.
    let s = &report.summary;
    page.blank();
    page.para(t_(K::SecSummary), 0);
    let pairs: Vec<Vec<String>> = [
        (t_(K::SecTrainees), nd(s.n.to_string())),
        (t_(K::SMean), nd(opt_dash(s.mean, 1))),
        (t_(K::SMedian), nd(opt_dash(s.median, 1))),
        (t_(K::SSd), nd(opt_dash(s.sd, 1))),
        (t_(K::SLowest), nd(opt_dash(s.min, 1))),
        (t_(K::SHighest), nd(opt_dash(s.max, 1))),
        (
            t_(K::SPassRate),
            f_(
                K::PassRateValue,
                &[
                    nd(opt_dash(s.pass_rate, 1)),
                    nd(s.passed.to_string()),
                    nd(s.n.to_string()),
                ],
            ),
        ),
    ]
    .into_iter()
    .map(|(k, v)| vec![k.to_owned(), v])
    .collect();
    page.table(&[], &pairs, &[TEXT, TEXT], 1);
    if !s.topics.is_empty() {
        page.blank();
        page.para(t_(K::SecTopicMeans), 0);
        let rows: Vec<Vec<String>> = s
            .topics
            .iter()
            .map(|t| vec![cell(&t.topic), nd(t.n.to_string()), nd(num(t.mean, 1))])
            .collect();
        let headers = [t_(K::HTopic), t_(K::SecTrainees), t_(K::HMeanPercent)].map(str::to_owned);
        page.table(&headers, &rows, &[TEXT, NUM, NUM], 1);
    }
    if with_units {
        page.blank();
        page.para(t_(K::SecUnits), 0);
        let headers = [
            t_(K::HUnit),
            t_(K::SecTrainees),
            t_(K::HMeanPercent),
            t_(K::HPassed),
            t_(K::HWeakest),
        ]
        .map(str::to_owned);
        let rows: Vec<Vec<String>> = s
            .units
            .iter()
            .map(|u| {
                vec![
                    u.unit
                        .as_deref()
                        .map_or_else(|| t_(K::NoUnit).to_owned(), cell),
                    nd(u.n.to_string()),
                    nd(num(u.mean, 1)),
                    nd(f_(
                        K::UnitPassed,
                        &[u.passed.to_string(), u.n.to_string(), num(u.pass_rate, 0)],
                    )),
                    u.weakest_topic
                        .as_ref()
                        .map(|(t, m)| {
                            let title = crate::messages::topic_name(lang, t);
                            format!("{} ({})", cell(&title), nd(num(*m, 1)))
                        })
                        .unwrap_or_default(),
                ]
            })
            .collect();
        page.table(&headers, &rows, &[TEXT, NUM, NUM, TEXT, TEXT], 1);
    }
    page.blank();
    page.para(t_(K::SecDistribution), 0);
    // Bars of at most 40 marks (less on a narrow page); a non-empty band shows at least one.
    let most = opts.width.saturating_sub(20).clamp(10, 40);
    let top = s.histogram.iter().copied().max().unwrap_or(0).max(1);
    let bars: Vec<Vec<String>> = s
        .histogram
        .iter()
        .enumerate()
        .map(|(i, count)| {
            let marks = if top <= most {
                *count
            } else {
                (count * most).div_ceil(top)
            };
            vec![nd(band(i)), nd(count.to_string()), "#".repeat(marks)]
        })
        .collect();
    page.table(&[], &bars, &[NUM, NUM, WORD], 1);

    // Items, then (random papers) one row per slot (pool, draw), as Moodle shows a random
    // question: one table builder for both.
    page.blank();
    page.para(t_(K::SecQuestions), 0);
    let items: Vec<FigureRow<'_>> = report
        .items
        .iter()
        .map(|it| FigureRow {
            lead: [cell(&it.qid), cell(&it.topic), cell(&it.kind)],
            figures: &it.figures,
            flags: &it.flags,
        })
        .collect();
    let item_heads = [
        (K::HQuestion, K::HQuestionShort, K::LegQuestion),
        (K::HTopic, K::HTopicShort, K::LegTopic),
        (K::HType, K::HType, K::HType),
    ];
    let mut shown = Shown::default();
    figures_table(&mut page, &item_heads, &items, true, lang, &nd, &mut shown);
    if !report.slots.is_empty() {
        page.blank();
        page.para(t_(K::SecSlots), 0);
        let slots: Vec<FigureRow<'_>> = report
            .slots
            .iter()
            .map(|sl| FigureRow {
                lead: [
                    f_(
                        K::SlotLabel,
                        &[nd(sl.pool.to_string()), nd(sl.draw.to_string())],
                    ),
                    sl.topic.as_deref().map_or_else(|| "-".to_owned(), cell),
                    nd(sl.questions.to_string()),
                ],
                figures: &sl.figures,
                flags: &sl.flags,
            })
            .collect();
        let slot_heads = [
            (K::HSlot, K::HSlot, K::HSlot),
            (K::HTopic, K::HTopicShort, K::LegTopic),
            (
                K::HSlotQuestions,
                K::HSlotQuestionsShort,
                K::LegSlotQuestions,
            ),
        ];
        figures_table(&mut page, &slot_heads, &slots, false, lang, &nd, &mut shown);
    }
    // The legend's numbers ("multiplied by 100") are the program's too; the short headers and
    // flags the tables showed, when the page needed them, are explained first.
    if let Some(legend) = short_legend(&shown, lang) {
        page.para(&nd(legend), 2);
    }
    page.para(&nd(t_(K::ItemLegend).to_owned()), 2);

    let with_choices: Vec<&ItemStats> = report
        .items
        .iter()
        .filter(|i| !i.choices.is_empty())
        .collect();
    if opts.details && !with_choices.is_empty() {
        page.blank();
        page.para(t_(K::SecChoices), 0);
        // One row per question: each choice with how many picked it and the share.
        let rows: Vec<Vec<String>> = with_choices
            .iter()
            .map(|it| {
                let picks: Vec<String> = it
                    .choices
                    .iter()
                    .map(|c| {
                        let mark = match c.right {
                            Some(true) => "*",
                            Some(false) => "",
                            None => "?",
                        };
                        format!(
                            "{}{mark} {} ({}%)",
                            c.letter,
                            nd(c.count.to_string()),
                            nd(num(c.percent, 0))
                        )
                    })
                    .collect();
                vec![cell(&it.qid), comma_list(lang, picks)]
            })
            .collect();
        let headers = [t_(K::HQuestion), t_(K::HPicked)].map(str::to_owned);
        page.table(&headers, &rows, &[TEXT, TEXT], 1);
    } else if !with_choices.is_empty() {
        page.para(t_(K::ChoicesHidden), 2);
    }

    let t = &report.test;
    page.blank();
    page.para(t_(K::SecTestStats), 0);
    let alpha_key = match t.basis {
        super::Basis::Slots => K::AlphaSlots,
        super::Basis::Questions => K::Alpha,
    };
    page.para(
        &f_(
            alpha_key,
            &[
                nd(opt_dash(t.alpha, 3)),
                nd(t.items.to_string()),
                nd(t.excluded.to_string()),
            ],
        ),
        4,
    );
    page.para(
        &f_(
            K::TotalsShape,
            &[
                nd(opt_dash(t.mean, 2)),
                nd(opt_dash(t.sd, 2)),
                nd(opt_dash(t.skewness, 3)),
                nd(opt_dash(t.kurtosis, 3)),
            ],
        ),
        4,
    );
    page.para(&f_(K::ErrorRatio, &[nd(opt_dash(t.error_ratio, 1))]), 4);
    page.para(&f_(K::Sem, &[nd(opt_dash(t.sem, 2))]), 4);
    page.para(
        &f_(K::MinFlagN, &[nd(t.min_attempts_for_flags.to_string())]),
        4,
    );
    page.finish()
}

/// The report as CSV: sections `summary`, `trainees`, `items`, `choices`, `bad_records`, `status`, each a
/// line with the section's name, a header row and data rows, separated by a blank line.
/// Numbers have two decimals; an undefined figure is empty.
#[must_use]
pub fn to_csv(report: &Report) -> String {
    csv_tables(report)
        .into_iter()
        // Slots only for random papers.
        .filter(|(name, rows)| *name != "slots" || rows.len() > 1)
        .map(|(name, rows)| {
            let mut all = vec![vec![name.to_owned()]];
            all.extend(rows);
            csv_string(&all)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The tables of the CSV report, by name: [`CSV_TABLES`].
pub const CSV_TABLES: [&str; 9] = [
    "summary",
    "trainees",
    "items",
    "choices",
    "slots",
    "bad_records",
    "status",
    "topics",
    "units",
];

/// One table of the CSV report (a header row, then the data), or `None` for an unknown name.
#[must_use]
pub fn to_csv_table(report: &Report, name: &str) -> Option<String> {
    csv_tables(report)
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, rows)| csv_string(&rows))
}

/// Every table of the CSV report, each a header row and data rows.
fn csv_tables(report: &Report) -> Vec<(&'static str, Vec<Vec<String>>)> {
    let s = &report.summary;
    let t = &report.test;
    let hist: Vec<String> = s.histogram.iter().map(ToString::to_string).collect();
    let summary: Vec<Vec<String>> = vec![
        vec!["key".into(), "value".into()],
        vec![
            "exam_id".into(),
            safe_cell(report.exam_id.as_deref().unwrap_or("")),
        ],
        vec!["which".into(), report.which.name().into()],
        vec!["records".into(), report.records.to_string()],
        vec!["trainees".into(), s.n.to_string()],
        vec!["mean_percent".into(), opt(s.mean, 2)],
        vec!["median_percent".into(), opt(s.median, 2)],
        vec!["sd_percent_sample".into(), opt(s.sd, 2)],
        vec!["min_percent".into(), opt(s.min, 2)],
        vec!["max_percent".into(), opt(s.max, 2)],
        vec!["passed".into(), s.passed.to_string()],
        vec!["pass_rate".into(), opt(s.pass_rate, 2)],
        vec!["histogram_0_to_100_by_10".into(), hist.join(" ")],
        vec![
            "stats_basis".into(),
            match t.basis {
                super::Basis::Slots => "slots",
                super::Basis::Questions => "questions",
            }
            .into(),
        ],
        vec!["alpha".into(), opt(t.alpha, 4)],
        vec!["alpha_items".into(), t.items.to_string()],
        vec!["alpha_excluded_items".into(), t.excluded.to_string()],
        vec!["totals_mean_points".into(), opt(t.mean, 2)],
        vec!["totals_sd_points".into(), opt(t.sd, 2)],
        vec!["skewness".into(), opt(t.skewness, 4)],
        vec!["kurtosis".into(), opt(t.kurtosis, 4)],
        vec!["error_ratio_percent".into(), opt(t.error_ratio, 2)],
        vec!["sem_points".into(), opt(t.sem, 2)],
        vec![
            "min_attempts_for_item_flags".into(),
            t.min_attempts_for_flags.to_string(),
        ],
    ];
    let mut sections = vec![("summary", summary)];

    let topics = topics_of(report);
    let mut trainees: Vec<Vec<String>> = Vec::new();
    let mut h: Vec<String> = [
        "trainee",
        "unit",
        "attempt_id",
        "attempts",
        "started",
        "seconds",
        "score",
        "max",
        "percent",
        "passed",
        "failed_on",
        "end_reason",
    ]
    .map(str::to_owned)
    .to_vec();
    h.extend(topics.iter().map(|tp| safe_cell(&format!("topic:{tp}"))));
    trainees.push(h);
    for r in &report.trainees {
        let mut row = vec![
            safe_cell(&r.trainee),
            safe_cell(r.unit.as_deref().unwrap_or("")),
            safe_cell(&r.attempt_id),
            r.attempts.to_string(),
            rfc3339_utc(r.started_at),
            r.seconds.to_string(),
            num(r.score, 2),
            num(r.max, 2),
            num(r.percent, 2),
            r.passed.to_string(),
            safe_cell(&r.failed_on.join(" ")),
            super::export::end_reason_name(r.end_reason).to_owned(),
        ];
        row.extend(topics.iter().map(|tp| opt(r.by_topic.get(tp).copied(), 2)));
        trainees.push(row);
    }
    sections.push(("trainees", trainees));

    // The figure columns of the CSV tables: questions with their blanks, slots without.
    let figure_heads =
        |with_blank: bool| figure_columns(with_blank, false).map(|c| c.csv.to_owned());
    let figure_row = |f: &super::Figures, with_blank: bool| -> Vec<String> {
        figure_columns(with_blank, false)
            .map(|c| (c.value)(f).csv())
            .collect()
    };
    let mut items: Vec<Vec<String>> = vec![
        ["qid", "topic", "type"]
            .map(str::to_owned)
            .into_iter()
            .chain(figure_heads(true))
            .chain(std::iter::once("flags".to_owned()))
            .collect(),
    ];
    let mut choices: Vec<Vec<String>> = vec![
        ["qid", "index", "letter", "right", "count", "percent"]
            .map(str::to_owned)
            .to_vec(),
    ];
    for it in &report.items {
        items.push(vec![
            safe_cell(&it.qid),
            safe_cell(&it.topic),
            safe_cell(&it.kind),
        ]);
        if let Some(row) = items.last_mut() {
            row.extend(figure_row(&it.figures, true));
            row.push(flags_text(it));
        }
        for c in &it.choices {
            choices.push(vec![
                safe_cell(&it.qid),
                c.index.to_string(),
                c.letter.to_string(),
                c.right.map(|r| r.to_string()).unwrap_or_default(),
                c.count.to_string(),
                num(c.percent, 2),
            ]);
        }
    }
    sections.push(("items", items));
    sections.push(("choices", choices));
    let mut slots: Vec<Vec<String>> = vec![
        ["pool", "draw", "topic", "questions"]
            .map(str::to_owned)
            .into_iter()
            .chain(figure_heads(false))
            .chain(std::iter::once("flags".to_owned()))
            .collect(),
    ];
    for sl in &report.slots {
        slots.push(vec![
            sl.pool.to_string(),
            sl.draw.to_string(),
            sl.topic.as_deref().map(safe_cell).unwrap_or_default(),
            sl.questions.to_string(),
        ]);
        if let Some(row) = slots.last_mut() {
            row.extend(figure_row(&sl.figures, false));
            row.push(flag_list(&sl.flags));
        }
    }
    // Only random papers have slots: the glued CSV has the section only then.
    sections.push(("slots", slots));

    let mut bad: Vec<Vec<String>> = vec![vec![
        "file".into(),
        "trainee".into(),
        "exam_id".into(),
        "reason".into(),
    ]];
    bad.extend(report.bad.iter().map(|b| {
        vec![
            safe_cell(&b.file),
            safe_cell(&b.trainee),
            safe_cell(&b.exam_id),
            safe_cell(&b.reason.en()),
        ]
    }));
    sections.push(("bad_records", bad));
    let mut standing: Vec<Vec<String>> = vec![vec!["status".into(), "trainee".into()]];
    for (st, names) in report.status.lists() {
        standing.extend(
            names
                .iter()
                .map(|n| vec![st.name().to_owned(), safe_cell(n)]),
        );
    }
    standing.extend(
        report
            .status
            .started_twice
            .iter()
            .map(|n| vec!["started-twice".to_owned(), safe_cell(n)]),
    );
    sections.push(("status", standing));
    let mut topic_rows: Vec<Vec<String>> = vec![
        ["topic", "trainees", "mean_percent"]
            .map(str::to_owned)
            .to_vec(),
    ];
    topic_rows.extend(
        s.topics
            .iter()
            .map(|t| vec![safe_cell(&t.topic), t.n.to_string(), num(t.mean, 2)]),
    );
    sections.push(("topics", topic_rows));
    let mut unit_rows: Vec<Vec<String>> = vec![
        [
            "unit",
            "trainees",
            "mean_percent",
            "passed",
            "pass_rate",
            "weakest_topic",
            "weakest_topic_mean_percent",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    unit_rows.extend(s.units.iter().map(|u| {
        vec![
            safe_cell(u.unit.as_deref().unwrap_or("")),
            u.n.to_string(),
            num(u.mean, 2),
            u.passed.to_string(),
            num(u.pass_rate, 2),
            u.weakest_topic
                .as_ref()
                .map(|(t, _)| safe_cell(t))
                .unwrap_or_default(),
            u.weakest_topic
                .as_ref()
                .map(|(_, m)| num(*m, 2))
                .unwrap_or_default(),
        ]
    }));
    sections.push(("units", unit_rows));
    sections
}

/// The whole report as pretty-printed JSON (undefined figures are `null`).
#[must_use]
pub fn to_json(report: &Report) -> String {
    // Every map key is a string and no figure is NaN, so this cannot fail.
    serde_json::to_string_pretty(report).unwrap_or_default()
}
