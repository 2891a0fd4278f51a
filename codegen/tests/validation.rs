//! A table of broken specs, each with the exact message it must give: the file, the line and
//! column, the path inside the document, and what is wrong. And the binary: a broken spec exits
//! non-zero and writes nothing.

use std::fs;
use std::path::Path;
use std::process::Command;

const LIBRARY: &str = "\
name: Bitrix24
command: bitrix24
description: Chats of a portal.
connection:
  params:
    - name: URL
      cli: --url
      description: Webhook URL or domain
      env: OINT_BITRIX24_URL
    - name: Token
      cli: --token
      description: Access token
      env: OINT_BITRIX24_TOKEN
      required: false
      secret: true
      place: last
  modes:
    - name: webhook
      description: A webhook.
      address: {given: URL}
      public_segments: [rest]
      example_note: A webhook.
      example:
        URL: https://portal.bitrix24.by/rest/1/ab...
    - name: oauth
      description: A token.
      when: Token
      address: {given: URL, append: rest/}
      credential: {param: Token, field: auth}
      example_note: A token.
      example:
        URL: portal.bitrix24.by
        Token: fe3f...
groups:
  - name: Chats
    position: 12
  - name: Messages
    position: 13
wire:
  result: result
  query: brackets
example:
  cli: oauth
encodings:
  boolean: yn
  date: datetime
  file: file
errors:
  code: error
  description: error_description
  signals:
    - code: QUERY_LIMIT_EXCEEDED
      means: rate_limited
";

const METHOD: &str = "\
name: DeleteUserFromChat
description: Removes a member from a chat.
group: Chats
position: 6
rest:
  method: im.chat.user.delete
  docs: https://example.com/im.chat.user.delete
params:
  - name: ChatID
    cli: --chat
    types: [String, Number]
    field: CHAT_ID
    description: Chat ID
  - name: UserID
    cli: --user
    types: [String, Number]
    field: USER_ID
    description: User ID
returns:
  type: Map Of KeyAndValue
  description: the answer
example:
  args:
    ChatID: 452
    UserID: 10
  result: '{\"result\": true}'
";

/// Writes a spec with `library.yaml`, `methods/DeleteUserFromChat.yaml` and any extra method
/// files, and returns what `oint_codegen::model` says, with the directory cut from paths.
fn errors(library: &str, method: &str, extra: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("spec");
    write_spec(&root, library, method, extra);
    match oint_codegen::model(&root) {
        Ok(_) => "no error".to_owned(),
        Err(errors) => errors
            .to_string()
            .replace(&format!("{}/", root.join("bitrix24").display()), ""),
    }
}

fn write_spec(root: &Path, library: &str, method: &str, extra: &[(&str, &str)]) {
    let methods = root.join("bitrix24/methods");
    fs::create_dir_all(&methods).unwrap();
    fs::write(root.join("bitrix24/library.yaml"), library).unwrap();
    fs::write(methods.join("DeleteUserFromChat.yaml"), method).unwrap();
    for (name, text) in extra {
        fs::write(methods.join(name), text).unwrap();
    }
}

/// `METHOD` with one piece of text replaced; the replacement must apply.
fn method_with(from: &str, to: &str) -> String {
    assert!(METHOD.contains(from), "the fixture has no `{from}`");
    METHOD.replacen(from, to, 1)
}

fn library_with(from: &str, to: &str) -> String {
    assert!(LIBRARY.contains(from), "the fixture has no `{from}`");
    LIBRARY.replacen(from, to, 1)
}

const SUPPORTED: &str = "is not a supported type: use [String] (with `values` for a closed set), [Number], [String, Number], [Boolean], [Date], [Structure], [String, Structure], [BinaryData], [String, BinaryData], [Map] with `items: [BinaryData]`, or [Array] with `items` of [String], [Number], [String, Number] or [Structure] (with a single item's type beside it, e.g. [String, Array], for one value or several)";

/// The fixtures with their prose in English and Russian (`languages: [en, ru]`).
fn bilingual() -> (String, String) {
    let mut library = library_with(
        "command: bitrix24\n",
        "command: bitrix24\nlanguages: [en, ru]\n",
    );
    for (en, ru) in [
        ("description: Chats of a portal.", "Чаты портала."),
        (
            "description: Webhook URL or domain",
            "URL вебхука или домен",
        ),
        ("description: Access token", "Токен доступа"),
        ("example_note: A webhook.", "Вебхук."),
        ("example_note: A token.", "Токен."),
        ("name: Chats", "Чаты"),
        ("name: Messages", "Сообщения"),
    ] {
        let (key, text) = en.split_once(": ").unwrap();
        assert!(library.contains(en), "the fixture has no `{en}`");
        library = library.replacen(en, &format!("{key}: {{en: {text}, ru: {ru}}}"), 1);
    }
    let mut method = METHOD.to_owned();
    for (en, ru) in [
        (
            "description: Removes a member from a chat.",
            "Удаляет участника из чата.",
        ),
        ("description: Chat ID", "ID чата"),
        ("description: User ID", "ID пользователя"),
        ("description: the answer", "ответ"),
    ] {
        let (key, text) = en.split_once(": ").unwrap();
        assert!(method.contains(en), "the fixture has no `{en}`");
        method = method.replacen(en, &format!("{key}: {{en: {text}, ru: {ru}}}"), 1);
    }
    (library, method)
}

#[test]
fn each_missing_translation_is_a_located_error() {
    let (library, method) = bilingual();
    assert_eq!(errors(&library, &method, &[]), "no error");
    let m = "methods/DeleteUserFromChat.yaml";
    let l = "library.yaml";
    let cases: Vec<(&str, String, String)> = vec![
        (
            "a method's description in one language",
            errors(&library, &method.replacen("description: {en: Removes a member from a chat., ru: Удаляет участника из чата.}", "description: Removes a member from a chat.", 1), &[]),
            format!("{m}:2:1: description: is in one language, but the library's prose is in en, ru: write a text for each, e.g. `{{en: …, ru: …}}`"),
        ),
        (
            "a parameter's description without its Russian",
            errors(&library, &method.replacen("{en: User ID, ru: ID пользователя}", "{en: User ID}", 1), &[]),
            format!("{m}:18:5: params[1].description: has no `ru` text: the library's prose is in en, ru"),
        ),
        (
            "a text in a language the library does not declare",
            errors(&library, &method.replacen("{en: the answer, ru: ответ}", "{en: the answer, ru: ответ, de: die Antwort}", 1), &[]),
            format!("{m}:21:3: returns.description.de: `de` is not one of the library's languages (en, ru); `languages` in library.yaml declares them"),
        ),
        (
            "a language given twice",
            errors(&library, &method.replacen("{en: Chat ID, ru: ID чата}", "{en: Chat ID, ru: ID чата, ru: Чат}", 1), &[]),
            format!("{m}:13:18: params[0].description: `ru` is given twice"),
        ),
        (
            "a group's label without its Russian",
            errors(&library.replacen("{en: Messages, ru: Сообщения}", "Messages", 1), &method, &[]),
            format!("{l}:38:5: groups[1].name: is in one language, but the library's prose is in en, ru: write a text for each, e.g. `{{en: …, ru: …}}`"),
        ),
        (
            "a language the pages have no words in",
            errors(&library.replacen("languages: [en, ru]", "languages: [en, ru, fr]", 1), &method.replacen("{en: Chat ID, ru: ID чата}", "{en: Chat ID, ru: ID чата, fr: ID du chat}", 1), &[]),
            format!("{l}:3:1: languages[2]: the docs pages have no words in `fr`; they have them in en, ru (codegen/templates/words.yaml)"),
        ),
        (
            "a language listed twice",
            errors(&library.replacen("languages: [en, ru]", "languages: [en, ru, en]", 1), &method, &[]),
            format!("{l}:3:1: languages[2]: `en` is listed twice"),
        ),
        (
            "a language that is not a code",
            errors(&library.replacen("languages: [en, ru]", "languages: [en, Russian]", 1), &method, &[]),
            format!("{l}:3:17: languages[1]: `Russian` is not a language code: two lowercase letters, e.g. `en`, `ru`"),
        ),
        (
            "a first language other than English",
            errors(&library.replacen("languages: [en, ru]", "languages: [ru, en]", 1), &method, &[]),
            format!("{l}:3:1: languages[0]: the first language must be `en`: the site's own, and the client's, the CLI's and the OpenAPI document's"),
        ),
        (
            "a first call that is not a method",
            errors(&library.replacen("example:\n  cli: oauth", "example:\n  first_call: DeleteUserFromChats\n  cli: oauth", 1), &method, &[]),
            format!("{l}:44:3: example.first_call: no method is named `DeleteUserFromChats`"),
        ),
        (
            "a title without its Russian",
            errors(&library, &method.replacen("description:", "title: {en: Delete user from chat}\ndescription:", 1), &[]),
            format!("{m}:2:1: title: has no `ru` text: the library's prose is in en, ru"),
        ),
    ];
    let mut failures = Vec::new();
    for (name, got, want) in &cases {
        let want = format!("error: {want}");
        if got != &want {
            failures.push(format!("{name}:\n  want: {want}\n  got:  {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_fixture_is_valid() {
    assert_eq!(errors(LIBRARY, METHOD, &[]), "no error");
}

#[test]
fn each_broken_spec_gets_its_located_message() {
    let m = "methods/DeleteUserFromChat.yaml";
    let cases: Vec<(&str, String, String)> = vec![
        (
            "unknown key",
            errors(LIBRARY, &method_with("description: Removes", "descripton: Removes"), &[]),
            format!("{m}:2:1: unknown field `descripton`, expected one of `name`, `title`, `description`, `notes`, `deprecated`, `group`, `position`, `cli`, `rest`, `template`, `fixed`, `params`, `returns`, `example`"),
        ),
        (
            "unknown key, in a file before one that is not a method file: the first in file order is told",
            errors(LIBRARY, &method_with("description: Removes", "descripton: Removes"), &[("Zeta.yml", "name: Zeta\n")]),
            format!("{m}:2:1: unknown field `descripton`, expected one of `name`, `title`, `description`, `notes`, `deprecated`, `group`, `position`, `cli`, `rest`, `template`, `fixed`, `params`, `returns`, `example`"),
        ),
        (
            "unknown key in a parameter",
            errors(LIBRARY, &method_with("    field: USER_ID", "    feild: USER_ID"), &[]),
            format!("{m}:17:5: params[1]: unknown field `feild`, expected one of `name`, `cli`, `types`, `items`, `values`, `enum`, `encoding`, `field`, `merge`, `keys`, `description`, `required`, `default`, `send_default`, `unless`, `secret`, `env`, `part`, `file_name`, `not_empty`, `ignored`, `named_by`, `split`, `prepare`"),
        ),
        (
            "wrong value type",
            errors(LIBRARY, &method_with("position: 6", "position: six"), &[]),
            format!("{m}:4:11: position: invalid type: string \"six\", expected a position from 1 up"),
        ),
        (
            "missing key",
            errors(LIBRARY, &method_with("returns:\n  type: Map Of KeyAndValue\n  description: the answer\n", ""), &[]),
            format!("{m}:1:1: missing field `returns`"),
        ),
        (
            "YAML syntax",
            errors(LIBRARY, &method_with("position: 6", "\tposition: 6"), &[]),
            format!("{m}:4:1: found a tab character that violates indentation at line 4 column 1, while scanning a plain scalar at line 3 column 8"),
        ),
        (
            "duplicate key",
            errors(LIBRARY, &method_with("group: Chats", "group: Chats\ngroup: Messages"), &[]),
            format!("{m}:1:1: duplicate field `group`"),
        ),
        (
            "unknown type",
            errors(LIBRARY, &method_with("types: [String, Number]", "types: [Strng]"), &[]),
            format!("{m}:11:13: params[0].types[0]: unknown variant `Strng`, expected one of `String`, `Number`, `Boolean`, `Date`, `Structure`, `Map`, `Array`, `BinaryData`"),
        ),
        (
            "unsupported combination of types",
            errors(LIBRARY, &method_with("types: [String, Number]", "types: [Number, Boolean]"), &[]),
            format!("{m}:11:5: params[0].types: [Number, Boolean] is not a supported type: use [String] (with `values` for a closed set), [Number], [String, Number], [Boolean], [Date], [Structure], [String, Structure], [BinaryData], [String, BinaryData], [Map] with `items: [BinaryData]`, or [Array] with `items` of [String], [Number], [String, Number] or [Structure] (with a single item's type beside it, e.g. [String, Array], for one value or several)"),
        ),
        (
            "method name that cannot be an identifier",
            errors(LIBRARY, &method_with("name: DeleteUserFromChat", "name: Delete-User"), &[]),
            format!("{m}:1:7: name: `Delete-User` cannot become a Rust identifier and a command: a method name is PascalCase ASCII letters and digits, e.g. `DeleteUserFromChat`"),
        ),
        (
            "parameter name that cannot be an identifier",
            errors(LIBRARY, &method_with("name: ChatID", "name: Chat ID"), &[]),
            format!("{m}:9:11: params[0].name: `Chat ID` cannot become a Rust identifier: a parameter name is ASCII letters, digits and `_`, starting with a letter"),
        ),
        (
            "malformed CLI option",
            errors(LIBRARY, &method_with("cli: --chat", "cli: chat"), &[]),
            format!("{m}:10:10: params[0].cli: `chat` is not a CLI option: write `--` then lower-case letters, digits and `-`, e.g. `--chat`"),
        ),
        (
            "duplicate CLI option",
            errors(LIBRARY, &method_with("cli: --user", "cli: --chat"), &[]),
            format!("{m}:15:5: params[1].cli: `--chat` is the option of `ChatID` already"),
        ),
        (
            "CLI option of a connection parameter",
            errors(LIBRARY, &method_with("cli: --user", "cli: --token"), &[]),
            format!("{m}:15:5: params[1].cli: `--token` is the option of `Token` already"),
        ),
        (
            "CLI option every command has",
            errors(LIBRARY, &method_with("cli: --user", "cli: --debug"), &[]),
            format!("{m}:15:5: params[1].cli: `--debug` is an option every command has already"),
        ),
        (
            "duplicate parameter name",
            errors(LIBRARY, &method_with("name: UserID", "name: ChatID"), &[]),
            format!("{m}:14:5: params[1].name: `ChatID` becomes the Rust name `chat_id`, which `ChatID` has already\n\
                     error: {m}:23:3: example.args: `UserID` is not a parameter of `DeleteUserFromChat`"),
        ),
        (
            "duplicate request field",
            errors(LIBRARY, &method_with("field: USER_ID", "field: CHAT_ID"), &[]),
            format!("{m}:17:5: params[1].field: `CHAT_ID` clashes with a field sent already by `ChatID`: the same, or one inside the other"),
        ),
        (
            "field the client sets",
            errors(LIBRARY, &method_with("field: USER_ID", "field: auth"), &[]),
            format!("{m}:17:5: params[1].field: `auth` is set by the client itself"),
        ),
        (
            "position clash in a group",
            errors(LIBRARY, METHOD, &[("LeaveChat.yaml", &method_with("name: DeleteUserFromChat", "name: LeaveChat"))]),
            "methods/LeaveChat.yaml:4:1: position: position 6 in group `Chats` is taken by `DeleteUserFromChat`".to_owned(),
        ),
        (
            "duplicate method name across files",
            errors(LIBRARY, METHOD, &[("DeleteUserFromCHAT.yaml", &method_with("name: DeleteUserFromChat", "name: DeleteUserFromCHAT").replace("position: 6", "position: 7"))]),
            "methods/DeleteUserFromChat.yaml:1:1: name: `DeleteUserFromChat` is already defined in spec/bitrix24/methods/DeleteUserFromCHAT.yaml (as the function `delete_user_from_chat`)".to_owned(),
        ),
        (
            "file named after another method",
            errors(LIBRARY, METHOD, &[("LeaveChat.yaml", &method_with("position: 6", "position: 7"))]),
            "methods/LeaveChat.yaml:1:1: name: the file of method `DeleteUserFromChat` must be named `DeleteUserFromChat.yaml`".to_owned(),
        ),
        (
            "unknown group",
            errors(LIBRARY, &method_with("group: Chats", "group: Chat"), &[]),
            format!("{m}:3:1: group: unknown group `Chat`; spec/bitrix24/library.yaml declares: Chats, Messages"),
        ),
        (
            "example of the wrong type",
            errors(LIBRARY, &method_with("ChatID: 452", "ChatID: true"), &[]),
            format!("{m}:24:5: example.args.ChatID: the example value of `ChatID` is not a String, Number"),
        ),
        (
            "missing example",
            errors(LIBRARY, &method_with("    UserID: 10\n", ""), &[]),
            format!("{m}:23:3: example.args: no example value for `UserID`"),
        ),
        (
            "recorded result that is not JSON",
            errors(LIBRARY, &method_with("'{\"result\": true}'", "'{\"result\": tru}'"), &[]),
            format!("{m}:26:11: example.result: is not valid JSON: expected ident at line 1 column 15"),
        ),
        (
            "array without items",
            errors(LIBRARY, &method_with("types: [String, Number]", "types: [Array]"), &[]),
            format!("{m}:11:5: params[0].types: [Array] {SUPPORTED}"),
        ),
        (
            "merge of something other than a structure",
            errors(LIBRARY, &method_with("    field: USER_ID\n", "    merge: true\n"), &[]),
            format!("{m}:17:5: params[1].merge: only a Structure can be merged into the body"),
        ),
        (
            "closed set without an enum name",
            errors(LIBRARY, &method_with("    types: [String, Number]\n    field: USER_ID", "    types: [String]\n    values: [RED, GREEN]\n    field: USER_ID").replace("UserID: 10", "UserID: RED"), &[]),
            format!("{m}:17:5: params[1].values: a closed set needs `enum`: the name of its Rust enum"),
        ),
        (
            "default of another type",
            errors(LIBRARY, &method_with("    description: User ID\n", "    description: User ID\n    default: [1, 2]\n"), &[]),
            format!("{m}:19:5: params[1].default: a default must be a value of the parameter's type, and only Boolean, Number, String, ID and closed-set parameters take one (OPI's empty default is `required: false`)"),
        ),
        (
            "closed set whose values collide",
            errors(LIBRARY, &method_with("    types: [String, Number]\n    field: USER_ID", "    types: [String]\n    values: [LIGHT_BLUE, light_blue]\n    enum: Colour\n    field: USER_ID").replace("UserID: 10", "UserID: LIGHT_BLUE"), &[]),
            // A flow sequence: the path says where.
            format!("{m}:17:5: params[1].values[1]: `light_blue` and `LIGHT_BLUE` would both be the variant `LightBlue`"),
        ),
        (
            "enum named like a runtime type, with a default: the set is refused, so is the default",
            errors(LIBRARY, &method_with("    types: [String, Number]\n    field: USER_ID", "    types: [String]\n    values: [RED]\n    enum: Client\n    default: RED\n    field: USER_ID").replace("UserID: 10", "UserID: RED"), &[]),
            format!("{m}:18:5: params[1].enum: `Client` is a type the runtime has already\n\
             error: {m}:19:5: params[1].default: a default must be a value of the parameter's type, and only Boolean, Number, String, ID and closed-set parameters take one (OPI's empty default is `required: false`)"),
        ),
        (
            "a closed set without values, and an example",
            errors(LIBRARY, &method_with("    types: [String, Number]\n    field: USER_ID", "    types: [String]\n    values: []\n    enum: Colour\n    field: USER_ID").replace("UserID: 10", "UserID: RED"), &[]),
            format!("{m}:17:5: params[1].values: a closed set needs at least one value"),
        ),
        (
            "enum named like a runtime type",
            errors(LIBRARY, &method_with("    types: [String, Number]\n    field: USER_ID", "    types: [String]\n    values: [RED]\n    enum: Client\n    field: USER_ID").replace("UserID: 10", "UserID: RED"), &[]),
            format!("{m}:18:5: params[1].enum: `Client` is a type the runtime has already"),
        ),
        (
            "parameter named like one of oint's options",
            errors(LIBRARY, &method_with("name: UserID", "name: timeout").replace("UserID: 10", "timeout: 10"), &[]),
            format!("{m}:14:5: params[1].name: `timeout` is the name of one of oint's own options"),
        ),
        (
            "fixed field the client sets",
            errors(LIBRARY, &method_with("params:", "fixed:\n  auth: \"x\"\nparams:"), &[]),
            format!("{m}:9:3: fixed.auth: `auth` cannot be a fixed field: a request field name, once, and not a credential's"),
        ),
        (
            "recorded result of another type",
            errors(LIBRARY, &method_with("  description: the answer\n", "  description: the answer\n  result: ids\n"), &[]),
            format!("{m}:22:3: returns.result: the recorded answer's `result` is not a Ids: fix the type or the example"),
        ),
        (
            "both a call and a template",
            errors(LIBRARY, &method_with("params:", "template:\n  value: '{}'\nparams:"), &[]),
            format!("{m}:8:1: template: a method has either `rest` (an API call) or `template` (no call), not both"),
        ),
        (
            "name the client already has",
            errors(LIBRARY, METHOD, &[("Webhook.yaml", &method_with("name: DeleteUserFromChat", "name: Webhook").replace("position: 6", "position: 7"))]),
            "methods/Webhook.yaml:1:1: name: `Webhook` would become `webhook`, which the client already has".to_owned(),
        ),
        (
            "whole secret in an example",
            errors(&library_with("Token: fe3f...", "Token: fe3fa966006e9f06006b12e400000001"), METHOD, &[]),
            "library.yaml:33:9: connection.modes[1].example.Token: `fe3fa966006e9f06006b12e400000001` looks like a whole secret: cut examples short with `...`".to_owned(),
        ),
        (
            "a credential in a field and a header at once",
            errors(&library_with("{param: Token, field: auth}", "{param: Token, field: auth, header: Authorization}"), METHOD, &[]),
            "library.yaml:29:7: connection.modes[1].credential: a credential goes in a request `field` or in a `header`: one of the two".to_owned(),
        ),
        (
            "a credential in neither a field nor a header",
            errors(&library_with("{param: Token, field: auth}", "{param: Token}"), METHOD, &[]),
            "library.yaml:29:7: connection.modes[1].credential: a credential goes in a request `field` or in a `header`: one of the two".to_owned(),
        ),
        (
            "a prefix without a header",
            errors(&library_with("{param: Token, field: auth}", "{param: Token, field: auth, prefix: \"Bearer \"}"), METHOD, &[]),
            "library.yaml:29:7: connection.modes[1].credential: `prefix` is the text before the value in a `header`".to_owned(),
        ),
        (
            "a header the client sets itself",
            errors(&library_with("{param: Token, field: auth}", "{param: Token, header: Content-Type}"), METHOD, &[]),
            "library.yaml:29:7: connection.modes[1].credential: `Content-Type` is a header the client sets itself".to_owned(),
        ),
        (
            "a header that is not a header name",
            errors(&library_with("{param: Token, field: auth}", "{param: Token, header: \"Auth orization\"}"), METHOD, &[]),
            "library.yaml:29:42: connection.modes[1].credential.header: `Auth orization` is not a header name: ASCII letters, digits and `-`, e.g. `Authorization`".to_owned(),
        ),
        (
            "a mode chosen by a value it does not take",
            errors(&library_with("      when: Token\n", "      when: URL2\n"), METHOD, &[]),
            "library.yaml:27:7: connection.modes[1].when: the mode takes no `URL2`, so it cannot be chosen by it".to_owned(),
        ),
        (
            "two modes chosen when nothing else is",
            errors(&library_with("      when: Token\n", ""), METHOD, &[]),
            "library.yaml:25:5: connection.modes[1]: `webhook` is chosen when nothing else is already: give this mode a `when`".to_owned(),
        ),
        (
            "a fixed address that is not https",
            errors(&library_with("      address: {given: URL}\n", "      address:\n        url: \"http://api.example.org/bot{Token}/\"\n"), METHOD, &[]),
            "library.yaml:21:9: connection.modes[0].address.url: `http://api.example.org/bot{Token}/` is not a fixed address: https://, no query, ending with `/` (and no `append`)\n\
             error: library.yaml:24:7: connection.modes[0].example: an example of `Token` is missing\n\
             error: library.yaml:24:7: connection.modes[0].example: the mode takes no `URL`\n\
             error: library.yaml:5:3: connection.params: `URL` is required, yet a mode does not take it: make it `required: false`".to_owned(),
        ),
        (
            "a wait for what is not a rate limit",
            errors(&library_with("      means: rate_limited\n", "      means: blocked\n      retry_after: parameters.retry_after\n"), METHOD, &[]),
            "library.yaml:54:7: errors.signals[0].retry_after: only a rate limit (`means: rate_limited`) says how long to wait".to_owned(),
        ),
        (
            "group position clash",
            errors(&library_with("position: 13", "position: 12"), METHOD, &[]),
            "library.yaml:38:5: groups[1].position: position 12 is taken by group `Chats`".to_owned(),
        ),
        (
            "connection options that clash",
            errors(&library_with("cli: --token", "cli: --url"), METHOD, &[]),
            "library.yaml:11:7: connection.params[1].cli: `--url` is the option of `URL` already".to_owned(),
        ),
        (
            "an error code with two meanings",
            errors(&format!("{LIBRARY}    - code: QUERY_LIMIT_EXCEEDED\n      means: blocked\n"), METHOD, &[]),
            "library.yaml:54:7: errors.signals[1].code: `QUERY_LIMIT_EXCEEDED` has a meaning already".to_owned(),
        ),
        (
            "a reset time for what is not a time budget",
            errors(&library_with("      means: rate_limited", "      means: rate_limited\n      reset_at: time.reset"), METHOD, &[]),
            "library.yaml:54:7: errors.signals[0].reset_at: only a time budget (`means: time_budget`) has a reset time".to_owned(),
        ),
        (
            "a meaning the client does not know",
            errors(&library_with("means: rate_limited", "means: slow_down"), METHOD, &[]),
            "library.yaml:53:14: errors.signals[0].means: unknown variant `slow_down`, expected one of `token_expired`, `rate_limited`, `time_budget`, `blocked`".to_owned(),
        ),
        (
            "a rate limit that cannot be kept",
            errors(&format!("{LIBRARY}limits:\n  rate:\n    burst: 0\n    per_second: 2\n  time_budget: -1\n"), METHOD, &[]),
            "library.yaml:56:5: limits.rate.burst: a burst of at least one request is needed\n\
             error: library.yaml:58:3: limits.time_budget: a time budget is a number of seconds above zero\n\
             error: library.yaml:58:3: limits.time_budget: a time budget is read from each answer's timing: declare its key, `wire.time`".to_owned(),
        ),
        (
            "a whole list where the library takes no batch",
            errors(LIBRARY, &method_with("  docs: https://example.com/im.chat.user.delete\n", "  docs: https://example.com/im.chat.user.delete\n  list: {start: start}\n"), &[]),
            "methods/DeleteUserFromChat.yaml:8:3: rest.list: a whole list is read in batches, by its total and next page: spec/bitrix24/library.yaml declares no `wire.batch`, `wire.total` and `wire.next`".to_owned(),
        ),
        (
            "a library's encoding its type does not have",
            errors(&library_with("  boolean: yn", "  boolean: base64"), METHOD, &[]),
            "library.yaml:45:3: encodings.boolean: `base64` is not an encoding of booleans: use yn, yn_inverted, json, one_zero".to_owned(),
        ),
        (
            "a renewal method that does not exist",
            errors(&library_with("\ngroups:", "\n  renewal: RefreshToken\ngroups:"), METHOD, &[]),
            "library.yaml:34:3: connection.renewal: no method is named `RefreshToken`".to_owned(),
        ),
        (
            "a renewal method that cannot renew",
            errors(&library_with("\ngroups:", "\n  renewal: DeleteUserFromChat\ngroups:"), METHOD, &[]),
            "library.yaml:34:3: connection.renewal: `DeleteUserFromChat` cannot renew a token: it must call the API and take three required String parameters (client ID, client secret, refresh token)".to_owned(),
        ),
    ];
    let mut failures = Vec::new();
    for (name, got, want) in &cases {
        let want = format!("error: {want}");
        if got != &want {
            failures.push(format!("{name}:\n  want: {want}\n  got:  {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The shapes of the whole Bitrix24 module (field paths, GET, dates, encodings, defaults,
/// servers, uploads, structures built from answers), each misused once.
#[test]
fn each_misused_shape_gets_its_located_message() {
    let m = "methods/DeleteUserFromChat.yaml";
    let user = |to: &str| method_with("    field: USER_ID\n", to);
    let cases: Vec<(&str, String, String)> = vec![
        (
            "a template hook given parameters it does not read",
            errors(LIBRARY, &method_with("rest:\n  method: im.chat.user.delete\n  docs: https://example.com/im.chat.user.delete\n", "template:\n  hook: button_keyboard\n"), &[]),
            format!("{m}:11:5: params[0].field: a template parameter is not sent: it has no `field`\n\
                     error: {m}:16:5: params[1].field: a template parameter is not sent: it has no `field`\n\
                     error: {m}:6:3: template.hook: `button_keyboard` reads its parameters in this order: Array of String; Boolean; Boolean (and takes no `value` or `clear`); `DeleteUserFromChat` has String, Number; String, Number"),
        ),
        (
            "a split of what is not sent",
            errors(LIBRARY, &user("    field: USER_ID\n    split: {on: \"\", then: THREAD}\n"), &[]),
            format!("{m}:18:17: params[1].split.on: must not be empty"),
        ),
        (
            "a prepared text read by a parameter that is not there",
            errors(LIBRARY, &user("    field: USER_ID\n    prepare:\n      hook: markup\n      by: Markup\n"), &[]),
            format!("{m}:20:7: params[1].prepare.by: a prepared text is a String that is sent, and `by` names another parameter that is sent; `Markup` is not one"),
        ),
        (
            "a hook the runtime does not have",
            errors(LIBRARY, &user("    field: USER_ID\n    prepare: {hook: shout, by: ChatID}\n"), &[]),
            format!("{m}:18:21: params[1].prepare.hook: unknown variant `shout`, expected `markup` or `media_group`"),
        ),
        (
            "another method when a parameter is absent that is not one",
            errors(LIBRARY, &method_with("  docs: https://example.com/im.chat.user.delete\n", "  docs: https://example.com/im.chat.user.delete\n  when_absent:\n    param: TopicID\n    method: im.chat.leave\n"), &[]),
            format!("{m}:9:5: rest.when_absent.param: `TopicID` is not a parameter of `DeleteUserFromChat` that is sent"),
        ),
        (
            "a map built from what is not a list",
            errors(LIBRARY, &method_with("  description: the answer\n", "  description: the answer\n  map_of: {key: id, value: name}\n"), &[]),
            format!("{m}:22:3: returns.map_of: `map_of` builds a structure from a list: `result: list`, and no `keys_of`\n\
             error: {m}:23:1: example: a method that builds its result from the answer needs `example.answer`: the API's answer"),
        ),
        (
            "a field inside another",
            errors(LIBRARY, &user("    field: CHAT_ID.USER\n"), &[]),
            format!("{m}:17:5: params[1].field: `CHAT_ID.USER` clashes with a field sent already by `ChatID`: the same, or one inside the other"),
        ),
        (
            "an encoding of another type",
            errors(LIBRARY, &user("    field: USER_ID\n    encoding: yn\n"), &[]),
            format!("{m}:18:5: params[1].encoding: `yn` is not an encoding of String, Number: use plain, numeric"),
        ),
        (
            "keys of something not a structure",
            errors(LIBRARY, &user("    field: USER_ID\n    keys: {from: date}\n"), &[]),
            format!("{m}:18:5: params[1].keys: `keys` is for a Structure only"),
        ),
        (
            "a part without an upload",
            errors(LIBRARY, &user("    part: file\n"), &[]),
            format!("{m}:17:5: params[1].part: `part` is for a method with `rest.upload` or `http: multipart`"),
        ),
        (
            "a file part named by `part: file` in a multipart call",
            errors(LIBRARY, &method_with("  docs: https://example.com/im.chat.user.delete\n", "  docs: https://example.com/im.chat.user.delete\n  http: multipart\n").replace("    types: [String, Number]\n    field: USER_ID", "    types: [BinaryData]\n    part: file").replace("UserID: 10", "UserID: a.png"), &[]),
            format!("{m}:18:5: params[1].part: in a multipart call a BinaryData parameter is a file part by itself: its `field` names the part"),
        ),
        (
            "a file name for what is not a file part",
            errors(LIBRARY, &user("    field: USER_ID\n    file_name: photo\n"), &[]),
            format!("{m}:18:5: params[1].file_name: `file_name` names the file part of a BinaryData parameter in a multipart call"),
        ),
        (
            "a file part with an encoding, and a map of files in a form",
            errors(LIBRARY, &method_with("  docs: https://example.com/im.chat.user.delete\n", "  docs: https://example.com/im.chat.user.delete\n  http: multipart\n").replace("    types: [String, Number]\n    field: USER_ID", "    types: [BinaryData]\n    encoding: base64\n    field: photo").replace("    types: [String, Number]\n    field: CHAT_ID", "    types: [Map]\n    items: [BinaryData]\n    field: CHAT_ID").replace("UserID: 10", "UserID: a.png").replace("ChatID: 452", "ChatID: {a.png: a.png}"), &[]),
            format!("{m}:12:5: params[0].types: a multipart call sends each BinaryData parameter as one file part: a Map of files has no part\n\
             error: {m}:19:5: params[1].encoding: a file part is sent as it is: it has no `encoding`"),
        ),
        (
            "a download where no mode has an address of files",
            errors(LIBRARY, &method_with("  docs: https://example.com/im.chat.user.delete\n", "  docs: https://example.com/im.chat.user.delete\n  download: {path: file_path, repeats: 11}\n").replace("example:\n", "example:\n  answer: |\n    {\"result\": true}\n"), &[]),
            format!("{m}:8:3: rest.download: a download reads from the mode's `downloads` address: give every mode of spec/bitrix24/library.yaml one\n\
             error: {m}:8:3: rest.download: at most 10 repeats: the waits add up to 55 s"),
        ),
        (
            "options in a method that is not a command, and none in one that is",
            errors(LIBRARY, &method_with("position: 6\n", "position: 6\ncli: false\n"), &[]),
            format!("{m}:11:5: params[0].cli: the method is not a command (`cli: false`): its parameters have no option\n\
             error: {m}:16:5: params[1].cli: the method is not a command (`cli: false`): its parameters have no option"),
        ),
        (
            "a parameter of a command without its option",
            errors(LIBRARY, &user("    field: USER_ID\n").replace("    cli: --user\n", ""), &[]),
            format!("{m}:14:3: params[1]: a parameter of a command needs its `cli` option"),
        ),
        (
            "a media group outside a form",
            errors(LIBRARY, &user("    field: USER_ID\n").replace("    types: [String, Number]\n    field: USER_ID", "    types: [Map]\n    items: [String]\n    field: USER_ID\n    prepare:\n      hook: media_group\n      by: ChatID").replace("UserID: 10", "UserID: {a.png: photo}"), &[]),
            format!("{m}:21:7: params[1].prepare.by: a media group is a Map of String (files and their kinds) in a multipart call that is sent, and `by` names another parameter that is sent; `ChatID` is not one"),
        ),
        (
            "one file name for several file parts",
            errors(LIBRARY, &method_with("  docs: https://example.com/im.chat.user.delete\n", "  docs: https://example.com/im.chat.user.delete\n  http: multipart\n").replace("    types: [String, Number]\n    field: USER_ID", "    types: [BinaryData]\n    field: photo").replace("    types: [String, Number]\n    field: CHAT_ID", "    types: [BinaryData]\n    field: CHAT_ID").replace("UserID: 10", "UserID: a.png").replace("ChatID: 452", "ChatID: b.png\n    Name: c.png").replace("params:\n", "params:\n  - name: Name\n    cli: --name\n    types: [String]\n    part: filename\n    default: \"\"\n    description: The name\n"), &[]),
            format!("{m}:8:3: rest.http: a `part: filename` parameter names the one file part of a multipart call: with several, give each its `file_name`"),
        ),
        (
            "an upload without a file",
            errors(LIBRARY, &method_with("  docs: https://example.com/im.chat.user.delete\n", "  docs: https://example.com/im.chat.user.delete\n  upload: {url: uploadUrl, field: field}\n"), &[]),
            format!("{m}:8:3: rest.upload: an upload needs a parameter with `part: file`"),
        ),
        (
            "a file in a GET",
            errors(LIBRARY, &method_with("  docs: https://example.com/im.chat.user.delete\n", "  docs: https://example.com/im.chat.user.delete\n  http: GET\n").replace("    types: [String, Number]\n    field: USER_ID", "    types: [BinaryData]\n    field: USER_ID").replace("UserID: 10", "UserID: a.png"), &[]),
            format!("{m}:17:5: params[1].types: a GET request carries no files: use POST (or an upload)"),
        ),
        (
            "unless on a required parameter",
            errors(LIBRARY, &user("    field: USER_ID\n    unless: ChatID\n"), &[]),
            format!("{m}:18:5: params[1].unless: `unless` is for an optional parameter"),
        ),
        (
            "unless naming no parameter",
            errors(LIBRARY, &user("    field: USER_ID\n    required: false\n    unless: Nobody\n"), &[]),
            format!("{m}:19:5: params[1].unless: `Nobody` is not another parameter of this method that is sent"),
        ),
        (
            "send_default without a default",
            errors(LIBRARY, &user("    field: USER_ID\n    send_default: true\n"), &[]),
            format!("{m}:18:5: params[1].send_default: `send_default` needs a `default`"),
        ),
        (
            "a secret shown whole",
            errors(LIBRARY, &method_with("    types: [String, Number]\n    field: USER_ID\n", "    types: [String]\n    field: USER_ID\n    secret: true\n").replace("UserID: 10", "UserID: s3cr3t"), &[]),
            format!("{m}:26:5: example.args.UserID: `UserID` is a secret: cut its example short with `...`"),
        ),
        (
            "a date that is not one",
            errors(LIBRARY, &method_with("    types: [String, Number]\n    field: USER_ID", "    types: [Date]\n    field: USER_ID").replace("UserID: 10", "UserID: 2025-02-30x"), &[]),
            format!("{m}:25:5: example.args.UserID: the example value of `UserID` is not a date: YYYY-MM-DD, or YYYY-MM-DDThh:mm:ss with an optional Z or offset"),
        ),
        (
            "an unknown server",
            errors(LIBRARY, &method_with("  docs: https://example.com/im.chat.user.delete\n", "  docs: https://example.com/im.chat.user.delete\n  server: oauth\n"), &[]),
            format!("{m}:8:3: rest.server: unknown server `oauth`; spec/bitrix24/library.yaml declares: none"),
        ),
        (
            "a server over plain http",
            errors(&format!("{LIBRARY}servers:\n  oauth:\n    url: http://oauth.example.com/\n    env: OINT_OAUTH\n    description: The OAuth server\n"), METHOD, &[]),
            "library.yaml:56:10: servers.oauth.url: `http://oauth.example.com/` is not a server's base URL: https://, no query, ending with `/`".into(),
        ),
        (
            "a structure built from the answer, without the answer",
            errors(LIBRARY, &method_with("  description: the answer\n", "  description: the answer\n  keys_of: {where: USE_IN_FILTER, value: TYPE}\n"), &[]),
            format!("{m}:23:1: example: a method that builds its result from the answer needs `example.answer`: the API's answer"),
        ),
        (
            "an ignored parameter that is sent",
            errors(LIBRARY, &user("    field: USER_ID\n    ignored: it changes nothing\n"), &[]),
            format!("{m}:17:5: params[1].field: an ignored parameter is not sent: it has no `field`"),
        ),
        (
            "a secret that is not a text",
            errors(LIBRARY, &user("    field: USER_ID\n    secret: true\n"), &[]),
            format!("{m}:18:5: params[1].secret: a secret is a String sent in a field: the client masks the field's text\nerror: {m}:26:5: example.args.UserID: `UserID` is a secret: cut its example short with `...`"),
        ),
        (
            "send_default on a JSON boolean",
            errors(LIBRARY, &method_with("    types: [String, Number]\n    field: USER_ID\n", "    types: [Boolean]\n    encoding: json\n    default: false\n    send_default: true\n    field: USER_ID\n").replace("UserID: 10", "UserID: true"), &[]),
            format!("{m}:19:5: params[1].send_default: `send_default` is for an ID, number or text whose empty default (`0`) OPI sends all the same"),
        ),
        (
            "an optional file of an upload",
            errors(LIBRARY, &method_with("  docs: https://example.com/im.chat.user.delete\n", "  docs: https://example.com/im.chat.user.delete\n  upload: {url: uploadUrl, field: field}\n").replace("    types: [String, Number]\n    field: USER_ID\n", "    types: [BinaryData]\n    part: file\n    required: false\n").replace("UserID: 10", "UserID: a.png"), &[]),
            format!("{m}:18:5: params[1].part: the file and the file name of an upload are required parameters"),
        ),
        (
            "a template that refuses an empty value",
            errors(LIBRARY, &method_with("rest:\n  method: im.chat.user.delete\n  docs: https://example.com/im.chat.user.delete\n", "template:\n  value: '{\"C\": \"{ChatID}\", \"U\": \"{UserID}\"}'\n").replace("    types: [String, Number]\n    field: CHAT_ID\n", "    types: [String]\n    not_empty: it would be lost\n").replace("    field: USER_ID\n", "").replace("ChatID: 452", "ChatID: chat452"), &[]),
            format!("{m}:11:5: params[0].not_empty: a template refuses nothing: `not_empty` is for a call"),
        ),
        (
            "a file named by a parameter that is not a text",
            errors(LIBRARY, &method_with("    types: [String, Number]\n    field: USER_ID", "    types: [BinaryData]\n    named_by: ChatID\n    field: USER_ID").replace("UserID: 10", "UserID: a.png"), &[]),
            format!("{m}:17:5: params[1].named_by: `named_by` is for BinaryData sent as a file, and names a required String parameter; `ChatID` is not one"),
        ),
    ];
    let mut failures = Vec::new();
    for (name, got, want) in &cases {
        let want = format!("error: {want}");
        if got != &want {
            failures.push(format!("{name}:\n  want: {want}\n  got:  {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_keyword_becomes_a_raw_identifier() {
    let method = method_with("name: UserID", "name: Type").replace("UserID: 10", "Type: 10");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("spec");
    write_spec(&root, LIBRARY, &method, &[]);
    let model = oint_codegen::model(&root).expect("a keyword is handled, not refused");
    let client = oint_codegen::emit::client::client(&model.libraries[0]);
    assert!(client.contains("r#type: impl IntoId"), "{client}");
    assert!(client.contains("encode::id(r#type)"), "{client}");
}

#[test]
fn the_binary_reports_a_broken_spec_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("spec");
    write_spec(
        &root,
        LIBRARY,
        &method_with("cli: --user", "cli: --chat"),
        &[],
    );
    let out = dir.path().join("docs");
    let output = Command::new(env!("CARGO_BIN_EXE_oint-codegen"))
        .args(["docs", "--spec"])
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("DeleteUserFromChat.yaml:15:5: params[1].cli: `--chat` is the option of `ChatID` already"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing may be written for a broken spec");

    // The same spec, mended, writes its pages.
    write_spec(&root, LIBRARY, METHOD, &[]);
    let status = Command::new(env!("CARGO_BIN_EXE_oint-codegen"))
        .args(["docs", "--spec"])
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    assert!(
        out.join("bitrix24/chats/delete-user-from-chat.md")
            .is_file()
    );
}

/// What a hostile or careless spec directory does, each with the message it must give. Every
/// case here once passed silently, hung or misled.
#[test]
fn each_hostile_spec_is_refused_with_its_message() {
    let m = "methods/DeleteUserFromChat.yaml";
    let mut cases: Vec<(&str, String, String)> = vec![
        (
            "a byte-order mark is not part of the first key",
            errors(LIBRARY, &format!("\u{feff}{METHOD}"), &[]),
            "no error".to_owned(),
        ),
        (
            "null is not the text `null`",
            errors(LIBRARY, &method_with("description: Removes a member from a chat.", "description: null"), &[]),
            format!("error: {m}:2:14: description: is empty (null): write the text"),
        ),
        (
            "a boolean is not text",
            errors(LIBRARY, &method_with("description: Removes a member from a chat.", "description: true"), &[]),
            format!("error: {m}:2:14: description: is the boolean true, not text: put it in quotes"),
        ),
        (
            "a number is not text",
            errors(LIBRARY, &method_with("description: Removes a member from a chat.", "description: 12"), &[]),
            format!("error: {m}:2:14: description: is the number 12, not text: put it in quotes"),
        ),
        (
            "a .yml file is not skipped",
            errors(LIBRARY, METHOD, &[("Other.yml", METHOD)]),
            "error: methods/Other.yml: methods/ holds method files only, each named <Name>.yaml (a .yml, .YAML or other file is not read)".to_owned(),
        ),
        (
            "a .YAML file is not skipped",
            errors(LIBRARY, METHOD, &[("Other.YAML", METHOD)]),
            "error: methods/Other.YAML: methods/ holds method files only, each named <Name>.yaml (a .yml, .YAML or other file is not read)".to_owned(),
        ),
        (
            "a hidden file is an editor's, not a method",
            errors(LIBRARY, METHOD, &[(".DeleteUserFromChat.yaml.swp", "\0")]),
            "no error".to_owned(),
        ),
        (
            "a YAML tag is refused, not ignored",
            errors(LIBRARY, &method_with("description: Removes", "description: !secret Removes"), &[]),
            format!("error: {m}: description: the YAML tag `!secret` is not part of the spec format: remove it"),
        ),
        (
            "a group without a letter or digit has no directory",
            errors(&library_with("  - name: Messages", "  - name: '***'"), METHOD, &[]),
            "error: library.yaml:37:5: groups[1].name: group `***` has no letter or digit to name its docs directory".to_owned(),
        ),
        (
            "a file larger than a spec file may be",
            errors(LIBRARY, &format!("{METHOD}# {}\n", "x".repeat(1024 * 1024)), &[]),
            format!("error: {m}: is 1049113 bytes: a spec file is at most 1048576"),
        ),
    ];

    // The directory itself: no methods/, or a file where it should be.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("spec");
    write_spec(&root, LIBRARY, METHOD, &[]);
    let methods = root.join("bitrix24/methods");
    fs::remove_dir_all(&methods).unwrap();
    let strip = |e: oint_codegen::SpecErrors| {
        e.to_string()
            .replace(&format!("{}/", root.join("bitrix24").display()), "")
    };
    cases.push((
        "no methods/ directory",
        strip(oint_codegen::model(&root).unwrap_err()),
        "error: methods: a library directory needs a methods/ directory of <Name>.yaml files"
            .to_owned(),
    ));
    fs::write(&methods, "").unwrap();
    cases.push((
        "methods/ is a file",
        strip(oint_codegen::model(&root).unwrap_err()),
        "error: methods: a library directory needs a methods/ directory of <Name>.yaml files"
            .to_owned(),
    ));
    fs::remove_file(&methods).unwrap();
    fs::create_dir(&methods).unwrap();

    // Not regular files: a FIFO would block the loader for ever, /dev/zero would never end.
    #[cfg(unix)]
    {
        let fifo = methods.join("DeleteUserFromChat.yaml");
        let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        cases.push((
            "a FIFO",
            strip(oint_codegen::model(&root).unwrap_err()),
            format!("error: {m}: is not a regular file: a spec file is a plain file"),
        ));
        fs::remove_file(&fifo).unwrap();
        std::os::unix::fs::symlink("/dev/zero", &fifo).unwrap();
        cases.push((
            "a device",
            strip(oint_codegen::model(&root).unwrap_err()),
            format!("error: {m}: is not a regular file: a spec file is a plain file"),
        ));
    }

    let mut failures = Vec::new();
    for (name, got, want) in &cases {
        if got != want {
            failures.push(format!("{name}:\n  want: {want}\n  got:  {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `docs --out` at a repository, at the spec, or inside it is refused and deletes nothing; a
/// reader's own file beside the pages stays.
#[test]
fn the_binary_writes_only_where_it_owns_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("spec");
    write_spec(&root, LIBRARY, METHOD, &[]);
    fs::write(dir.path().join("Cargo.toml"), "[workspace]\n").unwrap();
    let docs = |out: &Path| {
        Command::new(env!("CARGO_BIN_EXE_oint-codegen"))
            .args(["docs", "--spec"])
            .arg(&root)
            .arg("--out")
            .arg(out)
            .output()
            .unwrap()
    };
    for (out, why) in [
        (dir.path().to_owned(), "holds a Cargo.toml"),
        (root.clone(), "holds the spec"),
        (root.join("bitrix24"), "holds the spec"),
    ] {
        let output = docs(&out);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{}: {stderr}", out.display());
        assert!(stderr.contains(why), "{}: {stderr}", out.display());
        assert!(
            root.join("bitrix24/methods/DeleteUserFromChat.yaml")
                .is_file()
        );
        assert!(dir.path().join("Cargo.toml").is_file());
    }
    fs::create_dir(dir.path().join("repo")).unwrap();
    fs::create_dir(dir.path().join("repo/.git")).unwrap();
    let output = docs(&dir.path().join("repo"));
    assert!(!output.status.success());
    assert!(dir.path().join("repo/.git").is_dir());

    let pages = dir.path().join("docs");
    fs::create_dir(&pages).unwrap();
    fs::write(pages.join("mine.md"), "a reader's own page").unwrap();
    assert!(docs(&pages).status.success());
    assert!(
        pages
            .join("bitrix24/chats/delete-user-from-chat.md")
            .is_file()
    );
    assert_eq!(
        fs::read_to_string(pages.join("mine.md")).unwrap(),
        "a reader's own page"
    );

    // A method that goes away takes its page with it, and only its page.
    write_spec(
        &root,
        LIBRARY,
        &method_with("group: Chats", "group: Messages"),
        &[],
    );
    assert!(docs(&pages).status.success());
    assert!(
        !pages
            .join("bitrix24/chats/delete-user-from-chat.md")
            .exists()
    );
    assert!(
        pages
            .join("bitrix24/messages/delete-user-from-chat.md")
            .is_file()
    );
    assert!(pages.join("mine.md").is_file());
}
