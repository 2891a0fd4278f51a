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
