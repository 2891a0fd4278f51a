//! The cost of a call through the generated client against the same request written by hand
//! with reqwest, both against one loopback HTTP server (hyper, on its own thread) that answers
//! with Bitrix24's recorded answer. Before measuring, the bench checks that both send the same
//! request: method, path, headers and body. It first times the two in turn (10,000 rounds) and
//! prints the ratio of their medians, the figure to read on a shared machine — once with the
//! client's limits keeping their books (but never waiting), once with them off; then criterion
//! measures each.
//!
//! ```sh
//! cargo bench -p oint --bench client
//! ```

use std::convert::Infallible;
use std::hint::black_box;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use oint::bitrix24::{Client, Config, Limit, RateLimit};
use serde_json::{Value, json};

/// The recorded answer of `im.chat.user.delete`.
const ANSWER: &str = r#"{"result":true,"time":{"start":1760522268,"finish":1760522268.34694,"duration":0.346940994262695,"processing":0,"date_start":"2025-10-15T09:57:48+00:00","date_finish":"2025-10-15T09:57:48+00:00","operating_reset_at":1760522868,"operating":0.100121021270752}}"#;

/// What the server saw of the last request: method, path, headers, body.
type Seen = Arc<Mutex<Option<(String, String, Vec<(String, String)>, Bytes)>>>;

/// Starts the server on its own thread and runtime; returns its address.
fn start_server(seen: Seen) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let address = listener.local_addr().expect("an address");
    listener.set_nonblocking(true).expect("non-blocking");
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("a listener");
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let seen = seen.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request: Request<Incoming>| {
                        let seen = seen.clone();
                        async move {
                            let (parts, body) = request.into_parts();
                            let body = body
                                .collect()
                                .await
                                .map(|b| b.to_bytes())
                                .unwrap_or_default();
                            let mut headers: Vec<(String, String)> = parts
                                .headers
                                .iter()
                                .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
                                .collect();
                            headers.sort();
                            *seen.lock().unwrap() = Some((
                                parts.method.to_string(),
                                parts.uri.to_string(),
                                headers,
                                body,
                            ));
                            Ok::<_, Infallible>(
                                Response::builder()
                                    .header("content-type", "application/json; charset=utf-8")
                                    .body(Full::new(Bytes::from_static(ANSWER.as_bytes())))
                                    .expect("a response"),
                            )
                        }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
    });
    address
}

/// The same call written by hand: the same reqwest settings as the client's (timeouts, no
/// redirects, user agent), the same JSON body and headers, and an answer checked for an error
/// and decoded.
async fn by_hand(http: &reqwest::Client, url: &str) -> bool {
    let response = http
        .post(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .json(&json!({"CHAT_ID": "452", "USER_ID": "10"}))
        .send()
        .await
        .expect("an answer");
    let status = response.status();
    let bytes = response.bytes().await.expect("a body");
    let answer: Value = serde_json::from_slice(&bytes).expect("JSON");
    assert!(status.is_success() && answer.get("error").is_none());
    answer["result"].as_bool().expect("a boolean result")
}

fn call(c: &mut Criterion) {
    let seen: Seen = Arc::default();
    let address = start_server(seen.clone());
    let webhook = format!("http://{address}/rest/1/secret/");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");

    // The client's limits keep their books on every call, but never make it wait: the
    // hand-written call has none, and ten thousand calls would otherwise wait for Bitrix24's
    // two a second.
    let client = Client::webhook(&webhook)
        .and_then(|client| {
            client.with_config(Config {
                rate_limit: Limit::Set(RateLimit {
                    burst: u32::MAX,
                    per_second: f64::MAX,
                }),
                operating_budget: Limit::Set(f64::MAX),
                ..Config::default()
            })
        })
        .expect("a client");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .connect_timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("oint/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("a reqwest client");
    let url = format!("{webhook}im.chat.user.delete");

    // Both send the same request.
    let generated = runtime.block_on(async {
        let answer = client.delete_user_from_chat(452, 10).await.expect("done");
        assert!(answer.result);
        seen.lock().unwrap().take().expect("a request")
    });
    let handwritten = runtime.block_on(async {
        assert!(by_hand(&http, &url).await);
        seen.lock().unwrap().take().expect("a request")
    });
    assert_eq!(generated, handwritten, "the two calls differ");

    // `OINT_BENCH_PROFILE=generated` (or `handwritten`) makes 2,000 calls of one kind and
    // nothing else, for a profiler to count what each costs (BENCHMARKS.md, "Client overhead").
    if let Ok(kind) = std::env::var("OINT_BENCH_PROFILE") {
        runtime.block_on(async {
            for _ in 0..2_000 {
                match kind.as_str() {
                    "generated" => {
                        black_box(client.delete_user_from_chat(452, 10).await.expect("done"));
                    }
                    _ => {
                        black_box(by_hand(&http, &url).await);
                    }
                }
            }
        });
        return;
    }
    paired("limits' books kept", &runtime, &client, &http, &url);
    let unlimited = Client::webhook(&webhook)
        .and_then(|client| {
            client.with_config(Config {
                rate_limit: Limit::Off,
                operating_budget: Limit::Off,
                ..Config::default()
            })
        })
        .expect("a client");
    paired("limits off", &runtime, &unlimited, &http, &url);

    let mut group = c.benchmark_group("delete_user_from_chat");
    group.sample_size(50);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("generated_client", |b| {
        b.to_async(&runtime).iter(|| async {
            black_box(client.delete_user_from_chat(452, 10).await.expect("done"))
        })
    });
    group.bench_function("handwritten_reqwest", |b| {
        b.to_async(&runtime)
            .iter(|| async { black_box(by_hand(&http, &url).await) })
    });
    group.finish();
}

/// The two calls in turn, each timed alone, so that both see the same load on a shared
/// machine (criterion measures one, then the other); prints the medians and their ratio.
fn paired(
    label: &str,
    runtime: &tokio::runtime::Runtime,
    client: &Client,
    http: &reqwest::Client,
    url: &str,
) {
    const ROUNDS: usize = 10_000;
    let mut generated = Vec::with_capacity(ROUNDS);
    let mut handwritten = Vec::with_capacity(ROUNDS);
    runtime.block_on(async {
        for round in 0..ROUNDS {
            // Each goes first every other round.
            for which in [round % 2, 1 - round % 2] {
                let start = Instant::now();
                if which == 0 {
                    black_box(client.delete_user_from_chat(452, 10).await.expect("done"));
                    generated.push(start.elapsed());
                } else {
                    black_box(by_hand(http, url).await);
                    handwritten.push(start.elapsed());
                }
            }
        }
    });
    let median = |times: &mut Vec<Duration>| {
        times.sort();
        times[times.len() / 2].as_secs_f64() * 1e6
    };
    let (generated, handwritten) = (median(&mut generated), median(&mut handwritten));
    println!(
        "paired, {ROUNDS} rounds, {label}: generated client median {generated:.1} µs, hand-written \
         reqwest median {handwritten:.1} µs: the generated client takes {:+.1}%",
        (generated / handwritten - 1.0) * 100.0
    );
}

criterion_group!(benches, call);
criterion_main!(benches);
