//! Raw exports: one CSV row per attempt, or per response.

use super::held::HeldAttempt;
use crate::quiz::{Millis, Verdict};
use std::borrow::Borrow;

/// A UTC time as RFC 3339 with milliseconds, e.g. `2024-03-01T09:30:00.250Z`.
/// Computed from the days since 1970-01-01 with the proleptic Gregorian calendar (Howard
/// Hinnant's `civil_from_days`), so no date crate is needed.
#[must_use]
pub fn rfc3339_utc(ms: Millis) -> String {
    let secs = ms.div_euclid(1000);
    let milli = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{milli:03}Z",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60
    )
}

/// (year, month, day) of a day number counted from 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // day of era, 0..=146096
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // 0..=399
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // 0..=365, from March 1st
    let mp = (5 * doy + 2) / 153; // 0..=11, March = 0
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A text cell for a spreadsheet: a leading `=`, `+`, `-`, `@`, tab or carriage return would
/// make a spreadsheet read the cell as a formula, so such a cell gets a leading `'`.
pub(crate) fn safe_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// Why an attempt ended, as exports write it.
pub(crate) fn end_reason_name(e: crate::quiz::EndReason) -> &'static str {
    match e {
        crate::quiz::EndReason::Submitted => "submitted",
        crate::quiz::EndReason::TimedOut => "timed-out",
    }
}

/// A number in an export: rounded to [`EXPORT_DECIMALS`] decimal places, trailing zeros dropped,
/// never `-0`.
#[must_use]
pub fn export_num(v: f64) -> String {
    let s = format!("{v:.EXPORT_DECIMALS$}");
    // A value that rounds to zero is written 0, whatever its sign.
    let s = match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_owned(),
        _ => s,
    };
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// Decimal places of the numbers in `export` (scores, points, credit, percentages).
pub const EXPORT_DECIMALS: usize = 6;

pub(crate) fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Right => "right",
        Verdict::Partial => "partial",
        Verdict::Wrong => "wrong",
        Verdict::Blank => "blank",
    }
}

/// Write rows with the `csv` crate into a string.
pub(crate) fn csv_string(rows: &[Vec<String>]) -> String {
    let mut w = csv_writer();
    for r in rows {
        // Writing to memory cannot fail.
        let _ = w.write_record(r);
    }
    csv_text(w)
}

/// A CSV writer into memory, as every CSV of the program is written.
fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv_writer_to(Vec::new())
}

/// A CSV writer as [`csv_writer`] makes it, writing to `out`.
fn csv_writer_to<W: std::io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

/// What a [`csv_writer`] wrote.
fn csv_text(w: csv::Writer<Vec<u8>>) -> String {
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// One row per attempt: `attempt_id, trainee, unit, exam_id, exam_title, started, ended, seconds,
/// score, max, percent, pass_mark, passed, failed_on, end_reason, flags, lang`, then the
/// percentage of each topic (`topic:<id>`, empty when the paper had none of it). Times are
/// RFC 3339 UTC; numbers are rounded to [`EXPORT_DECIMALS`] places ([`export_num`]).
#[must_use]
pub fn export_attempts_csv<R: Borrow<HeldAttempt>>(records: &[R]) -> String {
    export_attempts_csv_with(records, &[], &[])
}

/// [`export_attempts_csv`], then one row for each attempt without a record (in progress,
/// abandoned or record missing: `end_reason` says which; the attempt id when its start marker
/// gives it; no score) and for each flagged record of a named trainee (`end_reason` `flagged`,
/// `flags` says why; no score), so that nobody is missing from the export.
#[must_use]
pub fn export_attempts_csv_with<R: Borrow<HeldAttempt>>(
    records: &[R],
    unrecorded: &[super::status::Unrecorded],
    flagged: &[crate::record::BadRecord],
) -> String {
    let topics: std::collections::BTreeSet<&str> = records
        .iter()
        .flat_map(|r| r.borrow().whole().by_topic.keys())
        .collect();
    let mut head: Vec<String> = [
        "attempt_id",
        "trainee",
        "unit",
        "exam_id",
        "exam_title",
        "started",
        "ended",
        "seconds",
        "score",
        "max",
        "percent",
        "pass_mark",
        "passed",
        "failed_on",
        "end_reason",
        "flags",
        "lang",
    ]
    .map(str::to_owned)
    .to_vec();
    head.extend(topics.iter().map(|t| safe_cell(&format!("topic:{t}"))));
    let width = head.len();
    // Rows are written as they are made (an export may hold tens of thousands).
    let mut w = csv_writer();
    let _ = w.write_record(&head);
    let mut row: Vec<String> = Vec::with_capacity(width);
    for r in records {
        let r = r.borrow();
        row.clear();
        row.extend([
            safe_cell(&r.attempt_id),
            safe_cell(&r.trainee),
            safe_cell(r.whole().unit.as_deref().unwrap_or("")),
            safe_cell(&r.exam_id),
            safe_cell(&r.whole().exam_title),
            rfc3339_utc(r.started_at),
            rfc3339_utc(r.ended_at),
            r.seconds().to_string(),
            export_num(r.score),
            export_num(r.max),
            export_num(r.percent),
            export_num(r.pass_mark),
            r.passed.to_string(),
            safe_cell(&r.failed_on().join(" ")),
            end_reason_name(r.end_reason).to_owned(),
            String::new(),
            r.lang.code().to_owned(),
        ]);
        row.extend(topics.iter().map(|t| {
            r.whole()
                .by_topic
                .get(t)
                .map(|tally| export_num(tally.percent()))
                .unwrap_or_default()
        }));
        let _ = w.write_record(&row);
    }
    let bare = |attempt_id: &str,
                trainee: &str,
                exam_id: &str,
                title: &str,
                started: String,
                end: &str,
                flags: String| {
        let mut row = vec![String::new(); width];
        row[0] = safe_cell(attempt_id);
        row[1] = safe_cell(trainee);
        row[3] = safe_cell(exam_id);
        row[4] = safe_cell(title);
        row[5] = started;
        row[14] = end.to_owned();
        row[15] = flags;
        row
    };
    for u in unrecorded {
        let _ = w.write_record(bare(
            &u.attempt_id,
            &u.trainee,
            &u.exam_id,
            "",
            rfc3339_utc(u.started_at),
            u.standing.name(),
            String::new(),
        ));
    }
    for b in flagged.iter().filter(|b| !b.trainee.is_empty()) {
        let _ = w.write_record(bare(
            "",
            &b.trainee,
            &b.exam_id,
            "",
            String::new(),
            "flagged",
            safe_cell(&b.reason.en()),
        ));
    }
    csv_text(w)
}

/// What a response was, as the trainee saw it: the labels shown (`b`, `a;c`, `true`, the
/// order of the items by their shown letters, the pairs as `1-b;2-a`) and the text (the
/// choices' texts in the attempt's language, the typed answer). Without the question in the
/// loaded banks the labels are the bank's letters and the text is empty.
#[must_use]
pub fn response_as_seen(
    q: &super::held::HeldQuestion,
    lib: &crate::bank::Library,
    lang: crate::text::Lang,
) -> (String, String) {
    use crate::bank::{Kind, letter};
    use crate::quiz::Response;
    let Some((order, r)) = q
        .answer
        .as_deref()
        .and_then(|a| Some((&a.order, a.response.as_ref()?)))
    else {
        return (String::new(), String::new());
    };
    // The letter a file position was shown under (`order[shown] = position in the file`).
    let shown = |i: usize| letter(order.iter().position(|o| *o == i).unwrap_or(i));
    let kind = lib
        .question(q.qid())
        .map(|x| &x.kind)
        .filter(|k| k.name() == q.kind());
    let text_of = |i: usize| -> String {
        match kind {
            Some(Kind::Single { choices, .. } | Kind::Multiple { choices, .. }) => choices
                .get(i)
                .map(|t| t.get(lang).to_owned())
                .unwrap_or_default(),
            Some(Kind::Order { items }) => items
                .get(i)
                .map(|t| t.get(lang).to_owned())
                .unwrap_or_default(),
            _ => String::new(),
        }
    };
    let join = |v: Vec<String>| v.join(" | ");
    match r {
        Response::Choice(c) => (shown(*c).to_string(), text_of(*c)),
        Response::Choices(cs) => {
            let mut cs = cs.clone();
            cs.sort_by_key(|c| shown(*c));
            (
                cs.iter()
                    .map(|c| shown(*c).to_string())
                    .collect::<Vec<_>>()
                    .join(";"),
                join(cs.iter().map(|c| text_of(*c)).collect()),
            )
        }
        Response::Bool(b) => (b.to_string(), String::new()),
        Response::Text(t) => (String::new(), t.clone()),
        Response::Order(items) => (
            items
                .iter()
                .map(|i| shown(*i).to_string())
                .collect::<Vec<_>>()
                .join(";"),
            join(items.iter().map(|i| text_of(*i)).collect()),
        ),
        Response::Match(rights) => {
            let pairs: Vec<String> = rights
                .iter()
                .enumerate()
                .filter_map(|(l, r)| r.map(|r| format!("{}-{}", l + 1, shown(r))))
                .collect();
            let texts: Vec<String> = match kind {
                Some(Kind::Match { pairs: ps }) => rights
                    .iter()
                    .enumerate()
                    .filter_map(|(l, r)| {
                        let r = (*r)?;
                        Some(format!(
                            "{} = {}",
                            ps.get(l)?.0.get(lang),
                            ps.get(r)?.1.get(lang)
                        ))
                    })
                    .collect(),
                _ => Vec::new(),
            };
            (pairs.join(";"), join(texts))
        }
    }
}

/// One row per response: `attempt_id, trainee, exam_id, position (1 = first shown), qid,
/// topic, type, answer_label (what the trainee picked, by the labels shown), answer_text (the
/// text of what was picked, or typed), credit, points, max, verdict, answered_at, end_reason`.
/// Numbers as in [`export_attempts_csv`]. The records must hold the answers
/// ([`super::held::Keep::Answers`]); a question held without its answer has the answer's cells
/// (label, text, credit, verdict, time) empty.
#[must_use]
pub fn export_responses_csv<R: Borrow<HeldAttempt>>(
    records: impl IntoIterator<Item = R>,
    lib: &crate::bank::Library,
) -> String {
    let mut w = csv_writer();
    let _ = responses_rows(&mut w, records, lib);
    csv_text(w)
}

/// [`export_responses_csv`] written to `out` as the rows are made, never held whole (an export
/// may have hundreds of thousands of rows): the same bytes.
///
/// # Errors
/// `out` could not be written.
pub fn export_responses_csv_to<R: Borrow<HeldAttempt>, W: std::io::Write>(
    out: W,
    records: impl IntoIterator<Item = R>,
    lib: &crate::bank::Library,
) -> Result<(), csv::Error> {
    let mut w = csv_writer_to(out);
    responses_rows(&mut w, records, lib)?;
    w.flush()?;
    Ok(())
}

/// The rows of [`export_responses_csv`], header first.
fn responses_rows<R: Borrow<HeldAttempt>, W: std::io::Write>(
    w: &mut csv::Writer<W>,
    records: impl IntoIterator<Item = R>,
    lib: &crate::bank::Library,
) -> Result<(), csv::Error> {
    w.write_record([
        "attempt_id",
        "trainee",
        "exam_id",
        "position",
        "qid",
        "topic",
        "type",
        "answer_label",
        "answer_text",
        "credit",
        "points",
        "max",
        "verdict",
        "answered_at",
        "end_reason",
    ])?;
    let mut row: Vec<String> = Vec::with_capacity(15);
    for r in records {
        let r = r.borrow();
        for (i, q) in r.whole().questions.iter().enumerate() {
            let (label, text) = response_as_seen(q, lib, r.lang);
            let a = q.answer.as_deref();
            row.clear();
            row.extend([
                safe_cell(&r.attempt_id),
                safe_cell(&r.trainee),
                safe_cell(&r.exam_id),
                (i + 1).to_string(),
                safe_cell(q.qid()),
                safe_cell(q.topic()),
                safe_cell(q.kind()),
                safe_cell(&label),
                safe_cell(&text),
                a.map(|a| export_num(a.credit)).unwrap_or_default(),
                export_num(q.points),
                export_num(q.max),
                a.map(|a| verdict_name(a.verdict).to_owned())
                    .unwrap_or_default(),
                a.and_then(|a| a.answered_at)
                    .map(rfc3339_utc)
                    .unwrap_or_default(),
                end_reason_name(r.end_reason).to_owned(),
            ]);
            w.write_record(&row)?;
        }
    }
    Ok(())
}

/// The UTF-8 byte-order mark that spreadsheet programs (Excel on Windows) need to read a CSV
/// file as UTF-8.
pub const BOM: &str = "\u{feff}";

#[cfg(test)]
mod tests {
    use super::{export_num, rfc3339_utc};

    #[test]
    fn export_numbers_are_rounded_and_never_negative_zero() {
        assert_eq!(export_num(1.833_333_333_333_333_5), "1.833333");
        assert_eq!(export_num(28.0 / 30.0 * 100.0), "93.333333");
        assert_eq!(export_num(75.0), "75");
        assert_eq!(export_num(-0.25), "-0.25");
        assert_eq!(export_num(-0.0), "0");
        assert_eq!(export_num(-0.000_000_1), "0");
        assert_eq!(export_num(0.000_000_4), "0");
        assert_eq!(export_num(2.000_000_5), "2.000001");
    }

    #[test]
    fn dates() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339_utc(-1), "1969-12-31T23:59:59.999Z");
        // 2000-02-29 (a leap day in a year divisible by 400) at 12:34:56.789.
        assert_eq!(rfc3339_utc(951_827_696_789), "2000-02-29T12:34:56.789Z");
        assert_eq!(rfc3339_utc(4_107_542_400_000), "2100-03-01T00:00:00.000Z");
        // The extremes do not overflow.
        let _ = rfc3339_utc(i64::MIN);
        let _ = rfc3339_utc(i64::MAX);
    }
}
