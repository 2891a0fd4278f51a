//! Every output of the generator, in one registry: what makes it, where it is kept, how it is
//! written and checked, and the one preamble each of its files opens with.
//!
//! Every output is committed: the Rust ([`RUST`], shipped in the `oint` package so that a
//! consumer's build runs no generator), the docs pages ([`DOCS`]) and the OpenAPI documents
//! ([`OPENAPI`]). `oint-codegen generate` writes them, `generate --check` compares them (CI runs
//! it, and a test), and in this repository `generated/build.rs` rewrites the Rust when the spec
//! changes; all through [`Output::write`] and [`Output::check`].

use std::path::{Path, PathBuf};

use crate::model::Model;
use crate::write::{self, OutputFile, WriteError};

/// One output of the generator.
pub struct Output {
    /// As `--only` names it: `rust`, `docs`, `pages`, `translations`, `openapi`.
    pub name: &'static str,
    /// Where it is kept, relative to the repository's root; `None` for an output that is not
    /// committed.
    pub dir: Option<&'static str>,
    /// A directory of its own, whose files the generator owns (a manifest lists them, and a
    /// file no longer generated is deleted), rather than files among others.
    pub tree: bool,
    /// The command that regenerates it, as its preamble says.
    pub command: &'static str,
    /// Its files, relative to its directory.
    pub files: fn(&Model) -> Vec<OutputFile>,
}

/// The Rust the crate includes (`libraries.rs`, each `<library>_client.rs` and
/// `<library>_methods.rs`, `cli.rs`).
pub const RUST: Output = Output {
    name: "rust",
    dir: Some("generated/src/generated"),
    tree: true,
    // In this repository a plain `cargo build` does it too (generated/build.rs, feature
    // `regenerate`).
    command: "cargo run -p oint-codegen -- generate --only rust",
    files: crate::rust_files,
};

/// The docs pages, one per method, and each library's sidebar label.
pub const DOCS: Output = Output {
    name: "docs",
    dir: Some("generated/docs"),
    tree: true,
    command: "cargo run -p oint-codegen -- generate --only docs",
    files: crate::docs_files,
};

/// The site's landing page (`index.md`): what oint is, where each reader starts, the libraries.
pub const PAGES: Output = Output {
    name: "pages",
    dir: Some("generated/pages"),
    tree: true,
    command: "cargo run -p oint-codegen -- generate --only pages",
    files: crate::page_files,
};

/// The docs pages in every language but a library's first (`languages` in library.yaml), with
/// the sidebar's and the navbar's words: the site's `i18n` directory, laid out as Docusaurus
/// reads it (`<language>/docusaurus-plugin-content-docs/current/<library>/…`).
pub const TRANSLATIONS: Output = Output {
    name: "translations",
    dir: Some("generated/i18n"),
    tree: true,
    command: "cargo run -p oint-codegen -- generate --only translations",
    files: crate::translation_files,
};

/// The OpenAPI 3.0.3 document of each library (`<library>.json`).
pub const OPENAPI: Output = Output {
    name: "openapi",
    dir: Some("generated/openapi"),
    tree: false,
    command: "cargo run -p oint-codegen -- generate --only openapi",
    files: crate::openapi_files,
};

/// Every output, in the order they are written.
pub const OUTPUTS: [&Output; 5] = [&RUST, &DOCS, &PAGES, &TRANSLATIONS, &OPENAPI];

impl Output {
    /// Puts the files of this output under `dir`. A tree replaces what the generator wrote
    /// there before; `spec_root` is refused as (or around) that tree.
    pub fn write(&self, model: &Model, dir: &Path, spec_root: &Path) -> Result<(), WriteError> {
        let files = (self.files)(model);
        if self.tree {
            write::check_output_tree(dir, spec_root)?;
            write::replace_tree(dir, &files)
        } else {
            write::write_files(dir, &files)
        }
    }

    /// What differs between `dir` and what this output is from `model`, one line each; empty
    /// when they match. In a directory of files among others, only this output's are read.
    pub fn check(&self, model: &Model, dir: &Path) -> Result<Vec<String>, WriteError> {
        let files = (self.files)(model);
        if self.tree {
            return write::diff_tree(dir, &files);
        }
        Ok(files
            .iter()
            .filter_map(|file| {
                let path = dir.join(&file.path);
                match std::fs::read(&path) {
                    Ok(old) if old == file.text.as_bytes() => None,
                    Ok(_) => Some(format!("{} is out of date", path.display())),
                    Err(_) => Some(format!("{} is missing", path.display())),
                }
            })
            .collect())
    }

    /// Its directory under the repository's root `root`, when it is committed.
    pub fn dir_in(&self, root: &Path) -> Option<PathBuf> {
        self.dir.map(|dir| root.join(dir))
    }
}

/// The output named `name`.
pub fn named(name: &str) -> Option<&'static Output> {
    OUTPUTS.into_iter().find(|output| output.name == name)
}

/// What every generated file says first, where its syntax allows: where it comes from and how to
/// regenerate it. One wording, in each output's comment form.
pub struct Preamble<'a> {
    /// The spec files it is made from, e.g. `spec/telegram/methods/SendImage.yaml`.
    pub from: &'a str,
    pub command: &'a str,
}

impl Preamble<'_> {
    fn sentence(&self) -> String {
        format!(
            "by oint-codegen from {}. Do not edit: change the spec and run `{}`.",
            self.from, self.command
        )
    }

    /// Two `//` lines and a blank one, `@generated` first as tools look for it.
    pub fn rust(&self) -> String {
        let sentence = self.sentence();
        let (what, how) = sentence
            .split_once(" Do not edit")
            .unwrap_or((&sentence, ""));
        format!("// @generated {what}\n// Do not edit{how}\n\n")
    }

    /// One line, for a page's front matter (a YAML comment).
    pub fn markdown(&self) -> String {
        format!("Generated {}", self.sentence())
    }

    /// The value of a JSON document's `x-generated` field.
    pub fn json(&self) -> String {
        self.sentence()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_wording_in_three_forms() {
        let preamble = Preamble {
            from: "spec/x/methods/A.yaml",
            command: "make",
        };
        assert_eq!(
            preamble.rust(),
            "// @generated by oint-codegen from spec/x/methods/A.yaml.\n\
             // Do not edit: change the spec and run `make`.\n\n"
        );
        assert_eq!(
            preamble.markdown(),
            "Generated by oint-codegen from spec/x/methods/A.yaml. Do not edit: change the spec and run `make`."
        );
        assert!(preamble.json().starts_with("by oint-codegen from spec/x/"));
        assert_eq!(named("docs").map(|o| o.dir), Some(Some("generated/docs")));
        assert!(named("nothing").is_none());
    }
}
