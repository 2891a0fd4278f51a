//! The three outputs. Each emitter reads the model only.

pub mod cli;
pub mod client;
pub mod docs;
pub mod guides;
pub mod openapi;
pub mod shells;

use proc_macro2::TokenStream;

use crate::model::Library;

pub use crate::model::CRATE;

/// The command that regenerates what `cargo build` generates.
pub const BUILD_COMMAND: &str = crate::outputs::RUST.command;

/// The command that regenerates the docs pages.
pub const DOCS_COMMAND: &str = crate::outputs::DOCS.command;
/// The command that regenerates the translated pages, as their preambles say.
pub const TRANSLATIONS_COMMAND: &str = crate::outputs::TRANSLATIONS.command;

/// Where a library's outputs come from, as their preambles say:
/// `spec/<library>/ (library.yaml and methods/*.yaml)`.
pub fn library_sources(library: &Library) -> String {
    let spec_dir = library
        .source
        .rsplit_once('/')
        .map_or(library.source.as_str(), |(dir, _)| dir);
    format!("{spec_dir}/ (library.yaml and methods/*.yaml)")
}

/// The first lines of a library's generated Rust file.
pub fn rust_preamble(library: &Library) -> String {
    crate::outputs::Preamble {
        from: &library_sources(library),
        command: BUILD_COMMAND,
    }
    .rust()
}

/// Prints tokens as a formatted Rust file. The tokens come from our own `quote!`, so a parse
/// failure is a bug in an emitter, reported as such.
pub fn format_rust(tokens: TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens) {
        Ok(file) => prettyplease::unparse(&file),
        Err(error) => panic!("oint-codegen emitted Rust that does not parse: {error}"),
    }
}

/// Parses a type or identifier the model wrote as text.
fn parse<T: syn::parse::Parse>(text: &str) -> T {
    match syn::parse_str(text) {
        Ok(parsed) => parsed,
        Err(error) => panic!("the model holds `{text}`, which is not Rust: {error}"),
    }
}
