import Foundation
import TapisCore

/// A job's page: its status and what it means, its actions, the history as a timeline, what ran,
/// its tags and notes, and the tail of its output.
struct JobView {
    let job: Job
    let history: [JobEvent]
    let log: String?
    let frame: WebPage.Frame
    /// The newest event id when the history was read: the live stream resumes after it, so it
    /// sends only what the page does not show yet.
    let eventsSeen: Int64
    /// Whether the viewer may act on the job (its owner or an administrator), not only read a share of it.
    let mayAct: Bool

    func render() -> HTML {
        let base = "/jobs/\(WebPage.encoded(job.uuid.rawValue))"
        return """
            <h1>\(job.name)</h1>
            <section id="live" aria-live="polite" data-events="\(base)/events?since=\(String(eventsSeen))" data-ended="\(job.status.isTerminal ? "true" : "false")">
            <p class="headline"><span id="status" class="status \(job.status.rawValue.lowercased())">\(job.status.rawValue)</span>\(condition)</p>
            <p id="reading" class="reading">\(reading)</p></section>
            \(mayAct ? actions(base) : "<p class=\"hint\">Shared with you by \(job.owner): you may read it.</p>")
            <section aria-labelledby="facts"><h2 id="facts">The job</h2>\(facts)</section>
            <section aria-labelledby="ran"><h2 id="ran">What ran</h2>\(ran)</section>
            <section aria-labelledby="history-title"><h2 id="history-title">History</h2><ol id="history" class="timeline">\(timeline)</ol></section>
            <section aria-labelledby="log-title" id="log-section" data-tail="\(base)/tail"><h2 id="log-title">Output (\(job.parameterSet.logConfig.stdoutFilename))</h2>\(logBlock)</section>
            \(mayAct ? annotations(base) : "")
            """
    }

    private var condition: HTML { job.condition.map { " <span class=\"condition\">\($0.rawValue)</span>" } ?? "" }

    /// `lastMessage`, with what the status means to the person reading.
    private var reading: HTML {
        let message = job.lastMessage ?? ""
        switch job.status {
        case .blocked: return "Waiting, not failed: \(message)"
        case .failed:
            let why =
                switch job.condition {
                case .remoteOutcomeError?: "The app ended with an error (exit code \(job.remoteResultInfo ?? "unknown")). "
                case .unableToStageInputs?: "Its inputs could not be staged. "
                default: ""
                }
            return "\(why)\(message)"
        case .cancelled: return "Cancelled. \(message)"
        default: return "\(message)"
        }
    }

    private func actions(_ base: String) -> HTML {
        func button(_ action: String, _ label: String) -> HTML {
            "<form method=\"post\" action=\"\(base)/\(action)\" class=\"inline\">\(WebPage.csrfField(frame))<button type=\"submit\" name=\"do\" value=\"\(action)\">\(label)</button></form>"
        }
        var buttons: [HTML] = []
        if !job.status.isTerminal { buttons.append(button("cancel", "Cancel the job")) }
        buttons.append(button("resubmit", "Resubmit"))
        if job.status.isTerminal { buttons.append(job.visible ? button("hide", "Hide from the list") : button("unhide", "Show in the list again")) }
        buttons.append("<a href=\"\(base)/outputs\">Browse outputs</a>")
        return "<div class=\"actions\">\(buttons)</div>"
    }

    private var facts: HTML {
        func row(_ label: String, _ value: String?) -> HTML {
            guard let value, !value.isEmpty else { return "" }
            return "<tr><th scope=\"row\">\(label)</th><td>\(value)</td></tr>"
        }
        let runTime = job.remoteStarted.map { WebPage.duration((job.ended ?? Date()).timeIntervalSince($0)) }
        let rows: [HTML] = [
            row("UUID", job.uuid.rawValue), row("Owner", job.owner), row("App", "\(job.appId) \(job.appVersion) (\(job.jobType.rawValue))"),
            row("Exec system", job.execSystemId), row("Queue", job.execSystemLogicalQueue.map { "\($0) (\(job.remoteQueue ?? ""))" }),
            row("Resources", "\(job.nodeCount) node(s) × \(job.coresPerNode) core(s), \(job.memoryMB) MB, at most \(job.maxMinutes) min"),
            row("Remote job id", job.remoteJobId), row("Outcome", job.remoteOutcome?.rawValue), row("Exit code", job.remoteResultInfo),
            row("Created", WebPage.date(job.created)), row("Started", WebPage.date(job.remoteStarted)), row("Ended", WebPage.date(job.ended)),
            row("Run time", runTime), row("Exec dir", job.execSystemExecDir), row("Input dir", job.execSystemInputDir),
            row("Output dir", job.execSystemOutputDir), row("Archive", "\(job.archiveSystemId):\(job.archiveSystemDir)"),
            row("Hidden", job.visible ? nil : "yes"),
        ]
        return "<table class=\"facts\">\(rows)</table>"
    }

    private var ran: HTML {
        let arguments = job.parameterSet.appArgs.map(\.arg)
        let args: HTML = arguments.isEmpty ? "<p>No arguments.</p>" : "<ol class=\"args\">\(arguments.map { "<li><code>\($0)</code></li>" as HTML })</ol>"
        let environment = job.parameterSet.envVariables.filter { !$0.key.hasPrefix("_tapis") }
        let env: HTML =
            environment.isEmpty ? "" : "<h3>Environment</h3><table class=\"env\">\(environment.map { "<tr><th scope=\"row\"><code>\($0.key)</code></th><td><code>\($0.value ?? "")</code></td></tr>" as HTML })</table>"
        let inputs: HTML =
            job.fileInputs.isEmpty
            ? "" : "<h3>Inputs</h3><table class=\"inputs\">\(job.fileInputs.map { "<tr><th scope=\"row\">\($0.name ?? "input")</th><td><code>\($0.sourceUrl)</code> → <code>\($0.targetPath)</code></td></tr>" as HTML })</table>"
        return "<h3>Arguments</h3>\(args)\(env)\(inputs)"
    }

    /// The history, each status with how long it lasted.
    private var timeline: HTML {
        let statuses = history.filter { $0.event == "JOB_NEW_STATUS" }
        return HTML(joining: history.map { event in
            var lasted: HTML = ""
            if event.event == "JOB_NEW_STATUS", let index = statuses.firstIndex(of: event) {
                let end = index + 1 < statuses.count ? statuses[index + 1].created : job.ended == nil ? Date() : nil
                if let end { lasted = " <span class=\"lasted\">\(WebPage.duration(end.timeIntervalSince(event.created)))</span>" }
            }
            return "<li><time>\(WebPage.date(event.created))</time> <strong>\(event.eventDetail)</strong>\(lasted)<br><span class=\"description\">\(event.description)</span></li>"
        })
    }

    private var logBlock: HTML {
        guard let log, !log.isEmpty else { return "<pre class=\"log\" id=\"log\" hidden></pre><p class=\"empty\" id=\"no-log\">No output yet.</p>" }
        return "<pre class=\"log\" id=\"log\">\(log)</pre>"
    }

    private func annotations(_ base: String) -> HTML {
        let notes: String =
            job.notes.flatMap { try? TapisJSON.encoder(pretty: true).encode($0) }.map { String(decoding: $0, as: UTF8.self) } ?? ""
        return """
            <section aria-labelledby="notes-title"><h2 id="notes-title">Tags and notes</h2>
            <form method="post" action="\(base)/annotations" class="annotations">\(WebPage.csrfField(frame))
            \(AnnotationFields.render(tags: job.tags.joined(separator: "\n"), notes: notes, notesRows: 5))
            <button type="submit">Save tags and notes</button></form></section>
            """
    }
}
