//! Generator of a large bilingual (English and Arabic) bank for the benchmarks.
//!
//! Each question has an id, a ~200-character prompt, four ~40-character choices (single and
//! multiple) and a ~200-character explanation, in both languages. The text is drawn
//! deterministically from word lists, so two runs give the same bytes.

const EN: &[&str] = &[
    "officer",
    "passport",
    "worker",
    "employer",
    "recruitment",
    "debt",
    "wages",
    "airport",
    "vessel",
    "residence",
    "permit",
    "victim",
    "referral",
    "shelter",
    "contract",
    "agency",
    "interview",
    "coercion",
    "deception",
    "labour",
    "document",
    "border",
    "inspection",
    "fee",
];
const AR: &[&str] = &[
    "الضابط",
    "جواز",
    "العامل",
    "صاحب",
    "التجنيد",
    "الدين",
    "الأجور",
    "المطار",
    "السفينة",
    "الإقامة",
    "تصريح",
    "الضحية",
    "الإحالة",
    "المأوى",
    "العقد",
    "الوكالة",
    "المقابلة",
    "القسر",
    "الخداع",
    "العمل",
    "الوثيقة",
    "الحدود",
    "التفتيش",
    "الرسوم",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize
    }
}

fn sentence(rng: &mut Rng, words: &[&str], chars: usize, end: &str) -> String {
    let mut s = String::new();
    while s.chars().count() < chars {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(words[rng.next() % words.len()]);
    }
    s.push_str(end);
    s
}

/// A text field in both languages, or in English alone (the Arabic is drawn all the same, so
/// that the English of every variant is the same text).
fn text(rng: &mut Rng, chars: usize, end_en: &str, end_ar: &str, langs: Langs) -> String {
    let en = sentence(rng, EN, chars, end_en);
    let ar = sentence(rng, AR, chars, end_ar);
    match langs {
        Langs::Both => format!("{{ en = \"{en}\", ar = \"{ar}\" }}"),
        Langs::En => format!("\"{en}\""),
    }
}

/// The languages of a generated bank.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Langs {
    /// English and Arabic (the benchmark bank).
    Both,
    /// English only (a one-language bank: what the peer quiz reads too).
    En,
}

/// The topic of the generated bank.
pub const TOPIC: &str = "generated";

/// One generated question, in English, as drawn.
struct Generated {
    kind: &'static str,
    prompt: String,
    /// (text, right) for each choice; true-false questions have none.
    choices: Vec<String>,
    answer: Vec<usize>,
    truth: bool,
    explanation: String,
}

/// The `n` questions in order, with the text of each field as [`bank_in`] writes it.
fn questions(n: usize, langs: Langs) -> Vec<Generated> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..n)
        .map(|i| {
            let kind = match i % 20 {
                0..=13 => "single",
                14..=16 => "multiple",
                _ => "true-false",
            };
            let prompt = text(&mut rng, 200, "?", "؟", langs);
            let choices = if kind == "true-false" {
                Vec::new()
            } else {
                (0..4).map(|_| text(&mut rng, 40, "", "", langs)).collect()
            };
            let answer = match kind {
                "single" => vec![i % 4],
                "multiple" => vec![0, 2],
                _ => Vec::new(),
            };
            let explanation = text(&mut rng, 200, ".", ".", langs);
            Generated {
                kind,
                prompt,
                choices,
                answer,
                truth: i % 2 == 0,
                explanation,
            }
        })
        .collect()
}

/// A valid bilingual bank of `n` questions (70 % single, 15 % multiple, 15 % true-false).
#[must_use]
pub fn bank(n: usize) -> String {
    bank_in(n, Langs::Both)
}

/// A valid bank of `n` questions in `langs`.
#[must_use]
pub fn bank_in(n: usize, langs: Langs) -> String {
    let mut out = String::with_capacity(n * 1400);
    match langs {
        Langs::Both => out.push_str(&format!(
            "format = 1\nid = \"generated\"\ntopic = \"{TOPIC}\"\nlanguages = [\"en\", \"ar\"]\n\
             title = {{ en = \"Generated bank of {n} questions\", ar = \"بنك مولّد من {n} سؤال\" }}\n\n\
             [defaults]\npoints = 1\n"
        )),
        Langs::En => out.push_str(&format!(
            "format = 1\nid = \"generated\"\ntopic = \"{TOPIC}\"\nlanguages = [\"en\"]\n\
             title = \"Generated bank of {n} questions\"\n\n[defaults]\npoints = 1\n"
        )),
    }
    let diffs = ["easy", "medium", "hard"];
    for (i, q) in questions(n, langs).into_iter().enumerate() {
        out.push_str(&format!(
            "\n[[question]]\nid = \"gen-{i:05}\"\ntype = \"{}\"\ndifficulty = \"{}\"\n\
             tags = [\"generated\", \"t{}\"]\nprompt = {}\n",
            q.kind,
            diffs[i % 3],
            i % 7,
            q.prompt
        ));
        match q.kind {
            "true-false" => out.push_str(&format!("answer = {}\n", q.truth)),
            _ => {
                out.push_str("choices = [\n");
                for c in &q.choices {
                    out.push_str(&format!("  {c},\n"));
                }
                out.push_str("]\n");
                if q.kind == "single" {
                    out.push_str(&format!(
                        "answer = \"{}\"\n",
                        ['a', 'b', 'c', 'd'][q.answer[0]]
                    ));
                } else {
                    out.push_str("answer = [\"a\", \"c\"]\n");
                }
            }
        }
        out.push_str(&format!(
            "explanation = {}\nsource = \"Generated source, art. {}\"\n",
            q.explanation,
            i % 50 + 1
        ));
    }
    out
}

/// The same `n` questions, in English, as a quiz file of the peer quiz (termquiz's Markdown:
/// YAML front matter with an open time window, then one `## N. Title` section per question,
/// `- [x]` marking the right choices; a true-false question has the choices True and False).
#[must_use]
pub fn peer_markdown(n: usize) -> String {
    let unquote = |s: &str| s.trim_matches('"').to_owned();
    let mut out = format!(
        "---\ntitle: \"Generated bank of {n} questions\"\nstart: 2020-01-01T00:00:00+00:00\n\
         end: 2099-12-31T23:59:59+00:00\n---\n\n# Generated bank of {n} questions\n\n\
         Answer every question.\n"
    );
    for (i, q) in questions(n, Langs::En).into_iter().enumerate() {
        out.push_str(&format!(
            "\n---\n\n## {}. Question {}\n\n{}\n\n",
            i + 1,
            i + 1,
            unquote(&q.prompt)
        ));
        let choices: Vec<(String, bool)> = if q.kind == "true-false" {
            vec![("True".into(), q.truth), ("False".into(), !q.truth)]
        } else {
            q.choices
                .iter()
                .enumerate()
                .map(|(k, c)| (unquote(c), q.answer.contains(&k)))
                .collect()
        };
        for (c, right) in choices {
            out.push_str(&format!("- [{}] {c}\n", if right { 'x' } else { ' ' }));
        }
    }
    out
}
