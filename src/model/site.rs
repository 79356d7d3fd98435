//! Where pages link the site's own files (bundle, stylesheet, scripts).

/// The start of the path of the site's files: `/v/<version>`, a path that
/// changes with every build so browsers may keep its files for a year, or
/// empty for the plain paths (no bundle built, as in the Rust tests). The
/// server provides it to every page it renders.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssetBase(pub String);
