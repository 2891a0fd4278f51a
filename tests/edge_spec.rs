//! The generator's edge-case spec (`codegen/tests/fixtures/edge`: one method per rarely used
//! shape) is not only snapshotted: its generated client and CLI compile, in a crate laid out as
//! `oint` is (the generated files included from `src/generated/`, the runtime beneath). The
//! crate lives under `target/edge-spec` with its own target directory, kept between runs.

use std::fs;
use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_edge_case_spec_generates_a_crate_that_compiles() {
    let model = oint_codegen::model(&root().join("codegen/tests/fixtures/edge")).unwrap();
    let work = root().join("target/edge-spec");
    let krate = work.join("crate");
    let _ = fs::remove_dir_all(&krate);
    fs::create_dir_all(krate.join("src")).unwrap();
    let runtime = root().join("runtime");
    fs::write(
        krate.join("Cargo.toml"),
        format!(
            "[package]\nname = \"oint-edge\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [features]\ndefault = [\"method-table\"]\nmethod-table = []\n\n\
             [dependencies]\noint-runtime = {{ path = {:?}, features = [\"cli\"] }}\n\
             serde_json = {{ version = \"1\", features = [\"preserve_order\"] }}\n\
             clap = {{ version = \"4\", features = [\"derive\", \"env\"] }}\n\n[workspace]\n",
            runtime.display().to_string()
        ),
    )
    .unwrap();
    // The same versions as the workspace's.
    fs::copy(root().join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    fs::write(
        krate.join("src/lib.rs"),
        "pub use oint_runtime as runtime;\n\
         include!(\"generated/libraries.rs\");\n\
         pub mod cli {\n    include!(\"generated/cli.rs\");\n}\n",
    )
    .unwrap();
    let files = (oint_codegen::outputs::RUST.files)(&model);
    assert!(files.iter().any(|f| f.path.ends_with("edge_client.rs")));
    oint_codegen::write::write_files(&krate.join("src/generated"), &files).unwrap();
    let output = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--offline", "--lib"])
        .current_dir(&krate)
        .env("CARGO_TARGET_DIR", work.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the edge-case spec's Rust does not compile:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
