import Foundation
import Hummingbird
import Logging
import TapisCore
import TapisEngine
import TapisStore
import TapisTransport

/// `GET /v3/tapisd/backup`: the whole store as one SQLite file, made with SQLite's online backup
/// while jobs go on (administrators only; not part of the Tapis API). The copy is made beside the
/// store, checked, then streamed and gone: the daemon never writes where a caller names.
struct BackupRoutes: Sendable {
    let services: APIServices

    func register(on router: Router<TapisRequestContext>) {
        router.get("v3/tapisd/backup", use: backup)
    }

    @Sendable func backup(_ request: Request, context: TapisRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        guard caller.isAdmin else { throw TapisError(.forbidden, "only root or the admin group may back up tapisd's store") }
        let path = TapisPath.join(services.backupDirectory, "backup-\(JobUUID.random().rawValue).sqlite")
        let size: Int64
        do {
            try await services.store.backup(to: path)
            size = try await LocalFiles.size(of: path)
        } catch {
            try? await LocalFiles.remove([path])
            throw error
        }
        Audit.record(context.logger, "store backup sent", kind: "backup", user: caller.name, ["bytes": "\(size)"])
        // Read as the daemon itself, whose file it is.
        let reader = try LocalTransport(login: try UserAccount.daemon().name)
        // Opened, then unlinked, then read: the copy is gone however the download ends.
        let command = "exec 3< \(Shell.quote(path)) && rm -f -- \(Shell.quote(path)) && cat <&3"
        let logger = context.logger
        let body = ResponseBody(contentLength: Int(size)) { writer in
            do {
                try await reader.stream(command) { chunk in try await writer.write(ByteBuffer(bytes: chunk)) }
            } catch {
                logger.error("store backup failed midway", metadata: ["error": "\(error)"])
                throw error
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/vnd.sqlite3", .contentDisposition: "attachment; filename=\"tapisd-backup.sqlite\""],
            body: body)
    }
}
