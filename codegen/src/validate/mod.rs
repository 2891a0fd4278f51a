//! From the spec's files to the model: each value lowered into what the emitters read
//! (`lower`), and every rule checked (`check`) — values alone, then across values:
//! duplicates, clashes, references between files. Every problem is reported with its file, its
//! line and column where they can be found, and its path inside the document; no model leaves
//! here while there is one, so nothing is generated.

mod check;
mod lower;

use crate::diagnostics::{Diagnostic, Locator, SpecErrors, Step, path_text};
use crate::load::{LibraryFiles, SpecFile};
use crate::model::{Library, Method, Model};

pub fn validate(libraries: &[LibraryFiles]) -> Result<Model, SpecErrors> {
    let mut found = Vec::new();
    let mut model = Model {
        libraries: libraries
            .iter()
            .map(|files| library(files, &mut found))
            .collect(),
    };
    model.libraries.sort_by(|a, b| a.command.cmp(&b.command));
    check::commands(&model, &mut found);
    if found.is_empty() {
        Ok(model)
    } else {
        Err(SpecErrors(found))
    }
}

/// Types a library's module already has (its `Client` and what it re-exports from the runtime),
/// so no closed set may take their name.
const RESERVED_TYPES: &[&str] = &[
    "Client",
    "App",
    "Batch",
    "Key",
    "Limit",
    "List",
    "Page",
    "Pending",
    "RateLimit",
    "Results",
    "Tokens",
    "Answer",
    "Error",
    "Config",
    "Binary",
    "Date",
    "Server",
    "Upload",
    "Http",
    "Id",
    "IntoId",
    "Time",
    "Event",
    "Call",
    "MethodInfo",
    "TransportKind",
    "Option",
    "Result",
    "String",
    "Vec",
    "Value",
    "Box",
    "Self",
];

/// One library: its own values and its methods lowered, checked, then the methods placed.
fn library(files: &LibraryFiles, found: &mut Vec<Diagnostic>) -> Library {
    let library = lower::header(files);
    let methods: Vec<Option<Method>> = files
        .methods
        .iter()
        .map(|file| lower::method(file, &library))
        .collect();
    check::library(files, &library, &methods, found);
    lower::place(files, library, methods)
}

/// Collects diagnostics for one file.
struct Report<'a, T> {
    file: &'a SpecFile<T>,
    locator: Locator<'a>,
    found: &'a mut Vec<Diagnostic>,
    /// Languages the library declares but the pages cannot be written in: reported once, at
    /// `languages`, and not again at each text written in them.
    unusable: Vec<String>,
}

impl<'a, T> Report<'a, T> {
    fn new(file: &'a SpecFile<T>, found: &'a mut Vec<Diagnostic>) -> Self {
        Report {
            file,
            locator: Locator::new(&file.text),
            found,
            unusable: Vec::new(),
        }
    }

    fn error(&mut self, steps: &[Step<'_>], message: impl Into<String>) {
        self.found.push(Diagnostic {
            file: self.file.path.clone(),
            // Where the value is, or else the nearest value around it that can be found (a
            // key inside a flow map `{…}` is found at the map).
            location: (0..=steps.len())
                .rev()
                .find_map(|len| self.locator.locate(&steps[..len]).filter(|_| len > 0)),
            path: path_text(steps),
            message: message.into(),
        });
    }
}
