//! `--from FILE|URL`: getting a page's text and the name it is vendored under.

use std::{fs, path::Path, time::Duration};

use anyhow::{Context, Result, bail};

use crate::sources::check_file_name;

/// How long one download may take, all told.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(60);

/// A page as received, before it is parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchedPage {
    /// The name it is vendored under in spec/upstream: the last segment of
    /// the URL's path, or the local file's name.
    pub file_name: String,
    /// Where it came from, as given (recorded in sources.json).
    pub origin: String,
    /// Its text, exactly as received.
    pub text: String,
}

/// Fetches `from`: an `http(s)://` URL or a local path.
pub fn fetch(from: &str) -> Result<FetchedPage> {
    if from.starts_with("http://") || from.starts_with("https://") {
        fetch_url(from)
    } else if from.contains("://") {
        bail!("{from:?}: only http:// and https:// URLs, or local paths, can be fetched")
    } else {
        read_file(from)
    }
}

fn fetch_url(url: &str) -> Result<FetchedPage> {
    let uri: ureq::http::Uri = url
        .parse()
        .with_context(|| format!("{url:?} is not a URL"))?;
    let file_name = uri.path().rsplit('/').next().unwrap_or_default().to_owned();
    check_file_name(&file_name).with_context(|| format!("cannot name the page of {url}"))?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(DOWNLOAD_TIMEOUT))
        .build()
        .into();
    let text = agent
        .get(url)
        .call()
        .and_then(|mut response| response.body_mut().read_to_string())
        .with_context(|| format!("fetching {url}"))?;
    Ok(FetchedPage {
        file_name,
        origin: url.to_owned(),
        text,
    })
}

fn read_file(path: &str) -> Result<FetchedPage> {
    let file_name = Path::new(path)
        .file_name()
        .and_then(|name| name.to_str())
        .with_context(|| format!("{path:?} does not name a file"))?
        .to_owned();
    check_file_name(&file_name)?;
    let text = fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
    Ok(FetchedPage {
        file_name,
        origin: path.to_owned(),
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use httpmock::prelude::*;

    #[test]
    fn fetches_a_page_over_http_and_names_it_after_the_url() {
        let server = MockServer::start();
        let page = server.mock(|when, then| {
            when.method(GET)
                .path("/api-reference/endpoint/end-to-end-dubbing.md");
            then.status(200).body("# Page\n");
        });
        let url = server.url("/api-reference/endpoint/end-to-end-dubbing.md?x=1#top");
        let fetched = fetch(&url).unwrap();
        page.assert();
        assert_eq!(fetched.file_name, "end-to-end-dubbing.md");
        assert_eq!(fetched.origin, url);
        assert_eq!(fetched.text, "# Page\n");
    }

    #[test]
    fn an_http_error_status_is_an_error_naming_the_url() {
        let server = MockServer::start();
        server.mock(|when, then| {
            when.path("/missing.md");
            then.status(404);
        });
        let url = server.url("/missing.md");
        let error = format!("{:#}", fetch(&url).unwrap_err());
        assert!(error.contains(&url) && error.contains("404"), "{error}");
    }

    #[test]
    fn a_url_without_a_usable_file_name_is_an_error_before_any_request() {
        let server = MockServer::start();
        let any = server.mock(|_, then| {
            then.status(200);
        });
        for path in ["/", "/docs/..", "/a%2Fb.md"] {
            assert!(fetch(&server.url(path)).is_err(), "{path}");
        }
        any.assert_calls(0);
    }

    #[test]
    fn other_schemes_are_refused() {
        let error = fetch("ftp://example.invalid/page.md").unwrap_err();
        assert!(error.to_string().contains("only http:// and https://"));
    }

    #[test]
    fn reads_a_local_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.yaml");
        fs::write(&path, "openapi: 3.1.0\n").unwrap();
        let fetched = fetch(path.to_str().unwrap()).unwrap();
        assert_eq!(fetched.file_name, "page.yaml");
        assert_eq!(fetched.text, "openapi: 3.1.0\n");
        assert!(fetch(dir.path().join("absent.md").to_str().unwrap()).is_err());
    }
}
