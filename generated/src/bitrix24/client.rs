//! The client: one shared call that every generated method goes through, with the retries
//! that are safe for it.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::{StatusCode, Url, header};
use serde_json::{Map, Value};

use super::url::{self, Mode};
use super::{Answer, Config, Error, TransportKind};

/// How much of an unreadable answer an error keeps.
const BODY_START_CHARS: usize = 200;

/// What a client is about to do or has done, for logging (`oint --debug`). Secrets are already
/// replaced by `***`.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A request is about to be sent.
    Request {
        attempt: u32,
        method: &'a str,
        url: &'a str,
        body: &'a Value,
    },
    /// An answer arrived.
    Response { status: u16, bytes: usize },
    /// An attempt failed in a way that is safe to retry; the next one follows after `wait`.
    Retry {
        next_attempt: u32,
        wait: Duration,
        reason: &'a str,
    },
}

type Observer = Arc<dyn Fn(&Event<'_>) + Send + Sync>;

/// One call of a REST method, as a generated method describes it.
pub(crate) struct Call<'a> {
    pub method: &'a str,
    /// From the spec: whether sending the call twice does no harm (reads).
    pub safe_to_repeat: bool,
    /// Request fields; `None` is an optional argument left out, and is not sent.
    pub fields: &'a [(&'a str, Option<Value>)],
    /// A structure whose keys go into the body itself.
    pub merge: Option<Value>,
}

/// A Bitrix24 client, for a webhook or for an OAuth token. Cheap to clone; clones share the
/// connection pool.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    config: Config,
    endpoint: Url,
    mode: Mode,
    token: Option<Secret>,
    /// Everything to cut out of text shown to a person: the token and the URL's secret parts.
    secrets: Arc<Vec<String>>,
    observer: Option<Observer>,
}

/// A token: never printed.
#[derive(Clone)]
struct Secret(String);

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &url::redacted(&self.endpoint))
            .field("mode", &self.mode)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// A failed attempt, and whether another one may follow.
struct Failure {
    error: Error,
    retry: Retry,
}

enum Retry {
    Never,
    /// Nothing took effect (no connection, a load limit): always safe to try again.
    Always(String),
    /// The call may have taken effect: only for methods that are safe to repeat.
    IfSafeToRepeat(String),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure {
            error,
            retry: Retry::Never,
        }
    }
}

impl Client {
    /// A client for an inbound webhook, e.g. `https://portal.bitrix24.by/rest/1/<secret>/`.
    /// Without a scheme, https is used; plain http is accepted for loopback addresses only.
    pub fn webhook(url: &str) -> Result<Client, Error> {
        Client::build(url::endpoint(url, Mode::Webhook)?, Mode::Webhook, None)
    }

    /// A client for an app's OAuth access token on a portal, e.g. `portal.bitrix24.by`.
    pub fn oauth(domain: &str, token: impl Into<String>) -> Result<Client, Error> {
        let token = token.into();
        if token.trim().is_empty() {
            return Err(Error::InvalidInput("the token is empty".into()));
        }
        Client::build(
            url::endpoint(domain, Mode::OAuth)?,
            Mode::OAuth,
            Some(Secret(token)),
        )
    }

    /// OPI's rule: with a non-empty token, `url` is the portal's domain and calls use the
    /// token; without one, `url` is a webhook.
    pub fn new(url: &str, token: Option<&str>) -> Result<Client, Error> {
        match token {
            Some(token) if !token.is_empty() => Client::oauth(url, token),
            _ => Client::webhook(url),
        }
    }

    /// The same client with other timeouts, retries or limits.
    pub fn with_config(self, config: Config) -> Result<Client, Error> {
        let http = http_client(&config)?;
        Ok(Client {
            http,
            config,
            ..self
        })
    }

    /// The timeouts, retries and limits in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Calls `observer` before each request, after each answer and before each retry; for
    /// logging.
    pub fn observe(mut self, observer: impl Fn(&Event<'_>) + Send + Sync + 'static) -> Client {
        self.observer = Some(Arc::new(observer));
        self
    }

    fn build(endpoint: Url, mode: Mode, token: Option<Secret>) -> Result<Client, Error> {
        let config = Config::default();
        let mut secrets = url::secrets(&endpoint);
        secrets.extend(token.as_ref().map(|Secret(token)| token.clone()));
        Ok(Client {
            http: http_client(&config)?,
            config,
            endpoint,
            mode,
            token,
            secrets: Arc::new(secrets),
            observer: None,
        })
    }

    fn notify(&self, event: Event<'_>) {
        if let Some(observer) = &self.observer {
            observer(&event);
        }
    }

    /// Calls a REST method: what every generated method does.
    pub(crate) async fn call(&self, call: Call<'_>) -> Result<Answer, Error> {
        let url = self.endpoint.join(call.method).map_err(|e| {
            Error::InvalidInput(format!("`{}` is not a method name: {e}", call.method))
        })?;
        let mut body = Map::new();
        if let Some(merged) = call.merge {
            match merged {
                Value::Object(fields) => body.extend(fields),
                _ => {
                    return Err(Error::InvalidInput(
                        "a structure must be a JSON object".into(),
                    ));
                }
            }
        }
        for (field, value) in call.fields {
            if let Some(value) = value {
                body.insert((*field).to_owned(), value.clone());
            }
        }
        // What a log may show: the token masked, the webhook's secret cut from the URL.
        let shown = self.observer.is_some().then(|| {
            let mut shown = body.clone();
            if self.token.is_some() {
                shown.insert("auth".into(), Value::String("***".into()));
            }
            (
                url::redacted(&self.endpoint) + call.method,
                Value::Object(shown),
            )
        });
        if let Some(Secret(token)) = &self.token {
            body.insert("auth".into(), Value::String(token.clone()));
        }
        let body = Value::Object(body);

        let mut attempt = 1;
        loop {
            if let Some((shown_url, shown_body)) = &shown {
                self.notify(Event::Request {
                    attempt,
                    method: call.method,
                    url: shown_url,
                    body: shown_body,
                });
            }
            let Failure { error, retry } = match self.attempt(&url, &body, attempt).await {
                Ok(answer) => return Ok(answer),
                Err(failure) => failure,
            };
            let reason = match retry {
                Retry::Always(reason) => reason,
                Retry::IfSafeToRepeat(reason) if call.safe_to_repeat => reason,
                _ => return Err(error),
            };
            if attempt >= self.config.max_attempts {
                return Err(error);
            }
            attempt += 1;
            let wait = self.config.backoff(attempt);
            self.notify(Event::Retry {
                next_attempt: attempt,
                wait,
                reason: &reason,
            });
            tokio::time::sleep(wait).await;
        }
    }

    async fn attempt(&self, url: &Url, body: &Value, attempt: u32) -> Result<Answer, Failure> {
        let sent = self
            .http
            .post(url.clone())
            .header(header::ACCEPT, "application/json")
            .json(body)
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(error) => {
                let error = Error::transport(error, attempt);
                let retry = match &error {
                    // Nothing reached the server when no connection was made.
                    Error::Transport { kind, .. } if *kind == TransportKind::Connect => {
                        Retry::Always(kind.to_string())
                    }
                    Error::Transport { kind, .. } => Retry::IfSafeToRepeat(kind.to_string()),
                    _ => Retry::Never,
                };
                return Err(Failure { error, retry });
            }
        };
        let status = response.status();
        if status.is_redirection() {
            let to = response
                .headers()
                .get(header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .and_then(|l| url.join(l).ok())
                .and_then(|l| l.host_str().map(str::to_owned))
                .unwrap_or_else(|| "an unknown place".into());
            return Err(Error::InvalidAnswer {
                status: status.as_u16(),
                reason: format!(
                    "a redirect to {to}, which is not followed: the request carries credentials"
                ),
                body_start: String::new(),
            }
            .into());
        }
        let bytes = match read_capped(response, self.config.max_answer_bytes).await {
            Ok(bytes) => bytes,
            Err(ReadError::TooLarge) => {
                return Err(Error::InvalidAnswer {
                    status: status.as_u16(),
                    reason: format!("a body over {} bytes", self.config.max_answer_bytes),
                    body_start: String::new(),
                }
                .into());
            }
            Err(ReadError::Transport(error)) => {
                return Err(Failure {
                    error: Error::transport(error, attempt),
                    retry: Retry::IfSafeToRepeat("the answer broke off".into()),
                });
            }
        };
        self.notify(Event::Response {
            status: status.as_u16(),
            bytes: bytes.len(),
        });
        self.decode(status, &bytes, attempt).map_err(|error| {
            let retry = match &error {
                Error::RateLimited { code, .. } => Retry::Always(code.clone()),
                Error::Api { status, .. } | Error::InvalidAnswer { status, .. }
                    if *status >= 500 =>
                {
                    Retry::IfSafeToRepeat(format!("HTTP {status}"))
                }
                _ => Retry::Never,
            };
            Failure { error, retry }
        })
    }

    fn decode(&self, status: StatusCode, bytes: &[u8], attempt: u32) -> Result<Answer, Error> {
        let invalid = |reason: &str| Error::InvalidAnswer {
            status: status.as_u16(),
            reason: reason.to_owned(),
            body_start: self.body_start(bytes),
        };
        let json: Value =
            serde_json::from_slice(bytes).map_err(|_| invalid("a body that is not JSON"))?;
        if let Some(code) = json.get("error") {
            let code = code
                .as_str()
                .map_or_else(|| code.to_string(), str::to_owned);
            let description = json
                .get("error_description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            return Err(match code.as_str() {
                "expired_token" => Error::TokenExpired { description },
                "QUERY_LIMIT_EXCEEDED" | "OVERLOAD_LIMIT" => Error::RateLimited {
                    code,
                    description,
                    attempts: attempt,
                },
                "OPERATION_TIME_LIMIT" => Error::OperationTimeLimit {
                    description,
                    reset_at: json
                        .pointer("/time/operating_reset_at")
                        .and_then(Value::as_f64),
                },
                _ => Error::Api {
                    status: status.as_u16(),
                    code,
                    description,
                },
            });
        }
        if !status.is_success() {
            return Err(invalid("an error status and no error code"));
        }
        Answer::from_json(json).ok_or_else(|| invalid("JSON that has no `result`"))
    }

    /// The start of an answer, for an error message, with every secret cut out should the
    /// server have echoed it (an HTML 404 page often repeats the requested path). The whole
    /// text is masked before it is cut short, so no part of a secret is left at the end.
    fn body_start(&self, bytes: &[u8]) -> String {
        let mut text = String::from_utf8_lossy(bytes).into_owned();
        for secret in self.secrets.iter() {
            text = text.replace(secret.as_str(), "***");
        }
        text.chars().take(BODY_START_CHARS).collect()
    }
}

fn http_client(config: &Config) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .timeout(config.request_timeout)
        .connect_timeout(config.connect_timeout)
        // The token is in the body: a redirect must not carry it elsewhere.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("oint/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| {
            Error::InvalidInput(format!(
                "cannot set up the HTTP client: {}",
                e.without_url()
            ))
        })
}

enum ReadError {
    TooLarge,
    Transport(reqwest::Error),
}

/// Reads the body, refusing more than `limit` bytes.
async fn read_capped(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, ReadError> {
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Err(ReadError::TooLarge);
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Transport)? {
        if bytes.len() + chunk.len() > limit {
            return Err(ReadError::TooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}
