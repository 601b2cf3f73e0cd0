//! The command line in Arabic (Modern Standard Arabic, as in Gulf legal and police training; see the glossary in
//! `shared/facts/glossary-ar-en.md`). Key names, codes, file names and TOML stay ASCII.

use super::K;

/// The template of `key`.
#[must_use]
#[allow(clippy::too_many_lines)]
pub fn text(key: K) -> &'static str {
    match key {
        K::Verbatim => "{0}",
        K::Key => "`{0}`",
        K::And => "{0} و {1}",
        K::LevelError => "خطأ",
        K::LevelWarning => "تحذير",
        K::LevelHelp => "مساعدة",
        K::TooManyProblems => "أكثر من {0} مشكلة؛ لن يُبلَّغ عن بقية مشكلات هذا الملف",
        K::TooManyProblemsHint => "أصلِح المشكلات أعلاه ثم أعِد الفحص",
        K::DidYouMean => "هل تقصد `{0}`؟",
        K::KeysOf => "مفاتيح {0} هي: {1}",
        K::UnknownKeyIn => "مفتاح غير معروف `{0}` في {1}",
        K::HasNoKey => "لا يوجد المفتاح `{1}` في {0}",
        K::AddLineSuchAs => "أضِف سطراً مثل `{0} = {1}`",
        K::TextTooLong => "طول {0} هو {1} KiB؛ والحد الأقصى للنص {2} KiB",
        K::TextTooLongHint => "اختصِره: يقرؤه المتدرب في شاشة واحدة",
        K::IsEmpty => "{0} فارغ",
        K::IsEmptyHint => "اكتب النص، أو احذف المفتاح إن كان اختيارياً",
        K::MustBeNot => "يجب أن يكون {0} {1}، لا {2}",
        K::WriteHere => {
            "اكتب هنا {0} (يوضع النص بين علامتَي تنصيص مزدوجتين، أما true وfalse والأرقام فلا)"
        }
        K::AString => "نصاً",
        K::AnInteger => "عدداً صحيحاً",
        K::AFloat => "عدداً عشرياً",
        K::ABoolean => "قيمة منطقية",
        K::ADateTime => "تاريخاً ووقتاً",
        K::AnArray => "قائمة",
        K::ATable => "جدولاً",
        K::TrueOrFalse => "true أو false",
        K::AWholeNumber => "عدداً صحيحاً",
        K::StringOrLangTable => "نصاً أو جدولاً باللغات",
        K::ALetterSuchAs => "حرفاً مثل \"b\"",
        K::AListOfStrings => "قائمة نصوص",
        K::ATableOfLists => "جدولاً فيه قائمة لكل لغة، مثل {0}",
        K::ANumberTo100 => "عدداً من 0 إلى 100",
        K::ForbiddenChar => "يحتوي {0} على محرف التحكم أو الاتجاه U+{1}",
        K::ForbiddenCharHint => {
            "احذفه: يُحدَّد الاتجاه من لغة النص، وقد تسيطر محارف التحكم على طرفية المتدرب"
        }
        K::PresentationForm => "يحتوي {0} على شكل العرض العربي U+{1}",
        K::PresentationFormHint => {
            "اكتب حروفاً عربية عادية (U+0600..U+06FF)؛ فالشاشة تصل الحروف بنفسها"
        }
        K::NotPositive => "يجب أن يكون {0} عدداً صحيحاً من 1 إلى {1}",
        K::NotPositiveHint => "اكتب عدداً صحيحاً موجباً بلا علامات تنصيص، مثل 1",
        K::BadDuration => "يجب أن يكون {0} مدة موجبة",
        K::BadDurationHint => "اكتب الثواني عدداً (90) أو مدة مثل \"90s\" أو \"25m\" أو \"1h30m\"",
        K::BadIdIn => "في `{0}` ضمن {1} محارف من خارج a-z و0-9 و-",
        K::WriteItAs => "اكتبه هكذا: `{0}`",
        K::PlainButLangs => "{0} نص واحد، لكن بنك الأسئلة مكتوب باللغات {1}",
        K::WriteAsTable => "اكتبه جدولاً: { {0} }",
        K::NotBankLang => "في {0} نص باللغة `{1}`، وهي ليست من لغات بنك الأسئلة ({2})",
        K::NotBankLangHint => "أضِف اللغة إلى `languages` في أعلى الملف، أو صحّح رمزها",
        K::WhatInLang => "{0} ({1})",
        K::NoLangText => "لا يوجد نص `{1}` في {0}",
        K::AddLangInBraces => "أضِف `{0} = \"...\"` داخل القوسين المعقوفين",
        K::TomlSyntax => "خطأ في صياغة TOML: {0}",
        K::TomlSyntaxHint => {
            "راجِع علامات التنصيص والأقواس و`=` في هذا السطر؛ يجب أن يكون النص بين علامتَي تنصيص مزدوجتين"
        }
        K::ABank => "بنك الأسئلة",
        K::TheBank => "بنك الأسئلة",
        K::FormatVersion => {
            "بنك الأسئلة هذا مكتوب بالصيغة {0}، لكن هذا الإصدار من tipquiz يقرأ الصيغة {1}"
        }
        K::FormatVersionHint => "حدِّث tipquiz، أو اكتب `format = 1` ومفاتيح الصيغة 1",
        K::TheBankId => "معرّف بنك الأسئلة",
        K::TheTopic => "الموضوع",
        K::LanguagesEmpty => "القائمة `languages` فارغة",
        K::LanguagesEmptyHint => "اذكر اللغات التي كُتب بها بنك الأسئلة، مثل [\"en\", \"ar\"]",
        K::ListedTwiceInLanguages => "اللغة `{0}` مذكورة مرتين في `languages`",
        K::TheTitle => "العنوان",
        K::TheDescription => "الوصف",
        K::NoQuestions => "لا توجد أسئلة في بنك الأسئلة",
        K::NoQuestionsHint => "أضِف سؤالاً يبدأ بالعنوان `[[question]]`",
        K::AQuestionTable => "جدول `[[question]]`",
        K::DuplicateId => "معرّف السؤال `{0}` مستخدم مرتين في بنك الأسئلة هذا",
        K::DuplicateIdHint => {
            "الأول في السطر {0}؛ أعطِ هذا السؤال معرّفاً جديداً (المعرّفات دائمة، فلا تغيّر رقم الأول)"
        }
        K::IdBadChars => "في {0} `{1}` محارف من خارج a-z و0-9 و-",
        K::AQuestion => "السؤال",
        K::ThisQuestion => "هذا السؤال",
        K::TheQuestionId => "معرّف السؤال",
        K::AtLine => "في السطر {0}",
        K::FieldOfQuestion => "{0} في السؤال `{1}`",
        K::ThePrompt => "نص السؤال",
        K::TheExplanation => "الشرح",
        K::TheSource => "المصدر",
        K::QuestionNamed => "السؤال `{0}`",
        K::NotAType => "`{0}` ليس نوعاً من أنواع الأسئلة",
        K::UseOneOf => "استخدم أحد الخيارات: {0}",
        K::NotADifficulty => "`{0}` ليس مستوى صعوبة",
        K::UseDifficulty => "استخدم easy (سهل) أو medium (متوسط) أو hard (صعب)",
        K::NoExplanation => "لا يوجد شرح للسؤال `{0}`",
        K::NoExplanationHint => {
            "أضِف `explanation`: يتعلم المتدربون أكثر حين يعرفون لماذا كانت الإجابة صحيحة"
        }
        K::NoSource => "لا يوجد مصدر للسؤال `{0}`",
        K::NoSourceHint => "أضِف `source` واذكر فيه الصك والمادة، أو قائمة المؤشرات",
        K::TypesOfChoices => "single وmultiple",
        K::TypesOfAnswer => "single وmultiple وtrue-false وshort",
        K::KeyNotForType => "لا يُستخدم `{0}` في أسئلة النوع `{1}`",
        K::KeyNotForTypeAnswer => {
            "لا يُستخدم `{0}` في أسئلة النوع `{1}` (الترتيب أو المطابقة الصحيحة هي ترتيبها في الملف)"
        }
        K::KeyBelongsTo => "المفتاح `{0}` خاص بأسئلة النوع {1}؛ احذفه أو غيّر `type`",
        K::ItemOfQuestion => "{0} {1} في السؤال `{2}`",
        K::Choice => "الخيار",
        K::Item => "العنصر",
        K::Pair => "الزوج",
        K::TooMany => "في السؤال `{0}` عدد {1} من {2}؛ والحد الأقصى {3}",
        K::TooFew => "في السؤال `{0}` عدد {1} من {2}؛ ويلزم 2 على الأقل",
        K::TooFewHint => "أضِف إلى {0}، أو استخدم النوع \"true-false\" أو \"short\"",
        K::DuplicateChoice => "السؤال `{0}`: في {1} العنصران {2} و{3} متطابقان",
        K::DuplicateChoiceIn => "السؤال `{0}`: في {1} العنصران {2} و{3} متطابقان ({4})",
        K::DuplicateChoiceHint => "اجعل كلاً منهما مختلفاً، أو احذف أحدهما",
        K::LeftItems => "عناصر `left`",
        K::RightItems => "عناصر `right`",
        K::AnAnswerOf => "إجابة في السؤال `{0}`",
        K::LowerCaseHint => "اكتب الحرف صغيراً: \"{0}\"",
        K::LetterRangeHint => {
            "عدد خيارات السؤال {0}: استخدم حرفاً من \"a\" إلى \"{1}\" (الحرف a هو الخيار الأول في الملف)"
        }
        K::AnswerNoChoice => "الإجابة \"{0}\" في السؤال `{1}` لا تشير إلى أي خيار",
        K::SingleOneRightHint => {
            "لسؤال `single` خيار صحيح واحد؛ استخدم النوع \"multiple\" لعدة خيارات"
        }
        K::SingleNoBracketsHint => "اكتب حرفاً واحداً بلا أقواس، مثل answer = \"b\"",
        K::SingleButList => "السؤال `{0}` من النوع `single` لكن إجابته قائمة من {1}",
        K::MultipleMustBeList => "يجب أن تكون إجابة السؤال `{0}` من النوع `multiple` قائمة حروف",
        K::MultipleMustBeListHint => "اكتبها قائمة، مثل answer = [\"a\", \"c\"]",
        K::MultipleNoRight => "لا يوجد خيار صحيح في السؤال `{0}` من النوع `multiple`",
        K::MultipleNoRightHint => "اذكر حرفاً واحداً على الأقل، مثل answer = [\"a\", \"c\"]",
        K::AnswerTwice => "الإجابة \"{0}\" مذكورة مرتين في السؤال `{1}`",
        K::TrueFalseAnswerOf => "إجابة سؤال الصح والخطأ `{0}`",
        K::AcceptedAnswersOf => "الإجابات المقبولة للسؤال `{0}`",
        K::AcceptedEmpty => "{0} قائمة فارغة",
        K::AcceptedEmptyHint => "اذكر إجابة مقبولة واحدة على الأقل",
        K::AcceptedUnknownLang => "في {0} قائمة باللغة `{1}`، وهي ليست من لغات بنك الأسئلة",
        K::AcceptedNoLang => "لا توجد قائمة `{1}` في {0}",
        K::AddLangList => "أضِف `{0} = [\"...\"]`",
        K::APair => "زوج المطابقة",
        K::PairOfQuestion => "الزوج {0} في السؤال `{1}`",
        K::LeftOfQuestion => "العنصر `left` رقم {0} في السؤال `{1}`",
        K::RightOfQuestion => "العنصر `right` رقم {0} في السؤال `{1}`",
        K::TooFewPairs => "في السؤال `{0}` عدد {1} من الأزواج؛ ويلزم 2 على الأقل",
        K::TooFewPairsHint => "أضِف أزواجاً، أو استخدم نوعاً آخر",
        K::TooManyPairs => "في السؤال `{0}` عدد {1} من الأزواج؛ والحد الأقصى {2}",
        K::FileTooLarge => "حجم الملف {0} MiB؛ والحد الأقصى لملف بنك الأسئلة أو الامتحان {1} MiB",
        K::FileTooLargeHint => "قسّمه إلى عدة بنوك أسئلة (بنك لكل موضوع)",
        K::FileGrew => "تجاوز حجم الملف الحد الأقصى أثناء قراءته",
        K::FileGrewHint => "قسّمه إلى عدة بنوك أسئلة",
        K::NotUtf8 => "الملف ليس نصاً بترميز UTF-8 (بايت غير صالح في الموضع {0})",
        K::NotUtf8Hint => "احفظ الملف بترميز UTF-8 (في معظم المحررات: حفظ باسم، الترميز UTF-8)",
        K::DuplicateBank => "معرّف بنك الأسئلة `{0}` مستخدم أيضاً في {1}",
        K::DuplicateBankHint => {
            "أعطِ كل بنك أسئلة معرّفاً خاصاً به، أو حمّل واحداً منهما فقط (البنك المحدد في سطر الأوامر بمعرّف بنك مرفق مع البرنامج يحل محله)"
        }
        K::DuplicateIdAcross => "معرّف السؤال `{0}` مستخدم أيضاً في {1} (السطر {2})",
        K::DuplicateIdAcrossHint => {
            "يجب ألا يتكرر معرّف السؤال في جميع بنوك الأسئلة؛ ابدأه بمعرّف البنك"
        }
        K::CannotRead => "تعذّرت قراءة {0}: {1}",
        K::NotAValid => "`{0}` ليست قيمة صالحة للمفتاح {1}",
        K::MustBePercent => "يجب أن يكون {0} من 0 إلى 100 (نسبة مئوية)",
        K::IsAFraction => "{0} جزء من درجة السؤال، من 0 إلى 1",
        K::IsAFractionHint => "مثلاً 0.25 تخصم ربع الدرجة",
        K::AnExam => "الامتحان",
        K::TheExam => "الامتحان",
        K::ExamFormatVersion => "هذا الامتحان مكتوب بصيغة أحدث مما يقرؤه هذا الإصدار من tipquiz (1)",
        K::ExamFormatVersionHint => "حدِّث tipquiz، أو اكتب `format = 1`",
        K::TheExamId => "معرّف الامتحان",
        K::PassMarkOfTopic => "درجة النجاح في الموضوع `{0}`",
        K::NoPools => "لا توجد مجموعات أسئلة في الامتحان",
        K::NoPoolsHint => "أضِف مجموعة `[[pool]]` واحدة على الأقل فيها `count`",
        K::APoolTable => "جدول `[[pool]]`",
        K::APool => "مجموعة الأسئلة",
        K::ThePool => "مجموعة الأسئلة",
        K::ThePoolsTopic => "موضوع مجموعة الأسئلة",
        K::ThePoolsTags => "وسوم مجموعة الأسئلة",
        K::ThePoolsDifficulty => "مستوى صعوبة مجموعة الأسئلة",
        K::ThePoolsQuestions => "أسئلة مجموعة الأسئلة",
        K::ThePoolsCount => "المفتاح `count` لمجموعة الأسئلة",
        K::UnknownBank => "يذكر الامتحان `{0}` بنك الأسئلة `{1}`، وهو غير محمَّل",
        K::LoadedBanks => "بنوك الأسئلة المحمَّلة: {0}",
        K::UnknownTopicPassMark => {
            "يحدد الامتحان `{0}` درجة نجاح للموضوع `{1}`، ولا يوجد هذا الموضوع في أي بنك أسئلة محمَّل"
        }
        K::CheckTopicSpelling => "تحقّق من كتابة الموضوع",
        K::PoolTooSmallHint => {
            "قلّل `count` لمجموعة الأسئلة، أو وسّع شروطها، أو حمّل مزيداً من بنوك الأسئلة"
        }
        K::PoolTooSmall => {
            "تطلب المجموعة {0} في الامتحان `{1}` ({2}) عدد {3} من الأسئلة، لكن المطابق {4} فقط{5}"
        }
        K::DrawsNothing => "لا يسحب الامتحان `{0}` أي سؤال",
        K::AfterEarlierPools => " بعد أن أخذت المجموعات السابقة {0}",
    }
}
