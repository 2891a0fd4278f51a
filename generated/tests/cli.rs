//! The `oint` binary as a process against a real HTTP server on loopback. (These tests sit in
//! the `oint` package because Cargo hands a package's own tests the path of its binary.)

use std::path::Path;
use std::process::{Command, Output};

use oint_codegen::model::ParamKind;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "k3y5ecr3tw3bh00k";
const TOKEN: &str = "fe3fa966006e9f06006b12e400000001000abcdef";

#[path = "../../tests/support/expected.rs"]
mod expected;
use expected::{expected_body, shell_words};

fn recorded() -> Value {
    serde_json::from_str(include_str!("../../tests/fixtures/DeleteUserFromChat.json")).unwrap()
}

/// Runs `oint` with `args`, with no connection variables inherited from the environment.
fn oint(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_oint"));
    command
        .args(args)
        .env_remove("OINT_BITRIX24_URL")
        .env_remove("OINT_BITRIX24_TOKEN");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_no_secret(output: &Output) {
    for text in [stdout(output), stderr(output)] {
        assert!(!text.contains(SECRET), "the webhook secret leaked: {text}");
        assert!(!text.contains(TOKEN), "the token leaked: {text}");
    }
}

/// A server that expects exactly one request with `body` at `at`.
async fn expecting(at: &str, body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(at))
        .and(body_json(body))
        .respond_with(ResponseTemplate::new(200).set_body_json(recorded()))
        .expect(1)
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread")]
async fn webhook_mode_prints_the_answer() {
    let server = expecting(
        &format!("/rest/1/{SECRET}/im.chat.user.delete"),
        json!({"CHAT_ID": "452", "USER_ID": "10"}),
    )
    .await;
    let url = format!("{}/rest/1/{SECRET}/", server.uri());
    let output = oint(
        &[
            "bitrix24",
            "DeleteUserFromChat",
            "--url",
            &url,
            "--chat",
            "452",
            "--user",
            "10",
        ],
        &[],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let printed: Value = serde_json::from_str(&stdout(&output)).expect("stdout is JSON");
    assert_eq!(printed, recorded());
    assert_eq!(stderr(&output), "");
}

#[tokio::test(flavor = "multi_thread")]
async fn token_mode_sends_auth_in_the_body() {
    let server = expecting(
        "/rest/im.chat.user.delete",
        json!({"CHAT_ID": "452", "USER_ID": "10", "auth": TOKEN}),
    )
    .await;
    let output = oint(
        &[
            "bitrix24",
            "DeleteUserFromChat",
            "--url",
            &server.uri(),
            "--chat",
            "452",
            "--user",
            "10",
            "--token",
            TOKEN,
        ],
        &[],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_no_secret(&output);
}

#[tokio::test(flavor = "multi_thread")]
async fn url_and_token_can_come_from_the_environment() {
    let server = expecting(
        "/rest/im.chat.user.delete",
        json!({"CHAT_ID": "1", "USER_ID": "2", "auth": TOKEN}),
    )
    .await;
    let output = oint(
        &[
            "bitrix24",
            "DeleteUserFromChat",
            "--chat",
            "1",
            "--user",
            "2",
        ],
        &[
            ("OINT_BITRIX24_URL", &server.uri()),
            ("OINT_BITRIX24_TOKEN", TOKEN),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    // Help names the variable but never shows its value.
    let help = oint(
        &["bitrix24", "DeleteUserFromChat", "--help"],
        &[("OINT_BITRIX24_TOKEN", TOKEN)],
    );
    assert!(
        stdout(&help).contains("[env: OINT_BITRIX24_TOKEN]"),
        "{}",
        stdout(&help)
    );
    assert_no_secret(&help);
}

#[tokio::test(flavor = "multi_thread")]
async fn api_error_prints_code_and_description_and_exits_1() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"error": "USER_ID_EMPTY", "error_description": "User ID can't be empty"}),
        ))
        .mount(&server)
        .await;
    let output = oint(
        &[
            "bitrix24",
            "DeleteUserFromChat",
            "--url",
            &server.uri(),
            "--chat",
            "1",
            "--user",
            "",
            "--token",
            TOKEN,
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        "error: Bitrix24 error USER_ID_EMPTY (HTTP 400): User ID can't be empty\n"
    );
    assert_no_secret(&output);
}

#[test]
fn bad_usage_exits_2_with_clap_message() {
    let missing = oint(
        &[
            "bitrix24",
            "DeleteUserFromChat",
            "--url",
            "x",
            "--chat",
            "1",
        ],
        &[],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("the following required arguments were not provided"));
    assert!(stderr(&missing).contains("--user <UserID>"));

    let unknown_option = oint(
        &[
            "bitrix24",
            "DeleteUserFromChat",
            "--url",
            "x",
            "--chat",
            "1",
            "--user",
            "2",
            "--colour",
            "red",
        ],
        &[],
    );
    assert_eq!(unknown_option.status.code(), Some(2));
    assert!(stderr(&unknown_option).contains("unexpected argument '--colour'"));

    // A value that does not parse: exit 2, and the message names the option.
    for (args, named) in [
        (
            &[
                "bitrix24",
                "ChangeChatColor",
                "--url",
                "x",
                "--chat",
                "1",
                "--color",
                "BLUE",
            ][..],
            "--color <Color>",
        ),
        (
            &[
                "bitrix24",
                "AddUsersToChat",
                "--url",
                "x",
                "--chat",
                "1",
                "--users",
                "not json",
            ][..],
            "--users <UserIDs>",
        ),
        (
            &[
                "bitrix24",
                "AddUsersToChat",
                "--url",
                "x",
                "--chat",
                "1",
                "--users",
                "[1]",
                "--hide",
                "maybe",
            ][..],
            "--hide <HideHistory>",
        ),
        (
            &["bitrix24", "CreateChat", "--url", "x", "--fields", "[1, 2]"][..],
            "--fields <ChatStructure>",
        ),
        (
            &[
                "bitrix24",
                "ChangeChatPicture",
                "--url",
                "x",
                "--chat",
                "1",
                "--picture",
                "/no/such/file.png",
            ][..],
            "--picture <Image>",
        ),
    ] {
        let output = oint(args, &[]);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let message = stderr(&output);
        assert!(
            message.contains("invalid value") && message.contains(named),
            "{message}"
        );
    }

    let unknown_method = oint(&["bitrix24", "DeleteUser"], &[]);
    assert_eq!(unknown_method.status.code(), Some(2));
    assert!(stderr(&unknown_method).contains("unrecognized subcommand 'DeleteUser'"));
}

#[test]
fn plain_http_off_loopback_exits_2_before_sending() {
    let output = oint(
        &[
            "bitrix24",
            "DeleteUserFromChat",
            "--url",
            "http://portal.bitrix24.by",
            "--chat",
            "1",
            "--user",
            "2",
            "--token",
            TOKEN,
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("plain http to portal.bitrix24.by is refused"));
    assert_no_secret(&output);
}

#[tokio::test(flavor = "multi_thread")]
async fn debug_shows_what_is_sent_with_secrets_masked() {
    let server = expecting(
        &format!("/rest/1/{SECRET}/im.chat.user.delete"),
        json!({"CHAT_ID": "5", "USER_ID": "6"}),
    )
    .await;
    let url = format!("{}/rest/1/{SECRET}", server.uri());
    let output = oint(
        &[
            "--debug",
            "bitrix24",
            "DeleteUserFromChat",
            "--url",
            &url,
            "--chat",
            "5",
            "--user",
            "6",
        ],
        &[],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let log = stderr(&output);
    assert!(
        log.contains(&format!(
            "debug: attempt 1: POST {}/rest/1/***/im.chat.user.delete",
            server.uri()
        )),
        "{log}"
    );
    assert!(
        log.contains(r#"debug: body {"CHAT_ID":"5","USER_ID":"6"}"#),
        "{log}"
    );
    assert_no_secret(&output);

    let server = expecting(
        "/rest/im.chat.user.delete",
        json!({"CHAT_ID": "5", "USER_ID": "6", "auth": TOKEN}),
    )
    .await;
    let output = oint(
        &[
            "bitrix24",
            "DeleteUserFromChat",
            "--url",
            &server.uri(),
            "--chat",
            "5",
            "--user",
            "6",
            "--token",
            TOKEN,
            "--debug",
        ],
        &[],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(r#""auth":"***""#),
        "{}",
        stderr(&output)
    );
    assert_no_secret(&output);
}

#[tokio::test(flavor = "multi_thread")]
async fn out_writes_the_answer_to_a_file() {
    let server = expecting(
        "/rest/im.chat.user.delete",
        json!({"CHAT_ID": "5", "USER_ID": "6", "auth": TOKEN}),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("answer.json");
    let output = oint(
        &[
            "bitrix24",
            "DeleteUserFromChat",
            "--url",
            &server.uri(),
            "--chat",
            "5",
            "--user",
            "6",
            "--token",
            TOKEN,
            "--out",
            file.to_str().unwrap(),
        ],
        &[],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "");
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(written, recorded());
    // Only the answer is left in the directory: no temporary file.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// The help texts are the spec's.
#[test]
fn help_uses_the_spec_texts() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let model = oint_codegen::model(&spec).unwrap();
    let library = &model.libraries[0];

    let top = stdout(&oint(&["--help"], &[]));
    let summary = oint_codegen::model::summary(&library.description);
    assert!(
        top.lines()
            .any(|line| line.starts_with(&format!("  {} ", library.command))
                && line.ends_with(&summary)),
        "{top}"
    );

    let listing = stdout(&oint(&[&library.command, "--help"], &[]));
    let mut from = 0;
    for group in &library.groups {
        let at = listing[from..]
            .find(&format!("\n{}:\n", group.name))
            .unwrap_or_else(|| panic!("{listing}"));
        from += at;
        for method in &group.methods {
            // `  <Name><padding>  <summary>`, in group and position order.
            let line = listing[from..]
                .lines()
                .position(|line| {
                    line.starts_with(&format!("  {} ", method.name))
                        && line.ends_with(&format!("  {}", method.summary))
                })
                .unwrap_or_else(|| panic!("{} missing or out of order in\n{listing}", method.name));
            from += listing[from..]
                .lines()
                .take(line + 1)
                .map(|l| l.len() + 1)
                .sum::<usize>();
        }
    }

    for method in library.methods() {
        let help = stdout(&oint(&[&library.command, &method.name, "--help"], &[]));
        assert!(
            help.contains(method.description.split_whitespace().next().unwrap()),
            "{help}"
        );
        if let Some(rest) = method.rest() {
            assert!(help.contains(&rest.method), "{help}");
            assert!(help.contains(&format!("--{} <{}>", library.url.flag, library.url.name)));
            assert!(help.contains(&format!(
                "--{} <{}>",
                library.token.flag, library.token.name
            )));
        }
        for param in &method.params {
            assert!(
                help.contains(&format!("--{} <{}>", param.flag, param.name)),
                "{help}"
            );
            assert!(
                help.contains(&format!("{} [{}]", param.description, param.docs_type)),
                "{help}"
            );
        }
    }
}

/// The CLI example of every docs page runs: with its URL pointed at a loopback server, the
/// request carries exactly the fields the spec gives; a template prints its structure.
#[tokio::test(flavor = "multi_thread")]
async fn docs_cli_examples_run() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let model = oint_codegen::model(&spec).unwrap();
    // Files named in the examples are read from here.
    let files = tempfile::tempdir().unwrap();
    let file_bytes = b"\x89PNG fake picture".to_vec();
    let mut count = 0;
    for library in &model.libraries {
        for group in &library.groups {
            for method in &group.methods {
                let page = std::fs::read_to_string(
                    docs.join(&library.command)
                        .join(&group.slug)
                        .join(format!("{}.md", method.slug)),
                )
                .unwrap();
                let opening = "```sh title=\"CLI command example\"\n";
                let start = page.find(opening).unwrap() + opening.len();
                let line = page[start..].lines().next().unwrap();
                let words = shell_words(line);
                assert_eq!(
                    words[..3],
                    ["oint", library.command.as_str(), method.name.as_str()]
                );
                for (param, example) in method.params.iter().zip(&method.example.args) {
                    if matches!(param.kind, ParamKind::Binary { .. }) {
                        let path = files.path().join(&example.cli_raw);
                        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                        std::fs::write(path, &file_bytes).unwrap();
                    }
                }
                let mut args: Vec<String> = words[1..].to_vec();
                let recorded: Value = serde_json::from_str(&method.example.result).unwrap();
                let Some(rest) = method.rest() else {
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    let output = oint_in(files.path(), &args);
                    assert!(output.status.success(), "{line}: {}", stderr(&output));
                    let printed: Value = serde_json::from_str(&stdout(&output)).unwrap();
                    assert_eq!(
                        printed, recorded,
                        "{}: the template's structure",
                        method.name
                    );
                    count += 1;
                    continue;
                };

                let server = MockServer::start().await;
                let body = expected_body(method, rest, &library.example.token, &file_bytes);
                Mock::given(wiremock::matchers::method("POST"))
                    .and(path(format!("/rest/{}", rest.method)))
                    .and(body_json(body))
                    .respond_with(
                        ResponseTemplate::new(200)
                            .set_body_string(method.example.result.clone())
                            .insert_header("content-type", "application/json"),
                    )
                    .expect(1)
                    .mount(&server)
                    .await;
                let url = args.iter().position(|a| a == "--url").unwrap() + 1;
                args[url] = server.uri();
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let output = oint_in(files.path(), &args);
                assert!(output.status.success(), "{line}: {}", stderr(&output));
                let printed: Value = serde_json::from_str(&stdout(&output)).unwrap();
                assert_eq!(
                    printed, recorded,
                    "{}: the answer is printed whole",
                    method.name
                );
                server.verify().await;
                count += 1;
            }
        }
    }
    let methods: usize = model.libraries.iter().map(|l| l.methods().count()).sum();
    assert_eq!(count, methods);
}

/// Runs `oint` in `dir`.
fn oint_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oint"))
        .args(args)
        .current_dir(dir)
        .env_remove("OINT_BITRIX24_URL")
        .env_remove("OINT_BITRIX24_TOKEN")
        .output()
        .unwrap()
}

/// Completion scripts and the man page come from the same clap model as the commands: every
/// generated subcommand and every one of its options is in them.
#[test]
fn completions_and_man_page_list_every_method_and_option() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let model = oint_codegen::model(&spec).unwrap();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let output = oint(&["completions", shell], &[]);
        assert!(output.status.success(), "{shell}: {}", stderr(&output));
        let script = stdout(&output);
        for library in &model.libraries {
            assert!(script.contains(&library.command), "{shell}");
            for method in library.methods() {
                assert!(script.contains(&method.name), "{shell}: {}", method.name);
                for flag in method
                    .params
                    .iter()
                    .map(|p| &p.flag)
                    .chain([&library.url.flag, &library.token.flag])
                {
                    assert!(
                        script.contains(&format!("--{flag}"))
                            || script.contains(&format!("'{flag}'"))
                            || script.contains(&format!("-l {flag}")),
                        "{shell}: --{flag} of {}",
                        method.name
                    );
                }
            }
        }
    }
    let bad = oint(&["completions", "tcsh"], &[]);
    assert_eq!(bad.status.code(), Some(2));

    let man = oint(&["man"], &[]);
    assert!(man.status.success());
    let page = stdout(&man);
    assert!(page.contains(".TH oint 1"), "{page}");
    for library in &model.libraries {
        assert!(page.contains(&library.command));
    }
}
