import Glibc

/// Checks that text is an IPv4 or IPv6 address (no host names: the listener's address is explicit).
enum IPAddressText {
    static func isValid(_ text: String) -> Bool {
        var address = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, text, &address) == 1 || inet_pton(AF_INET6, text, &address) == 1
    }

    /// Whether the address is this host's loopback (127.0.0.0/8 or ::1), which no other host reaches.
    static func isLoopback(_ text: String) -> Bool {
        var address = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET, text, &address) == 1 { return address[0] == 127 }
        return inet_pton(AF_INET6, text, &address) == 1 && address == [UInt8](repeating: 0, count: 15) + [1]
    }
}
