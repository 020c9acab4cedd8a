//! Which operation a request is for, parsed from its method and target.

use percent_encoding::percent_decode_str;

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
    /// Anything else (answered `404` or `405`).
    Other,
}

/// A request as the simulator sees it, borrowed from httpmock's record.
pub(crate) struct Incoming<'a> {
    pub(crate) method: &'a str,
    /// The request target as received: path and query, still percent-encoded.
    pub(crate) target: &'a str,
    pub(crate) api_key: Option<&'a str>,
    pub(crate) body: &'a [u8],
}

impl<'a> From<&'a httpmock::HttpMockRequest> for Incoming<'a> {
    fn from(request: &'a httpmock::HttpMockRequest) -> Self {
        let api_key = request
            .headers_vec()
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("x-api-key"))
            .map(|(_, value)| value.as_str());
        Incoming {
            method: request.method_str(),
            target: origin_form(request.uri_str()),
            api_key,
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
    Create,
    Status {
        task_id: String,
        /// The raw `run_id` query value, if any (validated later, like FastAPI).
        run_id: Option<String>,
    },
    Result {
        /// The raw path segment (validated later, like FastAPI).
        run_id: String,
    },
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
        let (route, allow) = if path == "/dub" {
            (Some(Target::Create), "POST")
        } else if let Some(task_id) = path.strip_prefix("/dub/").and_then(single_segment) {
            let run_id = query.and_then(|query| query_value(query, "run_id"));
            (Some(Target::Status { task_id, run_id }), "GET")
        } else if let Some(run_id) = path.strip_prefix("/dub-result/").and_then(single_segment) {
            (Some(Target::Result { run_id }), "GET")
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
            Target::Create => Route::Create,
            Target::Status { .. } => Route::Status,
            Target::Result { .. } => Route::Result,
            Target::MethodNotAllowed { .. } | Target::NotFound => Route::Other,
        }
    }
}

/// A non-empty path segment without `/`, percent-decoded as UTF-8.
fn single_segment(raw: &str) -> Option<String> {
    if raw.is_empty() || raw.contains('/') {
        return None;
    }
    percent_decode_str(raw)
        .decode_utf8()
        .ok()
        .map(|decoded| decoded.into_owned())
}

/// The first value of `name` in a query string, percent-decoded.
fn query_value(query: &str, name: &str) -> Option<String> {
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
        assert_eq!(Target::parse("POST", "/dub"), Target::Create);
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
