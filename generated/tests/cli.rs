//! The `oint` binary as a process against a real HTTP server on loopback. (These tests sit in
//! the `oint` package because Cargo hands a package's own tests the path of its binary.)

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "k3y5ecr3tw3bh00k";
const TOKEN: &str = "fe3fa966006e9f06006b12e400000001000abcdef";

#[path = "../../tests/support/expected.rs"]
mod expected;
#[path = "../../tests/support/oracle.rs"]
mod oracle;
// The readers of CMD's and PowerShell's lines serve tests/docs.rs.
#[allow(dead_code)]
#[path = "../../tests/support/shells.rs"]
mod shells;
#[path = "../../tests/support/telegram_oracle.rs"]
mod telegram_oracle;
use expected::example_args;
use shells::bash_words as shell_words;

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
async fn the_api_url_variable_moves_calls_to_another_address() {
    // The webhook's path stays; the scheme, host and port are the variable's.
    let server = expecting(
        "/rest/1/s3cr3tw3bh00k/im.chat.user.delete",
        json!({"CHAT_ID": "1", "USER_ID": "2"}),
    )
    .await;
    let output = oint(
        &[
            "bitrix24",
            "DeleteUserFromChat",
            "--url",
            "https://portal.example.com/rest/1/s3cr3tw3bh00k/",
            "--chat",
            "1",
            "--user",
            "2",
            "--debug",
        ],
        &[("OINT_BITRIX24_API_URL", &server.uri())],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let debug = stderr(&output);
    assert!(debug.contains("/rest/1/***/im.chat.user.delete"), "{debug}");
    assert!(!debug.contains("s3cr3tw3bh00k"), "{debug}");
    // Plain http elsewhere than loopback stays refused.
    let output = oint(
        &[
            "bitrix24",
            "DeleteUserFromChat",
            "--url",
            "https://portal.example.com/rest/1/s3cr3tw3bh00k/",
            "--chat",
            "1",
            "--user",
            "2",
        ],
        &[("OINT_BITRIX24_API_URL", "http://proxy.example.com:8080")],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("plain http"),
        "{}",
        stderr(&output)
    );
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
                "[1, 2",
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

/// Values the client refuses before sending: an empty text that would delete a message, a
/// date that is not one, a key a structure does not take.
#[tokio::test(flavor = "multi_thread")]
async fn values_that_would_do_harm_or_cannot_be_read_exit_2_before_sending() {
    let server = MockServer::start().await;
    let url = server.uri();
    for (args, says) in [
        (
            vec![
                "bitrix24",
                "EditMessage",
                "--url",
                &url,
                "--token",
                TOKEN,
                "--message",
                "5",
                "--text",
                "",
            ],
            "Text must not be empty: an empty text deletes the message on Bitrix24",
        ),
        (
            vec![
                "bitrix24",
                "StartTimekeeping",
                "--url",
                &url,
                "--token",
                TOKEN,
                "--time",
                "tomorrow",
            ],
            "invalid value 'tomorrow' for '--time <Time>'",
        ),
        (
            vec![
                "bitrix24",
                "GetUserBusy",
                "--url",
                &url,
                "--token",
                TOKEN,
                "--users",
                "1",
                "--from",
                "2025-02-30",
                "--to",
                "2025-03-01",
            ],
            "`2025-02-30` is not a date",
        ),
        (
            vec![
                "bitrix24",
                "GetCalendarEvents",
                "--url",
                &url,
                "--token",
                TOKEN,
                "--owner",
                "1",
                "--type",
                "user",
                "--filter",
                r#"{"color": "red"}"#,
            ],
            "Filter has no key `color`: it takes from, section, to",
        ),
        // Endless or blocking files are not read: a device is not a regular file.
        (
            vec![
                "bitrix24",
                "CreateTask",
                "--url",
                &url,
                "--token",
                TOKEN,
                "--fields",
                "/dev/zero",
            ],
            "cannot read /dev/zero: not a regular file",
        ),
        (
            vec![
                "bitrix24",
                "ChangeChatPicture",
                "--url",
                &url,
                "--token",
                TOKEN,
                "--chat",
                "1",
                "--picture",
                "/dev/zero",
            ],
            "cannot read /dev/zero: not a regular file",
        ),
        // Every wait has a bound: a retry cannot sleep for centuries.
        (
            vec![
                "bitrix24",
                "DeleteUserFromChat",
                "--url",
                &url,
                "--token",
                TOKEN,
                "--chat",
                "1",
                "--user",
                "2",
                "--retry-wait",
                "3155760000000",
            ],
            "invalid value '3155760000000' for '--retry-wait <MS>': 3155760000000 is not in 0..=60000",
        ),
    ] {
        let output = oint(&args, &[]);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(says),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_no_secret(&output);
    }
    assert!(server.received_requests().await.unwrap().is_empty());
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

/// `--out` writes where it is pointed, as a shell's `>` would: through a symbolic link (which
/// stays a link), into a device or `/dev/stdout` in place, not into a read-only file or a
/// directory, and under a name as long as a name may be.
#[tokio::test(flavor = "multi_thread")]
async fn out_writes_where_it_is_pointed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(recorded()))
        .mount(&server)
        .await;
    let url = server.uri();
    let call = |out: &Path| {
        oint(
            &[
                "bitrix24",
                "DeleteUserFromChat",
                "--url",
                &url,
                "--token",
                TOKEN,
                "--chat",
                "5",
                "--user",
                "6",
                "--out",
                out.to_str().unwrap(),
            ],
            &[],
        )
    };
    let answer = |path: &Path| -> Value {
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let dir = tempfile::tempdir().unwrap();

    let real = dir.path().join("real.json");
    let link = dir.path().join("link.json");
    std::fs::write(&real, "old").unwrap();
    std::os::unix::fs::symlink("real.json", &link).unwrap();
    assert!(call(&link).status.success());
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(answer(&real), recorded());

    let dangling = dir.path().join("dangling.json");
    std::os::unix::fs::symlink("made.json", &dangling).unwrap();
    assert!(call(&dangling).status.success());
    assert!(
        std::fs::symlink_metadata(&dangling)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(answer(&dir.path().join("made.json")), recorded());

    let read_only = dir.path().join("read-only.json");
    std::fs::write(&read_only, "keep").unwrap();
    let mut permissions = std::fs::metadata(&read_only).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&read_only, permissions).unwrap();
    let output = call(&read_only);
    assert_eq!(output.status.code(), Some(5), "{}", stderr(&output));
    assert!(stderr(&output).contains("read-only"), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(&read_only).unwrap(), "keep");

    let output = call(dir.path());
    assert_eq!(output.status.code(), Some(5), "{}", stderr(&output));

    let long = dir.path().join(format!("{}.json", "a".repeat(250)));
    let output = call(&long);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(answer(&long), recorded());

    // A pipe, through /dev/stdout; and a device, which stays one.
    let output = call(Path::new("/dev/stdout"));
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        serde_json::from_str::<Value>(&stdout(&output)).unwrap(),
        recorded()
    );
    assert!(call(Path::new("/dev/null")).status.success());
    assert!(std::os::unix::fs::FileTypeExt::is_char_device(
        &std::fs::metadata("/dev/null").unwrap().file_type()
    ));

    // Nothing else was left behind: no temporary file.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 6, "{names:?}");
}

/// Help, the version and the answer that cannot reach stdout (closed, or a full disk) are a
/// failure, exit 5, not a silent 0.
#[test]
fn output_that_cannot_be_written_is_a_failure() {
    let closed = || {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        writer
    };
    for args in [
        vec!["--help"],
        vec!["--version"],
        vec!["bitrix24", "--help"],
        vec!["man"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_oint"))
            .args(&args)
            .stdout(closed())
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(5),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("cannot write <stdout>"),
            "{args:?}"
        );
        if cfg!(target_os = "linux") {
            let full = std::fs::File::create("/dev/full").unwrap();
            let output = Command::new(env!("CARGO_BIN_EXE_oint"))
                .args(&args)
                .stdout(full)
                .output()
                .unwrap();
            assert_eq!(
                output.status.code(),
                Some(5),
                "{args:?}: {}",
                stderr(&output)
            );
        }
    }
    // Help that is asked for is a success where stdout takes it.
    assert!(oint(&["--help"], &[]).status.success());
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
        for method in group.methods.iter().filter(|m| m.cli) {
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
            // A method of another host (the OAuth server) takes no URL or token.
            let connects = rest.server.is_none();
            for param in &library.connection {
                let option = format!("--{} <{}>", param.flag, param.name);
                assert_eq!(help.contains(&option), connects, "{help}");
            }
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

/// How the CLI's answer of one call is checked: the answer printed whole, the structure built
/// from it, or the error of an error answer. `Err` says what is wrong.
fn check_printed(
    method: &oint_codegen::model::Method,
    output: &Output,
    line: &str,
    minimal: bool,
) -> Result<(), String> {
    let answer: Value = serde_json::from_str(&method.example.answer).unwrap();
    if answer.get("error").is_some() {
        let code = answer["error"].as_str().unwrap_or_default();
        return if output.status.code() == Some(1) && stderr(output).contains(code) {
            Ok(())
        } else {
            Err(format!("{line}: expected error {code}: {}", stderr(output)))
        };
    }
    if !output.status.success() {
        return Err(format!("{line}: {}", stderr(output)));
    }
    let printed: Value = serde_json::from_str(&stdout(output))
        .map_err(|e| format!("{line}: stdout is not JSON: {e}"))?;
    let builds = method.returns.builds_structure;
    let expected: Value = serde_json::from_str(if builds {
        &method.example.result
    } else {
        &method.example.answer
    })
    .unwrap();
    let keys = |v: &Value| {
        v.as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let same = if builds && minimal {
        keys(&printed) == keys(&expected)
    } else {
        printed == expected
    };
    if same {
        Ok(())
    } else {
        Err(format!("{line}: printed {printed}"))
    }
}

/// Every method as a process, twice: the CLI example of its docs page (every option, OAuth;
/// its URL pointed at a loopback server) and a command line with the required options alone
/// (webhook). Each sends exactly the request OPI makes (`tests/support/oracle.rs`); a template
/// prints its structure.
#[tokio::test(flavor = "multi_thread")]
async fn every_method_sends_what_opi_sends() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let model = oint_codegen::model(&spec).unwrap();
    let reference = oracle::reference();
    // Files named in the examples are read from here.
    let files = tempfile::tempdir().unwrap();
    let server = MockServer::start().await;
    let webhook = format!("{}/rest/1/{SECRET}/", server.uri());
    let mut count = 0;
    // OPI's helpers whose structure's keys the reference records: compared, all of them.
    let mut structures = 0;
    let mut failures = Vec::new();
    // Bitrix24's functions against its reference; Telegram's have their own test below.
    for library in model.libraries.iter().filter(|l| l.command == "bitrix24") {
        for group in &library.groups {
            for method in &group.methods {
                let line = &cli_example(&docs, library, group, method);
                let words = shell_words(line);
                assert_eq!(
                    words[..3],
                    ["oint", library.command.as_str(), method.name.as_str()]
                );
                let all = example_args(method, false);
                oracle::write_files(files.path(), &reference[&method.name], &all);
                let mut args: Vec<String> = words[1..].to_vec();
                let Some(rest) = method.rest() else {
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    let output = oint_in(files.path(), &args, &[]);
                    assert!(output.status.success(), "{line}: {}", stderr(&output));
                    let printed: Value = serde_json::from_str(&stdout(&output)).unwrap();
                    let recorded: Value = serde_json::from_str(&method.example.result).unwrap();
                    if printed != recorded {
                        failures.push(format!("{line}: the template's value is {printed}"));
                    }
                    structures +=
                        usize::from(oracle::assert_opis_keys(&reference[&method.name], &printed));
                    count += 1;
                    continue;
                };
                let entry = &reference[&method.name];
                let required = example_args(method, true);
                let token = library.cli_mode().example_of("Token").unwrap();
                let secrets = (token, SECRET);
                let answer = &method.example.answer;
                let args_ = (&all, &required);
                oracle::mount_both(&server, &method.name, entry, args_, secrets, answer).await;

                let env = [("OINT_BITRIX24_OAUTH_URL", server.uri())];
                let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
                if rest.server.is_none() {
                    let url = args.iter().position(|a| a == "--url").unwrap() + 1;
                    args[url] = server.uri();
                }
                let full_args: Vec<&str> = args.iter().map(String::as_str).collect();
                let output = oint_in(files.path(), &full_args, &env);
                failures.extend(check_printed(method, &output, line, false).err());

                let mut minimal_args = vec![library.command.clone(), method.name.clone()];
                if rest.server.is_none() {
                    minimal_args.extend(["--url".to_owned(), webhook.clone()]);
                }
                for (param, example) in method.params.iter().zip(&method.example.args) {
                    if param.required {
                        minimal_args.extend([format!("--{}", param.flag), example.cli_raw.clone()]);
                    }
                }
                let minimal_args: Vec<&str> = minimal_args.iter().map(String::as_str).collect();
                let output = oint_in(files.path(), &minimal_args, &env);
                let line = minimal_args.join(" ");
                failures.extend(check_printed(method, &output, &line, true).err());
                count += 1;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} methods:\n{}",
        failures.len(),
        failures.join("\n")
    );
    server.verify().await;
    let methods: usize = model
        .libraries
        .iter()
        .filter(|l| l.command == "bitrix24")
        .map(|l| l.methods().count())
        .sum();
    assert_eq!(count, methods);
    assert!(
        structures >= 12,
        "{structures} structures compared with OPI's keys"
    );
}

/// The command line of a method's docs page (its Bash tab), as one line.
fn cli_example(
    docs: &Path,
    library: &oint_codegen::model::Library,
    group: &oint_codegen::model::Group,
    method: &oint_codegen::model::Method,
) -> String {
    let page = std::fs::read_to_string(
        docs.join(&library.command)
            .join(&group.slug)
            .join(format!("{}.md", method.slug)),
    )
    .unwrap();
    let [bash, _, _] = shells::command_lines(&page).expect("the page has a command line");
    bash
}

/// Every Telegram method as a process, twice: the CLI example of its docs page (every option)
/// and a command line with the required options alone, the address moved to loopback with
/// `OINT_TELEGRAM_API_URL`. Each sends exactly the request OPI makes
/// (`tests/support/telegram_oracle.rs`, from the shared reference), with the token in the path
/// only, and prints the answer (or the structure built from it).
#[tokio::test(flavor = "multi_thread")]
async fn every_telegram_method_sends_what_opi_sends() {
    const BOT_TOKEN: &str = "6129457865:AAFtest-token_x";
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let model = oint_codegen::model(&spec).unwrap();
    let library = model
        .libraries
        .iter()
        .find(|l| l.command == "telegram")
        .unwrap();
    let reference = telegram_oracle::reference();
    let files = tempfile::tempdir().unwrap();
    let server = MockServer::start().await;
    let env = [("OINT_TELEGRAM_API_URL", server.uri())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut failures = Vec::new();
    let mut count = 0;
    for group in &library.groups {
        for method in group.methods.iter().filter(|m| m.cli) {
            let line = cli_example(&docs, library, group, method);
            let mut full: Vec<String> = shell_words(&line)[1..].to_vec();
            if let Some(token) = full.iter().position(|a| a == "--token") {
                full[token + 1] = BOT_TOKEN.to_owned();
            }
            let mut minimal = vec![library.command.clone(), method.name.clone()];
            if method.rest().is_some() {
                minimal.extend(["--token".to_owned(), BOT_TOKEN.to_owned()]);
            }
            for (param, example) in method.params.iter().zip(&method.example.args) {
                if param.required {
                    minimal.extend([format!("--{}", param.flag), example.cli_raw.clone()]);
                }
            }
            if method.rest().is_none() {
                // A template makes no call: it prints what it builds.
                for args in [full, minimal] {
                    let words: Vec<&str> = args.iter().map(String::as_str).collect();
                    let output = oint_in(files.path(), &words, &env);
                    assert!(output.status.success(), "{}", stderr(&output));
                    let printed: Value = serde_json::from_str(&stdout(&output)).unwrap();
                    let recorded: Value = serde_json::from_str(&method.example.result).unwrap();
                    assert_eq!(printed, recorded, "{}", words.join(" "));
                }
                count += 1;
                continue;
            }
            let entry = &reference[&method.name];
            telegram_oracle::write_files(files.path(), entry, &example_args(method, false));
            // A method that reads a file: its answer names the path the file is read from.
            let file = entry.file_path(&method.example.answer);
            for (args, required_only) in [(full, false), (minimal, true)] {
                server.reset().await;
                Mock::given(wiremock::matchers::any())
                    .respond_with(
                        ResponseTemplate::new(200)
                            .set_body_raw(method.example.answer.clone(), "application/json"),
                    )
                    .mount(&server)
                    .await;
                if let Some(path) = &file {
                    Mock::given(wiremock::matchers::path(format!(
                        "/file/bot{BOT_TOKEN}/{path}"
                    )))
                    .respond_with(
                        ResponseTemplate::new(200).set_body_bytes(telegram_oracle::FILE_BYTES),
                    )
                    .with_priority(1)
                    .mount(&server)
                    .await;
                }
                let words: Vec<&str> = args.iter().map(String::as_str).collect();
                let output = oint_in(files.path(), &words, &env);
                let line = words.join(" ");
                if file.is_some() {
                    // The file's bytes as they are, not JSON.
                    if !output.status.success() || output.stdout != telegram_oracle::FILE_BYTES {
                        failures.push(format!("{line}: printed {:?}", stdout(&output)));
                    }
                } else {
                    failures.extend(check_printed(method, &output, &line, required_only).err());
                }
                assert!(
                    !stderr(&output).contains(BOT_TOKEN),
                    "{line}: {}",
                    stderr(&output)
                );
                let expected = entry.request(&example_args(method, required_only));
                let received = server.received_requests().await.unwrap_or_default();
                let (request, read) = match (&received[..], &file) {
                    ([request], None) => (request, None),
                    ([request, read], Some(_)) => (request, Some(read)),
                    _ => {
                        failures.push(format!("{line}: {} requests", received.len()));
                        continue;
                    }
                };
                if let (Some(read), Some(path)) = (read, &file) {
                    let expected = format!("/file/bot{BOT_TOKEN}/{path}");
                    if read.method.as_str() != "GET" || read.url.path() != expected {
                        failures.push(format!("{line}: read {} {}", read.method, read.url));
                    }
                }
                let got = telegram_oracle::request_of(request, BOT_TOKEN);
                if got != expected {
                    failures.push(format!(
                        "{line}:\n  sent     {got:?}\n  expected {expected:?}"
                    ));
                }
            }
            count += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(count, library.methods().filter(|m| m.cli).count());
    // A method that is not a command (OPI's `!NOCLI`: ProcessTMAData) is neither listed nor
    // run; clap says so.
    let listing = stdout(&oint(&["telegram", "--help"], &[]));
    let not_commands: Vec<_> = library.methods().filter(|m| !m.cli).collect();
    assert!(!not_commands.is_empty());
    for method in not_commands {
        let output = oint(&["telegram", &method.name, "--help"], &[]);
        assert_eq!(output.status.code(), Some(2), "{}", method.name);
        assert!(
            !listing.contains(&format!("  {} ", method.name)),
            "{listing}"
        );
    }

    // The shapes the examples do not show: a topic after `*`, MarkdownV2 escaping and `%XX`
    // decoding, a keyboard in OPI's single quotes, the General topic when none is given.
    let cases: [(&str, &[&str], Value); 3] = [
        (
            "SendTextMessage",
            &[
                "--chat",
                "-1001893407333*45",
                "--text",
                "v1.2 %F0%9F%94%A5",
                "--parsemode",
                "MarkdownV2",
                "--keyboard",
                "{'keyboard':[['Yes']]}",
            ],
            json!({"ChatID": "-1001893407333*45", "Text": "v1.2 %F0%9F%94%A5", "Markup": "MarkdownV2", "Keyboard": {"keyboard": [["Yes"]]}}),
        ),
        (
            "CloseForumTopic",
            &["--forum", "-1001971186208"],
            json!({"ChatID": "-1001971186208"}),
        ),
        (
            "SendLocation",
            &["--chat", "@channel*7", "--lat", "48.87", "--long", "2.35"],
            json!({"ChatID": "@channel*7", "Latitude": "48.87", "Longitude": "2.35"}),
        ),
    ];
    for (name, options, args) in cases {
        server.reset().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"ok": true, "result": true})),
            )
            .mount(&server)
            .await;
        let mut words = vec!["telegram", name, "--token", BOT_TOKEN];
        words.extend(options);
        let output = oint_in(files.path(), &words, &env);
        assert!(output.status.success(), "{name}: {}", stderr(&output));
        let received = server.received_requests().await.unwrap();
        let got = telegram_oracle::request_of(&received[0], BOT_TOKEN);
        let expected = reference[name].request(args.as_object().unwrap());
        assert_eq!(got, expected, "{name}");
        // What those look like on the wire, written out once.
        if name == "SendTextMessage" {
            assert_eq!(got.fields["chat_id"], json!("-1001893407333"));
            assert_eq!(got.fields["message_thread_id"], json!(45));
            assert_eq!(got.fields["text"], json!("v1\\.2 🔥"));
            assert_eq!(got.fields["reply_markup"], json!({"keyboard": [["Yes"]]}));
        }
        if name == "CloseForumTopic" {
            assert_eq!(got.method, "closeGeneralForumTopic");
        }
    }
}

/// Runs `oint` in `dir`, with `env` and no connection variables inherited.
fn oint_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_oint"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("OINT_BITRIX24_URL")
        .env_remove("OINT_BITRIX24_TOKEN")
        .env_remove("OINT_BITRIX24_OAUTH_URL");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
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
            for method in library.methods().filter(|m| m.cli) {
                assert!(script.contains(&method.name), "{shell}: {}", method.name);
                for flag in method
                    .params
                    .iter()
                    .map(|p| &p.flag)
                    .chain(library.connection.iter().map(|c| &c.flag))
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

/// Plain http goes to loopback only, and never through a proxy, which would read the token
/// in clear (here the proxy is a closed port: going through it would fail).
#[tokio::test(flavor = "multi_thread")]
async fn plain_http_to_loopback_never_goes_through_a_proxy() {
    let server = expecting(
        "/rest/im.chat.user.delete",
        json!({"CHAT_ID": "452", "USER_ID": "10", "auth": TOKEN}),
    )
    .await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let proxy = format!("http://{closed}");
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
        &[
            ("HTTP_PROXY", &proxy),
            ("http_proxy", &proxy),
            ("ALL_PROXY", &proxy),
            ("all_proxy", &proxy),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
}
