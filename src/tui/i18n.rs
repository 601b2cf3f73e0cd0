//! Every user-visible string of the screens, one catalogue per language.
//!
//! Templates use `{0}`, `{1}`, ... for values; [`fill`] puts them in. Key names stay ASCII in
//! both languages. Arabic follows the interface glossary of the course.

use crate::text::Lang;

/// The strings of one language.
#[allow(missing_docs)]
pub struct Ui {
    pub app_title: &'static str,
    pub loading: &'static str,
    pub trainee: &'static str,
    pub trainee_hint: &'static str,
    pub language: &'static str,
    pub language_name: &'static str,
    pub digits: &'static str,
    pub exam: &'static str,
    pub quick_quiz: &'static str,
    pub topics: &'static str,
    pub all_topics: &'static str,
    pub questions_count: &'static str,
    pub time_limit: &'static str,
    pub no_limit: &'static str,
    pub mode: &'static str,
    pub practice: &'static str,
    pub exam_mode: &'static str,
    pub practice_short: &'static str,
    pub exam_short: &'static str,
    pub start: &'static str,
    pub need_trainee: &'static str,
    pub need_topic: &'static str,
    pub question_n_of: &'static str,
    pub time_left: &'static str,
    pub question_time_left: &'static str,
    pub one_minute_warning: &'static str,
    pub select_one: &'static str,
    pub select_all: &'static str,
    pub true_word: &'static str,
    pub false_word: &'static str,
    pub true_false_hint: &'static str,
    pub type_answer: &'static str,
    pub order_hint: &'static str,
    pub match_hint: &'static str,
    pub keys_practice_check: &'static str,
    pub flagged: &'static str,
    pub locked: &'static str,
    pub correct: &'static str,
    pub partly_correct: &'static str,
    pub incorrect: &'static str,
    pub unanswered: &'static str,
    pub correct_answer: &'static str,
    pub your_answer: &'static str,
    pub explanation: &'static str,
    pub source: &'static str,
    pub submit_title: &'static str,
    pub submit_question: &'static str,
    pub unanswered_list: &'static str,
    pub flagged_list: &'static str,
    pub none: &'static str,
    pub quit_title: &'static str,
    pub quit_question: &'static str,
    pub quit_note: &'static str,
    pub time_up: &'static str,
    pub results: &'static str,
    pub score: &'static str,
    pub percent: &'static str,
    pub passed: &'static str,
    pub failed: &'static str,
    pub pass_mark: &'static str,
    pub time_taken: &'static str,
    pub by_topic: &'static str,
    pub saved: &'static str,
    pub saving_failed: &'static str,
    pub review: &'static str,
    pub review_not_allowed: &'static str,
    pub help_title: &'static str,
    pub too_small: &'static str,
    pub resume_title: &'static str,
    pub resume_question: &'static str,
    pub resume_only: &'static str,
    pub goto_prompt: &'static str,
    pub not_allowed_back: &'static str,
    pub answer_locked: &'static str,
    pub nothing_to_check: &'static str,
    pub progress: &'static str,
    pub other_language: &'static str,
    pub easy: &'static str,
    pub calibrate_title: &'static str,
    pub calibrate_question: &'static str,
    pub medium: &'static str,
    pub hard: &'static str,
    // Compact layouts (terminals smaller than 60 x 16). Key hints list their parts, most
    // important first, separated by " · "; the screen keeps the parts that fit.
    pub app_title_short: &'static str,
    pub order_hint_compact: &'static str,
    pub match_hint_compact: &'static str,
    pub review_short: &'static str,
    /// What each key does, for the help and the key bars made from the keymap: (help line,
    /// key bar word), in the order of [`Does`].
    pub does: [(&'static str, &'static str); DOES],
}

/// How many [`Does`] there are.
pub const DOES: usize = 36;

/// What the help says a binding does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Does {
    /// Answer by label.
    Answer,
    /// Move the cursor.
    Cursor,
    /// Choose what is under the cursor.
    Choose,
    /// Next / previous question.
    Move,
    /// Flag.
    Flag,
    /// Go to.
    GoTo,
    /// Clear the answer.
    Clear,
    /// Confirm, check in practice.
    Confirm,
    /// The other language.
    OtherLanguage,
    /// Submit.
    Submit,
    /// Help.
    Help,
    /// Quit, asking.
    Quit,
    /// Save and leave at once.
    QuitNow,
    /// The Arabic display.
    Display,
    /// Type the answer.
    Type,
    /// Move the caret.
    Caret,
    /// Delete at the caret.
    Delete,
    /// Save the typed answer.
    Save,
    /// Pick up and drop an item.
    Grab,
    /// Move an item or the cursor.
    Arrange,
    /// Pair with the left item under the cursor.
    Pair,
    /// Move between fields.
    Field,
    /// Change the value.
    Change,
    /// Toggle a topic.
    Topic,
    /// Start.
    Start,
    /// Yes.
    Yes,
    /// No / back.
    No,
    /// Scroll.
    Scroll,
    /// Close.
    Close,
    /// Review the answers.
    Review,
    /// Retry saving.
    Retry,
    /// Finish.
    Finish,
    /// Type a number.
    Number,
    /// Resume.
    Resume,
    /// Start again.
    Restart,
    /// Back.
    Back,
}

impl Ui {
    /// What a key does: (help line, key bar word).
    #[must_use]
    pub fn does(&self, d: Does) -> (&'static str, &'static str) {
        self.does[d as usize]
    }
}

/// English.
pub static EN: Ui = Ui {
    app_title: "tipquiz: combating trafficking in persons",
    loading: "Loading…",
    trainee: "Trainee name or id",
    trainee_hint: "type your name or id",
    language: "Language",
    language_name: "English",
    digits: "Digits in Arabic",
    exam: "Exam",
    quick_quiz: "Quick quiz",
    topics: "Topics",
    all_topics: "all topics",
    questions_count: "Questions",
    time_limit: "Time limit",
    no_limit: "none",
    mode: "Mode",
    practice: "practice (feedback after each answer)",
    exam_mode: "exam (feedback at the end)",
    practice_short: "practice",
    exam_short: "exam",
    start: "Start",
    need_trainee: "Please enter your name or id first.",
    need_topic: "Please choose at least one topic.",
    question_n_of: "Question {0} / {1}",
    time_left: "Time left {0}",
    question_time_left: "this question {0}",
    one_minute_warning: "One minute left.",
    select_one: "Select one answer.",
    select_all: "Select all that apply.",
    true_word: "True",
    false_word: "False",
    true_false_hint: "Is the statement true or false?",
    type_answer: "Type your answer, then press Enter.",
    order_hint: "Put the items in the right order: Up/Down choose, Space pick up and drop, Enter confirm.",
    match_hint: "Match each item: Up/Down choose a left item, then press the letter of its match.",
    keys_practice_check: "Enter check",
    flagged: "flagged for review",
    locked: "locked: this answer can no longer be changed",
    correct: "Correct.",
    partly_correct: "Partly correct.",
    incorrect: "Incorrect.",
    unanswered: "Unanswered",
    correct_answer: "Correct answer",
    your_answer: "Your answer",
    explanation: "Explanation",
    source: "Source",
    submit_title: "Submit",
    submit_question: "Are you sure you want to submit? You cannot change your answers afterwards.",
    unanswered_list: "Unanswered questions: {0}",
    flagged_list: "Flagged questions: {0}",
    none: "none",
    quit_title: "Quit",
    quit_question: "Quit? Your progress is saved and you can resume later with the same name.",
    quit_note: "Your progress is saved. You can resume later with the same name.",
    time_up: "Time is up. Your answers were submitted automatically.",
    results: "Results",
    score: "Score",
    percent: "Percentage",
    passed: "PASSED",
    failed: "NOT PASSED",
    pass_mark: "pass mark {0}%",
    time_taken: "Time taken",
    by_topic: "By topic (%)",
    saved: "Saved: {0}",
    saving_failed: "Could not save to the results folder: {0}. Your attempt is kept on this computer: press w to retry, or run `tipquiz recover` later.",
    review: "Review",
    review_not_allowed: "This exam shows the score only.",
    help_title: "Help: keys",
    too_small: "Please enlarge the window (at least {0} x {1}).",
    resume_title: "Unfinished attempt",
    resume_question: "You have an unfinished attempt at this exam ({0} of {1} answered). Resume it?",
    resume_only: "An exam attempt can only be resumed: its clock keeps running.",
    goto_prompt: "Go to question: {0}",
    not_allowed_back: "This exam goes forward only.",
    answer_locked: "This answer can no longer be changed.",
    nothing_to_check: "Choose an answer first.",
    progress: "Answered {0} · flagged {1} · unanswered {2}",
    other_language: "Shown in the other language (F5 to switch back).",
    easy: "easy",
    calibrate_title: "Display check",
    calibrate_question: "Does the Arabic line above read correctly, with joined letters, from right to left?",
    medium: "medium",
    hard: "hard",
    app_title_short: "tipquiz: anti-trafficking",
    order_hint_compact: "Space pick up/drop · Enter confirm",
    match_hint_compact: "↑/↓ item, then the letter of its match",
    review_short: "Review",
    does: [
        (
            "choose an answer (tick or untick for 'select all')",
            "answer",
        ),
        ("move the cursor; scroll at the ends", "move"),
        ("choose or tick the answer under the cursor", "choose"),
        (
            "next / previous question (the arrows swap in Arabic)",
            "move",
        ),
        ("flag or unflag the question for review", "flag"),
        ("go to a question by its number", "go to"),
        ("clear the answer", "clear"),
        (
            "confirm (in practice: check and see the explanation)",
            "confirm",
        ),
        ("show the question in the other language", "language"),
        ("submit the attempt (asks first)", "submit"),
        ("this help", "help"),
        ("quit (asks first; your attempt is saved)", "quit"),
        ("save and leave at once", "leave now"),
        ("switch how Arabic is displayed", "display"),
        ("type the answer (Arabic or Latin letters, digits)", "type"),
        ("move in the text: left, right, start, end", "cursor"),
        ("delete before / after the cursor", "delete"),
        ("save the answer (in practice: check it)", "save"),
        ("pick up or drop the item under the cursor", "pick up"),
        ("move the cursor, or the item picked up", "move"),
        ("pair with the item under the cursor", "pair"),
        ("next / previous field", "field"),
        ("change the value", "change"),
        ("choose or leave out the topic", "topic"),
        ("start", "start"),
        ("yes", "yes"),
        ("no, go back", "no"),
        ("scroll", "scroll"),
        ("close", "close"),
        ("review the answers", "review"),
        ("try saving again", "retry saving"),
        ("finish", "finish"),
        ("type the question number", "number"),
        ("resume", "resume"),
        (
            "start again (the unfinished attempt is discarded)",
            "start again",
        ),
        ("back", "back"),
    ],
};

/// Arabic (Modern Standard Arabic).
pub static AR: Ui = Ui {
    app_title: "tipquiz: مكافحة الاتجار بالأشخاص",
    loading: "جارٍ التحميل…",
    trainee: "اسم المتدرب أو رقمه",
    trainee_hint: "اكتب اسمك أو رقمك",
    language: "اللغة",
    language_name: "العربية",
    digits: "شكل الأرقام",
    exam: "الامتحان",
    quick_quiz: "اختبار سريع",
    topics: "المواضيع",
    all_topics: "كل المواضيع",
    questions_count: "عدد الأسئلة",
    time_limit: "المدة المحددة",
    no_limit: "بلا حد",
    mode: "الوضع",
    practice: "وضع التدريب (الشرح بعد كل إجابة)",
    exam_mode: "وضع الامتحان (النتيجة في النهاية)",
    practice_short: "تدريب",
    exam_short: "امتحان",
    start: "بدء الاختبار",
    need_trainee: "اكتب اسمك أو رقمك أولاً.",
    need_topic: "اختر موضوعاً واحداً على الأقل.",
    question_n_of: "السؤال {0} من {1}",
    time_left: "الوقت المتبقي {0}",
    question_time_left: "لهذا السؤال {0}",
    one_minute_warning: "تبقّت دقيقة واحدة.",
    select_one: "اختر إجابة واحدة.",
    select_all: "اختر كل ما ينطبق.",
    true_word: "صح",
    false_word: "خطأ",
    true_false_hint: "حدِّد ما إذا كانت العبارة صحيحة أم خاطئة.",
    type_answer: "اكتب إجابتك، ثم اضغط Enter.",
    order_hint: "رتّب العناصر: Up/Down للتحديد، Space للرفع والوضع، Enter للتأكيد.",
    match_hint: "طابق كل عنصر: Up/Down لتحديد عنصر، ثم اضغط حرف ما يقابله.",
    keys_practice_check: "Enter تحقق",
    flagged: "مُعلَّم للمراجعة",
    locked: "مقفل: لا يمكن تعديل هذه الإجابة",
    correct: "إجابة صحيحة.",
    partly_correct: "إجابة صحيحة جزئياً.",
    incorrect: "إجابة خاطئة.",
    unanswered: "بلا إجابة",
    correct_answer: "الإجابة الصحيحة",
    your_answer: "إجابتك",
    explanation: "الشرح",
    source: "المصدر",
    submit_title: "تسليم",
    submit_question: "هل أنت متأكد من تسليم الإجابات؟ لن تتمكن من تعديلها بعد التسليم.",
    unanswered_list: "الأسئلة بلا إجابة: {0}",
    flagged_list: "الأسئلة المعلَّمة للمراجعة: {0}",
    none: "لا يوجد",
    quit_title: "خروج",
    quit_question: "هل تريد الخروج؟ حُفظ تقدّمك، ويمكنك الاستئناف لاحقاً بالاسم نفسه.",
    quit_note: "حُفظ تقدّمك، ويمكنك الاستئناف لاحقاً بالاسم نفسه.",
    time_up: "انتهى الوقت. سُلِّمت إجاباتك تلقائياً.",
    results: "النتائج",
    score: "الدرجة",
    percent: "النسبة المئوية",
    passed: "اجتزت الاختبار",
    failed: "لم تجتز الاختبار",
    pass_mark: "درجة النجاح {0}%",
    time_taken: "الوقت المستغرق",
    by_topic: "حسب الموضوع (%)",
    saved: "تم الحفظ: {0}",
    saving_failed: "تعذّر الحفظ في مجلد النتائج: {0}. محاولتك محفوظة على هذا الجهاز: اضغط w لإعادة المحاولة، أو شغّل tipquiz recover لاحقاً.",
    review: "مراجعة الإجابات",
    review_not_allowed: "يعرض هذا الامتحان الدرجة فقط.",
    help_title: "مساعدة: المفاتيح",
    too_small: "يرجى تكبير النافذة (على الأقل {0} × {1}).",
    resume_title: "محاولة غير مكتملة",
    resume_question: "لديك محاولة غير مكتملة في هذا الامتحان (أُجيب عن {0} من {1}). هل تريد استئنافها؟",
    resume_only: "لا يمكن إلا استئناف محاولة الامتحان: وقتها مستمر.",
    goto_prompt: "الانتقال إلى السؤال: {0}",
    not_allowed_back: "هذا الامتحان يسير إلى الأمام فقط.",
    answer_locked: "لا يمكن تعديل هذه الإجابة.",
    nothing_to_check: "اختر إجابة أولاً.",
    progress: "المُجاب عنها: {0} · المُعلَّمة للمراجعة: {1} · بلا إجابة: {2}",
    other_language: "معروض باللغة الأخرى (F5 للعودة).",
    easy: "سهل",
    calibrate_title: "فحص العرض",
    calibrate_question: "هل يظهر السطر العربي أعلاه صحيحاً، بحروف متصلة ومن اليمين إلى اليسار؟",
    medium: "متوسط",
    hard: "صعب",
    app_title_short: "tipquiz: مكافحة الاتجار بالأشخاص",
    order_hint_compact: "Space للرفع والوضع · Enter للتأكيد",
    match_hint_compact: "↑/↓ لتحديد عنصر، ثم حرف ما يقابله",
    review_short: "مراجعة",
    does: [
        ("اختيار إجابة (أو تبديلها في «اختر كل ما ينطبق»)", "إجابة"),
        ("تحريك المؤشر؛ التمرير عند الطرفين", "تحريك"),
        ("اختيار الإجابة التي عند المؤشر", "اختيار"),
        ("السؤال التالي / السابق (يتبادل السهمان بالعربية)", "تنقل"),
        ("وضع علامة للمراجعة على السؤال أو إزالتها", "وضع علامة"),
        ("الانتقال إلى سؤال برقمه", "انتقال"),
        ("مسح الإجابة", "مسح"),
        ("تأكيد (في وضع التدريب: التحقق وعرض الشرح)", "تأكيد"),
        ("عرض السؤال باللغة الأخرى", "اللغة"),
        ("تسليم الإجابات (بعد التأكيد)", "تسليم"),
        ("هذه المساعدة", "مساعدة"),
        ("خروج (بعد التأكيد؛ تُحفظ محاولتك)", "خروج"),
        ("الحفظ والخروج فوراً", "خروج فوري"),
        ("تبديل طريقة عرض العربية", "العرض"),
        ("كتابة الإجابة (حروف عربية أو لاتينية، وأرقام)", "كتابة"),
        ("التحرك في النص: يساراً، يميناً، البداية، النهاية", "المؤشر"),
        ("حذف ما قبل المؤشر / ما بعده", "حذف"),
        ("حفظ الإجابة (في وضع التدريب: التحقق منها)", "حفظ"),
        ("رفع العنصر الذي عند المؤشر أو وضعه", "رفع"),
        ("تحريك المؤشر، أو العنصر المرفوع", "تحريك"),
        ("مطابقة مع العنصر الذي عند المؤشر", "مطابقة"),
        ("الحقل التالي / السابق", "الحقل"),
        ("تغيير القيمة", "تغيير"),
        ("اختيار الموضوع أو تركه", "الموضوع"),
        ("بدء", "بدء"),
        ("نعم", "نعم"),
        ("لا، رجوع", "لا"),
        ("تمرير", "تمرير"),
        ("إغلاق", "إغلاق"),
        ("مراجعة الإجابات", "مراجعة"),
        ("إعادة محاولة الحفظ", "إعادة الحفظ"),
        ("إنهاء", "إنهاء"),
        ("كتابة رقم السؤال", "الرقم"),
        ("استئناف", "استئناف"),
        ("البدء من جديد (تُحذف المحاولة غير المكتملة)", "من جديد"),
        ("رجوع", "رجوع"),
    ],
};

/// The catalogue of a language.
#[must_use]
pub fn ui(lang: Lang) -> &'static Ui {
    match lang {
        Lang::En => &EN,
        Lang::Ar => &AR,
    }
}

/// Put values into a template's `{0}`, `{1}`, ... places.
#[must_use]
pub fn fill(template: &str, values: &[&str]) -> String {
    let mut out = template.to_owned();
    for (i, v) in values.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), v);
    }
    out
}

/// The choice label of position `i`: a b c ... in English, أ ب ج د ... in Arabic.
#[must_use]
pub fn choice_label(lang: Lang, i: usize) -> String {
    const AR_LABELS: [&str; 12] = ["أ", "ب", "ج", "د", "هـ", "و", "ز", "ح", "ط", "ي", "ك", "ل"];
    match lang {
        Lang::Ar if i < AR_LABELS.len() => AR_LABELS[i].to_owned(),
        _ => crate::bank::letter(i).to_string(),
    }
}

/// A duration for the screens: `1m14s` in English; in Arabic as a clock, `1:14` (minutes and
/// seconds) or `1:02:14`, which reads the same from either side and needs no unit letters
/// (`1 د 14 ث` was ambiguous).
#[must_use]
pub fn duration(lang: Lang, secs: u64) -> String {
    if lang != Lang::Ar {
        return crate::walk::format_duration(secs);
    }
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// A percentage as read in the language: `14%`; in Arabic the sign follows the number when
/// read from the right (`%14` on screen), as the bidi algorithm lays out the same text inside
/// an Arabic sentence.
#[must_use]
pub fn percent_label(lang: Lang, pct: u64) -> String {
    if lang.is_rtl() {
        format!("%{pct}")
    } else {
        format!("{pct}%")
    }
}

/// Topic names for the screens.
#[must_use]
pub fn topic_name(lang: Lang, topic: &str) -> String {
    let (en, ar) = match topic {
        "indicators" => ("Indicators", "المؤشرات"),
        "national-law" => ("National law", "القانون الوطني"),
        "international-law" => ("International law", "القانون الدولي"),
        "referral" => ("Referral mechanism", "آلية الإحالة"),
        "scenarios" => ("Scenarios", "حالات تطبيقية"),
        other => (other, other),
    };
    match lang {
        Lang::En => en.to_owned(),
        Lang::Ar => ar.to_owned(),
    }
}

/// The words of paced play's screen (`serve --paced`), one set per language.
#[allow(missing_docs)]
pub struct PacedUi {
    pub title: &'static str,
    pub lobby: &'static str,
    pub players: &'static str,
    pub seconds_left: &'static str,
    pub choose: &'static str,
    pub sent: &'static str,
    pub right: &'static str,
    pub wrong: &'static str,
    pub no_answer: &'static str,
    pub right_answer: &'static str,
    pub standing: &'static str,
    pub next_soon: &'static str,
    pub podium_title: &'static str,
    pub podium: &'static str,
    pub recorded: &'static str,
    pub leave: &'static str,
    pub over: &'static str,
}

/// Paced play in English.
pub static PACED_EN: PacedUi = PacedUi {
    title: "Live quiz",
    lobby: "Welcome, {0}. The instructor will open the first question soon.",
    players: "Trainees in the quiz: {0}",
    seconds_left: "{0} s left",
    choose: "Press the letter (or number) of your answer. Your first answer counts.",
    sent: "Answer sent. Waiting for the others…",
    right: "Right! +{0} points",
    wrong: "Wrong.",
    no_answer: "No answer in time.",
    right_answer: "The right answer: {0}",
    standing: "Your points: {0} · place {1} of {2}",
    next_soon: "The next question comes when the instructor opens it.",
    podium_title: "Final results",
    podium: "You are number {0} of {1}, with {2} points ({3} right).",
    recorded: "Your attempt is recorded.",
    leave: "Ctrl-C: leave",
    over: "This live quiz is over: new trainees cannot join any more.",
};

/// Paced play in Arabic.
pub static PACED_AR: PacedUi = PacedUi {
    title: "اختبار مباشر",
    lobby: "مرحباً {0}. سيعرض المدرب السؤال الأول بعد قليل.",
    players: "عدد المتدربين في الاختبار: {0}",
    seconds_left: "الوقت المتبقي: {0} ثانية",
    choose: "اضغط حرف إجابتك أو رقمها. تُحتسب إجابتك الأولى فقط.",
    sent: "أُرسلت إجابتك. بانتظار بقية المتدربين…",
    right: "إجابة صحيحة! +{0} نقطة",
    wrong: "إجابة خاطئة.",
    no_answer: "لم تُرسل إجابة في الوقت المحدد.",
    right_answer: "الإجابة الصحيحة: {0}",
    standing: "نقاطك: {0} · الترتيب {1} من {2}",
    next_soon: "يُعرض السؤال التالي عندما يفتحه المدرب.",
    podium_title: "النتائج النهائية",
    podium: "ترتيبك {0} من {1}، برصيد {2} نقطة ({3} إجابات صحيحة).",
    recorded: "سُجّلت محاولتك.",
    leave: "Ctrl-C: خروج",
    over: "انتهى هذا الاختبار المباشر: لا يمكن لمتدربين جدد الانضمام الآن.",
};

/// The words of paced play in `lang`.
#[must_use]
pub fn paced(lang: Lang) -> &'static PacedUi {
    match lang {
        Lang::En => &PACED_EN,
        Lang::Ar => &PACED_AR,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_in_order() {
        assert_eq!(fill(EN.question_n_of, &["7", "20"]), "Question 7 / 20");
        assert_eq!(fill(AR.question_n_of, &["7", "20"]), "السؤال 7 من 20");
    }

    #[test]
    fn both_catalogues_have_the_same_placeholders() {
        let pairs = [
            (EN.question_n_of, AR.question_n_of),
            (EN.time_left, AR.time_left),
            (EN.unanswered_list, AR.unanswered_list),
            (EN.saved, AR.saved),
            (EN.saving_failed, AR.saving_failed),
            (EN.too_small, AR.too_small),
            (EN.resume_question, AR.resume_question),
            (EN.progress, AR.progress),
            (EN.pass_mark, AR.pass_mark),
        ];
        for (e, a) in pairs {
            for i in 0..4 {
                let p = format!("{{{i}}}");
                assert_eq!(e.contains(&p), a.contains(&p), "{e} / {a}");
            }
        }
        for (e, a) in EN.does.iter().zip(AR.does.iter()) {
            assert!(!e.0.is_empty() && !e.1.is_empty() && !a.0.is_empty() && !a.1.is_empty());
        }
    }

    #[test]
    fn durations_use_the_units_of_the_language() {
        assert_eq!(duration(Lang::En, 74), "1m14s");
        assert_eq!(duration(Lang::Ar, 74), "1:14");
        assert_eq!(duration(Lang::Ar, 60), "1:00");
        assert_eq!(duration(Lang::Ar, 4), "0:04");
        assert_eq!(duration(Lang::Ar, 3_900), "1:05:00");
    }

    #[test]
    fn arabic_key_hints_have_no_range_or_key_combination_after_arabic_letters() {
        // After Arabic letters the bidi algorithm turns digits into Arabic numbers, and "1-9"
        // then reads "9-1"; "^F" reads "F^". A hint may start with them, not have them later.
        // (The key bars and the help are made from the keymap, which isolates its key names;
        // see the keymap's tests.)
        let hints = [
            AR.keys_practice_check,
            AR.order_hint,
            AR.match_hint,
            AR.order_hint_compact,
            AR.match_hint_compact,
            AR.type_answer,
        ];
        for h in hints {
            let arabic_at = h.find(|c: char| ('\u{0600}'..='\u{06FF}').contains(&c));
            let rest = arabic_at.map_or("", |i| &h[i..]);
            for trap in ["1-9", "^"] {
                assert!(!rest.contains(trap), "{trap} after Arabic letters in {h:?}");
            }
        }
    }

    #[test]
    fn arabic_choice_labels_follow_abjad_order() {
        assert_eq!(choice_label(Lang::Ar, 0), "أ");
        assert_eq!(choice_label(Lang::Ar, 3), "د");
        assert_eq!(choice_label(Lang::En, 2), "c");
    }
}
