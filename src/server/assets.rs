//! The browser bundle and the static files, served so a browser downloads
//! each version once: pages link them under a path named by a hash of the
//! site's files (`/v/<hash>/pkg/portolan.wasm`), kept for a year as
//! immutable, and a new build is a new path. Every file also exists
//! compressed beside itself (`.br`, `.gz`), written once when the server
//! starts (brotli at its best takes seconds for the wasm; no request waits
//! for it: until then the compression layer compresses as it goes).
//! The plain paths (`/pkg/…`, `/favicon.ico`) still answer, revalidated
//! (`no-cache`, 304 when unchanged) for whoever kept an old page.

use axum::http::{header, HeaderValue};
use axum::Router;
use std::hash::Hasher;
use std::io::Write;
use std::path::{Path, PathBuf};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Where versioned paths start.
pub const VERSIONED: &str = "/v/";

/// The files of the site (bundle, CSS, public files), without the
/// compressed copies, in a stable order.
fn site_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if !is_compressed_copy(&path) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn is_compressed_copy(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("br" | "gz"))
}

/// The site's version: a hash of every file's name and content (16 hex
/// digits), or `None` when there is no bundle (a server built without
/// one, as in the Rust tests): pages then link the plain paths.
pub fn version(root: &Path) -> Option<String> {
    let files = site_files(root);
    if !files
        .iter()
        .any(|f| f.extension().is_some_and(|e| e == "wasm"))
    {
        return None;
    }
    // FNV-1a: stable across builds and platforms (the standard hasher is
    // not promised to be), and fast enough for a few megabytes at start.
    let mut hash = Fnv1a::default();
    for file in &files {
        hash.write(
            file.strip_prefix(root)
                .unwrap_or(file)
                .to_string_lossy()
                .as_bytes(),
        );
        hash.write(&std::fs::read(file).unwrap_or_default());
    }
    Some(format!("{:016x}", hash.finish()))
}

struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv1a {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Files worth compressing: text and wasm, not images already compressed.
fn compressible(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("wasm" | "js" | "css" | "json" | "html" | "svg" | "txt" | "ico")
    )
}

/// Writes the `.br` and `.gz` copy of every compressible site file that
/// lacks one or has an older one. Each copy is written to a temporary file
/// and renamed, so a reader (or a second server starting) never sees half
/// a file. A site folder that cannot be written (read-only) is left as it
/// is: the compression layer then compresses as it serves.
pub fn precompress(root: &Path) -> std::io::Result<usize> {
    let mut written = 0;
    for file in site_files(root).into_iter().filter(|f| compressible(f)) {
        let modified = std::fs::metadata(&file)?.modified()?;
        for (ext, compress) in [
            ("br", brotli_best as fn(&[u8]) -> Vec<u8>),
            ("gz", gzip_best),
        ] {
            let copy = PathBuf::from(format!("{}.{ext}", file.display()));
            let fresh = std::fs::metadata(&copy)
                .and_then(|m| m.modified())
                .is_ok_and(|at| at >= modified);
            if fresh {
                continue;
            }
            let packed = compress(&std::fs::read(&file)?);
            let partial =
                PathBuf::from(format!("{}.{}.partial", copy.display(), std::process::id()));
            std::fs::write(&partial, packed)?;
            std::fs::rename(&partial, &copy)?;
            written += 1;
        }
    }
    Ok(written)
}

fn brotli_best(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 3);
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let _ = brotli::BrotliCompress(&mut &data[..], &mut out, &params);
    out
}

fn gzip_best(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

/// Removes compressed copies older than their file (a new build): served,
/// they would be the old bundle. Quick, so done before serving.
pub fn remove_stale_copies(root: &Path) {
    for file in site_files(root) {
        let Ok(modified) = std::fs::metadata(&file).and_then(|m| m.modified()) else {
            continue;
        };
        for ext in ["br", "gz"] {
            let copy = PathBuf::from(format!("{}.{ext}", file.display()));
            let stale = std::fs::metadata(&copy)
                .and_then(|m| m.modified())
                .is_ok_and(|at| at < modified);
            if stale {
                let _ = std::fs::remove_file(&copy);
            }
        }
    }
}

/// Compresses the site's files in the background, once per start.
pub fn spawn_precompress(root: PathBuf) {
    tokio::task::spawn_blocking(move || match precompress(&root) {
        Ok(0) => {}
        Ok(n) => tracing::info!(files = n, "compressed copies of the site's files written"),
        Err(e) => {
            tracing::warn!(error = %e, "could not write compressed copies of the site's files; compressing as they are served")
        }
    });
}

/// The routes of the site's files: `/v/<version>/…` kept for a year, and
/// `/pkg/…` revalidated. Both send the compressed copy the browser takes,
/// and answer `If-Modified-Since` with 304.
pub fn router<S: Clone + Send + Sync + 'static>(root: &Path, version: Option<&str>) -> Router<S> {
    let files = || ServeDir::new(root).precompressed_br().precompressed_gzip();
    let revalidated = ServeDir::new(root.join("pkg"))
        .precompressed_br()
        .precompressed_gzip();
    let mut router = Router::new().nest_service("/pkg", revalidated);
    if let Some(version) = version {
        let immutable = tower::ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ))
            .service(files());
        router = router.nest_service(&format!("{VERSIONED}{version}"), immutable);
    }
    router
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_follows_the_files_and_compressed_copies_are_written_once() {
        let root = std::env::temp_dir().join(format!("portolan-assets-{}", std::process::id()));
        let pkg = root.join("pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        assert_eq!(version(&root), None, "no bundle, no version");
        std::fs::write(pkg.join("portolan.wasm"), vec![7u8; 4096]).unwrap();
        std::fs::write(pkg.join("portolan.js"), "export default 1;".repeat(100)).unwrap();
        let first = version(&root).unwrap();
        assert_eq!(precompress(&root).unwrap(), 4);
        assert_eq!(precompress(&root).unwrap(), 0, "fresh copies are kept");
        assert_eq!(
            version(&root).unwrap(),
            first,
            "compressed copies do not change the version"
        );
        assert!(
            std::fs::metadata(pkg.join("portolan.wasm.br"))
                .unwrap()
                .len()
                < 4096
        );
        std::fs::write(pkg.join("portolan.js"), "export default 2;").unwrap();
        assert_ne!(version(&root).unwrap(), first);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
