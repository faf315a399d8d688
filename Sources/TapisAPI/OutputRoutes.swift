import Foundation
public import Hummingbird
public import Logging
import NIOCore
import TapisCore
public import TapisEngine

/// `/v3/jobs/{uuid}/output/list/{path}` and `/output/download/{path}`.
public struct OutputRoutes: Sendable {
    let services: APIServices

    func register(on router: Router<TapisRequestContext>) {
        let jobs = router.group("v3/jobs")
        jobs.get(":uuid/output/list", use: list)
        jobs.get(":uuid/output/list/**", use: list)
        jobs.get(":uuid/output/download", use: download)
        jobs.get(":uuid/output/download/**", use: download)
    }

    @Sendable func list(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let job = try await JobRoutes(services: services).readableJob(request, context, .output)
        let path = context.parameters.getCatchAll().joined(separator: "/")
        let limit = try request.integer("limit", default: 1000)
        let skip = try request.integer("skip", default: 0)
        let files = try await services.outputs.list(job, path: path, allowIfRunning: try request.flag("allowIfRunning"))
        let page = Array(files.dropFirst(skip).prefix(limit))
        let metadata = ListMetadata(recordCount: page.count, recordLimit: limit, recordsSkipped: skip, orderBy: nil, startAfter: nil, totalCount: files.count)
        return try TapisResponse.success(page, message: "JOBS_OUTPUT_LIST \(page.count) entr(ies).", metadata: metadata, request: request)
    }

    @Sendable func download(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let job = try await JobRoutes(services: services).readableJob(request, context, .output)
        let path = context.parameters.getCatchAll().joined(separator: "/")
        let download = try await services.outputs.download(
            job, path: path, allowIfRunning: try request.flag("allowIfRunning"), compress: try request.flag("compress"))
        return Self.response(download, logger: context.logger)
    }

    /// The bytes of an output as an attachment (a zip when it is a folder or asked compressed):
    /// the answer of the API's download and of the web page's.
    public static func response(_ download: OutputDownload, logger: Logger) -> Response {
        let body = ResponseBody(contentLength: download.size.map(Int.init)) { writer in
            do {
                try await download.stream { chunk in try await writer.write(ByteBuffer(bytes: chunk)) }
            } catch {
                logger.error("output download failed midway", metadata: ["error": "\(error)"])
                throw error
            }
            try await writer.finish(nil)
        }
        let disposition = Self.disposition(download.fileName)
        return Response(
            status: .ok,
            headers: [.contentType: download.size == nil ? "application/zip" : "application/octet-stream", .contentDisposition: disposition],
            body: body)
    }

    /// `Content-Disposition` for a file saved as `name`: a plain ASCII name for every client (quotes,
    /// backslashes and anything else outside printable ASCII become `_`) and the exact name in
    /// RFC 5987's `filename*` when the two differ.
    static func disposition(_ name: String) -> String {
        let plain = String(name.unicodeScalars.map { (0x20...0x7E).contains($0.value) && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        var value = "attachment; filename=\"\(plain)\""
        if plain != name { value += "; filename*=UTF-8''\(name.percentEncoded())" }
        return value
    }
}
