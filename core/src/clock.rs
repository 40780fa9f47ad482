//! Virtual time. The world's clock moves only when asked; nothing reads the
//! host clock, so a replay of the same log gives the same times.

use alloc::format;
use alloc::string::String;
use core::fmt;
use serde::{Deserialize, Serialize};

/// Seconds in a minute, hour and day, for readable arithmetic.
pub const MINUTE: u64 = 60;
/// Seconds in an hour.
pub const HOUR: u64 = 60 * MINUTE;
/// Seconds in a day.
pub const DAY: u64 = 24 * HOUR;

/// A point in virtual time: whole seconds since 1970-01-01T00:00:00Z.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Timestamp(pub u64);

impl Timestamp {
    /// Where new worlds start: 2026-01-05T09:00:00Z, a Monday morning.
    pub const DEFAULT_START: Timestamp = Timestamp(1_767_603_600);

    /// The end of virtual time, 9999-12-31T23:59:59Z: the last instant with
    /// a four-digit year (what ISO 8601 and CloudTrail write). The clock never
    /// moves past it, and nothing is scheduled beyond it, so no timer can
    /// fire forever at the top of the range.
    pub const MAX: Timestamp = Timestamp(253_402_300_799);

    /// This time plus `seconds`, saturating.
    pub fn plus(self, seconds: u64) -> Timestamp {
        Timestamp(self.0.saturating_add(seconds))
    }

    /// This time plus `seconds`, if that is not past [`Timestamp::MAX`].
    pub fn checked_plus(self, seconds: u64) -> Option<Timestamp> {
        self.0
            .checked_add(seconds)
            .map(Timestamp)
            .filter(|t| *t <= Timestamp::MAX)
    }

    /// Seconds from `earlier` to `self` (zero if `earlier` is later).
    pub fn since(self, earlier: Timestamp) -> u64 {
        self.0.saturating_sub(earlier.0)
    }

    /// The form the KMS JSON API uses: epoch seconds as a number.
    pub fn epoch_seconds(self) -> f64 {
        self.0 as f64
    }

    /// ISO 8601 in UTC, as CloudTrail writes `eventTime`: `2026-01-05T09:00:00Z`.
    pub fn iso8601(self) -> String {
        let days = (self.0 / DAY) as i64;
        let secs = self.0 % DAY;
        let (y, m, d) = civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / HOUR,
            (secs % HOUR) / MINUTE,
            secs % MINUTE
        )
    }

    /// Parses a date and time as W3C's profile of ISO 8601 writes it (what
    /// IAM's date conditions take): `YYYY-MM-DD`, or `YYYY-MM-DDThh:mmTZD`
    /// with optional seconds and fraction of a second, where the zone
    /// `TZD` is `Z` or `+hh:mm`/`-hh:mm`; `None` for anything else.
    pub fn parse_iso8601(text: &str) -> Option<Timestamp> {
        let b = text.as_bytes();
        let num = |r: core::ops::Range<usize>| -> Option<u64> {
            let s = text.get(r)?;
            if s.bytes().all(|c| c.is_ascii_digit()) {
                s.parse().ok()
            } else {
                None
            }
        };
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || y < 1970 {
            return None;
        }
        let days = days_from_civil(y as i64, m as u32, d as u32);
        if b.len() == 10 {
            return Some(Timestamp(days as u64 * DAY));
        }
        if b.get(10) != Some(&b'T') || b.get(13) != Some(&b':') {
            return None;
        }
        let (hh, mm) = (num(11..13)?, num(14..16)?);
        // Seconds, and a fraction of them, are optional.
        let (ss, mut at) = if b.get(16) == Some(&b':') {
            (num(17..19)?, 19)
        } else {
            (0, 16)
        };
        if b.get(at) == Some(&b'.') {
            let digits = b[at + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if digits == 0 {
                return None;
            }
            at += 1 + digits;
        }
        if hh > 23 || mm > 59 || ss > 59 {
            return None;
        }
        // The zone: Z, or an offset from UTC to subtract.
        let offset: i64 = match &text[at..] {
            "Z" => 0,
            zone if zone.len() == 6 && zone.as_bytes()[3] == b':' => {
                let sign = match zone.as_bytes()[0] {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return None,
                };
                let (zh, zm) = (num(at + 1..at + 3)?, num(at + 4..at + 6)?);
                if zh > 23 || zm > 59 {
                    return None;
                }
                sign * (zh * HOUR + zm * MINUTE) as i64
            }
            _ => return None,
        };
        let local = days as u64 * DAY + hh * HOUR + mm * MINUTE + ss;
        u64::try_from(i64::try_from(local).ok()?.checked_sub(offset)?)
            .ok()
            .map(Timestamp)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso8601())
    }
}

fn is_leap(y: u64) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

fn days_in_month(y: u64, m: u64) -> u64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days <-> civil date algorithms (proleptic Gregorian).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso8601_known_values() {
        assert_eq!(Timestamp(0).iso8601(), "1970-01-01T00:00:00Z");
        assert_eq!(Timestamp(951_782_400).iso8601(), "2000-02-29T00:00:00Z");
        assert_eq!(Timestamp::DEFAULT_START.iso8601(), "2026-01-05T09:00:00Z");
        assert_eq!(Timestamp::MAX.iso8601(), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn time_ends_at_max() {
        assert_eq!(Timestamp::MAX.checked_plus(0), Some(Timestamp::MAX));
        assert_eq!(Timestamp::MAX.checked_plus(1), None);
        assert_eq!(Timestamp(u64::MAX - 1).checked_plus(5), None);
        assert_eq!(Timestamp(0).checked_plus(60), Some(Timestamp(60)));
    }

    #[test]
    fn iso8601_parses_what_it_writes_and_refuses_nonsense() {
        for t in [0, 951_782_400, 1_767_603_600, 4_102_444_799] {
            assert_eq!(
                Timestamp::parse_iso8601(&Timestamp(t).iso8601()),
                Some(Timestamp(t))
            );
        }
        assert_eq!(
            Timestamp::parse_iso8601("2026-01-05"),
            Some(Timestamp(1_767_571_200))
        );
        assert_eq!(
            Timestamp::parse_iso8601("2026-01-05T09:00:00.123Z"),
            Some(Timestamp::DEFAULT_START)
        );
        // W3C's profile: minutes without seconds, and offsets from UTC.
        for same in [
            "2026-01-05T09:00Z",
            "2026-01-05T10:00:00+01:00",
            "2026-01-05T04:30-04:30",
            "2026-01-05T10:00:00.5+01:00",
        ] {
            assert_eq!(
                Timestamp::parse_iso8601(same),
                Some(Timestamp::DEFAULT_START),
                "{same}"
            );
        }
        for bad in [
            "",
            "2026-02-30",
            "2026-13-01",
            "2026-01-05T25:00:00Z",
            "2026-01-05T09:00:00",
            "x026-01-05",
            "2026-01-05T09:00:00.Z",
            "2026-01-05T09Z",
            "2026-01-05T09:00:00+0100",
            "2026-01-05T09:00:00*01:00",
            "2026-01-05T09:00:00+24:00",
            "1970-01-01T00:00:00+00:01",
            "2026-01-05T09:00:00Zé",
        ] {
            assert_eq!(Timestamp::parse_iso8601(bad), None, "{bad}");
        }
    }
}
