public import TapisCore
public import TapisTransport

/// Makes the transport for a system and login. The daemon's wiring decides which transports exist
/// (this host, SSH; tests put recording ones in their place).
public struct TransportFactory: Sendable {
    private let make: @Sendable (TapisSystem, String) throws -> any Transport

    public init(_ make: @escaping @Sendable (TapisSystem, String) throws -> any Transport) {
        self.make = make
    }

    /// The transport that acts as `login` on `system`.
    /// - Throws: `TapisError` when the system cannot be reached as that login.
    public func transport(for system: TapisSystem, login: String) throws -> any Transport {
        try make(system, login)
    }
}
