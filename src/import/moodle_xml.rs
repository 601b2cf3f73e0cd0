//! Moodle XML (`<quiz><question type="...">...</question></quiz>`).
//!
//! Read: `<name><text>` (the id), `<questiontext format="..."><text>`, `<generalfeedback>` (the
//! explanation), `<defaultgrade>` (points, see the module above), `<shuffleanswers>`,
//! `<tags><tag><text>`, and `<question type="category"><category><text>$course$/top/...` (a tag
//! for the questions that follow). Text with `format="html"` has its tags stripped and entities
//! decoded; other formats are taken as written.
//!
//! Types:
//! - `multichoice`: `<single>true</single>` gives `single`, otherwise `multiple`; the weights are
//!   the `fraction` of each `<answer>`; `<answer><feedback>` is appended to the explanation.
//! - `truefalse`: the answer with fraction 100 (`<text>true</text>` or `false`).
//! - `shortanswer`: every answer with fraction 100; other positive fractions are partly right
//!   answers.
//! - `numerical`: the first answer with fraction 100 and its `<tolerance>`, other positive
//!   fractions as partly right values, `*` as feedback for any other answer, and `<units>`.
//! - `matching`: `<subquestion><text>left</text><answer><text>right</text></answer>`; a
//!   subquestion with no text is a distractor (dropped and listed).
//! - `ordering` (Moodle 4.4's ordering type, and the plugin before it): the answers, in the order
//!   of their `fraction` (their right position).
//! - Not converted, and listed: essay, calculated (all kinds), description, cloze
//!   (`multianswer`), drag and drop (`ddwtos`, `ddimageortext`, `ddmarker`), `gapselect`,
//!   `randomsamatch`, random, and any other type.

use super::clean::{
    category_parts_lost, category_tag, clean, decode_entities, excerpt, links, slug, strip_html,
};
use super::{Draft, DraftKind, Fb, Parsed, finish_match, label, weighted_choices};
use crate::messages::{K, Msg};
use crate::msg;
use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};

/// Deepest element nesting read (Moodle files use fewer than 10 levels).
const MAX_DEPTH: usize = 64;

/// An element of the document.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    text: String,
    line: usize,
}

impl Node {
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The text of the `<text>` child (or of the node itself when it has none).
    fn text_of(&self) -> &str {
        self.child("text")
            .map_or(self.text.as_str(), |t| t.text.as_str())
    }

    fn is_html(&self) -> bool {
        self.attr("format") == Some("html")
    }

    fn is_plain(&self) -> bool {
        self.attr("format") == Some("plain_text")
    }
}

/// Line starts, for turning byte offsets into lines.
struct Lines(Vec<usize>);

impl Lines {
    fn new(s: &str) -> Lines {
        let mut v = vec![0];
        v.extend(s.match_indices('\n').map(|(i, _)| i + 1));
        Lines(v)
    }

    fn line(&self, offset: u64) -> usize {
        let o = usize::try_from(offset).unwrap_or(usize::MAX);
        self.0.partition_point(|s| *s <= o)
    }
}

fn element(e: &BytesStart<'_>, line: usize) -> Node {
    let name = e.local_name().as_ref().to_owned();
    let attrs = e
        .attributes()
        .flatten()
        .map(|a| {
            let k = a.key.local_name().as_ref().to_owned();
            let v = a
                .normalized_value(XmlVersion::Implicit1_0)
                .map(std::borrow::Cow::into_owned)
                .unwrap_or_default();
            (k, v)
        })
        .collect();
    Node {
        name,
        attrs,
        line,
        ..Node::default()
    }
}

/// Read the document into a tree. `Err((line, message))` when it is not well-formed.
fn tree(source: &str) -> Result<Node, (usize, Msg)> {
    let lines = Lines::new(source);
    let mut reader = Reader::from_str(source);
    let mut stack: Vec<Node> = vec![Node::default()];
    loop {
        let at = reader.buffer_position();
        let ev = reader.read_event().map_err(|e| {
            (
                lines.line(reader.error_position()),
                msg!(ImpXmlNotWellFormed, e.to_string()),
            )
        })?;
        let top = stack.len() - 1;
        match ev {
            Event::Start(e) => {
                if stack.len() > MAX_DEPTH {
                    return Err((lines.line(at), K::ImpXmlTooDeep.into()));
                }
                stack.push(element(&e, lines.line(at)));
            }
            Event::Empty(e) => {
                let n = element(&e, lines.line(at));
                stack[top].children.push(n);
            }
            Event::End(_) if top > 0 => {
                let n = stack.pop().unwrap_or_default();
                stack[top - 1].children.push(n);
            }
            Event::Text(t) => stack[top].text.push_str(&t.xml10_content()),
            Event::CData(t) => stack[top].text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let s: &str = &r;
                match r.resolve_char_ref() {
                    Ok(Some(c)) => stack[top].text.push(c),
                    _ => match resolve_predefined_entity(s) {
                        Some(v) => stack[top].text.push_str(v),
                        // Not an XML entity (an HTML one such as &nbsp;): keep it for the HTML
                        // decoding.
                        None => {
                            stack[top].text.push('&');
                            stack[top].text.push_str(s);
                            stack[top].text.push(';');
                        }
                    },
                }
            }
            Event::Comment(c) => {
                let text = c.into_inner().into_owned();
                stack[top].children.push(Node {
                    name: "#comment".to_owned(),
                    text,
                    line: lines.line(at),
                    ..Node::default()
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() > 1 {
        return Err((
            lines.line(reader.buffer_position()),
            K::ImpXmlEndsInside.into(),
        ));
    }
    Ok(stack.pop().unwrap_or_default())
}

/// A text element as plain text: HTML stripped when its format is html.
fn text(node: &Node) -> Result<String, Msg> {
    let raw = node.text_of();
    if node.is_html() {
        let p = strip_html(raw);
        if p.media {
            return Err(K::ImpMedia.into());
        }
        if p.text.is_empty() && !raw.trim().is_empty() {
            return Err(K::ImpHtmlOnly.into());
        }
        Ok(p.text)
    } else if node.is_plain() {
        Ok(clean(raw))
    } else {
        // moodle_auto_format and markdown: Moodle shows character references decoded.
        Ok(clean(&decode_entities(raw)))
    }
}

fn fraction(node: &Node) -> f64 {
    node.attr("fraction")
        .and_then(|f| f.trim().parse::<f64>().ok())
        .filter(|f| f.is_finite())
        .unwrap_or(0.0)
}

/// Parse a Moodle XML file.
pub(crate) fn parse(source: &str) -> Parsed {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut out = Parsed::default();
    let root = match tree(source) {
        Ok(r) => r,
        Err((line, msg)) => {
            out.note(line, msg);
            return out;
        }
    };
    let Some(quiz) = root.child("quiz") else {
        out.note(1, K::ImpXmlNoQuiz);
        return out;
    };
    let mut category: Option<String> = None;
    for q in quiz.all("question") {
        read_question(q, &mut category, &mut out);
    }
    out
}

fn skip_reason(kind: &str) -> Msg {
    match kind {
        "essay" => K::ImpEssay.into(),
        "calculated" | "calculatedsimple" | "calculatedmulti" => K::ImpCalculated.into(),
        "description" => K::ImpDescription.into(),
        "multianswer" => K::ImpCloze.into(),
        "ddwtos" | "ddimageortext" | "ddmarker" => K::ImpDragDrop.into(),
        "gapselect" => K::ImpGapSelect.into(),
        "randomsamatch" | "random" => K::ImpRandom.into(),
        other => msg!(ImpTypeNotConverted, excerpt(other)),
    }
}

fn read_question(q: &Node, category: &mut Option<String>, out: &mut Parsed) {
    let kind = q.attr("type").unwrap_or("");
    let name = q
        .child("name")
        .map(|n| clean(n.text_of()))
        .filter(|n| !n.is_empty());
    if kind == "category" {
        let path = q
            .child("category")
            .map(|c| clean(c.text_of()))
            .unwrap_or_default();
        let tag = category_tag(&path);
        for lost in category_parts_lost(&path) {
            out.note(q.line, msg!(ImpCategoryNoAscii, excerpt(lost)));
        }
        *category = Some(tag).filter(|t| !t.is_empty());
        return;
    }
    let raw_prompt = q.child("questiontext").map_or("", Node::text_of);
    let lbl = label(name.as_deref(), &strip_html(raw_prompt).text);
    if !matches!(
        kind,
        "multichoice" | "truefalse" | "shortanswer" | "matching" | "ordering" | "numerical"
    ) {
        return out.skip(q.line, &lbl, skip_reason(kind));
    }
    // Moodle 1.9 kept a question's picture in `<image>`: the question shows it.
    if let Some(img) = q
        .child("image")
        .map(|i| clean(&i.text))
        .filter(|i| !i.is_empty())
    {
        return out.skip(q.line, &lbl, msg!(ImpOldImage, excerpt(&img)));
    }
    let mut d = Draft {
        line: q.line,
        name,
        ..Draft::default()
    };
    // What no text keeps: links, and files attached to any text of the question.
    let mut found_links = Vec::new();
    let mut files = Vec::new();
    walk(q, &mut |n: &Node| {
        if n.name == "file" {
            files.push(excerpt(n.attr("name").unwrap_or("?")));
        } else {
            for l in links(&n.text) {
                if !found_links.contains(&l) {
                    found_links.push(l);
                }
            }
        }
    });
    if !found_links.is_empty() {
        d.notes.push(msg!(ImpLinksDropped, found_links.join(", ")));
    }
    if !files.is_empty() {
        d.notes.push(msg!(ImpFilesDropped, files.join(", ")));
    }
    let feedback_media = q
        .all("answer")
        .filter_map(|a| a.child("feedback"))
        .any(|fb| fb.is_html() && strip_html(fb.text_of()).media);
    if feedback_media {
        d.notes
            .push(msg!(ImpMediaDroppedFrom, K::ImpAnswerFeedback));
    }
    match q.child("questiontext").map(text) {
        Some(Ok(p)) => d.prompt = p,
        Some(Err(why)) => {
            return out.skip(q.line, &lbl, msg!(ImpThePart, K::ImpTheQuestionText, why));
        }
        None => return out.skip(q.line, &lbl, K::ImpNoQuestionText),
    }
    if let Some(g) = q.child("generalfeedback") {
        let g = feedback_text(g, K::ImpTheGeneralFeedback, &mut d);
        if !g.is_empty() {
            d.explanation = Some(g);
        }
    }
    // tipquiz writes the source and the difficulty as comments (Moodle has no place for them).
    for c in q.all("#comment") {
        let t = c.text.trim();
        if let Some(src) = t.strip_prefix("source:") {
            d.source = Some(clean(src)).filter(|s| !s.is_empty());
        } else if let Some(diff) = t.strip_prefix("difficulty:") {
            d.difficulty = crate::bank::Difficulty::from_name(diff.trim());
        }
    }
    d.tags.extend(category.iter().cloned());
    if let Some(tags) = q.child("tags") {
        for t in tags.all("tag") {
            let raw = clean(t.text_of());
            if slug(&raw).is_empty() && !raw.is_empty() {
                d.notes.push(msg!(ImpTagNoAscii, excerpt(&raw)));
            } else {
                d.tags.push(raw);
            }
        }
    }
    // The mark: made whole numbers for the whole file when the bank is written.
    d.mark = q
        .child("defaultgrade")
        .and_then(|g| g.text.trim().parse::<f64>().ok())
        .filter(|g| g.is_finite());
    if let Some(s) = q.child("shuffleanswers") {
        let v = s.text.trim().to_ascii_lowercase();
        if v == "0" || v == "false" {
            d.shuffle = Some(false);
        }
    }
    // Overall feedback and hints, kept after the answers' own feedback.
    let mut overall = Vec::new();
    for (tag, fb) in [
        ("correctfeedback", Fb::Right),
        ("partiallycorrectfeedback", Fb::Partial),
        ("incorrectfeedback", Fb::Wrong),
    ] {
        if let Some(n) = q.child(tag) {
            let t = feedback_text(n, K::ImpTheOverallFeedback, &mut d);
            overall.push((fb, t));
        }
    }
    for (i, h) in q.all("hint").enumerate() {
        let t = feedback_text(h, K::ImpAHint, &mut d);
        overall.push((Fb::Hint(i + 1), t));
    }
    let result = match kind {
        "multichoice" => multichoice(q, &mut d),
        "truefalse" => truefalse(q, &mut d),
        "shortanswer" => shortanswer(q, &mut d),
        "matching" => matching(q, &mut d),
        "numerical" => numerical(q, &mut d),
        _ => ordering(q),
    };
    match result {
        Ok(k) => {
            d.kind = k;
            for (fb, t) in overall {
                d.add_feedback(fb, &t);
            }
            out.drafts.push(d);
        }
        Err(why) => out.skip(q.line, &lbl, why),
    }
}

/// Every node below `n`, depth first.
fn walk(n: &Node, f: &mut dyn FnMut(&Node)) {
    for c in &n.children {
        f(c);
        walk(c, f);
    }
}

/// A feedback or hint as plain text. Pictures and other media in it are dropped, with a note
/// naming `what` (the text is kept).
fn feedback_text(node: &Node, what: K, d: &mut Draft) -> String {
    let raw = node.text_of();
    if node.is_html() {
        let p = strip_html(raw);
        if p.media {
            d.notes.push(msg!(ImpMediaDroppedFrom, what));
        }
        p.text
    } else if node.is_plain() {
        clean(raw)
    } else {
        clean(&decode_entities(raw))
    }
}

/// The answers of a question as (text, fraction, feedback).
fn answers(q: &Node) -> Result<Vec<(String, f64, String)>, Msg> {
    q.all("answer")
        .map(|a| {
            let t = text(a).map_err(|w| msg!(ImpThePart, K::ImpAnAnswer, w))?;
            let f = match a.child("feedback") {
                // Media in an answer's feedback is dropped (noted by the question's reader).
                Some(fb) => text(fb).unwrap_or_else(|_| strip_html(fb.text_of()).text),
                None => String::new(),
            };
            Ok((t, fraction(a), f))
        })
        .collect()
}

fn add_answer_feedback(d: &mut Draft, list: &[(String, f64, String)]) {
    for (a, _, f) in list {
        d.add_feedback(Fb::Answer(a.clone()), f);
    }
}

fn multichoice(q: &Node, d: &mut Draft) -> Result<DraftKind, Msg> {
    let single = q
        .child("single")
        .is_none_or(|s| matches!(s.text.trim(), "true" | "1"));
    let list = answers(q)?;
    if list.len() < 2 {
        return Err(K::ImpMcTwoAnswers.into());
    }
    let weights: Vec<f64> = list.iter().map(|a| a.1).collect();
    let choices: Vec<String> = list.iter().map(|a| a.0.clone()).collect();
    let (kind, credit, notes) = weighted_choices(choices, &weights, single)?;
    d.notes.extend(notes);
    d.credit = credit;
    add_answer_feedback(d, &list);
    Ok(kind)
}

fn truefalse(q: &Node, d: &mut Draft) -> Result<DraftKind, Msg> {
    let list = answers(q)?;
    let right = list
        .iter()
        .enumerate()
        .find(|(_, a)| a.1 >= 99.99)
        .ok_or_else(|| Msg::from(K::ImpNoFullAnswer))?;
    let value = match right.1.0.to_lowercase().as_str() {
        "true" => true,
        "false" => false,
        // Moodle writes `true` and `false`; otherwise the first answer is the true one.
        _ => right.0 == 0,
    };
    // Each answer's feedback, labelled by the answer it follows: the right one first.
    let ordered = list
        .iter()
        .enumerate()
        .filter(|(_, a)| a.1 >= 99.99)
        .chain(list.iter().enumerate().filter(|(_, a)| a.1 < 99.99));
    for (i, (text, _, f)) in ordered {
        let is_true = match text.to_lowercase().as_str() {
            "true" => true,
            "false" => false,
            _ => i == 0,
        };
        d.add_feedback(if is_true { Fb::True } else { Fb::False }, f);
    }
    Ok(DraftKind::TrueFalse(value))
}

fn shortanswer(q: &Node, d: &mut Draft) -> Result<DraftKind, Msg> {
    let list = answers(q)?;
    let mut accepted = Vec::new();
    let mut dropped = Vec::new();
    for (a, f, _) in &list {
        if a.contains('*') {
            dropped.push(msg!(ImpWildcard, a));
        } else if *f >= 99.99 {
            accepted.push(a.clone());
        } else if *f > 0.0 {
            let c = super::snap(*f, &mut d.notes);
            d.partial.push((c, a.clone()));
        } else {
            dropped.push(msg!(ImpPercent, a, crate::messages::num(super::pct(*f))));
        }
    }
    if accepted.is_empty() {
        return Err(K::ImpNoFullAnswer.into());
    }
    if !dropped.is_empty() {
        d.notes.push(msg!(
            ImpNotFullDropped,
            crate::messages::join_list(dropped.into_iter().map(Into::into))
        ));
    }
    add_answer_feedback(d, &list);
    Ok(DraftKind::Short(accepted))
}

fn matching(q: &Node, d: &mut Draft) -> Result<DraftKind, Msg> {
    let mut pairs = Vec::new();
    let mut distractors = Vec::new();
    for s in q.all("subquestion") {
        let left = text(s).map_err(|w| msg!(ImpThePart, K::ImpAMatchingItem, w))?;
        let right = s
            .child("answer")
            .map(|a| clean(a.text_of()))
            .unwrap_or_default();
        if right.is_empty() {
            return Err(K::ImpMatchItemNoAnswer.into());
        }
        if left.is_empty() {
            distractors.push(right);
        } else {
            pairs.push((left, right));
        }
    }
    finish_match(pairs, &distractors, d)
}

/// A number in a Moodle XML file (a decimal comma is read too).
fn xml_number(s: &str) -> Option<f64> {
    s.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
}

fn numerical(q: &Node, d: &mut Draft) -> Result<DraftKind, Msg> {
    let list = answers(q)?;
    let mut answer: Option<(f64, f64)> = None;
    let mut partial = Vec::new();
    let mut extra = Vec::new();
    for (node, (text, fraction, fb)) in q.all("answer").zip(&list) {
        if text.trim() == "*" || text.trim().is_empty() {
            d.add_feedback(Fb::Wrong, fb);
            continue;
        }
        let v = xml_number(text).ok_or_else(|| msg!(ImpNotANumber, excerpt(text)))?;
        let tol = node
            .child("tolerance")
            .and_then(|t| xml_number(&t.text))
            .map_or(0.0, f64::abs);
        d.add_feedback(Fb::Answer(text.trim().to_owned()), fb);
        if *fraction >= 99.99 {
            if answer.is_none() {
                answer = Some((v, tol));
            } else {
                extra.push(text.trim().to_owned());
            }
        } else if *fraction > 0.0 {
            let c = super::snap(*fraction, &mut d.notes);
            partial.push((v, tol, c));
        }
    }
    if !extra.is_empty() {
        d.notes.push(msg!(ImpExtraFullDropped, extra.join(", ")));
    }
    let mut units = Vec::new();
    if let Some(us) = q.child("units") {
        for u in us.all("unit") {
            let name = u
                .child("unit_name")
                .map(|n| clean(&n.text))
                .unwrap_or_default();
            let m = u
                .child("multiplier")
                .and_then(|m| xml_number(&m.text))
                .unwrap_or(1.0);
            if !name.is_empty() && m > 0.0 {
                units.push((name, m));
            }
        }
    }
    // tipquiz reads the first unit as the answer's: put the unit with multiplier 1 first.
    if let Some(p) = units.iter().position(|u| (u.1 - 1.0).abs() < 1e-12) {
        let u = units.remove(p);
        units.insert(0, u);
    } else if !units.is_empty() {
        d.notes.push(K::ImpUnitsDropped.into());
        units.clear();
    }
    let (answer, tolerance) = answer.ok_or_else(|| Msg::from(K::ImpNoFullAnswer))?;
    Ok(DraftKind::Numerical {
        answer,
        tolerance,
        units,
        partial,
    })
}

fn ordering(q: &Node) -> Result<DraftKind, Msg> {
    let mut list = answers(q)?;
    if list.len() < 2 {
        return Err(K::ImpOrderTwoItems.into());
    }
    list.sort_by(|a, b| a.1.total_cmp(&b.1));
    Ok(DraftKind::Order(list.into_iter().map(|a| a.0).collect()))
}
