//! Reading a source file's bytes as text: which encoding, and how we know.
//!
//! In this order:
//! 1. A byte-order mark (UTF-8, UTF-16 LE or BE) decides.
//! 2. A file with no mark whose bytes are zero at every other place (ASCII in UTF-16) is read as
//!    UTF-16 LE or BE.
//! 3. An encoding the user names (`--encoding windows-1256`) is used.
//! 4. An XML declaration's `encoding="..."` is used.
//! 5. Valid UTF-8 is UTF-8.
//! 6. Otherwise, only Arabic is guessed: when the detector (chardetng, Firefox's) names an Arabic
//!    code page and most letters read that way are Arabic, the file is read in windows-1256.
//!    Anything else is refused with the line of the first byte that is not UTF-8 and a hint to
//!    name the encoding. Latin-1 and the other single-byte code pages cannot be told apart
//!    reliably, so they are never guessed.
//!
//! The text is never decoded with replacement characters: a byte sequence that is not valid in
//! the chosen encoding, or a U+FFFD already in the file (the mark of an earlier failed
//! conversion), is refused with its line and column.

use crate::messages::{K, Msg};
use crate::msg;
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1256};

/// How the encoding was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// A byte-order mark.
    Bom,
    /// Zero bytes at every other place (UTF-16 without a byte-order mark).
    ZeroBytes,
    /// The user named it.
    Given,
    /// The XML declaration.
    XmlDeclaration,
    /// The bytes are valid UTF-8.
    ValidUtf8,
    /// Guessed from the text (Arabic only).
    Detected,
}

impl How {
    fn key(self) -> K {
        match self {
            How::Bom => K::EncByBom,
            How::ZeroBytes => K::EncByZeroBytes,
            How::Given => K::EncByGiven,
            How::XmlDeclaration => K::EncByXmlDecl,
            How::ValidUtf8 => K::EncByUtf8,
            How::Detected => K::EncByDetected,
        }
    }
}

/// A decoded file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without a byte-order mark.
    pub text: String,
    /// The encoding's name (`UTF-8`, `UTF-16LE`, `windows-1256`...).
    pub encoding: &'static str,
    /// How it was chosen.
    pub how: How,
    /// Anything worth saying besides (an encoding given but overruled by a byte-order mark).
    pub notes: Vec<Msg>,
}

impl Decoded {
    /// "read as windows-1256 (named with --encoding)", in any language.
    #[must_use]
    pub fn describe(&self) -> Msg {
        msg!(EncReadAs, label(self.encoding), self.how.key())
    }
}

/// Why a file cannot be read as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// Line of the problem (1-based), 0 when it concerns the whole file.
    pub line: usize,
    /// Column (1-based, in characters), 0 when it concerns the whole file.
    pub column: usize,
    /// What is wrong.
    pub message: Msg,
    /// How to fix it.
    pub hint: Msg,
}

/// The name shown for an encoding: Latin-1 is windows-1252 to every decoder since HTML5.
fn label(name: &str) -> String {
    if name == "windows-1252" {
        "windows-1252 (Latin-1)".to_owned()
    } else {
        name.to_owned()
    }
}

/// Encodings the hints name.
const KNOWN: &str = "utf-8, utf-16le, utf-16be, windows-1256 (Arabic, Windows), iso-8859-6 (Arabic), windows-1252 or latin1";

/// Decode `bytes`; `given` is an encoding label the user named (`--encoding`).
///
/// # Errors
/// When `given` is not an encoding, or the bytes are not valid text in the encoding chosen, or
/// the encoding cannot be told (see the module documentation).
pub fn decode(bytes: &[u8], given: Option<&str>) -> Result<Decoded, DecodeError> {
    let named = match given.map(str::trim).filter(|g| !g.is_empty()) {
        Some(g) => Some(
            Encoding::for_label(g.as_bytes()).ok_or_else(|| DecodeError {
                line: 0,
                column: 0,
                message: msg!(EncUnknown, g),
                hint: msg!(EncUnknownHint, KNOWN),
            })?,
        ),
        None => None,
    };
    let mut notes = Vec::new();
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        if let Some(n) = named.filter(|n| n.output_encoding() != enc) {
            notes.push(msg!(EncBomWins, enc.name(), label(n.name())));
        }
        return strict(enc, &bytes[bom_len..], How::Bom, notes);
    }
    if let Some(enc) = utf16_by_zero_bytes(bytes) {
        return strict(enc, bytes, How::ZeroBytes, notes);
    }
    if let Some(enc) = named {
        return strict(enc, bytes, How::Given, notes);
    }
    if let Some(enc) = xml_declared(bytes) {
        return strict(enc, bytes, How::XmlDeclaration, notes);
    }
    match std::str::from_utf8(bytes) {
        Ok(_) => strict(UTF_8, bytes, How::ValidUtf8, notes),
        Err(e) => {
            let at = e.valid_up_to();
            let (line, column) = position(&String::from_utf8_lossy(&bytes[..at]));
            if let Some(d) = arabic_code_page(bytes) {
                return Ok(d);
            }
            Err(DecodeError {
                line,
                column,
                message: msg!(EncNotUtf8, format!("0x{:02X}", bytes[at])),
                hint: K::EncNotUtf8Hint.into(),
            })
        }
    }
}

/// Line and column (1-based) just after `prefix`.
fn position(prefix: &str) -> (usize, usize) {
    let line = prefix.matches('\n').count() + 1;
    let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Decode the whole of `bytes` in `enc` with no replacement, and refuse a U+FFFD.
fn strict(
    enc: &'static Encoding,
    bytes: &[u8],
    how: How,
    notes: Vec<Msg>,
) -> Result<Decoded, DecodeError> {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut text = String::with_capacity(cap);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    if let encoding_rs::DecoderResult::Malformed(bad, _) = result {
        let (line, column) = position(&text);
        let start = read.saturating_sub(usize::from(bad));
        let shown: Vec<String> = bytes[start..read]
            .iter()
            .map(|b| format!("0x{b:02X}"))
            .collect();
        let hint = if how == How::Given {
            msg!(EncMalformedGivenHint, KNOWN)
        } else {
            msg!(EncMalformedHint, KNOWN)
        };
        return Err(DecodeError {
            line,
            column,
            message: msg!(EncMalformed, label(enc.name()), shown.join(" "), how.key()),
            hint,
        });
    }
    if let Some(p) = text.find('\u{FFFD}') {
        let (line, column) = position(&text[..p]);
        return Err(DecodeError {
            line,
            column,
            message: K::EncReplacementChar.into(),
            hint: K::EncReplacementCharHint.into(),
        });
    }
    Ok(Decoded {
        text,
        encoding: enc.name(),
        how,
        notes,
    })
}

/// UTF-16 with no byte-order mark. In UTF-16 the high byte of nearly every code unit of
/// English or Arabic text is 0x00 (ASCII) or 0x06 (the Arabic block), so in the first 4 KiB at
/// least 60% of the bytes at odd places (little-endian) or even places (big-endian) are one of
/// those two, and the bytes at the other places include almost no zero. Text in UTF-8 or a
/// single-byte code page has no zero bytes and almost no 0x06.
fn utf16_by_zero_bytes(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let high = |b: &&u8| **b == 0 || **b == 6;
    let even_high = head.iter().step_by(2).filter(high).count();
    let odd_high = head.iter().skip(1).step_by(2).filter(high).count();
    let even_zero = head.iter().step_by(2).filter(|b| **b == 0).count();
    let odd_zero = head.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let most = pairs * 3 / 5;
    let few = pairs / 20;
    if odd_high >= most && even_zero <= few {
        Some(UTF_16LE)
    } else if even_high >= most && odd_zero <= few {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The encoding named by an XML declaration at the start (`<?xml ... encoding="..."?>`).
fn xml_declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(512)];
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = &head[start..];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&head[..end]).ok()?;
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?;
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let value = &rest[1..];
    let value = &value[..value.find(quote)?];
    let enc = Encoding::for_label(value.as_bytes())?;
    // A declaration of UTF-16 in a file whose bytes are ASCII-compatible (no zero bytes, no
    // byte-order mark) is wrong; read it as the bytes say.
    if enc == UTF_16LE || enc == UTF_16BE {
        return None;
    }
    Some(enc)
}

/// Arabic in a single-byte code page, when that is certain enough: the detector names an Arabic
/// code page, the bytes decode in windows-1256 without error, and at least 60% of the letters
/// outside ASCII are Arabic letters.
fn arabic_code_page(bytes: &[u8]) -> Option<Decoded> {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let guess = det.guess(None, chardetng::Utf8Detection::Deny);
    if guess != WINDOWS_1256 && guess.name() != "ISO-8859-6" {
        return None;
    }
    let d = strict(WINDOWS_1256, bytes, How::Detected, Vec::new()).ok()?;
    let (mut arabic, mut other) = (0usize, 0usize);
    for c in d
        .text
        .chars()
        .filter(|c| !c.is_ascii() && c.is_alphabetic())
    {
        if ('\u{0600}'..='\u{06FF}').contains(&c) {
            arabic += 1;
        } else {
            other += 1;
        }
    }
    (arabic >= 10 && arabic * 5 >= (arabic + other) * 3).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(enc: &'static Encoding, s: &str) -> Vec<u8> {
        let (b, _, bad) = enc.encode(s);
        assert!(!bad, "{s} is not representable in {}", enc.name());
        b.into_owned()
    }

    const AR: &str = "ما الوثيقة التي يحتجزها صاحب العمل في أغلب الأحيان؟\nجواز السفر\n";

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode(AR.as_bytes(), None).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            (d.text.as_str(), d.how, d.encoding),
            (AR, How::ValidUtf8, "UTF-8")
        );
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice(AR.as_bytes());
        let d = decode(&b, None).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((d.text.as_str(), d.how), (AR, How::Bom));
    }

    #[test]
    fn utf16_by_bom_and_by_zero_bytes() {
        for (enc, bom) in [(UTF_16LE, [0xFF, 0xFE]), (UTF_16BE, [0xFE, 0xFF])] {
            let units: Vec<u16> = "Q? {T}\n".encode_utf16().collect();
            let body: Vec<u8> = units
                .iter()
                .flat_map(|u| {
                    if enc == UTF_16LE {
                        u.to_le_bytes()
                    } else {
                        u.to_be_bytes()
                    }
                })
                .collect();
            let d = decode(&body, None).unwrap_or_else(|e| panic!("{e:?}"));
            assert_eq!((d.text.as_str(), d.how), ("Q? {T}\n", How::ZeroBytes));
            let mut b = bom.to_vec();
            b.extend_from_slice(&body);
            let d = decode(&b, None).unwrap_or_else(|e| panic!("{e:?}"));
            assert_eq!(
                (d.text.as_str(), d.how, d.encoding),
                ("Q? {T}\n", How::Bom, enc.name())
            );
        }
    }

    #[test]
    fn windows_1256_is_detected_only_for_arabic() {
        let b = encode(WINDOWS_1256, AR);
        let d = decode(&b, None).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            (d.text.as_str(), d.how, d.encoding),
            (AR, How::Detected, "windows-1256")
        );
        // Latin-1 French is refused with the line of the first byte that is not UTF-8.
        let fr = "Question un\nQuelle est la capitale? Réponse: élevé\n";
        let b = encode(encoding_rs::WINDOWS_1252, fr);
        let e = decode(&b, None).err().unwrap_or_else(|| panic!("accepted"));
        assert_eq!((e.line, e.column), (2, 26));
        assert_eq!(e.message.key, K::EncNotUtf8);
        let d = decode(&b, Some("latin1")).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((d.text.as_str(), d.how), (fr, How::Given));
    }

    #[test]
    fn the_xml_declaration_is_read() {
        let xml = "<?xml version=\"1.0\" encoding=\"windows-1256\"?>\n<quiz>سؤال</quiz>\n";
        let b = encode(WINDOWS_1256, xml);
        let d = decode(&b, None).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((d.text.as_str(), d.how), (xml, How::XmlDeclaration));
        // Declared UTF-8 but holding a Latin-1 byte: refused at that byte.
        let mut b = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>caf".to_vec();
        b.push(0xE9);
        b.extend_from_slice(b"</quiz>");
        let e = decode(&b, None).err().unwrap_or_else(|| panic!("accepted"));
        assert_eq!((e.line, e.column, e.message.key), (2, 10, K::EncMalformed));
    }

    #[test]
    fn refuses_replacement_characters_and_unknown_names() {
        let e = decode("a\nb\u{FFFD}c".as_bytes(), None)
            .err()
            .unwrap_or_else(|| panic!("accepted"));
        assert_eq!(
            (e.line, e.column, e.message.key),
            (2, 2, K::EncReplacementChar)
        );
        let e = decode(b"x", Some("klingon"))
            .err()
            .unwrap_or_else(|| panic!("accepted"));
        assert_eq!(e.message.key, K::EncUnknown);
        // A byte-order mark wins over a named encoding, with a note.
        let d =
            decode(b"\xEF\xBB\xBFabc", Some("windows-1256")).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((d.text.as_str(), d.notes.len()), ("abc", 1));
    }
}
