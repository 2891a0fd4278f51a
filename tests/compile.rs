//! The generated API compiles the way the docs pages show it, and wrong calls fail to compile
//! with readable messages. All cases share one trybuild project (one build of the dependencies).

use std::fs;
use std::path::{Path, PathBuf};

/// Every `Code example` block of the docs pages, as a file trybuild compiles and runs. The
/// example's `main` would call the network, so it is wrapped in a module and not called.
fn page_examples() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = root.join("target/tests/page-examples");
    let _ = fs::remove_dir_all(&out);
    fs::create_dir_all(&out).unwrap();
    let model = oint_codegen::model(&root.join("spec")).unwrap();
    let mut files = Vec::new();
    for library in &model.libraries {
        for group in &library.groups {
            for method in &group.methods {
                let page_path = root
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
                        "// From {}\nmod page {{\n{}\n}}\n\nfn main() {{}}\n",
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

#[test]
fn generated_api_compiles_as_documented_and_refuses_wrong_calls() {
    let cases = trybuild::TestCases::new();
    for example in page_examples() {
        cases.pass(example);
    }
    cases.compile_fail("tests/ui/*.rs");
}
