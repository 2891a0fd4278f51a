//! The emulated portal's state: users and their credentials, apps and their OAuth grants, chats,
//! records, uploads and files, the request bucket, the faults waiting to be applied, and the
//! requests received.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use super::crud::Entity;
use super::records::Table;
use super::{EmulatorConfig, Fault, Received};

pub(crate) struct User {
    pub webhook_secret: String,
}

pub(crate) struct Chat {
    pub title: String,
    pub owner: u64,
    pub members: BTreeSet<u64>,
}

/// An access token: whose, and until when.
pub(crate) struct Token {
    pub user: u64,
    /// `None`: never expires (tokens handed out by `Emulator::issue_token`).
    pub expires: Option<Instant>,
    /// Made expired by `Emulator::expire_token`.
    pub expired: bool,
}

/// A file stored on the emulated disk.
pub(crate) struct File {
    pub name: String,
    pub folder: String,
    pub bytes: Vec<u8>,
}

pub(crate) struct Portal {
    /// `http://127.0.0.1:<port>`, for the addresses the portal hands out.
    pub base_url: String,
    pub users: BTreeMap<u64, User>,
    pub tokens: HashMap<String, Token>,
    /// How long the access tokens of the OAuth server live.
    pub token_lifetime: Duration,
    /// Registered apps: client_id → client_secret.
    pub apps: HashMap<String, String>,
    /// One-time authorization codes and refresh tokens: → (user, client_id).
    pub codes: HashMap<String, (u64, String)>,
    pub refresh_tokens: HashMap<String, (u64, String)>,
    /// Upload addresses handed out: one-time key → folder ID.
    pub uploads: HashMap<String, String>,
    pub files: BTreeMap<u64, File>,
    pub tables: HashMap<Entity, Table>,
    pub chats: BTreeMap<u64, Chat>,
    next_chat: u64,
    pub bucket: Bucket,
    pub faults: Faults,
    /// The last [`RECEIVED_KEPT`] requests, and how many there were in all.
    pub received: VecDeque<Received>,
    pub received_total: usize,
    pub stats: Stats,
    /// The methods' time budgets: method → (seconds used, when the period started).
    pub operating: HashMap<String, (f64, std::time::SystemTime)>,
    operating_cost: Duration,
    operating_limit: Duration,
    operating_period: Duration,
}

/// How many of the last requests the emulator keeps, for [`Emulator::received`](super::Emulator::received).
pub const RECEIVED_KEPT: usize = 10_000;

/// What the emulator counts, for `GET /_emulator/stats`.
#[derive(Default)]
pub(crate) struct Stats {
    /// HTTP requests received.
    pub requests: u64,
    /// Answers 503 `QUERY_LIMIT_EXCEEDED` from the request limit.
    pub refused: u64,
    /// Calls by REST method (a batch counts as `batch` and as each of its commands).
    pub methods: BTreeMap<String, u64>,
}

/// Who a request acts as.
pub(crate) enum Auth {
    User(u64),
    /// The status and Bitrix24 error to answer with.
    Refused(u16, &'static str, &'static str),
}

fn random_secret(length: usize) -> String {
    std::iter::repeat_with(fastrand::alphanumeric)
        .take(length)
        .collect::<String>()
        .to_ascii_lowercase()
}

impl Portal {
    pub fn new(config: EmulatorConfig, base_url: String) -> Portal {
        let mut portal = Portal {
            base_url,
            users: BTreeMap::new(),
            tokens: HashMap::new(),
            token_lifetime: config.token_lifetime,
            apps: HashMap::new(),
            codes: HashMap::new(),
            refresh_tokens: HashMap::new(),
            uploads: HashMap::new(),
            files: BTreeMap::new(),
            tables: HashMap::new(),
            chats: BTreeMap::new(),
            next_chat: 1,
            bucket: Bucket::new(config.burst, config.drain_per_second),
            faults: Faults::default(),
            received: VecDeque::new(),
            received_total: 0,
            stats: Stats::default(),
            operating: HashMap::new(),
            operating_cost: config.operating_cost,
            operating_limit: config.operating_limit,
            operating_period: config.operating_period,
        };
        portal.add_user(); // 1: the portal's administrator
        portal
    }

    /// Notes a request; only the last [`RECEIVED_KEPT`] are kept, so that a long run does not
    /// grow.
    pub fn receive(&mut self, received: Received) {
        if self.received.len() == RECEIVED_KEPT {
            self.received.pop_front();
        }
        self.received.push_back(received);
        self.received_total += 1;
    }

    /// Charges a call of `method` to its time budget; `false` when the budget of the period is
    /// spent (the call is refused, and not charged).
    pub fn charge(&mut self, method: &str) -> bool {
        let now = std::time::SystemTime::now();
        let period = self.operating_period;
        let entry = self
            .operating
            .entry(method.to_ascii_lowercase())
            .or_insert((0.0, now));
        if now.duration_since(entry.1).unwrap_or_default() >= period {
            *entry = (0.0, now);
        }
        if entry.0 >= self.operating_limit.as_secs_f64() {
            return false;
        }
        entry.0 += self.operating_cost.as_secs_f64();
        true
    }

    /// What `method` has used of its budget, and when its period ends (Unix seconds).
    pub fn budget_of(&self, method: &str) -> (f64, f64) {
        let unix = |at: std::time::SystemTime| {
            at.duration_since(std::time::UNIX_EPOCH)
                .map_or(0.0, |d| d.as_secs_f64())
        };
        match self.operating.get(&method.to_ascii_lowercase()) {
            Some((used, since)) => (*used, unix(*since) + self.operating_period.as_secs_f64()),
            None => (
                0.0,
                unix(std::time::SystemTime::now()) + self.operating_period.as_secs_f64(),
            ),
        }
    }

    /// Counts a call of `method`.
    pub fn count_call(&mut self, method: &str) {
        *self
            .stats
            .methods
            .entry(method.to_ascii_lowercase())
            .or_default() += 1;
    }

    pub fn add_user(&mut self) -> u64 {
        let id = self.users.keys().next_back().map_or(1, |last| last + 1);
        let fields = json!({
            "ACTIVE": true,
            "NAME": format!("User {id}"),
            "LAST_NAME": "",
            "EMAIL": format!("user{id}@example.com"),
        });
        self.add_user_with(fields.as_object().cloned().unwrap_or_default())
    }

    /// Adds a user with these fields (upper-case keys) and a webhook, and returns the ID.
    pub fn add_user_with(&mut self, mut fields: Map<String, Value>) -> u64 {
        let id = self.users.keys().next_back().map_or(1, |last| last + 1);
        self.users.insert(
            id,
            User {
                webhook_secret: random_secret(16),
            },
        );
        fields.entry("ACTIVE").or_insert(json!(true));
        fields.insert("ID".into(), json!(id.to_string()));
        self.table(Entity::User).rows.insert(id, fields);
        id
    }

    /// The user's webhook secret; an unknown user is added first.
    pub fn webhook_secret(&mut self, user: u64) -> String {
        if let std::collections::btree_map::Entry::Vacant(entry) = self.users.entry(user) {
            entry.insert(User {
                webhook_secret: random_secret(16),
            });
            let fields =
                json!({"ID": user.to_string(), "ACTIVE": true, "NAME": format!("User {user}")});
            let fields = fields.as_object().cloned().unwrap_or_default();
            self.table(Entity::User).rows.insert(user, fields);
        }
        self.users[&user].webhook_secret.clone()
    }

    /// A new access token of `user`; it expires after `lifetime`, or never.
    pub fn issue_token_for(&mut self, user: u64, lifetime: Option<Duration>) -> String {
        self.webhook_secret(user);
        let token = random_secret(40);
        self.tokens.insert(
            token.clone(),
            Token {
                user,
                expires: lifetime.map(|lifetime| Instant::now() + lifetime),
                expired: false,
            },
        );
        token
    }

    pub fn issue_token(&mut self, user: u64) -> String {
        self.issue_token_for(user, None)
    }

    pub fn expire_token(&mut self, token: &str) {
        if let Some(entry) = self.tokens.get_mut(token) {
            entry.expired = true;
        }
    }

    /// A one-time authorization code of `user` for the app `client_id`.
    pub fn authorization_code(&mut self, user: u64, client_id: &str) -> String {
        let code = random_secret(32);
        self.codes
            .insert(code.clone(), (user, client_id.to_owned()));
        code
    }

    pub fn create_chat(&mut self, owner: u64, title: &str, members: &[u64]) -> u64 {
        let id = self.next_chat;
        self.next_chat += 1;
        let mut all: BTreeSet<u64> = members.iter().copied().collect();
        all.insert(owner);
        self.chats.insert(
            id,
            Chat {
                title: title.to_owned(),
                owner,
                members: all,
            },
        );
        id
    }

    pub fn chat_members(&self, chat: u64) -> Option<Vec<u64>> {
        self.chats
            .get(&chat)
            .map(|c| c.members.iter().copied().collect())
    }

    /// Checks a webhook's user and secret.
    pub fn webhook_auth(&self, user: &str, secret: &str) -> Auth {
        match user
            .parse::<u64>()
            .ok()
            .and_then(|id| self.users.get(&id).map(|u| (id, u)))
        {
            Some((id, u)) if u.webhook_secret == secret => Auth::User(id),
            _ => Auth::Refused(401, "INVALID_CREDENTIALS", "Invalid request credentials"),
        }
    }

    /// Checks an OAuth token.
    pub fn token_auth(&self, token: Option<&str>) -> Auth {
        match token.and_then(|t| self.tokens.get(t)) {
            Some(token)
                if token.expired || token.expires.is_some_and(|at| at <= Instant::now()) =>
            {
                Auth::Refused(
                    401,
                    "expired_token",
                    "The access token provided has expired.",
                )
            }
            Some(token) => Auth::User(token.user),
            None => Auth::Refused(401, "NO_AUTH_FOUND", "Wrong authorization data"),
        }
    }
}

/// Bitrix24's leaky bucket: each request adds one; the bucket drains at a steady rate; a
/// request that would overflow it is refused.
pub(crate) struct Bucket {
    burst: f64,
    drain_per_second: f64,
    level: f64,
    updated: Instant,
}

impl Bucket {
    fn new(burst: f64, drain_per_second: f64) -> Bucket {
        Bucket {
            burst,
            drain_per_second,
            level: 0.0,
            updated: Instant::now(),
        }
    }

    /// Counts a request; `false` when the bucket is full.
    pub fn admit(&mut self) -> bool {
        let now = Instant::now();
        let drained = now.duration_since(self.updated).as_secs_f64() * self.drain_per_second;
        self.level = (self.level - drained).max(0.0);
        self.updated = now;
        if self.level + 1.0 > self.burst {
            return false;
        }
        self.level += 1.0;
        true
    }
}

/// Faults waiting for requests: each with an optional method and a number of uses left.
#[derive(Default)]
pub(crate) struct Faults {
    queue: VecDeque<(Option<String>, Fault, usize)>,
    /// Random faults, after the queue: see [`Chaos`].
    pub chaos: Option<(Chaos, fastrand::Rng)>,
}

/// Faults at random, for soak tests: each request of a REST method draws one of `faults` with
/// probability `rate`, and each request with an OAuth token finds it expired with probability
/// `expiry_rate`. The same `seed` draws the same faults for the same order of requests.
#[derive(Debug, Clone, PartialEq)]
pub struct Chaos {
    pub rate: f64,
    pub faults: Vec<Fault>,
    pub expiry_rate: f64,
    pub seed: u64,
}

impl Faults {
    pub fn add(&mut self, method: Option<String>, fault: Fault, times: usize) {
        if times > 0 {
            self.queue.push_back((method, fault, times));
        }
    }

    /// Whether the token of this request expires now, by chance.
    pub fn expires_now(&mut self) -> bool {
        match &mut self.chaos {
            Some((chaos, rng)) => rng.f64() < chaos.expiry_rate,
            None => false,
        }
    }

    /// The fault for a request of `method`, if one is waiting (uses it up once), else one
    /// drawn by chance.
    pub fn take(&mut self, method: &str) -> Option<Fault> {
        let Some(index) = self
            .queue
            .iter()
            .position(|(m, _, _)| m.as_deref().is_none_or(|m| m == method))
        else {
            let (chaos, rng) = self.chaos.as_mut()?;
            if chaos.faults.is_empty() || rng.f64() >= chaos.rate {
                return None;
            }
            return Some(chaos.faults[rng.usize(..chaos.faults.len())].clone());
        };
        let entry = &mut self.queue[index];
        let fault = entry.1.clone();
        entry.2 -= 1;
        if entry.2 == 0 {
            self.queue.remove(index);
        }
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_refuses_past_its_burst_and_drains() {
        let mut bucket = Bucket::new(3.0, 1000.0);
        bucket.drain_per_second = 0.0;
        assert!(bucket.admit() && bucket.admit() && bucket.admit());
        assert!(!bucket.admit());
        bucket.drain_per_second = 1000.0;
        bucket.updated -= std::time::Duration::from_millis(10);
        assert!(bucket.admit());
    }

    #[test]
    fn faults_are_used_up_in_order_and_by_method() {
        let mut faults = Faults::default();
        faults.add(Some("im.chat.user.list".into()), Fault::HtmlPage, 1);
        faults.add(None, Fault::Reset, 2);
        assert_eq!(faults.take("im.chat.user.delete"), Some(Fault::Reset));
        assert_eq!(faults.take("im.chat.user.list"), Some(Fault::HtmlPage));
        assert_eq!(faults.take("im.chat.user.list"), Some(Fault::Reset));
        assert_eq!(faults.take("im.chat.user.list"), None);
    }
}
