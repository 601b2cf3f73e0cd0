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

fn text(rng: &mut Rng, chars: usize, end_en: &str, end_ar: &str) -> String {
    let en = sentence(rng, EN, chars, end_en);
    let ar = sentence(rng, AR, chars, end_ar);
    format!("{{ en = \"{en}\", ar = \"{ar}\" }}")
}

/// The topic of the generated bank.
pub const TOPIC: &str = "generated";

/// A valid bank of `n` questions (70 % single, 15 % multiple, 15 % true-false).
#[must_use]
pub fn bank(n: usize) -> String {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = String::with_capacity(n * 1400);
    out.push_str(&format!(
        "format = 1\nid = \"generated\"\ntopic = \"{TOPIC}\"\nlanguages = [\"en\", \"ar\"]\n\
         title = {{ en = \"Generated bank of {n} questions\", ar = \"بنك مولّد من {n} سؤال\" }}\n\n\
         [defaults]\npoints = 1\n"
    ));
    let diffs = ["easy", "medium", "hard"];
    for i in 0..n {
        let kind = match i % 20 {
            0..=13 => "single",
            14..=16 => "multiple",
            _ => "true-false",
        };
        out.push_str(&format!(
            "\n[[question]]\nid = \"gen-{i:05}\"\ntype = \"{kind}\"\ndifficulty = \"{}\"\n\
             tags = [\"generated\", \"t{}\"]\nprompt = {}\n",
            diffs[i % 3],
            i % 7,
            text(&mut rng, 200, "?", "؟")
        ));
        match kind {
            "true-false" => out.push_str(&format!("answer = {}\n", i % 2 == 0)),
            _ => {
                out.push_str("choices = [\n");
                for _ in 0..4 {
                    out.push_str(&format!("  {},\n", text(&mut rng, 40, "", "")));
                }
                out.push_str("]\n");
                if kind == "single" {
                    out.push_str(&format!("answer = \"{}\"\n", ['a', 'b', 'c', 'd'][i % 4]));
                } else {
                    out.push_str("answer = [\"a\", \"c\"]\n");
                }
            }
        }
        out.push_str(&format!(
            "explanation = {}\nsource = \"Generated source, art. {}\"\n",
            text(&mut rng, 200, ".", "."),
            i % 50 + 1
        ));
    }
    out
}
