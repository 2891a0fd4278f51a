//! In this repository (feature `regenerate`, which the workspace's root package turns on):
//! rewrites `src/generated/` from the spec when the spec changes, so that editing `spec/` and
//! running `cargo build` is all it takes; an invalid spec fails the build with the located
//! error. Without the feature (a consumer of the package) it does nothing: the generated code is
//! in the package, and no generator is compiled.

use std::process::ExitCode;

#[cfg(feature = "regenerate")]
fn main() -> ExitCode {
    use std::path::PathBuf;
    let manifest_dir = PathBuf::from(
        std::env::var("CARGO_MANIFEST_DIR")
            .expect("cargo sets CARGO_MANIFEST_DIR for build scripts"),
    );
    // `generated/spec` links to the top-level `spec/`.
    let spec = manifest_dir.join("spec");
    let spec = spec.canonicalize().unwrap_or(spec);
    println!("cargo::rerun-if-changed={}", spec.display());
    let written = manifest_dir.join("src/generated");
    let output = &oint_codegen::outputs::RUST;
    let done = oint_codegen::model(&spec)
        .map_err(oint_codegen::Error::from)
        .and_then(|model| {
            // Only what differs is written: the crate is not rebuilt for nothing.
            if output.check(&model, &written)?.is_empty() {
                return Ok(());
            }
            Ok(output.write(&model, &written, &spec)?)
        });
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "regenerate"))]
fn main() -> ExitCode {
    println!("cargo::rerun-if-changed=build.rs");
    ExitCode::SUCCESS
}
