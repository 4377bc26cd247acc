//! Gathering many facts of one host in one round trip.

use crate::connect::Connection;
use crate::error::DeployError;
use crate::exec::ExecOptions;
use crate::facts::script::{self, Section};
use crate::facts::{Fact, FactError};
use crate::nonce::unique_token;

/// Facts to read together; [`FactBatch::add`] returns a handle to read each one back.
#[derive(Debug, Default, Clone)]
pub struct FactBatch {
    commands: Vec<String>,
}

/// Where a fact's value is in [`GatheredFacts`]; keeps the fact to parse it.
#[derive(Debug, Clone)]
pub struct FactHandle<F> {
    index: usize,
    fact: F,
}

/// The raw output of a gathered batch, parsed fact by fact on [`GatheredFacts::get`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatheredFacts {
    sections: Vec<Section>,
}

impl FactBatch {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a fact to read.
    pub fn add<F: Fact>(&mut self, fact: F) -> FactHandle<F> {
        self.commands.push(fact.command());
        FactHandle { index: self.commands.len() - 1, fact }
    }

    pub fn len(&self) -> usize {
        self.commands.len()
    }

    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }

    /// The combined script with `token` in its markers (see [`script::combine`]).
    pub fn script(&self, token: &str) -> String {
        script::combine(&self.commands, token)
    }

    /// Splits the output of [`FactBatch::script`] run with `token`.
    pub fn split(&self, stdout: &str, stderr: &str, token: &str) -> Result<GatheredFacts, FactError> {
        let sections = script::split(stdout, stderr, token, self.commands.len())?;
        Ok(GatheredFacts { sections })
    }
}

impl<F: Fact> FactHandle<F> {
    pub fn fact(&self) -> &F {
        &self.fact
    }
}

impl GatheredFacts {
    /// Parses one fact's section.
    pub fn get<F: Fact>(&self, handle: &FactHandle<F>) -> Result<F::Value, FactError> {
        let section = self.sections.get(handle.index).ok_or(FactError::MissingSection { index: handle.index })?;
        if section.exit_code != 0 {
            return Err(FactError::CommandFailed {
                fact: handle.fact.describe(),
                exit_code: section.exit_code,
                stderr: section.stderr.trim().to_owned(),
            });
        }
        handle.fact.parse(&section.stdout)
    }

    /// The raw sections, in the order the facts were added.
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }
}

/// Output limit for a fact script: facts such as listening ports can be long.
const FACT_OUTPUT_LIMIT: usize = 64 << 20;

impl Connection {
    /// Reads every fact of `batch` in one command.
    pub fn gather(&mut self, batch: &FactBatch, options: &ExecOptions) -> Result<GatheredFacts, DeployError> {
        if batch.is_empty() {
            return batch
                .split("", "", "")
                .map_err(|source| DeployError::Fact { host: self.host.name.clone(), source });
        }
        let token = unique_token();
        let options = ExecOptions { max_output: options.max_output.max(FACT_OUTPUT_LIMIT), ..options.clone() };
        let output = self.run(&batch.script(&token), &options)?;
        let host = self.host.name.clone();
        batch
            .split(&output.stdout_text(), &output.stderr_text(), &token)
            .map_err(|source| DeployError::Fact { host, source })
    }

    /// Reads one fact, and turns a fact error into a [`DeployError`] naming the host.
    pub fn fact<F: Fact>(&mut self, fact: F, options: &ExecOptions) -> Result<F::Value, DeployError> {
        let mut batch = FactBatch::new();
        let handle = batch.add(fact);
        let gathered = self.gather(&batch, options)?;
        gathered.get(&handle).map_err(|source| DeployError::Fact { host: self.host.name.clone(), source })
    }
}
