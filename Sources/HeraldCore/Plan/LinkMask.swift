import Foundation

/// Hides secrets in robot links wherever a link is shown outside the dry-run body:
/// the `key=` value becomes `…` plus its last 4 characters (SPEC §6).
public enum LinkMask {
    public static func mask(_ link: String) -> String {
        guard let queryStart = link.firstIndex(of: "?") else { return link }
        let head = link[..<queryStart]
        let fragmentStart = link[queryStart...].firstIndex(of: "#") ?? link.endIndex
        let query = link[link.index(after: queryStart)..<fragmentStart]
        let masked = query.split(separator: "&", omittingEmptySubsequences: false).map { part -> String in
            guard let eq = part.firstIndex(of: "="), isSecretName(part[..<eq]) else { return String(part) }
            let value = part[part.index(after: eq)...]
            return "\(part[...eq])…\(value.suffix(4))"
        }
        return "\(head)?\(masked.joined(separator: "&"))\(link[fragmentStart...])"
    }

    /// `key` is WeCom's; DingTalk-style links carry `access_token`, masked the same way.
    private static func isSecretName(_ name: Substring) -> Bool {
        let lower = name.lowercased()
        return lower == "key" || lower == "access_token" || lower == "sign" || lower == "secret"
    }

    /// Replaces every occurrence of the given secrets (token, sk, raw links) in free text,
    /// for messages that might echo them (server errors, transport errors).
    public static func scrub(_ text: String, secrets: [String]) -> String {
        var result = text
        for secret in secrets where secret.count >= 4 {
            result = result.replacingOccurrences(of: secret, with: "…")
        }
        return result
    }
}
