//! `cargo xtask test`: every crate of the workspace tested alone, with all
//! its features, one `cargo test -p <crate> --all-features` each.
//!
//! `cargo test --workspace` builds every crate with the union of the
//! features any member asks for, so a crate that forgets a feature it needs
//! (or a doc example that only compiles with a neighbour's feature on) still
//! passes there and fails for the user who depends on it alone. Testing each
//! crate on its own, with all of its features, is what a user of that crate
//! (or docs.rs, which builds with `all-features`) sees.

use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// The workspace's member packages, in `cargo metadata` order.
pub fn members() -> Result<Vec<String>> {
    let output = Command::new(cargo())
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .output()
        .context("running cargo metadata")?;
    if !output.status.success() {
        bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let metadata: Value =
        serde_json::from_slice(&output.stdout).context("reading cargo metadata's answer")?;
    member_names(&metadata)
}

/// The names of the packages `cargo metadata --no-deps` lists.
fn member_names(metadata: &Value) -> Result<Vec<String>> {
    let Some(packages) = metadata["packages"].as_array() else {
        bail!("cargo metadata lists no packages");
    };
    packages
        .iter()
        .map(|package| {
            package["name"]
                .as_str()
                .map(str::to_owned)
                .context("a package without a name in cargo metadata")
        })
        .collect()
}

/// Runs `cargo test -p <crate> --all-features <extra>` for every member,
/// going on after a failure, and fails at the end naming the crates that
/// failed.
pub fn run(extra: &[String]) -> Result<ExitCode> {
    let mut failed = Vec::new();
    for member in members()? {
        println!("\n=== cargo test -p {member} --all-features ===");
        let status = Command::new(cargo())
            .args(["test", "-p", &member, "--all-features"])
            .args(extra)
            .status()
            .with_context(|| format!("running cargo test -p {member}"))?;
        if !status.success() {
            failed.push(member);
        }
    }
    if failed.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "\nerror: tests failed in: {} (each tested alone with --all-features)",
        failed.join(", ")
    );
    Ok(ExitCode::from(1))
}

/// The cargo that runs xtask (`cargo xtask` sets `CARGO`), else the one on
/// the path.
fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_member_of_this_workspace() {
        let members = members().unwrap();
        for expected in ["camb-api", "camb-api-ext", "camb-simulator", "xtask"] {
            assert!(members.iter().any(|m| m == expected), "{members:?}");
        }
    }

    #[test]
    fn refuses_metadata_without_packages() {
        assert!(member_names(&serde_json::json!({})).is_err());
        assert!(member_names(&serde_json::json!({"packages": [{"id": "x"}]})).is_err());
    }
}
