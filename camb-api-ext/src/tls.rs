//! The TLS setup handed to reqwest under the opt-in `rustls-ring` feature.
//!
//! That feature builds reqwest with `rustls-no-provider` (reqwest's `rustls`
//! feature compiles aws-lc). Without a provider, reqwest panics at `build()`
//! unless a process-wide default was installed. Installing one here would be
//! a global side effect that breaks an application installing its own later
//! (`install_default` fails once one is set), so instead each client gets a
//! preconfigured rustls config: the ring provider, the operating system's
//! certificate verifier (what reqwest itself uses), and ALPN for HTTP/2 and
//! HTTP/1.1.

use std::sync::Arc;

use rustls::ClientConfig;
use rustls_platform_verifier::BuilderVerifierExt;

use crate::Error;

/// The TLS setup every [`Camb`](crate::Camb) client uses: rustls with the
/// ring provider, the operating system's certificate verifier, and ALPN for
/// HTTP/2 and HTTP/1.1.
///
/// Only with the `rustls-ring` feature. For building your own
/// `reqwest::Client` (see
/// [`CambBuilder::reqwest_client`](crate::CambBuilder::reqwest_client)) when
/// reqwest is compiled with `rustls-no-provider` and not `rustls`, as this
/// feature alone does: such a client panics at `build()` without a TLS setup.
///
/// ```
/// let http = reqwest::Client::builder()
///     .tls_backend_preconfigured(camb_api_ext::tls_config()?)
///     .build()?;
/// # let _ = http;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn tls_config() -> Result<ClientConfig, Error> {
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
