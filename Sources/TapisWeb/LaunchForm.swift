import Foundation
import TapisAPI
import TapisCore

/// An app's launch form, made from its definition: file inputs (with the app's sources and
/// modes), arguments, environment, queue, resources, name, tags and notes. The form's values
/// become a Tapis submit request; the submit's refusal is shown next to the field it names.
struct LaunchForm {
    let app: TapisApp
    let frame: WebPage.Frame
    let queues: [String]
    /// What was posted (a form shown again after a refusal keeps it).
    var values: FormFields?
    var error: String?

    private var attributes: TapisApp.JobAttributes { app.jobAttributes ?? TapisApp.JobAttributes() }
    private var inputs: [AppFileInput] { attributes.fileInputs ?? [] }
    private var arguments: [AppArgSpec] { attributes.parameterSet?.appArgs ?? [] }
    private var environment: [KeyValuePair] { attributes.parameterSet?.envVariables ?? [] }
    static let extraVariables = 3

    private func value(_ name: String, _ fallback: String?) -> String { values?[name] ?? fallback ?? "" }

    /// The field a refusal names (`nodeCount: …`), if the form has one.
    private var errorField: String? { error.flatMap { $0.split(separator: ":", maxSplits: 1).first.map(String.init) } }

    private func note(_ field: String) -> HTML {
        guard let error, let named = errorField, named == field || named.hasPrefix(field + ".") || named.hasPrefix(field + "[") else { return "" }
        return "<p class=\"field-error\" role=\"alert\" id=\"error-\(field)\">\(error)</p>"
    }

    func render() -> HTML {
        let banner: HTML = error.map { "<p class=\"error\" role=\"alert\" id=\"launch-error\">The job was not submitted: \($0)</p>" } ?? ""
        let base = "/apps/\(WebPage.encoded(app.id))/\(WebPage.encoded(app.version))"
        return """
            <h1>Launch \(app.id) \(app.version)</h1><p>\(app.description ?? "")</p>\(banner)
            <form method="post" action="\(base)" class="launch">\(WebPage.csrfField(frame))
            <fieldset><legend>The job</legend>
            <label for="name">Name</label><input id="name" name="name" required maxlength="64" value="\(value("name", app.id))">\(note("name"))
            <label for="tags">Tags (comma separated)</label><input id="tags" name="tags" value="\(value("tags", nil))">\(note("tags"))
            <label for="notes">Notes (a JSON object)</label><textarea id="notes" name="notes" rows="3">\(value("notes", nil))</textarea>\(note("notes"))
            </fieldset>
            \(inputsSection)\(argumentsSection)\(environmentSection)\(resourcesSection)
            <button type="submit">Submit the job</button></form>
            """
    }

    private var inputsSection: HTML {
        guard !inputs.isEmpty else { return "" }
        let fields = HTML(joining: inputs.enumerated().map { index, input in
            let mode = (input.inputMode ?? "OPTIONAL").uppercased()
            let id = "input-\(index)"
            let fixed: HTML = mode == "FIXED" ? " readonly" : ""
            let required: HTML = mode == "REQUIRED" ? " required" : ""
            return """
                <label for="\(id)">\(input.name ?? "input \(index + 1)") <span class="mode">\(mode.lowercased())</span></label>
                <input id="\(id)" name="\(id)" value="\(value(id, input.sourceUrl))"\(fixed)\(required) placeholder="tapis://system/path or https://…">
                <p class="hint">\(input.description ?? "")</p>
                """
        })
        return "<fieldset><legend>Inputs</legend>\(fields)\(note("fileInputs"))</fieldset>"
    }

    private var argumentsSection: HTML {
        guard !arguments.isEmpty else { return "" }
        let fields = HTML(joining: arguments.enumerated().map { index, argument in
            let mode = (argument.inputMode ?? "INCLUDE_ON_DEMAND").uppercased()
            let id = "arg-\(index)"
            let fixed: HTML = mode == "FIXED" ? " readonly" : ""
            return """
                <label for="\(id)">\(argument.name ?? "argument \(index + 1)") <span class="mode">\(mode.lowercased())</span></label>
                <input id="\(id)" name="\(id)" value="\(value(id, argument.arg))"\(fixed)><p class="hint">\(argument.description ?? "")</p>
                """
        })
        return "<fieldset><legend>Arguments</legend>\(fields)\(note("parameterSet.appArgs"))</fieldset>"
    }

    private var environmentSection: HTML {
        let known = HTML(joining: environment.enumerated().map { index, variable in
            let id = "env-\(index)"
            let fixed: HTML = (variable.inputMode ?? "").uppercased() == "FIXED" ? " readonly" : ""
            return "<label for=\"\(id)\"><code>\(variable.key)</code></label><input id=\"\(id)\" name=\"\(id)\" value=\"\(value(id, variable.value))\"\(fixed)>"
        })
        let extra = HTML(joining: (0..<Self.extraVariables).map { index in
            """
            <div class="pair"><label for="extra-key-\(index)">Variable</label><input id="extra-key-\(index)" name="extra-key-\(index)" value="\(value("extra-key-\(index)", nil))">
            <label for="extra-value-\(index)">Value</label><input id="extra-value-\(index)" name="extra-value-\(index)" value="\(value("extra-value-\(index)", nil))"></div>
            """
        })
        return "<fieldset><legend>Environment</legend>\(known)\(extra)\(note("parameterSet.envVariables"))</fieldset>"
    }

    private var resourcesSection: HTML {
        func number(_ field: String, _ label: String, _ fallback: Int?) -> HTML {
            """
            <label for="\(field)">\(label)</label><input id="\(field)" name="\(field)" inputmode="numeric" pattern="[0-9]*" value="\(value(field, fallback.map(String.init)))">\(note(field))
            """
        }
        let queue: HTML =
            queues.isEmpty
            ? ""
            : """
            <label for="queue">Queue</label><select id="queue" name="queue"><option value="">The system's default</option>\(queues.map { "<option\(value("queue", nil) == $0 ? " selected" : "")>\($0)</option>" as HTML })</select>\(note("execSystemLogicalQueue"))
            """
        return """
            <fieldset><legend>Resources</legend>\(queue)
            \(number("nodeCount", "Nodes", attributes.nodeCount))\(number("coresPerNode", "Cores per node", attributes.coresPerNode))
            \(number("memoryMB", "Memory (MB)", attributes.memoryMB))\(number("maxMinutes", "Time limit (minutes)", attributes.maxMinutes))</fieldset>
            """
    }

    /// The Tapis submit request the posted form says.
    /// - Throws: `TapisError.badRequest` naming a field the form itself cannot turn into a request.
    func request() throws -> Data {
        var body: [String: JSONValue] = ["name": .string(value("name", app.id)), "appId": .string(app.id), "appVersion": .string(app.version)]
        let tags = value("tags", nil).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if !tags.isEmpty { body["tags"] = .array(tags.map(JSONValue.string)) }
        let notes = value("notes", nil).trimmingCharacters(in: .whitespacesAndNewlines)
        if !notes.isEmpty {
            guard case .object = try TapisJSON.decode(JSONValue.self, from: Data(notes.utf8)) else {
                throw TapisError.invalid("notes", "must be a JSON object, such as {\"project\": \"x\"}")
            }
            body["notes"] = try TapisJSON.decode(JSONValue.self, from: Data(notes.utf8))
        }
        var fileInputs: [JSONValue] = []
        for (index, input) in inputs.enumerated() where (input.inputMode ?? "").uppercased() != "FIXED" {
            let url = value("input-\(index)", input.sourceUrl).trimmingCharacters(in: .whitespaces)
            if !url.isEmpty, url != input.sourceUrl { fileInputs.append(.object(["name": .string(input.name ?? ""), "sourceUrl": .string(url)])) }
        }
        if !fileInputs.isEmpty { body["fileInputs"] = .array(fileInputs) }
        var parameterSet: [String: JSONValue] = [:]
        var appArgs: [JSONValue] = []
        for (index, argument) in arguments.enumerated() where (argument.inputMode ?? "").uppercased() != "FIXED" {
            let text = value("arg-\(index)", argument.arg)
            if text != (argument.arg ?? "") || (argument.inputMode ?? "").uppercased() == "INCLUDE_ON_DEMAND" && !text.isEmpty {
                appArgs.append(.object(["name": .string(argument.name ?? ""), "arg": .string(text)]))
            }
        }
        if !appArgs.isEmpty { parameterSet["appArgs"] = .array(appArgs) }
        var variables: [JSONValue] = []
        for (index, variable) in environment.enumerated() where (variable.inputMode ?? "").uppercased() != "FIXED" {
            let text = value("env-\(index)", variable.value)
            if text != (variable.value ?? "") { variables.append(.object(["key": .string(variable.key), "value": .string(text)])) }
        }
        for index in 0..<Self.extraVariables {
            let key = value("extra-key-\(index)", nil).trimmingCharacters(in: .whitespaces)
            if !key.isEmpty { variables.append(.object(["key": .string(key), "value": .string(value("extra-value-\(index)", nil))])) }
        }
        if !variables.isEmpty { parameterSet["envVariables"] = .array(variables) }
        if !parameterSet.isEmpty { body["parameterSet"] = .object(parameterSet) }
        let queue = value("queue", nil)
        if !queue.isEmpty { body["execSystemLogicalQueue"] = .string(queue) }
        for field in ["nodeCount", "coresPerNode", "memoryMB", "maxMinutes"] {
            let text = value(field, nil).trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            guard let number = Int(text) else { throw TapisError.invalid(field, "\(text.prefix(20).debugDescription) is not a whole number") }
            body[field] = .number(Double(number))
        }
        return try TapisJSON.encoder().encode(JSONValue.object(body))
    }
}
