//! `emr_job` ([`JobResource`]): a job run once on a cluster's master, over SSH. The job's
//! files (`main`, `files`, relative to the working directory) are uploaded to
//! `/var/lib/strata/jobs/<job id>/` on the master and the driver runs there in client mode
//! (`spark-submit` for PYSPARK and SPARK, `spark-sql -f` for SPARK_SQL, `sh` for SHELL), its
//! whole output kept in `driver.log` there and, as it arrives, in a local copy (`log_path`,
//! [`log`]) while the lines worth showing go to the progress display ([`watch`], [`driver`]).
//! A job that exits non-zero fails the apply with its error lines and is returned as partial
//! state (status FAILED), which the engine records tainted: the next apply runs it again. Any
//! change of an argument, or of the content of `main`, runs it again (a replacement); reading
//! it changes nothing, so a finished job shows no drift.

mod driver;
mod log;
mod watch;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use strata_deploy::{DeployError, ExecOptions, FileContent, Mode, SessionPool, sha256_of_file, shell_quote};
use strata_provider_sdk::{Ctx, Model, Plan, Planned, ProviderError, Resource, WithModel, async_trait};

pub use self::driver::{DRIVER_LOG, error_lines, event, wrap};
use self::log::DriverLog;
pub use self::log::log_path;
use self::watch::Watch;
use crate::cluster::{blocking, settings};
use crate::render::Layout;
use crate::{deploy, record};

pub const EMR_JOB: &str = "emr_job";
/// Where jobs' files go on the master.
const JOBS_DIR: &str = "/var/lib/strata/jobs";
/// How long a job may run unless its `timeouts` block says otherwise.
const JOB_TIMEOUT: Duration = Duration::from_secs(3600);
/// How much of a job's standard output `output` keeps (the end).
const OUTPUT_LIMIT: usize = 4096;

/// A job run on a cluster.
#[derive(Model, Clone, Debug, PartialEq)]
pub struct Job {
    /// Id of the cluster.
    #[strata(required, force_new)]
    pub cluster: String,
    /// PYSPARK, SPARK, SPARK_SQL or SHELL.
    #[strata(required, allowed = "PYSPARK,SPARK,SPARK_SQL,SHELL")]
    pub r#type: String,
    /// Script, jar, query file or shell script (a local path, relative to the working directory).
    #[strata(required)]
    pub main: String,
    /// Main class of a SPARK jar.
    #[strata(optional)]
    pub main_class: Option<String>,
    /// Arguments.
    #[strata(optional)]
    pub args: Option<Vec<String>>,
    /// Spark configuration.
    #[strata(optional)]
    pub conf: Option<BTreeMap<String, String>>,
    /// Local files uploaded with the job.
    #[strata(optional)]
    pub files: Option<Vec<String>>,
    /// Run again when any value changes.
    #[strata(optional, force_new)]
    pub triggers: Option<BTreeMap<String, String>>,
    /// Unique identifier assigned on create.
    #[strata(computed)]
    pub id: Option<String>,
    /// SUCCEEDED, or FAILED (the apply fails and the job is recorded tainted: the next apply
    /// runs it again).
    #[strata(computed)]
    pub status: Option<String>,
    /// Spark application id.
    #[strata(computed)]
    pub application_id: Option<String>,
    /// Exit code of the driver.
    #[strata(computed)]
    pub exit_code: Option<i64>,
    /// Link to the application UI.
    #[strata(computed)]
    pub ui_url: Option<String>,
    /// The end of the driver's standard output.
    #[strata(computed)]
    pub output: Option<String>,
    /// sha256 of `main` when the job ran: a new content runs it again.
    #[strata(computed)]
    pub main_sha256: Option<String>,
    /// The driver's whole log (stdout and stderr) on this machine: `strata logs ADDR` prints it.
    #[strata(computed)]
    pub log_path: Option<String>,
    /// When the driver started (RFC 3339, UTC).
    #[strata(computed)]
    pub started_at: Option<String>,
    /// When it finished (RFC 3339, UTC).
    #[strata(computed)]
    pub finished_at: Option<String>,
    /// How long it ran, in seconds.
    #[strata(computed)]
    pub duration_seconds: Option<f64>,
}

/// The resource; SSH sessions are pooled for the plugin's lifetime.
pub struct JobResource {
    pool: Arc<SessionPool>,
}

impl Default for JobResource {
    fn default() -> Self {
        JobResource { pool: deploy::session_pool() }
    }
}

fn local_path(path: &str) -> Result<PathBuf, ProviderError> {
    let working_dir = std::env::current_dir()
        .map_err(|error| ProviderError::new(format!("reading the working directory: {error}")))?;
    Ok(working_dir.join(path))
}

fn file_name(path: &str) -> String {
    Path::new(path).file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_else(|| path.to_string())
}

/// `at` as RFC 3339 in UTC, to the second (`2026-11-26T11:19:01Z`).
fn rfc3339(at: SystemTime) -> String {
    let at = time::OffsetDateTime::from(at).replace_nanosecond(0).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// The command that runs the job on the master, in its directory.
pub fn command(job: &Job, master_url: &str) -> Result<String, ProviderError> {
    let spark_home = Layout::component_link("SPARK");
    let environment = format!("SPARK_HOME={spark_home} SPARK_CONF_DIR={}", Layout::conf_dir("SPARK"));
    let main = shell_quote(&file_name(&job.main));
    let args: Vec<String> = job.args.iter().flatten().map(|arg| shell_quote(arg)).collect();
    let mut spark =
        format!("--master {} --name {}", shell_quote(master_url), shell_quote(job.id.as_deref().unwrap_or("job")));
    for (key, value) in job.conf.iter().flatten() {
        spark.push_str(&format!(" --conf {}", shell_quote(&format!("{key}={value}"))));
    }
    let files: Vec<String> = job.files.iter().flatten().map(|file| file_name(file)).collect();
    if !files.is_empty() && job.r#type != "SHELL" {
        spark.push_str(&format!(" --files {}", shell_quote(&files.join(","))));
    }
    Ok(match job.r#type.as_str() {
        "PYSPARK" => format!("{environment} {spark_home}/bin/spark-submit {spark} {main} {}", args.join(" ")),
        "SPARK" => {
            let class = job.main_class.as_deref().ok_or_else(|| {
                ProviderError::at("main_class", "a SPARK job runs a jar: name its main class in main_class")
            })?;
            format!(
                "{environment} {spark_home}/bin/spark-submit {spark} --class {} {main} {}",
                shell_quote(class),
                args.join(" ")
            )
        }
        "SPARK_SQL" => format!("{environment} {spark_home}/bin/spark-sql {spark} -f {main}"),
        "SHELL" => format!("sh {main} {}", args.join(" ")),
        other => return Err(ProviderError::at("type", format!("unknown job type {other:?}"))),
    }
    .trim_end()
    .to_string())
}

/// The Spark application id in a driver's log (`app-20261126085935-0000`).
pub fn application_id(log: &str) -> Option<String> {
    log.match_indices("app-").find_map(|(at, _)| {
        let candidate = log.get(at..at + 23)?;
        let bytes = candidate.as_bytes();
        let shape = bytes[4..18].iter().all(u8::is_ascii_digit)
            && bytes[18] == b'-'
            && bytes[19..23].iter().all(u8::is_ascii_digit);
        shape.then(|| candidate.to_string())
    })
}

/// The last `limit` bytes of `text`, cut at a line start.
fn tail(text: &str, limit: usize) -> String {
    if text.len() <= limit {
        return text.to_string();
    }
    let mut start = text.len() - limit;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let cut = &text[start..];
    cut.split_once('\n').map_or(cut, |(_, rest)| rest).to_string()
}

#[async_trait]
impl Resource for JobResource {
    type Model = Job;
    const TYPE_NAME: &'static str = EMR_JOB;

    async fn plan(&self, _ctx: &Ctx, plan: &mut Plan<Job>) -> Result<(), ProviderError> {
        let main = plan.config::<String>("main")?;
        let digest = match &main {
            Planned::Known(main) => {
                let path = local_path(main)?;
                let digest = sha256_of_file(&path)
                    .map_err(|error| ProviderError::at("main", format!("reading {}: {error}", path.display())))?;
                Planned::Known(Some(digest))
            }
            Planned::Unknown => Planned::Unknown,
        };
        plan.set("main_sha256", digest.clone())?;
        plan.set("status", "SUCCEEDED".to_string())?;
        plan.set("exit_code", 0i64)?;
        let Some(prior) = plan.prior()? else { return Ok(()) };
        // A job is not changed in place: a new argument (or a new `main`) runs it again.
        let changed = [
            ("type", plan.config::<String>("type")? != Planned::Known(prior.r#type.clone())),
            ("main", main != Planned::Known(prior.main.clone())),
            ("main_class", plan.config::<Option<String>>("main_class")? != Planned::Known(prior.main_class.clone())),
            ("args", plan.config::<Option<Vec<String>>>("args")? != Planned::Known(prior.args.clone())),
            ("conf", plan.config::<Option<BTreeMap<String, String>>>("conf")? != Planned::Known(prior.conf.clone())),
            ("files", plan.config::<Option<Vec<String>>>("files")? != Planned::Known(prior.files.clone())),
            ("main_sha256", digest != Planned::Known(prior.main_sha256.clone())),
        ];
        for (attribute, changed) in changed {
            if changed {
                plan.require_replace(attribute)?;
            }
        }
        if !plan.requires_replace().is_empty() {
            for attribute in [
                "id",
                "application_id",
                "ui_url",
                "output",
                "log_path",
                "started_at",
                "finished_at",
                "duration_seconds",
            ] {
                plan.set_unknown(attribute)?;
            }
        }
        Ok(())
    }

    async fn create(&self, ctx: &Ctx, mut job: Job) -> Result<Job, ProviderError> {
        let settings = settings(ctx)?;
        let cluster_id = job.cluster.clone();
        let state_dir = settings.state_dir.clone();
        let cluster = blocking(move || record::read(&state_dir, &cluster_id)).await??.ok_or_else(|| {
            ProviderError::at(
                "cluster",
                format!("no cluster {} on this machine (is it an emr_cluster id?)", job.cluster),
            )
        })?;
        let token = ctx.idempotency_token();
        let id = format!("j{}", &crate::machine::cluster_id(token)[1..]);
        job.id = Some(id.clone());
        let directory = format!("{JOBS_DIR}/{id}");
        let mut uploads = vec![job.main.clone()];
        uploads.extend(job.files.iter().flatten().cloned());
        let mut contents = Vec::new();
        for path in &uploads {
            let local = local_path(path)?;
            let content = FileContent::local_file(&local)
                .map_err(|error| ProviderError::new(format!("reading {}: {error}", local.display())))?;
            contents.push((format!("{directory}/{}", file_name(path)), content));
        }
        let command = wrap(&directory, &command(&job, &cluster.master_url)?);
        let master = &cluster.master;
        let host = deploy::ssh_spec(
            &master.hostname,
            &master.ip,
            master.ssh_port,
            &master.ssh_host_key_fingerprint,
            &cluster.ssh_private_key_path,
        )?;
        let remote_log = format!("{}:{directory}/{DRIVER_LOG}", master.hostname);
        let log = DriverLog::create(&settings.state_dir, &id, remote_log.clone())?;
        let local_log = log.path().display().to_string();
        job.log_path = Some(local_log.clone());
        ctx.status(format!("running {} on {} ({})", job.r#type, master.hostname, cluster.master_url));
        // The lines go to the watch on the thread that reads them; it comes back here after.
        let watch = Arc::new(Mutex::new(Watch::new(log, ctx.clone())));
        let lines = Arc::clone(&watch);
        let make_directory = format!("mkdir -p -- {}", shell_quote(&directory));
        let started = SystemTime::now();
        let run = deploy::on_host(&self.pool, &host, move |connection| {
            connection.run_checked(&make_directory, &ExecOptions::default())?;
            for (path, content) in &contents {
                connection.upload(content, path, Mode::FILE)?;
            }
            connection.run_lines(&command, &ExecOptions::with_timeout(JOB_TIMEOUT), |stream, line| {
                lines.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).line(stream, line)
            })
        })
        .await;
        let finished = SystemTime::now();
        job.started_at = Some(rfc3339(started));
        job.finished_at = Some(rfc3339(finished));
        job.duration_seconds =
            Some((finished.duration_since(started).unwrap_or_default().as_secs_f64() * 10.0).round() / 10.0);
        let watch = match Arc::try_unwrap(watch) {
            Ok(watch) => watch.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner()),
            Err(_) => return Err(ProviderError::new("the job's output reader did not finish")),
        };
        let Watch { log, stdout, stderr, application_id, .. } = watch;
        if let Err(error) = log.finish() {
            ctx.log().warn(&format!("the local copy of the driver log is incomplete: {error}"));
        }
        job.application_id = application_id;
        job.ui_url = job.application_id.as_ref().map(|app| format!("{}/app/?appId={app}", cluster.master_ui_url));
        job.output = Some(tail(stdout.text(), OUTPUT_LIMIT));
        let where_logged = format!("Its whole log: {local_log} (`strata logs`), and {remote_log}.");
        let (exit_code, why) = match run {
            Ok(output) if output.success() => {
                job.status = Some("SUCCEEDED".into());
                job.exit_code = Some(0);
                return Ok(job);
            }
            Ok(output) => {
                let lines = error_lines(stdout.text(), stderr.text());
                let quoted: String = lines.iter().map(|line| format!("\n  {line}")).collect();
                let code = output.signal.is_none().then_some(i64::from(output.exit_code));
                (code, format!("the job failed on {} ({}):{quoted}", master.hostname, output.status()))
            }
            Err(DeployError::Timeout { timeout, .. }) => {
                (None, format!("the job did not finish within {}s and was killed", timeout.as_secs()))
            }
            // Nothing ran, or the connection broke: no job to record, no log to keep.
            Err(error) => {
                let _ = log::remove(&settings.state_dir, &id);
                return Err(ProviderError::new(error.to_string()));
            }
        };
        job.status = Some("FAILED".into());
        job.exit_code = exit_code;
        Err(ProviderError::new(format!("{why}\n{where_logged}")).with_model(&job))
    }

    async fn read(&self, _ctx: &Ctx, current: Job) -> Result<Option<Job>, ProviderError> {
        Ok(Some(current))
    }

    async fn update(&self, _ctx: &Ctx, _prior: Job, planned: Job) -> Result<Job, ProviderError> {
        // Every change is a replacement (see `plan`); an update only keeps computed values.
        Ok(planned)
    }

    async fn delete(&self, ctx: &Ctx, prior: Job) -> Result<(), ProviderError> {
        // The local log goes; the job's files go with the master: removed if the cluster is
        // still there.
        let (Some(id), Ok(settings)) = (prior.id.clone(), settings(ctx)) else { return Ok(()) };
        let (state_dir, local_id) = (settings.state_dir.clone(), id.clone());
        if let Err(error) = blocking(move || log::remove(&state_dir, &local_id)).await? {
            ctx.log().warn(&error.message);
        }
        let cluster_id = prior.cluster.clone();
        let Ok(Some(cluster)) = blocking(move || record::read(&settings.state_dir, &cluster_id)).await? else {
            return Ok(());
        };
        let master = &cluster.master;
        let host = deploy::ssh_spec(
            &master.hostname,
            &master.ip,
            master.ssh_port,
            &master.ssh_host_key_fingerprint,
            &cluster.ssh_private_key_path,
        )?;
        let command = format!("rm -rf -- {}", shell_quote(&format!("{JOBS_DIR}/{id}")));
        if let Err(error) = deploy::on_host(&self.pool, &host, move |connection| {
            connection.run_checked(&command, &ExecOptions::default())
        })
        .await
        {
            ctx.log().warn(&format!("removing the files of job {id}: {error}"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(kind: &str) -> Job {
        Job {
            cluster: "c0".into(),
            r#type: kind.into(),
            main: "jobs/pi.py".into(),
            main_class: None,
            args: Some(vec!["20".into(), "a b".into()]),
            conf: Some([("spark.executor.memory".to_string(), "512m".to_string())].into()),
            files: None,
            triggers: None,
            id: Some("j1".into()),
            status: None,
            application_id: None,
            exit_code: None,
            ui_url: None,
            output: None,
            main_sha256: None,
            log_path: None,
            started_at: None,
            finished_at: None,
            duration_seconds: None,
        }
    }

    #[test]
    fn commands() {
        assert_eq!(
            command(&job("PYSPARK"), "spark://10.0.0.2:7077").unwrap(),
            "SPARK_HOME=/opt/strata/spark SPARK_CONF_DIR=/opt/strata/conf/spark /opt/strata/spark/bin/spark-submit \
             --master 'spark://10.0.0.2:7077' --name 'j1' --conf 'spark.executor.memory=512m' 'pi.py' '20' 'a b'"
        );
        assert_eq!(command(&job("SHELL"), "spark://x:7077").unwrap(), "sh 'pi.py' '20' 'a b'");
        assert_eq!(command(&job("SPARK"), "spark://x:7077").unwrap_err().attribute.as_deref(), Some("main_class"));
    }

    #[test]
    fn finds_the_application_id() {
        let log = "INFO StandaloneSchedulerBackend: Connected to Spark cluster with app ID app-20261126085935-0003\n";
        assert_eq!(application_id(log).as_deref(), Some("app-20261126085935-0003"));
        assert_eq!(application_id("app-2026 not one"), None);
        assert_eq!(tail("one\ntwo\nthree\n", 8), "three\n");
    }
}
