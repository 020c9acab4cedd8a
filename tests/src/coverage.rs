//! The registry of contract tests: each one declares which client it drives,
//! which operation it calls and which documented response it checks, so a
//! test can compare the registry with the spec (a new operation or response
//! without a contract test fails, and so does a contract test whose
//! operation left the spec).

/// The clients contract tests run through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClientKind {
    /// The raw generated client, `camb_api::Client`.
    Raw,
    /// The client people use, `camb_api_ext::Camb`.
    Camb,
}

/// One contract test's claim: it drives `client` through `operation_id` and
/// checks the documented response `status`.
#[derive(Debug)]
pub struct Covered {
    /// The client the test drives.
    pub client: ClientKind,
    /// The spec's `operationId`.
    pub operation_id: &'static str,
    /// The documented response code the test checks.
    pub status: u16,
    /// The test's path, for messages.
    pub test: &'static str,
}

inventory::collect!(Covered);

/// Every registered contract test.
pub fn registry() -> impl Iterator<Item = &'static Covered> {
    inventory::iter::<Covered>.into_iter()
}

/// Defines a `#[tokio::test]` and registers what it covers, so the two cannot
/// be separated: deleting the test deletes its registration.
///
/// ```text
/// contract_test! {
///     client = Raw, operation = "end_to_end_dubbing", status = 200,
///     async fn create_returns_the_task_id() { ... }
/// }
/// ```
#[macro_export]
macro_rules! contract_test {
    (
        client = $client:ident, operation = $operation:literal, status = $status:literal,
        async fn $name:ident() $body:block
    ) => {
        $crate::inventory::submit! {
            $crate::coverage::Covered {
                client: $crate::coverage::ClientKind::$client,
                operation_id: $operation,
                status: $status,
                test: concat!(module_path!(), "::", stringify!($name)),
            }
        }

        #[tokio::test]
        async fn $name() $body
    };
}
