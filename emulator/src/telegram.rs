//! A Telegram Bot API emulator on loopback: `http://127.0.0.1:<port>/bot<token>/<method>`, as a
//! local Bot API server answers. Point a client at it with `OINT_TELEGRAM_API_URL` (the CLI) or
//! by that variable in a test. It knows the bot's token and answers every method of the spec
//! with its recorded answer once the method's required fields are there — in the query, a form
//! (urlencoded or multipart, files included) or a JSON body — and Telegram's errors otherwise: 401 for another token, 404 for a method it
//! does not know, 400 for a missing field, and 429 with `parameters.retry_after` for the
//! requests [`Emulator::refuse_next`] says to refuse. Files are served at
//! `/file/bot<token>/<path>`, for the paths getFile answers ([`file_bytes`]).

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode, header};
use hyper_util::rt::TokioIo;
use oint::telegram::METHODS;
use serde_json::{Map, Value, json};
use tokio::net::TcpListener;

/// Larger request bodies are refused.
const MAX_REQUEST_BYTES: usize = 8 * 1024 * 1024;

/// A running emulator; dropping it stops the server.
pub struct Emulator {
    shared: Arc<Mutex<State>>,
    address: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

#[derive(Default)]
struct State {
    token: String,
    /// Requests still to refuse with 429, and the wait each asks for.
    refusing: (u64, u64),
    /// Every call, in order: (method, fields).
    received: Vec<(String, Map<String, Value>)>,
}

impl Emulator {
    /// Starts an emulator of the bot whose token is `token` on a free port of 127.0.0.1.
    pub async fn start(token: &str) -> io::Result<Emulator> {
        Emulator::start_on(token, 0).await
    }

    /// Starts an emulator of the bot whose token is `token` on `port` of 127.0.0.1 (0: any
    /// free port).
    pub async fn start_on(token: &str, port: u16) -> io::Result<Emulator> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let address = listener.local_addr()?;
        let shared = Arc::new(Mutex::new(State {
            token: token.to_owned(),
            ..State::default()
        }));
        let (stop, stopped) = tokio::sync::oneshot::channel();
        tokio::spawn(serve(listener, Arc::clone(&shared), stopped));
        Ok(Emulator {
            shared,
            address,
            stop: Some(stop),
        })
    }

    /// `http://127.0.0.1:<port>`: the value of `OINT_TELEGRAM_API_URL`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Refuses the next `requests` requests with 429 and `retry_after` seconds to wait, as
    /// Telegram refuses a bot that sends too fast.
    pub fn refuse_next(&self, requests: u64, retry_after: u64) {
        self.state().refusing = (requests, retry_after);
    }

    /// Every call answered or refused so far: its method and its fields.
    pub fn received(&self) -> Vec<(String, Map<String, Value>)> {
        self.state().received.clone()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.shared
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
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
        // The token is the bot: never shown.
        f.debug_struct("Emulator")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

async fn serve(
    listener: TcpListener,
    shared: Arc<Mutex<State>>,
    mut stopped: tokio::sync::oneshot::Receiver<()>,
) {
    loop {
        let stream = tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
        };
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let shared = Arc::clone(&shared);
                async move { Ok::<_, std::convert::Infallible>(handle(&shared, request).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

type Answer = Response<Full<Bytes>>;

async fn handle(shared: &Mutex<State>, request: Request<Incoming>) -> Answer {
    let path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or_default().to_owned();
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|t| t.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let Ok(body) = http_body_util::Limited::new(request.into_body(), MAX_REQUEST_BYTES)
        .collect()
        .await
        .map(|collected| collected.to_bytes())
    else {
        return error(413, "Request Entity Too Large", None);
    };
    // `/file/bot<token>/<path>`: a file getFile named.
    if let Some((token, file)) = path
        .strip_prefix("/file/bot")
        .and_then(|rest| rest.split_once('/'))
    {
        let mut state = shared
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        state.received.push((format!("file/{file}"), Map::new()));
        if token != state.token {
            return error(401, "Unauthorized", None);
        }
        return file_answer(file);
    }
    // `/bot<token>/<method>`
    let Some((token, method)) = path
        .strip_prefix("/bot")
        .and_then(|rest| rest.split_once('/'))
    else {
        return error(404, "Not Found", None);
    };
    let mut fields: Map<String, Value> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
        .collect();
    if content_type.starts_with("application/json") {
        match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(object)) => fields.extend(object),
            _ => return error(400, "Bad Request: can't parse JSON object", None),
        }
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        fields.extend(
            url::form_urlencoded::parse(&body)
                .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned()))),
        );
    } else if content_type.starts_with("multipart/form-data") {
        // Text parts as text; a file part as its name and size.
        let Some(parts) = crate::form::parts(&content_type, body).await else {
            return error(400, "Bad Request: can't parse the form", None);
        };
        fields.extend(parts.into_iter().map(|part| {
            let value = match part.file_name {
                Some(file) => json!({"file": file, "bytes": part.bytes.len()}),
                None => Value::String(String::from_utf8_lossy(&part.bytes).into_owned()),
            };
            (part.name, value)
        }));
    }
    let mut state = shared
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    state.received.push((method.to_owned(), fields.clone()));
    if token != state.token {
        return error(401, "Unauthorized", None);
    }
    let (refusing, retry_after) = state.refusing;
    if refusing > 0 {
        state.refusing.0 -= 1;
        return error(
            429,
            &format!("Too Many Requests: retry after {retry_after}"),
            Some(json!({"retry_after": retry_after})),
        );
    }
    drop(state);
    // Telegram's method names are read without regard to case (`setWebHook`).
    let Some(info) = METHODS
        .iter()
        .find(|info| info.rest_method.eq_ignore_ascii_case(method))
        .or_else(|| general_topic(method))
    else {
        return error(404, "Not Found", None);
    };
    for field in info.fields {
        let given = fields
            .get(*field)
            .is_some_and(|value| !matches!(value, Value::Null) && value != &json!(""));
        if !given {
            return error(400, &format!("Bad Request: {field} is empty"), None);
        }
    }
    match serde_json::from_str::<Value>(info.example_answer) {
        Ok(answer) => json_answer(200, &answer),
        Err(_) => error(500, "Internal Server Error", None),
    }
}

/// The General topic's methods (`closeGeneralForumTopic`), which a spec method calls when no
/// topic is given, answer as the topic's own method (`closeForumTopic`) does.
fn general_topic(method: &str) -> Option<&'static oint::telegram::MethodInfo> {
    let topic = method.replacen("General", "", 1);
    METHODS
        .iter()
        .find(|info| info.rest_method.eq_ignore_ascii_case(&topic))
}

/// Telegram's error answer.
fn error(status: u16, description: &str, parameters: Option<Value>) -> Answer {
    let mut body = json!({"ok": false, "error_code": status, "description": description});
    if let Some(parameters) = parameters {
        body["parameters"] = parameters;
    }
    json_answer(status, &body)
}

/// The bytes of the file at `path`: [`file_bytes`].
fn file_answer(path: &str) -> Answer {
    let mut answer = Response::new(Full::new(Bytes::from(file_bytes(path))));
    answer.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/octet-stream"),
    );
    answer
}

/// What the emulator serves as the file at `path` (`music/file_0.mp3`): bytes that name it.
pub fn file_bytes(path: &str) -> Vec<u8> {
    format!("ID3 the bytes of {path}").into_bytes()
}

fn json_answer(status: u16, body: &Value) -> Answer {
    let mut answer = Response::new(Full::new(Bytes::from(body.to_string())));
    *answer.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    answer.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    answer
}
