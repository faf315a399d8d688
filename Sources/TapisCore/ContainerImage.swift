/// The image reference of a DOCKER app (`[registry[:port]/]name[:tag][@digest]`).
public enum ContainerImage {
    /// - Throws: `TapisError.badRequest` naming `containerImage`.
    public static func checkReference(_ image: String) throws(TapisError) {
        let field = "containerImage"
        guard image.count <= 512 else { throw .invalid(field, "must be at most 512 characters") }
        guard let first = image.unicodeScalars.first, isAlphanumeric(first) else {
            throw .invalid(field, "\(image.debugDescription) is not an image reference: it must start with a letter or digit")
        }
        if let bad = image.unicodeScalars.first(where: { !(isAlphanumeric($0) || "._-/:@".unicodeScalars.contains($0)) }) {
            throw .invalid(field, "\(image.debugDescription) is not an image reference: \(String(bad).debugDescription) is not allowed (letters, digits and . _ - / : @ only)")
        }
        if image.contains("//") || image.hasSuffix("/") || image.hasSuffix(":") {
            throw .invalid(field, "\(image.debugDescription) is not an image reference such as docker.io/library/busybox:1.36")
        }
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        default: return false
        }
    }
}
