//! Paths through relations (data-model.md §2.2, §2.3): a mirror
//! property's `path` (`squad.$title`, `service.domain.owner`) and an
//! inherited ownership's `path` (`service`, `service.domain`).
//!
//! A path is checked against the blueprints once, when a blueprint is
//! written; reads then walk the resolved hops without asking again.

use super::query::Meta;
use super::Blueprint;

/// One step of a path: follow `relation` of an entity of `from` to an
/// entity of `target`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hop {
    pub from: String,
    pub relation: String,
    pub target: String,
    pub many: bool,
}

/// What a mirror property shows of the entity its path reaches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Leaf {
    Meta(Meta),
    Property(String),
}

/// Meta properties a mirror may show; `$blueprint` is known from the path.
const MIRRORED_META: [Meta; 8] = [
    Meta::Identifier,
    Meta::Title,
    Meta::Icon,
    Meta::Team,
    Meta::CreatedAt,
    Meta::UpdatedAt,
    Meta::CreatedBy,
    Meta::UpdatedBy,
];

/// Walks `relations` from `start`, each a relation of the blueprint the
/// previous one reached; says which segment is wrong otherwise.
pub fn resolve_hops(
    start: &Blueprint,
    relations: &[&str],
    others: &[Blueprint],
) -> Result<Vec<Hop>, String> {
    let mut hops = Vec::new();
    let mut at: &Blueprint = start;
    for relation in relations {
        let Some(schema) = at.relations.get(*relation) else {
            return Err(format!(
                "blueprint `{}` has no relation `{relation}`",
                at.identifier
            ));
        };
        hops.push(Hop {
            from: at.identifier.clone(),
            relation: relation.to_string(),
            target: schema.target.clone(),
            many: schema.many,
        });
        at = if schema.target == start.identifier {
            start
        } else {
            others
                .iter()
                .find(|b| b.identifier == schema.target)
                .ok_or_else(|| format!("there is no blueprint `{}`", schema.target))?
        };
    }
    Ok(hops)
}

fn blueprint_named<'a>(
    start: &'a Blueprint,
    others: &'a [Blueprint],
    identifier: &str,
) -> Option<&'a Blueprint> {
    if start.identifier == identifier {
        Some(start)
    } else {
        others.iter().find(|b| b.identifier == identifier)
    }
}

/// A mirror property's path resolved: the hops, then what to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MirrorPath {
    pub hops: Vec<Hop>,
    pub leaf: Leaf,
}

impl MirrorPath {
    /// Parses `rel(.rel)*.(property|$meta)` against the blueprints.
    pub fn resolve(path: &str, start: &Blueprint, others: &[Blueprint]) -> Result<Self, String> {
        let segments: Vec<&str> = path.split('.').collect();
        if segments.len() < 2 || segments.iter().any(|s| s.is_empty()) {
            return Err(format!(
                "path `{path}` must be relations then a property, separated by dots (`squad.$title`, `service.tier`)"
            ));
        }
        let (last, relations) = segments.split_last().unwrap_or((&"", &[]));
        let hops = resolve_hops(start, relations, others)?;
        let end = hops
            .last()
            .and_then(|h| blueprint_named(start, others, &h.target))
            .ok_or_else(|| format!("path `{path}` reaches no blueprint"))?;
        let leaf = if last.starts_with('$') {
            match Meta::parse(last).filter(|m| MIRRORED_META.contains(m)) {
                Some(meta) => Leaf::Meta(meta),
                None => {
                    return Err(format!(
                        "`{last}` is not a meta property a mirror can show; use one of {}",
                        MIRRORED_META
                            .iter()
                            .map(|m| m.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                }
            }
        } else if end.schema.properties.contains_key(*last) {
            Leaf::Property(last.to_string())
        } else {
            return Err(format!(
                "blueprint `{}` has no property `{last}`",
                end.identifier
            ));
        };
        Ok(MirrorPath { hops, leaf })
    }

    /// Whether the path may reach several entities (it passes a many
    /// relation): its value is then an array.
    pub fn is_many(&self) -> bool {
        self.hops.iter().any(|h| h.many)
    }
}

/// An inherited ownership's path resolved: single relations only, ending
/// at a blueprint whose entities own their teams directly.
pub fn resolve_ownership_path(
    path: &str,
    start: &Blueprint,
    others: &[Blueprint],
) -> Result<Vec<Hop>, String> {
    let segments: Vec<&str> = path.split('.').collect();
    if segments.iter().any(|s| s.is_empty()) {
        return Err(format!(
            "path `{path}` must be relation keys separated by dots (`service`, `service.domain`)"
        ));
    }
    let hops = resolve_hops(start, &segments, others)?;
    if let Some(many) = hops.iter().find(|h| h.many) {
        return Err(format!(
            "relation `{}` of `{}` is a many relation; teams are inherited through single relations only",
            many.relation, many.from
        ));
    }
    let end = hops
        .last()
        .and_then(|h| blueprint_named(start, others, &h.target))
        .ok_or_else(|| format!("path `{path}` reaches no blueprint"))?;
    if end.identifier == start.identifier || end.inherited_team_path().is_some() {
        return Err(format!(
            "blueprint `{}` at the end of the path must own its teams directly (its ownership is inherited, or it is this blueprint)",
            end.identifier
        ));
    }
    Ok(hops)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn blueprints() -> (Blueprint, Vec<Blueprint>) {
        let deployment: Blueprint = serde_json::from_value(json!({
            "identifier": "deployment", "title": "Deployment",
            "schema": {"properties": {"version": {"type": "string"}}},
            "relations": {"service": {"target": "service", "required": false, "many": false},
                          "services": {"target": "service", "required": false, "many": true}}}))
        .unwrap();
        let service: Blueprint = serde_json::from_value(json!({
            "identifier": "service", "title": "Service",
            "schema": {"properties": {"tier": {"type": "string"}}},
            "relations": {"domain": {"target": "domain", "required": false, "many": false}}}))
        .unwrap();
        let domain: Blueprint = serde_json::from_value(json!({
            "identifier": "domain", "title": "Domain",
            "schema": {"properties": {"owner": {"type": "string"}}}}))
        .unwrap();
        (deployment, vec![service, domain])
    }

    #[test]
    fn mirror_paths_walk_relations_to_a_property_or_meta() {
        let (deployment, others) = blueprints();
        let path = MirrorPath::resolve("service.domain.owner", &deployment, &others).unwrap();
        assert_eq!(path.hops.len(), 2);
        assert_eq!(path.hops[1].target, "domain");
        assert_eq!(path.leaf, Leaf::Property("owner".into()));
        assert!(!path.is_many());
        let title = MirrorPath::resolve("services.$title", &deployment, &others).unwrap();
        assert_eq!(title.leaf, Leaf::Meta(Meta::Title));
        assert!(title.is_many());
    }

    #[test]
    fn wrong_mirror_paths_name_the_wrong_segment() {
        let (deployment, others) = blueprints();
        let err = |p: &str| MirrorPath::resolve(p, &deployment, &others).unwrap_err();
        assert!(err("tier").contains("must be relations then a property"));
        assert_eq!(
            err("service.nope"),
            "blueprint `service` has no property `nope`"
        );
        assert_eq!(
            err("ghost.tier"),
            "blueprint `deployment` has no relation `ghost`"
        );
        assert!(err("service.$blueprint").contains("not a meta property a mirror can show"));
        assert!(err("service..tier").contains("separated by dots"));
    }

    #[test]
    fn ownership_paths_are_single_relations_to_a_direct_owner() {
        let (deployment, others) = blueprints();
        let hops = resolve_ownership_path("service.domain", &deployment, &others).unwrap();
        assert_eq!(hops.len(), 2);
        assert!(resolve_ownership_path("services", &deployment, &others)
            .unwrap_err()
            .contains("many relation"));
        let mut inheriting = others.clone();
        inheriting[0].extra.insert(
            "ownership".into(),
            json!({"type": "Inherited", "path": "domain"}),
        );
        let inheriting: Vec<Blueprint> = inheriting
            .into_iter()
            .map(|b| serde_json::from_value(serde_json::to_value(b).unwrap()).unwrap())
            .collect();
        assert!(resolve_ownership_path("service", &deployment, &inheriting)
            .unwrap_err()
            .contains("must own its teams directly"));
    }
}
