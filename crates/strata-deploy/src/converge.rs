//! Converging a host: gather the facts of many desired states in one round trip, plan each
//! with its operation, and run the steps.

use serde::{Deserialize, Serialize};

use crate::connect::Connection;
use crate::error::DeployError;
use crate::exec::ExecOptions;
use crate::facts::{
    DirectoryFact, FactBatch, FactError, FactHandle, FileFact, GatheredFacts, LinkFact, MarkerFact, ServiceStatusFact,
};
use crate::operations::{self, ArchiveSpec, DirectorySpec, FileSpec, OperationError, ServiceFacts, Step, SymlinkSpec};
use crate::service::ServiceSpec;

/// One thing a host should have. Items are planned from facts read before any of them is
/// applied, so two items should not manage the same path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DesiredState {
    File(FileSpec),
    Directory(DirectorySpec),
    Symlink(SymlinkSpec),
    Archive(ArchiveSpec),
    Service(ServiceSpec),
}

/// The facts one [`DesiredState`] asked for.
enum Requested {
    File(FactHandle<FileFact>),
    Directory(FactHandle<DirectoryFact>),
    Symlink(FactHandle<LinkFact>),
    Archive(FactHandle<MarkerFact>),
    Service { status: FactHandle<ServiceStatusFact>, launcher: FactHandle<FileFact>, unit: FactHandle<FileFact> },
}

impl DesiredState {
    fn request(&self, batch: &mut FactBatch) -> Requested {
        match self {
            Self::File(spec) => Requested::File(batch.add(FileFact::new(&spec.path))),
            Self::Directory(spec) => Requested::Directory(batch.add(DirectoryFact::new(&spec.path))),
            Self::Symlink(spec) => Requested::Symlink(batch.add(LinkFact::new(&spec.path))),
            Self::Archive(spec) => Requested::Archive(batch.add(MarkerFact::new(spec.marker_path()))),
            Self::Service(spec) => Requested::Service {
                status: batch.add(ServiceStatusFact::new(&spec.name)),
                launcher: batch.add(FileFact::new(spec.launcher_path())),
                unit: batch.add(FileFact::new(spec.unit_path())),
            },
        }
    }

    fn plan(&self, requested: &Requested, facts: &GatheredFacts) -> Result<Vec<Step>, PlanError> {
        Ok(match (self, requested) {
            (Self::File(spec), Requested::File(handle)) => operations::file(&facts.get(handle)?, spec)?,
            (Self::Directory(spec), Requested::Directory(handle)) => operations::directory(&facts.get(handle)?, spec)?,
            (Self::Symlink(spec), Requested::Symlink(handle)) => operations::symlink(&facts.get(handle)?, spec)?,
            (Self::Archive(spec), Requested::Archive(handle)) => operations::archive(&facts.get(handle)?, spec)?,
            (Self::Service(spec), Requested::Service { status, launcher, unit }) => {
                let service_facts =
                    ServiceFacts { status: facts.get(status)?, launcher: facts.get(launcher)?, unit: facts.get(unit)? };
                operations::service(&service_facts, spec)?
            }
            _ => unreachable!("facts are requested by the same desired state"),
        })
    }
}

enum PlanError {
    Fact(FactError),
    Operation(OperationError),
}

impl From<FactError> for PlanError {
    fn from(error: FactError) -> Self {
        Self::Fact(error)
    }
}

impl From<OperationError> for PlanError {
    fn from(error: OperationError) -> Self {
        Self::Operation(error)
    }
}

impl Connection {
    /// The steps that would bring the host to `desired`, from facts read in one round trip.
    /// Empty when the host already matches.
    pub fn plan(&mut self, desired: &[DesiredState], options: &ExecOptions) -> Result<Vec<Step>, DeployError> {
        let mut batch = FactBatch::new();
        let requested: Vec<Requested> = desired.iter().map(|state| state.request(&mut batch)).collect();
        let facts = self.gather(&batch, options)?;
        let mut steps = Vec::new();
        for (state, requested) in desired.iter().zip(&requested) {
            let host = self.host.name.clone();
            steps.extend(state.plan(requested, &facts).map_err(|error| match error {
                PlanError::Fact(source) => DeployError::Fact { host, source },
                PlanError::Operation(source) => DeployError::Operation { host, source },
            })?);
        }
        Ok(steps)
    }

    /// Runs steps in order, stopping at the first failure. Each command has `options`' limits.
    pub fn apply(&mut self, steps: &[Step], options: &ExecOptions) -> Result<(), DeployError> {
        for step in steps {
            match step {
                Step::Run(command) => {
                    self.run_checked(command, options)?;
                }
                Step::Upload(upload) => {
                    self.upload(&upload.content, &upload.path, upload.mode)?;
                }
            }
        }
        Ok(())
    }

    /// Plans and applies; returns the steps that ran (empty: nothing to do).
    pub fn converge(&mut self, desired: &[DesiredState], options: &ExecOptions) -> Result<Vec<Step>, DeployError> {
        let steps = self.plan(desired, options)?;
        self.apply(&steps, options)?;
        Ok(steps)
    }
}
