//! How arguments become request fields, the way OPI sends them: IDs as strings, booleans as
//! `"Y"`/`"N"`, dates as ISO 8601 text. The generated methods call these. A `Value::Null` is a
//! field left out.

use serde_json::{Map, Value};

use super::{Date, Error};

/// An ID of the API: a number or a string, sent as a string.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an ID",
    label = "expected a number or a string",
    note = "IDs are passed as numbers (`452`) or strings (`\"452\"`)"
)]
pub trait IntoId {
    /// The ID as text, as OPI sends a single ID.
    fn into_id(self) -> String;

    /// The ID as JSON of its own kind, as OPI sends the IDs of a list: a number stays a number.
    fn into_json(self) -> Value
    where
        Self: Sized,
    {
        Value::String(self.into_id())
    }
}

macro_rules! numeric_ids {
    ($($t:ty),*) => {$(
        impl IntoId for $t {
            fn into_id(self) -> String {
                self.to_string()
            }

            fn into_json(self) -> Value {
                Value::from(self)
            }
        }
    )*};
}

numeric_ids!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize);

impl IntoId for String {
    fn into_id(self) -> String {
        self
    }
}

impl IntoId for &str {
    fn into_id(self) -> String {
        self.to_owned()
    }
}

impl IntoId for &String {
    fn into_id(self) -> String {
        self.clone()
    }
}

/// A `String, Number` parameter, sent as text; an empty one is not sent.
pub fn id(value: impl IntoId) -> Value {
    text(value.into_id())
}

/// A `String, Number` parameter sent "as Number": a JSON number when its text is an integer,
/// else the text (`@channel`); an empty one is not sent.
pub fn id_numeric(value: impl IntoId) -> Value {
    let text = value.into_id();
    match text.parse::<i64>() {
        Ok(number) if number.to_string() == text => Value::from(number),
        _ => self::text(text),
    }
}

/// A `Date` parameter as seconds since 1970-01-01T00:00:00Z; a time given without an offset is
/// read as UTC.
pub fn date_unix(value: impl Into<Date>) -> Value {
    Value::from(value.into().unix_seconds())
}

/// A `Boolean` parameter as the number `1` or `0`, always sent.
pub fn flag_one_zero(value: bool) -> Value {
    Value::from(u8::from(value))
}

/// The hook `markup` (a parameter's `prepare: {hook: markup, by: …}`): a message text made
/// ready for the markup a parse mode names, as OPI prepares one. `HTML`: every `&` becomes
/// `&amp;`. `MarkdownV2`: each of `- + # = { } .` gets a backslash before it, unless one is
/// there already. Any other mode (`Markdown`, none): unchanged. Then `%XX` sequences are
/// decoded (`%F0%9F%94%A5` is 🔥); a `%` that starts none stays as it is.
pub fn markup_text(text: &str, markup: &str) -> String {
    let escaped = match markup {
        "HTML" => text.replace('&', "&amp;"),
        "MarkdownV2" => {
            let mut out = String::with_capacity(text.len() + 8);
            let mut previous = None;
            for c in text.chars() {
                if "-+#={}.".contains(c) && previous != Some('\\') {
                    out.push('\\');
                }
                out.push(c);
                previous = Some(c);
            }
            out
        }
        _ => text.to_owned(),
    };
    percent_encoding::percent_decode_str(&escaped)
        .decode_utf8_lossy()
        .into_owned()
}

/// A `String` parameter. An empty text is not sent, as OPI never sends an empty value.
pub fn text(value: impl Into<String>) -> Value {
    match value.into() {
        text if text.is_empty() => Value::Null,
        text => Value::String(text),
    }
}

/// A `Number` parameter.
pub fn number(value: i64) -> Value {
    Value::from(value)
}

/// A `Number` parameter sent as text, as OPI sends some IDs typed as numbers.
pub fn number_text(value: i64) -> Value {
    Value::String(value.to_string())
}

/// A `Boolean` parameter: Bitrix24 reads `"Y"` and `"N"`.
pub fn flag(value: bool) -> Value {
    Value::String(if value { "Y" } else { "N" }.to_owned())
}

/// A `Boolean` parameter whose field says the opposite (OPI's `Fire` is sent as `ACTIVE`):
/// `"N"` for true, `"Y"` for false.
pub fn flag_inverted(value: bool) -> Value {
    flag(!value)
}

/// A `Boolean` parameter sent as JSON `true`, and left out when false.
pub fn json_flag(value: bool) -> Value {
    if value {
        Value::Bool(true)
    } else {
        Value::Null
    }
}

/// A `String` that is a base URL: `https://` in front unless it has a scheme, `/` at the end.
pub fn base_url(value: impl Into<String>) -> Value {
    let mut url = value.into().trim().to_owned();
    if !url.starts_with("http://") && !url.starts_with("https://") {
        url.insert_str(0, "https://");
    }
    if !url.ends_with('/') {
        url.push('/');
    }
    Value::String(url)
}

/// A `Date` parameter as `YYYY-MM-DDThh:mm:ss`.
pub fn date_time(value: impl Into<Date>) -> Value {
    Value::String(value.into().to_date_time())
}

/// A `Date` parameter as `YYYY-MM-DDThh:mm:ssZ`.
pub fn date_time_z(value: impl Into<Date>) -> Value {
    Value::String(value.into().to_date_time_z())
}

/// A `Date` parameter as `YYYY-MM-DD`.
pub fn date(value: impl Into<Date>) -> Value {
    Value::String(value.into().to_date())
}

/// Refuses an empty text for `param`, for `reason`, before anything is sent.
pub fn not_empty(param: &str, value: Value, reason: &str) -> Result<Value, Error> {
    match &value {
        Value::Null => Err(Error::InvalidInput(format!(
            "{param} must not be empty: {reason}"
        ))),
        Value::String(text) if text.trim().is_empty() => Err(Error::InvalidInput(format!(
            "{param} must not be empty: {reason}"
        ))),
        _ => Ok(value),
    }
}

/// How a key of a [`keyed`] structure is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// As given.
    Plain,
    /// One value or several, as a JSON array.
    Array,
    /// A date, as `YYYY-MM-DD`.
    Date,
    /// A date, as `YYYY-MM-DDThh:mm:ss`.
    DateTime,
    /// A date, as `YYYY-MM-DDThh:mm:ssZ`.
    DateTimeZ,
}

/// A `Structure` with a fixed set of keys, each sent its own way; another key is refused.
pub fn keyed(param: &str, value: Value, keys: &[(&str, Key)]) -> Result<Value, Error> {
    let Value::Object(given) = value else {
        return Err(Error::InvalidInput(format!(
            "{param} must be a JSON object"
        )));
    };
    let mut sent = Map::new();
    for (key, value) in given {
        let Some((_, how)) = keys.iter().find(|(k, _)| *k == key) else {
            let known: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
            return Err(Error::InvalidInput(format!(
                "{param} has no key `{key}`: it takes {}",
                known.join(", ")
            )));
        };
        let text = || match &value {
            Value::String(text) => Ok(text.clone()),
            other => Err(Error::InvalidInput(format!(
                "{param}.{key} must be a date as text, not {other}"
            ))),
        };
        let value = match how {
            Key::Plain => value,
            Key::Array => match value {
                Value::Array(items) => Value::Array(items),
                single => Value::Array(vec![single]),
            },
            Key::Date => date(Date::parse(&text()?)?),
            Key::DateTime => date_time(Date::parse(&text()?)?),
            Key::DateTimeZ => date_time_z(Date::parse(&text()?)?),
        };
        sent.insert(key, value);
    }
    Ok(Value::Object(sent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_as_opi_does() {
        assert_eq!(id(452), Value::String("452".into()));
        assert_eq!(id("452"), Value::String("452".into()));
        assert_eq!(flag(true), Value::String("Y".into()));
        assert_eq!(flag(false), Value::String("N".into()));
        assert_eq!(number(7), Value::from(7));
        assert_eq!(text("a"), Value::String("a".into()));
    }

    #[test]
    fn ids_as_numbers_dates_as_seconds_flags_as_digits() {
        assert_eq!(id_numeric(461699897_i64), Value::from(461699897_i64));
        assert_eq!(
            id_numeric("-1001893407333"),
            Value::from(-1001893407333_i64)
        );
        // Not an integer as it stands: sent as given.
        for text in ["@channel", "123*45", "007", "+5", "1.5"] {
            assert_eq!(id_numeric(text), Value::String(text.into()), "{text}");
        }
        assert_eq!(id_numeric(""), Value::Null);
        let date = |text: &str| date_unix(Date::parse(text).unwrap());
        assert_eq!(date("2026-01-07T12:37:25Z"), Value::from(1767789445));
        assert_eq!(date("2026-01-07T12:37:25"), Value::from(1767789445));
        assert_eq!(date("2026-01-07T15:37:25+03:00"), Value::from(1767789445));
        assert_eq!(date("1970-01-01"), Value::from(0));
        assert_eq!(flag_one_zero(true), Value::from(1));
        assert_eq!(flag_one_zero(false), Value::from(0));
    }

    #[test]
    fn prepares_text_for_its_markup() {
        assert_eq!(markup_text("a.b-c", "MarkdownV2"), "a\\.b\\-c");
        // Escaped already: left as it is.
        assert_eq!(markup_text("a\\.b", "MarkdownV2"), "a\\.b");
        assert_eq!(
            markup_text("1 &amp; 2 & 3", "HTML"),
            "1 &amp;amp; 2 &amp; 3"
        );
        assert_eq!(markup_text("a.b & c", "Markdown"), "a.b & c");
        assert_eq!(markup_text("Hot %F0%9F%94%A5", ""), "Hot 🔥");
        assert_eq!(markup_text("100% sure %zz", ""), "100% sure %zz");
    }
}

/// An `Array of String` parameter.
pub fn texts(values: impl IntoIterator<Item = impl Into<String>>) -> Value {
    Value::Array(values.into_iter().map(text).collect())
}

/// An `Array of Number` parameter.
pub fn numbers(values: impl IntoIterator<Item = i64>) -> Value {
    Value::Array(values.into_iter().map(number).collect())
}

/// An `Array of String, Number` parameter: IDs, each as given (OPI passes the list as it is).
pub fn ids(values: impl IntoIterator<Item = impl IntoId>) -> Value {
    Value::Array(values.into_iter().map(IntoId::into_json).collect())
}

/// A `Structure` parameter: a JSON object, sent as it is.
pub fn structure(value: Value) -> Value {
    value
}

/// An `Array of Structure` parameter.
pub fn structures(values: impl IntoIterator<Item = Value>) -> Value {
    Value::Array(values.into_iter().collect())
}

/// A `BinaryData` parameter as OPI uploads files: `[name, base64]`.
pub fn file(value: impl Into<Binary>) -> Value {
    let binary = value.into();
    Value::Array(vec![
        Value::String(binary.name),
        Value::String(BASE64.encode(&binary.bytes)),
    ])
}

/// A `BinaryData` parameter as `[name, base64]`, under the name another parameter gives.
pub fn file_named(value: impl Into<Binary>, name: &str) -> Value {
    file(value.into().named(name))
}

/// A `BinaryData` parameter sent as a file part of a multipart call, under the name `given`
/// (another parameter's value) when it is not empty, else under `fixed` (the spec's
/// `file_name`), else under the file's own name.
pub fn part_file(value: impl Into<Binary>, fixed: Option<&str>, given: Option<&str>) -> Binary {
    let binary = value.into();
    match given.filter(|name| !name.is_empty()).or(fixed) {
        Some(name) => binary.named(name),
        None => binary,
    }
}

/// A media group (the hook `media_group`): its list, for the request field, and its files, each
/// a part of the form.
#[doc(hidden)]
#[derive(Debug)]
pub struct MediaGroup {
    /// `[{"type": <kind>, "media": "attach://<part>"}, …]`.
    pub list: Value,
    /// (part name, file sent under that name).
    pub parts: Vec<(String, Binary)>,
}

/// A `Map` of files and their kinds (`photo`, `video`, `audio`, `document`, `animation`) as a
/// media group, as OPI sends one: file number `i` (from 0) is the part `<kind><i>` (`photo0`,
/// `video1`), a document keeps its own file name, an animation's name gets `.gif`; each is
/// listed as `{"type": <kind>, "media": "attach://<part>"}`.
pub fn media_group(files: impl IntoIterator<Item = (Binary, impl Into<String>)>) -> MediaGroup {
    let mut list = Vec::new();
    let mut parts = Vec::new();
    for (i, (file, kind)) in files.into_iter().enumerate() {
        let kind: String = kind.into();
        let mut name = if kind == "document" {
            file.name.clone()
        } else {
            format!("{kind}{i}")
        };
        if kind == "animation" {
            name.push_str(".gif");
        }
        list.push(serde_json::json!({"type": kind, "media": format!("attach://{name}")}));
        parts.push((name.clone(), file.named(name)));
    }
    MediaGroup {
        list: Value::Array(list),
        parts,
    }
}

/// A `Map` of files: a list of `[name, base64]` pairs.
pub fn files(values: impl IntoIterator<Item = Binary>) -> Value {
    Value::Array(values.into_iter().map(file).collect())
}

/// A `BinaryData` parameter sent as a bare base64 string (e.g. a chat's avatar).
pub fn base64(value: impl Into<Binary>) -> Value {
    Value::String(BASE64.encode(&value.into().bytes))
}

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

/// An ID held as a value: for optional ID arguments (`Some(452.into())`) and ID lists. It
/// remembers whether it was given as a number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Id {
    text: String,
    numeric: bool,
}

impl Id {
    /// The ID as text.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

macro_rules! ids_from {
    (numbers: $($n:ty),*; texts: $($t:ty),*) => {
        $(impl From<$n> for Id {
            fn from(value: $n) -> Id {
                Id { text: value.to_string(), numeric: true }
            }
        })*
        $(impl From<$t> for Id {
            fn from(value: $t) -> Id {
                Id { text: value.into_id(), numeric: false }
            }
        })*
    };
}

ids_from!(
    numbers: u8, u16, u32, u64, usize, i8, i16, i32, i64, isize;
    texts: String, &str, &String
);

impl IntoId for Id {
    fn into_id(self) -> String {
        self.text
    }

    fn into_json(self) -> Value {
        if self.numeric {
            if let Ok(number) = self.text.parse::<i64>() {
                return Value::from(number);
            }
            if let Ok(number) = self.text.parse::<u64>() {
                return Value::from(number);
            }
        }
        Value::String(self.text)
    }
}

/// A file's bytes and name, for `BinaryData` parameters.
#[derive(Clone, PartialEq, Eq)]
pub struct Binary {
    /// The file name sent with the bytes.
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Binary {
    /// The largest file [`Binary::read`] reads into memory: 512 MiB.
    pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

    /// Reads a file; its name is the path's last part. The path must name a regular file (a
    /// FIFO or a device could block or never end) of at most [`Binary::MAX_FILE_BYTES`].
    pub fn read(path: impl AsRef<std::path::Path>) -> Result<Binary, super::Error> {
        let path = path.as_ref();
        let bytes = read_file(path, Binary::MAX_FILE_BYTES).map_err(super::Error::InvalidInput)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".to_owned());
        Ok(Binary { name, bytes })
    }

    /// The same bytes under another file name.
    pub fn named(self, name: impl Into<String>) -> Binary {
        Binary {
            name: name.into(),
            ..self
        }
    }
}

/// The bytes of the regular file at `path`, of at most `max` bytes; what is not a regular file,
/// or is (or grows) larger, is refused with a message that names the path.
pub(crate) fn read_file(path: &std::path::Path, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let cannot = |e: &dyn std::fmt::Display| format!("cannot read {}: {e}", path.display());
    let metadata = std::fs::metadata(path).map_err(|e| cannot(&e))?;
    if !metadata.is_file() {
        return Err(cannot(&"not a regular file"));
    }
    if metadata.len() > max {
        return Err(cannot(&format!(
            "{} bytes, over the {max} this reads",
            metadata.len()
        )));
    }
    let file = std::fs::File::open(path).map_err(|e| cannot(&e))?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot(&e))?;
    if bytes.len() as u64 > max {
        return Err(cannot(&format!("grew over the {max} bytes this reads")));
    }
    Ok(bytes)
}

impl std::fmt::Debug for Binary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Binary")
            .field("name", &self.name)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Binary {
        Binary {
            name: "file".to_owned(),
            bytes,
        }
    }
}

impl From<&[u8]> for Binary {
    fn from(bytes: &[u8]) -> Binary {
        Binary::from(bytes.to_vec())
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn encodes_lists_and_files() {
        assert_eq!(ids([1, 2]), serde_json::json!([1, 2]));
        assert_eq!(ids(["1", "x"]), serde_json::json!(["1", "x"]));
        assert_eq!(
            ids([Id::from(5), Id::from("6")]),
            serde_json::json!([5, "6"])
        );
        assert_eq!(texts(["a"]), serde_json::json!(["a"]));
        assert_eq!(numbers([3]), serde_json::json!([3]));
        assert_eq!(file(b"hi".as_slice()), serde_json::json!(["file", "aGk="]));
        assert_eq!(base64(b"hi".to_vec()), serde_json::json!("aGk="));
        assert_eq!(Id::from(5).as_str(), "5");
        let own = || Binary::from(b"hi".to_vec()).named("report.pdf");
        assert_eq!(part_file(own(), None, None).name, "report.pdf");
        assert_eq!(part_file(own(), Some("photo"), None).name, "photo");
        assert_eq!(part_file(own(), Some("photo"), Some("")).name, "photo");
        assert_eq!(part_file(own(), None, Some("q3.pdf")).name, "q3.pdf");
        let pair = Binary::from(b"hi".to_vec()).named("a.txt");
        assert_eq!(files([pair]), serde_json::json!([["a.txt", "aGk="]]));
    }

    #[test]
    fn encodes_the_other_wire_forms() {
        assert_eq!(flag_inverted(true), Value::from("N"));
        assert_eq!(json_flag(true), Value::Bool(true));
        assert_eq!(json_flag(false), Value::Null);
        assert_eq!(base_url("portal.by"), Value::from("https://portal.by/"));
        assert_eq!(
            base_url("http://127.0.0.1:1/"),
            Value::from("http://127.0.0.1:1/")
        );
        let day = Date::parse("2025-01-02T03:04:05").unwrap();
        assert_eq!(date(day), Value::from("2025-01-02"));
        assert_eq!(date_time_z(day), Value::from("2025-01-02T03:04:05Z"));
        assert!(not_empty("Text", Value::from(" "), "why").is_err());
        let keys = [("section", Key::Array), ("from", Key::Date)];
        assert_eq!(
            keyed(
                "Filter",
                serde_json::json!({"section": 5, "from": "2025-01-02T10:00:00"}),
                &keys
            )
            .unwrap(),
            serde_json::json!({"section": [5], "from": "2025-01-02"})
        );
        let error = keyed("Filter", serde_json::json!({"other": 1}), &keys).unwrap_err();
        assert!(error.to_string().contains("no key `other`"), "{error}");
    }
}
