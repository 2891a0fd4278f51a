//! The HTTP side: an accept loop on hyper, routing by path, auth, the bucket, faults.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode, header};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpListener;

use super::portal::Auth;
use super::{Fault, Received, Shared, methods, oauth, query as query_string};

/// Larger request bodies are refused.
const MAX_REQUEST_BYTES: usize = 8 * 1024 * 1024;

/// Serves until `stopped` fires (or its sender is dropped).
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
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
        // A second handle on the socket, to reset the connection on demand.
        let Ok(std_stream) = stream.into_std() else {
            continue;
        };
        let reset_handle = Arc::new(Mutex::new(std_stream.try_clone().ok()));
        let Ok(stream) = tokio::net::TcpStream::from_std(std_stream) else {
            continue;
        };
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let shared = Arc::clone(&shared);
                let reset_handle = Arc::clone(&reset_handle);
                async move { handle(&shared, &reset_handle, request).await }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Returned to hyper to drop the connection without an answer.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for Dropped {}

type Answer = Response<Full<Bytes>>;

async fn handle(
    shared: &Shared,
    reset_handle: &Mutex<Option<std::net::TcpStream>>,
    request: Request<Incoming>,
) -> Result<Answer, Dropped> {
    let started = SystemTime::now();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or_default().to_owned();
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|t| t.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = match http_body_util::Limited::new(request.into_body(), MAX_REQUEST_BYTES)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            return Ok(error(
                400,
                "INVALID_REQUEST",
                "The request body is too large",
            ));
        }
    };
    shared.portal().stats.requests += 1;
    if path == "/_emulator/stats" {
        let portal = shared.portal();
        let stats = &portal.stats;
        return Ok(json_answer(
            200,
            &json!({"requests": stats.requests, "503": stats.refused, "methods": stats.methods}),
        ));
    }
    // The second step of an upload, to an address the portal handed out.
    if let Some(key) = path.strip_prefix("/upload/") {
        // The first file part.
        let file = crate::form::parts(&content_type, body)
            .await
            .into_iter()
            .flatten()
            .find_map(|part| Some((part.file_name?, part.bytes.to_vec())));
        let Some((name, bytes)) = file else {
            return Ok(error(400, "ERROR_UPLOAD", "No file in the multipart body"));
        };
        let mut portal = shared.portal();
        return Ok(match methods::store_upload(&mut portal, key, name, bytes) {
            Ok(answered) => json_answer(200, &json!({"result": answered.result})),
            Err((status, code, description)) => error(status, &code, &description),
        });
    }
    // The query's fields, then the JSON body's (Bitrix24 reads both).
    let mut fields = query_string::parse(&query);
    if content_type.starts_with("application/x-www-form-urlencoded") {
        fields.extend(query_string::parse(&String::from_utf8_lossy(&body)));
    } else if !body.is_empty() {
        match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(json)) => fields.extend(json),
            _ => {
                return Ok(error(
                    400,
                    "INVALID_REQUEST",
                    "The request body is not a JSON object",
                ));
            }
        }
    }
    let body = Value::Object(fields);

    // Bitrix24's OAuth server, served here too.
    if path.trim_end_matches('/') == "/oauth/token" {
        let mut portal = shared.portal();
        portal.receive(Received {
            method: "oauth/token/".into(),
            body: body.clone(),
        });
        portal.count_call("oauth/token/");
        let (status, answer) =
            oauth::token(&mut portal, body.as_object().unwrap_or(&Default::default()));
        return Ok(json_answer(status, &answer));
    }

    // /rest/<user>/<secret>/<method> (webhook) or /rest/<method> (OAuth); `.json` optional.
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (webhook, method) = match parts.as_slice() {
        ["rest", user, secret, method] => (Some((*user, *secret)), *method),
        ["rest", method] => (None, *method),
        _ => return Ok(error(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")),
    };
    let method = method.strip_suffix(".json").unwrap_or(method).to_owned();

    let fault = {
        let mut portal = shared.portal();
        portal.receive(Received {
            method: method.clone(),
            body: body.clone(),
        });
        // A token that expires by chance expires before this request is read.
        if webhook.is_none()
            && portal.faults.expires_now()
            && let Some(token) = body.get("auth").and_then(Value::as_str)
        {
            portal.expire_token(token);
        }
        portal.faults.take(&method)
    };
    match fault {
        None => {}
        Some(Fault::Delay(wait)) => tokio::time::sleep(wait).await,
        Some(Fault::Reset) => {
            let handle = reset_handle.lock().ok().and_then(|mut h| h.take());
            if let Some(handle) = handle {
                // Zero linger: closing sends RST instead of FIN.
                let _ = socket2::SockRef::from(&handle).set_linger(Some(Duration::ZERO));
            }
            return Err(Dropped);
        }
        Some(Fault::HtmlPage) => {
            return Ok(respond(
                500,
                "text/html",
                "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>".into(),
            ));
        }
        Some(Fault::TruncatedJson) => {
            return Ok(respond(
                200,
                "application/json",
                r#"{"result":{"ID":1,"TITL"#.into(),
            ));
        }
        Some(Fault::Oversized(size)) => {
            let mut text = String::from(r#"{"result":""#);
            let padding = size.saturating_sub(text.len() + 2);
            text.extend(std::iter::repeat_n('x', padding));
            text.push_str("\"}");
            return Ok(respond(200, "application/json", text));
        }
        Some(Fault::RedirectTo(to)) => {
            let mut answer = respond(302, "text/html", String::new());
            if let Ok(location) = header::HeaderValue::from_str(&to) {
                answer.headers_mut().insert(header::LOCATION, location);
            }
            return Ok(answer);
        }
        Some(Fault::Answer(body)) => return Ok(json_answer(200, &body)),
        Some(Fault::EchoRequest) => {
            return Ok(error(
                400,
                "ERROR_ECHO",
                &format!("cannot serve {path}?{query} with {body}"),
            ));
        }
        Some(Fault::Error {
            status,
            code,
            description,
        }) => {
            let mut body = json!({"error": code, "error_description": description});
            if code == "OPERATION_TIME_LIMIT" {
                let budget = shared.portal().budget_of(&method);
                body["time"] = time_block(started, budget);
            }
            return Ok(json_answer(status, &body));
        }
    }

    let mut portal = shared.portal();
    if !portal.bucket.admit() {
        portal.stats.refused += 1;
        return Ok(error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests"));
    }
    let auth = match webhook {
        Some((user, secret)) => portal.webhook_auth(user, secret),
        None => portal.token_auth(body.get("auth").and_then(Value::as_str)),
    };
    let user = match auth {
        Auth::User(user) => user,
        Auth::Refused(status, code, description) => return Ok(error(status, code, description)),
    };
    match methods::call(&mut portal, user, &method, &body) {
        Ok(answered) => {
            let mut answer = json!({"result": answered.result});
            if let Some(total) = answered.total {
                answer["total"] = json!(total);
            }
            if let Some(next) = answered.next {
                answer["next"] = json!(next);
            }
            answer["time"] = time_block(started, portal.budget_of(&method));
            Ok(json_answer(200, &answer))
        }
        Err((status, code, description)) => {
            let mut body = json!({"error": code, "error_description": description});
            if code == "OPERATION_TIME_LIMIT" {
                body["time"] = time_block(started, portal.budget_of(&method));
            }
            Ok(json_answer(status, &body))
        }
    }
}

fn unix_seconds(at: SystemTime) -> f64 {
    at.duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

fn iso(at: SystemTime) -> String {
    humantime::format_rfc3339_seconds(at)
        .to_string()
        .replace('Z', "+00:00")
}

/// Bitrix24's `time` block for a call that started at `started`, with `method`'s budget.
pub(crate) fn time_block(started: SystemTime, (operating, reset_at): (f64, f64)) -> Value {
    let finished = SystemTime::now();
    let (start, finish) = (unix_seconds(started), unix_seconds(finished));
    json!({
        "start": start,
        "finish": finish,
        "duration": finish - start,
        "processing": finish - start,
        "date_start": iso(started),
        "date_finish": iso(finished),
        "operating_reset_at": reset_at.ceil(),
        "operating": operating,
    })
}

fn error(status: u16, code: &str, description: &str) -> Answer {
    json_answer(
        status,
        &json!({"error": code, "error_description": description}),
    )
}

fn json_answer(status: u16, body: &Value) -> Answer {
    respond(status, "application/json", body.to_string())
}

fn respond(status: u16, content_type: &str, body: String) -> Answer {
    let mut answer = Response::new(Full::new(Bytes::from(body)));
    *answer.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(value) = header::HeaderValue::from_str(content_type) {
        answer.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    answer
}
