//! `GET /v1/export` (streamed: a page of entities at a time) and
//! `POST /v1/import` (read a line at a time), Portolan's own routes (Port
//! has no export API). See `services::export` and `services::import`.

use super::ApiResult;
use crate::model::{AppError, Subject};
use crate::services::export::{self, ExportFormat};
use crate::services::import::Importer;
use crate::store::Store;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::Response;
use axum::Json;
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::json;

/// Longest line an import reads (one entity with its markdown).
const MAX_LINE: usize = 4 * 1024 * 1024;

#[derive(Deserialize)]
pub struct ExportParams {
    /// Comma-separated blueprint identifiers; none: every readable one.
    #[serde(default)]
    blueprints: Option<String>,
    /// `json` (JSON Lines, the default), `yaml` or `hcl`.
    #[serde(default)]
    format: Option<String>,
    /// A catalog page: export what its view shows (instead of whole
    /// blueprints), with the page's URL parameters below.
    #[serde(default)]
    page: Option<String>,
    #[serde(default)]
    filter: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    mine: Option<String>,
    /// One of the caller's saved views of the page, by name.
    #[serde(default)]
    view: String,
}

pub async fn export(
    State(store): State<Store>,
    subject: Subject,
    Query(params): Query<ExportParams>,
) -> Result<Response, super::ApiError> {
    let format = ExportFormat::parse(params.format.as_deref().unwrap_or("json"))?;
    if let Some(page) = params.page.as_deref() {
        if params.blueprints.is_some() {
            return Err(AppError::BadRequest(
                "give either `blueprints` (whole blueprints) or `page` (what a catalog page's view shows), not both"
                    .into(),
            )
            .into());
        }
        let request = crate::services::catalog_page::CatalogRequest {
            params: crate::model::ViewParams {
                filter: params.filter,
                sort: params.sort,
                search: params.q,
                mine: params.mine.is_some_and(|m| m == "1" || m == "true"),
                ..Default::default()
            },
            offset: 0,
            saved: params.view,
        };
        let export = export::export_view(&store, &subject, page, &request, format).await?;
        return stream(export, format);
    }
    let blueprints: Vec<String> = params
        .blueprints
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let export = export::export(&store, &subject, &blueprints, format).await?;
    stream(export, format)
}

/// The export as a download, a page of entities at a time.
fn stream(export: export::Export, format: ExportFormat) -> Result<Response, super::ApiError> {
    let chunks = futures_util::stream::unfold(Some(export), |state| async move {
        let mut export = state?;
        match export.next_chunk().await {
            Ok(Some(text)) => Some((Ok(Bytes::from(text)), Some(export))),
            Ok(None) => None,
            // The status is sent already: the download ends incomplete.
            Err(e) => {
                tracing::error!(error = %e, "export stopped");
                Some((Err(std::io::Error::other(e.to_string())), None))
            }
        }
    });
    Response::builder()
        .header(header::CONTENT_TYPE, format.content_type())
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", format.file_name()),
        )
        // Fused: the compression layer polls once more after the end, which
        // an unfolding stream answers with a panic.
        .body(Body::from_stream(chunks.fuse()))
        .map_err(|e| AppError::Internal(e.to_string()).into())
}

pub async fn import(State(store): State<Store>, subject: Subject, body: Body) -> ApiResult {
    let mut importer = Importer::start(&store, &subject).await?;
    let mut stream = body.into_data_stream();
    let mut buffer: Vec<u8> = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk =
            chunk.map_err(|e| AppError::BadRequest(format!("the upload broke off: {e}")))?;
        buffer.extend_from_slice(&chunk);
        while let Some(end) = buffer.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = buffer.drain(..=end).collect();
            importer.line(&text_of(&line)?).await?;
        }
        if buffer.len() > MAX_LINE {
            return Err(AppError::PayloadTooLarge(format!(
                "a line of the import is longer than {} MiB",
                MAX_LINE >> 20
            ))
            .into());
        }
    }
    importer.line(&text_of(&buffer)?).await?;
    let report = importer.finish().await?;
    Ok(Json(json!({"ok": true, "import": report})))
}

fn text_of(line: &[u8]) -> Result<String, AppError> {
    String::from_utf8(line.to_vec())
        .map_err(|_| AppError::BadRequest("the import is not UTF-8 text".into()))
}
