//! The guides beside the reference: pages written once per language as templates
//! (`codegen/templates/guides/<language>/<slug>.md`) and filled in with the facts they state —
//! from the spec (each library's connection, modes, limits, error signals, methods) and from the
//! runtime (`codegen/templates/guides/runtime.json`: exit codes, defaults, global options, which
//! `oint-runtime`'s test keeps up to date with its code). A fact changed in the spec or the
//! runtime changes the guide with it.

use std::path::PathBuf;

use serde_json::{Value, json};
use tera::Context;

use super::docs::{Page, command_line};
use super::shells::Shell;
use crate::model::{Library, Method, Model};

/// The runtime's facts, written by `oint-runtime`'s test `the_guides_facts_are_up_to_date`.
const RUNTIME_FACTS: &str = include_str!("../../templates/guides/runtime.json");

/// A page written per language: its template in each language, by language code.
type Templates = [(&'static str, &'static str); 2];

/// One guide: its file stem (and URL) and its templates.
struct Guide {
    slug: &'static str,
    templates: Templates,
}

macro_rules! guide {
    ($slug:literal) => {
        Guide {
            slug: $slug,
            templates: [
                (
                    "en",
                    include_str!(concat!("../../templates/guides/en/", $slug, ".md")),
                ),
                (
                    "ru",
                    include_str!(concat!("../../templates/guides/ru/", $slug, ".md")),
                ),
            ],
        }
    };
}

/// In the sidebar's order.
const GUIDES: [Guide; 6] = [
    guide!("getting-started"),
    guide!("authentication"),
    guide!("errors-and-exit-codes"),
    guide!("limits-retries-and-batches"),
    guide!("emulator"),
    guide!("cli-reference"),
];

/// The landing page's templates.
const LANDING: Templates = [
    ("en", include_str!("../../templates/landing/en.md")),
    ("ru", include_str!("../../templates/landing/ru.md")),
];

/// The folder of the guides among the docs, beside the libraries'.
pub const DIR: &str = "guides";

/// The languages of the guides: every language of some library, the first library's first.
pub fn languages(model: &Model) -> Vec<&str> {
    let mut languages: Vec<&str> = Vec::new();
    for library in &model.libraries {
        for language in &library.languages {
            if !languages.contains(&language.as_str()) {
                languages.push(language);
            }
        }
    }
    if languages.is_empty() {
        languages.push("en");
    }
    languages
}

/// The guides in `language`, each at `guides/<slug>.md`.
pub fn pages(model: &Model, language: &str, preamble_command: &str) -> Vec<Page> {
    let facts: Value = serde_json::from_str(RUNTIME_FACTS)
        .unwrap_or_else(|error| panic!("codegen/templates/guides/runtime.json: {error}"));
    let mut renderer = Renderer::new(model, language, preamble_command);
    renderer.context.insert("facts", &facts);
    GUIDES
        .iter()
        .enumerate()
        .map(|(position, guide)| {
            renderer.context.insert("position", &(position + 1));
            let name = format!("guides/{language}/{}.md", guide.slug);
            Page {
                path: PathBuf::from(DIR).join(format!("{}.md", guide.slug)),
                text: renderer.render(&name, &guide.templates),
            }
        })
        .collect()
}

/// The landing page in `language`: what oint is, where each kind of reader starts, and the
/// libraries.
pub fn landing(model: &Model, language: &str, preamble_command: &str) -> Page {
    let name = format!("landing/{language}.md");
    Page {
        path: PathBuf::from("index.md"),
        text: Renderer::new(model, language, preamble_command).render(&name, &LANDING),
    }
}

/// Renders the template of `language` among `templates` (`codegen/templates/<name>`), with the
/// preamble, the libraries' facts in that language, and what `more` adds.
/// The guides' and the landing page's templates in one language, with what each of them is
/// told: every library's facts, built once for all the pages.
struct Renderer<'a> {
    model: &'a Model,
    language: &'a str,
    preamble_command: &'a str,
    tera: tera::Tera,
    context: Context,
}

impl<'a> Renderer<'a> {
    fn new(model: &'a Model, language: &'a str, preamble_command: &'a str) -> Self {
        let libraries: Vec<Value> = model
            .libraries
            .iter()
            .map(|library| library_facts(library, language))
            .collect();
        let mut context = Context::new();
        context.insert("libraries", &libraries);
        Renderer {
            model,
            language,
            preamble_command,
            tera: super::docs::templates(),
            context,
        }
    }

    /// The page of `templates` in the renderer's language; `name` is the template's path under
    /// `codegen/templates/`.
    fn render(&mut self, name: &str, templates: &Templates) -> String {
        let language = self.language;
        let Some((_, template)) = templates.iter().find(|(code, _)| *code == language) else {
            panic!("codegen/templates/{name} is missing: every language of words::KNOWN needs it");
        };
        if let Err(error) = self.tera.add_raw_template(name, template) {
            panic!("codegen/templates/{name} does not parse: {error:?}");
        }
        let sources: Vec<String> = std::iter::once(format!("codegen/templates/{name}"))
            .chain(self.model.libraries.iter().map(|l| l.source.clone()))
            .collect();
        self.context.insert(
            "preamble",
            &crate::outputs::Preamble {
                from: &sources.join(", "),
                command: self.preamble_command,
            }
            .markdown(),
        );
        match self.tera.render(name, &self.context) {
            Ok(text) => text,
            Err(error) => panic!("codegen/templates/{name} does not render: {error:?}"),
        }
    }
}

/// What the guides say of one library, with its prose in `language` (the first where it has
/// none in that language).
fn library_facts(library: &Library, language: &str) -> Value {
    let index = library
        .languages
        .iter()
        .position(|l| l == language)
        .unwrap_or(0);
    let connection: Vec<Value> = library
        .connection
        .iter()
        .map(|param| {
            json!({
                "name": param.name,
                "flag": param.flag,
                "env": param.env,
                "required": param.required,
                "secret": param.secret,
                "description": param.description.get(index),
            })
        })
        .collect();
    let modes: Vec<Value> = library
        .modes
        .iter()
        .map(|mode| {
            json!({
                "name": mode.name,
                "note": mode.example_note.get(index),
                "when": mode.when,
                "credential": mode.credential.as_ref().map(|c| match &c.place {
                    crate::model::CredentialPlace::Field(field) => {
                        json!({"param": c.param, "field": field})
                    }
                    crate::model::CredentialPlace::Header { name, prefix } => {
                        json!({"param": c.param, "header": name, "prefix": prefix})
                    }
                }),
                "args": mode.example_args(),
                "params": mode.params,
            })
        })
        .collect();
    let renewal = library.renewal.as_ref().and_then(|fn_name| {
        let method = library.methods().find(|m| &m.fn_name == fn_name)?;
        Some(json!({
            "method": method.name,
            "fn_name": method.fn_name,
            "mode": library.credential_mode().map(|mode| &mode.name),
            "page": page_link(library, method),
        }))
    });
    let signals: Vec<Value> = library
        .errors
        .signals
        .iter()
        .map(|signal| serde_json::to_value(signal).unwrap_or_default())
        .collect();
    let groups: Vec<Value> = library
        .groups
        .iter()
        .filter(|group| !group.methods.is_empty())
        .map(|group| {
            let methods: Vec<Value> = group
                .methods
                .iter()
                .map(|method| {
                    json!({
                        "name": method.name,
                        "title": method.title.get(index),
                        "cli": method.cli,
                        "page": page_link(library, method),
                    })
                })
                .collect();
            let commands: Vec<&Value> = methods.iter().filter(|m| m["cli"] == true).collect();
            json!({"name": group.name.get(index), "methods": methods, "commands": commands})
        })
        .collect();
    let methods: Vec<&Method> = library.methods().collect();
    // The spec's first call, or else the first command that calls the service and answers JSON.
    let first_call = library
        .first_call
        .as_ref()
        .and_then(|name| methods.iter().find(|m| &m.name == name));
    let example = first_call
        .or_else(|| methods.iter().find(|m| m.fits_a_first_call()))
        .map(|method| {
            json!({
                "name": method.name,
                "title": method.title.get(index),
                "fn_name": method.fn_name,
                "rust_args": method.example.rust_args(),
                "page": page_link(library, method),
                "bash": command_line(Shell::Bash, library, method),
            })
        });
    let safe = methods
        .iter()
        .filter(|m| m.rest().is_some_and(|rest| rest.safe_to_repeat))
        .count();
    let lists = methods
        .iter()
        .filter(|m| m.rest().is_some_and(|rest| rest.list.is_some()))
        .count();
    json!({
        "name": library.name,
        "command": library.command,
        "description": library.description.get(index),
        "connection": connection,
        "modes": modes,
        "renewal": renewal,
        "api_url_env": library.api_url_env,
        "errors": {"code": library.errors.code, "description": library.errors.description},
        "signals": signals,
        "rate_limit": library.rate_limit.map(|(burst, per_second)| json!({"burst": burst, "per_second": number(per_second)})),
        "time_budget": library.time_budget.map(number),
        "methods": methods.len(),
        "commands": methods.iter().filter(|m| m.cli).count(),
        "safe_to_repeat": safe,
        "lists": lists,
        "groups": groups,
        "example": example,
    })
}

/// A number as a person writes it: `2`, not `2.0`.
fn number(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        json!(value as i64)
    } else {
        json!(value)
    }
}

/// The link from a guide to a method's page, as a file path Docusaurus resolves in each locale.
fn page_link(library: &Library, method: &Method) -> String {
    format!("../{}", library.page_path(method))
}

#[cfg(test)]
mod tests {
    /// The runtime's facts parse, and each page written per language has its template in every
    /// language the pages have words in.
    #[test]
    fn every_guide_is_written_in_every_known_language() {
        let facts: serde_json::Value = serde_json::from_str(super::RUNTIME_FACTS).unwrap();
        assert!(
            facts["exit_codes"]
                .as_array()
                .is_some_and(|c| !c.is_empty())
        );
        let all = super::GUIDES.iter().map(|g| (g.slug, &g.templates));
        for (name, templates) in all.chain([("landing", &super::LANDING)]) {
            let codes: Vec<&str> = templates.iter().map(|(code, _)| *code).collect();
            assert_eq!(codes, crate::words::KNOWN, "{name}");
            for (_, template) in templates.iter() {
                assert!(template.contains("{{ preamble }}"), "{name}");
            }
        }
    }
}
