import Foundation
import Yams

/// `${NAME}` in the secrets — `access_token`, a recipient's `sk` and `link` — when NAME is
/// unset: what sends nothing (check, plan, render, preview, the dry run) runs without them,
/// the raw `${NAME}` standing in (the access token is in no output, so it is simply absent);
/// a real send refuses at load time, naming the variable (docs/job-file.md, "Environment").
extension JobLoader {
    /// The expanded text and the unset names left in it as `${NAME}`; nil after an error.
    func secretString(_ node: Node, what: String, _ reader: NodeReader, warnsWhenUnset: Bool = true) -> (text: String, unset: [String])? {
        guard let raw = reader.string(node, what: what) else { return nil }
        var unset: [String] = []
        switch env.expandKeepingUnset(raw, unset: &unset) {
        case .failure(let f):
            reader.error(node, "\(what): " + EnvironmentExpansion.message(for: f))
            return nil
        case .success(let text):
            for name in unset {
                if requiresSecrets {
                    reader.error(node, "\(what): environment variable '\(name)' is not set; a real send needs it — set it (check and dry runs work without it)")
                } else if warnsWhenUnset {
                    reader.warning(node, "\(what): environment variable '\(name)' is not set; shown as '${\(name)}' here, and a real send refuses until it is set")
                }
            }
            if requiresSecrets, !unset.isEmpty { return nil }
            return (text, unset)
        }
    }

    /// A link with an unset `${NAME}` cannot be checked as a URL; its host (for the platform)
    /// is read with each unset reference standing in as one harmless character.
    func hostOfLinkWithUnset(_ link: String, unset: [String]) -> String {
        var probe = link
        for name in unset { probe = probe.replacingOccurrences(of: "${\(name)}", with: "x") }
        return URLComponents(string: probe).flatMap(httpHost) ?? ""
    }
}
