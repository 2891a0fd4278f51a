//! The generated API compiles the way the docs pages show it, every generated client function
//! runs against a loopback server — with every example argument, and with the required ones
//! alone — and sends exactly the request OPI makes (`support/oracle.rs`), and wrong calls fail
//! to compile with readable messages. All cases share one trybuild project (one build of the
//! dependencies).

use std::fs;
use std::path::{Path, PathBuf};

use oint_codegen::Model;
use oint_codegen::model::Method;
use wiremock::MockServer;

#[path = "support/expected.rs"]
mod expected;
#[path = "support/oracle.rs"]
mod oracle;
#[path = "support/telegram_oracle.rs"]
mod telegram_oracle;

const TOKEN: &str = "calls-test-token";
const BOT_TOKEN: &str = "123456:calls-test-bot";
const SECRET: &str = "calls-test-secret";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `Code example` block of the docs pages, as a file trybuild compiles and runs. The
/// example's `main` would call the network, so it is wrapped in a module and not called.
fn page_examples(model: &Model, out: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for library in &model.libraries {
        for group in &library.groups {
            for method in &group.methods {
                let page_path = root()
                    .join("generated/docs")
                    .join(&library.command)
                    .join(&group.slug)
                    .join(format!("{}.md", method.slug));
                let page = fs::read_to_string(&page_path).unwrap();
                let opening = "```rust title=\"Code example\"\n";
                let start = page.find(opening).expect("a Rust example") + opening.len();
                let end = start + page[start..].find("\n```").unwrap();
                let file = out.join(format!("{}.rs", method.fn_name.trim_start_matches("r#")));
                fs::write(
                    &file,
                    format!(
                        "// From {}\n#![allow(deprecated)]\n#[allow(dead_code)]\nmod page {{\n{}\n}}\n\nfn main() {{}}\n",
                        page_path.display(),
                        &page[start..end]
                    ),
                )
                .unwrap();
                files.push(file);
            }
        }
    }
    // The guides' Rust: whole programs as the pages' are, and lines (a constructor) inside a
    // function that returns their errors.
    // Every language's: each guide's code is the same, its comments are not.
    let mut folders = vec![("en".to_owned(), root().join("generated/docs/guides"))];
    for entry in fs::read_dir(root().join("generated/i18n")).unwrap() {
        let locale = entry.unwrap().path();
        let guides = locale.join("docusaurus-plugin-content-docs/current/guides");
        if guides.is_dir() {
            let language = locale.file_name().unwrap().to_string_lossy().into_owned();
            folders.push((language, guides));
        }
    }
    let mut names: Vec<(String, PathBuf)> = Vec::new();
    for (language, folder) in folders {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "md") {
                names.push((language.clone(), path));
            }
        }
    }
    names.sort();
    assert!(names.len() >= 12, "{} guides", names.len());
    for (language, guide_path) in names {
        let guide = fs::read_to_string(&guide_path).unwrap();
        let stem = format!(
            "{language}_{}",
            guide_path
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .replace('-', "_")
        );
        for (i, block) in guide.split("```rust\n").skip(1).enumerate() {
            let code = &block[..block.find("```").unwrap()];
            let code: String = code
                .lines()
                .map(|l| format!("{}\n", l.trim_start()))
                .collect();
            let body = if code.contains("fn main") {
                format!("#[allow(dead_code)]\nmod guide {{\n{code}\n}}\n\nfn main() {{}}\n")
            } else {
                format!(
                    "#[allow(dead_code, unused_variables)]\nfn lines() -> Result<(), Box<dyn std::error::Error>> {{\n{code}Ok(())\n}}\n\nfn main() {{}}\n"
                )
            };
            let file = out.join(format!("guide_{stem}_{i}.rs"));
            fs::write(&file, format!("// From {}\n{body}", guide_path.display())).unwrap();
            files.push(file);
        }
    }
    assert!(!files.is_empty());
    files
}

/// The Rust arguments of a call: every example value, or the required ones with `None` for the
/// others.
fn rust_args(method: &Method, required_only: bool) -> String {
    let args: Vec<&str> = method
        .params
        .iter()
        .zip(&method.example.args)
        .map(|(param, example)| {
            if required_only && !param.required {
                "None"
            } else {
                example.rust.as_str()
            }
        })
        .collect();
    args.join(", ")
}

/// How the program checks one call's outcome.
fn check(method: &Method, call: &str, required_only: bool) -> String {
    let name = &method.name;
    let answer: serde_json::Value = serde_json::from_str(&method.example.answer).unwrap();
    let builds = method.returns.builds_structure;
    if answer.get("error").is_some() {
        format!(
            "    assert!(matches!({call}.await, Err(oint::bitrix24::Error::Api {{ .. }})), \"{name}\");\n"
        )
    } else if method.returns.file {
        // The bytes the loopback server serves as the file.
        format!(
            "    assert_eq!({call}.await?, {:?}.to_vec(), \"{name}\");\n",
            telegram_oracle::FILE_BYTES
        )
    } else if builds && required_only {
        // Built without Clear: the same keys, each with its type.
        format!(
            "    let built = {call}.await?;\n    assert_eq!(keys(&built), keys(&json({:?})), \"{name}\");\n",
            method.example.result
        )
    } else if builds {
        format!(
            "    assert_eq!({call}.await?, json({:?}), \"{name}\");\n",
            method.example.result
        )
    } else {
        format!(
            "    assert_eq!({call}.await?.raw(), &json({:?}), \"{name}\");\n",
            method.example.answer
        )
    }
}

/// A program that calls every generated function twice against the URL in `url.txt`: with
/// every example argument through an OAuth client, and with the required ones alone through a
/// webhook; it checks each answer.
fn calls_program(model: &Model, out: &Path) -> PathBuf {
    let mut body = String::new();
    for library in &model.libraries {
        // Bitrix24's calls go through its two modes, Telegram's through its bot.
        let (full_client, minimal_client) = match library.command.as_str() {
            "bitrix24" => ("oauth", "webhook"),
            _ => ("bot", "bot"),
        };
        for method in library.methods() {
            let function = &method.fn_name;
            match method.rest() {
                Some(_) => {
                    let full = format!("{full_client}.{function}({})", rust_args(method, false));
                    let minimal =
                        format!("{minimal_client}.{function}({})", rust_args(method, true));
                    body.push_str(&check(method, &full, false));
                    body.push_str(&check(method, &minimal, true));
                }
                None => {
                    let client = format!("oint::{}::Client", library.command);
                    // With the required arguments alone: a structure of the same shape.
                    body.push_str(&format!(
                        "    assert_eq!({client}::{function}({}), json({:?}), \"{}\");\n    assert_eq!(shape(&{client}::{function}({})), shape(&json({:?})), \"{}\");\n",
                        rust_args(method, false),
                        method.example.result,
                        method.name,
                        rust_args(method, true),
                        method.example.result,
                        method.name,
                    ));
                }
            }
        }
    }
    let program = format!(
        "// Calls every generated function with the spec's example arguments.\n\
         #![allow(deprecated)]\n\
         fn json(text: &str) -> serde_json::Value {{ serde_json::from_str(text).unwrap() }}\n\
         fn keys(value: &serde_json::Value) -> Vec<String> {{ value.as_object().unwrap().keys().cloned().collect() }}\n\
         fn shape(value: &serde_json::Value) -> Vec<String> {{ match value.as_object() {{ Some(object) => object.keys().cloned().collect(), None => vec![format!(\"{{}}\", value.is_string())] }} }}\n\n\
         #[tokio::main]\n\
         async fn main() -> Result<(), oint::bitrix24::Error> {{\n\
         \x20   std::env::set_current_dir({dir:?}).unwrap();\n\
         \x20   let url = std::fs::read_to_string(\"url.txt\").unwrap();\n\
         \x20   let url = url.trim();\n\
         \x20   // The OAuth server's calls go to the same loopback server.\n\
         \x20   unsafe {{ std::env::set_var(\"OINT_BITRIX24_OAUTH_URL\", url) }};\n\
         \x20   // A test double, not a portal: no request limit to keep to.\n\
         \x20   let config = oint::bitrix24::Config {{ rate_limit: oint::bitrix24::Limit::Off, ..Default::default() }};\n\
         \x20   let oauth = oint::bitrix24::Client::oauth(url, {TOKEN:?})?.with_config(config.clone())?;\n\
         \x20   let webhook = oint::bitrix24::Client::webhook(&format!(\"{{url}}/rest/1/{SECRET}/\"))?.with_config(config)?;\n\
         \x20   unsafe {{ std::env::set_var(\"OINT_TELEGRAM_API_URL\", url) }};\n\
         \x20   let bot = oint::telegram::Client::bot({BOT_TOKEN:?})?;\n\
         {body}\
         \x20   Ok(())\n\
         }}\n",
        dir = out.display().to_string(),
    );
    let file = out.join("every_method.rs");
    fs::write(&file, program).unwrap();
    file
}

/// Every method's requests, as OPI makes them (`support/oracle.rs`), answered on `server`:
/// with every example argument in OAuth mode, and with the required ones through a webhook.
/// Returns how many calls are expected.
async fn expect_every_request(model: &Model, server: &MockServer, files: &Path) -> usize {
    let reference = oracle::reference();
    let mut calls = expect_every_telegram_request(model, server, files).await;
    // OPI's helpers whose structure's keys the reference records: compared, all of them.
    let mut structures = 0;
    for library in model.libraries.iter().filter(|l| l.command == "bitrix24") {
        for method in library.methods() {
            let entry = reference
                .get(&method.name)
                .unwrap_or_else(|| panic!("{} is not one of OPI's functions", method.name));
            let Some(_) = method.rest() else {
                let built: serde_json::Value =
                    serde_json::from_str(&method.example.result).unwrap();
                structures += usize::from(oracle::assert_opis_keys(entry, &built));
                continue;
            };
            let all = expected::example_args(method, false);
            oracle::write_files(files, entry, &all);
            let required = expected::example_args(method, true);
            let answer = &method.example.answer;
            let (secrets, args) = ((TOKEN, SECRET), (&all, &required));
            oracle::mount_both(server, &method.name, entry, args, secrets, answer).await;
            calls += 2;
        }
    }
    assert!(
        structures >= 12,
        "{structures} structures compared with OPI's keys"
    );
    calls
}

/// Every Telegram method's two requests (`support/telegram_oracle.rs`), each answered with the
/// method's recorded answer when its verb, path and fields are exactly OPI's.
async fn expect_every_telegram_request(model: &Model, server: &MockServer, files: &Path) -> usize {
    use wiremock::{Mock, ResponseTemplate};
    let reference = telegram_oracle::reference();
    let mut calls = 0;
    for library in model.libraries.iter().filter(|l| l.command == "telegram") {
        // A template makes no call: the program checks what it builds.
        for method in library.methods().filter(|m| m.rest().is_some()) {
            let entry = &reference[&method.name];
            telegram_oracle::write_files(files, entry, &expected::example_args(method, false));
            let full = entry.request(&expected::example_args(method, false));
            let minimal = entry.request(&expected::example_args(method, true));
            let mut requests = vec![(full, 1)];
            if requests[0].0 == minimal {
                requests[0].1 = 2;
            } else {
                requests.push((minimal, 1));
            }
            if let Some(path) = entry.file_path(&method.example.answer) {
                // The file the answer names, read once per call.
                Mock::given(wiremock::matchers::path(format!(
                    "/file/bot{BOT_TOKEN}/{path}"
                )))
                .respond_with(
                    ResponseTemplate::new(200).set_body_bytes(telegram_oracle::FILE_BYTES),
                )
                .expect(2)
                .named(format!("{} (telegram file)", method.name))
                .mount(server)
                .await;
                calls += 2;
            }
            for (request, times) in requests {
                Mock::given(move |got: &wiremock::Request| {
                    telegram_oracle::request_of(got, BOT_TOKEN) == request
                })
                .respond_with(
                    ResponseTemplate::new(200)
                        .set_body_raw(method.example.answer.clone(), "application/json"),
                )
                .expect(times)
                .named(format!("{} (telegram)", method.name))
                .mount(server)
                .await;
                calls += times as usize;
            }
        }
    }
    calls
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_api_compiles_as_documented_runs_and_refuses_wrong_calls() {
    let model = oint_codegen::model(&root().join("spec")).unwrap();
    let out = root().join("target/tests/generated-api");
    let _ = fs::remove_dir_all(&out);
    fs::create_dir_all(&out).unwrap();

    // The loopback server: the requests OPI would make, each expected once.
    let server = MockServer::start().await;
    let calls = expect_every_request(&model, &server, &out).await;
    assert!(calls > 0);
    fs::write(out.join("url.txt"), server.uri()).unwrap();

    let examples = page_examples(&model, &out);
    let program = calls_program(&model, &out);
    tokio::task::spawn_blocking(move || {
        let cases = trybuild::TestCases::new();
        for example in examples {
            cases.pass(example);
        }
        cases.pass(program);
        cases.compile_fail("tests/ui/*.rs");
        // trybuild runs everything when `cases` is dropped.
    })
    .await
    .unwrap();
    server.verify().await;
}
