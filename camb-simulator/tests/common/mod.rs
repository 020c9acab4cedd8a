//! What the simulator's integration tests share: a plain HTTP client, and
//! the `camb-simulator` binary started as a user would.

// Each test binary uses some of these.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A plain HTTP client, with no proxy.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        // Bounds every test: a server that stops answering fails it.
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a plain HTTP client")
}

/// The running binary; killed when dropped, so a failing test leaves no server.
pub struct Server(Child);

impl Server {
    /// Stops the server and returns what it logged on stderr.
    pub fn stop(mut self) -> String {
        let _ = self.0.kill();
        let _ = self.0.wait();
        let mut log = String::new();
        if let Some(mut stderr) = self.0.stderr.take() {
            stderr.read_to_string(&mut log).expect("readable stderr");
        }
        log
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary with `--port 0` and `args`, and reads its first two
/// lines: the server, its base URL and its key.
pub fn start_binary(args: &[&str]) -> (Server, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_camb-simulator"))
        .args(["--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
    let server = Server(child);
    let mut line = || {
        lines
            .next()
            .expect("a line on stdout")
            .expect("readable stdout")
    };
    let base_url = line();
    let api_key = line();
    (server, base_url, api_key)
}
