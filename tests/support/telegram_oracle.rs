//! The oracle of Telegram's request tests: what OPI sends for a function, computed from the
//! shared reference beside the workspace (`../shared/reference/opi-telegram-requests.json`,
//! each field with how OPI converts it, and `opi-telegram-methods.json`, the defaults) and the
//! example values alone, knowing nothing of the spec's encodings or the generated
//! code. One decision of oint's differs from OPI and is applied here on purpose: a date goes as
//! its true Unix time (OPI sends an hour less).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

/// What one call must carry.
#[derive(Debug, PartialEq)]
pub struct Request {
    pub verb: &'static str,
    /// The method in the path after `bot<token>/`.
    pub method: String,
    /// Every request field: a GET's query values as text, a POST's body as JSON, a multipart
    /// body's text parts as text (a JSON object or array as its value).
    pub fields: Map<String, Value>,
    /// The file parts of a multipart body: part name → (file name, bytes).
    pub files: Files,
}

/// File parts: part name → (file name, bytes).
pub type Files = BTreeMap<String, (String, Vec<u8>)>;

/// The bytes of every file the tests send.
pub const FILE_BYTES: &[u8] = b"GIF89a: the bytes of a test file";

/// One function of the reference, with OPI's parameter facts.
pub struct Entry {
    record: Value,
    /// Parameter name → (required, OPI's default).
    params: BTreeMap<String, (bool, Value)>,
}

/// Every function, by name.
pub fn reference() -> BTreeMap<String, Entry> {
    // `../shared/reference` beside the workspace (CI puts it there), from the root package or
    // from `generated/`.
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = [
        manifest.join("../shared/reference"),
        manifest.join("../../shared/reference"),
    ]
    .into_iter()
    .find(|dir| dir.join("opi-telegram-requests.json").exists())
    .expect("the shared reference beside the workspace (../shared/reference)");
    let read = |name: &str| -> Vec<Value> {
        serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
    };
    let methods: BTreeMap<String, Value> = read("opi-telegram-methods.json")
        .into_iter()
        .map(|m| (m["function"].as_str().unwrap().to_owned(), m))
        .collect();
    read("opi-telegram-requests.json")
        .into_iter()
        .map(|record| {
            let name = record["function"].as_str().unwrap().to_owned();
            let params = methods[&name]["params"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    let name = p["name"].as_str().unwrap().to_owned();
                    let required = p["required"].as_bool().unwrap_or(false);
                    (
                        name,
                        (required, p.get("default").cloned().unwrap_or(Value::Null)),
                    )
                })
                .collect();
            (name, Entry { record, params })
        })
        .collect()
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// OPI's "as Number": integer text becomes a number.
fn as_number(value: &Value) -> Value {
    let text = text(value);
    match text.parse::<i64>() {
        Ok(n) if n.to_string() == text => json!(n),
        _ => Value::String(text),
    }
}

/// OPI's "not filled": `""`, 0, false, null.
fn filled(value: &Value) -> bool {
    !matches!(value, Value::Null | Value::Bool(false)) && value != &json!("") && value != &json!(0)
}

/// OPI's text preparation (the reference README's "Text preparation").
fn prepared(text: &str, markup: &str) -> String {
    let escaped = match markup {
        "HTML" => text.replace('&', "&amp;"),
        "MarkdownV2" => {
            let mut out = String::new();
            let mut previous = ' ';
            for c in text.chars() {
                if "-+#={}.".contains(c) && previous != '\\' {
                    out.push('\\');
                }
                out.push(c);
                previous = c;
            }
            out
        }
        _ => text.to_owned(),
    };
    let bytes = escaped.as_bytes();
    let mut decoded = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            decoded.push((h * 16 + l) as u8);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

impl Entry {
    /// The request OPI makes with these arguments (by parameter name; a parameter left out
    /// takes OPI's default).
    pub fn request(&self, args: &Map<String, Value>) -> Request {
        let record = &self.record;
        let http = record["http"].as_str().unwrap();
        let post = http.starts_with("POST");
        let multipart = http.contains("multipart");
        let value_of = |param: &str| -> Value {
            match args.get(param) {
                Some(value) => value.clone(),
                None => self
                    .params
                    .get(param)
                    .map(|(_, d)| d.clone())
                    .unwrap_or(Value::Null),
            }
        };
        let mut fields = Map::new();
        let mut media = None;
        for (key, value) in record["fixed"].as_object().unwrap() {
            fields.insert(key.clone(), value.clone());
        }
        for field in record["fields"].as_array().unwrap() {
            let param = field["param"].as_str().unwrap();
            let name = field["field"].as_str().unwrap();
            let how = field["how"].as_str().unwrap();
            if name.starts_with('(') {
                continue;
            }
            let value = value_of(param);
            if name.starts_with("media (JSON text)") {
                // The reference's "item_name_rule" and "media_json", done after the loop.
                media = Some(value);
                continue;
            }
            let sent = if how.starts_with("ChatID*TopicID rule: only when") {
                let t = text(&value);
                let pieces: Vec<&str> = t.split('*').filter(|p| !p.is_empty()).collect();
                (pieces.len() >= 2).then(|| as_number(&json!(pieces[1])))
            } else if how.starts_with("ChatID*TopicID rule: value") {
                let t = text(&value);
                let pieces: Vec<&str> = t.split('*').filter(|p| !p.is_empty()).collect();
                Some(json!(if pieces.len() >= 2 {
                    pieces[0]
                } else {
                    t.as_str()
                }))
            } else if !filled(&value) && !how.contains("always sent") {
                None
            } else if how.starts_with("prepared text") {
                let markup = text(&value_of("Markup"));
                let markup = if filled(&value_of("Markup")) {
                    markup
                } else {
                    String::new()
                };
                Some(json!(prepared(&text(&value), &markup)))
            } else if how.starts_with("collection") {
                Some(match &value {
                    Value::String(s) => json!([s]),
                    other => other.clone(),
                })
            } else if how.starts_with("Boolean turned into the number") {
                Some(json!(if value == json!(true) { 1 } else { 0 }))
            } else if how.starts_with("Date") {
                let date = chrono::DateTime::parse_from_rfc3339(&text(&value)).unwrap();
                Some(json!(date.timestamp()))
            } else if how.starts_with("as Number") {
                Some(as_number(&value))
            } else {
                Some(json!(text(&value)))
            };
            if let Some(sent) = sent {
                fields.insert(name.to_owned(), sent);
            }
        }
        if !post || multipart {
            // A query and a form carry text: objects and arrays as JSON (which `fields_of`
            // reads back).
            for value in fields.values_mut() {
                if !(multipart && (value.is_object() || value.is_array())) {
                    let text = text(value);
                    *value = Value::String(text);
                }
            }
        }
        let mut files = BTreeMap::new();
        if let Some(Value::Object(mapping)) = media {
            // "for entry number i (0-based, map order): a document given as text → its last
            // path segment; otherwise <type><i> (photo0, video1, ...); type animation gets
            // ".gif" appended"; media: {"type", "media": "attach://<item name>"}, and for i = 0
            // "caption": <prepared Text>.
            let mut items = Vec::new();
            for (i, (path, kind)) in mapping.iter().enumerate() {
                let kind = text(kind);
                let mut name = if kind == "document" {
                    path.rsplit('/').next().unwrap().to_owned()
                } else {
                    format!("{kind}{i}")
                };
                if kind == "animation" {
                    name.push_str(".gif");
                }
                let mut item = json!({"type": kind, "media": format!("attach://{name}")});
                if i == 0
                    && let Some(caption) = fields.get("caption")
                {
                    item["caption"] = caption.clone();
                }
                items.push(item);
                files.insert(name.clone(), (name, FILE_BYTES.to_vec()));
            }
            fields.insert("media".to_owned(), Value::Array(items));
        }
        let parts = record["multipart"]["file_parts"].as_array();
        for part in parts.into_iter().flatten() {
            let name = part["name"].as_str().unwrap();
            let rule = part["filename"].as_str().unwrap();
            let file_param = record["fields"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["field"] == format!("(file part \"{name}\")"))
                .and_then(|f| f["param"].as_str());
            let Some(file_param) = file_param else {
                continue;
            };
            let path = text(&value_of(file_param));
            // "FileName if given; else, when Document is text (path or URL), its last path
            // segment (…)"; otherwise the name itself.
            let file_name = if rule.starts_with("FileName if given") {
                let given = value_of("FileName");
                if filled(&given) {
                    text(&given)
                } else {
                    path.rsplit('/').next().unwrap().to_owned()
                }
            } else {
                rule.to_owned()
            };
            files.insert(name.to_owned(), (file_name, FILE_BYTES.to_vec()));
        }
        let endpoint = record["endpoint"].as_str().unwrap();
        let mut method = endpoint
            .split('/')
            .nth(4)
            .unwrap()
            .split([' ', ','])
            .next()
            .unwrap()
            .to_owned();
        // "X (TopicID filled) or …/Y (TopicID empty)": Y when no topic is sent.
        if let Some((_, general)) = endpoint.split_once(" or ")
            && !fields.contains_key("message_thread_id")
        {
            method = general
                .rsplit('/')
                .next()
                .unwrap()
                .split(' ')
                .next()
                .unwrap()
                .to_owned();
        }
        Request {
            verb: if post { "POST" } else { "GET" },
            method,
            fields,
            files,
        }
    }
}

impl Entry {
    /// For a function that reads a file after its call ("GET query, then GET (file
    /// download)"): the file's path in `answer`, at the `file_path` the endpoint names.
    pub fn file_path(&self, answer: &str) -> Option<String> {
        let endpoint = self.record["endpoint"].as_str()?;
        let (_, then) = endpoint.split_once(", then ")?;
        let key = then.rsplit_once('{')?.1.trim_end_matches('}');
        let answer: Value = serde_json::from_str(answer).ok()?;
        answer["result"][key].as_str().map(str::to_owned)
    }
}

/// Writes, under `dir`, the files the example values of `entry`'s file parameters name.
pub fn write_files(dir: &std::path::Path, entry: &Entry, args: &Map<String, Value>) {
    let write = |path: &str| {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, FILE_BYTES).unwrap();
    };
    for field in entry.record["fields"].as_array().unwrap() {
        // A media group's files are the keys of its map.
        if field["field"]
            .as_str()
            .is_some_and(|f| f.starts_with("media (JSON text)"))
            && let Some(Value::Object(mapping)) = args.get(field["param"].as_str().unwrap())
        {
            mapping.keys().for_each(|path| write(path));
        }
        if field["field"]
            .as_str()
            .is_some_and(|f| f.starts_with("(file part"))
            && let Some(Value::String(path)) = args.get(field["param"].as_str().unwrap())
        {
            write(path);
        }
    }
}

/// A request as [`Entry::request`] writes it: the verb, the method after `bot<token>/`, the
/// fields and the files.
pub fn request_of(request: &wiremock::Request, token: &str) -> Request {
    let (fields, files) = fields_of(request);
    Request {
        verb: if request.method.as_str() == "GET" {
            "GET"
        } else {
            "POST"
        },
        method: request
            .url
            .path()
            .strip_prefix(&format!("/bot{token}/"))
            .unwrap_or(request.url.path())
            .to_owned(),
        fields,
        files,
    }
}

/// The fields a request carries, as [`Entry::request`] writes them (a GET's query values as
/// text, a POST's JSON body, a form's text parts), and the form's file parts.
pub fn fields_of(request: &wiremock::Request) -> (Map<String, Value>, Files) {
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|t| t.to_str().ok())
        .unwrap_or_default();
    if let Some(boundary) = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .map(|b| b.trim_matches('"'))
    {
        return form_parts(&request.body, boundary);
    }
    let fields = if request.method.as_str() == "GET" {
        request
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect()
    } else {
        serde_json::from_slice::<Value>(&request.body)
            .ok()
            .and_then(|body| body.as_object().cloned())
            .unwrap_or_default()
    };
    (fields, BTreeMap::new())
}

/// The parts of a `multipart/form-data` body, read by hand (RFC 7578): text parts as text, or
/// as the JSON object or array they hold; file parts with their file names and bytes.
fn form_parts(body: &[u8], boundary: &str) -> (Map<String, Value>, Files) {
    let delimiter = format!("\r\n--{boundary}").into_bytes();
    // The body starts with the delimiter without its line break.
    let mut body = [b"\r\n".as_slice(), body].concat();
    let mut fields = Map::new();
    let mut files = BTreeMap::new();
    let find = |haystack: &[u8], needle: &[u8]| {
        haystack
            .windows(needle.len())
            .position(|window| window == needle)
    };
    while let Some(start) = find(&body, &delimiter) {
        body.drain(..start + delimiter.len());
        if body.starts_with(b"--") {
            break;
        }
        let Some(head_end) = find(&body, b"\r\n\r\n") else {
            break;
        };
        let head = String::from_utf8_lossy(&body[..head_end]).into_owned();
        let content_end = find(&body, &delimiter).unwrap_or(body.len());
        let content = body[head_end + 4..content_end].to_vec();
        let attribute = |key: &str| {
            let key = format!("{key}=\"");
            head.split_once(key.as_str())
                .and_then(|(_, rest)| rest.split_once('"'))
                .map(|(value, _)| value.to_owned())
        };
        let name = attribute(" name").unwrap_or_default();
        match attribute("filename") {
            Some(file_name) => {
                files.insert(name, (file_name, content));
            }
            None => {
                let text = String::from_utf8_lossy(&content).into_owned();
                let value = match serde_json::from_str::<Value>(&text) {
                    Ok(json) if json.is_object() || json.is_array() => json,
                    _ => Value::String(text),
                };
                fields.insert(name, value);
            }
        }
    }
    (fields, files)
}
