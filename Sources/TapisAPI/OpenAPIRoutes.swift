import Hummingbird
import NIOCore

/// `/v3/tapisd/openapi.json`: the OpenAPI document of this API (no token needed).
struct OpenAPIRoutes: Sendable {
    func register(on router: Router<TapisRequestContext>) {
        router.get("v3/tapisd/openapi.json", use: document)
    }

    @Sendable func document(_ request: Request, context: TapisRequestContext) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
    }
}
