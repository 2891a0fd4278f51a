//! One call of a REST method as a generated method describes it: what is sent, where, and how
//! it may be retried. The client sends it (`Client::call`) or puts it in a batch.

use serde_json::Value;

use super::Binary;

/// How a request goes.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Http {
    /// A JSON body.
    Post,
    /// The fields in the query string.
    Get,
    /// `multipart/form-data`: each field a text part (objects and arrays as JSON text), each
    /// of [`Call::files`] a file part.
    Multipart,
}

/// A host some methods call instead of the portal, as the spec declares it.
#[doc(hidden)]
#[derive(Debug)]
pub struct Server {
    /// As the spec names it, e.g. `oauth`.
    pub name: &'static str,
    /// The base URL, ending with `/`.
    pub url: &'static str,
    /// The environment variable that replaces the base URL.
    pub env: &'static str,
    /// The whole JSON answer is the result (no `result` key around it).
    pub whole_answer: bool,
}

/// The second step of a two-step upload: the first answer's `result` names where to send the
/// file.
#[doc(hidden)]
pub struct Upload {
    /// The key of `result` that holds the URL to send the file to.
    pub url_key: &'static str,
    /// The key of `result` that holds the form field's name.
    pub field_key: &'static str,
    pub file: Binary,
    /// The file name sent; the file's own name when `None`.
    pub name: Option<String>,
}

/// After the call, the file at the path its answer's `result` holds at `path` is read from the
/// auth mode's `downloads` address; while there is no path, the call is made again, up to
/// `repeats` more times, waiting 1 s, 2 s, … before each.
#[doc(hidden)]
#[derive(Debug)]
pub struct Download {
    pub path: &'static str,
    pub repeats: u8,
}

/// A change a request field goes through once every field is in place, as the spec declares
/// it for a parameter.
#[doc(hidden)]
#[derive(Debug)]
pub enum Shape {
    /// The text at `field` is split on `on`, empty pieces dropped: with two pieces or more,
    /// the first stays at `field` and the second goes to `then`, as a number when it is one
    /// (OPI's `ChatID*TopicID`); otherwise the text stays whole.
    Split {
        field: &'static str,
        on: &'static str,
        then: &'static str,
    },
    /// The text at `field` is made ready for the markup named by the text at `by` (see
    /// [`encode::markup_text`](crate::encode::markup_text)).
    Markup {
        field: &'static str,
        by: &'static str,
    },
    /// The text at `from`, when there is one, becomes the `caption` of the first item of the
    /// list at `field` (a media group's).
    Caption {
        field: &'static str,
        from: &'static str,
    },
}

/// One call of a REST method, as a generated method describes it.
#[doc(hidden)]
pub struct Call {
    pub method: &'static str,
    pub http: Http,
    /// From the spec: whether sending the call twice does no harm (reads).
    pub safe_to_repeat: bool,
    /// Request fields, at their paths (`fields.TITLE`); `None` (or `Value::Null`) is not sent.
    pub fields: Vec<(&'static str, Option<Value>)>,
    /// A structure whose keys go into the body itself.
    pub merge: Option<Value>,
    /// `(field, other)`: `field` is not sent when `other` is.
    pub unless: &'static [(&'static str, &'static str)],
    /// Fields whose values are secrets, to mask wherever they could be shown.
    pub secret_fields: &'static [&'static str],
    /// Changes the fields go through, in order, once they are all in place.
    pub shapes: &'static [Shape],
    /// `(field, method)`: when `field` is not sent, `method` is called instead.
    pub or_method: Option<(&'static str, &'static str)>,
    /// Another host than the portal.
    pub server: Option<&'static Server>,
    /// A second step that sends a file.
    pub upload: Option<Upload>,
    /// The file parts of a multipart call: (part name, file and the name it is sent as).
    pub files: Vec<(String, Binary)>,
    /// A file the answer names, to read after the call.
    pub download: Option<Download>,
    /// How the method pages, for a method that reads a list.
    pub list: Option<&'static super::list::List>,
}

impl Call {
    /// The method called with these request fields: `or_method`'s when its field is absent.
    pub(crate) fn method_for(&self, fields: &serde_json::Map<String, Value>) -> &'static str {
        match self.or_method {
            Some((field, method)) if crate::client::get_at(fields, field).is_none() => method,
            _ => self.method,
        }
    }

    /// A POST with nothing in it: generated calls fill in what they need.
    pub const DEFAULT: Call = Call {
        method: "",
        http: Http::Post,
        safe_to_repeat: false,
        fields: Vec::new(),
        merge: None,
        unless: &[],
        secret_fields: &[],
        shapes: &[],
        or_method: None,
        server: None,
        upload: None,
        files: Vec::new(),
        download: None,
        list: None,
    };
}
