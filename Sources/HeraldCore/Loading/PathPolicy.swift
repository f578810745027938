import Foundation

/// Where a job may read files from (docs/job-file.md, "Which files a job may read"): its own
/// folder, its `template_dirs` and the folders it lists under `allow_paths`, compared after
/// resolving symlinks. `/proc`, `/sys` and `/dev` are never read as templates or data, so a
/// job cannot post the process's environment (and with it the token) to a chat.
package struct PathPolicy: Sendable {
    /// Folders, symlinks resolved; nil reads anywhere (a path named on the command line).
    let roots: [String]?

    package static let unconfined = PathPolicy(roots: nil)
    static let neverRead = ["/proc", "/sys", "/dev"]

    /// The job's folder, its template folders and its `allow_paths`.
    init(folders: [URL]) {
        var roots: [String] = []
        for folder in folders {
            let path = Self.resolved(folder)
            if !roots.contains(path) { roots.append(path) }
        }
        self.roots = roots
    }

    private init(roots: [String]?) { self.roots = roots }

    /// Why the file at `url` may not be read, phrased to follow its name; nil when it may.
    func problem(with url: URL) -> String? {
        let written = url.standardizedFileURL.path
        if let system = Self.neverRead.first(where: { Self.path(written, isInside: $0) }) {
            return "is under \(system), where Herald never reads templates or data"
        }
        let path = Self.resolved(url)
        if let system = Self.neverRead.first(where: { Self.path(path, isInside: $0) }) {
            return "resolves to '\(path)', under \(system), where Herald never reads templates or data"
        }
        guard let roots, !roots.contains(where: { Self.path(path, isInside: $0) }) else { return nil }
        let through = path == written ? "" : " (it resolves to '\(path)')"
        return "is outside the job's folder and its 'template_dirs'\(through); move it there, or list its folder under 'allow_paths'"
    }

    static func resolved(_ url: URL) -> String {
        url.standardizedFileURL.resolvingSymlinksInPath().path
    }

    static func path(_ path: String, isInside folder: String) -> Bool {
        folder == "/" || path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }
}
