//! The fault table: each case runs against the emulator through the client and through the
//! `oint` process, with the error variant or exit code it must give, the number of attempts it
//! must make, and the check that no secret shows anywhere.

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use oint::bitrix24::{Answer, Client, Config, Error, Event, Limit};
use oint_emulator::bitrix24::{Emulator, EmulatorConfig, Fault};

#[derive(Clone, Copy, PartialEq)]
enum Auth {
    Webhook,
    Token,
    WrongSecret,
    UnknownToken,
    ExpiredToken,
    /// The caller is a member but not the owner of the chat.
    MemberWebhook,
}

#[derive(Clone, Copy, PartialEq)]
enum Call {
    /// `DeleteUserFromChat`: a write, not safe to repeat.
    Delete,
    /// `GetChatUsers`: a read, safe to repeat.
    List,
}

struct Case {
    name: &'static str,
    call: Call,
    auth: Auth,
    /// Faults to inject before the call.
    faults: Vec<(Fault, usize)>,
    bucket: Option<EmulatorConfig>,
    /// A chat ID to send instead of the real one.
    chat: Option<&'static str>,
    /// Where the URL points instead of the emulator.
    url: Option<&'static str>,
    /// The request timeout, in seconds.
    timeout: f64,
    /// What the client must give: see `label`.
    outcome: &'static str,
    exit: i32,
    attempts: u32,
}

fn case(name: &'static str, call: Call, outcome: &'static str, exit: i32, attempts: u32) -> Case {
    Case {
        name,
        call,
        auth: Auth::Webhook,
        faults: Vec::new(),
        bucket: None,
        chat: None,
        url: None,
        timeout: 10.0,
        outcome,
        exit,
        attempts,
    }
}

impl Case {
    fn auth(mut self, auth: Auth) -> Case {
        self.auth = auth;
        self
    }
    fn fault(mut self, fault: Fault, times: usize) -> Case {
        if let Fault::Delay(_) = fault {
            self.timeout = 0.5;
        }
        self.faults.push((fault, times));
        self
    }
}

fn cases() -> Vec<Case> {
    use Call::{Delete, List};
    let oversized = 33 * 1024 * 1024;
    vec![
        case("webhook call", Delete, "ok", 0, 1),
        case("OAuth call", Delete, "ok", 0, 1).auth(Auth::Token),
        case(
            "wrong webhook secret",
            Delete,
            "api 401 INVALID_CREDENTIALS",
            1,
            1,
        )
        .auth(Auth::WrongSecret),
        case("unknown token", Delete, "api 401 NO_AUTH_FOUND", 1, 1).auth(Auth::UnknownToken),
        case("expired token", Delete, "token expired", 7, 1).auth(Auth::ExpiredToken),
        Case {
            chat: Some(""),
            ..case("empty chat ID", Delete, "api 400 CHAT_ID_EMPTY", 1, 1)
        },
        case(
            "removing from a chat one may not manage",
            Delete,
            "api 400 WRONG_REQUEST",
            1,
            1,
        )
        .auth(Auth::MemberWebhook),
        case("query limit once", Delete, "ok", 0, 2).fault(Fault::query_limit(), 1),
        case(
            "query limit on every attempt",
            Delete,
            "rate limited QUERY_LIMIT_EXCEEDED",
            6,
            5,
        )
        .fault(Fault::query_limit(), 10),
        // A block that only Bitrix24's support lifts: an API error, not a limit to wait out.
        case(
            "overload is not retried",
            Delete,
            "api 503 OVERLOAD_LIMIT",
            1,
            1,
        )
        .fault(Fault::overload(), 1),
        case(
            "overload is not retried on a read either",
            List,
            "api 503 OVERLOAD_LIMIT",
            1,
            1,
        )
        .fault(Fault::overload(), 5),
        Case {
            bucket: Some(EmulatorConfig {
                burst: 0.0,
                drain_per_second: 0.0,
                ..EmulatorConfig::default()
            }),
            ..case(
                "leaky bucket full",
                List,
                "rate limited QUERY_LIMIT_EXCEEDED",
                6,
                5,
            )
        },
        case("operation time limit", Delete, "operation time limit", 6, 1)
            .fault(Fault::operation_time_limit(), 1),
        case(
            "HTML 500 page on a write",
            Delete,
            "invalid answer 500",
            4,
            1,
        )
        .fault(Fault::HtmlPage, 1),
        case("HTML 500 page on a read, once", List, "ok", 0, 2).fault(Fault::HtmlPage, 1),
        case(
            "internal error on a write",
            Delete,
            "api 500 INTERNAL_SERVER_ERROR",
            1,
            1,
        )
        .fault(Fault::internal_error(), 1),
        case(
            "internal error on a read, every attempt",
            List,
            "api 500 INTERNAL_SERVER_ERROR",
            1,
            5,
        )
        .fault(Fault::internal_error(), 10),
        case("timeout on a write", Delete, "transport Timeout", 3, 1)
            .fault(Fault::Delay(Duration::from_secs(3)), 1),
        case("timeout on a read, once", List, "ok", 0, 2)
            .fault(Fault::Delay(Duration::from_secs(3)), 1),
        case(
            "connection reset on a write",
            Delete,
            "transport Lost",
            3,
            1,
        )
        .fault(Fault::Reset, 1),
        case("connection reset on a read, once", List, "ok", 0, 2).fault(Fault::Reset, 1),
        case("truncated JSON", Delete, "invalid answer 200", 4, 1).fault(Fault::TruncatedJson, 1),
        case("oversized answer", List, "invalid answer 200", 4, 1)
            .fault(Fault::Oversized(oversized), 1),
        case(
            "redirect to another host",
            Delete,
            "invalid answer 302",
            4,
            1,
        )
        .auth(Auth::Token)
        .fault(
            Fault::RedirectTo("http://127.0.0.2:9/rest/im.chat.user.delete".into()),
            1,
        ),
        Case {
            url: Some("http://127.0.0.1:1/rest/1/k3y5ecr3tw3bh00k/"),
            ..case("nothing listening", Delete, "transport Connect", 3, 5)
        },
        Case {
            url: Some("http://portal.bitrix24.by/"),
            ..case("plain http to a remote host", Delete, "invalid input", 2, 0).auth(Auth::Token)
        },
    ]
}

/// The outcome as a short label.
fn label(result: &Result<serde_json::Value, Error>) -> String {
    match result {
        Ok(_) => "ok".into(),
        Err(Error::Api { status, code, .. }) => format!("api {status} {code}"),
        Err(Error::TokenExpired { .. }) => "token expired".into(),
        Err(Error::RateLimited { code, .. }) => format!("rate limited {code}"),
        Err(Error::OperationTimeLimit { reset_at, .. }) => {
            assert!(reset_at.is_some(), "the reset time is read from the answer");
            "operation time limit".into()
        }
        Err(Error::Transport { kind, .. }) => format!("transport {kind:?}"),
        Err(Error::InvalidAnswer { status, .. }) => format!("invalid answer {status}"),
        Err(Error::InvalidInput(_)) => "invalid input".into(),
        Err(other) => format!("{other:?}"),
    }
}

/// A portal with an owner, a member and a chat of the two, and the case's credentials.
struct Setup {
    portal: Emulator,
    /// Secrets that must not show: the webhook's and the token.
    secrets: Vec<String>,
    url: String,
    token: Option<String>,
    chat: String,
    user: String,
}

async fn setup(case: &Case) -> Setup {
    let portal = Emulator::start_with(case.bucket.clone().unwrap_or_default(), 0)
        .await
        .unwrap();
    let owner = portal.add_user();
    let member = portal.add_user();
    let other = portal.add_user();
    let chat = portal.create_chat(owner, "Team", &[member, other]);
    let webhook = portal.webhook_url(owner);
    let issued = portal.issue_token(owner);
    let secret = webhook
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let (url, token) = match case.auth {
        Auth::Webhook => (webhook, None),
        Auth::Token => (portal.url(), Some(issued.clone())),
        Auth::WrongSecret => (webhook.replace(&secret, "wrongsecretvalue"), None),
        Auth::UnknownToken => (portal.url(), Some("unknownt0kenvalue1234".to_owned())),
        Auth::ExpiredToken => {
            portal.expire_token(&issued);
            (portal.url(), Some(issued.clone()))
        }
        Auth::MemberWebhook => (portal.webhook_url(member), None),
    };
    let mut secrets = vec![secret, issued, "k3y5ecr3tw3bh00k".to_owned()];
    if case.auth == Auth::MemberWebhook {
        secrets.push(
            url.trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned(),
        );
    }
    for (fault, times) in &case.faults {
        portal.inject(fault.clone(), *times);
    }
    Setup {
        url: case.url.map_or(url, str::to_owned),
        token: if case.url == Some("http://portal.bitrix24.by/") {
            Some(secrets[1].clone())
        } else {
            token
        },
        secrets,
        chat: case.chat.map_or(chat.to_string(), str::to_owned),
        user: other.to_string(),
        portal,
    }
}

fn test_config(case: &Case) -> Config {
    Config {
        request_timeout: Duration::from_secs_f64(case.timeout),
        backoff_base: Duration::from_millis(1),
        ..Config::default()
    }
}

fn assert_no_secret(case: &Case, secrets: &[String], text: &str) {
    for secret in secrets {
        assert!(
            !text.contains(secret.as_str()),
            "{}: a secret leaked: {text}",
            case.name
        );
    }
}

async fn through_client(case: &Case) {
    let setup = setup(case).await;
    let attempts = Arc::new(AtomicU32::new(0));
    let result = async {
        let counted = Arc::clone(&attempts);
        let client = Client::new(&setup.url, setup.token.as_deref())?
            .with_config(test_config(case))?
            .observe(move |event| {
                if let Event::Request { .. } = event {
                    counted.fetch_add(1, Ordering::SeqCst);
                }
            });
        match case.call {
            Call::Delete => client
                .delete_user_from_chat(&setup.chat, &setup.user)
                .await
                .map(Answer::into_raw),
            Call::List => client
                .get_chat_users(&setup.chat)
                .await
                .map(Answer::into_raw),
        }
    }
    .await;
    assert_eq!(label(&result), case.outcome, "{}: client", case.name);
    assert_eq!(
        attempts.load(Ordering::SeqCst),
        case.attempts,
        "{}: client attempts",
        case.name
    );
    if case.url.is_none() {
        assert_eq!(
            setup.portal.request_count(),
            case.attempts as usize,
            "{}: requests the emulator received",
            case.name
        );
    }
    if let Err(error) = &result {
        assert_no_secret(case, &setup.secrets, &format!("{error} {error:?}"));
        assert!(!error.to_string().is_empty());
    }
}

async fn through_cli(case: &Case) {
    let setup = setup(case).await;
    let mut args: Vec<String> = vec!["bitrix24".into()];
    match case.call {
        Call::Delete => args.extend([
            "DeleteUserFromChat".into(),
            "--chat".into(),
            setup.chat.clone(),
            "--user".into(),
            setup.user.clone(),
        ]),
        Call::List => args.extend(["GetChatUsers".into(), "--chat".into(), setup.chat.clone()]),
    }
    args.extend(["--url".into(), setup.url.clone()]);
    if let Some(token) = &setup.token {
        args.extend(["--token".into(), token.clone()]);
    }
    args.extend([
        "--debug".into(),
        "--timeout".into(),
        case.timeout.to_string(),
        "--retry-wait".into(),
        "1".into(),
    ]);
    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_oint"))
            .args(&args)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert_eq!(
        output.status.code(),
        Some(case.exit),
        "{}: exit code; stderr: {stderr}",
        case.name
    );
    let attempts = stderr.matches("debug: attempt ").count() as u32;
    assert_eq!(
        attempts, case.attempts,
        "{}: CLI attempts; stderr: {stderr}",
        case.name
    );
    if case.url.is_none() {
        assert_eq!(
            setup.portal.request_count(),
            case.attempts as usize,
            "{}: CLI requests",
            case.name
        );
    }
    if case.exit == 0 {
        let answer: serde_json::Value = serde_json::from_str(&stdout).expect("the answer is JSON");
        assert!(answer.get("result").is_some());
    } else {
        assert_eq!(stdout, "", "{}: nothing on stdout on failure", case.name);
        assert!(stderr.contains("error: "), "{}: {stderr}", case.name);
    }
    assert_no_secret(case, &setup.secrets, &stdout);
    assert_no_secret(case, &setup.secrets, &stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_table() {
    let cases = cases();
    for case in &cases {
        through_client(case).await;
        through_cli(case).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_is_not_followed() {
    let portal = Emulator::start().await.unwrap();
    let elsewhere = Emulator::start().await.unwrap();
    let owner = portal.add_user();
    let token = portal.issue_token(owner);
    portal.inject(
        Fault::RedirectTo(format!("{}/rest/im.chat.user.list", elsewhere.url())),
        1,
    );
    let client = Client::oauth(&portal.url(), &token).unwrap();
    let error = client.get_chat_users(1).await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("redirect to 127.0.0.1, which is not followed"),
        "{error}"
    );
    assert_eq!(
        elsewhere.request_count(),
        0,
        "the token never reaches the other host"
    );
}

/// Runs `oint` with `args` as a process.
async fn run_oint(args: Vec<String>) -> std::process::Output {
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_oint"))
            .args(&args)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| (*a).to_owned()).collect()
}

/// A server (or a proxy) that repeats the request in its error: the webhook's secret (in the
/// path) and the token (in the body) are masked in the error, its `Debug` and `--debug`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_echoes_the_request_shows_no_secret() {
    let portal = Emulator::start().await.unwrap();
    let owner = portal.add_user();
    let webhook = portal.webhook_url(owner);
    let token = portal.issue_token(owner);
    let secret = webhook
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();

    for (url, given) in [(webhook.clone(), None), (portal.url(), Some(token.clone()))] {
        portal.inject(Fault::EchoRequest, 1);
        let error = Client::new(&url, given.as_deref())
            .unwrap()
            .server_time()
            .await
            .unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(shown.contains("***"), "the echo is there, masked: {shown}");
        for leaked in [&secret, &token] {
            assert!(!shown.contains(leaked.as_str()), "{shown}");
        }

        // The error of one call of a batch, read out of the batch's answer.
        portal.inject_for(
            "batch",
            Fault::Answer(serde_json::json!({"result": {
                "result": {},
                "result_error": {"c0": {
                    "error": "ERROR_ECHO",
                    "error_description": format!("auth={token} path={secret}"),
                }},
            }})),
            1,
        );
        let client = Client::new(&url, given.as_deref()).unwrap();
        let mut batch = client.batch();
        let key = batch.add(client.server_time());
        let error = batch.send().await.take(key).unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(
            shown.contains("ERROR_ECHO") && shown.contains("***"),
            "{shown}"
        );
        // The client's own credential (the other is not its to know).
        let own = if given.is_some() { &token } else { &secret };
        assert!(!shown.contains(own.as_str()), "{shown}");

        portal.inject(Fault::EchoRequest, 1);
        let mut args = strings(&[
            "bitrix24",
            "GetChatUsers",
            "--chat",
            "1",
            "--debug",
            "--url",
        ]);
        args.push(url.clone());
        if let Some(given) = &given {
            args.extend(["--token".to_owned(), given.clone()]);
        }
        let output = run_oint(args).await;
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("ERROR_ECHO") && stderr.contains("***"),
            "{stderr}"
        );
        for leaked in [&secret, &token] {
            assert!(!stderr.contains(leaked.as_str()), "{stderr}");
        }
    }
}

/// ESC, BEL, CR and a right-to-left override from a server reach the terminal as escapes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_characters_from_a_server_are_escaped() {
    let portal = Emulator::start().await.unwrap();
    let owner = portal.add_user();
    portal.inject(
        Fault::error(
            400,
            "BAD\u{1b}[2J",
            "\u{1b}]0;owned\u{7}done\rfake \u{202e}gpj.exe",
        ),
        1,
    );
    let output = run_oint(vec![
        "bitrix24".into(),
        "GetChatUsers".into(),
        "--chat".into(),
        "1".into(),
        "--url".into(),
        portal.webhook_url(owner),
    ])
    .await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        !stderr.contains(['\u{1b}', '\u{7}', '\r', '\u{202e}']),
        "{stderr:?}"
    );
    assert!(
        stderr.contains(r"BAD\u{1b}[2J")
            && stderr.contains(r"\u{1b}]0;owned\u{7}done\u{d}fake \u{202e}gpj.exe"),
        "{stderr}"
    );
}

/// A loopback server that answers every connection with `answer`, whatever was asked.
fn raw_server(answer: Vec<u8>) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let answer = answer.clone();
            std::thread::spawn(move || {
                stream
                    .set_read_timeout(Some(Duration::from_millis(200)))
                    .unwrap();
                let mut request = Vec::new();
                let mut buffer = [0; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buffer) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let _ = stream.write_all(&answer);
            });
        }
    });
    format!("http://{address}/rest/1/r4wsecr3tva1ue/")
}

/// An answer that is not HTTP is an invalid answer (exit 4), not a lost connection (exit 3):
/// a server did answer. An answer that breaks off is still a lost connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_that_is_not_http_is_an_invalid_answer() {
    let huge = format!(
        "HTTP/1.1 200 OK\r\nX-Padding: {}\r\n\r\n",
        "a".repeat(1024 * 1024)
    );
    let cases: Vec<(&str, Vec<u8>, &str, i32)> = vec![
        (
            "not HTTP at all",
            b"SSH-2.0-OpenSSH_9.6\r\n".to_vec(),
            "invalid answer 0",
            4,
        ),
        (
            "a Content-Length that is not a number",
            b"HTTP/1.1 200 OK\r\nContent-Length: many\r\n\r\n{}".to_vec(),
            "invalid answer 0",
            4,
        ),
        (
            "a status that is not a status",
            b"HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\n{}".to_vec(),
            "invalid answer 0",
            4,
        ),
        (
            "headers too large",
            huge.into_bytes(),
            "invalid answer 0",
            4,
        ),
        (
            "a body shorter than its Content-Length",
            b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"result\"".to_vec(),
            "transport Lost",
            3,
        ),
    ];
    for (name, answer, outcome, exit) in cases {
        let url = raw_server(answer);
        let result = Client::webhook(&url)
            .unwrap()
            .with_config(Config {
                max_attempts: 1,
                ..Config::default()
            })
            .unwrap()
            .delete_user_from_chat(1, 2)
            .await
            .map(Answer::into_raw);
        assert_eq!(label(&result), outcome, "{name}: client");
        let shown = result.unwrap_err().to_string();
        assert!(!shown.contains("r4wsecr3tva1ue"), "{name}: {shown}");

        let output = run_oint(vec![
            "bitrix24".into(),
            "DeleteUserFromChat".into(),
            "--chat".into(),
            "1".into(),
            "--user".into(),
            "2".into(),
            "--url".into(),
            url,
        ])
        .await;
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(exit), "{name}: {stderr}");
        if exit == 4 {
            assert!(
                stderr.contains("answered something that is not HTTP"),
                "{name}: {stderr}"
            );
        }
    }
}

/// Resident memory of this process, in KiB (Linux; 0 elsewhere).
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|statm| statm.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4)
}

/// The chaos soak: many tasks at once call through one renewing OAuth client while the
/// emulator answers at random with resets, delays past the timeout, 500s, 503s, truncated JSON
/// and HTML pages, and expires the token at random. Every call ends, well within its deadline,
/// in a success or a typed error; no write that is not safe to repeat is applied twice; no
/// error shows a secret; memory stays flat. `OINT_SOAK_CALLS` sets the size (CI: 5,000; the
/// long run in the README: 100,000).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chaos_soak() {
    use oint::bitrix24::{App, Tokens};
    use oint_emulator::bitrix24::{Chaos, Entity};
    use std::collections::{BTreeMap, HashMap, HashSet};
    use std::sync::Mutex;

    let calls: usize = std::env::var("OINT_SOAK_CALLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5_000);
    let workers = 32;
    let timeout = Duration::from_millis(300);
    let portal = Emulator::start_with(
        EmulatorConfig {
            burst: 1e9,
            drain_per_second: 1e9,
            ..EmulatorConfig::default()
        },
        0,
    )
    .await
    .unwrap();
    let user = portal.add_user();
    let existing: Vec<u64> = (0..20)
        .map(|i| {
            portal.insert(
                Entity::Task,
                serde_json::json!({"TITLE": format!("seed {i}")}),
            )
        })
        .collect();
    portal.register_app("local.soak", "soak-app-secret");
    let code = portal.authorization_code(user, "local.soak");
    let first = Client::without_portal()
        .unwrap()
        .with_server_url("oauth", &portal.url())
        .unwrap()
        .get_token("local.soak", "soak-app-secret", code)
        .await
        .unwrap()
        .result;
    let text = |key: &str| first[key].as_str().unwrap().to_owned();
    // Every token ever issued: none may show.
    let secrets: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(vec![
        "soak-app-secret".into(),
        text("access_token"),
        text("refresh_token"),
    ]));
    let issued = Arc::clone(&secrets);
    let client = Client::oauth_renewing(
        &portal.url(),
        Tokens {
            access_token: text("access_token"),
            refresh_token: text("refresh_token"),
        },
        App {
            client_id: "local.soak".into(),
            client_secret: "soak-app-secret".into(),
        },
    )
    .unwrap()
    .with_server_url("oauth", &portal.url())
    .unwrap()
    .with_config(Config {
        request_timeout: timeout,
        backoff_base: Duration::from_millis(1),
        backoff_max: Duration::from_millis(20),
        rate_limit: Limit::Off,
        ..Config::default()
    })
    .unwrap()
    .on_tokens(move |tokens| {
        let mut issued = issued.lock().unwrap();
        issued.push(tokens.access_token.clone());
        issued.push(tokens.refresh_token.clone());
    });
    portal.chaos(Chaos {
        rate: 0.2,
        faults: vec![
            Fault::Reset,
            Fault::Delay(timeout * 2),
            Fault::internal_error(),
            Fault::query_limit(),
            Fault::TruncatedJson,
            Fault::HtmlPage,
        ],
        expiry_rate: 0.01,
        seed: 24,
    });

    // Deadline of one call: every attempt timing out, every wait at its longest, a renewal.
    let deadline = (timeout + Duration::from_millis(20)) * 5 * 2 + Duration::from_secs(5);
    let next = Arc::new(AtomicU32::new(0));
    let outcomes: Arc<Mutex<BTreeMap<String, usize>>> = Arc::default();
    let written: Arc<Mutex<HashSet<String>>> = Arc::default();
    let shown: Arc<Mutex<HashSet<String>>> = Arc::default();
    let warm_rss = Arc::new(AtomicU32::new(0));
    let run = (0..workers).map(|_| {
        let (client, next, outcomes) = (client.clone(), Arc::clone(&next), Arc::clone(&outcomes));
        let (written, shown, warm_rss) = (
            Arc::clone(&written),
            Arc::clone(&shown),
            Arc::clone(&warm_rss),
        );
        let existing = existing.clone();
        tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::SeqCst) as usize;
                if n >= calls {
                    return;
                }
                if n == calls / 2 {
                    warm_rss.store(rss_kib() as u32, Ordering::SeqCst);
                }
                let title = format!("soak {n}");
                let call = async {
                    if n % 5 < 2 {
                        client
                            .create_task(serde_json::json!({"TITLE": title}))
                            .await
                            .map(|_| ())
                    } else {
                        client
                            .get_task(existing[n % existing.len()])
                            .await
                            .map(|_| ())
                    }
                };
                let result = tokio::time::timeout(deadline, call)
                    .await
                    .unwrap_or_else(|_| panic!("call {n} ran past its deadline of {deadline:?}"));
                let label = match &result {
                    Ok(()) => {
                        if n % 5 < 2 {
                            written.lock().unwrap().insert(title);
                        }
                        "ok".to_owned()
                    }
                    Err(Error::Transport { kind, .. }) => format!("transport {kind:?}"),
                    Err(Error::InvalidAnswer { status, .. }) => format!("invalid answer {status}"),
                    Err(Error::Api { code, .. }) => format!("api {code}"),
                    Err(Error::RateLimited { .. }) => "rate limited".into(),
                    Err(Error::TokenExpired { .. }) => "token expired".into(),
                    Err(other) => panic!("call {n}: an error the soak does not expect: {other:?}"),
                };
                if let Err(error) = &result {
                    shown.lock().unwrap().insert(format!("{error} {error:?}"));
                }
                *outcomes.lock().unwrap().entry(label).or_default() += 1;
            }
        })
    });
    // The sweeper counts the tasks the soak made and takes them out of the portal as they
    // come, so that the portal's own memory stays flat too and what is measured is the
    // client's. IDs are given in order: it walks them up to the first not given yet.
    let titles: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let mut sweep = {
        let (titles, mut swept) = (Arc::clone(&titles), existing.len() as u64);
        move |portal: &Emulator| {
            while let Some(record) = portal.record(Entity::Task, swept + 1) {
                swept += 1;
                let title = record["TITLE"].as_str().unwrap_or_default().to_owned();
                *titles.lock().unwrap().entry(title).or_default() += 1;
                portal.remove(Entity::Task, swept);
            }
        }
    };
    let started = std::time::Instant::now();
    let running: Vec<_> = run.collect();
    while !running.iter().all(|worker| worker.is_finished()) {
        sweep(&portal);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for worker in running {
        worker.await.unwrap();
    }
    sweep(&portal);
    let elapsed = started.elapsed();
    let end_rss = rss_kib();

    // No secret in anything an error shows. At a fifth of the requests faulty and one in a
    // hundred expiring the token, over thousands, errors and renewals are certain: the checks
    // below look at something.
    let secrets = secrets.lock().unwrap().clone();
    let shown = shown.lock().unwrap().clone();
    assert!(
        !shown.is_empty(),
        "no call failed: the chaos did not happen"
    );
    assert!(secrets.len() > 3, "the token was never renewed");
    for text in shown.iter() {
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "a secret shows: {text}");
        }
    }
    // Each task the soak wrote is there at most once; each write that succeeded, exactly once.
    let titles = titles.lock().unwrap().clone();
    assert_eq!(
        portal.count(Entity::Task),
        existing.len(),
        "every made task was swept"
    );
    let twice: Vec<_> = titles.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "writes applied twice: {twice:?}");
    for title in written.lock().unwrap().iter() {
        assert_eq!(
            titles.get(title),
            Some(&1),
            "{title} succeeded but is not there once"
        );
    }
    let outcomes = outcomes.lock().unwrap().clone();
    assert_eq!(outcomes.values().sum::<usize>(), calls);
    let requests = portal.request_count();
    assert!(requests > calls, "no call was retried: {requests} requests");
    let warm = u64::from(warm_rss.load(Ordering::SeqCst));
    eprintln!(
        "chaos soak: {calls} calls from {workers} tasks in {elapsed:.1?}, {requests} requests, \
         {} renewals; outcomes {outcomes:?}; RSS {warm} KiB at half-way, {end_rss} KiB at the end",
        secrets.len() / 2 - 1
    );
    assert!(
        outcomes.get("ok").copied().unwrap_or(0) > calls / 2,
        "most calls succeed after their retries: {outcomes:?}"
    );
    // Flat: what the process holds does not grow with the calls of the second half (with room
    // for the allocator's moods; a leak of a few hundred bytes a call would pass it at 2,000
    // calls, not at 20,000).
    if warm > 0 {
        assert!(
            end_rss < warm + 8 * 1024,
            "memory grew from {warm} KiB to {end_rss} KiB"
        );
    }
}

/// The README's promises, as a table: every row of its exit-code table and every variant of
/// its error table, produced through `oint` as a process. `NotDone` comes only from
/// `Client::batch`, which the CLI never makes: the README says so, and `flow.rs` produces it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_promises_hold_through_the_cli() {
    let readme = include_str!("../../README.md");
    let portal = Emulator::start().await.unwrap();
    let owner = portal.add_user();
    let guest = portal.add_user();
    let webhook = portal.webhook_url(owner);
    let chat = portal.create_chat(owner, "Team", &[guest]).to_string();
    let dir = tempfile::tempdir().unwrap();
    let read_only = dir.path().join("answer.json");
    std::fs::write(&read_only, "").unwrap();
    let mut permissions = std::fs::metadata(&read_only).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&read_only, permissions).unwrap();
    let expired = portal.issue_token(owner);
    portal.expire_token(&expired);

    let call = |url: &str, extra: &[&str]| {
        let mut args = strings(&["bitrix24", "GetChatUsers", "--chat", &chat, "--url", url]);
        args.extend(strings(extra));
        args
    };
    // (README row: exit code or variant, fault to inject first, arguments, exit, stderr says)
    type Row<'a> = (&'a str, Option<Fault>, Vec<String>, i32, &'a str);
    let rows: Vec<Row> = vec![
        ("0", None, call(&webhook, &[]), 0, ""),
        (
            "1",
            Some(Fault::error(400, "CHAT_ID_EMPTY", "Chat ID can't be empty")),
            call(&webhook, &[]),
            1,
            "Bitrix24 error CHAT_ID_EMPTY (HTTP 400): Chat ID can't be empty",
        ),
        (
            "2",
            None,
            strings(&[
                "bitrix24",
                "DeleteUserFromChat",
                "--url",
                &webhook,
                "--chat",
                "1",
            ]),
            2,
            "the following required arguments were not provided",
        ),
        (
            "InvalidInput",
            None,
            call("http://portal.bitrix24.by/", &["--token", "t0ken"]),
            2,
            "invalid input",
        ),
        (
            "3",
            None,
            call("http://127.0.0.1:1/rest/1/s3cret/", &["--attempts", "1"]),
            3,
            "cannot reach Bitrix24 (no connection)",
        ),
        (
            "4",
            Some(Fault::HtmlPage),
            call(&webhook, &["--attempts", "1"]),
            4,
            "Bitrix24 answered HTTP 500 with",
        ),
        (
            "5",
            None,
            call(&webhook, &["--out", read_only.to_str().unwrap()]),
            5,
            "the file is read-only",
        ),
        (
            "6",
            Some(Fault::query_limit()),
            call(&webhook, &["--attempts", "1"]),
            6,
            "Bitrix24 is limiting requests (QUERY_LIMIT_EXCEEDED)",
        ),
        (
            "OperationTimeLimit",
            Some(Fault::operation_time_limit()),
            call(&webhook, &[]),
            6,
            "OPERATION_TIME_LIMIT",
        ),
        (
            "7",
            None,
            call(&portal.url(), &["--token", &expired]),
            7,
            "the access token has expired",
        ),
        (
            "UnexpectedResult",
            Some(Fault::Answer(serde_json::json!({"result": "not the list"}))),
            call(&webhook, &[]),
            0,
            "warning: the call succeeded, but its result is not",
        ),
    ];
    let variants = [
        ("Api", "1"),
        ("TokenExpired", "7"),
        ("RateLimited", "6"),
        ("Transport", "3"),
        ("InvalidAnswer", "4"),
    ];
    let mut covered = std::collections::HashSet::new();
    for (row, fault, args, exit, says) in rows {
        if let Some(fault) = fault {
            portal.inject(fault, 1);
        }
        let output = run_oint(args).await;
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(exit), "{row}: {stderr}");
        if says.is_empty() {
            // Success: the answer on stdout, nothing on stderr.
            let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
            assert!(printed.get("result").is_some(), "{row}: {printed}");
            assert!(stderr.is_empty(), "{row}: {stderr}");
        } else {
            assert!(stderr.contains(says), "{row}: {stderr}");
        }
        covered.insert(row.to_owned());
    }
    for (variant, code) in variants {
        if covered.contains(code) {
            covered.insert(variant.to_owned());
        }
    }
    assert!(
        readme.contains("| `NotDone { reason }` |") && readme.contains("never through the CLI"),
        "the README says where NotDone comes from"
    );
    covered.insert("NotDone".to_owned());

    // Every row of the README's two tables has its case.
    let mut rows = Vec::new();
    for line in readme.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 3 {
            continue;
        }
        let first = cells[1];
        if first.len() == 1 && first.chars().all(|c| c.is_ascii_digit()) {
            rows.push(first.to_owned());
        } else if let Some(variant) = first.strip_prefix('`') {
            let name: String = variant
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            if readme.contains("### Errors")
                && !name.is_empty()
                && name.chars().next().unwrap().is_uppercase()
            {
                rows.push(name);
            }
        }
    }
    for expected in ["0", "7", "Api", "NotDone", "InvalidInput"] {
        assert!(
            rows.contains(&expected.to_owned()),
            "the README's tables are read: {rows:?}"
        );
    }
    let missing: Vec<_> = rows.iter().filter(|row| !covered.contains(*row)).collect();
    assert!(
        missing.is_empty(),
        "README rows without a case: {missing:?}"
    );
}
