//! The `portolan` server binary.

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    portolan::server::main().await
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The browser bundle starts from `portolan::hydrate`; this binary is only
    // meaningful with the `ssr` feature.
}
