import Foundation
import TapisAPI
import TapisCore

/// An app's launch form, made from its definition: file inputs and input arrays (with the app's
/// sources and modes), arguments, scheduler options, environment, queue, resources, name, tags
/// and notes. The form's values become a Tapis submit request; the submit's refusal is shown next
/// to the field it names.
struct LaunchForm {
    let app: TapisApp
    let frame: WebPage.Frame
    let queues: [String]
    /// What was posted (a form shown again after a refusal keeps it).
    var values: FormFields?
    var error: String?

    /// A list of app arguments the form offers: the app's own or its scheduler options.
    struct ArgumentList {
        let prefix: String
        let legend: String
        /// The request field, as refusals name it.
        let field: String
        let specs: [AppArgSpec]
    }

    private var attributes: TapisApp.JobAttributes { app.jobAttributes ?? TapisApp.JobAttributes() }
    private var inputs: [AppFileInput] { attributes.fileInputs ?? [] }
    private var inputArrays: [AppFileInputArray] { attributes.fileInputArrays ?? [] }
    private var environment: [KeyValuePair] { attributes.parameterSet?.envVariables ?? [] }
    private var isBatch: Bool { (app.jobType ?? "FORK").uppercased() == "BATCH" }
    private var appArguments: ArgumentList {
        ArgumentList(prefix: "arg", legend: "Arguments", field: "parameterSet.appArgs", specs: attributes.parameterSet?.appArgs ?? [])
    }
    private var schedulerOptions: ArgumentList {
        ArgumentList(
            prefix: "sched", legend: "Scheduler options", field: "parameterSet.schedulerOptions",
            specs: isBatch ? attributes.parameterSet?.schedulerOptions ?? [] : [])
    }
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
            \(AnnotationFields.render(tags: value("tags", nil), notes: value("notes", nil), notesRows: 3, errors: note))
            </fieldset>
            \(inputsSection)\(arraysSection)\(argumentsSection(appArguments))\(argumentsSection(schedulerOptions))\(environmentSection)\(resourcesSection)
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

    private var arraysSection: HTML {
        guard !inputArrays.isEmpty else { return "" }
        let fields = HTML(joining: inputArrays.enumerated().map { index, array in
            let mode = (array.inputMode ?? "OPTIONAL").uppercased()
            let id = "array-\(index)"
            let fixed: HTML = mode == "FIXED" ? " readonly" : ""
            return """
                <label for="\(id)">\(array.name ?? "input array \(index + 1)") <span class="mode">\(mode.lowercased())</span> (one source a line)</label>
                <textarea id="\(id)" name="\(id)" rows="3"\(fixed)>\(value(id, array.sourceUrls?.joined(separator: "\n")))</textarea>
                <p class="hint">\(array.description ?? "")</p>
                """
        })
        return "<fieldset><legend>Input arrays</legend>\(fields)\(note("fileInputArrays"))</fieldset>"
    }

    /// Whether the form includes an optional argument: as posted, else as the app's mode says.
    private func includes(_ list: ArgumentList, _ index: Int, mode: String) -> Bool {
        guard let values else { return mode == "INCLUDE_BY_DEFAULT" }
        return values["\(list.prefix)-\(index)-include"] == "1"
    }

    private static func isOptional(_ mode: String) -> Bool { mode == "INCLUDE_ON_DEMAND" || mode == "INCLUDE_BY_DEFAULT" }

    private func argumentsSection(_ list: ArgumentList) -> HTML {
        let extra: HTML =
            list.prefix == "sched" && isBatch
            ? """
            <label for="sched-extra">More scheduler options (one a line, such as <code>--account=proj</code>)</label>
            <textarea id="sched-extra" name="sched-extra" rows="2">\(value("sched-extra", nil))</textarea>
            """ : ""
        guard !list.specs.isEmpty || extra != "" else { return "" }
        let fields = HTML(joining: list.specs.enumerated().map { index, argument in
            let mode = (argument.inputMode ?? ArgumentMerge.defaultInputMode).uppercased()
            let id = "\(list.prefix)-\(index)"
            let fixed: HTML = mode == "FIXED" ? " readonly" : ""
            let include: HTML =
                Self.isOptional(mode)
                ? "<label class=\"check\"><input type=\"checkbox\" name=\"\(id)-include\" value=\"1\"\(includes(list, index, mode: mode) ? " checked" : "")> Include</label>"
                : ""
            return """
                <label for="\(id)">\(argument.name ?? "argument \(index + 1)") <span class="mode">\(mode.lowercased())</span></label>
                <input id="\(id)" name="\(id)" value="\(value(id, argument.arg))"\(fixed)>\(include)<p class="hint">\(argument.description ?? "")</p>
                """
        })
        return "<fieldset><legend>\(list.legend)</legend>\(fields)\(extra)\(note(list.field))</fieldset>"
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
        let chosen = value("queue", attributes.execSystemLogicalQueue)
        let queue: HTML =
            queues.isEmpty
            ? ""
            : """
            <label for="queue">Queue</label><select id="queue" name="queue"><option value="">The system's default</option>\(queues.map { "<option\(chosen == $0 ? " selected" : "")>\($0)</option>" as HTML })</select>\(note("execSystemLogicalQueue"))
            """
        return """
            <fieldset><legend>Resources</legend>\(queue)
            \(number("nodeCount", "Nodes", attributes.nodeCount))\(number("coresPerNode", "Cores per node", attributes.coresPerNode))
            \(number("memoryMB", "Memory (MB)", attributes.memoryMB))\(number("maxMinutes", "Time limit (minutes)", attributes.maxMinutes))</fieldset>
            """
    }

    /// The request's arguments for one list: each optional one with whether it is included, others
    /// when changed from the app's value.
    private func requested(_ list: ArgumentList) -> [JSONValue] {
        var requested: [JSONValue] = []
        for (index, argument) in list.specs.enumerated() {
            let mode = (argument.inputMode ?? ArgumentMerge.defaultInputMode).uppercased()
            guard mode != "FIXED" else { continue }
            let text = value("\(list.prefix)-\(index)", argument.arg)
            if Self.isOptional(mode) {
                requested.append(.object(["name": .string(argument.name ?? ""), "arg": .string(text), "include": .bool(includes(list, index, mode: mode))]))
            } else if text != (argument.arg ?? "") {
                requested.append(.object(["name": .string(argument.name ?? ""), "arg": .string(text)]))
            }
        }
        return requested
    }

    /// The Tapis submit request the posted form says.
    /// - Throws: `TapisError.badRequest` naming a field the form itself cannot turn into a request.
    func request() throws -> Data {
        var body: [String: JSONValue] = ["name": .string(value("name", app.id)), "appId": .string(app.id), "appVersion": .string(app.version)]
        let tags = AnnotationFields.lines(value("tags", nil))
        if !tags.isEmpty { body["tags"] = .array(tags.map(JSONValue.string)) }
        if let notes = try AnnotationFields.notes(value("notes", nil)) { body["notes"] = .object(notes) }
        var fileInputs: [JSONValue] = []
        for (index, input) in inputs.enumerated() where (input.inputMode ?? "").uppercased() != "FIXED" {
            let url = value("input-\(index)", input.sourceUrl).trimmingCharacters(in: .whitespaces)
            if !url.isEmpty, url != input.sourceUrl { fileInputs.append(.object(["name": .string(input.name ?? ""), "sourceUrl": .string(url)])) }
        }
        if !fileInputs.isEmpty { body["fileInputs"] = .array(fileInputs) }
        var arrays: [JSONValue] = []
        for (index, array) in inputArrays.enumerated() where (array.inputMode ?? "").uppercased() != "FIXED" {
            let sources = AnnotationFields.lines(value("array-\(index)", array.sourceUrls?.joined(separator: "\n")))
            if sources != (array.sourceUrls ?? []) { arrays.append(.object(["name": .string(array.name ?? ""), "sourceUrls": .array(sources.map(JSONValue.string))])) }
        }
        if !arrays.isEmpty { body["fileInputArrays"] = .array(arrays) }
        var parameterSet: [String: JSONValue] = [:]
        let appArgs = requested(appArguments)
        if !appArgs.isEmpty { parameterSet["appArgs"] = .array(appArgs) }
        let options = requested(schedulerOptions) + AnnotationFields.lines(value("sched-extra", nil)).map { .object(["arg": .string($0)]) }
        if !options.isEmpty { parameterSet["schedulerOptions"] = .array(options) }
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
