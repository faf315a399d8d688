import CLibSSH2
import TapisCore

/// The one place libssh2 return codes become `TapisError`s, with libssh2's own message, the host,
/// and what was being done.
enum LibSSH2 {
    static let again = Int32(LIBSSH2_ERROR_EAGAIN)

    /// Initializes the library once per process.
    static let initialized: Bool = libssh2_init(0) == 0

    /// The error for a failed call (`code` < 0, not EAGAIN).
    static func error(_ code: Int32, session: OpaquePointer?, _ what: String, host: String) -> TapisError {
        var message = "unknown error"
        if let session {
            var text: UnsafeMutablePointer<CChar>?
            var length: Int32 = 0
            libssh2_session_last_error(session, &text, &length, 0)
            if let text, length > 0 { message = String(cString: text) }
        }
        let kind: TapisError.Code = isTransient(code) ? .unavailable : .remoteFailure
        return TapisError(kind, "\(what) on \(host) failed: \(message) (libssh2 \(code))")
    }

    /// The error for a failed SFTP call, with the SFTP status when the server sent one.
    static func sftpError(_ code: Int32, session: OpaquePointer?, sftp: OpaquePointer?, _ what: String, host: String) -> TapisError {
        guard code == Int32(LIBSSH2_ERROR_SFTP_PROTOCOL), let sftp else { return error(code, session: session, what, host: host) }
        let status = libssh2_sftp_last_error(sftp)
        return TapisError(.remoteFailure, "\(what) on \(host) failed: \(describe(sftpStatus: status))")
    }

    /// The SFTP status of the last failed call, if it was an SFTP protocol error.
    static func sftpStatus(_ code: Int32, sftp: OpaquePointer?) -> UInt? {
        guard code == Int32(LIBSSH2_ERROR_SFTP_PROTOCOL), let sftp else { return nil }
        return libssh2_sftp_last_error(sftp)
    }

    /// Connection-level failures that a later attempt may not meet.
    static func isTransient(_ code: Int32) -> Bool {
        switch code {
        case Int32(LIBSSH2_ERROR_SOCKET_NONE), Int32(LIBSSH2_ERROR_BANNER_RECV), Int32(LIBSSH2_ERROR_BANNER_SEND),
            Int32(LIBSSH2_ERROR_SOCKET_SEND), Int32(LIBSSH2_ERROR_SOCKET_DISCONNECT), Int32(LIBSSH2_ERROR_TIMEOUT),
            Int32(LIBSSH2_ERROR_SOCKET_TIMEOUT), Int32(LIBSSH2_ERROR_SOCKET_RECV), Int32(LIBSSH2_ERROR_KEX_FAILURE),
            Int32(LIBSSH2_ERROR_CHANNEL_FAILURE):
            return true
        default:
            return false
        }
    }

    static func describe(sftpStatus status: UInt) -> String {
        switch status {
        case UInt(LIBSSH2_FX_NO_SUCH_FILE), UInt(LIBSSH2_FX_NO_SUCH_PATH): return "no such file or directory"
        case UInt(LIBSSH2_FX_PERMISSION_DENIED): return "permission denied"
        case UInt(LIBSSH2_FX_FILE_ALREADY_EXISTS): return "the file already exists"
        case UInt(LIBSSH2_FX_NO_SPACE_ON_FILESYSTEM): return "no space left on the remote file system"
        case UInt(LIBSSH2_FX_QUOTA_EXCEEDED): return "the remote disk quota is exceeded"
        case UInt(LIBSSH2_FX_DIR_NOT_EMPTY): return "the directory is not empty"
        case UInt(LIBSSH2_FX_NOT_A_DIRECTORY): return "not a directory"
        case UInt(LIBSSH2_FX_FAILURE): return "the server reported a failure (a full disk, an existing target, or a missing parent)"
        default: return "SFTP status \(status)"
        }
    }
}
