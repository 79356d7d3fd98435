//! Mirror properties (data-model.md §2.2): values of related entities shown
//! among an entity's properties when it is read, never stored, so they are
//! always current. `exclude_calculated_properties=true` leaves them out
//! (Terraform always sends it, to keep them out of its state).
//!
//! A mirror shows what its path reaches whoever reads it: the admin who
//! defines one decides to show that value beside the entity, as Port does.

use crate::model::query::Meta;
use crate::model::relation_path::{Leaf, MirrorPath};
use crate::model::{AppError, Blueprint, Entity};
use crate::store::Store;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Fills the mirror properties of `entities` (of any blueprints) in place:
/// one query per relation hop of each mirror, whatever the number of
/// entities.
pub async fn fill(store: &Store, entities: &mut [Entity]) -> Result<(), AppError> {
    if entities.is_empty() {
        return Ok(());
    }
    let blueprints = store.list_blueprints().await?;
    for blueprint in blueprints
        .iter()
        .filter(|b| !b.mirror_properties.is_empty())
    {
        let members: Vec<usize> = (0..entities.len())
            .filter(|&i| entities[i].blueprint == blueprint.identifier)
            .collect();
        if members.is_empty() {
            continue;
        }
        for (key, mirror) in &blueprint.mirror_properties {
            // A path a later blueprint change broke shows nothing rather
            // than failing the read.
            let Ok(path) = MirrorPath::resolve(&mirror.path, blueprint, &blueprints) else {
                continue;
            };
            let values = walk(store, &path, &members, entities).await?;
            for (index, reached) in members.iter().zip(values) {
                let value = if path.is_many() {
                    Value::Array(reached)
                } else {
                    reached.into_iter().next().unwrap_or(Value::Null)
                };
                entities[*index].properties.insert(key.clone(), value);
            }
        }
    }
    Ok(())
}

/// For each member entity, the leaf values of every entity its path
/// reaches, in relation order.
async fn walk(
    store: &Store,
    path: &MirrorPath,
    members: &[usize],
    entities: &[Entity],
) -> Result<Vec<Vec<Value>>, AppError> {
    let Some(first) = path.hops.first() else {
        return Ok(vec![Vec::new(); members.len()]);
    };
    let mut reached: Vec<Vec<String>> = members
        .iter()
        .map(|&i| entities[i].related(&first.relation))
        .collect();
    let mut values = vec![Vec::new(); members.len()];
    for (n, hop) in path.hops.iter().enumerate() {
        let mut wanted: Vec<String> = reached.iter().flatten().cloned().collect();
        wanted.sort();
        wanted.dedup();
        let found: HashMap<String, Entity> = if wanted.is_empty() {
            HashMap::new()
        } else {
            store
                .get_entities(&hop.target, &wanted)
                .await?
                .into_iter()
                .map(|e| (e.identifier.clone(), e))
                .collect()
        };
        match path.hops.get(n + 1) {
            Some(next) => {
                for ids in reached.iter_mut() {
                    *ids = ids
                        .iter()
                        .filter_map(|id| found.get(id))
                        .flat_map(|e| e.related(&next.relation))
                        .collect();
                }
            }
            None => {
                for (slot, ids) in values.iter_mut().zip(&reached) {
                    *slot = ids
                        .iter()
                        .filter_map(|id| found.get(id))
                        .map(|e| leaf_value(e, &path.leaf))
                        .collect();
                }
            }
        }
    }
    Ok(values)
}

fn leaf_value(entity: &Entity, leaf: &Leaf) -> Value {
    let time = |t: &chrono::DateTime<chrono::Utc>| json!(t.to_rfc3339());
    match leaf {
        Leaf::Property(key) => entity.properties.get(key).cloned().unwrap_or(Value::Null),
        Leaf::Meta(meta) => match meta {
            Meta::Identifier => json!(entity.identifier),
            Meta::Title => json!(entity.title),
            Meta::Icon => json!(entity.icon),
            Meta::Blueprint => json!(entity.blueprint),
            Meta::Team => json!(entity.team),
            Meta::CreatedAt => time(&entity.created_at),
            Meta::UpdatedAt => time(&entity.updated_at),
            Meta::CreatedBy => json!(entity.created_by),
            Meta::UpdatedBy => json!(entity.updated_by),
        },
    }
}

/// Drops mirror keys a client sent back with the properties it read (a
/// read-modify-write round trip): they are computed, not written.
pub fn strip_written(blueprint: &Blueprint, properties: &mut serde_json::Map<String, Value>) {
    if !blueprint.mirror_properties.is_empty() {
        properties.retain(|key, _| !blueprint.mirror_properties.contains_key(key));
    }
}
