//! `Date` parameters: checked when they are given, sent as ISO 8601 text in the form the
//! method's spec names (`YYYY-MM-DDThh:mm:ss`, the same with `Z`, or `YYYY-MM-DD`), as OPI
//! sends them.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::Error;

/// A date, with or without a time of day, and the UTC offset when one was given.
///
/// Build one from chrono's types (`NaiveDate`, `NaiveDateTime`, `DateTime<Tz>`) or parse it
/// from text: `2025-06-30`, `2025-06-30T17:00:00`, `2025-06-30T17:00:00Z`,
/// `2025-06-30T17:00:00+03:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    /// The date and time as written (midnight for a date alone).
    local: NaiveDateTime,
    /// The offset of `local` from UTC, when given.
    offset: Option<FixedOffset>,
}

impl Date {
    /// Parses `YYYY-MM-DD`, or `YYYY-MM-DDThh:mm:ss` (a space may stand for the `T`, and a
    /// fraction of a second is allowed) with an optional `Z` or `±hh:mm`.
    pub fn parse(text: &str) -> Result<Date, Error> {
        let text = text.trim();
        if let Ok(at) = DateTime::parse_from_rfc3339(text) {
            return Ok(Date::from(at));
        }
        for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
            if let Ok(local) = NaiveDateTime::parse_from_str(text, format) {
                return Ok(Date::from(local));
            }
        }
        if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Ok(Date::from(day));
        }
        Err(Error::InvalidInput(format!(
            "`{text}` is not a date: write YYYY-MM-DD or YYYY-MM-DDThh:mm:ss, with Z or an offset such as +03:00 if you like"
        )))
    }

    /// `YYYY-MM-DDThh:mm:ss`, the time as written (an offset is dropped, as OPI sends local
    /// time).
    pub fn to_date_time(self) -> String {
        self.local.format("%Y-%m-%dT%H:%M:%S").to_string()
    }

    /// `YYYY-MM-DDThh:mm:ssZ`: in UTC when an offset was given; otherwise the time as written
    /// with `Z` after it, as OPI sends it.
    pub fn to_date_time_z(self) -> String {
        let utc = match self.offset {
            Some(offset) => match offset.from_local_datetime(&self.local).single() {
                Some(at) => at.with_timezone(&Utc).naive_utc(),
                None => self.local,
            },
            None => self.local,
        };
        utc.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }

    /// `YYYY-MM-DD`.
    pub fn to_date(self) -> String {
        self.local.format("%Y-%m-%d").to_string()
    }

    /// Seconds since 1970-01-01T00:00:00Z: the time at its offset when one was given, else the
    /// time as written read as UTC.
    pub fn unix_seconds(self) -> i64 {
        let offset = self.offset.map_or(0, |offset| offset.local_minus_utc());
        self.local.and_utc().timestamp() - i64::from(offset)
    }
}

impl FromStr for Date {
    type Err = Error;

    fn from_str(text: &str) -> Result<Date, Error> {
        Date::parse(text)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.offset {
            Some(offset) => write!(f, "{}{offset}", self.to_date_time()),
            None => f.write_str(&self.to_date_time()),
        }
    }
}

impl From<NaiveDate> for Date {
    fn from(day: NaiveDate) -> Date {
        Date {
            local: day.and_time(chrono::NaiveTime::MIN),
            offset: None,
        }
    }
}

impl From<NaiveDateTime> for Date {
    fn from(local: NaiveDateTime) -> Date {
        Date {
            local,
            offset: None,
        }
    }
}

impl<Tz: TimeZone> From<DateTime<Tz>> for Date {
    fn from(at: DateTime<Tz>) -> Date {
        let at = at.fixed_offset();
        Date {
            local: at.naive_local(),
            offset: Some(*at.offset()),
        }
    }
}

impl From<&Date> for Date {
    fn from(date: &Date) -> Date {
        *date
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_opi_sends_and_prints_each_wire_form() {
        let date = Date::parse("2025-06-30").unwrap();
        assert_eq!(date.to_date(), "2025-06-30");
        assert_eq!(date.to_date_time(), "2025-06-30T00:00:00");
        let local = Date::parse("2025-06-30T17:05:09").unwrap();
        assert_eq!(local.to_date_time(), "2025-06-30T17:05:09");
        assert_eq!(local.to_date_time_z(), "2025-06-30T17:05:09Z");
        let zoned = Date::parse("2025-06-30T17:05:09+03:00").unwrap();
        assert_eq!(zoned.to_date_time(), "2025-06-30T17:05:09");
        assert_eq!(zoned.to_date_time_z(), "2025-06-30T14:05:09Z");
        assert_eq!(
            Date::parse("2025-06-30T17:05:09Z")
                .unwrap()
                .to_date_time_z(),
            "2025-06-30T17:05:09Z"
        );
        assert_eq!(
            Date::parse("2025-06-30 17:05:09").unwrap().to_date_time(),
            "2025-06-30T17:05:09"
        );
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        for bad in [
            "",
            "tomorrow",
            "2025-13-01",
            "2025-02-30",
            "30.06.2025",
            "2025-06-30T25:00:00",
        ] {
            let error = Date::parse(bad).unwrap_err().to_string();
            assert!(error.contains("is not a date"), "{bad}: {error}");
        }
    }
}
