//! Which operation a request is for, parsed from its method and target.

use percent_encoding::percent_decode_str;

use crate::Integration;
use crate::dictionaries::{self, DictionaryCall};
use crate::folders::{self, FolderCall};
use crate::transcription::{self, TranscriptionCall};

/// The routes the simulator tells apart, for counting requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Route {
    /// `POST /dub`: create a dubbing task.
    Create,
    /// `GET /dub/{task_id}`: a task's status.
    Status,
    /// `GET /dub-result/{run_id}`: a finished run's result.
    Result,
    /// `POST /dubbing-results`: many runs' results.
    Results,
    /// `GET /transcript/{run_id}/{language}`: a run's transcript file.
    Transcript,
    /// `POST /dub-alt-format/{run_id}/{language}`: a dub in another format.
    AltFormat,
    /// `GET /dub-alt-format/{task_id}`: an alt-format task's status.
    AltFormatStatus,
    /// `GET /source-languages` and `GET /target-languages`.
    Languages,
    /// `GET /discord/dub/{task_id}` and `GET /twitter/dub/{task_id}`: the
    /// status of a dub started from an integration.
    IntegrationStatus,
    /// `POST /transcribe`: create a transcription task.
    Transcribe,
    /// `GET /transcribe/{task_id}`: a transcription task's status.
    TranscriptionStatus,
    /// `GET /transcription-result/{run_id}`: a transcription run's segments.
    TranscriptionResult,
    /// `POST /transcription-results`: many transcription runs' segments.
    TranscriptionResults,
    /// The dictionary calls: `/dictionaries` and the paths under it.
    Dictionaries,
    /// The folder calls: `GET /folders` and `POST /folders/create`.
    Folders,
    /// Anything else (answered `404` or `405`).
    Other,
}

/// A request as the simulator sees it, borrowed from httpmock's record.
pub(crate) struct Incoming<'a> {
    pub(crate) method: &'a str,
    /// The request target as received: path and query, still percent-encoded.
    pub(crate) target: &'a str,
    pub(crate) api_key: Option<&'a str>,
    /// The `content-type` header (a form's boundary is in it).
    pub(crate) content_type: Option<&'a str>,
    /// The `accept` header.
    pub(crate) accept: Option<&'a str>,
    pub(crate) body: &'a [u8],
}

impl Incoming<'_> {
    /// The path, without the query (still percent-encoded).
    pub(crate) fn path(&self) -> &str {
        self.target
            .split_once('?')
            .map_or(self.target, |(path, _)| path)
    }
}

impl<'a> From<&'a httpmock::HttpMockRequest> for Incoming<'a> {
    fn from(request: &'a httpmock::HttpMockRequest) -> Self {
        let header = |wanted: &str| {
            request
                .headers_vec()
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(wanted))
                .map(|(_, value)| value.as_str())
        };
        Incoming {
            method: request.method_str(),
            target: origin_form(request.uri_str()),
            api_key: header("x-api-key"),
            content_type: header("content-type"),
            accept: header("accept"),
            body: request.body_ref(),
        }
    }
}

/// The path-and-query part of a request URI (httpmock records requests with
/// an absolute URI, `http://host:port/path?query`).
fn origin_form(uri: &str) -> &str {
    let Some(rest) = uri
        .strip_prefix("http://")
        .or_else(|| uri.strip_prefix("https://"))
    else {
        return uri;
    };
    rest.find('/').map_or("/", |path_start| &rest[path_start..])
}

/// What a request asks for, with its path parameters decoded.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target {
    Create {
        /// The raw `run_id` query value, if any (validated later, like FastAPI).
        run_id: Option<String>,
    },
    Status {
        task_id: String,
        /// The raw `run_id` query value, if any (validated later, like FastAPI).
        run_id: Option<String>,
    },
    Result {
        /// The raw path segment (validated later, like FastAPI).
        run_id: String,
    },
    Results {
        run_id: Option<String>,
    },
    Transcript {
        run_id: String,
        language: String,
        format_type: Option<String>,
        data_type: Option<String>,
    },
    AltFormat {
        run_id: String,
        language: String,
    },
    AltFormatStatus {
        task_id: String,
        run_id: Option<String>,
    },
    Languages {
        run_id: Option<String>,
    },
    IntegrationStatus {
        integration: Integration,
        task_id: String,
        run_id: Option<String>,
    },
    Transcription(TranscriptionCall),
    Dictionary(DictionaryCall),
    Folder(FolderCall),
    /// A known path with the wrong method.
    MethodNotAllowed {
        allow: &'static str,
    },
    NotFound,
}

impl Target {
    /// Parses a method and a request target (`/path?query`).
    pub(crate) fn parse(method: &str, target: &str) -> Target {
        let (path, query) = match target.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (target, None),
        };
        let family = dictionaries::parse(method, path, query)
            .map(|call| call.map(Target::Dictionary))
            .or_else(|| folders::parse(method, path, query).map(|call| call.map(Target::Folder)))
            .or_else(|| {
                transcription::parse(method, path, query)
                    .map(|call| call.map(Target::Transcription))
            });
        if let Some(call) = family {
            return call.unwrap_or_else(|allow| Target::MethodNotAllowed { allow });
        }
        let run_id = query.and_then(|query| query_value(query, "run_id"));
        let integration = Integration::ALL.into_iter().find_map(|integration| {
            let task_id = path
                .strip_prefix(integration.status_prefix())
                .and_then(single_segment)?;
            Some((integration, task_id))
        });
        let (route, allow) = if path == "/dub" {
            (Some(Target::Create { run_id }), "POST")
        } else if let Some(task_id) = path.strip_prefix("/dub/").and_then(single_segment) {
            (Some(Target::Status { task_id, run_id }), "GET")
        } else if let Some((integration, task_id)) = integration {
            let target = Target::IntegrationStatus {
                integration,
                task_id,
                run_id,
            };
            (Some(target), "GET")
        } else if let Some(run_id) = path.strip_prefix("/dub-result/").and_then(single_segment) {
            (Some(Target::Result { run_id }), "GET")
        } else if path == "/dubbing-results" {
            (Some(Target::Results { run_id }), "POST")
        } else if path == "/source-languages" || path == "/target-languages" {
            (Some(Target::Languages { run_id }), "GET")
        } else if let Some((run_id, language)) =
            path.strip_prefix("/transcript/").and_then(two_segments)
        {
            let (format_type, data_type) = transcript_query(query);
            let target = Target::Transcript {
                run_id,
                language,
                format_type,
                data_type,
            };
            (Some(target), "GET")
        } else if let Some(rest) = path.strip_prefix("/dub-alt-format/") {
            match (two_segments(rest), single_segment(rest)) {
                (Some((run_id, language)), _) => {
                    (Some(Target::AltFormat { run_id, language }), "POST")
                }
                (None, Some(task_id)) => (Some(Target::AltFormatStatus { task_id, run_id }), "GET"),
                (None, None) => (None, ""),
            }
        } else {
            (None, "")
        };
        match route {
            None => Target::NotFound,
            Some(_) if method != allow => Target::MethodNotAllowed { allow },
            Some(route) => route,
        }
    }

    /// The route this target counts under.
    pub(crate) fn route(&self) -> Route {
        match self {
            Target::Create { .. } => Route::Create,
            Target::Status { .. } => Route::Status,
            Target::Result { .. } => Route::Result,
            Target::Results { .. } => Route::Results,
            Target::Transcript { .. } => Route::Transcript,
            Target::AltFormat { .. } => Route::AltFormat,
            Target::AltFormatStatus { .. } => Route::AltFormatStatus,
            Target::Languages { .. } => Route::Languages,
            Target::IntegrationStatus { .. } => Route::IntegrationStatus,
            Target::Transcription(call) => match call {
                TranscriptionCall::Create => Route::Transcribe,
                TranscriptionCall::Status { .. } => Route::TranscriptionStatus,
                TranscriptionCall::Result { .. } => Route::TranscriptionResult,
                TranscriptionCall::Results => Route::TranscriptionResults,
            },
            Target::Dictionary(_) => Route::Dictionaries,
            Target::Folder(_) => Route::Folders,
            Target::MethodNotAllowed { .. } | Target::NotFound => Route::Other,
        }
    }
}

/// A non-empty path segment without `/`, percent-decoded as UTF-8.
pub(crate) fn single_segment(raw: &str) -> Option<String> {
    if raw.is_empty() || raw.contains('/') {
        return None;
    }
    percent_decode_str(raw)
        .decode_utf8()
        .ok()
        .map(|decoded| decoded.into_owned())
}

/// Two path segments, `a/b`, each as [`single_segment`].
pub(crate) fn two_segments(raw: &str) -> Option<(String, String)> {
    let (first, second) = raw.split_once('/')?;
    Some((single_segment(first)?, single_segment(second)?))
}

/// The `format_type` and `data_type` of a transcript request's query (of
/// dubs and transcriptions alike).
pub(crate) fn transcript_query(query: Option<&str>) -> (Option<String>, Option<String>) {
    let value = |name| query.and_then(|query| query_value(query, name));
    (value("format_type"), value("data_type"))
}

/// The first value of `name` in a query string, percent-decoded.
pub(crate) fn query_value(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name).then(|| percent_decode_str(value).decode_utf8_lossy().into_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_targets_with_decoded_parameters() {
        assert_eq!(
            Target::parse("POST", "/dub?run_id=3"),
            Target::Create {
                run_id: Some("3".into())
            }
        );
        assert_eq!(
            Target::parse("GET", "/dub/a%2Fb%20c?run_id=7"),
            Target::Status {
                task_id: "a/b c".into(),
                run_id: Some("7".into())
            }
        );
        assert_eq!(
            Target::parse("GET", "/dub-result/12"),
            Target::Result {
                run_id: "12".into()
            }
        );
    }

    #[test]
    fn the_other_dubbing_paths_map_to_their_targets() {
        assert_eq!(
            Target::parse("POST", "/dubbing-results"),
            Target::Results { run_id: None }
        );
        assert_eq!(
            Target::parse("GET", "/target-languages"),
            Target::Languages { run_id: None }
        );
        assert_eq!(
            Target::parse("GET", "/twitter/dub/t-1?run_id=x"),
            Target::IntegrationStatus {
                integration: Integration::Twitter,
                task_id: "t-1".into(),
                run_id: Some("x".into())
            }
        );
        assert_eq!(
            Target::parse("GET", "/transcript/5/76?format_type=vtt&data_type=raw_data"),
            Target::Transcript {
                run_id: "5".into(),
                language: "76".into(),
                format_type: Some("vtt".into()),
                data_type: Some("raw_data".into()),
            }
        );
        assert_eq!(
            Target::parse("POST", "/dub-alt-format/5/76"),
            Target::AltFormat {
                run_id: "5".into(),
                language: "76".into()
            }
        );
        assert_eq!(
            Target::parse("GET", "/dub-alt-format/alt-1"),
            Target::AltFormatStatus {
                task_id: "alt-1".into(),
                run_id: None
            }
        );
        assert_eq!(
            Target::parse("GET", "/dub-alt-format/5/76"),
            Target::MethodNotAllowed { allow: "POST" }
        );
    }

    #[test]
    fn absolute_uris_are_reduced_to_path_and_query() {
        assert_eq!(
            origin_form("http://127.0.0.1:80/dub/x?run_id=1"),
            "/dub/x?run_id=1"
        );
        assert_eq!(origin_form("https://localhost"), "/");
        assert_eq!(origin_form("/dub?next=http://a/b"), "/dub?next=http://a/b");
    }

    #[test]
    fn unknown_paths_and_wrong_methods_are_told_apart() {
        assert_eq!(Target::parse("GET", "/dub/a/b"), Target::NotFound);
        assert_eq!(Target::parse("GET", "/dub/"), Target::NotFound);
        assert_eq!(Target::parse("GET", "/nothing"), Target::NotFound);
        assert_eq!(
            Target::parse("GET", "/dub"),
            Target::MethodNotAllowed { allow: "POST" }
        );
        assert_eq!(
            Target::parse("DELETE", "/dub/x"),
            Target::MethodNotAllowed { allow: "GET" }
        );
    }
}
