//! The docs pages: one markdown page per method in the reference format, rendered by tera from
//! the template in `codegen/templates/`, and a `_category_.json` per group for Docusaurus.

use std::collections::BTreeMap;
use std::path::PathBuf;

use tera::{Context, Kwargs, State, Tera};

use super::guides;
use super::shells::Shell;
use super::{DOCS_COMMAND, TRANSLATIONS_COMMAND};
use crate::model::{Library, Method, Model};
use crate::words;

const METHOD_TEMPLATE: &str = include_str!("../../templates/method.md");

/// A file to write under the docs directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Relative to the docs directory, with `/` separators.
    pub path: PathBuf,
    pub text: String,
}

impl From<Page> for crate::write::OutputFile {
    fn from(page: Page) -> Self {
        crate::write::OutputFile {
            path: page.path,
            text: page.text,
        }
    }
}

/// Every page of every library in its first language, sorted by path: the site's own docs.
pub fn pages(model: &Model) -> Vec<Page> {
    let tera = templates();
    let mut pages = Vec::new();
    for library in &model.libraries {
        let words = words::of(&library.languages[0]);
        // The library's name and index text for the site's sidebar (a file Docusaurus leaves
        // alone: `_`).
        pages.push(Page {
            path: PathBuf::from(&library.command).join("_library_.json"),
            text: format!(
                "{{\n  \"label\": {},\n  \"description\": {}\n}}\n",
                json_text(&library.name),
                json_text(&words.library_index.replace("{label}", &library.name)),
            ),
        });
        for group in &library.groups {
            if group.methods.is_empty() {
                continue;
            }
            let dir = PathBuf::from(&library.command).join(&group.slug);
            pages.push(Page {
                path: dir.join("_category_.json"),
                text: category(&group.name, group.position),
            });
            for method in &group.methods {
                pages.push(Page {
                    path: dir.join(format!("{}.md", method.slug)),
                    text: method_page(&tera, library, method, 0),
                });
            }
        }
    }
    // The guides, first in the sidebar.
    let first = guides::languages(model)[0];
    let words = words::of(first);
    pages.push(Page {
        path: PathBuf::from(guides::DIR).join("_library_.json"),
        text: format!(
            "{{\n  \"label\": {},\n  \"description\": {},\n  \"position\": 0\n}}\n",
            json_text(&words.guides),
            json_text(&words.guides_index),
        ),
    });
    pages.extend(guides::pages(model, first, DOCS_COMMAND));
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    pages
}

/// The site's pages in every other language a library writes its prose in, laid out as
/// Docusaurus reads a locale's (relative to the site's `i18n` directory): each method page
/// under `<language>/docusaurus-plugin-content-docs/current/`, the sidebar's labels in
/// `current.json` beside it, the navbar's in `docusaurus-theme-classic/navbar.json`. Sorted by
/// path.
pub fn translated_pages(model: &Model) -> Vec<Page> {
    let tera = templates();
    let mut pages = Vec::new();
    // Language → the sidebar's translations (key → text), over every library that has it.
    let mut sidebars: BTreeMap<&str, BTreeMap<String, String>> = BTreeMap::new();
    for library in &model.libraries {
        for (index, language) in library.languages.iter().enumerate().skip(1) {
            let words = words::of(language);
            let docs = PathBuf::from(language).join("docusaurus-plugin-content-docs");
            let labels = sidebars.entry(language).or_default();
            category_labels(
                labels,
                &library.name,
                &library.name,
                &words.library_index.replace("{label}", &library.name),
            );
            for group in library.groups.iter().filter(|g| !g.methods.is_empty()) {
                labels.insert(
                    format!("sidebar.docs.category.{}", group.name.get(0)),
                    group.name.get(index).to_owned(),
                );
                let dir = docs
                    .join("current")
                    .join(&library.command)
                    .join(&group.slug);
                for method in &group.methods {
                    pages.push(Page {
                        path: dir.join(format!("{}.md", method.slug)),
                        text: method_page(&tera, library, method, index),
                    });
                }
            }
        }
    }
    let languages = guides::languages(model);
    let english = words::of(languages[0]);
    for language in &languages[1..] {
        let words = words::of(language);
        let labels = sidebars.entry(language).or_default();
        category_labels(labels, &english.guides, &words.guides, &words.guides_index);
        let current = PathBuf::from(language)
            .join("docusaurus-plugin-content-docs")
            .join("current");
        let landing = guides::landing(model, language, TRANSLATIONS_COMMAND);
        pages.push(Page {
            path: PathBuf::from(language)
                .join("docusaurus-plugin-content-pages")
                .join(landing.path),
            text: landing.text,
        });
        pages.extend(
            guides::pages(model, language, TRANSLATIONS_COMMAND)
                .into_iter()
                .map(|page| Page {
                    path: current.join(page.path),
                    text: page.text,
                }),
        );
    }
    for (language, labels) in sidebars {
        let words = words::of(language);
        pages.push(Page {
            path: PathBuf::from(language)
                .join("docusaurus-plugin-content-docs")
                .join("current.json"),
            text: messages(&labels),
        });
        // The site's own words: the search box's (the search plugin asks Docusaurus for them
        // by these ids).
        pages.push(Page {
            path: PathBuf::from(language).join("code.json"),
            text: messages(&BTreeMap::from([
                ("theme.SearchBar.label".to_owned(), words.search.clone()),
                (
                    "theme.SearchBar.noResultsText".to_owned(),
                    words.search_no_results.clone(),
                ),
                (
                    "theme.SearchBar.seeAll".to_owned(),
                    words.search_see_all.clone(),
                ),
            ])),
        });
        pages.push(Page {
            path: PathBuf::from(language)
                .join("docusaurus-theme-classic")
                .join("navbar.json"),
            text: messages(&BTreeMap::from([(
                "item.label.Docs".to_owned(),
                words.docs.clone(),
            )])),
        });
    }
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    pages
}

/// The translations of a top-level sidebar category (its label in the first language is its
/// key): its label, and its index page's title and description.
fn category_labels(labels: &mut BTreeMap<String, String>, key: &str, label: &str, about: &str) {
    let category = format!("sidebar.docs.category.{key}");
    labels.insert(
        format!("{category}.link.generated-index.title"),
        label.to_owned(),
    );
    labels.insert(
        format!("{category}.link.generated-index.description"),
        about.to_owned(),
    );
    labels.insert(category, label.to_owned());
}

/// A Docusaurus translation file: each key with its `message`.
fn messages(texts: &BTreeMap<String, String>) -> String {
    let entries: Vec<String> = texts
        .iter()
        .map(|(key, text)| {
            format!(
                "  {}: {{\n    \"message\": {}\n  }}",
                json_text(key),
                json_text(text)
            )
        })
        .collect();
    format!("{{\n{}\n}}\n", entries.join(",\n"))
}

fn json_text(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

pub(super) fn templates() -> Tera {
    let mut tera = Tera::default();
    // Markdown, not HTML: MDX's own characters are escaped by the filters below instead.
    tera.autoescape_on(Vec::<&str>::new());
    tera.register_filter("mdx", |s: &str, _: Kwargs, _: &State| mdx(s));
    tera.register_filter("mdx_cell", |s: &str, _: Kwargs, _: &State| mdx_cell(s));
    if let Err(error) = tera.add_raw_template("method.md", METHOD_TEMPLATE) {
        panic!("codegen/templates/method.md does not parse: {error}");
    }
    tera
}

/// What the template reads of the library: the connection values before and after a method's
/// own, each mode's example, and the command-line example's connection options.
fn library_context(library: &Library, language: usize) -> serde_json::Value {
    let modes: Vec<serde_json::Value> = library
        .modes
        .iter()
        .map(|mode| {
            serde_json::json!({
                "name": mode.name,
                "note": mode.example_note.get(language),
                "args": mode.example_args(),
            })
        })
        .collect();
    let connection = |last: bool| {
        library
            .connection_at(last)
            .map(|param| {
                let mut value = serde_json::to_value(param).unwrap_or_default();
                value["description"] = param.description.get(language).into();
                value
            })
            .collect::<Vec<_>>()
    };
    serde_json::json!({
        "command": library.command,
        "first": connection(false),
        "last": connection(true),
        "modes": modes,
    })
}

/// The method as its page in the library's `language`-th language shows it: its prose in that
/// language, each parameter's note on being optional in its words.
fn method_context(method: &Method, language: usize, words: &words::Words) -> serde_json::Value {
    let mut value = serde_json::to_value(method).unwrap_or_default();
    value["title"] = method.title.get(language).into();
    value["description"] = method.description.get(language).into();
    value["notes"] = method.notes.as_ref().map(|n| n.get(language)).into();
    value["deprecated"] = method.deprecated.as_ref().map(|d| d.get(language)).into();
    value["returns"]["description"] = method.returns.description.get(language).into();
    for (i, param) in method.params.iter().enumerate() {
        let note = match (param.required, param.default_shown.as_deref()) {
            (true, _) => String::new(),
            (false, Some(default)) if default != "empty" => {
                words.optional_default.replace("{default}", default)
            }
            (false, _) => words.optional.clone(),
        };
        value["params"][i]["description"] = param.description.get(language).into();
        value["params"][i]["optional_note"] = note.into();
    }
    value
}

fn method_page(tera: &Tera, library: &Library, method: &Method, language: usize) -> String {
    let words = words::of(&library.languages[language]);
    let mut context = Context::new();
    context.insert("words", words);
    context.insert(
        "preamble",
        &crate::outputs::Preamble {
            from: &method.source,
            command: if language == 0 {
                DOCS_COMMAND
            } else {
                TRANSLATIONS_COMMAND
            },
        }
        .markdown(),
    );
    // Only what the template reads: the whole library would put every method into every
    // page's context (quadratic in the number of methods).
    context.insert("library", &library_context(library, language));
    context.insert("method", &method_context(method, language, words));
    let rest = method.rest();
    context.insert("rest", &rest);
    let connects = rest.is_some_and(|rest| rest.server.is_none());
    context.insert("connects", &connects);
    let server = rest
        .and_then(|rest| rest.server.as_ref())
        .and_then(|name| library.servers.iter().find(|s| s.name == *name));
    context.insert("server_url", &server.map(|s| s.url.as_str()));
    // What a method that makes no call does, as the hook that builds its result says.
    let hook = match &method.action {
        crate::model::Action::Template(t) => t.hook.map(|hook| hook.name()),
        _ => None,
    };
    let template_tip = words
        .template_does
        .get(hook.unwrap_or("value"))
        .or(words.template_does.get("value"));
    context.insert("template_tip", &template_tip);
    let (print, printed) = match &method.returns {
        returns if returns.file => ("{} bytes", ", answer.len()"),
        returns if returns.builds_structure => ("{answer}", ""),
        _ => ("{:?}", ", answer.result"),
    };
    context.insert("print", print);
    context.insert("printed", printed);
    // A file's example is a JSON string that describes its bytes: shown as text.
    let described = serde_json::from_str::<serde_json::Value>(&method.example.result)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .filter(|_| method.returns.file);
    context.insert(
        "result_lang",
        if described.is_some() { "text" } else { "json" },
    );
    context.insert(
        "result",
        described.as_deref().unwrap_or(&method.example.result),
    );
    // A template example that reads a file or parses a date needs `?`.
    context.insert(
        "fallible",
        &method.example.args.iter().any(|a| a.rust.contains(")?")),
    );
    // For search engines: the page's first sentence, and the names a reader may look for it
    // by (OPI's, the Rust function's, the REST method's, the library's). JSON text, which
    // YAML reads as it is.
    let mut keywords = vec![method.name.as_str(), method.fn_name.as_str()];
    keywords.extend(rest.map(|rest| rest.method.as_str()));
    keywords.push(library.name.as_str());
    let summary = crate::model::summary(method.description.get(language)) + ".";
    context.insert(
        "front_description",
        &serde_json::to_string(&summary).unwrap_or_default(),
    );
    context.insert(
        "front_keywords",
        &serde_json::to_string(&keywords).unwrap_or_default(),
    );
    let rust_args = method.example.rust_args();
    context.insert("rust_args", &rust_args);
    let [bash, cmd, powershell] = Shell::ALL.map(|shell| command_line(shell, library, method));
    context.insert(
        "command_lines",
        &serde_json::json!({"bash": bash, "cmd": cmd, "powershell": powershell}),
    );
    match tera.render("method.md", &context) {
        Ok(text) => text,
        Err(error) => panic!("codegen/templates/method.md does not render: {error:?}"),
    }
}

/// The method's example as a command line of `shell`: the connection's options (the values of
/// the library's command-line mode), the method's, then the connection's that come last.
pub(super) fn command_line(shell: Shell, library: &Library, method: &Method) -> String {
    let connects = method.rest().is_some_and(|rest| rest.server.is_none());
    let mode = library.cli_mode();
    let connection = |last: bool| {
        library
            .connection_at(last)
            .filter(|_| connects)
            .filter_map(|param| Some((param.flag.as_str(), mode.example_of(&param.name)?)))
            .collect::<Vec<_>>()
    };
    let mut options = connection(false);
    options.extend(
        method
            .params
            .iter()
            .zip(&method.example.args)
            .map(|(p, a)| (p.flag.as_str(), a.cli_raw.as_str())),
    );
    options.extend(connection(true));
    let head = format!("oint {} {}", library.command, method.name);
    shell.command_line(&head, &options)
}

/// Written by hand so the key order does not hang on serde_json's features.
fn category(label: &str, position: u32) -> String {
    let label = serde_json::to_string(label).unwrap_or_default();
    format!("{{\n  \"label\": {label},\n  \"position\": {position}\n}}\n")
}

/// Escapes what MDX would read as JSX or an expression in prose.
pub fn mdx(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '{' => out.push_str("\\{"),
            '}' => out.push_str("\\}"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// `mdx`, and a table cell's own rules: one line, `|` escaped.
pub fn mdx_cell(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    mdx(&one_line).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_mdx() {
        assert_eq!(super::mdx("a {b} <c>"), "a \\{b\\} &lt;c&gt;");
        assert_eq!(super::mdx_cell("a |\n b"), "a \\| b");
    }
}
