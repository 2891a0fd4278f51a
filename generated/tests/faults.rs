//! The fault table: each case runs against the emulator through the client and through the
//! `oint` process, with the error variant or exit code it must give, the number of attempts it
//! must make, and the check that no secret shows anywhere.

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use oint::bitrix24::{Answer, Client, Config, Error, Event};
use oint::testing::{Emulator, EmulatorConfig, Fault};

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
    assert!(cases.len() >= 15);
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
