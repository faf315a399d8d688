import Foundation
import Hummingbird
import Logging
import TapisCore
import TapisEngine

/// `/v3/oauth2/clients`: the OAuth clients administrators register (`tapis clients …`); the
/// registration's answer is the only time a client's key is shown.
struct ClientRoutes: Sendable {
    let services: APIServices

    /// A registration is an id and a description.
    static let maximumBody = 16 * 1024

    func register(on router: Router<TapisRequestContext>) {
        router.post("v3/oauth2/clients", use: create)
        router.get("v3/oauth2/clients", use: list)
        router.delete("v3/oauth2/clients/:client_id", use: delete)
    }

    struct NewClient: Decodable {
        var client_id: String?
        var description: String?
    }

    /// A registered client, with its key once.
    struct Registered: Encodable, Sendable {
        var client_id: String
        var client_key: String
        var description: String
        var owner: String
        var create_time: Date
    }

    @Sendable func create(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let bytes = try await request.body.collect(upTo: Self.maximumBody)
        let body = try TapisJSON.decode(NewClient.self, from: Data(bytes.readableBytesView))
        let (client, secret) = try await services.clients.register(body.client_id ?? "", description: body.description ?? "", by: caller)
        Audit.record(context.logger, "OAuth client registered", kind: "client", user: caller.name, ["client.id": "\(client.clientId)"])
        let answer = Registered(client_id: client.clientId, client_key: secret, description: client.description, owner: client.createdBy, create_time: client.created)
        return try TapisResponse.success(answer, message: "Client \(client.clientId) created; its key is shown only now.", status: .created, request: request)
    }

    @Sendable func list(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let clients = try await services.clients.list(by: try context.requireCaller())
        return try TapisResponse.success(clients, message: "\(clients.count) client(s).", request: request)
    }

    @Sendable func delete(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id = try context.parameters.require("client_id")
        try await services.clients.delete(id, by: caller)
        Audit.record(context.logger, "OAuth client deleted", kind: "client", user: caller.name, ["client.id": "\(id)"])
        return try TapisResponse.success(NoResult(), message: "Client \(id) deleted; its refresh tokens no longer work.", request: request)
    }
}
