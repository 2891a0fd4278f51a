//! How a client waits and retries. Every default is documented, and every value can be set.

use std::time::Duration;

pub use super::limits::RateLimit;

/// A limit a client keeps: the service's own, as its `library.yaml` declares it (the default),
/// one set here, or none.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Limit<T> {
    /// What the library declares (`limits` in its `library.yaml`); none when it declares none.
    #[default]
    Service,
    /// This one.
    Set(T),
    /// None: send without waiting.
    Off,
}

impl<T: Copy> Limit<T> {
    /// The limit in force, given the service's own.
    pub fn resolve(self, service: Option<T>) -> Option<T> {
        match self {
            Limit::Service => service,
            Limit::Set(limit) => Some(limit),
            Limit::Off => None,
        }
    }
}

/// Timeouts, retries and limits of a [`Client`](super::Client).
///
/// Retries follow what is safe: a request Bitrix24 refused for load (503 `QUERY_LIMIT_EXCEEDED`)
/// or a connection that failed before anything was sent is always tried again; 503
/// `OVERLOAD_LIMIT`, a block only Bitrix24's support lifts, never is; other 5xx answers, timeouts and connections lost after sending are tried again only
/// for methods the spec marks safe to repeat (reads) — repeating `im.message.add` would send
/// the message twice. Waits grow exponentially with jitter.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Longest wait for a whole answer. Default 60 s: Bitrix24 ends a request there.
    pub request_timeout: Duration,
    /// Longest wait for a connection. Default 10 s.
    pub connect_timeout: Duration,
    /// Attempts in all, the first included; 1 means no retries. Default 5, as OPI.
    pub max_attempts: u32,
    /// Wait before the first retry (with jitter: between half and all of it); each later one
    /// doubles it. Default 500 ms.
    pub backoff_base: Duration,
    /// Longest wait between attempts, unless `backoff_base` is longer. Default 8 s.
    pub backoff_max: Duration,
    /// Larger answers are refused rather than held in memory. Default 32 MiB.
    pub max_answer_bytes: usize,
    /// The service's request limit, kept to by waiting (shared by every client of the process
    /// that calls the same host); `Limit::Off` sends without waiting. Default: the library's
    /// own (`Limit::Service`) — Bitrix24's is 50 at once, 2 a second; on its Enterprise plans
    /// `Limit::Set(RateLimit { burst: 250, per_second: 5.0 })`.
    pub rate_limit: Limit<RateLimit>,
    /// Seconds of running time a method may use per period (`time.operating`) before its next
    /// call waits for the period to end (`operating_reset_at`); `Limit::Off` never waits.
    /// Default: the library's own (Bitrix24: 480).
    pub operating_budget: Limit<f64>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            request_timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            max_attempts: 5,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(8),
            max_answer_bytes: 32 * 1024 * 1024,
            rate_limit: Limit::Service,
            operating_budget: Limit::Service,
        }
    }
}

impl Config {
    /// The longest any single wait may be: a timeout, a wait between attempts. Past it, a
    /// value is a mistake (a retry that sleeps for centuries), not a choice.
    pub const MAX_WAIT: Duration = Duration::from_secs(3600);

    /// Checks that every wait is bounded and every limit can be kept: timeouts and waits above
    /// zero (timeouts) and at most [`Config::MAX_WAIT`], 1 to 100 attempts, a rate limit of at least
    /// one request at once and at least one an hour, a time budget above zero.
    pub fn check(&self) -> Result<(), super::Error> {
        let bad = |what: &str| Err(super::Error::InvalidInput(format!("Config: {what}")));
        for (name, wait, zero_ok) in [
            ("request_timeout", self.request_timeout, false),
            ("connect_timeout", self.connect_timeout, false),
            ("backoff_base", self.backoff_base, true),
            ("backoff_max", self.backoff_max, true),
        ] {
            if (!zero_ok && wait.is_zero()) || wait > Config::MAX_WAIT {
                return bad(&format!(
                    "{name} is {wait:?}: it must be above zero and at most {:?}",
                    Config::MAX_WAIT
                ));
            }
        }
        if !(1..=100).contains(&self.max_attempts) {
            return bad("max_attempts must be 1 to 100");
        }
        if let Limit::Set(limit) = self.rate_limit
            && (limit.burst == 0 || !(1.0 / 3600.0..=f64::MAX).contains(&limit.per_second))
        {
            return bad("rate_limit needs a burst of 1 or more and at least one request an hour");
        }
        if let Limit::Set(budget) = self.operating_budget
            && !(budget > 0.0 && budget.is_finite())
        {
            return bad("operating_budget must be a number of seconds above zero");
        }
        Ok(())
    }

    /// The wait before attempt `next` (2 for the first retry): exponential, capped, with
    /// "equal jitter" — between half and all of the exponential value — so that clients that
    /// failed together do not retry together.
    pub fn backoff(&self, next: u32) -> Duration {
        let doublings = next.saturating_sub(2).min(20);
        let full = self
            .backoff_base
            .saturating_mul(1 << doublings)
            .min(self.backoff_max.max(self.backoff_base));
        let half = full / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wait_has_a_bound() {
        assert!(Config::default().check().is_ok());
        let centuries = Duration::from_secs(100 * 365 * 24 * 3600);
        for config in [
            Config {
                backoff_base: centuries,
                ..Config::default()
            },
            Config {
                backoff_max: centuries,
                ..Config::default()
            },
            Config {
                request_timeout: Duration::ZERO,
                ..Config::default()
            },
            Config {
                max_attempts: 0,
                ..Config::default()
            },
            Config {
                rate_limit: Limit::Set(RateLimit {
                    burst: 50,
                    per_second: 0.0,
                }),
                ..Config::default()
            },
            Config {
                rate_limit: Limit::Set(RateLimit {
                    burst: 50,
                    per_second: f64::NAN,
                }),
                ..Config::default()
            },
            Config {
                operating_budget: Limit::Set(f64::INFINITY),
                ..Config::default()
            },
        ] {
            assert!(config.check().is_err(), "{config:?}");
        }
    }

    #[test]
    fn backoff_grows_and_stays_in_bounds() {
        let config = Config::default();
        for (next, full_ms) in [
            (2, 500),
            (3, 1000),
            (4, 2000),
            (5, 4000),
            (6, 8000),
            (9, 8000),
        ] {
            for _ in 0..20 {
                let wait = config.backoff(next).as_millis();
                assert!(
                    wait >= full_ms / 2 && wait <= full_ms,
                    "attempt {next}: {wait} ms"
                );
            }
        }
    }
}
