//! Starter templates: a commented bank with one question of each type, and a commented exam.

use super::clean::{slug, toml_str};
use std::fmt::Write as _;

/// One sample text in English and Arabic. Other languages get the English text to translate.
struct T {
    en: &'static str,
    ar: &'static str,
}

const fn t(en: &'static str, ar: &'static str) -> T {
    T { en, ar }
}

fn pick<'a>(x: &'a T, lang: &str) -> &'a str {
    if lang == "ar" { x.ar } else { x.en }
}

/// `{ en = "...", ar = "..." }` for the requested languages.
fn text(x: &T, langs: &[String]) -> String {
    let parts: Vec<String> = langs
        .iter()
        .map(|l| format!("{l} = {}", toml_str(pick(x, l))))
        .collect();
    format!("{{ {} }}", parts.join(", "))
}

fn list(items: &[T], langs: &[String]) -> String {
    let mut s = String::from("[\n");
    for i in items {
        let _ = writeln!(s, "  {},", text(i, langs));
    }
    s.push(']');
    s
}

const SOURCE: &str = "Trafficking in Persons Protocol (Palermo Protocol), art. 3";

/// A commented starter bank with one question of each of the seven types, about the definition of
/// trafficking in persons (Palermo Protocol, art. 3). It loads with no error and no warning.
///
/// `id` and `topic` are made valid ids (`my-bank` when nothing is left); `langs` are language
/// codes (English is used when none is valid). Texts are given in English and Arabic; any other
/// language gets the English text, to be translated.
#[must_use]
pub fn starter_bank(id: &str, langs: &[&str], topic: &str) -> String {
    let id = Some(slug(id))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "my-bank".to_owned());
    let topic = Some(slug(topic))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| id.clone());
    let mut ls: Vec<String> = Vec::new();
    for l in langs {
        let l = slug(l);
        if !l.is_empty() && !ls.contains(&l) {
            ls.push(l);
        }
    }
    if ls.is_empty() {
        ls.push("en".to_owned());
    }
    let others: Vec<&str> = ls
        .iter()
        .map(String::as_str)
        .filter(|l| *l != "en" && *l != "ar")
        .collect();
    let quoted: Vec<String> = ls.iter().map(|l| toml_str(l)).collect();

    let mut s = String::new();
    s.push_str("# A tipquiz question bank. Check it with `tipquiz check FILE`.\n");
    s.push_str("# Text values are tables with one entry per language listed in `languages`.\n");
    s.push_str("# Write Arabic with plain Arabic letters: the screen shapes and orders them.\n");
    if !others.is_empty() {
        let _ = writeln!(
            s,
            "# The {} texts below are copies of the English ones: translate them.",
            others.join(", ")
        );
    }
    s.push_str("\n# The format version of this file.\nformat = 1\n");
    s.push_str("# The bank id: lower-case letters, digits and `-`, unique among your banks.\n");
    let _ = writeln!(s, "id = {}", toml_str(&id));
    s.push_str("# The topic (course module); exams draw questions by topic.\n");
    let _ = writeln!(s, "topic = {}", toml_str(&topic));
    let _ = writeln!(s, "languages = [{}]", quoted.join(", "));
    let title = T {
        en: "Starter bank: the definition of trafficking in persons",
        ar: "بنك أسئلة أولي: تعريف «الاتجار بالأشخاص»",
    };
    let desc = T {
        en: "One question of each type on art. 3 of the Palermo Protocol. Replace them with your own.",
        ar: "سؤال واحد من كل نوع عن المادة 3 من بروتوكول باليرمو. استبدل بها أسئلتك.",
    };
    let _ = writeln!(s, "title = {}", text(&title, &ls));
    let _ = writeln!(s, "description = {}", text(&desc, &ls));
    s.push_str("\n# Values every question has unless it sets its own.\n[defaults]\npoints = 1\n");
    s.push_str("# time_limit = \"60s\"\n");

    // 1. single
    s.push_str(
        "\n# ---------------------------------------------------------------- single\n\
         # One right choice. `answer` is the letter of the right choice: \"a\" is the first.\n\
         # Every question needs an id unique across all banks (prefix it with the bank id and\n\
         # never reuse or renumber one), a prompt, an explanation and a source.\n",
    );
    let _ = writeln!(s, "[[question]]\nid = {}", toml_str(&format!("{id}-001")));
    s.push_str("type = \"single\"\n# easy, medium or hard.\ndifficulty = \"easy\"\n");
    s.push_str("# Tags: lower-case letters, digits and `-`; exams can draw by tag.\n");
    s.push_str("tags = [\"definition\", \"palermo-protocol\"]\n");
    let _ = writeln!(
        s,
        "prompt = {}",
        text(
            &t(
                "Under art. 3(a) of the Palermo Protocol, which three elements make up trafficking in persons?",
                "وفقًا للمادة 3 (أ) من بروتوكول باليرمو، ما العناصر الثلاثة التي يقوم عليها «الاتجار بالأشخاص»؟",
            ),
            &ls
        )
    );
    let _ = writeln!(
        s,
        "choices = {}",
        list(
            &[
                t(
                    "The act, the means and the purpose",
                    "الفعل والوسيلة والغرض"
                ),
                t(
                    "The act, the profit and a border crossing",
                    "الفعل والربح وعبور الحدود"
                ),
                t(
                    "The means, the consent and the nationality",
                    "الوسيلة والموافقة والجنسية"
                ),
                t(
                    "The purpose, violence and a border crossing",
                    "الغرض والعنف وعبور الحدود"
                ),
            ],
            &ls
        )
    );
    s.push_str("answer = \"a\"\n");
    let _ = writeln!(
        s,
        "explanation = {}",
        text(
            &t(
                "Art. 3(a) defines trafficking by an act (recruitment, transportation, transfer, harbouring or receipt of persons), a means (such as the threat or use of force, coercion, deception or the abuse of a position of vulnerability) and a purpose of exploitation. Crossing a border is not part of the definition.",
                "تعرّف المادة 3 (أ) «الاتجار بالأشخاص» بفعل (تجنيد أشخاص أو نقلهم أو تنقيلهم أو إيواؤهم أو استقبالهم)، ووسيلة (كالتهديد بالقوة أو استعمالها أو القسر أو الخداع أو إساءة استغلال حالة استضعاف)، وغرض هو الاستغلال. وليس عبور الحدود جزءًا من التعريف.",
            ),
            &ls
        )
    );
    s.push_str("# The instrument and article (a plain string, or one text per language).\n");
    let _ = writeln!(s, "source = {}", toml_str(&format!("{SOURCE}(a)")));
    s.push_str("# Optional: fact ids from the course fact sheet, e.g. facts = [\"M3-05\"].\n");

    // 2. multiple
    s.push_str(
        "\n# ---------------------------------------------------------------- multiple\n\
         # Several right choices: `answer` lists their letters.\n",
    );
    let _ = writeln!(s, "[[question]]\nid = {}", toml_str(&format!("{id}-002")));
    s.push_str(
        "type = \"multiple\"\ndifficulty = \"medium\"\ntags = [\"definition\", \"means\"]\n",
    );
    let _ = writeln!(
        s,
        "prompt = {}",
        text(
            &t(
                "Which of these are 'means' under art. 3(a)? Select all that apply.",
                "أي مما يلي من «الوسائل» وفقًا للمادة 3 (أ)؟ اختر كل ما ينطبق.",
            ),
            &ls
        )
    );
    let _ = writeln!(
        s,
        "choices = {}",
        list(
            &[
                t("Deception", "الخداع"),
                t(
                    "Abuse of a position of vulnerability",
                    "إساءة استغلال حالة استضعاف"
                ),
                t("Transportation", "النقل"),
                t("Forced labour", "السخرة"),
            ],
            &ls
        )
    );
    s.push_str("answer = [\"a\", \"b\"]\n");
    let _ = writeln!(
        s,
        "explanation = {}",
        text(
            &t(
                "Deception and the abuse of a position of vulnerability are means. Transportation is an act, and forced labour is a form of exploitation (the purpose).",
                "الخداع وإساءة استغلال حالة استضعاف من الوسائل. أما النقل فمن الأفعال، والسخرة من صور الاستغلال (الغرض).",
            ),
            &ls
        )
    );
    let _ = writeln!(s, "source = {}", toml_str(&format!("{SOURCE}(a)")));

    // 3. true-false
    s.push_str(
        "\n# ---------------------------------------------------------------- true-false\n\
         # A statement: `answer` is true or false (no quotes).\n",
    );
    let _ = writeln!(s, "[[question]]\nid = {}", toml_str(&format!("{id}-003")));
    s.push_str(
        "type = \"true-false\"\ndifficulty = \"medium\"\ntags = [\"definition\", \"children\"]\n",
    );
    let _ = writeln!(
        s,
        "prompt = {}",
        text(
            &t(
                "Where the victim is a child, the 'means' element does not have to be shown (art. 3(c)).",
                "إذا كانت الضحية طفلًا، فلا يلزم إثبات عنصر «الوسيلة» (المادة 3 (ج)).",
            ),
            &ls
        )
    );
    s.push_str("answer = true\n");
    let _ = writeln!(
        s,
        "explanation = {}",
        text(
            &t(
                "Art. 3(c): the recruitment, transportation, transfer, harbouring or receipt of a child for the purpose of exploitation is trafficking in persons even if it involves none of the means.",
                "المادة 3 (ج): يُعدّ تجنيد طفل أو نقله أو تنقيله أو إيواؤه أو استقباله لغرض الاستغلال «اتجارًا بالأشخاص» حتى إن لم ينطوِ على أي من الوسائل.",
            ),
            &ls
        )
    );
    let _ = writeln!(s, "source = {}", toml_str(&format!("{SOURCE}(c)")));

    // 4. short
    s.push_str(
        "\n# ---------------------------------------------------------------- short\n\
         # A typed answer: `answer` lists the accepted answers per language (case and extra\n\
         # spaces do not matter). `points` and `time_limit` may be set per question.\n",
    );
    let _ = writeln!(s, "[[question]]\nid = {}", toml_str(&format!("{id}-004")));
    s.push_str("type = \"short\"\ndifficulty = \"easy\"\ntags = [\"definition\", \"children\"]\n");
    let _ = writeln!(
        s,
        "prompt = {}",
        text(
            &t(
                "Under art. 3(d), a 'child' is any person under what age? Type the number.",
                "وفقًا للمادة 3 (د)، يُقصد بـ«الطفل» أي شخص دون أي سن؟ اكتب العدد.",
            ),
            &ls
        )
    );
    let answers: Vec<String> = ls
        .iter()
        .map(|l| {
            let a: &[&str] = if l == "ar" {
                &["18", "١٨", "ثماني عشرة", "الثامنة عشرة"]
            } else {
                &["18", "eighteen"]
            };
            let q: Vec<String> = a.iter().map(|x| toml_str(x)).collect();
            format!("{l} = [{}]", q.join(", "))
        })
        .collect();
    let _ = writeln!(s, "answer = {{ {} }}", answers.join(", "));
    let _ = writeln!(
        s,
        "explanation = {}",
        text(
            &t(
                "Art. 3(d): 'child' means any person under eighteen years of age.",
                "المادة 3 (د): يُقصد بتعبير «طفل» أي شخص دون الثامنة عشرة من العمر.",
            ),
            &ls
        )
    );
    let _ = writeln!(s, "source = {}", toml_str(&format!("{SOURCE}(d)")));
    s.push_str("points = 1\n# time_limit = \"90s\"\n");

    // 5. order
    s.push_str(
        "\n# ---------------------------------------------------------------- order\n\
         # Put items in sequence: list `items` in the RIGHT order; the screen shuffles them.\n",
    );
    let _ = writeln!(s, "[[question]]\nid = {}", toml_str(&format!("{id}-005")));
    s.push_str("type = \"order\"\ndifficulty = \"medium\"\ntags = [\"definition\"]\n");
    let _ = writeln!(
        s,
        "prompt = {}",
        text(
            &t(
                "Put the three elements in the order in which art. 3(a) states them.",
                "رتّب العناصر الثلاثة بالترتيب الذي تذكرها به المادة 3 (أ).",
            ),
            &ls
        )
    );
    let _ = writeln!(
        s,
        "items = {}",
        list(
            &[
                t("The act: what is done", "الفعل: ماذا يُرتكب"),
                t("The means: how it is done", "الوسيلة: كيف يُرتكب"),
                t("The purpose: why it is done", "الغرض: لماذا يُرتكب"),
            ],
            &ls
        )
    );
    let _ = writeln!(
        s,
        "explanation = {}",
        text(
            &t(
                "Art. 3(a) names the acts first, then the means ('by means of ...'), then the purpose ('for the purpose of exploitation').",
                "تذكر المادة 3 (أ) الأفعال أولًا، ثم الوسائل («بواسطة...»)، ثم الغرض («لغرض الاستغلال»).",
            ),
            &ls
        )
    );
    let _ = writeln!(s, "source = {}", toml_str(&format!("{SOURCE}(a)")));

    // 6. match
    s.push_str(
        "\n# ---------------------------------------------------------------- match\n\
         # Pair each left item with its right item: write each pair as it should be matched.\n",
    );
    let _ = writeln!(s, "[[question]]\nid = {}", toml_str(&format!("{id}-006")));
    s.push_str("type = \"match\"\ndifficulty = \"hard\"\ntags = [\"definition\"]\n");
    let _ = writeln!(
        s,
        "prompt = {}",
        text(
            &t(
                "Match each example to the element of the definition it belongs to.",
                "طابق كل مثال بعنصر التعريف الذي ينتمي إليه.",
            ),
            &ls
        )
    );
    s.push_str("pairs = [\n");
    for (l, r) in [
        (t("Harbouring a person", "إيواء شخص"), t("The act", "الفعل")),
        (
            t("The threat or use of force", "التهديد بالقوة أو استعمالها"),
            t("The means", "الوسيلة"),
        ),
        (
            t("Forced labour or services", "السخرة أو الخدمة قسرًا"),
            t("The purpose (exploitation)", "الغرض (الاستغلال)"),
        ),
    ] {
        let _ = writeln!(
            s,
            "  {{ left = {}, right = {} }},",
            text(&l, &ls),
            text(&r, &ls)
        );
    }
    s.push_str("]\n");
    let _ = writeln!(
        s,
        "explanation = {}",
        text(
            &t(
                "Harbouring is one of the acts, the threat or use of force is a means, and forced labour or services is a form of exploitation, the purpose.",
                "الإيواء من الأفعال، والتهديد بالقوة أو استعمالها من الوسائل، والسخرة أو الخدمة قسرًا من صور الاستغلال، وهو الغرض.",
            ),
            &ls
        )
    );
    let _ = writeln!(s, "source = {}", toml_str(&format!("{SOURCE}(a)")));
    s.push_str("# Set `shuffle = false` to keep the order of choices, items or pairs on screen.\nshuffle = true\n");

    // 7. numerical
    s.push_str(
        "\n# ---------------------------------------------------------------- numerical\n\
         # A typed number: right when within `tolerance` of `answer` (default 0: exactly).\n\
         # Arabic-Indic digits are accepted. `units` are optional after the number; the first\n\
         # unit's multiplier is 1. `partial` gives part of the points for a near value.\n",
    );
    let _ = writeln!(s, "[[question]]\nid = {}", toml_str(&format!("{id}-007")));
    s.push_str("type = \"numerical\"\ndifficulty = \"medium\"\ntags = [\"penalties\"]\n");
    let _ = writeln!(
        s,
        "prompt = {}",
        text(
            &t(
                "For how many years of imprisonment does art. 2 of Law No. 91 of 2013 punish trafficking in persons?",
                "بالحبس كم سنة تعاقب المادة 2 من القانون رقم 91 لسنة 2013 على الاتجار بالأشخاص؟",
            ),
            &ls
        )
    );
    s.push_str("answer = 15\ntolerance = 0\n");
    s.push_str(
        "units = [{ unit = \"years\", multiplier = 1 }, { unit = \"سنة\", multiplier = 1 }, { unit = \"months\", multiplier = 12 }]\n",
    );
    s.push_str("# partial = [{ credit = 50, answer = 10, tolerance = 0 }]\n");
    let _ = writeln!(
        s,
        "explanation = {}",
        text(
            &t(
                "Art. 2 sets a fixed term of fifteen years, not a maximum.",
                "تحدد المادة 2 مدة ثابتة هي خمس عشرة سنة، لا حدًّا أقصى.",
            ),
            &ls
        )
    );
    s.push_str("source = \"Kuwait, Law No. 91 of 2013, art. 2\"\nfacts = [\"M2-07\"]\n");
    s
}

/// A commented starter exam definition that draws from topic `indicators`. It parses with no
/// error. `id` is made a valid id (`my-exam` when nothing is left).
#[must_use]
pub fn starter_exam(id: &str) -> String {
    let id = Some(slug(id))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "my-exam".to_owned());
    let mut s = String::new();
    s.push_str(
        "# A tipquiz exam definition: which questions to draw, timing, scoring and review.\n",
    );
    s.push_str("# Check it with `tipquiz check FILE` together with the banks it draws from.\n\n");
    s.push_str("format = 1\n");
    s.push_str(
        "# The exam id: results are grouped by it, so keep it once trainees have sat the exam.\n",
    );
    let _ = writeln!(s, "id = {}", toml_str(&id));
    s.push_str("title = { en = \"Indicators of trafficking in persons: assessment\", ar = \"مؤشرات الاتجار بالأشخاص: تقييم\" }\n");
    s.push_str("description = { en = \"Twenty questions on recognising indicators.\", ar = \"عشرون سؤالًا عن التعرّف على المؤشرات.\" }\n");
    s.push_str("\n# Banks to draw from, by id (leave out to draw from every loaded bank).\n");
    s.push_str("# banks = [\"indicators\"]\n");
    s.push_str("\n# \"exam\": feedback only after submitting; \"practice\": after each answer.\n");
    s.push_str("mode = \"exam\"\n");
    s.push_str("# Total time (\"90s\", \"25m\", \"1h30m\"); leave out for no limit.\n");
    s.push_str("time_limit = \"30m\"\n");
    s.push_str("# Time per question (a question's own `time_limit` comes first).\n");
    s.push_str("# question_time_limit = \"90s\"\n");
    s.push_str("shuffle_questions = true\nshuffle_choices = true\n");
    s.push_str("# \"free\": any question, any time; \"forward-only\": no going back.\n");
    s.push_str("navigation = \"free\"\n");
    s.push_str("# Pass mark for the total, in percent.\npass_mark = 70\n");
    s.push_str("# Pass marks per topic, in percent:\n# pass_marks = { indicators = 60 }\n");
    s.push_str("# After submitting: \"score\", \"wrong\" (which were wrong) or \"answers\" (everything).\n");
    s.push_str("review = \"answers\"\n");
    s.push_str("\n[scoring]\n");
    s.push_str(
        "# Partial credit for multiple, order and match questions.\npartial_credit = true\n",
    );
    s.push_str("# Fraction of a question's points taken off for a wrong answer (0 = none).\nnegative_marking = 0\n");
    s.push_str("# Kahoot-style points for answering fast.\nspeed_points = false\n");
    s.push_str(
        "\n# Pools: each draws `count` questions at random from the questions that match it.\n",
    );
    s.push_str("# Filters: topic, tags (any of them), difficulty, or a list of question ids.\n");
    s.push_str(
        "[[pool]]\ntopic = \"indicators\"\ndifficulty = [\"easy\", \"medium\"]\ncount = 14\n\n",
    );
    s.push_str("[[pool]]\ntopic = \"indicators\"\ndifficulty = \"hard\"\ncount = 6\n");
    s.push_str("\n# [[pool]]\n# questions = [\"ind-001\", \"ind-002\"]\n");
    s
}
