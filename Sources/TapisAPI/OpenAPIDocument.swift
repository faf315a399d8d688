import Foundation
import TapisCore

/// The OpenAPI 3 document of tapisd's own API, served at `/v3/tapisd/openapi.json`, built once from
/// `OpenAPIOperation.all`. A test checks that it names every route the router serves, and nothing else.
public enum OpenAPIDocument {
    /// The document as JSON text (keys sorted).
    public static let json: String = {
        let data = try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data ?? Data("{}".utf8), as: UTF8.self)
    }()

    private static var document: [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for operation in OpenAPIOperation.all { paths[operation.path, default: [:]][operation.method] = describe(operation) }
        return [
            "openapi": "3.0.3",
            "info": [
                "title": "tapisd", "version": "0.1.0",
                "description": "The Tapis v3 Jobs API (and the Systems and Apps calls tapipy uses) as tapisd serves it. The Unix socket identifies callers by SO_PEERCRED; the TCP listener needs X-Tapis-Token.",
            ],
            "paths": paths,
            "components": ["securitySchemes": ["TapisJWT": ["type": "apiKey", "in": "header", "name": "X-Tapis-Token"]], "schemas": schemas],
        ]
    }

    private static func describe(_ operation: OpenAPIOperation) -> [String: Any] {
        let pathParameters = operation.pathParameters.map { parameter($0, in: "path", type: "string", description: pathDescriptions[$0] ?? "") }
        let queryParameters = operation.query.map { parameter($0.name, in: "query", type: $0.type, description: $0.description) }
        var described: [String: Any] = [
            "operationId": operation.id, "summary": operation.summary,
            "parameters": pathParameters + queryParameters + [parameter("pretty", in: "query", type: "boolean", description: "Indent the JSON.")],
            "responses": responses(operation.result),
            "security": operation.open ? [] : [["TapisJWT": [String]()]],
        ]
        if let body = operation.body {
            described["requestBody"] = ["required": true, "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(body)"]]]]
        }
        return described
    }

    private static let pathDescriptions = ["uuid": "The job's UUID.", "path": "A path below the output root."]

    private static func parameter(_ name: String, in location: String, type: String, description: String) -> [String: Any] {
        ["name": name, "in": location, "required": location == "path", "description": description, "schema": ["type": type]]
    }

    private static func responses(_ result: OpenAPIOperation.Result) -> [String: Any] {
        if result == .eventStream {
            return ["200": ["description": "Server-sent events: id (the event's place in the log) and data (the Tapis event JSON, with its type).",
                            "content": ["text/event-stream": ["schema": ["type": "string"]]]]]
        }
        if result == .bytes {
            return ["200": ["description": "The bytes (application/octet-stream, or application/zip).",
                            "content": ["application/octet-stream": ["schema": ["type": "string", "format": "binary"]]]]]
        }
        return [
            "200": ["description": "Success envelope.", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(result.rawValue)Envelope"]]]],
            "default": ["description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503).",
                        "content": ["application/json": ["schema": ["$ref": "#/components/schemas/ErrorEnvelope"]]]],
        ]
    }

    private static var schemas: [String: Any] {
        let object: [String: Any] = ["type": "object", "additionalProperties": true]
        let list: [String: Any] = ["type": "array", "items": object]
        var schemas: [String: Any] = [
            "ListMetadata": ["type": "object", "properties": [
                "recordCount": ["type": "integer"], "recordLimit": ["type": "integer"], "recordsSkipped": ["type": "integer"],
                "orderBy": ["type": "string"], "startAfter": ["type": "string"], "totalCount": ["type": "integer"],
            ]],
            "ErrorEnvelope": ["type": "object", "required": ["status", "message"], "properties": [
                "status": ["type": "string", "enum": ["error"]], "message": ["type": "string"], "version": ["type": "string"],
            ]],
            "SubmitRequest": ["type": "object", "required": ["name", "appId", "appVersion"], "additionalProperties": true, "properties": [
                "name": ["type": "string"], "appId": ["type": "string"], "appVersion": ["type": "string"],
            ]],
            "SearchRequest": ["type": "object", "required": ["search"], "properties": ["search": ["type": "array", "items": ["type": "string"]]]],
            "UserEvent": ["type": "object", "required": ["eventData"], "properties": [
                "eventData": ["type": "string", "maxLength": 16384], "eventDetail": ["type": "string", "maxLength": 64],
            ]],
            "Annotations": ["type": "object", "properties": ["tags": ["type": "array", "items": ["type": "string"]], "notes": object]],
            "Definition": object,
            "JobShare": ["type": "object", "required": ["grantee", "jobResource", "jobPermission"], "additionalProperties": false, "properties": [
                "grantee": ["type": "string", "maxLength": 64], "jobPermission": ["type": "string", "enum": ["READ"]],
                "jobResource": ["type": "array", "uniqueItems": true, "items": ["type": "string", "enum": JobShareResource.allCases.map(\.rawValue)]],
            ]],
            "ShareUpdate": ["type": "object", "required": ["users"], "properties": ["users": ["type": "array", "minItems": 1, "items": ["type": "string"]]]],
            "Permissions": ["type": "object", "required": ["permissions"], "properties": ["permissions": ["type": "array", "minItems": 1, "items": ["type": "string"]]]],
            "Credential": ["type": "object", "properties": [
                "loginUser": ["type": "string"], "privateKey": ["type": "string"], "publicKey": ["type": "string"],
                "password": ["type": "string"], "passphrase": ["type": "string"],
            ]],
            "Subscription": ["type": "object", "required": ["eventCategoryFilter", "deliveryTargets"], "additionalProperties": false, "properties": [
                "description": ["type": "string", "maxLength": 2048], "enabled": ["type": "boolean"],
                "ttlMinutes": ["type": "integer", "minimum": 0], "ttlminutes": ["type": "integer", "minimum": 0],
                "eventCategoryFilter": ["type": "string", "enum": JobEventCategory.allCases.map(\.rawValue)],
                "deliveryTargets": ["type": "array", "minItems": 1, "maxItems": JobSubscriptionRequest.maxTargets, "items": [
                    "type": "object", "required": ["deliveryMethod", "deliveryAddress"], "additionalProperties": false, "properties": [
                        "deliveryMethod": ["type": "string", "enum": DeliveryTarget.Method.allCases.map(\.rawValue)],
                        "deliveryAddress": ["type": "string", "minLength": 1, "maxLength": 2048],
                    ],
                ]],
            ]],
            "NewToken": ["type": "object", "required": ["grant_type"], "properties": [
                "grant_type": ["type": "string", "enum": ["password", "refresh_token"]], "username": ["type": "string"], "password": ["type": "string"],
                "refresh_token": ["type": "string"], "client_id": ["type": "string"], "client_key": ["type": "string"],
            ]],
            "NewClient": ["type": "object", "required": ["client_id"], "properties": ["client_id": ["type": "string"], "description": ["type": "string"]]],
        ]
        let results: [(OpenAPIOperation.Result, [String: Any])] = [
            (.job, object), (.jobs, list), (.events, list), (.files, list), (.object, object), (.objects, list),
        ]
        for (result, shape) in results {
            schemas[result.rawValue + "Envelope"] = ["type": "object", "required": ["status", "message", "version"], "properties": [
                "status": ["type": "string", "enum": ["success"]], "message": ["type": "string"], "result": shape,
                "version": ["type": "string"], "metadata": ["$ref": "#/components/schemas/ListMetadata"],
            ]]
        }
        return schemas
    }
}
