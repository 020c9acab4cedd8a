//! `multipart/form-data` requests, which progenitor does not generate.
//!
//! For each operation of the spec with a multipart body, camb-codegen
//! generates a builder in progenitor's style: `client.<operation>()`, the
//! form's text fields through `body`/`body_map` (their type is generated
//! from the body schema, without the file properties), one setter per file
//! property taking a [`FilePart`], then `send()`. This module does the wire
//! work for all of them, through the same path as every generated call:
//! the `x-api-key` header of the client's [`Auth`](crate::Auth), the body
//! cap and the origin check of its hooks, and the response decoded into the
//! generated types (`ResponseValue<T>`, `Error::ErrorResponse` for the
//! documented error statuses).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # // The application's TLS choice (camb-api itself enables none).
//! # let _ = rustls::crypto::ring::default_provider().install_default();
//! # let server = httpmock::MockServer::start_async().await;
//! # let transcribe = server.mock(|when, then| {
//! #     when.method("POST")
//! #         .path("/transcribe")
//! #         .body_includes("name=\"language\"\r\n\r\n76\r\n")
//! #         .body_includes("name=\"media_file\"; filename=\"talk.wav\"\r\n");
//! #     then.status(200).body(r#"{"task_id":"t-1"}"#);
//! # });
//! # let auth = camb_api::Auth::api_key("your-key")?;
//! # let client = camb_api::Client::new_with_client(&server.base_url(), reqwest::Client::new(), auth);
//! use camb_api::multipart::FilePart;
//!
//! // `POST /transcribe` (see spec/README.md, "Multipart bodies"): its text
//! // fields through `body_map`, its `media_file` upload as a file part.
//! let answer = client
//!     .create_transcription()
//!     .body_map(|body| body.language(76))
//!     // `FilePart::path("talk.wav").await?` streams a file from disk instead.
//!     .media_file(FilePart::bytes(b"RIFF".as_slice(), "talk.wav"))
//!     .send()
//!     .await?
//!     .into_inner();
//! assert_eq!(answer.task_id.as_deref(), Some("t-1"));
//! # transcribe.assert();
//! # Ok(())
//! # }
//! ```

use std::{borrow::Cow, fmt, path::Path};

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo, ResponseValue};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

use crate::Client;

/// A file sent as one part of a multipart form.
///
/// From a path, the file is streamed from disk as the request is written
/// (never read whole into memory), with its file name and a content type
/// guessed from its extension; from bytes, the bytes are sent as they are.
pub struct FilePart(reqwest::multipart::Part);

impl FilePart {
    /// The file at `path`, opened now (so a missing file is an error here,
    /// before any request) and streamed when the request is sent.
    pub async fn path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        reqwest::multipart::Part::file(path).await.map(Self)
    }

    /// `bytes`, sent as a file named `file_name`, of content type
    /// `application/octet-stream` unless [`FilePart::content_type`] says
    /// otherwise.
    pub fn bytes(bytes: impl Into<Cow<'static, [u8]>>, file_name: impl Into<String>) -> Self {
        Self(reqwest::multipart::Part::bytes(bytes).file_name(file_name.into()))
    }

    /// The part's content type, e.g. `audio/wav`. An unparsable media type
    /// is an error here, before any request.
    pub fn content_type(self, media_type: &str) -> Result<Self, InvalidContentType> {
        self.0
            .mime_str(media_type)
            .map(Self)
            .map_err(|_| InvalidContentType(media_type.to_owned()))
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("FilePart").field(&self.0).finish()
    }
}

/// [`FilePart::content_type`] was given something that is not a media type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidContentType(pub String);

impl fmt::Display for InvalidContentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a media type", self.0)
    }
}

impl std::error::Error for InvalidContentType {}

/// A form being built by a generated multipart builder.
#[allow(
    dead_code,
    reason = "used by the builders generated for multipart operations"
)]
#[derive(Debug)]
pub(crate) struct Form(reqwest::multipart::Form);

#[allow(
    dead_code,
    reason = "used by the builders generated for multipart operations"
)]
impl Form {
    /// An empty form.
    pub(crate) fn new() -> Self {
        Self(reqwest::multipart::Form::new())
    }

    /// `part` as the file field `name`.
    pub(crate) fn file(self, name: &'static str, part: FilePart) -> Self {
        Self(self.0.part(name, part.0))
    }
}

/// The fields of `body` (a generated struct) as text parts, the way form
/// servers read them (FastAPI's `Form(...)`): a string as it is, a number or
/// boolean as its JSON text, an array as one part per item, an object as its
/// JSON text; a `null` (an unset optional field) is not sent.
#[allow(
    dead_code,
    reason = "used by the builders generated for multipart operations"
)]
pub(crate) fn text_fields(body: &impl Serialize) -> Result<Form, String> {
    let value = serde_json::to_value(body).map_err(|e| format!("encoding the form: {e}"))?;
    let Value::Object(fields) = value else {
        return Err(format!("a form is an object, not {value}"));
    };
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in fields {
        let items = match value {
            Value::Array(items) => items,
            one => vec![one],
        };
        for item in items {
            let text = match item {
                Value::Null => continue,
                Value::String(text) => text,
                other => other.to_string(),
            };
            form = form.text(name.clone(), text);
        }
    }
    Ok(Form(form))
}

/// What a generated multipart builder sends.
#[allow(
    dead_code,
    reason = "used by the builders generated for multipart operations"
)]
#[derive(Clone, Debug)]
pub(crate) struct Operation {
    /// The operationId (what the hooks see).
    pub id: &'static str,
    /// Its method.
    pub method: reqwest::Method,
    /// Its path (no parameters).
    pub path: &'static str,
    /// The statuses whose body decodes into the success type.
    pub success: &'static [u16],
    /// The statuses whose body decodes into the error type.
    pub errors: &'static [u16],
}

/// Sends `form` as `operation`, as the generated client sends its requests.
#[allow(
    dead_code,
    reason = "used by the builders generated for multipart operations"
)]
pub(crate) async fn send<T, E>(
    client: &Client,
    operation: Operation,
    query: &[(&str, String)],
    headers: &[(&'static str, String)],
    form: Form,
) -> Result<ResponseValue<T>, Error<E>>
where
    T: DeserializeOwned + 'static,
    E: DeserializeOwned + 'static,
{
    let url = format!("{}{}", client.baseurl(), operation.path);
    // Header parameters, checked as the generated calls check theirs (a
    // value that is no header value is `Error::InvalidRequest`).
    let mut header_map = reqwest::header::HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        header_map.append(*name, value.as_str().try_into()?);
    }
    let mut request = client
        .client()
        .request(operation.method, url)
        .header(
            reqwest::header::ACCEPT,
            reqwest::header::HeaderValue::from_static("application/json"),
        )
        .header(
            reqwest::header::HeaderName::from_static("api-version"),
            reqwest::header::HeaderValue::from_static(Client::api_version()),
        )
        .query(query)
        .headers(header_map)
        .multipart(form.0)
        .build()?;
    let info = OperationInfo {
        operation_id: operation.id,
    };
    client.inner().authorize(&mut request);
    client.pre(&mut request, &info).await?;
    let result = client.exec(request, &info).await;
    client.post(&result, &info).await?;
    let response = result?;
    let status = response.status().as_u16();
    if operation.success.contains(&status) {
        decode(response).await
    } else if operation.errors.contains(&status) {
        Err(Error::ErrorResponse(decode(response).await?))
    } else {
        Err(Error::UnexpectedResponse(response))
    }
}

/// The body as `T`; `()` is an answer without a body.
#[allow(
    dead_code,
    reason = "used by the builders generated for multipart operations"
)]
async fn decode<T: DeserializeOwned + 'static, E>(
    response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    if std::any::TypeId::of::<T>() == std::any::TypeId::of::<()>() {
        // `null` is what `()` decodes from; the body is not read.
        let status = response.status();
        let headers = response.headers().clone();
        let unit: T = serde_json::from_value(Value::Null)
            .map_err(|e| Error::InvalidResponsePayload(Default::default(), e))?;
        return Ok(ResponseValue::new(unit, status, headers));
    }
    ResponseValue::from_response(response).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Auth;
    use httpmock::{Method::POST, MockServer};
    use serde_json::json;

    const TRANSCRIBE: Operation = Operation {
        id: "transcribe",
        method: reqwest::Method::POST,
        path: "/transcribe",
        success: &[200],
        errors: &[422],
    };

    fn client(server: &MockServer) -> Client {
        let auth = Auth::api_key("sk-multipart").unwrap();
        Client::new_with_client(&server.base_url(), reqwest::Client::new(), auth)
    }

    /// A form with text fields of every shape, a file from bytes and one
    /// streamed from disk.
    async fn form(path: &Path) -> Form {
        let fields = json!({
            "language": 76,
            "project_name": "Talk",
            "speakers": ["A", "B"],
            "options": {"diarize": true},
            "unset": null
        });
        let from_disk = FilePart::path(path).await.unwrap();
        let in_memory = FilePart::bytes(b"RIFF-bytes".to_vec(), "clip.wav")
            .content_type("audio/wav")
            .unwrap();
        text_fields(&fields)
            .unwrap()
            .file("media_file", from_disk)
            .file("voice_sample", in_memory)
    }

    fn temp_file(name: &str, contents: &str) -> std::path::PathBuf {
        let path = std::env::temp_dir().join(format!("camb-api-{}-{name}", std::process::id()));
        std::fs::write(&path, contents).unwrap();
        path
    }

    #[tokio::test]
    async fn a_form_goes_out_with_its_parts_and_the_key_and_the_answer_decodes() {
        let server = MockServer::start_async().await;
        let part = |name: &str, text: &str| {
            format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{text}\r\n")
        };
        let mock = server
            .mock_async(|when, then| {
                when.method(POST)
                    .path("/transcribe")
                    .header("x-api-key", "sk-multipart")
                    .query_param("run_id", "7")
                    .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                    .header_matches("content-type", "^multipart/form-data; boundary=")
                    .body_includes(part("language", "76"))
                    .body_includes(part("project_name", "Talk"))
                    .body_includes(part("speakers", "A"))
                    .body_includes(part("speakers", "B"))
                    .body_includes(part("options", r#"{"diarize":true}"#))
                    .body_excludes("name=\"unset\"")
                    .body_includes(
                        "name=\"media_file\"; filename=\"camb-api-",
                    )
                    .body_includes("talk.txt\"\r\nContent-Type: text/plain\r\n\r\nspoken words\r\n")
                    .body_includes(
                        "name=\"voice_sample\"; filename=\"clip.wav\"\r\nContent-Type: audio/wav\r\n\r\nRIFF-bytes\r\n",
                    );
                then.status(200).json_body(json!({"task_id": "t-1"}));
            })
            .await;
        let path = temp_file("talk.txt", "spoken words");
        let answer: ResponseValue<Value> = send::<_, Value>(
            &client(&server),
            TRANSCRIBE,
            &[("run_id", "7".into())],
            &[(
                "traceparent",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".into(),
            )],
            form(&path).await,
        )
        .await
        .unwrap();
        std::fs::remove_file(&path).unwrap();
        mock.assert_async().await;
        assert_eq!(answer.into_inner(), json!({"task_id": "t-1"}));
    }

    #[tokio::test]
    async fn a_documented_error_status_is_a_typed_error_response_and_others_are_unexpected() {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(POST).path("/transcribe");
                then.status(422)
                    .json_body(json!({"detail": [{"msg": "bad"}]}));
            })
            .await;
        let path = temp_file("bad.txt", "x");
        let error = send::<Value, Value>(&client(&server), TRANSCRIBE, &[], &[], form(&path).await)
            .await
            .unwrap_err();
        match error {
            Error::ErrorResponse(answer) => {
                assert_eq!(answer.status().as_u16(), 422);
                assert_eq!(answer.into_inner(), json!({"detail": [{"msg": "bad"}]}));
            }
            other => panic!("{other:?}"),
        }
        let undocumented = Operation {
            errors: &[],
            ..TRANSCRIBE
        };
        let error =
            send::<Value, Value>(&client(&server), undocumented, &[], &[], form(&path).await)
                .await
                .unwrap_err();
        std::fs::remove_file(&path).unwrap();
        assert!(matches!(error, Error::UnexpectedResponse(_)), "{error:?}");
    }

    #[tokio::test]
    async fn a_missing_file_or_a_bad_content_type_fails_before_any_request() {
        let missing = FilePart::path("/nonexistent/camb-api/talk.mp4").await;
        assert_eq!(missing.unwrap_err().kind(), std::io::ErrorKind::NotFound);
        let bad = FilePart::bytes(b"x".to_vec(), "x").content_type("not a type");
        assert_eq!(bad.unwrap_err(), InvalidContentType("not a type".into()));
        assert!(text_fields(&json!([1, 2])).is_err());
    }

    #[tokio::test]
    async fn a_header_value_that_cannot_be_sent_is_an_invalid_request_before_any_request() {
        let server = MockServer::start_async().await;
        let any = server
            .mock_async(|when, then| {
                when.any_request();
                then.status(200);
            })
            .await;
        let error = send::<(), Value>(
            &client(&server),
            TRANSCRIBE,
            &[],
            &[("traceparent", "line\nbreak".into())],
            Form::new(),
        )
        .await
        .unwrap_err();
        assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
        any.assert_calls_async(0).await;
    }

    #[tokio::test]
    async fn an_answer_without_a_body_decodes_to_unit() {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(POST).path("/transcribe");
                then.status(200);
            })
            .await;
        let answer = send::<(), Value>(&client(&server), TRANSCRIBE, &[], &[], Form::new())
            .await
            .unwrap();
        assert_eq!(answer.status().as_u16(), 200);
    }
}
