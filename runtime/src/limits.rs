//! Staying inside a portal's limits, so that a long job is not refused: the request limit (a
//! leaky bucket, 50 at once and 2 a second drained on most plans) and each method's time budget
//! (`time.operating`: 480 s of running time in 10 minutes).
//!
//! The bucket is kept per host, and shared by every client of the process that calls that host
//! with the same limit (clones, and clients built apart): a request waits for its place instead
//! of being refused with 503 `QUERY_LIMIT_EXCEEDED`. The time budget is kept per host and
//! method, from the `time` block of each answer: once a method has used most of its budget, its
//! next call waits until `operating_reset_at` instead of meeting 429 `OPERATION_TIME_LIMIT`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::Time;

/// A portal's request limit: `burst` requests at once, then `per_second`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Requests that may go at once (Bitrix24: 50, 250 on Enterprise plans).
    pub burst: u32,
    /// Requests a second once the burst is spent (Bitrix24: 2, 5 on Enterprise plans).
    pub per_second: f64,
}

/// The share of the bucket and of the time budget kept free, for the clocks of client and
/// portal that do not tick together.
const MARGIN: f64 = 0.9;

/// A leaky bucket by its theoretical arrival time (GCRA): a request may go when the bucket
/// has room, and takes its place when it goes.
struct Bucket {
    interval: Duration,
    tolerance: Duration,
    next: Mutex<Instant>,
}

impl Bucket {
    fn new(limit: RateLimit) -> Bucket {
        // A little under the limit: a request that leaves on time may still arrive early.
        let burst = ((f64::from(limit.burst) * MARGIN).floor() as u32).max(1);
        let per_second = (limit.per_second * MARGIN).max(f64::MIN_POSITIVE);
        let interval = Duration::from_secs_f64(1.0 / per_second);
        Bucket {
            interval,
            tolerance: interval.saturating_mul(burst - 1),
            next: Mutex::new(Instant::now()),
        }
    }

    /// How long to wait before sending; the place is taken at once.
    fn reserve(&self) -> Duration {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let at = (*next).max(now);
        *next = at + self.interval;
        (at.checked_sub(self.tolerance).unwrap_or(now)).saturating_duration_since(now)
    }
}

/// What is kept for one host, shared by every client of the process that calls it: a bucket
/// for each request limit its clients keep to, and what each method has used of its time
/// budget.
#[derive(Default)]
pub(crate) struct Books {
    /// (`burst`, `per_second`'s bits) → its bucket.
    buckets: Mutex<Vec<(u32, u64, Arc<Bucket>)>>,
    /// Method, in lower case (Bitrix24's method names are not case-sensitive) → its use.
    budgets: Mutex<HashMap<String, Used>>,
}

/// The books of `host` (its host and port as the URL has them).
pub(crate) fn books(host: &str) -> Arc<Books> {
    static BOOKS: OnceLock<Mutex<HashMap<String, Arc<Books>>>> = OnceLock::new();
    let mut books = BOOKS
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(kept) = books.get(host) {
        return Arc::clone(kept);
    }
    let kept = Arc::new(Books::default());
    books.insert(host.to_owned(), Arc::clone(&kept));
    kept
}

/// What a method used of its time budget, as its last answer said.
#[derive(Clone, Copy)]
struct Used {
    operating: f64,
    /// Unix time, in seconds, when the budget starts again from zero.
    reset_at: f64,
}

fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// `method` in lower case, copied only when it has an upper-case letter.
fn lowercase(method: &str) -> Cow<'_, str> {
    if method.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(method.to_ascii_lowercase())
    } else {
        Cow::Borrowed(method)
    }
}

impl Books {
    /// Waits until a request may go under `limit`.
    pub(crate) async fn wait_for_place(&self, limit: RateLimit) {
        let key = (limit.burst, limit.per_second.to_bits());
        let bucket = {
            let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
            match buckets
                .iter()
                .find(|(burst, per_second, _)| (*burst, *per_second) == key)
            {
                Some((_, _, bucket)) => Arc::clone(bucket),
                None => {
                    let bucket = Arc::new(Bucket::new(limit));
                    buckets.push((key.0, key.1, Arc::clone(&bucket)));
                    bucket
                }
            }
        };
        let wait = bucket.reserve();
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }

    /// Notes what `method` has used, from an answer's `time` block.
    pub(crate) fn note_time(&self, method: &str, time: &Time) {
        let (Some(operating), Some(reset_at)) = (time.operating, time.operating_reset_at) else {
            return;
        };
        let used = Used {
            operating,
            reset_at,
        };
        let method = lowercase(method);
        let mut budgets = self.budgets.lock().unwrap_or_else(|e| e.into_inner());
        match budgets.get_mut(&*method) {
            Some(kept) => *kept = used,
            None => {
                budgets.insert(method.into_owned(), used);
            }
        }
    }

    /// Waits, when `method` has used most of `budget` seconds, until its budget starts again.
    pub(crate) async fn wait_for_budget(&self, method: &str, budget: f64) {
        let method = lowercase(method);
        let used = {
            let budgets = self.budgets.lock().unwrap_or_else(|e| e.into_inner());
            budgets.get(&*method).copied()
        };
        let Some(used) = used else { return };
        let now = unix_now();
        if used.operating >= budget * MARGIN && used.reset_at > now {
            let wait = Duration::from_secs_f64((used.reset_at - now).min(600.0));
            tokio::time::sleep(wait).await;
            // The budget has started again: forget what was used.
            let mut budgets = self.budgets.lock().unwrap_or_else(|e| e.into_inner());
            budgets.remove(&*method);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_lets_a_burst_go_then_paces() {
        let bucket = Bucket::new(RateLimit {
            burst: 10,
            per_second: 100.0,
        });
        // 90 % of 10 at once, then one every 1/90 s.
        let waits: Vec<Duration> = (0..12).map(|_| bucket.reserve()).collect();
        assert!(waits[..9].iter().all(Duration::is_zero), "{waits:?}");
        assert!(
            waits[9] > Duration::ZERO && waits[10] > waits[9],
            "{waits:?}"
        );
        assert!(waits[11] <= Duration::from_millis(40), "{waits:?}");
    }
}
