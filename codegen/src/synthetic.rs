//! A synthetic spec of any size, shaped like Bitrix24's, for the benchmarks (feature
//! `synthetic`; not compiled into what `generated/build.rs` uses).
//!
//! Its shape follows OPI's 179 Bitrix24 functions: 0 to 5 parameters a method (1.9 on
//! average), mostly IDs, then strings, flags, numbers, closed sets, arrays of IDs and
//! structures, one in eight optional (with a default for flags and numbers); up to 20 groups;
//! about one method in five is a read (`safe_to_repeat`); every method declares the type of its
//! `result`. Templates, binary data and fixed fields are left out: they are rare in OPI. The
//! library is `synthetic`: the spec can replace the real ones in a copy of the workspace and
//! the `oint` crate builds from it (`oint::synthetic`). Same `methods`, same bytes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::write::{OutputFile, WriteError, write_files};

/// The files of a spec of `methods` methods, relative to the spec root:
/// `synthetic/library.yaml` and `synthetic/methods/<Name>.yaml`.
pub fn files(methods: usize) -> Vec<OutputFile> {
    let groups = group_count(methods);
    let mut files = Vec::with_capacity(methods + 1);
    files.push(OutputFile {
        path: PathBuf::from("synthetic/library.yaml"),
        text: library(groups),
    });
    let mut kind_cursor = 0;
    for i in 0..methods {
        let (name, text) = method(i, groups, &mut kind_cursor);
        files.push(OutputFile {
            path: PathBuf::from(format!("synthetic/methods/{name}.yaml")),
            text,
        });
    }
    files
}

/// Writes the spec of `methods` methods under `root` (the spec directory). Files already
/// there and not part of it are left alone: give an empty or new directory.
pub fn write(root: &Path, methods: usize) -> Result<(), WriteError> {
    write_files(root, &files(methods))
}

/// Groups: about one per 8 methods, at least 2 and at most 20 (OPI has 20).
pub fn group_count(methods: usize) -> usize {
    (methods / 8).clamp(2, GROUPS.len())
}

/// Group name, REST prefix, object word.
const GROUPS: &[(&str, &str, &str)] = &[
    ("Chats and dialogs management", "im.chat", "Chat"),
    ("Messages management", "im.message", "Message"),
    ("Notifications management", "im.notify", "Notification"),
    ("Tasks management", "tasks.task", "Task"),
    ("Task comments management", "task.commentitem", "Comment"),
    ("Deals management", "crm.deal", "Deal"),
    ("Leads management", "crm.lead", "Lead"),
    ("Contacts management", "crm.contact", "Contact"),
    ("Companies management", "crm.company", "Company"),
    ("Products management", "crm.product", "Product"),
    ("Catalogs management", "catalog.catalog", "Catalog"),
    ("Files management", "disk.file", "File"),
    ("Folders management", "disk.folder", "Folder"),
    ("Storages management", "disk.storage", "Storage"),
    ("Users management", "user", "User"),
    ("Departments management", "department", "Department"),
    ("Calendar management", "calendar.event", "Event"),
    ("Timekeeping", "timeman.timecontrol", "Report"),
    ("Kanban management", "task.stages", "Stage"),
    ("News feed management", "log.blogpost", "Post"),
];

/// Verb, what it does, whether it is a read.
const VERBS: &[(&str, &str, bool)] = &[
    ("Get", "Returns", true),
    ("Create", "Creates", false),
    ("Update", "Changes", false),
    ("Delete", "Deletes", false),
    ("Add", "Adds", false),
    ("List", "Lists", true),
    ("Send", "Sends", false),
    ("Set", "Sets", false),
    ("Remove", "Removes", false),
    ("Change", "Changes", false),
    ("Attach", "Attaches", false),
];

/// Parameters per method, in turn: 0 to 5, 1.9 on average, as in OPI.
const PARAM_COUNTS: &[usize] = &[1, 2, 1, 0, 3, 1, 2, 1, 4, 2, 1, 5];

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Id,
    Text,
    Number,
    Flag,
    Choice,
    Ids,
    Structure,
}

/// Parameter types, in turn over every parameter: IDs first, as in OPI.
const KINDS: &[Kind] = &[
    Kind::Id,
    Kind::Id,
    Kind::Text,
    Kind::Id,
    Kind::Flag,
    Kind::Ids,
    Kind::Id,
    Kind::Number,
    Kind::Text,
    Kind::Choice,
    Kind::Id,
    Kind::Structure,
];

/// Every how many parameters one is optional (when it is a string, a number or a flag).
const OPTIONAL_EVERY: usize = 8;

/// Name, CLI option, field, description: at least 5 of each type, so a method never takes
/// the same one twice.
type Pool = &'static [(&'static str, &'static str, &'static str, &'static str)];

const IDS: Pool = &[
    ("ChatID", "--chat", "CHAT_ID", "ID of the chat"),
    ("UserID", "--user", "USER_ID", "ID of the user"),
    ("EntityID", "--entity", "ENTITY_ID", "ID of the entity"),
    ("OwnerID", "--owner", "OWNER_ID", "ID of the owner"),
    ("ParentID", "--parent", "PARENT_ID", "ID of the parent item"),
    ("FileID", "--file", "FILE_ID", "ID of the file on the disk"),
];

const TEXTS: Pool = &[
    ("Title", "--title", "TITLE", "New title"),
    ("Text", "--text", "MESSAGE", "Text of the message"),
    ("Description", "--description", "DESCRIPTION", "Description"),
    ("Color", "--color", "COLOR", "Color name, e.g. MINT"),
    ("Code", "--code", "CODE", "Symbolic code"),
    ("Name", "--name", "NAME", "Name"),
];

const NUMBERS: Pool = &[
    ("Limit", "--limit", "LIMIT", "How many items at most"),
    ("Offset", "--offset", "OFFSET", "How many items to skip"),
    ("Priority", "--priority", "PRIORITY", "Priority, 1 to 3"),
    ("Sort", "--sort", "SORT", "Sort index"),
    ("Duration", "--duration", "DURATION", "Duration in seconds"),
];

const CHOICES: Pool = &[
    ("Visibility", "--visibility", "VISIBILITY", "Who sees it"),
    ("Access", "--access", "ACCESS", "Who may open it"),
    ("Scope", "--scope", "SCOPE", "Where it applies"),
    ("Audience", "--audience", "AUDIENCE", "Whom it is for"),
    ("Exposure", "--exposure", "EXPOSURE", "How far it is shown"),
];

/// The closed set every choice parameter takes: one enum, shared.
const CHOICE_VALUES: &str = "values: [OPEN, CLOSED, HIDDEN]\n    enum: Visibility";

const ID_LISTS: Pool = &[
    ("UserIDs", "--users", "USERS", "IDs of the users"),
    ("ChatIDs", "--chats", "CHAT_IDS", "IDs of the chats"),
    (
        "MessageIDs",
        "--messages",
        "MESSAGE_IDS",
        "IDs of the messages",
    ),
    ("FileIDs", "--files", "FILE_IDS", "IDs of the files"),
    ("TaskIDs", "--tasks", "TASK_IDS", "IDs of the tasks"),
];

const STRUCTURES: Pool = &[
    ("Fields", "--fields", "FIELDS", "Fields to set"),
    ("Params", "--params", "PARAMS", "Parameters of the call"),
    ("Filter", "--filter", "FILTER", "Filter of the items"),
    ("Options", "--options", "OPTIONS", "Options"),
    ("Extra", "--extra", "EXTRA", "Extra fields"),
];

const FLAGS: Pool = &[
    (
        "Silent",
        "--silent",
        "SILENT",
        "Whether to skip notifications",
    ),
    ("Pinned", "--pinned", "PINNED", "Whether to pin it"),
    ("Urgent", "--urgent", "URGENT", "Whether it is urgent"),
    ("Hidden", "--hidden", "HIDDEN", "Whether to hide it"),
    ("Private", "--private", "PRIVATE", "Whether it is private"),
];

const TIME: &str = r#""time": {
  "start": 1760522268,
  "finish": 1760522268.34694,
  "duration": 0.346940994262695,
  "processing": 0,
  "date_start": "2025-10-15T09:57:48+00:00",
  "date_finish": "2025-10-15T09:57:48+00:00",
  "operating_reset_at": 1760522868,
  "operating": 0.100121021270752
 }"#;

/// A YAML scalar for any text: a JSON string is a YAML double-quoted scalar.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

fn library(groups: usize) -> String {
    let mut out = String::from(
        "# A synthetic spec for the benchmarks (oint_codegen::synthetic).\n\
         name: Synthetic\n\
         command: synthetic\n\
         description: >-\n  \
           Chats, tasks, deals and files of a portal, through its REST API: a synthetic library\n  \
           shaped like the first real one. Calls go through an inbound webhook, or carry the\n  \
           OAuth access token of an app.\n\
         connection:\n  \
           params:\n    \
             - name: URL\n      \
               cli: --url\n      \
               description: Inbound webhook URL, or the portal's domain when a token is given\n      \
               env: OINT_SYNTHETIC_URL\n    \
             - name: Token\n      \
               cli: --token\n      \
               description: OAuth access token of an app; leave it out to call through a webhook\n      \
               env: OINT_SYNTHETIC_TOKEN\n      \
               required: false\n      \
               secret: true\n      \
               place: last\n  \
           modes:\n    \
             - name: webhook\n      \
               description: A client for an inbound webhook.\n      \
               address: {given: URL}\n      \
               public_segments: [rest]\n      \
               example_note: \"Webhook: the URL carries the user and the webhook's secret.\"\n      \
               example: {URL: https://portal.example.com/rest/1/8xq7...}\n    \
             - name: oauth\n      \
               description: A client for an app's OAuth access token.\n      \
               when: Token\n      \
               address: {given: URL, append: rest/}\n      \
               credential: {param: Token, field: auth}\n      \
               public_segments: [rest]\n      \
               example_note: \"OAuth: the portal's domain and an access token.\"\n      \
               example: {URL: portal.example.com, Token: fe3fa966006e9f06006b12e400000001000...}\n\
         groups:\n",
    );
    for (i, (name, ..)) in GROUPS.iter().take(groups).enumerate() {
        let _ = writeln!(out, "  - name: {name}\n    position: {}", i + 1);
    }
    out.push_str(
        "errors:\n  \
           code: error\n  \
           description: error_description\n\
         encodings:\n  \
           boolean: yn\n  \
           date: datetime\n  \
           file: file\n\
         wire:\n  \
           result: result\n  \
           query: brackets\n\
         example:\n  \
           cli: oauth\n",
    );
    out
}

/// Method `i`: its name and its file. `kind_cursor` walks [`KINDS`] over all parameters.
fn method(i: usize, groups: usize, kind_cursor: &mut usize) -> (String, String) {
    let (group, prefix, object) = GROUPS[i % groups];
    let (verb, does, read) = VERBS[i % VERBS.len()];
    let name = format!("{verb}{object}{i}");
    let rest = format!("{prefix}.{}{i}", verb.to_ascii_lowercase());
    let count = PARAM_COUNTS[i % PARAM_COUNTS.len()];

    let mut out = String::new();
    let _ = writeln!(out, "name: {name}");
    let _ = writeln!(
        out,
        "description: {}",
        quoted(&format!(
            "{does} a {} of the portal, in synthetic method number {i}. Only a user with the \
             right to change {}s may call it; a webhook acts as its own user.",
            object.to_ascii_lowercase(),
            object.to_ascii_lowercase()
        ))
    );
    let _ = writeln!(out, "group: {group}");
    let _ = writeln!(out, "position: {}", i / groups + 1);
    let _ = writeln!(out, "\nrest:\n  method: {rest}");
    let _ = writeln!(
        out,
        "  docs: https://docs.example.com/api-reference/{}/{}.html",
        prefix.replace('.', "/"),
        rest.rsplit('.').next().unwrap_or_default()
    );
    if read {
        let _ = writeln!(out, "  safe_to_repeat: true");
    }

    let mut used = [0usize; 7];
    let mut args = String::new();
    if count > 0 {
        out.push_str("\nparams:\n");
    }
    for _ in 0..count {
        let kind = KINDS[*kind_cursor % KINDS.len()];
        let optional = (*kind_cursor + 1).is_multiple_of(OPTIONAL_EVERY);
        *kind_cursor += 1;
        let (pool, types, example) = match kind {
            Kind::Id => (IDS, "[String, Number]", format!("{}", 452 + i)),
            Kind::Text => (TEXTS, "[String]", quoted(&format!("Synthetic text {i}"))),
            Kind::Number => (NUMBERS, "[Number]", "50".to_owned()),
            Kind::Flag => (FLAGS, "[Boolean]", i.is_multiple_of(2).to_string()),
            Kind::Choice => (CHOICES, "[String]", "OPEN".to_owned()),
            Kind::Ids => (ID_LISTS, "[Array]", "[1, 10]".to_owned()),
            Kind::Structure => (
                STRUCTURES,
                "[Structure]",
                "{TITLE: Team, COLOR: MINT}".to_owned(),
            ),
        };
        let slot = &mut used[kind as usize];
        let (param, cli, field, description) = pool[(i + *slot) % pool.len()];
        *slot += 1;
        let _ = write!(
            out,
            "  - name: {param}\n    cli: {cli}\n    types: {types}\n    field: {field}\n    \
             description: {description}\n"
        );
        match kind {
            Kind::Choice => {
                let _ = writeln!(out, "    {CHOICE_VALUES}");
            }
            Kind::Ids => out.push_str("    items: [String, Number]\n"),
            Kind::Flag if optional => out.push_str("    default: false\n"),
            Kind::Number if optional => out.push_str("    default: 50\n"),
            Kind::Text if optional => out.push_str("    required: false\n"),
            _ => {}
        }
        let _ = writeln!(args, "    {param}: {example}");
    }

    let result = if read && verb == "List" {
        "[\n  1,\n  10\n ]".to_owned()
    } else if read {
        format!("{{\n  \"ID\": \"{}\",\n  \"TITLE\": \"Team\"\n }}", 452 + i)
    } else {
        "true".to_owned()
    };
    let (what, result_type) = match (read, verb) {
        (true, "List") => ("the IDs asked for", "ids"),
        (true, _) => ("the item asked for", "object"),
        _ => ("true once it is done", "bool"),
    };
    let _ = write!(
        out,
        "\nreturns:\n  type: Map Of KeyAndValue\n  description: the answer of the service, whose \
         `result` is {what}\n  result: {result_type}\n"
    );
    out.push_str("\nexample:\n");
    if !args.is_empty() {
        out.push_str("  args:\n");
        out.push_str(&args);
    }
    out.push_str("  result: |\n");
    for line in format!("{{\n \"result\": {result},\n {TIME}\n}}").lines() {
        let _ = writeln!(out, "    {line}");
    }
    (name, out)
}

#[cfg(test)]
mod tests {
    use crate::model::{Item, ParamKind};

    /// Writes and loads a synthetic spec, as the benchmarks do.
    fn model(methods: usize) -> crate::Model {
        let dir = tempfile::tempdir().unwrap();
        super::write(dir.path(), methods).unwrap();
        crate::model(dir.path()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn is_valid_and_has_every_parameter_type() {
        for methods in [10, 100] {
            let model = model(methods);
            let library = &model.libraries[0];
            assert_eq!(library.methods().count(), methods);
            assert_eq!(library.groups.len(), super::group_count(methods));
            for kind in [
                ParamKind::Text,
                ParamKind::Number,
                ParamKind::Id,
                ParamKind::Flag,
                ParamKind::Choice,
                ParamKind::Array(Item::Id),
                ParamKind::Structure,
            ] {
                assert!(
                    library
                        .methods()
                        .flat_map(|m| &m.params)
                        .any(|p| p.kind == kind),
                    "{methods} methods: no {kind:?} parameter"
                );
            }
            assert!(
                library
                    .methods()
                    .flat_map(|m| &m.params)
                    .any(|p| !p.required),
                "{methods} methods: no optional parameter"
            );
            // Every output can be generated from it.
            // libraries.rs, the library's client, cli.rs.
            assert_eq!(crate::rust_files(&model).len(), 4);
            assert!(crate::docs_files(&model).len() > methods);
            assert_eq!(crate::openapi_files(&model).len(), 1);
        }
    }
}
