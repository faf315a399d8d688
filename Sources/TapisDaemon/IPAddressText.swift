import Glibc

/// Checks that text is an IPv4 or IPv6 address (no host names: the listener's address is explicit).
enum IPAddressText {
    static func isValid(_ text: String) -> Bool {
        var address = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, text, &address) == 1 || inet_pton(AF_INET6, text, &address) == 1
    }
}
