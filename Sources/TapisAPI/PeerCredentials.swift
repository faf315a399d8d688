import Glibc
import NIOCore
import TapisCore

/// The kernel's word on who is at the other end of a Unix socket (SO_PEERCRED).
struct PeerCredentials: Sendable, Equatable {
    var pid: Int32
    var uid: UInt32
    var gid: UInt32

    /// Reads the credentials of `channel`'s peer.
    /// - Throws: `TapisError.unauthorized` for a channel that is not a Unix socket.
    static func of(_ channel: any Channel) async throws -> PeerCredentials {
        guard case .unixDomainSocket = channel.localAddress, let provider = channel as? any SocketOptionProvider else {
            throw TapisError(.unauthorized, "peer credentials exist only on the Unix socket")
        }
        let raw: UCred = try await provider.unsafeGetSocketOption(level: .socket, name: .init(rawValue: SO_PEERCRED)).get()
        return PeerCredentials(pid: raw.pid, uid: raw.uid, gid: raw.gid)
    }

    /// A mirror of glibc's `struct ucred`, which Swift's Glibc module does not export.
    struct UCred: Sendable {
        var pid: Int32 = 0
        var uid: UInt32 = 0
        var gid: UInt32 = 0
    }
}
