//! Every English word of the program: the command line's templates ([`text`]) and the
//! screens' words ([`SCREENS`]).

use super::K;
use super::screens::Ui;

/// What the English catalogue gives for a help text of the command line: the English help is
/// the doc comments of `src/cli.rs`, shown by clap, and is not written twice.
pub const HELP_IN_CLI: &str = "(the English help text is the doc comment in src/cli.rs)";

/// The template of `key`.
#[must_use]
pub fn text(key: K) -> &'static str {
    match key {
        K::Verbatim => "{0}",
        K::Key => "`{0}`",
        K::And => "{0} and {1}",
        K::LevelError => "error",
        K::LevelWarning => "warning",
        K::LevelHelp => "help",
        K::TooManyProblems => "more than {0} problems; the rest of this file is not reported",
        K::TooManyProblemsHint => "fix the problems above and check again",
        K::DidYouMean => "did you mean `{0}`?",
        K::KeysOf => "the keys of {0} are: {1}",
        K::UnknownKeyIn => "unknown key `{0}` in {1}",
        K::HasNoKey => "{0} has no `{1}`",
        K::AddLineSuchAs => "add a line such as `{0} = {1}`",
        K::TextTooLong => "{0} is {1} KiB long; a text may be at most {2} KiB",
        K::TextTooLongHint => "shorten it: a trainee reads it on one screen",
        K::IsEmpty => "{0} is empty",
        K::IsEmptyHint => "write the text, or remove the key if it is optional",
        K::MustBeNot => "{0} must be {1}, not {2}",
        K::WriteHere => {
            "write {0} here (text goes in double quotes; true and false and numbers do not)"
        }
        K::AString => "a string",
        K::AnInteger => "an integer",
        K::AFloat => "a float",
        K::ABoolean => "a boolean",
        K::ADateTime => "a date-time",
        K::AnArray => "an array",
        K::ATable => "a table",
        K::TrueOrFalse => "true or false",
        K::AWholeNumber => "a whole number",
        K::StringOrLangTable => "a string or a table of languages",
        K::ALetterSuchAs => "a letter such as \"b\"",
        K::AListOfStrings => "a list of strings",
        K::ATableOfLists => "a table of lists per language, e.g. {0}",
        K::ANumberTo100 => "a number from 0 to 100",
        K::ForbiddenChar => "{0} contains the control or direction character U+{1}",
        K::ForbiddenCharHint => {
            "remove it: direction is set from the text's language, and control characters could take over a trainee's terminal"
        }
        K::PresentationForm => "{0} contains the Arabic presentation form U+{1}",
        K::PresentationFormHint => {
            "type plain Arabic letters (U+0600..U+06FF); the screen shapes them itself"
        }
        K::NotPositive => "{0} must be a whole number from 1 to {1}",
        K::NotPositiveHint => "write a positive whole number without quotes, e.g. 1",
        K::BadDuration => "{0} must be a positive duration",
        K::BadDurationHint => {
            "write seconds as a number (90) or a duration such as \"90s\", \"25m\" or \"1h30m\""
        }
        K::BadIdIn => "`{0}` in {1} has characters outside a-z, 0-9 and -",
        K::WriteItAs => "write it as `{0}`",
        K::PlainButLangs => "{0} is a plain string, but the bank is written in {1}",
        K::WriteAsTable => "write it as a table: { {0} }",
        K::NotBankLang => "{0} has a text in `{1}`, which is not one of the bank's languages ({2})",
        K::NotBankLangHint => {
            "add the language to `languages` at the top of the file, or fix the code"
        }
        K::WhatInLang => "{0} ({1})",
        K::NoLangText => "{0} has no `{1}` text",
        K::AddLangInBraces => "add `{0} = \"...\"` inside the braces",
        K::TomlSyntax => "TOML syntax: {0}",
        K::TomlSyntaxHint => {
            "check quotes, brackets and `=` on this line; a text must be in double quotes"
        }
        K::ABank => "a bank",
        K::TheBank => "the bank",
        K::FormatVersion => "this bank is written in format {0}, but this tipquiz reads format {1}",
        K::FormatVersionHint => "update tipquiz, or write `format = 1` and the keys of format 1",
        K::TheBankId => "the bank id",
        K::TheTopic => "the topic",
        K::LanguagesEmpty => "`languages` is empty",
        K::LanguagesEmptyHint => "list the languages the bank is written in, e.g. [\"en\", \"ar\"]",
        K::ListedTwiceInLanguages => "`{0}` is listed twice in `languages`",
        K::TheTitle => "the title",
        K::TheDescription => "the description",
        K::NoQuestions => "the bank has no questions",
        K::NoQuestionsHint => "add a question with a `[[question]]` header",
        K::AQuestionTable => "a `[[question]]`",
        K::DuplicateId => "question id `{0}` is used twice in this bank",
        K::DuplicateIdHint => {
            "the first is at line {0}; give this one a new id (ids are kept for life, so do not renumber the first)"
        }
        K::IdBadChars => "{0} `{1}` has characters outside a-z, 0-9 and -",
        K::AQuestion => "a question",
        K::ThisQuestion => "this question",
        K::TheQuestionId => "the question id",
        K::AtLine => "at line {0}",
        K::FieldOfQuestion => "{0} of question `{1}`",
        K::ThePrompt => "the prompt",
        K::TheExplanation => "the explanation",
        K::TheSource => "the source",
        K::QuestionNamed => "question `{0}`",
        K::NotAType => "`{0}` is not a question type",
        K::UseOneOf => "use one of: {0}",
        K::NotADifficulty => "`{0}` is not a difficulty",
        K::UseDifficulty => "use easy, medium or hard",
        K::NoExplanation => "question `{0}` has no explanation",
        K::NoExplanationHint => {
            "add `explanation`: trainees learn most from why an answer is right"
        }
        K::NoSource => "question `{0}` has no source",
        K::ExcludesItself => "question `{0}` excludes itself",
        K::ExcludesItselfHint => {
            "`excludes` lists the other questions that must never be on the same paper as this one"
        }
        K::UnknownExclude => "question `{0}` excludes `{1}`, which no loaded bank has",
        K::UnknownExcludeHint => "check the id, or load the bank that holds that question",
        K::NoSourceHint => "add `source` naming the instrument and article, or the indicator list",
        K::TypesOfChoices => "single and multiple",
        K::TypesOfAnswer => "single, multiple, true-false and short",
        K::KeyNotForType => "`{0}` is not used by `{1}` questions",
        K::KeyNotForTypeAnswer => {
            "`{0}` is not used by `{1}` questions (the right order or pairing is the order in the file)"
        }
        K::KeyBelongsTo => "`{0}` belongs to {1} questions; remove it or change `type`",
        K::ItemOfQuestion => "{0} {1} of question `{2}`",
        K::Choice => "choice",
        K::Item => "item",
        K::Pair => "pair",
        K::TooMany => "question `{0}` has {1} {2}; at most {3}",
        K::TooFew => "question `{0}` has {1} {2}; it needs at least 2",
        K::TooFewHint => "add {0}, or use type \"true-false\" or \"short\"",
        K::DuplicateChoice => "question `{0}`: {1} {2} and {3} are the same",
        K::DuplicateChoiceIn => "question `{0}`: {1} {2} and {3} are the same ({4})",
        K::DuplicateChoiceHint => "make each one different, or remove one",
        K::LeftItems => "left items",
        K::RightItems => "right items",
        K::AnAnswerOf => "an answer of question `{0}`",
        K::LowerCaseHint => "write the letter in lower case: \"{0}\"",
        K::LetterRangeHint => {
            "the question has {0} choices: use a letter from \"a\" to \"{1}\" (a is the first choice in the file)"
        }
        K::AnswerNoChoice => "answer \"{0}\" of question `{1}` points at no choice",
        K::SingleOneRightHint => {
            "a `single` question has one right choice; use type \"multiple\" for several"
        }
        K::SingleNoBracketsHint => "write one letter without brackets, e.g. answer = \"b\"",
        K::SingleButList => "question `{0}` is `single` but its answer is a list of {1}",
        K::MultipleMustBeList => {
            "the answer of `multiple` question `{0}` must be a list of letters"
        }
        K::MultipleMustBeListHint => "write it as a list, e.g. answer = [\"a\", \"c\"]",
        K::MultipleNoRight => "`multiple` question `{0}` has no right choice",
        K::MultipleNoRightHint => "list at least one letter, e.g. answer = [\"a\", \"c\"]",
        K::AnswerTwice => "answer \"{0}\" is listed twice in question `{1}`",
        K::TrueFalseAnswerOf => "the answer of true-false question `{0}`",
        K::AcceptedAnswersOf => "the accepted answers of question `{0}`",
        K::AcceptedEmpty => "{0} are an empty list",
        K::AcceptedEmptyHint => "list at least one accepted answer",
        K::AcceptedUnknownLang => {
            "{0} have a list in `{1}`, which is not one of the bank's languages"
        }
        K::AcceptedNoLang => "{0} have no `{1}` list",
        K::AddLangList => "add `{0} = [\"...\"]`",
        K::APair => "a pair",
        K::PairOfQuestion => "pair {0} of question `{1}`",
        K::LeftOfQuestion => "left {0} of question `{1}`",
        K::RightOfQuestion => "right {0} of question `{1}`",
        K::TooFewPairs => "question `{0}` has {1} pairs; it needs at least 2",
        K::TooFewPairsHint => "add pairs, or use another type",
        K::TooManyPairs => "question `{0}` has {1} pairs; at most {2}",
        K::FileTooLarge => "the file is {0} MiB; a bank or exam file may be at most {1} MiB",
        K::FileTooLargeHint => "split it into several banks (one per topic)",
        K::FileGrew => "the file grew past the size limit while being read",
        K::FileGrewHint => "split it into several banks",
        K::NotUtf8 => "the file is not UTF-8 text (bad byte at offset {0})",
        K::NotUtf8Hint => "save the file as UTF-8 (in most editors: Save As, encoding UTF-8)",
        K::DuplicateBank => "bank id `{0}` is also used by {1}",
        K::DuplicateBankHint => {
            "give each bank its own id, or load only one of the two (a bank given on the command line with the same id as a shipped one replaces it)"
        }
        K::DuplicateIdAcross => "question id `{0}` is also used in {1} (line {2})",
        K::DuplicateIdAcrossHint => {
            "question ids must be unique across all banks; prefix them with the bank's id"
        }
        K::CannotRead => "cannot read {0}: {1}",
        K::NotAValid => "`{0}` is not a valid {1}",
        K::MustBePercent => "{0} must be from 0 to 100 (a percentage)",
        K::IsAFraction => "{0} is a fraction of the question's points, from 0 to 1",
        K::IsAFractionHint => "for example 0.25 takes off a quarter of the points",
        K::AnExam => "an exam",
        K::TheExam => "the exam",
        K::ExamFormatVersion => {
            "this exam is written in a newer format than this tipquiz reads (1)"
        }
        K::ExamFormatVersionHint => "update tipquiz, or write `format = 1`",
        K::TheExamId => "the exam id",
        K::PassMarkOfTopic => "the pass mark of topic `{0}`",
        K::NoPools => "the exam has no pools",
        K::NoPoolsHint => "add at least one `[[pool]]` with a `count`",
        K::APoolTable => "a `[[pool]]`",
        K::APool => "a pool",
        K::ThePool => "the pool",
        K::ThePoolsTopic => "the pool's topic",
        K::ThePoolsTags => "the pool's tags",
        K::ThePoolsDifficulty => "the pool's difficulty",
        K::ThePoolsQuestions => "the pool's questions",
        K::ThePoolsCount => "the pool's `count`",
        K::UnknownBank => "exam `{0}` names bank `{1}`, which is not loaded",
        K::LoadedBanks => "loaded banks: {0}",
        K::UnknownTopicPassMark => {
            "exam `{0}` sets a pass mark for topic `{1}`, which no loaded bank has"
        }
        K::CheckTopicSpelling => "check the spelling of the topic",
        K::PoolTooSmallHint => "lower the pool's `count`, widen its filters, or load more banks",
        K::PoolTooSmall => {
            "pool {0} of exam `{1}` ({2}) asks for {3} questions, but only {4} match{5}{6}"
        }
        K::DrawsNothing => "exam `{0}` draws no questions",
        K::AfterEarlierPools => " after earlier pools took {0}",
        K::AfterExclusions => {
            " once {0} are left out because they must not share a paper with questions already drawn"
        }
        K::PoolMayBeShort => {
            "pool {0} of exam `{1}` ({2}) asks for {3} questions, but some papers may leave only {4}: {5} of its {6} questions must not share a paper with others this exam can draw (`excludes`)"
        }
        K::PoolMayBeShortHint => {
            "lower the pool's `count`, widen its filters, or keep such pairs out of one exam's pools"
        }
        K::CheckSummary => "checked {0} file(s): {1} error(s), {2} warning(s): {3}",
        K::VerdictOk => "ok",
        K::VerdictProblems => "problems found",
        K::ColBank => "bank",
        K::ColTopic => "topic",
        K::ColLangs => "langs",
        K::ColTotal => "total",
        K::ColEasy => "easy",
        K::ColMedium => "medium",
        K::ColHard => "hard",
        K::ListSummary => "{0} bank(s), {1} question(s)",
        K::BanksHaveErrors => {
            "the banks above have errors; fix them (see `tipquiz check`) before starting a quiz"
        }
        K::CannotUseTerminal => "cannot use the terminal: {0}",
        K::NoSuchExam => "no exam file or shipped exam called `{0}`; shipped exams: {1}",
        K::UnknownTopic => "unknown topic `{0}`; topics: {1}",
        K::BadTime => "--time takes a duration such as 10m, 90s or 1h30m",
        K::BadCount => "--count must be at least 1",
        K::ReviewNeedsTrainee => "--review-mistakes needs --trainee",
        K::NoMistakes => "no mistakes to review for this trainee in the results folder",
        K::RecoverSaved => "saved {0}",
        K::RecoverNotSaved => "not saved: {0}",
        K::RecoverSummary => "{0} attempt(s) saved, {1} still waiting",
        K::RecoverConflict => {
            "{0}: a different record of this attempt is already in the results folder (it was submitted twice); this copy is set aside as {1} and not published"
        }
        K::ResultsFolderMissing => {
            "the results folder {0} is not there (a shared folder that was disconnected?); it is not made again here"
        }
        K::ResultsFolderChanged => {
            "the results folder {0} is not the folder this quiz started with (a shared folder that was disconnected, leaving the local folder below it?)"
        }
        K::AutosavedElsewhere => "Your answers are saved in {1}, not in the data folder: {0}",
        K::AutosaveFailed => {
            "Your answers are NOT being saved ({0}): do not close this window; free some space or fix the folder."
        }
        K::AttemptBusyShared => {
            "This attempt is already open in another window, on this computer or another one using the same results folder: finish it there, or close that one first."
        }
        K::ExamChangedSinceStart => {
            "The exam `{0}` was changed after this attempt started, and the saved attempt no longer fits it ({1}). Nothing was started: ask your instructor."
        }
        K::ClockFromEarlierStart => {
            "You already started this exam at {0} UTC and it has no record: the time counts from then."
        }
        K::RecoverNotStartedHere => {
            "{0}: no attempt started on this computer or in the results folder matches it (no start marker); it is set aside as {1} and not published"
        }
        K::RecoverCannotSetAside => {
            "{0} could not be renamed to {1} ({2}): it is not published, and is tried again next time"
        }
        K::RecoverSummaryAside => "{0} attempt(s) saved, {1} set aside, {2} still waiting",
        K::RecoverSetAside => "set aside: {0}",
        K::AttemptBusy => {
            "This attempt is open in another window (another terminal on this computer): finish it there, or close that one first."
        }
        K::NoRecordsIn => "no records in {0}",
        K::Skipped => "skipped {0}: {1}",
        K::WroteRows => "wrote {0} row(s) to {1}",
        K::NoAttemptsBy => "no attempts by `{0}` in {1}",
        K::AttemptsOf => "Attempts of {0}",
        K::ColDateUtc => "date (UTC)",
        K::ColExam => "exam",
        K::ColScore => "score",
        K::ColResult => "result",
        K::Passed => "passed",
        K::NotYet => "not yet",
        K::Trend => "trend  {0}  (first {1}%, last {2}%)",
        K::ToReview => {
            "questions to review: {0} (tipquiz take --review-mistakes --trainee \"{1}\")"
        }
        K::CannotCreate => "cannot create {0}: {1}",
        K::CannotWrite => "cannot write {0}: {1}",
        K::StdoutWrite => {
            "cannot write to standard output: {0}; the output is incomplete. Make room where it goes (the disk, or the file it is redirected to) and run the command again, or write it to another place with -o FILE where the command has it."
        }
        K::Converted => "{0} question(s) converted, {1} note(s) above",
        K::NothingConverted => "nothing could be converted; no bank written",
        K::WroteCheckIt => "wrote {0}; check it with `tipquiz check {0}`",
        K::ToNeedsBank => {
            "--to needs the bank file to export, e.g. tipquiz export --to gift questions/indicators.toml"
        }
        K::NotExported => "not exported: {0}",
        K::WroteNew => "wrote {0}: edit it, then run `tipquiz check {0}` and `tipquiz preview {0}`",
        K::WatchingForChanges => "(watching for changes; q to quit)",
        K::ClassReport => "Class report: {0}",
        K::ClassReportTitled => "Class report: {0} ({1})",
        K::ClassReportNone => "Class report: no records",
        K::ReportCounts => {
            "Trainees: {0}, records of this exam: {1}; the {2} attempt of each trainee is used."
        }
        K::WhichFirst => "first",
        K::WhichBest => "best",
        K::WhichLast => "last",
        K::OtherExams => "Other exams: {0}",
        K::BadFiles => "{0} file(s) could not be read and are not counted:",
        K::SecTrainees => "Trainees",
        K::HTrainee => "Trainee",
        K::HScore => "Score",
        K::HMax => "Max",
        K::HPassed => "Passed",
        K::HTime => "Time",
        K::HTries => "Tries",
        K::TopicPercent => "{0} %",
        K::Yes => "yes",
        K::No => "no",
        K::SecSummary => "Summary (percent)",
        K::SMean => "Mean",
        K::SMedian => "Median",
        K::SSd => "SD (sample, n-1)",
        K::SLowest => "Lowest",
        K::SHighest => "Highest",
        K::SPassRate => "Pass rate",
        K::PassRateValue => "{0} ({1} of {2})",
        K::SecTopicMeans => "Topic means",
        K::HTopic => "Topic",
        K::HMeanPercent => "Mean %",
        K::SecDistribution => "Score distribution (percent)",
        K::SecQuestions => "Questions",
        K::HQuestion => "Question",
        K::HType => "Type",
        K::HN => "N",
        K::HBlank => "Blank",
        K::HFacility => "Facility",
        K::HSd => "SD",
        K::HDiscr => "Discr.",
        K::HEffic => "Effic.",
        K::HFlags => "Flags",
        K::ItemLegend => {
            "  Facility: mean score as % of the maximum. SD: of the score, as % of the maximum.
  Discr.: correlation of the score with the rest of the test, x100.
  Effic.: discriminative efficiency (Discr. over the most the scores allow), x100."
        }
        K::SecChoices => "Choices picked (* = right choice, ? = not in the loaded bank)",
        K::ChoicesHidden => "  (How often each choice was picked: add --details.)",
        K::WroteFile => "wrote {0}",
        K::HtmlPassedList => "Passed ({0}): names for the certificates",
        K::HtmlNobody => "Nobody.",
        K::HtmlResult => "Result",
        K::HtmlWhy => "Why not passed",
        K::HtmlPass => "passed",
        K::HtmlFail => "not passed",
        K::HtmlFile => "File",
        K::SecUnits => "By unit (department)",
        K::HUnit => "Unit",
        K::HWeakest => "Weakest topic",
        K::NoUnit => "(none given)",
        K::UnitHint => "(optional)",
        K::CliArgUnit => {
            "The trainee's unit or department, kept in the record (asked on screen when not given; optional)."
        }
        K::UnitPassed => "{0} of {1} ({2}%)",
        K::UnitBadChar => {
            "the unit holds the character {0} (a control or text-direction character); type the unit again without it"
        }
        K::UnitTooLong => "the unit has {0} characters; at most {1} are accepted",
        K::UnitListHint => "{0}: one of {1} units, or type your own",
        K::ProbBadUnit => "the unit cannot be used: {0}",
        K::HtmlMadeOn => "Report made {0}",
        K::HNShort => "N",
        K::HSdShort => "SD",
        K::HTopicShort => "Topic",
        K::BoardPageKeys => "{0} page",
        K::HQuestionShort => "Q",
        K::HBlankShort => "Bl.",
        K::HFacilityShort => "Fac.",
        K::HDiscrShort => "Disc.",
        K::HEfficShort => "Eff.",
        K::HSlotQuestionsShort => "Qs",
        K::FlagNegDiscShort => "neg",
        K::FlagTooHardShort => "hard",
        K::FlagTooEasyShort => "easy",
        K::FlagChangedShort => "chg",
        K::LegQuestion => "Q: question",
        K::LegSlotQuestions => "Qs: questions that filled the slot",
        K::LegN => "N: attempts",
        K::LegBlank => "Bl.: left blank",
        K::LegFacility => "Fac.: facility",
        K::LegSd => "SD: standard deviation",
        K::LegDiscr => "Disc.: discrimination",
        K::LegEffic => "Eff.: efficiency",
        K::LegTopic => "Topic: topic",
        K::LegFlags => "Flags: {0}.",
        K::LegFlagNeg => "neg = negative discrimination",
        K::LegFlagHard => "hard = too hard",
        K::LegFlagEasy => "easy = too easy",
        K::LegFlagChanged => "chg = question changed or missing",
        K::LegCut => "A cut text ends with …",
        K::LegSep => "{0}. {1}",
        K::LegTopicCodes => "Topics: {0}.",
        K::TheUnitsFile => "the class file of units",
        K::AClassUnit => "a unit ([[unit]])",
        K::UnitListedTwice => "the unit {0} shares a name with the unit on line {1}",
        K::UnitListedTwiceHint => {
            "give each unit once, with its English and Arabic names (two departments cannot share a name)"
        }
        K::UnitsNone => "the class file lists no unit",
        K::UnitsNoneHint => {
            "give each unit as a [[unit]] line, with en = \"Coast guard\" and ar = \"خفر السواحل\" on the lines under it"
        }
        K::UnitsFileProblem => {
            "{0} has problems and its units are not offered: run `tipquiz check {0}` to see them"
        }
        K::TopicCode => "T{0}",
        K::TopicKey => "{0} = {1}",
        K::LegBelowMark => "* = below its pass mark (the exam's, or the topic's own).",
        K::LegNarrowTrainees => {
            "The points and times are in the report on a wider page (--width {0}), in the HTML report and in the CSV."
        }
        K::LegNarrowTraineesCut => {
            "Names cut with … and the points and times are in full in the report on a wider page (--width {0}), in the HTML report and in the CSV."
        }
        K::BoardTitle => "Leaderboard",
        K::BoardWaiting => "Waiting for the first attempt…",
        K::BoardInProgress => "in progress",
        K::BoardPass => "✓ pass",
        K::BoardFail => "✗ fail",
        K::BoardMore => "+{0} more · page {1}/{2} · {3} trainees",
        K::BoardLastPage => "page {0}/{1} · {2} trainees",
        K::BoardMeans => "Class mean by topic (%)",
        K::BoardFlagged => "Flagged, not ranked ({0})",
        K::HtmlByTopic => "Percentage per topic",
        K::HtmlTopicNote => {
            "Why not passed: \"overall\" means below the exam's pass mark, a topic name means below that topic's own pass mark."
        }
        K::HtmlExplainTooEasy => {
            "Almost everyone got it right (facility above 90). It tells the class apart from nobody; keep it only as a warm-up or make it harder."
        }
        K::HtmlExplainTooHard => {
            "Almost nobody got it right (facility below 10). Check the key, the wording and whether the topic was taught."
        }
        K::HtmlExplainNegDisc => {
            "Trainees who did well on the rest of the test did worse on this question than those who did badly. The key may be wrong or the question misleading: review it first."
        }
        K::HtmlExplainChanged => {
            "The question is no longer in the loaded banks, or it changed since the attempts (its type or its choices). Its figures may not mean what they did."
        }
        K::NotAFolderForTables => {
            "{0} is not a folder: give a folder for one CSV file per table, or --table to write one table"
        }
        K::HChoice => "Choice",
        K::HPicked => "Picked",
        K::SecTestStats => "Test statistics",
        K::Alpha => "  Cronbach's alpha   {0} (over {1} questions every attempt had; {2} left out)",
        K::Sem => "  SEM                {0} points (error ratio x SD of the same totals)",
        K::FlagNegDisc => "negative discrimination",
        K::FlagTooHard => "too hard",
        K::FlagTooEasy => "too easy",
        K::FlagChanged => "question changed or missing",
        K::FilterTopic => "topic {0}",
        K::FilterTags => "tags {0}",
        K::FilterDifficulty => "difficulty {0}",
        K::FilterAny => "any question",
        K::ListSep => "{0}, {1}",
        K::ReasonSep => "{0}; {1}",
        K::StoreCreateFolder => "cannot create the folder {0}: {1}",
        K::StoreCreateTemp => "cannot create a temporary file in {0}: {1}",
        K::StoreWrite => "cannot write {0}: {1}",
        K::StoreSync => "cannot sync {0}: {1}",
        K::StoreMove => "cannot move into place {0}: {1}",
        K::StoreRefuseOverwrite => "refusing to overwrite {0}: {1}",
        K::StoreSyncFolder => "cannot sync the folder {0}: {1}",
        K::StoreRemove => "cannot remove {0}: {1}",
        K::StoreEncode => "cannot encode the record: {0}",
        K::RecNotJsonFile => "not a .json record",
        K::RecUnreadable => "cannot read: {0}",
        K::RecTooLarge => "larger than 16 MiB: not a record",
        K::RecNotJson => "not valid JSON (truncated or corrupt?): {0}",
        K::RecNoSchema => "not a tipquiz record (no schema)",
        K::RecNewerSchema => "written by a newer tipquiz (schema {0}); update tipquiz to read it",
        K::RecNotARecord => "not a tipquiz record: {0}",
        K::RecChangedWhileRead => "the file changed while it was being read; run the command again",
        K::ProbChecksum => "checksum does not match: the file was edited or damaged",
        K::ProbScoreMismatch => {
            "stored score {0} differs from the score recomputed from its answers ({1})"
        }
        K::ProbUnknownBank => "bank `{0}` is not loaded, so the score cannot be checked",
        K::ProbQuestionMissing => {
            "bank `(a question is missing)` is not loaded, so the score cannot be checked"
        }
        K::ProbChangedBank => "bank `{0}` changed since the attempt",
        K::ProbDuplicate => "duplicate of {0}",
        K::ProbImpossibleTiming => "impossible timing: {0}",
        K::ProbBadSignature => "signature does not match the instructor key",
        K::UnknownExamArg => {
            "no loaded exam and no results for an exam called `{0}`; known exams: {1}"
        }
        K::ExportLeftOut => {
            "{0} record(s) were left out of the export (listed above); fix or remove them, or pass --allow-flagged to accept an export without them"
        }
        K::HistCounts => "(counts)",
        K::HistFlagged => "flagged, not counted: {0} {1}: {2}",
        K::FailOverall => "overall",
        K::FailTopic => "a topic",
        K::SecStanding => "Where everyone stands",
        K::StSubmitted => "submitted",
        K::StTimedOut => "timed out",
        K::StInProgress => "still in progress",
        K::StAbandoned => "abandoned (time over, no record: run `tipquiz close`)",
        K::StFlagged => "flagged, not counted",
        K::SecSlots => {
            "Slots of the random papers (pool, draw: whichever question filled it on each paper, as Moodle shows a random question)"
        }
        K::HSlot => "Slot",
        K::HSlotQuestions => "Questions",
        K::SlotLabel => "pool {0} #{1}",
        K::StRecordMissing => {
            "record missing (started, time over, no record and no sign of it running: deleted, or never written)"
        }
        K::StStartedTwice => {
            "started twice (a new attempt began before the previous one was recorded)"
        }
        K::StStartedNoRecord => "{0} (started at {1} UTC, no record)",
        K::StartNotMarked => {
            "The start of this attempt could not be noted in the results folder ({0}). Your answers are still saved; tell the instructor."
        }
        K::Closed => "closed: {0}, timed out, {1}/{2}, saved to {3}",
        K::CloseCannot => "cannot close the attempt of {0} ({1}): {2}",
        K::CloseUnreachable => {
            "abandoned, not recorded: {0} (the time is over and no autosave of the attempt is reachable here; run `tipquiz close` on the computer it was taken on, or give its autosave folder with --autosaves)"
        }
        K::CloseSummary => "{0} attempt(s) closed; {1} left without a record",
        // The English help of the command line is written once, as the doc comments of
        // `src/cli.rs` that clap shows; these entries carry the other languages' help only.
        K::CliArgCloseExam
        | K::CliArgumentsHeading
        | K::CliHelpFlag
        | K::CliVersionFlag
        | K::CliAbout
        | K::CliAboutTake
        | K::CliAboutReport
        | K::CliAboutHistory
        | K::CliArgLang
        | K::CliArgOnlyGiven
        | K::CliArgCheckPaths
        | K::CliArgDenyWarnings
        | K::CliArgTakeExam
        | K::CliArgTopic
        | K::CliArgCount
        | K::CliArgTime
        | K::CliArgTrainee
        | K::CliArgReviewMistakes
        | K::CliArgOnlyExam
        | K::CliArgResponses
        | K::CliArgExportBank
        | K::CliArgOutput
        | K::CliArgImportFile
        | K::CliArgTextLang
        | K::CliArgImportId
        | K::CliArgImportOutput
        | K::CliArgNewPath
        | K::CliArgNewExam
        | K::CliArgLangs
        | K::CliArgNewTopic
        | K::CliArgPreviewBank
        | K::CliArgQuestion
        | K::CliArgWatch
        | K::CliArgHistoryTrainee
        | K::CliArgPort
        | K::CliArgListen
        | K::CliArgMaxSessions
        | K::CliAboutMan
        | K::CliArgShell
        | K::CliArgManDir
        | K::CliArgAllowFlagged
        | K::CliAboutClose
        | K::CliArgCloseAutosaves
        | K::CliLongAbout
        | K::CliAboutCheck
        | K::CliLongCheck
        | K::CliAboutList
        | K::CliLongTake
        | K::CliAboutExport
        | K::CliLongExport
        | K::CliAboutImport
        | K::CliLongImport
        | K::CliAboutNew
        | K::CliAboutPreview
        | K::CliAboutBoard
        | K::CliAboutRecover
        | K::CliArgBank
        | K::CliArgResults
        | K::CliArgBidi
        | K::CliArgShaping
        | K::CliArgDigits
        | K::CliArgFormat
        | K::CliArgMode
        | K::CliArgReportExam
        | K::CliArgAttempts
        | K::CliArgReportFormat
        | K::CliArgTo
        | K::CliArgFrom
        | K::CliAboutServe
        | K::CliLongServe
        | K::CliArgServeExam
        | K::CliArgCode
        | K::CliArgIdleTimeout
        | K::CliArgServeDir
        | K::CliArgPaced
        | K::CliArgLockout
        | K::CliAboutCompletions
        | K::CliLongCompletions
        | K::CliLongMan
        | K::CliArgEncoding
        | K::CliArgExportAttempts
        | K::CliArgWidth
        | K::CliArgDetails
        | K::CliArgTable
        | K::CliArgReportOutput
        | K::CliArgNoBom => HELP_IN_CLI,
        K::AlphaSlots => {
            "  Cronbach's alpha   {0} (over the {1} slots of the exam's papers: pool and draw, whichever question filled them)"
        }
        K::TotalsShape => {
            "  Totals             mean {0}, SD {1} points; skewness {2}, kurtosis {3}"
        }
        K::ErrorRatio => "  Error ratio        {0}% (sqrt(1 - alpha))",
        K::MinFlagN => "  Questions are flagged only with at least {0} attempts.",
        K::NameEmpty => "the trainee name is empty; type a name or id",
        K::NameBadChar => {
            "the trainee name holds the character {0} (a control or text-direction character); type the name again without it"
        }
        K::NameTooLong => "the trainee name has {0} characters; at most {1} are accepted",
        K::ProbBadName => "the trainee name cannot be used: {0}",
        K::ProbExamRule => "{0} is {1} in the record but {2} in the loaded exam",
        K::ProbSameAnswers => "same answers at the same times as the attempt of {0}",
        K::RulePaper => "the paper drawn for this name",
        K::RuleQuestionCount => "the number of questions",
        K::RuleMaximum => "the maximum score",
        K::RulePassMark => "the pass mark",
        K::RuleTimeLimit => "the time limit",
        K::RuleNegativeMarking => "negative marking",
        K::RuleSpeedPoints => "speed points",
        K::RuleSpeedWindow => "the speed window",
        K::RulePartialCredit => "partial credit",
        K::RuleScore => "the score of its answers",
        K::RuleTopicScore => "a topic score",
        K::RuleResult => "passed",
        K::TimingEndsBeforeStart => "ends before it starts",
        K::TimingOverLimit => "took longer than the {0} s limit",
        K::TimingAnswerOutside => "an answer is dated outside the attempt",
        K::CliUsageHeading => "Usage:",
        K::CliOptionsHeading => "Options",
        K::CliCommandsHeading => "Commands",
        K::CliErrorPrefix => "error: {0}",
        K::CliMoreInfo => "For more information, try '--help'.",
        K::CliUnknownArgument => "unexpected argument '{0}' found",
        K::CliTipSimilar => "tip: a similar argument exists: '{0}'",
        K::CliUnknownSubcommand => "unrecognized subcommand '{0}'",
        K::CliInvalidValue => "invalid value '{0}' for '{1}'",
        K::CliPossibleValues => "possible values: {0}",
        K::CliValueRequired => "a value is required for '{0}' but none was supplied",
        K::CliInvalidValueWhy => "invalid value '{0}' for '{1}': {2}",
        K::CliMissingRequired => "the following required arguments were not provided: {0}",
        K::CliConflict => "the argument '{0}' cannot be used with '{1}'",
        K::CliUsedTwice => "the argument '{0}' cannot be used multiple times",
        K::CliHelpCommand => "Print this message or the help of the given subcommand(s)",
        K::CliHelpCommandArg => "Print help for the subcommand(s)",
        K::NameNotPortable => {
            "cannot create {0}: {1}; choose another name (banks and results are copied between Windows and other systems)"
        }
        K::NameDevice => {
            "on Windows CON, PRN, AUX, NUL, COM1 to COM9 and LPT1 to LPT9 are devices, whatever the extension"
        }
        K::NameTrailingDotOrSpace => "Windows drops a dot or a space at the end of a file name",
        K::CliTipSimilarCommand => "tip: a similar subcommand exists: '{0}'",
        K::ImpQuestionNamed => "question `{0}`",
        K::ImpQuestionText => "question \"{0}\"",
        K::ImpQuestion => "question",
        K::ImpNotConverted => "{0}: not converted: {1}",
        K::ImpConvertedBut => "{0}: converted, but {1}",
        K::ImpPartialWeightSingle => {
            "an answer has a partial weight ({0}%) in a single-answer question"
        }
        K::ImpNoFullAnswer => "no answer is 100% right",
        K::ImpNegativeIgnored => "negative weights (penalties for wrong answers) were ignored",
        K::ImpSeveralFull => "several answers are 100% right in a single-answer question",
        K::ImpNoPositive => "no answer has a positive weight",
        K::ImpWeightsApprox => {
            "weights approximated: every answer with a positive weight ({0}) counts as an equal share"
        }
        K::ImpDistractorsDropped => "extra answers with no item (distractors) were dropped: {0}",
        K::ImpMatchTwoPairs => "a matching question needs at least two pairs",
        K::ImpIsEmpty => "{0} is empty",
        K::ImpTheQuestionText => "the question text",
        K::ImpChoiceN => "choice {0}",
        K::ImpItemN => "item {0}",
        K::ImpLeftN => "left {0}",
        K::ImpRightN => "right {0}",
        K::ImpNoAccepted => "no accepted answer",
        K::ImpMedia => "it holds an image or other media, which tipquiz cannot show",
        K::ImpHtmlOnly => "HTML-only content: no text is left once the tags are removed",
        K::ImpCategoryNoAscii => {
            "category `{0}` has no ASCII letter or digit, so it is not kept as a tag"
        }
        K::ImpDescriptionNoBlock => "a description (no answer block) is not a question",
        K::ImpNoBraces => {
            "the answer block has no matching `{` and `}` (write \\{ or \\} for a brace in the text)"
        }
        K::ImpEssay => "essay questions have no tipquiz equivalent",
        K::ImpNumerical => "numerical questions have no tipquiz equivalent",
        K::ImpCalculated => "calculated questions have no tipquiz equivalent",
        K::ImpDescription => "a description is not a question",
        K::ImpCloze => "cloze (embedded answers) questions have no tipquiz equivalent",
        K::ImpDragDrop => "drag and drop questions have no tipquiz equivalent",
        K::ImpGapSelect => "select-missing-words questions have no tipquiz equivalent",
        K::ImpRandom => "random questions are drawn from a category and have no text of their own",
        K::ImpTypeNotConverted => "the question type `{0}` is not converted",
        K::ImpThePart => "{0}: {1}",
        K::ImpTheGeneralFeedback => "the general feedback",
        K::ImpAnAnswer => "an answer",
        K::ImpAnswerFeedback => "answer feedback",
        K::ImpAMatchingItem => "a matching item",
        K::ImpMcTwoAnswers => "a multiple-choice question needs at least two answers",
        K::ImpMatchNoArrow => "matching answer `{0}` has no `->`",
        K::ImpMatchNothingAfter => "a matching answer has nothing after `->`",
        K::ImpShortNeedsAnswer => "a short-answer question needs an answer",
        K::ImpPercent => "{0} ({1}%)",
        K::ImpWildcard => "{0} (wildcard)",
        K::ImpNotFullDropped => "answers that are not 100% right were dropped: {0}",
        K::ImpAnswerNoQuestion => "an `ANSWER:` line with no question before it was ignored",
        K::ImpOptionNoQuestion => "option `{0}` with no question before it was ignored",
        K::ImpNoAnswerLine => "it has no `ANSWER:` line",
        K::ImpTwoOptions => "it needs at least two options",
        K::ImpAnswerNotOneLetter => "`ANSWER: {0}` is not one option letter",
        K::ImpAnswerNoOption => "`ANSWER: {0}` names no option of the question",
        K::ImpCsvRow => "a row could not be read as CSV: {0}",
        K::ImpColumnsIgnored => "columns ignored (not known): {0}",
        K::ImpBadDifficulty => "difficulty `{0}` is not easy, medium or hard, so it was left out",
        K::ImpCsvNoFilledChoice => "answer `{0}` names no filled choice",
        K::ImpCsvNotOneLetter => "answer `{0}` is not one letter",
        K::ImpCsvLetterNoChoice => "answer letter `{0}` names no filled choice",
        K::ImpCsvNoLetter => "the answer lists no letter",
        K::ImpCsvNotTrueFalse => "answer `{0}` is not true or false",
        K::ImpCsvPairNoArrow => "pair `{0}` has no `->`",
        K::ImpCsvBadType => {
            "type `{0}` is not one of single, multiple, true-false, short, order, match"
        }
        K::ImpCsvAnswerUnused => {
            "the answer column is not used by this type (the choices are in the right order) and was ignored"
        }
        K::ImpXmlNotWellFormed => "the file is not well-formed XML: {0}",
        K::ImpXmlTooDeep => "elements are nested too deeply",
        K::ImpXmlEndsInside => "the file is not well-formed XML: it ends inside an element",
        K::ImpXmlNoQuiz => "the file has no <quiz> element: it is not Moodle XML",
        K::ImpNoQuestionText => "it has no <questiontext>",
        K::ImpTagNoAscii => "tag `{0}` has no ASCII letter or digit, so it was dropped",
        K::ImpGradeRounded => "the grade {0} was rounded to {1} points",
        K::ImpMatchItemNoAnswer => "a matching item has no answer",
        K::ImpOrderTwoItems => "an ordering question needs at least two items",
        K::ImpCheckReason => "{0}",
        K::ExpQuestion => "question `{0}` ({1}): {2}",
        K::ExpNoLangText => "{0} has no `{1}` text",
        K::ExpThePrompt => "the prompt",
        K::ExpTheExplanation => "the explanation",
        K::ExpTheSource => "the source",
        K::ExpAChoice => "a choice",
        K::ExpAnItem => "an item",
        K::ExpALeftItem => "a left item",
        K::ExpARightItem => "a right item",
        K::ExpNoAccepted => "it has no `{0}` accepted answers",
        K::ExpArrowInAnswer => "an accepted answer holds `->`, which GIFT reads as matching",
        K::ExpGiftNoOrder => "GIFT has no ordering questions",
        K::ExpArrowInLeft => "a left item holds `->`, which GIFT reads as the arrow",
        K::EncReadAs => "read as {0} ({1})",
        K::EncByBom => "from its byte-order mark",
        K::EncByZeroBytes => "UTF-16 without a byte-order mark, seen from its zero bytes",
        K::EncByGiven => "named with --encoding",
        K::EncByXmlDecl => "as its XML declaration says",
        K::EncByUtf8 => "its bytes are valid UTF-8",
        K::EncByDetected => {
            "detected: the text is not UTF-8 and reads as Arabic in this code page; if it looks wrong, name the encoding with --encoding"
        }
        K::EncUnknown => "unknown encoding `{0}`",
        K::EncUnknownHint => "name one of: {0}",
        K::EncBomWins => {
            "the file starts with the byte-order mark of {0}, so it is read as {0}, not as {1}"
        }
        K::EncNotUtf8 => {
            "the file is not UTF-8 (byte {0} here), and its encoding cannot be told for certain"
        }
        K::EncNotUtf8Hint => {
            "save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8), or name its encoding: --encoding windows-1256 for Arabic saved by Windows programs, --encoding windows-1252 (Latin-1) for Western European text"
        }
        K::EncMalformed => "bytes {1} are not valid {0} (the encoding was chosen {2})",
        K::EncMalformedHint => {
            "the file is damaged or in another encoding: save it again as UTF-8, or name its encoding with --encoding ({0})"
        }
        K::EncMalformedGivenHint => "the file is not in the encoding named: try another one ({0})",
        K::EncReplacementChar => {
            "the text holds the replacement character U+FFFD, the mark of a letter lost in an earlier conversion"
        }
        K::EncReplacementCharHint => {
            "export the questions again from their source, saved as UTF-8, and import that file"
        }
        K::ImpFbLine => "{0}: {1}",
        K::ImpFbAnswer => "“{0}”",
        K::ImpFbTrue => "If you answered true",
        K::ImpFbFalse => "If you answered false",
        K::ImpFbRight => "For a right answer",
        K::ImpFbPartial => "For a partly right answer",
        K::ImpFbWrong => "For a wrong answer",
        K::ImpFbHint => "Hint {0}",
        K::ImpCharsRemoved => {
            "control or direction characters were removed ({0}): the bank format forbids them, and the screen sets each text's direction itself"
        }
        K::ImpBankIdTaken => {
            "the bank id `{0}` is the id of a shipped bank, which this bank would replace: it was written as `{1}` (choose another with --id)"
        }
        K::ImpQuestionIdTaken => {
            "the id `{0}` is taken by a question of the bank `{1}`: it was written as `{2}`"
        }
        K::ImpBankTooLarge => {
            "the bank is {0} MiB, over the {1} MiB a bank file may hold, so `tipquiz check` will refuse it: split the source file (for example by category) and import each part"
        }
        K::ANumber => "a number",
        K::TheCredits => "the credits (`credit`)",
        K::ThePartialAnswers => "the partly right answers (`partial`)",
        K::TheTolerance => "the tolerance",
        K::TheUnits => "the units",
        K::CreditOfChoice => "the credit of choice {0} of question `{1}`",
        K::CreditNotFraction => "{0} is {1}%, which is not one of Moodle's grades",
        K::CreditNotFractionHint => {
            "use {0} (the nearest), or another of {1}, or the same with a minus sign for a wrong choice"
        }
        K::CreditCount => "question `{0}` gives {1} credit(s) for {2} choice(s)",
        K::CreditCountHint => "give one credit per choice, in the order of `choices`",
        K::CreditSingleKey => {
            "in question `{0}` the answer is {1}, but the choices with credit 100 are: {2}"
        }
        K::CreditSingleKeyHint => "give the answer's choice credit 100 and every other choice less",
        K::CreditMultipleKey => {
            "in question `{0}` the answer lists {1}, but the choices with a positive credit are: {2}"
        }
        K::CreditMultipleKeyHint => "list in `answer` exactly the choices with a positive credit",
        K::CreditSum => "the positive credits of question `{0}` add up to {1}%, not 100%",
        K::CreditSumHint => {
            "make the right choices' credits add up to 100, as Moodle requires (for example 50 and 50, or 33.33333 three times)"
        }
        K::PartialCreditRange => "a partly right answer of question `{0}` has credit {1}%",
        K::PartialCreditRangeHint => {
            "a partial credit is above 0 and below 100: a fully right answer goes in `answer`"
        }
        K::NegativeTolerance => "the tolerance of question `{0}` is negative",
        K::NegativeToleranceHint => {
            "write how far from the answer a value may be, 0 or more (0: exactly)"
        }
        K::BadMultiplier => "a unit of question `{0}` has a bad multiplier",
        K::BadMultiplierHint => {
            "multipliers are above 0, and the first unit's is 1 (the answer is written in it)"
        }
        K::ExpNoTimeLimit => "its time limit was not written (the format has no place for it)",
        K::ExpUnequalShares => {
            "its {0} right choices are worth 10% or 5% each instead of {1}%, which Moodle does not accept"
        }
        K::ExpWrongWeight => {
            "its wrong choices take off {1}% each instead of {0}%, which Moodle does not accept"
        }
        K::ExpTooManyRight => {
            "it has {0} right choices, and Moodle's grades cannot share 100% among more than 20"
        }
        K::ExpGiftNoUnits => {
            "its units were not written (GIFT has no units; Moodle XML keeps them)"
        }
        K::ExpXmlComments => {
            "Moodle XML has no place for a question's source and difficulty: they are written as XML comments, which tipquiz reads back and Moodle ignores"
        }
        K::ImpWeightSnapped => {
            "the weight {0}% is not one of Moodle's grades (Moodle refuses it too): it became {1}%"
        }
        K::ImpNegativeSingle => {
            "negative weights of a single-answer question count as 0 in tipquiz: a wrong choice earns nothing (use the exam's negative_marking to take points off)"
        }
        K::ImpPositiveSum => {
            "the positive weights add up to {0}%, not 100% (Moodle refuses this question too)"
        }
        K::ImpNotANumber => "`{0}` is not a number",
        K::ImpExtraFullDropped => "more 100% answers than the first were dropped: {0}",
        K::ImpUnitsDropped => "its units were dropped: none has multiplier 1",
        K::ExportedBut => "note: {0}",
        K::ExpGiftNoPoints => {
            "its points ({0}) were not written: GIFT has no marks (Moodle XML keeps them)"
        }
        K::ImpLinksDropped => "links were dropped (their text is kept): {0}",
        K::ImpFilesDropped => "attached files were dropped: {0}",
        K::ImpOldImage => {
            "the question shows the picture `{0}` (Moodle 1.9's image field), which a terminal cannot show"
        }
        K::ImpMediaDroppedFrom => {
            "a picture or other media was dropped from {0} (its text is kept)"
        }
        K::ImpTheOverallFeedback => "the overall feedback",
        K::ImpAHint => "a hint",
        K::ImpMarkZero => {
            "its mark was {0} (it counted for nothing in Moodle): it is worth 1 point"
        }
        K::ImpMarkCapped => "its mark {0} is over tipquiz's 1000 points: it is worth 1000",
        K::ImpMarkScaled => {
            "its mark {0} became {1} points: every mark of the file was multiplied by {2}, so that all are whole numbers and stay in proportion"
        }
        K::ResumeMissingQuestion => {
            "question `{0}` of the saved attempt is no longer in the loaded banks"
        }
        K::ResumeInconsistent => "the saved attempt is inconsistent ({0})",
        K::ResumeSchema => "the saved attempt has schema {0}, newer than this tipquiz reads ({1})",
        K::ResumeLength => "paper and answers differ in length",
        K::ResumeShape => "question `{0}` changed shape",
        K::ResumeAnswerMisfit => "the answer to `{0}` does not fit it",
        K::ServeNote => "note: {0}",
        K::ServeTitle => "tipquiz class server",
        K::ServePaced => "  paced play:     you open each question from the console",
        K::ServeExams => "  exams offered:  {0}",
        K::ServeTraineesType => "  trainees type:  {0}",
        K::ServeOr => "              or  {0}",
        K::ServeCode => "  class code:     {0}",
        K::ServeHostKey => {
            "  host key:       {0}  (a trainee's computer shows this on the first connection)"
        }
        K::ServeResults => "  results folder: {0}",
        K::ServeSignatures => "  signatures:     {0}",
        K::ServeKeyTightened => {
            "{0} could be read by other users of this computer; it is now readable by you only"
        }
        K::ServeCreated => "created {0}",
        K::ServeRecovered => "{0} finished attempts recorded from the last run",
        K::ServeNotRecorded => "not recorded (kept for the next start): {0}",
        K::ServeSetAside => "set aside, not recorded: {0}",
        K::ServeErrCode => "--code: {0}",
        K::ServeCodeEmpty => "the class code is empty: give at least one letter or digit",
        K::ServeCodeTooLong => "the class code is longer than 64 characters",
        K::ServeCodeControl => "the class code contains a control character",
        K::ServeErrListen => {
            "cannot listen on {0}: {1} (another program may use this port: choose another with --port)"
        }
        K::ServeErrRuntime => "cannot start the network threads: {0}",
        K::ServeErrConsole => "the instructor console cannot use this terminal: {0}",
        K::ServeErrPacedOne => {
            "--paced: paced play runs one exam; give it with --exam (offered now: {0})"
        }
        K::ServeErrPacedExam => "--paced: exam {0}: {1}",
        K::KeyCreateFolder => "cannot create the folder of {0}: {1}",
        K::KeyCreate => "cannot create {0}: {1}",
        K::KeyWrite => "cannot write {0}: {1}",
        K::KeyRead => "cannot read {0}: {1}",
        K::KeyRestrict => "cannot restrict the permissions of {0}: {1}",
        K::KeyEmpty => {
            "the key file {0} is empty: move it away and start the server again to create a new one"
        }
        K::KeyBad => {
            "{0} is not an ed25519 host key in OpenSSH format ({1}); move it away and start again to create a new one (trainees' computers will then warn that the key changed)"
        }
        K::KeyIsAlgorithm => "it is {0}",
        K::PacedKinds => {
            "paced play needs questions answered with one key (single choice or true/false); these are not: {0}"
        }
        K::PacedOver => "the game is over",
        K::PacedSaved => "the saved game does not fit: {0}",
        K::PacedSavedOtherExam => "it is a game of exam {0}, not {1}",
        K::PacedSavedQuestion => "question {0} of a paper of {1}",
        K::PacedSavedPaper => "{0}'s paper is another one",
        K::SshRefused => "tipquiz: {0}",
        K::SshQuizOnly => {
            "This server runs the class quiz only. Connect with: ssh -p PORT class@ADDRESS"
        }
        K::SshNeedsTerminal => "the quiz needs a terminal: connect without -T (or with -t)",
        K::SshClassFull => "the class is full; ask the instructor to raise --max-sessions",
        K::SshNoCommands => "commands are not run here",
        K::SshNoSubsystem => "no subsystem ({0}) here",
        K::SshWelcome => "tipquiz class quiz. Type the class code your instructor gave you.",
        K::SshLoginTimeout => "no class code given in time",
        K::WhoWhy => "{0}: {1}",
        K::SshCodePrompt => "Class code",
    }
}

/// The instructor's console (`serve`).
pub static CONSOLE: super::screens::ConsoleUi = super::screens::ConsoleUi {
    title: "tipquiz serve · instructor console",
    sessions: "sessions {0} of {1} · joins {2}{3}",
    joins_open: "open",
    joins_locked: "LOCKED",
    exam_ended: " · EXAM ENDED",
    trainees: "Trainees ({0})",
    col_trainee: "Trainee",
    col_exam: "Exam",
    col_answered: "Answered",
    col_flagged: "Flagged",
    col_time: "Time left",
    col_state: "State",
    joining: "joining",
    working: "working",
    finished: "finished",
    away: "away (saved)",
    typing: "(typing a name)",
    keys: "{0} select · {1} {2} min for the selected · {3} {2} min for all · {4} lock/open joins · {5} end exam · {6} board · {8} details · {7} stop",
    paced_keys: "{0} next step (open, close, next question, podium) · {1} end the game now · {2} lock/open joins · {3} board · {5} details · {4} stop",
    keys_short: "{0} select · {1} {2} min more · {5} end exam · {6} board · {8} all keys · {7} stop",
    paced_keys_short: "{0} next step · {1} end the game · {3} board · {5} all keys · {4} stop",
    confirm_end: "End the exam for everybody? Open attempts are recorded as timed out.",
    confirm_end_game: "End the game now? Every trainee's answers so far are recorded and the podium is shown.",
    confirm_quit: "Stop the server? Attempts are saved and resume when trainees connect again.",
    confirm_quit_paced: "Stop the server? The game is saved and goes on when the server starts again.",
    confirm_keys: "{0}: yes · any other key: no",
    nothing_done: "Nothing done.",
    no_selection: "No trainee selected.",
    locked_status: "Joins locked: only trainees who already started can come back.",
    open_status: "Joins open.",
    no_attempt: "{0} has no attempt running.",
    more_one: "{0} more minutes for {1}.",
    more_all: "{0} more minutes for everybody ({1} not connected).",
    ended_status: "Exam ended. Attempts of trainees not connected, recorded as timed out: {0}.",
    not_recorded_autosave: " Not recorded (kept in the autosave folder): {0}",
    live_title: "Live quiz (paced)",
    waiting: "Waiting to start · {0} trainees joined · {1}: open question 1 of {2}",
    open_line: "Question {0} of {1} · {2} s left · {3} of {4} answered · {5}: close it now",
    closed_line: "Question {0} of {1} · closed · {2}",
    next_question: "{0}: open question {1} of {2}",
    next_podium: "{0}: the podium",
    the_end: "The end · {0} trainees",
    no_answer: "no answer: {0}",
    right_mark: "✓ right",
    podium: "Podium",
    leaderboard: "Leaderboard (points with speed)",
    right_count: "({0} right)",
    q_opened: "Question {0} of {1} is open.",
    q_closed: "Question {0} closed: answers shown.",
    recorded_all: "The end: {0} attempts recorded.",
    not_recorded_pending: " Not recorded (kept in the pending folder): {0}",
    already_over: "The game is already over.",
    save_failed: "The game could not be saved: {0}",
    game_goes_on: "The paced game stopped earlier goes on ({0} trainees, {1}): trainees connect again with the same name.",
    game_at_question: "question {0} of {1}",
    game_not_started: "not started",
    game_set_aside: "A saved paced game could not be taken up ({0}); it was moved to {1}.",
    code_is: "code {0}",
    details_title: "Details",
    details_back: "{0} back",
    podium_recorded: "The paced game had reached its podium when the server stopped: {0} missing records written now, {1} already in the results folder.",
};

/// Paced play's screen (`serve --paced`).
pub static PACED: super::screens::PacedUi = super::screens::PacedUi {
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
    closed: "The instructor has closed the quiz to new trainees. If you had joined, type the same name as before.",
};

/// The screens in English.
pub static SCREENS: Ui = Ui {
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
    saving_failed: "Could not save to the results folder: {0}. Your attempt is kept on this computer in {1}: it is tried again every few seconds (w: now), or run `tipquiz recover` later.",
    saving_unsaved: "NOT SAVED: {0}. Your attempt could not be kept on this computer either: it is only in this window. Do not close it: free some space or fix the folders; it is tried again every few seconds (w: now).",
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
    topic_indicators: "Indicators",
    topic_national_law: "National law",
    topic_international_law: "International law",
    topic_referral: "Referral mechanism",
    topic_scenarios: "Scenarios",
    board_title: "Leaderboard",
    board_waiting: "Waiting for the first attempt…",
    board_done: "done",
    board_in_progress: "in progress",
    board_means: "Class mean by topic (%)",
    extra_time: "The instructor gave you {0} more minutes.",
    closed_idle: "Closed after a long time without a key. Your answers are saved: connect again to go on.",
    closed_replaced: "Your attempt continues on another connection. Your answers are saved.",
    closed_shutdown: "The instructor stopped the server. Your answers are saved: connect again when asked to.",
    exam_ended: "The instructor has ended the exam.",
    joins_closed: "The instructor has closed the exam to new trainees. If you had started, type the same name as before.",
    taken_over: "This attempt was open on another connection, which is now closed. Press Enter to continue it here.",
    does: [
        (
            "choose an answer (tick or untick for 'select all')",
            "answer",
        ),
        ("move the cursor; scroll at the ends", "move"),
        ("choose or tick the answer under the cursor", "choose"),
        (
            "next / previous question (the arrows swap in Arabic)",
            "next/prev",
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
