//! How arguments become request fields, the way OPI sends them: IDs as strings, booleans as
//! `"Y"`/`"N"`. The generated methods call these.

use serde_json::Value;

/// A Bitrix24 ID: a number or a string, sent as a string.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Bitrix24 ID",
    label = "expected a number or a string",
    note = "IDs are passed as numbers (`452`) or strings (`\"452\"`)"
)]
pub trait IntoId {
    /// The ID as Bitrix24 receives it.
    fn into_id(self) -> String;
}

macro_rules! numeric_ids {
    ($($t:ty),*) => {$(
        impl IntoId for $t {
            fn into_id(self) -> String {
                self.to_string()
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

/// A `String, Number` parameter.
pub fn id(value: impl IntoId) -> Value {
    Value::String(value.into_id())
}

/// A `String` parameter.
pub fn text(value: impl Into<String>) -> Value {
    Value::String(value.into())
}

/// A `Number` parameter.
pub fn number(value: i64) -> Value {
    Value::from(value)
}

/// A `Boolean` parameter: Bitrix24 reads `"Y"` and `"N"`.
pub fn flag(value: bool) -> Value {
    Value::String(if value { "Y" } else { "N" }.to_owned())
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
}

/// An `Array of String` parameter.
pub fn texts(values: impl IntoIterator<Item = impl Into<String>>) -> Value {
    Value::Array(values.into_iter().map(text).collect())
}

/// An `Array of Number` parameter.
pub fn numbers(values: impl IntoIterator<Item = i64>) -> Value {
    Value::Array(values.into_iter().map(number).collect())
}

/// An `Array of String, Number` parameter: IDs, sent as strings.
pub fn ids(values: impl IntoIterator<Item = impl IntoId>) -> Value {
    Value::Array(values.into_iter().map(id).collect())
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

/// A `BinaryData` parameter sent as a bare base64 string (e.g. a chat's avatar).
pub fn base64(value: impl Into<Binary>) -> Value {
    Value::String(BASE64.encode(&value.into().bytes))
}

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

/// An ID held as a value: for optional ID arguments (`Some(452.into())`) and ID lists.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Id(pub String);

macro_rules! ids_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Id {
            fn from(value: $t) -> Id {
                Id(value.into_id())
            }
        }
    )*};
}

ids_from!(
    u8, u16, u32, u64, usize, i8, i16, i32, i64, isize, String, &str, &String
);

impl IntoId for Id {
    fn into_id(self) -> String {
        self.0
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
    /// Reads a file; its name is the path's last part.
    pub fn read(path: impl AsRef<std::path::Path>) -> Result<Binary, super::Error> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| {
            super::Error::InvalidInput(format!("cannot read {}: {e}", path.display()))
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".to_owned());
        Ok(Binary { name, bytes })
    }
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
        assert_eq!(ids([1, 2]), serde_json::json!(["1", "2"]));
        assert_eq!(texts(["a"]), serde_json::json!(["a"]));
        assert_eq!(numbers([3]), serde_json::json!([3]));
        assert_eq!(file(b"hi".as_slice()), serde_json::json!(["file", "aGk="]));
        assert_eq!(base64(b"hi".to_vec()), serde_json::json!("aGk="));
        assert_eq!(Id::from(5), Id("5".into()));
    }
}
