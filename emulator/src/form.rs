//! The parts of a `multipart/form-data` body, as both emulators read them (multer).

use bytes::Bytes;

/// One part of a form: its field name, its file name when it is a file, its bytes.
pub(crate) struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub bytes: Bytes,
}

/// Every part of `body`, in order; `None` when the body is not a well-formed form of the
/// boundary `content_type` names.
pub(crate) async fn parts(content_type: &str, body: Bytes) -> Option<Vec<Part>> {
    let boundary = multer::parse_boundary(content_type).ok()?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.ok()? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await.ok()?;
        parts.push(Part {
            name,
            file_name,
            bytes,
        });
    }
    Some(parts)
}
