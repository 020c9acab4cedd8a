//! `multipart/form-data` bodies, as the form routes read them (FastAPI's
//! `Form(...)` and `UploadFile` parameters).

/// A form: its parts by name.
pub(crate) struct Form<'a> {
    parts: Vec<Part<'a>>,
}

/// One part of a form.
struct Part<'a> {
    name: String,
    /// The `filename` it was sent with; `None` for a text field.
    file_name: Option<String>,
    content: &'a [u8],
}

impl<'a> Form<'a> {
    /// Splits `body` at the boundary its content type names; `None` for a
    /// body that is no form (FastAPI then reports the form's fields as
    /// missing).
    pub(crate) fn parse(body: &'a [u8], content_type: Option<&str>) -> Option<Self> {
        let boundary = content_type
            .filter(|value| value.trim_start().starts_with("multipart/form-data"))
            .and_then(|value| {
                value
                    .split(';')
                    .find_map(|param| param.trim().strip_prefix("boundary="))
            })
            .map(|boundary| boundary.trim_matches('"'))?;
        let delimiter = format!("--{boundary}");
        let mut parts = Vec::new();
        for chunk in split(body, delimiter.as_bytes()).into_iter().skip(1) {
            if chunk.starts_with(b"--") {
                break;
            }
            let chunk = chunk.strip_prefix(b"\r\n").unwrap_or(chunk);
            let chunk = chunk.strip_suffix(b"\r\n").unwrap_or(chunk);
            let Some(end) = find(chunk, b"\r\n\r\n") else {
                continue;
            };
            let headers = String::from_utf8_lossy(&chunk[..end]);
            let Some(disposition) = headers.lines().find(|line| {
                line.to_ascii_lowercase()
                    .starts_with("content-disposition:")
            }) else {
                continue;
            };
            let Some(name) = parameter(disposition, "name") else {
                continue;
            };
            parts.push(Part {
                name,
                file_name: parameter(disposition, "filename"),
                content: &chunk[end + 4..],
            });
        }
        Some(Form { parts })
    }

    /// Every part: name, file name (for a file) and content.
    pub(crate) fn parts(&self) -> impl Iterator<Item = (&str, Option<&str>, &'a [u8])> + '_ {
        self.parts
            .iter()
            .map(|part| (part.name.as_str(), part.file_name.as_deref(), part.content))
    }

    /// A text field (not a file), as sent.
    pub(crate) fn text(&self, name: &str) -> Option<String> {
        self.parts
            .iter()
            .find(|part| part.name == name && part.file_name.is_none())
            .map(|part| String::from_utf8_lossy(part.content).into_owned())
    }

    /// A file: its name as sent and its bytes.
    pub(crate) fn file(&self, name: &str) -> Option<(&str, &'a [u8])> {
        self.parts.iter().find_map(|part| {
            let file_name = part.file_name.as_deref().filter(|_| part.name == name)?;
            Some((file_name, part.content))
        })
    }
}

/// `value` of `name="value"` in a `Content-Disposition` header.
fn parameter(header: &str, name: &str) -> Option<String> {
    header.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        (key.trim() == name).then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// The pieces of `haystack` between occurrences of `needle`.
fn split<'a>(mut haystack: &'a [u8], needle: &[u8]) -> Vec<&'a [u8]> {
    let mut pieces = Vec::new();
    while let Some(at) = find(haystack, needle) {
        pieces.push(&haystack[..at]);
        haystack = &haystack[at + needle.len()..];
    }
    pieces.push(haystack);
    pieces
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_gives_its_text_fields_and_its_files() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"language\"\r\n\r\nauto\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"media_file\"; filename=\"talk.wav\"\r\n\
Content-Type: audio/wav\r\n\r\nRIFF\r\n--\r\n--XyZ--\r\n";
        let form = Form::parse(body, Some("multipart/form-data; boundary=XyZ")).unwrap();
        assert_eq!(form.text("language").as_deref(), Some("auto"));
        assert_eq!(form.text("media_file"), None, "a file is not a text field");
        assert_eq!(
            form.file("media_file"),
            Some(("talk.wav", &b"RIFF\r\n--"[..]))
        );
        assert_eq!(form.file("language"), None, "a text field is not a file");
        assert!(Form::parse(body, Some("application/json")).is_none());
        assert!(Form::parse(body, None).is_none());
    }
}
