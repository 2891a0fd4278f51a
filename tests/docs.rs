//! The committed docs pages: up to date with the spec, and in the reference format.

use std::fs;
use std::path::{Path, PathBuf};

#[path = "support/shells.rs"]
mod shells;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn page(relative: &str) -> String {
    let path: PathBuf = root().join("generated/docs").join(relative);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every committed output of the registry (the Rust the package ships, the docs pages, the
/// OpenAPI documents) is what the spec gives.
#[test]
fn committed_outputs_are_up_to_date() {
    let model = oint_codegen::model(&root().join("spec")).unwrap();
    let mut checked = 0;
    for output in oint_codegen::outputs::OUTPUTS {
        let Some(dir) = output.dir_in(root()) else {
            continue;
        };
        let differences = output.check(&model, &dir).unwrap();
        assert!(
            differences.is_empty(),
            "{} is stale; run `{}` and commit:\n{}",
            dir.display(),
            output.command,
            differences.join("\n")
        );
        checked += 1;
    }
    assert_eq!(checked, 5);
}

/// The parts of the seed page, in order.
#[test]
fn delete_user_from_chat_page_has_every_part_in_order() {
    let page = page("bitrix24/chats-and-dialogs-management/delete-user-from-chat.md");
    let parts = [
        "---\n",
        "sidebar_position: 6\n",
        "---\n",
        "\n# Delete user from chat\n",
        "\nRemoves a member from a group chat.",
        "\n`pub fn delete_user_from_chat(&self, chat_id: impl IntoId, user_id: impl IntoId) -> Pending<'_, Answer<bool>>`\n",
        "\n| Parameter | CLI option | Type | Required | Description |\n|-|-|-|-|-|\n",
        "| URL | --url | String | &#x2714; | ",
        "\n| ChatID | --chat | String, Number | &#x2714; | ",
        "\n| UserID | --user | String, Number | &#x2714; | ",
        "\n| Token | --token | String | &#x2716; | ",
        "\nReturns: Map Of KeyAndValue - ",
        "\n:::tip\nMethod at API documentation: [im.chat.user.delete](https://apidocs.bitrix24.com/api-reference/chats/chat-users/im-chat-user-delete.html)\n:::\n",
        "\n```rust title=\"Code example\"\n",
        "client.delete_user_from_chat(452, 10).await?",
        "\n<Tabs groupId=\"shell\">\n<TabItem value=\"bash\" label=\"Bash\" default>\n",
        "\n```bash title=\"CLI command example\"\noint bitrix24 DeleteUserFromChat \\\n  --url \"b24-ar17wx.bitrix24.by\" \\\n  --chat \"452\" \\\n  --user \"10\" \\\n  --token \"fe3fa966006e9f06006b12e400000001000...\"\n```\n",
        "\n<TabItem value=\"cmd\" label=\"CMD\">\n",
        "\n```batch title=\"CLI command example\"\noint bitrix24 DeleteUserFromChat ^\n",
        "\n<TabItem value=\"powershell\" label=\"PowerShell\">\n",
        "\n```powershell title=\"CLI command example\"\noint bitrix24 DeleteUserFromChat `\n",
        "\n</Tabs>\n",
        "\n```json title=\"Result\"\n{\n \"result\": true,",
    ];
    let mut from = 0;
    for part in parts {
        match page[from..].find(part) {
            Some(at) => from += at + part.len(),
            None => panic!("missing or out of order: {part:?}\n--- page ---\n{page}"),
        }
    }
    // The rows sit in one table: nothing between them.
    assert!(page.contains("\n|-|-|-|-|-|\n| URL | --url | String | &#x2714; | "));
}

#[test]
fn result_block_is_the_recorded_json() {
    let page = page("bitrix24/chats-and-dialogs-management/delete-user-from-chat.md");
    let block = fenced(&page, "```json title=\"Result\"");
    let value: serde_json::Value = serde_json::from_str(&block).expect("the Result block is JSON");
    assert_eq!(value["result"], true);
    assert!(value["time"]["operating_reset_at"].is_number());
}

#[test]
fn category_names_the_group_and_its_position() {
    let text = page("bitrix24/chats-and-dialogs-management/_category_.json");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["label"], "Chats and dialogs management");
    assert_eq!(value["position"], 12);
}

/// Prose must not carry what MDX reads as JSX or an expression, outside code.
#[test]
fn pages_have_no_raw_mdx_characters_in_prose() {
    let translated = markdown_pages_in(&root().join("generated/i18n"));
    let guides = markdown_pages_in(&root().join("generated/docs/guides"));
    let landing = root().join("generated/pages/index.md");
    for path in markdown_pages()
        .into_iter()
        .chain(guides)
        .chain(translated)
        .chain([landing])
    {
        let text = fs::read_to_string(&path).unwrap();
        let mut in_code = false;
        for line in text.lines() {
            if line.starts_with("```") {
                in_code = !in_code;
                continue;
            }
            // The template's own markup: the tabs of the command line and their imports.
            let tabs = line.starts_with("import Tabs")
                || line.starts_with("import TabItem")
                || line.starts_with("<Tabs groupId=")
                || line.starts_with("<TabItem value=")
                || line == "</TabItem>"
                || line == "</Tabs>";
            if in_code || tabs || line.starts_with('`') || line == "<br/>" {
                continue;
            }
            // A heading's own anchor, `## Title {#id}`, is MDX's.
            let line = match line.rsplit_once(" {#") {
                Some((heading, id)) if line.starts_with('#') && id.ends_with('}') => heading,
                _ => line,
            };
            let prose: String = strip_code_spans(line);
            for c in ['{', '}', '<'] {
                let unescaped = prose
                    .match_indices(c)
                    .any(|(i, _)| i == 0 || &prose[i - 1..i] != "\\");
                assert!(
                    !unescaped,
                    "{}: unescaped {c:?} in {line:?}",
                    path.display()
                );
            }
        }
    }
}

/// The text of the fenced block that opens with `opening`.
pub fn fenced(page: &str, opening: &str) -> String {
    let start = page.find(opening).expect("the block is there") + opening.len() + 1;
    let end = start + page[start..].find("\n```").expect("the block is closed");
    page[start..end].to_owned()
}

fn strip_code_spans(line: &str) -> String {
    line.split('`').step_by(2).collect()
}

/// The method pages: every page of the docs but the guides.
fn markdown_pages() -> Vec<PathBuf> {
    let guides = root().join("generated/docs/guides");
    markdown_pages_in(&root().join("generated/docs"))
        .into_iter()
        .filter(|page| !page.starts_with(&guides))
        .collect()
}

fn markdown_pages_in(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                found.push(path);
            }
        }
    }
    assert!(!found.is_empty());
    found
}

/// Every page keeps the seed's parts, and its table ends before the `Returns:` line (a line
/// right after a table would be read as one more row). A method that is not a command has no
/// command line; a method that returns a file's bytes describes them as text.
#[test]
fn every_page_has_its_parts_and_a_closed_table() {
    let model = oint_codegen::model(&root().join("spec")).unwrap();
    let pages = markdown_pages();
    let methods: usize = model.libraries.iter().map(|l| l.methods().count()).sum();
    assert_eq!(pages.len(), methods);
    for path in pages {
        let text = fs::read_to_string(&path).unwrap();
        let shown = path.display();
        let source = text
            .lines()
            .find_map(|line| line.split_once("from ")?.1.split_once(". Do not edit"))
            .map(|(source, _)| source.to_owned())
            .unwrap_or_else(|| panic!("{shown}: no preamble"));
        let method = model
            .libraries
            .iter()
            .flat_map(|l| l.methods())
            .find(|m| m.source == source)
            .unwrap_or_else(|| panic!("{shown}: no method of {source}"));
        let command_line = "```bash title=\"CLI command example\"";
        assert_eq!(text.contains(command_line), method.cli, "{shown}");
        let result = if method.returns.file {
            "```text title=\"Result\""
        } else {
            "```json title=\"Result\""
        };
        for part in [
            "sidebar_position: ",
            "\n# ",
            "\n| Parameter | CLI option | Type | Required | Description |\n|-|-|-|-|-|\n",
            "\ndescription: \"",
            "\nkeywords: [",
            "\n:::tip\n",
            "```rust title=\"Code example\"",
            result,
        ] {
            assert!(text.contains(part), "{shown}: no {part:?}");
        }
        let lines: Vec<&str> = text.lines().collect();
        let returns = lines
            .iter()
            .position(|l| l.starts_with("Returns: "))
            .unwrap_or_else(|| panic!("{shown}: no Returns line"));
        assert_eq!(
            lines[returns - 1],
            "",
            "{shown}: the table runs into the Returns line"
        );
        assert!(lines[returns - 2].starts_with("| "), "{shown}");
    }
}

/// Every page's command line, in its three tabs, hands the program the same words — Bash's
/// (which `generated/tests/cli.rs` runs), CMD's and PowerShell's, each read by that shell's
/// rules — and those words are the command, then options of the method or of its library's
/// connection, each with its value.
#[test]
fn the_three_command_lines_of_every_page_give_the_same_words() {
    let model = oint_codegen::model(&root().join("spec")).unwrap();
    let mut checked = 0;
    for path in markdown_pages() {
        let text = fs::read_to_string(&path).unwrap();
        let shown = path.display();
        let Some([bash, cmd, powershell]) = shells::command_lines(&text) else {
            assert!(
                !text.contains("<Tabs"),
                "{shown}: tabs without three command lines"
            );
            continue;
        };
        let words = shells::bash_words(&bash);
        assert_eq!(shells::cmd_words(&cmd), words, "{shown}: CMD\n{cmd}");
        assert_eq!(
            shells::powershell_words(&powershell),
            words,
            "{shown}: PowerShell\n{powershell}"
        );
        assert_eq!(words.first().map(String::as_str), Some("oint"), "{shown}");
        let (library, method) = model
            .libraries
            .iter()
            .filter(|l| words.get(1) == Some(&l.command))
            .find_map(|l| Some((l, l.methods().find(|m| words.get(2) == Some(&m.name))?)))
            .unwrap_or_else(|| panic!("{shown}: {words:?} names no method"));
        let options: Vec<String> = method
            .params
            .iter()
            .map(|p| &p.flag)
            .chain(library.connection.iter().map(|c| &c.flag))
            .map(|flag| format!("--{flag}"))
            .collect();
        for pair in words[3..].chunks(2) {
            assert!(
                options.contains(&pair[0]),
                "{shown}: {} is no option of {}",
                pair[0],
                method.name
            );
            assert_eq!(pair.len(), 2, "{shown}: {} has no value", pair[0]);
        }
        checked += 1;
    }
    // Every command has its three lines; they were compared, not skipped.
    let commands: usize = model
        .libraries
        .iter()
        .map(|l| l.methods().filter(|m| m.cli).count())
        .sum();
    assert_eq!(checked, commands);
}

/// What a page shows that no language changes: its front matter's position and keywords, the
/// fences of its code blocks (without their titles) and their code (without its comments), the
/// markup of its tabs, and the first four cells of each parameter's row (name, option, type,
/// ✔/✖).
fn language_free_parts(page: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut in_code = false;
    let lines: Vec<&str> = page.lines().collect();
    for (i, line) in lines.iter().copied().enumerate() {
        let header = lines.get(i + 1) == Some(&"|-|-|-|-|-|");
        if let Some(fence) = line.strip_prefix("```") {
            in_code = !in_code;
            parts.push(format!(
                "```{}",
                fence.split(" title=").next().unwrap_or("")
            ));
        } else if in_code && line.trim_start().starts_with("// ") || header {
            continue;
        } else if in_code
            || line.starts_with("sidebar_position: ")
            || line.starts_with("keywords: ")
            || line.starts_with("import ")
            || line.starts_with("<Tabs")
            || line.starts_with("<TabItem")
            || line.starts_with("</Tab")
        {
            parts.push(line.to_owned());
        } else if line.starts_with("| ") {
            parts.push(line.split(" | ").take(4).collect::<Vec<_>>().join(" | "));
        }
    }
    parts
}

/// Every method has its page in each other language of its library, where Docusaurus reads that
/// locale's pages: the English page's structure (front matter, the table with its Required
/// column, the tip, the three command-line tabs, the code and the result, all the same), with
/// its words and the spec's prose in that language.
#[test]
fn every_page_has_its_translations_with_the_same_structure() {
    let model = oint_codegen::model(&root().join("spec")).unwrap();
    let docs = root().join("generated/docs");
    let mut translated = 0;
    for library in &model.libraries {
        assert!(
            library.languages.len() > 1,
            "{} is in one language",
            library.name
        );
        for language in &library.languages[1..] {
            let words = oint_codegen::words::of(language);
            let pages = root()
                .join("generated/i18n")
                .join(language)
                .join("docusaurus-plugin-content-docs/current");
            for english in markdown_pages_in(&docs.join(&library.command)) {
                let relative = english.strip_prefix(&docs).unwrap();
                let path = pages.join(relative);
                let shown = path.display();
                let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{shown}: {e}"));
                let original = fs::read_to_string(&english).unwrap();
                assert_eq!(
                    language_free_parts(&text),
                    language_free_parts(&original),
                    "{shown}"
                );
                let header = format!(
                    "\n| {} | {} | {} | {} | {} |\n|-|-|-|-|-|\n",
                    words.parameter,
                    words.cli_option,
                    words.type_,
                    words.required,
                    words.description
                );
                for part in [header.as_str(), "\ndescription: \"", "\n:::tip\n", "\n# "] {
                    assert!(text.contains(part), "{shown}: no {part:?}");
                }
                let description = |page: &str| {
                    page.lines()
                        .find(|line| line.starts_with("description: "))
                        .map(str::to_owned)
                };
                assert_ne!(
                    description(&text),
                    description(&original),
                    "{shown}: not translated"
                );
                if language == "ru" {
                    let russian = text.chars().filter(|c| ('а'..='я').contains(c)).count();
                    assert!(russian > 20, "{shown}: {russian} Russian letters");
                }
                translated += 1;
            }
        }
    }
    let method_pages = model
        .libraries
        .iter()
        .flat_map(|library| {
            library.languages[1..].iter().map(|language| {
                markdown_pages_in(
                    &root()
                        .join("generated/i18n")
                        .join(language)
                        .join("docusaurus-plugin-content-docs/current")
                        .join(&library.command),
                )
                .len()
            })
        })
        .sum::<usize>();
    assert_eq!(translated, method_pages);
    assert!(translated >= model.libraries.iter().map(|l| l.methods().count()).sum());
}

/// The guides and the landing page, in every language: each fact their templates state has its
/// words there (none is left `UNDESCRIBED`), and each link leads to a page that exists.
#[test]
fn the_guides_describe_every_fact_and_link_to_pages_that_exist() {
    let docs = root().join("generated/docs");
    let mut pages: Vec<(PathBuf, PathBuf)> = markdown_pages_in(&docs.join("guides"))
        .into_iter()
        .map(|page| (page, docs.clone()))
        .collect();
    pages.push((root().join("generated/pages/index.md"), docs.clone()));
    for entry in fs::read_dir(root().join("generated/i18n")).unwrap() {
        let locale = entry.unwrap().path();
        if !locale.is_dir() {
            continue;
        }
        let translated = locale.join("docusaurus-plugin-content-docs/current");
        for page in markdown_pages_in(&translated.join("guides")) {
            pages.push((page, translated.clone()));
        }
        pages.push((
            locale.join("docusaurus-plugin-content-pages/index.md"),
            translated.clone(),
        ));
    }
    assert!(
        pages.len() >= 14,
        "{} guides and landing pages",
        pages.len()
    );
    let mut links = 0;
    for (page, docs_root) in &pages {
        let text = fs::read_to_string(page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        assert!(
            !text.contains("UNDESCRIBED"),
            "{}: a fact without its words",
            page.display()
        );
        for target in text
            .split("](")
            .skip(1)
            .filter_map(|rest| rest.split_once(')'))
        {
            let target = target.0.split('#').next().unwrap();
            let file = if let Some(route) = target.strip_prefix("/docs/") {
                // A route: a page, or a folder's generated index.
                let path = docs_root.join(route);
                if path.is_dir() {
                    path
                } else {
                    path.with_extension("md")
                }
            } else {
                page.parent().unwrap().join(target)
            };
            assert!(
                file.exists(),
                "{}: the link to {target} leads nowhere",
                page.display()
            );
            links += 1;
        }
    }
    assert!(links > 100, "{links} links");
}
