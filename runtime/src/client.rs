//! The client: one shared call that every generated method goes through, with the retries
//! that are safe for it.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::{StatusCode, Url, header};
use serde_json::{Map, Value};

use super::call::{Call, Download, Http, Shape, Upload};
use super::oauth::{App, Renew, Renewal, TokenAuth, Tokens};
use super::url;
use super::{Answer, Config, Error, Library, Means, Time, TransportKind, limits, query};
use crate::library::{AuthMode, CredentialPlace};

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
        /// `GET` or `POST`.
        verb: &'a str,
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

/// A Bitrix24 client, for a webhook or for an OAuth token. Cheap to clone; clones share the
/// connection pool.
#[derive(Clone)]
pub struct Client {
    /// The library whose API it calls.
    library: &'static Library,
    /// For https: through the system's proxy, when one is set.
    http: reqwest::Client,
    /// For plain http, which goes to a loopback address only: never through a proxy, which
    /// would read the credentials in clear.
    direct: reqwest::Client,
    config: Config,
    /// `None` for a client made for the calls that go elsewhere (the OAuth server).
    endpoint: Option<Url>,
    /// The auth mode the client was made in; `None` without an address of the service.
    mode: Option<&'static AuthMode>,
    /// The OAuth access token, and how to renew it; shared by clones.
    auth: Option<Arc<TokenAuth>>,
    /// Everything to cut out of text shown to a person: the URL's secret parts (the token is
    /// added at each call, as it may have been renewed).
    secrets: Arc<Vec<String>>,
    observer: Option<Observer>,
    /// Servers whose address is set on this client: (name, base URL).
    server_urls: Arc<Vec<(String, Url)>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("library", &self.library.name)
            .field(
                "endpoint",
                &self.endpoint.as_ref().map(|url| self.shown_endpoint(url)),
            )
            .field("mode", &self.mode.map(|mode| mode.name))
            .field("token", &self.auth.as_ref().map(|_| "***"))
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
    /// The service refused for load and said how long to wait: always tried again then.
    After(String, Duration),
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

/// One HTTP request as it goes out, and as it may be shown.
#[derive(Clone)]
pub(crate) struct Outgoing<'a> {
    /// The library of the service: how errors name it, and how its error answers read.
    pub(crate) library: &'static Library,
    pub(crate) verb: Http,
    pub(crate) method: &'a str,
    /// The credential, when the service reads it from a header.
    pub(crate) header: Option<(header::HeaderName, header::HeaderValue)>,
    pub(crate) url: Url,
    /// The JSON body of a POST.
    pub(crate) body: Option<Value>,
    /// The parts of a `multipart/form-data` body.
    pub(crate) form: Option<Form>,
    pub(crate) shown_url: String,
    pub(crate) shown_body: Value,
    /// Text that must not appear in anything shown.
    pub(crate) secrets: &'a [String],
    pub(crate) whole_answer: bool,
    /// The answer is a file: its bytes, when the status says success.
    pub(crate) file_answer: bool,
}

/// The parts of a `multipart/form-data` body, kept to be built again for each attempt.
#[derive(Clone)]
pub(crate) struct Form {
    /// (name, text) of each text part.
    pub(crate) texts: Vec<(String, String)>,
    /// (name, file name, bytes) of each file part.
    pub(crate) files: Vec<(String, String, Vec<u8>)>,
}

impl Form {
    fn build(&self) -> reqwest::multipart::Form {
        let form = self
            .texts
            .iter()
            .fold(reqwest::multipart::Form::new(), |form, (name, text)| {
                form.text(name.clone(), text.clone())
            });
        self.files.iter().fold(form, |form, (name, file, bytes)| {
            let part = reqwest::multipart::Part::bytes(bytes.clone()).file_name(file.clone());
            form.part(name.clone(), part)
        })
    }
}

/// A request field as a text part: text as it is, objects and arrays as indented JSON (as OPI
/// writes them), numbers and Booleans as JSON writes them.
fn part_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Object(_) | Value::Array(_) => {
            serde_json::to_string_pretty(value).unwrap_or_default()
        }
        other => other.to_string(),
    }
}

impl Client {
    /// A client in the library's auth mode `mode`, from the connection values it takes
    /// (`name`, value): `("URL", "https://portal.bitrix24.by/rest/1/<secret>/")`. What the
    /// generated constructors call.
    pub fn connect(
        library: &'static Library,
        mode: &str,
        values: &[(&str, &str)],
    ) -> Result<Client, Error> {
        let mode = library
            .mode(mode)
            .ok_or_else(|| Error::InvalidInput(format!("{} has no mode `{mode}`", library.name)))?;
        let auth = match &mode.credential {
            Some(credential) => {
                let token = values
                    .iter()
                    .find(|(name, _)| *name == credential.param)
                    .map(|(_, value)| *value)
                    .unwrap_or_default();
                if token.trim().is_empty() {
                    return Err(Error::InvalidInput(format!(
                        "the {} is empty",
                        credential.param
                    )));
                }
                Some(Arc::new(TokenAuth::new(token.to_owned(), None)))
            }
            None => None,
        };
        Client::build(library, Some(mode), values, auth)
    }

    /// A client in the mode the values given choose: one whose `when` value is given and not
    /// empty, else the one without a `when` (OPI's rule for Bitrix24: with a non-empty token,
    /// the URL is the portal's domain and calls carry the token; without one, the URL is a
    /// webhook). Values not given are `None`.
    pub fn choose(
        library: &'static Library,
        values: &[(&str, Option<&str>)],
    ) -> Result<Client, Error> {
        let given = |name: &str| {
            values
                .iter()
                .any(|(given, value)| *given == name && value.is_some_and(|v| !v.is_empty()))
        };
        let modes = library.connection.modes;
        let mode = modes
            .iter()
            .find(|mode| mode.when.is_some_and(given))
            .or_else(|| modes.iter().find(|mode| mode.when.is_none()))
            .ok_or_else(|| {
                Error::InvalidInput(format!(
                    "no way to reach {} with what is given",
                    library.name
                ))
            })?;
        let values: Vec<(&str, &str)> = values
            .iter()
            .filter_map(|(name, value)| value.map(|value| (*name, value)))
            .collect();
        Client::connect(library, mode.name, &values)
    }

    /// A client for an app's OAuth tokens in `mode` (one whose credential is a request field)
    /// that renews the access token when the service says it has expired: once per expiry,
    /// whatever the number of calls or clones that meet it, through `renew` (the spec's renewal
    /// method), and then the call is made again. [`on_tokens`](Client::on_tokens) hands the new
    /// tokens over, to store them.
    pub fn oauth_renewing(
        library: &'static Library,
        mode: &str,
        values: &[(&str, &str)],
        tokens: Tokens,
        app: App,
        renew: Renew,
    ) -> Result<Client, Error> {
        if tokens.access_token.trim().is_empty() || tokens.refresh_token.trim().is_empty() {
            return Err(Error::InvalidInput("a token is empty".into()));
        }
        let mode = library
            .mode(mode)
            .filter(|mode| mode.credential.is_some())
            .ok_or_else(|| {
                Error::InvalidInput(format!(
                    "{} has no mode `{mode}` with a token",
                    library.name
                ))
            })?;
        let auth = TokenAuth::new(
            tokens.access_token,
            Some(Renewal::new(app, tokens.refresh_token, renew)),
        );
        Client::build(library, Some(mode), values, Some(Arc::new(auth)))
    }

    /// Calls `store` with the new tokens each time the client renews them. Set it right after
    /// building the client: clones made before keep the old setting.
    pub fn on_tokens(mut self, store: impl Fn(&Tokens) + Send + Sync + 'static) -> Client {
        if let Some(auth) = &self.auth {
            self.auth = Some(Arc::new(auth.with_callback(Arc::new(store))));
        }
        self
    }

    /// A client for the methods that call another host of the spec's `servers` than the
    /// service's own address (such as an OAuth server), before there is an address to call. A
    /// method of the service called on it fails with [`Error::InvalidInput`].
    pub fn without_portal(library: &'static Library) -> Result<Client, Error> {
        Client::build(library, None, &[], None)
    }

    /// The same client with another address for a server of the spec (e.g. `oauth`, Bitrix24's
    /// OAuth server), such as a test double or a proxy. The scheme, host and port replace the
    /// spec's; https is required except to a loopback address. This wins over the server's
    /// environment variable (`OINT_BITRIX24_OAUTH_URL`).
    pub fn with_server_url(self, server: &str, url: &str) -> Result<Client, Error> {
        let url = url::replacement(url, server)?;
        let mut server_urls = self.server_urls.as_ref().clone();
        server_urls.retain(|(name, _)| name != server);
        server_urls.push((server.to_owned(), url));
        Ok(Client {
            server_urls: Arc::new(server_urls),
            ..self
        })
    }

    /// The same client calling the service at another scheme, host and port (a local server of
    /// the API, a test double, a proxy), the path kept: what `OINT_<LIBRARY>_API_URL` does for
    /// every client. https is required except to a loopback address.
    pub fn with_api_url(self, url: &str) -> Result<Client, Error> {
        let Some(endpoint) = &self.endpoint else {
            return Err(Error::InvalidInput(
                "this client has no address of the service to move".into(),
            ));
        };
        let replacement = url::replacement(url, "the API URL")?;
        let endpoint = url::on_address(&replacement, endpoint);
        Ok(Client {
            endpoint: Some(endpoint),
            ..self
        })
    }

    /// The same client with other timeouts, retries or limits. A config with a wait that has
    /// no bound, or a limit that cannot be kept, is refused: see [`Config::check`].
    pub fn with_config(self, config: Config) -> Result<Client, Error> {
        config.check()?;
        let http = http_client(&config, true)?;
        let direct = http_client(&config, false)?;
        Ok(Client {
            http,
            direct,
            config,
            ..self
        })
    }

    /// The library whose API the client calls.
    pub fn library(&self) -> &'static Library {
        self.library
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

    fn build(
        library: &'static Library,
        mode: Option<&'static AuthMode>,
        values: &[(&str, &str)],
        auth: Option<Arc<TokenAuth>>,
    ) -> Result<Client, Error> {
        let config = Config::default();
        let endpoint = match mode {
            Some(mode) => Some(url::mode_endpoint(&library.connection, mode, values)?),
            None => None,
        };
        let public = mode.and_then(|mode| mode.public_segments);
        let mut secrets = endpoint
            .as_ref()
            .map(|endpoint| url::secrets(endpoint, public))
            .unwrap_or_default();
        // The secret connection values given, wherever they go.
        for param in library
            .connection
            .params
            .iter()
            .filter(|param| param.secret)
        {
            secrets.extend(
                values
                    .iter()
                    .filter(|(name, value)| *name == param.name && !value.is_empty())
                    .map(|(_, value)| (*value).to_owned()),
            );
        }
        Ok(Client {
            library,
            http: http_client(&config, true)?,
            direct: http_client(&config, false)?,
            config,
            endpoint,
            mode,
            auth,
            secrets: Arc::new(secrets),
            observer: None,
            server_urls: Arc::new(Vec::new()),
        })
    }

    /// The service's address as it may be shown.
    fn shown_endpoint(&self, endpoint: &Url) -> String {
        masked(
            &url::redacted(endpoint, self.mode.and_then(|mode| mode.public_segments)),
            &self.secrets,
        )
    }

    fn notify(&self, event: Event<'_>) {
        if let Some(observer) = &self.observer {
            observer(&event);
        }
    }

    /// Calls a REST method: what every generated method does. A client that renews its token
    /// does so when the portal says it has expired, and calls again once.
    pub(crate) async fn call(&self, call: Call) -> Result<Answer, Error> {
        let renewable = call.server.is_none()
            && self
                .auth
                .as_ref()
                .is_some_and(|auth| auth.renewal.is_some());
        let generation = self.auth.as_ref().map_or(0, |auth| auth.current().1);
        // The rare paths (renewing, the call again) are boxed: every call's future carries
        // what its own path needs, and so is smaller to allocate and to move.
        match self.call_once(&call).await {
            Err(Error::TokenExpired { .. }) if renewable => {
                Box::pin(self.renew(generation)).await?;
                Box::pin(self.call_once(&call)).await
            }
            other => other,
        }
    }

    /// `error` with the client's secrets masked in what the server said: for the errors of
    /// single calls read out of a `batch` answer, which the request's own decoding has not seen.
    pub(crate) fn masked_error(&self, error: Error) -> Error {
        let Error::Api {
            service,
            status,
            code,
            description,
        } = error
        else {
            return error;
        };
        let mut secrets = self.secrets.as_ref().clone();
        if let Some(auth) = &self.auth {
            secrets.push(auth.current().0);
            if let Some(renewal) = &auth.renewal {
                secrets.push(renewal.app.client_secret.clone());
            }
        }
        Error::Api {
            service,
            status,
            code: masked(&code, &secrets),
            description: masked(&description, &secrets),
        }
    }

    /// Renews the access token, unless another call did since `seen` (its generation).
    async fn renew(&self, seen: u64) -> Result<(), Error> {
        let Some(auth) = &self.auth else {
            return Ok(());
        };
        let Some(renewal) = &auth.renewal else {
            return Ok(());
        };
        let mut refresh = renewal.refresh.lock().await;
        if auth.current().1 != seen {
            return Ok(());
        }
        // The spec's renewal method: typically a call of an OAuth server (no portal, no token).
        let answer = (renewal.renew)(self.clone(), renewal.app.clone(), refresh.clone()).await?;
        let text = |key: &str| answer.get(key).and_then(Value::as_str).map(str::to_owned);
        let (Some(access_token), Some(refresh_token)) =
            (text("access_token"), text("refresh_token"))
        else {
            return Err(Error::InvalidAnswer {
                service: self.library.name,
                status: 200,
                reason: "an OAuth answer without access_token and refresh_token".into(),
                body_start: String::new(),
            });
        };
        refresh.clone_from(&refresh_token);
        auth.set(access_token.clone());
        if let Some(store) = &renewal.on_tokens {
            store(&Tokens {
                access_token,
                refresh_token,
            });
        }
        Ok(())
    }

    async fn call_once(&self, call: &Call) -> Result<Answer, Error> {
        let (base, to_portal, whole_answer) = match call.server {
            Some(server) => {
                let set = self
                    .server_urls
                    .iter()
                    .find(|(name, _)| name == server.name);
                let base = match set {
                    Some((_, url)) => url::on_path(url.clone(), server)?,
                    None => url::server(server)?,
                };
                (base, false, server.whole_answer)
            }
            None => match &self.endpoint {
                Some(endpoint) => (endpoint.clone(), true, false),
                None => {
                    return Err(Error::InvalidInput(format!(
                        "`{}` calls {}, and this client has no address of it: build it with one of the client's constructors",
                        call.method, self.library.name
                    )));
                }
            },
        };
        let body = request_fields(call)?;
        let method = call.method_for(&body);
        let mut url = base
            .join(method)
            .map_err(|e| Error::InvalidInput(format!("`{method}` is not a method name: {e}")))?;

        // Everything to mask for this call: the client's secrets and the secret fields, at
        // their paths. What an observer is shown of the request (secrets masked) is built only
        // when there is one.
        let observed = self.observer.is_some();
        // The call's own secrets; the client's are added to them only when there are some.
        let mut secrets = Vec::new();
        let mut shown = if observed { body.clone() } else { Map::new() };
        for field in call.secret_fields {
            if let Some(value) = get_at(&body, field) {
                secrets.extend(leaves(value));
                if observed {
                    insert_at(&mut shown, field, Value::String("***".into()));
                }
            }
        }
        let credential = self.mode.and_then(|mode| mode.credential.as_ref());
        let token = self
            .auth
            .as_ref()
            .filter(|_| to_portal)
            .zip(credential)
            .map(|(auth, credential)| (auth.current().0, &credential.place));
        let mut body = body;
        // A credential in a header: marked sensitive, so that no `Debug` of the request shows it.
        let mut credential_header = None;
        if let Some((token, place)) = token {
            secrets.push(token.clone());
            match place {
                CredentialPlace::Field(field) => {
                    if observed {
                        shown.insert((*field).into(), Value::String("***".into()));
                    }
                    body.insert((*field).into(), Value::String(token));
                }
                CredentialPlace::Header { name, prefix } => {
                    let refused = |what: &str| {
                        Error::InvalidInput(format!(
                            "the credential cannot go in the header `{name}`: {what}"
                        ))
                    };
                    let name = header::HeaderName::from_bytes(name.as_bytes())
                        .map_err(|_| refused("not a header name"))?;
                    let mut value = header::HeaderValue::from_str(&format!("{prefix}{token}"))
                        .map_err(|_| refused("it holds a character a header cannot"))?;
                    value.set_sensitive(true);
                    credential_header = Some((name, value));
                }
            }
        }
        if let Some(renewal) = self.auth.as_ref().and_then(|auth| auth.renewal.as_ref()) {
            secrets.push(renewal.app.client_secret.clone());
        }
        let secrets: Cow<'_, [String]> = if secrets.is_empty() {
            Cow::Borrowed(&self.secrets)
        } else {
            Cow::Owned([self.secrets.as_slice(), &secrets].concat())
        };
        // What an observer is shown of the address: nothing is built when there is none.
        let shown_base = match (observed, to_portal) {
            (false, _) => None,
            (true, true) => Some(self.shown_endpoint(&base)),
            (true, false) => Some(base.to_string()),
        };
        let shown_method =
            |base: Option<String>| base.map(|base| base + method).unwrap_or_default();
        let (verb, body, form, shown_url, shown_body) = match call.http {
            Http::Post => (
                Http::Post,
                Some(Value::Object(body)),
                None,
                shown_method(shown_base),
                Value::Object(shown),
            ),
            Http::Get => {
                let form = self.library.wire.query;
                let query = query::encode(&body, form);
                url.set_query((!query.is_empty()).then_some(query.as_str()));
                let shown_query = if observed {
                    query::encode(&shown, form)
                } else {
                    String::new()
                };
                let mut shown_url = shown_method(shown_base);
                if !shown_query.is_empty() {
                    shown_url.push('?');
                    shown_url.push_str(&shown_query);
                }
                (Http::Get, None, None, shown_url, Value::Object(Map::new()))
            }
            Http::Multipart => {
                let texts = body
                    .iter()
                    .filter(|(_, value)| !value.is_null())
                    .map(|(name, value)| (name.clone(), part_text(value)))
                    .collect();
                let mut files = Vec::new();
                for (part, file) in &call.files {
                    if observed {
                        let about =
                            serde_json::json!({"file": file.name, "bytes": file.bytes.len()});
                        shown.insert(part.clone(), about);
                    }
                    files.push((part.clone(), file.name.clone(), file.bytes.clone()));
                }
                (
                    Http::Multipart,
                    None,
                    Some(Form { texts, files }),
                    shown_method(shown_base),
                    Value::Object(shown),
                )
            }
        };
        let request = Outgoing {
            library: self.library,
            verb,
            method,
            header: credential_header,
            url,
            body,
            form,
            shown_url,
            shown_body,
            secrets: &secrets,
            whole_answer,
            file_answer: false,
        };
        let answer = self.send(&request, call.safe_to_repeat).await?;
        match (&call.upload, &call.download) {
            // Boxed, as the renewal is above: most calls take neither path.
            (Some(upload), _) => {
                Box::pin(self.upload(answer, upload, method, secrets.into_owned())).await
            }
            (None, Some(download)) if to_portal => {
                Box::pin(self.download(answer, download, request, call.safe_to_repeat)).await
            }
            _ => Ok(answer),
        }
    }

    /// After a call whose answer names a file: the file's bytes, read from the mode's
    /// `downloads` address. While the answer names none, the call is made again, up to
    /// `download.repeats` more times, waiting 1 s, 2 s, … before each.
    async fn download(
        &self,
        mut answer: Answer,
        download: &Download,
        call: Outgoing<'_>,
        safe_to_repeat: bool,
    ) -> Result<Answer, Error> {
        let mut repeated = 0;
        let path = loop {
            let path = answer
                .result
                .get(download.path)
                .and_then(Value::as_str)
                .filter(|path| !path.is_empty());
            match path {
                Some(path) => break path.to_owned(),
                None if repeated < download.repeats => {
                    repeated += 1;
                    tokio::time::sleep(Duration::from_secs(repeated.into())).await;
                    answer = self.send(&call, safe_to_repeat).await?;
                }
                None => {
                    return Err(Error::InvalidAnswer {
                        service: self.library.name,
                        status: 200,
                        reason: format!(
                            "no `{}` in its `result`, so no file to read",
                            download.path
                        ),
                        body_start: String::new(),
                    });
                }
            }
        };
        let prefix = self.mode.and_then(|mode| mode.downloads).ok_or_else(|| {
            Error::InvalidInput(format!(
                "`{}` reads a file, and this client's mode has no address of files",
                call.method
            ))
        })?;
        let url =
            url::download(&call.url, prefix, &path).map_err(|reason| Error::InvalidAnswer {
                service: self.library.name,
                status: 200,
                reason,
                body_start: String::new(),
            })?;
        let shown_url = masked(
            &url::redacted(&url, self.mode.and_then(|mode| mode.public_segments)),
            call.secrets,
        );
        let request = Outgoing {
            verb: Http::Get,
            url,
            body: None,
            form: None,
            shown_url,
            shown_body: Value::Object(Map::new()),
            whole_answer: false,
            file_answer: true,
            ..call
        };
        // Reading a file twice does no harm.
        self.send(&request, true).await
    }

    /// The second step of an upload: the file, as `multipart/form-data`, to the URL the first
    /// answer gave. Without a URL and a field name in that answer, the first answer is the
    /// result (as OPI does).
    async fn upload(
        &self,
        first: Answer,
        upload: &Upload,
        method: &str,
        mut secrets: Vec<String>,
    ) -> Result<Answer, Error> {
        let text = |key: &str| first.result.get(key).and_then(Value::as_str);
        let (Some(target), Some(field)) = (text(upload.url_key), text(upload.field_key)) else {
            return Ok(first);
        };
        // The URL comes from the portal and may carry a one-time credential in its query: it
        // is shown without it, goes over https (or plain http to loopback), and is never sent
        // our token.
        let target = url::upload_target(target)?;
        // Both forms of each value: decoded, and as the URL carries it (which a page that
        // echoes the request would show).
        secrets.extend(target.query_pairs().map(|(_, value)| value.into_owned()));
        secrets.extend(
            target
                .query()
                .unwrap_or_default()
                .split('&')
                .filter_map(|pair| pair.split_once('=').map(|(_, value)| value.to_owned())),
        );
        let mut shown_target = target.clone();
        shown_target.set_query(target.query().map(|_| "***"));
        let name = upload
            .name
            .clone()
            .unwrap_or_else(|| upload.file.name.clone());
        let shown_body =
            serde_json::json!({ field: {"file": name, "bytes": upload.file.bytes.len()} });
        self.send(
            &Outgoing {
                library: self.library,
                verb: Http::Multipart,
                method,
                // Never our token: the address is another host's, from the answer.
                header: None,
                url: target,
                body: None,
                form: Some(Form {
                    texts: Vec::new(),
                    files: vec![(field.to_owned(), name, upload.file.bytes.clone())],
                }),
                shown_url: shown_target.to_string(),
                shown_body,
                secrets: &secrets,
                whole_answer: false,
                file_answer: false,
            },
            // Sending the file twice would store it twice.
            false,
        )
        .await
    }

    /// Sends a request, with the retries that are safe for it.
    async fn send(&self, request: &Outgoing<'_>, safe_to_repeat: bool) -> Result<Answer, Error> {
        // The host and port as the URL has them (a default port left out), borrowed from it.
        let host = &request.url[::url::Position::BeforeHost..::url::Position::AfterPort];
        let limits = &self.library.limits;
        let budget = self.config.operating_budget.resolve(limits.time_budget);
        let rate = self.config.rate_limit.resolve(limits.rate);
        // The host's books, read before a call only by a client that keeps to one of its limits.
        let books = (budget.is_some() || rate.is_some()).then(|| limits::books(host));
        if let (Some(books), Some(budget)) = (&books, budget) {
            books.wait_for_budget(request.method, budget).await;
        }
        let mut attempt = 1;
        loop {
            if let (Some(books), Some(limit)) = (&books, rate) {
                books.wait_for_place(limit).await;
            }
            self.notify(Event::Request {
                attempt,
                verb: match request.verb {
                    Http::Get => "GET",
                    Http::Post | Http::Multipart => "POST",
                },
                method: request.method,
                url: &request.shown_url,
                body: &request.shown_body,
            });
            let Failure { error, retry } = match self.attempt(request, attempt).await {
                Ok(answer) => {
                    // What a method used of its time budget is noted by every client, one that
                    // keeps to no budget too: the clients of the host that do must know.
                    if request.library.wire.time.is_some() {
                        let looked_up;
                        let books = match &books {
                            Some(books) => books,
                            None => {
                                looked_up = limits::books(host);
                                &looked_up
                            }
                        };
                        note_times(request.library, books, request.method, &answer);
                    }
                    return Ok(answer);
                }
                Err(failure) => failure,
            };
            let (reason, told) = match retry {
                Retry::Always(reason) => (reason, None),
                Retry::After(reason, wait) => (reason, Some(wait)),
                Retry::IfSafeToRepeat(reason) if safe_to_repeat => (reason, None),
                _ => return Err(error),
            };
            if attempt >= self.config.max_attempts {
                return Err(error);
            }
            attempt += 1;
            // The service's own wait, when it gives one, within the config's bound on waits.
            let wait = told.map_or_else(
                || self.config.backoff(attempt),
                |told| told.min(Config::MAX_WAIT),
            );
            self.notify(Event::Retry {
                next_attempt: attempt,
                wait,
                reason: &reason,
            });
            tokio::time::sleep(wait).await;
        }
    }

    async fn attempt(&self, request: &Outgoing<'_>, attempt: u32) -> Result<Answer, Failure> {
        let http = if request.url.scheme() == "http" {
            &self.direct
        } else {
            &self.http
        };
        let builder = match (&request.body, &request.form) {
            _ if request.verb == Http::Get => http.get(request.url.clone()),
            (_, Some(form)) => http.post(request.url.clone()).multipart(form.build()),
            (Some(body), None) => http.post(request.url.clone()).json(body),
            (None, None) => http.post(request.url.clone()),
        };
        let builder = match &request.header {
            Some((name, value)) => builder.header(name, value),
            None => builder,
        };
        let sent = builder
            .header(header::ACCEPT, "application/json")
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(error) => {
                let error = Error::transport(self.library.name, error, attempt);
                let retry = match &error {
                    // Nothing reached the server when no connection was made.
                    Error::Transport { kind, .. } if *kind == TransportKind::Connect => {
                        Retry::Always(kind.to_string())
                    }
                    Error::Transport { kind, .. } => Retry::IfSafeToRepeat(kind.to_string()),
                    // A server answered, but not in HTTP: as with a 5xx page, a read may try
                    // again.
                    Error::InvalidAnswer { .. } => {
                        Retry::IfSafeToRepeat("an answer that is not HTTP".into())
                    }
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
                .and_then(|l| request.url.join(l).ok())
                .and_then(|l| l.host_str().map(str::to_owned))
                .unwrap_or_else(|| "an unknown place".into());
            return Err(Error::InvalidAnswer {
                service: self.library.name,
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
                    service: self.library.name,
                    status: status.as_u16(),
                    reason: format!("a body over {} bytes", self.config.max_answer_bytes),
                    body_start: String::new(),
                }
                .into());
            }
            Err(ReadError::Transport(error)) => {
                return Err(Failure {
                    error: Error::transport(self.library.name, error, attempt),
                    retry: Retry::IfSafeToRepeat("the answer broke off".into()),
                });
            }
        };
        self.notify(Event::Response {
            status: status.as_u16(),
            bytes: bytes.len(),
        });
        decode(status, &bytes, attempt, request).map_err(|error| {
            let retry = match &error {
                Error::RateLimited { code, .. } => match retry_after(self.library, code, &bytes) {
                    Some(wait) => Retry::After(code.clone(), wait),
                    None => Retry::Always(code.clone()),
                },
                // A block that only the service's support lifts (Bitrix24's OVERLOAD_LIMIT, a
                // 503): no attempt would pass it.
                Error::Api { code, .. }
                    if self
                        .library
                        .signal(code)
                        .is_some_and(|signal| signal.means == Means::Blocked) =>
                {
                    Retry::Never
                }
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
}

/// How long a rate-limited answer asks the client to wait, when its library's signal says
/// where the answer tells it (Telegram's `parameters.retry_after`, in seconds).
fn retry_after(library: &Library, code: &str, bytes: &[u8]) -> Option<Duration> {
    let Means::RateLimited {
        retry_after: Some(path),
    } = library.signal(code)?.means
    else {
        return None;
    };
    let json: Value = serde_json::from_slice(bytes).ok()?;
    let seconds = json
        .pointer(&format!("/{}", path.replace('.', "/")))?
        .as_f64()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds.min(3600.0)))
}

/// Notes the time budget each method of an answer has used: the answer's own, and for a
/// batch each command's (from the batch's `times`).
fn note_times(library: &Library, books: &limits::Books, method: &str, answer: &Answer) {
    if let Some(time) = &answer.time {
        books.note_time(method, time);
    }
    let Some(batch) = library.wire.batch.as_ref().filter(|b| b.method == method) else {
        return;
    };
    let times = answer.result.get(batch.times).and_then(Value::as_object);
    for (_, time) in times.into_iter().flatten() {
        if let Ok(time) = <Time as serde::Deserialize>::deserialize(time) {
            // The commands' methods are not in the answer; the batch's budget stands for them.
            books.note_time(method, &time);
        }
    }
}

/// The request fields of a call, nested at their paths: the merged structure first, then the
/// fields (which win), then the fields that give way to another.
pub(crate) fn request_fields(call: &Call) -> Result<Map<String, Value>, Error> {
    let mut body = Map::new();
    if let Some(merged) = &call.merge {
        match merged {
            Value::Object(fields) => body.extend(fields.clone()),
            _ => {
                return Err(Error::InvalidInput(
                    "a structure must be a JSON object".into(),
                ));
            }
        }
    }
    for (path, value) in &call.fields {
        match value {
            None | Some(Value::Null) => {}
            Some(value) => insert_at(&mut body, path, value.clone()),
        }
    }
    for (field, other) in call.unless {
        if has_path(&body, other) {
            remove_at(&mut body, field);
        }
    }
    for shape in call.shapes {
        reshape(&mut body, shape);
    }
    Ok(body)
}

/// Applies one of a call's shapes to its fields.
fn reshape(body: &mut Map<String, Value>, shape: &Shape) {
    let text_at = |body: &Map<String, Value>, field: &str| match get_at(body, field) {
        Some(Value::String(text)) => Some(text.clone()),
        Some(Value::Number(number)) => Some(number.to_string()),
        _ => None,
    };
    match *shape {
        Shape::Split { field, on, then } => {
            let Some(text) = text_at(body, field) else {
                return;
            };
            let pieces: Vec<&str> = text.split(on).filter(|piece| !piece.is_empty()).collect();
            if let [first, second, ..] = pieces[..] {
                insert_at(body, field, Value::String(first.to_owned()));
                insert_at(body, then, crate::encode::id_numeric(second));
            }
        }
        Shape::Markup { field, by } => {
            let Some(text) = text_at(body, field) else {
                return;
            };
            let markup = text_at(body, by).unwrap_or_default();
            insert_at(
                body,
                field,
                Value::String(crate::encode::markup_text(&text, &markup)),
            );
        }
        Shape::Caption { field, from } => {
            let Some(caption) = text_at(body, from) else {
                return;
            };
            if let Some(Value::Array(items)) = get_at_mut(body, field)
                && let Some(Value::Object(first)) = items.first_mut()
            {
                first.insert("caption".to_owned(), Value::String(caption));
            }
        }
    }
}

/// Puts `value` at `path` (`fields.TITLE`), making the objects on the way.
fn insert_at(body: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            body.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let inner = body
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if !inner.is_object() {
                *inner = Value::Object(Map::new());
            }
            if let Value::Object(inner) = inner {
                insert_at(inner, rest, value);
            }
        }
    }
}

fn has_path(body: &Map<String, Value>, path: &str) -> bool {
    get_at(body, path).is_some()
}

/// The value at `path`, when there is one.
pub(crate) fn get_at<'a>(body: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    match path.split_once('.') {
        None => body.get(path),
        Some((head, rest)) => get_at(body.get(head)?.as_object()?, rest),
    }
}

/// The value at `path`, to change, when there is one.
fn get_at_mut<'a>(body: &'a mut Map<String, Value>, path: &str) -> Option<&'a mut Value> {
    match path.split_once('.') {
        None => body.get_mut(path),
        Some((head, rest)) => get_at_mut(body.get_mut(head)?.as_object_mut()?, rest),
    }
}

/// Every scalar inside a value, as text: what to cut out of text shown to a person.
fn leaves(value: &Value) -> Vec<String> {
    match value {
        Value::String(text) if !text.is_empty() => vec![text.clone()],
        Value::Array(items) => items.iter().flat_map(leaves).collect(),
        Value::Object(map) => map.values().flat_map(leaves).collect(),
        Value::Number(number) => vec![number.to_string()],
        _ => Vec::new(),
    }
}

fn remove_at(body: &mut Map<String, Value>, path: &str) {
    match path.split_once('.') {
        None => {
            body.remove(path);
        }
        Some((head, rest)) => {
            if let Some(Value::Object(inner)) = body.get_mut(head) {
                remove_at(inner, rest);
                if inner.is_empty() {
                    body.remove(head);
                }
            }
        }
    }
}

pub(crate) fn decode(
    status: StatusCode,
    bytes: &[u8],
    attempt: u32,
    request: &Outgoing<'_>,
) -> Result<Answer, Error> {
    let library = request.library;
    let service = library.name;
    let invalid = |reason: &str| Error::InvalidAnswer {
        service,
        status: status.as_u16(),
        reason: reason.to_owned(),
        body_start: body_start(bytes, request.secrets),
    };
    if request.file_answer && status.is_success() {
        return Ok(Answer::file(bytes.to_vec()));
    }
    let json: Value =
        serde_json::from_slice(bytes).map_err(|_| invalid("a body that is not JSON"))?;
    if let Some(code) = crate::answer::beside_result(&json, library.errors.code) {
        // A server or a proxy that echoes the request would show the token or the webhook's
        // secret here: both are masked before anything can print them.
        let code = masked(
            &code
                .as_str()
                .map_or_else(|| code.to_string(), str::to_owned),
            request.secrets,
        );
        let description = masked(
            json.get(library.errors.description)
                .and_then(Value::as_str)
                .unwrap_or_default(),
            request.secrets,
        );
        return Err(match library.signal(&code).map(|signal| signal.means) {
            Some(Means::TokenExpired) => Error::TokenExpired {
                service,
                description,
            },
            Some(Means::RateLimited { .. }) => Error::RateLimited {
                service,
                code,
                description,
                attempts: attempt,
            },
            Some(Means::TimeBudget { reset_at }) => Error::OperationTimeLimit {
                service,
                description,
                reset_at: reset_at
                    .and_then(|path| json.pointer(&format!("/{}", path.replace('.', "/"))))
                    .and_then(Value::as_f64),
            },
            // A block is an API error (one that is never retried), as are the codes without
            // a meaning of their own.
            Some(Means::Blocked) | None => Error::Api {
                service,
                status: status.as_u16(),
                code,
                description,
            },
        });
    }
    if !status.is_success() {
        return Err(invalid("an error status and no error code"));
    }
    let answer = if request.whole_answer {
        Some(Answer::whole(json))
    } else {
        Answer::from_json(json, &library.wire)
    };
    answer.ok_or_else(|| invalid(&format!("JSON that has no `{}`", library.wire.result)))
}

/// The start of an answer, for an error message, with every secret cut out should the
/// server have echoed it (an HTML 404 page often repeats the requested path). The whole
/// text is masked before it is cut short, so no part of a secret is left at the end.
fn body_start(bytes: &[u8], secrets: &[String]) -> String {
    masked(&String::from_utf8_lossy(bytes), secrets)
        .chars()
        .take(BODY_START_CHARS)
        .collect()
}

/// `text` with every secret, as it is and as a URL or JSON would carry it, replaced by `***`.
fn masked(text: &str, secrets: &[String]) -> String {
    let mut text = text.to_owned();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        let encoded: String = ::url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let escaped = serde_json::to_string(secret).unwrap_or_default();
        let escaped = escaped.trim_matches('"');
        for form in [secret.as_str(), encoded.as_str(), escaped] {
            if !form.is_empty() && text.contains(form) {
                text = text.replace(form, "***");
            }
        }
    }
    text
}

/// The HTTP client of `config`; `proxied` lets it use the system's proxy (for https only:
/// plain http goes to loopback, directly).
fn http_client(config: &Config, proxied: bool) -> Result<reqwest::Client, Error> {
    let builder = reqwest::Client::builder();
    let builder = if proxied { builder } else { builder.no_proxy() };
    builder
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::Call;
    use serde_json::json;

    #[test]
    fn fields_nest_at_their_paths_and_give_way() {
        let fields = vec![
            ("fields.TITLE", Some(json!("Stage"))),
            ("fields.COLOR", None),
            ("id", Some(json!("4"))),
            ("before", Some(json!("2"))),
            ("after", Some(json!("0"))),
            ("isAdmin", Some(Value::Null)),
        ];
        let call = Call {
            method: "task.stages.update",
            fields,
            merge: Some(json!({"id": "merged", "EXTRA": 1})),
            unless: &[("after", "before")],
            ..Call::DEFAULT
        };
        assert_eq!(
            Value::Object(request_fields(&call).unwrap()),
            json!({"id": "4", "EXTRA": 1, "fields": {"TITLE": "Stage"}, "before": "2"})
        );
    }
}
