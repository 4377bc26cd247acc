//! The deployer against a real sshd on loopback: connect, run, upload, facts, operations,
//! service supervision and fan-out. Every wait is bounded.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use strata_deploy::facts::{
    DirectoryFact, DirectoryState, FactBatch, FileFact, FileState, LinkFact, LinkState, ListeningPortsFact, MarkerFact,
    OsReleaseFact, PidFileFact, ProcessState, ServiceStatusFact, SupervisorFact,
};
use strata_deploy::operations::{ArchiveSpec, DirectorySpec, FileSpec, Step, SymlinkSpec};
use strata_deploy::service::stop_command;
use strata_deploy::{
    Connection, DeployError, Deployer, DesiredState, ExecOptions, FileContent, Fingerprint, Mode, OutputStream,
    ProgressUpdate, ServiceSpec, ServiceSupervisor, connect, sha256_hex,
};
use support::{Sshd, options};

fn open(sshd: &Sshd) -> Connection {
    connect(&sshd.host("local"), &options()).unwrap_or_else(|error| panic!("{error}\nsshd log:\n{}", sshd.log()))
}

fn quick() -> ExecOptions {
    ExecOptions::with_timeout(Duration::from_secs(30))
}

#[test]
fn connects_with_the_right_fingerprint_and_refuses_a_wrong_one() {
    let sshd = Sshd::start();
    let connection = open(&sshd);
    assert_eq!(connection.host_key(), &sshd.host_key);

    let wrong: Fingerprint = "SHA256:6m08+sZn+oYCX0SaRvbVR9W10KfJ53TmbVgw27VAlFg".parse().unwrap();
    let mut host = sshd.host("impostor");
    host.host_key = wrong.clone();
    let started = Instant::now();
    let error = connect(&host, &options()).err().expect("a wrong host key must be refused");
    assert!(matches!(error, DeployError::HostKeyMismatch { .. }), "{error}");
    let message = error.to_string();
    assert!(message.contains("impostor"), "{message}");
    assert!(message.contains(&wrong.to_string()), "{message}");
    assert!(message.contains(&sshd.host_key.to_string()), "{message}");
    assert!(started.elapsed() < Duration::from_secs(5), "a mismatch is not retried");

    // A key the server does not know: an authentication error naming the key's path only.
    let mut stranger = sshd.host("stranger");
    stranger.private_key = sshd.directory.path().join("host_key");
    let error = connect(&stranger, &options()).err().expect("an unknown key must be refused");
    assert!(matches!(error, DeployError::Authentication { .. }), "{error}");
    let private_key = fs::read_to_string(sshd.directory.path().join("host_key")).unwrap();
    let key_body = private_key.lines().nth(1).unwrap();
    assert!(!error.to_string().contains(key_body));
}

#[test]
fn runs_a_command_and_captures_exit_code_stdout_and_stderr() {
    let sshd = Sshd::start();
    let mut connection = open(&sshd);
    let output = connection.run("echo out; echo err >&2; printf 'no newline'; exit 3", &quick()).unwrap();
    assert_eq!(output.exit_code, 3);
    assert_eq!(output.stdout_text(), "out\nno newline");
    assert_eq!(output.stderr_text(), "err\n");
    assert!(!output.success());

    let error = connection.run_checked("echo boom >&2; exit 7", &quick()).err().unwrap();
    let DeployError::CommandFailed { host, status, stderr, .. } = &error else { panic!("{error}") };
    assert_eq!((host.as_str(), status.as_str(), stderr.as_str()), ("local", "exit code 7", "boom"));

    // Output beyond the limit is read and dropped.
    let bounded = ExecOptions { max_output: 1000, ..quick() };
    let output = connection.run("head -c 100000 /dev/zero; echo done >&2", &bounded).unwrap();
    assert_eq!(output.stdout.len(), 1000);
    assert!(output.stdout_truncated && !output.stderr_truncated);
    assert_eq!(output.stderr_text(), "done\n");

    // The same session serves many commands.
    for index in 0..5 {
        let output = connection.run(&format!("echo {index}"), &quick()).unwrap();
        assert_eq!(output.stdout_text(), format!("{index}\n"));
    }
}

#[test]
fn hands_over_output_lines_as_they_arrive() {
    let sshd = Sshd::start();
    let mut connection = open(&sshd);
    let started = Instant::now();
    let mut lines = Vec::new();
    let bounded = ExecOptions { max_output: 4, ..quick() };
    let output = connection
        .run_lines("echo one; echo warning >&2; sleep 1; echo two; printf three", &bounded, |stream, line| {
            lines.push((stream, line.to_owned(), started.elapsed()))
        })
        .unwrap();
    let texts: Vec<(OutputStream, &str)> = lines.iter().map(|(stream, line, _)| (*stream, line.as_str())).collect();
    assert_eq!(
        texts,
        [
            (OutputStream::Stdout, "one"),
            (OutputStream::Stderr, "warning"),
            (OutputStream::Stdout, "two"),
            (OutputStream::Stdout, "three")
        ]
    );
    // The first line came while the command still slept; the limit bounds only what is kept.
    assert!(lines[0].2 < Duration::from_millis(900), "{:?}", lines[0].2);
    assert!(lines[2].2 >= Duration::from_secs(1), "{:?}", lines[2].2);
    assert_eq!(output.stdout_text(), "one\n");
    assert!(output.stdout_truncated);
}

#[test]
fn kills_a_command_at_its_timeout() {
    let sshd = Sshd::start();
    let mut connection = open(&sshd);
    let marker = format!("sleep 73{}", sshd.port);
    let started = Instant::now();
    let error = connection
        .run(
            &format!("echo started; {marker} & {marker}; echo never"),
            &ExecOptions::with_timeout(Duration::from_secs(1)),
        )
        .expect_err("the command must time out");
    assert!(matches!(error, DeployError::Timeout { .. }), "{error}");
    assert!(started.elapsed() < Duration::from_secs(8), "{:?}", started.elapsed());

    // Both sleeps (foreground and background) were killed with the command's process group,
    // and the session still works.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let left = connection.run(&format!("pgrep -f '^{marker}$' || true"), &quick()).unwrap();
        if left.stdout.is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "still running: {}", left.stdout_text());
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn uploads_atomically_and_verifies_the_checksum() {
    let sshd = Sshd::start();
    let mut connection = open(&sshd);
    let scratch = sshd.scratch("upload");

    let target = format!("{scratch}/config.properties");
    let content = FileContent::text("a=1\nb='two'\n");
    let uploaded = connection.upload(&content, &target, Mode(0o640)).unwrap();
    assert_eq!(uploaded.sha256, content.sha256());
    assert_eq!(uploaded.bytes, 12);
    assert_eq!(fs::read_to_string(&target).unwrap(), "a=1\nb='two'\n");
    assert_eq!(mode_of(&target), 0o640);

    // A local file streamed over SFTP, replacing the previous content.
    let local = sshd.directory.path().join("local.bin");
    let bytes: Vec<u8> = (0..3_000_000u32).map(|index| (index % 251) as u8).collect();
    fs::write(&local, &bytes).unwrap();
    let uploaded = connection.upload(&FileContent::local_file(&local).unwrap(), &target, Mode(0o600)).unwrap();
    assert_eq!(uploaded.sha256, sha256_hex(&bytes));
    assert_eq!(fs::read(&target).unwrap(), bytes);
    assert_eq!(mode_of(&target), 0o600);

    // A local file that changed after it was hashed is refused, and the target is untouched.
    let stale = FileContent::local_file(&local).unwrap();
    fs::write(&local, b"changed").unwrap();
    let error = connection.upload(&stale, &target, Mode(0o600)).err().unwrap();
    assert!(matches!(error, DeployError::ChecksumMismatch { .. }), "{error}");
    assert_eq!(fs::read(&target).unwrap(), bytes);

    // No temporary file is left behind.
    let names: Vec<String> =
        fs::read_dir(&scratch).unwrap().map(|entry| entry.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(names, ["config.properties"]);

    let error = connection.upload(&content, &format!("{scratch}/missing-dir/file"), Mode::FILE).err().unwrap();
    assert!(error.to_string().contains("missing-dir"), "{error}");
}

#[test]
fn gathers_many_facts_in_one_round_trip() {
    let sshd = Sshd::start();
    let mut connection = open(&sshd);
    let scratch = sshd.scratch("facts");
    fs::write(format!("{scratch}/file"), "hello\n").unwrap();
    fs::write(format!("{scratch}/VERSION"), "spark 4.3.0\n").unwrap();
    std::os::unix::fs::symlink("/opt/elsewhere", format!("{scratch}/link")).unwrap();
    fs::write(format!("{scratch}/dead.pid"), "999999999\n").unwrap();
    fs::write(format!("{scratch}/sshd.pid"), fs::read_to_string(sshd.directory.path().join("sshd.pid")).unwrap())
        .unwrap();

    let mut batch = FactBatch::new();
    let file = batch.add(FileFact::new(format!("{scratch}/file")));
    let missing = batch.add(FileFact::new(format!("{scratch}/nothing")));
    let directory = batch.add(DirectoryFact::new(scratch.clone()));
    let link = batch.add(LinkFact::new(format!("{scratch}/link")));
    let version = batch.add(MarkerFact::new(format!("{scratch}/VERSION")));
    let os = batch.add(OsReleaseFact::default());
    let ports = batch.add(ListeningPortsFact::default());
    let supervisor = batch.add(SupervisorFact::default());
    let live = batch.add(PidFileFact::new(format!("{scratch}/sshd.pid")));
    let dead = batch.add(PidFileFact::new(format!("{scratch}/dead.pid")));
    let service = batch.add(ServiceStatusFact::new("strata-test-never-started"));

    let facts = connection.gather(&batch, &quick()).unwrap();
    assert_eq!(facts.sections().len(), 11);
    assert_eq!(facts.get(&file).unwrap(), FileState::File { mode: Mode(0o644), sha256: sha256_hex(b"hello\n") });
    assert_eq!(facts.get(&missing).unwrap(), FileState::Missing);
    assert!(matches!(facts.get(&directory).unwrap(), DirectoryState::Directory { .. }));
    assert_eq!(facts.get(&link).unwrap(), LinkState::Link { target: "/opt/elsewhere".to_owned() });
    assert_eq!(facts.get(&version).unwrap().as_deref(), Some("spark 4.3.0"));
    assert!(!facts.get(&os).unwrap().id.is_empty());
    assert!(facts.get(&ports).unwrap().contains(&sshd.port), "sshd's port is listening");
    let expected_supervisor = ServiceSupervisor::for_init_process(fs::read_to_string("/proc/1/comm").unwrap().trim());
    assert_eq!(facts.get(&supervisor).unwrap(), expected_supervisor);
    assert!(matches!(facts.get(&live).unwrap(), ProcessState::Running { .. }));
    assert_eq!(facts.get(&dead).unwrap(), ProcessState::Stale);
    let status = facts.get(&service).unwrap();
    assert!(!status.running);
    assert_eq!(status.supervisor, expected_supervisor);
}

#[test]
fn applying_operations_twice_changes_nothing_the_second_time() {
    let sshd = Sshd::start();
    let mut connection = open(&sshd);
    let scratch = sshd.scratch("operations");

    // An archive with a top-level directory to strip.
    let source = sshd.directory.path().join("archive-source");
    fs::create_dir_all(source.join("spark-4.3.0/bin")).unwrap();
    fs::write(source.join("spark-4.3.0/bin/run.sh"), "#!/bin/sh\necho run\n").unwrap();
    let tarball = sshd.directory.path().join("spark.tar.gz");
    let status = Command::new("tar").arg("-czf").arg(&tarball).arg("-C").arg(&source).arg("spark-4.3.0").status();
    assert!(status.unwrap().success());

    let desired = vec![
        DesiredState::Directory(DirectorySpec { path: format!("{scratch}/conf"), mode: Mode(0o750) }),
        DesiredState::File(FileSpec {
            path: format!("{scratch}/conf/app.conf"),
            content: FileContent::text("port=8080\n"),
            mode: Mode(0o640),
        }),
        DesiredState::Archive(ArchiveSpec {
            archive: FileContent::local_file(&tarball).unwrap(),
            destination: format!("{scratch}/spark-4.3.0"),
            strip_components: 1,
            clean: true,
        }),
        DesiredState::Symlink(SymlinkSpec {
            path: format!("{scratch}/current"),
            target: format!("{scratch}/spark-4.3.0"),
        }),
    ];
    let first = connection.converge(&desired, &quick()).unwrap();
    assert!(first.iter().any(|step| matches!(step, Step::Upload(_))), "{first:?}");
    assert_eq!(fs::read_to_string(format!("{scratch}/conf/app.conf")).unwrap(), "port=8080\n");
    assert_eq!(mode_of(&format!("{scratch}/conf")), 0o750);
    assert_eq!(fs::read_to_string(format!("{scratch}/current/bin/run.sh")).unwrap(), "#!/bin/sh\necho run\n");

    let second = connection.converge(&desired, &quick()).unwrap();
    assert_eq!(second, Vec::<Step>::new());

    // A changed mode only: one chmod, no upload.
    fs::set_permissions(format!("{scratch}/conf/app.conf"), std::os::unix::fs::PermissionsExt::from_mode(0o600))
        .unwrap();
    let third = connection.plan(&desired, &quick()).unwrap();
    assert_eq!(third.len(), 1, "{third:?}");
    assert!(matches!(&third[0], Step::Run(command) if command.starts_with("chmod 0640")));
}

#[test]
fn starts_checks_restarts_and_stops_a_supervised_service() {
    let sshd = Sshd::start();
    let mut connection = open(&sshd);
    let name = format!("strata-test-http-{}", sshd.port);
    let web_port = free_port();
    let web_root = sshd.scratch("www");
    fs::write(format!("{web_root}/index.html"), "hello").unwrap();
    let mut spec = ServiceSpec::new(name.clone(), format!("python3 -m http.server {web_port} --bind 127.0.0.1"));
    spec.working_directory = Some(web_root.clone());
    spec.environment = BTreeMap::from([("GREETING".to_owned(), "it's me".to_owned())]);
    spec.stop_timeout_seconds = 5;
    let _cleanup = ServiceCleanup { spec: spec.clone() };

    let steps = connection.converge(&[DesiredState::Service(spec.clone())], &quick()).unwrap();
    assert!(!steps.is_empty());
    let status = connection.fact(ServiceStatusFact::new(&name), &quick()).unwrap();
    assert!(status.running, "{status:?}\nlog: {}", fs::read_to_string(spec.log_file()).unwrap_or_default());
    let first_pid = status.pid.expect("a running service has a pid");
    wait_for(&mut connection, "the web server to listen", |connection| {
        connection.fact(ListeningPortsFact::default(), &quick()).unwrap().contains(&web_port)
    });
    assert_eq!(mode_of(&spec.launcher_path()), 0o700);

    // Converged: nothing to do.
    assert_eq!(connection.converge(&[DesiredState::Service(spec.clone())], &quick()).unwrap(), Vec::<Step>::new());

    // A changed definition restarts it.
    spec.environment.insert("GREETING".to_owned(), "hello again".to_owned());
    let steps = connection.converge(&[DesiredState::Service(spec.clone())], &quick()).unwrap();
    assert_eq!(steps.len(), 2, "upload the launcher, restart: {steps:?}");
    let status = connection.fact(ServiceStatusFact::new(&name), &quick()).unwrap();
    assert!(status.running);
    let second_pid = status.pid.expect("a running service has a pid");
    assert_ne!(second_pid, first_pid);
    assert!(!is_http_server(first_pid), "the first process was stopped");
    let environment = fs::read(format!("/proc/{second_pid}/environ")).unwrap();
    assert!(String::from_utf8_lossy(&environment).contains("GREETING=hello again"));

    // Stopped.
    spec.running = false;
    let steps = connection.converge(&[DesiredState::Service(spec.clone())], &quick()).unwrap();
    assert_eq!(steps.len(), 1, "{steps:?}");
    let status = connection.fact(ServiceStatusFact::new(&name), &quick()).unwrap();
    assert!(!status.running, "{status:?}");
    assert!(!is_http_server(second_pid));
    assert!(!connection.fact(ListeningPortsFact::default(), &quick()).unwrap().contains(&web_port));
    assert_eq!(connection.converge(&[DesiredState::Service(spec.clone())], &quick()).unwrap(), Vec::<Step>::new());
    assert!(fs::metadata(spec.log_file()).is_ok(), "the log file exists");
}

#[test]
fn a_service_that_exits_at_once_fails_to_start_with_its_log() {
    let sshd = Sshd::start();
    let mut connection = open(&sshd);
    let spec = ServiceSpec::new(format!("strata-test-broken-{}", sshd.port), "sh -c 'echo cannot start; exit 2'");
    let _cleanup = ServiceCleanup { spec: spec.clone() };
    let error = connection.converge(&[DesiredState::Service(spec)], &quick()).err().unwrap();
    let DeployError::CommandFailed { stderr, .. } = &error else { panic!("{error}") };
    assert!(stderr.contains("exited at once") && stderr.contains("cannot start"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fans_out_over_several_connections_with_progress() {
    let sshd = Sshd::start();
    let mut hosts: Vec<_> = (0..5).map(|index| sshd.host(&format!("host-{index}"))).collect();
    let mut impostor = sshd.host("host-impostor");
    impostor.host_key = "SHA256:6m08+sZn+oYCX0SaRvbVR9W10KfJ53TmbVgw27VAlFg".parse().unwrap();
    hosts.insert(2, impostor);

    let deployer = Deployer::new(options(), 3);
    let updates = Mutex::new(Vec::<ProgressUpdate>::new());
    // `$PPID` is the sshd process serving the session: equal on reuse.
    let work = |connection: &mut Connection| {
        let output = connection.run("sleep 0.2; echo $PPID", &ExecOptions::with_timeout(Duration::from_secs(30)))?;
        Ok(output.stdout_text().trim().to_owned())
    };
    let started = Instant::now();
    let outcomes = tokio::time::timeout(
        Duration::from_secs(60),
        deployer.fan_out(&hosts, work, |update| updates.lock().unwrap().push(update)),
    )
    .await
    .expect("the fan-out finishes in time");

    let names: Vec<&str> = outcomes.iter().map(|outcome| outcome.host.as_str()).collect();
    assert_eq!(names, ["host-0", "host-1", "host-impostor", "host-2", "host-3", "host-4"]);
    let failed: Vec<&str> =
        outcomes.iter().filter(|outcome| outcome.result.is_err()).map(|outcome| outcome.host.as_str()).collect();
    assert_eq!(failed, ["host-impostor"]);
    let session_processes: Vec<String> =
        outcomes.iter().filter_map(|outcome| outcome.result.as_ref().ok().cloned()).collect();
    let distinct: std::collections::BTreeSet<&String> = session_processes.iter().collect();
    assert_eq!(distinct.len(), 5, "one session per host: {session_processes:?}");
    // 6 hosts × 0.2 s at 3 at a time: well under the serial time plus connects.
    assert!(started.elapsed() < Duration::from_secs(20));

    let updates = updates.into_inner().unwrap();
    assert_eq!(updates.len(), 6);
    assert_eq!(updates.iter().map(|update| update.done).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6]);
    assert!(updates.iter().all(|update| update.total == 6));
    let impostor_update = updates.iter().find(|update| update.host == "host-impostor").unwrap();
    assert!(impostor_update.message.starts_with("failed: ") && impostor_update.message.contains("host key"));
    assert_eq!(deployer.pool().open_sessions(), 5);

    // A second fan-out reuses the sessions.
    let again = tokio::time::timeout(Duration::from_secs(60), deployer.fan_out(&hosts, work, |_| {}))
        .await
        .expect("the fan-out finishes in time");
    for (first, second) in outcomes.iter().zip(&again) {
        if let (Ok(first), Ok(second)) = (&first.result, &second.result) {
            assert_eq!(first, second, "{} reconnected", first);
        }
    }
}

/// Stops a test service and removes its files, even when the test fails.
struct ServiceCleanup {
    spec: ServiceSpec,
}

impl Drop for ServiceCleanup {
    fn drop(&mut self) {
        let stop = stop_command(ServiceSupervisor::Plain, &self.spec);
        let _ = Command::new("/bin/sh").arg("-c").arg(stop).status();
        let _ = fs::remove_file(self.spec.launcher_path());
        let _ = fs::remove_file(self.spec.log_file());
    }
}

fn wait_for(connection: &mut Connection, what: &str, mut condition: impl FnMut(&mut Connection) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !condition(connection) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Whether `pid` is (still) a python http.server; a reused pid is another program.
fn is_http_server(pid: u32) -> bool {
    fs::read(format!("/proc/{pid}/cmdline"))
        .is_ok_and(|cmdline| String::from_utf8_lossy(&cmdline).contains("http.server"))
}

fn mode_of(path: &str) -> u32 {
    std::os::unix::fs::PermissionsExt::mode(&fs::metadata(path).unwrap().permissions()) & 0o7777
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}
