//! The emulated portal's state: users and their credentials, chats, the request bucket, the
//! faults waiting to be applied, and the requests received.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::time::Instant;

use super::{EmulatorConfig, Fault, Received};

pub(crate) struct User {
    pub webhook_secret: String,
}

pub(crate) struct Chat {
    pub title: String,
    pub owner: u64,
    pub members: BTreeSet<u64>,
}

pub(crate) struct Portal {
    pub users: BTreeMap<u64, User>,
    /// Token → (user, expired).
    pub tokens: HashMap<String, (u64, bool)>,
    pub chats: BTreeMap<u64, Chat>,
    next_chat: u64,
    pub bucket: Bucket,
    pub faults: Faults,
    pub received: Vec<Received>,
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
    pub fn new(config: EmulatorConfig) -> Portal {
        let mut portal = Portal {
            users: BTreeMap::new(),
            tokens: HashMap::new(),
            chats: BTreeMap::new(),
            next_chat: 1,
            bucket: Bucket::new(config.burst, config.drain_per_second),
            faults: Faults::default(),
            received: Vec::new(),
        };
        portal.add_user(); // 1: the portal's administrator
        portal
    }

    pub fn add_user(&mut self) -> u64 {
        let id = self.users.keys().next_back().map_or(1, |last| last + 1);
        self.users.insert(
            id,
            User {
                webhook_secret: random_secret(16),
            },
        );
        id
    }

    /// The user's webhook secret; an unknown user is added first.
    pub fn webhook_secret(&mut self, user: u64) -> String {
        self.users
            .entry(user)
            .or_insert_with(|| User {
                webhook_secret: random_secret(16),
            })
            .webhook_secret
            .clone()
    }

    pub fn issue_token(&mut self, user: u64) -> String {
        self.webhook_secret(user);
        let token = random_secret(40);
        self.tokens.insert(token.clone(), (user, false));
        token
    }

    pub fn expire_token(&mut self, token: &str) {
        if let Some(entry) = self.tokens.get_mut(token) {
            entry.1 = true;
        }
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
            Some((user, false)) => Auth::User(*user),
            Some((_, true)) => Auth::Refused(
                401,
                "expired_token",
                "The access token provided has expired.",
            ),
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
}

impl Faults {
    pub fn add(&mut self, method: Option<String>, fault: Fault, times: usize) {
        if times > 0 {
            self.queue.push_back((method, fault, times));
        }
    }

    /// The fault for a request of `method`, if one is waiting; uses it up once.
    pub fn take(&mut self, method: &str) -> Option<Fault> {
        let index = self
            .queue
            .iter()
            .position(|(m, _, _)| m.as_deref().is_none_or(|m| m == method))?;
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
