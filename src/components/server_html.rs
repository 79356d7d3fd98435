//! A catalog page's server-rendered parts sent once. The table, menus and
//! notes are rendered to HTML on the server and put in the page as they
//! are (`inner_html`); the resource that carries them would send them a
//! second time in the page's hydration data (the 50 rows were half of the
//! page's bytes). This codec leaves them out of the hydration data, and the
//! browser reads them back from the page itself, from the elements with
//! these ids.

use crate::model::{AppError, CatalogPageView};
use leptos::server::codee::{Decoder, Encoder};

/// The ids of the elements that hold each part.
pub const EXPORT: &str = "catalog-export";
pub const MENUS: &str = "catalog-menus";
pub const NOTES: &str = "catalog-notes";
pub const TABLE: &str = "catalog-table";

/// The codec of the catalog page's resource (hydration data only; its
/// server function answers carry the HTML as usual).
pub struct HtmlInPage;

type Loaded = Result<CatalogPageView, AppError>;

impl Encoder<Loaded> for HtmlInPage {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &Loaded) -> Result<String, Self::Error> {
        match value {
            Ok(view) => {
                let mut light = view.clone();
                light.html = Default::default();
                serde_json::to_string(&Ok::<_, AppError>(light))
            }
            Err(_) => serde_json::to_string(value),
        }
    }
}

impl Decoder<Loaded> for HtmlInPage {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(text: &str) -> Result<Loaded, Self::Error> {
        #[allow(unused_mut)]
        let mut value: Loaded = serde_json::from_str(text)?;
        #[cfg(feature = "hydrate")]
        if let Ok(view) = &mut value {
            let from_page = |id: &str| {
                leptos::prelude::document()
                    .get_element_by_id(id)
                    .map(|element| element.inner_html())
                    .unwrap_or_default()
            };
            view.html.export = from_page(EXPORT);
            view.html.menus = from_page(MENUS);
            view.html.notes = from_page(NOTES);
            view.html.table = from_page(TABLE);
        }
        Ok(value)
    }
}
