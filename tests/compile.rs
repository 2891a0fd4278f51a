//! The generated API compiles the way the docs pages show it, every generated client function
//! runs against a loopback server with the spec's example arguments and sends what the spec
//! says, and wrong calls fail to compile with readable messages. All cases share one trybuild
//! project (one build of the dependencies).

use std::fs;
use std::path::{Path, PathBuf};

use oint_codegen::Model;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

// `shell_words` serves the CLI tests only.
#[allow(dead_code)]
#[path = "support/expected.rs"]
mod expected;

const TOKEN: &str = "calls-test-token";
const FILE_BYTES: &[u8] = b"\x89PNG fake picture";

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
                        "// From {}\n#[allow(dead_code)]\nmod page {{\n{}\n}}\n\nfn main() {{}}\n",
                        page_path.display(),
                        &page[start..end]
                    ),
                )
                .unwrap();
                files.push(file);
            }
        }
    }
    assert!(!files.is_empty());
    files
}

/// A program that calls every generated function with the spec's example arguments, against
/// the URL in `url.txt`, and checks each answer.
fn calls_program(model: &Model, out: &Path) -> PathBuf {
    let mut body = String::new();
    for library in &model.libraries {
        for method in library.methods() {
            let args = method.example.rust_args();
            let expected = &method.example.result;
            let call = match method.rest() {
                Some(_) => format!(
                    "    let answer = client.{}({}).await?;\n    assert_eq!(answer.raw(), &json({expected:?}), \"{}\");\n",
                    method.fn_name, args, method.name
                ),
                None => format!(
                    "    assert_eq!(oint::{}::Client::{}({}), json({expected:?}), \"{}\");\n",
                    library.command, method.fn_name, args, method.name
                ),
            };
            body.push_str(&call);
        }
    }
    let program = format!(
        "// Calls every generated function with the spec's example arguments.\n\
         fn json(text: &str) -> serde_json::Value {{ serde_json::from_str(text).unwrap() }}\n\n\
         #[tokio::main]\n\
         async fn main() -> Result<(), oint::bitrix24::Error> {{\n\
         \x20   std::env::set_current_dir({dir:?}).unwrap();\n\
         \x20   let url = std::fs::read_to_string(\"url.txt\").unwrap();\n\
         \x20   let client = oint::bitrix24::Client::oauth(url.trim(), {TOKEN:?})?;\n\
         {body}\
         \x20   Ok(())\n\
         }}\n",
        dir = out.display().to_string(),
    );
    let file = out.join("every_method.rs");
    fs::write(&file, program).unwrap();
    file
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_api_compiles_as_documented_runs_and_refuses_wrong_calls() {
    let model = oint_codegen::model(&root().join("spec")).unwrap();
    let out = root().join("target/tests/generated-api");
    let _ = fs::remove_dir_all(&out);
    fs::create_dir_all(&out).unwrap();

    // The loopback server: one expected request per REST method.
    let server = MockServer::start().await;
    for library in &model.libraries {
        for method_ in library.methods() {
            let Some(rest) = method_.rest() else { continue };
            for (param, example) in method_.params.iter().zip(&method_.example.args) {
                if matches!(param.kind, oint_codegen::model::ParamKind::Binary { .. }) {
                    fs::write(out.join(&example.cli_raw), FILE_BYTES).unwrap();
                }
            }
            Mock::given(method("POST"))
                .and(path(format!("/rest/{}", rest.method)))
                .and(body_json(expected::expected_body(
                    method_, rest, TOKEN, FILE_BYTES,
                )))
                .respond_with(
                    ResponseTemplate::new(200)
                        .set_body_string(method_.example.result.clone())
                        .insert_header("content-type", "application/json"),
                )
                .expect(1)
                .named(method_.name.clone())
                .mount(&server)
                .await;
        }
    }
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
