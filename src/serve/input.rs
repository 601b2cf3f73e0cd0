//! Bytes typed on a trainee's terminal, as they arrive over the SSH channel, turned into the
//! key events the screens take.
//!
//! The decoding is termina's streaming parser (the Helix editor's terminal crate): it is
//! crossterm's own Unix input parser made public, so a key reaches the screens over SSH exactly
//! as it does from the local terminal, and it takes input in pieces, which is how a channel
//! delivers it. Its events become the screens' key events in the keymap layer
//! ([`crate::tui::keymap::from_termina`]), the only place that names key codes.
//!
//! Input is bounded: a packet is parsed in pieces of at most [`PIECE`] bytes, and what the
//! parser holds after a piece is dropped (so an escape sequence that never ends cannot make it
//! rescan a growing buffer), and at most
//! [`MAX_EVENTS_PER_PACKET`] events are kept from one packet (a pasted megabyte becomes a few
//! hundred keys, not a megabyte of events).

use crate::tui::keymap::from_termina;
use crossterm::event::Event;

/// The longest piece of input parsed at once.
pub const PIECE: usize = 512;
/// The most events kept from one packet of input.
pub const MAX_EVENTS_PER_PACKET: usize = 512;

/// A decoder for one session's input.
#[derive(Debug, Default)]
pub struct Decoder {
    parser: termina::Parser,
    /// Events dropped because a packet carried too many (for the log and the tests).
    pub dropped: u64,
}

impl Decoder {
    /// A new decoder.
    #[must_use]
    pub fn new() -> Decoder {
        Decoder::default()
    }

    /// Decode one packet of input. Every packet is taken as complete: a terminal writes each
    /// key's sequence at once, so a lone ESC at the end of a packet is the Escape key.
    pub fn decode(&mut self, bytes: &[u8]) -> Vec<Event> {
        let mut out = Vec::new();
        let mut rest = bytes;
        while !rest.is_empty() {
            let n = piece_len(rest);
            let (piece, tail) = rest.split_at(n);
            rest = tail;
            self.parser.parse(piece, false);
            // A piece is complete (it ends before an ESC, or at the end of the packet): what
            // the parser still holds is a sequence that never ended, and is dropped, so that
            // it cannot grow across pieces and packets.
            let mut parser = std::mem::take(&mut self.parser);
            while let Some(e) = parser.pop() {
                if let Some(e) = from_termina(e) {
                    if out.len() < MAX_EVENTS_PER_PACKET {
                        out.push(e);
                    } else {
                        self.dropped += 1;
                    }
                }
            }
            if out.len() >= MAX_EVENTS_PER_PACKET && !rest.is_empty() {
                // The rest of a huge paste: counted roughly, never parsed.
                self.dropped += rest.len() as u64;
                break;
            }
        }
        out
    }
}

/// Where to cut the next piece: at most [`PIECE`] bytes, before an ESC when there is one past
/// the start (so that a sequence is not cut in two), else on a character boundary.
fn piece_len(b: &[u8]) -> usize {
    if b.len() <= PIECE {
        return b.len();
    }
    if let Some(i) = b[1..PIECE].iter().rposition(|&c| c == 0x1b) {
        return i + 1;
    }
    let mut n = PIECE;
    // Back off continuation bytes of a UTF-8 character.
    while n > 1 && (b[n] & 0xC0) == 0x80 {
        n -= 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::tui::keymap::spell;

    fn keys(d: &mut Decoder, b: &[u8]) -> Vec<String> {
        d.decode(b).iter().map(spell).collect()
    }

    #[test]
    fn keys_decode_as_the_local_terminal_gives_them() {
        let mut d = Decoder::new();
        assert_eq!(keys(&mut d, b"f"), ["f"]);
        assert_eq!(keys(&mut d, b"\r"), ["Enter"]);
        assert_eq!(keys(&mut d, b"\x7f"), ["Backspace"]);
        assert_eq!(keys(&mut d, b"\x13"), ["C-s"]);
        assert_eq!(keys(&mut d, b"\x1b"), ["Esc"]);
        assert_eq!(
            keys(&mut d, b"\x1b[A\x1b[D\x1bOP\x1b[5~\x1b[3~\x1b[Z"),
            ["Up", "Left", "F1", "PageUp", "Delete", "S-BackTab"]
        );
        // F2 as xterm sends it, and Tab.
        assert_eq!(keys(&mut d, b"\x1bOQ\t"), ["F2", "Tab"]);
    }

    #[test]
    fn arabic_letters_arrive_whole_even_when_a_piece_would_cut_one() {
        let mut d = Decoder::new();
        // أ ب ج typed on an Arabic layout: two bytes each in UTF-8.
        assert_eq!(keys(&mut d, "أبج".as_bytes()), ["أ", "ب", "ج"]);
        // A paste longer than a piece, whose piece boundary falls inside a letter.
        let text = format!("a{}", "ب".repeat(400));
        let got = keys(&mut d, text.as_bytes());
        assert_eq!(got.len(), 401);
        assert!(got[1..].iter().all(|k| k == "ب"), "{got:?}");
    }

    #[test]
    fn a_sequence_is_not_cut_at_a_piece_boundary() {
        let mut d = Decoder::new();
        let mut b = vec![b'x'; PIECE - 2];
        b.extend_from_slice(b"\x1b[D");
        let got = keys(&mut d, &b);
        assert_eq!(got.len(), PIECE - 1);
        assert_eq!(got.last().map(String::as_str), Some("Left"));
    }

    #[test]
    fn a_huge_paste_or_an_endless_sequence_is_bounded() {
        let mut d = Decoder::new();
        let paste = vec![b'a'; 4 << 20];
        let got = d.decode(&paste);
        assert_eq!(got.len(), MAX_EVENTS_PER_PACKET);
        assert!(d.dropped > 4_000_000);
        // An escape sequence that never ends: parsed in pieces, gives no key, and ends.
        let mut endless = b"\x1b[".to_vec();
        endless.extend(std::iter::repeat_n(b'1', 1 << 20));
        let got = d.decode(&endless);
        assert!(got.len() <= MAX_EVENTS_PER_PACKET);
        // The decoder still works afterwards.
        assert_eq!(keys(&mut d, b"q"), ["q"]);
    }
}
