//! How a client waits and retries. Every default is documented, and every value can be set.

use std::time::Duration;

pub use super::limits::RateLimit;

/// Timeouts, retries and limits of a [`Client`](super::Client).
///
/// Retries follow what is safe: a request Bitrix24 refused for load (503 `QUERY_LIMIT_EXCEEDED`
/// or `OVERLOAD_LIMIT`) or a connection that failed before anything was sent is always tried
/// again; other 5xx answers, timeouts and connections lost after sending are tried again only
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
    /// The portal's request limit, kept to by waiting (shared by every client of the process
    /// that calls the same host); `None` sends without waiting. Default Bitrix24's: 50 at
    /// once, 2 a second. Enterprise plans: `RateLimit { burst: 250, per_second: 5.0 }`.
    pub rate_limit: Option<RateLimit>,
    /// Seconds of running time a method may use per period (`time.operating`) before its next
    /// call waits for the period to end (`operating_reset_at`); `None` never waits. Default
    /// 480, Bitrix24's.
    pub operating_budget: Option<f64>,
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
            rate_limit: Some(RateLimit::BITRIX24),
            operating_budget: Some(480.0),
        }
    }
}

impl Config {
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
