//! The TLS setup handed to reqwest.
//!
//! reqwest is built with `rustls-no-provider` (the default `rustls` feature
//! would compile aws-lc, about 50 s of cold build on two cores). Without a
//! provider, reqwest panics at `build()` unless a process-wide default was
//! installed. Installing one here would be a global side effect that breaks
//! an application installing its own later (`install_default` fails once one
//! is set), so instead each client gets a preconfigured rustls config: the
//! ring provider, the operating system's certificate verifier (what reqwest
//! itself uses), and ALPN for HTTP/2 and HTTP/1.1.

use std::sync::Arc;

use rustls::ClientConfig;
use rustls_platform_verifier::BuilderVerifierExt;

use crate::Error;

/// A rustls client config with ring and the platform verifier.
pub(crate) fn client_config() -> Result<ClientConfig, Error> {
    let invalid = |e: rustls::Error| Error::InvalidInput {
        field: "tls",
        reason: format!("could not set up TLS: {e}"),
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(invalid)?
        .with_platform_verifier()
        .map_err(invalid)?
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}
