import Foundation
import Hummingbird
import Logging
import TapisAPI
import TapisCore
import TapisEngine
import TapisScheduling
import TapisStore
import TapisTestSupport
import TapisNotify
import TapisTransport
import Testing

/// The served OpenAPI document against the router itself.
@Suite struct OpenAPIDocumentTests {
    /// The real API services over a throwaway store.
    static func services(_ directory: TemporaryDirectory) throws -> APIServices {
        let store = try JobStore(path: directory.file("tapisd.sqlite"))
        let catalog = DefinitionCatalog(store: store, systems: [], apps: [])
        let context = EngineContext(
            tenant: "tapisd", schedulers: SchedulerRegistry(), transports: TransportFactory { _, login in try LocalTransport(login: login) },
            pollInterval: .seconds(1), leaseDuration: .seconds(30), maxConcurrentJobs: 1, workerId: "test", stagingDirectory: directory.file("staging"),
            logger: Logger(label: "test"))
        let tokens = try TokenAuthority(store: store, keyPath: directory.file("key"), tenant: "tapisd")
        let clients = OAuthClients(store: store)
        return APIServices(
            store: store, catalog: catalog, submitter: JobSubmitter(store: store, catalog: catalog, context: context),
            outputs: JobOutputs(catalog: catalog, context: context), users: UserDirectory(adminGroup: nil), schedulerMetrics: SchedulerMetrics(),
            tokens: tokens, logins: LoginService(passwords: PasswordCheck(), tokens: tokens, clients: clients, rules: .init(), logger: Logger(label: "test")),
            clients: clients, tenancy: TenantSettings(tenant: "tapisd"), deliveryPolicy: DeliveryPolicy(),
            signing: try WebhookSigning(keyPath: directory.file("webhook.key"), store: store),
            credentials: SystemCredentials(
                catalog: catalog, transports: context.transports, vault: CredentialVault(store: store, keyPath: directory.file("credential.key"))))
    }

    /// `GET /v3/jobs/{uuid}` for the router's `GET /v3/jobs/:uuid`; `**` is the document's `{path}`.
    static func openAPIPath(_ routerPath: String) -> String {
        "/" + routerPath.split(separator: "/").map { segment in
            segment == "**" ? "{path}" : segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }.joined(separator: "/")
    }

    @Test func theDocumentNamesEveryRouteAndNoOther() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for identification in [CallerIdentification.peerCredentials, .token] {
            let router = buildRouter(try Self.services(directory), identification: identification)
            let served = Set(router.routes.map { "\($0.method.rawValue.uppercased()) \(Self.openAPIPath($0.path.description))" })
            let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let described = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
            #expect(served.subtracting(described).isEmpty, "served but not described: \(served.subtracting(described).sorted())")
            #expect(described.subtracting(served).isEmpty, "described but not served: \(described.subtracting(served).sorted())")
            #expect(served.count >= 50)
        }
    }

    @Test func everyOperationHasAUniqueIdAndItsPathParameters() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
        var ids: [String] = []
        for (path, operations) in paths {
            let placeholders = Set(path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
            for (method, operation) in operations {
                ids.append(try #require(operation["operationId"] as? String))
                let parameters = (operation["parameters"] as? [[String: Any]] ?? []).filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String }
                #expect(Set(parameters) == placeholders, "\(method) \(path)")
            }
        }
        #expect(Set(ids).count == ids.count, "operationIds are unique")
    }
}
