//! The words of the docs pages that are not in the spec (headings, table columns, the site's
//! labels), in each language a library may write its prose in: `codegen/templates/words.yaml`.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

const WORDS: &str = include_str!("../templates/words.yaml");

/// The languages the docs pages have words in.
pub const KNOWN: &[&str] = &["en", "ru"];

/// One language's words. Each field is one string the page template or the site shows.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    /// The site's label for the locale, e.g. `English`, `Русский`.
    pub locale: String,
    pub deprecated: String,
    pub parameter: String,
    pub cli_option: String,
    #[serde(rename = "type")]
    pub type_: String,
    pub required: String,
    pub description: String,
    /// Added to an optional parameter's description: ` (optional)`.
    pub optional: String,
    /// ` (optional, default X)`, with `{default}` for the value.
    pub optional_default: String,
    pub returns: String,
    pub api_docs: String,
    pub no_call: String,
    /// What a template method does, by the hook that builds its result (`value` when none).
    pub template_does: BTreeMap<String, String>,
    pub no_portal: String,
    pub code_example: String,
    pub cli_example: String,
    pub result: String,
    /// The site's navbar label of the docs.
    pub docs: String,
    /// A library's index page in the sidebar, with `{label}` for its name.
    pub library_index: String,
    /// The sidebar's label of the guides, and the text of their index page.
    pub guides: String,
    pub guides_index: String,
    /// The search box: its label (and placeholder), what it says when nothing is found, and
    /// its link to every result.
    pub search: String,
    pub search_no_results: String,
    pub search_see_all: String,
}

static ALL: LazyLock<BTreeMap<String, Words>> = LazyLock::new(|| {
    serde_yaml::from_str(WORDS)
        .unwrap_or_else(|error| panic!("codegen/templates/words.yaml does not parse: {error}"))
});

/// The words of `language`, one of [`KNOWN`].
pub fn of(language: &str) -> &'static Words {
    match ALL.get(language) {
        Some(words) => words,
        None => panic!("codegen/templates/words.yaml has no `{language}`"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_known_language_has_its_words_and_no_other_is_there() {
        let listed: Vec<&str> = super::ALL.keys().map(String::as_str).collect();
        assert_eq!(listed, super::KNOWN);
        for language in super::KNOWN {
            let words = super::of(language);
            assert!(words.optional_default.contains("{default}"), "{language}");
            assert!(words.library_index.contains("{label}"), "{language}");
            assert!(words.template_does.contains_key("value"), "{language}");
            for hook in [
                crate::spec::TemplateHook::ButtonKeyboard,
                crate::spec::TemplateHook::InitData,
            ] {
                assert!(
                    words.template_does.contains_key(hook.name()),
                    "{language}: no tip for {}",
                    hook.name()
                );
            }
        }
    }
}
