//! The origins the portal's Content-Security-Policy lets pages frame
//! (`frame-src`) and fetch tokens from (`connect-src`): exactly those that
//! saved iframe widgets use. Kept per server and refreshed after this
//! process writes a page, or at most `REFRESH` after another instance on
//! the same database did.

use crate::model::dashboard::{url_origin, widget_id, WidgetKind};
use crate::model::Page;
use crate::store::Store;
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How stale another instance's view of the saved widgets may be.
const REFRESH: Duration = Duration::from_secs(15);

/// The CSP sources of saved iframe widgets, cached.
#[derive(Clone, Default)]
pub struct FrameOrigins {
    cache: Arc<RwLock<Option<Cached>>>,
}

struct Cached {
    at: Instant,
    generation: u64,
    sources: CspSources,
}

/// `frame-src` and `connect-src` sources, space-separated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CspSources {
    /// Origins of iframe widgets' pages; empty: nothing may be framed.
    pub frames: String,
    /// Origins of protected iframes' token endpoints (the browser posts the
    /// authorization code there).
    pub tokens: String,
}

impl FrameOrigins {
    pub async fn sources(&self, store: &Store) -> CspSources {
        let generation = store.pages_generation();
        if let Ok(cache) = self.cache.read() {
            if let Some(cached) = cache.as_ref() {
                if cached.generation == generation && cached.at.elapsed() < REFRESH {
                    return cached.sources.clone();
                }
            }
        }
        let sources = match store.list_pages().await {
            Ok(pages) => sources_of(&pages),
            Err(e) => {
                tracing::warn!(error = %e, "could not read the pages for the frame-src policy");
                // Keep what was allowed before rather than blank every widget.
                return self
                    .cache
                    .read()
                    .ok()
                    .and_then(|c| c.as_ref().map(|c| c.sources.clone()))
                    .unwrap_or_default();
            }
        };
        if let Ok(mut cache) = self.cache.write() {
            *cache = Some(Cached {
                at: Instant::now(),
                generation,
                sources: sources.clone(),
            });
        }
        sources
    }
}

/// The iframe widgets of `pages`.
fn iframes(pages: &[Page]) -> impl Iterator<Item = &Value> {
    pages.iter().flat_map(|p| &p.widgets).filter(|w| {
        widget_id(w).is_some()
            && w.get("type")
                .and_then(Value::as_str)
                .and_then(WidgetKind::of_type)
                == Some(WidgetKind::Iframe)
    })
}

/// The origins the iframe widgets of `pages` frame (what markdown widgets
/// may frame too).
pub(super) fn frame_origins(pages: &[Page]) -> BTreeSet<String> {
    iframes(pages)
        .filter_map(|w| w.get("url").and_then(Value::as_str).and_then(url_origin))
        .collect()
}

/// The origins the iframe widgets of `pages` use.
pub fn sources_of(pages: &[Page]) -> CspSources {
    let frames = frame_origins(pages);
    let mut tokens = BTreeSet::new();
    for widget in iframes(pages) {
        if widget.get("urlType").and_then(Value::as_str) == Some("protected") {
            tokens.extend(
                widget
                    .get("tokenUrl")
                    .and_then(Value::as_str)
                    .and_then(url_origin),
            );
        }
    }
    let join = |set: BTreeSet<String>| set.into_iter().collect::<Vec<_>>().join(" ");
    CspSources {
        frames: join(frames),
        tokens: join(tokens),
    }
}
