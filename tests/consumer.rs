//! A program that depends on the `oint` package compiles no generator: the generated code is in
//! the package (`generated/src/generated/`, kept up to date by `tests/docs.rs`), and only this
//! repository's own builds turn on `regenerate`, which brings oint-codegen in as `build.rs`'s
//! dependency.

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The crates a build of `oint` with these extra arguments compiles (dependencies and build
/// dependencies, each once).
fn crates(extra: &[&str]) -> Vec<String> {
    let output = Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "oint",
            "-e",
            "normal,build",
            "--prefix",
            "none",
        ])
        .args(extra)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut names: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
        .collect();
    names.sort();
    names.dedup();
    names
}

const GENERATOR: [&str; 5] = [
    "oint-codegen",
    "prettyplease",
    "tera",
    "yaml_serde",
    "unsafe-libyaml",
];

#[test]
fn a_consumer_compiles_no_generator() {
    let consumer = crates(&[]);
    assert!(consumer.iter().any(|c| c == "oint-runtime"), "{consumer:?}");
    for generator in GENERATOR {
        assert!(
            !consumer.iter().any(|c| c == generator),
            "a consumer of oint compiles {generator}"
        );
    }
    // This repository's builds do regenerate (and so the check above can fail).
    let here = crates(&["--features", "regenerate"]);
    assert!(here.iter().any(|c| c == "oint-codegen"), "{here:?}");
}

#[test]
fn the_package_carries_the_generated_code() {
    let output = Command::new(env!("CARGO"))
        .args(["package", "-p", "oint", "--list", "--allow-dirty"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let files = String::from_utf8_lossy(&output.stdout);
    let model = oint_codegen::model(&root().join("spec")).unwrap();
    for file in (oint_codegen::outputs::RUST.files)(&model) {
        let path = format!("src/generated/{}", file.path.display());
        assert!(
            files.lines().any(|line| line == path),
            "{path} not in\n{files}"
        );
    }
}
