//! A Bitrix24 emulator on loopback, for tests — ours and yours.
//!
//! It speaks HTTP on `127.0.0.1` with a real server (hyper), checks webhook and OAuth auth, keeps
//! chats with their owner and members, answers with Bitrix24's bodies and statuses and the
//! `time` block, limits requests with Bitrix24's leaky bucket, and injects faults on demand.
//! Methods it does not model answer with the spec's recorded result once auth and the required
//! fields are checked.
//!
//! ```no_run
//! # async fn example() -> std::io::Result<()> {
//! use oint::bitrix24::Client;
//! use oint_emulator::bitrix24::{Emulator, Fault};
//!
//! let portal = Emulator::start().await?;
//! let owner = portal.add_user();
//! let guest = portal.add_user();
//! let chat = portal.create_chat(owner, "Team", &[guest]);
//!
//! let client = Client::webhook(&portal.webhook_url(owner)).unwrap();
//! client.delete_user_from_chat(chat, guest).await.unwrap();
//! assert_eq!(portal.chat_members(chat), Some(vec![owner]));
//!
//! portal.inject(Fault::query_limit(), 1); // the next request gets 503 QUERY_LIMIT_EXCEEDED
//! # Ok(())
//! # }
//! ```

mod crud;
mod methods;
mod oauth;
mod portal;
pub(crate) mod query;
mod records;
mod server;

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;

pub use crud::Entity;
use portal::Portal;
pub use portal::{Chaos, RECEIVED_KEPT};

/// Limits of the emulated portal.
#[derive(Debug, Clone, PartialEq)]
pub struct EmulatorConfig {
    /// Requests that may arrive at once before 503 `QUERY_LIMIT_EXCEEDED`. Bitrix24: 50.
    pub burst: f64,
    /// Requests per second the bucket drains. Bitrix24: 2.
    pub drain_per_second: f64,
    /// How long the access tokens of the OAuth server (`/oauth/token/`) live. Bitrix24: an
    /// hour.
    pub token_lifetime: Duration,
    /// Running time each call of a method costs its time budget (`time.operating`). Default
    /// zero: the budget is never spent unless a test sets a cost.
    pub operating_cost: Duration,
    /// A method's time budget per period: over it, calls get 429 `OPERATION_TIME_LIMIT` until
    /// the period ends. Bitrix24: 480 s.
    pub operating_limit: Duration,
    /// The period of the time budget. Bitrix24: 10 minutes.
    pub operating_period: Duration,
}

impl Default for EmulatorConfig {
    fn default() -> EmulatorConfig {
        EmulatorConfig {
            burst: 50.0,
            drain_per_second: 2.0,
            token_lifetime: Duration::from_secs(3600),
            operating_cost: Duration::ZERO,
            operating_limit: Duration::from_secs(480),
            operating_period: Duration::from_secs(600),
        }
    }
}

/// What the emulator does instead of (or before) answering a request.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Fault {
    /// Wait, then answer as usual.
    Delay(Duration),
    /// Drop the connection with a TCP reset, without answering.
    Reset,
    /// 500 with an HTML page, as a broken proxy or PHP would send.
    HtmlPage,
    /// 200 with JSON cut short.
    TruncatedJson,
    /// 200 with a JSON body of this many bytes.
    Oversized(usize),
    /// 302 to this URL (another host).
    RedirectTo(String),
    /// 200 with this JSON body in place of the method's answer.
    Answer(Value),
    /// 400 with an error whose description repeats the request as received (its path, query
    /// and body, credentials included), as a careless proxy or debug page does.
    EchoRequest,
    /// A Bitrix24 error body with this status.
    Error {
        status: u16,
        code: String,
        description: String,
    },
}

impl Fault {
    /// 503 `QUERY_LIMIT_EXCEEDED`, as when the leaky bucket is full.
    pub fn query_limit() -> Fault {
        Fault::error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests")
    }

    /// 503 `OVERLOAD_LIMIT`.
    pub fn overload() -> Fault {
        Fault::error(
            503,
            "OVERLOAD_LIMIT",
            "REST API is blocked due to overload.",
        )
    }

    /// 429 `OPERATION_TIME_LIMIT`.
    pub fn operation_time_limit() -> Fault {
        Fault::error(
            429,
            "OPERATION_TIME_LIMIT",
            "Method is blocked due to operation time limit.",
        )
    }

    /// 500 `INTERNAL_SERVER_ERROR`.
    pub fn internal_error() -> Fault {
        Fault::error(500, "INTERNAL_SERVER_ERROR", "Internal server error")
    }

    pub fn error(status: u16, code: &str, description: &str) -> Fault {
        Fault::Error {
            status,
            code: code.to_owned(),
            description: description.to_owned(),
        }
    }
}

/// What the emulator counted since it started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmulatorStats {
    /// HTTP requests received.
    pub requests: u64,
    /// Answers 503 `QUERY_LIMIT_EXCEEDED` given by the request limit.
    pub refused: u64,
    /// Calls by REST method, in lower case; a batch counts as `batch` and as each command.
    pub methods: std::collections::BTreeMap<String, u64>,
}

/// A request as the emulator received it.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    /// The REST method, without `.json`.
    pub method: String,
    /// The JSON body (with `auth`, if any).
    pub body: Value,
}

/// The state shared between the server and the handle.
pub(crate) struct Shared {
    portal: Mutex<Portal>,
}

impl Shared {
    fn portal(&self) -> MutexGuard<'_, Portal> {
        // A panic while holding the lock leaves consistent data: keep serving.
        self.portal
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A running emulator. It stops when dropped.
pub struct Emulator {
    shared: Arc<Shared>,
    address: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Emulator {
    /// Starts an emulator with Bitrix24's limits on a free port of 127.0.0.1.
    pub async fn start() -> io::Result<Emulator> {
        Emulator::start_with(EmulatorConfig::default(), 0).await
    }

    /// Starts an emulator with `config` on `port` of 127.0.0.1 (0: any free port).
    pub async fn start_with(config: EmulatorConfig, port: u16) -> io::Result<Emulator> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let address = listener.local_addr()?;
        let shared = Arc::new(Shared {
            portal: Mutex::new(Portal::new(config, format!("http://{address}"))),
        });
        let (stop, stopped) = tokio::sync::oneshot::channel();
        tokio::spawn(server::serve(listener, Arc::clone(&shared), stopped));
        Ok(Emulator {
            shared,
            address,
            stop: Some(stop),
        })
    }

    /// `http://127.0.0.1:<port>`: the "domain" for OAuth clients.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Adds a user to the portal and returns their ID. User 1, the portal's administrator,
    /// is always there.
    pub fn add_user(&self) -> u64 {
        self.shared.portal().add_user()
    }

    /// The inbound webhook URL of `user`: `http://127.0.0.1:<port>/rest/<user>/<secret>/`.
    pub fn webhook_url(&self, user: u64) -> String {
        let secret = self.shared.portal().webhook_secret(user);
        format!("{}/rest/{user}/{secret}/", self.url())
    }

    /// A new OAuth access token of `user`.
    pub fn issue_token(&self, user: u64) -> String {
        self.shared.portal().issue_token(user)
    }

    /// Makes `token` expired: calls with it get 401 `expired_token`.
    pub fn expire_token(&self, token: &str) {
        self.shared.portal().expire_token(token);
    }

    /// Registers an app, so that the OAuth server (`<url>/oauth/token/`: point
    /// `OINT_BITRIX24_OAUTH_URL` at [`url`](Emulator::url)) takes its client_id and secret.
    pub fn register_app(&self, client_id: &str, client_secret: &str) {
        self.shared
            .portal()
            .apps
            .insert(client_id.to_owned(), client_secret.to_owned());
    }

    /// A one-time authorization code, as the portal sends an app's handler when `user`
    /// approves it, for GetToken.
    pub fn authorization_code(&self, user: u64, client_id: &str) -> String {
        self.shared.portal().authorization_code(user, client_id)
    }

    /// Adds a record (fields with upper-case names, e.g. `{"TITLE": "…"}`) and returns its ID.
    pub fn insert(&self, entity: Entity, fields: Value) -> u64 {
        let fields = fields.as_object().cloned().unwrap_or_default();
        let mut portal = self.shared.portal();
        match entity {
            Entity::User => portal.add_user_with(fields),
            _ => portal.table(entity).insert(fields),
        }
    }

    /// A record's fields, upper-case names; `None` when there is no such record.
    pub fn record(&self, entity: Entity, id: u64) -> Option<Value> {
        let mut portal = self.shared.portal();
        portal
            .table(entity)
            .rows
            .get(&id)
            .map(|row| Value::Object(row.clone()))
    }

    /// Removes a record; `false` when there was none.
    pub fn remove(&self, entity: Entity, id: u64) -> bool {
        self.shared
            .portal()
            .table(entity)
            .rows
            .remove(&id)
            .is_some()
    }

    /// How many records of `entity` there are.
    pub fn count(&self, entity: Entity) -> usize {
        self.shared.portal().table(entity).rows.len()
    }

    /// What the emulator counted: requests, 503 answers of the request limit, calls by method
    /// (also at `GET <url>/_emulator/stats`).
    pub fn stats(&self) -> EmulatorStats {
        let portal = self.shared.portal();
        EmulatorStats {
            requests: portal.stats.requests,
            refused: portal.stats.refused,
            methods: portal.stats.methods.clone(),
        }
    }

    /// A file uploaded to the emulated disk: its name, its folder's ID and its bytes.
    pub fn file(&self, id: u64) -> Option<(String, String, Vec<u8>)> {
        self.shared
            .portal()
            .files
            .get(&id)
            .map(|f| (f.name.clone(), f.folder.clone(), f.bytes.clone()))
    }

    /// Creates a group chat owned by `owner`, with `members` besides the owner.
    pub fn create_chat(&self, owner: u64, title: &str, members: &[u64]) -> u64 {
        self.shared.portal().create_chat(owner, title, members)
    }

    /// The title of `chat`; `None` when there is no such chat.
    pub fn chat_title(&self, chat: u64) -> Option<String> {
        self.shared
            .portal()
            .chats
            .get(&chat)
            .map(|c| c.title.clone())
    }

    /// The members of `chat`, sorted; `None` when there is no such chat.
    pub fn chat_members(&self, chat: u64) -> Option<Vec<u64>> {
        self.shared.portal().chat_members(chat)
    }

    /// Applies `fault` to the next `times` requests, whatever their method.
    pub fn inject(&self, fault: Fault, times: usize) {
        self.shared.portal().faults.add(None, fault, times);
    }

    /// Applies `fault` to the next `times` requests of the REST method `method`.
    pub fn inject_for(&self, method: &str, fault: Fault, times: usize) {
        self.shared
            .portal()
            .faults
            .add(Some(method.to_owned()), fault, times);
    }

    /// The requests received so far, in order: the last [`RECEIVED_KEPT`] of them.
    pub fn received(&self) -> Vec<Received> {
        self.shared.portal().received.iter().cloned().collect()
    }

    /// How many requests arrived so far.
    pub fn request_count(&self) -> usize {
        self.shared.portal().received_total
    }

    /// Faults at random from now on (replacing any before): see [`Chaos`].
    pub fn chaos(&self, chaos: Chaos) {
        let rng = fastrand::Rng::with_seed(chaos.seed);
        self.shared.portal().faults.chaos = Some((chaos, rng));
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}
