import Crypto
import Foundation

/// An image message's `path`: read at plan time and sent as `base64` + `md5` (docs/job-file.md).
struct ImageAttachment: Sendable {
    static let maxBytes = 2 * 1024 * 1024

    let base64: String
    let md5: String

    enum Failure: Error {
        case missing(String), unreadable(String), tooLarge(String, Int), notAnImage(String), empty(String)
        /// Outside the folders the job may read (`PathPolicy`): the path and why.
        case refused(String, String)

        var message: String {
            switch self {
            case .missing(let p): return "image '\(p)' does not exist"
            case .unreadable(let p): return "image '\(p)' cannot be read (or is not a regular file)"
            case .empty(let p): return "image '\(p)' is empty"
            case .tooLarge(let p, let n):
                return "image '\(p)' is \(n) bytes, over WeCom's 2 MB limit (2097152 bytes before base64); shrink or compress it"
            case .notAnImage(let p): return "image '\(p)' is neither PNG nor JPEG (WeCom robots accept only those)"
            case .refused(let p, let why): return "image '\(p)' \(why)"
            }
        }
    }

    static func read(_ url: URL, displayPath: String, paths: PathPolicy) -> Result<ImageAttachment, Failure> {
        let data: [UInt8]
        switch FileContents.read(url.path, limit: maxBytes, paths: paths) {
        case .failure(.refused(let why)): return .failure(.refused(displayPath, why))
        case .success(let bytes): data = bytes
        case .failure(.missing): return .failure(.missing(displayPath))
        case .failure(.tooLarge(let n)): return .failure(.tooLarge(displayPath, n))
        case .failure: return .failure(.unreadable(displayPath))
        }
        guard !data.isEmpty else { return .failure(.empty(displayPath)) }
        let bytes = Array(data.prefix(8))
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes == png || bytes.starts(with: [0xFF, 0xD8, 0xFF]) else { return .failure(.notAnImage(displayPath)) }
        let digest = Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined()
        return .success(ImageAttachment(base64: Data(data).base64EncodedString(), md5: digest))
    }
}
