//! oint-codegen: turns a YAML spec of API methods into a Rust client, CLI code and markdown docs.
//!
//! The flow: [`load`] reads the YAML into [`spec`] structs (unknown keys and malformed values
//! are refused with their line and column) → [`validate`] lowers them into the one
//! [`mod@model`] and checks every rule on them (`validate/lower.rs` builds, `validate/check.rs`
//! reports) → the emitters in [`emit`] each read the model → [`mod@write`] puts files in place.
//! Nothing is written while the spec has an error.

pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod load;
pub mod model;
pub mod outputs;
pub mod parallel;
pub mod spec;
#[cfg(any(test, feature = "synthetic"))]
pub mod synthetic;
pub mod validate;
pub mod words;
pub mod write;

use std::path::{Path, PathBuf};

pub use diagnostics::{Diagnostic, SpecErrors};
pub use model::Model;
pub use write::{OutputFile, WriteError};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Spec(#[from] SpecErrors),
    #[error("cannot write {0}")]
    Write(#[from] WriteError),
}

/// Loads and validates the spec under `root` (one directory per library).
pub fn model(root: &Path) -> Result<Model, SpecErrors> {
    validate::validate(&load::load(root)?)
}

/// The Rust files `generated/build.rs` writes: the modules of the libraries (`libraries.rs`),
/// the client of each library (`<library>_client.rs`) and its table of methods for tools
/// (`<library>_methods.rs`), and the CLI (`cli.rs`).
pub fn rust_files(model: &Model) -> Vec<OutputFile> {
    // The clients on one thread, the CLI (all libraries') on another.
    let (clients, cli) = parallel::join(
        || {
            let mut files = vec![OutputFile {
                path: PathBuf::from("libraries.rs"),
                text: emit::client::libraries(model),
            }];
            for library in &model.libraries {
                files.push(OutputFile {
                    path: PathBuf::from(format!("{}_client.rs", library.command)),
                    text: emit::client::client(library),
                });
                files.push(OutputFile {
                    path: PathBuf::from(format!("{}_methods.rs", library.command)),
                    text: emit::client::method_table(library),
                });
            }
            files
        },
        || OutputFile {
            path: PathBuf::from("cli.rs"),
            text: emit::cli::cli(model),
        },
    );
    let mut files = clients;
    files.push(cli);
    files
}

/// The docs pages, relative to the docs directory.
pub fn docs_files(model: &Model) -> Vec<OutputFile> {
    emit::docs::pages(model)
        .into_iter()
        .map(OutputFile::from)
        .collect()
}

/// The site's landing page, in the first language.
pub fn page_files(model: &Model) -> Vec<OutputFile> {
    let language = emit::guides::languages(model)[0];
    vec![emit::guides::landing(model, language, outputs::PAGES.command).into()]
}

/// The docs pages in every other language, under the site's `i18n` directory.
pub fn translation_files(model: &Model) -> Vec<OutputFile> {
    emit::docs::translated_pages(model)
        .into_iter()
        .map(OutputFile::from)
        .collect()
}

/// The OpenAPI 3.0.3 document of each library, named `<library>.json`.
pub fn openapi_files(model: &Model) -> Vec<OutputFile> {
    model
        .libraries
        .iter()
        .map(|library| OutputFile {
            path: PathBuf::from(emit::openapi::file_name(library)),
            text: emit::openapi::document(library),
        })
        .collect()
}

/// Generates the Rust files from `spec_root` into `out_dir`; what `build.rs` calls.
pub fn generate_rust(spec_root: &Path, out_dir: &Path) -> Result<(), Error> {
    let model = model(spec_root)?;
    outputs::RUST.write(&model, out_dir, spec_root)?;
    Ok(())
}

/// Makes `docs_dir` hold the pages generated from `spec_root` (and no longer hold the pages
/// it generated before and makes no more). A directory that holds a `Cargo.toml`, a `.git` or
/// the spec is refused.
pub fn generate_docs(spec_root: &Path, docs_dir: &Path) -> Result<(), Error> {
    let model = model(spec_root)?;
    outputs::DOCS.write(&model, docs_dir, spec_root)?;
    Ok(())
}

/// What differs between `docs_dir` and the pages generated from `spec_root`; empty when the
/// committed pages are up to date.
pub fn check_docs(spec_root: &Path, docs_dir: &Path) -> Result<Vec<String>, Error> {
    let model = model(spec_root)?;
    Ok(outputs::DOCS.check(&model, docs_dir)?)
}
