//! Planning an `emr_cluster` (`plan`): the release and topology checked, the metastore found,
//! hosts, files, restarts, bootstrap actions and release changes planned; what forces
//! replacement and what is made in place (see the [`crate::cluster`] module doc).

use std::collections::BTreeMap;

use strata_provider_sdk::{Ctx, Field, Model, Plan, Planned, ProviderError, Value};

use crate::cluster::{HOST_PROBLEM, blocking, settings};
use crate::cluster_refresh::recorded_plans;
use crate::config_files::{self, managed_files, rendered_document};
use crate::metastore::read_metastore;
use crate::model::{BootstrapAction, CLUSTER_RUNNING, Cluster, ClusterHost, ConfigFile, NodeGroup};
use crate::release::{self, SPARK_THRIFT, SPARK_THRIFT_SERVICE};
use crate::topology::Topology;
use crate::upgrade::{self, ReleaseChange};
use crate::{bootstrap, installed, thrift};

/// Marks the computed `private_ips` of the node groups `changed` says unknown in `plan` (their
/// hosts are made or removed by the apply).
pub fn unknown_private_ips<M: Model>(plan: &mut Plan<M>, changed: impl Fn(&str) -> bool) -> Result<(), ProviderError> {
    let mut planned_groups = plan.planned::<Value>("node_group")?.known().unwrap_or(Value::Null);
    if let Value::Map(entries) = &mut planned_groups {
        for (name, group) in entries.iter_mut() {
            if let (true, Value::Map(attributes)) = (changed(name), group) {
                attributes.insert("private_ips".into(), Planned::<Vec<String>>::Unknown.to_value());
            }
        }
        plan.set("node_group", planned_groups)?;
    }
    Ok(())
}

/// The nested blocks `name` of a configuration when every argument in them is known (their
/// computed attributes may not be); `None` otherwise.
pub fn known_blocks<M: Model>(config: &Value, name: &str) -> Option<BTreeMap<String, M>> {
    let value = config.as_mapping().and_then(|entries| entries.get(name)).cloned().unwrap_or(Value::Null);
    if value.is_null() {
        return Some(BTreeMap::new());
    }
    <BTreeMap<String, M> as Field>::from_value(&value, name).ok()
}

/// Plans each bootstrap action's `script_sha256` (the local script's) and returns whether the
/// actions differ from the prior ones, which replaces the cluster: they run only at create, so
/// a changed action would otherwise never run (and a removed one cannot be undone). `false`
/// while an action is not known yet.
fn plan_bootstrap_actions(plan: &mut Plan<Cluster>) -> Result<bool, ProviderError> {
    // The planned blocks (with their defaults), the digest to be filled in (unknown on create).
    let mut planned = plan
        .planned_value()
        .as_mapping()
        .and_then(|entries| entries.get("bootstrap_action"))
        .cloned()
        .unwrap_or(Value::Null);
    if let Value::Map(entries) = &mut planned {
        for action in entries.values_mut() {
            if let Value::Map(attributes) = action {
                attributes.insert("script_sha256".into(), Value::Null);
            }
        }
    }
    let Ok(mut actions) = <BTreeMap<String, BootstrapAction> as Field>::from_value(&planned, "bootstrap_action") else {
        // Not known yet.
        return Ok(false);
    };
    for (name, action) in actions.iter_mut() {
        bootstrap::check_name(name)?;
        let path = bootstrap::local_path(&action.script)?;
        let digest = strata_deploy::sha256_of_file(&path).map_err(|error| {
            ProviderError::at(format!("bootstrap_action.{name}.script"), format!("reading {}: {error}", path.display()))
        })?;
        if let Value::Map(entries) = &mut planned
            && let Some(Value::Map(attributes)) = entries.get_mut(name)
        {
            attributes.insert("script_sha256".into(), Value::from(digest.as_str()));
        }
        action.script_sha256 = Some(digest);
    }
    if !actions.is_empty() {
        plan.set("bootstrap_action", planned)?;
    }
    let Some(prior) = plan.prior()? else { return Ok(false) };
    if prior.bootstrap_action != actions {
        plan.require_replace("bootstrap_action")?;
        return Ok(true);
    }
    Ok(false)
}

/// Plans `restarts`: the services this update restarts, or, when nothing else changes, the
/// value the state has (what the last apply restarted), so an unchanged cluster plans no
/// change.
fn plan_restarts(plan: &mut Plan<Cluster>, restarts: Vec<String>) -> Result<(), ProviderError> {
    let without = |value: &Value| match value.as_mapping() {
        Some(entries) => {
            let mut entries = entries.clone();
            entries.remove("restarts");
            Value::Map(entries)
        }
        None => value.clone(),
    };
    let unchanged = plan.prior_value().is_some_and(|prior| without(prior) == without(plan.planned_value()));
    if unchanged { Ok(()) } else { plan.set("restarts", restarts) }
}

pub(crate) async fn plan(ctx: &Ctx, plan: &mut Plan<Cluster>) -> Result<(), ProviderError> {
    let metastore = match plan.config::<Option<String>>("metastore")? {
        Planned::Known(Some(metastore)) => {
            let settings = settings(ctx)?;
            Planned::Known(Some(blocking(move || read_metastore(&settings, &metastore)).await??))
        }
        Planned::Known(None) => Planned::Known(None),
        Planned::Unknown => Planned::Unknown,
    };
    let (Planned::Known(name), Planned::Known(release), Planned::Known(services), Some(groups), Some(config)) = (
        plan.config::<String>("name")?,
        plan.config::<String>("release")?,
        plan.config::<Vec<String>>("services")?,
        known_blocks::<NodeGroup>(plan.config_value(), "node_group"),
        known_blocks::<ConfigFile>(plan.config_value(), "config"),
    ) else {
        // Not known yet: checked when it is (at apply, at the latest).
        return Ok(());
    };
    let external = !matches!(metastore, Planned::Known(None));
    let topology = Topology::cluster(&name, &release, &services, &groups, &config, external)?;
    plan.set("services_status", topology.expected_status())?;
    plan.set("status", CLUSTER_RUNNING.to_string())?;
    plan.set("components", topology.components_by_host())?;
    plan.set("installed_versions", installed::expected(&topology))?;
    plan.set("start_order", topology.start_order())?;
    if plan_bootstrap_actions(plan)? {
        // Replaced: made anew, like a create.
        plan.set_unknown("config_files")?;
        return plan.set("restarts", Vec::<String>::new());
    }
    let Some(prior) = plan.prior()? else {
        // The files name the hosts' addresses, known once they are made.
        plan.set("restarts", Vec::<String>::new())?;
        return plan.set("release_change", None::<String>);
    };
    // A cluster keeps its release, except for a patch-level change, made in place (the
    // converge below re-renders the files and restarts their readers, rolling).
    match upgrade::release_change(&prior.release, &release) {
        ReleaseChange::Same => {}
        ReleaseChange::InPlace(reason) => plan.set("release_change", Some(reason))?,
        ReleaseChange::Replace(_) => {
            // Planned again as a create by the engine, which shows `release` forcing it.
            plan.require_replace("release")?;
            plan.set_unknown("config_files")?;
            return plan.set("restarts", Vec::<String>::new());
        }
    }
    // The Thrift server's endpoint is the first master's (unknown below when the master is
    // made again); null without SPARK_THRIFT (so adding or removing it plans its change).
    let thrift_port = release::port(topology.release, SPARK_THRIFT_SERVICE, 0);
    let sql_jdbc_url = match (topology.has_component(SPARK_THRIFT), &prior.master_private_ip, thrift_port) {
        (true, Some(ip), Some(port)) => Planned::Known(Some(thrift::sql_jdbc_url(ip, port))),
        (true, _, _) => Planned::Unknown,
        (false, _, _) => Planned::Known(None),
    };
    plan.set("sql_jdbc_url", sql_jdbc_url)?;
    if topology.has_component(SPARK_THRIFT) && prior.metastore.is_some() != external {
        // The Thrift server's own metastore database (on the master) comes or goes: its
        // tables are not moved, so the cluster is made again with the other one.
        plan.require_replace("metastore")?;
        plan.set_unknown("sql_jdbc_url")?;
        plan.set_unknown("config_files")?;
        return plan.set("restarts", Vec::<String>::new());
    }

    // What an update changes besides the arguments: the hosts of node groups whose count
    // changes, and hosts refresh found down (they are made again, with new host keys).
    let prior_counts: BTreeMap<String, i64> =
        prior.node_group.iter().map(|(name, group)| (name.clone(), group.count)).collect();
    let mut changed_groups: Vec<String> = groups
        .iter()
        .filter(|(name, group)| prior_counts.get(*name) != Some(&group.count))
        .map(|(name, _)| name.clone())
        .collect();
    let remade: Vec<&ClusterHost> = prior
        .hosts
        .iter()
        .flatten()
        .filter(|host| {
            prior
                .services_status
                .iter()
                .flatten()
                .any(|(key, value)| key.starts_with(&format!("{}/", host.name)) && value.starts_with(HOST_PROBLEM))
        })
        .collect();
    changed_groups.extend(remade.iter().map(|host| host.node_group.clone()));
    if changed_groups.is_empty() {
        // The hosts stay: their files are planned as apply will write them, and the running
        // services reading a file that changes (or was edited on its node) restart.
        let plans = match (&metastore, &prior.id, &prior.hosts) {
            (Planned::Known(metastore), Some(id), Some(hosts)) => {
                recorded_plans(&settings(ctx)?, id, &topology, &config, hosts, metastore.as_ref())?
            }
            _ => None,
        };
        let Some(plans) = plans else {
            plan.set_unknown("config_files")?;
            return plan.set_unknown("restarts");
        };
        let files = managed_files(&plans);
        plan.set("config_files", rendered_document(&files))?;
        let status = prior.services_status.clone().unwrap_or_default();
        let mut restarts = config_files::restarts(&topology, &files, prior.config_files.as_deref(), &status);
        restarts.extend(upgrade::component_restarts(&topology, prior.components.as_ref(), &status));
        restarts.extend(upgrade::drifted_restarts(&topology, prior.installed_versions.as_ref(), &status));
        restarts.sort();
        restarts.dedup();
        return plan_restarts(plan, restarts);
    }
    plan.set_unknown("config_files")?;
    plan.set_unknown("restarts")?;
    let master_group = &topology.master().node_group;
    if groups.get(master_group).map(|g| g.count) != prior_counts.get(master_group).copied() {
        // The ZooKeeper ensemble and the Spark master are not resized in place.
        plan.require_replace("node_group")?;
    }
    plan.set_unknown("hosts")?;
    if changed_groups.contains(master_group) {
        for attribute in ["master_private_ip", "master_url", "master_ui_url", "sql_jdbc_url", "zookeeper_connect"] {
            plan.set_unknown(attribute)?;
        }
    }
    unknown_private_ips(plan, |name| changed_groups.iter().any(|group| group == name))
}
