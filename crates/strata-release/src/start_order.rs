//! Start order: the chosen services as a DAG across the whole cluster, in waves.
//!
//! A wave holds services whose dependencies are all in earlier waves, so the services of one
//! wave can start in parallel. Stop order is the reverse.

use strata_diagnostics::did_you_mean;

use crate::component::Component;
use crate::error::StartOrderError;
use crate::release::Release;
use crate::service::Service;

/// Services in start order, grouped in waves.
#[derive(Debug, Clone, PartialEq)]
pub struct StartOrder<'a> {
    waves: Vec<Vec<&'a Service>>,
}

impl<'a> StartOrder<'a> {
    pub fn waves(&self) -> &[Vec<&'a Service>] {
        &self.waves
    }

    /// Every service, first to start first.
    pub fn services(&self) -> impl Iterator<Item = &'a Service> + '_ {
        self.waves.iter().flatten().copied()
    }

    pub fn names(&self) -> Vec<&'a str> {
        self.services().map(|service| service.name.as_str()).collect()
    }

    /// The waves to stop in: last started first.
    pub fn stop_waves(&self) -> impl Iterator<Item = &[&'a Service]> + '_ {
        self.waves.iter().rev().map(Vec::as_slice)
    }
}

impl Release {
    /// The components to install for a selection of component keys (`SPARK`) and service
    /// names (`spark-master`): the named ones, the ones owning named services, and what they
    /// require, in release order.
    pub fn components_for(&self, selection: &[&str]) -> Result<Vec<&Component>, StartOrderError> {
        let mut chosen = vec![false; self.components.len()];
        let mut pending = Vec::new();
        for name in selection {
            let key = match (self.component(name), self.service(name)) {
                (Some(component), _) => component.key.as_str(),
                (None, Some(service)) => service.component.as_str(),
                (None, None) => return Err(self.unknown_name(name)),
            };
            pending.push(key);
        }
        while let Some(key) = pending.pop() {
            let index = self
                .components
                .iter()
                .position(|component| component.key == key)
                .ok_or_else(|| self.unknown_name(key))?;
            if !chosen[index] {
                chosen[index] = true;
                pending.extend(self.components[index].requires.iter().map(String::as_str));
            }
        }
        Ok(self.components.iter().zip(chosen).filter_map(|(component, chosen)| chosen.then_some(component)).collect())
    }

    /// The start order of the services a selection brings: every service of the chosen
    /// components (see [`Release::components_for`]) plus services named one by one. A
    /// dependency outside the selection, an unknown name and a cycle are errors.
    pub fn start_order(&self, selection: &[&str]) -> Result<StartOrder<'_>, StartOrderError> {
        self.start_order_provided(selection, &[])
    }

    /// [`Release::start_order`] where the services named in `provided` run elsewhere (an
    /// external metastore database instead of the cluster's own `metastore-db`): a dependency
    /// on one of them is met without it being part of the order.
    pub fn start_order_provided(
        &self,
        selection: &[&str],
        provided: &[&str],
    ) -> Result<StartOrder<'_>, StartOrderError> {
        let components = self.components_for(selection)?;
        let mut services: Vec<&Service> = Vec::new();
        for service in self.services() {
            let whole_component = components.iter().any(|component| component.key == service.component)
                && selection
                    .iter()
                    .all(|name| self.service(name).is_none_or(|named| named.component != service.component));
            if (whole_component || selection.contains(&service.name.as_str()))
                && !provided.contains(&service.name.as_str())
            {
                services.push(service);
            }
        }
        order(self, services, provided)
    }

    /// The start order of every service of the release.
    pub fn full_start_order(&self) -> Result<StartOrder<'_>, StartOrderError> {
        order(self, self.services().collect(), &[])
    }

    fn unknown_name(&self, name: &str) -> StartOrderError {
        let candidates = self
            .components
            .iter()
            .map(|component| component.key.as_str())
            .chain(self.services().map(|service| service.name.as_str()));
        StartOrderError::UnknownName {
            release: self.name.to_string(),
            name: name.to_owned(),
            suggestion: did_you_mean(name, candidates),
        }
    }
}

fn order<'a>(
    release: &'a Release,
    services: Vec<&'a Service>,
    provided: &[&str],
) -> Result<StartOrder<'a>, StartOrderError> {
    for service in &services {
        for dependency in &service.depends_on {
            if services.iter().any(|chosen| &chosen.name == dependency) || provided.contains(&dependency.as_str()) {
                continue;
            }
            return Err(match release.service(dependency) {
                Some(known) => StartOrderError::MissingDependency {
                    service: service.name.clone(),
                    dependency: dependency.clone(),
                    component: known.component.clone(),
                },
                None => StartOrderError::UnknownDependency {
                    release: release.name.to_string(),
                    service: service.name.clone(),
                    dependency: dependency.clone(),
                },
            });
        }
    }

    let mut waves: Vec<Vec<&Service>> = Vec::new();
    let mut placed: Vec<&str> = provided.to_vec();
    let mut remaining = services;
    while !remaining.is_empty() {
        let (ready, blocked): (Vec<&Service>, Vec<&Service>) = remaining
            .into_iter()
            .partition(|service| service.depends_on.iter().all(|dependency| placed.contains(&dependency.as_str())));
        if ready.is_empty() {
            return Err(StartOrderError::Cycle { path: cycle(&blocked) });
        }
        placed.extend(ready.iter().map(|service| service.name.as_str()));
        waves.push(ready);
        remaining = blocked;
    }
    Ok(StartOrder { waves })
}

/// A dependency cycle among `blocked` (each of which waits on another of them), as names from
/// the first service around back to it.
fn cycle(blocked: &[&Service]) -> Vec<String> {
    let find = |name: &str| blocked.iter().find(|service| service.name == name).copied();
    let mut path: Vec<&Service> = vec![blocked[0]];
    loop {
        let current = path[path.len() - 1];
        let Some(next) = current.depends_on.iter().find_map(|dependency| find(dependency)) else {
            // Cannot happen: every blocked service waits on a blocked one.
            return path.iter().map(|service| service.name.clone()).collect();
        };
        if let Some(start) = path.iter().position(|service| service.name == next.name) {
            let mut names: Vec<String> = path[start..].iter().map(|service| service.name.clone()).collect();
            names.push(next.name.clone());
            return names;
        }
        path.push(next);
    }
}
