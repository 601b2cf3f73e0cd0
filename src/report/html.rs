//! The report as one self-contained HTML page to print on A4: no network, no scripts, no
//! external fonts or images; charts are inline SVG. Right to left (`dir="rtl"`) with Arabic
//! labels when the language is Arabic. Every name, id and title from the records is escaped.

use super::render::{failed_words, num, opt_dash, status_key, topics_of};
use super::{Flag, Report};
use crate::messages::{K, fill, template};
use crate::text::Lang;
use std::fmt::Write as _;

/// Text for HTML content and attribute values.
#[must_use]
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Controls (other than line breaks and tabs) have no place in a printed page.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r"
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
html { font-family: 'Noto Naskh Arabic', 'Noto Sans Arabic', 'DejaVu Sans', 'Segoe UI', Tahoma, Arial, sans-serif; font-size: 10pt; color: #111; }
body { margin: 0 auto; max-width: 186mm; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; border-bottom: 1.5px solid #555; padding-bottom: 1mm; break-after: avoid; }
p { margin: 1mm 0; }
.sub { color: #444; }
table { width: 100%; border-collapse: collapse; margin: 1mm 0 3mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.5pt solid #999; padding: 0.8mm 1.4mm; text-align: start; vertical-align: top; overflow-wrap: break-word; }
th { background: #e8e8e8; font-weight: bold; }
td.n, th.n { text-align: end; font-variant-numeric: tabular-nums; }
td.n { white-space: nowrap; }
th { font-size: 9pt; }
.pass { color: #0a5d1a; font-weight: bold; white-space: nowrap; }
.fail { color: #8a1010; font-weight: bold; white-space: nowrap; }
.flag { color: #8a4b00; }
.figures { display: flex; flex-wrap: wrap; gap: 2mm; margin: 2mm 0; }
.figure { border: 0.5pt solid #999; padding: 1.5mm 2.5mm; min-width: 27mm; }
.figure b { display: block; font-size: 13pt; }
.charts { display: flex; flex-wrap: wrap; gap: 4mm; break-inside: avoid; }
.chart { flex: 1 1 85mm; min-width: 0; }
.chart svg { width: 100%; height: auto; direction: ltr; }
ul.names { columns: 3; margin: 1mm 0; padding-inline-start: 6mm; }
ul.names li { break-inside: avoid; }
dl.flags dt { font-weight: bold; margin-top: 1.5mm; }
dl.flags dd { margin-inline-start: 5mm; }
section { break-inside: auto; }
@media screen { body { padding: 8mm; } }
";

/// The report as one HTML page in `lang`, with Western digits.
#[must_use]
pub fn to_html(report: &Report, lang: Lang) -> String {
    to_html_with(report, lang, crate::text::Digits::Western)
}

/// The report as one HTML page in `lang`; the numbers shown on the page (figures, tables,
/// the charts' counts and percentages) in `digits` when `lang` is Arabic. Nothing a program
/// reads is affected (the charts' coordinates stay numbers).
#[must_use]
pub fn to_html_with(report: &Report, lang: Lang, digits: crate::text::Digits) -> String {
    to_html_dated(report, lang, digits, None)
}

/// As [`to_html_with`], with the time the report was made (`made`, ms since the epoch, from the
/// caller's clock: the core reads none) under the title, as a date and a UTC time.
#[must_use]
pub fn to_html_dated(
    report: &Report,
    lang: Lang,
    digits: crate::text::Digits,
    made: Option<crate::quiz::Millis>,
) -> String {
    let digits = digits.for_lang(lang);
    let nd = |s: String| digits.write(&s).into_owned();
    let t = |k: K| escape(template(lang, k));
    let f = |k: K, v: &[String]| escape(&fill(template(lang, k), v));
    let mut o = String::new();
    let dir = if lang.is_rtl() { "rtl" } else { "ltr" };
    let title = match (&report.exam_id, &report.exam_title) {
        (Some(id), Some(title)) if !title.is_empty() => fill(
            template(lang, K::ClassReportTitled),
            &[id.clone(), crate::messages::exam_title(lang, id, title)],
        ),
        (Some(id), _) => fill(template(lang, K::ClassReport), std::slice::from_ref(id)),
        (None, _) => template(lang, K::ClassReportNone).to_owned(),
    };
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        lang.code(),
        escape(&title)
    );
    let _ = writeln!(o, "<h1>{}</h1>", escape(&title));
    let which = match report.which {
        super::Which::First => K::WhichFirst,
        super::Which::Best => K::WhichBest,
        super::Which::Last => K::WhichLast,
    };
    let _ = writeln!(
        o,
        "<p class=\"sub\">{}</p>",
        f(
            K::ReportCounts,
            &[
                nd(report.summary.n.to_string()),
                nd(report.records.to_string()),
                template(lang, which).to_owned()
            ]
        )
    );
    if let Some(ms) = made {
        // 2026-12-07T02:40:15.123Z as "2026-12-07 02:40 UTC".
        let iso = super::export::rfc3339_utc(ms);
        let when = format!("{} {} UTC", &iso[..10], &iso[11..16]);
        // Isolated left to right, so that an Arabic page does not reorder its parts.
        let when = format!("<bdi dir=\"ltr\">{}</bdi>", escape(&nd(when)));
        let _ = writeln!(
            o,
            "<p class=\"sub\">{}</p>",
            f(K::HtmlMadeOn, &["\u{E000}".to_owned()]).replace('\u{E000}', &when)
        );
    }

    // Summary figures.
    let s = &report.summary;
    let _ = writeln!(o, "<h2>{}</h2>\n<div class=\"figures\">", t(K::SecSummary));
    for (k, v) in [
        (K::SecTrainees, nd(s.n.to_string())),
        (K::SMean, nd(opt_dash(s.mean, 1))),
        (K::SMedian, nd(opt_dash(s.median, 1))),
        (K::SSd, nd(opt_dash(s.sd, 1))),
        (K::SLowest, nd(opt_dash(s.min, 1))),
        (K::SHighest, nd(opt_dash(s.max, 1))),
        (
            K::SPassRate,
            fill(
                template(lang, K::PassRateValue),
                &[
                    nd(opt_dash(s.pass_rate, 1)),
                    nd(s.passed.to_string()),
                    nd(s.n.to_string()),
                ],
            ),
        ),
    ] {
        let _ = writeln!(
            o,
            "<div class=\"figure\">{}<b>{}</b></div>",
            t(k),
            escape(&v)
        );
    }
    o.push_str("</div>\n");

    // Charts: the score histogram and the topic means.
    o.push_str("<div class=\"charts\">\n");
    let _ = writeln!(
        o,
        "<div class=\"chart\"><h2>{}</h2>{}</div>",
        t(K::SecDistribution),
        histogram_svg(&s.histogram, &nd)
    );
    if !s.topics.is_empty() {
        // Each bar named by the topic's title in the report's language, as the tables name it.
        let bars: Vec<(String, f64)> = s
            .topics
            .iter()
            .map(|x| (crate::messages::topic_name(lang, &x.topic), x.mean))
            .collect();
        let _ = writeln!(
            o,
            "<div class=\"chart\"><h2>{}</h2>{}</div>",
            t(K::SecTopicMeans),
            topic_svg(&bars, &nd)
        );
    }
    o.push_str("</div>\n");

    // By unit (department).
    if !s.units.is_empty() {
        let _ = writeln!(
            o,
            "<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th>\
             <th class=\"n\">{}</th><th>{}</th></tr></thead>\n<tbody>",
            t(K::SecUnits),
            t(K::HUnit),
            t(K::SecTrainees),
            t(K::HMeanPercent),
            t(K::HPassed),
            t(K::HWeakest)
        );
        for u in &s.units {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                u.unit.as_deref().map_or_else(|| t(K::NoUnit), escape),
                nd(u.n.to_string()),
                nd(num(u.mean, 1)),
                nd(f(
                    K::UnitPassed,
                    &[u.passed.to_string(), u.n.to_string(), num(u.pass_rate, 0)]
                )),
                u.weakest_topic
                    .as_ref()
                    .map(|(tp, m)| format!(
                        "{} ({})",
                        escape(&crate::messages::topic_name(lang, tp)),
                        nd(num(*m, 1))
                    ))
                    .unwrap_or_default()
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }

    // Who passed, for the certificates.
    let passed: Vec<&super::TraineeRow> = report.trainees.iter().filter(|r| r.passed).collect();
    let _ = writeln!(
        o,
        "<h2>{}</h2>",
        f(K::HtmlPassedList, &[nd(passed.len().to_string())])
    );
    if passed.is_empty() {
        let _ = writeln!(o, "<p>{}</p>", t(K::HtmlNobody));
    } else {
        o.push_str("<ul class=\"names\">\n");
        for r in &passed {
            let _ = writeln!(o, "<li>{}</li>", escape(&r.trainee));
        }
        o.push_str("</ul>\n");
    }

    // Trainees.
    let topics = topics_of(report);
    let with_units = !s.units.is_empty();
    let _ = writeln!(
        o,
        "<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th>{}<th class=\"n\">{}</th><th class=\"n\">%</th>\
         <th>{}</th><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th>",
        t(K::SecTrainees),
        t(K::HTrainee),
        if with_units {
            format!("<th>{}</th>", t(K::HUnit))
        } else {
            String::new()
        },
        t(K::HScore),
        t(K::HtmlResult),
        t(K::HtmlWhy),
        t(K::HTime),
        t(K::HTries)
    );
    o.push_str("</tr></thead>\n<tbody>\n");
    for r in &report.trainees {
        let (class, word) = if r.passed {
            ("pass", t(K::HtmlPass))
        } else {
            ("fail", t(K::HtmlFail))
        };
        let _ = write!(
            o,
            "<tr><td>{}</td>{}<td class=\"n\">{}/{}</td><td class=\"n\">{}</td>\
             <td class=\"{class}\">{word}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
            escape(&r.trainee),
            if with_units {
                format!("<td>{}</td>", escape(r.unit.as_deref().unwrap_or("")))
            } else {
                String::new()
            },
            nd(num(r.score, 2)),
            nd(num(r.max, 2)),
            nd(num(r.percent, 1)),
            escape(
                &failed_words(r, lang)
                    .into_iter()
                    .reduce(|a, b| fill(template(lang, K::ListSep), &[a, b]))
                    .unwrap_or_default()
            ),
            nd(super::render::duration(r.seconds)),
            nd(r.attempts.to_string())
        );
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table>\n");
    let _ = writeln!(o, "<p class=\"sub\">{}</p>", t(K::HtmlTopicNote));
    // Each trainee's percentage per topic, in a table of its own (five topics or so fit a page).
    if !topics.is_empty() {
        let _ = write!(
            o,
            "<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th>",
            t(K::HtmlByTopic),
            t(K::HTrainee)
        );
        for tp in &topics {
            let _ = write!(
                o,
                "<th class=\"n\">{}</th>",
                escape(&crate::messages::topic_name(lang, tp))
            );
        }
        o.push_str("</tr></thead>\n<tbody>\n");
        for r in &report.trainees {
            let _ = write!(o, "<tr><td>{}</td>", escape(&r.trainee));
            for tp in &topics {
                let v = r
                    .by_topic
                    .get(tp)
                    .map_or_else(|| "-".to_owned(), |p| nd(num(*p, 1)));
                let _ = write!(o, "<td class=\"n\">{v}</td>");
            }
            o.push_str("</tr>\n");
        }
        o.push_str("</tbody>\n</table>\n");
    }

    // Where everyone stands.
    let _ = writeln!(o, "<h2>{}</h2>", t(K::SecStanding));
    let lists = report.status.lists();
    if lists.iter().all(|(_, n)| n.is_empty()) {
        // Without the statuses (a report built without them), the trainees are the list.
        let names: Vec<String> = report.trainees.iter().map(|r| escape(&r.trainee)).collect();
        let _ = writeln!(
            o,
            "<p><b>{} ({}):</b> {}</p>",
            t(K::StSubmitted),
            nd(names.len().to_string()),
            super::render::comma_list(lang, names)
        );
    }
    for (standing, names) in lists {
        if names.is_empty() && lists_empty_hidden(standing) {
            continue;
        }
        let shown: Vec<String> = names.iter().map(|n| escape(n)).collect();
        let _ = writeln!(
            o,
            "<p><b>{} ({}):</b> {}</p>",
            t(status_key(standing)),
            nd(names.len().to_string()),
            if shown.is_empty() {
                "-".to_owned()
            } else {
                super::render::comma_list(lang, shown)
            }
        );
    }
    if !report.bad.is_empty() {
        let _ = writeln!(
            o,
            "<p>{}</p>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
            f(K::BadFiles, &[nd(report.bad.len().to_string())]),
            t(K::HTrainee),
            t(K::HtmlFile),
            t(K::HtmlWhy)
        );
        for b in &report.bad {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&b.trainee),
                escape(&b.file),
                escape(&b.reason.render(lang))
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }

    // Items, then (random papers) one row per slot (pool, draw): one table builder for both.
    let _ = writeln!(o, "<h2>{}</h2>", t(K::SecQuestions));
    let items: Vec<HtmlFigureRow<'_>> = report
        .items
        .iter()
        .map(|it| HtmlFigureRow {
            lead: [escape(&it.qid), escape(&it.topic), escape(&it.kind)],
            figures: &it.figures,
            flags: &it.flags,
        })
        .collect();
    figures_table(
        &mut o,
        [K::HQuestion, K::HTopic, K::HType],
        &items,
        true,
        lang,
        &nd,
    );
    if !report.slots.is_empty() {
        let _ = writeln!(o, "<h2>{}</h2>", t(K::SecSlots));
        let slots: Vec<HtmlFigureRow<'_>> = report
            .slots
            .iter()
            .map(|sl| HtmlFigureRow {
                lead: [
                    f(
                        K::SlotLabel,
                        &[nd(sl.pool.to_string()), nd(sl.draw.to_string())],
                    ),
                    sl.topic.as_deref().map_or_else(|| "-".to_owned(), escape),
                    nd(sl.questions.to_string()),
                ],
                figures: &sl.figures,
                flags: &sl.flags,
            })
            .collect();
        figures_table(
            &mut o,
            [K::HSlot, K::HTopic, K::HSlotQuestions],
            &slots,
            false,
            lang,
            &nd,
        );
    }
    // The flags in plain words, and what the columns mean.
    let _ = writeln!(o, "<dl class=\"flags\">");
    for (flag, explain) in [
        (Flag::TooEasy, K::HtmlExplainTooEasy),
        (Flag::TooHard, K::HtmlExplainTooHard),
        (Flag::NegativeDiscrimination, K::HtmlExplainNegDisc),
        (Flag::ChangedOrMissing, K::HtmlExplainChanged),
    ] {
        let count = report
            .items
            .iter()
            .filter(|i| i.flags.contains(&flag))
            .count();
        let _ = writeln!(
            o,
            "<dt>{} ({})</dt><dd>{}</dd>",
            escape(flag_word(flag, lang)),
            nd(count.to_string()),
            // The explanations' numbers ("facility above 90") are the program's too; the
            // digits are changed before escaping, never inside an entity.
            escape(&nd(template(lang, explain).to_owned()))
        );
    }
    o.push_str("</dl>\n");
    for l in template(lang, K::ItemLegend).lines() {
        let _ = writeln!(
            o,
            "<p class=\"sub\">{}</p>",
            escape(&nd(l.trim().to_owned()))
        );
    }
    let _ = writeln!(
        o,
        "<p class=\"sub\">{}</p>",
        f(
            K::MinFlagN,
            &[nd(report.test.min_attempts_for_flags.to_string())]
        )
        .trim()
    );

    // Test statistics.
    let ts = &report.test;
    let _ = writeln!(o, "<h2>{}</h2>", t(K::SecTestStats));
    let alpha_key = match ts.basis {
        super::Basis::Slots => K::AlphaSlots,
        super::Basis::Questions => K::Alpha,
    };
    for line in [
        f(
            alpha_key,
            &[
                nd(opt_dash(ts.alpha, 3)),
                nd(ts.items.to_string()),
                nd(ts.excluded.to_string()),
            ],
        ),
        f(
            K::TotalsShape,
            &[
                nd(opt_dash(ts.mean, 2)),
                nd(opt_dash(ts.sd, 2)),
                nd(opt_dash(ts.skewness, 3)),
                nd(opt_dash(ts.kurtosis, 3)),
            ],
        ),
        f(K::ErrorRatio, &[nd(opt_dash(ts.error_ratio, 1))]),
        f(K::Sem, &[nd(opt_dash(ts.sem, 2))]),
    ] {
        let _ = writeln!(o, "<p>{}</p>", line.trim());
    }
    o.push_str("</body>\n</html>\n");
    o
}

/// One row of the item analysis: its three leading cells (already escaped), figures (with
/// blanks for questions) and flags.
struct HtmlFigureRow<'r> {
    lead: [String; 3],
    figures: &'r super::Figures,
    flags: &'r [Flag],
}

/// The item analysis table of `rows`, under the headers `lead` for the three leading columns.
fn figures_table(
    o: &mut String,
    lead: [K; 3],
    rows: &[HtmlFigureRow<'_>],
    with_blank: bool,
    lang: Lang,
    nd: &dyn Fn(String) -> String,
) {
    let t = |k: K| escape(template(lang, k));
    let columns: Vec<&super::render::FigureColumn> =
        super::render::figure_columns(with_blank, true).collect();
    let _ = write!(
        o,
        "<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th>",
        t(lead[0]),
        t(lead[1]),
        t(lead[2]),
    );
    for (head, _, _) in columns.iter().filter_map(|c| c.heads) {
        let _ = write!(o, "<th class=\"n\">{}</th>", t(head));
    }
    let _ = writeln!(o, "<th>{}</th></tr></thead>\n<tbody>", t(K::HFlags));
    for r in rows {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td>",
            r.lead[0], r.lead[1], r.lead[2],
        );
        for c in &columns {
            let _ = write!(
                o,
                "<td class=\"n\">{}</td>",
                nd((c.value)(r.figures).shown())
            );
        }
        let flags: Vec<String> = r
            .flags
            .iter()
            .map(|x| escape(flag_word(*x, lang)))
            .collect();
        let _ = writeln!(o, "<td class=\"flag\">{}</td></tr>", flags.join("; "));
    }
    o.push_str("</tbody>\n</table>\n");
}

/// Standings that are left out of the page when nobody is in them (a list with names is
/// always shown; submitted is always shown).
fn lists_empty_hidden(s: super::status::Standing) -> bool {
    !matches!(s, super::status::Standing::Submitted)
}

fn flag_word(f: Flag, lang: Lang) -> &'static str {
    template(
        lang,
        match f {
            Flag::NegativeDiscrimination => K::FlagNegDisc,
            Flag::TooHard => K::FlagTooHard,
            Flag::TooEasy => K::FlagTooEasy,
            Flag::ChangedOrMissing => K::FlagChanged,
        },
    )
}

/// Ten bars, one per ten-point band, with the count over each (the shown numbers through
/// `nd`, the page's digits).
fn histogram_svg(h: &[usize; 10], nd: &dyn Fn(String) -> String) -> String {
    let top = h.iter().copied().max().unwrap_or(0).max(1);
    let (w, bh, x0, y0) = (400.0, 150.0, 24.0, 16.0);
    let step = (w - x0 - 8.0) / 10.0;
    let mut o = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {}\" role=\"img\" \
         font-size=\"11\" font-family=\"sans-serif\">",
        y0 + bh + 30.0
    );
    let _ = write!(
        o,
        "<line x1=\"{x0}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333\"/>",
        y0 + bh,
        w - 8.0,
        y0 + bh
    );
    for (i, count) in h.iter().enumerate() {
        let hgt = bh * (*count as f64) / (top as f64);
        let x = x0 + step * i as f64 + 3.0;
        let y = y0 + bh - hgt;
        let _ = write!(
            o,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{hgt:.1}\" fill=\"#3d6fb6\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"9\">{}</text>",
            step - 6.0,
            x + (step - 6.0) / 2.0,
            y - 3.0,
            nd(count.to_string()),
            x + (step - 6.0) / 2.0,
            y0 + bh + 13.0,
            nd(super::render::band(i))
        );
    }
    let _ = write!(
        o,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\">%</text></svg>",
        w / 2.0,
        y0 + bh + 27.0
    );
    o
}

/// One horizontal bar per topic (its class mean, 0–100 %; the shown numbers through `nd`).
fn topic_svg(bars: &[(String, f64)], nd: &dyn Fn(String) -> String) -> String {
    let (w, row, label) = (400.0, 22.0, 130.0);
    let h = row * bars.len() as f64 + 24.0;
    let scale = w - label - 50.0;
    let mut o = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" \
         font-size=\"11\" font-family=\"sans-serif\">"
    );
    for (i, (topic, mean)) in bars.iter().enumerate() {
        let y = 6.0 + row * i as f64;
        let bw = scale * mean.clamp(0.0, 100.0) / 100.0;
        let _ = write!(
            o,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{label}\" y=\"{y:.1}\" width=\"{scale:.1}\" height=\"{:.1}\" fill=\"#e4e4e4\"/>\
             <rect x=\"{label}\" y=\"{y:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"#3d6fb6\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{}%</text>",
            label - 6.0,
            y + 12.0,
            escape(&shorten(topic, 22)),
            row - 6.0,
            row - 6.0,
            label + scale + 4.0,
            y + 12.0,
            nd(num(*mean, 1))
        );
    }
    // The 50 % and 70 % guides.
    for p in [50.0, 70.0] {
        let x = label + scale * p / 100.0;
        let _ = write!(
            o,
            "<line x1=\"{x:.1}\" y1=\"2\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#888\" stroke-dasharray=\"3,3\"/>\
             <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"9\">{}%</text>",
            h - 16.0,
            h - 4.0,
            nd(p.to_string())
        );
    }
    o.push_str("</svg>");
    o
}

fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
        assert_eq!(escape("a\u{1b}b"), "a\u{FFFD}b");
    }
}
