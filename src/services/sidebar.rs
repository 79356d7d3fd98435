//! The sidebar: the pages a subject may read, and the folders (Port's
//! `/v1/sidebars/catalog/folders`) that group them. Admins make, rename
//! and delete folders; a page joins one through its `parent`.

use crate::authz::{may_arrange_sidebar, require};
use crate::model::page::{folder_identifier, FOLDER_DEPTH, HOME_PAGE};
use crate::model::{AppError, Folder, Sidebar, SidebarItem, Subject};
use crate::services::pages::readable_pages;
use crate::store::Store;

/// What the sidebar shows `subject`.
pub async fn sidebar(store: &Store, subject: &Subject) -> Result<Sidebar, AppError> {
    let items = readable_pages(store, subject)
        .await?
        .into_iter()
        // Home has its own place at the top of the sidebar.
        .filter(|page| page.identifier != HOME_PAGE)
        .map(|page| SidebarItem {
            href: page.href(),
            identifier: page.identifier,
            title: page.title,
            icon: page.icon,
            kind: page.kind,
            parent: page.parent,
        })
        .collect();
    Ok(Sidebar {
        items,
        folders: store.list_folders().await?,
    })
}

/// A new folder. Without an identifier it gets Port's: the title in
/// snake_case.
pub async fn create_folder(
    store: &Store,
    subject: &Subject,
    identifier: Option<&str>,
    title: &str,
    parent: Option<&str>,
) -> Result<Folder, AppError> {
    require(subject, may_arrange_sidebar(subject))?;
    let title = title.trim();
    if title.is_empty() {
        return Err(AppError::Invalid("title: give the folder a title".into()));
    }
    let identifier = match identifier.map(str::trim).filter(|i| !i.is_empty()) {
        Some(id) => {
            crate::model::identifier::validate_entity_identifier(id)
                .map_err(|e| AppError::Invalid(format!("identifier: {e}")))?;
            id.to_string()
        }
        None => folder_identifier(title),
    };
    if identifier.is_empty() {
        return Err(AppError::Invalid(
            "title: give the folder a title with letters or digits".into(),
        ));
    }
    let folders = store.list_folders().await?;
    let parent = parent.map(str::trim).filter(|p| !p.is_empty());
    if let Some(parent) = parent {
        let depth = depth_of(&folders, parent)?;
        if depth >= FOLDER_DEPTH {
            return Err(AppError::Invalid(format!(
                "parent: folders nest at most {FOLDER_DEPTH} deep, and `{parent}` is already {depth} deep"
            )));
        }
    }
    let folder = Folder {
        identifier,
        title: title.to_string(),
        parent: parent.map(str::to_string),
    };
    store.insert_folder(&folder).await?;
    Ok(folder)
}

/// The folder titled `title` (by title or identifier, any case), made if
/// there is none: what "Folder" on the new-dashboard form means.
pub async fn folder_titled(
    store: &Store,
    subject: &Subject,
    title: &str,
) -> Result<String, AppError> {
    let wanted = title.trim();
    let found = store.list_folders().await?.into_iter().find(|f| {
        f.title.eq_ignore_ascii_case(wanted) || f.identifier == folder_identifier(wanted)
    });
    match found {
        Some(folder) => Ok(folder.identifier),
        None => Ok(create_folder(store, subject, None, wanted, None)
            .await?
            .identifier),
    }
}

/// Renames a folder (and keeps its place).
pub async fn rename_folder(
    store: &Store,
    subject: &Subject,
    identifier: &str,
    title: &str,
) -> Result<Folder, AppError> {
    require(subject, may_arrange_sidebar(subject))?;
    let title = title.trim();
    if title.is_empty() {
        return Err(AppError::Invalid("title: give the folder a title".into()));
    }
    let mut folder = existing(store, identifier).await?;
    folder.title = title.to_string();
    if !store.update_folder(&folder).await? {
        return Err(not_found(identifier));
    }
    Ok(folder)
}

/// Deletes an empty folder; one that still holds pages or folders is a
/// conflict that says what is in it (nothing disappears from the sidebar
/// by accident).
pub async fn delete_folder(
    store: &Store,
    subject: &Subject,
    identifier: &str,
) -> Result<(), AppError> {
    require(subject, may_arrange_sidebar(subject))?;
    let folders = store.list_folders().await?;
    if !folders.iter().any(|f| f.identifier == identifier) {
        return Err(not_found(identifier));
    }
    let pages = store
        .list_pages()
        .await?
        .into_iter()
        .filter(|p| p.parent.as_deref() == Some(identifier))
        .count();
    let folders = folders
        .iter()
        .filter(|f| f.parent.as_deref() == Some(identifier))
        .count();
    if pages + folders > 0 {
        return Err(AppError::Conflict(format!(
            "the folder `{identifier}` still holds {pages} page(s) and {folders} folder(s); move or delete them first"
        )));
    }
    if !store.delete_folder(identifier).await? {
        return Err(not_found(identifier));
    }
    Ok(())
}

async fn existing(store: &Store, identifier: &str) -> Result<Folder, AppError> {
    store
        .list_folders()
        .await?
        .into_iter()
        .find(|f| f.identifier == identifier)
        .ok_or_else(|| not_found(identifier))
}

fn not_found(identifier: &str) -> AppError {
    AppError::NotFound(format!("there is no folder `{identifier}`"))
}

/// How deep `identifier` sits (1 = at the top), or 404 if it does not exist.
fn depth_of(folders: &[Folder], identifier: &str) -> Result<usize, AppError> {
    let mut depth = 0;
    let mut current = Some(identifier);
    while let Some(id) = current {
        let folder = folders
            .iter()
            .find(|f| f.identifier == id)
            .ok_or_else(|| not_found(id))?;
        depth += 1;
        // A loop (only possible by editing the database) ends the walk.
        if depth > folders.len() {
            break;
        }
        current = folder.parent.as_deref();
    }
    Ok(depth)
}
