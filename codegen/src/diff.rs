//! What a change of the spec changes for the people downstream: the Rust functions, the
//! commands of the CLI, the docs pages. `oint-codegen diff OLD NEW` lists each change with who
//! it touches and whether it breaks what they wrote, and says which version bump semver asks
//! for.
//!
//! Breaking: for Rust users, anything that makes a call that compiled stop compiling or mean
//! something else (a function or a library gone, a parameter added, removed, moved or retyped,
//! a result of another type) — arguments are positional; for CLI users, a command line that
//! worked and no longer does (a command or an option gone or renamed, an option now required or
//! of another type); for docs readers, a page that is no longer where links point.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Library, Method, Model, Param};

/// Who a change touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Rust,
    Cli,
    Docs,
}

impl Audience {
    fn title(self) -> &'static str {
        match self {
            Audience::Rust => "Rust users",
            Audience::Cli => "CLI users",
            Audience::Docs => "docs readers",
        }
    }
}

/// One change, as a person reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub audience: Audience,
    /// What changed: `oint::telegram::Client::send_image`, `oint telegram SendImage --picture`,
    /// `telegram/data-sending/send-image.md`.
    pub subject: String,
    /// How, in a few words: `removed`, `added`, `parameter `x` added`, …
    pub what: String,
    pub breaking: bool,
    /// Something new (a library, a method, a parameter, an option, a page): a minor release
    /// when nothing breaks.
    pub adds: bool,
}

/// The version bump semver asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// Nothing a user sees changed.
    None,
    Patch,
    Minor,
    Major,
}

/// The bump the changes ask for: major for a breaking one, minor for an addition, patch for
/// the rest (a description, an example), none when nothing changed.
pub fn bump(changes: &[Change]) -> Bump {
    if changes.iter().any(|c| c.breaking) {
        Bump::Major
    } else if changes.iter().any(|c| c.adds) {
        Bump::Minor
    } else if changes.is_empty() {
        Bump::None
    } else {
        Bump::Patch
    }
}

/// Every change from `old` to `new`, by library, then by method in the new spec's order.
pub fn diff(old: &Model, new: &Model) -> Vec<Change> {
    let mut changes = Vec::new();
    for library in &old.libraries {
        if !new.libraries.iter().any(|l| l.command == library.command) {
            changes.push(change(
                Audience::Rust,
                format!("oint::{}", library.command),
                "library removed",
                Effect::Breaks,
            ));
            changes.push(change(
                Audience::Cli,
                format!("oint {}", library.command),
                "library removed",
                Effect::Breaks,
            ));
        }
    }
    for library in &new.libraries {
        match old.libraries.iter().find(|l| l.command == library.command) {
            Some(before) => changes.extend(library_changes(before, library)),
            None => {
                changes.push(change(
                    Audience::Rust,
                    format!("oint::{}", library.command),
                    "library added",
                    Effect::Adds,
                ));
                changes.push(change(
                    Audience::Cli,
                    format!("oint {}", library.command),
                    "library added",
                    Effect::Adds,
                ));
            }
        }
    }
    changes
}

/// What a change does to the people who use what changed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Effect {
    /// Their code, command lines or links stop working.
    Breaks,
    /// Something new, nothing lost.
    Adds,
    /// Words or examples only.
    Edits,
}

fn change(audience: Audience, subject: String, what: impl Into<String>, effect: Effect) -> Change {
    Change {
        audience,
        subject,
        what: what.into(),
        breaking: effect == Effect::Breaks,
        adds: effect == Effect::Adds,
    }
}

fn library_changes(old: &Library, new: &Library) -> Vec<Change> {
    let mut changes = Vec::new();
    let before: BTreeMap<&str, &Method> = old.methods().map(|m| (m.name.as_str(), m)).collect();
    let after: BTreeMap<&str, &Method> = new.methods().map(|m| (m.name.as_str(), m)).collect();
    // A method gone and one new that call the same REST method: a rename.
    let rest_of = |m: &Method| m.rest().map(|r| r.method.clone());
    let mut renamed: BTreeMap<&str, &Method> = BTreeMap::new();
    for (name, method) in &before {
        if after.contains_key(name) {
            continue;
        }
        let successor = new.methods().find(|m| {
            !before.contains_key(m.name.as_str())
                && rest_of(m).is_some()
                && rest_of(m) == rest_of(method)
        });
        match successor {
            Some(successor) => {
                renamed.insert(successor.name.as_str(), method);
                for (audience, old_subject, new_subject) in [
                    (
                        Audience::Rust,
                        rust_subject(old, method),
                        rust_subject(new, successor),
                    ),
                    (
                        Audience::Cli,
                        cli_subject(old, method),
                        cli_subject(new, successor),
                    ),
                ] {
                    changes.push(change(
                        audience,
                        old_subject,
                        format!("renamed to {new_subject}"),
                        Effect::Breaks,
                    ));
                }
            }
            None => {
                changes.push(change(
                    Audience::Rust,
                    rust_subject(old, method),
                    "removed",
                    Effect::Breaks,
                ));
                if method.cli {
                    changes.push(change(
                        Audience::Cli,
                        cli_subject(old, method),
                        "removed",
                        Effect::Breaks,
                    ));
                }
                changes.push(change(
                    Audience::Docs,
                    old.page_path(method),
                    "page removed",
                    Effect::Breaks,
                ));
            }
        }
    }
    for method in new.methods() {
        let old_method = before
            .get(method.name.as_str())
            .or_else(|| renamed.get(method.name.as_str()));
        match old_method {
            None => {
                changes.push(change(
                    Audience::Rust,
                    rust_subject(new, method),
                    "added",
                    Effect::Adds,
                ));
                if method.cli {
                    changes.push(change(
                        Audience::Cli,
                        cli_subject(new, method),
                        "added",
                        Effect::Adds,
                    ));
                }
                changes.push(change(
                    Audience::Docs,
                    new.page_path(method),
                    "page added",
                    Effect::Adds,
                ));
            }
            Some(was) => changes.extend(method_changes(old, was, new, method)),
        }
    }
    changes
}

fn rust_subject(library: &Library, method: &Method) -> String {
    format!("oint::{}::Client::{}", library.command, method.fn_name)
}

fn cli_subject(library: &Library, method: &Method) -> String {
    format!("oint {} {}", library.command, method.name)
}

fn method_changes(
    old_library: &Library,
    old: &Method,
    new_library: &Library,
    new: &Method,
) -> Vec<Change> {
    let mut changes = Vec::new();
    let rust = rust_subject(new_library, new);
    let cli = cli_subject(new_library, new);
    let find = |params: &[Param], name: &str| params.iter().position(|p| p.name == name);

    // Rust: the arguments are positional, so the list of (name, type) is the signature.
    for (i, param) in old.params.iter().enumerate() {
        match find(&new.params, &param.name) {
            None => changes.push(change(
                Audience::Rust,
                rust.clone(),
                format!("parameter `{}` removed", param.ident),
                Effect::Breaks,
            )),
            Some(j) => {
                let now = &new.params[j];
                if now.rust_type != param.rust_type {
                    changes.push(change(
                        Audience::Rust,
                        rust.clone(),
                        format!(
                            "parameter `{}` retyped: `{}` → `{}`",
                            param.ident, param.rust_type, now.rust_type
                        ),
                        Effect::Breaks,
                    ));
                }
                if j != i {
                    changes.push(change(
                        Audience::Rust,
                        rust.clone(),
                        format!(
                            "parameter `{}` moved from place {} to {}",
                            param.ident,
                            i + 1,
                            j + 1
                        ),
                        Effect::Breaks,
                    ));
                }
            }
        }
    }
    for param in &new.params {
        if find(&old.params, &param.name).is_none() {
            changes.push(change(
                Audience::Rust,
                rust.clone(),
                format!("parameter `{}` added", param.ident),
                // Every call of the function must now pass it.
                Effect::Breaks,
            ));
        }
    }
    if old.returns.result_type != new.returns.result_type
        || old.returns.builds_structure != new.returns.builds_structure
        || old.returns.file != new.returns.file
    {
        changes.push(change(
            Audience::Rust,
            rust.clone(),
            format!(
                "returns `{}` instead of `{}`",
                crate::model::answer_type(&new.returns),
                crate::model::answer_type(&old.returns)
            ),
            Effect::Breaks,
        ));
    }

    // CLI: options by name; their order does not matter.
    match (old.cli, new.cli) {
        (true, false) => changes.push(change(
            Audience::Cli,
            cli.clone(),
            "removed",
            Effect::Breaks,
        )),
        (false, true) => changes.push(change(Audience::Cli, cli.clone(), "added", Effect::Adds)),
        (false, false) => {}
        (true, true) => {
            for param in &old.params {
                match new.params.iter().find(|p| p.name == param.name) {
                    None => changes.push(change(
                        Audience::Cli,
                        cli.clone(),
                        format!("option --{} removed", param.flag),
                        Effect::Breaks,
                    )),
                    Some(now) => {
                        if now.flag != param.flag {
                            changes.push(change(
                                Audience::Cli,
                                cli.clone(),
                                format!("option --{} renamed to --{}", param.flag, now.flag),
                                Effect::Breaks,
                            ));
                        }
                        if now.cli_type != param.cli_type {
                            changes.push(change(
                                Audience::Cli,
                                cli.clone(),
                                format!("option --{} takes another type of value", now.flag),
                                Effect::Breaks,
                            ));
                        }
                        if now.required && !param.required {
                            changes.push(change(
                                Audience::Cli,
                                cli.clone(),
                                format!("option --{} now required", now.flag),
                                Effect::Breaks,
                            ));
                        }
                    }
                }
            }
            for param in &new.params {
                if !old.params.iter().any(|p| p.name == param.name) {
                    changes.push(change(
                        Audience::Cli,
                        cli.clone(),
                        format!("option --{} added", param.flag),
                        if param.required {
                            Effect::Breaks
                        } else {
                            Effect::Adds
                        },
                    ));
                }
            }
        }
    }

    // Docs: where the page is.
    let (was, now) = (old_library.page_path(old), new_library.page_path(new));
    if was != now {
        changes.push(change(
            Audience::Docs,
            was,
            format!("page moved to {now}"),
            Effect::Breaks,
        ));
    } else if old.description != new.description || old.example.result != new.example.result {
        changes.push(change(
            Audience::Docs,
            now,
            "page text changed",
            Effect::Edits,
        ));
    }
    changes
}

/// The changes for people: by audience, breaking first, then the bump.
pub fn report(changes: &[Change]) -> String {
    let mut out = String::new();
    if changes.is_empty() {
        out.push_str("No change for Rust users, CLI users or docs readers.\n");
    }
    for audience in [Audience::Rust, Audience::Cli, Audience::Docs] {
        let mut mine: Vec<&Change> = changes.iter().filter(|c| c.audience == audience).collect();
        if mine.is_empty() {
            continue;
        }
        mine.sort_by_key(|c| !c.breaking);
        out.push_str(&format!("{}:\n", audience.title()));
        for c in mine {
            let mark = if c.breaking { "breaking" } else { "ok" };
            out.push_str(&format!("  [{mark}] {}: {}\n", c.subject, c.what));
        }
    }
    let bump = bump(changes);
    out.push_str(&format!(
        "Semver: {}\n",
        match bump {
            Bump::None => "no release needed",
            Bump::Patch => "a patch release",
            Bump::Minor => "a minor release (0.x: a patch)",
            Bump::Major => "a major release (0.x: a minor one)",
        }
    ));
    out
}

/// The changes for tools: `{"bump": …, "breaking": n, "changes": […]}`.
pub fn json(changes: &[Change]) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        bump: Bump,
        breaking: usize,
        changes: &'a [Change],
    }
    let report = Report {
        bump: bump(changes),
        breaking: changes.iter().filter(|c| c.breaking).count(),
        changes,
    };
    serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
}
