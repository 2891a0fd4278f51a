//! The docs pages: one markdown page per method in the reference format, rendered by tera from
//! the template in `codegen/templates/`, and a `_category_.json` per group for Docusaurus.

use std::path::PathBuf;

use tera::{Context, Kwargs, State, Tera};

use super::DOCS_COMMAND;
use super::shells::Shell;
use crate::model::{Library, Method, Model};

const METHOD_TEMPLATE: &str = include_str!("../../templates/method.md");

/// A file to write under the docs directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Relative to the docs directory, with `/` separators.
    pub path: PathBuf,
    pub text: String,
}

/// Every page of every library, sorted by path.
pub fn pages(model: &Model) -> Vec<Page> {
    let tera = templates();
    let mut pages = Vec::new();
    for library in &model.libraries {
        // The library's name for the site's sidebar (a file Docusaurus leaves alone: `_`).
        pages.push(Page {
            path: PathBuf::from(&library.command).join("_library_.json"),
            text: format!(
                "{{\n  \"label\": {}\n}}\n",
                serde_json::to_string(&library.name).unwrap_or_default()
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
                    text: method_page(&tera, library, method),
                });
            }
        }
    }
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    pages
}

fn templates() -> Tera {
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
fn library_context(library: &Library) -> serde_json::Value {
    let modes: Vec<serde_json::Value> = library
        .modes
        .iter()
        .map(|mode| {
            let args: Vec<String> = mode.example.iter().map(|v| format!("{v:?}")).collect();
            serde_json::json!({"name": mode.name, "note": mode.example_note, "args": args.join(", ")})
        })
        .collect();
    serde_json::json!({
        "command": library.command,
        "first": library.connection_at(false).collect::<Vec<_>>(),
        "last": library.connection_at(true).collect::<Vec<_>>(),
        "modes": modes,
    })
}

fn method_page(tera: &Tera, library: &Library, method: &Method) -> String {
    let mut context = Context::new();
    context.insert(
        "preamble",
        &crate::outputs::Preamble {
            from: &method.source,
            command: DOCS_COMMAND,
        }
        .markdown(),
    );
    // Only what the template reads: the whole library would put every method into every
    // page's context (quadratic in the number of methods).
    context.insert("library", &library_context(library));
    let method_value = serde_json::to_value(method).unwrap_or_default();
    context.insert("method", &method_value);
    let rest = method.rest();
    context.insert("rest", &rest);
    let connects = rest.is_some_and(|rest| rest.server.is_none());
    context.insert("connects", &connects);
    let server = rest
        .and_then(|rest| rest.server.as_ref())
        .and_then(|name| library.servers.iter().find(|s| s.name == *name));
    context.insert("server_url", &server.map(|s| s.url.as_str()));
    // What a method that makes no call does, as the hook that builds its result says.
    let template_tip = match &method.action {
        crate::model::Action::Template(t) => {
            t.hook.map_or(crate::spec::TEMPLATE_BUILDS, |h| h.does())
        }
        _ => crate::spec::TEMPLATE_BUILDS,
    };
    context.insert("template_tip", template_tip);
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
    let summary = crate::model::summary(&method.description) + ".";
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
    // The command line in each shell's tab: the connection's options, the method's, then the
    // connection's that come last.
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
    let [bash, cmd, powershell] = Shell::ALL.map(|shell| shell.command_line(&head, &options));
    context.insert(
        "command_lines",
        &serde_json::json!({"bash": bash, "cmd": cmd, "powershell": powershell}),
    );
    match tera.render("method.md", &context) {
        Ok(text) => text,
        Err(error) => panic!("codegen/templates/method.md does not render: {error:?}"),
    }
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
