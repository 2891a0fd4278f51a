//! The runtime follows a library's declared conventions, not one service's: a library shaped
//! like a bot API (the token in the address's path, `ok`/`error_code` answers, a rate limit that
//! says how long to wait, objects as JSON in a query string), declared here as the generated
//! code declares one, called over loopback.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use oint_runtime::{
    Address, Answer, AuthMode, Call, Client, Connection, ConnectionParam, Credential,
    CredentialPlace, Download, Error, Errors, Event, Http, Library, Limits, Means, QueryForm,
    Signal, Wire,
};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "6129457865:AAFyzNYOAFbu";

/// Answers with their result under `result`, objects as JSON in a query string; no batch.
const JSON_IN_THE_QUERY: Wire = Wire {
    result: "result",
    query: QueryForm::Json,
    time: None,
    total: None,
    next: None,
    batch: None,
};

const NO_LIMITS: Limits = Limits {
    rate: None,
    time_budget: None,
};

/// A library of a service shaped like a bot API; `env` names its `OINT_<LIBRARY>_API_URL`.
const fn bot(env: &'static str) -> Library {
    Library::new(
        "Bot",
        "bot",
        Connection {
            params: &[ConnectionParam {
                name: "Token",
                secret: true,
            }],
            modes: &[AuthMode {
                name: "bot",
                when: None,
                address: Address::Fixed("https://api.bot.example/bot{Token}/"),
                credential: None,
                public_segments: None,
                downloads: Some("file/"),
            }],
            api_url_env: env,
        },
        JSON_IN_THE_QUERY,
        Errors {
            code: "error_code",
            description: "description",
            signals: &[Signal {
                code: "429",
                means: Means::RateLimited {
                    retry_after: Some("parameters.retry_after"),
                },
            }],
        },
        NO_LIMITS,
    )
}

static SENDS: Library = bot("OINT_BOT_SENDS_API_URL");
static ERRS: Library = bot("OINT_BOT_ERRS_API_URL");
static WAITS: Library = bot("OINT_BOT_WAITS_API_URL");
static FILES: Library = bot("OINT_BOT_FILES_API_URL");
static BATCHLESS: Library = bot("OINT_BOT_BATCHLESS_API_URL");

/// A client of `library` whose address the library's variable moves to `server`.
fn client(library: &'static Library, server: &MockServer) -> Client {
    // Each test has its own library and variable, so tests running at once do not meet.
    unsafe { std::env::set_var(library.connection.api_url_env, server.uri()) };
    Client::connect(library, "bot", &[("Token", TOKEN)]).unwrap()
}

async fn call(
    client: &Client,
    method: &'static str,
    fields: Vec<(&'static str, Option<Value>)>,
) -> Result<Answer, Error> {
    let call = Call {
        method,
        http: Http::Get,
        fields,
        safe_to_repeat: true,
        ..Call::DEFAULT
    };
    client.pending(Ok(call), Ok).await
}

#[tokio::test]
async fn the_token_goes_in_the_path_and_objects_as_json_in_the_query() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/bot{TOKEN}/sendLocation")))
        .and(query_param("chat_id", "-100123"))
        .and(query_param("reply_markup", r#"{"keyboard":[["A"]]}"#))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ok": true, "result": {"message_id": 7}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let shown = Arc::new(Mutex::new(Vec::new()));
    let seen = shown.clone();
    let client = client(&SENDS, &server).observe(move |event| {
        if let Event::Request { url, .. } = event {
            seen.lock().unwrap().push(url.to_string());
        }
    });
    let answer = call(
        &client,
        "sendLocation",
        vec![
            ("chat_id", Some(json!("-100123"))),
            ("reply_markup", Some(json!({"keyboard": [["A"]]}))),
        ],
    )
    .await
    .unwrap();
    assert_eq!(answer.result, json!({"message_id": 7}));
    // What a log shows has the token cut out of the path.
    let shown = shown.lock().unwrap();
    assert!(
        shown[0].contains("/bot***/sendLocation?chat_id=-100123"),
        "{shown:?}"
    );
    assert!(!shown[0].contains(TOKEN), "{shown:?}");
    assert!(!format!("{client:?}").contains(TOKEN));
}

#[tokio::test]
async fn a_numeric_error_code_is_the_error_and_the_token_stays_hidden() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/bot{TOKEN}/getChat")))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "ok": false,
            "error_code": 400,
            "description": format!("Bad Request: chat not found for bot{TOKEN}")
        })))
        .mount(&server)
        .await;
    let error = call(&client(&ERRS, &server), "getChat", vec![])
        .await
        .unwrap_err();
    match &error {
        Error::Api {
            status,
            code,
            description,
            ..
        } => {
            assert_eq!((*status, code.as_str()), (400, "400"));
            assert_eq!(description, "Bad Request: chat not found for bot***");
        }
        other => panic!("not an API error: {other:?}"),
    }
    assert!(error.to_string().starts_with("Bot error 400"), "{error}");
}

#[tokio::test]
async fn a_rate_limit_waits_as_long_as_the_service_says() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/bot{TOKEN}/getMe")))
        .respond_with(ResponseTemplate::new(429).set_body_json(json!({
            "ok": false,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1}
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/bot{TOKEN}/getMe")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"ok": true, "result": {"id": 1}})),
        )
        .mount(&server)
        .await;
    let waits = Arc::new(Mutex::new(Vec::new()));
    let seen = waits.clone();
    let client = client(&WAITS, &server).observe(move |event| {
        if let Event::Retry { wait, .. } = event {
            seen.lock().unwrap().push(*wait);
        }
    });
    let answer = call(&client, "getMe", vec![]).await.unwrap();
    assert_eq!(answer.result, json!({"id": 1}));
    // The service's wait, not the client's backoff.
    assert_eq!(*waits.lock().unwrap(), [Duration::from_secs(1)]);
}

#[test]
fn a_token_that_would_reshape_the_address_is_refused_unseen() {
    for bad in ["12/34", "a?b", "with space", ""] {
        let error = Client::connect(&SENDS, "bot", &[("Token", bad)]).unwrap_err();
        assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
        assert!(
            bad.is_empty() || !error.to_string().contains(bad),
            "{error}"
        );
    }
    let error = Client::connect(&SENDS, "nope", &[("Token", TOKEN)]).unwrap_err();
    assert!(error.to_string().contains("no mode `nope`"), "{error}");
}

#[tokio::test]
async fn a_file_the_answer_names_is_read_under_the_address_of_files() {
    let server = MockServer::start().await;
    // The first answer names no file yet; the second does.
    Mock::given(path(format!("/bot{TOKEN}/getFile")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ok": true, "result": {"file_id": "F"}})),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path(format!("/bot{TOKEN}/getFile")))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"ok": true, "result": {"file_id": "F", "file_path": "music/file_0.mp3"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/file/bot{TOKEN}/music/file_0.mp3")))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"ID3 bytes".to_vec()))
        .expect(1)
        .mount(&server)
        .await;
    let shown = Arc::new(Mutex::new(Vec::new()));
    let seen = shown.clone();
    let client = client(&FILES, &server).observe(move |event| {
        if let Event::Request { url, .. } = event {
            seen.lock().unwrap().push(url.to_string());
        }
    });
    let read = |path: &'static str| Call {
        method: "getFile",
        http: Http::Get,
        fields: vec![("file_id", Some(json!("F")))],
        safe_to_repeat: true,
        download: Some(Download { path, repeats: 1 }),
        ..Call::DEFAULT
    };
    let bytes = client
        .pending(Ok(read("file_path")), Answer::into_file)
        .await
        .unwrap();
    assert_eq!(bytes, b"ID3 bytes");
    let shown = shown.lock().unwrap().clone();
    assert_eq!(shown.len(), 3, "{shown:?}");
    assert!(
        shown[2].ends_with("/file/bot***/music/file_0.mp3"),
        "{shown:?}"
    );
    assert!(!shown.concat().contains(TOKEN));

    // An answer that names a path outside the address of files is not followed.
    server.reset().await;
    Mock::given(path(format!("/bot{TOKEN}/getFile")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"ok": true, "result": {"file_path": "../../bot{TOKEN}/getMe"}}),
            ),
        )
        .mount(&server)
        .await;
    let error = client
        .pending(Ok(read("file_path")), Answer::into_file)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidAnswer { .. }), "{error}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// A library that declares no batch sends none: each call of a batch ends `NotDone`, saying why,
/// and nothing reaches the service.
#[tokio::test]
async fn a_library_without_a_batch_sends_none_and_says_why() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true, "result": {}})))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&BATCHLESS, &server);
    let call = Call {
        method: "getMe",
        http: Http::Get,
        ..Call::DEFAULT
    };
    let mut batch = client.batch();
    let key = batch.add(client.pending(Ok(call), Ok));
    let mut results = batch.send().await;
    let error = results.take(key).unwrap_err();
    assert!(matches!(error, Error::NotDone { .. }), "{error:?}");
    assert!(error.to_string().contains("takes no batch"), "{error}");
}

/// A library whose token goes in a header of every call (`Authorization: Bearer …`), its
/// address fixed; its errors as flat `error_code` and `description` keys.
static BEARER: Library = Library::new(
    "Bearer",
    "bearer",
    Connection {
        params: &[ConnectionParam {
            name: "Token",
            secret: true,
        }],
        modes: &[AuthMode {
            name: "token",
            when: None,
            address: Address::Fixed("https://api.bearer.example/v1/"),
            credential: Some(Credential {
                param: "Token",
                place: CredentialPlace::Header {
                    name: "Authorization",
                    prefix: "Bearer ",
                },
            }),
            public_segments: None,
            downloads: None,
        }],
        api_url_env: "OINT_BEARER_API_URL",
    },
    JSON_IN_THE_QUERY,
    Errors {
        code: "error_code",
        description: "description",
        signals: &[],
    },
    NO_LIMITS,
);

#[tokio::test]
async fn a_token_declared_for_a_header_goes_there_and_nowhere_else() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/items.add"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"result": 12})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/items.get"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "error_code": "FORBIDDEN",
            "description": format!("token Bearer {TOKEN} may not read items")
        })))
        .mount(&server)
        .await;
    unsafe { std::env::set_var(BEARER.connection.api_url_env, server.uri()) };
    let shown = Arc::new(Mutex::new(Vec::new()));
    let seen = shown.clone();
    let client = Client::connect(&BEARER, "token", &[("Token", TOKEN)])
        .unwrap()
        .observe(move |event| {
            if let Event::Request { url, body, .. } = event {
                seen.lock().unwrap().push(format!("{url} {body}"));
            }
        });
    let call = |method| Call {
        method,
        http: Http::Post,
        fields: vec![("NAME", Some(json!("first")))],
        ..Call::DEFAULT
    };
    let answer = client.pending(Ok(call("items.add")), Ok).await.unwrap();
    assert_eq!(answer.result, json!(12));
    // The body has the call's fields only: no field takes the token.
    let requests = server.received_requests().await.unwrap();
    let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(body, json!({"NAME": "first"}));
    assert!(!requests[0].url.as_str().contains(TOKEN));
    // An answer that repeats the token has it cut out; nothing shown carries it.
    let error = client.pending(Ok(call("items.get")), Ok).await.unwrap_err();
    assert!(
        error.to_string().contains("token Bearer *** may not"),
        "{error}"
    );
    assert!(!format!("{error:?}").contains(TOKEN));
    let shown = shown.lock().unwrap();
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(shown.iter().all(|line| !line.contains(TOKEN)), "{shown:?}");
    assert!(!format!("{client:?}").contains(TOKEN));
}
