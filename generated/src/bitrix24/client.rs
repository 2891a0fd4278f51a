//! The client: one shared call that every generated method goes through.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::{StatusCode, Url, header};
use serde_json::{Map, Value};

use super::url::{self, Mode};
use super::{Answer, Error};

/// Bitrix24 ends a request after 60 s; waiting longer gains nothing.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Larger answers are refused rather than held in memory.
const MAX_ANSWER_BYTES: usize = 32 * 1024 * 1024;
/// How much of an unreadable answer an error keeps.
const BODY_START_CHARS: usize = 200;

/// What a client is about to do or has done, for logging (`oint --debug`). Secrets are already
/// replaced by `***`.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A request is about to be sent.
    Request {
        method: &'a str,
        url: &'a str,
        body: &'a Value,
    },
    /// An answer arrived.
    Response { status: u16, bytes: usize },
}

type Observer = Arc<dyn Fn(&Event<'_>) + Send + Sync>;

/// A Bitrix24 client, for a webhook or for an OAuth token. Cheap to clone; clones share the
/// connection pool.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    endpoint: Url,
    mode: Mode,
    token: Option<Secret>,
    observer: Option<Observer>,
}

/// A token: never printed.
#[derive(Clone)]
struct Secret(String);

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &url::redacted(&self.endpoint, self.mode))
            .field("mode", &self.mode)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .finish_non_exhaustive()
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

    /// Calls `observer` before each request and after each answer; for logging.
    pub fn observe(mut self, observer: impl Fn(&Event<'_>) + Send + Sync + 'static) -> Client {
        self.observer = Some(Arc::new(observer));
        self
    }

    fn build(endpoint: Url, mode: Mode, token: Option<Secret>) -> Result<Client, Error> {
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            // The token is in the body: a redirect must not carry it elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("oint/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(Error::transport)?;
        Ok(Client {
            http,
            endpoint,
            mode,
            token,
            observer: None,
        })
    }

    /// Calls a REST method with the given request fields: what every generated method does.
    pub(crate) async fn call(
        &self,
        method: &str,
        fields: &[(&str, Value)],
    ) -> Result<Answer, Error> {
        let url = self
            .endpoint
            .join(method)
            .map_err(|e| Error::InvalidInput(format!("`{method}` is not a method name: {e}")))?;
        let mut body: Map<String, Value> = fields
            .iter()
            .map(|(field, value)| ((*field).to_owned(), value.clone()))
            .collect();
        if let Some(observer) = &self.observer {
            let mut shown = body.clone();
            if self.token.is_some() {
                shown.insert("auth".into(), Value::String("***".into()));
            }
            let shown_url = url::redacted(&self.endpoint, self.mode) + method;
            observer(&Event::Request {
                method,
                url: &shown_url,
                body: &Value::Object(shown),
            });
        }
        if let Some(Secret(token)) = &self.token {
            body.insert("auth".into(), Value::String(token.clone()));
        }
        let response = self
            .http
            .post(url)
            .header(header::ACCEPT, "application/json")
            .json(&body)
            .send()
            .await
            .map_err(Error::transport)?;
        let status = response.status();
        let bytes = read_capped(response).await?;
        if let Some(observer) = &self.observer {
            observer(&Event::Response {
                status: status.as_u16(),
                bytes: bytes.len(),
            });
        }
        self.decode(status, &bytes)
    }

    fn decode(&self, status: StatusCode, bytes: &[u8]) -> Result<Answer, Error> {
        let invalid = |reason: &str| Error::InvalidAnswer {
            status: status.as_u16(),
            reason: reason.to_owned(),
            body_start: self.body_start(bytes),
        };
        let json: Value =
            serde_json::from_slice(bytes).map_err(|_| invalid("a body that is not JSON"))?;
        if let Some(code) = json.get("error") {
            return Err(Error::Api {
                status: status.as_u16(),
                code: code
                    .as_str()
                    .map_or_else(|| code.to_string(), str::to_owned),
                description: json
                    .get("error_description")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
            });
        }
        if !status.is_success() {
            return Err(invalid("an error status and no error code"));
        }
        Answer::from_json(json).ok_or_else(|| invalid("JSON that has no `result`"))
    }

    /// The start of an answer, for an error message, with the token cut out should the server
    /// have echoed it.
    fn body_start(&self, bytes: &[u8]) -> String {
        let text = String::from_utf8_lossy(bytes);
        let mut start: String = text.chars().take(BODY_START_CHARS).collect();
        if let Some(Secret(token)) = &self.token {
            start = start.replace(token.as_str(), "***");
        }
        start
    }
}

/// Reads the body, refusing more than [`MAX_ANSWER_BYTES`].
async fn read_capped(mut response: reqwest::Response) -> Result<Vec<u8>, Error> {
    let status = response.status().as_u16();
    let too_large = || Error::InvalidAnswer {
        status,
        reason: format!("a body over {MAX_ANSWER_BYTES} bytes"),
        body_start: String::new(),
    };
    if response
        .content_length()
        .is_some_and(|length| length > MAX_ANSWER_BYTES as u64)
    {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(Error::transport)? {
        if bytes.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}
