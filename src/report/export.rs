//! Raw exports: one CSV row per attempt, or per response.

use crate::quiz::{Millis, Verdict};
use crate::record::AttemptRecord;

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
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for r in rows {
        // Writing to memory cannot fail.
        let _ = w.write_record(r);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// One row per attempt: `attempt_id, trainee, exam_id, started, ended, seconds, score, max,
/// percent, passed, failed_on, end_reason, lang`. Times are RFC 3339 UTC; numbers are rounded to
/// [`EXPORT_DECIMALS`] places ([`export_num`]).
#[must_use]
pub fn export_attempts_csv(records: &[AttemptRecord]) -> String {
    export_attempts_csv_with(records, &[])
}

/// [`export_attempts_csv`], then one row for each attempt without a record (in progress,
/// abandoned or record missing: `end_reason` says which; the attempt id when its start marker
/// gives it; no score), so that nobody is missing from the export.
#[must_use]
pub fn export_attempts_csv_with(
    records: &[AttemptRecord],
    unrecorded: &[super::status::Unrecorded],
) -> String {
    let mut rows = vec![
        [
            "attempt_id",
            "trainee",
            "exam_id",
            "started",
            "ended",
            "seconds",
            "score",
            "max",
            "percent",
            "passed",
            "failed_on",
            "end_reason",
            "lang",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for r in records {
        rows.push(vec![
            safe_cell(&r.attempt_id),
            safe_cell(&r.trainee),
            safe_cell(&r.exam_id),
            rfc3339_utc(r.started_at),
            rfc3339_utc(r.ended_at),
            r.seconds().to_string(),
            export_num(r.score),
            export_num(r.max),
            export_num(r.percent),
            r.passed.to_string(),
            safe_cell(&r.failed_on().join(" ")),
            end_reason_name(r.end_reason).to_owned(),
            r.lang.code().to_owned(),
        ]);
    }
    for u in unrecorded {
        rows.push(vec![
            safe_cell(&u.attempt_id),
            safe_cell(&u.trainee),
            safe_cell(&u.exam_id),
            rfc3339_utc(u.started_at),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            u.standing.name().to_owned(),
            String::new(),
        ]);
    }
    csv_string(&rows)
}

/// One row per response: `attempt_id, trainee, exam_id, position (1 = first shown), qid,
/// topic, type, response (JSON, empty when none), credit, points, max, verdict, answered_at,
/// end_reason`. Numbers as in [`export_attempts_csv`].
#[must_use]
pub fn export_responses_csv(records: &[AttemptRecord]) -> String {
    let mut rows = vec![
        [
            "attempt_id",
            "trainee",
            "exam_id",
            "position",
            "qid",
            "topic",
            "type",
            "response",
            "credit",
            "points",
            "max",
            "verdict",
            "answered_at",
            "end_reason",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for r in records {
        for (i, q) in r.questions.iter().enumerate() {
            let response = q
                .response
                .as_ref()
                .and_then(|x| serde_json::to_string(x).ok())
                .unwrap_or_default();
            rows.push(vec![
                safe_cell(&r.attempt_id),
                safe_cell(&r.trainee),
                safe_cell(&r.exam_id),
                (i + 1).to_string(),
                safe_cell(&q.qid),
                safe_cell(&q.topic),
                safe_cell(&q.kind),
                response,
                export_num(q.credit),
                export_num(q.points),
                export_num(q.max),
                verdict_name(q.verdict).to_owned(),
                q.answered_at.map(rfc3339_utc).unwrap_or_default(),
                end_reason_name(r.end_reason).to_owned(),
            ]);
        }
    }
    csv_string(&rows)
}

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
