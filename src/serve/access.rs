//! Who may join: the class code, failed attempts per address, and the number of sessions.
//! Plain data with the time passed in, so that every rule is tested without a network or a
//! clock.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// The code trainees type as the SSH password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassCode(String);

impl ClassCode {
    /// A new random code of six digits (digits type the same on every keyboard layout; Arabic
    /// digits are accepted for them, see [`ClassCode::matches`]).
    #[must_use]
    pub fn random() -> ClassCode {
        let n: u32 = rand::random_range(0..1_000_000);
        ClassCode(format!("{n:06}"))
    }

    /// The code given with `--code`, or why it cannot be one.
    ///
    /// # Errors
    /// Empty after removing spaces, or longer than 64 characters, or with a control character.
    pub fn given(code: &str) -> Result<ClassCode, crate::messages::Msg> {
        use crate::messages::K;
        let n = normalize(code);
        if n.is_empty() {
            return Err(K::ServeCodeEmpty.into());
        }
        if n.chars().count() > 64 {
            return Err(K::ServeCodeTooLong.into());
        }
        if n.chars().any(char::is_control) {
            return Err(K::ServeCodeControl.into());
        }
        Ok(ClassCode(n))
    }

    /// The code as printed for the instructor.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether a typed password is this code. Spaces and dashes are ignored, letters compare
    /// without case, and Arabic-Indic and Eastern Arabic-Indic digits count as 0-9, so that
    /// a trainee typing on an Arabic layout is not refused. The comparison takes the same time
    /// wherever the first difference is.
    #[must_use]
    pub fn matches(&self, typed: &str) -> bool {
        use subtle::ConstantTimeEq as _;
        let typed = normalize(typed);
        // Compare digests so that the time does not depend on the lengths either.
        let a = <sha2::Sha256 as sha2::Digest>::digest(self.0.as_bytes());
        let b = <sha2::Sha256 as sha2::Digest>::digest(typed.as_bytes());
        a.as_slice().ct_eq(b.as_slice()).into()
    }
}

/// The form of a code that is compared: no spaces or dashes, lower case, ASCII digits.
fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from_digit(u32::from(c) - 0x0660, 10).unwrap_or(c),
            '\u{06F0}'..='\u{06F9}' => char::from_digit(u32::from(c) - 0x06F0, 10).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Failed attempts per address: after `max` failures within `window`, an address is refused
/// until the window since its first failure has passed.
#[derive(Debug)]
pub struct Limiter {
    max: u32,
    window: Duration,
    failures: HashMap<IpAddr, (u32, Instant)>,
}

impl Limiter {
    /// A limiter allowing `max` failures per `window`.
    #[must_use]
    pub fn new(max: u32, window: Duration) -> Limiter {
        Limiter {
            max,
            window,
            failures: HashMap::new(),
        }
    }

    /// Whether `addr` may try again at `now`.
    #[must_use]
    pub fn allowed(&self, addr: IpAddr, now: Instant) -> bool {
        match self.failures.get(&addr) {
            Some((n, since)) => *n < self.max || now.duration_since(*since) >= self.window,
            None => true,
        }
    }

    /// Count a failure of `addr` at `now`.
    pub fn failed(&mut self, addr: IpAddr, now: Instant) {
        let window = self.window;
        let e = self.failures.entry(addr).or_insert((0, now));
        if now.duration_since(e.1) >= window {
            *e = (0, now);
        }
        e.0 = e.0.saturating_add(1);
        // Forget old entries now and then, so that the map stays small.
        if self.failures.len() > 4096 {
            self.failures
                .retain(|_, (_, since)| now.duration_since(*since) < window);
        }
    }

    /// Forget the failures of `addr` (after it typed the right code).
    pub fn succeeded(&mut self, addr: IpAddr) {
        self.failures.remove(&addr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_matches_as_typed_on_any_layout() {
        let c = ClassCode::given("482913").unwrap();
        assert!(c.matches("482913"));
        assert!(c.matches(" 482-913 "));
        // Arabic-Indic digits, as an Arabic keyboard on a Mac types them.
        assert!(c.matches("٤٨٢٩١٣"));
        // Eastern Arabic-Indic (Persian) digits.
        assert!(c.matches("۴۸۲۹۱۳"));
        assert!(!c.matches("482914"));
        assert!(!c.matches("48291"));
        assert!(!c.matches("4829130"));
        assert!(!c.matches(""));
        let w = ClassCode::given("Palermo-2000").unwrap();
        assert!(w.matches("palermo2000"));
        assert!(!w.matches("palermo200"));
    }

    #[test]
    fn a_random_code_has_six_digits() {
        for _ in 0..50 {
            let c = ClassCode::random();
            assert_eq!(c.as_str().len(), 6);
            assert!(c.as_str().chars().all(|d| d.is_ascii_digit()));
            assert!(c.matches(c.as_str()));
        }
    }

    #[test]
    fn an_empty_or_control_code_is_refused() {
        assert!(ClassCode::given(" - ").is_err());
        assert!(ClassCode::given("ab\u{7}c").is_err());
        assert!(ClassCode::given(&"9".repeat(65)).is_err());
    }

    #[test]
    fn an_address_is_refused_after_its_failures_until_the_window_passes() {
        let t0 = Instant::now();
        let a: IpAddr = "192.168.1.31".parse().unwrap();
        let b: IpAddr = "192.168.1.32".parse().unwrap();
        let mut l = Limiter::new(3, Duration::from_mins(5));
        for i in 0..3 {
            assert!(l.allowed(a, t0 + Duration::from_secs(i)));
            l.failed(a, t0 + Duration::from_secs(i));
        }
        assert!(!l.allowed(a, t0 + Duration::from_secs(10)));
        assert!(!l.allowed(a, t0 + Duration::from_secs(299)));
        // Another computer in the room is not affected.
        assert!(l.allowed(b, t0 + Duration::from_secs(10)));
        // After the window, the address may try again, and its count starts afresh.
        assert!(l.allowed(a, t0 + Duration::from_mins(5)));
        l.failed(a, t0 + Duration::from_secs(301));
        assert!(l.allowed(a, t0 + Duration::from_secs(302)));
        l.succeeded(a);
        assert!(l.allowed(a, t0 + Duration::from_secs(303)));
    }
}
