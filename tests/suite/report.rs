//! The class report: statistics against hand-computed values, selection, bad records, and the
//! exact CSV and JSON output of a small case.

use std::collections::BTreeMap;
use tipquiz::bank::{Difficulty, Library, parse_bank};
use tipquiz::quiz::{EndReason, Response, Tally, Verdict};
use tipquiz::record::{AttemptRecord, BadRecord, RecordQuestion, Store};
use tipquiz::report::held::{HeldAttempt, Keep};
use tipquiz::report::{
    Flag, Which, build, export_attempts_csv, export_responses_csv, render_table, to_csv, to_json,
};
use tipquiz::text::Lang;

const LAW: &str = r#"
format = 1
id = "law"
topic = "law"
languages = ["en"]
title = "Law"

[[question]]
id = "q1"
type = "single"
difficulty = "easy"
prompt = "One?"
choices = ["A1", "B1", "C1"]
answer = "a"

[[question]]
id = "q2"
type = "single"
difficulty = "medium"
prompt = "Two?"
choices = ["A2", "B2", "C2"]
answer = "b"
"#;

const IND: &str = r#"
format = 1
id = "ind"
topic = "indicators"
languages = ["en"]
title = "Indicators"

[[question]]
id = "q3"
type = "multiple"
difficulty = "medium"
prompt = "Three?"
choices = ["A3", "B3", "C3", "D3"]
answer = ["a", "c"]

[[question]]
id = "q4"
type = "single"
difficulty = "hard"
prompt = "Four?"
choices = ["A4", "B4", "C4"]
answer = "c"

[[question]]
id = "q5"
type = "true-false"
difficulty = "hard"
prompt = "Five?"
answer = true
"#;

fn library() -> Library {
    let mut banks = Vec::new();
    for (name, text) in [("law.toml", LAW), ("ind.toml", IND)] {
        let (bank, diags) = parse_bank(name, text);
        assert!(!diags.iter().any(|d| d.is_error()), "{diags:?}");
        banks.push(bank.unwrap());
    }
    let (lib, diags) = Library::build(banks);
    assert!(diags.is_empty(), "{diags:?}");
    lib
}

/// A recorded question worth 1 point, scored with the default policy (points = credit).
fn rq(
    qid: &str,
    topic: &str,
    kind: &str,
    response: Option<Response>,
    credit: f64,
) -> RecordQuestion {
    let verdict = match (&response, credit) {
        (None, _) => Verdict::Blank,
        (_, c) if c >= 1.0 => Verdict::Right,
        (_, c) if c > 0.0 => Verdict::Partial,
        _ => Verdict::Wrong,
    };
    RecordQuestion {
        qid: qid.into(),
        bank: topic.into(),
        topic: topic.into(),
        difficulty: Difficulty::Medium,
        kind: kind.into(),
        order: vec![],
        response,
        answered_at: None,
        first_shown: None,
        history: vec![],
        flagged: false,
        other_language_views: 0,
        credit,
        points: credit,
        max: 1.0,
        verdict,
        limit: None,
    }
}

/// A finished attempt; totals, topics and the pass (mark 60 %) are worked out from the questions.
fn rec(
    trainee: &str,
    exam: &str,
    started_at: i64,
    seconds: i64,
    qs: Vec<RecordQuestion>,
) -> AttemptRecord {
    let mut by_topic: BTreeMap<String, Tally> = BTreeMap::new();
    for q in &qs {
        let t = by_topic.entry(q.topic.clone()).or_default();
        t.points += q.points;
        t.max += q.max;
    }
    let score: f64 = qs.iter().map(|q| q.points).sum();
    let max: f64 = qs.iter().map(|q| q.max).sum();
    let percent = if max > 0.0 { score / max * 100.0 } else { 0.0 };
    AttemptRecord {
        scoring: tipquiz::exam::ScoringPolicy::default(),
        schema: 1,
        program: "tipquiz test".into(),
        attempt_id: format!(
            "{}-{started_at}",
            trainee.trim().to_lowercase().replace(' ', "_")
        ),
        trainee: trainee.into(),
        exam_id: exam.into(),
        exam_title: "Basics".into(),
        lang: Lang::En,
        seed: 7,
        banks: BTreeMap::new(),
        started_at,
        ended_at: started_at + seconds * 1000,
        end_reason: EndReason::Submitted,
        time_limit: None,
        pauses: vec![],
        score,
        max,
        percent,
        pass_mark: 60.0,
        passed: percent >= 60.0,
        by_topic,
        questions: qs,
        failed_topics: Vec::new(),
        unit: None,
        checksum: String::new(),
        signature: String::new(),
    }
}

fn single(c: usize) -> Option<Response> {
    Some(Response::Choice(c))
}

fn multiple(cs: &[usize]) -> Option<Response> {
    Some(Response::Choices(cs.to_vec()))
}

/// The hand-computed class: 5 trainees × 4 questions, each worth 1 point.
///
/// ```text
///            q1  q2  q3   q4  | total  percent
///   Ana       1   1   1    1  |  4      100
///   Ben       1   1   1    0  |  3       75
///   Cai       1   1   0.5  0  |  2.5     62.5
///   Dee       1   0   0    1  |  2       50
///   Eli       1   0   -    -  |  1       25      (- = blank, 0 points)
/// ```
/// q1, q2 are in topic `law`; q3, q4 in topic `indicators`.
fn five() -> Vec<AttemptRecord> {
    let class = [
        (
            "Ana",
            [single(0), single(1), multiple(&[0, 2]), single(2)],
            [1.0, 1.0, 1.0, 1.0],
        ),
        (
            "Ben",
            [single(0), single(1), multiple(&[2, 0]), single(0)],
            [1.0, 1.0, 1.0, 0.0],
        ),
        (
            "Cai",
            [single(0), single(1), multiple(&[0]), single(0)],
            [1.0, 1.0, 0.5, 0.0],
        ),
        (
            "Dee",
            [single(0), single(0), multiple(&[1]), single(2)],
            [1.0, 0.0, 0.0, 1.0],
        ),
        (
            "Eli",
            [single(0), single(2), None, None],
            [1.0, 0.0, 0.0, 0.0],
        ),
    ];
    let meta = [
        ("q1", "law", "single"),
        ("q2", "law", "single"),
        ("q3", "indicators", "multiple"),
        ("q4", "indicators", "single"),
    ];
    class
        .into_iter()
        .enumerate()
        .map(|(i, (name, responses, credits))| {
            let qs = responses
                .into_iter()
                .zip(credits)
                .zip(meta)
                .map(|((r, c), (qid, topic, kind))| rq(qid, topic, kind, r, c))
                .collect();
            let i = i64::try_from(i).unwrap();
            rec(
                name,
                "basics",
                1_700_000_000_000 + i * 60_000,
                300 + 60 * i,
                qs,
            )
        })
        .collect()
}

fn close(got: Option<f64>, want: f64) {
    let g = got.unwrap_or(f64::NAN);
    assert!((g - want).abs() < 1e-6, "got {got:?}, want {want}");
}

#[test]
fn hand_computed_class() {
    let lib = library();
    let r = build(&five(), &[], &lib, None, Which::First);
    assert_eq!(r.exam_id.as_deref(), Some("basics"));
    assert_eq!(r.summary.n, 5);
    let names: Vec<&str> = r.trainees.iter().map(|t| t.trainee.as_str()).collect();
    assert_eq!(names, ["Ana", "Ben", "Cai", "Dee", "Eli"]);
    assert_eq!(r.trainees[1].seconds, 360);
    close(r.trainees[2].by_topic.get("indicators").copied(), 25.0);

    // Percentages 100, 75, 62.5, 50, 25.
    // Mean = 312.5 / 5 = 62.5. Median = 62.5 (the third of five).
    // Deviations 37.5, 12.5, 0, -12.5, -37.5; squares 1406.25 + 156.25 + 0 + 156.25 + 1406.25
    // = 3125; sample variance 3125 / 4 = 781.25; SD = sqrt(781.25) = 27.950849718747...
    let s = &r.summary;
    close(s.mean, 62.5);
    close(s.median, 62.5);
    close(s.sd, 781.25f64.sqrt());
    close(s.min, 25.0);
    close(s.max, 100.0);
    // Pass mark 60: Ana, Ben, Cai pass: 3 / 5 = 60 %.
    assert_eq!(s.passed, 3);
    close(s.pass_rate, 60.0);
    // 25 -> 20-30 (bin 2), 50 -> bin 5, 62.5 -> bin 6, 75 -> bin 7, 100 -> last bin (9).
    assert_eq!(s.histogram, [0, 0, 1, 0, 0, 1, 1, 1, 0, 1]);
    // law: Ana 2/2, Ben 2/2, Cai 2/2, Dee 1/2, Eli 1/2 -> (100+100+100+50+50)/5 = 80.
    // indicators: Ana 2/2, Ben 1/2, Cai 0.5/2, Dee 1/2, Eli 0/2 -> (100+50+25+50+0)/5 = 45.
    assert_eq!(s.topics.len(), 2);
    assert_eq!(
        (s.topics[0].topic.as_str(), s.topics[0].n),
        ("indicators", 5)
    );
    close(Some(s.topics[0].mean), 45.0);
    close(Some(s.topics[1].mean), 80.0);

    // Items, sorted by topic then id: q3, q4 (indicators), q1, q2 (law).
    let ids: Vec<&str> = r.items.iter().map(|i| i.qid.as_str()).collect();
    assert_eq!(ids, ["q3", "q4", "q1", "q2"]);
    let item = |id: &str| r.items.iter().find(|i| i.qid == id).unwrap();

    // q1: everyone right. Facility 5/5 = 100; SD 0; no spread, so neither a correlation nor an
    // efficiency (the largest possible covariance is 0).
    let q1 = item("q1");
    close(q1.figures.facility, 100.0);
    close(q1.figures.sd, 0.0);
    assert_eq!(
        (q1.figures.discrimination, q1.figures.efficiency),
        (None, None)
    );
    // Facility 100 would be "too easy", but 5 attempts are below the minimum for a flag.
    assert!(r.test.min_attempts_for_flags > 5);
    assert!(q1.flags.is_empty());

    // q2: x = (1,1,1,0,0), rest = total - x = (3,2,1.5,2,1).
    // Means 0.6 and 1.9. Deviations x: (.4,.4,.4,-.6,-.6); rest: (1.1,.1,-.4,.1,-.9).
    // Cov = (.44 + .04 - .16 - .06 + .54) / 4 = .8 / 4 = .2.
    // Var x = (3 × .16 + 2 × .36) / 4 = .3; var rest = (1.21+.01+.16+.01+.81) / 4 = .55.
    // Discrimination = 100 × .2 / sqrt(.3 × .55) = 100 × .2 / sqrt(.165) = 49.2365963917...
    // Sorted: x (0,0,1,1,1), rest (1,1.5,2,2,3): deviations (-.6,-.6,.4,.4,.4) ·
    // (-.9,-.4,.1,.1,1.1) = .54 + .24 + .04 + .04 + .44 = 1.3 -> covmax 1.3 / 4 = .325.
    // Efficiency = 100 × .2 / .325 = 800 / 13 = 61.538461...
    // Facility 3/5 = 60; SD = sqrt(.3) = 54.772...% of the maximum (1).
    let q2 = item("q2");
    close(q2.figures.facility, 60.0);
    close(q2.figures.sd, 100.0 * 0.3f64.sqrt());
    close(q2.figures.discrimination, 100.0 * 0.2 / 0.165f64.sqrt());
    close(q2.figures.efficiency, 800.0 / 13.0);
    assert!(q2.flags.is_empty());

    // q3: x = (1,1,.5,0,0), rest = (3,2,2,2,1). Means .5 and 2.
    // Deviations x (.5,.5,0,-.5,-.5), rest (1,0,0,0,-1): products sum .5 + .5 = 1 -> cov .25.
    // Var x = 4 × .25 / 4 = .25; var rest = 2 / 4 = .5.
    // Discrimination = 100 × .25 / sqrt(.125) = 70.7106781...
    // Sorted: x (0,0,.5,1,1), rest (1,2,2,2,3): (-.5)(-1) + (.5)(1) = 1 -> covmax .25, so the
    // efficiency is 100 (the item is as discriminating as its score distribution allows).
    // Facility 2.5/5 = 50; SD = sqrt(.25) = 50 %.
    let q3 = item("q3");
    close(q3.figures.facility, 50.0);
    close(q3.figures.sd, 50.0);
    close(q3.figures.discrimination, 100.0 * 0.25 / 0.125f64.sqrt());
    close(q3.figures.efficiency, 100.0);
    assert_eq!(q3.figures.blank, Some(1));

    // q4: x = (1,0,0,1,0), rest = (3,3,2.5,1,1). Means .4 and 2.1.
    // Deviations x (.6,-.4,-.4,.6,-.4), rest (.9,.9,.4,-1.1,-1.1):
    // .54 - .36 - .16 - .66 + .44 = -.2 -> cov -.05.
    // Var x = .3; var rest = (.81+.81+.16+1.21+1.21) / 4 = 4.2 / 4 = 1.05.
    // Discrimination = 100 × -.05 / sqrt(.315) = -8.9087080637...
    // Sorted: x (0,0,0,1,1), rest (1,1,2.5,3,3): (-.4)(-1.1)×2 + (-.4)(.4) + (.6)(.9)×2
    // = .88 - .16 + 1.08 = 1.8 -> covmax .45. Efficiency = 100 × -.05 / .45 = -11.111...
    let q4 = item("q4");
    close(q4.figures.facility, 40.0);
    close(q4.figures.discrimination, -5.0 / 0.315f64.sqrt());
    close(q4.figures.efficiency, -100.0 / 9.0);
    // Negative discrimination, but 5 attempts are below the minimum for a flag.
    assert!(q4.figures.discrimination.unwrap() < 0.0);
    assert!(q4.flags.is_empty());

    // Distractors. q2 (right: b): a by Dee, b by Ana, Ben, Cai, c by Eli.
    let picks = |id: &str| -> Vec<(char, Option<bool>, usize)> {
        item(id)
            .choices
            .iter()
            .map(|c| (c.letter, c.right, c.count))
            .collect()
    };
    assert_eq!(
        picks("q2"),
        [
            ('a', Some(false), 1),
            ('b', Some(true), 3),
            ('c', Some(false), 1)
        ]
    );
    // q3 (right: a, c): a by Ana, Ben, Cai; b by Dee; c by Ana, Ben; d by nobody.
    assert_eq!(
        picks("q3"),
        [
            ('a', Some(true), 3),
            ('b', Some(false), 1),
            ('c', Some(true), 2),
            ('d', Some(false), 0)
        ]
    );
    close(Some(item("q3").choices[0].percent), 60.0);
    // q4 (right: c): a by Ben, Cai; c by Ana, Dee; Eli blank.
    assert_eq!(
        picks("q4"),
        [
            ('a', Some(false), 2),
            ('b', Some(false), 0),
            ('c', Some(true), 2)
        ]
    );

    // Cronbach's alpha over the 4 questions (all attempts have all of them):
    // item variances 0 + .3 + .25 + .3 = .85; totals (4,3,2.5,2,1), mean 2.5, squared
    // deviations 2.25 + .25 + 0 + .25 + 2.25 = 5 -> variance 1.25.
    // alpha = 4/3 × (1 - .85 / 1.25) = 4/3 × .32 = 32/75 = .42666...
    assert_eq!((r.test.items, r.test.excluded), (4, 0));
    close(r.test.alpha, 32.0 / 75.0);
    // SEM = error ratio × SD of the same totals: sqrt(43/75) × sqrt(1.25) = 0.84656... points
    // (not the SD of the percentages).
    close(r.test.sd, 1.25f64.sqrt());
    close(r.test.error_ratio, 100.0 * (43.0f64 / 75.0).sqrt());
    close(r.test.sem, 1.25f64.sqrt() * (43.0f64 / 75.0).sqrt());
    // Skewness of (4, 3, 2.5, 2, 1): deviations (1.5, .5, 0, -.5, -1.5), m3 = 0: symmetric.
    close(r.test.skewness, 0.0);

    let text = render_table(&r);
    for want in [
        "Ana",
        "62.5",
        "Questions are flagged only with at least 10 attempts.",
        "0.427",
        "b*",
        "SD (sample, n-1)",
    ] {
        assert!(text.contains(want), "{want} missing from\n{text}");
    }
}

/// A deterministic pseudo-random generator (64-bit LCG, Knuth's constants).
struct Lcg(u64);

impl Lcg {
    fn unit(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// 30 trainees × 5 questions: a trainee of ability a gets a question of difficulty d right
/// with probability a - d + 0.3 (q3 is a `multiple` with partial credit in halves).
fn simulated_class() -> Vec<AttemptRecord> {
    let mut g = Lcg(2024);
    let meta = [
        ("q1", "law", "single", 0.0),
        ("q2", "law", "single", 0.2),
        ("q3", "indicators", "multiple", 0.1),
        ("q4", "indicators", "single", 0.3),
        ("q5", "indicators", "true-false", -0.2),
    ];
    (0..30)
        .map(|i| {
            let ability = g.unit();
            let qs = meta
                .iter()
                .map(|(qid, topic, kind, d)| {
                    let p = ability - d + 0.3;
                    let right = g.unit() < p;
                    match *kind {
                        "multiple" => {
                            let half = g.unit() < 0.5;
                            let (resp, c) = if right {
                                (multiple(&[0, 2]), 1.0)
                            } else if half {
                                (multiple(&[0]), 0.5)
                            } else {
                                (multiple(&[1, 3]), 0.0)
                            };
                            rq(qid, topic, kind, resp, c)
                        }
                        "true-false" => rq(
                            qid,
                            topic,
                            kind,
                            Some(Response::Bool(right)),
                            f64::from(u8::from(right)),
                        ),
                        _ => {
                            let key = if *qid == "q4" {
                                2
                            } else if *qid == "q2" {
                                1
                            } else {
                                0
                            };
                            let pick = if right {
                                key
                            } else {
                                (key + 1 + usize::from(g.unit() < 0.5)) % 3
                            };
                            rq(qid, topic, kind, single(pick), f64::from(u8::from(right)))
                        }
                    }
                })
                .collect();
            rec(
                &format!("Trainee {i:02}"),
                "basics",
                1_700_000_000_000 + i64::from(i) * 1000,
                300 + 17 * i64::from(i),
                qs,
            )
        })
        .collect()
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (sa, sb): (f64, f64) = (a.iter().sum(), b.iter().sum());
    let sab: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let saa: f64 = a.iter().map(|x| x * x).sum();
    let sbb: f64 = b.iter().map(|x| x * x).sum();
    (n * sab - sa * sb) / ((n * saa - sa * sa).sqrt() * (n * sbb - sb * sb).sqrt())
}

#[test]
fn simulated_class_matches_an_independent_recomputation() {
    let records = simulated_class();
    let r = build(&records, &[], &library(), Some("basics"), Which::First);
    assert_eq!(r.summary.n, 30);

    // Summary, recomputed the plain way.
    let mut p: Vec<f64> = records.iter().map(|x| x.percent).collect();
    let n = p.len() as f64;
    let mean = p.iter().sum::<f64>() / n;
    let sd = (p.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    p.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = (p[14] + p[15]) / 2.0;
    let mut hist = [0usize; 10];
    for x in &p {
        hist[((x / 10.0).floor() as usize).min(9)] += 1;
    }
    let passed = records.iter().filter(|x| x.percent >= 60.0).count();
    close(r.summary.mean, mean);
    close(r.summary.sd, sd);
    close(r.summary.median, median);
    assert_eq!(r.summary.histogram, hist);
    assert_eq!(r.summary.histogram.iter().sum::<usize>(), 30);
    close(r.summary.pass_rate, passed as f64 / n * 100.0);

    // Items: facility and item-rest correlation from the score matrix.
    let matrix: Vec<Vec<f64>> = (0..5)
        .map(|j| records.iter().map(|x| x.questions[j].points).collect())
        .collect();
    let totals: Vec<f64> = records.iter().map(|x| x.score).collect();
    for (j, col) in matrix.iter().enumerate() {
        let qid = format!("q{}", j + 1);
        let it = r.items.iter().find(|i| i.qid == qid).unwrap();
        assert_eq!(it.figures.attempts, 30);
        close(it.figures.facility, col.iter().sum::<f64>() / n * 100.0);
        let rest: Vec<f64> = totals.iter().zip(col).map(|(t, x)| t - x).collect();
        close(it.figures.discrimination, 100.0 * pearson(col, &rest));
        let e = it.figures.efficiency.unwrap();
        assert!(e <= 100.0 + 1e-9 && e.abs() >= it.figures.discrimination.unwrap().abs() - 1e-9);
    }

    // Alpha from the covariance form: k/(k-1) × (sum of covariances between different items)
    // / variance of the total. Any divisor works as long as it is the same throughout.
    let k = 5.0;
    let cov = |a: &[f64], b: &[f64]| {
        let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - ma) * (y - mb))
            .sum::<f64>()
    };
    let mut off = 0.0;
    for i in 0..5 {
        for j in 0..5 {
            if i != j {
                off += cov(&matrix[i], &matrix[j]);
            }
        }
    }
    let alpha = k / (k - 1.0) * off / cov(&totals, &totals);
    close(r.test.alpha, alpha);
    // Over the questions every attempt had (no exam definition given), the totals are the
    // scores; SEM = error ratio × SD of those same totals, in points.
    assert_eq!(r.test.basis, tipquiz::report::Basis::Questions);
    let tmean = totals.iter().sum::<f64>() / n;
    let tsd = (totals.iter().map(|x| (x - tmean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    close(r.test.mean, tmean);
    close(r.test.sd, tsd);
    close(r.test.error_ratio, 100.0 * (1.0 - alpha).sqrt());
    close(r.test.sem, tsd * (1.0 - alpha).sqrt());
    // Skewness and kurtosis as Moodle: from the k-statistics of the totals.
    let m = |p: i32| totals.iter().map(|x| (x - tmean).powi(p)).sum::<f64>() / n;
    let k2 = n * m(2) / (n - 1.0);
    let k3 = n * n * m(3) / ((n - 1.0) * (n - 2.0));
    let k4 = n * n * ((n + 1.0) * m(4) - 3.0 * (n - 1.0) * m(2) * m(2))
        / ((n - 1.0) * (n - 2.0) * (n - 3.0));
    close(r.test.skewness, k3 / k2.powf(1.5));
    close(r.test.kurtosis, k4 / (k2 * k2));
    // With 30 attempts (at least the minimum), items are flagged by their figures.
    assert!(r.test.min_attempts_for_flags <= 30);
    for it in &r.items {
        assert_eq!(
            it.flags.contains(&Flag::TooEasy),
            it.figures.facility.is_some_and(|f| f > 90.0),
            "{}",
            it.qid
        );
        assert_eq!(
            it.flags.contains(&Flag::NegativeDiscrimination),
            it.figures.discrimination.is_some_and(|d| d < 0.0),
            "{}",
            it.qid
        );
    }
    // The simulation is meant to give a test with some reliability.
    assert!(alpha > 0.2, "alpha {alpha}");
}

#[test]
fn one_attempt_per_trainee() {
    let lib = library();
    let at = |name: &str, t: i64, credits: [f64; 2]| {
        let qs = vec![
            rq(
                "q1",
                "law",
                "single",
                single(if credits[0] > 0.0 { 0 } else { 1 }),
                credits[0],
            ),
            rq(
                "q2",
                "law",
                "single",
                single(if credits[1] > 0.0 { 1 } else { 0 }),
                credits[1],
            ),
        ];
        rec(name, "basics", t, 60, qs)
    };
    let records = vec![
        at("Sara K", 2_000, [1.0, 1.0]),   // 100 %, second
        at("Omar", 1_500, [1.0, 0.0]),     // 50 %
        at(" sara k ", 3_000, [0.0, 1.0]), // 50 %, last
        at("SARA K", 1_000, [0.0, 0.0]),   // 0 %, first
        rec(
            "Omar",
            "other",
            500,
            60,
            vec![rq("q1", "law", "single", single(0), 1.0)],
        ),
    ];
    // Default exam: the one with the most records.
    let first = build(&records, &[], &lib, None, Which::First);
    assert_eq!(first.exam_id.as_deref(), Some("basics"));
    assert_eq!(first.records, 4);
    assert_eq!(
        first
            .exams
            .iter()
            .map(|e| (e.exam_id.as_str(), e.records))
            .collect::<Vec<_>>(),
        [("basics", 4), ("other", 1)]
    );
    assert_eq!(first.summary.n, 2);
    let sara = |w: Which| {
        let r = build(&records, &[], &lib, None, w);
        let row = r
            .trainees
            .iter()
            .find(|t| t.trainee.to_lowercase().trim() == "sara k")
            .unwrap()
            .clone();
        (row.started_at, row.percent, row.attempts)
    };
    assert_eq!(sara(Which::First), (1_000, 0.0, 3));
    assert_eq!(sara(Which::Best), (2_000, 100.0, 3));
    assert_eq!(sara(Which::Last), (3_000, 50.0, 3));
    // Best of equals is the earliest; an exam can be named.
    let other = build(&records, &[], &lib, Some("other"), Which::Best);
    assert_eq!((other.summary.n, other.records), (1, 1));
    assert_eq!(other.trainees[0].started_at, 500);
    let none = build(&records, &[], &lib, Some("nope"), Which::First);
    assert_eq!(
        (none.summary.n, none.summary.mean, none.test.alpha),
        (0, None, None)
    );
    assert!(render_table(&none).contains("Other exams: basics (4), other (1)"));
    assert_eq!(Which::from_name("best"), Some(Which::Best));
}

#[test]
fn missing_and_changed_questions_and_alpha_exclusions() {
    let lib = library();
    let records = vec![
        rec(
            "A",
            "x",
            1,
            60,
            vec![
                rq("q1", "law", "single", single(0), 1.0),
                rq("q2", "law", "single", single(0), 0.0),
                rq("gone", "law", "single", single(3), 0.0),
                rq("q5", "indicators", "single", single(0), 1.0),
            ],
        ),
        rec(
            "B",
            "x",
            2,
            60,
            vec![
                rq("q1", "law", "single", single(1), 0.0),
                rq("q2", "law", "single", single(0), 0.0),
                rq("q4", "indicators", "single", single(7), 0.0),
            ],
        ),
        rec(
            "C",
            "x",
            3,
            60,
            vec![
                rq("q1", "law", "single", single(0), 1.0),
                rq("q2", "law", "single", single(2), 0.0),
            ],
        ),
    ];
    let r = build(&records, &[], &lib, None, Which::First);
    let item = |id: &str| r.items.iter().find(|i| i.qid == id).unwrap();
    // Not in the library: flagged, choices as seen with the key unknown, no correlation for one attempt.
    let gone = item("gone");
    // Facility 0 but one attempt: not "too hard" (below the minimum for that flag); missing.
    assert_eq!(gone.flags, [Flag::ChangedOrMissing]);
    assert_eq!(
        gone.choices
            .iter()
            .map(|c| (c.letter, c.right, c.count))
            .collect::<Vec<_>>(),
        [('d', None, 1)]
    );
    assert_eq!((gone.figures.discrimination, gone.figures.sd), (None, None));
    // q5 is a true-false question in the bank but was recorded as single: changed.
    assert!(item("q5").flags.contains(&Flag::ChangedOrMissing));
    assert!(item("q5").choices.iter().all(|c| c.right.is_none()));
    // q4 was answered with choice h, which the bank no longer has.
    assert!(item("q4").flags.contains(&Flag::ChangedOrMissing));
    assert_eq!(
        item("q4").choices.last().map(|c| (c.index, c.right)),
        Some((7, None))
    );
    // q2: nobody right, but 3 attempts: no "too hard" flag; not flagged as changed.
    assert_eq!(item("q2").figures.facility, Some(0.0));
    assert!(item("q2").flags.is_empty());
    // Alpha: only q1 and q2 are in all three attempts; gone, q4, q5 are left out. q2 has no
    // variance: totals over (q1, q2) are (1, 0, 1), variance 1/3; item variances 1/3 and 0;
    // alpha = 2/1 × (1 - (1/3) / (1/3)) = 0.
    assert_eq!((r.test.items, r.test.excluded), (2, 3));
    close(r.test.alpha, 0.0);
    // On a page wide enough for the flags on one line.
    let wide = tipquiz::report::render_text(
        &r,
        &tipquiz::report::TextOptions::plain(tipquiz::text::Lang::En, 200),
    );
    assert!(wide.contains("question changed or missing"), "{wide}");
}

#[test]
fn bad_records_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    for r in five() {
        store.commit(&r, None).unwrap();
    }
    std::fs::write(dir.path().join("broken.json"), "{\"schema\": 1, \"trai").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "hello").unwrap();
    let loaded = store.load();
    let records: Vec<AttemptRecord> = loaded.records.into_iter().map(|(_, r)| r).collect();
    let r = build(&records, &loaded.bad, &library(), None, Which::First);
    assert_eq!(r.summary.n, 5);
    let files: Vec<&str> = r.bad.iter().map(|b| b.file.as_str()).collect();
    assert_eq!(files, ["broken.json", "notes.txt"]);
    assert!(
        r.bad[0].reason.en().contains("not valid JSON"),
        "{}",
        r.bad[0].reason.en()
    );
    let text = render_table(&r);
    assert!(text.contains("2 file(s) could not be read"), "{text}");
    assert!(text.contains("  broken.json: not valid JSON"), "{text}");
    assert!(text.contains("  notes.txt: not a .json record"), "{text}");
    let want = format!(
        "bad_records\nfile,trainee,exam_id,reason\nbroken.json,,,{}\nnotes.txt,,,not a .json record\n\nstatus\nstatus,trainee\n",
        csv_quote(&r.bad[0].reason.en())
    );
    assert!(to_csv(&r).contains(&want), "{}", to_csv(&r));
    assert!(to_json(&r).contains("\"file\": \"notes.txt\""));
}

fn csv_quote(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Two trainees, two questions: the exact CSV and JSON.
fn tiny() -> (Vec<AttemptRecord>, Vec<BadRecord>) {
    let mut a = rec(
        "=Ana, \"A\"",
        "basics",
        1_709_251_200_000,
        95,
        vec![
            rq("q1", "law", "single", single(0), 1.0),
            rq("q3", "indicators", "multiple", multiple(&[0]), 0.5),
        ],
    );
    a.questions[0].answered_at = Some(1_709_251_230_500);
    let b = rec(
        "Ben",
        "basics",
        1_709_254_800_000,
        3_725,
        vec![
            rq("q1", "law", "single", single(2), 0.0),
            rq("q3", "indicators", "multiple", None, 0.0),
        ],
    );
    let bad = vec![BadRecord {
        file: "x.json".into(),
        trainee: String::new(),
        exam_id: String::new(),
        reason: tipquiz::messages::Msg::raw("not valid JSON"),
    }];
    (vec![a, b], bad)
}

#[test]
fn exports_are_exact() {
    let (mut records, _) = tiny();
    // Ana saw q1's choices as (C1, A1, B1): the A1 she picked was labelled b on her screen.
    records[0].questions[0].order = vec![2, 0, 1];
    assert_eq!(
        export_attempts_csv(&HeldAttempt::all_of(&records, &library(), Keep::Figures)),
        "attempt_id,trainee,unit,exam_id,exam_title,started,ended,seconds,score,max,percent,pass_mark,passed,failed_on,end_reason,flags,lang,topic:indicators,topic:law\n\
         \"'=ana,_\"\"a\"\"-1709251200000\",\"'=Ana, \"\"A\"\"\",,basics,Basics,2024-03-01T00:00:00.000Z,2024-03-01T00:01:35.000Z,95,1.5,2,75,60,true,,submitted,,en,50,100\n\
         ben-1709254800000,Ben,,basics,Basics,2024-03-01T01:00:00.000Z,2024-03-01T02:02:05.000Z,3725,0,2,0,60,false,overall,submitted,,en,0,0\n"
    );
    assert_eq!(
        export_responses_csv(
            HeldAttempt::all_of(&records, &library(), Keep::Answers),
            &library()
        ),
        "attempt_id,trainee,exam_id,position,qid,topic,type,answer_label,answer_text,credit,points,max,verdict,answered_at,end_reason\n\
         \"'=ana,_\"\"a\"\"-1709251200000\",\"'=Ana, \"\"A\"\"\",basics,1,q1,law,single,b,A1,1,1,1,right,2024-03-01T00:00:30.500Z,submitted\n\
         \"'=ana,_\"\"a\"\"-1709251200000\",\"'=Ana, \"\"A\"\"\",basics,2,q3,indicators,multiple,a,A3,0.5,0.5,1,partial,,submitted\n\
         ben-1709254800000,Ben,basics,1,q1,law,single,c,C1,0,0,1,wrong,,submitted\n\
         ben-1709254800000,Ben,basics,2,q3,indicators,multiple,,,0,0,1,blank,,submitted\n"
    );
}

#[test]
fn report_csv_and_json_are_exact() {
    let (records, bad) = tiny();
    let r = build(&records, &bad, &library(), None, Which::Last);
    assert_eq!(to_csv(&r), TINY_CSV);
    assert_eq!(to_json(&r), TINY_JSON);
}

const TINY_CSV: &str = r#"summary
key,value
exam_id,basics
which,last
records,2
trainees,2
mean_percent,37.50
median_percent,37.50
sd_percent_sample,53.03
min_percent,0.00
max_percent,75.00
passed,1
pass_rate,50.00
histogram_0_to_100_by_10,1 0 0 0 0 0 0 1 0 0
stats_basis,questions
alpha,0.8889
alpha_items,2
alpha_excluded_items,0
totals_mean_points,0.75
totals_sd_points,1.06
skewness,
kurtosis,
error_ratio_percent,33.33
sem_points,0.35
min_attempts_for_item_flags,10

trainees
trainee,unit,attempt_id,attempts,started,seconds,score,max,percent,passed,failed_on,end_reason,topic:indicators,topic:law
"'=Ana, ""A""",,"'=ana,_""a""-1709251200000",1,2024-03-01T00:00:00.000Z,95,1.50,2.00,75.00,true,,submitted,50.00,100.00
Ben,,ben-1709254800000,1,2024-03-01T01:00:00.000Z,3725,0.00,2.00,0.00,false,overall,submitted,0.00,0.00

items
qid,topic,type,attempts,blank,mean_points,max,facility,sd,discrimination,efficiency,flags
q3,indicators,multiple,2,1,0.25,1.00,25.00,35.36,100.00,100.00,
q1,law,single,2,0,0.50,1.00,50.00,70.71,100.00,100.00,

choices
qid,index,letter,right,count,percent
q3,0,a,true,1,50.00
q3,1,b,false,0,0.00
q3,2,c,true,0,0.00
q3,3,d,false,0,0.00
q1,0,a,true,1,50.00
q1,1,b,false,0,0.00
q1,2,c,false,1,50.00

bad_records
file,trainee,exam_id,reason
x.json,,,not valid JSON

status
status,trainee

topics
topic,trainees,mean_percent
indicators,2,25.00
law,2,50.00

units
unit,trainees,mean_percent,passed,pass_rate,weakest_topic,weakest_topic_mean_percent
"#;

const TINY_JSON: &str = r##"{
  "exam_id": "basics",
  "exam_title": "Basics",
  "which": "last",
  "exams": [
    {
      "exam_id": "basics",
      "records": 2
    }
  ],
  "records": 2,
  "trainees": [
    {
      "trainee": "=Ana, \"A\"",
      "attempt_id": "=ana,_\"a\"-1709251200000",
      "attempts": 1,
      "started_at": 1709251200000,
      "seconds": 95,
      "score": 1.5,
      "max": 2.0,
      "percent": 75.0,
      "passed": true,
      "failed_on": [],
      "end_reason": "submitted",
      "by_topic": {
        "indicators": 50.0,
        "law": 100.0
      },
      "unit": null
    },
    {
      "trainee": "Ben",
      "attempt_id": "ben-1709254800000",
      "attempts": 1,
      "started_at": 1709254800000,
      "seconds": 3725,
      "score": 0.0,
      "max": 2.0,
      "percent": 0.0,
      "passed": false,
      "failed_on": [
        "overall"
      ],
      "end_reason": "submitted",
      "by_topic": {
        "indicators": 0.0,
        "law": 0.0
      },
      "unit": null
    }
  ],
  "summary": {
    "n": 2,
    "mean": 37.5,
    "median": 37.5,
    "sd": 53.033008588991066,
    "min": 0.0,
    "max": 75.0,
    "passed": 1,
    "pass_rate": 50.0,
    "topics": [
      {
        "topic": "indicators",
        "n": 2,
        "mean": 25.0
      },
      {
        "topic": "law",
        "n": 2,
        "mean": 50.0
      }
    ],
    "units": [],
    "histogram": [
      1,
      0,
      0,
      0,
      0,
      0,
      0,
      1,
      0,
      0
    ]
  },
  "items": [
    {
      "qid": "q3",
      "topic": "indicators",
      "type": "multiple",
      "attempts": 2,
      "blank": 1,
      "mean_points": 0.25,
      "max": 1.0,
      "facility": 25.0,
      "sd": 35.35533905932738,
      "discrimination": 100.0,
      "efficiency": 100.0,
      "choices": [
        {
          "index": 0,
          "letter": "a",
          "right": true,
          "count": 1,
          "percent": 50.0
        },
        {
          "index": 1,
          "letter": "b",
          "right": false,
          "count": 0,
          "percent": 0.0
        },
        {
          "index": 2,
          "letter": "c",
          "right": true,
          "count": 0,
          "percent": 0.0
        },
        {
          "index": 3,
          "letter": "d",
          "right": false,
          "count": 0,
          "percent": 0.0
        }
      ],
      "flags": []
    },
    {
      "qid": "q1",
      "topic": "law",
      "type": "single",
      "attempts": 2,
      "blank": 0,
      "mean_points": 0.5,
      "max": 1.0,
      "facility": 50.0,
      "sd": 70.71067811865476,
      "discrimination": 100.0,
      "efficiency": 100.0,
      "choices": [
        {
          "index": 0,
          "letter": "a",
          "right": true,
          "count": 1,
          "percent": 50.0
        },
        {
          "index": 1,
          "letter": "b",
          "right": false,
          "count": 0,
          "percent": 0.0
        },
        {
          "index": 2,
          "letter": "c",
          "right": false,
          "count": 1,
          "percent": 50.0
        }
      ],
      "flags": []
    }
  ],
  "slots": [],
  "test": {
    "basis": "questions",
    "items": 2,
    "excluded": 0,
    "mean": 0.75,
    "sd": 1.0606601717798212,
    "skewness": null,
    "kurtosis": null,
    "alpha": 0.8888888888888888,
    "error_ratio": 33.33333333333334,
    "sem": 0.35355339059327384,
    "min_attempts_for_flags": 10
  },
  "bad": [
    {
      "file": "x.json",
      "trainee": "",
      "exam_id": "",
      "reason": "not valid JSON"
    }
  ],
  "status": {
    "submitted": [],
    "timed_out": [],
    "in_progress": [],
    "abandoned": [],
    "record_missing": [],
    "flagged": [],
    "started_twice": [],
    "unrecorded": []
  }
}"##;

/// Ten trainees: the five of [`five`], twice (enough attempts for the item flags).
fn ten() -> Vec<AttemptRecord> {
    let mut all = five();
    for mut r in five() {
        r.trainee = format!("{} Two", r.trainee);
        r.attempt_id = format!("{}-2", r.attempt_id);
        all.push(r);
    }
    all
}

/// The lines of the item table of a text report: from its header to its legend (the first
/// line with a colon).
fn item_table<'a>(text: &'a str, heading: &str) -> Vec<&'a str> {
    text.lines()
        .skip_while(|l| *l != heading)
        .skip(1)
        .take_while(|l| !l.contains(':'))
        .collect()
}

#[test]
fn the_legend_explains_only_what_the_item_table_shows() {
    use tipquiz::report::{TextOptions, render_text};
    let lib = library();
    let report = build(&ten(), &[], &lib, None, Which::First);
    assert_eq!(report.summary.n, 10);
    assert!(report.slots.is_empty());
    // The flags the items carry: some, not all four (so that "only" can be seen).
    let flags: std::collections::BTreeSet<String> = report
        .items
        .iter()
        .flat_map(|i| i.flags.iter().map(|f| format!("{f:?}")))
        .collect();
    assert!(!flags.is_empty() && flags.len() < 4, "{flags:?}");
    let codes = [
        ("NegativeDiscrimination", "neg = negative discrimination"),
        ("TooHard", "hard = too hard"),
        ("TooEasy", "easy = too easy"),
        ("ChangedOrMissing", "chg = question changed or missing"),
    ];
    // A page wide enough for the full table: full headers, no legend of short ones.
    let wide = render_text(&report, &TextOptions::plain(Lang::En, 120));
    let table = item_table(&wide, "Questions");
    assert!(
        table[0].contains("Question") && table[0].contains("Facility"),
        "{wide}"
    );
    assert!(
        !wide.contains("Q: question") && !wide.contains("Fac.:"),
        "{wide}"
    );
    assert!(!wide.contains("A cut text"), "{wide}");
    // Narrow pages: the short table, and a legend of what it shows.
    for width in [44, 75] {
        let text = render_text(&report, &TextOptions::plain(Lang::En, width));
        let table = item_table(&text, "Questions");
        // The legend's lines as one text.
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(table[0].trim_start().starts_with("Q "), "{width}: {text}");
        assert!(table[0].contains("Fac."), "{width}: {}", table[0]);
        assert!(text.contains("Q: question"), "{width}: {text}");
        assert!(text.contains("Fac.: facility"), "{width}: {text}");
        // No slots: no "Qs".
        assert!(!text.contains("Qs"), "{width}: {text}");
        // The flags shown, and those only.
        for (flag, words) in codes {
            assert_eq!(
                text.contains(words),
                flags.contains(flag),
                "{width}: {flag} in\n{text}"
            );
        }
        // "…" is explained when a cell was cut, and only then.
        let cut = table.iter().any(|l| l.contains('…'));
        assert_eq!(
            text.contains("A cut text ends with …"),
            cut,
            "{width}: {text}"
        );
        for l in &table {
            assert!(tipquiz::tui::bidi::cell_width(l) <= width, "{width}: {l}");
        }
    }
    // At 44 columns the topic "indicators" is cut; at 75 nothing is.
    let text = render_text(&report, &TextOptions::plain(Lang::En, 44));
    assert!(text.contains("A cut text ends with …"), "{text}");
    let text = render_text(&report, &TextOptions::plain(Lang::En, 75));
    assert!(!text.contains('…'), "{text}");
    // In Arabic too.
    let text = render_text(&report, &TextOptions::plain(Lang::Ar, 44));
    assert!(text.contains("س: السؤال"), "{text}");
    assert!(!text.contains("أسئلة:"), "{text}");
}

#[test]
fn the_full_item_table_is_kept_where_a_wrapped_header_is_enough() {
    use tipquiz::report::{TextOptions, render_text};
    use tipquiz::tui::bidi::cell_width;
    // The words and the layout without the marks for bidi readers (see `report_bidi`).
    use crate::cli_ar::unmarked;
    let lib = library();
    let report = build(&ten(), &[], &lib, None, Which::First);
    // The Arabic full table on a wide page: "بلا إجابة" (left blank) on one line.
    let wide = unmarked(&render_text(&report, &TextOptions::plain(Lang::Ar, 200)));
    let table = item_table(&wide, "الأسئلة");
    assert!(table[0].contains("بلا إجابة"), "{wide}");
    let natural = table
        .iter()
        .map(|l| cell_width(l.trim_end()))
        .max()
        .unwrap();
    // Four cells narrower ("بلا إجابة" over two lines takes five, not nine): still the full
    // table, its header on two lines.
    let text = unmarked(&render_text(
        &report,
        &TextOptions::plain(Lang::Ar, natural - 4),
    ));
    let table = item_table(&text, "الأسئلة");
    assert!(
        table[0].contains("السهولة") && table[0].contains("بلا"),
        "{text}"
    );
    assert!(
        !table[0].contains("إجابة") && table[1].contains("إجابة"),
        "{text}"
    );
    assert!(table[2].trim_start().starts_with('-'), "{text}");
    assert!(!text.contains("س: السؤال"), "{text}");
    for l in text.lines() {
        assert!(cell_width(l) <= natural - 4, "{l}");
    }
    // Narrower than that: the short table.
    let text = unmarked(&render_text(
        &report,
        &TextOptions::plain(Lang::Ar, natural - 6),
    ));
    assert!(item_table(&text, "الأسئلة")[0].contains("سهولة"), "{text}");
    assert!(text.contains("س: السؤال"), "{text}");
}
