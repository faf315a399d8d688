import Glibc
import TapisCore

/// An IPv4 or IPv6 address as its bytes (4 or 16), parsed and printed by the C library.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// The address `text` names (no host names), or nil.
    public init?(_ text: String) {
        var buffer = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET, text, &buffer) == 1 {
            bytes = Array(buffer.prefix(4))
        } else if inet_pton(AF_INET6, text, &buffer) == 1 {
            bytes = buffer
        } else {
            return nil
        }
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    public var isIPv4: Bool { bytes.count == 4 }

    /// The IPv4 address an IPv6 one carries: IPv4-mapped (`::ffff:a.b.c.d`), -compatible
    /// (`::a.b.c.d`), -translated (`::ffff:0:a.b.c.d`), NAT64 (`64:ff9b::a.b.c.d`) or 6to4 (`2002:AABB:CCDD::`).
    public var embeddedIPv4: IPAddress? {
        guard bytes.count == 16 else { return nil }
        let zeros = { (count: Int) in [UInt8](repeating: 0, count: count) }
        let head = Array(bytes.prefix(12))
        if head == zeros(10) + [0xFF, 0xFF] || head == zeros(12) || head == zeros(8) + [0xFF, 0xFF, 0, 0]
            || head == [0x00, 0x64, 0xFF, 0x9B] + zeros(8)
        {
            return IPAddress(bytes: Array(bytes.suffix(4)))
        }
        if bytes[0] == 0x20, bytes[1] == 0x02 { return IPAddress(bytes: Array(bytes[2..<6])) }
        return nil
    }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isIPv4 ? AF_INET : AF_INET6
        guard inet_ntop(family, bytes, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A block of addresses, `address/prefix` (a bare address is the block of that one).
public struct NetworkRange: Sendable, Hashable, CustomStringConvertible {
    public let base: IPAddress
    public let prefixLength: Int

    /// The block `text` names (`10.0.0.0/8`, `::1`, `fd00::/8`), or nil.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let base = IPAddress(parts[0]) else { return nil }
        let bits = base.bytes.count * 8
        let length = parts.count == 2 ? Int(parts[1]) : bits
        guard let length, (0...bits).contains(length) else { return nil }
        self.base = base
        prefixLength = length
    }

    public func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == base.bytes.count else { return false }
        var remaining = prefixLength
        for (a, b) in zip(address.bytes, base.bytes) where remaining > 0 {
            let take = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
            if a & mask != b & mask { return false }
            remaining -= take
        }
        return true
    }

    public var description: String { "\(base)/\(prefixLength)" }
}

/// Resolving host names, on the blocking pool (getaddrinfo blocks), two at a time: a name server
/// that never answers holds two of the pool's threads, never all of them.
public enum HostAddresses {
    private static let lookups = Permits(2)

    /// The addresses `host` resolves to (an address literal is itself).
    /// - Throws: `TapisError.unavailable` when it does not resolve.
    public static func resolve(_ host: String) async throws -> [IPAddress] {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if let literal = IPAddress(bare) { return [literal] }
        return try await lookups.holding { try await lookup(bare) }
    }

    private static func lookup(_ bare: String) async throws -> [IPAddress] {
        try await BlockingPool.run {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>?
            let status = getaddrinfo(bare, nil, &hints, &list)
            guard status == 0, let first = list else {
                throw TapisError(.unavailable, "host \(bare.debugDescription) does not resolve: \(String(cString: gai_strerror(status)))")
            }
            defer { freeaddrinfo(first) }
            var addresses: [IPAddress] = []
            var entry: UnsafeMutablePointer<addrinfo>? = first
            while let current = entry {
                if let socketAddress = current.pointee.ai_addr {
                    switch Int32(current.pointee.ai_family) {
                    case AF_INET:
                        var value = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                        addresses.append(IPAddress(bytes: withUnsafeBytes(of: &value) { Array($0) }))
                    case AF_INET6:
                        var value = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                        addresses.append(IPAddress(bytes: withUnsafeBytes(of: &value) { Array($0) }))
                    default: break
                    }
                }
                entry = current.pointee.ai_next
            }
            var seen = Set<IPAddress>()
            return addresses.filter { seen.insert($0).inserted }
        }
    }
}
