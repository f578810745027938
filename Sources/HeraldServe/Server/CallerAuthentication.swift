import Foundation
import HeraldCore

/// Checks a request's `Authorization` against the job's `serve.auth` (SPEC §11 "Auth"): the
/// comparison takes the same time wherever the first wrong byte is, so a caller cannot find
/// the token byte by byte.
package enum CallerAuthentication {
    package enum Verdict: Equatable { case allowed, missing, wrong }

    package static func check(_ header: String?, against auth: ServeAuth?) -> Verdict {
        guard let auth else { return .allowed }
        guard let header, !header.isEmpty else { return .missing }
        switch auth {
        case .bearer(let token):
            guard let given = credentials(header, scheme: "bearer") else { return .wrong }
            return equalInConstantTime(Array(given.utf8), Array(token.utf8)) ? .allowed : .wrong
        case .basic(let username, let password):
            guard let encoded = credentials(header, scheme: "basic"),
                  let decoded = Data(base64Encoded: encoded) else { return .wrong }
            let expected = Array("\(username):\(password)".utf8)
            return equalInConstantTime(Array(decoded), expected) ? .allowed : .wrong
        }
    }

    /// `WWW-Authenticate` for a 401.
    package static func challenge(for auth: ServeAuth) -> String {
        switch auth {
        case .bearer: return "Bearer realm=\"herald\""
        case .basic: return "Basic realm=\"herald\", charset=\"UTF-8\""
        }
    }

    /// The credentials after `scheme` (case-insensitive), trimmed.
    static func credentials(_ header: String, scheme: String) -> String? {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard let space = trimmed.firstIndex(of: " "), trimmed[..<space].lowercased() == scheme else { return nil }
        let value = trimmed[space...].trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
    }

    /// Compares every byte of the longer of the two, whatever differs first.
    static func equalInConstantTime(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        let n = max(a.count, b.count)
        for i in 0..<n {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            difference |= x ^ y
        }
        return difference == 0 && a.count == b.count
    }
}
