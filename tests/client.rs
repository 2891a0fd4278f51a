//! The generated client against a real HTTP server on loopback, in both auth modes: the exact
//! request OPI makes, the whole answer back, and typed errors.

use oint::bitrix24::{Client, Error};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "k3y5ecr3tw3bh00k";
const TOKEN: &str = "fe3fa966006e9f06006b12e400000001000abcdef";

fn recorded() -> Value {
    let text = include_str!("fixtures/DeleteUserFromChat.json");
    serde_json::from_str(text).unwrap()
}

async fn server_answering(status: u16, body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn webhook_call_is_the_request_opi_makes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/rest/1/{SECRET}/im.chat.user.delete")))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"CHAT_ID": "452", "USER_ID": "10"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(recorded()))
        .expect(1)
        .mount(&server)
        .await;
    // No trailing slash: the client adds it, as OPI does.
    let client = Client::webhook(&format!("{}/rest/1/{SECRET}", server.uri())).unwrap();
    let answer = client.delete_user_from_chat(452, 10).await.unwrap();
    assert_eq!(answer.result, json!(true));
    let time = answer.time.as_ref().expect("the time block comes back");
    assert_eq!(time.start, 1760522268.0);
    assert_eq!(time.operating_reset_at, Some(1760522868.0));
    assert_eq!(answer.raw(), &recorded());
}

#[tokio::test]
async fn oauth_call_puts_the_token_in_the_body_under_rest() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/rest/im.chat.user.delete"))
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({"CHAT_ID": "452", "USER_ID": "10", "auth": TOKEN}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(recorded()))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::oauth(&server.uri(), TOKEN).unwrap();
    // IDs may be strings as well as numbers; both are sent as strings.
    let answer = client.delete_user_from_chat("452", 10u32).await.unwrap();
    assert_eq!(answer.result, json!(true));
}

#[tokio::test]
async fn new_follows_opis_rule_an_empty_token_means_webhook() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/rest/7/abc/im.chat.user.delete"))
        .and(body_json(json!({"CHAT_ID": "1", "USER_ID": "2"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(recorded()))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(&format!("{}/rest/7/abc/", server.uri()), Some("")).unwrap();
    client.delete_user_from_chat(1, 2).await.unwrap();
}

#[tokio::test]
async fn api_error_keeps_code_description_and_status() {
    let server = server_answering(
        400,
        json!({"error": "CHAT_ID_EMPTY", "error_description": "Chat ID can't be empty"}),
    )
    .await;
    let client = Client::oauth(&server.uri(), TOKEN).unwrap();
    let error = client.delete_user_from_chat("", 10).await.unwrap_err();
    match &error {
        Error::Api {
            service,
            status,
            code,
            description,
        } => {
            // The service is named from the spec's library.yaml.
            assert_eq!(*service, "Bitrix24");
            assert_eq!(*status, 400);
            assert_eq!(code, "CHAT_ID_EMPTY");
            assert_eq!(description, "Chat ID can't be empty");
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "Bitrix24 error CHAT_ID_EMPTY (HTTP 400): Chat ID can't be empty"
    );
    assert_no_secret(&format!("{error} {error:?}"));
}

#[tokio::test]
async fn html_instead_of_json_is_an_invalid_answer() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string("<html>Internal error</html>"))
        .mount(&server)
        .await;
    let client = Client::oauth(&server.uri(), TOKEN).unwrap();
    let error = client.delete_user_from_chat(1, 2).await.unwrap_err();
    match &error {
        Error::InvalidAnswer {
            status, body_start, ..
        } => {
            assert_eq!(*status, 500);
            assert_eq!(body_start, "<html>Internal error</html>");
        }
        other => panic!("expected an invalid answer, got {other:?}"),
    }
}

#[tokio::test]
async fn json_without_result_is_an_invalid_answer() {
    let server = server_answering(200, json!({"time": {}})).await;
    let client = Client::webhook(&format!("{}/rest/1/{SECRET}/", server.uri())).unwrap();
    let error = client.delete_user_from_chat(1, 2).await.unwrap_err();
    assert!(
        matches!(&error, Error::InvalidAnswer { reason, .. } if reason.contains("no `result`")),
        "{error:?}"
    );
    assert_no_secret(&format!("{error} {error:?}"));
}

#[tokio::test]
async fn an_echoed_token_is_cut_from_the_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(502).set_body_string(format!("bad gateway for {TOKEN}")),
        )
        .mount(&server)
        .await;
    let client = Client::oauth(&server.uri(), TOKEN).unwrap();
    let error = client.delete_user_from_chat(1, 2).await.unwrap_err();
    assert!(error.to_string().contains("bad gateway for ***"), "{error}");
    assert_no_secret(&format!("{error} {error:?}"));
}

#[tokio::test]
async fn connection_refused_is_a_transport_error_without_the_secret() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::webhook(&format!("http://127.0.0.1:{port}/rest/1/{SECRET}/")).unwrap();
    let error = client.delete_user_from_chat(1, 2).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(
        error.to_string().starts_with("cannot reach Bitrix24"),
        "{error}"
    );
    assert_no_secret(&format!("{error} {error:?}"));
}

#[test]
fn plain_http_is_refused_off_loopback_before_any_connection() {
    for error in [
        Client::oauth("http://portal.bitrix24.by", TOKEN).unwrap_err(),
        Client::webhook(&format!("http://portal.bitrix24.by/rest/1/{SECRET}/")).unwrap_err(),
    ] {
        assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
        assert!(
            error
                .to_string()
                .contains("plain http to portal.bitrix24.by is refused")
        );
        assert_no_secret(&format!("{error} {error:?}"));
    }
}

#[test]
fn debug_of_a_client_hides_its_secrets() {
    let webhook = Client::webhook(&format!("portal.bitrix24.by/rest/1/{SECRET}")).unwrap();
    let oauth = Client::oauth("portal.bitrix24.by", TOKEN).unwrap();
    let (webhook, oauth) = (format!("{webhook:?}"), format!("{oauth:?}"));
    assert!(
        webhook.contains("https://portal.bitrix24.by/rest/1/***/"),
        "{webhook}"
    );
    // An OAuth client's address holds no secret; its token is nowhere.
    assert!(
        oauth.contains("https://portal.bitrix24.by/rest/") && !oauth.contains("***/"),
        "{oauth}"
    );
    assert_no_secret(&format!("{webhook} {oauth}"));
}

fn assert_no_secret(text: &str) {
    assert!(!text.contains(SECRET), "the webhook secret leaked: {text}");
    assert!(!text.contains(TOKEN), "the token leaked: {text}");
}

#[tokio::test]
async fn a_page_that_echoes_the_path_does_not_leak_the_webhook_secret() {
    let server = MockServer::start().await;
    // A web server's 404 page repeats the requested path, secret and all; the secret sits past
    // the first 200 characters too, where a cut-then-mask would leave half of it.
    let page = format!(
        "<html><body>The requested URL /rest/1/{SECRET}/im.chat.user.delete was not found.{}/rest/1/{SECRET}/</body></html>",
        " ".repeat(150)
    );
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404).set_body_string(page))
        .mount(&server)
        .await;
    let client = Client::webhook(&format!("{}/rest/1/{SECRET}/", server.uri())).unwrap();
    let error = client.delete_user_from_chat(1, 2).await.unwrap_err();
    assert!(
        matches!(error, Error::InvalidAnswer { status: 404, .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("/rest/1/***/im.chat.user.delete"),
        "{error}"
    );
    assert_no_secret(&format!("{error} {error:?}"));
    assert!(
        !error.to_string().contains(&SECRET[..8]),
        "part of the secret: {error}"
    );
}

#[tokio::test]
async fn a_result_of_another_shape_keeps_the_answer() {
    let server = server_answering(200, json!({"result": {"unexpected": 1}})).await;
    let client = Client::oauth(&server.uri(), TOKEN).unwrap();
    match client.delete_user_from_chat(1, 2).await {
        Err(Error::UnexpectedResult { answer, .. }) => {
            assert_eq!(answer.result, json!({"unexpected": 1}));
        }
        other => panic!("expected UnexpectedResult, got {other:?}"),
    }
}

#[tokio::test]
async fn an_empty_value_is_not_sent_as_opi_never_sends_one() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/rest/im.dialog.messages.get"))
        .and(body_json(json!({"DIALOG_ID": "chat452", "auth": TOKEN})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"result": {}})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::oauth(&server.uri(), TOKEN).unwrap();
    client
        .get_chat_messages_list("chat452", Some("".into()), None)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_secret_field_is_masked_in_what_the_observer_sees() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/oauth/token/"))
        .respond_with(ResponseTemplate::new(400).set_body_string(
            "bad request for client_secret=app-s3cret-v4lue&refresh_token=r3fr3sh-t0ken",
        ))
        .mount(&server)
        .await;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    let client = Client::without_portal()
        .unwrap()
        .with_server_url("oauth", &server.uri())
        .unwrap()
        .observe(move |event| log.lock().unwrap().push(format!("{event:?}")));
    let error = client
        .refresh_token("local.app", "app-s3cret-v4lue", "r3fr3sh-t0ken")
        .await
        .unwrap_err();
    let shown = format!("{error} {error:?} {:?}", seen.lock().unwrap());
    assert!(shown.contains("client_secret=***"), "{shown}");
    assert!(!shown.contains("app-s3cret-v4lue"), "{shown}");
    assert!(!shown.contains("r3fr3sh-t0ken"), "{shown}");
}
