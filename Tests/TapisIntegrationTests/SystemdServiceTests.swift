import Foundation
import Testing
import TapisTestSupport

/// The Debian package and its unit under a real systemd: a Debian 12 booted in systemd-nspawn
/// (`scripts/testbed.sh systemd-start`), the package built by `scripts/package.sh`; both done by
/// `scripts/test.sh`. Every command runs inside the container through nsenter.
@Suite(.serialized, .timeLimit(.minutes(6))) struct SystemdServiceTests {
    let initPid: String
    let root: String
    let package: String

    init() throws {
        guard let values = TestEnvironment.testbedValues("systemd.env") else {
            throw TestSetupError("no booted systemd container: start it with scripts/testbed.sh systemd-start (scripts/test.sh does)")
        }
        guard let pid = values["TAPISD_SYSTEMD_PID"], let root = values["TAPISD_SYSTEMD_ROOT"], kill(pid_t(pid) ?? 0, 0) == 0 else {
            throw TestSetupError("the systemd container is gone: scripts/testbed.sh systemd-stop; scripts/testbed.sh systemd-start")
        }
        let dist = TestEnvironment.repositoryRoot + "/dist"
        guard let newest = (try? FileManager.default.contentsOfDirectory(atPath: dist))?.filter({ $0.hasPrefix("tapisd_") && $0.hasSuffix(".deb") }).sorted().last else {
            throw TestSetupError("no package in dist/: build it with scripts/package.sh (scripts/test.sh does)")
        }
        initPid = pid
        self.root = root
        package = dist + "/" + newest
    }

    /// Runs `script` with /bin/sh inside the container, on a thread of its own (a package install
    /// or a job's wait takes seconds, which would hold one of the few threads the in-process suites
    /// running meanwhile share).
    @discardableResult
    func inside(_ script: String) async throws -> ProgramRunner.Result {
        try await ProgramRunner.running(["/usr/bin/nsenter", "-t", initPid, "-a", "--", "/bin/sh", "-c", script])
    }

    /// The daemon's main pid, as systemd knows it.
    func mainPid() async throws -> String {
        try await inside("systemctl show -p MainPID --value tapisd").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits until `tapis jobs status` of the job shows `status`.
    func wait(_ uuid: String, for status: String, seconds: Int = 60) async throws {
        for _ in 0..<(seconds * 5) {
            if try await inside("tapis jobs status \(uuid)").stdout.contains(status) { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestSetupError("job \(uuid) did not reach \(status): \(try await inside("tapis jobs show \(uuid); journalctl -u tapisd --no-pager | tail -20").stdout)")
    }

    @Test func thePackageInstallsAndTheServiceRunsJobsThroughRestartsAndTheWatchdog() async throws {
        try await inside("systemctl stop tapisd 2>/dev/null; apt-get purge -y -q tapisd > /dev/null 2>&1; rm -rf /var/lib/tapisd /etc/tapisd /run/tapisd /var/tmp/site /etc/systemd/system/tapisd.service.d /opt/hello; systemctl daemon-reload; true")
        _ = try ProgramRunner.run(["/bin/cp", package, root + "/var/tmp/tapisd.deb"])
        let installing = Date()
        let since = Int(installing.timeIntervalSince1970)
        let install = try await inside("DEBIAN_FRONTEND=noninteractive apt-get install -y -q /var/tmp/tapisd.deb")
        #expect(install.status == 0, "\(install.stdout)\n\(install.stderr)")
        #expect(try await inside("command -v swift || echo none").stdout == "none\n", "the container has no Swift: the package brings what it needs")
        let files = try await inside("dpkg -L tapisd").stdout
        for file in [
            "/usr/share/man/man1/tapis.1.gz", "/usr/share/man/man1/tapisd.1.gz", "/usr/share/bash-completion/completions/tapis", "/etc/tapisd/tapisd.yaml",
            "/usr/lib/systemd/system/tapisd-jobs.slice", "/usr/lib/systemd/system/tapisd.socket", "/usr/lib/sysusers.d/tapisd.conf",
            "/usr/share/doc/tapisd/grafana-dashboard.json",
        ] {
            #expect(files.contains(file + "\n"), "the package holds \(file)")
        }
        #expect(try await inside("getent group tapis-admins").status == 0, "sysusers made the administrators' group")
        #expect(try await inside("systemctl is-enabled tapisd").stdout == "enabled\n", "enabled on first install")
        #expect(try await inside("systemctl is-active tapisd").stdout == "inactive\n", "but not started")
        // The container has no man(1) to open the unit's man: documentation with.
        let verify = try await inside("systemd-analyze verify --man=no tapisd.service tapisd.socket tapisd-jobs.slice")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

        // A faster watchdog than the unit's 30 s, for the test.
        try await inside("mkdir -p /etc/systemd/system/tapisd.service.d && printf '[Service]\\nWatchdogSec=6\\n' > /etc/systemd/system/tapisd.service.d/test.conf && systemctl daemon-reload")
        let started = try await inside("systemctl start tapisd && systemctl is-active tapisd")
        #expect(started.stdout == "active\n", "Type=notify: active once tapisd said READY=1: \(started.stderr)")

        try await inside("""
            mkdir -p /opt/hello && cd /opt/hello && printf '#!/bin/sh\\necho hello from $(id -un)\\nsleep "${SLEEP_SECONDS:-0}"\\n' > tapisjob_app.sh \
            && chmod 0755 tapisjob_app.sh && tar -czf hello.tgz tapisjob_app.sh \
            && printf '{"id": "hello", "version": "1", "runtime": "ZIP", "containerImage": "/opt/hello/hello.tgz", "jobType": "FORK", "jobAttributes": {"execSystemId": "local"}}' > app.json \
            && tapis apps create app.json
            """)
        let first = try await inside("printf '{\"name\": \"first\", \"appId\": \"hello\", \"appVersion\": \"1\"}' | tapis jobs submit -")
        let uuid = first.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(first.status == 0 && !uuid.isEmpty, "\(first.stderr)")
        let waited = try await inside("tapis jobs wait \(uuid)")
        let firstJob = Date().timeIntervalSince(installing)
        #expect(waited.status == 0, "\(waited.stdout)\(waited.stderr)")
        #expect(try await inside("tapis jobs download \(uuid) tapisjob.out").stdout == "hello from root\n")

        // A user's job is a transient unit of its own, as that user, with its limits in its cgroup; a
        // restart leaves it alone and the new daemon picks it up.
        try await inside("id tapis-carol > /dev/null 2>&1 || useradd --create-home tapis-carol")
        let long = try await inside("""
            printf '{"name": "long", "appId": "hello", "appVersion": "1", "memoryMB": 200, "parameterSet": {"envVariables": [{"key": "SLEEP_SECONDS", "value": "20"}]}}' \
            | runuser -u tapis-carol -- tapis jobs submit -
            """).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try await wait(long, for: "RUNNING")
        let unit = "tapis-\(long).service"
        let shown = try await inside("systemctl show -p Slice,User,ActiveState,ControlGroup \(unit)").stdout
        #expect(shown.contains("Slice=tapisd-jobs.slice\n") && shown.contains("User=tapis-carol\n") && shown.contains("ActiveState=active\n"), "\(shown)")
        let group = shown.split(separator: "\n").first { $0.hasPrefix("ControlGroup=") }.map { String($0.dropFirst("ControlGroup=".count)) } ?? "?"
        let limit = try await inside("cat /sys/fs/cgroup/memory\(group)/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup\(group)/memory.max").stdout
        #expect(limit == "\(200 * 1024 * 1024)\n", "memoryMB is the unit's memory limit in its cgroup (\(group)): \(limit)")
        #expect(!(try await inside("systemd-cgls --no-pager -u tapisd.service").stdout.contains("sleep")), "the job is not in the daemon's cgroup")
        // Clients that connect while tapisd restarts wait on systemd's socket (tapisd.socket) instead of
        // being refused.
        #expect(try await inside("systemctl is-active tapisd.socket").stdout == "active\n")
        try await inside("""
            rm -f /var/tmp/probe.log; (for i in $(seq 80); do curl -s -o /dev/null -w '%{http_code}\\n' --max-time 30 \
            --unix-socket /run/tapisd/tapisd.sock http://localhost/v3/jobs/healthcheck || echo refused; sleep 0.05; done \
            > /var/tmp/probe.tmp; mv /var/tmp/probe.tmp /var/tmp/probe.log) > /dev/null 2>&1 &
            """)
        let before = try await mainPid()
        #expect(try await inside("systemctl restart tapisd && systemctl is-active tapisd").stdout == "active\n")
        #expect(try await mainPid() != before)
        var probes = ""
        for _ in 0..<300 where probes.isEmpty {
            probes = try await inside("cat /var/tmp/probe.log 2>/dev/null").stdout
            if probes.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        }
        let answers = probes.split(separator: "\n")
        #expect(answers.count == 80 && answers.allSatisfy { $0 == "200" }, "every client during the restart was answered: \(Set(answers))")
        #expect(try await inside("journalctl -u tapisd --no-pager | grep 'tapisd ready' | tail -1").stdout.contains("socket.activated=true"), "the new daemon served systemd's socket")
        #expect(try await inside("systemctl is-active \(unit)").stdout == "active\n", "the restart left the job's unit alone")
        #expect(try await inside("tapis jobs wait \(long)").status == 0, "the job finished after the restart")
        #expect(try await inside("tapis jobs download \(long) tapisjob.out").stdout == "hello from tapis-carol\n")
        #expect(try await inside("systemctl show -p LoadState --value \(unit)").stdout == "not-found\n", "the ended unit is released")

        // Cancel stops the unit and every process in it.
        let doomed = try await inside("""
            printf '{"name": "doomed", "appId": "hello", "appVersion": "1", "parameterSet": {"envVariables": [{"key": "SLEEP_SECONDS", "value": "300"}]}}' \
            | runuser -u tapis-carol -- tapis jobs submit -
            """).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try await wait(doomed, for: "RUNNING")
        #expect(try await inside("runuser -u tapis-carol -- tapis jobs cancel \(doomed)").status == 0)
        try await wait(doomed, for: "CANCELLED")
        #expect(try await inside("systemctl show -p LoadState --value tapis-\(doomed).service").stdout == "not-found\n")
        #expect(try await inside("pgrep -u tapis-carol sleep || echo none").stdout == "none\n", "no process of the job is left")

        // systemctl reload: a new definition file is served without a restart.
        let reloadedPid = try await mainPid()
        try await inside("printf '{\"id\": \"site\", \"host\": \"localhost\", \"rootDir\": \"/\", \"jobWorkingDir\": \"/var/tmp/site\", \"canExec\": true}' > /etc/tapisd/systems.d/site.json && systemctl reload tapisd")
        var served = false
        for _ in 0..<50 where !served {
            served = try await inside("tapis systems show site").status == 0
            if !served { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(served, "systemctl reload picked up the new system")
        #expect(try await mainPid() == reloadedPid, "without a restart")

        // A stopped daemon stops feeding the watchdog and systemd restarts it.
        let stopped = try await mainPid()
        try await inside("kill -STOP \(stopped)")
        var restarted = ""
        for _ in 0..<150 {
            restarted = try await mainPid()
            if restarted != stopped, restarted != "0", try await inside("systemctl is-active tapisd").stdout == "active\n" { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(restarted != stopped && restarted != "0", "the watchdog restarted the stopped daemon")
        #expect(try await inside("journalctl -u tapisd --no-pager").stdout.lowercased().contains("watchdog timeout"), "systemd says why")
        #expect(try await inside("tapis jobs status \(uuid)").stdout.contains("FINISHED"), "the store came through")

        // A package upgrade restarts the daemon and leaves a running job running.
        try await inside("""
            rm -rf /var/tmp/upgrade && dpkg-deb -R /var/tmp/tapisd.deb /var/tmp/upgrade \
            && sed -i 's/^Version: .*/&+upgrade1/' /var/tmp/upgrade/DEBIAN/control && dpkg-deb -b /var/tmp/upgrade /var/tmp/tapisd-upgrade.deb > /dev/null
            """)
        let during = try await inside("""
            printf '{"name": "during-upgrade", "appId": "hello", "appVersion": "1", "parameterSet": {"envVariables": [{"key": "SLEEP_SECONDS", "value": "15"}]}}' \
            | runuser -u tapis-carol -- tapis jobs submit -
            """).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try await wait(during, for: "RUNNING")
        let beforeUpgrade = try await mainPid()
        let upgrade = try await inside("DEBIAN_FRONTEND=noninteractive apt-get install -y -q /var/tmp/tapisd-upgrade.deb")
        #expect(upgrade.status == 0, "\(upgrade.stdout)\(upgrade.stderr)")
        #expect(try await inside("dpkg-query -W -f='${Version}' tapisd").stdout.hasSuffix("+upgrade1"))
        #expect(try await mainPid() != beforeUpgrade, "the upgrade restarted the daemon")
        #expect(try await inside("systemctl is-active tapis-\(during).service").stdout == "active\n", "and left the job running")
        #expect(try await inside("tapis jobs wait \(during)").status == 0, "the job finished under the upgraded daemon")
        try await inside("rm -rf /var/tmp/upgrade /var/tmp/tapisd-upgrade.deb")

        // A job that fails (its archive is gone) logs an error: journald files it at priority 3.
        try await inside("printf '{\"id\": \"gone\", \"version\": \"1\", \"runtime\": \"ZIP\", \"containerImage\": \"/opt/hello/gone.tgz\", \"jobType\": \"FORK\", \"jobAttributes\": {\"execSystemId\": \"local\"}}' > /opt/hello/gone.json && tapis apps create /opt/hello/gone.json")
        let failing = try await inside("printf '{\"name\": \"gone\", \"appId\": \"gone\", \"appVersion\": \"1\"}' | tapis jobs submit -").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try await wait(failing, for: "FAILED")
        let entries = try await inside("journalctl -u tapisd -o json --no-pager --since @\(since)").stdout.split(whereSeparator: \.isNewline).compactMap { line in
            try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
        let messages = entries.compactMap { entry in (entry["MESSAGE"] as? String).map { ($0, entry["PRIORITY"] as? String ?? "") } }
        #expect(messages.contains { $0.0.contains("job failed") && $0.0.contains(failing) && $0.1 == "3" }, "the failure is an error entry naming the job")
        #expect(messages.contains { $0.0.contains("job status changed") && $0.0.contains(uuid) && $0.0.contains("job.owner=root") && $0.1 == "6" }, "status changes are info entries naming the job and its owner")
        #expect(!messages.contains { $0.0.hasPrefix("<") }, "journald took every priority prefix")
        #expect(!messages.contains { $0.0.contains("Failed to set thread priority") }, "the hardened unit leaves the runtime what it needs")
        let security = try await inside("systemd-analyze security tapisd.service --no-pager | tail -1").stdout
        print("systemd-analyze security: \(security.trimmingCharacters(in: .whitespacesAndNewlines)); install to first job: \(String(format: "%.1f", firstJob)) s")
        let exposure = security.split(separator: " ").compactMap { Double($0) }.first
        #expect(exposure.map { $0 <= 4.5 } == true, "the unit's exposure is at most 4.5: \(security)")
        try await inside("rm -rf /etc/systemd/system/tapisd.service.d && systemctl daemon-reload")
    }
}
